//! The Asset group (`GET …/projects/{project_id}/assets`) and the neutral traits,
//! over real HTTP against media-mock.

// The assertion helpers below panic to fail their test.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{client, config, verifies};
use futures::{StreamExt, TryStreamExt};
use media_core::{AssetLister, AssetQuery, AssetReader, MediaKind, Provider};
use media_mock::credentials::{NCP_ACCESS_KEY, NCP_SECRET_KEY, NCP_WORKSPACE};
use media_mock::{Fault, FaultRule, MockServer};
use ncp_mi::{Asset, AssetFormat, AssetList, Client, Error, ListAssetsParams, Timestamp};
use serde_json::json;

const PROJECT: u64 = 1234;

/// Seed 004's example response, byte for byte.
const SEED_004_RESPONSE: &str = r#"
{
    "code": "0",
    "message": "success",
    "result": {
        "content": [
            {
                "assetId": 1001,
                "fileName": "sample-video-one.mp4",
                "projectId": 1234,
                "metaData": {
                    "resolution": "1280x720",
                    "durationMs": 91565,
                    "size": 101176289,
                    "format": "mp4"
                },
                "key": "sample-video-one.mp4",
                "createUserName": "user1",
                "createdTime": "2025-04-23T16:49:24",
                "updateUserName": "user1",
                "updatedTime": "2025-04-23T16:49:25"
            },
            {
                "assetId": 1002,
                "fileName": "sample-video-two.mp4",
                "projectId": 1234,
                "metaData": {
                    "resolution": "1920x1080",
                    "durationMs": 253702,
                    "size": 120333399,
                    "format": "mp4"
                },
                "key": "sample-video-two.mp4",
                "createUserName": "user2",
                "createdTime": "2025-04-23T17:13:37",
                "updateUserName": "user2",
                "updatedTime": "2025-04-23T17:13:38"
            },
            {
                "assetId": 1003,
                "fileName": "sample-video-three.mp4",
                "projectId": 1234,
                "metaData": {
                    "resolution": "1920x1080",
                    "durationMs": 293849,
                    "size": 76597066,
                    "format": "mp4"
                },
                "key": "sample-video-three.mp4",
                "createUserName": "user3",
                "createdTime": "2025-04-23T17:13:48",
                "updateUserName": "user3",
                "updatedTime": "2025-04-23T17:13:49"
            }
        ],
        "totalCount": 3,
        "totalPage": 1,
        "pageNo": 1,
        "pageSize": 100
    }
}
"#;

fn naive(text: &str) -> Timestamp {
    Timestamp::Naive(text.parse().unwrap())
}

/// Asserts every field of one asset of seed 004.
#[allow(clippy::too_many_arguments)]
fn assert_seed_asset(
    asset: &Asset,
    id: u64,
    file: &str,
    resolution: &str,
    duration_ms: u64,
    size: u64,
    user: &str,
    created: &str,
    updated: &str,
) {
    assert_eq!(asset.asset_id, id);
    assert_eq!(asset.file_name.as_deref(), Some(file));
    assert_eq!(asset.project_id, Some(PROJECT));
    let meta = asset.meta_data.as_ref().unwrap();
    assert_eq!(meta.resolution.as_deref(), Some(resolution));
    assert_eq!(meta.duration_ms, Some(duration_ms));
    assert_eq!(meta.size, Some(size));
    assert_eq!(meta.format, Some(AssetFormat::Mp4));
    assert_eq!(asset.key.as_deref(), Some(file));
    assert_eq!(asset.create_user_name.as_deref(), Some(user));
    assert_eq!(asset.created_time, Some(naive(created)));
    assert_eq!(asset.update_user_name.as_deref(), Some(user));
    assert_eq!(asset.updated_time, Some(naive(updated)));
}

