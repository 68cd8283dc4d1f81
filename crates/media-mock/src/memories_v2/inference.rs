//! Synchronous inference routes (transcriptions, embeddings, chat, social data), screenplay jobs
//! (polled) and the `/queries/stream` search agent (Server-Sent Events).
// Handlers answer a `Response` either way; helpers hand back the error answer as is.
#![allow(clippy::result_large_err)]

use std::fmt::Write as _;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::wire::{self, bad_request};
use super::{ScreenplayJob, Store};
use crate::json;
use crate::server::{Shared, lock};

const LIMIT: &str = "Request has exceeded the limit.";

fn asset_body(store: &Shared<Store>, body: &[u8]) -> Result<Value, Response> {
    let Some(body) = wire::json_body(body) else {
        return Err(bad_request("asset_id cannot be null or empty"));
    };
    let Some(asset_id) = wire::text(&body, "asset_id") else {
        return Err(bad_request("asset_id cannot be null or empty"));
    };
    if !lock(store).exists(asset_id) {
        // The docs answer unknown assets, wrong models and throttling alike.
        return Err(bad_request(LIMIT));
    }
    Ok(body)
}

/// `POST /transcriptions/sync-generate-audio` `{asset_id, model?, speaker?}`.
pub(crate) async fn sync_audio(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match asset_body(&store, &body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("whisper-1");
    if model != "whisper-1" {
        return bad_request(LIMIT);
    }
    let speaker = body.get("speaker").and_then(Value::as_bool) == Some(true);
    let mut items = vec![
        json!({"text": "Welcome back to the lab.", "start_time": 0.0, "end_time": 2.4}),
        json!({"text": "Today we test the new rig.", "start_time": 2.4, "end_time": 5.1}),
    ];
    if speaker {
        items[0]["speaker"] = "SPEAKER_00".into();
        items[1]["speaker"] = "SPEAKER_01".into();
    }
    wire::ok(&json!({"model": model, "items": items}))
}

/// `POST /transcriptions/sync-generate-speaker` `{asset_id}`.
pub(crate) async fn sync_speaker(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    if let Err(response) = asset_body(&store, &body) {
        return response;
    }
    json::response(
        StatusCode::OK,
        r#"{"code":200,"msg":"success","data":{"model":"pyannote","items":[{"start":0.05,"end":6.8,"speaker":"SPEAKER_01"},{"start":6.8,"end":9.0,"speaker":"SPEAKER_00"}]},"failed":false,"success":true}"#,
    )
}

/// `POST /transcriptions/speech-to-text` `{provider, asset_id|url|source_url, …}`.
pub(crate) async fn speech_to_text(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("Request body must be JSON");
    };
    let provider = body.get("provider").and_then(Value::as_str);
    let sources: Vec<&str> = ["asset_id", "url", "source_url"]
        .into_iter()
        .filter(|key| wire::text(&body, key).is_some())
        .collect();
    if sources.is_empty() {
        return bad_request("one of asset_id, url, source_url is required");
    }
    if wire::text(&body, "asset_id").is_some_and(|id| !lock(&store).exists(id)) {
        return bad_request("Asset not found");
    }
    match provider {
        Some("assemblyai") => wire::ok(&json!({
            "id": "5551722-f677-48a6-9287-39c0aafd9ac1", "status": "completed", "language_code": "en_us",
            "audio_url": "https://storage.example.com/signed/audio.mp3", "audio_duration": 5,
            "text": "Welcome back to the lab.",
            "words": [{"text": "Welcome", "start": 240, "end": 640, "confidence": 0.98, "speaker": "A"}],
            "utterances": [{"speaker": "A", "text": "Welcome back to the lab.", "start": 240, "end": 2400}]
        })),
        Some("elevenlabs") => wire::ok(&json!({
            "language_code": "en", "language_probability": 0.99, "text": "Welcome back to the lab.",
            "words": [{"text": "Welcome", "start": 0.24, "end": 0.64, "type": "word", "speaker_id": "speaker_0"}]
        })),
        _ => bad_request("provider must be elevenlabs or assemblyai"),
    }
}

