//! Analyze and segment videos: `/analyze`, `/analyze/tasks`, `/analyze/batches`
//! (twelvelabs.md §3.11).
//!
//! - `POST /analyze` answers a deterministic text; with `stream: true` the same text arrives as
//!   NDJSON events (`stream_start`, `text_generation` in 7-character fragments, `stream_end`).
//! - A task goes `pending` → `processing` → `ready` over its retrieves (`failed` when the video
//!   URL contains `fail`). `POST /analyze/tasks` deduplicates on `Idempotency-Key`.
//! - A batch goes `pending` → `processing` → `completed` over its retrieves; items whose asset id
//!   contains `fail` end `failed` with `video_duration_too_long`.

use std::collections::HashMap;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Map, Value, json};

use super::{
    Row, Store, Table, created, error, json_object, no_content, not_found, now, ok, page_response,
    paging, parameter_invalid,
};
use crate::json::StoredJson;
use crate::record::{all, decode_form, first};
use crate::server::{Shared, lock};

/// Tasks, batches, and the idempotency keys already seen.
#[derive(Debug, Default)]
pub(crate) struct AnalyzeState {
    tasks: Table,
    batches: Table,
    idempotency: HashMap<String, String>,
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/analyze", post(analyze))
        .route("/analyze/tasks", get(list_tasks).post(create_task))
        .route(
            "/analyze/tasks/{task_id}",
            get(retrieve_task).delete(delete_task),
        )
        .route("/analyze/tasks/{task_id}/cancel", post(cancel_task))
        .route("/analyze/batches", get(list_batches).post(create_batch))
        .route(
            "/analyze/batches/{batch_id}",
            get(retrieve_batch).delete(delete_batch),
        )
        .route("/analyze/batches/{batch_id}/results", get(batch_results))
        .route("/analyze/batches/{batch_id}/cancel", post(cancel_batch))
}

const ACTIVE_BATCH_LIMIT: usize = 5;

fn conflict(message: &str) -> Response {
    error(StatusCode::CONFLICT, "resource_conflict", message)
}

fn ndjson(lines: &[Value]) -> Response {
    let mut body = String::new();
    for line in lines {
        body.push_str(&line.to_string());
        body.push('\n');
    }
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    response
}

/// The text the "model" answers for a source and prompt.
fn answer_text(source: &str, prompt: &str) -> String {
    format!("The video {source} shows what you asked about: {prompt}.")
}

/// A description of the video (or images) of a request, or the 400/404.
fn video_source(store: &Store, body: &Map<String, Value>) -> Result<String, Response> {
    let video = body.get("video");
    let images = body.get("image").and_then(Value::as_array);
    match (video, images) {
        (Some(_), Some(_)) => Err(parameter_invalid(
            "Provide either video or image, not both.",
        )),
        (None, None) => Err(error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The video parameter is required.",
        )),
        (None, Some(images)) => {
            if body.get("model_name").and_then(Value::as_str) != Some("pegasus1.6") {
                return Err(parameter_invalid(
                    "Image analysis is supported only by pegasus1.6.",
                ));
            }
            if images.is_empty() || images.len() > 20 {
                return Err(parameter_invalid(
                    "The image parameter must hold 1 to 20 images.",
                ));
            }
            Ok(format!("{} images", images.len()))
        }
        (Some(video), None) => {
            let kind = video["type"].as_str().unwrap_or("");
            let Some(value) = video
                .get(kind)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
            else {
                return Err(parameter_invalid("The video parameter is invalid."));
            };
            if kind == "asset_id" && !store.assets.contains(value) {
                return Err(not_found("asset", value));
            }
            if !["url", "asset_id", "base64_string"].contains(&kind) {
                return Err(parameter_invalid(
                    "The video.type parameter must be url, asset_id or base64_string.",
                ));
            }
            Ok(value.to_owned())
        }
    }
}

fn prompt_text(body: &Map<String, Value>) -> Result<Option<String>, Response> {
    match (body.get("prompt"), body.get("prompt_v2")) {
        (Some(_), Some(_)) => Err(parameter_invalid(
            "Provide either prompt or prompt_v2, not both.",
        )),
        (Some(Value::String(p)), None) if !p.trim().is_empty() => Ok(Some(p.clone())),
        (Some(_), None) => Err(parameter_invalid("The prompt parameter is invalid.")),
        (None, Some(v2)) => match v2["input_text"].as_str() {
            Some(text) if !text.trim().is_empty() => Ok(Some(text.to_owned())),
            _ => Err(parameter_invalid(
                "The prompt_v2.input_text parameter is required.",
            )),
        },
        (None, None) => Ok(None),
    }
}

