//! Direct uploads: `/assets` (twelvelabs.md §3.2).
//!
//! A created asset is `processing`; its second retrieve finds it `ready`, with size, duration,
//! technical metadata and the renditions it asked for.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, put};
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::{
    Row, Store, clean_metadata, error, form, json_object, merge_metadata, no_content, not_found,
    now, ok, paging, parameter_invalid, served_page,
};
use crate::json::{self, StoredJson};
use crate::record::{all, decode_form, first};
use crate::server::{Shared, lock};

const ASSET_TYPES: [&str; 4] = ["image", "video", "audio", "document"];

/// Retrieves a `processing` asset needs before it is `ready`.
const POLLS_UNTIL_READY: u32 = 2;

/// Seed 002, the `GET /assets/{asset_id}` example response.
const SEED_ASSET: &str = r#"{
 "_id": "6298d673f1090f1100476d4c",
 "created_at": "2022-06-02T10:30:00Z",
 "duration": 120.5,
 "file_type": "image/jpeg",
 "filename": "image-01.jpg",
 "hls": {
 "manifest_url": "https://cdn.example.com/assets/6298d673f1090f1100476d4c/manifest.m3u8",
 "status": "ready"
 },
 "method": "direct",
 "size": 104857600,
 "status": "ready",
 "thumbnail": {
 "representative_url": "https://cdn.example.com/assets/6298d673f1090f1100476d4c/thumbnail.jpg",
 "status": "ready"
 },
 "user_metadata": {}
}"#;

pub(super) fn seed(store: &mut Store) {
    insert(store, StoredJson::from_fixture(SEED_ASSET));
}

pub(super) fn insert(store: &mut Store, json: StoredJson) {
    let Some(id) = json.str("_id").map(str::to_owned) else {
        panic!("media-mock: a TwelveLabs asset needs a string \"_id\"");
    };
    let seq = store.seq();
    store.assets.insert(id, seq, json);
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/assets", get(list_assets).post(create_asset))
        .route(
            "/assets/{asset_id}",
            get(retrieve_asset).delete(delete_asset),
        )
        .route("/assets/{asset_id}/transcription", get(transcription))
        .route(
            "/assets/{asset_id}/user-metadata",
            put(replace_metadata)
                .patch(update_metadata)
                .delete(delete_metadata),
        )
}

/// What a new asset is made of.
pub(super) struct NewAsset {
    pub(super) method: &'static str,
    pub(super) filename: String,
    pub(super) file_type: String,
    pub(super) size: u64,
    pub(super) enable_hls: bool,
    pub(super) enable_thumbnail: bool,
    pub(super) user_metadata: Option<serde_json::Map<String, Value>>,
}

/// Stores a new `processing` asset and returns it as created (the `Asset` shape).
pub(super) fn create(store: &mut Store, id: Option<String>, new: NewAsset) -> Value {
    let id = id.unwrap_or_else(|| store.new_id());
    let mut asset = json!({
        "_id": id,
        "method": new.method,
        "status": "processing",
        "filename": new.filename,
        "file_type": new.file_type,
        "created_at": now(),
        // Private: what the ready asset will look like.
        "_size": new.size,
        "_enable_hls": new.enable_hls,
        "_enable_thumbnail": new.enable_thumbnail,
    });
    if let Some(metadata) = new.user_metadata {
        asset["user_metadata"] = Value::Object(metadata);
    }
    let seq = store.seq();
    store
        .assets
        .insert(id, seq, StoredJson::from_value(asset.clone()));
    public(&asset)
}

/// The object without the mock's private `_…` keys (the `_id` stays).
pub(super) fn public(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with('_') || *k == "_id")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Served text of a stored asset: fixtures verbatim, created ones without private keys.
fn served(json: &StoredJson) -> String {
    let private = json
        .value
        .as_object()
        .is_some_and(|m| m.keys().any(|k| k.starts_with('_') && k != "_id"));
    if private {
        public(&json.value).to_string()
    } else {
        json.text.clone()
    }
}

