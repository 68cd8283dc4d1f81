//! `/assets` against media-mock over real HTTP: the requests the client
//! sends, the models it decodes, the neutral view, and every error shape.

// Helpers outside `#[test]` functions unwrap too; a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::{StreamExt, TryStreamExt};
use media_core::{AssetLister, AssetQuery, AssetReader, MediaKind};
use media_mock::{Fault, FaultRule, MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Asset, AssetMethod, AssetSourceType, AssetStatus, AssetType, Client, Config, ConnectorProvider,
    Error, GenerationStatus, ListAssetsParams, MetadataValue, PollOptions, RetryPolicy,
};

const SEED_ID: &str = "6298d673f1090f1100476d4c";
const ASSETS_PATH: &str = "/twelvelabs/v1.3/assets";

fn config(server: &MockServer) -> Config {
    Config::new(credentials::TWELVELABS_API_KEY).base_url(server.twelvelabs_url())
}

fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

/// A client that reports the first failure, for error-shape tests.
fn strict_client(server: &MockServer) -> Client {
    Client::new(config(server).retry(RetryPolicy::none())).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

// ---------------------------------------------------------------------------
// GET /assets/{asset_id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn seed_002_example_decodes_every_field() {
    let server = MockServer::start().await;
    let asset = client(&server).assets().retrieve(SEED_ID).await.unwrap();

    assert_eq!(asset.id.as_deref(), Some(SEED_ID));
    assert_eq!(asset.created_at, Some(utc(2022, 6, 2, 10, 30, 0)));
    assert_eq!(asset.duration, Some(120.5));
    assert_eq!(asset.file_type.as_deref(), Some("image/jpeg"));
    assert_eq!(asset.filename.as_deref(), Some("image-01.jpg"));
    let hls = asset.hls.as_ref().unwrap();
    assert_eq!(
        hls.manifest_url.as_deref(),
        Some("https://cdn.example.com/assets/6298d673f1090f1100476d4c/manifest.m3u8")
    );
    assert_eq!(hls.status, Some(GenerationStatus::Ready));
    assert_eq!(asset.method, Some(AssetMethod::Direct));
    assert_eq!(asset.size, Some(104_857_600));
    assert_eq!(asset.status, Some(AssetStatus::Ready));
    let thumbnail = asset.thumbnail.as_ref().unwrap();
    assert_eq!(
        thumbnail.representative_url.as_deref(),
        Some("https://cdn.example.com/assets/6298d673f1090f1100476d4c/thumbnail.jpg")
    );
    assert_eq!(thumbnail.status, Some(GenerationStatus::Ready));
    assert_eq!(asset.user_metadata, Some(twelvelabs::UserMetadata::new()));
    // Not in the example: absent, not defaulted.
    assert_eq!(asset.technical_metadata, None);
    assert_eq!(asset.source, None);
    assert_eq!(asset.error, None);
    assert!(asset.is_ready());

    let neutral: media_core::Asset = asset.into();
    assert_eq!(neutral.provider, media_core::Provider::TwelveLabs);
    assert_eq!(neutral.id, SEED_ID);
    assert_eq!(neutral.name.as_deref(), Some("image-01.jpg"));
    assert_eq!(neutral.kind, MediaKind::Image);
    assert_eq!(neutral.mime.as_deref(), Some("image/jpeg"));
    assert_eq!(neutral.size_bytes, Some(104_857_600));
    assert_eq!(neutral.duration, Some(Duration::from_millis(120_500)));
    assert_eq!(neutral.duration_secs(), Some(120.5));
    assert_eq!(
        (neutral.width, neutral.height, neutral.fps),
        (None, None, None)
    );
    assert_eq!(neutral.status, Some(media_core::AssetStatus::Ready));
    assert_eq!(neutral.created_at, Some(utc(2022, 6, 2, 10, 30, 0)));
    assert_eq!(neutral.updated_at, None);
    let json = serde_json::to_value(&neutral).unwrap();
    assert_eq!(json["kind"], "image");
    assert_eq!(json["created_at"], "2022-06-02T10:30:00Z");
}

