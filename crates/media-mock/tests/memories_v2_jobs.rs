//! memories.ai v2 mock beyond metadata: async jobs delivering webhooks to a URL set on the mock,
//! the documented error when none is set, uploads advancing over metadata reads, downloads,
//! screenplay jobs advancing over polls, chat errors under HTTP 200, SSE search, WebSocket.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn call(server: &MockServer, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
    let url = format!("{}{path}", server.memories_v2_url());
    let mut request = reqwest::Client::new()
        .request(method.parse().unwrap(), url)
        .header("Authorization", credentials::MEMORIES_API_KEY);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A one-shot HTTP listener that returns the first request's body.
async fn webhook_sink() -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut data = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            data.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&data).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Content-Length: "))
                    .unwrap()
                    .parse()
                    .unwrap();
                if body.len() >= length {
                    socket
                        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                        .await
                        .unwrap();
                    return body.to_owned();
                }
            }
            if n == 0 {
                return String::new();
            }
        }
    });
    (url, handle)
}

#[tokio::test]
async fn async_job_without_webhook_is_refused_as_documented() {
    let server = MockServer::start().await;
    let (status, body) = call(
        &server,
        "POST",
        "/video/extract-frames",
        Some(json!({"asset_id": "re_660729180626595840"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        r#"{"code":400,"msg":"An async request requires at least one webhook.","data":null}"#
    );
}

#[tokio::test]
async fn extract_frames_delivers_an_e4_webhook_and_creates_the_group() {
    let server = MockServer::start().await;
    let (url, sink) = webhook_sink().await;
    server.set_memories_v2_webhook_url(Some(&url));
    let (status, body) = call(
        &server,
        "POST",
        "/video/extract-frames",
        Some(json!({"asset_id": "re_660729180626595840"})),
    )
    .await;
    assert_eq!(status, 200);
    let accepted: Value = serde_json::from_str(&body).unwrap();
    let task_id = accepted["data"]["task_id"].as_str().unwrap().to_owned();
    assert_eq!(task_id.len(), 32);
    let delivered: Value = serde_json::from_str(
        &tokio::time::timeout(Duration::from_secs(5), sink)
            .await
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(delivered["code"], 200);
    assert_eq!(delivered["message"], "SUCCESS");
    assert_eq!(delivered["task_id"], task_id);
    let group = delivered["data"]["asset_id"].as_str().unwrap();
    let (status, metadata) = call(&server, "GET", &format!("/{group}/metadata"), None).await;
    assert_eq!(status, 200);
    let metadata: Value = serde_json::from_str(&metadata).unwrap();
    assert_eq!(metadata["data"]["total"], 3);
    assert_eq!(
        metadata["data"]["resource"][2]["asset_id"],
        delivered["data"]["asset_ch_ids"][2]
    );
}

#[tokio::test]
async fn uploads_advance_over_metadata_reads() {
    let server = MockServer::start().await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"abc".to_vec())
            .file_name("a.mp4")
            .mime_str("video/mp4")
            .unwrap(),
    );
    let response = reqwest::Client::new()
        .post(format!("{}/upload", server.memories_v2_url()))
        .header("Authorization", credentials::MEMORIES_API_KEY)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], 200);
    let id = body["data"]["asset_id"].as_str().unwrap().to_owned();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let (_, text) = call(&server, "GET", &format!("/{id}/metadata"), None).await;
        let value: Value = serde_json::from_str(&text).unwrap();
        statuses.push(
            value["data"]["resource"][0]["upload_status"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(statuses, ["UPLOADING", "SUCCESS", "SUCCESS"]);
    let response = reqwest::Client::new()
        .get(format!("{}/{id}/download", server.memories_v2_url()))
        .header("Authorization", credentials::MEMORIES_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "video/mp4");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"a.mp4\""
    );
    assert_eq!(&response.bytes().await.unwrap()[..], b"abc");
}

#[tokio::test]
async fn screenplay_jobs_advance_and_chat_errors_come_under_200() {
    let server = MockServer::start().await;
    let (status, body) = call(&server, "POST", "/screenplay/tasks", Some(json!({"mode": "short_drama", "episodes": {"1": "re_660729180626595840"}, "config": {}}))).await;
    assert_eq!(status, 200);
    let task: Value = serde_json::from_str(&body).unwrap();
    let id = task["data"]["task_id"].as_str().unwrap().to_owned();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (_, body) = call(&server, "GET", &format!("/screenplay/tasks/{id}"), None).await;
        let value: Value = serde_json::from_str(&body).unwrap();
        seen.push(value["data"]["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen, ["pending", "running", "completed"]);

    let (status, body) = call(&server, "POST", "/vu/chat/completions", Some(json!({"model": "gemini:gemini-2.5-flash", "messages": [{"role": "user", "content": "hi"}]}))).await;
    assert_eq!(status, 200);
    let value: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["status"], "errored");
    assert_eq!(value["error"]["message"], "Model input cannot be empty");
}

#[tokio::test]
async fn search_is_an_event_stream_and_bad_keys_are_refused() {
    let server = MockServer::start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/queries/stream", server.memories_v2_url()))
        .header("Authorization", credentials::MEMORIES_API_KEY)
        .json(&json!({"query": "cold brew"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let text = response.text().await.unwrap();
    assert!(text.starts_with("event: started\ndata: "));
    assert!(text.contains("event: complete\n"));
    let response = reqwest::Client::new()
        .post(format!("{}/video/clip", server.memories_v2_url()))
        .json(&json!({"asset_id": "re_660729180626595840"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"code":401,"msg":"Unauthorized","data":null}"#
    );
}

#[tokio::test]
async fn websocket_listener_starts_on_demand() {
    let server = MockServer::start().await;
    let url = server.memories_v2_ws_url().await;
    assert!(url.starts_with("ws://127.0.0.1:") && url.ends_with("/serve/ws/v2/audio-stream"));
    assert_eq!(
        server.memories_v2_ws_url().await,
        url,
        "one listener per mock"
    );
    // A plain GET without the upgrade is refused.
    let http_url = url.replacen("ws://", "http://", 1);
    let response = reqwest::get(format!("{http_url}?provider=elevenlabs"))
        .await
        .unwrap();
    assert!(response.status().is_client_error());
}