/// The MIME type of `filename` by extension, else `fallback`.
pub(super) fn mime_of(filename: &str, fallback: Option<&str>) -> String {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let known = match ext.as_str() {
        "mp4" | "m4v" => Some("video/mp4"),
        "mov" => Some("video/quicktime"),
        "webm" => Some("video/webm"),
        "mkv" => Some("video/x-matroska"),
        "m3u8" => Some("application/vnd.apple.mpegurl"),
        "mp3" => Some("audio/mpeg"),
        "wav" => Some("audio/wav"),
        "m4a" => Some("audio/mp4"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "webp" => Some("image/webp"),
        "pdf" => Some("application/pdf"),
        "txt" => Some("text/plain"),
        "md" => Some("text/markdown"),
        _ => None,
    };
    known
        .map(str::to_owned)
        .or_else(|| fallback.map(str::to_owned))
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// Moves a `processing` asset on one poll, making it `ready` after [`POLLS_UNTIL_READY`].
fn advance(row: &mut super::Row) {
    // Seeded assets stay as seeded; only created ones move on their own.
    if row.value().get("_size").is_none() {
        return;
    }
    row.polls += 1;
    if row.value()["status"] != "processing" || row.polls < POLLS_UNTIL_READY {
        return;
    }
    row.edit(make_ready);
}

/// The ready form of a created asset.
pub(super) fn make_ready(asset: &mut Value) {
    let id = asset["_id"].as_str().unwrap_or_default().to_owned();
    let file_type = asset["file_type"].as_str().unwrap_or_default().to_owned();
    let size = asset["_size"].as_u64().unwrap_or(0);
    asset["status"] = json!("ready");
    asset["size"] = json!(size);
    let media = file_type.starts_with("video/") || file_type.starts_with("audio/");
    let mut technical = json!({"file_size_bytes": size, "file_mime_type": file_type});
    if media {
        asset["duration"] = json!(12.5);
        technical["audio_codec"] = json!("aac");
        technical["audio_duration_seconds"] = json!(12.5);
        technical["has_audio"] = json!(true);
    }
    if file_type.starts_with("video/") {
        technical["video_codec"] = json!("h264");
        technical["video_width"] = json!(1280);
        technical["video_height"] = json!(720);
        technical["video_fps"] = json!(25.0);
        technical["video_duration_seconds"] = json!(12.5);
    }
    if file_type.starts_with("image/") {
        technical["image_width"] = json!(800);
        technical["image_height"] = json!(600);
    }
    asset["technical_metadata"] = technical;
    if asset["_enable_hls"] == true && media {
        asset["hls"] = json!({
            "manifest_url": format!("https://cdn.example.com/assets/{id}/manifest.m3u8"),
            "status": "ready"
        });
    }
    if asset["_enable_thumbnail"] == true && !file_type.starts_with("audio/") {
        asset["thumbnail"] = json!({
            "representative_url": format!("https://cdn.example.com/assets/{id}/thumbnail.jpg"),
            "status": "ready"
        });
    }
}

async fn create_asset(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match form::parse(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let enable_hls = match form.bool("enable_hls") {
        Ok(v) => v.unwrap_or(true),
        Err(response) => return response,
    };
    let enable_thumbnail = match form.bool("enable_thumbnail") {
        Ok(v) => v.unwrap_or(true),
        Err(response) => return response,
    };
    let user_metadata = match form.first("user_metadata") {
        None => None,
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Some(clean_metadata(&map)),
            _ => {
                return parameter_invalid(
                    "The user_metadata parameter must be a JSON object encoded as a string.",
                );
            }
        },
    };
    let explicit_name = form.first("filename").filter(|n| !n.is_empty());
    if explicit_name
        .as_ref()
        .is_some_and(|n| n.chars().count() > 255)
    {
        return parameter_invalid("The filename parameter must be 1 to 255 characters.");
    }
    let (method, filename, file_type, size) = match form.first("method").as_deref() {
        Some("direct") => {
            let Some(file) = form.file("file") else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "parameter_not_provided",
                    "The file parameter is required when method is direct.",
                );
            };
            let name = explicit_name.unwrap_or_else(|| file.file_name.clone().unwrap_or_default());
            let mime = mime_of(&name, file.content_type.as_deref());
            ("direct", name, mime, file.data.len() as u64)
        }
        Some("url") => {
            let Some(url) = form.first("url").filter(|u| !u.is_empty()) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "parameter_not_provided",
                    "The url parameter is required when method is url.",
                );
            };
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return parameter_invalid("The url parameter must be an http(s) URL.");
            }
            let from_url = url
                .split(['?', '#'])
                .next()
                .and_then(|u| u.rsplit('/').next())
                .unwrap_or("file")
                .to_owned();
            let name = explicit_name.unwrap_or(from_url);
            let mime = mime_of(&name, None);
            ("url", name, mime, 10_485_760)
        }
        Some(_) => return parameter_invalid("The method parameter must be direct or url."),
        None => {
            return error(
                StatusCode::BAD_REQUEST,
                "parameter_not_provided",
                "The method parameter is required.",
            );
        }
    };
    let mut store = lock(&store);
    let asset = create(
        &mut store,
        None,
        NewAsset {
            method,
            filename,
            file_type,
            size,
            enable_hls,
            enable_thumbnail,
            user_metadata,
        },
    );
    ok(&asset)
}

