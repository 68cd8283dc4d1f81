//! Upload (multipart and signed URL), download (file, frame zip, by location), delete and
//! frame extraction over real HTTP against media-mock.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{GROUP_ID, PREFIX, SEED_ID, assert_json_call, client, last, receiver, temp_file};
use media_core::{ProgressFn, UploadProgress};
use media_mock::MockServer;
use memories_v2::{Error, PollOptions, SignedUploadMethod, UploadStatus};

fn fast() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(10))
        .max_wait(Duration::from_secs(5))
}

#[tokio::test]
async fn upload_streams_a_multipart_file_and_the_asset_becomes_ready() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "talk.mp4", &vec![7u8; 200_000]);
    let seen = Arc::new(Mutex::new(Vec::<UploadProgress>::new()));
    let progress = {
        let seen = Arc::clone(&seen);
        ProgressFn::new(move |p| seen.lock().unwrap().push(p))
    };
    let uploaded = client.assets().upload(&path, Some(progress)).await.unwrap();
    assert!(uploaded.asset_id.starts_with("re_"), "{uploaded:?}");

    let request = last(&server, "/upload");
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{PREFIX}/upload"));
    let content_type = request.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains(r#"name="file"; filename="talk.mp4""#),
        "{body:.300}"
    );
    assert!(body.contains("Content-Type: video/mp4"), "{body:.300}");
    assert!(request.body.len() > 200_000);
    let last_progress = *seen.lock().unwrap().last().unwrap();
    assert_eq!(last_progress.bytes_sent, last_progress.total_bytes.unwrap());

    let mut statuses = Vec::new();
    let ready = client
        .assets()
        .wait_until_uploaded(&uploaded.asset_id, &fast(), |r| {
            statuses.push(r.upload_status.clone());
        })
        .await
        .unwrap();
    assert_eq!(ready.upload_status, UploadStatus::Success);
    assert_eq!(ready.file_size, Some(200_000));
    assert_eq!(ready.original_filename.as_deref(), Some("talk.mp4"));
    assert_eq!(statuses, [UploadStatus::Uploading, UploadStatus::Success]);
}

#[tokio::test]
async fn upload_of_a_missing_file_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server)
        .assets()
        .upload(std::path::Path::new("/no/such/file.mp4"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn signed_url_upload_in_two_steps_with_put_and_post() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "clip.mov", b"movie bytes");
    for method in [SignedUploadMethod::Put, SignedUploadMethod::PostForm] {
        let signed = client
            .assets()
            .upload_via_signed_url(&path, method, None)
            .await
            .unwrap();
        assert!(signed.asset_id.starts_with("re_"));
        assert_eq!(signed.expires_in, Some(93_600));
        let reserve = last(&server, "/upload/signed-url");
        assert_json_call(&reserve, "POST", "/upload/signed-url");
        assert_eq!(
            reserve.json().unwrap(),
            serde_json::json!({"original_filename": "clip.mov"})
        );

        let storage = last(&server, &format!("/__storage/{}", signed.asset_id));
        assert_eq!(
            storage.header("authorization"),
            None,
            "the key never goes to storage"
        );
        assert!(
            storage
                .query
                .as_deref()
                .unwrap()
                .contains("X-Goog-Signature=")
        );
        if method == SignedUploadMethod::Put {
            assert_eq!(storage.method, "PUT");
            assert_eq!(&storage.body[..], b"movie bytes");
            assert_eq!(
                storage.header("content-type"),
                Some("application/octet-stream")
            );
        } else {
            assert_eq!(storage.method, "POST");
            assert!(
                storage
                    .header("content-type")
                    .unwrap()
                    .starts_with("multipart/form-data")
            );
        }
        let ready = client
            .assets()
            .wait_until_uploaded(&signed.asset_id, &fast(), |_| {})
            .await
            .unwrap();
        assert_eq!(ready.file_size, Some(11));
    }
}

#[tokio::test]
async fn download_streams_bytes_to_a_file() {
    let server = MockServer::start().await;
    server.seed_memories_v2_bytes(SEED_ID, "video/mp4", b"0123456789".to_vec());
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.mp4");
    let done = client
        .assets()
        .download(SEED_ID, &target, false, None)
        .await
        .unwrap();
    assert_eq!(done.bytes, 10);
    assert_eq!(done.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(done.file_name.as_deref(), Some("3"));
    assert_eq!(std::fs::read(&target).unwrap(), b"0123456789");
    let request = last(&server, "/download");
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("{PREFIX}/{SEED_ID}/download"));

    // An existing file is kept unless overwriting is asked for.
    let err = client
        .assets()
        .download(SEED_ID, &target, false, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io(_)), "{err:?}");
    client
        .assets()
        .download(SEED_ID, &target, true, None)
        .await
        .unwrap();
}

