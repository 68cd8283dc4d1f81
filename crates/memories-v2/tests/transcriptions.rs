//! Transcriptions over real HTTP: sync Whisper and diarization, the async jobs by webhook,
//! speech to text and the first-party asset transcription.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use common::{SEED_ID, assert_json_call, client, last, receiver};
use media_mock::MockServer;
use memories_v2::Error;
use memories_v2::transcriptions::{
    AssetTranscriptionParams, AudioTranscriptionParams, SpeechToTextParams, SttProvider,
    VideoDescriptionParams,
};
use serde_json::json;

#[tokio::test]
async fn sync_whisper_with_speakers() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = AudioTranscriptionParams::new(SEED_ID)
        .model("whisper-1")
        .speaker(true);
    let transcript = client
        .transcriptions()
        .sync_generate_audio(&params)
        .await
        .unwrap();
    let request = last(&server, "/transcriptions/sync-generate-audio");
    assert_json_call(&request, "POST", "/transcriptions/sync-generate-audio");
    assert_eq!(
        request.json().unwrap(),
        json!({"asset_id": SEED_ID, "model": "whisper-1", "speaker": true})
    );
    assert_eq!(transcript.model.as_deref(), Some("whisper-1"));
    let item = &transcript.items[0];
    assert_eq!(item.text, "Welcome back to the lab.");
    assert_eq!((item.start_time, item.end_time), (0.0, 2.4));
    assert_eq!(item.speaker.as_deref(), Some("SPEAKER_00"));
    assert_eq!(
        transcript.text(),
        "Welcome back to the lab. Today we test the new rig."
    );
    // Without `speaker`, nothing but the asset is sent.
    client
        .transcriptions()
        .sync_generate_audio(&AudioTranscriptionParams::new(SEED_ID))
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/transcriptions/sync-generate-audio")
            .json()
            .unwrap(),
        json!({"asset_id": SEED_ID})
    );
}

#[tokio::test]
async fn unknown_asset_gives_the_ambiguous_limit_message() {
    let server = MockServer::start().await;
    let err = client(&server)
        .transcriptions()
        .sync_generate_audio(&AudioTranscriptionParams::new("re_1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 400, message, .. } if message == "Request has exceeded the limit."),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    let err = client(&server)
        .transcriptions()
        .sync_generate_audio(&AudioTranscriptionParams::new(""))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn sync_diarization_uses_start_and_end() {
    let server = MockServer::start().await;
    let result = client(&server)
        .transcriptions()
        .sync_generate_speaker(SEED_ID)
        .await
        .unwrap();
    assert_json_call(
        &last(&server, "/sync-generate-speaker"),
        "POST",
        "/transcriptions/sync-generate-speaker",
    );
    assert_eq!(result.model.as_deref(), Some("pyannote"));
    assert_eq!(result.items[0].start, 0.05);
    assert_eq!(result.items[0].end, 6.8);
    assert_eq!(result.items[0].speaker, "SPEAKER_01");
}

#[tokio::test]
async fn async_jobs_resolve_by_webhook() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let t = client(&server);
    let t = t.transcriptions();

    let audio = t
        .async_generate_audio(&AudioTranscriptionParams::new(SEED_ID).speaker(true))
        .await
        .unwrap()
        .wait(&receiver)
        .await
        .unwrap();
    assert_eq!(audio.segments()[0].speaker.as_deref(), Some("SPEAKER_00"));
    assert_eq!(audio.segments()[0].start_secs(), Some(0.0));

    let speakers = t
        .async_generate_speaker(SEED_ID)
        .await
        .unwrap()
        .wait(&receiver)
        .await
        .unwrap();
    assert_eq!(speakers.segments()[0].end_secs(), Some(6.8));

    let video = t
        .async_generate_video(&VideoDescriptionParams::new(
            SEED_ID,
            "gemini-2.5-flash-lite",
        ))
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/async-generate-video").json().unwrap(),
        json!({"asset_id": SEED_ID, "model": "gemini-2.5-flash-lite"})
    );
    let video = video.wait(&receiver).await.unwrap();
    assert_eq!(
        video.segments()[0].text.as_deref(),
        Some("A chef slices onions on a wooden board.")
    );
    assert_eq!(
        video.data.usage_metadata.unwrap().model.as_deref(),
        Some("gemini-2.5-flash-lite")
    );

    let summary = t
        .async_summary(SEED_ID)
        .await
        .unwrap()
        .wait(&receiver)
        .await
        .unwrap();
    assert_eq!(summary.data["summary"], "A cooking lesson in three steps.");
    let multi = t
        .async_generate_multi_speaker(SEED_ID)
        .await
        .unwrap()
        .wait(&receiver)
        .await
        .unwrap();
    assert_eq!(multi.data["speakers"][0]["name"], "Ada");

    for path in [
        "/async-generate-audio",
        "/async-generate-speaker",
        "/async-summary",
        "/async-generate-multi-speaker",
    ] {
        assert_json_call(
            &last(&server, path),
            "POST",
            &format!("/transcriptions{path}"),
        );
    }
    // A prefixed model id is rejected before sending.
    assert!(matches!(
        t.async_generate_video(&VideoDescriptionParams::new(
            SEED_ID,
            "gemini:gemini-2.5-flash"
        ))
        .await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn speech_to_text_per_provider() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = SpeechToTextParams::asset(SttProvider::AssemblyAi, SEED_ID)
        .diarize(true)
        .speakers(2)
        .option("redact_pii_policies", ["email_address"]);
    let result = client
        .transcriptions()
        .speech_to_text(&params)
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/speech-to-text").json().unwrap(),
        json!({"provider": "assemblyai", "asset_id": SEED_ID, "speaker_labels": true,
               "speakers_expected": 2, "redact_pii_policies": ["email_address"]})
    );
    assert_eq!(result["status"], "completed");
    assert_eq!(result["words"][0]["start"], 240);

    let params = SpeechToTextParams::url(SttProvider::ElevenLabs, "https://cdn.example.com/a.mp3")
        .language_code("en")
        .diarize(true)
        .model_id("scribe_v2");
    let result = client
        .transcriptions()
        .speech_to_text(&params)
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/speech-to-text").json().unwrap(),
        json!({"provider": "elevenlabs", "url": "https://cdn.example.com/a.mp3", "language_code": "en",
               "diarize": true, "model_id": "scribe_v2"})
    );
    assert_eq!(result["text"], "Welcome back to the lab.");

    let mut two_sources = SpeechToTextParams::asset(SttProvider::ElevenLabs, SEED_ID);
    two_sources.url = Some("https://x".into());
    assert!(matches!(
        client.transcriptions().speech_to_text(&two_sources).await,
        Err(Error::InvalidInput(_))
    ));
    let bad_threshold =
        SpeechToTextParams::asset(SttProvider::AssemblyAi, SEED_ID).option("speech_threshold", 1.5);
    assert!(matches!(
        client.transcriptions().speech_to_text(&bad_threshold).await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn first_party_asset_transcription() {
    let server = MockServer::start().await;
    let result = client(&server)
        .transcriptions()
        .asset_transcription(SEED_ID, &AssetTranscriptionParams::new())
        .await
        .unwrap();
    let request = last(&server, "/transcription");
    assert_json_call(&request, "POST", &format!("/asset/{SEED_ID}/transcription"));
    assert_eq!(
        request.json().unwrap(),
        json!({"model": "whisper", "speaker_diarization": false})
    );
    assert_eq!(result["text"], "Welcome back to the lab.");
}
