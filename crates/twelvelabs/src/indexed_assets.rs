//! Index content: `/indexes/{index_id}/indexed-assets` and
//! `/assets/{asset_id}/indexed-assets` (catalog §3.5).
//!
//! Indexing a `ready` asset is asynchronous: [`IndexedAssets::create`]
//! returns at once and [`IndexedAssets::wait_until_ready`] polls until the
//! indexed asset is `ready`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Provider, Result};
use serde::{Deserialize, Serialize};

use crate::assets::UserMetadataPatch;
use crate::client::Client;
use crate::common::{
    HlsObject, Page, Range, SortBy, SortOption, TranscriptionItem, UserMetadata, VideoSegment,
    all_pages, paging, range_opt, require_text, task_failed,
};
use media_core::open_enum;

open_enum! {
    /// Where an indexed asset is in indexing (`status`).
    pub enum IndexedAssetStatus {
        /// Indexed and searchable.
        Ready = "ready",
        /// Waiting to start.
        Pending = "pending",
        /// Queued.
        Queued = "queued",
        /// Being indexed.
        Indexing = "indexing",
        /// Being validated.
        Validating = "validating",
        /// Indexing failed.
        Failed = "failed",
    }
}

impl IndexedAssetStatus {
    /// True for `ready` and `failed`.
    pub fn is_terminal(&self) -> bool {
        matches!(self, IndexedAssetStatus::Ready | IndexedAssetStatus::Failed)
    }
}

open_enum! {
    /// Which embeddings to return with a retrieve (`embedding_option`).
    pub enum VideoEmbeddingOption {
        /// The picture.
        Visual = "visual",
        /// Non-speech audio.
        Audio = "audio",
        /// Spoken words.
        Transcription = "transcription",
        /// Text in the picture (a Marengo 2.7 value still in the SDK enums).
        VisualText = "visual-text",
    }
}

/// Technical facts about an indexed video (`system_metadata`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexedAssetMetadata {
    /// The file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Duration in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// Frames per second.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub fps: Option<f64>,
    /// Width in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub height: Option<u32>,
    /// Size in bytes (a number in the SDK; read from integers and floats).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub size: Option<f64>,
}

/// Embeddings returned with a retrieve when `embedding_option` was given.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoEmbedding {
    /// The model that produced them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// The segments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_embedding: Option<VideoEmbeddingSegments>,
}

/// `video_embedding` of a [`VideoEmbedding`].
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoEmbeddingSegments {
    /// One embedding per segment and option.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub segments: Vec<VideoSegment>,
}

/// An indexed asset (`IndexedAsset` in lists, `IndexedAssetDetailed` from a
/// retrieve: the detailed fields are `None` in lists).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexedAsset {
    /// The indexed asset id (`_id`); also the video id in search results.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The asset it indexes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// When indexing was requested.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last updated.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
    /// When indexing finished.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub indexed_at: Option<DateTime<Utc>>,
    /// Where indexing is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<IndexedAssetStatus>,
    /// Technical facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_metadata: Option<IndexedAssetMetadata>,
    /// User-defined metadata (retrieve only).
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_metadata: Option<UserMetadata>,
    /// The HLS stream, when `enable_video_stream` was set (retrieve only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hls: Option<HlsObject>,
    /// Embeddings, when requested (retrieve only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding: Option<VideoEmbedding>,
    /// The spoken words, when requested (retrieve only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcription: Option<Vec<TranscriptionItem>>,
}

impl IndexedAsset {
    /// True when `status` is `ready`.
    pub fn is_ready(&self) -> bool {
        self.status == Some(IndexedAssetStatus::Ready)
    }
}

/// The answer of `POST /indexes/{index_id}/indexed-assets`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatedIndexedAsset {
    /// The new indexed asset's id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The asset being indexed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
}

/// An index that references an asset (`IndexedAssetSummary.index`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexRef {
    /// The index id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The index name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An indexed asset referencing an asset (`IndexedAssetSummary`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexedAssetSummary {
    /// The indexed asset id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The index it lives in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexRef>,
}

/// Body of `POST /indexes/{index_id}/indexed-assets`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateIndexedAssetRequest {
    /// The asset to index; it must be `ready`.
    pub asset_id: String,
    /// Keep an HLS stream of the video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_video_stream: Option<bool>,
    /// User-defined metadata (`""`, `[]`, `null` values are dropped by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_metadata: Option<UserMetadata>,
}

