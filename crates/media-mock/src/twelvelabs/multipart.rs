//! Multipart uploads: `/assets/multipart-uploads` (twelvelabs.md §3.3), plus the presigned chunk
//! URLs they hand out, served by the mock itself without the API key (as S3 would).
//!
//! Chunk PUTs answer an `ETag`; reports must carry it as the proof. When every chunk is reported
//! the session is `completed` and its reserved asset appears as `processing`.
//!
//! The chunks are hashed in order as they arrive (only chunks that arrive ahead of a missing
//! one wait in memory), so a test can compare the assembled asset with its source file:
//! [`crate::MockServer::twelvelabs_upload_sha256`].

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::assets::{self, NewAsset, mime_of};
use super::{
    Store, clean_metadata, error, json_object, not_found, now, ok, page_response, paging,
    parameter_invalid, required_str,
};
use crate::record::decode_form;
use crate::server::{Shared, lock};

/// The chunk size the mock hands out unless a test sets another.
const DEFAULT_CHUNK_SIZE: u64 = 5 * 1024 * 1024;
/// How many presigned URLs a new session comes with.
const INITIAL_URLS: u64 = 5;
const MAX_URLS_PER_REQUEST: u64 = 50;
const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;
const EXPIRES_AT: &str = "2099-01-01T00:00:00Z";

/// Every multipart session.
#[derive(Debug, Default)]
pub(crate) struct Uploads {
    sessions: HashMap<String, Session>,
    /// Chunk size for new sessions; 0 means [`DEFAULT_CHUNK_SIZE`].
    pub(crate) chunk_size: u64,
}

#[derive(Debug)]
struct Session {
    seq: u64,
    asset_id: String,
    filename: String,
    kind: String,
    total_size: u64,
    chunk_size: u64,
    enable_hls: bool,
    enable_thumbnail: bool,
    user_metadata: Option<serde_json::Map<String, Value>>,
    created_at: String,
    updated_at: String,
    status: &'static str,
    chunks: Vec<Chunk>,
    assembly: Assembly,
}

/// The SHA-256 of the chunks in index order, fed as soon as they are contiguous.
#[derive(Debug, Default)]
struct Assembly {
    hasher: Sha256,
    /// How many chunks (from 1) are hashed.
    hashed: u64,
    /// Chunks that arrived before a chunk in front of them.
    waiting: BTreeMap<u64, Bytes>,
    /// A chunk already hashed was later replaced by different bytes.
    replaced: bool,
    /// The hex digest, once every chunk is hashed.
    digest: Option<String>,
}

