//! TwelveLabs embeddings v2 routes over HTTP: sync vectors, nested 413, tasks advancing.
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
async fn sync_embeddings_and_their_errors() {
    let server = MockServer::start().await;
    let body =
        json!({"input_type": "text", "model_name": "marengo3.0", "text": {"input_text": "hi"}});
    let (status, _, text) = call(&server, "POST", "/embed-v2", Some(body)).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        json_of(&text)["data"][0]["embedding"]
            .as_array()
            .unwrap()
            .len(),
        8
    );

    let body =
        json!({"input_type": "text", "model_name": "marengo3.5", "text": {"input_text": "hi"}});
    let (status, _, text) = call(&server, "POST", "/embed-v2", Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(json_of(&text)["code"], "parameter_invalid");

    let body = json!({"input_type": "video", "model_name": "marengo3.0", "video": {"media_source": {"url": "https://x/too-large.mp4"}}});
    let (status, _, text) = call(&server, "POST", "/embed-v2", Some(body)).await;
    assert_eq!(status, 413);
    assert_eq!(json_of(&text)["error"]["code"], "content_too_large");

    let (status, _, text) =
        call_with(&server, "POST", "/embed-v2", Some(json!({})), Some("bad")).await;
    assert_eq!(status, 401);
    assert_eq!(json_of(&text)["code"], "api_key_invalid");
}

#[tokio::test]
async fn tasks_become_ready_on_the_second_poll() {
    let server = MockServer::start().await;
    let body = json!({"input_type": "audio", "model_name": "marengo3.0", "audio": {"media_source": {"url": "https://x/a.mp3"}}});
    let (status, _, text) = call(&server, "POST", "/embed-v2/tasks", Some(body)).await;
    assert_eq!(status, 201);
    let id = json_of(&text)["_id"].as_str().unwrap().to_owned();
    let (_, _, first) = call(&server, "GET", &format!("/embed-v2/tasks/{id}"), None).await;
    assert_eq!(json_of(&first)["status"], "processing");
    let (_, _, second) = call(&server, "GET", &format!("/embed-v2/tasks/{id}"), None).await;
    let task = json_of(&second);
    assert_eq!(task["status"], "ready");
    assert!(task.get("_source").is_none(), "private keys stay private");
    let (_, _, list) = call(
        &server,
        "GET",
        "/embed-v2/tasks?status=ready&page_limit=1",
        None,
    )
    .await;
    assert_eq!(json_of(&list)["page_info"]["total_results"], 1);
    let (status, _, _) = call(&server, "GET", "/embed-v2/tasks?page_limit=51", None).await;
    assert_eq!(status, 400);
}