#[tokio::test]
async fn retrieve_sends_get_with_the_key_header() {
    let server = MockServer::start().await;
    client(&server).assets().retrieve(SEED_ID).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("{ASSETS_PATH}/{SEED_ID}"));
    assert_eq!(request.query, None);
    assert_eq!(
        request.header("x-api-key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
    assert_eq!(request.header("authorization"), None);
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("twelvelabs/")),
        "{:?}",
        request.header("user-agent")
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn the_neutral_reader_matches_the_typed_call() {
    let server = MockServer::start().await;
    let client = client(&server);
    let neutral = AssetReader::asset(&client, SEED_ID).await.unwrap();
    let typed: media_core::Asset = client.assets().retrieve(SEED_ID).await.unwrap().into();
    assert_eq!(neutral, typed);
    assert_eq!(
        AssetReader::provider(&client),
        media_core::Provider::TwelveLabs
    );
    let err = AssetReader::asset(&client, "000000000000000000000000")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

fn rich_video() -> serde_json::Value {
    json!({
        "_id": "65a6f0d4c1b2a3f4e5d6c7b8",
        "method": "url",
        "status": "ready",
        "filename": "interview.mp4",
        "file_type": "video/mp4",
        "created_at": "2024-01-16T07:59:40.879Z",
        "user_metadata": {
            "category": "news", "views": 1200, "score": 4.5, "featured": true,
            "tags": ["a", "b"]
        },
        "source": {
            "type": "connector",
            "details": {
                "provider": "google_drive",
                "source_id": "1AbCdEf",
                "original_filename": "Interview FINAL.mp4",
                "source_link": "https://drive.google.com/file/d/1AbCdEf/view"
            }
        },
        "hls": {"status": "processing"},
        "thumbnail": {"status": "pending"},
        "size": 73_400_320,
        "duration": 3600.04,
        "technical_metadata": {
            "file_size_bytes": 73_400_320,
            "file_mime_type": "video/mp4",
            "file_container_format": "mov,mp4,m4a,3gp,3g2,mj2",
            "container_creation_time": "2024-01-15T12:00:00Z",
            "video_streams": [{
                "index": 0, "codec": "h264", "width": 1920, "height": 1080, "fps": 29.97,
                "avg_fps": 29.97, "duration_seconds": 3600.0, "bitrate_bps": 8_000_000,
                "rotation": -90, "pixel_aspect_ratio": "1:1", "display_aspect_ratio": "16:9",
                "scan_type": "progressive", "pixel_format": "yuv420p", "bit_depth": 8,
                "color_range": "tv", "color_transfer": "bt709", "color_space": "bt709",
                "color_primaries": "bt709"
            }],
            "video_codec": "h264",
            "video_width": 1920,
            "video_height": 1080,
            "video_fps": 29.97,
            "video_duration_seconds": 3600.0,
            "video_bitrate_bps": 8_000_000,
            "total_video_streams": 1,
            "storage_aspect_ratio": 1.7778,
            "is_hdr": false,
            "audio_streams": [{
                "index": 1, "codec": "aac", "codec_long": "AAC (Advanced Audio Coding)",
                "sample_rate": 48000, "bit_depth": 16, "channels": 2, "channel_layout": "stereo",
                "bitrate_bps": 128_000, "language": "eng", "duration_seconds": 3600.04
            }],
            "audio_codec": "aac",
            "audio_sample_rate": 48000,
            "audio_channels": 2,
            "audio_duration_seconds": 3600.04,
            "total_audio_streams": 1,
            "has_audio": true,
            "start_timecode": "01:00:00:00",
            "timecode_source": "tmcd",
            "drop_frame": true,
            "geospatial_latitude": 37.5665,
            "geospatial_longitude": 126.978,
            "geospatial_altitude_meters": 38.5
        }
    })
}

#[tokio::test]
async fn a_rich_video_asset_decodes_and_the_neutral_view_uses_its_technical_metadata() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(rich_video());
    let asset = client(&server)
        .assets()
        .retrieve("65a6f0d4c1b2a3f4e5d6c7b8")
        .await
        .unwrap();

    assert_eq!(asset.method, Some(AssetMethod::Url));
    assert_eq!(
        asset.created_at.map(|t| t.timestamp_millis()),
        Some(utc(2024, 1, 16, 7, 59, 40).timestamp_millis() + 879)
    );
    let meta = asset.user_metadata.as_ref().unwrap();
    assert_eq!(meta["category"], MetadataValue::String("news".into()));
    assert_eq!(meta["views"], MetadataValue::Integer(1200));
    assert_eq!(meta["score"], MetadataValue::Number(4.5));
    assert_eq!(meta["featured"], MetadataValue::Boolean(true));
    assert_eq!(
        meta["tags"],
        MetadataValue::StringList(vec!["a".into(), "b".into()])
    );
    let source = asset.source.as_ref().unwrap();
    assert_eq!(source.source_type, Some(AssetSourceType::Connector));
    let details = source.details.as_ref().unwrap();
    assert_eq!(details.provider, Some(ConnectorProvider::GoogleDrive));
    assert_eq!(details.source_id.as_deref(), Some("1AbCdEf"));
    assert_eq!(
        details.original_filename.as_deref(),
        Some("Interview FINAL.mp4")
    );
    assert_eq!(
        details.source_link.as_deref(),
        Some("https://drive.google.com/file/d/1AbCdEf/view")
    );
    let hls = asset.hls.as_ref().unwrap();
    assert_eq!(
        (hls.status.clone(), hls.manifest_url.clone()),
        (Some(GenerationStatus::Processing), None)
    );
    assert_eq!(
        asset.thumbnail.as_ref().unwrap().status,
        Some(GenerationStatus::Pending)
    );

    let t = asset.technical_metadata.as_ref().unwrap();
    assert_eq!(t.file_size_bytes, Some(73_400_320));
    assert_eq!(t.file_mime_type.as_deref(), Some("video/mp4"));
    assert_eq!(
        t.file_container_format.as_deref(),
        Some("mov,mp4,m4a,3gp,3g2,mj2")
    );
    assert_eq!(t.container_creation_time, Some(utc(2024, 1, 15, 12, 0, 0)));
    assert_eq!(t.video_codec.as_deref(), Some("h264"));
    assert_eq!((t.video_width, t.video_height), (Some(1920), Some(1080)));
    assert_eq!(t.video_fps, Some(29.97));
    assert_eq!(t.video_duration_seconds, Some(3600.0));
    assert_eq!(t.video_bitrate_bps, Some(8_000_000));
    assert_eq!(t.total_video_streams, Some(1));
    assert_eq!(t.storage_aspect_ratio, Some(1.7778));
    assert_eq!(t.is_hdr, Some(false));
    let v = &t.video_streams.as_ref().unwrap()[0];
    assert_eq!(v.index, Some(0));
    assert_eq!(v.codec.as_deref(), Some("h264"));
    assert_eq!((v.width, v.height), (Some(1920), Some(1080)));
    assert_eq!((v.fps, v.avg_fps), (Some(29.97), Some(29.97)));
    assert_eq!(v.duration_seconds, Some(3600.0));
    assert_eq!(v.bitrate_bps, Some(8_000_000));
    assert_eq!(v.rotation, Some(-90));
    assert_eq!(v.pixel_aspect_ratio.as_deref(), Some("1:1"));
    assert_eq!(v.display_aspect_ratio.as_deref(), Some("16:9"));
    assert_eq!(v.scan_type.as_deref(), Some("progressive"));
    assert_eq!(v.pixel_format.as_deref(), Some("yuv420p"));
    assert_eq!(v.bit_depth, Some(8));
    assert_eq!(v.color_range.as_deref(), Some("tv"));
    assert_eq!(v.color_transfer.as_deref(), Some("bt709"));
    assert_eq!(v.color_space.as_deref(), Some("bt709"));
    assert_eq!(v.color_primaries.as_deref(), Some("bt709"));
    assert_eq!(t.audio_codec.as_deref(), Some("aac"));
    assert_eq!(t.audio_sample_rate, Some(48000));
    assert_eq!(t.audio_channels, Some(2));
    assert_eq!(t.audio_duration_seconds, Some(3600.04));
    assert_eq!(t.total_audio_streams, Some(1));
    assert_eq!(t.has_audio, Some(true));
    let a = &t.audio_streams.as_ref().unwrap()[0];
    assert_eq!(a.index, Some(1));
    assert_eq!(a.codec.as_deref(), Some("aac"));
    assert_eq!(a.codec_long.as_deref(), Some("AAC (Advanced Audio Coding)"));
    assert_eq!(a.sample_rate, Some(48000));
    assert_eq!(a.bit_depth, Some(16));
    assert_eq!(a.channels, Some(2));
    assert_eq!(a.channel_layout.as_deref(), Some("stereo"));
    assert_eq!(a.bitrate_bps, Some(128_000));
    assert_eq!(a.language.as_deref(), Some("eng"));
    assert_eq!(a.duration_seconds, Some(3600.04));
    assert_eq!(t.start_timecode.as_deref(), Some("01:00:00:00"));
    assert_eq!(t.timecode_source.as_deref(), Some("tmcd"));
    assert_eq!(t.drop_frame, Some(true));
    assert_eq!(t.geospatial_latitude, Some(37.5665));
    assert_eq!(t.geospatial_longitude, Some(126.978));
    assert_eq!(t.geospatial_altitude_meters, Some(38.5));
    assert_eq!((t.image_width, t.document_page_count), (None, None));

    // Serializing gives back the wire object.
    assert_eq!(serde_json::to_value(&asset).unwrap(), rich_video());

    let neutral: media_core::Asset = asset.into();
    assert_eq!(neutral.kind, MediaKind::Video);
    assert_eq!((neutral.width, neutral.height), (Some(1920), Some(1080)));
    assert_eq!(neutral.fps, Some(29.97));
    assert_eq!(neutral.duration_secs(), Some(3600.04));
    assert_eq!(neutral.size_bytes, Some(73_400_320));
    assert_eq!(neutral.name.as_deref(), Some("interview.mp4"));
    assert_eq!(neutral.mime.as_deref(), Some("video/mp4"));
}

#[tokio::test]
async fn image_and_document_technical_metadata() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({
        "_id": "img1", "status": "ready", "file_type": "image/png", "filename": "logo.png",
        "size": 2048,
        "technical_metadata": {
            "image_width": 640, "image_height": 480, "image_format": "png",
            "image_orientation": 6, "image_color_space": "sRGB", "image_bit_depth": 8,
            "has_alpha": true, "is_animated": false
        }
    }));
    server.seed_twelvelabs_asset(json!({
        "_id": "doc1", "status": "ready", "method": "multipart", "file_type": "application/pdf",
        "filename": "report.pdf",
        "technical_metadata": {
            "document_page_count": 12, "document_pdf_version": "1.7",
            "document_page_width_pt": 595.28, "document_page_height_pt": 841.89,
            "document_is_tagged": true, "document_is_encrypted": false,
            "document_language": "en-US", "document_title": "Annual report",
            "document_author": "Jane", "document_subject": "Finance",
            "document_keywords": "report, 2024", "document_creator_tool": "Writer",
            "document_producer": "LibreOffice 7.6",
            "document_creation_date": "2024-03-01T09:00:00+09:00",
            "document_modification_date": "D:20240302100000Z"
        }
    }));
    let client = client(&server);

    let image = client.assets().retrieve("img1").await.unwrap();
    let t = image.technical_metadata.clone().unwrap();
    assert_eq!((t.image_width, t.image_height), (Some(640), Some(480)));
    assert_eq!(t.image_format.as_deref(), Some("png"));
    assert_eq!(t.image_orientation, Some(6));
    assert_eq!(t.image_color_space.as_deref(), Some("sRGB"));
    assert_eq!(t.image_bit_depth, Some(8));
    assert_eq!((t.has_alpha, t.is_animated), (Some(true), Some(false)));
    let neutral: media_core::Asset = image.into();
    assert_eq!(neutral.kind, MediaKind::Image);
    assert_eq!((neutral.width, neutral.height), (Some(640), Some(480)));
    assert_eq!(neutral.duration, None);

    let doc = client.assets().retrieve("doc1").await.unwrap();
    assert_eq!(doc.method, Some(AssetMethod::Multipart));
    let t = doc.technical_metadata.clone().unwrap();
    assert_eq!(t.document_page_count, Some(12));
    assert_eq!(t.document_pdf_version.as_deref(), Some("1.7"));
    assert_eq!(t.document_page_width_pt, Some(595.28));
    assert_eq!(t.document_page_height_pt, Some(841.89));
    assert_eq!(t.document_is_tagged, Some(true));
    assert_eq!(t.document_is_encrypted, Some(false));
    assert_eq!(t.document_language.as_deref(), Some("en-US"));
    assert_eq!(t.document_title.as_deref(), Some("Annual report"));
    assert_eq!(t.document_author.as_deref(), Some("Jane"));
    assert_eq!(t.document_subject.as_deref(), Some("Finance"));
    assert_eq!(t.document_keywords.as_deref(), Some("report, 2024"));
    assert_eq!(t.document_creator_tool.as_deref(), Some("Writer"));
    assert_eq!(t.document_producer.as_deref(), Some("LibreOffice 7.6"));
    assert_eq!(t.document_creation_date, Some(utc(2024, 3, 1, 0, 0, 0)));
    assert_eq!(
        t.document_modification_date,
        Some(utc(2024, 3, 2, 10, 0, 0))
    );
    let neutral: media_core::Asset = doc.into();
    assert_eq!(neutral.kind, MediaKind::Other);
    assert_eq!((neutral.width, neutral.height), (None, None));
}

