//! The HTTP engine against media-mock over real HTTP on loopback: retries,
//! deadlines, broken connections, size limits, redirects, path encoding and
//! secrecy. These run on real time: tokio's paused clock auto-advances while
//! a socket is waiting, which would fire request deadlines spuriously.

#![allow(clippy::unwrap_used, clippy::needless_pass_by_value)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use media_core::http::{ApiRequest, Engine, HeaderKey, HttpSettings, RawResponse, RetryPolicy};
use media_core::{Error, Provider, Result, SecretString};
use media_mock::{Fault, FaultRule, MockServer, credentials};

const ASSET: &str = "6298d673f1090f1100476d4c";

fn engine_with(server: &MockServer, configure: impl FnOnce(&mut HttpSettings)) -> Engine {
    let mut settings = HttpSettings::new(server.twelvelabs_url(), "media-core-tests/0");
    settings.retry = RetryPolicy::default().with_initial_backoff(Duration::from_millis(10));
    configure(&mut settings);
    let auth = HeaderKey::new(
        "x-api-key",
        SecretString::from(credentials::TWELVELABS_API_KEY),
    )
    .unwrap();
    Engine::new(Provider::TwelveLabs, &settings, Arc::new(auth)).unwrap()
}

fn engine(server: &MockServer) -> Engine {
    engine_with(server, |_| {})
}

/// A minimal provider decoder: JSON on 2xx, TwelveLabs' flat error otherwise.
fn decode(raw: RawResponse) -> Result<serde_json::Value> {
    if raw.is_success() {
        return raw.json();
    }
    match raw.json::<serde_json::Value>() {
        Ok(body) => Err(raw.error(
            body["code"].as_str().map(str::to_owned),
            body["message"].as_str().unwrap_or_default(),
        )),
        Err(_) => Err(raw.error_without_envelope()),
    }
}

fn retrieve(id: &str) -> ApiRequest {
    ApiRequest::get("/assets/{asset_id}").path_param("asset_id", id)
}

fn count(server: &MockServer, method: &str, prefix: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(prefix))
        .count()
}

#[tokio::test]
async fn a_503_then_200_succeeds_after_exactly_two_requests() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(503))
            .path_prefix("/twelvelabs/v1.3/assets")
            .times(1),
    );
    let asset = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap();
    assert_eq!(asset["_id"], ASSET);
    assert_eq!(count(&server, "GET", "/twelvelabs/v1.3/assets"), 2);
}

#[tokio::test]
async fn retries_stop_at_the_limit_with_the_last_status() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(
        Fault::status(502).with_body("<html>Bad Gateway</html>"),
    ));
    let err = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 502, message, .. } if message.contains("Bad Gateway")),
        "{err}"
    );
    assert_eq!(
        count(&server, "GET", "/twelvelabs"),
        3,
        "1 attempt + 2 retries"
    );
}

#[tokio::test]
async fn retry_after_one_second_is_honoured() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(
            Fault::status(429)
                .with_header("Retry-After", "1")
                .with_body(r#"{"code":"too_many_requests","message":"slow down"}"#),
        )
        .times(1),
    );
    let started = Instant::now();
    engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    assert_eq!(count(&server, "GET", "/twelvelabs"), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_to_the_caller() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(
        Fault::status(429).with_header("Retry-After", "3600"),
    ));
    let err = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(matches!(
        err,
        Error::RateLimited {
            http_status: 429,
            ..
        }
    ));
    assert_eq!(count(&server, "GET", "/twelvelabs"), 1);
}

#[tokio::test]
async fn a_post_that_creates_is_not_retried_on_a_500() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(500)).method("POST"));
    let create = ApiRequest::post("/indexes").json(&serde_json::json!({"index_name": "x"}));
    let err = engine(&server).execute(&create, decode).await.unwrap_err();
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(count(&server, "POST", "/twelvelabs/v1.3/indexes"), 1);
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(500)).method("POST"));
    let create = ApiRequest::post("/analyze/tasks")
        .json(&serde_json::json!({"video_id": "v"}))
        .idempotency_key("key-1");
    engine(&server).execute(&create, decode).await.unwrap_err();
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 3);
    assert!(
        posts
            .iter()
            .all(|r| r.header("idempotency-key") == Some("key-1"))
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_create() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let settings = {
        let mut s = HttpSettings::new(format!("http://127.0.0.1:{port}/v1.3"), "t/0");
        s.retry = RetryPolicy::default().with_initial_backoff(Duration::from_millis(1));
        s
    };
    let engine = Engine::new(
        Provider::TwelveLabs,
        &settings,
        Arc::new(media_core::http::NoAuth),
    )
    .unwrap();
    let err = engine
        .execute(&ApiRequest::post("/indexes"), decode)
        .await
        .unwrap_err();
    assert!(err.never_reached_server(), "{err}");
    assert!(matches!(err, Error::Transport { connect: true, .. }));
}

