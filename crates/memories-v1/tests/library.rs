//! Library / utilities over real HTTP against media-mock.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

use std::time::Duration;

use chrono::{TimeZone, Utc};
use media_core::{Asset, AssetReader, AssetStatus, MediaKind, Provider};
use media_mock::{Fault, FaultRule, MockServer, credentials};
use memories_v1::{
    Client, Config, Error, GetMetadataParams, PollOptions, RetryPolicy, VideoMetadata, VideoStatus,
};
use serde_json::json;

const SEED_VIDEO: &str = "VI606404158946574336";
const PATH: &str = "/memories-v1/serve/api/v1/get_metadata";

fn config(server: &MockServer) -> Config {
    Config::new(credentials::MEMORIES_API_KEY)
        .base_url(server.memories_v1_url())
        .retry(RetryPolicy::none())
}

fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

fn ms(ms: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap()
}

/// Seed 001's example response, every field asserted.
fn assert_seed_001(video: &VideoMetadata) {
    assert_eq!(video.video_no, SEED_VIDEO);
    assert_eq!(video.video_name.as_deref(), Some("182082-867762198_tiny"));
    assert_eq!(video.duration, Some(12.0));
    assert_eq!(video.size, Some(3_284_512));
    assert_eq!(video.status, Some(VideoStatus::Parse));
    assert_eq!(video.cause, None);
    assert_eq!(video.create_time, Some(ms(1_754_037_217_992)));
    assert_eq!(
        video
            .create_time
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "2025-08-01T08:33:37.992Z"
    );
    assert_eq!(video.resolution_label.as_deref(), Some("720P"));
    assert_eq!(video.fps, Some(30.0));
    assert_eq!(video.width, Some(1280));
    assert_eq!(video.height, Some(720));
    assert_eq!(video.datetime_taken, Some(ms(1_729_388_400_000)));
    assert_eq!(
        video.datetime_taken,
        Some(Utc.with_ymd_and_hms(2024, 10, 20, 1, 40, 0).unwrap())
    );
    assert_eq!(video.camera_model.as_deref(), Some("Canon EOS 5D"));
    assert_eq!(video.latitude, Some(39.9042));
    assert_eq!(video.longitude, Some(116.4074));
    assert_eq!(
        video.tags.as_deref(),
        Some(&["holiday".to_owned(), "beijing".to_owned(), "api".to_owned()][..])
    );
    assert_eq!(video.bucket, None);
    assert_eq!(video.blob, None);
}

fn assert_seed_001_asset(asset: &Asset) {
    assert_eq!(asset.provider, Provider::MemoriesV1);
    assert_eq!(asset.id, SEED_VIDEO);
    assert_eq!(asset.name.as_deref(), Some("182082-867762198_tiny"));
    assert_eq!(asset.kind, MediaKind::Video);
    assert_eq!(asset.mime, None);
    assert_eq!(asset.size_bytes, Some(3_284_512));
    assert_eq!(asset.duration, Some(Duration::from_secs(12)));
    assert_eq!((asset.width, asset.height), (Some(1280), Some(720)));
    assert_eq!(asset.fps, Some(30.0));
    assert_eq!(asset.status, Some(AssetStatus::Ready));
    assert_eq!(asset.created_at, Some(ms(1_754_037_217_992)));
    assert_eq!(asset.updated_at, None);
    let json = serde_json::to_value(asset).unwrap();
    assert_eq!(json["created_at"], "2025-08-01T08:33:37.992Z");
    assert_eq!(json["duration_secs"], 12.0);
    assert_eq!(json["status"], "ready");
}

#[test]
fn seed_001_document_example_decodes_exactly() {
    let text = include_str!("fixtures/seed_001_get_metadata.json");
    let envelope: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(envelope["code"], "0000");
    let video: VideoMetadata = serde_json::from_value(envelope["data"].clone()).unwrap();
    assert_seed_001(&video);
    assert_seed_001_asset(&Asset::from(video));
}

