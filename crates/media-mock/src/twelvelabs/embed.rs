//! Create embeddings v2 (`/embed-v2`, `/embed-v2/tasks`) and v1 (`/embed`, `/embed/tasks`;
//! twelvelabs.md §3.9, §3.10).
//!
//! Vectors are deterministic functions of the input. A task is `processing` until its second
//! retrieve, then `ready` with embeddings; a task whose source URL contains `fail` ends `failed`.
//! A sync media source whose URL contains `too-large` is refused with the nested 413 envelope.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value, json};

use super::{
    Store, Table, created, error, form, json_object, not_found, now, ok, page_response, paging,
    parameter_invalid,
};
use crate::json::{self, StoredJson};
use crate::record::{decode_form, first};
use crate::server::{Shared, lock};

/// Retrieves a task needs before it is `ready`.
const POLLS_UNTIL_READY: u32 = 2;
/// Vector length when the request does not set one (the real default is 512; kept short).
const DEFAULT_DIMENSION: usize = 8;

/// Embedding tasks of both API versions.
#[derive(Debug, Default)]
pub(crate) struct EmbedState {
    v2_tasks: Table,
    v1_tasks: Table,
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/embed-v2", post(create_v2))
        .route("/embed-v2/tasks", get(list_v2_tasks).post(create_v2_task))
        .route("/embed-v2/tasks/{task_id}", get(retrieve_v2_task))
        .route("/embed", post(create_v1))
        .route("/embed/tasks", get(list_v1_tasks).post(create_v1_task))
        .route("/embed/tasks/{task_id}", get(retrieve_v1_task))
        .route("/embed/tasks/{task_id}/status", get(v1_task_status))
}

/// A deterministic vector of `dims` numbers in [-1, 1] derived from `seed`.
pub(super) fn vector(seed: &str, dims: usize) -> Vec<Value> {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.bytes() {
        state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..dims)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let unit = f64::from(u32::try_from(state >> 40).unwrap_or(0)) / f64::from(1_u32 << 24);
            json!(((unit * 2.0 - 1.0) * 10_000.0).round() / 10_000.0)
        })
        .collect()
}

fn nested_error(status: StatusCode, code: &str, message: &str, details: &Value) -> Response {
    json::response(
        status,
        json!({"error": {"code": code, "message": message, "details": details}}).to_string(),
    )
}

fn source_text(source: &Value) -> Option<String> {
    ["url", "base64_string", "asset_id"]
        .iter()
        .find_map(|k| source.get(*k).and_then(Value::as_str).map(str::to_owned))
}

/// The one source of `object.media_source`, or the 400.
fn media_source(object: &Value, field: &str) -> Result<String, Response> {
    let source = &object["media_source"];
    let set = ["url", "base64_string", "asset_id"]
        .iter()
        .filter(|k| {
            source
                .get(**k)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        })
        .count();
    if set == 1 {
        Ok(source_text(source).unwrap_or_default())
    } else {
        Err(parameter_invalid(&format!(
            "The {field}.media_source parameter must have exactly one of url, base64_string, asset_id."
        )))
    }
}

fn model(body: &Map<String, Value>) -> Result<&str, Response> {
    match body.get("model_name").and_then(Value::as_str) {
        Some(m @ ("marengo3.0" | "marengo3.5")) => Ok(m),
        Some(_) => Err(parameter_invalid("The model_name parameter is invalid.")),
        None => Err(error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The model_name parameter is required.",
        )),
    }
}

fn dimension(body: &Map<String, Value>, model: &str) -> Result<usize, Response> {
    match body.get("embedding_dimension") {
        None | Some(Value::Null) => Ok(DEFAULT_DIMENSION),
        Some(_) if model == "marengo3.0" => Err(parameter_invalid(
            "The embedding_dimension parameter is only supported by marengo3.5.",
        )),
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=4096).contains(n))
            .ok_or_else(|| parameter_invalid("The embedding_dimension parameter is invalid.")),
    }
}

