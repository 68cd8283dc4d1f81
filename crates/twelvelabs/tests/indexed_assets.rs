//! Indexed assets, the legacy videos view and legacy tasks against
//! media-mock over real HTTP.

#![allow(clippy::unwrap_used, deprecated)]

use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateIndexRequest, CreateIndexedAssetRequest, CreateTaskRequest, Error,
    HlsStatus, IndexedAssetStatus, ListIndexedAssetsParams, ListTasksParams, MetadataValue,
    PollOptions, Range, RetrieveVideoParams, RetryPolicy, TaskStatus, UserMetadata,
    UserMetadataPatch, VideoEmbeddingOption,
};

const PREFIX: &str = "/twelvelabs/v1.3";
const SEED_ID: &str = "6298d673f1090f1100476d4c";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn fast_poll() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(5))
}

async fn index(client: &Client) -> String {
    client
        .indexes()
        .create(&CreateIndexRequest::marengo("videos"))
        .await
        .unwrap()
        .id
        .unwrap()
}

fn seed_video_asset(server: &MockServer, id: &str, filename: &str, duration: f64) {
    server.seed_twelvelabs_asset(json!({
        "_id": id, "status": "ready", "file_type": "video/mp4", "filename": filename,
        "duration": duration, "size": 2048,
        "technical_metadata": {"video_width": 1920, "video_height": 1080, "video_fps": 30.0}
    }));
}

