//! Knowledge stores, items and item collections against media-mock over real HTTP.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateItemCollectionRequest, CreateKnowledgeItemRequest,
    CreateKnowledgeStoreRequest, Error, FieldFilter, IngestionConfig, KnowledgeAssetType,
    KnowledgeGroupBy, KnowledgeItemStatus, KnowledgeSearchFilter, ListKnowledgeParams,
    MetadataValue, PollOptions, RetryPolicy, SearchKnowledgeStoreRequest, SortBy, SortOption,
    UpdateKnowledgeRequest, UserMetadata,
};

const ROOT: &str = "/twelvelabs/v1.3";
const ASSET: &str = "6298d673f1090f1100476d4c";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn fast() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(5))
}

fn meta(pairs: &[(&str, &str)]) -> UserMetadata {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), MetadataValue::from(*v)))
        .collect()
}

/// A store with `n` ready video items.
async fn store_with_items(client: &Client, n: usize) -> (String, Vec<String>) {
    let ks = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("games"))
        .await
        .unwrap();
    let mut items = Vec::new();
    for _ in 0..n {
        let item = client
            .knowledge_stores()
            .create_item(&ks.id, &CreateKnowledgeItemRequest::new(ASSET))
            .await
            .unwrap();
        client
            .knowledge_stores()
            .wait_for_item(&ks.id, &item.id, &fast(), |_| {})
            .await
            .unwrap();
        items.push(item.id);
    }
    (ks.id, items)
}