#[tokio::test]
async fn a_failed_asset_carries_its_reason_into_the_neutral_status() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({
        "_id": "failed1", "status": "failed", "method": "direct", "filename": "broken.mp4",
        "file_type": "video/mp4", "created_at": "2024-01-16T07:59:40Z",
        "error": {"message": "The video file is corrupted."},
        "technical_metadata": {"file_size_bytes": 10}
    }));
    let asset = client(&server).assets().retrieve("failed1").await.unwrap();
    assert!(asset.is_failed());
    assert_eq!(
        asset.error.as_ref().map(|e| e.message.as_str()),
        Some("The video file is corrupted.")
    );
    let neutral: media_core::Asset = asset.into();
    assert_eq!(
        neutral.status,
        Some(media_core::AssetStatus::Failed {
            reason: Some("The video file is corrupted.".into())
        })
    );
    assert_eq!(neutral.size_bytes, Some(10));
}

#[tokio::test]
async fn unknown_fields_enum_values_and_odd_values_still_decode() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({
        "_id": "odd1",
        "method": "telepathy",
        "status": "archived",
        "filename": "odd.mp4",
        "file_type": "video/mp4",
        "created_at": "sometime last week",
        "size": "2048",
        "duration": "12.5",
        "brand_new_field": {"nested": [1, 2, 3]},
        "hls": {"status": "queued", "manifest_url": null, "cdn": "x"},
        "thumbnail": {"status": "ERROR"},
        "source": {"type": "s3_bucket", "details": {"provider": "dropbox", "extra": 1}},
        "user_metadata": {"plain": "x", "nested": {"deep": true}, "nothing": null, "mixed": ["a", 1]},
        "technical_metadata": {
            "video_width": "1280", "video_height": 720.0, "video_fps": "25",
            "is_hdr": "false", "document_pdf_version": 1.4, "new_metric": 0.5,
            "video_bitrate_bps": "N/A", "audio_channels": -1,
            "video_streams": null, "container_creation_time": "n/a"
        },
        "error": null
    }));
    let asset = client(&server).assets().retrieve("odd1").await.unwrap();
    assert_eq!(asset.method, Some(AssetMethod::Unknown("telepathy".into())));
    assert_eq!(asset.status, Some(AssetStatus::Unknown("archived".into())));
    assert_eq!(asset.created_at, None);
    assert_eq!((asset.size, asset.duration), (Some(2048), Some(12.5)));
    let hls = asset.hls.as_ref().unwrap();
    assert_eq!(hls.status, Some(GenerationStatus::Unknown("queued".into())));
    assert_eq!(hls.manifest_url, None);
    assert_eq!(
        asset.thumbnail.as_ref().unwrap().status,
        Some(GenerationStatus::Error)
    );
    let source = asset.source.as_ref().unwrap();
    assert_eq!(
        source.source_type,
        Some(AssetSourceType::Unknown("s3_bucket".into()))
    );
    assert_eq!(
        source.details.as_ref().unwrap().provider,
        Some(ConnectorProvider::Unknown("dropbox".into()))
    );
    let meta = asset.user_metadata.as_ref().unwrap();
    assert_eq!(meta["plain"].as_str(), Some("x"));
    assert_eq!(meta["nested"], MetadataValue::Other(json!({"deep": true})));
    assert_eq!(
        meta["nothing"],
        MetadataValue::Other(serde_json::Value::Null)
    );
    assert_eq!(meta["mixed"], MetadataValue::Other(json!(["a", 1])));
    let t = asset.technical_metadata.as_ref().unwrap();
    assert_eq!(
        (t.video_width, t.video_height, t.video_fps),
        (Some(1280), Some(720), Some(25.0))
    );
    assert_eq!(t.is_hdr, Some(false));
    assert_eq!((t.video_bitrate_bps, t.audio_channels), (None, None));
    assert_eq!(t.document_pdf_version.as_deref(), Some("1.4"));
    assert_eq!(
        (t.video_streams.clone(), t.container_creation_time),
        (None, None)
    );
    assert_eq!(asset.error, None);

    let neutral: media_core::Asset = asset.into();
    assert_eq!(neutral.status, None);
    assert_eq!(neutral.kind, MediaKind::Video);
    assert_eq!(
        (neutral.width, neutral.height, neutral.fps),
        (Some(1280), Some(720), Some(25.0))
    );
}

