//! Knowledge stores, their items and item collections (Jockey):
//! `/knowledge-stores/…` (catalog §3.12, §3.15 "Knowledge stores").
//!
//! A knowledge store holds video and image items plus what the platform
//! derived from them; [`crate::Responses`] reasons over it. Items are
//! processed asynchronously ([`KnowledgeStores::wait_for_item`]).
//! [`KnowledgeStores::search`] pages with a token in the request body; an
//! expired token (HTTP 410) becomes an [`Error::Api`] that says so.

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Value, json};

use crate::client::Client;
use crate::common::{MetadataValue, Page, SortBy, SortOption, UserMetadata};
use crate::wire;
use media_core::open_enum;

open_enum! {
    /// What a knowledge-store item holds (`asset_type`).
    pub enum KnowledgeAssetType {
        /// A video.
        Video = "video",
        /// An image.
        Image = "image",
    }
}

open_enum! {
    /// Where an item is in processing (`status`).
    pub enum KnowledgeItemStatus {
        /// Waiting.
        Queued = "queued",
        /// Accepted.
        Pending = "pending",
        /// Being processed.
        Processing = "processing",
        /// Usable.
        Ready = "ready",
        /// Failed.
        Failed = "failed",
    }
}

open_enum! {
    /// How search results are grouped (`group_by`).
    pub enum KnowledgeGroupBy {
        /// One clip or image per result (default).
        None = "none",
        /// Clips grouped per video.
        Item = "item",
    }
}

// ---------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------

/// How items are enriched at ingestion (`IngestionConfig.enrichment_config`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnrichmentConfig {
    /// `json_schema` or `description`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For `json_schema`: an object schema whose properties each have a `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    /// For `description`: what to extract, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Immutable ingestion settings of a store (`IngestionConfig`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestionConfig {
    /// The enrichment.
    pub enrichment_config: EnrichmentConfig,
}

impl IngestionConfig {
    /// Enrich items with fields following `schema` (`{type: object, properties: …}`).
    pub fn json_schema(schema: Value) -> IngestionConfig {
        IngestionConfig {
            enrichment_config: EnrichmentConfig {
                kind: "json_schema".into(),
                json_schema: Some(schema),
                description: None,
            },
        }
    }

    /// Enrich items as `description` says.
    pub fn description(description: impl Into<String>) -> IngestionConfig {
        IngestionConfig {
            enrichment_config: EnrichmentConfig {
                kind: "description".into(),
                json_schema: None,
                description: Some(description.into()),
            },
        }
    }

    fn problem(&self) -> Option<String> {
        let config = &self.enrichment_config;
        match config.kind.as_str() {
            "json_schema" => {
                let properties = config
                    .json_schema
                    .as_ref()
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object);
                match properties {
                    None => Some("the enrichment schema needs an object of `properties`".into()),
                    Some(p) => p
                        .iter()
                        .find(|(_, v)| {
                            v.get("description")
                                .and_then(Value::as_str)
                                .is_none_or(|d| d.trim().is_empty())
                        })
                        .map(|(k, _)| format!("enrichment property `{k}` needs a `description`")),
                }
            }
            "description"
                if config
                    .description
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty()) =>
            {
                Some("the enrichment `description` must not be empty".into())
            }
            _ => None,
        }
    }
}

/// A knowledge store (`KnowledgeStore`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeStore {
    /// Its id (`_id`, `ks_…`).
    #[serde(rename = "_id")]
    pub id: String,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its ingestion settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingestion_config: Option<IngestionConfig>,
    /// How many items it holds.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub item_count: Option<u64>,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// Last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
    /// Your metadata.
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<UserMetadata>,
}

/// File facts of an item (`system_metadata`; the video and image variants in one).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeItemSystemMetadata {
    /// The variant tag, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_type: Option<KnowledgeAssetType>,
    /// File name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Duration, seconds (video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// Frame rate (video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub fps: Option<f64>,
    /// Width, pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<u32>,
    /// Height, pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub height: Option<u32>,
    /// Codec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec_name: Option<String>,
    /// Size, bytes.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub size: Option<u64>,
}

