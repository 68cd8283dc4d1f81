//! Request recording over HTTP: raw paths, queries, headers and bodies, faulted and rejected
//! requests included.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use media_mock::{Fault, FaultRule, MockServer, credentials};
use serde_json::json;

#[tokio::test]
async fn raw_percent_encoded_path_and_query_are_preserved() {
    let server = MockServer::start().await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/assets/..%2Findexes?tag=a%20b&tag=c+d&name=%ED%99%8D",
            server.twelvelabs_url()
        ))
        .header("x-api-key", credentials::TWELVELABS_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/twelvelabs/v1.3/assets/..%2Findexes");
    assert_eq!(
        request.query.as_deref(),
        Some("tag=a%20b&tag=c+d&name=%ED%99%8D")
    );
    assert_eq!(
        request.query_pairs(),
        [
            ("tag".to_owned(), "a b".to_owned()),
            ("tag".to_owned(), "c d".to_owned()),
            ("name".to_owned(), "홍".to_owned()),
        ]
    );
    assert_eq!(
        request.header("X-Api-Key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
    assert!(request.body.is_empty());
    assert_eq!(request.json(), None);
}

#[tokio::test]
async fn bodies_of_unrouted_rejected_and_faulted_requests_are_recorded_in_order() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();

    let unrouted = http
        .post(format!("{}/no/such/route/here", server.memories_v2_url()))
        .json(&json!({"asset_id": "re_1", "n": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(unrouted.status(), 500);

    let rejected = http
        .get(format!(
            "{}/re_660729180626595840/metadata",
            server.memories_v2_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), 401);

    server.inject(FaultRule::new(Fault::status(503)).times(1));
    let faulted = http
        .delete(format!("{}/assets/x", server.twelvelabs_url()))
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(faulted.status(), 503);

    let requests = server.requests();
    let summary: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("POST", "/memories-v2/serve/api/v2/no/such/route/here"),
            (
                "GET",
                "/memories-v2/serve/api/v2/re_660729180626595840/metadata"
            ),
            ("DELETE", "/twelvelabs/v1.3/assets/x"),
        ]
    );
    assert_eq!(
        requests[0].json(),
        Some(json!({"asset_id": "re_1", "n": 2}))
    );
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(requests[0].query, None);
    assert_eq!(requests[2].body.as_ref(), b"not json");
    assert_eq!(requests[2].json(), None);

    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_upload_larger_than_the_record_limit_is_streamed_through_and_recorded_by_its_head() {
    use sha2::{Digest, Sha256};
    let server = MockServer::start().await;
    let size = media_mock::RECORDED_BODY_LIMIT + 3 * 1024 * 1024 + 7;
    let body: Vec<u8> = (0..size)
        .map(|i| media_mock::pattern_byte(i as u64))
        .collect();
    let digest: String = Sha256::digest(&body)
        .iter()
        .fold(String::new(), |mut out, b| {
            use std::fmt::Write as _;
            let _ = write!(out, "{b:02x}");
            out
        });
    let echo: serde_json::Value = reqwest::Client::new()
        .put(format!("{}/_mock/echo", server.url()))
        .body(body.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(echo["bytes"], json!(size));
    assert_eq!(echo["sha256"], json!(digest));
    let recorded = server.requests().pop().unwrap();
    assert!(recorded.body_truncated);
    assert_eq!(recorded.body.len(), media_mock::RECORDED_BODY_LIMIT);
    assert_eq!(recorded.body[..], body[..media_mock::RECORDED_BODY_LIMIT]);

    let small: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_mock/echo", server.url()))
        .body("tiny")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(small["bytes"], 4);
    let recorded = server.requests().pop().unwrap();
    assert!(!recorded.body_truncated);
    assert_eq!(&recorded.body[..], b"tiny");
}

#[tokio::test]
async fn echo_under_a_key_keeps_the_last_complete_upload() {
    let server = MockServer::start().await;
    let url = format!("{}/_mock/echo/bucket/clips/a.mp4", server.url());
    let missing = reqwest::Client::new().get(&url).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    for body in ["first", "second!"] {
        let answer: serde_json::Value = reqwest::Client::new()
            .put(format!("{url}?X-Amz-Signature=abc"))
            .body(body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["bytes"], body.len());
    }
    let kept: serde_json::Value = reqwest::Client::new()
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kept["method"], "PUT");
    assert_eq!(kept["bytes"], 7);
    assert_eq!(
        kept["sha256"],
        "d8470465f9e7614921a043dd05deb31e1f8926c516afc00432359aa2ebb07d30"
    );
}
