//! memories.ai v2 over HTTP: asset metadata for resources, frame groups and frames; auth.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use media_mock::{MockServer, credentials};
use serde_json::json;

/// Seed 000's example response, compacted.
const SEED_METADATA: &str = r#"{"code":"0000","msg":"success","data":{"total":1,"resource":[{"extension":"mp4","asset_id":"re_660729180626595840","original_filename":"3","file_size":"133652816","upload_status":"SUCCESS","create_time":"1766989317192","modify_time":"1766989317192"}]},"success":true,"failed":false}"#;
const NOT_FOUND: &str =
    r#"{"code":400,"msg":"Asset not found","data":null,"success":false,"failed":true}"#;

async fn metadata(server: &MockServer, asset_id: &str, key: Option<&str>) -> (u16, String) {
    let mut request =
        reqwest::Client::new().get(format!("{}/{asset_id}/metadata", server.memories_v2_url()));
    if let Some(key) = key {
        request = request.header("Authorization", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(response.headers()["content-type"], "application/json");
    (status, response.text().await.unwrap())
}

async fn metadata_with_key(server: &MockServer, asset_id: &str) -> (u16, String) {
    metadata(server, asset_id, Some(credentials::MEMORIES_API_KEY)).await
}

#[tokio::test]
async fn seeded_asset_is_served_exactly_as_documented() {
    let server = MockServer::start().await;
    assert_eq!(
        metadata_with_key(&server, "re_660729180626595840").await,
        (200, SEED_METADATA.to_owned())
    );
}

#[tokio::test]
async fn frame_group_lists_every_frame_in_order() {
    let server = MockServer::start().await;
    let (status, body) = metadata_with_key(&server, "im_666914042514116608").await;
    assert_eq!(status, 200);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "0000");
    assert_eq!(body["data"]["total"], 3);
    let frames = body["data"]["resource"].as_array().unwrap();
    for (index, frame) in frames.iter().enumerate() {
        assert_eq!(frame["asset_id"], format!("imc_666914042514116608_{index}"));
        assert_eq!(frame["original_filename"], format!("frame_{index}.jpg"));
        assert_eq!(frame["extension"], "jpg");
        assert_eq!(frame["upload_status"], "SUCCESS");
        assert!(frame["file_size"].as_str().unwrap().parse::<u64>().is_ok());
        assert!(
            frame["create_time"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .is_ok()
        );
        assert!(
            frame["modify_time"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .is_ok()
        );
    }
    assert_eq!(frames.len(), 3);
}

#[tokio::test]
async fn single_frame_is_fetchable_alone() {
    let server = MockServer::start().await;
    let (status, body) = metadata_with_key(&server, "imc_666914042514116608_1").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        r#"{"code":"0000","msg":"success","data":{"total":1,"resource":[{"extension":"jpg","asset_id":"imc_666914042514116608_1","original_filename":"frame_1.jpg","file_size":"51377","upload_status":"SUCCESS","create_time":"1767052800125","modify_time":"1767052800125"}]},"success":true,"failed":false}"#
    );
}

#[tokio::test]
async fn unknown_asset_is_http_400_asset_not_found() {
    let server = MockServer::start().await;
    assert_eq!(
        metadata_with_key(&server, "re_000000000000000000").await,
        (400, NOT_FOUND.to_owned())
    );
    assert_eq!(
        metadata_with_key(&server, "im_666914042514116608%2F..").await,
        (400, NOT_FOUND.to_owned())
    );
}

#[tokio::test]
async fn missing_or_wrong_key_is_rejected() {
    let server = MockServer::start().await;
    let rejected = (
        401,
        r#"{"code":401,"msg":"Unauthorized","data":null}"#.to_owned(),
    );
    assert_eq!(
        metadata(&server, "re_660729180626595840", None).await,
        rejected
    );
    assert_eq!(
        metadata(&server, "re_660729180626595840", Some("sk-wrong")).await,
        rejected
    );
}

#[tokio::test]
async fn seeded_assets_and_frames_are_served_verbatim() {
    let server = MockServer::start().await;
    let asset = json!({
        "asset_id": "re_700000000000000003",
        "file_size": 48_213_377,
        "upload_status": "TRANSCODING",
        "extra": true,
    });
    server.seed_memories_v2_asset(asset.clone());
    let frames = vec![
        json!({"asset_id": "imc_700000000000000010_0", "file_size": "1"}),
        json!({"asset_id": "imc_700000000000000010_1", "file_size": "2"}),
    ];
    server.seed_memories_v2_frames("im_700000000000000010", frames.clone());

    let (_, body) = metadata_with_key(&server, "re_700000000000000003").await;
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"], json!({"total": 1, "resource": [asset]}));

    let (_, body) = metadata_with_key(&server, "im_700000000000000010").await;
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"], json!({"total": 2, "resource": frames}));

    let (_, body) = metadata_with_key(&server, "imc_700000000000000010_1").await;
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"]["resource"][0], frames[1]);
}