#[tokio::test]
async fn ids_are_sent_as_one_encoded_segment() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client.assets().retrieve("../x").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(server.requests()[0].path, format!("{ASSETS_PATH}/..%2Fx"));
    for bad in ["", ".", ".."] {
        let err = client.assets().retrieve(bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}: {err:?}");
    }
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_id_is_not_found_with_the_provider_code() {
    let server = MockServer::start().await;
    let err = client(&server)
        .assets()
        .retrieve("000000000000000000000000")
        .await
        .unwrap_err();
    match &err {
        Error::NotFound {
            http_status,
            code,
            message,
            ..
        } => {
            assert_eq!(*http_status, 404);
            assert_eq!(code.as_deref(), Some("resource_not_exist"));
            assert!(message.contains("000000000000000000000000"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("resource_not_exist"), "{err}");
    // Not retried.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_never_shown() {
    let server = MockServer::start().await;
    let wrong = "tlk_wrong_key_do_not_print_987";
    let client = Client::new(Config::new(wrong).base_url(server.twelvelabs_url())).unwrap();
    for err in [
        client.assets().retrieve(SEED_ID).await.unwrap_err(),
        client
            .assets()
            .list(&ListAssetsParams::new())
            .await
            .unwrap_err(),
    ] {
        match &err {
            Error::Unauthorized {
                http_status,
                code,
                message,
                ..
            } => {
                assert_eq!(*http_status, 401);
                assert_eq!(code.as_deref(), Some("api_key_invalid"));
                assert!(
                    message.ends_with(
                        "(see https://docs.twelvelabs.io/v1.3/api-reference/error-codes)"
                    ),
                    "{message}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(!err.to_string().contains(wrong), "{err}");
        assert!(!format!("{err:?}").contains(wrong), "{err:?}");
    }
    assert_eq!(server.requests()[0].header("x-api-key"), Some(wrong));
}

#[tokio::test]
async fn the_server_rejecting_a_parameter_is_an_api_error() {
    let server = MockServer::start().await;
    let err = client(&server)
        .assets()
        .list(&ListAssetsParams::new().asset_type(AssetType::from("spreadsheet")))
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            http_status,
            code,
            message,
            ..
        } => {
            assert_eq!(*http_status, 400);
            assert_eq!(code.as_deref(), Some("parameter_invalid"));
            assert!(message.contains("asset_types"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        server.requests()[0].query_pairs(),
        [("asset_types".to_owned(), "spreadsheet".to_owned())]
    );
}

#[tokio::test]
async fn flat_envelope_with_docs_url() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(403).with_body(
            r#"{"code":"api_not_allowed","message":"This endpoint is not allowed.","docs_url":"https://docs.twelvelabs.io/errors"}"#,
        ))
        .path_prefix(ASSETS_PATH)
        .times(1),
    );
    let err = strict_client(&server)
        .assets()
        .retrieve(SEED_ID)
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            http_status: 403,
            code: Some(code),
            message,
            ..
        } => {
            assert_eq!(code, "api_not_allowed");
            assert_eq!(
                message,
                "This endpoint is not allowed. (see https://docs.twelvelabs.io/errors)"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "twelvelabs: HTTP 403, code api_not_allowed: This endpoint is not allowed. (see https://docs.twelvelabs.io/errors)"
    );
}

#[tokio::test]
async fn nested_envelope_with_details() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(413).with_body(
            r#"{"error":{"code":"content_too_large","message":"The request is too large.","details":{"limit_mb":36}}}"#,
        ))
        .times(1),
    );
    server.inject(
        FaultRule::new(
            Fault::status(404)
                .with_body(r#"{"error":{"code":"resource_not_exist","message":"Gone."}}"#),
        )
        .times(1),
    );
    let client = strict_client(&server);
    let err = client.assets().retrieve(SEED_ID).await.unwrap_err();
    match &err {
        Error::Api {
            http_status: 413,
            code: Some(code),
            message,
            ..
        } => {
            assert_eq!(code, "content_too_large");
            assert_eq!(
                message,
                r#"The request is too large. (details: {"limit_mb":36})"#
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let err = client
        .assets()
        .list(&ListAssetsParams::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { code: Some(c), message, .. } if c == "resource_not_exist" && message == "Gone."),
        "{err:?}"
    );
}

#[tokio::test]
async fn empty_bodies() {
    let server = MockServer::start().await;
    server.inject(FaultRule::new(Fault::status(500)).times(1));
    server.inject(FaultRule::new(Fault::status(429).with_header("Retry-After", "7")).times(1));
    let client = strict_client(&server);
    let err = client.assets().retrieve(SEED_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 500, code: None, message, .. } if message == "Internal Server Error"),
        "{err:?}"
    );
    assert!(err.is_retryable());
    let err = client.assets().retrieve(SEED_ID).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::RateLimited {
                http_status: 429,
                code: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn rate_limited_with_the_provider_code() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(
            Fault::status(429)
                .with_header("Retry-After", "2")
                .with_body(r#"{"code":"too_many_requests","message":"Rate limit exceeded. Retry after 2 seconds."}"#),
        )
        .times(1),
    );
    let err = strict_client(&server)
        .assets()
        .list(&ListAssetsParams::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { code: Some(c), retry_after: Some(d), .. }
            if c == "too_many_requests" && *d == Duration::from_secs(2)),
        "{err:?}"
    );
}

#[tokio::test]
async fn html_from_a_gateway() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 502,
            content_type: Some("text/html".into()),
            body: b"<html><head><title>502 Bad Gateway</title></head></html>".to_vec(),
        })
        .times(1),
    );
    let err = strict_client(&server)
        .assets()
        .retrieve(SEED_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 502, code: None, message, .. } if message.contains("502 Bad Gateway")),
        "{err:?}"
    );
}

