//! Criterion micro benchmarks: NCP signing, decoding the seed example
//! payloads, and SSE / NDJSON parsing throughput.
//!
//! `media_core::http::StreamingBody` has no public constructor, so the
//! stream benchmarks read real responses of an in-process media-mock over
//! loopback (`/_mock/sse`, `/_mock/ndjson`); the `*/bytes` entries read the
//! same responses without parsing, the transport floor of each.

// A benchmark must stop loudly when a fixture or the loopback mock breaks.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt as _;
use media_core::Provider;
use media_core::http::{ApiRequest, Auth as _, Engine, HttpSettings, NoAuth};
use ncp_mi::FixedClock;
use ncp_mi::signature::Signer;
use serde::Deserialize;

/// Seed 000: memories.ai v2 Get Asset Metadata.
const SEED_000: &str = include_str!("fixtures/seed_000_memories_v2_asset_metadata.json");
/// Seed 001: memories.ai v1 Get Video Metadata.
const SEED_001: &str = include_str!("fixtures/seed_001_memories_v1_get_metadata.json");
/// Seed 002: TwelveLabs Retrieve an asset.
const SEED_002: &str = include_str!("fixtures/seed_002_twelvelabs_asset.json");
/// Seed 003: memories.ai v2 frame extraction callback (built from the documented fields).
const SEED_003: &str = include_str!("fixtures/seed_003_memories_v2_frames_callback.json");
/// Seed 004: NCP Media Intelligence Get media asset list.
const SEED_004: &str = include_str!("fixtures/seed_004_ncp_mi_asset_list.json");

/// SSE events per response, and their `data` size.
const SSE_EVENTS: usize = 2_000;
const SSE_DATA_BYTES: usize = 1024;
/// NDJSON lines per response.
const NDJSON_LINES: usize = 20_000;

/// `{"data": T}`: the memories.ai envelope (the crates' own envelope readers are private).
#[derive(Deserialize)]
struct DataEnvelope<T> {
    data: T,
}

/// `{"result": T}`: the NCP envelope.
#[derive(Deserialize)]
struct ResultEnvelope<T> {
    result: T,
}

/// One `/_mock/ndjson` line.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Line {
    seq: u64,
    text: String,
}

