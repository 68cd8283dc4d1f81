//! Index content: `/indexes/{index_id}/indexed-assets` and `/assets/{asset_id}/indexed-assets`
//! (twelvelabs.md §3.5), plus the legacy `/indexes/{index_id}/videos` view of the same objects
//! (§3.6).
//!
//! A new indexed asset is `pending`; retrieves move it to `indexing`, then `ready`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::{Map, Value, json};

use super::assets::public;
use super::{
    Row, Store, at_or_after, clean_metadata, error, in_range, json_object, merge_metadata,
    no_content, not_found, now, ok, page_response, paging, parameter_invalid, required_str,
    sort_rows,
};
use crate::json::StoredJson;
use crate::record::{all, decode_form, first};
use crate::server::{Shared, lock};

const STATUSES: [&str; 6] = [
    "ready",
    "pending",
    "queued",
    "indexing",
    "validating",
    "failed",
];
const EMBEDDING_OPTIONS: [&str; 4] = ["visual", "audio", "transcription", "visual-text"];
const RANGE_FIELDS: [&str; 5] = ["duration", "fps", "size", "width", "height"];

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/indexes/{index_id}/indexed-assets", get(list).post(create))
        .route(
            "/indexes/{index_id}/indexed-assets/{indexed_asset_id}",
            get(retrieve).patch(update).delete(delete),
        )
        .route("/assets/{asset_id}/indexed-assets", get(list_by_asset))
        .route("/indexes/{index_id}/videos", get(list_videos))
        .route(
            "/indexes/{index_id}/videos/{video_id}",
            get(retrieve_video).patch(update).delete(delete),
        )
}

/// Stores a new indexed asset of `asset` in `index_id` and returns its id.
pub(super) fn insert(
    store: &mut Store,
    index_id: &str,
    asset: &Value,
    status: &str,
    enable_video_stream: bool,
    user_metadata: Option<Map<String, Value>>,
) -> String {
    let id = store.new_id();
    let technical = &asset["technical_metadata"];
    let mut indexed = json!({
        "_id": id,
        "asset_id": asset["_id"],
        "status": status,
        "created_at": now(),
        "system_metadata": {
            "filename": asset["filename"],
            "duration": asset["duration"].as_f64().unwrap_or(12.5),
            "fps": technical["video_fps"].as_f64().unwrap_or(25.0),
            "width": technical["video_width"].as_u64().unwrap_or(1280),
            "height": technical["video_height"].as_u64().unwrap_or(720),
            "size": asset["size"].as_u64().unwrap_or(0),
        },
        "_index_id": index_id,
        "_enable_video_stream": enable_video_stream,
    });
    if let Some(metadata) = user_metadata {
        indexed["user_metadata"] = Value::Object(metadata);
    }
    let seq = store.seq();
    store
        .indexed_assets
        .insert(id.clone(), seq, StoredJson::from_value(indexed));
    id
}

/// The ready form: `indexed_at` and, when asked for, the HLS stream.
pub(super) fn make_ready(indexed: &mut Value) {
    let id = indexed["_id"].as_str().unwrap_or_default().to_owned();
    indexed["status"] = json!("ready");
    indexed["indexed_at"] = json!(now());
    if indexed["_enable_video_stream"] == true {
        indexed["hls"] = json!({
            "video_url": format!("https://hls.example.com/{id}/stream.m3u8"),
            "thumbnail_urls": [format!("https://hls.example.com/{id}/thumb.jpg")],
            "status": "COMPLETE",
            "updated_at": now(),
        });
    }
}

fn advance(row: &mut Row) {
    row.polls += 1;
    let next = match (row.value()["status"].as_str(), row.polls) {
        (Some("pending" | "queued" | "validating"), _) => Some("indexing"),
        (Some("indexing"), n) if n >= 2 => Some("ready"),
        _ => None,
    };
    match next {
        Some("ready") => row.edit(make_ready),
        Some(status) => row.edit(|v| v["status"] = json!(status)),
        None => {}
    }
}

