//! Every provider stream under the three faults a stream can meet on the way: the connection
//! cut in the middle of an event, one malformed event, and one event larger than the limit.
//!
//! Streams: memories-v1 `POST /chat_stream` (SSE), memories-v2 `POST /queries/stream` (SSE)
//! and the live audio WebSocket, TwelveLabs `POST /analyze` with `stream: true` (NDJSON) and
//! `POST /responses` with `stream: true` (SSE). Every cell runs over real HTTP against a fresh
//! `media-mock` and checks the items the stream yields (events delivered intact, then which
//! typed error, and whether the stream goes on after it), how many requests the server saw,
//! that the stream ended within its deadline, and that nothing panicked.
//!
//! How each fault is made:
//! - cut: `Fault::TruncatedBody` on the real route (half the body, then the connection
//!   closes); the test replays the same request without the fault to check that the half ends
//!   inside an event, and how many whole events precede it. WebSocket: the mock's
//!   `mock_fault=cut_mid_frame` session (a text frame that stops halfway, then the TCP close).
//! - malformed: `Fault::Raw` with the provider's own framing and one event whose JSON is cut;
//!   WebSocket: `mock_fault=bad_json`.
//! - oversized: `Fault::Raw` with one 1 MiB event while the client's `max_response_bytes` (the
//!   limit of media-core's event size guard and line codec) is 64 KiB; WebSocket:
//!   `mock_fault=oversized`, a frame header announcing 64 KiB + 1 bytes (the client's
//!   `max_response_bytes` + 1) and no payload, so a client without that limit would wait
//!   forever.
//!
//! The table in docs/reliability.md ("Streams and uploads under faults") is this test's
//! output: the test fails when they differ, and rewrites it with `MEDIA_UPDATE_DOCS=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use futures::future::join_all;
use futures::stream::BoxStream;
use media_mock::{Fault, FaultRule, MockServer, RecordedRequest, credentials};
use media_sdk::media_core::http::RetryPolicy;
use media_sdk::{Error, memories_v1, memories_v2, twelvelabs};

/// `max_response_bytes` in the oversized cells.
const LIMIT: usize = 64 * 1024;
/// The size of the oversized event, well past [`LIMIT`] (an event just past the limit and
/// arriving in one chunk is [`an_event_over_the_limit_inside_one_chunk_is_refused`]).
const HUGE: usize = 1024 * 1024;
/// Every stream must have ended (or failed to open) within this.
const DEADLINE: Duration = Duration::from_secs(15);
/// A parsed video of the mock's default memories-v1 namespace.
const BEACH: &str = "VI700000000000000001";
/// A TwelveLabs asset of the mock's seed.
const TL_ASSET: &str = "6298d673f1090f1100476d4c";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stream {
    V1Chat,
    V2Search,
    V2LiveAudio,
    TlAnalyze,
    TlResponses,
}

impl Stream {
    const ALL: [Stream; 5] = [
        Stream::V1Chat,
        Stream::V2Search,
        Stream::V2LiveAudio,
        Stream::TlAnalyze,
        Stream::TlResponses,
    ];

    fn name(self) -> &'static str {
        match self {
            Stream::V1Chat => "memories-v1 `POST /chat_stream` (SSE)",
            Stream::V2Search => "memories-v2 `POST /queries/stream` (SSE)",
            Stream::V2LiveAudio => "memories-v2 live audio (WebSocket)",
            Stream::TlAnalyze => "twelvelabs `POST /analyze` (NDJSON)",
            Stream::TlResponses => "twelvelabs `POST /responses` (SSE)",
        }
    }

    /// The path of the stream's request (the WebSocket has its own listener).
    fn path(self) -> &'static str {
        match self {
            Stream::V1Chat => "/memories-v1/serve/api/v1/chat_stream",
            Stream::V2Search => "/memories-v2/serve/api/v2/queries/stream",
            Stream::V2LiveAudio => "/serve/ws/v2/audio-stream",
            Stream::TlAnalyze => "/twelvelabs/v1.3/analyze",
            Stream::TlResponses => "/twelvelabs/v1.3/responses",
        }
    }

    fn is_ndjson(self) -> bool {
        self == Stream::TlAnalyze
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cut {
    MidEvent,
    Malformed,
    Oversized,
}

impl Cut {
    const ALL: [Cut; 3] = [Cut::MidEvent, Cut::Malformed, Cut::Oversized];

    fn name(self) -> &'static str {
        match self {
            Cut::MidEvent => "connection cut in the middle of an event",
            Cut::Malformed => "one malformed event",
            Cut::Oversized => "one event over the limit",
        }
    }
}

