//! Getting media in: a file uploaded to Object Storage (S3-compatible, presigned PUT) and
//! registered as an asset, through `Assets::upload` and the neutral `AssetUploader`, against
//! media-mock's path-style Object Storage.
#![allow(clippy::unwrap_used)]

mod common;

use media_mock::MockServer;
use media_mock::credentials::NCP_WORKSPACE;
use ncp_mi::{Client, Error, ObjectStorage, UploadParams};

fn storage_client(server: &MockServer) -> Client {
    let storage = ObjectStorage::new()
        .endpoint(format!("{}/_object-storage", server.ncp_mi_url()))
        .bucket("media-in");
    Client::new(
        common::config(server)
            .object_storage(storage)
            .workspace(NCP_WORKSPACE)
            .project(1234),
    )
    .unwrap()
}

#[test]
fn object_storage_debug_hides_keys_and_defaults_to_ncp() {
    let storage = ObjectStorage::new().credentials("AKIDSTORAGE", "SECRETSTORAGE");
    let shown = format!("{storage:?}");
    assert!(
        !shown.contains("AKIDSTORAGE") && !shown.contains("SECRETSTORAGE"),
        "{shown}"
    );
    assert!(
        shown.contains("https://kr.object.ncloudstorage.com"),
        "{shown}"
    );
    assert_eq!(ObjectStorage::new().default_bucket(), None);
}

#[cfg(feature = "object-storage")]
#[tokio::test]
async fn upload_puts_the_file_presigned_then_registers_it() {
    use media_mock::credentials::NCP_ACCESS_KEY;
    use std::sync::{Arc, Mutex};
    let server = MockServer::start().await;
    let client = storage_client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("launch.mp4");
    std::fs::write(&path, vec![3u8; 300_000]).unwrap();
    let sent = Arc::new(Mutex::new(0u64));
    let seen = sent.clone();
    let progress = media_core::ProgressFn::new(move |p| *seen.lock().unwrap() = p.bytes_sent);

    let asset = client
        .assets()
        .upload(
            NCP_WORKSPACE,
            1234,
            &UploadParams::new(&path).key("clips/launch.mp4"),
            Some(progress),
        )
        .await
        .unwrap();
    assert_eq!(*sent.lock().unwrap(), 300_000);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let put = &requests[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(
        put.path,
        "/ncp-mi/api/v1/_object-storage/media-in/clips/launch.mp4"
    );
    assert_eq!(put.body.len(), 300_000);
    assert_eq!(put.header("content-type"), Some("video/mp4"));
    // Signature V4 in the query (presigned), never the NCP API Gateway headers.
    let query = put.query.as_deref().unwrap();
    assert!(
        query.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256"),
        "{query}"
    );
    assert!(
        query.contains(&format!("X-Amz-Credential={NCP_ACCESS_KEY}")),
        "{query}"
    );
    assert!(query.contains("kr-standard"), "{query}");
    assert!(query.contains("X-Amz-Signature="), "{query}");
    assert_eq!(put.header("x-ncp-apigw-signature-v2"), None);
    assert_eq!(
        requests[1].json(),
        Some(serde_json::json!({"key":"clips/launch.mp4","bucketName":"media-in"}))
    );
    assert!(common::verifies(&requests[1]));
    assert_eq!(asset.key.as_deref(), Some("clips/launch.mp4"));
    assert_eq!(asset.meta_data.unwrap().size, Some(300_000));
}

#[cfg(feature = "object-storage")]
#[tokio::test]
async fn the_neutral_uploader_uses_the_defaults() {
    use media_core::{AssetUploader, MediaKind, UploadSource};
    let server = MockServer::start().await;
    let client = storage_client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("poster.png");
    std::fs::write(&path, vec![9u8; 1234]).unwrap();
    let asset = AssetUploader::upload(&client, UploadSource::Path(path), None)
        .await
        .unwrap();
    assert_eq!(asset.name.as_deref(), Some("poster.png"));
    assert_eq!(asset.kind, MediaKind::Image);
    assert_eq!(asset.size_bytes, Some(1234));
    assert_eq!(
        server.requests()[0].path,
        "/ncp-mi/api/v1/_object-storage/media-in/poster.png"
    );
    let err = AssetUploader::upload(&client, UploadSource::Url("https://x/y.mp4".into()), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn a_missing_bucket_or_file_is_invalid_input() {
    let server = MockServer::start().await;
    let client = Client::new(common::config(&server)).unwrap();
    let err = client
        .assets()
        .upload(
            NCP_WORKSPACE,
            1234,
            &UploadParams::new("/nonexistent/x.mp4"),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("NCP_OBJECT_STORAGE_BUCKET"),
        "{err}"
    );
    let err = storage_client(&server)
        .assets()
        .upload(
            NCP_WORKSPACE,
            1234,
            &UploadParams::new("/nonexistent/x.mp4"),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[cfg(not(feature = "object-storage"))]
#[tokio::test]
async fn without_the_feature_uploads_say_so() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.mp4");
    std::fs::write(&path, b"x").unwrap();
    let err = storage_client(&server)
        .assets()
        .upload(NCP_WORKSPACE, 1234, &UploadParams::new(&path), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("object-storage"), "{err}");
}