#[tokio::test]
async fn create_wait_retrieve_update_delete() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = index(&client).await;
    seed_video_asset(&server, "va1", "match.mp4", 42.0);
    let mut metadata = UserMetadata::new();
    metadata.insert("category".into(), MetadataValue::String("sports".into()));
    server.clear_requests();

    let created = client
        .indexed_assets()
        .create(
            &index_id,
            &CreateIndexedAssetRequest::new("va1")
                .enable_video_stream(true)
                .user_metadata(metadata),
        )
        .await
        .unwrap();
    assert_eq!(created.asset_id.as_deref(), Some("va1"));
    let id = created.id.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("{PREFIX}/indexes/{index_id}/indexed-assets")
    );
    assert_eq!(
        request.json().unwrap(),
        json!({"asset_id": "va1", "enable_video_stream": true, "user_metadata": {"category": "sports"}})
    );

    let mut seen = Vec::new();
    let ready = client
        .indexed_assets()
        .wait_until_ready(&index_id, &id, &fast_poll(), |a| {
            seen.push(a.status.clone());
        })
        .await
        .unwrap();
    assert_eq!(
        seen,
        [
            Some(IndexedAssetStatus::Indexing),
            Some(IndexedAssetStatus::Ready)
        ]
    );
    assert!(ready.is_ready());
    assert!(ready.indexed_at.is_some());
    let meta = ready.system_metadata.as_ref().unwrap();
    assert_eq!(meta.filename.as_deref(), Some("match.mp4"));
    assert_eq!(meta.duration, Some(42.0));
    assert_eq!(
        (meta.width, meta.height, meta.fps),
        (Some(1920), Some(1080), Some(30.0))
    );
    assert_eq!(meta.size, Some(2048.0));
    let hls = ready.hls.as_ref().unwrap();
    assert_eq!(hls.status, Some(HlsStatus::Complete));
    assert!(hls.video_url.as_deref().unwrap().contains("stream.m3u8"));
    assert_eq!(hls.thumbnail_urls.len(), 1);
    assert_eq!(
        ready.user_metadata.as_ref().unwrap()["category"],
        MetadataValue::String("sports".into())
    );

    server.clear_requests();
    let detailed = client
        .indexed_assets()
        .retrieve(
            &index_id,
            &id,
            &RetrieveVideoParams::new()
                .embedding_option(VideoEmbeddingOption::Visual)
                .embedding_option(VideoEmbeddingOption::Audio)
                .transcription(true),
        )
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].query.as_deref(),
        Some("embedding_option=visual&embedding_option=audio&transcription=true")
    );
    let embedding = detailed.embedding.unwrap();
    assert_eq!(embedding.model_name.as_deref(), Some("marengo3.0"));
    let segments = embedding.video_embedding.unwrap().segments;
    assert_eq!(segments.len(), 2);
    assert_eq!(segments[0].float, [0.011, -0.052, 0.093]);
    assert_eq!(segments[0].embedding_option.as_deref(), Some("visual"));
    assert_eq!(segments[0].embedding_scope.as_deref(), Some("clip"));
    assert_eq!(segments[0].end_offset_sec, Some(6.0));
    let transcription = detailed.transcription.unwrap();
    assert_eq!(transcription[1].value, "Welcome back.");

    let mut patch = UserMetadataPatch::new();
    patch.insert("category".into(), None);
    patch.insert("reviewed".into(), Some(MetadataValue::Boolean(true)));
    client
        .indexed_assets()
        .update(&index_id, &id, &patch)
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.json().unwrap(),
        json!({"user_metadata": {"category": null, "reviewed": true}})
    );
    let after = client
        .indexed_assets()
        .retrieve(&index_id, &id, &RetrieveVideoParams::new())
        .await
        .unwrap();
    let meta = after.user_metadata.unwrap();
    assert!(!meta.contains_key("category"));
    assert_eq!(meta["reviewed"], MetadataValue::Boolean(true));
    assert!(after.updated_at.is_some());

    // The index counts it.
    let counted = client.indexes().retrieve(&index_id).await.unwrap();
    assert_eq!(counted.video_count, Some(1));
    assert_eq!(counted.total_duration, Some(42.0));

    client
        .indexed_assets()
        .delete(&index_id, &id)
        .await
        .unwrap();
    assert_eq!(server.requests().pop().unwrap().method, "DELETE");
    let err = client
        .indexed_assets()
        .retrieve(&index_id, &id, &RetrieveVideoParams::new())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn a_processing_asset_cannot_be_indexed() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = index(&client).await;
    server.seed_twelvelabs_asset(json!({"_id": "p1", "status": "processing"}));
    let err = client
        .indexed_assets()
        .create(&index_id, &CreateIndexedAssetRequest::new("p1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("parameter_invalid"));
    let err = client
        .indexed_assets()
        .create(&index_id, &CreateIndexedAssetRequest::new(" "))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn list_encodes_ranges_statuses_and_metadata_filters() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = index(&client).await;
    for (id, name, duration) in [
        ("a", "short.mp4", 5.0),
        ("b", "mid.mp4", 15.0),
        ("c", "long.mp4", 60.0),
    ] {
        seed_video_asset(&server, id, name, duration);
        let mut meta = UserMetadata::new();
        meta.insert(
            "category".into(),
            MetadataValue::String(if id == "c" { "news" } else { "sports" }.into()),
        );
        client
            .indexed_assets()
            .create(
                &index_id,
                &CreateIndexedAssetRequest::new(id).user_metadata(meta),
            )
            .await
            .unwrap();
    }
    server.clear_requests();

    let page = client
        .indexed_assets()
        .list(
            &index_id,
            &ListIndexedAssetsParams::new()
                .status(IndexedAssetStatus::Pending)
                .status(IndexedAssetStatus::Ready)
                .duration(Range::between(10.0, 100.0))
                .user_metadata("category", "sports"),
        )
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].query.as_deref(),
        Some(
            "status=pending&status=ready&duration%5Bgte%5D=10&duration%5Blte%5D=100&category=sports"
        )
    );
    assert_eq!(page.data.len(), 1);
    let item = &page.data[0];
    assert_eq!(item.asset_id.as_deref(), Some("b"));
    assert_eq!(item.status, Some(IndexedAssetStatus::Pending));
    assert_eq!(item.user_metadata, None, "lists carry no user metadata");

    let all: Vec<_> = client
        .indexed_assets()
        .list_all(&index_id, ListIndexedAssetsParams::new().page_limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);

    let err = client
        .indexed_assets()
        .list(
            &index_id,
            &ListIndexedAssetsParams::new().duration(Range::between(9.0, 1.0)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client
        .indexed_assets()
        .list(
            &index_id,
            &ListIndexedAssetsParams::new().user_metadata("page", 1),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));

    // Referencing indexed assets, by asset.
    let refs = client
        .indexed_assets()
        .list_by_asset("b", None, Some(10))
        .await
        .unwrap();
    assert_eq!(refs.data.len(), 1);
    let index_ref = refs.data[0].index.as_ref().unwrap();
    assert_eq!(index_ref.id.as_deref(), Some(index_id.as_str()));
    assert_eq!(index_ref.name.as_deref(), Some("videos"));
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{PREFIX}/assets/b/indexed-assets")
    );
    let all_refs: Vec<_> = client
        .indexed_assets()
        .list_all_by_asset("b", None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all_refs.len(), 1);
}

