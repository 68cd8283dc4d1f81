//! The two adjacent hosts of memories.ai v2 (memories-v2.md §3.I), each under its own prefix.
//!
//! `stream.memories.ai` (live video understanding, same key as v2) at [`STREAM_PREFIX`]:
//! `POST /understand/streamConnect` answers E8 `{"status":0,"task_id":…,"text":""}` and, when a
//! `callback` is given, POSTs one result `{"status":0,"task_id":…,"data":{"text":…}}` to it (the
//! callback shape is not in the catalog; this is the shape third-party code reads); at most four
//! tasks run per key. `POST /understand/stop/{task_id}` answers `{"status":14,"task_id":…}`.
//! Refusals (bad input, a fifth task, an unknown task) are HTTP 200 with `status` `-1` and the
//! reason in `msg` (the catalog shows the code, not the message member).
//!
//! `security.memories.ai` (caption and Human ReID, its own key
//! [`credentials::MEMORIES_CAPTION_API_KEY`]) at [`CAPTION_PREFIX`]: the async calls answer
//! `{"code":0,"msg":"success","data":{"task_id":…}}` and POST
//! `{"status":0,"task_id":…,"data":{"text":…,"token":{…}}}` to `callback`; the sync calls answer
//! `{"code":0,"msg":"success","data":{"text":…,"token":{…}}}` with the docs' example captions
//! (a batch of images answers `data` as an array, one caption per image: a guess, the docs show
//! no batch answer). Refusals are HTTP 200 `{"code":-1,"msg":…,"data":null}`.
//!
//! Both hosts answer a missing or wrong key with HTTP 401 `{"code":401,"msg":"Unauthorized"}`;
//! the caption host refuses the v2 key.
// Helpers hand back the refusal as the error.
#![allow(clippy::result_large_err)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use base64::Engine as _;
use http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::{Store, UNAUTHORIZED, wire};
use crate::credentials;
use crate::json;
use crate::server::{Shared, lock};

/// Where the `stream.memories.ai` API root sits on the mock.
pub(crate) const STREAM_PREFIX: &str = "/memories-stream/v1";
/// Where the `security.memories.ai` API root sits on the mock.
pub(crate) const CAPTION_PREFIX: &str = "/memories-caption/v1";
/// Concurrent live understanding tasks per key.
const MAX_STREAM_TASKS: usize = 4;
const MAX_PERSONS: usize = 5;

/// The docs' video caption callback example.
const VIDEO_CAPTION: &str =
    "A man enters the room and greets two colleagues. Alice is identified by the reference image.";
const VIDEO_TOKENS: [u64; 3] = [123, 456, 579];
/// The docs' image caption answer example.
const IMAGE_CAPTION: &str = "It shows a person lying on the ground. The person's clothing and posture are indistinct due to the poor image quality. It's impossible to determine if they are injured, unconscious, or simply resting.";
const IMAGE_TOKENS: [u64; 3] = [273, 79, 352];

/// A running live understanding task: the key that started it.
#[derive(Debug, Clone)]
pub(crate) struct UnderstandTask {
    pub(crate) key: String,
}

pub(crate) fn stream_router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/understand/streamConnect", post(stream_connect))
        .route("/understand/stop/{task_id}", post(stream_stop))
        .route_layer(middleware::from_fn(require_stream_key))
        .with_state(store)
}

pub(crate) fn caption_router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/understand/upload", post(upload))
        .route("/understand/uploadFile", post(upload_file))
        .route("/understand/uploadSync", post(upload_sync))
        .route("/understand/uploadFileSync", post(upload_file_sync))
        .route("/understand/uploadImg", post(upload_img))
        .route("/understand/uploadImgFile", post(upload_img_file))
        .route("/understand/uploadImgFileBase64", post(upload_img_base64))
        .route_layer(middleware::from_fn(require_caption_key))
        .with_state(store)
}

