//! Manage indexes: `/indexes` (catalog §3.1, §3.15 "Indexes").
//!
//! An index groups indexed videos and is the unit you search. Since v1.3 the
//! only model accepted at creation is Marengo 3.0.

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{CreatedId, Page, SortBy, SortOption, all_pages, paging, require_text};
use media_core::open_enum;

open_enum! {
    /// A video understanding model an index uses (`model_name`).
    pub enum ModelName {
        /// Marengo 3.0, the only model new indexes accept.
        Marengo3_0 = "marengo3.0",
        /// Marengo 2.7 (older indexes).
        Marengo2_7 = "marengo2.7",
        /// Pegasus 1.2 (older indexes; no longer indexes videos).
        Pegasus1_2 = "pegasus1.2",
    }
}

open_enum! {
    /// What a model indexes (`model_options`).
    pub enum ModelOption {
        /// The picture.
        Visual = "visual",
        /// The sound track.
        Audio = "audio",
    }
}

open_enum! {
    /// A model family, for the `model_family` list filter.
    pub enum ModelFamily {
        /// Marengo (search and embeddings).
        Marengo = "marengo",
        /// Pegasus (video to text).
        Pegasus = "pegasus",
    }
}

open_enum! {
    /// An index add-on (`addons`); cannot be disabled once enabled.
    pub enum IndexAddon {
        /// Thumbnail generation (Marengo indexes only).
        Thumbnail = "thumbnail",
    }
}

/// A model of an index and what it indexes (`IndexModel`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexModel {
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<ModelName>,
    /// What the model indexes.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub model_options: Vec<ModelOption>,
}

impl IndexModel {
    /// `model_name` indexing `model_options`.
    pub fn new(
        model_name: ModelName,
        model_options: impl IntoIterator<Item = ModelOption>,
    ) -> IndexModel {
        IndexModel {
            model_name: Some(model_name),
            model_options: model_options.into_iter().collect(),
        }
    }
}

/// An index (`IndexSchema`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Index {
    /// The index id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The index name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// The models and their options; immutable after creation.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub models: Vec<IndexModel>,
    /// When the index was created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When the index was last updated.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
    /// When the index expires (Free plan: 90 days); `None` when it does not.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// The total duration of its videos, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_duration: Option<f64>,
    /// How many videos it holds (a float in the SDK, an integer in the docs;
    /// both read).
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_count: Option<u64>,
    /// Enabled add-ons.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub addons: Vec<IndexAddon>,
}

/// Body of `POST /indexes`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateIndexRequest {
    /// The index name.
    pub index_name: String,
    /// The models and what each indexes (at least one, each with at least one option).
    pub models: Vec<IndexModel>,
    /// Add-ons to enable (only `thumbnail`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<IndexAddon>,
}

impl CreateIndexRequest {
    /// An index named `index_name` using `models`.
    pub fn new(
        index_name: impl Into<String>,
        models: impl IntoIterator<Item = IndexModel>,
    ) -> CreateIndexRequest {
        CreateIndexRequest {
            index_name: index_name.into(),
            models: models.into_iter().collect(),
            addons: Vec::new(),
        }
    }

    /// An index named `index_name` on Marengo 3.0 with visual and audio indexing.
    pub fn marengo(index_name: impl Into<String>) -> CreateIndexRequest {
        CreateIndexRequest::new(
            index_name,
            [IndexModel::new(
                ModelName::Marengo3_0,
                [ModelOption::Visual, ModelOption::Audio],
            )],
        )
    }

    /// Enables an add-on.
    pub fn addon(mut self, addon: IndexAddon) -> CreateIndexRequest {
        self.addons.push(addon);
        self
    }

    fn to_request(&self) -> ApiRequest {
        let mut request = ApiRequest::post("/indexes").json(self);
        require_text(&mut request, "index_name", &self.index_name);
        if self.models.is_empty() {
            request.reject("`models` must name at least one model");
        }
        if self
            .models
            .iter()
            .any(|m| m.model_name.is_none() || m.model_options.is_empty())
        {
            request
                .reject("every model needs a `model_name` and at least one `model_options` value");
        }
        request
    }
}

/// Query of `GET /indexes`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListIndexesParams {
    /// The page, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Sort field (`created_at` or `updated_at`).
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    pub sort_option: Option<SortOption>,
    /// Only the index with this name.
    pub index_name: Option<String>,
    /// Only indexes whose models index all of these (sent comma-separated).
    pub model_options: Vec<ModelOption>,
    /// Only indexes with a model of this family.
    pub model_family: Option<ModelFamily>,
    /// Only indexes created at or after this time (RFC 3339).
    pub created_at: Option<String>,
    /// Only indexes updated at or after this time (RFC 3339).
    pub updated_at: Option<String>,
}

