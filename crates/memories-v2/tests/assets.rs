//! The asset endpoints over real HTTP against media-mock.
#![allow(clippy::unwrap_used, clippy::float_cmp)] // helpers outside #[test] functions

use std::time::Duration;

use chrono::{DateTime, Utc};
use media_core::http::RetryPolicy;
use media_core::{Asset, AssetReader, AssetStatus, MediaKind, Provider};
use media_mock::{Fault, FaultRule, MockServer, credentials};
use memories_v2::{
    AssetIdKind, AssetMetadata, Client, Config, Error, PollOptions, Resource, UploadStatus,
};
use serde_json::json;

const SEED_ID: &str = "re_660729180626595840";
const GROUP_ID: &str = "im_666914042514116608";
const METADATA_PATH: &str = "/memories-v2/serve/api/v2/re_660729180626595840/metadata";

/// Seed 000's example response, verbatim.
const SEED_000: &str = r#"{
  "code": "0000",
  "msg": "success",
  "data": {
    "total": 1,
    "resource": [
      {
        "extension": "mp4",
        "asset_id": "re_660729180626595840",
        "original_filename": "3",
        "file_size": "133652816",
        "upload_status": "SUCCESS",
        "create_time": "1766989317192",
        "modify_time": "1766989317192"
      }
    ]
  },
  "success": true,
  "failed": false
}"#;

fn config(server: &MockServer) -> Config {
    Config::new(credentials::MEMORIES_API_KEY)
        .base_url(server.memories_v2_url())
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(5)))
}

fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

/// A fault answering HTTP `status` with `body` as JSON, `times` times.
fn raw(server: &MockServer, status: u16, body: &str, times: usize) {
    server.inject(
        FaultRule::new(Fault::Raw {
            status,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        })
        .method("GET")
        .path_prefix("/memories-v2/serve/api/v2/")
        .times(times),
    );
}

fn assert_seed_resource(resource: &Resource) {
    assert_eq!(resource.asset_id, SEED_ID);
    assert_eq!(resource.extension.as_deref(), Some("mp4"));
    assert_eq!(resource.original_filename.as_deref(), Some("3"));
    assert_eq!(resource.file_size, Some(133_652_816));
    assert_eq!(resource.upload_status, UploadStatus::Success);
    assert_eq!(resource.create_time, Some(at(1_766_989_317_192)));
    assert_eq!(resource.modify_time, Some(at(1_766_989_317_192)));
    assert_eq!(resource.id_kind(), AssetIdKind::Resource);
}

fn assert_seed_metadata(metadata: &AssetMetadata) {
    assert_eq!(metadata.total, 1);
    assert_eq!(metadata.resource.len(), 1);
    assert_seed_resource(&metadata.resource[0]);
}

fn assert_seed_neutral(asset: &Asset) {
    assert_eq!(asset.provider, Provider::MemoriesV2);
    assert_eq!(asset.id, SEED_ID);
    assert_eq!(asset.name.as_deref(), Some("3"));
    assert_eq!(asset.kind, MediaKind::Video);
    assert_eq!(asset.mime.as_deref(), Some("video/mp4"));
    assert_eq!(asset.size_bytes, Some(133_652_816));
    assert_eq!(asset.duration, None);
    assert_eq!((asset.width, asset.height, asset.fps), (None, None, None));
    assert_eq!(asset.status, Some(AssetStatus::Ready));
    assert_eq!(
        asset
            .created_at
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "2025-12-29T06:21:57.192Z"
    );
    assert_eq!(asset.updated_at, Some(at(1_766_989_317_192)));
}

#[tokio::test]
async fn seed_000_decodes_exactly_and_converts_to_neutral() {
    let server = MockServer::start().await;
    let client = client(&server);

    let metadata = client.assets().metadata(SEED_ID).await.unwrap();
    assert_seed_metadata(&metadata);
    assert_seed_neutral(&Asset::from(&metadata.resource[0]));

    // The seed's own text, served verbatim, decodes the same.
    raw(&server, 200, SEED_000, 1);
    let verbatim = client.assets().metadata(SEED_ID).await.unwrap();
    assert_eq!(verbatim, metadata);

    let neutral = client.asset(SEED_ID).await.unwrap();
    assert_seed_neutral(&neutral);
    let json = serde_json::to_value(&neutral).unwrap();
    assert_eq!(json["created_at"], "2025-12-29T06:21:57.192Z");
    assert_eq!(json["status"], "ready");
    assert_eq!(json["size_bytes"], 133_652_816);
}