fn segment(seed: &str, dims: usize, option: &str, scope: &str, span: Option<(f64, f64)>) -> Value {
    let mut entry = json!({
        "embedding": vector(&format!("{seed}/{option}/{scope}/{span:?}"), dims),
        "embedding_option": option,
        "embedding_scope": scope,
    });
    if let Some((start, end)) = span {
        entry["start_sec"] = json!(start);
        entry["end_sec"] = json!(end);
    }
    entry
}

/// Clip and asset embeddings for a media input of 12 s (two 6-second clips).
fn media_segments(seed: &str, dims: usize, input: &Value, default_options: &[&str]) -> Vec<Value> {
    let options: Vec<String> = input["embedding_option"].as_array().map_or_else(
        || default_options.iter().map(|s| (*s).to_owned()).collect(),
        |a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        },
    );
    let scopes: Vec<String> = input["embedding_scope"].as_array().map_or_else(
        || vec!["clip".to_owned(), "asset".to_owned()],
        |a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        },
    );
    let mut data = Vec::new();
    for option in &options {
        for scope in &scopes {
            if scope == "asset" {
                data.push(segment(seed, dims, option, "asset", Some((0.0, 12.0))));
            } else {
                for (start, end) in [(0.0, 6.0), (6.0, 12.0)] {
                    data.push(segment(seed, dims, option, "clip", Some((start, end))));
                }
            }
        }
    }
    data
}

async fn create_v2(body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let model = match model(&body) {
        Ok(m) => m,
        Err(response) => return response,
    };
    let dims = match dimension(&body, model) {
        Ok(d) => d,
        Err(response) => return response,
    };
    let input_type = body.get("input_type").and_then(Value::as_str).unwrap_or("");
    if model == "marengo3.5" && input_type != "multi_input" {
        return parameter_invalid("marengo3.5 supports only the multi_input input_type.");
    }
    let input = body.get(input_type).cloned().unwrap_or(Value::Null);
    if !input.is_object() {
        return parameter_invalid(&format!(
            "The input_type parameter is invalid or the {input_type} object is missing."
        ));
    }
    let (data, metadata) = match input_type {
        "text" => {
            let Some(text) = input["input_text"].as_str().filter(|t| !t.is_empty()) else {
                return parameter_invalid("The text.input_text parameter is required.");
            };
            (
                vec![
                    json!({"embedding": vector(text, dims), "embedding_option": null, "embedding_scope": null}),
                ],
                None,
            )
        }
        "image" | "text_image" => {
            let source = match media_source(&input, input_type) {
                Ok(s) => s,
                Err(response) => return response,
            };
            let seed = format!("{source}/{}", input["input_text"].as_str().unwrap_or(""));
            (
                vec![
                    json!({"embedding": vector(&seed, dims), "embedding_option": "visual", "embedding_scope": "asset"}),
                ],
                Some(
                    json!({"input_type": input_type, "input_url": input["media_source"]["url"], "input_filename": null}),
                ),
            )
        }
        "audio" | "video" => {
            let source = match media_source(&input, input_type) {
                Ok(s) => s,
                Err(response) => return response,
            };
            if source.contains("too-large") {
                return nested_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "content_too_large",
                    "The media exceeds the size allowed for synchronous embeddings.",
                    &json!({"max_size_mb": 36}),
                );
            }
            let defaults: &[&str] = if input_type == "audio" {
                &["audio", "transcription"]
            } else {
                &["visual", "audio", "transcription"]
            };
            let data = media_segments(&source, dims, &input, defaults);
            let mut metadata = json!({
                "input_type": input_type, "input_url": input["media_source"]["url"], "input_filename": null,
                "embedding_options": defaults, "embedding_scopes": ["clip", "asset"], "duration": 12.0,
                "start_offset_sec": input.get("start_sec").cloned().unwrap_or(json!(0.0)),
                "end_offset_sec": input.get("end_sec").cloned().unwrap_or(json!(12.0)),
            });
            if input_type == "video" {
                metadata["clip_length"] = json!(6);
            }
            (data, Some(metadata))
        }
        "multi_input" => {
            let sources = input["media_sources"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if sources.len() > 10 {
                return parameter_invalid(
                    "The multi_input.media_sources parameter allows at most 10 sources.",
                );
            }
            let text = input["input_text"].as_str().unwrap_or("");
            if text.is_empty() && sources.is_empty() {
                return parameter_invalid(
                    "The multi_input parameter needs input_text or media_sources.",
                );
            }
            let seed = format!("{text}/{}", Value::Array(sources.clone()));
            (
                vec![
                    json!({"embedding": vector(&seed, dims), "embedding_option": "fused", "embedding_scope": "asset"}),
                ],
                Some(json!({"input_type": "multi_input", "embedding_dimension": dims})),
            )
        }
        _ => return parameter_invalid("The input_type parameter is invalid."),
    };
    let mut answer = json!({"data": data});
    if let Some(metadata) = metadata {
        answer["metadata"] = metadata;
    }
    if model == "marengo3.5" {
        let tokens = input["input_text"]
            .as_str()
            .map_or(0, |t| t.split_whitespace().count());
        answer["usage"] = json!({"input_tokens": {"text": tokens, "image": 0}, "truncated": false});
    }
    ok(&answer)
}

