//! TwelveLabs analyze routes over HTTP: sync and NDJSON answers, tasks, batches.
#![allow(clippy::unwrap_used)]

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};

async fn call(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, String, String) {
    let client = reqwest::Client::new();
    let url = format!("{}{path}", server.twelvelabs_url());
    let mut request = client
        .request(method.parse().unwrap(), url)
        .header("x-api-key", credentials::TWELVELABS_API_KEY);
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

#[tokio::test]
async fn sync_analysis_answers_json_or_ndjson() {
    let server = MockServer::start().await;
    let body = json!({"video": {"type": "url", "url": "https://x/v.mp4"}, "prompt": "hi", "stream": false});
    let (status, content_type, text) = call(&server, "POST", "/analyze", Some(body.clone())).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(content_type, "application/json");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["finish_reason"], "stop");

    let mut streaming = body;
    streaming["stream"] = json!(true);
    let (status, content_type, text) = call(&server, "POST", "/analyze", Some(streaming)).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/x-ndjson");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["event_type"], "stream_start");
    assert_eq!(lines.last().unwrap()["event_type"], "stream_end");

    let (status, _, text) = call(&server, "POST", "/analyze", Some(json!({"prompt": "x"}))).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("parameter_not_provided"));
}

#[tokio::test]
async fn tasks_dedupe_on_the_idempotency_key_and_batches_stream_results() {
    let server = MockServer::start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/analyze/tasks", server.twelvelabs_url());
    let body = json!({"video": {"type": "url", "url": "https://x/v.mp4"}, "prompt": "hi"});
    let mut ids = Vec::new();
    for _ in 0..2 {
        let response = client
            .post(&url)
            .header("x-api-key", credentials::TWELVELABS_API_KEY)
            .header("idempotency-key", "k-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        let value: Value = response.json().await.unwrap();
        ids.push(value["task_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids[0], ids[1]);

    let batch = json!({"model_name": "pegasus1.5", "analysis_mode": "general",
                       "requests": [{"video": {"type": "asset_id", "asset_id": "6298d673f1090f1100476d4c"}, "prompt": {"input_text": "x"}}]});
    let (status, _, text) = call(&server, "POST", "/analyze/batches", Some(batch)).await;
    assert_eq!(status, 201, "{text}");
    let batch_id = serde_json::from_str::<Value>(&text).unwrap()["batch_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, content_type, text) = call(
        &server,
        "GET",
        &format!("/analyze/batches/{batch_id}/results"),
        None,
    )
    .await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/x-ndjson")
    );
    let line: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(line["status"], "queued");
    let (status, _, _) = call(
        &server,
        "DELETE",
        &format!("/analyze/batches/{batch_id}"),
        None,
    )
    .await;
    assert_eq!(status, 409);
}