#[tokio::test]
async fn the_request_on_the_wire() {
    let server = MockServer::start().await;
    client(&server).assets().metadata(SEED_ID).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, METADATA_PATH);
    assert_eq!(request.query, None);
    // The raw key, no `Bearer `.
    assert_eq!(
        request.header("authorization"),
        Some(credentials::MEMORIES_API_KEY)
    );
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("memories-v2/")
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn integer_and_string_200_codes_both_decode() {
    let server = MockServer::start().await;
    let client = client(&server);
    for code in ["200", r#""200""#] {
        let body = SEED_000.replacen(r#""code": "0000""#, &format!(r#""code": {code}"#), 1);
        assert!(body.contains(&format!(r#""code": {code}"#)));
        raw(&server, 200, &body, 1);
        let metadata = client.assets().metadata(SEED_ID).await.unwrap();
        assert_seed_metadata(&metadata);
    }
    // E3-style `message` and no success/failed flags.
    raw(
        &server,
        200,
        &SEED_000
            .replacen(r#""msg""#, r#""message""#, 1)
            .replacen(r#""success": true,"#, "", 1)
            .replacen(r#""failed": false"#, r#""extra": 1"#, 1),
        1,
    );
    assert_seed_metadata(&client.assets().metadata(SEED_ID).await.unwrap());
}

#[tokio::test]
async fn business_error_codes_under_http_200_are_errors() {
    let server = MockServer::start().await;
    let client = client(&server);
    let balance = "Insufficient balance to download the resource. Please recharge and try again.";
    for (code, expected) in [(r#""0402""#, "0402"), ("500", "500"), ("402", "402")] {
        raw(
            &server,
            200,
            &format!(
                r#"{{"code":{code},"msg":"{balance}","data":null,"success":false,"failed":true}}"#
            ),
            1,
        );
        let err = client.assets().metadata(SEED_ID).await.unwrap_err();
        match &err {
            Error::Api {
                provider: Provider::MemoriesV2,
                http_status: 200,
                code: Some(c),
                message,
                ..
            } => {
                assert_eq!(c, expected);
                assert_eq!(message, balance);
            }
            other => panic!("{code}: {other:?}"),
        }
        assert!(err.to_string().contains(expected), "{err}");
    }
    // Not retried: one request per call.
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn frame_group_lists_its_frames_in_order() {
    let server = MockServer::start().await;
    let client = client(&server);

    let metadata = client.assets().metadata(GROUP_ID).await.unwrap();
    assert_eq!(metadata.total, 3);
    let ids: Vec<&str> = metadata
        .resource
        .iter()
        .map(|r| r.asset_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "imc_666914042514116608_0",
            "imc_666914042514116608_1",
            "imc_666914042514116608_2"
        ]
    );
    for (n, frame) in metadata.resource.iter().enumerate() {
        assert_eq!(frame.id_kind(), AssetIdKind::Frame);
        assert_eq!(frame.frame_index(), Some(u32::try_from(n).unwrap()));
        assert_eq!(frame.extension.as_deref(), Some("jpg"));
        assert_eq!(frame.upload_status, UploadStatus::Success);
    }

    let frames = client.assets().frames(GROUP_ID).await.unwrap();
    assert_eq!(frames.len(), 3);
    for (n, frame) in frames.iter().enumerate() {
        assert_eq!(frame.id, format!("imc_666914042514116608_{n}"));
        assert_eq!(
            frame.name.as_deref(),
            Some(format!("frame_{n}.jpg").as_str())
        );
        assert_eq!(frame.kind, MediaKind::Image);
        assert_eq!(frame.mime.as_deref(), Some("image/jpeg"));
        assert_eq!(frame.status, Some(AssetStatus::Ready));
    }
    let sizes: Vec<Option<u64>> = frames.iter().map(|f| f.size_bytes).collect();
    assert_eq!(sizes, [Some(48_213), Some(51_377), Some(49_902)]);

    let group = client.asset(GROUP_ID).await.unwrap();
    assert_eq!(group.id, GROUP_ID);
    assert_eq!(group.name, None);
    assert_eq!(group.kind, MediaKind::Other);
    assert_eq!(group.mime.as_deref(), Some("application/zip"));
    assert_eq!(group.size_bytes, Some(48_213 + 51_377 + 49_902));
    assert_eq!(group.status, Some(AssetStatus::Ready));
    assert_eq!(group.created_at, Some(at(1_767_052_800_123)));
    assert_eq!(group.updated_at, Some(at(1_767_052_800_127)));

    // One frame alone.
    let frame = client.asset("imc_666914042514116608_1").await.unwrap();
    assert_eq!(frame.kind, MediaKind::Image);
    assert_eq!(frame.size_bytes, Some(51_377));
}

#[tokio::test]
async fn a_group_with_a_failed_frame_is_not_ready() {
    let server = MockServer::start().await;
    let client = client(&server);
    server.seed_memories_v2_frames(
        "im_1",
        vec![
            json!({"asset_id": "imc_1_1", "extension": "jpg", "file_size": "7", "upload_status": "FAILED"}),
            json!({"asset_id": "imc_1_0", "extension": "jpg", "file_size": 3, "upload_status": "SUCCESS"}),
        ],
    );
    let group = client.asset("im_1").await.unwrap();
    assert_eq!(group.status, Some(AssetStatus::Failed { reason: None }));
    assert_eq!(group.size_bytes, Some(10));
    let frames = client.assets().frames("im_1").await.unwrap();
    let ids: Vec<&str> = frames.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["imc_1_0", "imc_1_1"], "sorted by frame index");
    let err = client.assets().frames(SEED_ID).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
}

#[tokio::test]
async fn unknown_asset_is_not_found() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .assets()
        .metadata("re_000000000000000000")
        .await
        .unwrap_err();
    match &err {
        Error::NotFound {
            http_status,
            code,
            message,
            ..
        } => {
            assert_eq!(*http_status, 400);
            assert_eq!(code.as_deref(), Some("400"));
            assert_eq!(message, "Asset not found");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        client
            .asset("im_000000000000000000")
            .await
            .unwrap_err()
            .is_not_found()
    );

    // The download-by-location wording is read the same way.
    raw(
        &server,
        400,
        r#"{"code":400,"msg":"Resource does not exist","data":null,"success":false,"failed":true}"#,
        1,
    );
    assert!(
        client
            .assets()
            .metadata(SEED_ID)
            .await
            .unwrap_err()
            .is_not_found()
    );
    // Not retried.
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn ids_are_one_encoded_path_segment() {
    let server = MockServer::start().await;
    let err = client(&server).assets().metadata("../x").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(
        server.requests()[0].path,
        "/memories-v2/serve/api/v2/..%2Fx/metadata"
    );
    // Nothing is sent for ids that cannot be a segment.
    let err = client(&server).assets().metadata("..").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn wrong_key_is_unauthorized_without_showing_the_key() {
    let server = MockServer::start().await;
    let secret = "sk-mavi-wrong-secret-4242";
    let client = Client::new(config(&server).api_key(secret)).unwrap();
    let err = client.assets().metadata(SEED_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { http_status: 401, code: Some(c), message, .. } if c == "401" && message == "Unauthorized"),
        "{err:?}"
    );
    assert!(!err.to_string().contains(secret), "{err}");
    assert!(!format!("{err:?}").contains(secret));
    assert_eq!(server.requests().len(), 1, "not retried");
    assert_eq!(server.requests()[0].header("authorization"), Some(secret));
}

#[tokio::test]
async fn throttling_code_under_200_is_retried() {
    let server = MockServer::start().await;
    raw(
        &server,
        200,
        r#"{"code":"0429","msg":"Rate limit exceeded","data":null,"success":false,"failed":true}"#,
        1,
    );
    let metadata = client(&server).assets().metadata(SEED_ID).await.unwrap();
    assert_seed_metadata(&metadata);
    assert_eq!(server.requests().len(), 2);

    // Without retries the throttling surfaces as RateLimited.
    server.clear_requests();
    raw(
        &server,
        200,
        r#"{"code":"0429","msg":"Rate limit exceeded","data":null}"#,
        1,
    );
    let client = Client::new(config(&server).retry(RetryPolicy::none())).unwrap();
    let err = client.assets().metadata(SEED_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { http_status: 200, code: Some(c), .. } if c == "0429"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn gateway_pages_map_by_status() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 502,
            content_type: Some("text/html".into()),
            body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        })
        .times(1),
    );
    let client = Client::new(config(&server).retry(RetryPolicy::none())).unwrap();
    let err = client.assets().metadata(SEED_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 502, code: None, message, .. } if message.contains("Bad Gateway")),
        "{err:?}"
    );
    assert!(err.is_retryable());
    // With the default policy the same page is retried and the next answer wins.
    server.inject(FaultRule::new(Fault::status(503)).times(1));
    let retrying = Client::new(config(&server)).unwrap();
    assert_seed_metadata(&retrying.assets().metadata(SEED_ID).await.unwrap());
}

#[tokio::test]
async fn unknown_fields_and_status_values_decode() {
    let server = MockServer::start().await;
    server.seed_memories_v2_asset(json!({
        "asset_id": "re_700000000000000003",
        "extension": "mov",
        "original_filename": "holiday.mov",
        "file_size": 48_213_377,
        "upload_status": "TRANSCODING",
        "create_time": "1767000000123",
        "modify_time": 1_767_000_004_567_i64,
        "duration": 12.5,
        "width": 1920,
        "labels": {"nested": [1, 2]}
    }));
    let client = client(&server);
    let metadata = client
        .assets()
        .metadata("re_700000000000000003")
        .await
        .unwrap();
    let resource = &metadata.resource[0];
    assert_eq!(
        resource.upload_status,
        UploadStatus::Unknown("TRANSCODING".into())
    );
    assert_eq!(
        resource.file_size,
        Some(48_213_377),
        "a number is accepted too"
    );
    assert_eq!(resource.create_time, Some(at(1_767_000_000_123)));
    assert_eq!(resource.modify_time, Some(at(1_767_000_004_567)));
    let asset = client.asset("re_700000000000000003").await.unwrap();
    assert_eq!(asset.kind, MediaKind::Video);
    assert_eq!(asset.mime.as_deref(), Some("video/quicktime"));
    assert_eq!(asset.status, None);

    // Unknown envelope fields too.
    raw(
        &server,
        200,
        r#"{"code":200,"msg":"success","trace":"abc","data":{"total":1,"page":9,"resource":[
            {"asset_id":"re_9","upload_status":"WAITING","file_size":"","extra":null}]},"success":true,"failed":false}"#,
        1,
    );
    let metadata = client.assets().metadata("re_9").await.unwrap();
    assert_eq!(metadata.resource[0].upload_status, UploadStatus::Waiting);
    assert_eq!(metadata.resource[0].file_size, None);
}

fn fast_polls() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(10))
}

