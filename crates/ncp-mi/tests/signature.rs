//! API Gateway signature v2 over real HTTP against media-mock, which verifies it the
//! way the gateway does (same string to sign, 5-minute skew window).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::{client, config, expected_signature, uri, verifies};
use media_core::http::RetryPolicy;
use media_mock::credentials::{NCP_ACCESS_KEY, NCP_PROJECT, NCP_SECRET_KEY, NCP_WORKSPACE};
use media_mock::{Fault, FaultRule, MockServer};
use ncp_mi::{Client, Clock, Config, Error, FixedClock, ListAssetsParams, SystemClock};

const PROJECT: u64 = 1234;

fn params() -> ListAssetsParams {
    ListAssetsParams::new(1).page_size(100)
}

#[test]
fn mock_project_constant_matches() {
    assert_eq!(NCP_PROJECT, PROJECT.to_string());
}

#[tokio::test]
async fn the_right_keys_are_accepted() {
    let server = MockServer::start().await;
    let page = client(&server)
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &params())
        .await
        .unwrap();
    assert_eq!(page.content.len(), 3);
    assert!(verifies(&server.requests()[0]));
}

#[tokio::test]
async fn the_recorded_request_carries_the_three_headers_and_a_signature_that_recomputes() {
    let server = MockServer::start().await;
    let now = SystemClock.now_millis();
    let client = Client::new(config(&server).clock(Arc::new(FixedClock::new(now)))).unwrap();
    client
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &params())
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    // The mock's proxy-style prefix is part of the signed path.
    assert_eq!(
        request.path,
        "/ncp-mi/api/v1/workspaces/my-workspace/projects/1234/assets"
    );
    assert_eq!(request.query.as_deref(), Some("pageNum=1&pageSize=100"));
    let timestamp = now.to_string();
    assert_eq!(
        request.header("x-ncp-apigw-timestamp"),
        Some(timestamp.as_str())
    );
    assert_eq!(request.header("x-ncp-iam-access-key"), Some(NCP_ACCESS_KEY));
    let expected = expected_signature(
        NCP_SECRET_KEY,
        "GET",
        "/ncp-mi/api/v1/workspaces/my-workspace/projects/1234/assets?pageNum=1&pageSize=100",
        &timestamp,
        NCP_ACCESS_KEY,
    );
    assert_eq!(
        request.header("x-ncp-apigw-signature-v2"),
        Some(expected.as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("ncp-mi/", env!("CARGO_PKG_VERSION")))
    );
}

#[tokio::test]
async fn a_wrong_secret_is_unauthorized_and_no_key_is_shown() {
    let server = MockServer::start().await;
    let wrong_secret = "WRONGSECRETKEY0001WRONGSECRETKEY0001";
    let client = Client::new(
        Config::new(NCP_ACCESS_KEY, wrong_secret)
            .base_url(server.ncp_mi_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap();
    let err = client
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &params())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { http_status: 401, code: Some(code), .. } if code == "200"),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("signature mismatch"), "{shown}");
    for key in [NCP_ACCESS_KEY, NCP_SECRET_KEY, wrong_secret] {
        assert!(!shown.contains(key), "{shown}");
    }
    // Not retried: a bad signature does not heal.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_unknown_access_key_is_unauthorized() {
    let server = MockServer::start().await;
    let client = Client::new(
        Config::new("UNKNOWNACCESSKEY", NCP_SECRET_KEY)
            .base_url(server.ncp_mi_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap();
    let err = client
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &params())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert!(!err.to_string().contains("UNKNOWNACCESSKEY"), "{err}");
}

#[tokio::test]
async fn a_clock_six_minutes_behind_is_rejected_with_the_skew_named() {
    let server = MockServer::start().await;
    let six_minutes_ago = SystemClock.now_millis() - 6 * 60 * 1000;
    let client =
        Client::new(config(&server).clock(Arc::new(FixedClock::new(six_minutes_ago)))).unwrap();
    let err = client
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &params())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains("skew"), "{shown}");
    assert!(shown.contains("seconds away from server time"), "{shown}");
    assert!(!shown.contains(NCP_ACCESS_KEY), "{shown}");
    // The signature itself was right: only the timestamp was stale.
    assert!(verifies(&server.requests()[0]));
}

/// A clock that moves one second forward on every reading.
#[derive(Debug)]
struct SteppingClock {
    next: AtomicU64,
}

impl Clock for SteppingClock {
    fn now_millis(&self) -> u64 {
        self.next.fetch_add(1000, Ordering::SeqCst)
    }
}

#[tokio::test]
async fn every_retry_is_signed_afresh() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(503))
            .method("GET")
            .path_prefix("/ncp-mi/api/v1/workspaces")
            .times(1),
    );
    let clock = Arc::new(SteppingClock {
        next: AtomicU64::new(SystemClock.now_millis()),
    });
    let client = Client::new(
        config(&server)
            .clock(clock)
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))),
    )
    .unwrap();
    let page = client
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &params())
        .await
        .unwrap();
    assert_eq!(page.content.len(), 3);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let stamps: Vec<u64> = requests
        .iter()
        .map(|r| r.header("x-ncp-apigw-timestamp").unwrap().parse().unwrap())
        .collect();
    assert_eq!(stamps[1], stamps[0] + 1000);
    assert_ne!(
        requests[0].header("x-ncp-apigw-signature-v2"),
        requests[1].header("x-ncp-apigw-signature-v2")
    );
    assert!(requests.iter().all(verifies));
    assert_eq!(uri(&requests[0]), uri(&requests[1]));
}

#[tokio::test]
async fn percent_encoded_paths_are_signed_as_sent() {
    let server = MockServer::start().await;
    // An unknown workspace: the gateway check passes (no 401), then MI answers 10001.
    let err = client(&server)
        .assets()
        .list("홍길동 ws", PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 400, code: Some(code), .. } if code == "10001"),
        "{err:?}"
    );
    let request = &server.requests()[0];
    assert_eq!(
        request.path,
        "/ncp-mi/api/v1/workspaces/%ED%99%8D%EA%B8%B8%EB%8F%99%20ws/projects/1234/assets"
    );
    assert_eq!(request.query.as_deref(), Some("pageNum=1"));
    assert!(verifies(request));
}