/// An item of a knowledge store (`KnowledgeStoreItem`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeStoreItem {
    /// Its id (`_id`, `ksi_…`).
    #[serde(rename = "_id")]
    pub id: String,
    /// `video` or `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_type: Option<KnowledgeAssetType>,
    /// The asset it was made from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// Where it is in processing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KnowledgeItemStatus>,
    /// File facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_metadata: Option<KnowledgeItemSystemMetadata>,
    /// Your metadata.
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<UserMetadata>,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// Last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A named set of items (`KnowledgeStoreItemCollection`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeStoreItemCollection {
    /// Its id (`_id`, `ksic_…`).
    #[serde(rename = "_id")]
    pub id: String,
    /// Its store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knowledge_store_id: Option<String>,
    /// Its name (unique in the store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your metadata.
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<UserMetadata>,
    /// How many items it holds.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub member_count: Option<u64>,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// Last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// Metadata limits for one kind of object.
struct Limits {
    what: &'static str,
    pairs: usize,
    value_chars: usize,
}

const STORE_LIMITS: Limits = Limits {
    what: "store",
    pairs: 10,
    value_chars: 2048,
};
const COLLECTION_LIMITS: Limits = Limits {
    what: "item collection",
    pairs: 10,
    value_chars: 2048,
};
const ITEM_LIMITS: Limits = Limits {
    what: "item",
    pairs: 50,
    value_chars: 8192,
};

fn metadata_problem(metadata: Option<&UserMetadata>, limits: &Limits) -> Option<String> {
    let metadata = metadata?;
    if metadata.len() > limits.pairs {
        return Some(format!(
            "{} metadata holds at most {} pairs",
            limits.what, limits.pairs
        ));
    }
    metadata.iter().find_map(|(key, value)| {
        if key.is_empty() || key.chars().count() > 128 {
            return Some(format!("metadata key {key:?} must be 1–128 characters"));
        }
        match value {
            MetadataValue::String(s) if s.chars().count() > limits.value_chars => Some(format!(
                "{} metadata string values are at most {} characters (`{key}`)",
                limits.what, limits.value_chars
            )),
            MetadataValue::Other(_) => Some(format!(
                "metadata `{key}`: nulls, nested objects and non-string lists are refused"
            )),
            _ => None,
        }
    })
}

/// `POST /knowledge-stores`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateKnowledgeStoreRequest {
    /// The name.
    pub name: String,
    /// Ingestion settings (immutable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingestion_config: Option<IngestionConfig>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your metadata (≤10 pairs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<UserMetadata>,
}

impl CreateKnowledgeStoreRequest {
    /// A store called `name`.
    pub fn new(name: impl Into<String>) -> CreateKnowledgeStoreRequest {
        CreateKnowledgeStoreRequest {
            name: name.into(),
            ingestion_config: None,
            description: None,
            metadata: None,
        }
    }

    /// Sets the ingestion settings.
    pub fn ingestion_config(mut self, config: IngestionConfig) -> CreateKnowledgeStoreRequest {
        self.ingestion_config = Some(config);
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> CreateKnowledgeStoreRequest {
        self.description = Some(description.into());
        self
    }

    /// Sets the metadata.
    pub fn metadata(mut self, metadata: UserMetadata) -> CreateKnowledgeStoreRequest {
        self.metadata = Some(metadata);
        self
    }

    fn problem(&self) -> Option<String> {
        if self.name.trim().is_empty() {
            return Some("`name` must not be empty".into());
        }
        self.ingestion_config
            .as_ref()
            .and_then(IngestionConfig::problem)
            .or_else(|| metadata_problem(self.metadata.as_ref(), &STORE_LIMITS))
    }
}

/// `PATCH` of a store or an item collection: the fields to change.
/// `metadata` replaces the whole map (`{}` clears it).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateKnowledgeRequest {
    /// The new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The new metadata (replaces the stored map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<UserMetadata>,
}

