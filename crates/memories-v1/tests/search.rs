//! The Search group over real HTTP.
#![allow(
    clippy::unwrap_used,
    clippy::float_cmp,
    reason = "tests panic on failure; the floats compared are exact wire values"
)]

mod support;

use media_mock::MockServer;
use memories_v1::{
    ClipsByImageParams, Error, FilteringLevel, ImageSearchParams, Platform, PublicSearchParams,
    SearchParams, SearchResults, SearchType, TranscriptSearchParams, UploadImagesParams,
};
use serde_json::json;
use support::{assert_sent, client, last, multipart, pairs, text_parts};

#[tokio::test]
async fn search_sends_every_field_and_decodes_clip_hits() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = SearchParams::new("beach at dusk")
        .top_k(5)
        .filtering_level(FilteringLevel::Medium)
        .video_nos(["VI700000000000000001"])
        .tag("trip")
        .camera_tag("Pixel 9")
        .datetime_taken("2025-06-12 18:30:00")
        .near(39.9, 116.4);
    let results = client.search().search(&params).await.unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/search");
    assert_eq!(
        request.json().unwrap(),
        json!({"search_param": "beach at dusk", "search_type": "BY_CLIP", "unique_id": "default",
               "top_k": 5, "filtering_level": "medium", "video_nos": ["VI700000000000000001"],
               "tag": "trip", "camera_tag": "Pixel 9", "datetime_taken": "2025-06-12 18:30:00",
               "latitude": 39.9, "longitude": 116.4})
    );
    let clips = results.clips();
    assert_eq!(clips.len(), 1);
    assert_eq!(clips[0].video_no, "VI700000000000000001");
    assert_eq!(clips[0].video_name.as_deref(), Some("beach_walk"));
    assert_eq!(
        (clips[0].start_time, clips[0].end_time),
        (Some(12.0), Some(17.0))
    );
    assert!(clips[0].score.unwrap() > 0.4);
}

#[tokio::test]
async fn audio_search_has_whole_video_hits_and_image_search_an_object() {
    let server = MockServer::start().await;
    let client = client(&server);
    let audio = client
        .search()
        .search(&SearchParams::new("tide").search_type(SearchType::ByAudio))
        .await
        .unwrap();
    let hit = &audio.clips()[0];
    assert_eq!(hit.start_time, Some(31.0));
    assert_eq!(hit.end_time, None, "the string \"null\"");
    assert_eq!(
        hit.audio_ts.as_deref(),
        Some(" and that is where the tide comes in.")
    );

    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("sunset.jpg");
    std::fs::write(&image, b"jpeg").unwrap();
    let uploaded = client
        .upload()
        .images(&UploadImagesParams::new([&image]), None)
        .await
        .unwrap();
    let images = client
        .search()
        .search(&SearchParams::new("sunset").search_type(SearchType::ByImage))
        .await
        .unwrap();
    let SearchResults::Images(page) = images else {
        panic!("{images:?}")
    };
    assert_eq!(page.item[0].id, uploaded[0].id);
    assert_eq!(page.item[0].name.as_deref(), Some("sunset.jpg"));
    assert_eq!(page.current_page, Some(0));
    assert_eq!(page.total_count, Some(1));
    assert_eq!(
        page.item[0].datetime_taken.unwrap().timestamp_millis(),
        1_760_000_000_000
    );
}

#[tokio::test]
async fn search_validates_and_reports_0003() {
    let server = MockServer::start().await;
    let client = client(&server);
    for bad in [
        SearchParams::new(" "),
        SearchParams::new("x").top_k(0),
        SearchParams::new("x").top_k(1001),
        SearchParams::new("x")
            .search_type(SearchType::ByCaption)
            .top_k(201),
        SearchParams::new("x").video_nos((0..101).map(|i| format!("VI{i}"))),
    ] {
        let err = client.search().search(&bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
    let err = client
        .search()
        .search(&SearchParams::new("x").search_type(SearchType::from("BY_MAGIC")))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: Some(c), message, .. } if c == "0003" && message.contains("BY_CLIP")),
        "{err:?}"
    );
}

