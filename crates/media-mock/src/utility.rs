//! Provider-neutral routes under `/_mock`, for testing the shared HTTP engine
//! and for benchmarks: an upload sink that keeps only a digest, and bodies
//! streamed on demand (SSE, NDJSON, raw bytes).
//!
//! - `POST|PUT /_mock/echo`: reads the body as it arrives and answers
//!   `{"method","content_type","content_length","bytes","sha256","parts":[…]}`;
//!   for `multipart/form-data` each part is listed with its `name`,
//!   `file_name`, `content_type`, `bytes`, `sha256` and (for text parts) `text`.
//! - `POST|PUT /_mock/echo/{*key}`: the same, and the answer is kept under
//!   `key` (the path below `/_mock/echo/`, without the query): a store of
//!   digests, e.g. an S3-style `{bucket}/{key}` endpoint whose client
//!   discards the answer. `GET /_mock/echo/{*key}` returns the kept answer
//!   of the last complete upload to `key` (404 when there is none).
//! - `GET /_mock/bytes?size=N&chunk=C`: `N` bytes of a repeating pattern.
//! - `GET /_mock/sse?events=N&size=S&end=…&every_ms=M`: `N` `data:` events of
//!   `S` bytes, one every `M` ms, then `data: <end>` when `end` is given.
//! - `GET /_mock/ndjson?lines=N`: `N` lines `{"seq":i,"text":"…"}`.
//! - `GET /_mock/stall?after=N`: headers, `N` bytes, then silence.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use futures::StreamExt as _;
use http::{StatusCode, header};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Where the utility routes sit.
pub(crate) const PREFIX: &str = "/_mock";

/// The answers of `/echo/{*key}`, by key.
type Kept = Arc<Mutex<HashMap<String, Value>>>;

pub(crate) fn router() -> Router {
    Router::new()
        .route(
            "/echo",
            post(echo)
                .put(echo)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/echo/{*key}",
            post(echo_kept)
                .put(echo_kept)
                .get(kept)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/bytes", get(bytes))
        .route("/sse", get(sse))
        .route("/ndjson", get(ndjson))
        .route("/stall", get(stall))
        .with_state(Kept::default())
}

async fn echo_kept(
    State(kept): State<Kept>,
    Path(key): Path<String>,
    request: Request,
) -> Response {
    match describe_body(request).await {
        Ok(answer) => {
            crate::server::lock(&kept).insert(key, answer.clone());
            axum::Json(answer).into_response()
        }
        Err(response) => response,
    }
}

async fn kept(State(kept): State<Kept>, Path(key): Path<String>) -> Response {
    match crate::server::lock(&kept).get(&key) {
        Some(answer) => axum::Json(answer.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            format!("media-mock: nothing was uploaded to /_mock/echo/{key}"),
        )
            .into_response(),
    }
}

/// The byte at `index` of the pattern served by `/bytes`: a test can check
/// any range of a download without keeping a copy.
pub fn pattern_byte(index: u64) -> u8 {
    u8::try_from((index * 31 + 7) % 251).unwrap_or(0)
}

async fn echo(request: Request) -> Response {
    match describe_body(request).await {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(response) => response,
    }
}

/// Reads the body as it arrives and describes it, or the response to a body that cannot be read.
async fn describe_body(request: Request) -> Result<Value, Response> {
    let method = request.method().to_string();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let is_multipart = content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let mut parts = Vec::new();
    let (bytes, digest) = if is_multipart {
        let mut form = match Multipart::from_request(request, &()).await {
            Ok(form) => form,
            Err(rejection) => return Err(rejection.into_response()),
        };
        let mut total = 0u64;
        let mut all = Sha256::new();
        loop {
            let mut field = match form.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(err) => return Err((StatusCode::BAD_REQUEST, err.body_text()).into_response()),
            };
            let name = field.name().map(str::to_owned);
            let file_name = field.file_name().map(str::to_owned);
            let part_type = field.content_type().map(str::to_owned);
            let mut hasher = Sha256::new();
            let mut size = 0u64;
            let mut text = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        hasher.update(&chunk);
                        all.update(&chunk);
                        size += chunk.len() as u64;
                        if file_name.is_none() && text.len() < 64 * 1024 {
                            text.extend_from_slice(&chunk);
                        }
                    }
                    Ok(None) => break,
                    Err(err) => {
                        return Err((StatusCode::BAD_REQUEST, err.body_text()).into_response());
                    }
                }
            }
            total += size;
            parts.push(json!({
                "name": name,
                "file_name": file_name,
                "content_type": part_type,
                "bytes": size,
                "sha256": hex(&hasher.finalize()),
                "text": file_name.is_none().then(|| String::from_utf8_lossy(&text).into_owned()),
            }));
        }
        (total, hex(&all.finalize()))
    } else {
        let mut body = request.into_body().into_data_stream();
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(chunk) => {
                    hasher.update(&chunk);
                    size += chunk.len() as u64;
                }
                Err(err) => return Err((StatusCode::BAD_REQUEST, err.to_string()).into_response()),
            }
        }
        (size, hex(&hasher.finalize()))
    };
    Ok(json!({
        "method": method,
        "content_type": content_type,
        "content_length": content_length,
        "bytes": bytes,
        "sha256": digest,
        "parts": parts,
    }))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[derive(Deserialize)]
