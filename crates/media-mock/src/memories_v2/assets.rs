//! Asset routes: upload (multipart), signed-URL upload, download (bytes, or a zip for a frame
//! group), download by storage location, delete.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode, header};
use serde_json::json;

use super::wire::{self, bad_request};
use super::{Blob, Store};
use crate::server::{RawTarget, Shared, lock};

const ASSET_NOT_FOUND: &str = "Asset not found";

/// `POST /upload`: multipart with one file part `file`.
pub(crate) async fn upload(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Some(parts) = wire::multipart(content_type, &body) else {
        return wire::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content type must be multipart/form-data",
        );
    };
    let Some(file) = parts.into_iter().find(|p| p.name == "file") else {
        return bad_request("file cannot be null or empty");
    };
    let name = file
        .file_name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload".into());
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    let content_type = file
        .content_type
        .unwrap_or_else(|| wire::mime_for(extension).to_owned());
    let mut store = lock(&store);
    let asset_id = format!("re_{}", store.next_digits());
    let polls = store.upload_polls;
    let status = if polls == 0 { "SUCCESS" } else { "WAITING" };
    store.create_asset(
        &asset_id,
        &name,
        status,
        Blob {
            content_type,
            bytes: file.data,
        },
    );
    if polls > 0 {
        store.uploads.insert(asset_id.clone(), polls);
    }
    wire::ok(&json!({ "asset_id": asset_id }))
}

/// `POST /upload/signed-url` `{"original_filename"}`: reserves an asset and a storage URL on
/// this mock (`/__storage/{asset_id}`, accepting `PUT` bytes or a `POST` form).
pub(crate) async fn signed_url(
    State(store): State<Shared<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return bad_request("Request body must be JSON");
    };
    let Some(name) = wire::text(&body, "original_filename") else {
        return bad_request("original_filename cannot be null or empty");
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let mut store = lock(&store);
    let asset_id = format!("re_{}", store.next_digits());
    store.create_asset(
        &asset_id,
        name,
        "WAITING",
        Blob {
            content_type: wire::mime_for(name.rsplit_once('.').map_or("", |(_, e)| e)).into(),
            bytes: Vec::new(),
        },
    );
    let url = format!(
        "http://{host}{}/__storage/{asset_id}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=mock",
        super::PREFIX
    );
    wire::ok(&json!({ "asset_id": asset_id, "signed_url": url, "expires_in": 93600 }))
}

fn store_bytes(
    store: &Shared<Store>,
    asset_id: &str,
    content_type: String,
    bytes: Vec<u8>,
) -> Response {
    let mut store = lock(store);
    if !store.uploads.contains_key(asset_id) && store.asset(asset_id).is_none() {
        return (
            StatusCode::NOT_FOUND,
            "media-mock storage: no such signed URL",
        )
            .into_response_body();
    }
    let size = bytes.len();
    store.blobs.insert(
        asset_id.to_owned(),
        Blob {
            content_type,
            bytes,
        },
    );
    if let Some(stored) = store.asset(asset_id) {
        let mut value = stored.value.clone();
        value["file_size"] = size.to_string().into();
        store.assets.insert(
            asset_id.to_owned(),
            crate::json::StoredJson::from_value(value),
        );
    }
    store.set_upload_status(asset_id, "UPLOADING");
    store.uploads.insert(asset_id.to_owned(), 1);
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::OK;
    response
}

trait IntoBody {
    fn into_response_body(self) -> Response;
}

impl IntoBody for (StatusCode, &'static str) {
    fn into_response_body(self) -> Response {
        let mut response = Response::new(axum::body::Body::from(self.1));
        *response.status_mut() = self.0;
        response
    }
}

fn signed(request: &Request) -> bool {
    RawTarget::from_request(request)
        .path_and_query
        .contains("X-Goog-Signature=")
}

/// `PUT` of the raw bytes to a signed URL (no API key: the URL is the authorization).
pub(crate) async fn storage_put(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    request: Request,
) -> Response {
    if !signed(&request) {
        return (
            StatusCode::FORBIDDEN,
            "media-mock storage: missing signature",
        )
            .into_response_body();
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), usize::MAX).await else {
        return (
            StatusCode::BAD_REQUEST,
            "media-mock storage: unreadable body",
        )
            .into_response_body();
    };
    store_bytes(&store, &asset_id, content_type, bytes.to_vec())
}

