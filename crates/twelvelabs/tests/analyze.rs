//! Analyze and segment videos (`/analyze`, `/analyze/tasks`,
//! `/analyze/batches`) against media-mock over real HTTP.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use media_mock::{Fault, FaultRule, MockServer, credentials};
use serde_json::json;
use twelvelabs::analyze::collect_text;
use twelvelabs::{
    AnalysisMode, AnalyzeImageInput, AnalyzeRequest, AnalyzeStreamEvent, AnalyzeTaskRequest,
    AnalyzeTaskStatus, BatchItemRequest, BatchOverrides, BatchStatus, Client, Config,
    CreateAnalyzeBatchRequest, Error, FinishReason, ListAnalyzeBatchesParams,
    ListAnalyzeTasksParams, MediaSource, PollOptions, PromptV2, RetryPolicy, SegmentDefinition,
    SegmentField, VideoContext,
};

const ROOT: &str = "/twelvelabs/v1.3";
const ASSET: &str = "6298d673f1090f1100476d4c";

fn config(server: &MockServer) -> Config {
    Config::new(credentials::TWELVELABS_API_KEY).base_url(server.twelvelabs_url())
}

fn client(server: &MockServer) -> Client {
    Client::new(config(server).retry(RetryPolicy::none())).unwrap()
}

fn fast() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(5))
}

fn url_video(url: &str) -> VideoContext {
    VideoContext::Url(url.into())
}

#[tokio::test]
async fn sync_analysis_sends_stream_false_and_decodes_the_answer() {
    let server = MockServer::start().await;
    let response = client(&server)
        .analyze()
        .create(
            &AnalyzeRequest::video(VideoContext::AssetId(ASSET.into()), "What happens?")
                .temperature(0.2),
        )
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{ROOT}/analyze"));
    assert_eq!(
        request.json().unwrap(),
        json!({"video": {"type": "asset_id", "asset_id": ASSET}, "prompt": "What happens?", "temperature": 0.2, "stream": false})
    );
    assert!(response.data.unwrap().contains("What happens?"));
    assert!(response.id.is_some());
    assert_eq!(response.finish_reason, Some(FinishReason::Stop));
    assert!(response.usage.unwrap().output_tokens.unwrap() > 0);
    assert_eq!(response.error, None);
}

#[tokio::test]
async fn truncated_output_reports_length_and_a_warning() {
    let server = MockServer::start().await;
    let response = client(&server)
        .analyze()
        .create(&AnalyzeRequest::video(url_video("https://x/v.mp4"), "Describe").max_tokens(3))
        .await
        .unwrap();
    assert_eq!(response.finish_reason, Some(FinishReason::Length));
    assert!(response.error.unwrap().message.contains("truncated"));
}

#[tokio::test]
async fn streaming_yields_typed_events_in_order() {
    let server = MockServer::start().await;
    let events: Vec<AnalyzeStreamEvent> = client(&server)
        .analyze()
        .stream(&AnalyzeRequest::video(
            url_video("https://x/v.mp4"),
            "Tell me",
        ))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap()["stream"],
        true
    );
    assert!(
        matches!(&events[0], AnalyzeStreamEvent::StreamStart { metadata } if metadata.generation_id.is_some())
    );
    let text: String = events
        .iter()
        .filter_map(|e| match e {
            AnalyzeStreamEvent::TextGeneration { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        text,
        "The video https://x/v.mp4 shows what you asked about: Tell me."
    );
    match events.last().unwrap() {
        AnalyzeStreamEvent::StreamEnd {
            finish_reason,
            metadata,
            error,
        } => {
            assert_eq!(finish_reason, &Some(FinishReason::Stop));
            assert!(metadata.usage.as_ref().unwrap().output_tokens.is_some());
            assert_eq!(error, &None);
        }
        other => panic!("{other:?}"),
    }
    let stream = client(&server)
        .analyze()
        .stream(&AnalyzeRequest::video(
            url_video("https://x/v.mp4"),
            "Tell me",
        ))
        .await
        .unwrap();
    let (collected, finish) = collect_text(stream).await.unwrap();
    assert_eq!(collected, text);
    assert_eq!(finish, Some(FinishReason::Stop));
}

#[tokio::test]
async fn a_malformed_ndjson_line_is_an_error_item_not_dropped() {
    let server = MockServer::start().await;
    let body = "{\"event_type\":\"stream_start\",\"metadata\":{\"generation_id\":\"g\"}}\nnot json at all\n{\"event_type\":\"text_generation\",\"text\":\"ok\"}\n";
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/x-ndjson".into()),
            body: body.as_bytes().to_vec(),
        })
        .path_prefix(&format!("{ROOT}/analyze"))
        .times(1),
    );
    let items: Vec<_> = client(&server)
        .analyze()
        .stream(&AnalyzeRequest::video(url_video("https://x/v.mp4"), "x"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].is_ok());
    assert!(items[1].is_err(), "{:?}", items[1]);
    assert!(matches!(&items[2], Ok(AnalyzeStreamEvent::TextGeneration { text }) if text == "ok"));
}