impl ListIndexesParams {
    /// No filters. The docs disagree on the default order (catalog §5.1), so
    /// send [`ListIndexesParams::sort`] when order matters.
    pub fn new() -> ListIndexesParams {
        ListIndexesParams::default()
    }

    /// Requests page `page` (from 1).
    pub fn page(mut self, page: u32) -> ListIndexesParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> ListIndexesParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Sorts by `sort_by` in direction `sort_option`.
    pub fn sort(mut self, sort_by: SortBy, sort_option: SortOption) -> ListIndexesParams {
        self.sort_by = Some(sort_by);
        self.sort_option = Some(sort_option);
        self
    }

    /// Only the index named `index_name`.
    pub fn index_name(mut self, index_name: impl Into<String>) -> ListIndexesParams {
        self.index_name = Some(index_name.into());
        self
    }

    /// Only indexes that index with `option`.
    pub fn model_option(mut self, option: ModelOption) -> ListIndexesParams {
        self.model_options.push(option);
        self
    }

    /// Only indexes with a model of `family`.
    pub fn model_family(mut self, family: ModelFamily) -> ListIndexesParams {
        self.model_family = Some(family);
        self
    }

    /// Only indexes created at or after `at`.
    pub fn created_since(mut self, at: DateTime<Utc>) -> ListIndexesParams {
        self.created_at = Some(at.to_rfc3339());
        self
    }

    /// Only indexes updated at or after `at`.
    pub fn updated_since(mut self, at: DateTime<Utc>) -> ListIndexesParams {
        self.updated_at = Some(at.to_rfc3339());
        self
    }

    fn to_request(&self) -> ApiRequest {
        let options = (!self.model_options.is_empty()).then(|| {
            self.model_options
                .iter()
                .map(ModelOption::as_str)
                .collect::<Vec<_>>()
                .join(",")
        });
        paging(ApiRequest::get("/indexes"), self.page, self.page_limit)
            .query_opt("sort_by", self.sort_by.as_ref())
            .query_opt("sort_option", self.sort_option.as_ref())
            .query_opt("index_name", self.index_name.as_deref())
            .query_opt("model_options", options)
            .query_opt("model_family", self.model_family.as_ref())
            .query_opt("created_at", self.created_at.as_deref())
            .query_opt("updated_at", self.updated_at.as_deref())
    }
}

/// The `/indexes` endpoints; get it from [`Client::indexes`].
#[derive(Debug, Clone, Copy)]
pub struct Indexes<'a> {
    client: &'a Client,
}

impl Client {
    /// Manage indexes: `/indexes`.
    pub fn indexes(&self) -> Indexes<'_> {
        Indexes { client: self }
    }
}

impl Indexes<'_> {
    /// `POST /indexes`: creates an index and returns its id.
    pub async fn create(&self, request: &CreateIndexRequest) -> Result<CreatedId> {
        self.client.execute(request.to_request()).await
    }

    /// `GET /indexes`: one page of indexes.
    pub async fn list(&self, params: &ListIndexesParams) -> Result<Page<Index>> {
        self.client.execute(params.to_request()).await
    }

    /// Every index matching `params`, page after page, stopping at the last
    /// page (no extra empty-page request).
    pub fn list_all(&self, params: ListIndexesParams) -> BoxStream<'static, Result<Index>> {
        let client = self.client.clone();
        all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.indexes().list(&params).await }
        })
    }

    /// `GET /indexes/{index_id}`.
    pub async fn retrieve(&self, index_id: &str) -> Result<Index> {
        let request = ApiRequest::get("/indexes/{index_id}").path_param("index_id", index_id);
        self.client.execute(request).await
    }

    /// `PUT /indexes/{index_id}`: renames the index.
    pub async fn update(&self, index_id: &str, index_name: &str) -> Result<()> {
        let mut request = ApiRequest::put("/indexes/{index_id}")
            .path_param("index_id", index_id)
            .json(&serde_json::json!({ "index_name": index_name }));
        require_text(&mut request, "index_name", index_name);
        self.client.execute_empty(request).await
    }

    /// `DELETE /indexes/{index_id}`: deletes the index and everything in it,
    /// irreversibly.
    pub async fn delete(&self, index_id: &str) -> Result<()> {
        let request = ApiRequest::delete("/indexes/{index_id}").path_param("index_id", index_id);
        self.client.execute_empty(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_query() {
        let request = ListIndexesParams::new()
            .page_limit(5)
            .sort(SortBy::UpdatedAt, SortOption::Asc)
            .model_option(ModelOption::Visual)
            .model_option(ModelOption::Audio)
            .model_family(ModelFamily::Marengo)
            .to_request();
        let pairs: Vec<(&str, &str)> = request
            .query_pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("page_limit", "5"),
                ("sort_by", "updated_at"),
                ("sort_option", "asc"),
                ("model_options", "visual,audio"),
                ("model_family", "marengo"),
            ]
        );
    }
}
