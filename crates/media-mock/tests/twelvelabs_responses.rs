//! TwelveLabs `/responses` over HTTP: JSON and an SSE stream ending in `[DONE]`.
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
async fn sse_ends_with_done() {
    let server = MockServer::start().await;
    let (_, _, text) = call(
        &server,
        "POST",
        "/knowledge-stores",
        Some(json!({"name": "s"})),
    )
    .await;
    let ks = json_of(&text)["_id"].as_str().unwrap().to_owned();
    let input = json!([{"type": "message", "role": "user", "content": "hi"}]);
    let (status, content_type, text) = call(
        &server,
        "POST",
        "/responses",
        Some(json!({"knowledge_store_id": ks, "input": input, "stream": false})),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(json_of(&text)["object"], "response");
    let (status, content_type, text) = call(
        &server,
        "POST",
        "/responses",
        Some(json!({"knowledge_store_id": ks, "input": input, "stream": true})),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (200, "text/event-stream"));
    assert!(text.starts_with("event: response.created\n"));
    assert!(text.ends_with("data: [DONE]\n\n"));
    let (status, _, _) = call(
        &server,
        "POST",
        "/responses",
        Some(json!({"knowledge_store_id": ks, "input": []})),
    )
    .await;
    assert_eq!(status, 400);
}
