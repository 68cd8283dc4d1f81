//! Streamed request and response bodies over real HTTP against media-mock's
//! provider-neutral `/_mock` routes: multipart and file uploads from disk,
//! SSE, NDJSON, lines, downloads to disk, and the idle deadlines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_pass_by_value,
    clippy::cast_possible_truncation,
    clippy::format_collect
)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{StreamExt as _, TryStreamExt as _};
use media_core::http::{
    ApiRequest, Engine, FilePart, HttpSettings, Multipart, NoAuth, RawResponse, RetryPolicy,
    SaveOptions,
};
use media_core::{Error, ProgressFn, Provider, Result, UploadProgress};
use media_mock::{Fault, FaultRule, MockServer, pattern_byte};
use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn engine(server: &MockServer) -> Engine {
    engine_with(server, |settings| settings)
}

fn engine_with(server: &MockServer, tune: impl FnOnce(HttpSettings) -> HttpSettings) -> Engine {
    let mut settings = HttpSettings::new(format!("{}/_mock", server.url()), "media-core-tests/0");
    settings.retry = RetryPolicy::default().with_initial_backoff(Duration::from_millis(5));
    Engine::new(Provider::TwelveLabs, &tune(settings), Arc::new(NoAuth)).unwrap()
}

fn json(raw: RawResponse) -> Result<Value> {
    if raw.is_success() {
        raw.json()
    } else {
        Err(raw.error_without_envelope())
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write_file(dir: &tempfile::TempDir, name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

fn recorder() -> (ProgressFn, Arc<Mutex<Vec<UploadProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (ProgressFn::new(move |p| sink.lock().unwrap().push(p)), seen)
}

#[tokio::test]
async fn a_multipart_form_streams_its_file_from_disk_with_progress() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = write_file(&dir, "clip.mp4", 300_000);
    let (progress, seen) = recorder();
    let form = Multipart::new()
        .text("unique_id", "default")
        .text("tags", "a")
        .text("tags", "b")
        .file("file", FilePart::new(&path));
    let request = ApiRequest::post("/echo").multipart(form).progress(progress);
    let echo = engine(&server).execute(&request, json).await.unwrap();

    assert!(
        echo["content_type"]
            .as_str()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let parts = echo["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[0]["name"], "unique_id");
    assert_eq!(parts[0]["text"], "default");
    assert_eq!(
        (parts[1]["text"].as_str(), parts[2]["text"].as_str()),
        (Some("a"), Some("b"))
    );
    assert_eq!(parts[3]["name"], "file");
    assert_eq!(parts[3]["file_name"], "clip.mp4");
    assert_eq!(parts[3]["content_type"], "video/mp4");
    assert_eq!(parts[3]["bytes"], 300_000);
    assert_eq!(parts[3]["sha256"], hex_digest(&bytes));
    // The length is known up front, so the body is not chunked.
    assert!(echo["content_length"].as_u64().unwrap() > 300_000);

    let seen = seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!(
        (last.bytes_sent, last.total_bytes),
        (300_000, Some(300_000))
    );
    assert!(seen.windows(2).all(|w| w[0].bytes_sent <= w[1].bytes_sent));
}

#[tokio::test]
async fn a_file_range_is_sent_raw_to_an_absolute_url_without_credentials() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = write_file(&dir, "big.bin", 250_000);
    let url = format!("{}/_mock/echo?X-Amz-Signature=abc", server.url());
    let request =
        ApiRequest::absolute(Method::PUT, &url).file(FilePart::new(&path).range(100_000, 50_000));
    let auth =
        Arc::new(media_core::http::HeaderKey::new("x-api-key", "secret-key-1".into()).unwrap());
    let engine = Engine::new(
        Provider::TwelveLabs,
        &HttpSettings::new(format!("{}/twelvelabs/v1.3", server.url()), "t/0"),
        auth,
    )
    .unwrap();
    let echo = engine.execute(&request, json).await.unwrap();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["content_type"], "application/octet-stream");
    assert_eq!(echo["content_length"], 50_000);
    assert_eq!(echo["sha256"], hex_digest(&bytes[100_000..150_000]));
    let recorded = server.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].path, "/_mock/echo");
    assert_eq!(recorded[0].header("x-api-key"), None);
}