fn signing(c: &mut Criterion) {
    let signer = Signer::new(
        &"MOCKACCESSKEY0001".into(),
        &"MOCKSECRETKEY0001MOCKSECRETKEY0001".into(),
        Arc::new(FixedClock::new(1_735_689_600_000)),
    )
    .expect("the mock keys are valid");
    let uri = "/api/v1/workspaces/my-workspace/projects/1234/assets?pageNum=1&pageSize=100";
    let mut group = c.benchmark_group("ncp_signing");
    group.bench_function("signature", |b| {
        b.iter(|| black_box(signer.signature("GET", black_box(uri), 1_735_689_600_000)));
    });
    let url = reqwest::Url::parse(&format!("https://mi.apigw.ntruss.com{uri}")).expect("a URL");
    group.bench_function("sign_request", |b| {
        b.iter_batched(
            || reqwest::Request::new(reqwest::Method::GET, url.clone()),
            |mut request| {
                signer.sign(&mut request).expect("signing succeeds");
                request
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

fn decoding(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_seed");
    let mut bench = |name: &str, payload: &'static str, decode: fn(&str)| {
        decode(payload); // Fails loudly before measuring when a fixture stops decoding.
        group.throughput(Throughput::Bytes(payload.len() as u64));
        group.bench_function(name, |b| b.iter(|| decode(black_box(payload))));
    };
    bench("000_memories_v2_asset_metadata", SEED_000, |text| {
        let decoded: DataEnvelope<memories_v2::AssetMetadata> =
            serde_json::from_str(text).expect("seed 000 decodes");
        black_box(decoded.data);
    });
    bench("001_memories_v1_video_metadata", SEED_001, |text| {
        let decoded: DataEnvelope<memories_v1::VideoMetadata> =
            serde_json::from_str(text).expect("seed 001 decodes");
        black_box(decoded.data);
    });
    bench("002_twelvelabs_asset", SEED_002, |text| {
        let decoded: twelvelabs::Asset = serde_json::from_str(text).expect("seed 002 decodes");
        black_box(decoded);
    });
    bench("003_memories_v2_frames_callback", SEED_003, |text| {
        let event = memories_v2::parse_webhook(text.as_bytes()).expect("seed 003 parses");
        black_box(event.payload().expect("seed 003 is a frames payload"));
    });
    bench("004_ncp_mi_asset_list", SEED_004, |text| {
        let decoded: ResultEnvelope<ncp_mi::AssetList> =
            serde_json::from_str(text).expect("seed 004 decodes");
        black_box(decoded.result);
    });
    group.finish();
}

/// The exact size of the `/_mock/sse` body for `events` events of `size` bytes.
fn sse_body_bytes(events: usize, size: usize) -> u64 {
    (0..events)
        .map(|i| format!("id: {i}\nevent: token\ndata: {}\n\n", "x".repeat(size)).len() as u64)
        .sum()
}

/// The exact size of the `/_mock/ndjson` body for `lines` lines.
fn ndjson_body_bytes(lines: usize) -> u64 {
    (0..lines)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({"seq": i, "text": format!("line {i}")})
            )
            .len() as u64
        })
        .sum()
}

fn streams(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
    let server = runtime.block_on(media_mock::MockServer::start());
    let settings = HttpSettings::new(format!("{}/_mock", server.url()), "media-bench/0.1");
    let engine = Engine::new(Provider::MemoriesV2, &settings, Arc::new(NoAuth)).expect("an engine");
    let sse = ApiRequest::get("/sse")
        .query("events", SSE_EVENTS)
        .query("size", SSE_DATA_BYTES);
    let ndjson = ApiRequest::get("/ndjson").query("lines", NDJSON_LINES);
    let open = |request: &ApiRequest| {
        let engine = engine.clone();
        let request = request.clone();
        async move {
            engine
                .stream(&request, |raw| Err::<(), _>(raw.error_without_envelope()))
                .await
                .expect("the mock streams")
        }
    };

    let mut group = c.benchmark_group("streams");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));

    group.throughput(Throughput::Bytes(sse_body_bytes(
        SSE_EVENTS,
        SSE_DATA_BYTES,
    )));
    group.bench_function("sse/parse", |b| {
        b.to_async(&runtime).iter(|| async {
            let events = open(&sse).await.sse().fold(0usize, |n, event| async move {
                black_box(event.expect("an event"));
                n + 1
            });
            assert_eq!(events.await, SSE_EVENTS);
        });
    });
    group.bench_function("sse/bytes", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut chunks = open(&sse).await.bytes();
            while let Some(chunk) = chunks.next().await {
                black_box(chunk.expect("a chunk"));
            }
        });
    });

    group.throughput(Throughput::Bytes(ndjson_body_bytes(NDJSON_LINES)));
    group.bench_function("ndjson/parse", |b| {
        b.to_async(&runtime).iter(|| async {
            let lines = open(&ndjson)
                .await
                .ndjson::<Line>()
                .fold(0usize, |n, line| async move {
                    black_box(line.expect("a line"));
                    n + 1
                });
            assert_eq!(lines.await, NDJSON_LINES);
        });
    });
    group.bench_function("ndjson/bytes", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut chunks = open(&ndjson).await.bytes();
            while let Some(chunk) = chunks.next().await {
                black_box(chunk.expect("a chunk"));
            }
        });
    });
    group.finish();
    drop(server);
}

/// Signing and decoding take a microsecond or so: a second holds hundreds of
/// thousands of iterations.
fn config() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(1))
        .warm_up_time(Duration::from_millis(300))
}

criterion_group! {
    name = micro;
    config = config();
    targets = signing, decoding, streams
}
criterion_main!(micro);
