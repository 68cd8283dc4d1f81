//! Fault injection over HTTP: each fault kind, rule matching and spending.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use std::time::{Duration, Instant};

use media_mock::{Fault, FaultRule, MockServer, credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ASSET_PATH: &str = "/twelvelabs/v1.3/assets/6298d673f1090f1100476d4c";
const SEED_ASSET_LEN: usize = 445;

async fn get_asset(server: &MockServer) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .get(format!("{}{ASSET_PATH}", server.url()))
        .header("x-api-key", credentials::TWELVELABS_API_KEY)
        .send()
        .await
}

/// Sends one keep-alive GET by hand and returns everything received until the server closes.
async fn raw_exchange(server: &MockServer, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nx-api-key: {}\r\n\r\n",
        server.addr(),
        credentials::TWELVELABS_API_KEY
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
        .await
        .unwrap_or_else(|_| panic!("the server should close the connection"))
        .unwrap();
    received
}

#[tokio::test]
async fn status_fault_sends_headers_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"code":"too_many_requests","message":"Slow down."}"#;
    server.inject(
        FaultRule::new(
            Fault::status(429)
                .with_header("Retry-After", "7")
                .with_body(body),
        )
        .path_prefix("/twelvelabs/"),
    );

    let response = get_asset(&server).await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), body);

    let other = reqwest::Client::new()
        .get(format!(
            "{}/get_metadata?video_no=VI606404158946574336",
            server.memories_v1_url()
        ))
        .header("Authorization", credentials::MEMORIES_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn bare_status_fault_has_an_empty_untyped_body() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(503)));
    let response = get_asset(&server).await.unwrap();
    assert_eq!(response.status(), 503);
    assert!(response.headers().get("content-type").is_none());
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn raw_fault_sends_arbitrary_bytes() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 502,
            content_type: Some("text/html".to_owned()),
            body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        })
        .times(1),
    );
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".to_owned()),
            body: vec![b'{', 0xff, 0xfe, b'"'],
        })
        .times(1),
    );
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: None,
            body: Vec::new(),
        })
        .times(1),
    );

    let html = get_asset(&server).await.unwrap();
    assert_eq!(html.status(), 502);
    assert_eq!(html.headers()["content-type"], "text/html");
    assert_eq!(
        html.text().await.unwrap(),
        "<html><body>502 Bad Gateway</body></html>"
    );

    let invalid = get_asset(&server).await.unwrap();
    assert_eq!(invalid.status(), 200);
    assert_eq!(
        invalid.bytes().await.unwrap().as_ref(),
        [b'{', 0xff, 0xfe, b'"']
    );

    let empty = get_asset(&server).await.unwrap();
    assert_eq!(empty.status(), 200);
    assert!(empty.headers().get("content-type").is_none());
    assert_eq!(empty.headers()["content-length"], "0");
    assert!(empty.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn delay_fault_waits_then_serves_normally() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Delay(Duration::from_millis(300))).times(1));
    let started = Instant::now();
    let response = get_asset(&server).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap().len(), SEED_ASSET_LEN);
}

#[tokio::test]
async fn long_delay_is_a_server_that_never_answers() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Delay(Duration::from_secs(3600))));
    let error = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
        .get(format!("{}{ASSET_PATH}", server.url()))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn drop_connection_sends_no_status_line() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::DropConnection).times(2));

    assert!(raw_exchange(&server, ASSET_PATH).await.is_empty());

    let error = get_asset(&server).await.unwrap_err();
    assert!(error.status().is_none(), "{error:?}");
    assert!(error.is_request() || error.is_connect(), "{error:?}");

    assert_eq!(get_asset(&server).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn truncated_body_announces_the_full_length_and_sends_half() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::TruncatedBody).times(2));

    let received = raw_exchange(&server, ASSET_PATH).await;
    let text = String::from_utf8(received).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-length: {SEED_ASSET_LEN}\r\n")),
        "{head}"
    );
    assert_eq!(body.len(), SEED_ASSET_LEN / 2);
    assert!(body.starts_with(r#"{"_id":"6298d673f1090f1100476d4c","#));

    let response = get_asset(&server).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(SEED_ASSET_LEN as u64));
    assert!(response.bytes().await.is_err());

    assert_eq!(
        get_asset(&server)
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .len(),
        SEED_ASSET_LEN
    );
}

#[tokio::test]
async fn times_spends_the_rule_after_n_matches() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(500)).times(2));
    assert_eq!(get_asset(&server).await.unwrap().status(), 500);
    assert_eq!(get_asset(&server).await.unwrap().status(), 500);
    assert_eq!(get_asset(&server).await.unwrap().status(), 200);
    assert_eq!(get_asset(&server).await.unwrap().status(), 200);
}

#[tokio::test]
async fn first_live_matching_rule_fires_in_insertion_order() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(418)).method("POST"));
    server.inject(FaultRule::new(Fault::status(404)).path_prefix("/memories-v1/"));
    server.inject(
        FaultRule::new(Fault::status(429))
            .method("get")
            .path_prefix("/twelvelabs/v1.3/assets")
            .times(1),
    );
    server.inject(FaultRule::new(Fault::status(503)).path_prefix("/twelvelabs/"));

    assert_eq!(get_asset(&server).await.unwrap().status(), 429);
    assert_eq!(get_asset(&server).await.unwrap().status(), 503);
    let posted = reqwest::Client::new()
        .post(format!("{}{ASSET_PATH}", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 418);

    server.clear_faults();
    assert_eq!(get_asset(&server).await.unwrap().status(), 200);
}

#[tokio::test]
async fn faults_apply_to_paths_without_a_route() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(429).with_body("slow down")).times(1));
    let url = format!("{}/nowhere/at/all", server.url());
    let faulted = reqwest::get(&url).await.unwrap();
    assert_eq!(faulted.status(), 429);
    assert_eq!(
        faulted.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(faulted.text().await.unwrap(), "slow down");
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 500);
}