impl CreateIndexedAssetRequest {
    /// Indexes the asset `asset_id`.
    pub fn new(asset_id: impl Into<String>) -> CreateIndexedAssetRequest {
        CreateIndexedAssetRequest {
            asset_id: asset_id.into(),
            enable_video_stream: None,
            user_metadata: None,
        }
    }

    /// Keeps (or not) an HLS stream.
    pub fn enable_video_stream(mut self, enable: bool) -> CreateIndexedAssetRequest {
        self.enable_video_stream = Some(enable);
        self
    }

    /// Attaches user-defined metadata.
    pub fn user_metadata(mut self, metadata: UserMetadata) -> CreateIndexedAssetRequest {
        self.user_metadata = Some(metadata);
        self
    }
}

/// Query names the list uses itself, so no user-metadata filter may take them.
const RESERVED_QUERY_NAMES: [&str; 13] = [
    "page",
    "page_limit",
    "sort_by",
    "sort_option",
    "status",
    "filename",
    "duration",
    "fps",
    "size",
    "width",
    "height",
    "created_at",
    "updated_at",
];

/// Query of `GET /indexes/{index_id}/indexed-assets` and (without
/// `status`) of the legacy `GET /indexes/{index_id}/videos`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListIndexedAssetsParams {
    /// The page, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Sort field (`created_at` or `updated_at`).
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    pub sort_option: Option<SortOption>,
    /// Only these statuses (repeated `status`; indexed assets only).
    pub status: Vec<IndexedAssetStatus>,
    /// Only this file name.
    pub filename: Option<String>,
    /// Duration range in seconds (`duration[gte]`, `duration[lte]`).
    pub duration: Option<Range>,
    /// Frame-rate range.
    pub fps: Option<Range>,
    /// Size range in bytes.
    pub size: Option<Range>,
    /// Width range in pixels.
    pub width: Option<Range>,
    /// Height range in pixels.
    pub height: Option<Range>,
    /// Created at or after (RFC 3339).
    pub created_at: Option<String>,
    /// Updated at or after (RFC 3339).
    pub updated_at: Option<String>,
    /// User-metadata filters, sent as root-level query keys (`?category=x`),
    /// the documented form (catalog §5.2).
    pub user_metadata: BTreeMap<String, String>,
}

impl ListIndexedAssetsParams {
    /// No filters.
    pub fn new() -> ListIndexedAssetsParams {
        ListIndexedAssetsParams::default()
    }

    /// Requests page `page` (from 1).
    pub fn page(mut self, page: u32) -> ListIndexedAssetsParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> ListIndexedAssetsParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Sorts by `sort_by` in direction `sort_option`.
    pub fn sort(mut self, sort_by: SortBy, sort_option: SortOption) -> ListIndexedAssetsParams {
        self.sort_by = Some(sort_by);
        self.sort_option = Some(sort_option);
        self
    }

    /// Adds a status to the filter.
    pub fn status(mut self, status: IndexedAssetStatus) -> ListIndexedAssetsParams {
        self.status.push(status);
        self
    }

    /// Only `filename`.
    pub fn filename(mut self, filename: impl Into<String>) -> ListIndexedAssetsParams {
        self.filename = Some(filename.into());
        self
    }

    /// Duration range in seconds.
    pub fn duration(mut self, range: Range) -> ListIndexedAssetsParams {
        self.duration = Some(range);
        self
    }

    /// Frame-rate range.
    pub fn fps(mut self, range: Range) -> ListIndexedAssetsParams {
        self.fps = Some(range);
        self
    }

    /// Size range in bytes.
    pub fn size(mut self, range: Range) -> ListIndexedAssetsParams {
        self.size = Some(range);
        self
    }

    /// Width range.
    pub fn width(mut self, range: Range) -> ListIndexedAssetsParams {
        self.width = Some(range);
        self
    }

    /// Height range.
    pub fn height(mut self, range: Range) -> ListIndexedAssetsParams {
        self.height = Some(range);
        self
    }

    /// Created at or after `at`.
    pub fn created_since(mut self, at: DateTime<Utc>) -> ListIndexedAssetsParams {
        self.created_at = Some(at.to_rfc3339());
        self
    }

    /// Updated at or after `at`.
    pub fn updated_since(mut self, at: DateTime<Utc>) -> ListIndexedAssetsParams {
        self.updated_at = Some(at.to_rfc3339());
        self
    }