/// `POST /asset/{asset_id}/transcription` `{model, speaker_diarization}` (first-party code).
pub(crate) async fn asset_transcription(
    State(store): State<Shared<Store>>,
    asset_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(asset_id)) = asset_id else {
        return bad_request("Asset not found");
    };
    if !lock(&store).exists(&asset_id) {
        return bad_request("Asset not found");
    }
    wire::ok(
        &json!({"asset_id": asset_id, "text": "Welcome back to the lab.",
        "segments": [{"text": "Welcome back to the lab.", "start_time": 0.0, "end_time": 2.4}]}),
    )
}

fn vector(seed: usize, len: usize) -> Vec<f64> {
    (0..len)
        .map(|i| {
            let x = ((seed * 31 + i * 17) % 200) as f64;
            (x - 100.0) / 1000.0
        })
        .collect()
}

/// `POST /embeddings/video` `{asset_id, model}`.
pub(crate) async fn embed_video(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match asset_body(&store, &body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if body.get("model").and_then(Value::as_str) != Some("multimodalembedding@001") {
        return bad_request(LIMIT);
    }
    wire::ok(&json!({"embedding": vector(1, 8)}))
}

/// `POST /embeddings/image`: JSON `{asset_id, model}` or multipart `file` + `model`.
pub(crate) async fn embed_image(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let model = if let Some(parts) = wire::multipart(content_type, &body) {
        if !parts.iter().any(|p| p.name == "file" && !p.data.is_empty()) {
            return bad_request("file cannot be null or empty");
        }
        parts
            .iter()
            .find(|p| p.name == "model")
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
    } else {
        match asset_body(&store, &body) {
            Ok(body) => body.get("model").and_then(Value::as_str).map(str::to_owned),
            Err(response) => return response,
        }
    };
    if !matches!(
        model.as_deref(),
        Some("multimodalembedding@001" | "mobileclip")
    ) {
        return bad_request(LIMIT);
    }
    wire::ok(&json!({"embedding": vector(2, 8)}))
}

/// `POST /embeddings/text` `{input: [..], model, dimensionality?}`: `data` is an array.
pub(crate) async fn embed_text(body: Bytes) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("input cannot be null or empty");
    };
    let inputs: Vec<&str> = body
        .get("input")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if inputs.is_empty() {
        return bad_request("input cannot be null or empty");
    }
    if body.get("model").and_then(Value::as_str) != Some("gemini-embedding-001") {
        return bad_request(LIMIT);
    }
    let len = body
        .get("dimensionality")
        .and_then(Value::as_u64)
        .map_or(8, |n| usize::try_from(n).unwrap_or(8).min(3072));
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, _)| json!({"embedding": vector(10 + i, len)}))
        .collect();
    wire::ok(&Value::Array(data))
}

