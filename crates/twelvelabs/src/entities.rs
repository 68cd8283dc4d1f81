//! Manage entities (Entity Search, beta): `/entity-collections` and their
//! entities (catalog §3.7).
//!
//! Entities are people or objects identified by reference image assets;
//! search for them by putting `<@entity_id>` in a search's `query_text`
//! (see [`crate::SearchRequest::entity`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Provider, Result};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{MetadataValue, Page, SortBy, SortOption, all_pages, paging, require_text};
use media_core::open_enum;

/// An entity's metadata: keys to strings, numbers or booleans (nested values
/// must be stringified).
pub type EntityMetadata = BTreeMap<String, MetadataValue>;

open_enum! {
    /// Whether an entity is usable in searches (`status`).
    pub enum EntityStatus {
        /// Its reference assets are being processed.
        Processing = "processing",
        /// Searchable.
        Ready = "ready",
    }
}

/// An entity collection (`EntityCollection`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntityCollection {
    /// The collection id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When it was created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An entity (`Entity`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entity {
    /// The entity id (`_id`), used as `<@id>` in search queries.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The collection it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_collection_id: Option<String>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EntityMetadata>,
    /// The reference assets.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub asset_ids: Vec<String>,
    /// Whether it is searchable yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<EntityStatus>,
    /// When it was created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One entity created by a bulk create.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkCreatedEntity {
    /// The entity id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<EntityStatus>,
}

/// One entity a bulk create rejected.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkEntityError {
    /// Its position in the request, from 0.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub entity_index: Option<u32>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    /// Why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_reason: Option<String>,
}

/// The answer of a bulk create (`BulkCreateEntityResponse`); partial success is possible.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkCreateEntityResponse {
    /// How many were created.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub success_count: Option<u32>,
    /// How many were rejected.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub failed_count: Option<u32>,
    /// The created entities.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub entities: Vec<BulkCreatedEntity>,
    /// The rejected ones.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub errors: Vec<BulkEntityError>,
}

/// Body of `POST /entity-collections` and `PATCH /entity-collections/{id}`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntityCollectionRequest {
    /// The name (required to create).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl EntityCollectionRequest {
    /// A collection named `name` (for a create).
    pub fn new(name: impl Into<String>) -> EntityCollectionRequest {
        EntityCollectionRequest {
            name: Some(name.into()),
            description: None,
        }
    }

    /// Changes nothing yet (for an update).
    pub fn update() -> EntityCollectionRequest {
        EntityCollectionRequest::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> EntityCollectionRequest {
        self.name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> EntityCollectionRequest {
        self.description = Some(description.into());
        self
    }
}

/// Body of an entity create (one entry of a bulk create).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateEntityRequest {
    /// The name.
    pub name: String,
    /// Reference image assets (at least one).
    pub asset_ids: Vec<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata: strings, numbers or booleans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EntityMetadata>,
}

impl CreateEntityRequest {
    /// An entity `name` identified by `asset_ids`.
    pub fn new<I, S>(name: impl Into<String>, asset_ids: I) -> CreateEntityRequest
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CreateEntityRequest {
            name: name.into(),
            asset_ids: asset_ids.into_iter().map(Into::into).collect(),
            description: None,
            metadata: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> CreateEntityRequest {
        self.description = Some(description.into());
        self
    }

    /// Sets one metadata key.
    pub fn metadata(
        mut self,
        key: impl Into<String>,
        value: impl Into<MetadataValue>,
    ) -> CreateEntityRequest {
        self.metadata
            .get_or_insert_with(EntityMetadata::new)
            .insert(key.into(), value.into());
        self
    }

    fn problem(&self) -> Option<String> {
        if self.name.trim().is_empty() {
            return Some("`name` must not be empty".into());
        }
        if self.asset_ids.is_empty() || self.asset_ids.iter().any(|id| id.trim().is_empty()) {
            return Some("`asset_ids` must list at least one non-empty asset id".into());
        }
        metadata_problem(self.metadata.as_ref())
    }
}

fn metadata_problem(metadata: Option<&EntityMetadata>) -> Option<String> {
    metadata?.iter().find_map(|(key, value)| {
        (!matches!(
            value,
            MetadataValue::String(_)
                | MetadataValue::Integer(_)
                | MetadataValue::Number(_)
                | MetadataValue::Boolean(_)
        ))
        .then(|| format!("metadata `{key}` must be a string, number or boolean"))
    })
}

/// Body of `PATCH …/entities/{entity_id}`; `metadata` replaces the stored map.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateEntityRequest {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New metadata (replaces the whole map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EntityMetadata>,
}

