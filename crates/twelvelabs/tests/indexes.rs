//! `/indexes` against media-mock over real HTTP.

#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateIndexRequest, Error, IndexAddon, IndexModel, ListIndexesParams,
    ModelFamily, ModelName, ModelOption, RetryPolicy, SortBy, SortOption,
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

async fn create(client: &Client, name: &str) -> String {
    client
        .indexes()
        .create(&CreateIndexRequest::marengo(name))
        .await
        .unwrap()
        .id
        .unwrap()
}

#[tokio::test]
async fn create_sends_json_and_returns_the_id() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .indexes()
        .create(
            &CreateIndexRequest::new(
                "my-index",
                [IndexModel::new(
                    ModelName::Marengo3_0,
                    [ModelOption::Visual],
                )],
            )
            .addon(IndexAddon::Thumbnail),
        )
        .await
        .unwrap();
    let id = created.id.unwrap();
    assert_eq!(id.len(), 24);

    let requests = server.requests();
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{PREFIX}/indexes"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("x-api-key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
    assert_eq!(
        request.json().unwrap(),
        json!({
            "index_name": "my-index",
            "models": [{"model_name": "marengo3.0", "model_options": ["visual"]}],
            "addons": ["thumbnail"]
        })
    );

    let index = client.indexes().retrieve(&id).await.unwrap();
    assert_eq!(index.id.as_deref(), Some(id.as_str()));
    assert_eq!(index.index_name.as_deref(), Some("my-index"));
    assert_eq!(index.models.len(), 1);
    assert_eq!(index.models[0].model_name, Some(ModelName::Marengo3_0));
    assert_eq!(index.models[0].model_options, [ModelOption::Visual]);
    assert_eq!(index.addons, [IndexAddon::Thumbnail]);
    assert_eq!(index.video_count, Some(0));
    assert_eq!(index.total_duration, Some(0.0));
    assert!(index.created_at.is_some());
    assert!(index.updated_at.is_some());
    assert_eq!(index.expires_at, None);
}

#[tokio::test]
async fn invalid_creates_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for request in [
        CreateIndexRequest::new("x", []),
        CreateIndexRequest::new(
            " ",
            [IndexModel::new(ModelName::Marengo3_0, [ModelOption::Audio])],
        ),
        CreateIndexRequest::new("x", [IndexModel::new(ModelName::Marengo3_0, [])]),
    ] {
        let err = client.indexes().create(&request).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn duplicate_names_and_bad_models_are_provider_errors() {
    let server = MockServer::start().await;
    let client = client(&server);
    create(&client, "dup").await;
    let err = client
        .indexes()
        .create(&CreateIndexRequest::marengo("dup"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("index_name_already_exists"));
    assert_eq!(err.http_status(), Some(409));

    let err = client
        .indexes()
        .create(&CreateIndexRequest::new(
            "x",
            [IndexModel::new(
                ModelName::Unknown("marengo9".into()),
                [ModelOption::Visual],
            )],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("parameter_invalid"));
}

#[tokio::test]
async fn list_sends_filters_and_list_all_stops_at_the_last_page() {
    let server = MockServer::start().await;
    let client = client(&server);
    for n in 0..5 {
        create(&client, &format!("idx-{n}")).await;
    }
    server.clear_requests();

    let page = client
        .indexes()
        .list(
            &ListIndexesParams::new()
                .page_limit(2)
                .sort(SortBy::CreatedAt, SortOption::Asc)
                .model_option(ModelOption::Visual)
                .model_family(ModelFamily::Marengo),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[0].index_name.as_deref(), Some("idx-0"));
    assert_eq!(page.page_info.total_page, Some(3));
    assert_eq!(page.page_info.total_results, Some(5));
    assert_eq!(
        server.requests()[0].query.as_deref(),
        Some(
            "page_limit=2&sort_by=created_at&sort_option=asc&model_options=visual&model_family=marengo"
        )
    );

    server.clear_requests();
    let all: Vec<_> = client
        .indexes()
        .list_all(ListIndexesParams::new().page_limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].index_name.as_deref(), Some("idx-4"), "newest first");
    let pages: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query.clone().unwrap())
        .collect();
    assert_eq!(
        pages,
        [
            "page=1&page_limit=2",
            "page=2&page_limit=2",
            "page=3&page_limit=2"
        ],
        "no extra empty-page request"
    );

    let named = client
        .indexes()
        .list(&ListIndexesParams::new().index_name("idx-3"))
        .await
        .unwrap();
    assert_eq!(named.data.len(), 1);
}

#[tokio::test]
async fn update_renames_and_delete_removes() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = create(&client, "before").await;
    server.clear_requests();

    client.indexes().update(&id, "after").await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path, format!("{PREFIX}/indexes/{id}"));
    assert_eq!(request.json().unwrap(), json!({"index_name": "after"}));
    assert_eq!(
        client
            .indexes()
            .retrieve(&id)
            .await
            .unwrap()
            .index_name
            .as_deref(),
        Some("after")
    );
    assert!(matches!(
        client.indexes().update(&id, "").await,
        Err(Error::InvalidInput(_))
    ));

    client.indexes().delete(&id).await.unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.method, "DELETE");
    assert!(last.body.is_empty());
    let err = client.indexes().retrieve(&id).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("resource_not_exist"));
}