fn assert_seed_list(list: &AssetList) {
    assert_eq!(list.total_count, Some(3));
    assert_eq!(list.total_page, Some(1));
    assert_eq!(list.page_no, Some(1));
    assert_eq!(list.page_size, Some(100));
    assert_eq!(list.content.len(), 3);
    assert_seed_asset(
        &list.content[0],
        1001,
        "sample-video-one.mp4",
        "1280x720",
        91_565,
        101_176_289,
        "user1",
        "2025-04-23T16:49:24",
        "2025-04-23T16:49:25",
    );
    assert_seed_asset(
        &list.content[1],
        1002,
        "sample-video-two.mp4",
        "1920x1080",
        253_702,
        120_333_399,
        "user2",
        "2025-04-23T17:13:37",
        "2025-04-23T17:13:38",
    );
    assert_seed_asset(
        &list.content[2],
        1003,
        "sample-video-three.mp4",
        "1920x1080",
        293_849,
        76_597_066,
        "user3",
        "2025-04-23T17:13:48",
        "2025-04-23T17:13:49",
    );
    let first = list.content[0].meta_data.as_ref().unwrap();
    assert_eq!(first.dimensions(), Some((1280, 720)));
    assert_eq!(first.duration(), Some(Duration::from_millis(91_565)));
    assert_eq!(
        list.content[0].created_time.unwrap().naive(),
        NaiveDate::from_ymd_opt(2025, 4, 23)
            .unwrap()
            .and_hms_opt(16, 49, 24)
            .unwrap()
    );
}

#[tokio::test]
async fn seed_004_decodes_every_field() {
    let server = MockServer::start().await;
    let list = client(&server)
        .assets()
        .list(
            NCP_WORKSPACE,
            PROJECT,
            &ListAssetsParams::new(1).page_size(100),
        )
        .await
        .unwrap();
    assert_seed_list(&list);
}

#[tokio::test]
async fn seed_004_document_bytes_decode_exactly() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(200).with_body(SEED_004_RESPONSE))
            .path_prefix("/ncp-mi/api/v1/workspaces")
            .times(1),
    );
    let list = client(&server)
        .assets()
        .list(
            NCP_WORKSPACE,
            PROJECT,
            &ListAssetsParams::new(1).page_size(100),
        )
        .await
        .unwrap();
    assert_seed_list(&list);
    // And back: the typed model serializes to the document's `result`.
    let document: serde_json::Value = serde_json::from_str(SEED_004_RESPONSE).unwrap();
    assert_eq!(serde_json::to_value(&list).unwrap(), document["result"]);
}

#[tokio::test]
async fn seed_004_converts_to_neutral_assets() {
    let server = MockServer::start().await;
    let list = client(&server)
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap();
    let neutral: Vec<media_core::Asset> =
        list.content.iter().map(media_core::Asset::from).collect();
    let expected = [
        (
            "1001",
            "sample-video-one.mp4",
            101_176_289,
            91.565,
            (1280, 720),
            (7, 49, 24),
            (7, 49, 25),
        ),
        (
            "1002",
            "sample-video-two.mp4",
            120_333_399,
            253.702,
            (1920, 1080),
            (8, 13, 37),
            (8, 13, 38),
        ),
        (
            "1003",
            "sample-video-three.mp4",
            76_597_066,
            293.849,
            (1920, 1080),
            (8, 13, 48),
            (8, 13, 49),
        ),
    ];
    assert_eq!(neutral.len(), expected.len());
    for (asset, (id, name, size, secs, (w, h), created, updated)) in neutral.iter().zip(expected) {
        assert_eq!(asset.provider, Provider::NcpMi);
        assert_eq!(asset.id, id);
        assert_eq!(asset.name.as_deref(), Some(name));
        assert_eq!(asset.kind, MediaKind::Video);
        assert_eq!(asset.mime.as_deref(), Some("video/mp4"));
        assert_eq!(asset.size_bytes, Some(size));
        assert_eq!(asset.duration_secs(), Some(secs));
        assert_eq!((asset.width, asset.height), (Some(w), Some(h)));
        assert_eq!(asset.fps, None);
        assert_eq!(asset.status, None);
        // Zone-less times are KST: 16:49:24 in Seoul is 07:49:24 UTC.
        let utc = |(hh, mm, ss)| Some(Utc.with_ymd_and_hms(2025, 4, 23, hh, mm, ss).unwrap());
        assert_eq!(asset.created_at, utc(created));
        assert_eq!(asset.updated_at, utc(updated));
    }
    let json = serde_json::to_value(&neutral[0]).unwrap();
    assert_eq!(json["duration_secs"], 91.565);
    assert_eq!(json["created_at"], "2025-04-23T07:49:24Z");
}

