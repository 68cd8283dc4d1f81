//! Live streams over real HTTP: start/stop (E3 envelope with `message`) and their webhooks.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use std::time::Duration;

use common::{assert_json_call, client, last, receiver};
use media_mock::MockServer;
use memories_v2::streams::{AudioStreamParams, VideoStreamParams};
use memories_v2::transcriptions::SttProvider;
use memories_v2::{Error, WebhookPayload};
use serde_json::json;

#[tokio::test]
async fn audio_stream_start_and_stop_with_webhooks() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = client(&server);
    let params =
        AudioStreamParams::new("rtmp://live.example.com/app/room1", SttProvider::ElevenLabs)
            .language_code("en")
            .option("diarize", true);
    let started = client.streams().audio_start(&params).await.unwrap();
    let request = last(&server, "/audio-stream/start");
    assert_json_call(&request, "POST", "/audio-stream/start");
    assert_eq!(
        request.json().unwrap(),
        json!({"audio_url": "rtmp://live.example.com/app/room1", "provider": "elevenlabs", "language_code": "en", "diarize": true})
    );
    assert_eq!(
        started.message.as_deref(),
        Some("Audio stream transcription started")
    );
    let segment = receiver
        .wait_for_timeout(&started.task_id, Duration::from_secs(5))
        .await
        .unwrap();
    let WebhookPayload::AudioStream(event) = segment.payload().unwrap() else {
        panic!("{segment:?}")
    };
    assert_eq!(event.segment_index, Some(0));

    let stopped = client.streams().audio_stop(&started.task_id).await.unwrap();
    assert_eq!(stopped.task_id, started.task_id);
    assert_eq!(
        last(&server, "/audio-stream/stop").json().unwrap(),
        json!({"task_id": started.task_id})
    );
    let last_event = receiver
        .wait_for_timeout(&started.task_id, Duration::from_secs(5))
        .await
        .unwrap();
    let WebhookPayload::AudioStream(event) = last_event.payload().unwrap() else {
        panic!()
    };
    assert_eq!(event.status, Some(14));

    let err = client
        .streams()
        .audio_stop(&started.task_id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 400, message, .. } if message.starts_with("Task not found")),
        "{err:?}"
    );
}

#[tokio::test]
async fn video_stream_start_and_stop() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = client(&server);
    let params = VideoStreamParams::new("rtmp://live.example.com/app/cam")
        .content_moderation(true)
        .logo_detection(true)
        .fps(2)
        .max_logos(10);
    let started = client.streams().video_start(&params).await.unwrap();
    assert_eq!(
        last(&server, "/stream/start").json().unwrap(),
        json!({"url": "rtmp://live.example.com/app/cam", "enable_content_moderation": true,
               "enable_logo_detection": true, "fps": 2, "max_logos": 10})
    );
    let segment = receiver
        .wait_for_timeout(&started.task_id, Duration::from_secs(5))
        .await
        .unwrap();
    let WebhookPayload::VideoStream(event) = segment.payload().unwrap() else {
        panic!()
    };
    assert_eq!(
        event.data.unwrap().content_moderation.unwrap()["has_unsafe_content"],
        false
    );
    let stopped = client.streams().video_stop(&started.task_id).await.unwrap();
    assert_eq!(
        stopped.message.as_deref(),
        Some("Stream stopped successfully")
    );
    assert!(matches!(
        client
            .streams()
            .video_start(&VideoStreamParams::new("rtmp://x").max_logos(51))
            .await,
        Err(Error::InvalidInput(_))
    ));
}