struct BytesQuery {
    size: u64,
    chunk: Option<usize>,
}

async fn bytes(Query(query): Query<BytesQuery>) -> Response {
    let chunk = query.chunk.unwrap_or(64 * 1024).max(1) as u64;
    let size = query.size;
    let chunks = futures::stream::iter((0..size.div_ceil(chunk)).map(move |n| {
        let start = n * chunk;
        let end = (start + chunk).min(size);
        Ok::<_, std::io::Error>(Bytes::from(
            (start..end).map(pattern_byte).collect::<Vec<u8>>(),
        ))
    }));
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}

#[derive(Deserialize)]
struct SseQuery {
    events: usize,
    size: Option<usize>,
    end: Option<String>,
    every_ms: Option<u64>,
}

async fn sse(Query(query): Query<SseQuery>) -> Response {
    let filler = "x".repeat(query.size.unwrap_or(16));
    let mut frames: Vec<Result<Bytes, std::io::Error>> = (0..query.events)
        .map(|i| {
            Ok(Bytes::from(format!(
                "id: {i}\nevent: token\ndata: {filler}\n\n"
            )))
        })
        .collect();
    if let Some(end) = query.end {
        frames.push(Ok(Bytes::from(format!("data: {end}\n\n"))));
    }
    let pause = Duration::from_millis(query.every_ms.unwrap_or(0));
    let frames = futures::stream::iter(frames).then(move |frame| async move {
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        frame
    });
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(frames),
    )
        .into_response()
}

#[derive(Deserialize)]
struct NdjsonQuery {
    lines: usize,
}

async fn ndjson(Query(query): Query<NdjsonQuery>) -> Response {
    let lines = (0..query.lines).map(|i| {
        let line: Value = json!({"seq": i, "text": format!("line {i}")});
        Ok::<_, std::io::Error>(Bytes::from(format!("{line}\n")))
    });
    (
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(futures::stream::iter(lines.collect::<Vec<_>>())),
    )
        .into_response()
}

#[derive(Deserialize)]
struct StallQuery {
    after: Option<usize>,
}

async fn stall(Query(query): Query<StallQuery>) -> Response {
    let head = Bytes::from(vec![b'a'; query.after.unwrap_or(0)]);
    let first = futures::stream::once(async move { Ok::<_, std::io::Error>(head) });
    let never = futures::stream::once(async {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok::<_, std::io::Error>(Bytes::new())
    });
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from_stream(first.chain(never)),
    )
        .into_response()
}