#[tokio::test]
async fn ids_are_one_encoded_segment() {
    let server = MockServer::start().await;
    let err = client(&server)
        .indexes()
        .retrieve("../x")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        server.requests()[0].path,
        format!("{PREFIX}/indexes/..%2Fx")
    );
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized() {
    let server = MockServer::start().await;
    let client = Client::new(Config::new("tlk_wrong").base_url(server.twelvelabs_url())).unwrap();
    let err = client
        .indexes()
        .list(&ListIndexesParams::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert!(!err.to_string().contains("tlk_wrong"));
}

#[tokio::test]
async fn unknown_fields_and_values_still_decode() {
    let index: twelvelabs::Index = serde_json::from_value(json!({
        "_id": "i1", "index_name": "n", "video_count": 3.0, "total_duration": "12.5",
        "models": [{"model_name": "marengo4.0", "model_options": ["visual", "smell"]}],
        "addons": ["thumbnail", "sparkles"], "expires_at": "2025-01-01T00:00:00Z", "new_field": 1
    }))
    .unwrap();
    assert_eq!(index.video_count, Some(3));
    assert_eq!(index.total_duration, Some(12.5));
    assert_eq!(
        index.models[0].model_name,
        Some(ModelName::Unknown("marengo4.0".into()))
    );
    assert_eq!(
        index.models[0].model_options[1],
        ModelOption::Unknown("smell".into())
    );
    assert_eq!(index.addons[1], IndexAddon::Unknown("sparkles".into()));
    assert!(index.expires_at.is_some());
}

#[test]
#[allow(deprecated)]
fn every_new_public_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let poll = twelvelabs::PollOptions::default();
    let path = std::path::Path::new("x.mp4");
    assert_send(&client.indexes().create(&CreateIndexRequest::marengo("x")));
    assert_send(&client.indexes().list_all(ListIndexesParams::new()));
    assert_send(&client.upload_asset(
        twelvelabs::AssetInput::Url("https://x/y".into()),
        &twelvelabs::UploadOptions::new(),
    ));
    assert_send(
        &client
            .multipart_uploads()
            .upload_file(path, &twelvelabs::MultipartUploadOptions::new()),
    );
    assert_send(
        &client
            .multipart_uploads()
            .wait_until_complete("u", &poll, |_| {}),
    );
    assert_send(
        &client
            .indexed_assets()
            .wait_until_ready("i", "a", &poll, |_| {}),
    );
    assert_send(&client.entities().wait_until_ready("c", "e", &poll, |_| {}));
    assert_send(&client.tasks().wait_until_done("t", &poll, |_| {}));
    assert_send(&client.search().query(twelvelabs::SearchRequest::text(
        "i",
        "q",
        [twelvelabs::SearchOption::Visual],
    )));
    assert_send(&client.search().retrieve("t", None));
}