/// One item of a stream: the typed event, rendered, or the typed error.
type Item = Result<String, Error>;

fn render<T: std::fmt::Debug + Send + 'static>(
    stream: BoxStream<'static, media_sdk::Result<T>>,
) -> BoxStream<'static, Item> {
    stream
        .map(|item| item.map(|event| format!("{event:?}")))
        .boxed()
}

fn retry() -> RetryPolicy {
    RetryPolicy::default().with_initial_backoff(Duration::from_millis(10))
}

/// Opens `stream` on `server`; `ws_fault` is the WebSocket session's `mock_fault`.
async fn open(
    stream: Stream,
    server: &MockServer,
    max_bytes: usize,
    ws_fault: Option<&str>,
) -> media_sdk::Result<BoxStream<'static, Item>> {
    let timeout = Duration::from_secs(5);
    match stream {
        Stream::V1Chat => {
            let client = memories_v1::Client::new(
                memories_v1::Config::new(credentials::MEMORIES_API_KEY)
                    .base_url(server.memories_v1_url())
                    .retry(retry())
                    .timeout(timeout)
                    .max_response_bytes(max_bytes),
            )?;
            let params = memories_v1::ChatParams::new([BEACH], "When does the sun set?");
            Ok(render(client.chat().chat_stream(&params).await?))
        }
        Stream::V2Search | Stream::V2LiveAudio => {
            let mut config = memories_v2::Config::new(credentials::MEMORIES_API_KEY)
                .base_url(server.memories_v2_url())
                .retry(retry())
                .timeout(timeout)
                .max_response_bytes(max_bytes);
            if stream == Stream::V2Search {
                let client = memories_v2::Client::new(config)?;
                let params = memories_v2::agents::SearchParams::new("cold brew tutorials");
                return Ok(render(client.agents().search(&params).await?));
            }
            config = config.ws_url(server.memories_v2_ws_url().await);
            let client = memories_v2::Client::new(config)?;
            let mut params = memories_v2::live_audio::LiveAudioParams::new(
                memories_v2::transcriptions::SttProvider::ElevenLabs,
            );
            if let Some(fault) = ws_fault {
                params = params.param("mock_fault", fault);
                if fault == "oversized" {
                    // Just past the client's own limit: far below tungstenite's defaults.
                    params = params.param("mock_frame_bytes", (max_bytes + 1).to_string());
                }
            }
            let session = client.live_audio(&params).await?;
            Ok(futures::stream::unfold(session, |mut session| async move {
                let item = session.next_message().await?;
                Some((item.map(|message| format!("{message:?}")), session))
            })
            .boxed())
        }
        Stream::TlAnalyze | Stream::TlResponses => {
            let client = twelvelabs::Client::new(
                twelvelabs::Config::new(credentials::TWELVELABS_API_KEY)
                    .base_url(server.twelvelabs_url())
                    .retry(retry())
                    .timeout(timeout)
                    .max_response_bytes(max_bytes),
            )?;
            if stream == Stream::TlAnalyze {
                let request = twelvelabs::AnalyzeRequest::video(
                    twelvelabs::VideoContext::Url("https://x/v.mp4".into()),
                    "Tell me what happens in the video, scene by scene",
                );
                return Ok(render(client.analyze().stream(&request).await?));
            }
            let stores = client.knowledge_stores();
            let store = stores
                .create(&twelvelabs::CreateKnowledgeStoreRequest::new("s"))
                .await?;
            let item = stores
                .create_item(
                    &store.id,
                    &twelvelabs::CreateKnowledgeItemRequest::new(TL_ASSET),
                )
                .await?;
            let fast = twelvelabs::PollOptions::default()
                .interval(Duration::from_millis(5))
                .backoff(1.0);
            stores
                .wait_for_item(&store.id, &item.id, &fast, |_| {})
                .await?;
            let request = twelvelabs::CreateResponseRequest::new(&store.id, "Who scored?");
            Ok(render(client.responses().stream(&request).await?))
        }
    }
}