impl Assembly {
    /// Takes the bytes of chunk `index` (whose ETag is now `chunks[index - 1].etag`).
    fn take(&mut self, index: u64, body: Bytes, chunks: &[Chunk], previous_etag: Option<&str>) {
        if index <= self.hashed {
            // A resend of a chunk already hashed: harmless when the bytes are the same.
            let etag = chunks[usize::try_from(index - 1).unwrap_or(0)]
                .etag
                .as_deref();
            self.replaced |= etag != previous_etag;
            return;
        }
        self.waiting.insert(index, body);
        while let Some(next) = self.waiting.remove(&(self.hashed + 1)) {
            self.hasher.update(&next);
            self.hashed += 1;
        }
        if self.hashed == chunks.len() as u64 && self.digest.is_none() {
            self.digest = Some(hex(&self.hasher.clone().finalize()));
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[derive(Debug, Default, Clone)]
struct Chunk {
    /// The ETag of the last PUT of this chunk.
    etag: Option<String>,
    put_size: u64,
    reported: bool,
    uploaded_at: Option<String>,
}

impl Session {
    fn total_chunks(&self) -> u64 {
        self.total_size.div_ceil(self.chunk_size)
    }

    fn expected_size(&self, index: u64) -> u64 {
        if index == self.total_chunks() {
            self.total_size - (index - 1) * self.chunk_size
        } else {
            self.chunk_size
        }
    }

    fn completed(&self) -> usize {
        self.chunks.iter().filter(|c| c.reported).count()
    }
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route(
            "/assets/multipart-uploads",
            get(list_incomplete).post(create),
        )
        .route(
            "/assets/multipart-uploads/{upload_id}",
            get(status).post(report),
        )
        .route(
            "/assets/multipart-uploads/{upload_id}/presigned-urls",
            post(presigned_urls),
        )
}

pub(super) fn presigned_routes() -> Router<Shared<Store>> {
    Router::new().route("/_mock/uploads/{upload_id}/{chunk_index}", put(put_chunk))
}

impl crate::MockServer {
    /// Sets the chunk size TwelveLabs multipart sessions created from now on use (default
    /// 5 MiB), so tests can upload many chunks with small files.
    pub fn set_twelvelabs_chunk_size(&self, bytes: u64) {
        lock(&self.twelvelabs).uploads.chunk_size = bytes;
    }

    /// The SHA-256 (lowercase hex) of the bytes a completed multipart session assembled into
    /// asset `asset_id`: its chunks' last `PUT`s, in index order. `None` while the session is
    /// not completed, for an asset no multipart session made, or when a chunk was replaced by
    /// different bytes after it had been hashed.
    pub fn twelvelabs_upload_sha256(&self, asset_id: &str) -> Option<String> {
        let store = lock(&self.twelvelabs);
        let session = store
            .uploads
            .sessions
            .values()
            .find(|s| s.asset_id == asset_id && s.status == "completed")?;
        if session.assembly.replaced {
            return None;
        }
        session.assembly.digest.clone()
    }
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}{}", super::PREFIX)
}

fn urls(base: &str, upload_id: &str, start: u64, count: u64) -> Vec<Value> {
    (start..start + count)
        .map(|index| {
            json!({
                "chunk_index": index,
                "url": format!("{base}/_mock/uploads/{upload_id}/{index}?X-Amz-Signature=mock{index}"),
                "expires_at": EXPIRES_AT,
            })
        })
        .collect()
}

async fn create(State(store): State<Shared<Store>>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let filename = match required_str(&body, "filename") {
        Ok(f) => f.to_owned(),
        Err(response) => return response,
    };
    let kind = match required_str(&body, "type") {
        Ok(t) if ["video", "audio", "image"].contains(&t) => t.to_owned(),
        Ok(_) => return parameter_invalid("The type parameter must be video, audio or image."),
        Err(response) => return response,
    };
    let Some(total_size) = body.get("total_size").and_then(Value::as_u64) else {
        return parameter_invalid("The total_size parameter must be a positive integer.");
    };
    if total_size == 0 {
        return parameter_invalid("The total_size parameter must be a positive integer.");
    }
    if kind == "image" && total_size > MAX_IMAGE_BYTES {
        return parameter_invalid("Images must be at most 32 MB.");
    }
    let flag = |name: &str| match body.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(parameter_invalid(&format!(
            "The {name} parameter must be a boolean."
        ))),
    };
    let (enable_hls, enable_thumbnail) = match (flag("enable_hls"), flag("enable_thumbnail")) {
        (Ok(h), Ok(t)) => (h, t),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let user_metadata = match body.get("user_metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(clean_metadata(map)),
        Some(_) => return parameter_invalid("The user_metadata parameter must be an object."),
    };
    let mut store = lock(&store);
    let upload_id = store.new_id();
    let asset_id = store.new_id();
    let seq = store.seq();
    let chunk_size = match store.uploads.chunk_size {
        0 => DEFAULT_CHUNK_SIZE,
        n => n,
    };
    let at = now();
    let session = Session {
        seq,
        asset_id: asset_id.clone(),
        filename,
        kind,
        total_size,
        chunk_size,
        enable_hls,
        enable_thumbnail,
        user_metadata,
        created_at: at.clone(),
        updated_at: at,
        status: "active",
        chunks: vec![
            Chunk::default();
            usize::try_from(total_size.div_ceil(chunk_size)).unwrap_or(0)
        ],
        assembly: Assembly::default(),
    };
    let total_chunks = session.total_chunks();
    let base = base_url(&headers);
    let body = json!({
        "upload_id": upload_id,
        "asset_id": asset_id,
        "upload_urls": urls(&base, &upload_id, 1, total_chunks.min(INITIAL_URLS)),
        "upload_headers": {},
        "chunk_size": chunk_size,
        "total_chunks": total_chunks,
        "expires_at": EXPIRES_AT,
    });
    store.uploads.sessions.insert(upload_id, session);
    ok(&body)
}

async fn list_incomplete(
    State(store): State<Shared<Store>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = lock(&store);
    let mut sessions: Vec<(&String, &Session)> = store
        .uploads
        .sessions
        .iter()
        .filter(|(_, s)| s.status == "active")
        .collect();
    sessions.sort_by_key(|(_, s)| std::cmp::Reverse(s.seq));
    let items: Vec<String> = sessions
        .iter()
        .map(|(id, s)| {
            json!({
                "upload_id": id,
                "status": s.status,
                "total_size": s.total_size,
                "chunk_size": s.chunk_size,
                "total_chunks": s.total_chunks(),
                "created_at": s.created_at,
                "expires_at": EXPIRES_AT,
            })
            .to_string()
        })
        .collect();
    page_response(&items, page, limit)
}

async fn status(
    State(store): State<Shared<Store>>,
    Path(upload_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = lock(&store);
    let Some(session) = store.uploads.sessions.get(&upload_id) else {
        return not_found("upload", &upload_id);
    };
    let uploaded: Vec<Value> = session
        .chunks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.reported)
        .map(|(i, c)| {
            json!({
                "index": i + 1,
                "status": "completed",
                "uploaded_at": c.uploaded_at,
                "updated_at": c.uploaded_at,
            })
        })
        .collect();
    let total = uploaded.len();
    let uploaded_size: u64 = session
        .chunks
        .iter()
        .filter(|c| c.reported)
        .map(|c| c.put_size)
        .sum();
    let page_items: Vec<&Value> = uploaded
        .iter()
        .skip((page - 1).saturating_mul(limit))
        .take(limit)
        .collect();
    ok(&json!({
        "upload_id": upload_id,
        "status": session.status,
        "uploaded_chunks": page_items,
        "chunks_completed": total,
        "chunks_failed": 0,
        "chunks_pending": session.chunks.len() - total,
        "page_info": {
            "limit_per_page": limit,
            "page": page,
            "total_page": total.div_ceil(limit),
            "total_results": total,
        },
        "total_size": session.total_size,
        "uploaded_size": uploaded_size,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    }))
}

async fn report(
    State(store): State<Shared<Store>>,
    Path(upload_id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(Value::Array(reported)) = body.get("completed_chunks") else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The completed_chunks parameter is required.",
        );
    };
    let mut guard = lock(&store);
    let store = &mut *guard;
    let Some(session) = store.uploads.sessions.get_mut(&upload_id) else {
        return not_found("upload", &upload_id);
    };
    if session.status != "active" && session.status != "completed" {
        return parameter_invalid(&format!("The upload {upload_id} is {}.", session.status));
    }
    let total_chunks = session.total_chunks();
    // Validate the whole batch before applying any of it.
    for item in reported {
        let index = item["chunk_index"].as_u64().unwrap_or(0);
        if index == 0 || index > total_chunks {
            return parameter_invalid(&format!("The chunk_index {index} is out of range."));
        }
        if item["proof_type"] != "etag" {
            return parameter_invalid("The proof_type parameter must be etag.");
        }
        let chunk = &session.chunks[usize::try_from(index - 1).unwrap_or(0)];
        let proof = item["proof"].as_str().unwrap_or_default().trim_matches('"');
        if chunk.etag.as_deref() != Some(proof) {
            return parameter_invalid(&format!(
                "The proof of chunk {index} does not match the uploaded data."
            ));
        }
        if item["chunk_size"].as_u64() != Some(session.expected_size(index)) {
            return parameter_invalid(&format!("The chunk_size of chunk {index} is wrong."));
        }
    }
    let mut processed = 0;
    let mut duplicates = 0;
    let at = now();
    for item in reported {
        let index = usize::try_from(item["chunk_index"].as_u64().unwrap_or(1) - 1).unwrap_or(0);
        let chunk = &mut session.chunks[index];
        if chunk.reported {
            duplicates += 1;
        } else {
            chunk.reported = true;
            chunk.uploaded_at = Some(at.clone());
            processed += 1;
        }
    }
    session.updated_at = at;
    let completed = session.completed();
    let mut body = json!({
        "asset_id": session.asset_id,
        "processed_chunks": processed,
        "duplicate_chunks": duplicates,
        "total_completed": completed,
    });
    if completed == session.chunks.len() {
        body["url"] = json!(format!(
            "https://cdn.example.com/assets/{}/{}",
            session.asset_id, session.filename
        ));
        if session.status == "active" {
            session.status = "completed";
            let new = NewAsset {
                method: "multipart",
                filename: session.filename.clone(),
                file_type: mime_of(&session.filename, Some(&format!("{}/*", session.kind))),
                size: session.total_size,
                enable_hls: session.enable_hls,
                enable_thumbnail: session.enable_thumbnail,
                user_metadata: session.user_metadata.clone(),
            };
            let asset_id = session.asset_id.clone();
            assets::create(store, Some(asset_id), new);
        }
    }
    ok(&body)
}

async fn presigned_urls(
    State(store): State<Shared<Store>>,
    Path(upload_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let (Some(start), Some(count)) = (
        body.get("start").and_then(Value::as_u64),
        body.get("count").and_then(Value::as_u64),
    ) else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The start and count parameters are required.",
        );
    };
    let store = lock(&store);
    let Some(session) = store.uploads.sessions.get(&upload_id) else {
        return not_found("upload", &upload_id);
    };
    if start == 0
        || count == 0
        || count > MAX_URLS_PER_REQUEST
        || start + count - 1 > session.total_chunks()
    {
        return parameter_invalid(&format!(
            "start must be 1..={} and count 1..=50 within the chunk range.",
            session.total_chunks()
        ));
    }
    ok(&json!({
        "upload_id": upload_id,
        "start_index": start,
        "count": count,
        "upload_urls": urls(&base_url(&headers), &upload_id, start, count),
        "generated_at": now(),
        "expires_at": EXPIRES_AT,
    }))
}

