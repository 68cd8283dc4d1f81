//! The Memory group: text memories stored next to a namespace's media.
//!
//! Endpoints: `POST /memories/add` (documented), `POST /memories/search` and
//! `POST /memories` (third-party code only: unverified, answers kept as JSON).

use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::common::{coordinates, in_range, non_empty};

/// The Memory endpoints, borrowed from a [`Client`] by [`Client::memory`].
#[derive(Debug, Clone, Copy)]
pub struct Memory<'a> {
    client: &'a Client,
}

/// One text memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryItem {
    /// Who said it (free text, e.g. `user`).
    pub role: String,
    /// What to remember.
    pub content: String,
}

impl MemoryItem {
    /// A memory `content` said by `role`.
    pub fn new(role: impl Into<String>, content: impl Into<String>) -> MemoryItem {
        MemoryItem {
            role: role.into(),
            content: content.into(),
        }
    }
}

/// Parameters of `POST /memories/add` (JSON body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddMemoriesParams {
    /// The namespace (required by the API; the client's default when `None`).
    pub unique_id: Option<String>,
    /// The memories; at least one.
    pub memories: Vec<MemoryItem>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Decimal latitude, with `longitude`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<String>,
    /// Decimal longitude, with `latitude`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<String>,
    /// When it happened, ISO-8601 (`2025-11-17T17:00:00Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memories_at: Option<String>,
}

impl AddMemoriesParams {
    /// Stores `memories` in the client's default namespace.
    pub fn new(memories: impl IntoIterator<Item = MemoryItem>) -> AddMemoriesParams {
        AddMemoriesParams {
            unique_id: None,
            memories: memories.into_iter().collect(),
            tags: None,
            latitude: None,
            longitude: None,
            memories_at: None,
        }
    }

    /// Stores into namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Tags the memories.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Places the memories (decimal degrees).
    pub fn location(mut self, latitude: impl Into<String>, longitude: impl Into<String>) -> Self {
        self.latitude = Some(latitude.into());
        self.longitude = Some(longitude.into());
        self
    }

    /// Dates the memories (ISO-8601).
    pub fn memories_at(mut self, at: impl Into<String>) -> Self {
        self.memories_at = Some(at.into());
        self
    }
}

/// Parameters of `POST /memories/search` and `POST /memories` (unverified).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryQuery {
    /// The namespace; the client's default when `None`.
    pub unique_id: Option<String>,
    /// The search text (`/memories/search` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The 1-based page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Items per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Filters, passed through as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Value>,
}

impl MemoryQuery {
    /// Every memory of the client's default namespace.
    pub fn new() -> MemoryQuery {
        MemoryQuery {
            unique_id: None,
            query: None,
            page: None,
            page_size: None,
            filters: None,
        }
    }

    /// Searches for `query`.
    pub fn query(mut self, query: impl Into<String>) -> Self {
        self.query = Some(query.into());
        self
    }

    /// Uses namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Requests page `page` (1-based).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Requests `page_size` items per page.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Passes `filters` through.
    pub fn filters(mut self, filters: Value) -> Self {
        self.filters = Some(filters);
        self
    }
}

impl Default for MemoryQuery {
    fn default() -> Self {
        MemoryQuery::new()
    }
}

impl<'a> Memory<'a> {
    pub(crate) fn new(client: &'a Client) -> Memory<'a> {
        Memory { client }
    }

    /// `POST /memories/add`: stores text memories. The API's `data` is not
    /// documented (`{}` in the sample) and is returned as JSON.
    pub async fn add(&self, params: &AddMemoriesParams) -> Result<Option<Value>> {
        if params.memories.is_empty() {
            return Err(media_core::Error::InvalidInput(
                "`memories` must hold at least one memory".into(),
            ));
        }
        for memory in &params.memories {
            non_empty("memories[].content", &memory.content)?;
        }
        coordinates(params.latitude.as_ref(), params.longitude.as_ref())?;
        let mut body = params.clone();
        body.unique_id = Some(
            self.client
                .namespace(params.unique_id.as_deref())?
                .to_owned(),
        );
        self.client
            .call(&ApiRequest::post("/memories/add").json(&body))
            .await
    }

    async fn query(&self, template: &'static str, params: &MemoryQuery) -> Result<Option<Value>> {
        in_range("page", params.page, 1..=u32::MAX)?;
        in_range("page_size", params.page_size, 1..=u32::MAX)?;
        let mut body = params.clone();
        body.unique_id = Some(
            self.client
                .namespace(params.unique_id.as_deref())?
                .to_owned(),
        );
        self.client
            .call(&ApiRequest::post(template).json(&body).idempotent(true))
            .await
    }

    /// `POST /memories/search`: searches text memories (unverified: seen only
    /// in third-party code; the answer's shape is unknown and kept as JSON).
    pub async fn search(&self, params: &MemoryQuery) -> Result<Option<Value>> {
        non_empty("query", params.query.as_deref().unwrap_or_default())?;
        self.query("/memories/search", params).await
    }

    /// `POST /memories`: lists text memories (unverified: seen only in
    /// third-party code; the answer's shape is unknown and kept as JSON).
    pub async fn list(&self, params: &MemoryQuery) -> Result<Option<Value>> {
        self.query("/memories", params).await
    }
}
