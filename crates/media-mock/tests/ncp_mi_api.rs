//! NCP Media Intelligence beyond the asset list: stateful jobs, the error envelopes, the
//! unsigned presigned-upload and Object Storage routes.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use media_mock::{MockServer, credentials};
use serde_json::{Value, json};
use sha2::Sha256;

const ROOT: &str = "/ncp-mi/api/v1";

/// A correctly signed request; returns the status and the JSON body.
async fn call(server: &MockServer, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let uri = format!("{ROOT}{path}");
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(credentials::NCP_SECRET_KEY.as_bytes()).unwrap();
    mac.update(
        format!(
            "{method} {uri}\n{timestamp}\n{}",
            credentials::NCP_ACCESS_KEY
        )
        .as_bytes(),
    );
    let signature = BASE64.encode(mac.finalize().into_bytes());
    let mut request = reqwest::Client::new()
        .request(method.parse().unwrap(), format!("{}{uri}", server.url()))
        .header("content-type", "application/json")
        .header("x-ncp-apigw-timestamp", timestamp)
        .header("x-ncp-iam-access-key", credentials::NCP_ACCESS_KEY)
        .header("x-ncp-apigw-signature-v2", signature);
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

const ASSET: &str = "/workspaces/my-workspace/projects/1234/assets/1001";

#[tokio::test]
async fn an_analysis_advances_one_state_per_poll() {
    let server = MockServer::start().await;
    let (status, body) = call(&server, "POST", &format!("{ASSET}/index"), Some(json!({}))).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("0")));
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (_, body) = call(&server, "GET", &format!("{ASSET}/index/status"), None).await;
        seen.push(body["result"]["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        seen,
        [
            "WAIT_ANALYZE",
            "ANALYZING",
            "ANALYZE_COMPLETED",
            "ANALYZE_COMPLETED"
        ]
    );
    let (status, body) = call(&server, "GET", &format!("{ASSET}/index"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["indexId"], 10001);
}

#[tokio::test]
async fn a_running_analysis_conflicts_in_the_response_error_envelope() {
    let server = MockServer::start().await;
    call(&server, "POST", &format!("{ASSET}/index"), Some(json!({}))).await;
    let (status, body) = call(&server, "POST", &format!("{ASSET}/index"), Some(json!({}))).await;
    assert_eq!(status, 409);
    assert_eq!(body["responseError"]["code"], "409");
    let (status, body) = call(&server, "GET", &format!("{ASSET}/scene-summary"), None).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("404")));
    let (status, body) = call(
        &server,
        "DELETE",
        "/workspaces/my-workspace/projects/1200",
        None,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("10027")));
}

#[tokio::test]
async fn presigned_urls_take_one_unsigned_put() {
    let server = MockServer::start().await;
    let (_, body) = call(
        &server,
        "POST",
        "/query-assets/uploads/presigned-url",
        Some(json!({"assetType":"IMAGE","assetFileName":"q.jpg"})),
    )
    .await;
    let url = body["result"]["presignedUploadUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = body["result"]["assetFileKey"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&server.url()), "{url}");
    let http = reqwest::Client::new();
    assert_eq!(
        http.put(&url)
            .body(vec![1u8; 10])
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        http.put(&url)
            .body(vec![1u8; 10])
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let (_, done) = call(
        &server,
        "POST",
        "/query-assets/uploads/complete",
        Some(json!({"assetKey": key})),
    )
    .await;
    assert_eq!(done["result"]["uploadStatus"], "COMPLETED");
    let (status, _) = call(
        &server,
        "POST",
        "/query-assets/uploads/presigned-url",
        Some(json!({"assetType":"VIDEO","assetFileName":"q.mp4"})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn object_storage_put_and_head_are_path_style() {
    let server = MockServer::start().await;
    let url = format!(
        "{}{ROOT}/_object-storage/media-in/clips/a.mp4",
        server.url()
    );
    let http = reqwest::Client::new();
    assert_eq!(http.head(&url).send().await.unwrap().status(), 404);
    let put = http.put(&url).body(vec![0u8; 2048]).send().await.unwrap();
    assert_eq!(put.status(), 200);
    assert!(put.headers().contains_key("etag"));
    let head = http.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], "2048");
    // Registering the object reads its size.
    let (_, asset) = call(
        &server,
        "POST",
        "/workspaces/my-workspace/projects/1234/assets/import/object-storage",
        Some(json!({"key":"clips/a.mp4","bucketName":"media-in"})),
    )
    .await;
    assert_eq!(asset["result"]["metaData"]["size"], 2048);
}
