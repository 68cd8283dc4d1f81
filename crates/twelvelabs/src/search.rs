//! Any-to-video search: `POST /search` and `GET /search/{page_token}`
//! (catalog §3.8, §3.15 "Search").
//!
//! `POST /search` is always `multipart/form-data` (the server refuses JSON
//! with `content_type_invalid`): arrays are repeated fields, booleans
//! `true`/`false`, `filter` a JSON text. Later pages are fetched by token;
//! [`Search::query`] streams every result across pages and keeps
//! `include_user_metadata` on every page (the official SDK drops it).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::paginate::{self, paginate};
use media_core::{Error, Result};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{MAX_PAGE_LIMIT, UserMetadata};
use crate::form::Form;
use media_core::open_enum;

/// The most query images one search accepts.
pub const MAX_QUERY_MEDIA: usize = 10;

open_enum! {
    /// What to search in (`search_options`).
    pub enum SearchOption {
        /// The picture.
        Visual = "visual",
        /// Non-speech sound.
        Audio = "audio",
        /// Spoken words.
        Transcription = "transcription",
    }
}

open_enum! {
    /// How spoken words are matched (`transcription_options`).
    pub enum TranscriptionOption {
        /// Exact words.
        Lexical = "lexical",
        /// Meaning.
        Semantic = "semantic",
    }
}

open_enum! {
    /// How results are grouped (`group_by`).
    pub enum GroupBy {
        /// One result per clip (the default).
        Clip = "clip",
        /// One result per video, with its clips.
        Video = "video",
    }
}

open_enum! {
    /// How several search options combine (`operator`).
    pub enum SearchOperator {
        /// Any option matches (the default).
        Or = "or",
        /// Every option matches.
        And = "and",
    }
}

open_enum! {
    /// The kind of query media (`query_media_type`).
    pub enum QueryMediaType {
        /// Images.
        Image = "image",
    }
}

/// The `query_text` that searches for an entity: `<@entity_id>`.
pub fn entity_ref(entity_id: &str) -> String {
    format!("<@{entity_id}>")
}

/// Body of `POST /search`.
///
/// ```
/// use twelvelabs::{SearchOption, SearchRequest};
///
/// let request = SearchRequest::text("idx1", "a dog catching a frisbee", [SearchOption::Visual])
///     .page_limit(20)
///     .filter(serde_json::json!({"duration": {"gte": 10}}));
/// assert_eq!(request.page_limit, Some(20));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// The index to search.
    pub index_id: String,
    /// What to search in (at least one).
    pub search_options: Vec<SearchOption>,
    /// A text query (≤500 tokens with Marengo 3.0); may hold `<@entity_id>`.
    pub query_text: Option<String>,
    /// The kind of query media; set automatically when media is given.
    pub query_media_type: Option<QueryMediaType>,
    /// Query images by URL (repeated `query_media_url`).
    pub query_media_urls: Vec<String>,
    /// Query images from disk (repeated `query_media_file`).
    pub query_media_files: Vec<PathBuf>,
    /// How spoken words are matched (with the `transcription` option).
    pub transcription_options: Vec<TranscriptionOption>,
    /// How results are grouped.
    pub group_by: Option<GroupBy>,
    /// How search options combine.
    pub operator: Option<SearchOperator>,
    /// Results per page, 1–50 (per video when grouping by video).
    pub page_limit: Option<u32>,
    /// A filter object, sent as JSON text: `{"field": value}`,
    /// `{"field": {"gte": n, "lte": n}}`, `{"id": [...]}`.
    pub filter: Option<serde_json::Value>,
    /// Add `user_metadata` to results.
    pub include_user_metadata: Option<bool>,
}

impl SearchRequest {
    /// A text search of `index_id` in `options`.
    pub fn text(
        index_id: impl Into<String>,
        query_text: impl Into<String>,
        options: impl IntoIterator<Item = SearchOption>,
    ) -> SearchRequest {
        let mut request = SearchRequest::new(index_id, options);
        request.query_text = Some(query_text.into());
        request
    }