async fn retrieve_asset(
    State(store): State<Shared<Store>>,
    asset_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(asset_id)) = asset_id else {
        return parameter_invalid("The asset_id parameter is invalid.");
    };
    let mut store = lock(&store);
    match store.assets.get_mut(&asset_id) {
        Some(row) => {
            advance(row);
            json::response(StatusCode::OK, served(&row.json))
        }
        None => not_found("asset", &asset_id),
    }
}

async fn delete_asset(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let force = match first(&params, "force") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return parameter_invalid("The force parameter must be true or false."),
    };
    let mut store = lock(&store);
    if !store.assets.contains(&asset_id) {
        return not_found("asset", &asset_id);
    }
    let referenced = store
        .indexed_assets
        .rows()
        .any(|(_, row)| row.value()["asset_id"] == asset_id.as_str());
    if referenced && !force {
        return error(
            StatusCode::CONFLICT,
            "asset_in_use",
            "The asset is referenced by indexed assets; delete them first or pass force=true.",
        );
    }
    store.assets.remove(&asset_id);
    for (_, entity) in store.entities.rows_mut() {
        if entity.value()["asset_ids"]
            .as_array()
            .is_some_and(|ids| ids.iter().any(|id| id == asset_id.as_str()))
        {
            entity.edit(|e| {
                if let Some(ids) = e["asset_ids"].as_array_mut() {
                    ids.retain(|id| id != asset_id.as_str());
                }
            });
        }
    }
    no_content()
}

async fn transcription(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let mut include: Vec<String> = all(&params, "include")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if include.is_empty() {
        include.push("words".into());
    }
    if include
        .iter()
        .any(|v| !["words", "sentences", "utterances"].contains(&v.as_str()))
    {
        return parameter_invalid("The include parameter must be words, sentences or utterances.");
    }
    let store = lock(&store);
    let Some(row) = store.assets.get(&asset_id) else {
        return not_found("asset", &asset_id);
    };
    let file_type = row.value()["file_type"].as_str().unwrap_or_default();
    if !(file_type.starts_with("video/") || file_type.starts_with("audio/")) {
        return error(
            StatusCode::NOT_FOUND,
            "resource_not_exist",
            &format!("The asset with id {asset_id} has no transcription."),
        );
    }
    if row.value()["status"] != "ready" {
        return ok(&json!({"status": "processing"}));
    }
    let mut out = json!({"status": "ready"});
    for part in &include {
        out[part.as_str()] = match part.as_str() {
            "words" => json!([
                {"start": 0.0, "end": 0.4, "value": "Hello"},
                {"start": 0.4, "end": 0.9, "value": "world"}
            ]),
            "sentences" => json!([{"start": 0.0, "end": 0.9, "value": "Hello world."}]),
            _ => json!([{"start": 0.0, "end": 0.9, "value": "Hello world.", "speaker": "A"}]),
        };
    }
    ok(&out)
}