#[tokio::test]
async fn the_request_the_client_sends() {
    let server = MockServer::start().await;
    client(&server)
        .assets()
        .list(
            NCP_WORKSPACE,
            PROJECT,
            &ListAssetsParams::new(2).page_size(1),
        )
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path,
        "/ncp-mi/api/v1/workspaces/my-workspace/projects/1234/assets"
    );
    assert_eq!(request.query.as_deref(), Some("pageNum=2&pageSize=1"));
    assert_eq!(request.header("x-ncp-iam-access-key"), Some(NCP_ACCESS_KEY));
    assert!(verifies(request));
    assert!(request.body.is_empty());

    // pageSize is optional: the server's default applies.
    server.clear_requests();
    let list = client(&server)
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap();
    assert_eq!(server.requests()[0].query.as_deref(), Some("pageNum=1"));
    assert_eq!(list.page_size, Some(1000));
}

#[tokio::test]
async fn unknown_fields_unknown_formats_and_numeric_strings_decode() {
    let server = MockServer::start().await;
    server.seed_ncp_mi_asset(
        "other-ws",
        77,
        json!({
            "assetId": "5001",
            "fileName": "archive.mxf",
            "projectId": "77",
            "metaData": {"resolution": "3840X2160", "durationMs": "1000", "size": "2048",
                         "format": "mxf", "codec": "mpeg2", "bitrate": {"avg": 5}},
            "key": "in/archive.mxf",
            "createUserName": "kim",
            "createdTime": "2025-04-23T16:49:24.125",
            "updateUserName": null,
            "updatedTime": "2025-04-23T16:49:24+09:00",
            "analysisStatus": "ANALYZE_COMPLETED",
            "tags": [1, 2]
        }),
    );
    server.seed_ncp_mi_asset(
        "other-ws",
        77,
        json!({"assetId": 5002, "metaData": {"format": "PNG"}}),
    );
    let list = client(&server)
        .assets()
        .list("other-ws", 77, &ListAssetsParams::new(1))
        .await
        .unwrap();
    assert_eq!(list.total_count, Some(2));
    let odd = &list.content[0];
    assert_eq!(odd.asset_id, 5001);
    assert_eq!(odd.project_id, Some(77));
    let meta = odd.meta_data.as_ref().unwrap();
    assert_eq!(meta.format, Some(AssetFormat::Unknown("mxf".into())));
    assert_eq!(meta.dimensions(), Some((3840, 2160)));
    assert_eq!((meta.duration_ms, meta.size), (Some(1000), Some(2048)));
    assert_eq!(odd.update_user_name, None);
    assert_eq!(
        odd.created_time
            .unwrap()
            .naive()
            .and_utc()
            .timestamp_subsec_millis(),
        125
    );
    assert!(matches!(odd.updated_time, Some(Timestamp::Offset(_))));
    assert_eq!(odd.updated_time.unwrap().offset(), Some(ncp_mi::time::KST));

    let neutral = media_core::Asset::from(odd);
    assert_eq!(neutral.kind, MediaKind::Other);
    assert_eq!(neutral.mime, None);
    assert_eq!(
        neutral.updated_at,
        Some(Utc.with_ymd_and_hms(2025, 4, 23, 7, 49, 24).unwrap())
    );

    let image = media_core::Asset::from(&list.content[1]);
    assert_eq!(image.kind, MediaKind::Image);
    assert_eq!(image.mime.as_deref(), Some("image/png"));
    assert_eq!(image.name, None);
}

fn seed_many(server: &MockServer, workspace: &str, project: u64, count: u64) {
    for n in 1..=count {
        server.seed_ncp_mi_asset(
            workspace,
            project,
            json!({
                "assetId": 9000 + n,
                "fileName": format!("clip-{n:02}.mp4"),
                "projectId": project,
                "metaData": {"resolution": "1280x720", "durationMs": n * 1000, "size": n, "format": "mp4"},
                "createdTime": "2025-04-23T16:49:24",
                "updatedTime": "2025-04-23T16:49:24"
            }),
        );
    }
}

#[tokio::test]
async fn list_all_streams_every_page() {
    let server = MockServer::start().await;
    seed_many(&server, "paging-ws", 4242, 25);
    let assets: Vec<Asset> = client(&server)
        .assets()
        .list_all("paging-ws", 4242, 10)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<u64> = assets.iter().map(|a| a.asset_id).collect();
    assert_eq!(ids, (9001..=9025).collect::<Vec<_>>());
    let requests = server.requests();
    let queries: Vec<_> = requests.iter().map(|r| r.query.clone().unwrap()).collect();
    assert_eq!(
        queries,
        [
            "pageNum=1&pageSize=10",
            "pageNum=2&pageSize=10",
            "pageNum=3&pageSize=10"
        ]
    );
    assert!(requests.iter().all(verifies));
}

