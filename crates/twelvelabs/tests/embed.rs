//! Create embeddings v2 (`/embed-v2`, `/embed-v2/tasks`) against media-mock
//! over real HTTP: the requests sent and the models decoded.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateEmbeddingTaskRequest, CreateEmbeddingsRequest, EmbedInputType,
    EmbedMediaType, EmbeddingModel, EmbeddingOption, EmbeddingScope, EmbeddingTaskStatus, Error,
    ListEmbeddingTasksParams, MediaInput, MediaSource, MultiInput, MultiInputMediaSource,
    PollOptions, RetryPolicy, Segmentation,
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

fn fast() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(5))
}

#[tokio::test]
async fn sync_text_embedding_sends_json_and_decodes_the_vector() {
    let server = MockServer::start().await;
    let response = client(&server)
        .embed_v2()
        .create(&CreateEmbeddingsRequest::text(
            EmbeddingModel::Marengo30,
            "a red car",
        ))
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{ROOT}/embed-v2"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("x-api-key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
    assert_eq!(
        request.json().unwrap(),
        json!({"input_type": "text", "model_name": "marengo3.0", "text": {"input_text": "a red car"}})
    );
    assert_eq!(response.data.len(), 1);
    assert_eq!(response.data[0].embedding.len(), 8);
    assert_eq!(response.data[0].embedding_option, None);
    assert!(response.usage.is_none());
}

#[tokio::test]
async fn sync_video_embedding_decodes_segments_and_metadata() {
    let server = MockServer::start().await;
    let request = CreateEmbeddingsRequest::video(
        EmbeddingModel::Marengo30,
        MediaInput::new(MediaSource::url("https://example.com/v.mp4"))
            .segmentation(Segmentation::Fixed { duration_sec: 6 })
            .embedding_option([EmbeddingOption::Visual])
            .embedding_scope([EmbeddingScope::Clip]),
    );
    let response = client(&server).embed_v2().create(&request).await.unwrap();
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(
        sent["video"]["segmentation"],
        json!({"strategy": "fixed", "fixed": {"duration_sec": 6}})
    );
    assert_eq!(response.data.len(), 2);
    let first = &response.data[0];
    assert_eq!(first.embedding_option, Some(EmbeddingOption::Visual));
    assert_eq!(first.embedding_scope, Some(EmbeddingScope::Clip));
    assert_eq!((first.start_sec, first.end_sec), (Some(0.0), Some(6.0)));
    let metadata = response.metadata.unwrap();
    assert_eq!(metadata.input_type, Some(EmbedInputType::Video));
    assert_eq!(
        metadata.input_url.as_deref(),
        Some("https://example.com/v.mp4")
    );
    assert_eq!(metadata.duration, Some(12.0));
    assert_eq!(metadata.clip_length, Some(6.0));
}

#[tokio::test]
async fn multi_input_on_marengo_3_5_reports_usage_and_dimension() {
    let server = MockServer::start().await;
    let request = CreateEmbeddingsRequest::multi_input(
        EmbeddingModel::Marengo35,
        MultiInput::new()
            .input_text("a dog like <@dog>")
            .media_source(
                MultiInputMediaSource::new(EmbedMediaType::Image, MediaSource::asset_id("abc"))
                    .name("dog"),
            ),
    )
    .embedding_dimension(16);
    let response = client(&server).embed_v2().create(&request).await.unwrap();
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(
        sent["multi_input"]["media_sources"],
        json!([{"media_type": "image", "name": "dog", "asset_id": "abc"}])
    );
    assert_eq!(sent["embedding_dimension"], 16);
    assert_eq!(response.data[0].embedding.len(), 16);
    assert_eq!(
        response.data[0].embedding_option,
        Some(EmbeddingOption::Fused)
    );
    let usage = response.usage.unwrap();
    assert_eq!(usage.input_tokens["text"], 4);
    assert!(!usage.truncated);
    assert_eq!(response.metadata.unwrap().embedding_dimension, Some(16));
}

#[tokio::test]
async fn the_nested_413_envelope_becomes_a_typed_error() {
    let server = MockServer::start().await;
    let request = CreateEmbeddingsRequest::audio(
        EmbeddingModel::Marengo30,
        MediaInput::new(MediaSource::url("https://example.com/too-large.mp3")),
    );
    let err = client(&server)
        .embed_v2()
        .create(&request)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(413));
    assert_eq!(err.code(), Some("content_too_large"));
    assert!(err.message().unwrap().contains("max_size_mb"), "{err}");
}