async fn analyze(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let source = match video_source(&lock(&store), &body) {
        Ok(s) => s,
        Err(response) => return response,
    };
    let prompt = match prompt_text(&body) {
        Ok(Some(p)) => p,
        Ok(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "parameter_not_provided",
                "The prompt parameter is required.",
            );
        }
        Err(response) => return response,
    };
    if let Some(format) = body.get("response_format")
        && format["type"] != "json_schema"
    {
        return parameter_invalid("The response_format.type parameter must be json_schema.");
    }
    let mut text = if body.contains_key("response_format") {
        json!({"answer": answer_text(&source, &prompt)}).to_string()
    } else {
        answer_text(&source, &prompt)
    };
    let max_tokens = body.get("max_tokens").and_then(Value::as_u64);
    let words = text.split_whitespace().count();
    let truncated = max_tokens.is_some_and(|m| usize::try_from(m).is_ok_and(|m| m < words));
    if truncated {
        let keep = usize::try_from(max_tokens.unwrap_or(0)).unwrap_or(0);
        text = text
            .split_whitespace()
            .take(keep)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let generation_id = lock(&store).new_id();
    let usage = json!({"output_tokens": text.split_whitespace().count(), "input_tokens": prompt.split_whitespace().count() + 100});
    let finish = if truncated { "length" } else { "stop" };
    let warning = truncated
        .then(|| json!({"message": "The output was truncated because it reached max_tokens."}));
    if body.get("stream").and_then(Value::as_bool) == Some(true) {
        let mut lines = vec![
            json!({"event_type": "stream_start", "metadata": {"generation_id": generation_id}}),
        ];
        let chars: Vec<char> = text.chars().collect();
        for piece in chars.chunks(7) {
            lines.push(
                json!({"event_type": "text_generation", "text": piece.iter().collect::<String>()}),
            );
        }
        let mut end = json!({"event_type": "stream_end", "finish_reason": finish, "metadata": {"generation_id": generation_id, "usage": usage}});
        if let Some(warning) = warning {
            end["error"] = warning;
        }
        lines.push(end);
        return ndjson(&lines);
    }
    let mut answer =
        json!({"id": generation_id, "data": text, "finish_reason": finish, "usage": usage});
    if let Some(warning) = warning {
        answer["error"] = warning;
    }
    ok(&answer)
}

fn video_source_json(body: &Map<String, Value>) -> Value {
    let Some(video) = body.get("video") else {
        return Value::Null;
    };
    let kind = video["type"].clone();
    let mut source = json!({"type": kind, "system_metadata": {"duration": 120.0}});
    match video["type"].as_str() {
        Some("url") => source["url"] = video["url"].clone(),
        Some("asset_id") => source["asset_id"] = video["asset_id"].clone(),
        _ => {}
    }
    source
}

fn request_params(body: &Map<String, Value>) -> Value {
    let mut params = Map::new();
    params.insert(
        "analysis_mode".into(),
        body.get("analysis_mode")
            .cloned()
            .unwrap_or(json!("general")),
    );
    for key in [
        "prompt",
        "prompt_v2",
        "response_format",
        "temperature",
        "max_tokens",
        "min_segment_duration",
        "max_segment_duration",
        "start_time",
        "end_time",
    ] {
        if let Some(value) = body.get(key) {
            params.insert(key.into(), value.clone());
        }
    }
    if let Some(images) = body.get("image").and_then(Value::as_array) {
        let echoed: Vec<Value> = images
            .iter()
            .map(|i| {
                let mut e = json!({"name": i["name"], "media_type": "image"});
                for k in ["url", "asset_id"] {
                    if let Some(v) = i.get(k) {
                        e[k] = v.clone();
                    }
                }
                e
            })
            .collect();
        params.insert("image".into(), json!(echoed));
    }
    Value::Object(params)
}