#[tokio::test]
async fn list_all_is_lazy() {
    let server = MockServer::start().await;
    seed_many(&server, "paging-ws", 4242, 25);
    let first: Vec<Asset> = client(&server)
        .assets()
        .list_all("paging-ws", 4242, 10)
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 3);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn invalid_paging_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for params in [
        ListAssetsParams::new(0),
        ListAssetsParams::new(1).page_size(0),
        ListAssetsParams::new(1).page_size(1001),
    ] {
        let err = client
            .assets()
            .list(NCP_WORKSPACE, PROJECT, &params)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    let err = client
        .assets()
        .list("", PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let results: Vec<_> = client
        .assets()
        .list_all(NCP_WORKSPACE, PROJECT, 5000)
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(Error::InvalidInput(_))));
    assert!(
        server.requests().is_empty(),
        "the mock saw {:?}",
        server.requests()
    );

    // The bounds themselves are accepted.
    client
        .assets()
        .list(
            NCP_WORKSPACE,
            PROJECT,
            &ListAssetsParams::new(1).page_size(1000),
        )
        .await
        .unwrap();
    client
        .assets()
        .list(
            NCP_WORKSPACE,
            PROJECT,
            &ListAssetsParams::new(1).page_size(1),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn an_id_like_dot_dot_slash_is_one_encoded_segment() {
    let server = MockServer::start().await;
    let err = client(&server)
        .assets()
        .list("../x", PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("10001"));
    let request = &server.requests()[0];
    assert_eq!(
        request.path,
        "/ncp-mi/api/v1/workspaces/..%2Fx/projects/1234/assets"
    );
    assert!(verifies(request));
}

#[tokio::test]
async fn an_unknown_workspace_is_the_service_error_10001() {
    let server = MockServer::start().await;
    let err = client(&server)
        .assets()
        .list("nobody", PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            provider,
            http_status,
            code,
            message,
            ..
        } => {
            assert_eq!(*provider, Provider::NcpMi);
            assert_eq!(*http_status, 400);
            assert_eq!(code.as_deref(), Some("10001"));
            assert_eq!(message, "Invalid Request.");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "ncp-mi: HTTP 400, code 10001: Invalid Request."
    );
    assert!(!err.is_retryable());
}

async fn list_with_fault(fault: Fault) -> (MockServer, Error) {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(fault).path_prefix("/ncp-mi/api/v1").times(1));
    let err = client(&server)
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap_err();
    (server, err)
}

#[tokio::test]
async fn a_business_code_under_http_200_is_an_error() {
    let (_server, err) = list_with_fault(
        Fault::status(200)
            .with_body(r#"{"code":"10014","message":"Select the asset you want to analyze."}"#),
    )
    .await;
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(c), message, .. } if c == "10014" && message == "Select the asset you want to analyze."),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wrapped_response_error_is_read() {
    let (_server, err) = list_with_fault(Fault::status(400).with_body(
        r#"{"responseError":{"code":"10023","message":"You can request up to 10 assets at a time."}}"#,
    ))
    .await;
    assert_eq!(err.code(), Some("10023"));
    assert_eq!(
        err.message(),
        Some("You can request up to 10 assets at a time.")
    );
}

#[tokio::test]
async fn gateway_throttling_is_rate_limited() {
    let (_server, err) = list_with_fault(
        Fault::status(429)
            .with_header("Retry-After", "3")
            .with_body(
                r#"{"error":{"errorCode":"420","message":"Rate Limited","details":"slow down"}}"#,
            ),
    )
    .await;
    assert!(
        matches!(&err, Error::RateLimited { retry_after: Some(d), .. } if *d == Duration::from_secs(3)),
        "{err:?}"
    );
    assert!(err.to_string().contains("slow down"), "{err}");
}

