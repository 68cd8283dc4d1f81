//! TwelveLabs over HTTP: retrieve and list assets, their error bodies, and auth.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};

/// Seed 002's example response, compacted.
const SEED_ASSET: &str = r#"{"_id":"6298d673f1090f1100476d4c","created_at":"2022-06-02T10:30:00Z","duration":120.5,"file_type":"image/jpeg","filename":"image-01.jpg","hls":{"manifest_url":"https://cdn.example.com/assets/6298d673f1090f1100476d4c/manifest.m3u8","status":"ready"},"method":"direct","size":104857600,"status":"ready","thumbnail":{"representative_url":"https://cdn.example.com/assets/6298d673f1090f1100476d4c/thumbnail.jpg","status":"ready"},"user_metadata":{}}"#;

async fn get(server: &MockServer, path_and_query: &str, key: Option<&str>) -> (u16, String) {
    let mut request =
        reqwest::Client::new().get(format!("{}{path_and_query}", server.twelvelabs_url()));
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get_with_key(server: &MockServer, path_and_query: &str) -> (u16, String) {
    get(
        server,
        path_and_query,
        Some(credentials::TWELVELABS_API_KEY),
    )
    .await
}

async fn list(server: &MockServer, query: &str) -> Value {
    let (status, body) = get_with_key(server, &format!("/assets?{query}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn ids(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| asset["_id"].as_str().unwrap())
        .collect()
}

fn seed_three(server: &MockServer) {
    server.seed_twelvelabs_asset(json!({
        "_id": "a1", "created_at": "2024-01-16T07:59:40Z", "file_type": "video/mp4",
        "filename": "Holiday-Beach.MP4", "status": "ready",
    }));
    server.seed_twelvelabs_asset(json!({
        "_id": "a2", "created_at": "2024-01-16T07:59:40.879Z", "file_type": "audio/mpeg",
        "filename": "podcast.mp3", "status": "processing",
    }));
    server.seed_twelvelabs_asset(json!({
        "_id": "a3", "created_at": "2025-03-01T00:00:00Z", "file_type": "application/pdf",
        "filename": "beach-report.pdf", "status": "some_future_status",
    }));
}

#[tokio::test]
async fn seeded_asset_is_served_exactly_as_documented() {
    let server = MockServer::start().await;
    assert_eq!(
        get_with_key(&server, "/assets/6298d673f1090f1100476d4c").await,
        (200, SEED_ASSET.to_owned())
    );
}

#[tokio::test]
async fn unknown_asset_is_404_with_the_decoded_id() {
    let server = MockServer::start().await;
    assert_eq!(
        get_with_key(&server, "/assets/000000000000000000000000").await,
        (
            404,
            r#"{"code":"resource_not_exist","message":"The asset with id 000000000000000000000000 does not exist."}"#
                .to_owned()
        )
    );
    assert_eq!(
        get_with_key(&server, "/assets/..%2Findexes").await,
        (
            404,
            r#"{"code":"resource_not_exist","message":"The asset with id ../indexes does not exist."}"#
                .to_owned()
        )
    );
}

#[tokio::test]
async fn missing_or_wrong_key_is_rejected() {
    let server = MockServer::start().await;
    let rejected = (
        401,
        r#"{"code":"api_key_invalid","message":"The API key you provided is not valid.","docs_url":"https://docs.twelvelabs.io/v1.3/api-reference/error-codes"}"#
            .to_owned(),
    );
    assert_eq!(
        get(&server, "/assets/6298d673f1090f1100476d4c", None).await,
        rejected
    );
    assert_eq!(get(&server, "/assets", Some("tlk_wrong")).await, rejected);
}

#[tokio::test]
async fn list_defaults_to_page_1_of_10() {
    let server = MockServer::start().await;
    assert_eq!(
        get_with_key(&server, "/assets").await,
        (
            200,
            format!(
                r#"{{"data":[{SEED_ASSET}],"page_info":{{"limit_per_page":10,"page":1,"total_page":1,"total_results":1}}}}"#
            )
        )
    );
}

#[tokio::test]
async fn list_is_newest_first_and_paginates() {
    let server = MockServer::start().await;
    seed_three(&server);

    let all = list(&server, "").await;
    assert_eq!(ids(&all), ["a3", "a2", "a1", "6298d673f1090f1100476d4c"]);

    let second = list(&server, "page=2&page_limit=3").await;
    assert_eq!(ids(&second), ["6298d673f1090f1100476d4c"]);
    assert_eq!(
        second["page_info"],
        json!({"limit_per_page": 3, "page": 2, "total_page": 2, "total_results": 4})
    );

    let beyond = list(&server, "page=9&page_limit=3").await;
    assert_eq!(ids(&beyond), Vec::<&str>::new());
    assert_eq!(beyond["page_info"]["total_results"], 4);
}

#[tokio::test]
async fn the_listing_order_follows_creates_and_deletes_between_pages() {
    let server = MockServer::start().await;
    seed_three(&server);
    assert_eq!(ids(&list(&server, "page_limit=2").await), ["a3", "a2"]);

    server.seed_twelvelabs_asset(json!({
        "_id": "a4", "created_at": "2026-01-01T00:00:00Z", "file_type": "video/mp4",
        "filename": "newest.mp4", "status": "ready",
    }));
    assert_eq!(ids(&list(&server, "page_limit=2").await), ["a4", "a3"]);

    let deleted = reqwest::Client::new()
        .delete(format!("{}/assets/a3", server.twelvelabs_url()))
        .header("x-api-key", credentials::TWELVELABS_API_KEY)
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let page = list(&server, "page_limit=2").await;
    assert_eq!(ids(&page), ["a4", "a2"]);
    assert_eq!(page["page_info"]["total_results"], 4);
}

#[tokio::test]
async fn list_filters_by_filename_ids_and_types() {
    let server = MockServer::start().await;
    seed_three(&server);

    assert_eq!(ids(&list(&server, "filename=BEACH").await), ["a3", "a1"]);
    assert_eq!(
        ids(&list(&server, "asset_ids=a1&asset_ids=6298d673f1090f1100476d4c").await),
        ["a1", "6298d673f1090f1100476d4c"]
    );
    assert_eq!(
        ids(&list(&server, "asset_types=video&asset_types=audio").await),
        ["a2", "a1"]
    );
    assert_eq!(ids(&list(&server, "asset_types=document").await), ["a3"]);
    assert_eq!(
        ids(&list(&server, "asset_types=image&filename=image-01").await),
        ["6298d673f1090f1100476d4c"]
    );
    let none = list(&server, "filename=nothing-like-this").await;
    assert_eq!(
        none,
        json!({"data": [], "page_info": {"limit_per_page": 10, "page": 1, "total_page": 0, "total_results": 0}})
    );
}

#[tokio::test]
async fn invalid_list_parameters_are_parameter_invalid() {
    let server = MockServer::start().await;
    assert_eq!(
        get_with_key(&server, "/assets?page_limit=51").await,
        (
            400,
            r#"{"code":"parameter_invalid","message":"The page_limit parameter must be an integer between 1 and 50."}"#
                .to_owned()
        )
    );
    for query in [
        "page=0",
        "page=-1",
        "page=abc",
        "page_limit=0",
        "page_limit=ten",
        "asset_types=spreadsheet",
    ] {
        let (status, body) = get_with_key(&server, &format!("/assets?{query}")).await;
        assert_eq!(status, 400, "{query}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["code"], "parameter_invalid", "{query}");
    }
}