fn key_of(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

async fn require_stream_key(request: Request, next: Next) -> Response {
    if key_of(request.headers()) == Some(credentials::MEMORIES_API_KEY) {
        next.run(request).await
    } else {
        json::response(StatusCode::UNAUTHORIZED, UNAUTHORIZED)
    }
}

async fn require_caption_key(request: Request, next: Next) -> Response {
    if key_of(request.headers()) == Some(credentials::MEMORIES_CAPTION_API_KEY) {
        next.run(request).await
    } else {
        json::response(StatusCode::UNAUTHORIZED, UNAUTHORIZED)
    }
}

// ---- stream.memories.ai ----------------------------------------------------------------------

/// An E8 refusal: HTTP 200, `status` -1.
fn e8_refusal(task_id: Option<&str>, msg: &str) -> Response {
    json::response(
        StatusCode::OK,
        json!({"status": -1, "task_id": task_id, "text": "", "msg": msg}).to_string(),
    )
}

/// `POST /understand/streamConnect` `{url, user_prompt, system_prompt?, callback?, thinking?}`.
async fn stream_connect(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return e8_refusal(None, "invalid request: the body must be a JSON object");
    };
    let rtmp = wire::text(&body, "url").is_some_and(|url| {
        let lower = url.to_ascii_lowercase();
        ["rtmp://", "rtmps://"]
            .iter()
            .any(|scheme| lower.len() > scheme.len() && lower.starts_with(scheme))
    });
    if !rtmp {
        return e8_refusal(None, "invalid request: url must be an RTMP stream");
    }
    if wire::text(&body, "user_prompt").is_none() {
        return e8_refusal(None, "invalid request: user_prompt cannot be empty");
    }
    if body.get("thinking").is_some_and(|t| !t.is_boolean()) {
        return e8_refusal(None, "invalid request: thinking must be a boolean");
    }
    let key = key_of(&headers).unwrap_or_default().to_owned();
    let callback = wire::text(&body, "callback").map(str::to_owned);
    let task_id = {
        let mut guard = lock(&store);
        let running = guard
            .understand_tasks
            .values()
            .filter(|task| task.key == key)
            .count();
        if running >= MAX_STREAM_TASKS {
            return e8_refusal(
                None,
                "maximum of 4 concurrent streaming tasks per API key reached",
            );
        }
        let task_id = guard.next_uuid();
        guard
            .understand_tasks
            .insert(task_id.clone(), UnderstandTask { key });
        task_id
    };
    if let Some(url) = callback {
        let prompt = wire::text(&body, "user_prompt").unwrap_or_default();
        super::jobs::post_later(
            &store,
            url,
            &json!({"status": 0, "task_id": task_id,
                    "data": {"text": format!("media-mock live answer to: {prompt}")}}),
        );
    }
    json::response(
        StatusCode::OK,
        json!({"status": 0, "task_id": task_id, "text": ""}).to_string(),
    )
}

/// `POST /understand/stop/{task_id}`.
async fn stream_stop(
    State(store): State<Shared<Store>>,
    task_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(task_id)) = task_id else {
        return e8_refusal(None, "invalid request: task_id");
    };
    if lock(&store).understand_tasks.remove(&task_id).is_none() {
        return e8_refusal(Some(&task_id), "task_id not found");
    }
    json::response(
        StatusCode::OK,
        json!({"status": 14, "task_id": task_id}).to_string(),
    )
}

// ---- security.memories.ai --------------------------------------------------------------------

/// A caption refusal: HTTP 200, `code` -1.
fn refusal(msg: &str) -> Response {
    json::response(
        StatusCode::OK,
        json!({"code": -1, "msg": msg, "data": null}).to_string(),
    )
}

fn success(data: &Value) -> Response {
    json::response(
        StatusCode::OK,
        json!({"code": 0, "msg": "success", "data": data}).to_string(),
    )
}

