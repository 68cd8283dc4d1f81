//! Property tests: arbitrary bytes, cut into arbitrary chunks, never make the
//! stream parsers, the response helpers or the quirk readers panic, and
//! well-formed input always comes back intact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::format_collect)]

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt as _;
use media_core::http::{RawResponse, StreamingBody};
use media_core::{Provider, Result};
use proptest::prelude::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

fn config() -> ProptestConfig {
    // Enough cases to matter, few enough to keep CI fast.
    ProptestConfig::with_cases(128)
}

/// `bytes` served in chunks cut at `cuts`, as a streamed body.
fn body(bytes: &[u8], cuts: &[usize], limit: usize) -> StreamingBody {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    for point in points {
        if point > start {
            chunks.push(Ok::<_, std::io::Error>(Bytes::copy_from_slice(
                &bytes[start..point],
            )));
            start = point;
        }
    }
    chunks.push(Ok(Bytes::copy_from_slice(&bytes[start..])));
    let stream = futures::stream::iter(chunks);
    let response = http::Response::new(reqwest::Body::wrap_stream(stream));
    StreamingBody::from_response(
        Provider::TwelveLabs,
        reqwest::Response::from(response),
        Duration::from_secs(5),
        limit,
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                        cuts in proptest::collection::vec(any::<usize>(), 0..8),
                        limit in 1usize..512) {
        runtime().block_on(async {
            let items: Vec<Result<_>> = body(&bytes, &cuts, limit).sse().collect().await;
            // An oversized event ends the stream with one error.
            let errors = items.iter().filter(|item| item.is_err()).count();
            assert!(errors <= 1 && (errors == 0 || items.last().is_some_and(Result::is_err)));
        });
    }

    #[test]
    fn ndjson_and_lines_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                    cuts in proptest::collection::vec(any::<usize>(), 0..8),
                                    limit in 1usize..512) {
        runtime().block_on(async {
            let _: Vec<Result<serde_json::Value>> = body(&bytes, &cuts, limit).ndjson().collect().await;
            let _: Vec<Result<String>> = body(&bytes, &cuts, limit).lines().collect().await;
        });
    }

    #[test]
    fn well_formed_ndjson_survives_any_chunking(values in proptest::collection::vec(any::<(u32, String)>(), 0..40),
                                                cuts in proptest::collection::vec(any::<usize>(), 0..16)) {
        let text: String = values
            .iter()
            .map(|(n, s)| format!("{}\n", serde_json::json!({"n": n, "s": s})))
            .collect();
        let decoded: Vec<serde_json::Value> = runtime().block_on(async {
            body(text.as_bytes(), &cuts, 1 << 20)
                .ndjson()
                .map(|item| item.unwrap())
                .collect()
                .await
        });
        prop_assert_eq!(decoded.len(), values.len());
        for (value, (n, s)) in decoded.iter().zip(&values) {
            prop_assert_eq!(&value["n"], &serde_json::json!(n));
            prop_assert_eq!(&value["s"], &serde_json::json!(s));
        }
    }

    #[test]
    fn well_formed_sse_survives_any_chunking(datas in proptest::collection::vec("[^\r\n]{0,40}", 1..20),
                                             cuts in proptest::collection::vec(any::<usize>(), 0..16)) {
        let text: String = datas.iter().map(|d| format!("data: {d}\n\n")).collect();
        let events: Vec<String> = runtime().block_on(async {
            body(text.as_bytes(), &cuts, 1 << 20)
                .sse()
                .map(|event| event.unwrap().data)
                .collect()
                .await
        });
        // A `data:` line, even an empty one, always makes an event.
        prop_assert_eq!(events, datas);
    }

    #[test]
    fn response_helpers_never_panic(status in 100u16..600,
                                    bytes in proptest::collection::vec(any::<u8>(), 0..1024),
                                    retry_after in ".{0,40}") {
        let mut headers = HeaderMap::new();
        if let Ok(value) = retry_after.parse() {
            headers.insert("retry-after", value);
        }
        let raw = RawResponse {
            provider: Provider::MemoriesV1,
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::from(bytes),
        };
        let _ = raw.json::<serde_json::Value>();
        let _ = raw.snippet();
        let _ = raw.retry_after();
        let _ = raw.request_id();
        let _ = raw.error(Some("x".into()), "m").to_string();
        let _ = raw.error_without_envelope().to_string();
    }

    #[test]
    fn quirk_readers_never_panic(json in arbitrary_json()) {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Quirks {
            #[serde(default, deserialize_with = "media_core::de::opt_u64")]
            a: Option<u64>,
            #[serde(default, deserialize_with = "media_core::de::opt_f64")]
            b: Option<f64>,
            #[serde(default, deserialize_with = "media_core::de::opt_epoch_ms")]
            c: Option<chrono::DateTime<chrono::Utc>>,
            #[serde(default, deserialize_with = "media_core::de::opt_epoch_secs")]
            d: Option<chrono::DateTime<chrono::Utc>>,
            #[serde(default, deserialize_with = "media_core::de::opt_null_string")]
            e: Option<String>,
            #[serde(default, deserialize_with = "media_core::de::opt_i64")]
            f: Option<i64>,
        }
        let object = serde_json::json!({"a": json, "b": json, "c": json, "d": json, "e": json, "f": json});
        let _ = serde_json::from_value::<Quirks>(object);
    }
}

/// Any JSON value, nested a few levels, with numbers and strings that look like numbers.
fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "[0-9eE+.-]{0,30}".prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::hash_map(".{0,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
