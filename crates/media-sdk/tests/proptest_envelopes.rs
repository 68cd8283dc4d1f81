//! Property tests of every provider's envelope decoder through the real
//! request path: whatever status, content type and bytes come back, the call
//! ends in a value or a typed error, never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use media_mock::{Fault, FaultRule, MockServer};
use media_sdk::Error;
use proptest::prelude::*;

mod common;
use common::{Tuning, probes, reader};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// JSON shaped like the providers' envelopes: their keys, any values.
fn envelope_json() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        Just("code"),
        Just("msg"),
        Just("message"),
        Just("data"),
        Just("success"),
        Just("failed"),
        Just("result"),
        Just("responseError"),
        Just("error"),
        Just("errorCode"),
        Just("details"),
        Just("_id"),
        Just("status"),
        Just("total"),
        Just("resource"),
        Just("content"),
        Just("totalCount"),
        Just("page_info"),
        Just("video_no"),
        Just("asset_id"),
        Just("assetId"),
        Just("duration"),
        Just("size"),
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        prop_oneof![
            Just("0000"),
            Just("0"),
            Just("200"),
            Just("0429"),
            Just("null"),
            Just("ready"),
            Just("")
        ]
        .prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 24, 5, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| {
                serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        envelope_json().prop_map(|v| v.to_string().into_bytes()),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json".to_owned())),
        Just(Some("text/html".to_owned())),
        Just(Some("text/plain; charset=utf-8".to_owned())),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(201),
        Just(204),
        Just(400),
        Just(401),
        Just(403),
        Just(404),
        Just(409),
        Just(410),
        Just(429),
        Just(500),
        Just(502),
        Just(503),
        100u16..600,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_answer_becomes_a_value_or_a_typed_error(status in status(), content_type in content_type(), body in body()) {
        runtime().block_on(async {
            let server = MockServer::start().await;
            for probe in probes() {
                server.inject(
                    FaultRule::new(Fault::Raw { status, content_type: content_type.clone(), body: body.clone() })
                        .path_prefix(probe.path_prefix)
                        .times(1),
                );
                let client = reader(&server.url(), probe, Tuning { no_retries: true, timeout: Duration::from_secs(5), ..Tuning::default() });
                let outcome = tokio::time::timeout(Duration::from_secs(10), client.asset(probe.asset_id))
                    .await
                    .expect("the call hung");
                if let Err(error) = outcome {
                    // Every error names its provider, and a 2xx never turns into "not found" by accident.
                    assert!(error.provider().is_some() || matches!(error, Error::InvalidInput(_)), "{error:?}");
                    if (200..300).contains(&status) {
                        assert!(!matches!(error, Error::Unauthorized { .. }), "{}: 2xx decoded as Unauthorized", probe.provider);
                    }
                }
            }
        });
    }
}
