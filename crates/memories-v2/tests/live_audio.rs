//! The live audio WebSocket (feature `websocket`) against the mock's WebSocket route.
#![cfg(feature = "websocket")]
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use common::config;
use media_mock::MockServer;
use memories_v2::live_audio::{LiveAudioParams, LiveMessage};
use memories_v2::transcriptions::SttProvider;
use memories_v2::{Client, Config, Error};

#[tokio::test]
async fn push_audio_and_read_transcripts() {
    let server = MockServer::start().await;
    let ws_url = server.memories_v2_ws_url().await;
    let client = Client::new(config(&server).ws_url(&ws_url)).unwrap();
    let params = LiveAudioParams::new(SttProvider::ElevenLabs)
        .param("model_id", "scribe_v2_realtime")
        .param("language_code", "en");
    let mut session = client.live_audio(&params).await.unwrap();
    let handshake = server.memories_v2_ws_handshakes().pop().unwrap();
    assert_eq!(handshake["provider"], "elevenlabs");
    assert_eq!(handshake["model_id"], "scribe_v2_realtime");
    assert!(
        !handshake.contains_key("api_key"),
        "the key goes in the header"
    );

    let Some(Ok(LiveMessage::Json(started))) = session.next_message().await else {
        panic!()
    };
    assert_eq!(started["message_type"], "session_started");
    session.send_audio(vec![0u8; 3200]).await.unwrap();
    let Some(Ok(LiveMessage::Json(partial))) = session.next_message().await else {
        panic!()
    };
    assert_eq!(partial["text"], "heard 3200 bytes");
    session
        .send_text(r#"{"message_type":"commit"}"#)
        .await
        .unwrap();
    let Some(Ok(LiveMessage::Json(committed))) = session.next_message().await else {
        panic!()
    };
    assert_eq!(committed["message_type"], "committed_transcript");
    session.close().await.unwrap();
}

#[tokio::test]
async fn handshake_refusals_are_typed() {
    let server = MockServer::start().await;
    let ws_url = server.memories_v2_ws_url().await;
    let wrong_key = Client::new(
        Config::new("sk-wrong-0001")
            .base_url(server.memories_v2_url())
            .ws_url(&ws_url),
    )
    .unwrap();
    let err = wrong_key
        .live_audio(&LiveAudioParams::new(SttProvider::AssemblyAi))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Unauthorized {
                http_status: 401,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("sk-wrong-0001"));
    let client = Client::new(config(&server).ws_url(&ws_url)).unwrap();
    let err = client
        .live_audio(&LiveAudioParams::new(SttProvider::Unknown(
            "whisper".into(),
        )))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 400, message, .. } if message.contains("provider")),
        "{err:?}"
    );
}

#[test]
fn ws_url_is_derived_from_the_base_url() {
    let client = Client::new(Config::new("k")).unwrap();
    assert_eq!(
        client.ws_url(),
        "wss://mavi-backend.memories.ai/serve/ws/v2/audio-stream"
    );
}
