//! Helpers shared by the integration tests.
// Test helpers: each test binary uses some of them, and panicking is how they fail.
#![allow(dead_code, clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use media_core::http::RetryPolicy;
use media_mock::credentials::{NCP_ACCESS_KEY, NCP_SECRET_KEY};
use media_mock::{MockServer, RecordedRequest};
use ncp_mi::{Client, Config};
use sha2::Sha256;

/// A config pointed at the mock, with the mock's keys and no retries.
pub(crate) fn config(server: &MockServer) -> Config {
    Config::new(NCP_ACCESS_KEY, NCP_SECRET_KEY)
        .base_url(server.ncp_mi_url())
        .retry(RetryPolicy::none())
}

pub(crate) fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

/// The signature computed here from the documented recipe, independently of the crate.
pub(crate) fn expected_signature(
    secret_key: &str,
    method: &str,
    uri: &str,
    timestamp: &str,
    access_key: &str,
) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).unwrap();
    mac.update(format!("{method} {uri}\n{timestamp}\n{access_key}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The path and query of a recorded request, as on its request line.
pub(crate) fn uri(request: &RecordedRequest) -> String {
    match &request.query {
        Some(query) => format!("{}?{query}", request.path),
        None => request.path.clone(),
    }
}

/// True when the recorded request carries a valid signature for the mock's keys.
pub(crate) fn verifies(request: &RecordedRequest) -> bool {
    let (Some(timestamp), Some(access_key), Some(signature)) = (
        request.header("x-ncp-apigw-timestamp"),
        request.header("x-ncp-iam-access-key"),
        request.header("x-ncp-apigw-signature-v2"),
    ) else {
        return false;
    };
    access_key == NCP_ACCESS_KEY
        && signature
            == expected_signature(
                NCP_SECRET_KEY,
                &request.method,
                &uri(request),
                timestamp,
                access_key,
            )
}

/// The API root path on the mock.
pub(crate) const ROOT: &str = "/ncp-mi/api/v1";

/// The last request the mock received.
pub(crate) fn last(server: &MockServer) -> RecordedRequest {
    server.requests().pop().unwrap()
}

// Callers build the body inline with `json!`; taking it by value keeps them short.
#[allow(clippy::needless_pass_by_value)]
/// Asserts the method, raw path (below the API root), raw query and JSON body of the last
/// request, and that it was signed correctly with `Content-Type: application/json`.
pub(crate) fn assert_sent(
    server: &MockServer,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: Option<serde_json::Value>,
) {
    let request = last(server);
    assert_eq!(request.method, method);
    assert_eq!(request.path, format!("{ROOT}{path}"));
    assert_eq!(request.query.as_deref(), query);
    assert_eq!(request.json(), body);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert!(verifies(&request), "bad signature on {method} {path}");
}

/// A poll options value that polls every millisecond.
pub(crate) fn fast() -> media_core::poll::PollOptions {
    media_core::poll::PollOptions::default()
        .interval(std::time::Duration::from_millis(1))
        .backoff(1.0)
        .max_wait(std::time::Duration::from_secs(10))
}