#[tokio::test]
async fn a_stream_refused_by_status_fails_before_any_event() {
    let server = MockServer::start().await;
    let err = client(&server)
        .analyze()
        .stream(&AnalyzeRequest::video(
            VideoContext::AssetId("missing".into()),
            "x",
        ))
        .await
        .err()
        .unwrap();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("resource_not_exist"));
}

#[tokio::test]
async fn image_analysis_needs_pegasus_1_6_and_is_checked_locally() {
    let server = MockServer::start().await;
    let images = vec![AnalyzeImageInput::new(
        "a",
        MediaSource::url("https://x/a.png"),
    )];
    let request = AnalyzeRequest::images(images.clone(), "Compare")
        .model_name(twelvelabs::AnalyzeModel::Pegasus15);
    let err = client(&server)
        .analyze()
        .create(&request)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(server.requests().is_empty());
    let response = client(&server)
        .analyze()
        .create(&AnalyzeRequest::images(images, "Compare"))
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(sent["model_name"], "pegasus1.6");
    assert_eq!(
        sent["image"],
        json!([{"name": "a", "url": "https://x/a.png"}])
    );
    assert!(response.data.unwrap().contains("1 images"));
}

#[tokio::test]
async fn task_create_sends_one_idempotency_key_across_retries() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(503))
            .method("POST")
            .path_prefix(&format!("{ROOT}/analyze/tasks"))
            .times(1),
    );
    let retrying = Client::new(
        config(&server)
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))),
    )
    .unwrap();
    let created = retrying
        .analyze()
        .create_task(
            &AnalyzeTaskRequest::general(url_video("https://x/v.mp4"), "Summarize")
                .custom_id("job-1"),
        )
        .await
        .unwrap();
    assert_eq!(created.status, Some(AnalyzeTaskStatus::Pending));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let keys: Vec<_> = requests
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys[0], keys[1]);
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(
        requests[1].json().unwrap(),
        json!({"custom_id": "job-1", "video": {"type": "url", "url": "https://x/v.mp4"}, "prompt": "Summarize"})
    );

    // The same key again: the server answers the task it already has.
    let again = client(&server)
        .analyze()
        .create_task(
            &AnalyzeTaskRequest::general(url_video("https://x/v.mp4"), "Summarize")
                .idempotency_key(&keys[0]),
        )
        .await
        .unwrap();
    assert_eq!(again.task_id, created.task_id);
    let fresh = client(&server)
        .analyze()
        .create_task(&AnalyzeTaskRequest::general(
            url_video("https://x/v.mp4"),
            "Summarize",
        ))
        .await
        .unwrap();
    assert_ne!(fresh.task_id, created.task_id);
}