    /// Only items whose user metadata `key` equals `value`.
    pub fn user_metadata(
        mut self,
        key: impl Into<String>,
        value: impl std::fmt::Display,
    ) -> ListIndexedAssetsParams {
        self.user_metadata.insert(key.into(), value.to_string());
        self
    }

    pub(crate) fn to_request(&self, template: &'static str, index_id: &str) -> ApiRequest {
        let mut request = paging(ApiRequest::get(template), self.page, self.page_limit)
            .path_param("index_id", index_id)
            .query_opt("sort_by", self.sort_by.as_ref())
            .query_opt("sort_option", self.sort_option.as_ref())
            .query_each("status", &self.status)
            .query_opt("filename", self.filename.as_deref());
        for (name, range) in [
            ("duration", self.duration),
            ("fps", self.fps),
            ("size", self.size),
            ("width", self.width),
            ("height", self.height),
        ] {
            request = range_opt(request, name, range);
        }
        request = request
            .query_opt("created_at", self.created_at.as_deref())
            .query_opt("updated_at", self.updated_at.as_deref());
        for (key, value) in &self.user_metadata {
            if key.trim().is_empty() || RESERVED_QUERY_NAMES.contains(&key.as_str()) {
                request.reject(format!(
                    "`{key}` cannot be a user-metadata filter: it is empty or a reserved query name"
                ));
            }
            request = request.query(key, value);
        }
        request
    }
}

/// Query of a retrieve: which embeddings and whether the transcription.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetrieveVideoParams {
    /// Embeddings to include (repeated `embedding_option`); needs a Marengo index.
    pub embedding_option: Vec<VideoEmbeddingOption>,
    /// Include the spoken-word transcription.
    pub transcription: Option<bool>,
}

impl RetrieveVideoParams {
    /// Nothing extra.
    pub fn new() -> RetrieveVideoParams {
        RetrieveVideoParams::default()
    }

    /// Includes embeddings of `option`.
    pub fn embedding_option(mut self, option: VideoEmbeddingOption) -> RetrieveVideoParams {
        self.embedding_option.push(option);
        self
    }

    /// Includes (or not) the transcription.
    pub fn transcription(mut self, include: bool) -> RetrieveVideoParams {
        self.transcription = Some(include);
        self
    }

    pub(crate) fn apply(&self, request: ApiRequest) -> ApiRequest {
        request
            .query_each("embedding_option", &self.embedding_option)
            .query_opt("transcription", self.transcription)
    }
}

/// The indexed-asset endpoints; get it from [`Client::indexed_assets`].
#[derive(Debug, Clone, Copy)]
pub struct IndexedAssets<'a> {
    client: &'a Client,
}

impl Client {
    /// Index content: `/indexes/{index_id}/indexed-assets`.
    pub fn indexed_assets(&self) -> IndexedAssets<'_> {
        IndexedAssets { client: self }
    }
}