async fn create(
    State(store): State<Shared<Store>>,
    Path(index_id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let asset_id = match required_str(&body, "asset_id") {
        Ok(id) => id.to_owned(),
        Err(response) => return response,
    };
    let enable_video_stream = match body.get("enable_video_stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return parameter_invalid("The enable_video_stream parameter must be a boolean.");
        }
    };
    let user_metadata = match body.get("user_metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(clean_metadata(map)),
        Some(_) => return parameter_invalid("The user_metadata parameter must be an object."),
    };
    let mut store = lock(&store);
    if !store.indexes.contains(&index_id) {
        return not_found("index", &index_id);
    }
    let Some(asset) = store.assets.get(&asset_id).map(|row| row.value().clone()) else {
        return not_found("asset", &asset_id);
    };
    if asset["status"] != "ready" {
        return parameter_invalid(&format!(
            "The asset {asset_id} is not ready; wait until its status is ready."
        ));
    }
    let id = insert(
        &mut store,
        &index_id,
        &asset,
        "pending",
        enable_video_stream,
        user_metadata,
    );
    ok(&json!({"_id": id, "asset_id": asset_id}))
}

/// Filters shared by the indexed-asset and video lists.
fn filtered<'a>(
    store: &'a Store,
    index_id: &str,
    params: &[(String, String)],
) -> Result<Vec<&'a Row>, Response> {
    let statuses = all(params, "status");
    if statuses.iter().any(|s| !STATUSES.contains(s)) {
        return Err(parameter_invalid("The status parameter is invalid."));
    }
    let filename = first(params, "filename");
    // User-metadata filters: root-level keys (documented) or `user_metadata[key]` (SDK).
    let known = [
        "page",
        "page_limit",
        "sort_by",
        "sort_option",
        "status",
        "filename",
        "created_at",
        "updated_at",
    ];
    let metadata_filters: Vec<(String, &str)> = params
        .iter()
        .filter(|(k, _)| {
            !known.contains(&k.as_str()) && !RANGE_FIELDS.iter().any(|f| k.starts_with(f))
        })
        .map(|(k, v)| {
            let key = k
                .strip_prefix("user_metadata[")
                .and_then(|k| k.strip_suffix(']'))
                .unwrap_or(k);
            (key.to_owned(), v.as_str())
        })
        .collect();
    let mut rows: Vec<&Row> = store
        .indexed_assets
        .rows()
        .map(|(_, row)| row)
        .filter(|row| row.value()["_index_id"] == index_id)
        .filter(|row| {
            statuses.is_empty()
                || row.value()["status"]
                    .as_str()
                    .is_some_and(|s| statuses.contains(&s))
        })
        .filter(|row| filename.is_none_or(|f| row.value()["system_metadata"]["filename"] == f))
        .filter(|row| {
            let meta = &row.value()["system_metadata"];
            RANGE_FIELDS
                .iter()
                .all(|field| in_range(&meta[*field], params, field))
        })
        .filter(|row| at_or_after(row.value(), params, "created_at"))
        .filter(|row| at_or_after(row.value(), params, "updated_at"))
        .filter(|row| {
            metadata_filters.iter().all(|(key, wanted)| {
                match &row.value()["user_metadata"][key.as_str()] {
                    Value::String(s) => s == wanted,
                    Value::Null => false,
                    other => other.to_string().as_str() == *wanted,
                }
            })
        })
        .collect();
    sort_rows(&mut rows, params, &["created_at", "updated_at"])?;
    Ok(rows)
}