#[tokio::test]
async fn errors_and_garbage_under_http_200() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(
            Fault::status(200)
                .with_body(r#"{"code":"parameter_invalid","message":"The asset_id is invalid."}"#),
        )
        .times(1),
    );
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"_id": "6298d673f1090f1100476d4c", "size": "#.to_vec(),
        })
        .times(1),
    );
    let client = strict_client(&server);
    let err = client.assets().retrieve(SEED_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(c), .. } if c == "parameter_invalid"),
        "{err:?}"
    );
    let err = client.assets().retrieve(SEED_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { http_status: 200, body_snippet, .. } if body_snippet.contains("\"size\"")),
        "{err:?}"
    );
}

#[tokio::test]
async fn transient_failures_are_retried() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(
            Fault::status(503).with_body(r#"{"error":{"code":"unavailable","message":"busy"}}"#),
        )
        .times(1),
    );
    server.inject(
        FaultRule::new(
            Fault::status(429)
                .with_header("Retry-After", "0")
                .with_body(r#"{"code":"too_many_requests","message":"slow down"}"#),
        )
        .times(1),
    );
    let client = Client::new(
        config(&server)
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(5))),
    )
    .unwrap();
    let asset = client.assets().retrieve(SEED_ID).await.unwrap();
    assert_eq!(asset.id.as_deref(), Some(SEED_ID));
    assert_eq!(server.requests().len(), 3);
}

// ---------------------------------------------------------------------------
// GET /assets
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_sends_every_filter_and_decodes_the_page() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({
        "_id": "v1", "status": "ready", "filename": "Interview-A.mp4", "file_type": "video/mp4",
        "created_at": "2024-01-01T00:00:00Z"
    }));
    server.seed_twelvelabs_asset(json!({
        "_id": "v2", "status": "processing", "filename": "interview-b.mp4", "file_type": "video/mp4",
        "created_at": "2024-02-01T00:00:00Z"
    }));
    server.seed_twelvelabs_asset(json!({
        "_id": "a1", "status": "ready", "filename": "interview.mp3", "file_type": "audio/mpeg",
        "created_at": "2024-03-01T00:00:00Z"
    }));
    let params = ListAssetsParams::new()
        .page(1)
        .page_limit(5)
        .asset_ids(["v1", "v2"])
        .asset_id("a1")
        .asset_types([AssetType::Video, AssetType::Image])
        .filename("interview");
    let page = client(&server).assets().list(&params).await.unwrap();

    let ids: Vec<_> = page.data.iter().map(|a| a.id.clone().unwrap()).collect();
    assert_eq!(ids, ["v2", "v1"], "newest first, audio filtered out");
    assert_eq!(page.data[1].status, Some(AssetStatus::Ready));
    assert_eq!(page.page_info.limit_per_page, Some(5));
    assert_eq!(page.page_info.page, Some(1));
    assert_eq!(page.page_info.total_page, Some(1));
    assert_eq!(page.page_info.total_results, Some(2));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, ASSETS_PATH);
    assert_eq!(
        requests[0].header("x-api-key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
    let pairs: Vec<(String, String)> = requests[0].query_pairs();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("page", "1"),
            ("page_limit", "5"),
            ("asset_ids", "v1"),
            ("asset_ids", "v2"),
            ("asset_ids", "a1"),
            ("asset_types", "video"),
            ("asset_types", "image"),
            ("filename", "interview"),
        ]
    );
}

#[tokio::test]
async fn list_without_params_sends_no_query_and_reads_the_seed() {
    let server = MockServer::start().await;
    let page = client(&server)
        .assets()
        .list(&ListAssetsParams::new())
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id.as_deref(), Some(SEED_ID));
    assert_eq!(page.data[0].size, Some(104_857_600));
    assert_eq!(page.page_info.limit_per_page, Some(10));
    assert_eq!(page.page_info.total_results, Some(1));
    assert_eq!(server.requests()[0].query, None);
}

fn seed_paging_assets(server: &MockServer, count: u32) {
    for i in 0..count {
        server.seed_twelvelabs_asset(json!({
            "_id": format!("paging{i:02}"),
            "status": "ready",
            "method": "direct",
            "filename": format!("paging-{i:02}.mp4"),
            "file_type": "video/mp4",
            "created_at": format!("2024-05-01T00:00:{i:02}Z"),
            "duration": 10.0 + f64::from(i),
            "technical_metadata": {"video_width": 640, "video_height": 360, "video_fps": 30}
        }));
    }
}

fn recorded_pages(server: &MockServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .map(|r| {
            let pairs = r.query_pairs();
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            (get("page"), get("page_limit"))
        })
        .collect()
}