#[tokio::test]
async fn legacy_videos_are_the_indexed_assets() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = index(&client).await;
    seed_video_asset(&server, "v", "clip.mp4", 20.0);
    let id = client
        .indexed_assets()
        .create(&index_id, &CreateIndexedAssetRequest::new("v"))
        .await
        .unwrap()
        .id
        .unwrap();
    server.clear_requests();

    let page = client
        .videos()
        .list(
            &index_id,
            &ListIndexedAssetsParams::new().fps(Range::at_least(24.0)),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(page.data[0].status, None);
    let request = &server.requests()[0];
    assert_eq!(request.path, format!("{PREFIX}/indexes/{index_id}/videos"));
    assert_eq!(request.query.as_deref(), Some("fps%5Bgte%5D=24"));
    let err = client
        .videos()
        .list(
            &index_id,
            &ListIndexedAssetsParams::new().status(IndexedAssetStatus::Ready),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));

    let video = client
        .videos()
        .retrieve(
            &index_id,
            &id,
            &RetrieveVideoParams::new().transcription(true),
        )
        .await
        .unwrap();
    assert_eq!(video.asset_id.as_deref(), Some("v"));
    assert!(video.transcription.is_some());

    let mut patch = UserMetadataPatch::new();
    patch.insert("k".into(), Some(MetadataValue::Integer(1)));
    client
        .videos()
        .update(&index_id, &id, &patch)
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        (
            "PATCH",
            format!("{PREFIX}/indexes/{index_id}/videos/{id}").as_str()
        )
    );

    let all: Vec<_> = client
        .videos()
        .list_all(&index_id, ListIndexedAssetsParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    client.videos().delete(&index_id, &id).await.unwrap();
    assert!(
        client
            .videos()
            .retrieve(&index_id, &id, &RetrieveVideoParams::new())
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn legacy_tasks_upload_index_and_wait() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = index(&client).await;
    server.clear_requests();

    let created = client
        .tasks()
        .create(
            &CreateTaskRequest::url(&index_id, "https://example.com/v/talk.mp4")
                .enable_video_stream(true),
        )
        .await
        .unwrap();
    let task_id = created.id.unwrap();
    let video_id = created.video_id.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.path, format!("{PREFIX}/tasks"));
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("name=\"index_id\"\r\n\r\n") && body.contains(&index_id));
    assert!(body.contains("name=\"video_url\"\r\n\r\nhttps://example.com/v/talk.mp4"));
    assert!(body.contains("name=\"enable_video_stream\"\r\n\r\ntrue"));

    let mut seen = Vec::new();
    let task = client
        .tasks()
        .wait_until_done(&task_id, &fast_poll(), |t| {
            seen.push(t.status.clone().unwrap());
        })
        .await
        .unwrap();
    assert_eq!(
        seen,
        [TaskStatus::Pending, TaskStatus::Indexing, TaskStatus::Ready]
    );
    assert_eq!(task.video_id.as_deref(), Some(video_id.as_str()));
    assert_eq!(task.index_id.as_deref(), Some(index_id.as_str()));
    let meta = task.system_metadata.unwrap();
    assert_eq!(meta.filename.as_deref(), Some("talk.mp4"));
    assert_eq!((meta.width, meta.height), (Some(1280), Some(720)));
    assert_eq!(task.hls.unwrap().status, Some(HlsStatus::Complete));

    let page = client
        .tasks()
        .list(
            &ListTasksParams::new()
                .index_id(&index_id)
                .status(TaskStatus::Ready)
                .filename("talk.mp4"),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(
        server.requests().pop().unwrap().query.unwrap(),
        format!("index_id={index_id}&status=ready&filename=talk.mp4")
    );
    let all: Vec<_> = client
        .tasks()
        .list_all(ListTasksParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);

    // A ready task whose video still exists cannot be deleted.
    let err = client.tasks().delete(&task_id).await.unwrap_err();
    assert_eq!(err.code(), Some("task_cannot_be_deleted"));
    client
        .indexed_assets()
        .delete(&index_id, &video_id)
        .await
        .unwrap();
    client.tasks().delete(&task_id).await.unwrap();
    assert!(
        client
            .tasks()
            .retrieve(&task_id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn legacy_task_from_a_file() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = index(&client).await;
    let dir = std::env::temp_dir().join(format!("tl-task-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("local.mp4");
    std::fs::write(&path, vec![1u8; 4096]).unwrap();
    let created = client
        .tasks()
        .create(&CreateTaskRequest::file(&index_id, &path))
        .await
        .unwrap();
    assert!(created.id.is_some());
    let body = server.requests().pop().unwrap().body;
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("name=\"video_file\"; filename=\"local.mp4\""));
    std::fs::remove_dir_all(&dir).unwrap();
    let err = client
        .tasks()
        .create(&CreateTaskRequest::url("", "https://x/y.mp4"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn a_failed_task_ends_the_wait_with_task_failed() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .tasks()
        .wait_until_done("missing", &fast_poll(), |_| {})
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let task: twelvelabs::VideoIndexingTask = serde_json::from_value(json!({
        "_id": "t", "status": "failed", "estimated_time": "2024-01-01T00:00:00Z", "extra": true
    }))
    .unwrap();
    assert_eq!(task.status, Some(TaskStatus::Failed));
    assert!(task.status.unwrap().is_terminal());
    let odd: twelvelabs::IndexedAsset = serde_json::from_value(
        json!({"_id": "x", "status": "archived", "hls": {"status": "PAUSED"}}),
    )
    .unwrap();
    assert_eq!(
        odd.status,
        Some(IndexedAssetStatus::Unknown("archived".into()))
    );
    assert_eq!(
        odd.hls.unwrap().status,
        Some(HlsStatus::Unknown("PAUSED".into()))
    );
    let _ = SEED_ID;
}
