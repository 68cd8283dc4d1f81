//! The Transcription group over real HTTP.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

mod support;

use media_mock::MockServer;
use memories_v1::{GetMetadataParams, SummaryType, UpdateTranscriptionParams};
use serde_json::json;
use support::{assert_sent, client, last, pairs};

const BEACH: &str = "VI700000000000000001";

#[tokio::test]
async fn video_caption_decodes_the_catalog_shape() {
    let server = MockServer::start().await;
    let client = client(&server);
    let transcript = client
        .transcription()
        .get_video_caption(BEACH)
        .await
        .unwrap()
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "GET", "/get_video_caption");
    assert_eq!(
        request.query_pairs(),
        pairs(&[("video_no", BEACH), ("unique_id", "default")])
    );
    assert_eq!(transcript.video_no.as_deref(), Some(BEACH));
    let segment = &transcript.transcriptions[0];
    assert_eq!(segment.index, Some(0));
    assert_eq!(
        segment.content.as_deref(),
        Some("Waves roll onto an empty beach at dusk.")
    );
    assert_eq!(
        (segment.start_time, segment.end_time),
        (Some(0.0), Some(6.0))
    );
    assert_eq!(
        transcript.create_time.unwrap().timestamp_millis(),
        1_760_000_300_000
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn legacy_video_transcription_answers_the_same() {
    let server = MockServer::start().await;
    let client = client(&server);
    let legacy = client
        .transcription()
        .get_video_transcription(GetMetadataParams::new(BEACH).unique_id("default"))
        .await
        .unwrap();
    assert_sent(&last(&server), "GET", "/get_video_transcription");
    let current = client
        .transcription()
        .get_video_caption(BEACH)
        .await
        .unwrap();
    assert_eq!(legacy, current);
}

#[tokio::test]
async fn audio_transcription_is_none_without_audio_or_before_parsing() {
    let server = MockServer::start().await;
    let client = client(&server);
    let audio = client
        .transcription()
        .get_audio_transcription(BEACH)
        .await
        .unwrap()
        .unwrap();
    assert_sent(&last(&server), "GET", "/get_audio_transcription");
    assert_eq!(
        audio.transcriptions[0].content.as_deref(),
        Some(" and that is where the tide comes in.")
    );
    server.seed_memories_v1_video(
        "default",
        json!({"video_no": "VI5", "video_name": "silent", "status": "PARSE", "no_audio": true}),
    );
    assert_eq!(
        client
            .transcription()
            .get_audio_transcription("VI5")
            .await
            .unwrap(),
        None
    );
    server.seed_memories_v1_processing_video("default", json!({"video_no": "VI6"}), 5);
    assert_eq!(
        client
            .transcription()
            .get_video_caption("VI6")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn public_transcripts_send_no_namespace() {
    let server = MockServer::start().await;
    let client = client(&server);
    let visual = client
        .transcription()
        .get_public_video_transcription("PI-700000000000000900")
        .await
        .unwrap()
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "GET", "/get_public_video_transcription");
    assert_eq!(
        request.query.as_deref(),
        Some("video_no=PI-700000000000000900")
    );
    assert_eq!(visual.video_no.as_deref(), Some("PI-700000000000000900"));
    let audio = client
        .transcription()
        .get_public_audio_transcription("PI-700000000000000900")
        .await
        .unwrap()
        .unwrap();
    assert_sent(&last(&server), "GET", "/get_public_audio_transcription");
    assert_eq!(audio.transcriptions[0].end_time, Some(3.0));
}

#[tokio::test]
async fn generate_summary_chapters_and_topics() {
    let server = MockServer::start().await;
    let client = client(&server);
    let chapters = client
        .transcription()
        .generate_summary(BEACH, SummaryType::Chapter)
        .await
        .unwrap()
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "GET", "/generate_summary");
    assert_eq!(
        request.query_pairs(),
        pairs(&[
            ("video_no", BEACH),
            ("type", "CHAPTER"),
            ("unique_id", "default")
        ])
    );
    assert_eq!(
        chapters.summary.as_deref(),
        Some("A short summary of beach_walk.")
    );
    assert_eq!(chapters.items[0].title.as_deref(), Some("Arrival"));
    assert_eq!(
        chapters.items[0].description.as_deref(),
        Some("The camera reaches the shore.")
    );
    assert_eq!(chapters.items[1].start, Some(30.0));
    assert_eq!(
        (chapters.total_input, chapters.total_output),
        (Some(2100), Some(180))
    );
    let topics = client
        .transcription()
        .generate_summary(BEACH, SummaryType::Topic)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(topics.items[0].start, None);
    let err = client
        .transcription()
        .generate_summary(BEACH, SummaryType::from("OUTLINE"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("0001"));
}

#[tokio::test]
async fn update_video_transcription_replaces_the_caption() {
    let server = MockServer::start().await;
    let client = client(&server);
    let updated = client
        .transcription()
        .update_video_transcription(
            &UpdateTranscriptionParams::new(BEACH, "focus on the birds")
                .callback("https://example.invalid/cb"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.video_no.as_deref(), Some(BEACH));
    let request = last(&server);
    assert_sent(&request, "POST", "/update_video_transcription");
    assert_eq!(
        request.json().unwrap(),
        json!({"video_no": BEACH, "prompt": "focus on the birds", "unique_id": "default", "callback": "https://example.invalid/cb"})
    );
    let caption = client
        .transcription()
        .get_video_caption(BEACH)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        caption.transcriptions[0].content.as_deref(),
        Some("Re-transcribed (focus on the birds).")
    );
    assert!(
        client
            .transcription()
            .update_video_transcription(&UpdateTranscriptionParams::new(BEACH, ""))
            .await
            .is_err()
    );
}