#[tokio::test]
async fn get_metadata_decodes_the_seed_and_sends_the_documented_request() {
    let server = MockServer::start().await;
    let client = client(&server);
    let video = client
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap();
    assert_seed_001(&video);
    assert_seed_001_asset(&Asset::from(video));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, PATH);
    assert_eq!(
        request.query_pairs(),
        vec![
            ("video_no".to_owned(), SEED_VIDEO.to_owned()),
            ("unique_id".to_owned(), "default".to_owned()),
        ]
    );
    assert_eq!(
        request.header("authorization"),
        Some(credentials::MEMORIES_API_KEY)
    );
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("memories-v1/")),
        "{:?}",
        request.header("user-agent")
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn explicit_unique_id_is_sent_and_scopes_the_lookup() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video("tenant_42", json!({"video_no": "VI1", "status": "UNPARSE"}));
    let library_client = client(&server);
    let video = library_client
        .library()
        .get_metadata(&GetMetadataParams::new("VI1").unique_id("tenant_42"))
        .await
        .unwrap();
    assert_eq!(video.status, Some(VideoStatus::Unparse));
    assert_eq!(video.video_name, None);
    let sent = server.requests()[0].query_pairs();
    assert!(sent.contains(&("unique_id".to_owned(), "tenant_42".to_owned())));

    // The same id in the default namespace does not exist.
    let err = library_client
        .library()
        .get_metadata(&GetMetadataParams::new("VI1"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn numbers_as_strings_decode_identically() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video(
        "legacy",
        json!({
            "video_no": SEED_VIDEO,
            "video_name": "182082-867762198_tiny",
            "duration": "12",
            "size": "3284512",
            "status": "PARSE",
            "cause": "null",
            "create_time": "1754037217992",
            "resolution_label": "720P",
            "fps": "30",
            "width": "1280",
            "height": "720",
            "datetime_taken": "1729388400000",
            "camera_model": "Canon EOS 5D",
            "latitude": "39.9042",
            "longitude": "116.4074",
            "tags": ["holiday", "beijing", "api"]
        }),
    );
    let client = client(&server);
    let numbers = client
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap();
    let strings = client
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO).unique_id("legacy"))
        .await
        .unwrap();
    assert_seed_001(&strings);
    assert_eq!(strings, numbers);
    assert_eq!(Asset::from(strings), Asset::from(numbers));
}

#[tokio::test]
async fn catalog_older_shape_and_unknown_values_still_decode() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video(
        "default",
        json!({
            "video_no": "VI700000000000000001",
            "video_name": "beach_walk",
            "duration": "42",
            "size": null,
            "status": "TRANSCODING",
            "cause": "null",
            "create_time": "1760000000000",
            "fps": null,
            "resolution_label": null,
            "bucket": "mavi-videos",
            "blob": "u/VI700000000000000001.mp4",
            "thumbnail_url": "https://example.com/t.jpg",
            "engagement": {"views": 3}
        }),
    );
    let client = client(&server);
    let video = client
        .library()
        .get_metadata(&GetMetadataParams::new("VI700000000000000001"))
        .await
        .unwrap();
    assert_eq!(video.duration, Some(42.0));
    assert_eq!(video.size, None);
    assert_eq!(
        video.status,
        Some(VideoStatus::Unknown("TRANSCODING".into()))
    );
    assert_eq!(video.cause, None);
    assert_eq!(video.create_time, Some(ms(1_760_000_000_000)));
    assert_eq!(video.bucket.as_deref(), Some("mavi-videos"));
    assert_eq!(video.blob.as_deref(), Some("u/VI700000000000000001.mp4"));
    let asset = Asset::from(video);
    assert_eq!(asset.status, None);
    assert_eq!(asset.duration, Some(Duration::from_secs(42)));
}

#[tokio::test]
async fn every_failure_spelling_is_failed_with_its_cause() {
    let server = MockServer::start().await;
    for (n, status) in ["FAILED", "FAIL", "PARSE_ERROR"].iter().enumerate() {
        server.seed_memories_v1_video(
            "default",
            json!({"video_no": format!("VI9{n}"), "status": status, "cause": format!("{status}: unsupported codec")}),
        );
    }
    let client = client(&server);
    for (n, status) in ["FAILED", "FAIL", "PARSE_ERROR"].iter().enumerate() {
        let video = client
            .library()
            .get_metadata(&GetMetadataParams::new(format!("VI9{n}")))
            .await
            .unwrap();
        assert_eq!(
            video.status.as_ref().map(VideoStatus::as_str),
            Some(*status)
        );
        assert!(video.status.as_ref().is_some_and(VideoStatus::is_failed));
        let asset = Asset::from(video);
        assert_eq!(
            asset.status,
            Some(AssetStatus::Failed {
                reason: Some(format!("{status}: unsupported codec"))
            })
        );
    }
}

