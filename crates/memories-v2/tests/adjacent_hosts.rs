//! The adjacent hosts over real HTTP against media-mock: live video understanding on
//! `stream.memories.ai` (same key, E8 answers) and caption / Human ReID on
//! `security.memories.ai` (a separate key, its own client).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use base64::Engine as _;
use common::{last, temp_file};
use media_core::http::RetryPolicy;
use media_mock::{Fault, FaultRule, MockServer, RecordedRequest, credentials};
use memories_v2::caption::{Caption, CaptionParams, Person, parse_callback};
use memories_v2::stream_understanding::{StreamConnectParams, StreamStatus};
use memories_v2::{CaptionClient, CaptionConfig, Client, Config, Error, WebhookReceiver};
use serde_json::json;

const STREAM: &str = "/memories-stream/v1";
const CAPTION: &str = "/memories-caption/v1";
/// The docs' image caption example, which the mock answers.
const IMAGE_TEXT: &str = "It shows a person lying on the ground. The person's clothing and posture are indistinct due to the poor image quality. It's impossible to determine if they are injured, unconscious, or simply resting.";
/// The docs' video caption callback example, which the mock answers.
const VIDEO_TEXT: &str =
    "A man enters the room and greets two colleagues. Alice is identified by the reference image.";

fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().with_initial_backoff(Duration::from_millis(5))
}

fn client(server: &MockServer) -> Client {
    Client::new(
        common::config(server)
            .stream_base_url(server.memories_stream_url())
            .retry(fast_retry()),
    )
    .unwrap()
}

fn captions(server: &MockServer) -> CaptionClient {
    CaptionClient::new(caption_config(
        server,
        credentials::MEMORIES_CAPTION_API_KEY,
    ))
    .unwrap()
}

fn caption_config(server: &MockServer, key: &str) -> CaptionConfig {
    CaptionConfig::new(key)
        .base_url(server.memories_caption_url())
        .retry(fast_retry())
}

fn connect_params(callback: &str) -> StreamConnectParams {
    StreamConnectParams::new(
        "rtmp://live.example.com:1935/live/kitchen",
        "What stage is the food preparation at? Is it ready to eat?",
        callback,
    )
}

/// A callback URL nobody listens on: deliveries fail fast and are still recorded.
const DEAD_CALLBACK: &str = "http://127.0.0.1:9/callback";

fn assert_post(request: &RecordedRequest, path: &str, key: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, path);
    assert_eq!(request.header("authorization"), Some(key));
}