#[tokio::test]
async fn download_failure_is_a_json_envelope_not_a_file() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x");
    let err = client(&server)
        .assets()
        .download("re_1", &target, false, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { http_status: 400, message, .. } if message == "Asset not found"),
        "{err:?}"
    );
    assert!(!target.exists());

    // JSON under HTTP 200 (insufficient balance) is an error too, told apart by content type.
    server.inject(
        media_mock::FaultRule::new(media_mock::Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"code":402,"msg":"Insufficient balance to download the resource. Please recharge and try again.","data":null,"success":false,"failed":true}"#.to_vec(),
        })
        .path_prefix(&format!("{PREFIX}/{SEED_ID}/download"))
        .times(1),
    );
    let err = client(&server)
        .assets()
        .download(SEED_ID, &target, false, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(c), .. } if c == "402"),
        "{err:?}"
    );
    assert!(!target.exists());
}

#[tokio::test]
async fn download_by_location_keeps_slashes_unencoded() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("v.mp4");
    let done = client(&server)
        .assets()
        .download_by_location(
            "mavi-resource",
            "folder/VI000000000000000001.mp4",
            &target,
            false,
            None,
        )
        .await
        .unwrap();
    assert_eq!(done.file_name.as_deref(), Some("VI000000000000000001.mp4"));
    let request = last(&server, "/download");
    assert_eq!(request.path, format!("{PREFIX}/download"));
    assert_eq!(
        request.query.as_deref(),
        Some("bucket=mavi-resource&blob=folder/VI000000000000000001.mp4")
    );
    assert_eq!(
        request.header("authorization"),
        Some(media_mock::credentials::MEMORIES_API_KEY)
    );
    let err = client(&server)
        .assets()
        .download_by_location(
            "mavi-resource",
            "nope.mp4",
            &dir.path().join("n"),
            false,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.message(), Some("Resource does not exist"));
    assert!(matches!(
        client(&server)
            .assets()
            .download_by_location("", "b", &target, false, None)
            .await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn frame_group_downloads_as_a_zip_extracted_safely() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files = client(&server)
        .assets()
        .download_frames(GROUP_ID, dir.path())
        .await
        .unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["frame_0.jpg", "frame_1.jpg", "frame_2.jpg"]);
    assert!(
        std::fs::read(&files[0])
            .unwrap()
            .starts_with(b"media-mock bytes of imc_666914042514116608_0")
    );
    // Nothing but the frames is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn zip_entries_never_escape_the_target_dir() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("evil.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    writer
        .start_file("../escape.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    writer.write_all(b"x").unwrap();
    writer.finish().unwrap();
    let target = dir.path().join("out");
    let err = memories_v2::extract_zip(&zip_path, &target).unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(!dir.path().join("escape.txt").exists());
}

#[tokio::test]
async fn delete_removes_the_asset() {
    let server = MockServer::start().await;
    let client = client(&server);
    client.assets().delete(SEED_ID).await.unwrap();
    let request = last(&server, SEED_ID);
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, format!("{PREFIX}/{SEED_ID}"));
    assert!(
        client
            .assets()
            .metadata(SEED_ID)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .assets()
            .delete(SEED_ID)
            .await
            .unwrap_err()
            .is_not_found()
    );
    client.assets().delete("../x").await.unwrap_err();
    assert_eq!(last(&server, "x").path, format!("{PREFIX}/..%2Fx"));
}

#[tokio::test]
async fn extract_frames_resolves_by_webhook_to_the_frame_ids() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = client(&server);
    let task = client.assets().extract_frames(SEED_ID).await.unwrap();
    assert_eq!(task.task_id().len(), 32);
    let request = last(&server, "/video/extract-frames");
    assert_json_call(&request, "POST", "/video/extract-frames");
    assert_eq!(
        request.json().unwrap(),
        serde_json::json!({"asset_id": SEED_ID})
    );

    let frames = task.wait(&receiver).await.unwrap();
    let group = frames.group_id().unwrap();
    let ids = frames.frame_ids().unwrap();
    assert_eq!(ids.len(), 3);
    assert!(
        ids.iter()
            .enumerate()
            .all(|(n, id)| id.group() == group && id.index() as usize == n)
    );
    // The group's metadata lists every frame, in order.
    let listed = client.assets().frames(&frames.asset_id).await.unwrap();
    assert_eq!(
        listed.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        frames.asset_ch_ids
    );
    // The webhook the mock sent is the documented E4 shape.
    let (_, body) = server.memories_v2_webhooks().pop().unwrap();
    assert_eq!(body["code"], 200);
    assert_eq!(body["message"], "SUCCESS");
    assert_eq!(body["task_id"], task.task_id());
}

#[tokio::test]
async fn async_calls_without_a_webhook_fail_as_documented() {
    let server = MockServer::start().await;
    let err = client(&server)
        .assets()
        .extract_frames(SEED_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 400, code: Some(c), message, .. } if c == "400" && message == "An async request requires at least one webhook."),
        "{err:?}"
    );
}