#[tokio::test]
async fn data_null_is_not_found_naming_the_video_and_namespace() {
    let server = MockServer::start().await;
    let err = client(&server)
        .library()
        .get_metadata(&GetMetadataParams::new("VI000").unique_id("tenant_7"))
        .await
        .unwrap_err();
    match &err {
        Error::NotFound {
            provider,
            http_status,
            message,
            ..
        } => {
            assert_eq!(*provider, Provider::MemoriesV1);
            assert_eq!(*http_status, 200);
            assert!(
                message.contains("VI000") && message.contains("tenant_7"),
                "{message}"
            );
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(err.to_string().contains("VI000"));
}

#[tokio::test]
async fn throttling_code_under_200_is_retried() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"code":"0429","msg":"Request has exceeded the limit.","data":null,"success":false,"failed":true}"#.to_vec(),
        })
        .path_prefix(PATH)
        .times(1),
    );
    let client = Client::new(
        config(&server).retry(
            RetryPolicy::default()
                .with_max_retries(2)
                .with_initial_backoff(Duration::from_millis(1)),
        ),
    )
    .unwrap();
    let video = client
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap();
    assert_eq!(video.video_no, SEED_VIDEO);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn throttling_that_persists_is_rate_limited() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Raw {
        status: 200,
        content_type: Some("application/json".into()),
        body: br#"{"code":"0429","msg":"Request has exceeded the limit.","data":null}"#.to_vec(),
    }));
    let err = client(&server)
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { http_status: 200, code: Some(c), .. } if c == "0429"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn business_error_envelope_is_api_with_code_and_message() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"code":"0001","msg":"video_no cannot be null or empty","data":null,"success":false,"failed":true}"#.to_vec(),
        })
        .times(1),
    );
    let err = client(&server)
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
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
            assert_eq!(*provider, Provider::MemoriesV1);
            assert_eq!(*http_status, 200);
            assert_eq!(code.as_deref(), Some("0001"));
            assert_eq!(message, "video_no cannot be null or empty");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "memories-v1: HTTP 200, code 0001: video_no cannot be null or empty"
    );
}

#[tokio::test]
async fn auth_codes_under_200_are_unauthorized() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::Raw {
        status: 200,
        content_type: Some("application/json".into()),
        body: br#"{"code":"9009","msg":"Permission denied","data":null}"#.to_vec(),
    }));
    let err = client(&server)
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { http_status: 200, code: Some(c), .. } if c == "9009"),
        "{err:?}"
    );
}

#[tokio::test]
async fn wrong_key_is_unauthorized_without_showing_the_key() {
    let server = MockServer::start().await;
    let wrong = "sk-mavi-wrong-key-123456";
    let client = Client::new(
        Config::new(wrong)
            .base_url(server.memories_v1_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap();
    let err = client
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { http_status: 401, code: Some(c), .. } if c == "0401"),
        "{err:?}"
    );
    assert!(!err.to_string().contains(wrong), "{err}");
    assert!(!format!("{err:?}").contains(wrong));
    assert_eq!(server.requests()[0].header("authorization"), Some(wrong));
}