impl UpdateKnowledgeRequest {
    /// Changes nothing yet.
    pub fn new() -> UpdateKnowledgeRequest {
        UpdateKnowledgeRequest::default()
    }

    /// Renames.
    pub fn name(mut self, name: impl Into<String>) -> UpdateKnowledgeRequest {
        self.name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> UpdateKnowledgeRequest {
        self.description = Some(description.into());
        self
    }

    /// Replaces the metadata.
    pub fn metadata(mut self, metadata: UserMetadata) -> UpdateKnowledgeRequest {
        self.metadata = Some(metadata);
        self
    }

    fn problem(&self, limits: &Limits) -> Option<String> {
        if self.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Some("`name` must not be empty".into());
        }
        metadata_problem(self.metadata.as_ref(), limits)
    }
}

/// `POST …/items`: add an asset to a store.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateKnowledgeItemRequest {
    /// The asset.
    pub asset_id: String,
    /// `video` or `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_type: Option<KnowledgeAssetType>,
    /// Your metadata (≤50 pairs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<UserMetadata>,
}

impl CreateKnowledgeItemRequest {
    /// Adds asset `asset_id`.
    pub fn new(asset_id: impl Into<String>) -> CreateKnowledgeItemRequest {
        CreateKnowledgeItemRequest {
            asset_id: asset_id.into(),
            asset_type: None,
            metadata: None,
        }
    }

    /// Sets the asset type.
    pub fn asset_type(mut self, asset_type: KnowledgeAssetType) -> CreateKnowledgeItemRequest {
        self.asset_type = Some(asset_type);
        self
    }

    /// Sets the metadata.
    pub fn metadata(mut self, metadata: UserMetadata) -> CreateKnowledgeItemRequest {
        self.metadata = Some(metadata);
        self
    }
}

/// `POST …/item-collections`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateItemCollectionRequest {
    /// The name (unique in the store).
    pub name: String,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your metadata (≤10 pairs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<UserMetadata>,
}

impl CreateItemCollectionRequest {
    /// A collection called `name`.
    pub fn new(name: impl Into<String>) -> CreateItemCollectionRequest {
        CreateItemCollectionRequest {
            name: name.into(),
            description: None,
            metadata: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> CreateItemCollectionRequest {
        self.description = Some(description.into());
        self
    }

    /// Sets the metadata.
    pub fn metadata(mut self, metadata: UserMetadata) -> CreateItemCollectionRequest {
        self.metadata = Some(metadata);
        self
    }
}

/// Paging and sorting of the knowledge-store lists; `status` applies to
/// [`KnowledgeStores::list_items`] only (the other lists have no status).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListKnowledgeParams {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Sort key.
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    pub sort_option: Option<SortOption>,
    /// Item statuses (items only; repeated).
    pub status: Vec<KnowledgeItemStatus>,
}

impl ListKnowledgeParams {
    /// Server defaults.
    pub fn new() -> ListKnowledgeParams {
        ListKnowledgeParams::default()
    }

