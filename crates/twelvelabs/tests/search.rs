//! Any-to-video search against media-mock over real HTTP.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{Fault, FaultRule, MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateEntityRequest, CreateIndexRequest, CreateIndexedAssetRequest,
    EntityCollectionRequest, Error, GroupBy, MetadataValue, PollOptions, RetrieveVideoParams,
    RetryPolicy, SearchOperator, SearchOption, SearchRequest, TranscriptionOption, UserMetadata,
};

const PREFIX: &str = "/twelvelabs/v1.3";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

/// An index with `n` ready videos; returns the index id and the video ids in order.
async fn indexed(server: &MockServer, client: &Client, n: usize) -> (String, Vec<String>) {
    let index_id = client
        .indexes()
        .create(&CreateIndexRequest::marengo("search"))
        .await
        .unwrap()
        .id
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let asset = format!("asset{i}");
        server.seed_twelvelabs_asset(json!({
            "_id": asset, "status": "ready", "file_type": "video/mp4",
            "filename": format!("v{i}.mp4"), "duration": 10.0 * (i as f64 + 1.0)
        }));
        let mut meta = UserMetadata::new();
        meta.insert(
            "n".into(),
            MetadataValue::Integer(i64::try_from(i).unwrap()),
        );
        let id = client
            .indexed_assets()
            .create(
                &index_id,
                &CreateIndexedAssetRequest::new(&asset).user_metadata(meta),
            )
            .await
            .unwrap()
            .id
            .unwrap();
        let options = PollOptions::default()
            .interval(Duration::from_millis(1))
            .backoff(1.0);
        client
            .indexed_assets()
            .wait_until_ready(&index_id, &id, &options, |_| {})
            .await
            .unwrap();
        ids.push(id);
    }
    let _ = RetrieveVideoParams::new();
    server.clear_requests();
    (index_id, ids)
}

fn parts(request: &media_mock::RecordedRequest) -> Vec<(String, String)> {
    let content_type = request.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"');
    String::from_utf8_lossy(&request.body)
        .split(&format!("--{boundary}"))
        .filter(|p| !p.trim().is_empty() && p.trim() != "--")
        .map(|p| {
            let (head, value) = p.split_once("\r\n\r\n").unwrap();
            let name = head
                .split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (name.to_owned(), value.trim_end_matches("\r\n").to_owned())
        })
        .collect()
}

#[tokio::test]
async fn text_search_is_multipart_with_repeated_fields() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (index_id, ids) = indexed(&server, &client, 2).await;
    let results = client
        .search()
        .create(
            &SearchRequest::text(
                &index_id,
                "a goal",
                [SearchOption::Visual, SearchOption::Transcription],
            )
            .transcription_option(TranscriptionOption::Lexical)
            .operator(SearchOperator::Or)
            .page_limit(3)
            .filter(json!({"duration": {"gte": 5}}))
            .include_user_metadata(true),
        )
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{PREFIX}/search"));
    let fields = parts(request);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("index_id", index_id.as_str()),
            ("search_options", "visual"),
            ("search_options", "transcription"),
            ("query_text", "a goal"),
            ("transcription_options", "lexical"),
            ("operator", "or"),
            ("page_limit", "3"),
            ("filter", r#"{"duration":{"gte":5}}"#),
            ("include_user_metadata", "true"),
        ]
    );
    assert_eq!(results.data.len(), 3);
    let first = &results.data[0];
    assert_eq!(first.clip.video_id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(first.clip.rank, Some(1));
    assert_eq!((first.clip.start, first.clip.end), (Some(0.0), Some(6.0)));
    assert!(first.clip.thumbnail_url.is_some());
    assert_eq!(first.clip.transcription.as_deref(), Some("Hello world."));
    assert_eq!(
        first.clip.user_metadata.as_ref().unwrap()["n"],
        MetadataValue::Integer(0)
    );
    let info = &results.page_info;
    assert_eq!(info.limit_per_page, Some(3));
    assert_eq!(info.total_results, Some(4));
    assert!(info.page_expires_at.is_some());
    let token = info.next_page_token.clone().unwrap();
    let pool = results.search_pool.unwrap();
    assert_eq!(pool.total_count, Some(2));
    assert_eq!(pool.total_duration, Some(30.0));
    assert_eq!(pool.index_id.as_deref(), Some(index_id.as_str()));

    let next = client.search().retrieve(&token, Some(true)).await.unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("{PREFIX}/search/{token}"));
    assert_eq!(request.query.as_deref(), Some("include_user_metadata=true"));
    assert_eq!(next.data.len(), 1);
    assert!(next.page_info.prev_page_token.is_some());
    assert_eq!(next.page_info.next_page_token, None);
    assert!(next.data[0].clip.user_metadata.is_some());
}