impl UpdateEntityRequest {
    /// Changes nothing yet.
    pub fn new() -> UpdateEntityRequest {
        UpdateEntityRequest::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> UpdateEntityRequest {
        self.name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> UpdateEntityRequest {
        self.description = Some(description.into());
        self
    }

    /// Replaces the metadata.
    pub fn metadata(mut self, metadata: EntityMetadata) -> UpdateEntityRequest {
        self.metadata = Some(metadata);
        self
    }
}

/// Query of the collection and entity lists.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListEntitiesParams {
    /// The page, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Only names containing this.
    pub name: Option<String>,
    /// Only this status (entities only).
    pub status: Option<EntityStatus>,
    /// Sort field (`created_at`, `updated_at` or `name`).
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    pub sort_option: Option<SortOption>,
}

impl ListEntitiesParams {
    /// No filters.
    pub fn new() -> ListEntitiesParams {
        ListEntitiesParams::default()
    }

    /// Requests page `page` (from 1).
    pub fn page(mut self, page: u32) -> ListEntitiesParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> ListEntitiesParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Only `name`.
    pub fn name(mut self, name: impl Into<String>) -> ListEntitiesParams {
        self.name = Some(name.into());
        self
    }

    /// Only `status` (entity lists).
    pub fn status(mut self, status: EntityStatus) -> ListEntitiesParams {
        self.status = Some(status);
        self
    }

    /// Sorts by `sort_by` in direction `sort_option`.
    pub fn sort(mut self, sort_by: SortBy, sort_option: SortOption) -> ListEntitiesParams {
        self.sort_by = Some(sort_by);
        self.sort_option = Some(sort_option);
        self
    }

    fn apply(&self, request: ApiRequest) -> ApiRequest {
        paging(request, self.page, self.page_limit)
            .query_opt("name", self.name.as_deref())
            .query_opt("status", self.status.as_ref())
            .query_opt("sort_by", self.sort_by.as_ref())
            .query_opt("sort_option", self.sort_option.as_ref())
    }
}

/// The `/entity-collections` endpoints; get it from [`Client::entity_collections`].
#[derive(Debug, Clone, Copy)]
pub struct EntityCollections<'a> {
    client: &'a Client,
}

/// The entity endpoints; get it from [`Client::entities`].
#[derive(Debug, Clone, Copy)]
pub struct Entities<'a> {
    client: &'a Client,
}

impl Client {
    /// Entity collections: `/entity-collections`.
    pub fn entity_collections(&self) -> EntityCollections<'_> {
        EntityCollections { client: self }
    }

    /// Entities: `/entity-collections/{id}/entities` and `/assets/{id}/entities`.
    pub fn entities(&self) -> Entities<'_> {
        Entities { client: self }
    }
}

const COLLECTION: &str = "/entity-collections/{entity_collection_id}";
const ENTITIES: &str = "/entity-collections/{entity_collection_id}/entities";
const ENTITY: &str = "/entity-collections/{entity_collection_id}/entities/{entity_id}";
const ENTITY_ASSETS: &str =
    "/entity-collections/{entity_collection_id}/entities/{entity_id}/assets";