    /// Requests page `page`.
    pub fn page(mut self, page: u32) -> ListKnowledgeParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` per page.
    pub fn page_limit(mut self, page_limit: u32) -> ListKnowledgeParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Sorts by `sort_by`, `sort_option`.
    pub fn sort(mut self, sort_by: SortBy, sort_option: SortOption) -> ListKnowledgeParams {
        self.sort_by = Some(sort_by);
        self.sort_option = Some(sort_option);
        self
    }

    /// Adds an item status to the filter.
    pub fn status(mut self, status: KnowledgeItemStatus) -> ListKnowledgeParams {
        self.status.push(status);
        self
    }

    fn apply(&self, request: ApiRequest, with_status: bool) -> ApiRequest {
        let request = request
            .query_opt("sort_by", self.sort_by.as_ref())
            .query_opt("sort_option", self.sort_option.as_ref());
        let request = if with_status {
            request.query_each("status", &self.status)
        } else {
            wire::check(
                request,
                !self.status.is_empty(),
                "only item lists filter by `status`",
            )
        };
        wire::paging(request, self.page, self.page_limit)
    }
}

/// `{eq: v}` or `{in: [v…]}`: one operator of a search filter field.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldFilter {
    /// Equal to.
    Eq(String),
    /// One of.
    In(Vec<String>),
}

impl Serialize for FieldFilter {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            FieldFilter::Eq(v) => json!({"eq": v}),
            FieldFilter::In(v) => json!({"in": v}),
        }
        .serialize(serializer)
    }
}

/// Search filter (fields are AND-ed).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KnowledgeSearchFilter {
    /// By asset type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_type: Option<FieldFilter>,
    /// By item id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<FieldFilter>,
}

impl KnowledgeSearchFilter {
    /// No conditions.
    pub fn new() -> KnowledgeSearchFilter {
        KnowledgeSearchFilter::default()
    }

    /// Filters on `asset_type`.
    pub fn asset_type(mut self, filter: FieldFilter) -> KnowledgeSearchFilter {
        self.asset_type = Some(filter);
        self
    }

    /// Filters on `item_id`.
    pub fn item_id(mut self, filter: FieldFilter) -> KnowledgeSearchFilter {
        self.item_id = Some(filter);
        self
    }
}

/// `POST /knowledge-stores/{id}/search`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchKnowledgeStoreRequest {
    /// `{ text }`.
    pub query: Value,
    /// Filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<KnowledgeSearchFilter>,
    /// `{ video: { modalities: [...] } }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_options: Option<Value>,
    /// Grouping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<KnowledgeGroupBy>,
    /// Results per page (default 10, max 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// The previous answer's `next_page_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Add `metadata.system`/`metadata.user` to hits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_metadata: Option<bool>,
}

impl SearchKnowledgeStoreRequest {
    /// Searches for `text`.
    pub fn new(text: impl Into<String>) -> SearchKnowledgeStoreRequest {
        SearchKnowledgeStoreRequest {
            query: json!({"text": text.into()}),
            filter: None,
            search_options: None,
            group_by: None,
            page_size: None,
            page_token: None,
            include_metadata: None,
        }
    }

    /// Sets the filter.
    pub fn filter(mut self, filter: KnowledgeSearchFilter) -> SearchKnowledgeStoreRequest {
        self.filter = Some(filter);
        self
    }

    /// Which video modalities to search (`visual`, `audio`).
    pub fn video_modalities<I, S>(mut self, modalities: I) -> SearchKnowledgeStoreRequest
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let modalities: Vec<String> = modalities.into_iter().map(Into::into).collect();
        self.search_options = Some(json!({"video": {"modalities": modalities}}));
        self
    }

    /// Sets the grouping.
    pub fn group_by(mut self, group_by: KnowledgeGroupBy) -> SearchKnowledgeStoreRequest {
        self.group_by = Some(group_by);
        self
    }

    /// Sets results per page (1–50).
    pub fn page_size(mut self, page_size: u32) -> SearchKnowledgeStoreRequest {
        self.page_size = Some(page_size);
        self
    }

    /// Continues from a token.
    pub fn page_token(mut self, token: impl Into<String>) -> SearchKnowledgeStoreRequest {
        self.page_token = Some(token.into());
        self
    }

    /// Asks for hit metadata.
    pub fn include_metadata(mut self, on: bool) -> SearchKnowledgeStoreRequest {
        self.include_metadata = Some(on);
        self
    }

    fn problem(&self) -> Option<String> {
        if self.query["text"]
            .as_str()
            .is_none_or(|t| t.trim().is_empty())
        {
            return Some("`query.text` must not be empty".into());
        }
        if self.page_size.is_some_and(|n| !(1..=50).contains(&n)) {
            return Some("`page_size` must be between 1 and 50".into());
        }
        let empty_in =
            |f: &Option<FieldFilter>| matches!(f, Some(FieldFilter::In(v)) if v.is_empty());
        self.filter
            .as_ref()
            .is_some_and(|f| empty_in(&f.asset_type) || empty_in(&f.item_id))
            .then(|| "an `in` filter needs at least one value".into())
    }
}

