//! NAVER Cloud Platform Media Intelligence: routes, in-memory state and the API Gateway
//! signature v2 check.
//!
//! Success envelope `{"code":"0","message":"success","result":…}`; service errors
//! `{"code":"10001","message":"Invalid Request."}`; gateway errors
//! `{"error":{"errorCode","message","details"}}` (ncp-mi.md §1.2–1.5).

mod api;
mod storage;

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, put};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use http::StatusCode;
use sha2::Sha256;

pub(crate) use self::api::Store;
use crate::json;
use crate::server::{RawTarget, Shared, lock};

/// Where the API root sits on the mock.
pub(crate) const PREFIX: &str = "/ncp-mi/api/v1";

const TIMESTAMP_HEADER: &str = "x-ncp-apigw-timestamp";
const ACCESS_KEY_HEADER: &str = "x-ncp-iam-access-key";
const SIGNATURE_HEADER: &str = "x-ncp-apigw-signature-v2";
const MAX_SKEW_SECONDS: u128 = 300;

const SEED_PROJECT: u64 = 1234;

/// Seed 004, the three `content` items of the list-assets example response.
const SEED_ASSETS: [&str; 3] = [
    r#"{
                "assetId": 1001,
                "fileName": "sample-video-one.mp4",
                "projectId": 1234,
                "metaData": {
                    "resolution": "1280x720",
                    "durationMs": 91565,
                    "size": 101176289,
                    "format": "mp4"
                },
                "key": "sample-video-one.mp4",
                "createUserName": "user1",
                "createdTime": "2025-04-23T16:49:24",
                "updateUserName": "user1",
                "updatedTime": "2025-04-23T16:49:25"
            }"#,
    r#"{
                "assetId": 1002,
                "fileName": "sample-video-two.mp4",
                "projectId": 1234,
                "metaData": {
                    "resolution": "1920x1080",
                    "durationMs": 253702,
                    "size": 120333399,
                    "format": "mp4"
                },
                "key": "sample-video-two.mp4",
                "createUserName": "user2",
                "createdTime": "2025-04-23T17:13:37",
                "updateUserName": "user2",
                "updatedTime": "2025-04-23T17:13:38"
            }"#,
    r#"{
                "assetId": 1003,
                "fileName": "sample-video-three.mp4",
                "projectId": 1234,
                "metaData": {
                    "resolution": "1920x1080",
                    "durationMs": 293849,
                    "size": 76597066,
                    "format": "mp4"
                },
                "key": "sample-video-three.mp4",
                "createUserName": "user3",
                "createdTime": "2025-04-23T17:13:48",
                "updateUserName": "user3",
                "updatedTime": "2025-04-23T17:13:49"
            }"#,
];

pub(crate) fn router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/{*rest}", any(api::dispatch))
        .route_layer(middleware::from_fn_with_state(
            store.clone(),
            verify_signature,
        ))
        // Presigned uploads and Object Storage carry their own authorization: unsigned.
        .route(
            &format!("{}/{{*key}}", storage::PRESIGNED_SEGMENT),
            put(storage::presigned_put),
        )
        .route(
            &format!("{}/{{bucket}}/{{*key}}", storage::S3_SEGMENT),
            put(storage::s3_put).head(storage::s3_head),
        )
        .with_state(store)
}

/// Signature v2: Base64(HMAC-SHA256(secret, "METHOD URI\nTIMESTAMP\nACCESS_KEY")), where URI is
/// the path and query exactly as sent.
pub(crate) fn sign(
    secret_key: &str,
    method: &str,
    uri: &str,
    timestamp: &str,
    access_key: &str,
) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()) else {
        unreachable!("HMAC accepts keys of any length");
    };
    mac.update(format!("{method} {uri}\n{timestamp}\n{access_key}").as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

async fn verify_signature(
    State(store): State<Shared<Store>>,
    request: Request,
    next: Next,
) -> Response {
    let verdict = authenticate(&lock(&store), &request, now_millis());
    match verdict {
        Ok(()) => next.run(request).await,
        Err(details) => json::response(
            StatusCode::UNAUTHORIZED,
            format!(
                r#"{{"error":{{"errorCode":"200","message":"Authentication Failed","details":{}}}}}"#,
                json::quote(&details)
            ),
        ),
    }
}

fn authenticate(store: &Store, request: &Request, now_millis: u128) -> Result<(), String> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| format!("missing or unreadable header {name}"))
    };
    let timestamp = header(TIMESTAMP_HEADER)?;
    let access_key = header(ACCESS_KEY_HEADER)?;
    let signature = header(SIGNATURE_HEADER)?;
    let Ok(sent_millis) = timestamp.parse::<u64>() else {
        return Err(format!(
            "{TIMESTAMP_HEADER} must be milliseconds since the Unix epoch"
        ));
    };
    let Some(secret_key) = store.secret_keys.get(access_key) else {
        return Err("unknown access key".to_owned());
    };
    let skew_millis = now_millis.abs_diff(u128::from(sent_millis));
    if skew_millis > MAX_SKEW_SECONDS * 1000 {
        return Err(format!(
            "timestamp is {} seconds away from server time; the allowed skew is {MAX_SKEW_SECONDS} seconds",
            skew_millis / 1000
        ));
    }
    let target = RawTarget::from_request(request);
    let expected = sign(
        secret_key,
        request.method().as_str(),
        &target.path_and_query,
        timestamp,
        access_key,
    );
    if signature == expected {
        Ok(())
    } else {
        Err("signature mismatch".to_owned())
    }
}

fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCESS_KEY: &str = "EXAMPLEACCESSKEY0001";
    const SECRET_KEY: &str = "EXAMPLESECRETKEY0001EXAMPLESECRETKEY0001";
    const TIMESTAMP: &str = "1735689600000";

    fn vector(method: &str, uri: &str) -> String {
        sign(SECRET_KEY, method, uri, TIMESTAMP, ACCESS_KEY)
    }

    #[test]
    fn signs_vector_1_list_assets_with_query() {
        assert_eq!(
            vector(
                "GET",
                "/api/v1/workspaces/my-workspace/projects/1234/assets?pageNum=1&pageSize=100"
            ),
            "xMAxhCA3KN0d3T7ERwiQt40ADhXB4/PiT3nor8QDSKs="
        );
    }

    #[test]
    fn signs_vector_2_post_without_query() {
        assert_eq!(
            vector(
                "POST",
                "/api/v1/workspaces/my-workspace/projects/1234/assets/import/object-storage"
            ),
            "a5sJSpw8r3DSVtfX9jUQBj3CLvI+PezT+ZVjddyWN5g="
        );
    }

    #[test]
    fn signs_vector_3_short_path() {
        assert_eq!(
            vector("GET", "/api/v1/workspaces"),
            "+jbPDoiTeEx+bO0D3K9eifbYcwmpexmzSaLENdtF0Gw="
        );
    }

    #[test]
    fn signs_vector_4_percent_encoded_query() {
        assert_eq!(
            vector(
                "GET",
                "/api/v1/workspaces/my-workspace/persons?pageNum=1&name=%ED%99%8D%EA%B8%B8%EB%8F%99"
            ),
            "Digi8bbtEM1YRoy4bpwNot2SHs2DbY2SG+LApz96+FA="
        );
    }

    #[test]
    fn seed_fixture_key_order_is_the_documents() {
        let store = Store::seeded();
        let project = store.project("my-workspace", "1234");
        let first = project.and_then(|p| p.assets.values().next());
        assert!(
            first.is_some_and(|asset| asset.text.starts_with(r#"{"assetId":1001,"fileName":"#))
        );
    }
}