fn chat(body: &[u8], image: bool) -> Response {
    let Some(body) = wire::json_body(body) else {
        return bad_request("Request body must be JSON");
    };
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some((prefix, bare)) = model.split_once(':') else {
        return bad_request(&format!("Unsupported model: {model}"));
    };
    if prefix == "gpt" && !image {
        return bad_request(&format!("Unsupported model: {model}"));
    }
    let messages = body.get("messages").and_then(Value::as_array);
    let user_string = messages.is_some_and(|m| {
        m.iter().any(|m| {
            m.get("role").and_then(Value::as_str) == Some("user") && m["content"].is_string()
        })
    });
    if messages.is_none_or(Vec::is_empty) || user_string {
        return json::response(
            StatusCode::OK,
            format!(
                r#"{{"id":"resp_0c4f7a52-0000-4222-8333-944455556666","object":"completion","model":{},"status":"errored","error":{{"code":"invalid_request","message":"Model input cannot be empty"}},"choices":[]}}"#,
                json::quote(model)
            ),
        );
    }
    let answer = if image {
        "A street sign reading MAIN ST."
    } else {
        "A cat knocks a glass off a table."
    };
    let value = match prefix {
        "nova" => {
            json!({"id": "chatcmpl_5f1e2d3c4b5a69788796a5b4c3d2e1f0", "object": "chat.completion", "created": 1_767_001_234,
            "model": bare, "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 4210, "output_token": 11, "total_tokens": 4221}})
        }
        "qwen" => {
            json!({"id": "0c4f7a52-2222-4222-8333-944455556666", "object": "completion", "model": bare,
            "created_at": 1_767_001_234, "status": "completed", "choices": [{"text": answer, "index": 0}],
            "usage": {"input_tokens": 3100, "output_tokens": 12, "total_tokens": 3112}, "meta": {"provider": "qwen", "provider_model": bare}})
        }
        _ => {
            json!({"id": "resp_0c4f7a52-1111-4222-8333-944455556666", "object": "completion", "model": model,
            "created_at": 1_767_001_234, "status": "completed", "choices": [{"text": answer, "index": 0}],
            "usage": {"input_tokens": 5120, "output_tokens": 12, "total_tokens": 5132}, "meta": {"provider": prefix, "provider_model": bare}})
        }
    };
    json::response(StatusCode::OK, value.to_string())
}

/// `POST /vu/chat/completions` (no envelope).
pub(crate) async fn chat_video(body: Bytes) -> Response {
    chat(&body, false)
}

/// `POST /iu/chat/completions` (no envelope).
pub(crate) async fn chat_image(body: Bytes) -> Response {
    chat(&body, true)
}

/// The request of a social endpoint, or its error answer. URLs containing `busy` or
/// `ratelimit` answer the legacy business codes `"0409"` / `"0429"` under HTTP 200, as the
/// first-party test fixtures model them.
fn social_request(platform: &str, body: &[u8]) -> Result<String, Response> {
    let Some(body) = wire::json_body(body) else {
        return Err(bad_request("video_url cannot be null or empty"));
    };
    let Some(url) = wire::text(&body, "video_url") else {
        return Err(bad_request("video_url cannot be null or empty"));
    };
    if url.contains("busy") {
        return Err(json::response(
            StatusCode::OK,
            r#"{"code":"0409","msg":"Service is busy, try later","data":null,"success":false,"failed":true}"#,
        ));
    }
    if url.contains("ratelimit") {
        return Err(json::response(
            StatusCode::OK,
            r#"{"code":"0429","msg":"Rate limit exceeded","data":null,"success":false,"failed":true}"#,
        ));
    }
    let host_ok = match platform {
        "youtube" => url.contains("youtube.com") || url.contains("youtu.be"),
        "tiktok" => url.contains("tiktok.com"),
        "instagram" => url.contains("instagram.com"),
        _ => url.contains("x.com") || url.contains("twitter.com"),
    };
    if !host_ok {
        return Err(json::response(
            StatusCode::OK,
            format!(
                r#"{{"code":"0001","msg":"video_url is not a {platform} URL","data":null,"success":false,"failed":true}}"#
            ),
        ));
    }
    Ok(url.to_owned())
}

fn legacy_ok(data: &Value) -> Response {
    json::response(
        StatusCode::OK,
        format!(r#"{{"code":"0000","msg":"success","data":{data},"success":true,"failed":false}}"#),
    )
}

/// `POST /{platform}/video/metadata` `{video_url, channel?}` (old `"0000"` envelope).
pub(crate) fn social_metadata(
    platform: &'static str,
    _store: &Shared<Store>,
    body: &[u8],
) -> Response {
    let url = match social_request(platform, body) {
        Ok(url) => url,
        Err(response) => return response,
    };
    let data = match platform {
        "twitter" => {
            json!([{"type": "tweet", "id": "1900000000000000000", "url": url, "text": "launch day", "likeCount": 321, "viewCount": 45000, "createdAt": "Mon Jan 05 10:00:00 +0000 2026"}])
        }
        "tiktok" => {
            json!([{"id": "7400000000000000001", "text": "cold brew", "createTime": 1_767_000_000, "webVideoUrl": url, "videoMeta": {"height": 1024, "width": 576, "duration": 38}}])
        }
        "instagram" => {
            json!({"data": {"xdt_shortcode_media": {"shortcode": "C0ffee", "video_view_count": 1200}}})
        }
        _ => {
            json!({"title": "Lab tour", "channel": "Memories Lab", "viewCount": "1200", "lengthSeconds": "95", "url": url})
        }
    };
    legacy_ok(&data)
}

/// `POST /{platform}/video/transcript` `{video_url, channel?}`.
pub(crate) fn social_transcript(
    platform: &'static str,
    _store: &Shared<Store>,
    body: &[u8],
) -> Response {
    if let Err(response) = social_request(platform, body) {
        return response;
    }
    let data = match platform {
        "youtube" => {
            json!([{"data": [{"start": "0.00", "dur": "3.20", "text": "hello and welcome"}, {"start": "1.48", "dur": "4.84", "text": "to the lab"}]}])
        }
        "tiktok" => json!([{"transcript": "WEBVTT\n\n00:00.000 --> 00:02.000\nhello"}]),
        "twitter" => {
            json!([{"tweetId": "1900000000000000000", "transcript_text": "hello", "json_text": [], "webvtt_text": "WEBVTT\n\n00:00.000 --> 00:02.000\nhello"}])
        }
        _ => {
            json!([{"transcript": "hello", "segments": [{"text": "hello", "start": 0.0, "end": 1.2}], "words": [{"word": "hello", "start": 0.0, "end": 1.2}]}])
        }
    };
    legacy_ok(&data)
}

/// `POST /screenplay/tasks` `{mode, episodes, config}`.
pub(crate) async fn screenplay_submit(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("Request body must be JSON");
    };
    let mode = body.get("mode").and_then(Value::as_str).unwrap_or_default();
    if mode != "short_drama" {
        return bad_request(&format!("Unsupported mode: {mode}"));
    }
    let Some(episodes) = body
        .get("episodes")
        .and_then(Value::as_object)
        .filter(|e| !e.is_empty())
    else {
        return bad_request("episodes cannot be null or empty");
    };
    let Some(config) = body.get("config").and_then(Value::as_object) else {
        return bad_request("config cannot be null");
    };
    let flag =
        |key: &str, default: bool| config.get(key).and_then(Value::as_bool).unwrap_or(default);
    if !(flag("require_json", true)
        || flag("require_xlsx", false)
        || flag("require_merge_xlsx", false))
    {
        return bad_request(
            "At least one of require_json, require_xlsx, require_merge_xlsx must be true",
        );
    }
    let mut guard = lock(&store);
    let invalid: Vec<&str> = episodes
        .values()
        .filter_map(Value::as_str)
        .filter(|id| !guard.exists(id))
        .collect();
    if !invalid.is_empty() || episodes.values().any(|v| !v.is_string()) {
        return bad_request(&format!("Invalid episode assets: {}", invalid.join(", ")));
    }
    let n = guard.next();
    let task_id = format!("ros-sd-20260105-{:08x}", 0x1a2b_3c00 + n);
    let count = episodes.len();
    guard.screenplays.insert(
        task_id.clone(),
        ScreenplayJob {
            status: "pending",
            episodes: count,
            polls: 0,
        },
    );
    wire::ok(
        &json!({"task_id": task_id, "status": "pending", "mode": mode,
        "created_at": "2026-01-05T08:30:00Z", "total_duration_seconds": 90.5 * count as f64}),
    )
}

/// `GET /screenplay/tasks/{task_id}`: pending → running (with progress) → completed.
pub(crate) async fn screenplay_status(
    State(store): State<Shared<Store>>,
    task_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(task_id)) = task_id else {
        return bad_request("Task not found");
    };
    let mut guard = lock(&store);
    let per_state = guard.screenplay_polls.max(1);
    let Some(job) = guard.screenplays.get_mut(&task_id) else {
        return bad_request(&format!("Task not found for id: {task_id}"));
    };
    if matches!(job.status, "pending" | "running") {
        job.polls += 1;
        job.status = if job.polls <= per_state {
            "pending"
        } else if job.polls <= 2 * per_state {
            "running"
        } else {
            "completed"
        };
    }
    let mut data = json!({"task_id": task_id, "status": job.status});
    if job.status == "running" {
        data["progress"] =
            json!({"total_episodes": job.episodes, "completed_episodes": job.episodes / 2});
    }
    wire::ok(&data)
}

/// `DELETE /screenplay/tasks/{task_id}`: only pending or running jobs.
pub(crate) async fn screenplay_cancel(
    State(store): State<Shared<Store>>,
    task_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(task_id)) = task_id else {
        return bad_request("Task not found");
    };
    let mut guard = lock(&store);
    let Some(job) = guard.screenplays.get_mut(&task_id) else {
        return bad_request(&format!("Task not found for id: {task_id}"));
    };
    if !matches!(job.status, "pending" | "running") {
        return bad_request(&format!(
            "Task cannot be cancelled, current status: {}",
            job.status
        ));
    }
    job.status = "cancelled";
    wire::ok(&json!({"task_id": task_id, "status": "cancelled"}))
}