    /// A search for the entity `entity_id` (`query_text = "<@entity_id>"`).
    pub fn entity(
        index_id: impl Into<String>,
        entity_id: &str,
        options: impl IntoIterator<Item = SearchOption>,
    ) -> SearchRequest {
        SearchRequest::text(index_id, entity_ref(entity_id), options)
    }

    /// A search of `index_id` in `options` with no query yet: add text or media.
    pub fn new(
        index_id: impl Into<String>,
        options: impl IntoIterator<Item = SearchOption>,
    ) -> SearchRequest {
        SearchRequest {
            index_id: index_id.into(),
            search_options: options.into_iter().collect(),
            query_text: None,
            query_media_type: None,
            query_media_urls: Vec::new(),
            query_media_files: Vec::new(),
            transcription_options: Vec::new(),
            group_by: None,
            operator: None,
            page_limit: None,
            filter: None,
            include_user_metadata: None,
        }
    }

    /// Sets (or adds to an image query, composing) the text query.
    pub fn query_text(mut self, text: impl Into<String>) -> SearchRequest {
        self.query_text = Some(text.into());
        self
    }

    /// Adds a query image by URL.
    pub fn image_url(mut self, url: impl Into<String>) -> SearchRequest {
        self.query_media_type = Some(QueryMediaType::Image);
        self.query_media_urls.push(url.into());
        self
    }

    /// Adds a query image from disk.
    pub fn image_file(mut self, path: impl Into<PathBuf>) -> SearchRequest {
        self.query_media_type = Some(QueryMediaType::Image);
        self.query_media_files.push(path.into());
        self
    }

    /// Adds a transcription option.
    pub fn transcription_option(mut self, option: TranscriptionOption) -> SearchRequest {
        self.transcription_options.push(option);
        self
    }

    /// Groups results.
    pub fn group_by(mut self, group_by: GroupBy) -> SearchRequest {
        self.group_by = Some(group_by);
        self
    }

    /// Combines search options with `operator`.
    pub fn operator(mut self, operator: SearchOperator) -> SearchRequest {
        self.operator = Some(operator);
        self
    }

    /// Results per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> SearchRequest {
        self.page_limit = Some(page_limit);
        self
    }

    /// Filters results (see the field docs).
    pub fn filter(mut self, filter: serde_json::Value) -> SearchRequest {
        self.filter = Some(filter);
        self
    }

    /// Adds (or not) `user_metadata` to results, on every page.
    pub fn include_user_metadata(mut self, include: bool) -> SearchRequest {
        self.include_user_metadata = Some(include);
        self
    }

    fn problem(&self) -> Option<String> {
        if self.index_id.trim().is_empty() {
            return Some("`index_id` must not be empty".into());
        }
        if self.search_options.is_empty() {
            return Some("`search_options` must name at least one option".into());
        }
        let media = self.query_media_urls.len() + self.query_media_files.len();
        let has_text = self
            .query_text
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        if !has_text && media == 0 {
            return Some("a search needs `query_text` or query images".into());
        }
        if media > MAX_QUERY_MEDIA {
            return Some(format!(
                "at most {MAX_QUERY_MEDIA} query images, got {media}"
            ));
        }
        if media > 0 && self.query_media_type.is_none() {
            return Some("query images need `query_media_type`".into());
        }
        if let Some(limit) = self.page_limit
            && !(1..=MAX_PAGE_LIMIT).contains(&limit)
        {
            return Some(format!(
                "`page_limit` must be between 1 and {MAX_PAGE_LIMIT}, got {limit}"
            ));
        }
        if self.filter.as_ref().is_some_and(|f| !f.is_object()) {
            return Some("`filter` must be a JSON object".into());
        }
        None
    }

    /// The multipart form, rebuilt (and files reopened) for every attempt.
    fn to_request(&self) -> ApiRequest {
        let mut form = Form::new()
            .text("index_id", self.index_id.clone())
            .each("search_options", &self.search_options)
            .text_opt("query_text", self.query_text.clone())
            .display_opt("query_media_type", self.query_media_type.as_ref())
            .each("query_media_url", &self.query_media_urls);
        for path in &self.query_media_files {
            form = form.file("query_media_file", path.clone(), None, None);
        }
        let form = form
            .each("transcription_options", &self.transcription_options)
            .display_opt("group_by", self.group_by.as_ref())
            .display_opt("operator", self.operator.as_ref())
            .display_opt("page_limit", self.page_limit)
            .text_opt("filter", self.filter.as_ref().map(ToString::to_string))
            .bool_opt("include_user_metadata", self.include_user_metadata);
        let mut request = form.into_request(ApiRequest::post("/search"), None);
        if let Some(problem) = self.problem() {
            request.reject(problem);
        }
        request
    }
}

