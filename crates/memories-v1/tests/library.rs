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