#[tokio::test]
async fn list_all_walks_every_page_and_stops_at_total_page() {
    let server = MockServer::start().await;
    seed_paging_assets(&server, 25);
    let assets: Vec<Asset> = client(&server)
        .assets()
        .list_all(ListAssetsParams::new().page_limit(10).filename("paging-"))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = assets.iter().map(|a| a.id.clone().unwrap()).collect();
    let expected: Vec<String> = (0..25).rev().map(|i| format!("paging{i:02}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        recorded_pages(&server),
        [
            ("1".to_owned(), "10".to_owned()),
            ("2".to_owned(), "10".to_owned()),
            ("3".to_owned(), "10".to_owned()),
        ]
    );
    for request in server.requests() {
        assert!(
            request
                .query_pairs()
                .contains(&("filename".into(), "paging-".into()))
        );
    }
}

#[tokio::test]
async fn list_all_is_lazy_and_starts_at_the_given_page() {
    let server = MockServer::start().await;
    seed_paging_assets(&server, 25);
    let client = client(&server);
    let first_three: Vec<Asset> = client
        .assets()
        .list_all(ListAssetsParams::new().page_limit(10).filename("paging-"))
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_three.len(), 3);
    assert_eq!(server.requests().len(), 1);

    server.clear_requests();
    let rest: Vec<Asset> = client
        .assets()
        .list_all(
            ListAssetsParams::new()
                .page(2)
                .page_limit(10)
                .filename("paging-"),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), 15);
    assert_eq!(
        recorded_pages(&server),
        [
            ("2".to_owned(), "10".to_owned()),
            ("3".to_owned(), "10".to_owned())
        ]
    );
}

#[tokio::test]
async fn list_all_ends_with_the_first_error() {
    let server = MockServer::start().await;
    seed_paging_assets(&server, 25);
    // Pages 1 and 2 are served; the fault is armed before page 3 is fetched.
    let client = strict_client(&server);
    let mut stream = client
        .assets()
        .list_all(ListAssetsParams::new().page_limit(10).filename("paging-"));
    let mut ok = 0;
    while let Some(item) = stream.next().await {
        item.unwrap();
        ok += 1;
        if ok == 20 {
            server.inject(FaultRule::new(
                Fault::status(400).with_body(r#"{"code":"parameter_invalid","message":"boom"}"#),
            ));
            break;
        }
    }
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(rest.len(), 1);
    assert!(
        matches!(&rest[0], Err(Error::Api { code: Some(c), .. }) if c == "parameter_invalid"),
        "{rest:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn page_limit_and_page_are_validated_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for params in [
        ListAssetsParams::new().page_limit(0),
        ListAssetsParams::new().page_limit(51),
        ListAssetsParams::new().page(0),
        ListAssetsParams::new().asset_id(" "),
    ] {
        let err = client.assets().list(&params).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{params:?}: {err:?}");
        let items: Vec<_> = client.assets().list_all(params.clone()).collect().await;
        assert_eq!(items.len(), 1);
        assert!(matches!(items[0], Err(Error::InvalidInput(_))), "{items:?}");
    }
    let err = client
        .assets()
        .list(&ListAssetsParams::new().page_limit(51))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("between 1 and 50"), "{err}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // The bounds themselves are accepted.
    for limit in [1, 50] {
        client
            .assets()
            .list(&ListAssetsParams::new().page_limit(limit))
            .await
            .unwrap();
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_neutral_lister_streams_every_page() {
    let server = MockServer::start().await;
    seed_paging_assets(&server, 25);
    let client = client(&server);
    assert_eq!(
        AssetLister::provider(&client),
        media_core::Provider::TwelveLabs
    );
    let assets: Vec<media_core::Asset> =
        AssetLister::assets(&client, AssetQuery::new().page_size(10))
            .try_collect()
            .await
            .unwrap();
    // 25 seeded plus the seed-document asset.
    assert_eq!(assets.len(), 26);
    assert_eq!(
        recorded_pages(&server),
        [
            ("1".to_owned(), "10".to_owned()),
            ("2".to_owned(), "10".to_owned()),
            ("3".to_owned(), "10".to_owned()),
        ]
    );
    let newest = &assets[0];
    assert_eq!(newest.id, "paging24");
    assert_eq!(newest.kind, MediaKind::Video);
    assert_eq!(
        (newest.width, newest.height, newest.fps),
        (Some(640), Some(360), Some(30.0))
    );
    assert_eq!(newest.duration_secs(), Some(34.0));
    assert_eq!(assets[25].id, SEED_ID);

    // A page size over the provider's cap is lowered to it; no size sends none.
    server.clear_requests();
    let all: Vec<_> = AssetLister::assets(&client, AssetQuery::new().page_size(500))
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 26);
    assert_eq!(recorded_pages(&server), [("1".to_owned(), "50".to_owned())]);
    server.clear_requests();
    let _: Vec<_> = AssetLister::assets(&client, AssetQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].query_pairs(),
        [("page".to_owned(), "1".to_owned())]
    );
}

// ---------------------------------------------------------------------------
// wait_until_ready
// ---------------------------------------------------------------------------

fn fast_poll() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(10))
        .backoff(1.0)
        .max_wait(Duration::from_secs(5))
}

#[tokio::test]
async fn wait_until_ready_returns_a_ready_asset_at_once() {
    let server = MockServer::start().await;
    let mut seen = Vec::new();
    let asset = client(&server)
        .assets()
        .wait_until_ready(SEED_ID, &fast_poll(), |a| seen.push(a.status.clone()))
        .await
        .unwrap();
    assert!(asset.is_ready());
    assert_eq!(seen, [Some(AssetStatus::Ready)]);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn wait_until_ready_follows_processing_to_ready() {
    let server = MockServer::start().await;
    let processing =
        json!({"_id": "up1", "status": "processing", "method": "direct", "filename": "new.mp4"});
    server.seed_twelvelabs_asset(processing);
    let seen = Mutex::new(Vec::new());
    let asset = client(&server)
        .assets()
        .wait_until_ready("up1", &fast_poll(), |a| {
            let mut seen = seen.lock().unwrap();
            seen.push(a.status.clone());
            if seen.len() == 2 {
                server.seed_twelvelabs_asset(json!({
                    "_id": "up1", "status": "ready", "method": "direct", "filename": "new.mp4",
                    "size": 1024, "duration": 3.0
                }));
            }
        })
        .await
        .unwrap();
    assert_eq!(asset.size, Some(1024));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Some(AssetStatus::Processing),
            Some(AssetStatus::Processing),
            Some(AssetStatus::Ready)
        ]
    );
    assert_eq!(server.requests().len(), 3);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.path == format!("{ASSETS_PATH}/up1"))
    );
}

#[tokio::test]
async fn wait_until_ready_reports_a_failed_asset() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({
        "_id": "bad1", "status": "failed", "error": {"message": "Unsupported codec: prores_raw."}
    }));
    server.seed_twelvelabs_asset(json!({"_id": "bad2", "status": "failed"}));
    let client = client(&server);
    let err = client
        .assets()
        .wait_until_ready("bad1", &fast_poll(), |_| {})
        .await
        .unwrap_err();
    match &err {
        Error::TaskFailed {
            provider,
            task_id,
            reason,
        } => {
            assert_eq!(*provider, media_core::Provider::TwelveLabs);
            assert_eq!(task_id, "bad1");
            assert_eq!(reason, "Unsupported codec: prores_raw.");
        }
        other => panic!("unexpected {other:?}"),
    }
    let err = client
        .assets()
        .wait_until_ready("bad2", &fast_poll(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { reason, .. } if reason.contains("no reason")),
        "{err:?}"
    );
}