impl IndexedAssets<'_> {
    /// `POST /indexes/{index_id}/indexed-assets`: starts indexing a `ready`
    /// asset. Asynchronous: follow with [`IndexedAssets::wait_until_ready`].
    pub async fn create(
        &self,
        index_id: &str,
        request: &CreateIndexedAssetRequest,
    ) -> Result<CreatedIndexedAsset> {
        let mut http = ApiRequest::post("/indexes/{index_id}/indexed-assets")
            .path_param("index_id", index_id)
            .json(request);
        require_text(&mut http, "asset_id", &request.asset_id);
        self.client.execute(http).await
    }

    /// `GET /indexes/{index_id}/indexed-assets`: one page, newest first by default.
    pub async fn list(
        &self,
        index_id: &str,
        params: &ListIndexedAssetsParams,
    ) -> Result<Page<IndexedAsset>> {
        let request = params.to_request("/indexes/{index_id}/indexed-assets", index_id);
        self.client.execute(request).await
    }

    /// Every indexed asset of the index matching `params`, page after page.
    pub fn list_all(
        &self,
        index_id: &str,
        params: ListIndexedAssetsParams,
    ) -> BoxStream<'static, Result<IndexedAsset>> {
        let client = self.client.clone();
        let index_id = index_id.to_owned();
        all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let index_id = index_id.clone();
            let params = params.clone().page(page);
            async move { client.indexed_assets().list(&index_id, &params).await }
        })
    }

    /// `GET /indexes/{index_id}/indexed-assets/{indexed_asset_id}`, with
    /// embeddings and transcription as `params` asks.
    pub async fn retrieve(
        &self,
        index_id: &str,
        indexed_asset_id: &str,
        params: &RetrieveVideoParams,
    ) -> Result<IndexedAsset> {
        let request = ApiRequest::get("/indexes/{index_id}/indexed-assets/{indexed_asset_id}")
            .path_param("index_id", index_id)
            .path_param("indexed_asset_id", indexed_asset_id);
        self.client.execute(params.apply(request)).await
    }

    /// `PATCH /indexes/{index_id}/indexed-assets/{indexed_asset_id}`: sets
    /// the given user-metadata keys; `None` deletes a key.
    pub async fn update(
        &self,
        index_id: &str,
        indexed_asset_id: &str,
        user_metadata: &UserMetadataPatch,
    ) -> Result<()> {
        let request = ApiRequest::patch("/indexes/{index_id}/indexed-assets/{indexed_asset_id}")
            .path_param("index_id", index_id)
            .path_param("indexed_asset_id", indexed_asset_id)
            .json(&serde_json::json!({ "user_metadata": user_metadata }))
            .idempotent(true);
        self.client.execute_empty(request).await
    }

    /// `DELETE /indexes/{index_id}/indexed-assets/{indexed_asset_id}`.
    pub async fn delete(&self, index_id: &str, indexed_asset_id: &str) -> Result<()> {
        let request = ApiRequest::delete("/indexes/{index_id}/indexed-assets/{indexed_asset_id}")
            .path_param("index_id", index_id)
            .path_param("indexed_asset_id", indexed_asset_id);
        self.client.execute_empty(request).await
    }

    /// `GET /assets/{asset_id}/indexed-assets`: the indexed assets that
    /// reference an asset (they block deleting it without `force`).
    pub async fn list_by_asset(
        &self,
        asset_id: &str,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<IndexedAssetSummary>> {
        let request = paging(
            ApiRequest::get("/assets/{asset_id}/indexed-assets"),
            page,
            page_limit,
        )
        .path_param("asset_id", asset_id);
        self.client.execute(request).await
    }

    /// Every indexed asset referencing `asset_id`, page after page.
    pub fn list_all_by_asset(
        &self,
        asset_id: &str,
        page_limit: Option<u32>,
    ) -> BoxStream<'static, Result<IndexedAssetSummary>> {
        let client = self.client.clone();
        let asset_id = asset_id.to_owned();
        all_pages(1, move |page| {
            let client = client.clone();
            let asset_id = asset_id.clone();
            async move {
                client
                    .indexed_assets()
                    .list_by_asset(&asset_id, Some(page), page_limit)
                    .await
            }
        })
    }

    /// Polls the indexed asset until it is `ready` and returns it, calling
    /// `on_update` with every observation. `failed` ends the wait with
    /// [`media_core::Error::TaskFailed`]; `options.max_wait` with
    /// [`media_core::Error::Timeout`].
    pub async fn wait_until_ready<F>(
        &self,
        index_id: &str,
        indexed_asset_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<IndexedAsset>
    where
        F: FnMut(&IndexedAsset) + Send,
    {
        let what = format!("indexed asset {indexed_asset_id}");
        let this = *self;
        let params = RetrieveVideoParams::new();
        wait_until(
            Provider::TwelveLabs,
            &what,
            options,
            || {
                let params = &params;
                async move {
                    let item = this.retrieve(index_id, indexed_asset_id, params).await?;
                    match item.status {
                        Some(IndexedAssetStatus::Ready) => Ok(PollStatus::Done(item)),
                        Some(IndexedAssetStatus::Failed) => Err(task_failed(
                            indexed_asset_id,
                            None,
                            "indexing failed (no reason given)",
                        )),
                        _ => Ok(PollStatus::Pending(item)),
                    }
                }
            },
            on_update,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_query_encodes_ranges_arrays_and_metadata() {
        let request = ListIndexedAssetsParams::new()
            .status(IndexedAssetStatus::Ready)
            .status(IndexedAssetStatus::Failed)
            .duration(Range::between(10.0, 20.0))
            .width(Range::at_least(1280.0))
            .user_metadata("category", "news")
            .to_request("/indexes/{index_id}/indexed-assets", "i1");
        let pairs: Vec<(&str, &str)> = request
            .query_pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("status", "ready"),
                ("status", "failed"),
                ("duration[gte]", "10"),
                ("duration[lte]", "20"),
                ("width[gte]", "1280"),
                ("category", "news"),
            ]
        );
        assert_eq!(request.path(), "/indexes/i1/indexed-assets");
    }
}
