//! Multipart uploads against media-mock over real HTTP: the five endpoints,
//! presigned chunk PUTs, the resumable uploader and `upload_asset`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{Fault, FaultRule, MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    AssetInput, AssetMethod, ChunkStatus, Client, CompletedChunk, Config,
    CreateMultipartUploadRequest, Error, MetadataValue, MultipartUploadOptions,
    MultipartUploadStatus, PollOptions, RetryPolicy, UploadOptions, UploadType, UserMetadata,
};

const PREFIX: &str = "/twelvelabs/v1.3";
const CHUNK: u64 = 1000;

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("tl-mp-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, len: usize) -> PathBuf {
        let path = self.0.join(name);
        let bytes: Vec<u8> = (0..len)
            .map(|i| u8::try_from(i * 7 % 251).unwrap())
            .collect();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn chunk_puts(server: &MockServer) -> Vec<u64> {
    let mut chunks: Vec<u64> = server
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.contains("/_mock/uploads/"))
        .map(|r| r.path.rsplit('/').next().unwrap().parse().unwrap())
        .collect();
    chunks.sort_unstable();
    chunks
}

#[tokio::test]
async fn the_raw_endpoints_step_by_step() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(CHUNK);
    let dir = TempDir::new("raw");
    let path = dir.file("clip.mp4", 2500);
    let client = client(&server);
    let uploads = client.multipart_uploads();

    let mut meta = UserMetadata::new();
    meta.insert("k".into(), MetadataValue::String("v".into()));
    let session = uploads
        .create(
            &CreateMultipartUploadRequest::new("clip.mp4", UploadType::Video, 2500)
                .enable_hls(true)
                .user_metadata(meta),
        )
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.path, format!("{PREFIX}/assets/multipart-uploads"));
    assert_eq!(
        request.json().unwrap(),
        json!({"filename": "clip.mp4", "type": "video", "total_size": 2500, "enable_hls": true, "user_metadata": {"k": "v"}})
    );
    let upload_id = session.upload_id.clone().unwrap();
    let asset_id = session.asset_id.clone().unwrap();
    assert_eq!(session.chunk_size, Some(CHUNK));
    assert_eq!(session.total_chunks, Some(3));
    assert_eq!(session.upload_urls.len(), 3);
    assert_eq!(session.upload_urls[0].chunk_index, Some(1));
    assert!(session.upload_urls[0].expires_at.is_some());
    assert!(session.upload_headers.is_empty());
    assert!(session.expires_at.is_some());

    let incomplete = uploads.list_incomplete(None, Some(10)).await.unwrap();
    assert_eq!(incomplete.data.len(), 1);
    let summary = &incomplete.data[0];
    assert_eq!(summary.upload_id.as_deref(), Some(upload_id.as_str()));
    assert_eq!(summary.status, Some(MultipartUploadStatus::Active));
    assert_eq!(
        (summary.total_size, summary.chunk_size, summary.total_chunks),
        (Some(2500), Some(CHUNK), Some(3))
    );
    let all: Vec<_> = uploads
        .list_all_incomplete(None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);

    let fresh = uploads.presigned_urls(&upload_id, 2, 2).await.unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(
        request.path,
        format!("{PREFIX}/assets/multipart-uploads/{upload_id}/presigned-urls")
    );
    assert_eq!(request.json().unwrap(), json!({"start": 2, "count": 2}));
    assert_eq!(fresh.start_index, Some(2));
    assert_eq!(fresh.count, Some(2));
    assert_eq!(fresh.upload_urls.len(), 2);
    assert!(fresh.generated_at.is_some());
    assert!(matches!(
        uploads.presigned_urls(&upload_id, 1, 51).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        uploads.presigned_urls(&upload_id, 0, 1).await,
        Err(Error::InvalidInput(_))
    ));

    // Chunk 1 via its presigned URL: no API key, raw bytes, ETag back.
    let url = session.upload_urls[0].url.clone().unwrap();
    let etag = uploads
        .upload_chunk(&url, &path, 0, CHUNK, &BTreeMap::new())
        .await
        .unwrap();
    assert!(!etag.contains('"'));
    let put = server.requests().pop().unwrap();
    assert_eq!(put.method, "PUT");
    assert_eq!(put.header("x-api-key"), None);
    assert_eq!(put.header("content-type"), Some("application/octet-stream"));
    assert_eq!(put.body.len(), 1000);
    assert_eq!(put.body[..], std::fs::read(&path).unwrap()[..1000]);

    let report = uploads
        .report(
            &upload_id,
            &[CompletedChunk::new(1, &format!("\"{etag}\""), CHUNK)],
        )
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(
        request.json().unwrap(),
        json!({"completed_chunks": [{"chunk_index": 1, "proof": etag, "proof_type": "etag", "chunk_size": 1000}]})
    );
    assert_eq!(report.processed_chunks, Some(1));
    assert_eq!(report.duplicate_chunks, Some(0));
    assert_eq!(report.total_completed, Some(1));
    assert_eq!(report.url, None);
    let again = uploads
        .report(&upload_id, &[CompletedChunk::new(1, &etag, CHUNK)])
        .await
        .unwrap();
    assert_eq!(again.duplicate_chunks, Some(1));
    let err = uploads
        .report(&upload_id, &[CompletedChunk::new(2, "wrong", CHUNK)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("parameter_invalid"));
    assert!(matches!(
        uploads.report(&upload_id, &[]).await,
        Err(Error::InvalidInput(_))
    ));

    let status = uploads.status(&upload_id, Some(1), Some(10)).await.unwrap();
    assert_eq!(status.status, Some(MultipartUploadStatus::Active));
    assert_eq!(status.uploaded_chunks.len(), 1);
    assert_eq!(status.uploaded_chunks[0].index, Some(1));
    assert_eq!(
        status.uploaded_chunks[0].status,
        Some(ChunkStatus::Completed)
    );
    assert!(status.uploaded_chunks[0].uploaded_at.is_some());
    assert_eq!(
        (
            status.chunks_completed,
            status.chunks_pending,
            status.chunks_failed
        ),
        (Some(1), Some(2), Some(0))
    );
    assert_eq!(
        (status.total_size, status.uploaded_size),
        (Some(2500), Some(1000))
    );
    assert_eq!(status.page_info.total_results, Some(1));
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("page=1&page_limit=10")
    );

    // The other two chunks, then the session completes and the asset appears.
    let mut chunks = Vec::new();
    for (index, offset, len) in [(2, 1000, 1000), (3, 2000, 500)] {
        let url = fresh.upload_urls[index - 2].url.clone().unwrap();
        let etag = uploads
            .upload_chunk(&url, &path, offset, len, &BTreeMap::new())
            .await
            .unwrap();
        chunks.push(CompletedChunk::new(index as u64, &etag, len));
    }
    let done = uploads.report(&upload_id, &chunks).await.unwrap();
    assert_eq!(done.total_completed, Some(3));
    assert_eq!(done.asset_id.as_deref(), Some(asset_id.as_str()));
    assert!(done.url.is_some());
    let options = PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0);
    let complete = uploads
        .wait_until_complete(&upload_id, &options, |_| {})
        .await
        .unwrap();
    assert_eq!(complete.status, Some(MultipartUploadStatus::Completed));
    let asset = client
        .assets()
        .wait_until_ready(&asset_id, &options, |_| {})
        .await
        .unwrap();
    assert_eq!(asset.method, Some(AssetMethod::Multipart));
    assert_eq!(asset.size, Some(2500));
    assert!(asset.hls.is_some());
    assert!(
        uploads
            .list_incomplete(None, None)
            .await
            .unwrap()
            .data
            .is_empty()
    );
    assert!(
        uploads
            .status("nope", None, None)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn upload_file_uploads_every_chunk_in_parallel_and_reports_them() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(CHUNK);
    let dir = TempDir::new("full");
    let path = dir.file("big.mov", 12_345);
    let client = client(&server);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = {
        let seen = seen.clone();
        media_core::ProgressFn::new(move |p| {
            seen.lock().unwrap().push((p.bytes_sent, p.total_bytes));
        })
    };
    let outcome = client
        .multipart_uploads()
        .upload_file(
            &path,
            &MultipartUploadOptions::new()
                .concurrency(3)
                .progress(progress),
        )
        .await
        .unwrap();
    assert!(!outcome.resumed);
    assert_eq!(outcome.chunks_uploaded, 13);
    assert_eq!(outcome.chunks_skipped, 0);
    assert!(outcome.url.is_some());
    assert_eq!(chunk_puts(&server), (1..=13).collect::<Vec<_>>());
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.path == format!("{PREFIX}/assets/multipart-uploads"))
        .unwrap();
    assert_eq!(
        create.json().unwrap(),
        json!({"filename": "big.mov", "type": "video", "total_size": 12345})
    );
    // The initial URLs covered 5 chunks; the rest came from one request.
    let url_requests: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/presigned-urls"))
        .collect();
    assert_eq!(url_requests.len(), 1);
    assert_eq!(
        url_requests[0].json().unwrap(),
        json!({"start": 6, "count": 8})
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.first(), Some(&(0, Some(12_345))));
    assert_eq!(seen.last(), Some(&(12_345, Some(12_345))));
    let asset = client.assets().retrieve(&outcome.asset_id).await.unwrap();
    assert_eq!(asset.filename.as_deref(), Some("big.mov"));
    assert_eq!(asset.file_type.as_deref(), Some("video/quicktime"));
}