#[tokio::test]
async fn http_errors_without_an_envelope() {
    let server = MockServer::start().await;
    let client = client(&server);
    let get = || {
        let client = client.clone();
        async move {
            client
                .library()
                .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
                .await
                .unwrap_err()
        }
    };

    server.inject(
        FaultRule::new(Fault::Raw {
            status: 502,
            content_type: Some("text/html".into()),
            body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        })
        .times(1),
    );
    let err = get().await;
    assert!(
        matches!(&err, Error::Api { http_status: 502, message, .. } if message.contains("Bad Gateway")),
        "{err:?}"
    );
    assert!(err.is_retryable());

    server.inject(FaultRule::new(Fault::status(429).with_header("retry-after", "3")).times(1));
    let err = get().await;
    assert!(
        matches!(&err, Error::RateLimited { http_status: 429, retry_after: Some(d), .. } if *d == Duration::from_secs(3)),
        "{err:?}"
    );

    server.inject(FaultRule::new(Fault::status(401)).times(1));
    assert!(matches!(
        get().await,
        Error::Unauthorized {
            http_status: 401,
            ..
        }
    ));

    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("text/html".into()),
            body: b"<html>maintenance</html>".to_vec(),
        })
        .times(1),
    );
    let err = get().await;
    assert!(
        matches!(&err, Error::Decode { http_status: 200, body_snippet, .. } if body_snippet.contains("maintenance")),
        "{err:?}"
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(503)).times(1));
    let client = Client::new(
        config(&server)
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))),
    )
    .unwrap();
    let video = client
        .library()
        .get_metadata(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap();
    assert_eq!(video.video_no, SEED_VIDEO);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn empty_ids_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for params in [
        GetMetadataParams::new(""),
        GetMetadataParams::new("  "),
        GetMetadataParams::new(SEED_VIDEO).unique_id(""),
    ] {
        let err = client.library().get_metadata(&params).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{params:?}: {err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn ids_cannot_escape_their_query_parameter() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .library()
        .get_metadata(&GetMetadataParams::new("../x&unique_id=evil#frag"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let request = &server.requests()[0];
    assert_eq!(request.path, PATH);
    let raw_query = request.query.as_deref().unwrap();
    assert!(
        raw_query.starts_with("video_no=..%2Fx%26unique_id%3Devil%23frag&"),
        "{raw_query}"
    );
    assert_eq!(
        request.query_pairs(),
        vec![
            ("video_no".to_owned(), "../x&unique_id=evil#frag".to_owned()),
            ("unique_id".to_owned(), "default".to_owned()),
        ]
    );
}

#[tokio::test]
async fn asset_reader_uses_the_configured_namespace() {
    let server = MockServer::start().await;
    let reader: Box<dyn AssetReader> = Box::new(client(&server));
    assert_eq!(reader.provider(), Provider::MemoriesV1);
    let asset = reader.asset(SEED_VIDEO).await.unwrap();
    assert_seed_001_asset(&asset);
    assert!(reader.asset("VI404").await.unwrap_err().is_not_found());

    server.clear_requests();
    server.seed_memories_v1_video(
        "tenant_42",
        json!({"video_no": "VI42", "status": "FAIL", "cause": "corrupt file"}),
    );
    let tenant = Client::new(config(&server).unique_id("tenant_42")).unwrap();
    assert_eq!(tenant.unique_id(), "tenant_42");
    let asset = tenant.asset("VI42").await.unwrap();
    assert_eq!(
        asset.status,
        Some(AssetStatus::Failed {
            reason: Some("corrupt file".into())
        })
    );
    let sent = server.requests()[0].query_pairs();
    assert!(sent.contains(&("unique_id".to_owned(), "tenant_42".to_owned())));
}

fn fast_polls() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(10))
}

#[tokio::test]
async fn wait_until_parsed_polls_until_parse() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: format!(
                r#"{{"code":"0000","msg":"success","data":{{"video_no":"{SEED_VIDEO}","status":"UNPARSE","create_time":"1754037217992"}},"success":true,"failed":false}}"#
            )
            .into_bytes(),
        })
        .path_prefix(PATH)
        .times(2),
    );
    let client = client(&server);
    let mut seen = Vec::new();
    let video = client
        .library()
        .wait_until_parsed(SEED_VIDEO, &fast_polls(), |v| seen.push(v.status.clone()))
        .await
        .unwrap();
    assert_seed_001(&video);
    assert_eq!(
        seen,
        [
            Some(VideoStatus::Unparse),
            Some(VideoStatus::Unparse),
            Some(VideoStatus::Parse)
        ]
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn wait_until_parsed_ends_on_failure_with_the_cause() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video(
        "tenant_9",
        json!({"video_no": "VI5", "status": "PARSE_ERROR", "cause": "no video stream"}),
    );
    let err = client(&server)
        .library()
        .wait_until_parsed(
            GetMetadataParams::new("VI5").unique_id("tenant_9"),
            &fast_polls(),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { provider: Provider::MemoriesV1, task_id, reason } if task_id == "VI5" && reason == "no video stream"),
        "{err:?}"
    );
}

#[tokio::test]
async fn wait_until_parsed_gives_up_at_max_wait_and_stops_on_not_found() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video("default", json!({"video_no": "VI6", "status": "UNPARSE"}));
    let client = client(&server);
    let options = fast_polls().max_wait(Duration::from_millis(30));
    let err = client
        .library()
        .wait_until_parsed("VI6".to_owned(), &options, |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { message, .. } if message.contains("VI6")),
        "{err:?}"
    );
    let err = client
        .library()
        .wait_until_parsed("VI-missing", &fast_polls(), |_| {})
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[test]
fn public_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let library = client.library();
    let params = GetMetadataParams::new("VI1");
    let get = library.get_metadata(&params);
    assert_send(&get);
    let options = PollOptions::default();
    let wait = library.wait_until_parsed("VI1", &options, |_| {});
    assert_send(&wait);
    let asset = client.asset("VI1");
    assert_send(&asset);
}