async fn create_v2_task(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let model = match model(&body) {
        Ok(m) => m,
        Err(response) => return response,
    };
    let dims = match dimension(&body, model) {
        Ok(d) => d,
        Err(response) => return response,
    };
    let input_type = body.get("input_type").and_then(Value::as_str).unwrap_or("");
    if !["audio", "video", "document", "image"].contains(&input_type) {
        return parameter_invalid(
            "The input_type parameter must be audio, video, document or image.",
        );
    }
    if model == "marengo3.0" && ["document", "image"].contains(&input_type) {
        return parameter_invalid(&format!("The {input_type} input_type needs marengo3.5."));
    }
    let input = body.get(input_type).cloned().unwrap_or(Value::Null);
    let source = match media_source(&input, input_type) {
        Ok(s) => s,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let id = store.new_id();
    let seq = store.seq();
    let now = now();
    let task = json!({
        "_id": id, "model_name": model, "status": "processing", "created_at": now, "updated_at": now,
        "_input_type": input_type, "_source": source, "_input": input, "_dims": dims,
    });
    store
        .embed
        .v2_tasks
        .insert(id.clone(), seq, StoredJson::from_value(task));
    let mut answer = json!({"_id": id, "status": "processing", "data": null});
    if model == "marengo3.5" {
        answer["metadata"] = json!({"embedding_dimension": dims});
    }
    created(&answer)
}

/// Advances a polled task and returns its public JSON.
fn advance(row: &mut super::Row, v2: bool) {
    row.polls += 1;
    if row.value()["status"] != "processing" || row.polls < POLLS_UNTIL_READY {
        return;
    }
    let source = row.value()["_source"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let failed = source.contains("fail");
    let dims = row.value()["_dims"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_DIMENSION);
    row.edit(|task| {
        task["updated_at"] = json!(now());
        if failed {
            task["status"] = json!("failed");
            task["error"] = json!({"message": "The media could not be processed. Check the file and try again."});
            return;
        }
        task["status"] = json!("ready");
        if v2 {
            let input_type = task["_input_type"].as_str().unwrap_or("video").to_owned();
            let defaults: &[&str] = match input_type.as_str() {
                "audio" => &["audio", "transcription"],
                "video" => &["visual", "audio", "transcription"],
                _ => &["visual"],
            };
            task["data"] = json!(media_segments(&source, dims, &task["_input"], defaults));
            task["metadata"] = json!({
                "input_type": input_type, "input_url": task["_input"]["media_source"]["url"],
                "input_filename": null, "embedding_options": defaults, "embedding_scopes": ["clip", "asset"],
                "duration": 12.0, "start_offset_sec": 0.0, "end_offset_sec": 12.0, "embedding_dimension": dims,
            });
        }
    });
}

/// The stored task without its private `_`-prefixed keys (`_id` kept).
fn public(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.retain(|k, _| k == "_id" || !k.starts_with('_'));
    }
    value
}

async fn retrieve_v2_task(
    State(store): State<Shared<Store>>,
    Path(task_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.embed.v2_tasks.get_mut(&task_id) else {
        return not_found("embedding task", &task_id);
    };
    advance(row, true);
    ok(&public(row.value()))
}

fn list_tasks(table: &Table, query: Option<&str>, summary: fn(&Value) -> Value) -> Response {
    let params = decode_form(query.unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let status = first(&params, "status");
    if status.is_some_and(|s| !["processing", "ready", "failed"].contains(&s)) {
        return parameter_invalid("The status parameter must be processing, ready or failed.");
    }
    let started = first(&params, "started_at");
    let ended = first(&params, "ended_at");
    let items: Vec<String> = table
        .newest_first()
        .into_iter()
        .map(super::Row::value)
        .filter(|t| status.is_none_or(|s| t["status"] == s))
        .filter(|t| started.is_none_or(|s| t["created_at"].as_str().is_some_and(|at| at >= s)))
        .filter(|t| ended.is_none_or(|e| t["created_at"].as_str().is_some_and(|at| at <= e)))
        .map(|t| summary(t).to_string())
        .collect();
    page_response(&items, page, limit)
}

fn v2_summary(task: &Value) -> Value {
    let kind = task["_input_type"].as_str().unwrap_or("video");
    let mut summary = json!({
        "_id": task["_id"], "model_name": task["model_name"], "status": task["status"],
        "created_at": task["created_at"], "updated_at": task["updated_at"],
    });
    summary[format!("{kind}_embedding")] = json!({"metadata": {
        "input_url": task["_input"]["media_source"]["url"], "input_filename": null,
        format!("{kind}_embedding_option"): ["visual"], format!("{kind}_embedding_scope"): ["clip", "asset"],
        "duration": 12.0,
    }});
    summary
}

async fn list_v2_tasks(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let store = lock(&store);
    list_tasks(&store.embed.v2_tasks, query.as_deref(), v2_summary)
}

// ------------------------------------------------------------------------------------------
// v1 (deprecated): multipart create endpoints.
// ------------------------------------------------------------------------------------------

async fn create_v1(headers: HeaderMap, body: Bytes) -> Response {
    let form = match form::parse(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(model) = form.first("model_name").filter(|m| !m.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The model_name parameter is required.",
        );
    };
    let text = form.first("text");
    let image = form
        .first("image_url")
        .or_else(|| form.file("image_file").map(super::form::Field::text));
    let audio = form
        .first("audio_url")
        .or_else(|| form.file("audio_file").map(super::form::Field::text));
    if text.is_none() && image.is_none() && audio.is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "At least one of text, image_url, image_file, audio_url or audio_file is required.",
        );
    }
    let offset = match form
        .first("audio_start_offset_sec")
        .map(|v| v.parse::<f64>())
    {
        None => 0.0,
        Some(Ok(v)) if v >= 0.0 => v,
        Some(_) => return parameter_invalid("The audio_start_offset_sec parameter is invalid."),
    };
    let mut answer = json!({"model_name": model});
    if let Some(text) = text {
        answer["text_embedding"] =
            json!({"segments": [{"float": vector(&text, DEFAULT_DIMENSION)}]});
    }
    if let Some(image) = image {
        let filename = form.file("image_file").and_then(|f| f.file_name.clone());
        answer["image_embedding"] = json!({
            "segments": [{"float": vector(&image, DEFAULT_DIMENSION)}],
            "metadata": {"input_url": form.first("image_url"), "input_filename": filename},
        });
    }
    if let Some(audio) = audio {
        let filename = form.file("audio_file").and_then(|f| f.file_name.clone());
        answer["audio_embedding"] = json!({
            "segments": [{"float": vector(&audio, DEFAULT_DIMENSION), "start_offset_sec": offset, "end_offset_sec": offset + 10.0}],
            "metadata": {"input_url": form.first("audio_url"), "input_filename": filename},
        });
    }
    ok(&answer)
}

async fn create_v1_task(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match form::parse(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(model) = form.first("model_name").filter(|m| !m.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The model_name parameter is required.",
        );
    };
    let file = form.file("video_file");
    let source = form
        .first("video_url")
        .or_else(|| file.map(|f| f.file_name.clone().unwrap_or_default()));
    let Some(source) = source else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "Either video_file or video_url is required.",
        );
    };
    let number = |name: &str| form.first(name).map(|v| v.parse::<f64>());
    let start = number("video_start_offset_sec");
    let end = number("video_end_offset_sec");
    let clip = number("video_clip_length");
    let (start, end, clip) = match (start, end, clip) {
        (Some(Err(_)), ..) | (_, Some(Err(_)), _) | (.., Some(Err(_))) => {
            return parameter_invalid("The video offsets and clip length must be numbers.");
        }
        (s, e, c) => (
            s.and_then(Result::ok),
            e.and_then(Result::ok),
            c.and_then(Result::ok).unwrap_or(6.0),
        ),
    };
    if !(2.0..=10.0).contains(&clip) {
        return parameter_invalid("The video_clip_length parameter must be between 2 and 10.");
    }
    if start.is_some() != end.is_some()
        || matches!((start, end), (Some(s), Some(e)) if e <= s || s < 0.0)
    {
        return parameter_invalid(
            "The video_start_offset_sec and video_end_offset_sec parameters are invalid.",
        );
    }
    let scopes = {
        let scopes = form.all("video_embedding_scope");
        if scopes.iter().any(|s| s != "clip" && s != "video") {
            return parameter_invalid("The video_embedding_scope parameter must be clip or video.");
        }
        if scopes.is_empty() {
            vec!["clip".to_owned()]
        } else {
            scopes
        }
    };
    let mut store = lock(&store);
    let id = store.new_id();
    let seq = store.seq();
    let now = now();
    let metadata = json!({
        "input_url": form.first("video_url"), "input_filename": file.and_then(|f| f.file_name.clone()),
        "video_clip_length": clip, "video_embedding_scope": scopes,
        "video_embedding_option": ["visual", "audio"], "duration": end.unwrap_or(12.0) - start.unwrap_or(0.0),
    });
    let task = json!({
        "_id": id, "model_name": model, "status": "processing", "created_at": now, "updated_at": now,
        "video_embedding": {"metadata": metadata}, "_source": source, "_dims": DEFAULT_DIMENSION,
    });
    store
        .embed
        .v1_tasks
        .insert(id.clone(), seq, StoredJson::from_value(task));
    ok(&json!({"_id": id}))
}

