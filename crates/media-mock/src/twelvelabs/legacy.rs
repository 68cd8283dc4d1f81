//! Legacy endpoints (twelvelabs.md R1–R6): `/gist`, `/summarize`, `/generate` and the S3
//! transfers under `/tasks/transfers/import/{integration_id}`, answered in their documented
//! shapes. A `video_id` starting with `missing` is not found.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::StatusCode;
use serde_json::{Map, Value, json};

use super::{
    Store, created, error, json_object, not_found, now, ok, parameter_invalid, required_str,
};
use crate::record::{decode_form, first};
use crate::server::{Shared, lock};

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/gist", post(gist))
        .route("/summarize", post(summarize))
        .route("/generate", post(generate))
        .route(
            "/tasks/transfers/import/{integration_id}",
            post(transfer_import),
        )
        .route(
            "/tasks/transfers/import/{integration_id}/status",
            get(transfer_status),
        )
        .route(
            "/tasks/transfers/import/{integration_id}/logs",
            get(transfer_logs),
        )
}

fn video(body: &Map<String, Value>) -> Result<String, Response> {
    let id = required_str(body, "video_id")?;
    if id.starts_with("missing") {
        return Err(not_found("video", id));
    }
    Ok(id.to_owned())
}

fn usage() -> Value {
    json!({"output_tokens": 24})
}

async fn gist(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let video_id = match video(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let types: Vec<&str> = body
        .get("types")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if types.is_empty()
        || types
            .iter()
            .any(|t| !["title", "topic", "hashtag"].contains(t))
    {
        return parameter_invalid("The types parameter must list title, topic or hashtag.");
    }
    let mut answer = json!({"id": lock(&store).new_id(), "usage": usage()});
    if types.contains(&"title") {
        answer["title"] = json!(format!("A day in video {video_id}"));
    }
    if types.contains(&"topic") {
        answer["topics"] = json!(["Travel", "Food"]);
    }
    if types.contains(&"hashtag") {
        answer["hashtags"] = json!(["travel", "food", "vlog"]);
    }
    ok(&answer)
}

async fn summarize(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let video_id = match video(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let kind = body
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if body.contains_key("response_format") && kind != "summary" {
        return parameter_invalid(
            "The response_format parameter is only supported with type summary.",
        );
    }
    let id = lock(&store).new_id();
    match kind.as_str() {
        "summary" => ok(
            &json!({"summarize_type": "summary", "id": id, "summary": format!("Video {video_id} shows a trip."), "usage": usage()}),
        ),
        "chapter" => ok(
            &json!({"summarize_type": "chapter", "id": id, "usage": usage(), "chapters": [
                {"chapter_number": 0, "start": 0, "end": 30, "start_sec": 0.0, "end_sec": 30.0, "chapter_title": "Arrival", "chapter_summary": "They arrive."},
                {"chapter_number": 1, "start": 30, "end": 75, "start_sec": 30.0, "end_sec": 75.5, "chapter_title": "Lunch", "chapter_summary": "They eat."},
            ]}),
        ),
        "highlight" => ok(
            &json!({"summarize_type": "highlight", "id": id, "usage": usage(), "highlights": [
                {"start": 12, "end": 20, "start_sec": 12.0, "end_sec": 20.0, "highlight": "The view", "highlight_summary": "A mountain view."},
            ]}),
        ),
        _ => parameter_invalid("The type parameter must be summary, chapter or highlight."),
    }
}

async fn generate(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let video_id = match video(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let prompt = match required_str(&body, "prompt") {
        Ok(p) => p.to_owned(),
        Err(r) => return r,
    };
    let id = lock(&store).new_id();
    ok(
        &json!({"id": id, "data": format!("In video {video_id}: {prompt}"), "finish_reason": "stop", "usage": usage()}),
    )
}

async fn transfer_import(Path(integration_id): Path<String>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = required_str(&body, "index_id") {
        return r;
    }
    if integration_id.starts_with("missing") {
        return not_found("integration", &integration_id);
    }
    created(&json!({"_id": format!("imp_{integration_id}"), "created_at": now()}))
}

async fn transfer_status(
    Path(integration_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let Some(index_id) = first(&params, "index_id").filter(|i| !i.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The index_id parameter is required.",
        );
    };
    ok(&json!({
        "integration_id": integration_id, "index_id": index_id,
        "ready": [{"video_id": "66a1b2c30000000000000001", "filename": "a.mp4", "created_at": "2025-05-01T10:00:00Z"}],
        "validating": [], "pending": [], "queued": [], "indexing": [], "failed": [],
    }))
}

async fn transfer_logs(Path(integration_id): Path<String>) -> Response {
    ok(
        &json!([{"index_id": "66a1b2c30000000000000002", "integration_id": integration_id, "index_name": "s3-import",
                "created_at": "2025-05-01T09:59:00Z", "ended_at": "2025-05-01T10:05:00Z",
                "video_status": {"ready": 1, "validating": 0, "queued": 0, "indexing": 0, "failed": 0}, "failed_files": []}]),
    )
}