/// `metadata` of a search hit.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeHitMetadata {
    /// `{duration, width, height, size}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<KnowledgeItemSystemMetadata>,
    /// Your metadata.
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<UserMetadata>,
}

/// One matching clip of a video hit.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeMatch {
    /// Start, seconds.
    pub start_sec: f64,
    /// End, seconds.
    pub end_sec: f64,
    /// `visual`, `audio`.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub modalities: Vec<String>,
    /// Speech in the clip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcription: Option<String>,
}

/// One search hit (video or image, tagged by `asset_type`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnowledgeSearchHit {
    /// `video` or `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_type: Option<KnowledgeAssetType>,
    /// Relevance position, 1-based.
    pub rank: u32,
    /// The item.
    pub item_id: String,
    /// Metadata (when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<KnowledgeHitMetadata>,
    /// Matching clips (videos; best first).
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub matches: Vec<KnowledgeMatch>,
}

/// `POST /knowledge-stores/{id}/search` (`SearchKnowledgeStoreResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchKnowledgeStoreResponse {
    /// The hits.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub data: Vec<KnowledgeSearchHit>,
    /// The token of the next page (absent on the last).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
    /// The options applied (`{video: {modalities}}`; no `video` when only images were searched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_search_options: Option<Value>,
}

/// `{ item_ids }` body of add/remove.
#[derive(Serialize)]
struct ItemIds<'a> {
    item_ids: &'a [String],
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

/// Knowledge stores, items and item collections; get it from
/// [`Client::knowledge_stores`].
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeStores<'a> {
    client: &'a Client,
}

impl Client {
    /// Knowledge stores, items and item collections: `/knowledge-stores`.
    pub fn knowledge_stores(&self) -> KnowledgeStores<'_> {
        KnowledgeStores { client: self }
    }
}

fn with_problem(mut request: ApiRequest, problem: Option<String>) -> ApiRequest {
    if let Some(p) = problem {
        request.reject(p);
    }
    request
}

fn item_ids_problem(ids: &[String]) -> Option<String> {
    if ids.is_empty() || ids.len() > 500 {
        return Some(format!("`item_ids` holds 1–500 ids, got {}", ids.len()));
    }
    ids.iter()
        .any(|i| i.trim().is_empty())
        .then(|| "`item_ids` must not contain an empty id".into())
}

/// The store-scoped path of `template` with `knowledge_store_id` filled.
fn at(request: ApiRequest, store_id: &str) -> ApiRequest {
    request.path_param("knowledge_store_id", store_id)
}