async fn list_v1_tasks(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let store = lock(&store);
    list_tasks(&store.embed.v1_tasks, query.as_deref(), public)
}

async fn v1_task_status(
    State(store): State<Shared<Store>>,
    Path(task_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.embed.v1_tasks.get_mut(&task_id) else {
        return not_found("embedding task", &task_id);
    };
    advance(row, false);
    let task = row.value();
    ok(&json!({
        "_id": task["_id"], "status": task["status"], "model_name": task["model_name"],
        "video_embedding": {"metadata": task["video_embedding"]["metadata"]},
    }))
}

async fn retrieve_v1_task(
    State(store): State<Shared<Store>>,
    Path(task_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let options: Vec<&str> = crate::record::all(&params, "embedding_option");
    if options
        .iter()
        .any(|o| !["visual", "audio", "transcription", "visual-text"].contains(o))
    {
        return parameter_invalid("The embedding_option parameter is invalid.");
    }
    let store = lock(&store);
    let Some(row) = store.embed.v1_tasks.get(&task_id) else {
        return not_found("embedding task", &task_id);
    };
    let task = public(row.value());
    let mut answer = task.clone();
    if task["status"] == "ready" {
        let source = row.value()["_source"].as_str().unwrap_or_default();
        let wanted: Vec<&str> = if options.is_empty() {
            vec!["visual", "audio"]
        } else {
            options
        };
        let mut segments = Vec::new();
        for option in wanted {
            for (start, end) in [(0.0, 6.0), (6.0, 12.0)] {
                segments.push(json!({
                    "float": vector(&format!("{source}/{option}/{start}"), DEFAULT_DIMENSION),
                    "start_offset_sec": start, "end_offset_sec": end,
                    "embedding_option": option, "embedding_scope": "clip",
                }));
            }
        }
        answer["video_embedding"]["segments"] = json!(segments);
    }
    ok(&answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_deterministic_and_bounded() {
        let a = vector("x", 4);
        assert_eq!(a, vector("x", 4));
        assert_ne!(a, vector("y", 4));
        assert!(
            a.iter()
                .all(|v| v.as_f64().is_some_and(|f| (-1.0..=1.0).contains(&f)))
        );
    }
}