impl EntityCollections<'_> {
    /// `GET /entity-collections`: one page (the `status` filter is not sent).
    pub async fn list(&self, params: &ListEntitiesParams) -> Result<Page<EntityCollection>> {
        let mut params = params.clone();
        params.status = None;
        self.client
            .execute(params.apply(ApiRequest::get("/entity-collections")))
            .await
    }

    /// Every collection, page after page.
    pub fn list_all(
        &self,
        params: ListEntitiesParams,
    ) -> BoxStream<'static, Result<EntityCollection>> {
        let client = self.client.clone();
        all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.entity_collections().list(&params).await }
        })
    }

    /// `POST /entity-collections`.
    pub async fn create(&self, request: &EntityCollectionRequest) -> Result<EntityCollection> {
        let mut http = ApiRequest::post("/entity-collections").json(request);
        require_text(
            &mut http,
            "name",
            request.name.as_deref().unwrap_or_default(),
        );
        self.client.execute(http).await
    }

    /// `GET /entity-collections/{entity_collection_id}`.
    pub async fn retrieve(&self, entity_collection_id: &str) -> Result<EntityCollection> {
        let request =
            ApiRequest::get(COLLECTION).path_param("entity_collection_id", entity_collection_id);
        self.client.execute(request).await
    }

    /// `PATCH /entity-collections/{entity_collection_id}`: new name and/or description.
    pub async fn update(
        &self,
        entity_collection_id: &str,
        request: &EntityCollectionRequest,
    ) -> Result<EntityCollection> {
        let mut http = ApiRequest::patch(COLLECTION)
            .path_param("entity_collection_id", entity_collection_id)
            .json(request)
            .idempotent(true);
        if request.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            http.reject("`name` must not be empty");
        }
        self.client.execute(http).await
    }

    /// `DELETE /entity-collections/{entity_collection_id}`, irreversibly.
    pub async fn delete(&self, entity_collection_id: &str) -> Result<()> {
        let request =
            ApiRequest::delete(COLLECTION).path_param("entity_collection_id", entity_collection_id);
        self.client.execute_empty(request).await
    }
}