#[tokio::test]
async fn query_streams_every_page_keeping_include_user_metadata() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (index_id, _) = indexed(&server, &client, 3).await;
    let items: Vec<_> = client
        .search()
        .query(
            SearchRequest::text(&index_id, "x", [SearchOption::Visual])
                .page_limit(2)
                .include_user_metadata(true),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 6);
    let ranks: Vec<_> = items.iter().map(|i| i.clip.rank.unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5, 6]);
    assert!(items.iter().all(|i| i.clip.user_metadata.is_some()));
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "no request after the last page");
    assert_eq!(requests[0].method, "POST");
    for request in &requests[1..] {
        assert_eq!(request.method, "GET");
        assert!(request.path.starts_with(&format!("{PREFIX}/search/")));
        assert_eq!(request.query.as_deref(), Some("include_user_metadata=true"));
    }
}

#[tokio::test]
async fn group_by_video_and_entity_and_image_queries() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (index_id, ids) = indexed(&server, &client, 2).await;
    let grouped = client
        .search()
        .create(
            &SearchRequest::text(&index_id, "x", [SearchOption::Audio]).group_by(GroupBy::Video),
        )
        .await
        .unwrap();
    assert_eq!(grouped.data.len(), 2);
    assert_eq!(grouped.data[0].id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(grouped.data[0].clips.as_ref().unwrap().len(), 2);
    assert_eq!(grouped.page_info.total_inner_matches, Some(4));

    server
        .seed_twelvelabs_asset(json!({"_id": "face", "status": "ready", "file_type": "image/png"}));
    let collection = client
        .entity_collections()
        .create(&EntityCollectionRequest::new("c"))
        .await
        .unwrap()
        .id
        .unwrap();
    let entity = client
        .entities()
        .create(&collection, &CreateEntityRequest::new("e", ["face"]))
        .await
        .unwrap()
        .id
        .unwrap();
    server.clear_requests();
    client
        .search()
        .create(&SearchRequest::entity(
            &index_id,
            &entity,
            [SearchOption::Visual],
        ))
        .await
        .unwrap();
    assert!(parts(&server.requests()[0]).contains(&("query_text".into(), format!("<@{entity}>"))));
    let err = client
        .search()
        .create(&SearchRequest::entity(
            &index_id,
            "nobody",
            [SearchOption::Visual],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("parameter_invalid"));

    let dir = std::env::temp_dir().join(format!("tl-search-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let image = dir.join("query.jpg");
    std::fs::write(&image, [0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
    server.clear_requests();
    client
        .search()
        .create(
            &SearchRequest::new(&index_id, [SearchOption::Visual])
                .image_url("https://example.com/a.jpg")
                .image_file(&image),
        )
        .await
        .unwrap();
    let body = String::from_utf8_lossy(&server.requests()[0].body).into_owned();
    assert!(body.contains("name=\"query_media_type\"\r\n\r\nimage"));
    assert!(body.contains("name=\"query_media_url\"\r\n\r\nhttps://example.com/a.jpg"));
    assert!(body.contains("name=\"query_media_file\"; filename=\"query.jpg\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn validation_and_expired_tokens() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut too_many = SearchRequest::new("i", [SearchOption::Visual]);
    for n in 0..11 {
        too_many = too_many.image_url(format!("https://example.com/{n}.jpg"));
    }
    for bad in [
        SearchRequest::text("", "x", [SearchOption::Visual]),
        SearchRequest::text("i", "x", []),
        SearchRequest::new("i", [SearchOption::Visual]),
        SearchRequest::text("i", "x", [SearchOption::Visual]).page_limit(51),
        SearchRequest::text("i", "x", [SearchOption::Visual]).filter(json!([1])),
        too_many,
    ] {
        let err = client.search().create(&bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());

    let err = client
        .search()
        .retrieve("s999999-p2", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("search_page_token_expired"));
    assert_eq!(err.http_status(), Some(400));
    let err = client
        .search()
        .create(&SearchRequest::text(
            "no-index",
            "x",
            [SearchOption::Visual],
        ))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn a_throttled_search_is_retried_with_every_field() {
    let server = MockServer::start().await;
    let plain = client(&server);
    let (index_id, _) = indexed(&server, &plain, 1).await;
    server.inject(
        FaultRule::new(Fault::status(429).with_header("Retry-After", "0"))
            .method("POST")
            .path_prefix(&format!("{PREFIX}/search"))
            .times(1),
    );
    let client = Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))),
    )
    .unwrap();
    let results = client
        .search()
        .create(&SearchRequest::text(
            &index_id,
            "x",
            [SearchOption::Visual, SearchOption::Audio],
        ))
        .await
        .unwrap();
    assert_eq!(results.data.len(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(parts(&requests[0]), parts(&requests[1]));
    assert_eq!(parts(&requests[1]).len(), 4);
}

#[test]
fn search_items_decode_leniently() {
    let item: twelvelabs::SearchItem = serde_json::from_value(json!({
        "start": "1.5", "end": 3, "video_id": "v", "rank": 2, "score": 88.1, "confidence": "high",
        "user_metadata": "{\"k\": true}"
    }))
    .unwrap();
    assert_eq!(item.clip.start, Some(1.5));
    assert_eq!(item.clip.rank, Some(2));
    assert_eq!(
        item.clip.user_metadata.unwrap()["k"],
        MetadataValue::Boolean(true)
    );
}