#[tokio::test]
async fn a_task_is_listed_waited_for_and_deleted() {
    let server = MockServer::start().await;
    let client = client(&server);
    let long_prompt = "Summarize this video in three very detailed paragraphs please";
    let created = client
        .analyze()
        .create_task(&AnalyzeTaskRequest::general(
            VideoContext::AssetId(ASSET.into()),
            long_prompt,
        ))
        .await
        .unwrap();
    let page = client
        .analyze()
        .list_tasks(
            &ListAnalyzeTasksParams::new()
                .asset_id(ASSET)
                .analysis_mode(AnalysisMode::General)
                .page_limit(10),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    let listed = &page.data[0];
    assert_eq!(listed.task_id, created.task_id);
    assert_eq!(
        listed
            .request_params
            .as_ref()
            .unwrap()
            .prompt
            .as_deref()
            .unwrap()
            .chars()
            .count(),
        30
    );
    assert_eq!(
        listed.video_source.as_ref().unwrap().asset_id.as_deref(),
        Some(ASSET)
    );
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some(format!("asset_id={ASSET}&analysis_mode=general&page_limit=10").as_str())
    );

    let err = client
        .analyze()
        .delete_task(&created.task_id)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(409), "{err:?}");

    let mut seen = Vec::new();
    let task = client
        .analyze()
        .wait_for_task(&created.task_id, &fast(), |t| {
            seen.push(t.status.clone().unwrap());
        })
        .await
        .unwrap();
    assert_eq!(
        seen,
        [AnalyzeTaskStatus::Processing, AnalyzeTaskStatus::Ready]
    );
    let result = task.result.unwrap();
    assert!(result.data.contains(long_prompt));
    assert_eq!(result.finish_reason, Some(FinishReason::Stop));
    assert_eq!(result.usage.unwrap().output_tokens, Some(42));
    assert!(task.completed_at.is_some());
    assert_eq!(
        task.request_params.unwrap().prompt.as_deref(),
        Some(long_prompt)
    );

    client
        .analyze()
        .delete_task(&created.task_id)
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.method, "DELETE");
    assert_eq!(
        last.path,
        format!("{ROOT}/analyze/tasks/{}", created.task_id)
    );
    assert!(
        client
            .analyze()
            .retrieve_task(&created.task_id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn failed_and_canceled_tasks_end_the_wait_with_the_reason() {
    let server = MockServer::start().await;
    let client = client(&server);
    let failing = client
        .analyze()
        .create_task(&AnalyzeTaskRequest::general(
            url_video("https://x/fail.mp4"),
            "x",
        ))
        .await
        .unwrap();
    let err = client
        .analyze()
        .wait_for_task(&failing.task_id, &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { reason, .. } if reason.contains("could not be analyzed")),
        "{err:?}"
    );

    let task = client
        .analyze()
        .create_task(&AnalyzeTaskRequest::general(
            url_video("https://x/v.mp4"),
            "x",
        ))
        .await
        .unwrap();
    let canceled = client.analyze().cancel_task(&task.task_id).await.unwrap();
    assert_eq!(canceled.status, Some(AnalyzeTaskStatus::Canceled));
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/analyze/tasks/{}/cancel", task.task_id)
    );
    let err = client
        .analyze()
        .wait_for_task(&task.task_id, &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { reason, .. } if reason.contains("user_canceled")),
        "{err:?}"
    );
    let err = client
        .analyze()
        .cancel_task(&task.task_id)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(409));
}

#[tokio::test]
async fn segmentation_tasks_send_definitions_and_parse_the_result() {
    let server = MockServer::start().await;
    let client = client(&server);
    let request = AnalyzeTaskRequest::segmentation(
        url_video("https://x/match.mp4"),
        vec![
            SegmentDefinition::new("goals", "Each goal").field(SegmentField::new(
                "scorer",
                "string",
                "Who scored",
            )),
        ],
    )
    .segment_duration(Some(2.0), Some(30.0));
    let created = client.analyze().create_task(&request).await.unwrap();
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(sent["analysis_mode"], "time_based_metadata");
    assert_eq!(
        sent["response_format"],
        json!({"type": "segment_definitions", "segment_definitions": [{"id": "goals", "description": "Each goal",
              "fields": [{"name": "scorer", "type": "string", "description": "Who scored"}]}]})
    );
    let task = client
        .analyze()
        .wait_for_task(&created.task_id, &fast(), |_| {})
        .await
        .unwrap();
    let segments = task.result.unwrap().data_json().unwrap();
    assert_eq!(segments["goals"][0]["end_time"], 12.5);
}