/// `GET /screenplay/tasks/{task_id}/download`: a zip of the JSON outputs once completed.
pub(crate) async fn screenplay_download(
    State(store): State<Shared<Store>>,
    task_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(task_id)) = task_id else {
        return bad_request("Task not found");
    };
    let guard = lock(&store);
    let Some(job) = guard.screenplays.get(&task_id) else {
        return bad_request(&format!("Task not found for id: {task_id}"));
    };
    if job.status != "completed" {
        return bad_request(&format!(
            "Task is not completed yet, current status: {}",
            job.status
        ));
    }
    let mut entries = Vec::new();
    for episode in 1..=job.episodes {
        entries.push((
            format!("{episode}_transcript.json"),
            json!({"episode": episode, "lines": [{"speaker": "Ada", "text": "We meet again."}]})
                .to_string()
                .into_bytes(),
        ));
        entries.push((
            format!("{episode}_storyboard.json"),
            json!({"episode": episode, "shots": [{"start": 0.0, "end": 4.2, "description": "Rainy street"}]}).to_string().into_bytes(),
        ));
    }
    entries.push(("namelist.json".into(), br#"["Ada","Ben"]"#.to_vec()));
    wire::file(
        "application/zip",
        &format!("{task_id}.zip"),
        wire::zip(&entries),
    )
}

/// `POST /queries/stream`: Server-Sent Events ending with `complete` (or `clarification` when
/// asked for and the query ends with `?`).
pub(crate) async fn search(body: Bytes) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("query cannot be null or empty");
    };
    let Some(query) = wire::text(&body, "query") else {
        return bad_request("query cannot be null or empty");
    };
    if body
        .get("max_results")
        .and_then(Value::as_u64)
        .is_some_and(|n| n > 50)
    {
        return bad_request("max_results must be at most 50");
    }
    let max_steps = body.get("max_steps").and_then(Value::as_u64).unwrap_or(10);
    let mut events = vec![
        (
            "started",
            json!({"session_id": "3f1d0000-0000-4000-8000-000000000001"}),
        ),
        (
            "progress",
            json!({"step": 1, "max_steps": max_steps, "message": "Searching TikTok"}),
        ),
        (
            "tool_call",
            json!({"tool": "tiktok_search", "arguments": {"query": query}}),
        ),
        (
            "tool_result",
            json!({"success": true, "summary": "Found 12 videos"}),
        ),
    ];
    if body.get("enable_clarification").and_then(Value::as_bool) == Some(true)
        && query.ends_with('?')
    {
        events.push((
            "clarification",
            json!({"question": "Which platform do you mean?"}),
        ));
    } else {
        events.push(("complete", json!({
            "session_id": "3f1d0000-0000-4000-8000-000000000001", "query": query, "answer": "Three strong picks.",
            "video_references": [{"video_id": "7400000000000000001", "platform": "tiktok",
                "url": "https://www.tiktok.com/@barista/video/7400000000000000001", "title": "Cold brew in 30s",
                "creator": "barista", "views": 120_000, "likes": 8100, "comments": 240, "engagement_rate": 6.95,
                "duration": "0:38", "published_at": "2026-01-02T09:00:00Z"}],
            "creator_analyses": null, "comparisons": null, "platforms_searched": ["tiktok"],
            "total_videos_analyzed": 12, "total_creators_analyzed": 5, "confidence_score": 0.8,
            "data_freshness": "past_week", "steps_taken": 3, "tools_used": ["tiktok_search"],
            "tool_execution_details": [{"tool": "tiktok_search", "input": {"query": query}, "result": "12 videos", "success": true}],
            "execution_time_seconds": 41.2,
            "usage_metrics": {"token_usage": {"input_tokens": 9000, "output_tokens": 700, "total_tokens": 9700}, "gemini_calls": 4, "tool_invocations": {"tiktok_search": 1}},
            "parsed_query": {"topic": query}
        })));
    }
    let mut text = String::new();
    for (event, data) in events {
        let _ = write!(text, "event: {event}\ndata: {data}\n\n");
    }
    let mut response = Response::new(Body::from(text));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    response
}