/// `POST` of a multipart form with one part `file` to a signed URL (the docs' examples).
pub(crate) async fn storage_post(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    request: Request,
) -> Response {
    if !signed(&request) {
        return (
            StatusCode::FORBIDDEN,
            "media-mock storage: missing signature",
        )
            .into_response_body();
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), usize::MAX).await else {
        return (
            StatusCode::BAD_REQUEST,
            "media-mock storage: unreadable body",
        )
            .into_response_body();
    };
    let Some(file) = wire::multipart(content_type.as_deref(), &bytes)
        .and_then(|parts| parts.into_iter().find(|p| p.name == "file"))
    else {
        return (StatusCode::BAD_REQUEST, "media-mock storage: no file part").into_response_body();
    };
    let content_type = file
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    store_bytes(&store, &asset_id, content_type, file.data)
}

/// `GET /{asset_id}/download`: the bytes; a zip of every frame for an `im_` group.
pub(crate) async fn download(
    State(store): State<Shared<Store>>,
    asset_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(asset_id)) = asset_id else {
        return bad_request(ASSET_NOT_FOUND);
    };
    let store = lock(&store);
    if let Some(frames) = store.group(&asset_id) {
        let entries: Vec<(String, Vec<u8>)> = frames
            .iter()
            .map(|id| {
                let name = store
                    .asset(id)
                    .and_then(|a| a.str("original_filename").map(str::to_owned))
                    .unwrap_or_else(|| format!("{id}.jpg"));
                let bytes = store.blob_of(id).bytes;
                (name, bytes)
            })
            .collect();
        return wire::file(
            "application/zip",
            &format!("{asset_id}.zip"),
            wire::zip(&entries),
        );
    }
    let Some(asset) = store.asset(&asset_id) else {
        return bad_request(ASSET_NOT_FOUND);
    };
    let name = asset
        .str("original_filename")
        .unwrap_or(asset_id.as_str())
        .to_owned();
    let blob = store.blob_of(&asset_id);
    wire::file(&blob.content_type, &name, blob.bytes)
}

/// `GET /download?bucket=&blob=`: slashes in `blob` must arrive unencoded (`%2F` is taken
/// literally, as a name that does not exist).
pub(crate) async fn download_by_location(
    State(store): State<Shared<Store>>,
    request: Request,
) -> Response {
    let query = request.uri().query().unwrap_or_default().to_owned();
    let mut bucket = None;
    let mut blob = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = percent_decode_keep_slash_escapes(value);
        match key {
            "bucket" => bucket = Some(decoded),
            "blob" => blob = Some(decoded),
            _ => {}
        }
    }
    let Some(bucket) = bucket.filter(|b| !b.is_empty()) else {
        return bad_request("Bucket cannot be null or empty");
    };
    let Some(blob) = blob.filter(|b| !b.is_empty()) else {
        return bad_request("Blob cannot be null or empty");
    };
    let store = lock(&store);
    let Some(object) = store.objects.get(&(bucket, blob.clone())) else {
        return bad_request("Resource does not exist");
    };
    let name = blob.rsplit('/').next().unwrap_or(&blob).to_owned();
    wire::file(&object.content_type, &name, object.bytes.clone())
}

/// Decodes `%XX` escapes except `%2F`, which stays as the three characters.
fn percent_decode_keep_slash_escapes(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = &value[i + 1..i + 3];
            if let (false, Ok(byte)) = (hex.eq_ignore_ascii_case("2F"), u8::from_str_radix(hex, 16))
            {
                out.push(byte);
                i += 3;
                continue;
            }
        } else if bytes[i] == b'+' {
            out.push(b' ');
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `DELETE /{asset_id}`.
pub(crate) async fn delete(
    State(store): State<Shared<Store>>,
    asset_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(asset_id)) = asset_id else {
        return bad_request(ASSET_NOT_FOUND);
    };
    if lock(&store).delete(&asset_id) {
        wire::ok(&serde_json::Value::Null)
    } else {
        bad_request(ASSET_NOT_FOUND)
    }
}