#[tokio::test]
async fn a_store_is_created_read_updated_listed_and_deleted() {
    let server = MockServer::start().await;
    let client = client(&server);
    let request = CreateKnowledgeStoreRequest::new("Sports")
        .description("Match footage")
        .ingestion_config(IngestionConfig::description("Players and scores"))
        .metadata(meta(&[("team", "blue")]));
    let created = client.knowledge_stores().create(&request).await.unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", format!("{ROOT}/knowledge-stores").as_str())
    );
    assert_eq!(
        sent.json().unwrap(),
        json!({"name": "Sports", "ingestion_config": {"enrichment_config": {"type": "description", "description": "Players and scores"}},
               "description": "Match footage", "metadata": {"team": "blue"}})
    );
    assert!(created.id.starts_with("ks_"));
    assert_eq!(created.name.as_deref(), Some("Sports"));
    assert_eq!(created.item_count, Some(0));
    assert_eq!(
        created.ingestion_config.unwrap().enrichment_config.kind,
        "description"
    );
    assert_eq!(created.metadata.unwrap()["team"].as_str(), Some("blue"));
    assert!(created.created_at.is_some());

    let updated = client
        .knowledge_stores()
        .update(
            &created.id,
            &UpdateKnowledgeRequest::new()
                .name("Sport")
                .metadata(UserMetadata::new()),
        )
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.json().unwrap(),
        json!({"name": "Sport", "metadata": {}})
    );
    assert_eq!(updated.name.as_deref(), Some("Sport"));
    assert_eq!(updated.metadata, Some(UserMetadata::new()));

    client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("Other"))
        .await
        .unwrap();
    let all: Vec<_> = client
        .knowledge_stores()
        .list_all(
            ListKnowledgeParams::new()
                .page_limit(1)
                .sort(SortBy::CreatedAt, SortOption::Asc),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter()
            .map(|s| s.name.clone().unwrap())
            .collect::<Vec<_>>(),
        ["Sport", "Other"]
    );
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("sort_by=created_at&sort_option=asc&page=2&page_limit=1")
    );

    client.knowledge_stores().delete(&created.id).await.unwrap();
    assert_eq!(server.requests().pop().unwrap().method, "DELETE");
    let err = client
        .knowledge_stores()
        .retrieve(&created.id)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn items_are_added_waited_for_listed_and_deleted() {
    let server = MockServer::start().await;
    let client = client(&server);
    let ks = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("s"))
        .await
        .unwrap();
    let item = client
        .knowledge_stores()
        .create_item(
            &ks.id,
            &CreateKnowledgeItemRequest::new(ASSET)
                .asset_type(KnowledgeAssetType::Video)
                .metadata(meta(&[("k", "v")])),
        )
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap(),
        json!({"asset_id": ASSET, "asset_type": "video", "metadata": {"k": "v"}})
    );
    assert!(item.id.starts_with("ksi_"));
    assert_eq!(item.status, Some(KnowledgeItemStatus::Queued));
    let system = item.system_metadata.clone().unwrap();
    assert_eq!(system.filename.as_deref(), Some("image-01.jpg"));
    assert_eq!(system.duration, Some(120.5));
    assert_eq!(system.width, Some(1920));

    let mut seen = Vec::new();
    let ready = client
        .knowledge_stores()
        .wait_for_item(&ks.id, &item.id, &fast(), |i| {
            seen.push(i.status.clone().unwrap());
        })
        .await
        .unwrap();
    assert_eq!(ready.status, Some(KnowledgeItemStatus::Ready));
    assert!(seen.contains(&KnowledgeItemStatus::Processing));

    let page = client
        .knowledge_stores()
        .list_items(
            &ks.id,
            &ListKnowledgeParams::new()
                .status(KnowledgeItemStatus::Ready)
                .status(KnowledgeItemStatus::Failed),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("status=ready&status=failed")
    );

    let failing = client
        .knowledge_stores()
        .create_item(&ks.id, &CreateKnowledgeItemRequest::new("asset-fail"))
        .await
        .unwrap();
    let err = client
        .knowledge_stores()
        .wait_for_item(&ks.id, &failing.id, &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TaskFailed { .. }), "{err:?}");

    client
        .knowledge_stores()
        .delete_item(&ks.id, &item.id)
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/knowledge-stores/{}/items/{}", ks.id, item.id)
    );
    assert!(
        client
            .knowledge_stores()
            .retrieve_item(&ks.id, &item.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn collections_hold_items() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (ks, items) = store_with_items(&client, 2).await;
    let collection = client
        .knowledge_stores()
        .create_item_collection(
            &ks,
            &CreateItemCollectionRequest::new("Highlights").description("best"),
        )
        .await
        .unwrap();
    assert!(collection.id.starts_with("ksic_"));
    assert_eq!(collection.knowledge_store_id.as_deref(), Some(ks.as_str()));
    assert_eq!(collection.member_count, Some(0));

    let added = client
        .knowledge_stores()
        .add_collection_items(&ks, &collection.id, &items)
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        sent.path,
        format!(
            "{ROOT}/knowledge-stores/{ks}/item-collections/{}/items/add",
            collection.id
        )
    );
    assert_eq!(sent.json().unwrap(), json!({"item_ids": items}));
    assert_eq!(added.member_count, Some(2));
    // Idempotent.
    let again = client
        .knowledge_stores()
        .add_collection_items(&ks, &collection.id, &items)
        .await
        .unwrap();
    assert_eq!(again.member_count, Some(2));
    let err = client
        .knowledge_stores()
        .add_collection_items(&ks, &collection.id, &["ksi_missing".to_owned()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("resource_not_exist"));

    let members = client
        .knowledge_stores()
        .list_collection_items(&ks, &collection.id, Some(1), Some(1))
        .await
        .unwrap();
    assert_eq!(members.data.len(), 1);
    assert_eq!(members.page_info.total_results, Some(2));

    client
        .knowledge_stores()
        .remove_collection_items(&ks, &collection.id, &items[..1])
        .await
        .unwrap();
    let updated = client
        .knowledge_stores()
        .update_item_collection(
            &ks,
            &collection.id,
            &UpdateKnowledgeRequest::new().description("top"),
        )
        .await
        .unwrap();
    assert_eq!(updated.member_count, Some(1));
    assert_eq!(updated.description.as_deref(), Some("top"));
    let listed = client
        .knowledge_stores()
        .list_item_collections(
            &ks,
            &ListKnowledgeParams::new().sort(SortBy::Name, SortOption::Asc),
        )
        .await
        .unwrap();
    assert_eq!(listed.data[0].name.as_deref(), Some("Highlights"));
    assert_eq!(
        client
            .knowledge_stores()
            .retrieve_item_collection(&ks, &collection.id)
            .await
            .unwrap()
            .id,
        collection.id
    );
    client
        .knowledge_stores()
        .delete_item_collection(&ks, &collection.id)
        .await
        .unwrap();
    // The items stay.
    assert_eq!(
        client
            .knowledge_stores()
            .list_items(&ks, &ListKnowledgeParams::new())
            .await
            .unwrap()
            .data
            .len(),
        2
    );
}

#[tokio::test]
async fn search_pages_with_a_body_token() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (ks, items) = store_with_items(&client, 3).await;
    let request = SearchKnowledgeStoreRequest::new("a goal")
        .page_size(2)
        .group_by(KnowledgeGroupBy::Item)
        .video_modalities(["visual", "audio"])
        .include_metadata(true);
    let first = client
        .knowledge_stores()
        .search(&ks, &request)
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, format!("{ROOT}/knowledge-stores/{ks}/search"));
    assert_eq!(sent.json().unwrap()["page_size"], 2);
    assert_eq!(first.data.len(), 2);
    let hit = &first.data[0];
    assert_eq!((hit.rank, hit.item_id.as_str()), (1, items[0].as_str()));
    assert_eq!(hit.asset_type, Some(KnowledgeAssetType::Video));
    assert_eq!(hit.matches.len(), 2);
    assert_eq!(hit.matches[0].modalities, ["visual", "audio"]);
    assert_eq!(
        hit.metadata
            .as_ref()
            .unwrap()
            .system
            .as_ref()
            .unwrap()
            .duration,
        Some(120.5)
    );
    assert_eq!(
        first.effective_search_options.as_ref().unwrap()["video"]["modalities"],
        json!(["visual", "audio"])
    );
    let token = first.next_page_token.clone().unwrap();

    let second = client
        .knowledge_stores()
        .search(&ks, &request.clone().page_token(&token))
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap()["page_token"],
        token
    );
    assert_eq!(second.data.len(), 1);
    assert_eq!(second.next_page_token, None);

    let all: Vec<_> = client
        .knowledge_stores()
        .search_all(&ks, request)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);

    let filtered = client
        .knowledge_stores()
        .search(
            &ks,
            &SearchKnowledgeStoreRequest::new("x").filter(
                KnowledgeSearchFilter::new().item_id(FieldFilter::In(vec![items[2].clone()])),
            ),
        )
        .await
        .unwrap();
    assert_eq!(filtered.data.len(), 1);
    assert_eq!(filtered.data[0].item_id, items[2]);
}

