//! TwelveLabs data connectors over HTTP: the literal-colon route, redirect URIs, imports.
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
async fn authorize_import_and_redirect_uris() {
    let server = MockServer::start().await;
    let body = json!({"provider": "google_drive", "redirect_uri": "https://app.example.com/cb"});
    let (status, _, text) = call(&server, "POST", "/connections:authorize", Some(body)).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        json_of(&text)["authorize_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let (_, _, text) = call(&server, "GET", "/connections", None).await;
    let id = json_of(&text)["data"][0]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, text) = call(
        &server,
        "POST",
        &format!("/connections/{id}/imports"),
        Some(json!({"items": [{"source_id": "f1"}, {"source_id": "missing-2"}]})),
    )
    .await;
    assert_eq!(status, 200);
    let result = json_of(&text);
    assert_eq!(result["has_failures"], true);
    assert_eq!(result["items"][0]["action"], "created");
    let asset = result["items"][0]["asset_id"].as_str().unwrap().to_owned();
    let (status, _, _) = call(&server, "GET", &format!("/assets/{asset}"), None).await;
    assert_eq!(status, 200);
    let (status, _, _) = call(
        &server,
        "POST",
        "/connections/redirect-uris",
        Some(json!({"redirect_uri": "http://insecure/cb"})),
    )
    .await;
    assert_eq!(status, 422);
}