/// The last callback the mock delivered (it records a delivery once the receiver has answered).
async fn last_delivery(server: &MockServer) -> (String, serde_json::Value) {
    for _ in 0..500 {
        if let Some(delivery) = server.memories_v2_webhooks().pop() {
            return delivery;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no callback delivered");
}

async fn receiver() -> WebhookReceiver {
    WebhookReceiver::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
        .with_default_wait(Duration::from_secs(10))
}

// ---- stream.memories.ai -----------------------------------------------------------------------

#[tokio::test]
async fn stream_connect_sends_the_documented_body_and_stop_ends_the_task() {
    let server = MockServer::start().await;
    let receiver = receiver().await;
    let client = client(&server);
    assert_eq!(
        client.stream_base_url(),
        format!("{}/memories-stream/v1", server.url())
    );
    let params = connect_params(&receiver.url())
        .system_prompt("Track the current cooking progress.")
        .thinking(false);
    let task = client
        .stream_understanding()
        .connect(&params)
        .await
        .unwrap();

    let request = last(&server, "/understand/streamConnect");
    assert_post(
        &request,
        &format!("{STREAM}/understand/streamConnect"),
        credentials::MEMORIES_API_KEY,
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json().unwrap(),
        json!({
            "url": "rtmp://live.example.com:1935/live/kitchen",
            "user_prompt": "What stage is the food preparation at? Is it ready to eat?",
            "system_prompt": "Track the current cooking progress.",
            "callback": receiver.url(),
            "thinking": false
        })
    );
    assert_eq!(task.status, StreamStatus::Started);
    assert_eq!(task.task_id.len(), 36, "{task:?}");
    assert_eq!(task.text.as_deref(), Some(""));
    assert!(task.extra.is_empty());
    assert_eq!(server.memories_stream_tasks(), vec![task.task_id.clone()]);

    // The mock POSTs one result to the callback, in the shape third-party code reads.
    let event = receiver
        .wait_for_timeout(&task.task_id, Duration::from_secs(5))
        .await
        .unwrap();
    let result: Caption = serde_json::from_value(event.data).unwrap();
    assert!(result.text.unwrap().starts_with("media-mock live answer"));
    let (url, body) = last_delivery(&server).await;
    assert_eq!(url, receiver.url());
    let callback = parse_callback(body.to_string().as_bytes()).unwrap();
    assert_eq!(callback.status, Some(0));
    assert_eq!(callback.task_id.as_deref(), Some(task.task_id.as_str()));

    let stopped = client
        .stream_understanding()
        .stop(&task.task_id)
        .await
        .unwrap();
    let request = last(&server, &format!("/understand/stop/{}", task.task_id));
    assert_post(
        &request,
        &format!("{STREAM}/understand/stop/{}", task.task_id),
        credentials::MEMORIES_API_KEY,
    );
    assert!(request.body.is_empty());
    assert_eq!(stopped.status, StreamStatus::Stopped);
    assert_eq!(stopped.task_id, task.task_id);
    assert_eq!(stopped.text, None);
    assert!(server.memories_stream_tasks().is_empty());

    // Stopping it again: E8 status -1 under HTTP 200.
    let err = client
        .stream_understanding()
        .stop(&task.task_id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(code), message, .. }
            if code == "-1" && message == "task_id not found"),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_fifth_concurrent_stream_is_refused_until_one_stops() {
    let server = MockServer::start().await;
    let client = client(&server);
    let understanding = client.stream_understanding();
    let mut ids = Vec::new();
    for _ in 0..memories_v2::stream_understanding::MAX_CONCURRENT_TASKS {
        ids.push(
            understanding
                .connect(&connect_params(DEAD_CALLBACK))
                .await
                .unwrap()
                .task_id,
        );
    }
    let err = understanding
        .connect(&connect_params(DEAD_CALLBACK))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: Some(code), message, .. }
            if code == "-1" && message.contains("4 concurrent")),
        "{err:?}"
    );
    // Refused once, not retried: streamConnect is not idempotent.
    let connects = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/streamConnect"))
        .count();
    assert_eq!(connects, 5);
    understanding.stop(&ids[0]).await.unwrap();
    let fifth = understanding
        .connect(&connect_params(DEAD_CALLBACK))
        .await
        .unwrap();
    assert_eq!(server.memories_stream_tasks().len(), 4);
    assert!(!ids.contains(&fifth.task_id));
}

#[tokio::test]
async fn invalid_stream_input_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let understanding = client.stream_understanding();
    for params in [
        StreamConnectParams::new("https://live.example.com/x.m3u8", "p", DEAD_CALLBACK),
        StreamConnectParams::new("rtmp://live.example.com/live/x", "  ", DEAD_CALLBACK),
        StreamConnectParams::new("rtmp://live.example.com/live/x", "p", "not a url"),
    ] {
        let err = understanding.connect(&params).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{params:?}: {err:?}");
    }
    for id in ["", ".", ".."] {
        assert!(matches!(
            understanding.stop(id).await,
            Err(Error::InvalidInput(_))
        ));
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // An id that could climb paths goes as one encoded segment.
    let err = understanding.stop("../x").await.unwrap_err();
    assert_eq!(
        server.requests()[0].path,
        format!("{STREAM}/understand/stop/..%2Fx")
    );
    assert_eq!(err.code(), Some("-1"));
}