fn pending(status: &str) -> String {
    format!(
        r#"{{"code":200,"msg":"success","data":{{"total":1,"resource":[{{"asset_id":"{SEED_ID}","extension":"mp4","upload_status":"{status}","create_time":"1766989317192"}}]}}}}"#
    )
}

#[tokio::test]
async fn waits_until_the_upload_succeeds() {
    let server = MockServer::start().await;
    raw(&server, 200, &pending("WAITING"), 1);
    raw(&server, 200, &pending("UPLOADING"), 1);
    let mut seen = Vec::new();
    let resource = client(&server)
        .assets()
        .wait_until_uploaded(SEED_ID, &fast_polls(), |r: &Resource| {
            seen.push(r.upload_status.clone());
        })
        .await
        .unwrap();
    assert_seed_resource(&resource);
    assert_eq!(
        seen,
        [
            UploadStatus::Waiting,
            UploadStatus::Uploading,
            UploadStatus::Success
        ]
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_failed_upload_ends_the_wait() {
    let server = MockServer::start().await;
    server.seed_memories_v2_asset(json!({"asset_id": "re_5", "upload_status": "FAILED"}));
    let client = client(&server);
    let err = client
        .assets()
        .wait_until_uploaded("re_5", &fast_polls(), |_: &Resource| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { task_id, .. } if task_id == "re_5"),
        "{err:?}"
    );

    let err = client
        .assets()
        .wait_until_uploaded("re_missing", &fast_polls(), |_: &Resource| {})
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");

    let err = client
        .assets()
        .wait_until_uploaded(GROUP_ID, &fast_polls(), |_: &Resource| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));

    // A status that never settles ends at max_wait.
    server.seed_memories_v2_asset(json!({"asset_id": "re_6", "upload_status": "UPLOADING"}));
    let options = fast_polls().max_wait(Duration::from_millis(30));
    let err = client
        .assets()
        .wait_until_uploaded("re_6", &options, |_: &Resource| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn config_and_client_debug_hide_the_key() {
    let server = MockServer::start().await;
    let config = config(&server);
    assert!(!format!("{config:?}").contains(credentials::MEMORIES_API_KEY));
    let client = Client::new(config).unwrap();
    assert!(!format!("{client:?}").contains(credentials::MEMORIES_API_KEY));
}

#[test]
fn public_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let assets = client.assets();
    assert_send(&assets.metadata("re_1"));
    assert_send(&assets.frames("im_1"));
    let options = PollOptions::default();
    assert_send(&assets.wait_until_uploaded("re_1", &options, |_: &Resource| {}));
    assert_send(&client.asset("re_1"));
    let reader: &dyn AssetReader = &client;
    assert_send(&reader.asset("re_1"));
}