#[tokio::test]
async fn wait_until_ready_gives_up_at_max_wait_and_passes_on_errors() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({"_id": "slow1", "status": "processing"}));
    let client = client(&server);
    let mut polls = 0;
    let options = fast_poll().max_wait(Duration::from_millis(45));
    let err = client
        .assets()
        .wait_until_ready("slow1", &options, |_| polls += 1)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { message, .. } if message.contains("asset slow1")),
        "{err:?}"
    );
    assert!(polls >= 2, "{polls}");
    assert_eq!(server.requests().len(), polls);

    let err = client
        .assets()
        .wait_until_ready("nope", &fast_poll(), |_| {})
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

// ---------------------------------------------------------------------------
// Hygiene
// ---------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_contains_the_key() {
    let server = MockServer::start().await;
    let config = config(&server);
    let client = Client::new(config.clone()).unwrap();
    for shown in [
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{:?}", client.assets()),
    ] {
        assert!(!shown.contains(credentials::TWELVELABS_API_KEY), "{shown}");
    }
}

#[test]
fn every_public_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync_static<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync_static::<Client>();
    assert_send_sync_static::<Asset>();

    let client = Client::new(Config::new("k")).unwrap();
    let assets = client.assets();
    let params = ListAssetsParams::new();
    let options = PollOptions::default();
    assert_send(&assets.retrieve("x"));
    assert_send(&assets.list(&params));
    assert_send(&assets.list_all(params.clone()));
    assert_send(&assets.wait_until_ready("x", &options, |_| {}));
    assert_send(&AssetReader::asset(&client, "x"));
    assert_send(&AssetLister::assets(&client, AssetQuery::new()));
}

// ---------------------------------------------------------------------------
// POST /assets (always multipart), DELETE, transcription, user metadata
// ---------------------------------------------------------------------------

/// The multipart parts of a recorded body: `(name, filename, value)`.
fn form_parts(request: &media_mock::RecordedRequest) -> Vec<(String, Option<String>, String)> {
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"');
    let body = String::from_utf8_lossy(&request.body).into_owned();
    body.split(&format!("--{boundary}"))
        .filter(|part| !part.trim().is_empty() && part.trim() != "--")
        .map(|part| {
            let (head, value) = part.split_once("\r\n\r\n").unwrap();
            let name = head
                .split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let filename = head
                .split("filename=\"")
                .nth(1)
                .map(|f| f.split('"').next().unwrap().to_owned());
            (
                name.to_owned(),
                filename,
                value.strip_suffix("\r\n").unwrap_or(value).to_owned(),
            )
        })
        .collect()
}

