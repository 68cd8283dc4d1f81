//! Async jobs: each answers a 32-hex task id at once and delivers its result as an E4 webhook
//! (`{code, message, task_id, data}`) to the configured URL; `GET /task/{task_id}` reports it
//! too (pending → processing → completed). Live streams deliver per-segment webhooks.
// Handlers answer a `Response` either way; helpers hand back the error answer as is.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::wire::{self, bad_request};
use super::{Blob, Store, Task};
use crate::server::{Shared, lock};

const LIMIT: &str = "Request has exceeded the limit.";

/// Sends one job's webhook (the E4 envelope around `data`).
fn deliver(store: &Shared<Store>, url: String, task_id: &str, data: &Value) {
    let body = json!({"code": 200, "message": "SUCCESS", "task_id": task_id, "data": data});
    post_later(store, url, &body);
}

/// POSTs `body` to `url` after the configured webhook delay and records the delivery: the
/// v2 job webhooks and the adjacent hosts' callbacks alike.
pub(super) fn post_later(store: &Shared<Store>, url: String, body: &Value) {
    let body = body.to_string();
    let delay = lock(store).webhook_delay;
    let store = std::sync::Arc::clone(store);
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let outcome = wire::post_json(&url, &body).await;
        if let Err(error) = &outcome {
            tracing::warn!(%url, %error, "media-mock: memories.ai webhook not delivered");
        }
        lock(&store).deliveries.push((url, body, outcome));
    });
}

/// Accepts a job: registers it and schedules its webhook. `build` makes the result (and any
/// assets it creates) under the lock.
fn accept(
    store: &Shared<Store>,
    kind: &'static str,
    build: impl FnOnce(&mut Store) -> Value,
) -> Response {
    let (url, task_id, result) = {
        let mut guard = lock(store);
        let Some(url) = guard.webhook_url.clone() else {
            return wire::no_webhook();
        };
        let task_id = guard.next_task_id();
        let result = build(&mut guard);
        guard.tasks.insert(
            task_id.clone(),
            Task {
                kind,
                result: result.clone(),
                polls: 0,
            },
        );
        (url, task_id, result)
    };
    deliver(store, url, &task_id, &result);
    wire::ok(&json!({ "task_id": task_id }))
}

/// Reads `{"asset_id"}` of a video job, checking the asset exists.
fn asset_of(
    store: &Shared<Store>,
    body: &[u8],
    unknown: &str,
) -> Result<(String, Value), Response> {
    let Some(body) = wire::json_body(body) else {
        return Err(bad_request("asset_id cannot be null or empty"));
    };
    let Some(asset_id) = wire::text(&body, "asset_id").map(str::to_owned) else {
        return Err(bad_request("asset_id cannot be null or empty"));
    };
    if !lock(store).exists(&asset_id) {
        return Err(bad_request(unknown));
    }
    Ok((asset_id, body))
}

/// `POST /video/extract-frames`: a new `im_` group of three frames.
pub(crate) async fn extract_frames(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    if let Err(response) = asset_of(&store, &body, "Asset not found") {
        return response;
    }
    accept(&store, "extract-frames", |store| {
        let group = format!("im_{}", store.next_digits());
        let frames = store.create_frames(&group, 3);
        json!({ "asset_id": group, "asset_ch_ids": frames })
    })
}

/// `POST /video/clip`: two scenes as frame ranges (double-nested `data.data.data`).
pub(crate) async fn clip(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    if let Err(response) = asset_of(&store, &body, "Asset not found") {
        return response;
    }
    accept(
        &store,
        "clip",
        |_| json!({"data": {"data": [{"start": 0, "end": 143}, {"start": 144, "end": 391}], "exec_time": 4.2}, "msg": "ok", "success": true}),
    )
}

fn new_resource(store: &mut Store, name: &str) -> Value {
    let id = format!("re_{}", store.next_digits());
    let bytes = format!("media-mock bytes of {name}\n").into_bytes();
    let mut value = store.create_asset(
        &id,
        name,
        "SUCCESS",
        Blob {
            content_type: "video/mp4".into(),
            bytes,
        },
    );
    // Split and edit callbacks carry `file_size` as an integer, unlike metadata.
    let size = value["file_size"]
        .as_str()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_default();
    value["file_size"] = size.into();
    value
}

/// `POST /video/split` `{asset_id, segment_seconds?}`: two segment assets.
pub(crate) async fn split(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let (asset_id, body) = match asset_of(&store, &body, "Asset not found") {
        Ok(found) => found,
        Err(response) => return response,
    };
    if body
        .get("segment_seconds")
        .is_some_and(|s| s.as_u64().is_none_or(|n| n == 0))
    {
        return bad_request("segment_seconds must be a positive integer");
    }
    let digits: String = asset_id.chars().filter(char::is_ascii_digit).collect();
    accept(&store, "split", |store| {
        let splits: Vec<Value> = (0..2)
            .map(|n| new_resource(store, &format!("segment_video_{digits}_{n}")))
            .collect();
        json!({ "splits": splits })
    })
}