impl Entities<'_> {
    /// `GET /entity-collections/{entity_collection_id}/entities`: one page.
    pub async fn list(
        &self,
        entity_collection_id: &str,
        params: &ListEntitiesParams,
    ) -> Result<Page<Entity>> {
        let request = params
            .apply(ApiRequest::get(ENTITIES))
            .path_param("entity_collection_id", entity_collection_id);
        self.client.execute(request).await
    }

    /// Every entity of the collection, page after page.
    pub fn list_all(
        &self,
        entity_collection_id: &str,
        params: ListEntitiesParams,
    ) -> BoxStream<'static, Result<Entity>> {
        let client = self.client.clone();
        let collection = entity_collection_id.to_owned();
        all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let collection = collection.clone();
            let params = params.clone().page(page);
            async move { client.entities().list(&collection, &params).await }
        })
    }

    /// `POST /entity-collections/{entity_collection_id}/entities`.
    pub async fn create(
        &self,
        entity_collection_id: &str,
        request: &CreateEntityRequest,
    ) -> Result<Entity> {
        let mut http = ApiRequest::post(ENTITIES)
            .path_param("entity_collection_id", entity_collection_id)
            .json(request);
        if let Some(problem) = request.problem() {
            http.reject(problem);
        }
        self.client.execute(http).await
    }

    /// `POST /entity-collections/{entity_collection_id}/entities/bulk`:
    /// creates many entities; some may fail while others succeed.
    pub async fn create_bulk(
        &self,
        entity_collection_id: &str,
        entities: &[CreateEntityRequest],
    ) -> Result<BulkCreateEntityResponse> {
        let mut http = ApiRequest::post("/entity-collections/{entity_collection_id}/entities/bulk")
            .path_param("entity_collection_id", entity_collection_id)
            .json(&serde_json::json!({ "entities": entities }));
        if entities.is_empty() {
            http.reject("`entities` must list at least one entity");
        }
        if let Some((index, problem)) = entities
            .iter()
            .enumerate()
            .find_map(|(i, e)| e.problem().map(|p| (i, p)))
        {
            http.reject(format!("entity {index}: {problem}"));
        }
        self.client.execute(http).await
    }

    /// `GET …/entities/{entity_id}`.
    pub async fn retrieve(&self, entity_collection_id: &str, entity_id: &str) -> Result<Entity> {
        let request = ApiRequest::get(ENTITY)
            .path_param("entity_collection_id", entity_collection_id)
            .path_param("entity_id", entity_id);
        self.client.execute(request).await
    }

    /// `PATCH …/entities/{entity_id}`: `metadata` replaces the stored map;
    /// the reference assets are untouched.
    pub async fn update(
        &self,
        entity_collection_id: &str,
        entity_id: &str,
        request: &UpdateEntityRequest,
    ) -> Result<Entity> {
        let mut http = ApiRequest::patch(ENTITY)
            .path_param("entity_collection_id", entity_collection_id)
            .path_param("entity_id", entity_id)
            .json(request)
            .idempotent(true);
        if let Some(problem) = metadata_problem(request.metadata.as_ref()) {
            http.reject(problem);
        }
        self.client.execute(http).await
    }

    /// `DELETE …/entities/{entity_id}`; its assets are kept.
    pub async fn delete(&self, entity_collection_id: &str, entity_id: &str) -> Result<()> {
        let request = ApiRequest::delete(ENTITY)
            .path_param("entity_collection_id", entity_collection_id)
            .path_param("entity_id", entity_id);
        self.client.execute_empty(request).await
    }

    fn assets_request(
        method: reqwest::Method,
        entity_collection_id: &str,
        entity_id: &str,
        asset_ids: &[&str],
    ) -> ApiRequest {
        let mut request = ApiRequest::new(method, ENTITY_ASSETS)
            .path_param("entity_collection_id", entity_collection_id)
            .path_param("entity_id", entity_id)
            .json(&serde_json::json!({ "asset_ids": asset_ids }));
        if asset_ids.is_empty() || asset_ids.iter().any(|id| id.trim().is_empty()) {
            request.reject("`asset_ids` must list at least one non-empty asset id");
        }
        request
    }

    /// `POST …/entities/{entity_id}/assets`: adds reference assets (the
    /// entity may go back to `processing`).
    pub async fn add_assets(
        &self,
        entity_collection_id: &str,
        entity_id: &str,
        asset_ids: &[&str],
    ) -> Result<Entity> {
        let request = Self::assets_request(
            reqwest::Method::POST,
            entity_collection_id,
            entity_id,
            asset_ids,
        );
        self.client.execute(request).await
    }

    /// `DELETE …/entities/{entity_id}/assets` with a JSON body: removes
    /// reference assets (the last one cannot be removed).
    pub async fn remove_assets(
        &self,
        entity_collection_id: &str,
        entity_id: &str,
        asset_ids: &[&str],
    ) -> Result<Entity> {
        let request = Self::assets_request(
            reqwest::Method::DELETE,
            entity_collection_id,
            entity_id,
            asset_ids,
        );
        self.client.execute(request).await
    }

    /// `GET /assets/{asset_id}/entities`: the entities that use an asset.
    pub async fn list_by_asset(
        &self,
        asset_id: &str,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<Entity>> {
        let request = paging(
            ApiRequest::get("/assets/{asset_id}/entities"),
            page,
            page_limit,
        )
        .path_param("asset_id", asset_id);
        self.client.execute(request).await
    }

    /// Every entity using `asset_id`, page after page.
    pub fn list_all_by_asset(
        &self,
        asset_id: &str,
        page_limit: Option<u32>,
    ) -> BoxStream<'static, Result<Entity>> {
        let client = self.client.clone();
        let asset_id = asset_id.to_owned();
        all_pages(1, move |page| {
            let client = client.clone();
            let asset_id = asset_id.clone();
            async move {
                client
                    .entities()
                    .list_by_asset(&asset_id, Some(page), page_limit)
                    .await
            }
        })
    }

    /// Polls the entity until it is `ready` (its reference assets processed),
    /// calling `on_update` with every observation.
    pub async fn wait_until_ready<F>(
        &self,
        entity_collection_id: &str,
        entity_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<Entity>
    where
        F: FnMut(&Entity) + Send,
    {
        let what = format!("entity {entity_id}");
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &what,
            options,
            move || async move {
                let entity = this.retrieve(entity_collection_id, entity_id).await?;
                Ok(if entity.status == Some(EntityStatus::Ready) {
                    PollStatus::Done(entity)
                } else {
                    PollStatus::Pending(entity)
                })
            },
            on_update,
        )
        .await
    }
}
