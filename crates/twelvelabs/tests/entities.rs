//! Entity collections and entities against media-mock over real HTTP.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateEntityRequest, EntityCollectionRequest, EntityMetadata, EntityStatus,
    Error, ListEntitiesParams, MetadataValue, PollOptions, RetryPolicy, SortBy, SortOption,
    UpdateEntityRequest,
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

fn seed_faces(server: &MockServer) {
    for id in ["face1", "face2", "face3"] {
        server.seed_twelvelabs_asset(
            json!({"_id": id, "status": "ready", "file_type": "image/jpeg"}),
        );
    }
}

#[tokio::test]
async fn collections_crud() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .entity_collections()
        .create(&EntityCollectionRequest::new("People").description("Staff"))
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.name.as_deref(), Some("People"));
    assert_eq!(created.description.as_deref(), Some("Staff"));
    assert!(created.created_at.is_some() && created.updated_at.is_some());
    let request = &server.requests()[0];
    assert_eq!(request.path, format!("{PREFIX}/entity-collections"));
    assert_eq!(
        request.json().unwrap(),
        json!({"name": "People", "description": "Staff"})
    );

    let updated = client
        .entity_collections()
        .update(&id, &EntityCollectionRequest::update().name("Crew"))
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Crew"));
    assert_eq!(updated.description.as_deref(), Some("Staff"));
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.json().unwrap(), json!({"name": "Crew"}));

    client
        .entity_collections()
        .create(&EntityCollectionRequest::new("Animals"))
        .await
        .unwrap();
    server.clear_requests();
    let page = client
        .entity_collections()
        .list(
            &ListEntitiesParams::new()
                .sort(SortBy::Name, SortOption::Asc)
                .status(EntityStatus::Ready)
                .page_limit(1),
        )
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].query.as_deref(),
        Some("page_limit=1&sort_by=name&sort_option=asc"),
        "collections take no status filter"
    );
    assert_eq!(page.data[0].name.as_deref(), Some("Animals"));
    assert_eq!(page.page_info.total_page, Some(2));
    let all: Vec<_> = client
        .entity_collections()
        .list_all(ListEntitiesParams::new().page_limit(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);

    assert_eq!(
        client
            .entity_collections()
            .retrieve(&id)
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("Crew")
    );
    client.entity_collections().delete(&id).await.unwrap();
    assert!(
        client
            .entity_collections()
            .retrieve(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(matches!(
        client
            .entity_collections()
            .create(&EntityCollectionRequest::new(""))
            .await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn entities_crud_assets_and_wait() {
    let server = MockServer::start().await;
    seed_faces(&server);
    let client = client(&server);
    let collection = client
        .entity_collections()
        .create(&EntityCollectionRequest::new("People"))
        .await
        .unwrap()
        .id
        .unwrap();
    server.clear_requests();

    let entity = client
        .entities()
        .create(
            &collection,
            &CreateEntityRequest::new("Ada", ["face1"])
                .description("Engineer")
                .metadata("age", 36_i64)
                .metadata("team", "core"),
        )
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.path,
        format!("{PREFIX}/entity-collections/{collection}/entities")
    );
    assert_eq!(
        request.json().unwrap(),
        json!({"name": "Ada", "asset_ids": ["face1"], "description": "Engineer", "metadata": {"age": 36, "team": "core"}})
    );
    let entity_id = entity.id.clone().unwrap();
    assert_eq!(
        entity.entity_collection_id.as_deref(),
        Some(collection.as_str())
    );
    assert_eq!(entity.status, Some(EntityStatus::Processing));
    assert_eq!(entity.asset_ids, ["face1"]);
    assert_eq!(
        entity.metadata.as_ref().unwrap()["age"],
        MetadataValue::Integer(36)
    );

    let options = PollOptions::default()
        .interval(Duration::from_millis(5))
        .max_wait(Duration::from_secs(5));
    let ready = client
        .entities()
        .wait_until_ready(&collection, &entity_id, &options, |_| {})
        .await
        .unwrap();
    assert_eq!(ready.status, Some(EntityStatus::Ready));

    let added = client
        .entities()
        .add_assets(&collection, &entity_id, &["face2", "face3"])
        .await
        .unwrap();
    assert_eq!(added.asset_ids, ["face1", "face2", "face3"]);
    assert_eq!(added.status, Some(EntityStatus::Processing));
    let removed = client
        .entities()
        .remove_assets(&collection, &entity_id, &["face1"])
        .await
        .unwrap();
    assert_eq!(removed.asset_ids, ["face2", "face3"]);
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "DELETE");
    assert_eq!(
        request.path,
        format!("{PREFIX}/entity-collections/{collection}/entities/{entity_id}/assets")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json().unwrap(),
        json!({"asset_ids": ["face1"]}),
        "DELETE carries its JSON body"
    );
    let err = client
        .entities()
        .remove_assets(&collection, &entity_id, &["face2", "face3"])
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("parameter_invalid"),
        "the last asset stays"
    );
    assert!(matches!(
        client
            .entities()
            .add_assets(&collection, &entity_id, &[])
            .await,
        Err(Error::InvalidInput(_))
    ));

    let mut metadata = EntityMetadata::new();
    metadata.insert("role".into(), MetadataValue::String("lead".into()));
    let updated = client
        .entities()
        .update(
            &collection,
            &entity_id,
            &UpdateEntityRequest::new().name("Ada L.").metadata(metadata),
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Ada L."));
    let meta = updated.metadata.unwrap();
    assert_eq!(meta.len(), 1, "metadata replaces the map");
    let mut nested = EntityMetadata::new();
    nested.insert("tags".into(), MetadataValue::StringList(vec!["a".into()]));
    assert!(matches!(
        client
            .entities()
            .update(
                &collection,
                &entity_id,
                &UpdateEntityRequest::new().metadata(nested)
            )
            .await,
        Err(Error::InvalidInput(_))
    ));

    let by_asset = client
        .entities()
        .list_by_asset("face2", None, None)
        .await
        .unwrap();
    assert_eq!(by_asset.data.len(), 1);
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{PREFIX}/assets/face2/entities")
    );
    let all: Vec<_> = client
        .entities()
        .list_all_by_asset("face2", Some(5))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);

    let page = client
        .entities()
        .list(
            &collection,
            &ListEntitiesParams::new()
                .name("ada")
                .status(EntityStatus::Processing),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("name=ada&status=processing")
    );
    let every: Vec<_> = client
        .entities()
        .list_all(&collection, ListEntitiesParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(every.len(), 1);

    client
        .entities()
        .delete(&collection, &entity_id)
        .await
        .unwrap();
    assert!(
        client
            .entities()
            .retrieve(&collection, &entity_id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn bulk_create_reports_partial_success() {
    let server = MockServer::start().await;
    seed_faces(&server);
    let client = client(&server);
    let collection = client
        .entity_collections()
        .create(&EntityCollectionRequest::new("People"))
        .await
        .unwrap()
        .id
        .unwrap();
    let result = client
        .entities()
        .create_bulk(
            &collection,
            &[
                CreateEntityRequest::new("Ada", ["face1"]),
                CreateEntityRequest::new("Ghost", ["no-such-asset"]),
            ],
        )
        .await
        .unwrap();
    assert_eq!(result.success_count, Some(1));
    assert_eq!(result.failed_count, Some(1));
    assert_eq!(result.entities[0].name.as_deref(), Some("Ada"));
    assert_eq!(result.entities[0].status, Some(EntityStatus::Processing));
    assert_eq!(result.errors[0].entity_index, Some(1));
    assert_eq!(result.errors[0].entity_name.as_deref(), Some("Ghost"));
    assert!(
        result.errors[0]
            .error_reason
            .as_deref()
            .unwrap()
            .contains("no-such-asset")
    );
    let request = server.requests().pop().unwrap();
    assert_eq!(
        request.path,
        format!("{PREFIX}/entity-collections/{collection}/entities/bulk")
    );
    assert_eq!(request.json().unwrap()["entities"][1]["name"], "Ghost");

    for bad in [
        vec![],
        vec![CreateEntityRequest::new("x", Vec::<String>::new())],
    ] {
        assert!(matches!(
            client.entities().create_bulk(&collection, &bad).await,
            Err(Error::InvalidInput(_))
        ));
    }
}
