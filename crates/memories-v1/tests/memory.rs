//! The Memory group over real HTTP.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

mod support;

use media_mock::MockServer;
use memories_v1::{AddMemoriesParams, Error, MemoryItem, MemoryQuery};
use serde_json::json;
use support::{assert_sent, client, last};

#[tokio::test]
async fn add_search_and_list_memories() {
    let server = MockServer::start().await;
    let client = client(&server);
    let added = client
        .memory()
        .add(
            &AddMemoriesParams::new([MemoryItem::new("user", "Prefers short summaries")])
                .unique_id("tenant_42")
                .tags(["prefs"])
                .location("39.9", "116.4")
                .memories_at("2025-11-20T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(added, Some(json!({})));
    let request = last(&server);
    assert_sent(&request, "POST", "/memories/add");
    assert_eq!(
        request.json().unwrap(),
        json!({"unique_id": "tenant_42", "memories": [{"role": "user", "content": "Prefers short summaries"}],
               "tags": ["prefs"], "latitude": "39.9", "longitude": "116.4", "memories_at": "2025-11-20T09:00:00Z"})
    );

    let found = client
        .memory()
        .search(
            &MemoryQuery::new()
                .query("short")
                .unique_id("tenant_42")
                .page(1)
                .page_size(10),
        )
        .await
        .unwrap()
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/memories/search");
    assert_eq!(
        request.json().unwrap(),
        json!({"unique_id": "tenant_42", "query": "short", "page": 1, "page_size": 10})
    );
    assert_eq!(found["memories"][0]["content"], "Prefers short summaries");

    let all = client
        .memory()
        .list(&MemoryQuery::new().unique_id("tenant_42"))
        .await
        .unwrap()
        .unwrap();
    assert_sent(&last(&server), "POST", "/memories");
    assert_eq!(all["total_count"], 1);
    let other = client
        .memory()
        .list(&MemoryQuery::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other["total_count"], 0);
}

#[tokio::test]
async fn memories_are_validated_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let empty: [MemoryItem; 0] = [];
    assert!(matches!(
        client.memory().add(&AddMemoriesParams::new(empty)).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        client
            .memory()
            .add(&AddMemoriesParams::new([MemoryItem::new("user", "")]))
            .await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        client.memory().search(&MemoryQuery::new()).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(server.requests().is_empty());
}
