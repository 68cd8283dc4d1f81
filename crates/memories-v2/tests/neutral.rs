//! The neutral traits over real HTTP: upload, delete, frame extraction; the rate limiter.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use std::time::{Duration, Instant};

use common::{SEED_ID, client, config, receiver, temp_file};
use media_core::{
    AssetDeleter, AssetStatus, AssetUploader, FrameExtractor, MediaKind, UploadSource,
};
use media_mock::MockServer;
use memories_v2::{Client, Error};

#[tokio::test]
async fn uploader_and_deleter() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "song.mp3", b"ID3 audio");
    let asset = AssetUploader::upload(&client, UploadSource::Path(path), None)
        .await
        .unwrap();
    assert!(asset.id.starts_with("re_"));
    assert_eq!(asset.kind, MediaKind::Audio);
    assert_eq!(asset.name.as_deref(), Some("song.mp3"));
    assert_eq!(asset.status, Some(AssetStatus::Processing));
    let err = AssetUploader::upload(&client, UploadSource::Url("https://x/y.mp4".into()), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));

    AssetDeleter::delete(&client, &asset.id).await.unwrap();
    assert!(
        AssetDeleter::delete(&client, &asset.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn frame_extractor_goes_through_the_webhook() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = Client::new(config(&server).webhook_receiver(receiver)).unwrap();
    let frames = FrameExtractor::extract_frames(&client, SEED_ID)
        .await
        .unwrap();
    assert_eq!(frames.len(), 3);
    assert!(
        frames
            .iter()
            .all(|f| f.kind == MediaKind::Image && f.status == Some(AssetStatus::Ready))
    );
    assert!(frames[0].id.ends_with("_0") && frames[2].id.ends_with("_2"));
}

#[tokio::test]
async fn frame_extractor_binds_the_configured_address() {
    let server = MockServer::start().await;
    // Find a free port, then let the client bind it on first use.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    server.set_memories_v2_webhook_url(Some(&format!("http://{addr}/hooks/memories")));
    let client = Client::new(config(&server).webhook_listen(addr)).unwrap();
    let frames = FrameExtractor::extract_frames(&client, SEED_ID)
        .await
        .unwrap();
    assert_eq!(frames.len(), 3);

    let without = common::client(&server);
    let err = FrameExtractor::extract_frames(&without, SEED_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("MEMORIES_V2_WEBHOOK_LISTEN")),
        "{err:?}"
    );
}

#[tokio::test]
async fn opt_in_rate_limiter_spaces_calls() {
    let server = MockServer::start().await;
    let client = Client::new(config(&server).rate_limit(20.0)).unwrap();
    let started = Instant::now();
    for _ in 0..4 {
        client.assets().metadata(SEED_ID).await.unwrap();
    }
    // Four calls at 20 QPS: three gaps of 50 ms at least.
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
    // Clones share the limiter.
    let clone = client.clone();
    let started = Instant::now();
    clone.assets().metadata(SEED_ID).await.unwrap();
    client.assets().metadata(SEED_ID).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(50));
}

#[test]
fn public_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(memories_v2::Config::new("k")).unwrap();
    let path = std::path::Path::new("x");
    assert_send(&client.assets().upload(path, None));
    assert_send(&client.assets().download("re_1", path, false, None));
    assert_send(&client.assets().extract_frames("re_1"));
    assert_send(&client.video().clip("re_1"));
    assert_send(&client.screenplay().status("t"));
    assert_send(
        &client
            .agents()
            .search(&memories_v2::agents::SearchParams::new("q")),
    );
    assert_send(
        &client
            .chat()
            .video_completions(&memories_v2::chat::ChatRequest::new("gemini:x", vec![])),
    );
    assert_send(&client.transcriptions().sync_generate_speaker("re_1"));
    assert_send(
        &client
            .embeddings()
            .text(&memories_v2::embeddings::TextEmbeddingParams::new(
                ["a"],
                "m",
            )),
    );
    assert_send(&client.streams().audio_stop("t"));
    assert_send(&client.tasks().status("t"));
    assert_send(&FrameExtractor::extract_frames(&client, "re_1"));
    let pending = memories_v2::PendingTask::<memories_v2::webhooks::FramesResult>::new("t");
    let receiver_future = memories_v2::WebhookReceiver::bind("127.0.0.1:0".parse().unwrap());
    assert_send(&receiver_future);
    let _ = pending;
}
