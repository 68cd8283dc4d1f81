//! memories.ai v1 over HTTP: `get_metadata` envelopes and auth.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use media_mock::{MockServer, credentials};
use serde_json::json;

/// Seed 001's example response, compacted.
const SEED_METADATA: &str = r#"{"code":"0000","msg":"success","data":{"video_no":"VI606404158946574336","video_name":"182082-867762198_tiny","duration":12,"size":3284512,"status":"PARSE","create_time":1754037217992,"resolution_label":"720P","fps":30,"width":1280,"height":720,"datetime_taken":1729388400000,"camera_model":"Canon EOS 5D","latitude":39.9042,"longitude":116.4074,"tags":["holiday","beijing","api"]},"success":true,"failed":false}"#;
const NOT_FOUND: &str =
    r#"{"code":"0000","msg":"success","data":null,"success":true,"failed":false}"#;

async fn get_metadata(server: &MockServer, query: &str, key: Option<&str>) -> (u16, String) {
    let mut request =
        reqwest::Client::new().get(format!("{}/get_metadata?{query}", server.memories_v1_url()));
    if let Some(key) = key {
        request = request.header("Authorization", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    if status == 200 || status == 401 {
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{query}"
        );
    }
    (status, response.text().await.unwrap())
}

async fn get_with_key(server: &MockServer, query: &str) -> (u16, String) {
    get_metadata(server, query, Some(credentials::MEMORIES_API_KEY)).await
}

#[tokio::test]
async fn seeded_video_is_served_exactly_as_documented() {
    let server = MockServer::start().await;
    let explicit = get_with_key(&server, "video_no=VI606404158946574336&unique_id=default").await;
    assert_eq!(explicit, (200, SEED_METADATA.to_owned()));
    let defaulted = get_with_key(&server, "video_no=VI606404158946574336").await;
    assert_eq!(defaulted, (200, SEED_METADATA.to_owned()));
}

#[tokio::test]
async fn unknown_video_or_other_namespace_has_null_data() {
    let server = MockServer::start().await;
    assert_eq!(
        get_with_key(&server, "video_no=VI000000000000000000").await,
        (200, NOT_FOUND.to_owned())
    );
    assert_eq!(
        get_with_key(&server, "video_no=VI606404158946574336&unique_id=Default").await,
        (200, NOT_FOUND.to_owned())
    );
}

#[tokio::test]
async fn missing_or_empty_parameters_are_business_errors_with_http_200() {
    let server = MockServer::start().await;
    let video_no_error = r#"{"code":"0001","msg":"video_no cannot be null or empty","data":null,"success":false,"failed":true}"#;
    assert_eq!(
        get_with_key(&server, "unique_id=default").await,
        (200, video_no_error.to_owned())
    );
    assert_eq!(
        get_with_key(&server, "video_no=").await,
        (200, video_no_error.to_owned())
    );
    assert_eq!(
        get_with_key(&server, "video_no=VI606404158946574336&unique_id=").await,
        (
            200,
            r#"{"code":"0001","msg":"unique_id cannot be empty","data":null,"success":false,"failed":true}"#
                .to_owned()
        )
    );
}

#[tokio::test]
async fn missing_wrong_or_bearer_key_is_rejected() {
    let server = MockServer::start().await;
    let rejected = (
        401,
        r#"{"code":"0401","msg":"API key is invalid","data":null,"success":false,"failed":true}"#
            .to_owned(),
    );
    let query = "video_no=VI606404158946574336";
    assert_eq!(get_metadata(&server, query, None).await, rejected);
    assert_eq!(
        get_metadata(&server, query, Some("sk-wrong")).await,
        rejected
    );
    let bearer = format!("Bearer {}", credentials::MEMORIES_API_KEY);
    assert_eq!(get_metadata(&server, query, Some(&bearer)).await, rejected);
}

#[tokio::test]
async fn seeded_quirky_payload_is_served_verbatim_in_its_namespace() {
    let server = MockServer::start().await;
    let quirky = json!({
        "video_no": "VI700000000000009999",
        "duration": "42",
        "size": "7340032",
        "status": "SOME_NEW_STATUS",
        "cause": "null",
        "future_field": {"nested": [1, 2]},
    });
    server.seed_memories_v1_video("tenant-a", quirky.clone());

    let (status, body) =
        get_with_key(&server, "video_no=VI700000000000009999&unique_id=tenant-a").await;
    assert_eq!(status, 200);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"], quirky);
    assert_eq!(
        get_with_key(&server, "video_no=VI700000000000009999").await,
        (200, NOT_FOUND.to_owned())
    );
}