fn metadata_body(body: &Bytes) -> Result<serde_json::Map<String, Value>, Response> {
    let body = json_object(body)?;
    match body.get("user_metadata") {
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(parameter_invalid(
            "The user_metadata parameter must be an object.",
        )),
        None => Err(error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The user_metadata parameter is required.",
        )),
    }
}

async fn replace_metadata(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    body: Bytes,
) -> Response {
    let metadata = match metadata_body(&body) {
        Ok(m) => m,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let Some(row) = store.assets.get_mut(&asset_id) else {
        return not_found("asset", &asset_id);
    };
    row.edit(|asset| asset["user_metadata"] = Value::Object(clean_metadata(&metadata)));
    no_content()
}

async fn update_metadata(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    body: Bytes,
) -> Response {
    let metadata = match metadata_body(&body) {
        Ok(m) => m,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let Some(row) = store.assets.get_mut(&asset_id) else {
        return not_found("asset", &asset_id);
    };
    row.edit(|asset| merge_metadata(asset, &metadata));
    no_content()
}

async fn delete_metadata(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.assets.get_mut(&asset_id) else {
        return not_found("asset", &asset_id);
    };
    row.edit(|asset| asset["user_metadata"] = json!({}));
    no_content()
}

async fn list_assets(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let asset_types = all(&params, "asset_types");
    if asset_types.iter().any(|t| !ASSET_TYPES.contains(t)) {
        return parameter_invalid(
            "The asset_types parameter must be one of image, video, audio, document.",
        );
    }
    let asset_ids: Vec<&str> = all(&params, "asset_ids")
        .into_iter()
        .filter(|id| !id.is_empty())
        .collect();
    let filename = first(&params, "filename")
        .filter(|f| !f.is_empty())
        .map(str::to_lowercase);

    let store = lock(&store);
    let skip = (page - 1).saturating_mul(limit);
    if asset_ids.is_empty() && asset_types.is_empty() && filename.is_none() {
        let (rows, total) = store.assets.newest_first_page(skip, limit);
        let on_page: Vec<String> = rows.iter().map(|row| served(&row.json)).collect();
        return served_page(&on_page, page, limit, total);
    }
    let matching: Vec<&Row> = store
        .assets
        .newest_first()
        .into_iter()
        .filter(|row| {
            asset_ids.is_empty()
                || row
                    .json
                    .str("_id")
                    .is_some_and(|id| asset_ids.contains(&id))
        })
        .filter(|row| {
            asset_types.is_empty()
                || asset_type(&row.json).is_some_and(|t| asset_types.contains(&t))
        })
        .filter(|row| {
            filename.as_deref().is_none_or(|wanted| {
                row.json
                    .str("filename")
                    .is_some_and(|name| name.to_lowercase().contains(wanted))
            })
        })
        .collect();
    // Only the page is serialised: a listing of 100,000 assets costs one page per request.
    let on_page: Vec<String> = matching
        .iter()
        .skip(skip)
        .take(limit)
        .map(|row| served(&row.json))
        .collect();
    served_page(&on_page, page, limit, matching.len())
}

/// The asset type filter value an asset falls under, from its MIME type.
fn asset_type(asset: &StoredJson) -> Option<&'static str> {
    let mime = asset.str("file_type")?;
    let (top, sub) = mime.split_once('/')?;
    match top {
        "image" => Some("image"),
        "video" => Some("video"),
        "audio" => Some("audio"),
        "text" => Some("document"),
        "application" if sub == "pdf" => Some("document"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_type_comes_from_the_mime_prefix() {
        let of = |mime: &str| asset_type(&StoredJson::from_value(json!({ "file_type": mime })));
        assert_eq!(of("video/mp4"), Some("video"));
        assert_eq!(of("image/jpeg"), Some("image"));
        assert_eq!(of("audio/mpeg"), Some("audio"));
        assert_eq!(of("application/pdf"), Some("document"));
        assert_eq!(of("text/markdown"), Some("document"));
        assert_eq!(of("application/zip"), None);
    }

    #[test]
    fn mime_by_extension() {
        assert_eq!(mime_of("a.MP4", None), "video/mp4");
        assert_eq!(mime_of("a.bin", Some("x/y")), "x/y");
        assert_eq!(mime_of("noext", None), "application/octet-stream");
    }
}