fn task_result(source: &str, params: &Value, generation_id: &str) -> Value {
    let data = if params["analysis_mode"] == "time_based_metadata" {
        let mut segments = Map::new();
        for definition in params["response_format"]["segment_definitions"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = definition["id"].as_str().unwrap_or("segment").to_owned();
            segments.insert(
                id,
                json!([
                    {"start_time": 0.0, "end_time": 12.5, "metadata": {"description": definition["description"]}},
                    {"start_time": 12.5, "end_time": 30.0, "metadata": {"description": definition["description"]}},
                ]),
            );
        }
        Value::Object(segments).to_string()
    } else {
        let prompt = params["prompt"]
            .as_str()
            .or_else(|| params["prompt_v2"]["input_text"].as_str())
            .unwrap_or("");
        answer_text(source, prompt)
    };
    json!({
        "generation_id": generation_id, "data": data, "finish_reason": "stop",
        "usage": {"output_tokens": 42, "input_tokens": 1200},
    })
}

async fn create_task(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(task_id) = key.as_ref().and_then(|k| store.analyze.idempotency.get(k))
        && let Some(row) = store.analyze.tasks.get(task_id)
    {
        return ok(&json!({"task_id": task_id, "status": row.value()["status"]}));
    }
    let segmentation = match body.get("analysis_mode").and_then(Value::as_str) {
        None | Some("general") => false,
        Some("time_based_metadata") => true,
        Some(_) => {
            return parameter_invalid(
                "The analysis_mode parameter must be general or time_based_metadata.",
            );
        }
    };
    let source = match video_source(&store, &body) {
        Ok(s) => s,
        Err(response) => return response,
    };
    let prompt = match prompt_text(&body) {
        Ok(p) => p,
        Err(response) => return response,
    };
    if let Some(custom_id) = body.get("custom_id") {
        let valid = custom_id.as_str().is_some_and(|id| {
            (1..=64).contains(&id.len())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        if !valid {
            return parameter_invalid("The custom_id parameter is invalid.");
        }
    }
    if segmentation {
        if prompt.is_some() {
            return parameter_invalid(
                "The prompt parameter is not allowed with time_based_metadata.",
            );
        }
        if body.get("response_format").map(|f| &f["type"]) != Some(&json!("segment_definitions")) {
            return parameter_invalid(
                "time_based_metadata needs response_format.type segment_definitions.",
            );
        }
    } else if prompt.is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The prompt parameter is required.",
        );
    }
    let task_id = store.new_id();
    let seq = store.seq();
    let task = json!({
        "task_id": task_id, "custom_id": body.get("custom_id").cloned().unwrap_or(Value::Null),
        "video_source": video_source_json(&body), "request_params": request_params(&body),
        "status": "pending", "created_at": now(), "_source": source,
    });
    store
        .analyze
        .tasks
        .insert(task_id.clone(), seq, StoredJson::from_value(task));
    if let Some(key) = key {
        store.analyze.idempotency.insert(key, task_id.clone());
    }
    ok(&json!({"task_id": task_id, "status": "pending"}))
}

fn public(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.retain(|k, v| !(k.starts_with('_') || k == "video_source" && v.is_null()));
    }
    value
}

fn finish_task(task: &mut Value, failed_code: Option<&str>) {
    let source = task["_source"].as_str().unwrap_or_default().to_owned();
    task["completed_at"] = json!(now());
    if let Some(code) = failed_code {
        task["status"] = json!("failed");
        task["error"] = json!({"code": code, "message": "The video could not be analyzed."});
    } else {
        task["status"] = json!("ready");
        let generation_id = format!("gen_{}", task["task_id"].as_str().unwrap_or_default());
        task["result"] = task_result(&source, &task["request_params"], &generation_id);
    }
}