mod support;

#[tokio::test]
async fn list_videos_sends_json_and_decodes_the_captured_page() {
    let server = MockServer::start().await;
    let client = client(&server);
    let page = client
        .library()
        .list_videos(&memories_v1::ListVideosParams::new().page(2).size(1))
        .await
        .unwrap();
    let request = support::last(&server);
    support::assert_sent(&request, "POST", "/list_videos");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json().unwrap(),
        json!({"page": 2, "size": 1, "unique_id": "default"})
    );
    assert_eq!(page.current_page, Some(2));
    assert_eq!(page.page_size, Some(1));
    assert_eq!(page.total_count, Some(2));
    assert_eq!(page.next_page(), None);
    let video = &page.videos[0];
    // The catalog's captured listing: strings and the string "null".
    assert_eq!(video.video_no, "VI700000000000000001");
    assert_eq!(video.video_name.as_deref(), Some("beach_walk"));
    assert_eq!(video.duration, Some(42.0));
    assert_eq!(video.size, Some(7_340_032));
    assert_eq!(video.status, Some(VideoStatus::Parse));
    assert_eq!(video.cause, None);
    assert_eq!(video.create_time, Some(ms(1_760_000_000_000)));

    let first = client
        .library()
        .list_videos(&memories_v1::ListVideosParams::new().size(1))
        .await
        .unwrap();
    assert_eq!(first.videos[0].video_no, SEED_VIDEO);
    assert_eq!(first.next_page(), Some(2));
}