#[tokio::test]
async fn absolute_urls_must_be_https_off_loopback_and_ranges_inside_the_file() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = write_file(&dir, "a.bin", 10);
    let engine = engine(&server);
    let plain =
        ApiRequest::absolute(Method::PUT, "http://example.com/upload").file(FilePart::new(&path));
    assert!(matches!(
        engine.execute(&plain, json).await,
        Err(Error::InvalidInput(_))
    ));
    let past_end = ApiRequest::put("/echo").file(FilePart::new(&path).range(8, 4));
    assert!(matches!(
        engine.execute(&past_end, json).await,
        Err(Error::InvalidInput(_))
    ));
    let missing = ApiRequest::put("/echo").file(FilePart::new(dir.path().join("nope.bin")));
    assert!(matches!(
        engine.execute(&missing, json).await,
        Err(Error::Io(_))
    ));
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_retried_upload_re_reads_the_file_and_sends_every_byte_again() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(503))
            .path_prefix("/_mock/echo")
            .times(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = write_file(&dir, "a.bin", 100_000);
    let request = ApiRequest::put("/echo").file(FilePart::new(&path));
    let echo = engine(&server).execute(&request, json).await.unwrap();
    assert_eq!(echo["sha256"], hex_digest(&bytes));
    let recorded = server.requests();
    assert_eq!(recorded.len(), 2);
    assert!(recorded.iter().all(|r| r.body.len() == 100_000));
}

#[tokio::test]
async fn server_sent_events_arrive_in_order_with_their_fields() {
    let server = MockServer::start().await;
    let body = engine(&server)
        .stream(
            &ApiRequest::get("/sse")
                .query("events", 3)
                .query("size", 5)
                .query("end", "[DONE]"),
            json,
        )
        .await
        .unwrap();
    assert_eq!(body.content_type(), Some("text/event-stream"));
    assert!(!body.is_json());
    let events: Vec<_> = body.sse().try_collect().await.unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0].event, "token");
    assert_eq!(events[0].id, "0");
    assert_eq!(events[2].data, "xxxxx");
    assert_eq!(events[3].data, "[DONE]");
}

#[tokio::test]
async fn an_oversized_event_is_an_error_not_unbounded_memory() {
    let server = MockServer::start().await;
    let engine = engine_with(&server, |mut s| {
        s.max_response_bytes = 1024;
        s
    });
    let body = engine
        .stream(
            &ApiRequest::get("/sse")
                .query("events", 2)
                .query("size", 4096),
            json,
        )
        .await
        .unwrap();
    let items: Vec<_> = body.sse().collect().await;
    assert!(
        matches!(items.last(), Some(Err(Error::Decode { message, .. })) if message.contains("exceeds")),
        "{items:?}"
    );
}

#[tokio::test]
async fn ndjson_lines_decode_one_by_one() {
    #[derive(serde::Deserialize)]
    struct Line {
        seq: u32,
        text: String,
    }
    let server = MockServer::start().await;
    let body = engine(&server)
        .stream(&ApiRequest::get("/ndjson").query("lines", 500), json)
        .await
        .unwrap();
    let lines: Vec<Line> = body.ndjson().try_collect().await.unwrap();
    assert_eq!(lines.len(), 500);
    assert_eq!(lines[499].seq, 499);
    assert_eq!(lines[7].text, "line 7");
}