fn advance_task(row: &mut Row) {
    if row.value()["_batch"].is_string() {
        return; // batch items move with their batch
    }
    row.polls += 1;
    let status = row.value()["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let fail = row.value()["_source"]
        .as_str()
        .is_some_and(|s| s.contains("fail"));
    row.edit(|task| match status.as_str() {
        "pending" | "queued" => task["status"] = json!("processing"),
        "processing" => finish_task(task, fail.then_some("analysis_failed")),
        _ => {}
    });
}

async fn retrieve_task(
    State(store): State<Shared<Store>>,
    Path(task_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.analyze.tasks.get_mut(&task_id) else {
        return not_found("analysis task", &task_id);
    };
    advance_task(row);
    ok(&public(row.value()))
}

fn truncate(text: &str) -> String {
    text.chars().take(30).collect()
}

/// The list form of a task: prompts cut to 30 characters, no JSON schema, one definition.
fn list_form(task: &Value) -> Value {
    let mut task = public(task);
    let params = &mut task["request_params"];
    if let Some(prompt) = params["prompt"].as_str() {
        params["prompt"] = json!(truncate(prompt));
    }
    if let Some(text) = params["prompt_v2"]["input_text"].as_str() {
        params["prompt_v2"]["input_text"] = json!(truncate(text));
    }
    if let Some(format) = params
        .get_mut("response_format")
        .and_then(Value::as_object_mut)
    {
        format.remove("json_schema");
        if let Some(Value::Array(definitions)) = format.get_mut("segment_definitions") {
            definitions.truncate(1);
        }
    }
    task
}

async fn list_tasks(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let status = first(&params, "status");
    if status.is_some_and(|s| {
        ![
            "queued",
            "pending",
            "processing",
            "ready",
            "failed",
            "canceled",
        ]
        .contains(&s)
    }) {
        return parameter_invalid("The status parameter is invalid.");
    }
    let mode = first(&params, "analysis_mode");
    if mode.is_some_and(|m| m != "general" && m != "time_based_metadata") {
        return parameter_invalid("The analysis_mode parameter is invalid.");
    }
    let video_url = first(&params, "video_url");
    let asset_id = first(&params, "asset_id");
    let store = lock(&store);
    let items: Vec<String> = store
        .analyze
        .tasks
        .newest_first()
        .into_iter()
        .map(Row::value)
        .filter(|t| status.is_none_or(|s| t["status"] == s))
        .filter(|t| mode.is_none_or(|m| t["request_params"]["analysis_mode"] == m))
        .filter(|t| video_url.is_none_or(|u| t["video_source"]["url"] == u))
        .filter(|t| asset_id.is_none_or(|a| t["video_source"]["asset_id"] == a))
        .map(|t| list_form(t).to_string())
        .collect();
    page_response(&items, page, limit)
}

async fn delete_task(State(store): State<Shared<Store>>, Path(task_id): Path<String>) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.analyze.tasks.get(&task_id) else {
        return not_found("analysis task", &task_id);
    };
    if ["queued", "pending", "processing"]
        .contains(&row.value()["status"].as_str().unwrap_or_default())
    {
        return conflict("The analysis task is being processed and cannot be deleted.");
    }
    store.analyze.tasks.remove(&task_id);
    no_content()
}

async fn cancel_task(State(store): State<Shared<Store>>, Path(task_id): Path<String>) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.analyze.tasks.get_mut(&task_id) else {
        return not_found("analysis task", &task_id);
    };
    if row.value()["_batch"].is_string() {
        return parameter_invalid("Tasks of a batch are canceled through the batch.");
    }
    if !["queued", "pending", "processing"]
        .contains(&row.value()["status"].as_str().unwrap_or_default())
    {
        return conflict("Only queued, pending or processing tasks can be canceled.");
    }
    row.edit(|task| {
        task["status"] = json!("canceled");
        task["completed_at"] = json!(now());
        task["error"] =
            json!({"code": "user_canceled", "message": "The task was canceled by the user."});
    });
    ok(&json!({"task_id": task_id, "status": "canceled"}))
}

// ------------------------------------------------------------------------------------------
// Batches
// ------------------------------------------------------------------------------------------

fn batch_item_problem(store: &Store, item: &Value, ids: &mut Vec<String>) -> Option<Response> {
    if item["video"]["type"] != "asset_id" || !item["video"]["asset_id"].is_string() {
        return Some(parameter_invalid(
            "Batch requests take videos of type asset_id.",
        ));
    }
    let asset_id = item["video"]["asset_id"].as_str().unwrap_or_default();
    if !store.assets.contains(asset_id) && !asset_id.contains("fail") {
        return Some(not_found("asset", asset_id));
    }
    if let Some(custom_id) = item["custom_id"].as_str() {
        if ids.iter().any(|i| i == custom_id) {
            return Some(parameter_invalid(
                "The custom_id values must be unique within a batch.",
            ));
        }
        ids.push(custom_id.to_owned());
    }
    None
}