#[tokio::test]
async fn a_failed_chunk_is_reported_around_and_a_resumed_run_uploads_only_it() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(CHUNK);
    let dir = TempDir::new("resume");
    let path = dir.file("talk.mp3", 4_200);
    let state = dir.0.join("talk.upload.json");
    server.inject(
        FaultRule::new(Fault::status(500))
            .method("PUT")
            .path_prefix(&format!("{PREFIX}/_mock/uploads/"))
            .times(1),
    );
    let client = client(&server);
    let options = MultipartUploadOptions::new()
        .concurrency(1)
        .state_file(&state);
    let err = client
        .multipart_uploads()
        .upload_file(&path, &options)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(500));
    assert!(state.exists(), "the state survives a failure");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["total_size"], 4200);
    assert_eq!(saved["total_chunks"], 5);
    let upload_id = saved["upload_id"].as_str().unwrap().to_owned();
    let (_, done) = client
        .multipart_uploads()
        .uploaded_chunks(&upload_id)
        .await
        .unwrap();
    assert_eq!(done.len(), 4, "the chunks that made it were reported");

    server.clear_requests();
    let outcome = client
        .multipart_uploads()
        .upload_file(&path, &options)
        .await
        .unwrap();
    assert!(outcome.resumed);
    assert_eq!(outcome.upload_id, upload_id);
    assert_eq!(outcome.chunks_skipped, 4);
    assert_eq!(outcome.chunks_uploaded, 1);
    assert_eq!(chunk_puts(&server).len(), 1);
    assert!(
        !server
            .requests()
            .iter()
            .any(|r| r.method == "POST" && r.path == format!("{PREFIX}/assets/multipart-uploads")),
        "no new session"
    );
    assert!(!state.exists(), "the state is removed once done");
    let poll = PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0);
    let asset = client
        .assets()
        .wait_until_ready(&outcome.asset_id, &poll, |_| {})
        .await
        .unwrap();
    assert_eq!(asset.size, Some(4200));
    assert_eq!(asset.file_type.as_deref(), Some("audio/mpeg"));
}