#[tokio::test]
async fn the_request_deadline_is_enforced() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Delay(Duration::from_secs(30))));
    let engine = engine_with(&server, |s| {
        s.timeout = Duration::from_millis(300);
        s.retry = RetryPolicy::none();
    });
    let started = Instant::now();
    let err = engine.execute(&retrieve(ASSET), decode).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                provider: Provider::TwelveLabs,
                ..
            }
        ),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_read() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::DropConnection).times(1));
    let asset = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap();
    assert_eq!(asset["_id"], ASSET);
    assert_eq!(count(&server, "GET", "/twelvelabs"), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_not_retried_for_a_create() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::DropConnection).method("POST"));
    let err = engine(&server)
        .execute(&ApiRequest::post("/indexes"), decode)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { connect: false, .. }),
        "{err}"
    );
    assert_eq!(count(&server, "POST", "/twelvelabs"), 1);
}

#[tokio::test]
async fn a_truncated_body_is_retried_for_a_read() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::TruncatedBody).times(1));
    let asset = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap();
    assert_eq!(asset["_id"], ASSET);
    assert_eq!(count(&server, "GET", "/twelvelabs"), 2);
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Raw {
        status: 200,
        content_type: Some("application/json".into()),
        body: vec![b' '; 4096],
    }));
    let engine = engine_with(&server, |s| s.max_response_bytes = 1024);
    let err = engine.execute(&retrieve(ASSET), decode).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("exceeds the limit of 1024 bytes")),
        "{err}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_a_snippet() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Raw {
        status: 200,
        content_type: Some("application/json".into()),
        body: br#"{"_id": "6298d6"#.to_vec(),
    }));
    let err = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { body_snippet, http_status: 200, .. } if body_snippet.contains("6298d6")),
        "{err}"
    );
}

#[tokio::test]
async fn ids_travel_as_one_percent_encoded_segment() {
    let server = MockServer::start().await;
    let err = engine(&server)
        .execute(&retrieve("../indexes"), decode)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some("resource_not_exist"));
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/twelvelabs/v1.3/assets/..%2Findexes"]);
}

#[tokio::test]
async fn same_origin_redirects_are_followed() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(
            Fault::status(302).with_header("Location", &format!("/twelvelabs/v1.3/assets/{ASSET}")),
        )
        .path_prefix("/twelvelabs/v1.3/assets/moved")
        .times(1),
    );
    let asset = engine(&server)
        .execute(&retrieve("moved"), decode)
        .await
        .unwrap();
    assert_eq!(asset["_id"], ASSET);
}

#[tokio::test]
async fn cross_host_redirects_are_refused_and_keep_the_key_home() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start_on("127.0.0.2:0".parse().unwrap())
        .await
        .unwrap();
    let target = format!("{}/assets/{ASSET}", elsewhere.twelvelabs_url());
    server.inject(FaultRule::new(
        Fault::status(307).with_header("Location", &target),
    ));
    let err = engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 307, message, .. } if message.contains("not followed")),
        "{err}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "the key left the configured host"
    );
}

#[tokio::test]
async fn every_request_carries_the_user_agent_and_the_key_header() {
    let server = MockServer::start().await;
    engine(&server)
        .execute(&retrieve(ASSET), decode)
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("user-agent"), Some("media-core-tests/0"));
    assert_eq!(
        request.header("x-api-key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_the_request_but_never_the_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(503)).times(1));
    let engine = engine(&server);
    engine.execute(&retrieve(ASSET), decode).await.unwrap();
    let debug = format!("{engine:?}");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/assets/{asset_id}"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(!logs.contains(credentials::TWELVELABS_API_KEY), "{logs}");
    assert!(!debug.contains(credentials::TWELVELABS_API_KEY), "{debug}");
}

#[test]
fn engine_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let settings = HttpSettings::new("https://api.example.com/v1", "t/0");
    let engine = Engine::new(
        Provider::NcpMi,
        &settings,
        Arc::new(media_core::http::NoAuth),
    )
    .unwrap();
    let request = ApiRequest::get("/x");
    assert_send(&engine.execute(&request, decode));
    assert_send(&engine.send(&request));
}

#[tokio::test]
async fn the_rate_limit_spaces_retries_as_well_as_calls() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(503))
            .path_prefix("/twelvelabs/v1.3/assets")
            .times(1),
    );
    let engine = engine_with(&server, |settings| {
        settings.min_interval = Some(Duration::from_millis(200));
    });
    let started = Instant::now();
    engine.execute(&retrieve(ASSET), decode).await.unwrap();
    engine.execute(&retrieve(ASSET), decode).await.unwrap();
    assert_eq!(count(&server, "GET", "/twelvelabs/v1.3/assets"), 3);
    // Three attempts: the second and third each wait for their 200 ms slot.
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}