#[tokio::test]
async fn stream_host_errors_are_typed() {
    let server = MockServer::start().await;
    let wrong = Client::new(
        Config::new("sk-wrong-stream-key-0001")
            .base_url(server.memories_v2_url())
            .stream_base_url(server.memories_stream_url()),
    )
    .unwrap();
    let err = wrong
        .stream_understanding()
        .connect(&connect_params(DEAD_CALLBACK))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unauthorized {
                http_status: 401,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("sk-wrong-stream-key-0001"));

    let client = client(&server);
    let path = format!("{STREAM}/understand/streamConnect");
    server.inject(
        FaultRule::new(Fault::status(200).with_body(r#"{"status":5000,"task_id":null,"text":""}"#))
            .path_prefix(&path)
            .times(1),
    );
    let err = client
        .stream_understanding()
        .connect(&connect_params(DEAD_CALLBACK))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(code), message, .. }
            if code == "5000" && message == "internal server error"),
        "{err:?}"
    );

    server.inject(
        FaultRule::new(Fault::status(503).with_body("<html>upstream down</html>"))
            .path_prefix(&path)
            .times(1),
    );
    server.clear_requests();
    let err = client
        .stream_understanding()
        .connect(&connect_params(DEAD_CALLBACK))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                http_status: 503,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a POST that reached the host is not retried"
    );

    // Unknown members are kept.
    server.inject(
        FaultRule::new(Fault::status(200).with_body(
            r#"{"status":0,"task_id":"7e6d5c4b-3a29-4817-9605-000000000099","text":"","queue":2}"#,
        ))
        .path_prefix(&path)
        .times(1),
    );
    let task = client
        .stream_understanding()
        .connect(&connect_params(DEAD_CALLBACK))
        .await
        .unwrap();
    assert_eq!(task.extra["queue"], 2);
}

// ---- security.memories.ai ---------------------------------------------------------------------

#[tokio::test]
async fn async_caption_by_url_sends_every_parameter_and_delivers_the_callback() {
    let server = MockServer::start().await;
    let receiver = receiver().await;
    let captions = captions(&server);
    let params = CaptionParams::new("Summarize the video content and identify key persons")
        .system_prompt("You are a video understanding system.")
        .person(Person::new("Alice", "https://example.com/alice.jpg"))
        .person(Person::new("Bob", "https://example.com/bob.jpg"))
        .thinking(true)
        .thinking_level(2)
        .qa(false);
    let task = captions
        .upload(
            "https://example.com/test_video.mp4",
            &receiver.url(),
            &params,
        )
        .await
        .unwrap();

    let request = last(&server, "/understand/upload");
    assert_post(
        &request,
        &format!("{CAPTION}/understand/upload"),
        credentials::MEMORIES_CAPTION_API_KEY,
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json().unwrap(),
        json!({
            "video_url": "https://example.com/test_video.mp4",
            "user_prompt": "Summarize the video content and identify key persons",
            "system_prompt": "You are a video understanding system.",
            "persons": [
                {"name": "Alice", "url": "https://example.com/alice.jpg"},
                {"name": "Bob", "url": "https://example.com/bob.jpg"}
            ],
            "thinking": true,
            "reasoning_effort": "2",
            "qa": false,
            "callback": receiver.url()
        })
    );
    let task_id = task.task_id.clone().unwrap();
    assert!(task.extra.is_empty());

    let event = receiver
        .wait_for_timeout(&task_id, Duration::from_secs(5))
        .await
        .unwrap();
    let caption: Caption = serde_json::from_value(event.data).unwrap();
    assert_eq!(
        caption.text.as_deref(),
        Some(format!("{VIDEO_TEXT} Identified: Alice, Bob.").as_str())
    );
    assert_eq!(caption.token.unwrap().total, Some(579));
    let (_, body) = last_delivery(&server).await;
    let callback = parse_callback(body.to_string().as_bytes()).unwrap();
    assert!(callback.is_success());
    assert_eq!(
        callback.into_result().unwrap().token.unwrap().input,
        Some(123)
    );
}