/// One matching clip (`SearchClip`, and the clip fields of a `SearchItem`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchClip {
    /// Start, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<f64>,
    /// End, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<f64>,
    /// The video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_id: Option<String>,
    /// Relevance position (1 = most relevant).
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub rank: Option<u32>,
    /// A thumbnail of the clip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// The spoken words in the clip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcription: Option<String>,
    /// The video's user metadata, when requested.
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_metadata: Option<UserMetadata>,
}

/// One search result (`SearchItem`): a clip, or with `group_by=video` a
/// video (`id`) and its `clips`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchItem {
    /// The clip fields (flattened).
    #[serde(flatten)]
    pub clip: SearchClip,
    /// The video id, with `group_by=video`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The video's clips, with `group_by=video`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clips: Option<Vec<SearchClip>>,
}

/// Paging of search results (`page_info`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchPageInfo {
    /// Results per page.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_per_page: Option<u32>,
    /// When the page tokens expire.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub page_expires_at: Option<DateTime<Utc>>,
    /// Total results (videos, or clips when grouping by video: the docs read inverted).
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_results: Option<u64>,
    /// Total clips inside grouped results.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_inner_matches: Option<u64>,
    /// The next page's token; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
    /// The previous page's token (`GET /search/{page_token}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev_page_token: Option<String>,
}

/// What was searched (`search_pool`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchPool {
    /// How many videos.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_count: Option<u64>,
    /// Their total duration, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_duration: Option<f64>,
    /// The index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_id: Option<String>,
}

/// One page of results (`SearchResults`, `SearchRetrievePage`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchResults {
    /// The results.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub data: Vec<SearchItem>,
    /// Paging.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub page_info: SearchPageInfo,
    /// What was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_pool: Option<SearchPool>,
}

/// The search endpoints; get it from [`Client::search`].
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    client: &'a Client,
}

impl Client {
    /// Any-to-video search: `/search`.
    pub fn search(&self) -> Search<'_> {
        Search { client: self }
    }
}

impl Search<'_> {
    /// `POST /search`: the first page of results. The form is rebuilt for
    /// every attempt, so a retried search sends every field.
    pub async fn create(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.client.execute(request.to_request()).await
    }

    /// `GET /search/{page_token}`: the page a token from
    /// `page_info.next_page_token` / `prev_page_token` names. An expired
    /// token is [`Error::Api`] with the code `search_page_token_expired`.
    pub async fn retrieve(
        &self,
        page_token: &str,
        include_user_metadata: Option<bool>,
    ) -> Result<SearchResults> {
        let request = ApiRequest::get("/search/{page_token}")
            .path_param("page_token", page_token)
            .query_opt("include_user_metadata", include_user_metadata);
        self.client.execute(request).await
    }

    /// Every result of `request`, following `next_page_token` with
    /// `GET /search/{page_token}` until the last page; `include_user_metadata`
    /// is sent on every page.
    pub fn query(&self, request: SearchRequest) -> BoxStream<'static, Result<SearchItem>> {
        let client = self.client.clone();
        paginate(None::<String>, move |token: Option<String>| {
            let client = client.clone();
            let request = request.clone();
            async move {
                let page = match token {
                    None => client.search().create(&request).await?,
                    Some(token) => {
                        client
                            .search()
                            .retrieve(&token, request.include_user_metadata)
                            .await?
                    }
                };
                let next = page
                    .page_info
                    .next_page_token
                    .filter(|t| !t.is_empty())
                    .map(Some);
                Ok::<_, Error>(paginate::Page {
                    items: page.data,
                    next,
                })
            }
        })
    }
}
