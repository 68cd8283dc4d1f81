//! Shared helpers of the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use media_core::http::RetryPolicy;
use media_mock::{MockServer, RecordedRequest, credentials};
use memories_v2::{Client, Config, WebhookReceiver};

pub(crate) const PREFIX: &str = "/memories-v2/serve/api/v2";
pub(crate) const SEED_ID: &str = "re_660729180626595840";
pub(crate) const GROUP_ID: &str = "im_666914042514116608";

pub(crate) fn config(server: &MockServer) -> Config {
    Config::new(credentials::MEMORIES_API_KEY)
        .base_url(server.memories_v2_url())
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(5)))
}

pub(crate) fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

/// A receiver on a free loopback port, registered as the mock account's webhook.
pub(crate) async fn receiver(server: &MockServer) -> WebhookReceiver {
    let receiver = WebhookReceiver::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
        .with_default_wait(Duration::from_secs(10));
    server.set_memories_v2_webhook_url(Some(&receiver.url()));
    receiver
}

/// The last recorded request whose path ends with `suffix`.
pub(crate) fn last(server: &MockServer, suffix: &str) -> RecordedRequest {
    server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no request to …{suffix}"))
}

/// Checks method, raw path, auth header and JSON content type of a recorded JSON call.
pub(crate) fn assert_json_call(request: &RecordedRequest, method: &str, path: &str) {
    assert_eq!(request.method, method);
    assert_eq!(request.path, format!("{PREFIX}{path}"));
    assert_eq!(
        request.header("authorization"),
        Some(credentials::MEMORIES_API_KEY)
    );
    if method == "POST" {
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
}

pub(crate) fn temp_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
