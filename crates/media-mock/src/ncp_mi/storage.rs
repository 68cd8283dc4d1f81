//! What sits outside the signed API: the presigned upload URLs the upload flows hand out, and
//! a minimal path-style Object Storage (S3-compatible PUT and HEAD, signature not verified).

use axum::body::{Body, to_bytes};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use http::StatusCode;

use super::Store;
use crate::server::{Shared, lock};

/// Where presigned upload URLs point, below the API root.
pub(crate) const PRESIGNED_SEGMENT: &str = "/_presigned";
/// Where the Object Storage lives, below the API root: `{S3}/{bucket}/{key}`.
pub(crate) const S3_SEGMENT: &str = "/_object-storage";

const MAX_OBJECT_BYTES: usize = 64 << 20;

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// `PUT {presigned URL}`: accepted once per issued key (a second PUT is 403, as the URL
/// is single-use).
pub(super) async fn presigned_put(
    State(store): State<Shared<Store>>,
    Path(key): Path<String>,
    request: Request,
) -> Response {
    let Ok(bytes) = to_bytes(request.into_body(), MAX_OBJECT_BYTES).await else {
        return empty(StatusCode::PAYLOAD_TOO_LARGE);
    };
    let mut store = lock(&store);
    match store.uploads.get_mut(&key) {
        Some(slot @ None) => {
            *slot = Some(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
            empty(StatusCode::OK)
        }
        Some(Some(_)) | None => empty(StatusCode::FORBIDDEN),
    }
}

/// `PUT /{bucket}/{key}`: stores the object's size, answering with an ETag.
pub(super) async fn s3_put(
    State(store): State<Shared<Store>>,
    Path((bucket, key)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Ok(bytes) = to_bytes(request.into_body(), MAX_OBJECT_BYTES).await else {
        return empty(StatusCode::PAYLOAD_TOO_LARGE);
    };
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    lock(&store).objects.insert((bucket, key), size);
    let mut response = empty(StatusCode::OK);
    response.headers_mut().insert(
        http::header::ETAG,
        http::HeaderValue::from_static("\"mock-etag\""),
    );
    response
}

/// `HEAD /{bucket}/{key}`: 200 with the length, or 404.
pub(super) async fn s3_head(
    State(store): State<Shared<Store>>,
    Path((bucket, key)): Path<(String, String)>,
) -> Response {
    match lock(&store).objects.get(&(bucket, key)) {
        Some(size) => {
            let mut response = empty(StatusCode::OK);
            response
                .headers_mut()
                .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(*size));
            response
        }
        None => empty(StatusCode::NOT_FOUND),
    }
}