fn temp_file(name: &str, bytes: &[u8]) -> (std::path::PathBuf, impl Drop) {
    struct Cleanup(std::path::PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let dir = std::env::temp_dir().join(format!(
        "twelvelabs-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    (path, Cleanup(dir))
}

#[tokio::test]
async fn create_from_url_is_multipart_even_without_a_file() {
    let server = MockServer::start().await;
    let mut metadata = twelvelabs::UserMetadata::new();
    metadata.insert("team".into(), MetadataValue::String("news".into()));
    metadata.insert("reviewed".into(), MetadataValue::Boolean(false));
    let asset = client(&server)
        .assets()
        .create(
            &twelvelabs::CreateAssetRequest::url("https://example.com/media/clip.mp4?sig=1")
                .enable_hls(false)
                .enable_thumbnail(true)
                .user_metadata(metadata),
        )
        .await
        .unwrap();
    assert_eq!(asset.status, Some(AssetStatus::Processing));
    assert_eq!(asset.method, Some(AssetMethod::Url));
    assert_eq!(asset.filename.as_deref(), Some("clip.mp4"));
    assert_eq!(asset.file_type.as_deref(), Some("video/mp4"));
    assert!(asset.created_at.is_some());
    assert_eq!(
        asset.user_metadata.as_ref().unwrap()["team"],
        MetadataValue::String("news".into())
    );

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, ASSETS_PATH);
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let parts = form_parts(request);
    let fields: Vec<(&str, &str)> = parts
        .iter()
        .map(|(n, _, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("method", "url"),
            ("url", "https://example.com/media/clip.mp4?sig=1"),
            ("enable_hls", "false"),
            ("enable_thumbnail", "true"),
            ("user_metadata", r#"{"reviewed":false,"team":"news"}"#),
        ]
    );
}

#[tokio::test]
async fn create_from_a_file_streams_it_and_becomes_ready() {
    let server = MockServer::start().await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let (path, _cleanup) = temp_file("holiday.mp4", &bytes);
    let seen = std::sync::Arc::new(Mutex::new(Vec::new()));
    let progress = {
        let seen = seen.clone();
        media_core::ProgressFn::new(move |p| seen.lock().unwrap().push(p.bytes_sent))
    };
    let client = client(&server);
    let asset = client
        .assets()
        .create_with_progress(
            &twelvelabs::CreateAssetRequest::file(&path).filename("renamed.mp4"),
            progress,
        )
        .await
        .unwrap();
    assert_eq!(asset.method, Some(AssetMethod::Direct));
    assert_eq!(asset.filename.as_deref(), Some("renamed.mp4"));
    assert!(!seen.lock().unwrap().is_empty());
    assert!(seen.lock().unwrap().iter().all(|&n| n <= 10_000));

    let request = &server.requests()[0];
    let parts = form_parts(request);
    assert_eq!(parts[0], ("method".into(), None, "direct".into()));
    assert_eq!(parts[1].0, "file");
    assert_eq!(parts[1].1.as_deref(), Some("holiday.mp4"));
    assert_eq!(parts[2], ("filename".into(), None, "renamed.mp4".into()));
    // The file bytes arrived intact.
    let needle = &bytes[..64];
    assert!(request.body.windows(64).any(|w| w == needle));
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("content-type: video/mp4") || body.contains("Content-Type: video/mp4"),
        "{}",
        &body[..300]
    );

    let ready = client
        .assets()
        .wait_until_ready(asset.id.as_deref().unwrap(), &fast_poll(), |_| {})
        .await
        .unwrap();
    assert_eq!(ready.size, Some(10_000));
    assert!(ready.hls.is_some(), "HLS is on by default");
    assert!(ready.technical_metadata.is_some());
}

#[tokio::test]
async fn a_throttled_create_is_retried_with_the_whole_form() {
    let server = MockServer::start().await;
    let (path, _cleanup) = temp_file("a.mp3", b"0123456789");
    server.inject(
        FaultRule::new(
            Fault::status(429)
                .with_header("Retry-After", "0")
                .with_body(r#"{"code":"too_many_requests","message":"slow down"}"#),
        )
        .method("POST")
        .path_prefix(ASSETS_PATH)
        .times(1),
    );
    let client = Client::new(
        config(&server)
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))),
    )
    .unwrap();
    // A throttled request was refused before it was acted on, so even a
    // non-idempotent create is retried, and its form is rebuilt (the
    // official SDK re-sends it without its fields).
    let asset = client
        .assets()
        .create(&twelvelabs::CreateAssetRequest::file(&path).enable_hls(false))
        .await
        .unwrap();
    assert_eq!(asset.file_type.as_deref(), Some("audio/mpeg"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (first, second) = (form_parts(&requests[0]), form_parts(&requests[1]));
    assert_eq!(first, second);
    assert_eq!(first.len(), 3);
    assert_eq!(first[1].2, "0123456789");
}

#[tokio::test]
async fn invalid_creates_never_reach_the_server() {
    let server = MockServer::start().await;
    let client = client(&server);
    for request in [
        twelvelabs::CreateAssetRequest::url("ftp://example.com/a.mp4"),
        twelvelabs::CreateAssetRequest::url("https://example.com/a.mp4").filename(" "),
        twelvelabs::CreateAssetRequest::url("https://example.com/a.mp4").filename("x".repeat(256)),
    ] {
        let err = client.assets().create(&request).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    let err = client
        .assets()
        .create(&twelvelabs::CreateAssetRequest::file("/no/such/file.mp4"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Io(_) | Error::InvalidInput(_)),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn delete_sends_force_and_the_server_refuses_referenced_assets() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index = client
        .indexes()
        .create(&twelvelabs::CreateIndexRequest::marengo("i"))
        .await
        .unwrap()
        .id
        .unwrap();
    client
        .indexed_assets()
        .create(&index, &twelvelabs::CreateIndexedAssetRequest::new(SEED_ID))
        .await
        .unwrap();
    server.clear_requests();

    let err = client.assets().delete(SEED_ID, false).await.unwrap_err();
    assert_eq!(err.http_status(), Some(409));
    assert_eq!(server.requests()[0].query, None);

    client.assets().delete(SEED_ID, true).await.unwrap();
    let request = &server.requests()[1];
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, format!("{ASSETS_PATH}/{SEED_ID}"));
    assert_eq!(request.query.as_deref(), Some("force=true"));
    assert!(
        client
            .assets()
            .retrieve(SEED_ID)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn transcription_sends_repeated_include_and_decodes_segments() {
    let server = MockServer::start().await;
    server.seed_twelvelabs_asset(json!({
        "_id": "v1", "status": "ready", "file_type": "video/mp4", "filename": "talk.mp4"
    }));
    let transcription = client(&server)
        .assets()
        .transcription(
            "v1",
            &[
                twelvelabs::TranscriptionPart::Sentences,
                twelvelabs::TranscriptionPart::Utterances,
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].query.as_deref(),
        Some("include=sentences&include=utterances")
    );
    assert_eq!(
        transcription.status,
        Some(twelvelabs::TranscriptionStatus::Ready)
    );
    assert_eq!(transcription.words, None);
    let sentences = transcription.sentences.unwrap();
    assert_eq!(sentences[0].value, "Hello world.");
    assert_eq!(
        (sentences[0].start, sentences[0].end),
        (Some(0.0), Some(0.9))
    );
    assert_eq!(
        transcription.utterances.unwrap()[0].speaker.as_deref(),
        Some("A")
    );
    let err = client(&server)
        .assets()
        .transcription(SEED_ID, &[])
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "an image has no transcription: {err:?}");

    let failed: twelvelabs::AssetTranscription =
        serde_json::from_value(json!({"status": "failed", "error": {"message": "no speech"}}))
            .unwrap();
    assert_eq!(failed.error.unwrap().message, "no speech");
}

#[tokio::test]
async fn user_metadata_put_patch_delete() {
    let server = MockServer::start().await;
    server
        .seed_twelvelabs_asset(json!({"_id": "m1", "status": "ready", "user_metadata": {"a": 1}}));
    let client = client(&server);
    let assets = client.assets();

    let mut replace = twelvelabs::UserMetadata::new();
    replace.insert("b".into(), MetadataValue::Integer(2));
    replace.insert("c".into(), MetadataValue::StringList(vec!["x".into()]));
    assets.replace_user_metadata("m1", &replace).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path, format!("{ASSETS_PATH}/m1/user-metadata"));
    assert_eq!(
        request.json().unwrap(),
        json!({"user_metadata": {"b": 2, "c": ["x"]}})
    );
    let meta = assets.retrieve("m1").await.unwrap().user_metadata.unwrap();
    assert!(!meta.contains_key("a"));
    assert_eq!(meta["b"], MetadataValue::Integer(2));

    let mut patch = twelvelabs::UserMetadataPatch::new();
    patch.insert("b".into(), None);
    patch.insert("d".into(), Some(MetadataValue::Number(1.5)));
    assets.update_user_metadata("m1", &patch).await.unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.json().unwrap(),
        json!({"user_metadata": {"b": null, "d": 1.5}})
    );
    let meta = assets.retrieve("m1").await.unwrap().user_metadata.unwrap();
    assert!(!meta.contains_key("b"));
    assert_eq!(meta["d"], MetadataValue::Number(1.5));

    assets.delete_user_metadata("m1").await.unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "DELETE");
    assert!(request.body.is_empty());
    assert_eq!(
        assets.retrieve("m1").await.unwrap().user_metadata,
        Some(twelvelabs::UserMetadata::new())
    );
    assert!(
        assets
            .delete_user_metadata("nope")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn the_neutral_uploader_and_deleter() {
    use media_core::{AssetDeleter, AssetUploader, UploadSource};
    let server = MockServer::start().await;
    let client = client(&server);
    let (path, _cleanup) = temp_file("still.png", &[7u8; 2048]);
    let asset = AssetUploader::upload(&client, UploadSource::Path(path), None)
        .await
        .unwrap();
    assert_eq!(asset.kind, MediaKind::Image);
    assert_eq!(asset.status, Some(media_core::AssetStatus::Processing));
    let from_url = AssetUploader::upload(
        &client,
        UploadSource::Url("https://example.com/a.wav".into()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(from_url.kind, MediaKind::Audio);
    AssetDeleter::delete(&client, &asset.id).await.unwrap();
    assert!(
        AssetReader::asset(&client, &asset.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}