async fn create_batch(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if body.get("model_name").and_then(Value::as_str) != Some("pegasus1.5") {
        return parameter_invalid("Batches support only the pegasus1.5 model.");
    }
    let mode = body
        .get("analysis_mode")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if mode != "general" && mode != "time_based_metadata" {
        return parameter_invalid(
            "The analysis_mode parameter must be general or time_based_metadata.",
        );
    }
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !(1..=1000).contains(&requests.len()) {
        return parameter_invalid("The requests parameter must hold 1 to 1000 requests.");
    }
    let mut store = lock(&store);
    let active = store
        .analyze
        .batches
        .rows()
        .filter(|(_, r)| {
            ["pending", "processing", "canceling"]
                .contains(&r.value()["status"].as_str().unwrap_or_default())
        })
        .count();
    if active >= ACTIVE_BATCH_LIMIT {
        return conflict("You already have 5 active batches.");
    }
    let mut ids = Vec::new();
    for item in &requests {
        if let Some(response) = batch_item_problem(&store, item, &mut ids) {
            return response;
        }
    }
    let defaults = body.get("defaults").cloned().unwrap_or(json!({}));
    let batch_id = store.new_id();
    let created_at = now();
    let mut items = Vec::new();
    for item in &requests {
        let mut merged = defaults.as_object().cloned().unwrap_or_default();
        for (k, v) in item.as_object().into_iter().flatten() {
            merged.insert(k.clone(), v.clone());
        }
        merged.insert("analysis_mode".into(), json!(mode));
        if let Some(prompt) = merged.get("prompt").cloned() {
            merged.remove("prompt");
            merged.insert("prompt_v2".into(), prompt);
        }
        let task_id = store.new_id();
        let seq = store.seq();
        let asset_id = item["video"]["asset_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let task = json!({
            "task_id": task_id, "custom_id": item.get("custom_id").cloned().unwrap_or(Value::Null),
            "batch_id": batch_id, "video_source": {"type": "asset_id", "asset_id": asset_id, "system_metadata": {"duration": 120.0}},
            "request_params": request_params(&merged), "status": "queued", "created_at": created_at,
            "_source": asset_id, "_batch": batch_id,
        });
        store
            .analyze
            .tasks
            .insert(task_id.clone(), seq, StoredJson::from_value(task));
        items.push(json!({"task_id": task_id, "custom_id": item.get("custom_id").cloned().unwrap_or(Value::Null)}));
    }
    let seq = store.seq();
    let batch = json!({
        "batch_id": batch_id, "analysis_mode": mode, "model_name": "pegasus1.5", "status": "pending",
        "total_items": items.len(), "created_at": created_at, "expires_at": "2099-01-01T00:00:00Z",
    });
    store
        .analyze
        .batches
        .insert(batch_id.clone(), seq, StoredJson::from_value(batch));
    created(&json!({
        "batch_id": batch_id, "status": "pending", "total_items": items.len(),
        "created_at": created_at, "expires_at": "2099-01-01T00:00:00Z", "items": items,
    }))
}

/// The batch with live item counts.
fn batch_view(tasks: &Table, batch: &Value) -> Value {
    let mut view = batch.clone();
    let id = batch["batch_id"].as_str().unwrap_or_default();
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for (_, row) in tasks.rows() {
        if row.value()["_batch"] == id {
            *counts
                .entry(row.value()["status"].as_str().unwrap_or("queued"))
                .or_default() += 1;
        }
    }
    for (status, key) in [
        ("queued", "queued_items"),
        ("processing", "processing_items"),
        ("ready", "ready_items"),
        ("failed", "failed_items"),
        ("canceled", "canceled_items"),
    ] {
        view[key] = json!(counts.get(status).copied().unwrap_or(0));
    }
    view
}

fn set_batch_items(tasks: &mut Table, batch_id: &str, update: impl Fn(&mut Value)) {
    for (_, row) in tasks.rows_mut() {
        if row.value()["_batch"] == batch_id {
            row.edit(&update);
        }
    }
}

