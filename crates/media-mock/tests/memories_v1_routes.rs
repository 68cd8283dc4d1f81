//! memories.ai v1 over HTTP beyond `get_metadata`: state that advances over polls, encodings,
//! SSE terminators, auth on every route.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

async fn send(request: reqwest::RequestBuilder) -> (u16, String, String) {
    let response = request
        .header("Authorization", credentials::MEMORIES_API_KEY)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, content_type, response.text().await.unwrap())
}

fn data(body: &str) -> Value {
    let envelope: Value = serde_json::from_str(body).unwrap();
    assert_eq!(envelope["code"], "0000", "{body}");
    envelope["data"].clone()
}

#[tokio::test]
async fn an_upload_url_is_unparse_once_then_parse() {
    let server = MockServer::start().await;
    let base = server.memories_v1_url();
    let (_, _, body) = send(
        http()
            .post(format!("{base}/upload_url"))
            .form(&[("url", "https://x.invalid/a.mp4"), ("unique_id", "u")]),
    )
    .await;
    let uploaded = data(&body);
    assert_eq!(uploaded["videoStatus"], "UNPARSE");
    let video_no = uploaded["videoNo"].as_str().unwrap().to_owned();
    let url = format!("{base}/get_metadata?video_no={video_no}&unique_id=u");
    let (_, _, first) = send(http().get(&url)).await;
    assert_eq!(data(&first)["status"], "UNPARSE");
    let (_, _, second) = send(http().get(&url)).await;
    assert_eq!(data(&second)["status"], "PARSE");
    assert_eq!(server.memories_v1_video_nos("u"), [video_no]);

    // JSON instead of the documented form encoding is a business error.
    let (status, _, body) = send(
        http()
            .post(format!("{base}/upload_url"))
            .json(&json!({"url": "https://x.invalid/a.mp4"})),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains(r#""code":"0001""#), "{body}");
}

#[tokio::test]
async fn delete_videos_wants_a_bare_array() {
    let server = MockServer::start().await;
    let base = server.memories_v1_url();
    let (_, _, body) = send(
        http()
            .post(format!("{base}/delete_videos?unique_id=default"))
            .json(&json!({"video_nos": ["VI700000000000000001"]})),
    )
    .await;
    assert!(body.contains(r#""code":"0001""#), "{body}");
    let (_, _, body) = send(
        http()
            .post(format!("{base}/delete_videos?unique_id=default"))
            .json(&json!(["VI700000000000000001"])),
    )
    .await;
    assert_eq!(data(&body), Value::Null);
    assert_eq!(
        server.memories_v1_video_nos("default"),
        ["VI606404158946574336"]
    );
}

#[tokio::test]
async fn each_stream_flavour_ends_with_its_terminator() {
    let server = MockServer::start().await;
    let base = server.memories_v1_url();
    let (_, content_type, body) = send(
        http()
            .post(format!("{base}/chat_stream"))
            .json(&json!({"video_nos": ["VI700000000000000001"], "prompt": "sunset?"})),
    )
    .await;
    assert!(content_type.starts_with("text/event-stream"));
    assert!(body.starts_with("data:{\"content\""), "{body}");
    assert!(body.ends_with("data:\"Done\"\n\n"), "{body}");
    let (_, _, body) = send(
        http()
            .post(format!("{base}/marketer_chat_stream"))
            .json(&json!({"prompt": "trends", "session_id": ""})),
    )
    .await;
    assert!(body.ends_with("data:{\"code\":\"SUCCESS\",\"data\":\"Done\"}\n\n"));
    let (_, _, body) = send(
        http()
            .post(format!("{base}/chat_personal_stream"))
            .json(&json!({"prompt": "hi"})),
    )
    .await;
    assert!(body.starts_with("data: {\"token\":"), "{body}");
    assert!(body.ends_with("data: [DONE]\n\n"));
    let (_, _, body) = send(
        http()
            .post(format!("{base}/chat_stream"))
            .json(&json!({"video_nos": ["VI404"], "prompt": "x"})),
    )
    .await;
    assert_eq!(
        body,
        "data:\"No videos found for the provided video numbers.\"\n\n"
    );
    let (_, content_type, body) =
        send(http().post(format!("{base}/chat")).json(
            &json!({"video_nos": ["VI700000000000000001"], "prompt": "x", "session_id": "abc"}),
        ))
        .await;
    assert_eq!(content_type, "application/json");
    assert!(body.contains(r#""code":"0001""#), "{body}");
}

#[tokio::test]
async fn every_route_rejects_a_wrong_key() {
    let server = MockServer::start().await;
    let base = server.memories_v1_url();
    for path in [
        "/list_videos",
        "/search",
        "/chat_stream",
        "/memories/add",
        "/upload",
    ] {
        let response = http()
            .post(format!("{base}{path}"))
            .header("Authorization", "sk-wrong")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{path}");
        assert!(response.text().await.unwrap().contains(r#""code":"0401""#));
    }
}

#[tokio::test]
async fn import_tasks_download_then_list_their_videos() {
    let server = MockServer::start().await;
    let base = server.memories_v1_url();
    let (_, _, body) = send(
        http()
            .post(format!("{base}/scraper"))
            .json(&json!({"username": "https://www.tiktok.com/@someone", "scraper_cnt": 2})),
    )
    .await;
    let task_id = data(&body)["taskId"].as_str().unwrap().to_owned();
    let url = format!("{base}/get_video_ids_by_task_id?task_id={task_id}");
    let (_, _, first) = send(http().get(&url)).await;
    assert_eq!(data(&first), json!({"videos": []}));
    let (_, _, second) = send(http().get(&url)).await;
    let videos = data(&second)["videos"].clone();
    assert_eq!(videos.as_array().unwrap().len(), 2);
    assert_eq!(videos[0]["status"], "UNPARSE");
    assert_eq!(videos[0]["video_name"], "@someone post 1");
    let (_, _, third) = send(http().get(&url)).await;
    assert_eq!(data(&third)["videos"][1]["status"], "PARSE");
    let (_, _, other_ns) = send(http().get(format!("{url}&unique_id=other"))).await;
    assert!(other_ns.contains(r#""code":"0001""#));
}