#[tokio::test]
async fn list_videos_filters_and_validates() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video(
        "tenant",
        json!({"video_no": "VI1", "video_name": "a", "status": "FAIL", "cause": "Indexing failed. ", "tags": ["x"]}),
    );
    server.seed_memories_v1_video(
        "tenant",
        json!({"video_no": "VI2", "video_name": "b", "status": "PARSE"}),
    );
    let client = client(&server);
    let params = memories_v1::ListVideosParams::new()
        .unique_id("tenant")
        .status("FAIL")
        .tag("x")
        .video_nos(["VI1", "VI2"])
        .datetime_taken(ms(1_729_388_400_000))
        .near(39.9, 116.4);
    let page = client.library().list_videos(&params).await.unwrap();
    assert_eq!(page.videos.len(), 1);
    assert_eq!(page.videos[0].cause.as_deref(), Some("Indexing failed. "));
    assert_eq!(
        support::last(&server).json().unwrap(),
        json!({"unique_id": "tenant", "video_nos": ["VI1", "VI2"], "status": "FAIL", "tag": "x",
               "datetime_taken": 1_729_388_400_000_i64, "latitude": 39.9, "longitude": 116.4})
    );
    server.clear_requests();
    for bad in [
        memories_v1::ListVideosParams::new().page(0),
        memories_v1::ListVideosParams::new().size(0),
        memories_v1::ListVideosParams {
            latitude: Some(1.0),
            ..memories_v1::ListVideosParams::new()
        },
        memories_v1::ListVideosParams::new().unique_id(""),
    ] {
        let err = client.library().list_videos(&bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn delete_videos_sends_a_bare_array_with_unique_id_in_the_query() {
    let server = MockServer::start().await;
    server.seed_memories_v1_video("tenant", json!({"video_no": "VI1"}));
    server.seed_memories_v1_video("tenant", json!({"video_no": "VI2"}));
    let client = client(&server);
    client
        .library()
        .delete_videos(["VI1", "VI9"], Some("tenant"))
        .await
        .unwrap();
    let request = support::last(&server);
    support::assert_sent(&request, "POST", "/delete_videos");
    assert_eq!(request.query.as_deref(), Some("unique_id=tenant"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(&request.body[..], br#"["VI1","VI9"]"#);
    assert_eq!(server.memories_v1_video_nos("tenant"), ["VI2"]);

    server.clear_requests();
    let none: [&str; 0] = [];
    assert!(matches!(
        client.library().delete_videos(none, None).await,
        Err(Error::InvalidInput(_))
    ));
    let many: Vec<String> = (0..101).map(|i| format!("VI{i}")).collect();
    assert!(matches!(
        client.library().delete_videos(many, None).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        client.library().delete_videos([""], None).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn download_streams_the_file_or_reports_the_envelope() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.mp4");
    let progress_bytes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let sink = std::sync::Arc::clone(&progress_bytes);
    let progress = memories_v1::ProgressFn::new(move |p| {
        sink.store(p.bytes_sent, std::sync::atomic::Ordering::SeqCst);
    });
    let written = client
        .library()
        .download(
            SEED_VIDEO,
            &path,
            memories_v1::SaveOptions::new(),
            Some(progress),
        )
        .await
        .unwrap();
    assert_eq!(written, 64 * 1024);
    assert_eq!(
        progress_bytes.load(std::sync::atomic::Ordering::SeqCst),
        64 * 1024
    );
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(format!("MOCKVIDEO {SEED_VIDEO}\n").as_bytes()));
    let request = support::last(&server);
    support::assert_sent(&request, "POST", "/download");
    assert_eq!(
        request.json().unwrap(),
        json!({"video_no": SEED_VIDEO, "unique_id": "default"})
    );

    // An existing file is kept unless overwriting is allowed.
    let err = client
        .library()
        .download(SEED_VIDEO, &path, memories_v1::SaveOptions::new(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Io(_) | Error::InvalidInput(_)),
        "{err:?}"
    );

    let missing = dir.path().join("missing.mp4");
    let err = client
        .library()
        .download("VI000", &missing, memories_v1::SaveOptions::new(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: Some(c), message, .. } if c == "0001" && message == "video not found"),
        "{err:?}"
    );
    assert!(!missing.exists());
}

#[tokio::test]
async fn list_unique_ids_reports_namespaces_created_by_use() {
    let server = MockServer::start().await;
    let client = client(&server);
    let _ = client
        .library()
        .list_videos(&memories_v1::ListVideosParams::new().unique_id("tenant_42"))
        .await
        .unwrap();
    let ids = client.library().list_unique_ids().await.unwrap();
    assert_eq!(ids.unique_ids, ["default", "tenant_42"]);
    let request = support::last(&server);
    support::assert_sent(&request, "GET", "/list_unique_ids");
    assert_eq!(request.query, None);
}

#[tokio::test]
async fn get_public_video_detail_keeps_seconds_and_counts() {
    let server = MockServer::start().await;
    let client = client(&server);
    let video = client
        .library()
        .get_public_video_detail("PI-700000000000000900")
        .await
        .unwrap();
    assert_eq!(video.video_no, "PI-700000000000000900");
    assert_eq!(video.video_name.as_deref(), Some("Morning routine #fyp"));
    assert_eq!(video.duration, Some(30.0));
    assert_eq!(video.status, Some(VideoStatus::Parse));
    assert_eq!(video.create_time, Some(ms(1_760_000_200_000)));
    assert_eq!(
        video.video_url.as_deref(),
        Some("https://www.tiktok.com/player/v1/0000000000000000000")
    );
    assert_eq!(video.blogger_id.as_deref(), Some("somecreator"));
    assert_eq!(
        (video.view_count, video.like_count),
        (Some(12_000), Some(800))
    );
    assert_eq!(video.publish_time, Some(ms(1_759_990_000_000)));
    let request = support::last(&server);
    support::assert_sent(&request, "GET", "/get_public_video_detail");
    assert_eq!(
        request.query.as_deref(),
        Some("video_no=PI-700000000000000900")
    );
    let err = client
        .library()
        .get_public_video_detail("PI-1")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
#[allow(deprecated)]
async fn get_private_video_details_is_deprecated_but_works() {
    let server = MockServer::start().await;
    let client = client(&server);
    let details = client
        .library()
        .get_private_video_details(&GetMetadataParams::new(SEED_VIDEO))
        .await
        .unwrap();
    assert_eq!(details.video_no.as_deref(), Some(SEED_VIDEO));
    assert_eq!(details.status, Some(VideoStatus::Parse));
    assert_eq!((details.width, details.height), (Some(1280), Some(720)));
    assert_eq!(details.fps, Some(30.0));
    assert_eq!(details.resolution_label.as_deref(), Some("720P"));
    assert_eq!(
        details.video_url.as_deref(),
        Some("https://storage.mock.invalid/VI606404158946574336.mp4")
    );
    let request = support::last(&server);
    support::assert_sent(&request, "GET", "/get_private_video_details");
    assert_eq!(
        request.query_pairs(),
        support::pairs(&[("video_no", SEED_VIDEO), ("unique_id", "default")])
    );
}