async fn put_chunk(
    State(store): State<Shared<Store>>,
    Path((upload_id, chunk_index)): Path<(String, u64)>,
    body: Bytes,
) -> Response {
    let mut store = lock(&store);
    let Some(session) = store.uploads.sessions.get_mut(&upload_id) else {
        return s3_error(StatusCode::NOT_FOUND, "NoSuchUpload");
    };
    if chunk_index == 0 || chunk_index > session.total_chunks() {
        return s3_error(StatusCode::BAD_REQUEST, "InvalidPart");
    }
    if body.len() as u64 != session.expected_size(chunk_index) {
        return s3_error(StatusCode::BAD_REQUEST, "IncompleteBody");
    }
    let digest = Sha256::digest(&body);
    let etag = hex(&digest[..16]);
    let chunk = &mut session.chunks[usize::try_from(chunk_index - 1).unwrap_or(0)];
    let previous_etag = chunk.etag.replace(etag.clone());
    chunk.put_size = body.len() as u64;
    session
        .assembly
        .take(chunk_index, body, &session.chunks, previous_etag.as_deref());
    let mut response = Response::new(axum::body::Body::empty());
    if let Ok(value) = HeaderValue::from_str(&format!("\"{etag}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

fn s3_error(status: StatusCode, code: &str) -> Response {
    let mut response = Response::new(axum::body::Body::from(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code></Error>"
    )));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    response
}