/// `POST /video/edit` `{asset_ids, orientation, user_prompt}`: one new asset.
pub(crate) async fn edit(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("asset_ids cannot be null or empty");
    };
    let ids: Vec<&str> = body
        .get("asset_ids")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return bad_request("asset_ids cannot be null or empty");
    }
    if !matches!(
        body.get("orientation").and_then(Value::as_str),
        Some("landscape" | "portrait")
    ) {
        return bad_request("orientation must be landscape or portrait");
    }
    match wire::text(&body, "user_prompt") {
        Some(prompt) if prompt.chars().count() <= 500 => {}
        _ => return bad_request("user_prompt cannot be empty or longer than 500 characters"),
    }
    if ids.iter().any(|id| !lock(&store).exists(id)) {
        return bad_request("Asset not found");
    }
    accept(&store, "edit", |store| new_resource(store, "final_video"))
}

fn transcription(
    store: &Shared<Store>,
    body: &[u8],
    kind: &'static str,
    result: impl FnOnce(&Value) -> Value,
) -> Response {
    let body = match asset_of(store, body, LIMIT) {
        Ok((_, body)) => body,
        Err(response) => return response,
    };
    let result = result(&body);
    accept(store, kind, |_| result)
}

/// `POST /transcriptions/async-generate-audio`.
pub(crate) async fn async_audio(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    transcription(&store, &body, "async-generate-audio", |body| {
        let speaker = body.get("speaker").and_then(Value::as_bool) == Some(true);
        let mut segment =
            json!({"text": "Welcome back to the lab.", "start_time": 0.0, "end_time": 2.4});
        if speaker {
            segment["speaker"] = "SPEAKER_00".into();
        }
        json!({"data": {"data": [segment], "usage_metadata": {"duration": 42.0, "model": "whisper-1"}}})
    })
}

/// `POST /transcriptions/async-generate-speaker`.
pub(crate) async fn async_speaker(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    transcription(
        &store,
        &body,
        "async-generate-speaker",
        |_| json!({"data": {"data": [{"start": 0.05, "end": 6.8, "speaker": "SPEAKER_01"}], "usage_metadata": {"duration": 42.0, "model": "pyannote"}}}),
    )
}

/// `POST /transcriptions/async-generate-multi-speaker`.
pub(crate) async fn async_multi_speaker(
    State(store): State<Shared<Store>>,
    body: Bytes,
) -> Response {
    transcription(
        &store,
        &body,
        "async-generate-multi-speaker",
        |_| json!({"data": {"speakers": [{"name": "Ada", "segments": [{"start": 0.0, "end": 3.1}]}], "usage_metadata": {"duration": 42.0}}}),
    )
}

/// `POST /transcriptions/async-generate-video` `{asset_id, model}` (bare model id).
pub(crate) async fn async_video(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let model_ok = wire::json_body(&body)
        .and_then(|b| wire::text(&b, "model").map(|m| m.starts_with("gemini-")))
        .unwrap_or(false);
    if !model_ok {
        return bad_request(LIMIT);
    }
    transcription(&store, &body, "async-generate-video", |body| {
        let model = wire::text(body, "model").unwrap_or_default().to_owned();
        json!({"data": {"data": [{"start_time": 0.0, "end_time": 7.5, "text": "A chef slices onions on a wooden board."}], "usage_metadata": {"duration": 42.0, "model": model}}})
    })
}

/// `POST /transcriptions/async-summary`.
pub(crate) async fn async_summary(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    transcription(
        &store,
        &body,
        "async-summary",
        |_| json!({"data": {"summary": "A cooking lesson in three steps.", "usage_metadata": {"duration": 42.0}}}),
    )
}

/// `POST /{platform}/video/mai/transcript` `{video_url, webhook_url?}`.
pub(crate) fn mai_transcript(
    platform: &'static str,
    store: &Shared<Store>,
    body: &[u8],
) -> Response {
    let Some(body) = wire::json_body(body) else {
        return bad_request("video_url cannot be null or empty");
    };
    let Some(video_url) = wire::text(&body, "video_url") else {
        return bad_request("video_url cannot be null or empty");
    };
    if !video_url.starts_with("http") {
        return bad_request(&format!("video_url is not a {platform} URL"));
    }
    let result = json!({
        "videoTranscript": {"data": {"data": [{"start_time": 0.0, "end_time": 6.0, "transcript": "A runner ties her shoes at dawn."}], "error_rate": 0.0,
                                      "usage_metadata": {"duration": 12.3, "model": "gemini-2.5-flash", "output_tokens": 80, "prompt_tokens": 9000}}},
        "audioTranscript": {"data": {"data": [{"start_time": 0.4, "end_time": 2.1, "text": "Let's go."}]}}
    });
    if let Some(url) = wire::text(&body, "webhook_url").map(str::to_owned) {
        let task_id = {
            let mut guard = lock(store);
            let task_id = guard.next_task_id();
            guard.tasks.insert(
                task_id.clone(),
                Task {
                    kind: "mai-transcript",
                    result: result.clone(),
                    polls: 0,
                },
            );
            task_id
        };
        deliver(store, url, &task_id, &result);
        return wire::ok(&json!({ "task_id": task_id }));
    }
    accept(store, "mai-transcript", |_| result)
}

