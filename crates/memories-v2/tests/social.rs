//! Social-media data over real HTTP: platform metadata, transcripts, MAI transcripts, and the
//! legacy business codes under HTTP 200.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use common::{assert_json_call, client, last, receiver};
use media_mock::MockServer;
use memories_v2::Error;
use memories_v2::social::{Channel, MaiTranscriptParams, Platform, SocialVideoParams};
use serde_json::json;

#[tokio::test]
async fn metadata_and_transcript_per_platform() {
    let server = MockServer::start().await;
    let client = client(&server);
    let tweet = "https://x.com/someone/status/1900000000000000000";
    let data = client
        .social()
        .video_metadata(
            Platform::Twitter,
            &SocialVideoParams::new(tweet).channel(Channel::Apify),
        )
        .await
        .unwrap();
    let request = last(&server, "/twitter/video/metadata");
    assert_json_call(&request, "POST", "/twitter/video/metadata");
    assert_eq!(
        request.json().unwrap(),
        json!({"video_url": tweet, "channel": "apify"})
    );
    assert_eq!(data[0]["likeCount"], 321);
    assert_eq!(data[0]["createdAt"], "Mon Jan 05 10:00:00 +0000 2026");

    let yt = "https://www.youtube.com/watch?v=abc";
    let transcript = client
        .social()
        .video_transcript(
            Platform::Youtube,
            &SocialVideoParams::new(yt).channel(Channel::MemoriesAi),
        )
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/youtube/video/transcript").json().unwrap(),
        json!({"video_url": yt, "channel": "memories.ai"})
    );
    assert_eq!(transcript[0]["data"][1]["start"], "1.48");
    for platform in Platform::ALL {
        let url = match platform {
            Platform::Youtube => yt,
            Platform::Tiktok => "https://www.tiktok.com/@a/video/1",
            Platform::Instagram => "https://www.instagram.com/reel/C0ffee/",
            _ => tweet,
        };
        client
            .social()
            .video_metadata(platform, &SocialVideoParams::new(url))
            .await
            .unwrap();
        client
            .social()
            .video_transcript(platform, &SocialVideoParams::new(url))
            .await
            .unwrap();
        assert_eq!(
            last(&server, "/video/transcript").path,
            format!("{}/{platform}/video/transcript", common::PREFIX)
        );
    }
    assert!(matches!(
        client
            .social()
            .video_metadata(Platform::Tiktok, &SocialVideoParams::new("not a url"))
            .await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn busy_and_rate_limit_codes_under_http_200() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .social()
        .video_metadata(
            Platform::Tiktok,
            &SocialVideoParams::new("https://www.tiktok.com/busy"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(c), message, .. } if c == "0409" && message == "Service is busy, try later"),
        "{err:?}"
    );
    let before = server.requests().len();
    let err = client
        .social()
        .video_metadata(
            Platform::Tiktok,
            &SocialVideoParams::new("https://www.tiktok.com/ratelimit"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { http_status: 200, code: Some(c), .. } if c == "0429"),
        "{err:?}"
    );
    // A throttled call was not processed, so it is retried with backoff (default: 2 retries).
    assert_eq!(server.requests().len(), before + 3);
    let err = client
        .social()
        .video_metadata(
            Platform::Tiktok,
            &SocialVideoParams::new("https://www.youtube.com/x"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("0001"));
}

#[tokio::test]
async fn mai_transcript_by_account_webhook_or_per_request_url() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = client(&server);
    let url = "https://www.tiktok.com/@runner/video/7";
    let task = client
        .social()
        .mai_transcript(Platform::Tiktok, &MaiTranscriptParams::new(url))
        .await
        .unwrap();
    assert_json_call(
        &last(&server, "/mai/transcript"),
        "POST",
        "/tiktok/video/mai/transcript",
    );
    let mai = task.wait(&receiver).await.unwrap();
    let video = mai.video_transcript.unwrap().data;
    assert_eq!(
        video.data[0].transcript.as_deref(),
        Some("A runner ties her shoes at dawn.")
    );
    assert_eq!(
        video.usage_metadata.unwrap().model.as_deref(),
        Some("gemini-2.5-flash")
    );

    server.set_memories_v2_webhook_url(None);
    let task = client
        .social()
        .mai_transcript(
            Platform::Youtube,
            &MaiTranscriptParams::new("https://youtu.be/x").webhook_url(receiver.url()),
        )
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/mai/transcript").json().unwrap(),
        json!({"video_url": "https://youtu.be/x", "webhook_url": receiver.url()})
    );
    let mai = task.wait(&receiver).await.unwrap();
    assert_eq!(
        mai.audio_transcript.unwrap().data.data[0].text.as_deref(),
        Some("Let's go.")
    );
    // The first-party code polls the generic task endpoint instead.
    let status = client.tasks().status(task.task_id()).await.unwrap();
    assert_eq!(status.status.as_str(), "pending");
    client.tasks().status(task.task_id()).await.unwrap();
    let done = client.tasks().status(task.task_id()).await.unwrap();
    assert_eq!(done.status.as_str(), "completed");
    assert!(done.video_transcript.is_some() && done.audio_transcript.is_some());
}
