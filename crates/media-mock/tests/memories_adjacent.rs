//! The adjacent memories.ai hosts on the mock, spoken to with plain reqwest: `stream.memories.ai`
//! (E8 answers, four tasks per key) and `security.memories.ai` (its own key, caption answers).
#![allow(clippy::unwrap_used)]

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};

async fn post(url: String, key: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("Authorization", key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn stream_tasks_start_stop_and_cap_at_four_per_key() {
    let server = MockServer::start().await;
    let connect = format!("{}/understand/streamConnect", server.memories_stream_url());
    let body = json!({"url": "rtmp://h/live/s", "user_prompt": "what happens?"});
    let mut ids = Vec::new();
    for _ in 0..4 {
        let (status, answer) = post(
            connect.clone(),
            credentials::MEMORIES_API_KEY,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(answer["status"], 0);
        assert_eq!(answer["text"], "");
        ids.push(answer["task_id"].as_str().unwrap().to_owned());
    }
    let (status, refused) = post(
        connect.clone(),
        credentials::MEMORIES_API_KEY,
        Some(body.clone()),
    )
    .await;
    assert_eq!((status, refused["status"].clone()), (200, json!(-1)));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(server.memories_stream_tasks(), sorted);

    let stop = format!(
        "{}/understand/stop/{}",
        server.memories_stream_url(),
        ids[0]
    );
    let (_, stopped) = post(stop.clone(), credentials::MEMORIES_API_KEY, None).await;
    assert_eq!(stopped, json!({"status": 14, "task_id": ids[0]}));
    let (_, again) = post(stop, credentials::MEMORIES_API_KEY, None).await;
    assert_eq!(again["status"], -1);

    let (_, bad) = post(
        connect.clone(),
        credentials::MEMORIES_API_KEY,
        Some(json!({"url": "https://h/x.m3u8", "user_prompt": "p"})),
    )
    .await;
    assert_eq!(bad["status"], -1);
    let (status, unauthorized) =
        post(connect, credentials::MEMORIES_CAPTION_API_KEY, Some(body)).await;
    assert_eq!(status, 401);
    assert_eq!(unauthorized["code"], 401);
}

#[tokio::test]
async fn caption_host_answers_captions_and_refuses_the_v2_key() {
    let server = MockServer::start().await;
    let sync = format!("{}/understand/uploadSync", server.memories_caption_url());
    let body = json!({"video_url": "https://e.com/v.mp4", "user_prompt": "summarize"});
    let (status, answer) = post(
        sync.clone(),
        credentials::MEMORIES_CAPTION_API_KEY,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["code"], 0);
    assert_eq!(answer["data"]["token"]["total"], 579);

    let (status, _) = post(sync.clone(), credentials::MEMORIES_API_KEY, Some(body)).await;
    assert_eq!(status, 401);

    let (_, refused) = post(
        sync,
        credentials::MEMORIES_CAPTION_API_KEY,
        Some(json!({"video_url": "https://e.com/v.mp4", "user_prompt": ""})),
    )
    .await;
    assert_eq!(
        refused,
        json!({"code": -1, "msg": "user_prompt cannot be empty", "data": null})
    );

    let upload = format!("{}/understand/upload", server.memories_caption_url());
    let (_, no_callback) = post(
        upload.clone(),
        credentials::MEMORIES_CAPTION_API_KEY,
        Some(json!({"video_url": "https://e.com/v.mp4", "user_prompt": "p"})),
    )
    .await;
    assert_eq!(no_callback["code"], -1);
    let (_, accepted) = post(
        upload,
        credentials::MEMORIES_CAPTION_API_KEY,
        Some(json!({"video_url": "https://e.com/v.mp4", "user_prompt": "p", "callback": "http://127.0.0.1:9/cb"})),
    )
    .await;
    let task_id = accepted["data"]["task_id"].as_str().unwrap();
    assert_eq!(server.memories_caption_tasks()[0].0, task_id);

    let images = format!("{}/understand/uploadImg", server.memories_caption_url());
    let (_, batch) = post(
        images,
        credentials::MEMORIES_CAPTION_API_KEY,
        Some(json!({"url": ["https://e.com/1.png", "https://e.com/2.png"], "user_prompt": "p"})),
    )
    .await;
    assert_eq!(batch["data"].as_array().unwrap().len(), 2);
}