#[tokio::test]
async fn an_error_status_goes_through_the_decoder_and_is_retried() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::status(502))
            .path_prefix("/_mock/sse")
            .times(1),
    );
    server.inject(
        FaultRule::new(Fault::status(404).with_body(r#"{"code":"resource_not_exist"}"#))
            .path_prefix("/_mock/ndjson")
            .times(1),
    );
    let engine = engine(&server);
    let body = engine
        .stream(&ApiRequest::get("/sse").query("events", 1), json)
        .await
        .unwrap();
    assert_eq!(body.sse().count().await, 1);
    let missing = engine
        .stream(&ApiRequest::get("/ndjson").query("lines", 1), json)
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_download_lands_whole_and_never_clobbers_unless_asked() {
    let server = MockServer::start().await;
    let engine = engine(&server);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("video.mp4");
    let (progress, seen) = recorder();
    let request = ApiRequest::get("/bytes")
        .query("size", 1_000_003)
        .query("chunk", 65_536);
    let written = engine
        .stream(&request, json)
        .await
        .unwrap()
        .save_to(&target, SaveOptions::new(), Some(progress))
        .await
        .unwrap();
    assert_eq!(written, 1_000_003);
    let saved = std::fs::read(&target).unwrap();
    assert_eq!(saved.len(), 1_000_003);
    assert!(
        saved
            .iter()
            .enumerate()
            .all(|(i, b)| *b == pattern_byte(i as u64))
    );
    assert_eq!(
        seen.lock().unwrap().last().unwrap().total_bytes,
        Some(1_000_003)
    );

    let again = engine
        .stream(&request, json)
        .await
        .unwrap()
        .save_to(&target, SaveOptions::new(), None)
        .await;
    assert!(
        matches!(again, Err(Error::Io(ref e)) if e.kind() == std::io::ErrorKind::AlreadyExists)
    );
    let small = ApiRequest::get("/bytes").query("size", 10);
    let replaced = engine
        .stream(&small, json)
        .await
        .unwrap()
        .save_to(&target, SaveOptions::new().overwrite(true), None)
        .await
        .unwrap();
    assert_eq!(replaced, 10);
    assert_eq!(std::fs::read(&target).unwrap().len(), 10);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[tokio::test]
async fn a_cut_download_leaves_no_file() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::TruncatedBody)
            .path_prefix("/_mock/bytes")
            .times(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("cut.bin");
    let result = engine(&server)
        .stream(&ApiRequest::get("/bytes").query("size", 200_000), json)
        .await
        .unwrap()
        .save_to(&target, SaveOptions::new(), None)
        .await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn a_stalled_stream_ends_at_the_idle_deadline() {
    let server = MockServer::start().await;
    let engine = engine_with(&server, |mut s| {
        s.timeout = Duration::from_millis(300);
        s
    });
    let started = Instant::now();
    let body = engine
        .stream(&ApiRequest::get("/stall").query("after", 10), json)
        .await
        .unwrap();
    let items: Vec<_> = body.bytes().collect().await;
    assert!(matches!(items.first(), Some(Ok(chunk)) if chunk.len() == 10));
    assert!(
        matches!(items.last(), Some(Err(Error::Timeout { .. }))),
        "{items:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_long_stream_outlives_the_request_deadline_while_data_flows() {
    let server = MockServer::start().await;
    let engine = engine_with(&server, |mut s| {
        s.timeout = Duration::from_millis(400);
        s
    });
    let started = Instant::now();
    let body = engine
        .stream(
            &ApiRequest::get("/sse")
                .query("events", 8)
                .query("every_ms", 100),
            json,
        )
        .await
        .unwrap();
    let events = body.sse().try_collect::<Vec<_>>().await.unwrap();
    assert_eq!(events.len(), 8);
    assert!(
        started.elapsed() > Duration::from_millis(400),
        "the stream outlived the deadline"
    );
}

#[tokio::test]
async fn an_event_stream_cut_mid_event_ends_with_a_transport_error() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::TruncatedBody)
            .path_prefix("/_mock/sse")
            .times(1),
    );
    let body = engine(&server)
        .stream(&ApiRequest::get("/sse").query("events", 50), json)
        .await
        .unwrap();
    let items: Vec<_> = body.sse().collect().await;
    assert!(items.len() < 51, "{} items", items.len());
    assert!(items[..items.len() - 1].iter().all(Result::is_ok));
    assert!(
        matches!(items.last(), Some(Err(Error::Transport { .. }))),
        "{:?}",
        items.last()
    );
}