#[tokio::test]
async fn html_and_empty_bodies_fall_back_to_the_status() {
    let (_server, err) = list_with_fault(Fault::Raw {
        status: 502,
        content_type: Some("text/html".into()),
        body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
    })
    .await;
    assert!(
        matches!(&err, Error::Api { http_status: 502, message, .. } if message.contains("502 Bad Gateway")),
        "{err:?}"
    );
    let (_server, err) = list_with_fault(Fault::status(429)).await;
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    let (_server, err) = list_with_fault(Fault::status(200)).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn the_lister_streams_the_default_project() {
    let server = MockServer::start().await;
    let client = Client::new(config(&server).workspace(NCP_WORKSPACE).project(PROJECT)).unwrap();
    let lister: &dyn AssetLister = &client;
    assert_eq!(lister.provider(), Provider::NcpMi);
    let assets: Vec<media_core::Asset> = lister
        .assets(AssetQuery::new())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = assets.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["1001", "1002", "1003"]);
    assert_eq!(
        server.requests()[0].query.as_deref(),
        Some("pageNum=1&pageSize=1000")
    );

    server.clear_requests();
    let paged: Vec<media_core::Asset> = lister
        .assets(AssetQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged.len(), 3);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_reader_scans_the_listing() {
    let server = MockServer::start().await;
    let client = Client::new(config(&server).workspace(NCP_WORKSPACE).project("1234")).unwrap();
    let reader: &dyn AssetReader = &client;
    let asset = reader.asset("1002").await.unwrap();
    assert_eq!(asset.id, "1002");
    assert_eq!(asset.name.as_deref(), Some("sample-video-two.mp4"));
    assert_eq!((asset.width, asset.height), (Some(1920), Some(1080)));
    assert_eq!(server.requests().len(), 1);

    let missing = reader.asset("999").await.unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    assert!(missing.to_string().contains("999"), "{missing}");
    let bad = reader.asset("abc").await.unwrap_err();
    assert!(matches!(bad, Error::InvalidInput(_)), "{bad:?}");
}

#[tokio::test]
async fn the_traits_need_a_workspace_and_a_project() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = AssetReader::asset(&client, "1001").await.unwrap_err();
    let shown = err.to_string();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(
        shown.contains("NCP_MI_WORKSPACE") && shown.contains("NCP_MI_PROJECT"),
        "{shown}"
    );
    let results: Vec<_> = AssetLister::assets(&client, AssetQuery::new())
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(
        matches!(&results[0], Err(Error::InvalidInput(m)) if m.contains("NCP_MI_WORKSPACE")),
        "{results:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn debug_output_never_contains_a_key() {
    let server = MockServer::start().await;
    let config = config(&server).workspace(NCP_WORKSPACE).project(PROJECT);
    let client = Client::new(config.clone()).unwrap();
    for shown in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!shown.contains(NCP_ACCESS_KEY), "{shown}");
        assert!(!shown.contains(NCP_SECRET_KEY), "{shown}");
    }
}

#[test]
fn every_public_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(ncp_mi::Config::new("a", "b")).unwrap();
    let params = ListAssetsParams::new(1);
    let list = client.assets().list("ws", 1, &params);
    assert_send(&list);
    let all = client.assets().list_all("ws", 1, 10);
    assert_send(&all);
    let read = AssetReader::asset(&client, "1");
    assert_send(&read);
    let listed = AssetLister::assets(&client, AssetQuery::new());
    assert_send(&listed);
}

#[tokio::test]
async fn register_and_delete_an_asset() {
    use ncp_mi::RegisterAssetParams;
    let server = MockServer::start().await;
    let client = client(&server);
    let asset = client
        .assets()
        .register(
            NCP_WORKSPACE,
            PROJECT,
            &RegisterAssetParams::new("media-in", "clips/launch.mp4"),
        )
        .await
        .unwrap();
    common::assert_sent(
        &server,
        "POST",
        "/workspaces/my-workspace/projects/1234/assets/import/object-storage",
        None,
        Some(json!({"key":"clips/launch.mp4","bucketName":"media-in"})),
    );
    assert_eq!(asset.file_name.as_deref(), Some("launch.mp4"));
    assert_eq!(asset.key.as_deref(), Some("clips/launch.mp4"));
    assert_eq!(asset.project_id, Some(PROJECT));
    assert_eq!(asset.format(), Some(&AssetFormat::Mp4));
    assert!(asset.create_user_name.is_some());
    let listed: Vec<Asset> = client
        .assets()
        .list_all(NCP_WORKSPACE, PROJECT, 1000)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 4);

    client
        .assets()
        .delete(NCP_WORKSPACE, PROJECT, asset.asset_id)
        .await
        .unwrap();
    common::assert_sent(
        &server,
        "DELETE",
        &format!(
            "/workspaces/my-workspace/projects/1234/assets/{}",
            asset.asset_id
        ),
        None,
        None,
    );
    let listed = client
        .assets()
        .list(NCP_WORKSPACE, PROJECT, &ListAssetsParams::new(1))
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(3));
}