#[tokio::test]
async fn a_batch_runs_to_completion_and_streams_its_results() {
    let server = MockServer::start().await;
    let client = client(&server);
    let request = CreateAnalyzeBatchRequest::new(
        AnalysisMode::General,
        vec![
            BatchItemRequest::asset(ASSET).custom_id("a"),
            BatchItemRequest::asset("asset-fail")
                .custom_id("b")
                .overrides(BatchOverrides::new().temperature(0.1)),
        ],
    )
    .defaults(BatchOverrides::new().prompt(PromptV2::new("Summarize")));
    let created = client.analyze().create_batch(&request).await.unwrap();
    assert_eq!(created.total_items, 2);
    assert_eq!(created.status, Some(BatchStatus::Pending));
    assert_eq!(created.items[0].custom_id.as_deref(), Some("a"));
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(sent["model_name"], "pegasus1.5");
    assert_eq!(
        sent["requests"][1],
        json!({"video": {"type": "asset_id", "asset_id": "asset-fail"}, "custom_id": "b", "temperature": 0.1})
    );
    assert_eq!(
        sent["defaults"],
        json!({"prompt": {"input_text": "Summarize"}})
    );

    let listed = client
        .analyze()
        .list_batches(
            &ListAnalyzeBatchesParams::new()
                .status(BatchStatus::Pending)
                .status(BatchStatus::Processing),
        )
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("status=pending&status=processing")
    );

    let err = client
        .analyze()
        .delete_batch(&created.batch_id)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(409));

    let batch = client
        .analyze()
        .wait_for_batch(&created.batch_id, &fast(), |_| {})
        .await
        .unwrap();
    assert_eq!(batch.status, Some(BatchStatus::Completed));
    assert_eq!(
        (batch.ready_items, batch.failed_items, batch.total_items),
        (1, 1, 2)
    );
    assert!(batch.completed_at.is_some());

    let results: Vec<_> = client
        .analyze()
        .batch_results(&created.batch_id)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].status, Some(AnalyzeTaskStatus::Ready));
    assert!(results[0].data.as_ref().unwrap().data.contains("Summarize"));
    assert_eq!(
        results[1].error.as_ref().unwrap().code.as_deref(),
        Some("video_duration_too_long")
    );

    client
        .analyze()
        .delete_batch(&created.batch_id)
        .await
        .unwrap();
    assert!(
        client
            .analyze()
            .retrieve_batch(&created.batch_id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn a_canceled_batch_ends_the_wait() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .analyze()
        .create_batch(
            &CreateAnalyzeBatchRequest::new(
                AnalysisMode::General,
                vec![BatchItemRequest::asset(ASSET)],
            )
            .defaults(BatchOverrides::new().prompt(PromptV2::new("x"))),
        )
        .await
        .unwrap();
    let batch = client
        .analyze()
        .cancel_batch(&created.batch_id)
        .await
        .unwrap();
    assert_eq!(batch.status, Some(BatchStatus::Canceling));
    assert_eq!(batch.canceled_items, 1);
    let err = client
        .analyze()
        .wait_for_batch(&created.batch_id, &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { reason, .. } if reason.contains("canceled")),
        "{err:?}"
    );
}

#[tokio::test]
async fn local_checks_and_encoded_ids() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .analyze()
        .create_batch(&CreateAnalyzeBatchRequest::new(
            AnalysisMode::General,
            vec![],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client
        .analyze()
        .create_task(&AnalyzeTaskRequest::general(url_video("u"), "x").custom_id("bad id!"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
    let _ = client.analyze().retrieve_batch("../x").await;
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/analyze/batches/..%2Fx")
    );
}

#[test]
fn futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let request = AnalyzeRequest::video(url_video("u"), "x");
    assert_send(&client.analyze().create(&request));
    assert_send(&client.analyze().stream(&request));
    assert_send(
        &client
            .analyze()
            .wait_for_task("t", &PollOptions::default(), |_| {}),
    );
    assert_send(
        &client
            .analyze()
            .wait_for_batch("b", &PollOptions::default(), |_| {}),
    );
    assert_send(&client.analyze().batch_results("b"));
}
