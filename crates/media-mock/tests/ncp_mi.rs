//! NCP Media Intelligence over HTTP: signature v2 verification and the asset list.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use media_mock::{MockServer, credentials};
use serde_json::{Value, json};
use sha2::Sha256;

/// Seed 004's example response, compacted.
const SEED_LIST: &str = r#"{"code":"0","message":"success","result":{"content":[{"assetId":1001,"fileName":"sample-video-one.mp4","projectId":1234,"metaData":{"resolution":"1280x720","durationMs":91565,"size":101176289,"format":"mp4"},"key":"sample-video-one.mp4","createUserName":"user1","createdTime":"2025-04-23T16:49:24","updateUserName":"user1","updatedTime":"2025-04-23T16:49:25"},{"assetId":1002,"fileName":"sample-video-two.mp4","projectId":1234,"metaData":{"resolution":"1920x1080","durationMs":253702,"size":120333399,"format":"mp4"},"key":"sample-video-two.mp4","createUserName":"user2","createdTime":"2025-04-23T17:13:37","updateUserName":"user2","updatedTime":"2025-04-23T17:13:38"},{"assetId":1003,"fileName":"sample-video-three.mp4","projectId":1234,"metaData":{"resolution":"1920x1080","durationMs":293849,"size":76597066,"format":"mp4"},"key":"sample-video-three.mp4","createUserName":"user3","createdTime":"2025-04-23T17:13:48","updateUserName":"user3","updatedTime":"2025-04-23T17:13:49"}],"totalCount":3,"totalPage":1,"pageNo":1,"pageSize":100}}"#;
const INVALID_REQUEST: &str = r#"{"code":"10001","message":"Invalid Request."}"#;
const ASSETS: &str = "/ncp-mi/api/v1/workspaces/my-workspace/projects/1234/assets";

/// How a test request is signed; `Default` is a correct signature made now.
struct Signing<'a> {
    secret_key: &'a str,
    access_key: &'a str,
    age: Duration,
    /// The URI put into the string to sign, when it differs from what is sent.
    signed_uri: Option<&'a str>,
}

impl Default for Signing<'_> {
    fn default() -> Self {
        Self {
            secret_key: credentials::NCP_SECRET_KEY,
            access_key: credentials::NCP_ACCESS_KEY,
            age: Duration::ZERO,
            signed_uri: None,
        }
    }
}