#[tokio::test]
async fn a_folder_key_is_rejected_locally_and_by_the_service() {
    use ncp_mi::{ErrorCode, RegisterAssetParams};
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .assets()
        .register(
            NCP_WORKSPACE,
            PROJECT,
            &RegisterAssetParams::new("media-in", "clips/"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(server.requests().is_empty());
    // The service's own answer to a folder, as the mock sends it.
    server.inject(
        FaultRule::new(Fault::status(400).with_body(
            r#"{"code":"10016","message":"Select the bucket to integrate (folder selection not available)."}"#,
        ))
        .times(1),
    );
    let err = client
        .assets()
        .register(
            NCP_WORKSPACE,
            PROJECT,
            &RegisterAssetParams::new("media-in", "clips"),
        )
        .await
        .unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::FolderNotAllowed));
}

#[tokio::test]
#[allow(deprecated)]
async fn the_maiu_era_video_asset_routes() {
    use ncp_mi::{AnalysisParams, RegisterAssetParams};
    let server = MockServer::start().await;
    let client = client(&server);
    let registered = client
        .assets()
        .register_video(
            NCP_WORKSPACE,
            PROJECT,
            &RegisterAssetParams::new("media-in", "old/clip.mov"),
        )
        .await
        .unwrap();
    common::assert_sent(
        &server,
        "POST",
        "/workspaces/my-workspace/projects/1234/video-assets/import/object-storage",
        None,
        Some(json!({"key":"old/clip.mov","bucketName":"media-in"})),
    );
    assert_eq!(registered.format(), Some(&AssetFormat::Mov));

    let page = client
        .assets()
        .list_videos(
            NCP_WORKSPACE,
            PROJECT,
            &ListAssetsParams::new(1).page_size(10),
        )
        .await
        .unwrap();
    common::assert_sent(
        &server,
        "GET",
        "/workspaces/my-workspace/projects/1234/video-assets",
        Some("pageNum=1&pageSize=10"),
        None,
    );
    // `videoId` is read as the asset id.
    assert_eq!(page.content[0].asset_id, 1001);
    assert!(
        page.content
            .iter()
            .any(|a| a.asset_id == registered.asset_id)
    );

    let status = client
        .assets()
        .analyze_video(
            NCP_WORKSPACE,
            PROJECT,
            registered.asset_id,
            &AnalysisParams::new().analysis_person_count(2),
        )
        .await
        .unwrap();
    common::assert_sent(
        &server,
        "POST",
        &format!(
            "/workspaces/my-workspace/projects/1234/video-assets/{}/analyze",
            registered.asset_id
        ),
        None,
        Some(json!({"analysisPersonCount":2})),
    );
    assert_eq!(
        status.unwrap().status,
        Some(ncp_mi::IndexStatus::WaitAnalyze)
    );

    client
        .assets()
        .delete_video(NCP_WORKSPACE, PROJECT, registered.asset_id)
        .await
        .unwrap();
    common::assert_sent(
        &server,
        "DELETE",
        &format!(
            "/workspaces/my-workspace/projects/1234/video-assets/{}",
            registered.asset_id
        ),
        None,
        None,
    );
}

#[tokio::test]
async fn the_legacy_host_works_through_the_base_url() {
    // The MAIU host is only a base URL: the same paths and signature apply.
    let config =
        ncp_mi::Config::new(NCP_ACCESS_KEY, NCP_SECRET_KEY).base_url(ncp_mi::LEGACY_BASE_URL);
    let client = Client::new(config).unwrap();
    assert_eq!(client.base_url(), "https://maiu.apigw.ntruss.com/api/v1");
}

#[tokio::test]
async fn the_deleter_deletes_from_the_default_project() {
    use media_core::AssetDeleter;
    let server = MockServer::start().await;
    let client = Client::new(config(&server).workspace(NCP_WORKSPACE).project(PROJECT)).unwrap();
    AssetDeleter::delete(&client, "1002").await.unwrap();
    common::assert_sent(
        &server,
        "DELETE",
        "/workspaces/my-workspace/projects/1234/assets/1002",
        None,
        None,
    );
    let err = AssetReader::asset(&client, "1002").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = AssetDeleter::delete(&client, "abc").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}
