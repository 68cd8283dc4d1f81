//! Legacy endpoints R1–R6 (deprecated) against media-mock over real HTTP.
#![allow(clippy::unwrap_used, deprecated)]

use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, Error, FinishReason, RetryPolicy, SummarizeRequest, TransferImportRequest,
};

const ROOT: &str = "/twelvelabs/v1.3";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

#[tokio::test]
async fn gist_summarize_and_generate() {
    let server = MockServer::start().await;
    let legacy = client(&server);
    let gist = legacy
        .legacy()
        .gist("vid1", &["title", "hashtag"])
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, format!("{ROOT}/gist"));
    assert_eq!(
        sent.json().unwrap(),
        json!({"video_id": "vid1", "types": ["title", "hashtag"]})
    );
    assert!(gist.title.unwrap().contains("vid1"));
    assert_eq!(gist.hashtags.unwrap().len(), 3);
    assert_eq!(gist.topics, None);
    assert_eq!(gist.usage.unwrap().output_tokens, Some(24));

    let chapters = legacy
        .legacy()
        .summarize(&SummarizeRequest::new("vid1", "chapter").temperature(0.2))
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap(),
        json!({"video_id": "vid1", "type": "chapter", "temperature": 0.2})
    );
    assert_eq!(chapters.summarize_type.as_deref(), Some("chapter"));
    let chapters = chapters.chapters.unwrap();
    assert_eq!(chapters[1].chapter_number, 1);
    assert_eq!(chapters[1].end_sec, Some(75.5));
    assert_eq!(chapters[0].chapter_title.as_deref(), Some("Arrival"));
    let highlights = legacy
        .legacy()
        .summarize(&SummarizeRequest::new("vid1", "highlight"))
        .await
        .unwrap();
    assert_eq!(
        highlights.highlights.unwrap()[0].highlight.as_deref(),
        Some("The view")
    );
    let summary = legacy
        .legacy()
        .summarize(&SummarizeRequest::new("vid1", "summary"))
        .await
        .unwrap();
    assert!(summary.summary.unwrap().contains("trip"));

    let generated = legacy
        .legacy()
        .generate("vid1", "Describe", None)
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap(),
        json!({"video_id": "vid1", "prompt": "Describe", "stream": false})
    );
    assert_eq!(generated.finish_reason, Some(FinishReason::Stop));
    assert!(
        legacy
            .legacy()
            .generate("missing-1", "x", None)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(matches!(
        legacy.legacy().gist("v", &["bogus"]).await.unwrap_err(),
        Error::InvalidInput(_)
    ));
}

#[tokio::test]
async fn s3_transfers() {
    let server = MockServer::start().await;
    let legacy = client(&server);
    let started = legacy
        .legacy()
        .transfer_import("int-1", &TransferImportRequest::new("idx1"))
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, format!("{ROOT}/tasks/transfers/import/int-1"));
    assert_eq!(sent.json().unwrap(), json!({"index_id": "idx1"}));
    assert_eq!(started["_id"], "imp_int-1");
    let status = legacy
        .legacy()
        .transfer_status("int-1", "idx1")
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        sent.path,
        format!("{ROOT}/tasks/transfers/import/int-1/status")
    );
    assert_eq!(sent.query.as_deref(), Some("index_id=idx1"));
    assert_eq!(status["ready"][0]["filename"], "a.mp4");
    let logs = legacy.legacy().transfer_logs("int-1").await.unwrap();
    assert_eq!(logs[0]["video_status"]["ready"], 1);
}