#[tokio::test]
async fn async_caption_of_a_file_streams_a_req_part_and_the_video() {
    let server = MockServer::start().await;
    let captions = captions(&server);
    let dir = tempfile::tempdir().unwrap();
    let video = temp_file(dir.path(), "lobby.mp4", &vec![3u8; 100_000]);
    let params = CaptionParams::new("Summarize the video");
    let task = captions
        .upload_file(&video, DEAD_CALLBACK, &params)
        .await
        .unwrap();

    let request = last(&server, "/understand/uploadFile");
    assert_post(
        &request,
        &format!("{CAPTION}/understand/uploadFile"),
        credentials::MEMORIES_CAPTION_API_KEY,
    );
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains(r#"name="req"; filename="req.json""#),
        "{body:.400}"
    );
    assert!(body.contains("Content-Type: application/json"));
    assert!(body.contains(
        r#"{"user_prompt":"Summarize the video","callback":"http://127.0.0.1:9/callback"}"#
    ));
    assert!(body.contains(r#"name="files"; filename="lobby.mp4""#));
    assert!(body.contains("Content-Type: video/mp4"));
    assert!(request.body.len() > 100_000);
    let tasks = server.memories_caption_tasks();
    assert_eq!(tasks.len(), 1);
    assert_eq!(Some(&tasks[0].0), task.task_id.as_ref());
    assert_eq!(tasks[0].1["callback"], DEAD_CALLBACK);
}

#[tokio::test]
async fn sync_video_captions_answer_the_caption() {
    let server = MockServer::start().await;
    let captions = captions(&server);
    let params = CaptionParams::new("Summarize the video");
    let caption = captions
        .upload_sync("https://example.com/test_video.mp4", &params)
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/understand/uploadSync").json().unwrap(),
        json!({"video_url": "https://example.com/test_video.mp4", "user_prompt": "Summarize the video"})
    );
    assert_eq!(caption.text.as_deref(), Some(VIDEO_TEXT));
    let token = caption.token.clone().unwrap();
    assert_eq!(
        (token.input, token.output, token.total),
        (Some(123), Some(456), Some(579))
    );
    assert_eq!(caption.task_id, None);
    assert!(caption.results.is_empty() && caption.extra.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let video = temp_file(dir.path(), "clip.mov", b"not really a movie");
    let from_file = captions.upload_file_sync(&video, &params).await.unwrap();
    assert_eq!(from_file, caption);
    let request = last(&server, "/understand/uploadFileSync");
    assert_post(
        &request,
        &format!("{CAPTION}/understand/uploadFileSync"),
        credentials::MEMORIES_CAPTION_API_KEY,
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains(r#"{"user_prompt":"Summarize the video"}"#));
    assert!(body.contains(r#"name="files"; filename="clip.mov""#));
    assert!(body.contains("Content-Type: video/quicktime"));
}

#[tokio::test]
async fn image_captions_by_url_file_and_base64() {
    let server = MockServer::start().await;
    let captions = captions(&server);
    let params = CaptionParams::new("What's happening in this picture?")
        .system_prompt("You are an image understanding system.");

    // One URL: a string; the docs' example answer, every field.
    let one = captions
        .upload_img(&["https://example.com/test_image.png"], &params)
        .await
        .unwrap();
    let request = last(&server, "/understand/uploadImg");
    assert_post(
        &request,
        &format!("{CAPTION}/understand/uploadImg"),
        credentials::MEMORIES_CAPTION_API_KEY,
    );
    assert_eq!(
        request.json().unwrap(),
        json!({"url": "https://example.com/test_image.png",
               "user_prompt": "What's happening in this picture?",
               "system_prompt": "You are an image understanding system."})
    );
    assert_eq!(one.text.as_deref(), Some(IMAGE_TEXT));
    let token = one.token.clone().unwrap();
    assert_eq!(
        (token.input, token.output, token.total),
        (Some(273), Some(79), Some(352))
    );
    assert!(token.extra.is_empty() && one.results.is_empty() && one.extra.is_empty());

    // Several URLs: an array, a batch answer.
    let batch = captions
        .upload_img(
            &["https://example.com/1.png", "https://example.com/2.jpg"],
            &params,
        )
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/understand/uploadImg").json().unwrap()["url"],
        json!(["https://example.com/1.png", "https://example.com/2.jpg"])
    );
    assert_eq!(batch.results.len(), 2);
    assert_eq!(batch.results[1], one);

    // Files: one `file` part each, streamed.
    let dir = tempfile::tempdir().unwrap();
    let png = temp_file(dir.path(), "a.png", b"\x89PNG fake");
    let jpg = temp_file(dir.path(), "b.JPG", b"\xff\xd8 fake");
    let files = captions
        .upload_img_file(&[&png, &jpg], &params)
        .await
        .unwrap();
    assert_eq!(files.results.len(), 2);
    let request = last(&server, "/understand/uploadImgFile");
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains(r#"name="req"; filename="req.json""#));
    assert!(body.contains(r#"name="file"; filename="a.png""#));
    assert!(body.contains("Content-Type: image/png"));
    assert!(body.contains(r#"name="file"; filename="b.JPG""#));
    assert!(body.contains("Content-Type: image/jpeg"));

    // Base64: the file read whole and encoded in JSON.
    let from_base64 = captions
        .upload_img_file_base64(&jpg, &params)
        .await
        .unwrap();
    assert_eq!(from_base64, one);
    let request = last(&server, "/understand/uploadImgFileBase64");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent = request.json().unwrap();
    assert_eq!(sent["img_type"], "image/jpeg");
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(sent["image_base64"].as_str().unwrap())
            .unwrap(),
        b"\xff\xd8 fake"
    );
    assert_eq!(sent["user_prompt"], "What's happening in this picture?");
}

#[tokio::test]
async fn the_caption_host_takes_only_its_own_key() {
    let server = MockServer::start().await;
    let with_v2_key =
        CaptionClient::new(caption_config(&server, credentials::MEMORIES_API_KEY)).unwrap();
    let err = with_v2_key
        .upload_sync("https://example.com/v.mp4", &CaptionParams::new("p"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { http_status: 401, code: Some(code), .. } if code == "401"),
        "{err:?}"
    );
    assert!(!err.to_string().contains(credentials::MEMORIES_API_KEY));
    let request = last(&server, "/understand/uploadSync");
    assert_eq!(
        request.header("authorization"),
        Some(credentials::MEMORIES_API_KEY)
    );
    let config = caption_config(&server, credentials::MEMORIES_CAPTION_API_KEY);
    assert!(!format!("{config:?}").contains(credentials::MEMORIES_CAPTION_API_KEY));
    assert!(
        !format!("{:?}", CaptionClient::new(config).unwrap())
            .contains(credentials::MEMORIES_CAPTION_API_KEY)
    );
}

#[tokio::test]
async fn invalid_caption_input_never_reaches_the_host() {
    let server = MockServer::start().await;
    let captions = captions(&server);
    let dir = tempfile::tempdir().unwrap();
    let gif = temp_file(dir.path(), "a.gif", b"GIF89a");
    let missing = dir.path().join("missing.mp4");
    let ok = CaptionParams::new("p");
    let six = (0..6).fold(CaptionParams::new("p"), |params, n| {
        params.person(Person::new(format!("p{n}"), "https://example.com/p.jpg"))
    });
    let url = "https://example.com/v.mp4";
    let results = vec![
        captions.upload(url, DEAD_CALLBACK, &six).await.err(),
        captions.upload(url, "", &ok).await.err(),
        captions.upload("v.mp4", DEAD_CALLBACK, &ok).await.err(),
        captions
            .upload_sync(url, &CaptionParams::new(" "))
            .await
            .err(),
        captions
            .upload_sync(
                url,
                &CaptionParams::new("p").thinking(true).thinking_level(11),
            )
            .await
            .err(),
        captions
            .upload_file(&missing, DEAD_CALLBACK, &ok)
            .await
            .err(),
        captions.upload_file_sync(&missing, &ok).await.err(),
        captions.upload_img::<&str>(&[], &ok).await.err(),
        captions.upload_img(&[""], &ok).await.err(),
        captions.upload_img_file(&[&gif], &ok).await.err(),
        captions.upload_img_file_base64(&gif, &ok).await.err(),
    ];
    for (n, result) in results.into_iter().enumerate() {
        assert!(
            matches!(result, Some(Error::InvalidInput(_))),
            "case {n}: {result:?}"
        );
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[tokio::test]
async fn caption_refusals_throttling_and_unknown_members() {
    let server = MockServer::start().await;
    let captions = captions(&server);
    let path = format!("{CAPTION}/understand/uploadSync");
    let params = CaptionParams::new("p");
    let url = "https://example.com/v.mp4";

    server.inject(
        FaultRule::new(
            Fault::status(200).with_body(r#"{"code":-1,"msg":"video too long","data":null}"#),
        )
        .path_prefix(&path)
        .times(1),
    );
    let err = captions.upload_sync(url, &params).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(code), message, .. }
            if code == "-1" && message == "video too long"),
        "{err:?}"
    );

    // A throttling code under 200 is retried, then reported.
    server.inject(
        FaultRule::new(
            Fault::status(200)
                .with_body(r#"{"code":"0429","msg":"Request has exceeded the limit."}"#),
        )
        .path_prefix(&path)
        .times(3),
    );
    server.clear_requests();
    let err = captions.upload_sync(url, &params).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 3);

    // Once throttling ends, a retry succeeds.
    server.inject(
        FaultRule::new(Fault::status(429))
            .path_prefix(&path)
            .times(1),
    );
    assert!(captions.upload_sync(url, &params).await.is_ok());

    // Newer members land in `extra`; a flat answer without `data` is read too.
    server.inject(
        FaultRule::new(Fault::status(200).with_body(
            r#"{"code":"0000","msg":"success","data":{"text":"x","token":{"input":"1","output":2,"total":3,"cached":0},"process_time":812,"upload_time":"40"},"success":true,"failed":false}"#,
        ))
        .path_prefix(&path)
        .times(1),
    );
    let caption = captions.upload_sync(url, &params).await.unwrap();
    assert_eq!(caption.text.as_deref(), Some("x"));
    assert_eq!(caption.extra["process_time"], 812);
    assert_eq!(caption.extra["upload_time"], "40");
    let token = caption.token.unwrap();
    assert_eq!(token.input, Some(1));
    assert_eq!(token.extra["cached"], 0);
    server.inject(
        FaultRule::new(
            Fault::status(200)
                .with_body(r#"{"status":0,"task_id":"t-1","text":"flat","token":{"total":9}}"#),
        )
        .path_prefix(&path)
        .times(1),
    );
    let flat = captions.upload_sync(url, &params).await.unwrap();
    assert_eq!(flat.task_id.as_deref(), Some("t-1"));
    assert_eq!(flat.text.as_deref(), Some("flat"));
    assert_eq!(flat.extra["status"], 0);
}

#[test]
fn every_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let captions = CaptionClient::new(CaptionConfig::new("k")).unwrap();
    let connect = connect_params(DEAD_CALLBACK);
    let params = CaptionParams::new("p");
    let path = std::path::Path::new("x.mp4");
    let understanding = client.stream_understanding();
    assert_send(&understanding.connect(&connect));
    assert_send(&understanding.stop("t"));
    assert_send(&captions.upload("https://a/v.mp4", "https://a/cb", &params));
    assert_send(&captions.upload_file(path, "https://a/cb", &params));
    assert_send(&captions.upload_sync("https://a/v.mp4", &params));
    assert_send(&captions.upload_file_sync(path, &params));
    assert_send(&captions.upload_img(&["https://a/i.png"], &params));
    assert_send(&captions.upload_img_file(&[path], &params));
    assert_send(&captions.upload_img_file_base64(path, &params));
}