async fn list(
    State(store): State<Shared<Store>>,
    Path(index_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = lock(&store);
    if !store.indexes.contains(&index_id) {
        return not_found("index", &index_id);
    }
    match filtered(&store, &index_id, &params) {
        Ok(rows) => {
            let items: Vec<String> = rows
                .iter()
                .map(|row| {
                    let mut item = public(row.value());
                    if let Some(map) = item.as_object_mut() {
                        for key in ["user_metadata", "hls", "embedding", "transcription"] {
                            map.remove(key);
                        }
                    }
                    item.to_string()
                })
                .collect();
            page_response(&items, page, limit)
        }
        Err(response) => response,
    }
}

async fn list_videos(
    State(store): State<Shared<Store>>,
    Path(index_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    if first(&params, "status").is_some() {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_unknown",
            "The status parameter is not supported by this endpoint.",
        );
    }
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = lock(&store);
    if !store.indexes.contains(&index_id) {
        return not_found("index", &index_id);
    }
    match filtered(&store, &index_id, &params) {
        Ok(rows) => {
            let items: Vec<String> = rows
                .iter()
                .map(|row| {
                    let v = row.value();
                    json!({
                        "_id": v["_id"],
                        "asset_id": v["asset_id"],
                        "created_at": v["created_at"],
                        "updated_at": v["updated_at"],
                        "indexed_at": v["indexed_at"],
                        "system_metadata": v["system_metadata"],
                    })
                    .to_string()
                })
                .collect();
            page_response(&items, page, limit)
        }
        Err(response) => response,
    }
}

/// The detailed form, with `embedding` and `transcription` when the query asks for them.
fn detailed(row: &Row, params: &[(String, String)]) -> Result<Value, Response> {
    let options = all(params, "embedding_option");
    if options.iter().any(|o| !EMBEDDING_OPTIONS.contains(o)) {
        return Err(parameter_invalid(
            "The embedding_option parameter must be visual, audio or transcription.",
        ));
    }
    let transcription = match first(params, "transcription") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(parameter_invalid(
                "The transcription parameter must be true or false.",
            ));
        }
    };
    let mut value = public(row.value());
    if !options.is_empty() {
        let segments: Vec<Value> = options
            .iter()
            .map(|option| {
                json!({
                    "float": [0.011, -0.052, 0.093],
                    "start_offset_sec": 0.0,
                    "end_offset_sec": 6.0,
                    "embedding_option": option,
                    "embedding_scope": "clip",
                })
            })
            .collect();
        value["embedding"] = json!({
            "model_name": "marengo3.0",
            "video_embedding": {"segments": segments},
        });
    }
    if transcription {
        value["transcription"] = json!([
            {"start": 0.0, "end": 0.9, "value": "Hello world."},
            {"start": 1.2, "end": 2.0, "value": "Welcome back."}
        ]);
    }
    Ok(value)
}

async fn retrieve(
    State(store): State<Shared<Store>>,
    Path((index_id, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let mut store = lock(&store);
    let Some(row) = store
        .indexed_assets
        .get_mut(&id)
        .filter(|row| row.value()["_index_id"] == index_id.as_str())
    else {
        return not_found("indexed asset", &id);
    };
    advance(row);
    match detailed(row, &params) {
        Ok(value) => ok(&value),
        Err(response) => response,
    }
}

async fn retrieve_video(
    State(store): State<Shared<Store>>,
    Path((index_id, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let store = lock(&store);
    let Some(row) = store
        .indexed_assets
        .get(&id)
        .filter(|row| row.value()["_index_id"] == index_id.as_str())
    else {
        return not_found("video", &id);
    };
    match detailed(row, &params) {
        Ok(mut value) => {
            if let Some(map) = value.as_object_mut() {
                map.remove("status");
                if let Some(Value::Object(meta)) = map.get_mut("system_metadata") {
                    meta.remove("size");
                }
            }
            ok(&value)
        }
        Err(response) => response,
    }
}

async fn update(
    State(store): State<Shared<Store>>,
    Path((index_id, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let patch = match body.get("user_metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return parameter_invalid("The user_metadata parameter must be an object."),
    };
    let mut store = lock(&store);
    let Some(row) = store
        .indexed_assets
        .get_mut(&id)
        .filter(|row| row.value()["_index_id"] == index_id.as_str())
    else {
        return not_found("indexed asset", &id);
    };
    row.edit(|v| {
        merge_metadata(v, &patch);
        v["updated_at"] = json!(now());
    });
    no_content()
}

async fn delete(
    State(store): State<Shared<Store>>,
    Path((index_id, id)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    let belongs = store
        .indexed_assets
        .get(&id)
        .is_some_and(|row| row.value()["_index_id"] == index_id.as_str());
    if !belongs {
        return not_found("indexed asset", &id);
    }
    store.indexed_assets.remove(&id);
    no_content()
}

async fn list_by_asset(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = lock(&store);
    if !store.assets.contains(&asset_id) {
        return not_found("asset", &asset_id);
    }
    let mut rows: Vec<&Row> = store
        .indexed_assets
        .rows()
        .map(|(_, row)| row)
        .filter(|row| row.value()["asset_id"] == asset_id.as_str())
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.seq));
    let items: Vec<String> = rows
        .iter()
        .map(|row| {
            let index_id = row.value()["_index_id"].as_str().unwrap_or_default();
            let name = store
                .indexes
                .get(index_id)
                .map_or(Value::Null, |index| index.value()["index_name"].clone());
            json!({"_id": row.value()["_id"], "index": {"_id": index_id, "name": name}}).to_string()
        })
        .collect();
    page_response(&items, page, limit)
}