fn signature(secret_key: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).unwrap();
    mac.update(string_to_sign.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

async fn send(
    server: &MockServer,
    path_and_query: &str,
    signing: Option<Signing<'_>>,
) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .get(format!("{}{path_and_query}", server.url()))
        .header("Content-Type", "application/json");
    if let Some(signing) = signing {
        let timestamp = (SystemTime::now() - signing.age)
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis()
            .to_string();
        let uri = signing.signed_uri.unwrap_or(path_and_query);
        let string_to_sign = format!("GET {uri}\n{timestamp}\n{}", signing.access_key);
        request = request
            .header("x-ncp-apigw-timestamp", &timestamp)
            .header("x-ncp-iam-access-key", signing.access_key)
            .header(
                "x-ncp-apigw-signature-v2",
                signature(signing.secret_key, &string_to_sign),
            );
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn signed(server: &MockServer, path_and_query: &str) -> (u16, String) {
    send(server, path_and_query, Some(Signing::default())).await
}

async fn list(server: &MockServer, path_and_query: &str) -> Value {
    let (status, body) = signed(server, path_and_query).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn asset_ids(list: &Value) -> Vec<u64> {
    list["result"]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| asset["assetId"].as_u64().unwrap())
        .collect()
}

fn auth_details(body: &str) -> String {
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["error"]["errorCode"], "200", "{body}");
    assert_eq!(body["error"]["message"], "Authentication Failed", "{body}");
    body["error"]["details"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn seeded_list_is_served_exactly_as_documented() {
    let server = MockServer::start().await;
    assert_eq!(
        signed(&server, &format!("{ASSETS}?pageNum=1&pageSize=100")).await,
        (200, SEED_LIST.to_owned())
    );
}

#[tokio::test]
async fn page_size_defaults_to_1000_and_pages_beyond_the_end_are_empty() {
    let server = MockServer::start().await;
    let default = list(&server, &format!("{ASSETS}?pageNum=1")).await;
    assert_eq!(asset_ids(&default), [1001, 1002, 1003]);
    assert_eq!(default["result"]["pageSize"], 1000);

    let second = list(&server, &format!("{ASSETS}?pageNum=2&pageSize=2")).await;
    assert_eq!(asset_ids(&second), [1003]);
    assert_eq!(
        (
            &second["result"]["totalCount"],
            &second["result"]["totalPage"],
            &second["result"]["pageNo"],
            &second["result"]["pageSize"],
        ),
        (&json!(3), &json!(2), &json!(2), &json!(2))
    );

    let beyond = list(&server, &format!("{ASSETS}?pageNum=3&pageSize=2")).await;
    assert_eq!(asset_ids(&beyond), Vec::<u64>::new());
    assert_eq!(beyond["result"]["totalCount"], 3);
}

#[tokio::test]
async fn invalid_paging_or_unknown_workspace_or_project_is_10001() {
    let server = MockServer::start().await;
    for path_and_query in [
        ASSETS.to_owned(),
        format!("{ASSETS}?pageSize=10"),
        format!("{ASSETS}?pageNum=0"),
        format!("{ASSETS}?pageNum=one"),
        format!("{ASSETS}?pageNum=1&pageSize=0"),
        format!("{ASSETS}?pageNum=1&pageSize=1001"),
        format!("{ASSETS}?pageNum=1&pageSize=-5"),
        "/ncp-mi/api/v1/workspaces/other-workspace/projects/1234/assets?pageNum=1".to_owned(),
        "/ncp-mi/api/v1/workspaces/my-workspace/projects/9999/assets?pageNum=1".to_owned(),
        "/ncp-mi/api/v1/workspaces/my-workspace/projects/abc/assets?pageNum=1".to_owned(),
    ] {
        assert_eq!(
            signed(&server, &path_and_query).await,
            (400, INVALID_REQUEST.to_owned()),
            "{path_and_query}"
        );
    }
}

#[tokio::test]
async fn seeded_assets_create_their_workspace_and_project_and_sort_by_id() {
    let server = MockServer::start().await;
    server.seed_ncp_mi_asset("team-b", 77, json!({"assetId": 30, "fileName": "c.mp4"}));
    server.seed_ncp_mi_asset("team-b", 77, json!({"assetId": "4", "fileName": "a.mov"}));
    let page = list(
        &server,
        "/ncp-mi/api/v1/workspaces/team-b/projects/77/assets?pageNum=1",
    )
    .await;
    assert_eq!(
        page["result"]["content"],
        json!([{"assetId": "4", "fileName": "a.mov"}, {"assetId": 30, "fileName": "c.mp4"}])
    );
}

#[tokio::test]
async fn missing_headers_are_rejected() {
    let server = MockServer::start().await;
    let (status, body) = send(&server, &format!("{ASSETS}?pageNum=1"), None).await;
    assert_eq!(status, 401);
    assert!(
        auth_details(&body).contains("x-ncp-apigw-timestamp"),
        "{body}"
    );
}

#[tokio::test]
async fn wrong_secret_or_unknown_access_key_is_rejected() {
    let server = MockServer::start().await;
    let uri = format!("{ASSETS}?pageNum=1");
    let (status, body) = send(
        &server,
        &uri,
        Some(Signing {
            secret_key: "NOT-THE-SECRET",
            ..Signing::default()
        }),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(auth_details(&body), "signature mismatch");

    let (status, body) = send(
        &server,
        &uri,
        Some(Signing {
            access_key: "SOMEONEELSE0001",
            ..Signing::default()
        }),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(auth_details(&body), "unknown access key");
}

#[tokio::test]
async fn timestamp_six_minutes_old_is_rejected_with_the_skew() {
    let server = MockServer::start().await;
    let (status, body) = send(
        &server,
        &format!("{ASSETS}?pageNum=1"),
        Some(Signing {
            age: Duration::from_secs(360),
            ..Signing::default()
        }),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        auth_details(&body),
        "timestamp is 360 seconds away from server time; the allowed skew is 300 seconds"
    );

    let (status, _) = send(
        &server,
        &format!("{ASSETS}?pageNum=1"),
        Some(Signing {
            age: Duration::from_secs(240),
            ..Signing::default()
        }),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_signed_uri_is_the_raw_path_and_query_as_sent() {
    let server = MockServer::start().await;
    let sent = format!("{ASSETS}?pageNum=1&pageSize=100&name=%ED%99%8D");
    assert_eq!(signed(&server, &sent).await.0, 200);

    for signed_uri in [
        format!("{ASSETS}?pageNum=1&pageSize=100&name=홍"),
        "/api/v1/workspaces/my-workspace/projects/1234/assets?pageNum=1&pageSize=100&name=%ED%99%8D"
            .to_owned(),
        ASSETS.to_owned(),
    ] {
        let (status, body) = send(
            &server,
            &sent,
            Some(Signing {
                signed_uri: Some(&signed_uri),
                ..Signing::default()
            }),
        )
        .await;
        assert_eq!(status, 401, "{signed_uri}");
        assert_eq!(auth_details(&body), "signature mismatch");
    }
}