/// What one run of a stream observed.
struct Observed {
    items: Vec<Item>,
    /// Requests to the stream's endpoint (WebSocket: handshakes).
    requests: usize,
    elapsed: Duration,
}

/// Opens the stream and reads it to its end, in a task of its own so that a panic is caught
/// and reported as one, within [`DEADLINE`].
async fn run(
    stream: Stream,
    server: &std::sync::Arc<MockServer>,
    max_bytes: usize,
    ws_fault: Option<&'static str>,
) -> Observed {
    let started = Instant::now();
    let task = {
        let server = std::sync::Arc::clone(server);
        tokio::spawn(async move {
            let opened = open(stream, &server, max_bytes, ws_fault).await;
            match opened {
                Ok(items) => items.collect::<Vec<_>>().await,
                Err(error) => vec![Err(error)],
            }
        })
    };
    let items = match tokio::time::timeout(DEADLINE, task).await {
        Err(elapsed) => panic!(
            "{}: the stream did not end within {DEADLINE:?} ({elapsed})",
            stream.name()
        ),
        Ok(Err(join)) if join.is_panic() => panic!("{}: the stream panicked", stream.name()),
        Ok(Err(join)) => panic!("{}: the stream task failed: {join}", stream.name()),
        Ok(Ok(items)) => items,
    };
    let elapsed = started.elapsed();
    let requests = if stream == Stream::V2LiveAudio {
        server.memories_v2_ws_handshakes().len()
    } else {
        stream_requests(server, stream).len()
    };
    Observed {
        items,
        requests,
        elapsed,
    }
}

fn stream_requests(server: &MockServer, stream: Stream) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == stream.path())
        .collect()
}

