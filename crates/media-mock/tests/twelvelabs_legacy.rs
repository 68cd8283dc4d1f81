//! TwelveLabs legacy routes (gist, summarize, generate, S3 transfers) over HTTP.
#![allow(clippy::unwrap_used)]

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};

async fn call(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, String, String) {
    call_with(
        server,
        method,
        path,
        body,
        Some(credentials::TWELVELABS_API_KEY),
    )
    .await
}

async fn call_with(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
    key: Option<&str>,
) -> (u16, String, String) {
    let url = format!("{}{path}", server.twelvelabs_url());
    let mut request = reqwest::Client::new().request(method.parse().unwrap(), url);
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[tokio::test]
async fn legacy_shapes() {
    let server = MockServer::start().await;
    let (status, _, text) = call(
        &server,
        "POST",
        "/summarize",
        Some(json!({"video_id": "v", "type": "chapter"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(json_of(&text)["chapters"][0]["chapter_number"], 0);
    let (status, _, _) = call(
        &server,
        "POST",
        "/summarize",
        Some(json!({"video_id": "v", "type": "chapter", "response_format": {}})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, _) = call(
        &server,
        "POST",
        "/gist",
        Some(json!({"video_id": "missing-v", "types": ["title"]})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = call(
        &server,
        "POST",
        "/tasks/transfers/import/int-1",
        Some(json!({"index_id": "i"})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _, _) = call(&server, "GET", "/tasks/transfers/import/int-1/status", None).await;
    assert_eq!(status, 400);
}