/// Checks the members every caption call shares; returns the person names.
fn check_params(body: &Value) -> Result<Vec<String>, Response> {
    if wire::text(body, "user_prompt").is_none() {
        return Err(refusal("user_prompt cannot be empty"));
    }
    if let Some(effort) = body.get("reasoning_effort") {
        let level = match effort {
            Value::String(s) => s.trim().parse::<i64>().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        };
        if !level.is_some_and(|n| n == -1 || (1..=10).contains(&n)) {
            return Err(refusal("reasoning_effort must be between 1 and 10"));
        }
    }
    let persons = match body.get("persons") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(persons)) => persons.clone(),
        Some(_) => return Err(refusal("persons must be an array")),
    };
    if persons.len() > MAX_PERSONS {
        return Err(refusal("at most 5 persons can be provided"));
    }
    persons
        .iter()
        .map(
            |person| match (wire::text(person, "name"), wire::text(person, "url")) {
                (Some(name), Some(_)) => Ok(name.to_owned()),
                _ => Err(refusal("every person needs a name and a url")),
            },
        )
        .collect()
}

fn caption(text: &str, tokens: [u64; 3], persons: &[String]) -> Value {
    let text = if persons.is_empty() {
        text.to_owned()
    } else {
        format!("{text} Identified: {}.", persons.join(", "))
    };
    json!({"text": text, "token": {"input": tokens[0], "output": tokens[1], "total": tokens[2]}})
}

/// Registers an async caption task and schedules its callback.
fn accept(store: &Shared<Store>, body: &Value, persons: &[String]) -> Response {
    let Some(callback) = wire::text(body, "callback").map(str::to_owned) else {
        return refusal("callback cannot be empty");
    };
    let task_id = {
        let mut guard = lock(store);
        let task_id = guard.next_uuid();
        guard.caption_tasks.insert(task_id.clone(), body.clone());
        task_id
    };
    super::jobs::post_later(
        store,
        callback,
        &json!({"status": 0, "task_id": task_id, "data": caption(VIDEO_CAPTION, VIDEO_TOKENS, persons)}),
    );
    success(&json!({ "task_id": task_id }))
}

fn json_params(body: &[u8]) -> Result<(Value, Vec<String>), Response> {
    let Some(body) = wire::json_body(body) else {
        return Err(refusal("the body must be a JSON object"));
    };
    let persons = check_params(&body)?;
    Ok((body, persons))
}

fn video_url(body: &Value) -> Result<(), Response> {
    match wire::text(body, "video_url") {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => Ok(()),
        _ => Err(refusal("video_url cannot be empty")),
    }
}

/// The multipart form of a file call: the `req` JSON part and the file parts named `file_part`.
fn form(
    headers: &HeaderMap,
    body: &[u8],
    file_part: &str,
) -> Result<(Value, Vec<String>, Vec<wire::Part>), Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Some(parts) = wire::multipart(content_type, body) else {
        return Err(refusal("Content type must be multipart/form-data"));
    };
    let mut req = None;
    let mut files = Vec::new();
    for part in parts {
        if part.name == "req" {
            req = wire::json_body(&part.data);
        } else if part.name == file_part && !part.data.is_empty() {
            files.push(part);
        }
    }
    let Some(req) = req else {
        return Err(refusal("req must be a JSON part"));
    };
    let persons = check_params(&req)?;
    if files.is_empty() {
        return Err(refusal(&format!("{file_part} cannot be empty")));
    }
    Ok((req, persons, files))
}

fn is_image(part: &wire::Part) -> bool {
    matches!(
        part.content_type.as_deref(),
        Some("image/png" | "image/jpeg")
    )
}

fn image_captions(count: usize, persons: &[String]) -> Value {
    if count == 1 {
        caption(IMAGE_CAPTION, IMAGE_TOKENS, persons)
    } else {
        Value::from(
            (0..count)
                .map(|_| caption(IMAGE_CAPTION, IMAGE_TOKENS, persons))
                .collect::<Vec<_>>(),
        )
    }
}

/// `POST /understand/upload` `{video_url, user_prompt, system_prompt?, callback, persons?, thinking?}`.
async fn upload(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let (body, persons) = match json_params(&body) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Err(response) = video_url(&body) {
        return response;
    }
    accept(&store, &body, &persons)
}

/// `POST /understand/uploadFile`: multipart `req` + `files`.
async fn upload_file(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match form(&headers, &body, "files") {
        Ok((req, persons, _)) => accept(&store, &req, &persons),
        Err(response) => response,
    }
}