#[tokio::test]
async fn documented_constraints_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for request in [
        CreateEmbeddingsRequest::text(EmbeddingModel::Marengo35, "only multi_input on 3.5"),
        CreateEmbeddingsRequest::text(EmbeddingModel::Marengo30, "x").embedding_dimension(256),
        CreateEmbeddingsRequest::image(EmbeddingModel::Marengo30, MediaSource::default()),
    ] {
        let err = client.embed_v2().create(&request).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_task_is_created_listed_and_waited_for() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .embed_v2()
        .create_task(&CreateEmbeddingTaskRequest::video(
            EmbeddingModel::Marengo30,
            MediaInput::new(MediaSource::url("https://example.com/long.mp4")),
        ))
        .await
        .unwrap();
    assert_eq!(created.status, Some(EmbeddingTaskStatus::Processing));
    assert_eq!(created.data, None);
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, format!("{ROOT}/embed-v2/tasks"));
    assert_eq!(
        sent.json().unwrap()["video"]["media_source"]["url"],
        "https://example.com/long.mp4"
    );

    let page = client
        .embed_v2()
        .list_tasks(
            &ListEmbeddingTasksParams::new()
                .status(EmbeddingTaskStatus::Processing)
                .page_limit(5),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id, created.id);
    let metadata = page.data[0]
        .video_embedding
        .as_ref()
        .unwrap()
        .metadata
        .as_ref()
        .unwrap();
    assert_eq!(
        metadata.input_url.as_deref(),
        Some("https://example.com/long.mp4")
    );
    let query = server.requests().pop().unwrap().query_pairs();
    assert_eq!(
        query,
        [
            ("status".into(), "processing".into()),
            ("page_limit".into(), "5".into())
        ]
    );

    let mut seen = Vec::new();
    let task = client
        .embed_v2()
        .wait_for_task(&created.id, &fast(), |t| seen.push(t.status.clone()))
        .await
        .unwrap();
    assert_eq!(task.status, Some(EmbeddingTaskStatus::Ready));
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(!task.data.unwrap().is_empty());
    assert!(task.created_at.is_some());
    assert_eq!(task.metadata.unwrap().duration, Some(12.0));
}

#[tokio::test]
async fn a_failed_task_ends_the_wait_with_its_reason() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .embed_v2()
        .create_task(&CreateEmbeddingTaskRequest::audio(
            EmbeddingModel::Marengo30,
            MediaInput::new(MediaSource::url("https://example.com/fail.mp3")),
        ))
        .await
        .unwrap();
    let err = client
        .embed_v2()
        .wait_for_task(&created.id, &fast(), |_| {})
        .await
        .unwrap_err();
    match err {
        Error::TaskFailed {
            task_id, reason, ..
        } => {
            assert_eq!(task_id, created.id);
            assert!(reason.contains("could not be processed"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn list_all_stops_at_the_last_page() {
    let server = MockServer::start().await;
    let client = client(&server);
    for n in 0..3 {
        client
            .embed_v2()
            .create_task(&CreateEmbeddingTaskRequest::video(
                EmbeddingModel::Marengo30,
                MediaInput::new(MediaSource::url(format!("https://example.com/{n}.mp4"))),
            ))
            .await
            .unwrap();
    }
    server.clear_requests();
    let all: Vec<_> = client
        .embed_v2()
        .list_all_tasks(ListEmbeddingTasksParams::new().page_limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(server.requests().len(), 2, "no extra empty-page request");
}

#[tokio::test]
async fn unknown_tasks_ids_and_keys() {
    let server = MockServer::start().await;
    let err = client(&server)
        .embed_v2()
        .retrieve_task("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("resource_not_exist"));
    let _ = client(&server).embed_v2().retrieve_task("../x").await;
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/embed-v2/tasks/..%2Fx")
    );
    let bad = Client::new(Config::new("wrong-key").base_url(server.twelvelabs_url())).unwrap();
    let err = bad
        .embed_v2()
        .create(&CreateEmbeddingsRequest::text(
            EmbeddingModel::Marengo30,
            "x",
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert!(!err.to_string().contains("wrong-key"));
}

#[test]
fn futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let request = CreateEmbeddingsRequest::text(EmbeddingModel::Marengo30, "x");
    assert_send(&client.embed_v2().create(&request));
    assert_send(&client.embed_v2().retrieve_task("t"));
    assert_send(
        &client
            .embed_v2()
            .wait_for_task("t", &PollOptions::default(), |_| {}),
    );
}