#[tokio::test]
async fn search_public_sends_type_and_decodes_pi_hits() {
    let server = MockServer::start().await;
    let client = client(&server);
    let hits = client
        .search()
        .search_public(
            &PublicSearchParams::new("morning routine")
                .platform(Platform::TikTok)
                .top_k(3)
                .filtering_level(FilteringLevel::Low),
        )
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/search_public");
    assert_eq!(
        request.json().unwrap(),
        json!({"search_param": "morning routine", "search_type": "BY_VIDEO", "type": "TIKTOK",
               "top_k": 3, "filtering_level": "low"})
    );
    assert_eq!(hits[0].video_no, "PI-700000000000000900");
    assert_eq!(hits[0].video_name.as_deref(), Some("Morning routine #fyp"));
}

#[tokio::test]
async fn transcript_phrase_searches_use_the_query_string() {
    let server = MockServer::start().await;
    let client = client(&server);
    let page = client
        .search()
        .search_audio_transcripts(
            &TranscriptSearchParams::new("the tide")
                .page(1)
                .page_size(100),
        )
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "GET", "/search_audio_transcripts");
    assert_eq!(
        request.query_pairs(),
        pairs(&[
            ("query", "the tide"),
            ("page", "1"),
            ("page_size", "100"),
            ("unique_id", "default")
        ])
    );
    assert!(request.body.is_empty());
    assert_eq!(page.videos[0].video_no, "VI700000000000000001");
    assert_eq!(page.videos[0].start_time, Some(31.0));
    assert_eq!(
        page.videos[0].audio_ts.as_deref(),
        Some(" and that is where the tide comes in.")
    );
    assert_eq!(
        (page.current_page, page.page_size, page.total_count),
        (Some(1), Some(100), Some(1))
    );

    let public = client
        .search()
        .search_public_audio_transcripts(&TranscriptSearchParams::new("good morning"))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "GET", "/search_public_audio_transcripts");
    assert_eq!(request.query_pairs(), pairs(&[("query", "good morning")]));
    assert_eq!(public.videos[0].video_no, "PI-700000000000000900");
    let err = client
        .search()
        .search_audio_transcripts(&TranscriptSearchParams::new("x").page_size(501))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn image_searches_send_multipart() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("query.png");
    std::fs::write(&image, b"png").unwrap();

    let matches = client
        .search()
        .search_similar_images(&ImageSearchParams::new(&image).similarity(0.85))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/search_similar_images");
    let parts = multipart(&request);
    assert_eq!(parts[0].name, "file");
    assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(parts[0].data, b"png");
    assert_eq!(
        text_parts(&parts),
        pairs(&[("similarity", "0.85"), ("unique_id", "default")])
    );
    assert_eq!(matches[0].video_no, "VI606404158946574336");
    assert_eq!(matches[0].start_time, Some(20.0));
    assert_eq!(matches[0].score, Some(0.88));

    let public = client
        .search()
        .search_public_similar_images(&ImageSearchParams::new(&image).platform(Platform::YouTube))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/search_public_similar_images");
    assert_eq!(
        text_parts(&multipart(&request)),
        pairs(&[("type", "YOUTUBE")])
    );
    assert_eq!(public[0].end_time, Some(9.0));

    let clips = client
        .search()
        .search_clips_by_image(&ClipsByImageParams::new(
            &image,
            "VI700000000000000001",
            "the sun",
        ))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/search_clips_by_image");
    assert_eq!(
        text_parts(&multipart(&request)),
        pairs(&[
            ("video_no", "VI700000000000000001"),
            ("prompt", "the sun"),
            ("unique_id", "default")
        ])
    );
    assert_eq!(
        (clips[0].start_time, clips[0].end_time, clips[0].score),
        (Some(3.5), Some(8.0), Some(0.79))
    );

    server.clear_requests();
    assert!(
        client
            .search()
            .search_clips_by_image(&ClipsByImageParams::new(&image, "VI1", " "))
            .await
            .is_err()
    );
    assert!(
        client
            .search()
            .search_similar_images(&ImageSearchParams::new(&image).similarity(1.5))
            .await
            .is_err()
    );
    assert!(server.requests().is_empty());
}