/// `POST /understand/uploadSync` `{video_url, user_prompt, …}`.
async fn upload_sync(body: Bytes) -> Response {
    let (body, persons) = match json_params(&body) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Err(response) = video_url(&body) {
        return response;
    }
    success(&caption(VIDEO_CAPTION, VIDEO_TOKENS, &persons))
}

/// `POST /understand/uploadFileSync`: multipart `req` + `files`.
async fn upload_file_sync(headers: HeaderMap, body: Bytes) -> Response {
    match form(&headers, &body, "files") {
        Ok((_, persons, _)) => success(&caption(VIDEO_CAPTION, VIDEO_TOKENS, &persons)),
        Err(response) => response,
    }
}

/// `POST /understand/uploadImg` `{url: string | [string], user_prompt, …}` (`urls` accepted too).
async fn upload_img(body: Bytes) -> Response {
    let (body, persons) = match json_params(&body) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let urls: Vec<&str> = match body.get("url").or_else(|| body.get("urls")) {
        Some(Value::String(url)) => vec![url.as_str()],
        Some(Value::Array(urls)) => urls.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if urls.is_empty() || urls.iter().any(|url| url.trim().is_empty()) {
        return refusal("url cannot be empty");
    }
    success(&image_captions(urls.len(), &persons))
}

/// `POST /understand/uploadImgFile`: multipart `req` + one `file` part per image.
async fn upload_img_file(headers: HeaderMap, body: Bytes) -> Response {
    match form(&headers, &body, "file") {
        Ok((_, persons, files)) => {
            if !files.iter().all(is_image) {
                return refusal("only image/png and image/jpeg are supported");
            }
            success(&image_captions(files.len(), &persons))
        }
        Err(response) => response,
    }
}

/// `POST /understand/uploadImgFileBase64` `{image_base64, img_type, user_prompt, …}`.
async fn upload_img_base64(body: Bytes) -> Response {
    let (body, persons) = match json_params(&body) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !matches!(
        body.get("img_type").and_then(Value::as_str),
        Some("image/png" | "image/jpeg")
    ) {
        return refusal("img_type must be image/png or image/jpeg");
    }
    let decoded = wire::text(&body, "image_base64")
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok());
    if decoded.is_none_or(|bytes| bytes.is_empty()) {
        return refusal("image_base64 must be a non-empty base64 image");
    }
    success(&image_captions(1, &persons))
}

impl crate::MockServer {
    /// The `stream.memories.ai` API root on the mock, `{url}/memories-stream/v1` (the real one is
    /// `https://stream.memories.ai/v1`); it takes [`credentials::MEMORIES_API_KEY`].
    pub fn memories_stream_url(&self) -> String {
        format!("{}{STREAM_PREFIX}", self.url())
    }

    /// The `security.memories.ai` API root on the mock, `{url}/memories-caption/v1` (the real
    /// one is `https://security.memories.ai/v1`); it takes
    /// [`credentials::MEMORIES_CAPTION_API_KEY`] only.
    pub fn memories_caption_url(&self) -> String {
        format!("{}{CAPTION_PREFIX}", self.url())
    }

    /// The ids of the live understanding tasks running on the mock `stream.memories.ai`.
    pub fn memories_stream_tasks(&self) -> Vec<String> {
        let mut ids: Vec<String> = lock(&self.memories_v2)
            .understand_tasks
            .keys()
            .cloned()
            .collect();
        ids.sort();
        ids
    }

    /// The accepted asynchronous caption tasks of the mock `security.memories.ai`: task id and
    /// the JSON parameters (the body, or the `req` part of a multipart call), sorted by id.
    pub fn memories_caption_tasks(&self) -> Vec<(String, serde_json::Value)> {
        let mut tasks: Vec<(String, Value)> = lock(&self.memories_v2)
            .caption_tasks
            .iter()
            .map(|(id, body)| (id.clone(), body.clone()))
            .collect();
        tasks.sort_by(|a, b| a.0.cmp(&b.0));
        tasks
    }
}