/// `GET /task/{task_id}`: pending, then processing, then completed with the result (the MAI
/// transcript's tracks at the top level, other results under `result`).
pub(crate) async fn task_status(
    State(store): State<Shared<Store>>,
    task_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(task_id)) = task_id else {
        return bad_request("Task not found");
    };
    let mut store = lock(&store);
    let Some(task) = store.tasks.get_mut(&task_id) else {
        return bad_request(&format!("Task not found for id: {task_id}"));
    };
    task.polls += 1;
    let mut data = json!({"task_id": task_id, "kind": task.kind});
    match task.polls {
        1 => data["status"] = "pending".into(),
        2 => data["status"] = "processing".into(),
        _ => {
            data["status"] = "completed".into();
            if let Some(fields) = task
                .result
                .as_object()
                .filter(|_| task.kind == "mai-transcript")
            {
                for (key, value) in fields {
                    data[key] = value.clone();
                }
            } else {
                data["result"] = task.result.clone();
            }
        }
    }
    data["error"] = Value::Null;
    wire::ok(&data)
}

/// `POST /audio-stream/start` `{audio_url, provider, …}`.
pub(crate) async fn audio_stream_start(
    State(store): State<Shared<Store>>,
    body: Bytes,
) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("audio_url cannot be null or empty");
    };
    if wire::text(&body, "audio_url").is_none() {
        return bad_request("audio_url cannot be null or empty");
    }
    if !matches!(
        body.get("provider").and_then(Value::as_str),
        Some("elevenlabs" | "assemblyai")
    ) {
        return bad_request("provider must be elevenlabs or assemblyai");
    }
    start_stream(
        &store,
        "audio",
        "Audio stream transcription started",
        &json!({
            "segment_index": 0, "segment_start_time": "0", "segment_end_time": "5", "status": 0,
            "message": "ok", "transcript": {"message_type": "committed_transcript", "text": "hello"}
        }),
    )
}

/// `POST /stream/start` `{url, enable_content_moderation?, enable_logo_detection?, fps?, max_logos?}`.
pub(crate) async fn video_stream_start(
    State(store): State<Shared<Store>>,
    body: Bytes,
) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("url cannot be null or empty");
    };
    if wire::text(&body, "url").is_none() {
        return bad_request("url cannot be null or empty");
    }
    if body
        .get("max_logos")
        .and_then(Value::as_u64)
        .is_some_and(|n| !(1..=50).contains(&n))
    {
        return bad_request("max_logos must be between 1 and 50");
    }
    start_stream(
        &store,
        "video",
        "Video stream started",
        &json!({
            "status": 0, "message": "ok",
            "data": {"segment_index": 0, "start_time": "0", "end_time": "5",
                     "video_url": "https://storage.example.com/seg0.mp4", "content_moderation": {"has_unsafe_content": false}}
        }),
    )
}

fn start_stream(
    store: &Shared<Store>,
    kind: &'static str,
    message: &str,
    segment: &Value,
) -> Response {
    let (task_id, url) = {
        let mut guard = lock(store);
        let task_id = guard.next_uuid();
        guard.streams.insert(task_id.clone(), kind);
        (task_id, guard.webhook_url.clone())
    };
    if let Some(url) = url {
        deliver(store, url, &task_id, segment);
    }
    wire::ok_e3(&json!({ "task_id": task_id, "message": message }))
}

/// `POST /audio-stream/stop` and `POST /stream/stop` `{task_id}`.
pub(crate) async fn stream_stop(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let task_id = wire::json_body(&body).and_then(|b| wire::text(&b, "task_id").map(str::to_owned));
    let Some(task_id) = task_id else {
        return bad_request("task_id cannot be null or empty");
    };
    let (kind, url) = {
        let mut guard = lock(&store);
        let Some(kind) = guard.streams.remove(&task_id) else {
            return crate::json::response(
                http::StatusCode::BAD_REQUEST,
                format!(r#"{{"code":400,"message":"Task not found: {task_id}","data":null}}"#),
            );
        };
        (kind, guard.webhook_url.clone())
    };
    let (message, last) = if kind == "audio" {
        (
            "Audio stream stopped successfully",
            json!({"segment_index": 1, "segment_start_time": "5", "segment_end_time": "7", "status": 14, "message": "Stream stopped by user", "transcript": null}),
        )
    } else {
        (
            "Stream stopped successfully",
            json!({"status": 14, "message": "Stream stopped by user", "data": null, "token": null}),
        )
    };
    if let Some(url) = url {
        deliver(&store, url, &task_id, &last);
    }
    wire::ok_e3(&json!({ "task_id": task_id, "message": message }))
}