impl KnowledgeStores<'_> {
    /// `GET /knowledge-stores`: one page of stores.
    pub async fn list(&self, params: &ListKnowledgeParams) -> Result<Page<KnowledgeStore>> {
        self.client
            .execute(params.apply(ApiRequest::get("/knowledge-stores"), false))
            .await
    }

    /// Every store, page after page.
    pub fn list_all(
        &self,
        params: ListKnowledgeParams,
    ) -> BoxStream<'static, Result<KnowledgeStore>> {
        let client = self.client.clone();
        wire::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.knowledge_stores().list(&params).await }
        })
    }

    /// `POST /knowledge-stores`: creates a store.
    pub async fn create(&self, request: &CreateKnowledgeStoreRequest) -> Result<KnowledgeStore> {
        let api = ApiRequest::post("/knowledge-stores").json(request);
        self.client
            .execute(with_problem(api, request.problem()))
            .await
    }

    /// `GET /knowledge-stores/{knowledge_store_id}`.
    pub async fn retrieve(&self, store_id: &str) -> Result<KnowledgeStore> {
        self.client
            .execute(at(
                ApiRequest::get("/knowledge-stores/{knowledge_store_id}"),
                store_id,
            ))
            .await
    }

    /// `PATCH /knowledge-stores/{knowledge_store_id}`: `metadata` replaces the whole map.
    pub async fn update(
        &self,
        store_id: &str,
        request: &UpdateKnowledgeRequest,
    ) -> Result<KnowledgeStore> {
        let api = at(
            ApiRequest::patch("/knowledge-stores/{knowledge_store_id}"),
            store_id,
        )
        .json(request);
        self.client
            .execute(with_problem(api, request.problem(&STORE_LIMITS)))
            .await
    }

    /// `DELETE /knowledge-stores/{knowledge_store_id}`: the store and all its items.
    pub async fn delete(&self, store_id: &str) -> Result<()> {
        self.client
            .execute_empty(at(
                ApiRequest::delete("/knowledge-stores/{knowledge_store_id}"),
                store_id,
            ))
            .await
    }

    /// `POST /knowledge-stores/{knowledge_store_id}/search`: one page of
    /// hits; pass the answer's `next_page_token` in the next request. An
    /// expired token (HTTP 410) is an [`Error::Api`] with status 410 whose
    /// message says to restart the search; a malformed one is a 400.
    pub async fn search(
        &self,
        store_id: &str,
        request: &SearchKnowledgeStoreRequest,
    ) -> Result<SearchKnowledgeStoreResponse> {
        let api = at(
            ApiRequest::post("/knowledge-stores/{knowledge_store_id}/search"),
            store_id,
        )
        .json(request)
        .idempotent(true);
        let api = with_problem(api, request.problem());
        self.client.execute(api).await.map_err(expired_token)
    }

    /// Every hit of a search, following `next_page_token` page after page.
    pub fn search_all(
        &self,
        store_id: &str,
        request: SearchKnowledgeStoreRequest,
    ) -> BoxStream<'static, Result<KnowledgeSearchHit>> {
        let client = self.client.clone();
        let store_id = store_id.to_owned();
        let first = request.page_token.clone();
        media_core::paginate::paginate(first, move |token: Option<String>| {
            let client = client.clone();
            let store_id = store_id.clone();
            let mut request = request.clone();
            request.page_token = token;
            async move {
                let page = client
                    .knowledge_stores()
                    .search(&store_id, &request)
                    .await?;
                Ok(media_core::paginate::Page {
                    items: page.data,
                    next: page.next_page_token.map(Some),
                })
            }
        })
    }

    /// `GET …/items`: one page of items.
    pub async fn list_items(
        &self,
        store_id: &str,
        params: &ListKnowledgeParams,
    ) -> Result<Page<KnowledgeStoreItem>> {
        let api = at(
            ApiRequest::get("/knowledge-stores/{knowledge_store_id}/items"),
            store_id,
        );
        self.client.execute(params.apply(api, true)).await
    }

    /// Every item, page after page.
    pub fn list_all_items(
        &self,
        store_id: &str,
        params: ListKnowledgeParams,
    ) -> BoxStream<'static, Result<KnowledgeStoreItem>> {
        let client = self.client.clone();
        let store_id = store_id.to_owned();
        wire::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let store_id = store_id.clone();
            let params = params.clone().page(page);
            async move {
                client
                    .knowledge_stores()
                    .list_items(&store_id, &params)
                    .await
            }
        })
    }

    /// `POST …/items`: adds an asset; the item starts `queued`.
    pub async fn create_item(
        &self,
        store_id: &str,
        request: &CreateKnowledgeItemRequest,
    ) -> Result<KnowledgeStoreItem> {
        let api = at(
            ApiRequest::post("/knowledge-stores/{knowledge_store_id}/items"),
            store_id,
        )
        .json(request);
        let problem = if request.asset_id.trim().is_empty() {
            Some("`asset_id` must not be empty".into())
        } else {
            metadata_problem(request.metadata.as_ref(), &ITEM_LIMITS)
        };
        self.client.execute(with_problem(api, problem)).await
    }

    /// `GET …/items/{item_id}`.
    pub async fn retrieve_item(&self, store_id: &str, item_id: &str) -> Result<KnowledgeStoreItem> {
        let api = at(
            ApiRequest::get("/knowledge-stores/{knowledge_store_id}/items/{item_id}"),
            store_id,
        )
        .path_param("item_id", item_id);
        self.client.execute(api).await
    }

    /// `DELETE …/items/{item_id}`.
    pub async fn delete_item(&self, store_id: &str, item_id: &str) -> Result<()> {
        let api = at(
            ApiRequest::delete("/knowledge-stores/{knowledge_store_id}/items/{item_id}"),
            store_id,
        )
        .path_param("item_id", item_id);
        self.client.execute_empty(api).await
    }

    /// Polls [`KnowledgeStores::retrieve_item`] until the item is `ready`;
    /// `failed` ends the wait with [`Error::TaskFailed`].
    pub async fn wait_for_item<F>(
        &self,
        store_id: &str,
        item_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<KnowledgeStoreItem>
    where
        F: FnMut(&KnowledgeStoreItem) + Send,
    {
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &format!("knowledge-store item {item_id}"),
            options,
            move || async move {
                let item = this.retrieve_item(store_id, item_id).await?;
                match item.status {
                    Some(KnowledgeItemStatus::Ready) => Ok(PollStatus::Done(item)),
                    Some(KnowledgeItemStatus::Failed) => Err(wire::task_failed(
                        item_id,
                        None,
                        "the knowledge-store item failed to process",
                    )),
                    _ => Ok(PollStatus::Pending(item)),
                }
            },
            on_update,
        )
        .await
    }

    /// `GET …/item-collections`: one page of collections.
    pub async fn list_item_collections(
        &self,
        store_id: &str,
        params: &ListKnowledgeParams,
    ) -> Result<Page<KnowledgeStoreItemCollection>> {
        let api = at(
            ApiRequest::get("/knowledge-stores/{knowledge_store_id}/item-collections"),
            store_id,
        );
        self.client.execute(params.apply(api, false)).await
    }

    /// `POST …/item-collections`.
    pub async fn create_item_collection(
        &self,
        store_id: &str,
        request: &CreateItemCollectionRequest,
    ) -> Result<KnowledgeStoreItemCollection> {
        let api = at(
            ApiRequest::post("/knowledge-stores/{knowledge_store_id}/item-collections"),
            store_id,
        )
        .json(request);
        let problem = if request.name.trim().is_empty() {
            Some("`name` must not be empty".into())
        } else {
            metadata_problem(request.metadata.as_ref(), &COLLECTION_LIMITS)
        };
        self.client.execute(with_problem(api, problem)).await
    }

    /// `GET …/item-collections/{collection_id}`.
    pub async fn retrieve_item_collection(
        &self,
        store_id: &str,
        collection_id: &str,
    ) -> Result<KnowledgeStoreItemCollection> {
        let api = at(
            ApiRequest::get(
                "/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}",
            ),
            store_id,
        )
        .path_param("collection_id", collection_id);
        self.client.execute(api).await
    }

    /// `PATCH …/item-collections/{collection_id}`.
    pub async fn update_item_collection(
        &self,
        store_id: &str,
        collection_id: &str,
        request: &UpdateKnowledgeRequest,
    ) -> Result<KnowledgeStoreItemCollection> {
        let api = at(
            ApiRequest::patch(
                "/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}",
            ),
            store_id,
        )
        .path_param("collection_id", collection_id)
        .json(request);
        self.client
            .execute(with_problem(api, request.problem(&COLLECTION_LIMITS)))
            .await
    }

    /// `DELETE …/item-collections/{collection_id}` (the items stay).
    pub async fn delete_item_collection(&self, store_id: &str, collection_id: &str) -> Result<()> {
        let api = at(
            ApiRequest::delete(
                "/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}",
            ),
            store_id,
        )
        .path_param("collection_id", collection_id);
        self.client.execute_empty(api).await
    }

    /// `GET …/item-collections/{collection_id}/items`: one page of members.
    pub async fn list_collection_items(
        &self,
        store_id: &str,
        collection_id: &str,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<KnowledgeStoreItem>> {
        let api = at(
            ApiRequest::get(
                "/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}/items",
            ),
            store_id,
        )
        .path_param("collection_id", collection_id);
        self.client
            .execute(wire::paging(api, page, page_limit))
            .await
    }

    /// `POST …/items/add`: adds 1–500 existing items (idempotent).
    pub async fn add_collection_items(
        &self,
        store_id: &str,
        collection_id: &str,
        item_ids: &[String],
    ) -> Result<KnowledgeStoreItemCollection> {
        let api = at(
            ApiRequest::post(
                "/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}/items/add",
            ),
            store_id,
        )
        .path_param("collection_id", collection_id)
        .json(&ItemIds { item_ids })
        .idempotent(true);
        self.client
            .execute(with_problem(api, item_ids_problem(item_ids)))
            .await
    }

    /// `POST …/items/remove`: removes 1–500 items (idempotent).
    pub async fn remove_collection_items(
        &self,
        store_id: &str,
        collection_id: &str,
        item_ids: &[String],
    ) -> Result<()> {
        let api = at(ApiRequest::post("/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}/items/remove"), store_id)
            .path_param("collection_id", collection_id)
            .json(&ItemIds { item_ids })
            .idempotent(true);
        self.client
            .execute_empty(with_problem(api, item_ids_problem(item_ids)))
            .await
    }
}

