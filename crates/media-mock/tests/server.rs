//! The server itself: base URLs, environment, the loud no-route answer, isolation, shutdown.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use std::net::SocketAddr;
use std::time::Duration;

use media_mock::{MockServer, credentials};
use serde_json::json;

#[tokio::test]
async fn base_urls_hang_off_the_loopback_root() {
    let server = MockServer::start().await;
    let url = format!("http://127.0.0.1:{}", server.addr().port());
    assert!(server.addr().ip().is_loopback());
    assert_eq!(server.url(), url);
    assert_eq!(
        server.memories_v1_url(),
        format!("{url}/memories-v1/serve/api/v1")
    );
    assert_eq!(
        server.memories_v2_url(),
        format!("{url}/memories-v2/serve/api/v2")
    );
    assert_eq!(server.twelvelabs_url(), format!("{url}/twelvelabs/v1.3"));
    assert_eq!(server.ncp_mi_url(), format!("{url}/ncp-mi/api/v1"));
    assert_eq!(
        server.memories_stream_url(),
        format!("{url}/memories-stream/v1")
    );
    assert_eq!(
        server.memories_caption_url(),
        format!("{url}/memories-caption/v1")
    );
}

#[tokio::test]
async fn env_vars_point_every_client_at_the_mock_in_order() {
    let server = MockServer::start().await;
    let expected = vec![
        ("MEMORIES_API_KEY", credentials::MEMORIES_API_KEY.to_owned()),
        ("MEMORIES_V1_BASE_URL", server.memories_v1_url()),
        ("MEMORIES_V2_BASE_URL", server.memories_v2_url()),
        ("MEMORIES_V2_STREAM_BASE_URL", server.memories_stream_url()),
        (
            "MEMORIES_CAPTION_API_KEY",
            credentials::MEMORIES_CAPTION_API_KEY.to_owned(),
        ),
        ("MEMORIES_CAPTION_BASE_URL", server.memories_caption_url()),
        (
            "TWELVE_LABS_API_KEY",
            credentials::TWELVELABS_API_KEY.to_owned(),
        ),
        ("TWELVELABS_BASE_URL", server.twelvelabs_url()),
        ("NCLOUD_ACCESS_KEY", credentials::NCP_ACCESS_KEY.to_owned()),
        ("NCLOUD_SECRET_KEY", credentials::NCP_SECRET_KEY.to_owned()),
        ("NCP_MI_BASE_URL", server.ncp_mi_url()),
        ("NCP_MI_WORKSPACE", "my-workspace".to_owned()),
        ("NCP_MI_PROJECT", "1234".to_owned()),
        (
            "NCP_OBJECT_STORAGE_ENDPOINT",
            format!("{}/_object-storage", server.ncp_mi_url()),
        ),
        ("NCP_OBJECT_STORAGE_BUCKET", "media-mock".to_owned()),
    ];
    assert_eq!(server.env_vars(), expected);
}

#[tokio::test]
async fn unknown_paths_and_methods_get_a_loud_500() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();

    let unknown = http
        .get(format!(
            "{}/twelvelabs/v1.3/no/such/thing?x=1",
            server.url()
        ))
        .header("x-api-key", credentials::TWELVELABS_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 500);
    assert_eq!(
        unknown.text().await.unwrap(),
        "media-mock: no route for GET /twelvelabs/v1.3/no/such/thing"
    );

    let wrong_method = http
        .put(format!("{}/get_metadata", server.memories_v1_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 500);
    assert_eq!(
        wrong_method.text().await.unwrap(),
        "media-mock: no route for PUT /memories-v1/serve/api/v1/get_metadata"
    );

    let root = http.get(server.url()).send().await.unwrap();
    assert_eq!(root.status(), 500);
    assert_eq!(root.text().await.unwrap(), "media-mock: no route for GET /");
}

#[tokio::test]
async fn servers_do_not_share_state() {
    let first = MockServer::start().await;
    let second = MockServer::start().await;
    assert_ne!(first.addr(), second.addr());
    first.seed_twelvelabs_asset(json!({"_id": "only-in-first"}));

    let fetch = |server: &MockServer| {
        reqwest::Client::new()
            .get(format!("{}/assets/only-in-first", server.twelvelabs_url()))
            .header("x-api-key", credentials::TWELVELABS_API_KEY)
            .send()
    };
    assert_eq!(fetch(&first).await.unwrap().status(), 200);
    assert_eq!(fetch(&second).await.unwrap().status(), 404);
    assert_eq!(first.requests().len(), 1);
    assert_eq!(second.requests().len(), 1);
}

#[tokio::test]
async fn start_on_binds_the_given_address_or_reports_why_not() {
    let server = MockServer::start_on(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    assert_ne!(server.addr().port(), 0);
    let taken = MockServer::start_on(server.addr()).await;
    assert!(taken.is_err());
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = MockServer::start().await;
    let addr = server.addr();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    drop(server);

    let mut refused = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "the listener should close after the drop");
}

#[test]
fn public_types_and_futures_are_send() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<MockServer>();
    send_sync::<media_mock::RecordedRequest>();
    send_sync::<media_mock::FaultRule>();
    send(&MockServer::start());
    send(&MockServer::start_on(SocketAddr::from(([127, 0, 0, 1], 0))));
}