async fn retrieve_batch(
    State(store): State<Shared<Store>>,
    Path(batch_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let state = &mut store.analyze;
    let Some(row) = state.batches.get_mut(&batch_id) else {
        return not_found("batch", &batch_id);
    };
    row.polls += 1;
    let status = row.value()["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    match status.as_str() {
        "pending" => {
            row.edit(|b| b["status"] = json!("processing"));
            set_batch_items(&mut state.tasks, &batch_id, |t| {
                t["status"] = json!("processing");
            });
        }
        "processing" => {
            row.edit(|b| {
                b["status"] = json!("completed");
                b["completed_at"] = json!(now());
            });
            set_batch_items(&mut state.tasks, &batch_id, |t| {
                let fail = t["_source"].as_str().is_some_and(|s| s.contains("fail"));
                finish_task(t, fail.then_some("video_duration_too_long"));
            });
        }
        "canceling" => {
            row.edit(|b| {
                b["status"] = json!("canceled");
                b["canceled_at"] = json!(now());
            });
            // Items already running finish; the queued ones were canceled.
            set_batch_items(&mut state.tasks, &batch_id, |t| {
                if t["status"] == "processing" {
                    finish_task(t, None);
                }
            });
        }
        _ => {}
    }
    let batch = row.value().clone();
    ok(&batch_view(&state.tasks, &batch))
}

async fn list_batches(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let statuses = all(&params, "status");
    let known = [
        "pending",
        "processing",
        "canceling",
        "canceled",
        "completed",
        "expired",
    ];
    if statuses.iter().any(|s| !known.contains(s)) {
        return parameter_invalid("The status parameter is invalid.");
    }
    let modes = all(&params, "analysis_mode");
    let store = lock(&store);
    let items: Vec<String> = store
        .analyze
        .batches
        .newest_first()
        .into_iter()
        .map(Row::value)
        .filter(|b| statuses.is_empty() || statuses.iter().any(|s| b["status"] == *s))
        .filter(|b| modes.is_empty() || modes.iter().any(|m| b["analysis_mode"] == *m))
        .map(|b| batch_view(&store.analyze.tasks, b).to_string())
        .collect();
    page_response(&items, page, limit)
}

async fn batch_results(
    State(store): State<Shared<Store>>,
    Path(batch_id): Path<String>,
) -> Response {
    let store = lock(&store);
    if !store.analyze.batches.contains(&batch_id) {
        return not_found("batch", &batch_id);
    }
    let mut rows: Vec<&Row> = store
        .analyze
        .tasks
        .rows()
        .map(|(_, r)| r)
        .filter(|r| r.value()["_batch"] == batch_id.as_str())
        .collect();
    rows.sort_by_key(|r| r.seq);
    let lines: Vec<Value> = rows
        .iter()
        .map(|r| {
            let t = r.value();
            let mut line = json!({"task_id": t["task_id"], "custom_id": t["custom_id"], "status": t["status"]});
            if t["status"] == "ready" {
                line["data"] = t["result"].clone();
            }
            if t["status"] == "failed" {
                line["error"] = t["error"].clone();
            }
            line
        })
        .collect();
    ndjson(&lines)
}

async fn cancel_batch(
    State(store): State<Shared<Store>>,
    Path(batch_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let state = &mut store.analyze;
    let Some(row) = state.batches.get_mut(&batch_id) else {
        return not_found("batch", &batch_id);
    };
    if !["pending", "processing"].contains(&row.value()["status"].as_str().unwrap_or_default()) {
        return conflict("Only pending or processing batches can be canceled.");
    }
    row.edit(|b| b["status"] = json!("canceling"));
    let batch = row.value().clone();
    set_batch_items(&mut state.tasks, &batch_id, |t| {
        if t["status"] == "queued" {
            t["status"] = json!("canceled");
            t["error"] = json!({"code": "batch_canceled", "message": "The batch was canceled."});
        }
    });
    ok(&batch_view(&state.tasks, &batch))
}

async fn delete_batch(
    State(store): State<Shared<Store>>,
    Path(batch_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    let state = &mut store.analyze;
    let Some(row) = state.batches.get(&batch_id) else {
        return not_found("batch", &batch_id);
    };
    if !["completed", "canceled", "expired"]
        .contains(&row.value()["status"].as_str().unwrap_or_default())
    {
        return conflict("Only completed, canceled or expired batches can be deleted.");
    }
    state.batches.remove(&batch_id);
    let ids: Vec<String> = state
        .tasks
        .rows()
        .filter(|(_, r)| r.value()["_batch"] == batch_id.as_str())
        .map(|(id, _)| id.clone())
        .collect();
    for id in ids {
        state.tasks.remove(&id);
    }
    no_content()
}
