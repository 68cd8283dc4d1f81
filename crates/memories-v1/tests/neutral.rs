//! The media-core traits on `Client` over real HTTP: list, upload, delete.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

mod support;

use futures::TryStreamExt as _;
use media_core::{
    Asset, AssetDeleter, AssetLister, AssetQuery, AssetReader, AssetStatus, AssetUploader,
    MediaKind, Provider, UploadSource,
};
use media_mock::MockServer;
use support::{assert_sent, client, last, media_file};

#[tokio::test]
async fn lister_walks_every_page() {
    let server = MockServer::start().await;
    let client = client(&server);
    let assets: Vec<Asset> = client
        .assets(AssetQuery::new().page_size(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(assets.len(), 2);
    assert_eq!(assets[0].id, "VI606404158946574336");
    assert_eq!(assets[1].id, "VI700000000000000001");
    assert_eq!(assets[1].size_bytes, Some(7_340_032));
    assert_eq!(assets[1].status, Some(AssetStatus::Ready));
    assert_eq!(assets[1].kind, MediaKind::Video);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].json().unwrap()["page"], 2);
    assert_eq!(AssetLister::provider(&client), Provider::MemoriesV1);
}

#[tokio::test]
async fn uploader_takes_files_and_urls_and_deleter_removes() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (_dir, path) = media_file("clip.mp4", 5000);
    let asset = AssetUploader::upload(&client, UploadSource::Path(path), None)
        .await
        .unwrap();
    assert_sent(&last(&server), "POST", "/upload");
    assert_eq!(asset.status, Some(AssetStatus::Processing));
    assert_eq!(asset.name.as_deref(), Some("clip"));
    let url = UploadSource::Url("https://cdn.example.invalid/b.mp4".into());
    let from_url = AssetUploader::upload(&client, url, None).await.unwrap();
    assert_sent(&last(&server), "POST", "/upload_url");
    assert_eq!(from_url.status, Some(AssetStatus::Processing));

    client.delete(&asset.id).await.unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/delete_videos");
    assert_eq!(request.json().unwrap(), serde_json::json!([asset.id]));
    let err = client.asset(&asset.id).await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(AssetUploader::provider(&client), Provider::MemoriesV1);
    assert_eq!(AssetDeleter::provider(&client), Provider::MemoriesV1);
}