/// Digits masked: two fresh mocks number things alike, but timestamps may differ.
fn normalized(event: &str) -> String {
    event
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Sends `request` again, without faults, and returns the whole body.
async fn replay(server: &MockServer, request: &RecordedRequest) -> Vec<u8> {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut url = format!("{}{}", server.url(), request.path);
    if let Some(query) = &request.query {
        url = format!("{url}?{query}");
    }
    let mut builder = http.request(request.method.parse().unwrap(), url);
    for (name, value) in &request.headers {
        if !matches!(
            name.as_str(),
            "host" | "content-length" | "connection" | "transfer-encoding"
        ) {
            builder = builder.header(name, value);
        }
    }
    let response = builder.body(request.body.clone()).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.unwrap().to_vec()
}

/// How many whole records (SSE events or NDJSON lines) `half` holds, checking that it ends
/// inside one.
fn whole_records_before_cut(stream: Stream, full: &[u8]) -> usize {
    let half = String::from_utf8_lossy(&full[..full.len() / 2]).into_owned();
    let separator = if stream.is_ndjson() { "\n" } else { "\n\n" };
    let whole = half.matches(separator).count();
    let rest = half.rsplit(separator).next().unwrap_or_default();
    assert!(
        !rest.trim().is_empty(),
        "{}: the body's half ends on a record boundary, not inside an event: {half:?}",
        stream.name()
    );
    whole
}

/// The provider's framing of four records, the second one being `middle`.
fn raw_stream(stream: Stream, middle: &str) -> Fault {
    let (content_type, body) = match stream {
        Stream::V1Chat => (
            "text/event-stream;charset=UTF-8",
            format!(
                "data:{{\"type\":\"thinking\",\"title\":\"t\",\"content\":\"c\",\"sessionId\":\"1\"}}\n\n\
                 data:{middle}\n\n\
                 data:{{\"type\":\"content\",\"role\":\"assistant\",\"content\":\"after\"}}\n\n\
                 data:\"Done\"\n\n"
            ),
        ),
        Stream::V2Search => (
            "text/event-stream",
            format!(
                "event: started\ndata: {{\"session_id\":\"s\"}}\n\n\
                 event: progress\ndata: {middle}\n\n\
                 event: progress\ndata: {{\"step\":2,\"max_steps\":10,\"message\":\"after\"}}\n\n\
                 event: clarification\ndata: {{\"question\":\"which?\"}}\n\n"
            ),
        ),
        Stream::TlAnalyze => (
            "application/x-ndjson",
            format!(
                "{{\"event_type\":\"stream_start\",\"metadata\":{{\"generation_id\":\"g\"}}}}\n\
                 {middle}\n\
                 {{\"event_type\":\"text_generation\",\"text\":\"after\"}}\n\
                 {{\"event_type\":\"stream_end\",\"finish_reason\":\"stop\",\"metadata\":{{\"generation_id\":\"g\"}}}}\n"
            ),
        ),
        Stream::TlResponses => (
            "text/event-stream",
            format!(
                "event: response.created\ndata: {{\"type\":\"response.created\",\"sequence_number\":0}}\n\n\
                 data: {middle}\n\n\
                 data: {{\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"delta\":\"after\"}}\n\n\
                 data: [DONE]\n\n"
            ),
        ),
        Stream::V2LiveAudio => unreachable!("the WebSocket has its own faults"),
    };
    Fault::Raw {
        status: 200,
        content_type: Some(content_type.into()),
        body: body.into_bytes(),
    }
}

/// The middle record: JSON cut short, or valid JSON of [`HUGE`] bytes.
fn middle(stream: Stream, cut: Cut) -> String {
    let text = match cut {
        Cut::Malformed => return malformed(stream).to_owned(),
        Cut::Oversized => "x".repeat(HUGE),
        Cut::MidEvent => unreachable!(),
    };
    match stream {
        Stream::V1Chat => format!(r#"{{"type":"content","role":"assistant","content":"{text}"}}"#),
        Stream::V2Search => format!(r#"{{"step":1,"max_steps":10,"message":"{text}"}}"#),
        Stream::TlAnalyze => format!(r#"{{"event_type":"text_generation","text":"{text}"}}"#),
        Stream::TlResponses => {
            format!(
                r#"{{"type":"response.output_text.delta","sequence_number":1,"delta":"{text}"}}"#
            )
        }
        Stream::V2LiveAudio => unreachable!(),
    }
}

/// The malformed record of each stream (its JSON ends in the middle of a string).
fn malformed(stream: Stream) -> &'static str {
    match stream {
        Stream::V1Chat => r#"{"type":"content","role":"assistant","content":"brok"#,
        Stream::V2Search => r#"{"step":1,"max_steps":10,"message":"brok"#,
        Stream::TlAnalyze => r#"{"event_type":"text_generation","text":"brok"#,
        Stream::TlResponses => {
            r#"{"type":"response.output_text.delta","sequence_number":1,"delta":"brok"#
        }
        Stream::V2LiveAudio => r#"{"message_type":"partial_transcript","text":"heard"#,
    }
}

/// Runs one cell, checks it, and returns its table text.
async fn cell(stream: Stream, cut: Cut) -> String {
    let server = std::sync::Arc::new(MockServer::start().await);
    let rule = |fault: Fault| {
        FaultRule::new(fault)
            .method("POST")
            .path_prefix(stream.path())
            .times(1)
    };
    let what = format!("{} / {}", stream.name(), cut.name());
    let observed = match (stream, cut) {
        (Stream::V2LiveAudio, Cut::MidEvent) => {
            run(stream, &server, LIMIT, Some("cut_mid_frame")).await
        }
        (Stream::V2LiveAudio, Cut::Malformed) => {
            run(stream, &server, LIMIT, Some("bad_json")).await
        }
        (Stream::V2LiveAudio, Cut::Oversized) => {
            run(stream, &server, LIMIT, Some("oversized")).await
        }
        (_, Cut::MidEvent) => {
            server.inject(rule(Fault::TruncatedBody));
            run(stream, &server, 64 << 20, None).await
        }
        (_, Cut::Malformed | Cut::Oversized) => {
            server.inject(rule(raw_stream(stream, &middle(stream, cut))));
            let max_bytes = if cut == Cut::Oversized {
                LIMIT
            } else {
                64 << 20
            };
            run(stream, &server, max_bytes, None).await
        }
    };
    assert!(
        observed.elapsed < DEADLINE,
        "{what}: {:?}",
        observed.elapsed
    );
    assert_eq!(observed.requests, 1, "{what}: requests");
    let items = &observed.items;
    let kinds: Vec<String> = items.iter().map(kind).collect();

    match (stream, cut) {
        (Stream::V2LiveAudio, Cut::MidEvent) => {
            assert_eq!(kinds, ["ok", "Transport"], "{what}: {items:?}");
            assert!(started_ok(&items[0]), "{what}: {items:?}");
        }
        (Stream::V2LiveAudio, Cut::Malformed) => {
            // Not an error: a text frame that is not JSON is delivered as `LiveMessage::Text`,
            // as sent, and the session goes on.
            assert_eq!(kinds, ["ok", "ok", "ok"], "{what}: {items:?}");
            let text = items[1].as_ref().unwrap();
            assert!(text.starts_with("Text("), "{what}: {text}");
            assert!(text.contains("heard"), "{what}: {text}");
            assert!(
                items[2].as_ref().unwrap().contains("after the bad frame"),
                "{what}: {items:?}"
            );
        }
        (Stream::V2LiveAudio, Cut::Oversized) => {
            assert_eq!(kinds, ["ok", "Transport"], "{what}: {items:?}");
            let message = items[1].as_ref().unwrap_err().to_string();
            assert!(message.contains("too long"), "{what}: {message}");
        }
        (_, Cut::MidEvent) => {
            // The same call on a fresh mock, without the fault, and the same request replayed:
            // how many whole events precede the cut, and what they are.
            let baseline_server = std::sync::Arc::new(MockServer::start().await);
            let baseline = run(stream, &baseline_server, 64 << 20, None).await;
            assert!(
                baseline.items.iter().all(Result::is_ok) && baseline.items.len() > 2,
                "{what}: baseline {:?}",
                baseline.items
            );
            let sent = stream_requests(&server, stream).pop().unwrap();
            let whole = whole_records_before_cut(stream, &replay(&server, &sent).await);
            assert!(whole >= 1, "{what}: no whole event before the cut");
            assert_eq!(items.len(), whole + 1, "{what}: {items:?}");
            for (got, want) in items.iter().zip(&baseline.items).take(whole) {
                assert_eq!(
                    normalized(got.as_ref().unwrap()),
                    normalized(want.as_ref().unwrap()),
                    "{what}: an event before the cut changed"
                );
            }
            assert!(
                matches!(
                    items.last(),
                    Some(Err(Error::Transport { connect: false, .. }))
                ),
                "{what}: {:?}",
                items.last()
            );
        }
        (_, Cut::Malformed) => {
            let expected: &[&str] = match stream {
                // memories-v1 chat and the memories-v2 search end at their first broken event.
                Stream::V1Chat | Stream::V2Search => &["ok", "Decode"],
                // NDJSON and /responses report the broken event and go on.
                _ => &["ok", "Decode", "ok", "ok"],
            };
            let expected: Vec<&str> = if stream == Stream::TlResponses {
                // `[DONE]` ends it and is not an item.
                expected[..3].to_vec()
            } else {
                expected.to_vec()
            };
            assert_eq!(kinds, expected, "{what}: {items:?}");
            let Err(Error::Decode { body_snippet, .. }) = &items[1] else {
                unreachable!()
            };
            assert!(
                body_snippet.contains("brok"),
                "{what}: the error does not show the broken event: {body_snippet:?}"
            );
            if expected.len() > 2 {
                assert!(items[2].as_ref().unwrap().contains("after"), "{what}");
            }
        }
        (_, Cut::Oversized) => {
            assert_eq!(kinds, ["ok", "Decode"], "{what}: {items:?}");
            let message = items[1].as_ref().unwrap_err().to_string();
            assert!(
                message.contains(&format!("limit of {LIMIT} bytes")),
                "{what}: {message}"
            );
        }
    }
    format!("{} · {} req", summary(&kinds), observed.requests)
}

fn started_ok(item: &Item) -> bool {
    item.as_ref()
        .is_ok_and(|m| m.starts_with("Json(") && m.contains("session_started"))
}

fn kind(item: &Item) -> String {
    match item {
        Ok(_) => "ok".into(),
        Err(Error::Transport { .. }) => "Transport".into(),
        Err(Error::Decode { .. }) => "Decode".into(),
        Err(Error::Timeout { .. }) => "Timeout".into(),
        Err(Error::Api { http_status, .. }) => format!("Api {http_status}"),
        Err(other) => format!("{other:?}"),
    }
}

/// `2 ok, Transport, end`: consecutive events counted, errors named.
fn summary(kinds: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut oks = 0;
    for kind in kinds {
        if kind == "ok" {
            oks += 1;
            continue;
        }
        if oks > 0 {
            parts.push(format!("{oks} ok"));
            oks = 0;
        }
        parts.push(kind.clone());
    }
    if oks > 0 {
        parts.push(format!("{oks} ok"));
    }
    parts.push("end".into());
    parts.join(", ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_stream_under_every_fault() {
    let cells = Stream::ALL.iter().flat_map(|&stream| {
        Cut::ALL
            .iter()
            .map(move |&cut| async move { cell(stream, cut).await })
    });
    let texts = join_all(cells).await;

    let mut table = String::from("| stream |");
    for cut in Cut::ALL {
        let _ = write!(table, " {} |", cut.name());
    }
    table.push_str("\n|---|");
    for _ in Cut::ALL {
        table.push_str("---|");
    }
    table.push('\n');
    for (row, stream) in Stream::ALL.iter().enumerate() {
        let _ = write!(table, "| {} |", stream.name());
        for column in 0..Cut::ALL.len() {
            let _ = write!(table, " {} |", texts[row * Cut::ALL.len() + column]);
        }
        table.push('\n');
    }
    common::check_reliability_doc("stream-faults", &table);
}

/// An event over the limit that arrives whole in one chunk, followed by its blank line, is
/// refused: media-core's SSE size guard counts byte by byte, not at chunk ends.
#[tokio::test]
async fn an_event_over_the_limit_inside_one_chunk_is_refused() {
    let server = MockServer::start().await;
    let event = format!(
        r#"{{"type":"response.output_text.delta","sequence_number":1,"delta":"{}"}}"#,
        "x".repeat(4096)
    );
    server.inject(
        FaultRule::new(raw_stream(Stream::TlResponses, &event))
            .path_prefix(Stream::TlResponses.path()),
    );
    let client = twelvelabs::Client::new(
        twelvelabs::Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .max_response_bytes(1024),
    )
    .unwrap();
    let request = twelvelabs::CreateResponseRequest::new("ks_1", "x");
    let items: Vec<_> = tokio::time::timeout(DEADLINE, async {
        client
            .responses()
            .stream(&request)
            .await
            .unwrap()
            .collect::<Vec<_>>()
            .await
    })
    .await
    .unwrap();
    let kinds: Vec<String> = items
        .into_iter()
        .map(|item| kind(&item.map(|event| format!("{event:?}"))))
        .collect();
    assert_eq!(kinds, ["ok", "Decode"]);
}