/// Rewrites the 410 of an expired knowledge-store search token into an
/// error that says what happened and what to do.
fn expired_token(error: Error) -> Error {
    match error {
        Error::Api {
            provider,
            http_status: 410,
            code,
            message,
            request_id,
        } => Error::Api {
            provider,
            http_status: 410,
            code: code.or_else(|| Some("page_token_expired".into())),
            message: format!(
                "the knowledge-store search page token has expired; run the search again without `page_token` ({message})"
            ),
            request_id,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_limits_are_checked() {
        let mut big = UserMetadata::new();
        for n in 0..11 {
            big.insert(format!("k{n}"), MetadataValue::from("v"));
        }
        assert!(metadata_problem(Some(&big), &STORE_LIMITS).is_some());
        assert!(metadata_problem(Some(&big), &ITEM_LIMITS).is_none());
        let mut nested = UserMetadata::new();
        nested.insert("k".into(), MetadataValue::Other(json!({"a": 1})));
        assert!(metadata_problem(Some(&nested), &ITEM_LIMITS).is_some());
        let long = UserMetadata::from([("k".to_owned(), MetadataValue::from("x".repeat(2049)))]);
        assert!(metadata_problem(Some(&long), &STORE_LIMITS).is_some());
        assert!(metadata_problem(Some(&long), &ITEM_LIMITS).is_none());
    }

    #[test]
    fn search_body_and_filters() {
        let request = SearchKnowledgeStoreRequest::new("goal")
            .filter(KnowledgeSearchFilter {
                asset_type: Some(FieldFilter::Eq("video".into())),
                item_id: Some(FieldFilter::In(vec!["ksi_1".into()])),
            })
            .video_modalities(["visual"])
            .group_by(KnowledgeGroupBy::Item)
            .page_size(5);
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"query": {"text": "goal"}, "filter": {"asset_type": {"eq": "video"}, "item_id": {"in": ["ksi_1"]}},
                   "search_options": {"video": {"modalities": ["visual"]}}, "group_by": "item", "page_size": 5})
        );
        assert!(SearchKnowledgeStoreRequest::new(" ").problem().is_some());
        assert!(
            SearchKnowledgeStoreRequest::new("x")
                .page_size(51)
                .problem()
                .is_some()
        );
        assert!(
            IngestionConfig::json_schema(
                json!({"type": "object", "properties": {"a": {"type": "string"}}})
            )
            .problem()
            .is_some()
        );
    }
}