#[tokio::test]
async fn a_stale_state_for_another_file_starts_a_new_session() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(CHUNK);
    let dir = TempDir::new("stale");
    let path = dir.file("a.mp4", 1500);
    let state = dir.0.join("state.json");
    std::fs::write(
        &state,
        json!({"upload_id": "old", "asset_id": "old", "filename": "a.mp4", "total_size": 999,
               "chunk_size": 1000, "total_chunks": 1})
        .to_string(),
    )
    .unwrap();
    let outcome = client(&server)
        .multipart_uploads()
        .upload_file(&path, &MultipartUploadOptions::new().state_file(&state))
        .await
        .unwrap();
    assert!(!outcome.resumed);
    assert_eq!(outcome.chunks_uploaded, 2);
    // A state naming a session the server no longer knows also starts afresh.
    std::fs::write(
        &state,
        json!({"upload_id": "gone", "asset_id": "gone", "filename": "a.mp4", "total_size": 1500,
               "chunk_size": 1000, "total_chunks": 2})
        .to_string(),
    )
    .unwrap();
    let outcome = client(&server)
        .multipart_uploads()
        .upload_file(&path, &MultipartUploadOptions::new().state_file(&state))
        .await
        .unwrap();
    assert!(!outcome.resumed);
}

#[tokio::test]
async fn upload_asset_picks_direct_or_multipart() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(CHUNK);
    let dir = TempDir::new("pick");
    let small = dir.file("small.mp4", 500);
    let large = dir.file("large.mp4", 3_000);
    let doc = dir.file("notes.pdf", 3_000);
    let client = client(&server);
    let options = UploadOptions::new().multipart_threshold(1_000);

    let direct = client
        .upload_asset(AssetInput::File(small), &options)
        .await
        .unwrap();
    assert_eq!(direct.method, Some(AssetMethod::Direct));
    let multipart = client
        .upload_asset(AssetInput::File(large), &options)
        .await
        .unwrap();
    assert_eq!(multipart.method, Some(AssetMethod::Multipart));
    assert_eq!(chunk_puts(&server), [1, 2, 3]);
    let document = client
        .upload_asset(AssetInput::File(doc), &options)
        .await
        .unwrap();
    assert_eq!(
        document.method,
        Some(AssetMethod::Direct),
        "documents always go direct"
    );
    let url = client
        .upload_asset(
            AssetInput::Url("https://example.com/x.mp4".into()),
            &options,
        )
        .await
        .unwrap();
    assert_eq!(url.method, Some(AssetMethod::Url));
    assert!(matches!(
        client
            .upload_asset(AssetInput::File(Path::new("/no/such.mp4").into()), &options)
            .await,
        Err(Error::Io(_))
    ));
}

#[test]
fn upload_types_from_extensions() {
    assert_eq!(
        UploadType::from_path(Path::new("a.MKV")),
        Some(UploadType::Video)
    );
    assert_eq!(
        UploadType::from_path(Path::new("a.flac")),
        Some(UploadType::Audio)
    );
    assert_eq!(
        UploadType::from_path(Path::new("a.jpeg")),
        Some(UploadType::Image)
    );
    assert_eq!(UploadType::from_path(Path::new("a.pdf")), None);
    assert_eq!(UploadType::from_path(Path::new("noext")), None);
}
