//! TwelveLabs knowledge stores, items, collections and search tokens over HTTP.
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
async fn stores_items_and_expired_search_tokens() {
    let server = MockServer::start().await;
    let (status, _, text) = call(
        &server,
        "POST",
        "/knowledge-stores",
        Some(json!({"name": "s", "metadata": {"a": null}})),
    )
    .await;
    assert_eq!(status, 400, "{text}");
    let (status, _, text) = call(
        &server,
        "POST",
        "/knowledge-stores",
        Some(json!({"name": "s"})),
    )
    .await;
    assert_eq!(status, 200);
    let ks = json_of(&text)["_id"].as_str().unwrap().to_owned();
    assert!(ks.starts_with("ks_"));
    let (status, _, text) = call(
        &server,
        "POST",
        &format!("/knowledge-stores/{ks}/items"),
        Some(json!({"asset_id": "6298d673f1090f1100476d4c"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(json_of(&text)["status"], "queued");
    let (status, _, text) = call(
        &server,
        "POST",
        &format!("/knowledge-stores/{ks}/search"),
        Some(json!({"query": {"text": "x"}, "page_token": "expired-1"})),
    )
    .await;
    assert_eq!(status, 410);
    assert_eq!(json_of(&text)["code"], "page_token_expired");
    let (status, _, _) = call(
        &server,
        "POST",
        &format!("/knowledge-stores/{ks}/search"),
        Some(json!({"query": {"text": "x"}, "page_token": "nonsense"})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, text) = call(&server, "GET", "/knowledge-stores/ks_missing", None).await;
    assert_eq!(status, 404);
    assert_eq!(json_of(&text)["code"], "resource_not_exist");
    let (status, _, _) = call(&server, "DELETE", &format!("/knowledge-stores/{ks}"), None).await;
    assert_eq!(status, 204);
}