#[tokio::test]
async fn an_expired_search_token_is_a_clear_error() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (ks, _) = store_with_items(&client, 1).await;
    let err = client
        .knowledge_stores()
        .search(
            &ks,
            &SearchKnowledgeStoreRequest::new("x").page_token("expired-abc"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(410));
    assert_eq!(err.code(), Some("page_token_expired"));
    assert!(
        err.to_string()
            .contains("run the search again without `page_token`"),
        "{err}"
    );
    let err = client
        .knowledge_stores()
        .search(
            &ks,
            &SearchKnowledgeStoreRequest::new("x").page_token("garbage"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(400));
}

#[tokio::test]
async fn documented_limits_are_checked_locally() {
    let server = MockServer::start().await;
    let client = client(&server);
    let too_many: UserMetadata = (0..11)
        .map(|n| (format!("k{n}"), MetadataValue::from("v")))
        .collect();
    let err = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("s").metadata(too_many))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("s").ingestion_config(
            IngestionConfig::json_schema(
                json!({"type": "object", "properties": {"team": {"type": "string"}}}),
            ),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = client
        .knowledge_stores()
        .add_collection_items("ks", "c", &[])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
    let _ = client
        .knowledge_stores()
        .retrieve_item("ks_1", "../x")
        .await;
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/knowledge-stores/ks_1/items/..%2Fx")
    );
}

#[test]
fn futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let request = SearchKnowledgeStoreRequest::new("x");
    assert_send(&client.knowledge_stores().search("ks", &request));
    assert_send(&client.knowledge_stores().wait_for_item(
        "ks",
        "i",
        &PollOptions::default(),
        |_| {},
    ));
}
