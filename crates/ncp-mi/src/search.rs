//! Search: the query-image upload (`/query-assets/uploads/…`), the asynchronous asset
//! search (`…/assets/search`), and the superseded MAIU scene search (`/scene-search`).

use std::path::Path;

use futures::stream::BoxStream;
use media_core::http::{ApiRequest, FilePart};
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, ProgressFn, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::index::ConfidenceLevel;
use crate::page::Page;
use media_core::open_enum;

const PRESIGNED_PATH: &str = "/query-assets/uploads/presigned-url";
const COMPLETE_PATH: &str = "/query-assets/uploads/complete";
const SEARCH_PATH: &str = "/workspaces/{workspace_name}/assets/search";
const SEARCH_RESULT_PATH: &str = "/workspaces/{workspace_name}/assets/search/{search_id}";
const SCENE_SEARCH_PATH: &str = "/scene-search";
const SCENE_SEARCH_RESULT_PATH: &str = "/workspaces/{workspace_name}/scene-search/{searchId}";

/// The largest `pageSize` of a search result.
pub const MAX_SEARCH_PAGE_SIZE: u32 = 100;

/// Characters the service forbids in text queries, dialogue phrases and names.
pub const FORBIDDEN_CHARS: [char; 3] = [';', '|', '`'];

open_enum! {
    /// The state of a search (`result.status`).
    pub enum SearchStatus {
        /// Still searching.
        Running = "RUNNING",
        /// Done; results are readable.
        Completed = "COMPLETED",
        /// Failed.
        Failed = "FAILED",
    }
}

open_enum! {
    /// The outcome of a presigned upload (`uploadStatus`).
    pub enum UploadState {
        /// The file arrived and passed the checks.
        Completed = "COMPLETED",
        /// The file is missing or was rejected; see `uploadMessage`.
        Failed = "FAILED",
    }
}

/// The answer of the `…/uploads/complete` calls.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadStatus {
    /// `COMPLETED` or `FAILED` (`uploadStatus`).
    #[serde(rename = "uploadStatus", default)]
    pub upload_status: Option<UploadState>,
    /// Why it failed: `FILE_NOT_EXIST`, `OVER_SIZE_LIMIT`, `RESOLUTION_NOT_SUPPORT`, …
    /// (`uploadMessage`).
    #[serde(rename = "uploadMessage", default)]
    pub upload_message: Option<String>,
    /// Fields the docs do not show.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UploadStatus {
    /// `Ok` when completed; [`Error::TaskFailed`] naming `key` and the message otherwise.
    pub fn into_result(self, key: &str) -> Result<UploadStatus> {
        match self.upload_status {
            Some(UploadState::Completed) => Ok(self),
            ref state => Err(Error::TaskFailed {
                provider: Provider::NcpMi,
                task_id: key.to_owned(),
                reason: format!(
                    "upload {}: {}",
                    state.as_ref().map_or("without status", UploadState::as_str),
                    self.upload_message.as_deref().unwrap_or("no message")
                ),
            }),
        }
    }
}

/// `POST /query-assets/uploads/presigned-url`'s answer.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryImageUpload {
    /// The object key to confirm and to search with (`assetFileKey`).
    #[serde(rename = "assetFileKey")]
    pub asset_file_key: String,
    /// Where to PUT the bytes, once, within 15 minutes (`presignedUploadUrl`).
    #[serde(rename = "presignedUploadUrl")]
    pub presigned_upload_url: String,
    /// How long the URL is valid (`expirationSeconds`, default 900).
    #[serde(
        rename = "expirationSeconds",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub expiration_seconds: Option<u64>,
}

/// Person ids or dialogue phrases a search must / may / must not match.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
pub struct Clause<T> {
    /// All of these (`must`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must: Vec<T>,
    /// Any of these (`any`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<T>,
    /// None of these (`not`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not: Vec<T>,
}

impl<T> Default for Clause<T> {
    fn default() -> Self {
        Clause {
            must: Vec::new(),
            any: Vec::new(),
            not: Vec::new(),
        }
    }
}

impl<T> Clause<T> {
    /// An empty clause.
    pub fn new() -> Clause<T> {
        Clause::default()
    }

    /// Adds `must` values.
    pub fn must(mut self, values: impl IntoIterator<Item = T>) -> Clause<T> {
        self.must.extend(values);
        self
    }

    /// Adds `any` values.
    pub fn any(mut self, values: impl IntoIterator<Item = T>) -> Clause<T> {
        self.any.extend(values);
        self
    }

    /// Adds `not` values.
    pub fn not(mut self, values: impl IntoIterator<Item = T>) -> Clause<T> {
        self.not.extend(values);
        self
    }
}

/// `query` of a search: exactly one of `textQuery` / `imageQuery`, plus optional person
/// and dialogue clauses.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Free text, 1–1000 characters (`textQuery`).
    #[serde(rename = "textQuery", skip_serializing_if = "Option::is_none")]
    pub text_query: Option<String>,
    /// An uploaded query image's key (`imageQuery`).
    #[serde(rename = "imageQuery", skip_serializing_if = "Option::is_none")]
    pub image_query: Option<String>,
    /// Person ids (`personQuery`).
    #[serde(rename = "personQuery", skip_serializing_if = "Option::is_none")]
    pub person_query: Option<Clause<u64>>,
    /// Dialogue phrases (`dialogQuery`); not applicable to images.
    #[serde(rename = "dialogQuery", skip_serializing_if = "Option::is_none")]
    pub dialog_query: Option<Clause<String>>,
}

/// `queryOption` of a search.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryOption {
    /// Similarity confidence (`confidenceLevel`).
    #[serde(rename = "confidenceLevel", skip_serializing_if = "Option::is_none")]
    pub confidence_level: Option<ConfidenceLevel>,
}

/// Body of `POST …/assets/search` (and of the legacy `/scene-search`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    /// What to look for (`query`).
    pub query: SearchQuery,
    /// Options (`queryOption`).
    #[serde(rename = "queryOption", skip_serializing_if = "Option::is_none")]
    pub query_option: Option<QueryOption>,
    /// Target projects, assets, index date range (`filter`); its field names were not
    /// visible in the docs, so it is sent as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Value>,
}

impl SearchParams {
    /// A text search.
    pub fn text(text_query: impl Into<String>) -> SearchParams {
        SearchParams::with_query(SearchQuery {
            text_query: Some(text_query.into()),
            ..SearchQuery::default()
        })
    }

    /// A search by an uploaded query image (its `assetFileKey`).
    pub fn image(image_key: impl Into<String>) -> SearchParams {
        SearchParams::with_query(SearchQuery {
            image_query: Some(image_key.into()),
            ..SearchQuery::default()
        })
    }

    fn with_query(query: SearchQuery) -> SearchParams {
        SearchParams {
            query,
            query_option: None,
            filter: None,
        }
    }

    /// Sets `query.personQuery`.
    pub fn persons(mut self, clause: Clause<u64>) -> SearchParams {
        self.query.person_query = Some(clause);
        self
    }

    /// Sets `query.dialogQuery`.
    pub fn dialog(mut self, clause: Clause<String>) -> SearchParams {
        self.query.dialog_query = Some(clause);
        self
    }

    /// Sets `queryOption.confidenceLevel`.
    pub fn confidence_level(mut self, level: ConfidenceLevel) -> SearchParams {
        self.query_option = Some(QueryOption {
            confidence_level: Some(level),
        });
        self
    }

    /// Sets `filter`, sent verbatim.
    pub fn filter(mut self, filter: Value) -> SearchParams {
        self.filter = Some(filter);
        self
    }

    fn check(&self) -> Option<String> {
        let q = &self.query;
        if q.text_query.is_some() == q.image_query.is_some() {
            return Some("a search needs exactly one of textQuery and imageQuery".into());
        }
        if let Some(text) = &q.text_query
            && let Some(reason) = crate::text_rule("textQuery", text, 1, 1000)
        {
            return Some(reason);
        }
        if let Some(key) = &q.image_query
            && key.trim().is_empty()
        {
            return Some("imageQuery must not be empty".into());
        }
        if let Some(dialog) = &q.dialog_query {
            for phrase in dialog.must.iter().chain(&dialog.any).chain(&dialog.not) {
                if let Some(reason) = crate::text_rule("dialogQuery", phrase, 1, 1000) {
                    return Some(reason);
                }
            }
        }
        None
    }

    fn request(&self, request: ApiRequest) -> ApiRequest {
        let mut request = request.json(self);
        if let Some(reason) = self.check() {
            request.reject(reason);
        }
        request
    }
}

/// The answer of `POST …/assets/search`: the id to poll.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchStarted {
    /// The opaque search id (`searchId`).
    #[serde(rename = "searchId")]
    pub search_id: String,
    /// Fields the docs do not show.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One search hit (`result.results[]`). The item fields were not visible in the docs:
/// the likely identifiers are typed, everything else stays in [`SearchHit::extra`].
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The asset (`assetId`).
    #[serde(
        rename = "assetId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub asset_id: Option<u64>,
    /// The project (`projectId`).
    #[serde(
        rename = "projectId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub project_id: Option<u64>,
    /// The index (`indexId`).
    #[serde(
        rename = "indexId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub index_id: Option<u64>,
    /// The query score (`score`).
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub score: Option<f64>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET …/assets/search/{search_id}`: the state, and once `COMPLETED`, one page of hits.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    /// The search id (`searchId`).
    #[serde(rename = "searchId", default)]
    pub search_id: Option<String>,
    /// The state (`status`).
    pub status: SearchStatus,
    /// Hits in all pages (`totalCount`, when completed).
    #[serde(
        rename = "totalCount",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub total_count: Option<u64>,
    /// Pages (`totalPage`, when completed).
    #[serde(
        rename = "totalPage",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub total_page: Option<u64>,
    /// This page (`pageNo`, when completed).
    #[serde(
        rename = "pageNo",
        default,
        deserialize_with = "media_core::de::opt_u32"
    )]
    pub page_no: Option<u32>,
    /// The hits of this page, by score then index creation (`results`).
    #[serde(default, deserialize_with = "crate::page::null_as_empty")]
    pub results: Vec<SearchHit>,
}

/// Paging of a search result: `pageNum` (default 1) and `pageSize` 1–100 (default 50).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchResultParams {
    /// `pageNum`, 1-based.
    pub page_num: Option<u32>,
    /// `pageSize`, 1–100.
    pub page_size: Option<u32>,
}

impl SearchResultParams {
    /// The server defaults (page 1 of 50).
    pub fn new() -> SearchResultParams {
        SearchResultParams::default()
    }

    /// Sets `pageNum`.
    pub fn page_num(mut self, page_num: u32) -> SearchResultParams {
        self.page_num = Some(page_num);
        self
    }

    /// Sets `pageSize` (1–100).
    pub fn page_size(mut self, page_size: u32) -> SearchResultParams {
        self.page_size = Some(page_size);
        self
    }

    fn apply(self, mut request: ApiRequest) -> ApiRequest {
        if self.page_num == Some(0) {
            request.reject("pageNum must be 1 or more, got 0");
        }
        if let Some(size) = self.page_size
            && !(1..=MAX_SEARCH_PAGE_SIZE).contains(&size)
        {
            request.reject(format!(
                "pageSize must be between 1 and {MAX_SEARCH_PAGE_SIZE}, got {size}"
            ));
        }
        request
            .query_opt("pageSize", self.page_size)
            .query_opt("pageNum", self.page_num)
    }
}

/// The Search API group: `client.search()`.
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    client: &'a Client,
}

impl<'a> Search<'a> {
    pub(crate) fn new(client: &'a Client) -> Search<'a> {
        Search { client }
    }

    /// `POST /query-assets/uploads/presigned-url` (`assetType` `IMAGE`): a single-use URL,
    /// valid 15 minutes, to upload a query image (jpg/png/webp/heic, ≤ 5 MB, ≥ 224 px).
    pub async fn presigned_url(self, asset_file_name: &str) -> Result<QueryImageUpload> {
        #[derive(Serialize)]
        struct Body<'b> {
            #[serde(rename = "assetType")]
            asset_type: &'b str,
            #[serde(rename = "assetFileName")]
            asset_file_name: &'b str,
        }
        let mut request = ApiRequest::post(PRESIGNED_PATH).json(&Body {
            asset_type: "IMAGE",
            asset_file_name,
        });
        if asset_file_name.trim().is_empty() {
            request.reject("assetFileName must not be empty");
        }
        self.client.execute(&request).await
    }

    /// `POST /query-assets/uploads/complete`: confirms the upload of `asset_key` (the
    /// `assetFileKey`).
    pub async fn complete_upload(self, asset_key: &str) -> Result<UploadStatus> {
        #[derive(Serialize)]
        struct Body<'b> {
            #[serde(rename = "assetKey")]
            asset_key: &'b str,
        }
        let mut request = ApiRequest::post(COMPLETE_PATH).json(&Body { asset_key });
        if asset_key.trim().is_empty() {
            request.reject("assetKey must not be empty");
        }
        self.client.execute(&request).await
    }

    /// The whole query-image flow: a presigned URL, the file PUT to it (streamed from
    /// disk, no NCP signature), and the confirmation. Returns the key to pass to
    /// [`SearchParams::image`]; a `FAILED` confirmation is [`Error::TaskFailed`].
    pub async fn upload_query_image(
        self,
        path: impl AsRef<Path>,
        progress: Option<ProgressFn>,
    ) -> Result<String> {
        let path = path.as_ref();
        let name = file_name(path)?;
        let upload = self.presigned_url(&name).await?;
        self.client
            .put_presigned(&upload.presigned_upload_url, FilePart::new(path), progress)
            .await?;
        self.complete_upload(&upload.asset_file_key)
            .await?
            .into_result(&upload.asset_file_key)?;
        Ok(upload.asset_file_key)
    }

    /// `POST /workspaces/{workspace_name}/assets/search`: starts a search; poll it with
    /// [`Search::result`] or [`Search::wait_for_search`].
    pub async fn request(
        self,
        workspace_name: &str,
        params: &SearchParams,
    ) -> Result<SearchStarted> {
        let request = params
            .request(ApiRequest::post(SEARCH_PATH).path_param("workspace_name", workspace_name));
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/assets/search/{search_id}?pageSize=&pageNum=`.
    pub async fn result(
        self,
        workspace_name: &str,
        search_id: &str,
        params: &SearchResultParams,
    ) -> Result<SearchResult> {
        let request = params.apply(
            ApiRequest::get(SEARCH_RESULT_PATH)
                .path_param("workspace_name", workspace_name)
                .path_param("search_id", search_id),
        );
        self.client.execute(&request).await
    }

    /// Polls [`Search::result`] (with `params`' paging) until the search is `COMPLETED`
    /// and returns that page; `FAILED` is [`Error::TaskFailed`].
    pub async fn wait_for_search(
        self,
        workspace_name: &str,
        search_id: &str,
        params: &SearchResultParams,
        options: &PollOptions,
        progress: impl FnMut(&SearchResult) + Send,
    ) -> Result<SearchResult> {
        let what = format!("search {search_id}");
        wait_until(
            Provider::NcpMi,
            &what,
            options,
            || async move {
                let result = self.result(workspace_name, search_id, params).await?;
                search_poll(result, search_id)
            },
            progress,
        )
        .await
    }

    /// Every hit of a completed search, page by page (`page_size` 1–100), lazily.
    pub fn results_all(
        self,
        workspace_name: &str,
        search_id: &str,
        page_size: u32,
    ) -> BoxStream<'static, Result<SearchHit>> {
        let client = self.client.clone();
        let workspace_name = workspace_name.to_owned();
        let search_id = search_id.to_owned();
        crate::page::stream_pages(page_size, move |page| {
            let client = client.clone();
            let workspace_name = workspace_name.clone();
            let search_id = search_id.clone();
            async move {
                let params = SearchResultParams::new()
                    .page_num(page.page_num)
                    .page_size(page.page_size.unwrap_or(page_size));
                let result = client
                    .search()
                    .result(&workspace_name, &search_id, &params)
                    .await?;
                Ok(result.into_page())
            }
        })
    }

    /// `POST /scene-search`: the superseded MAIU scene search (no workspace in the path).
    #[deprecated(
        note = "superseded MAIU route; use `Search::request` (POST /workspaces/{ws}/assets/search) instead"
    )]
    pub async fn scene_search(self, params: &SearchParams) -> Result<SearchStarted> {
        let request = params.request(ApiRequest::post(SCENE_SEARCH_PATH));
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/scene-search/{searchId}`: the superseded result.
    #[deprecated(
        note = "superseded MAIU route; use `Search::result` (GET …/assets/search/{search_id}) instead"
    )]
    pub async fn scene_search_result(
        self,
        workspace_name: &str,
        search_id: &str,
        params: &SearchResultParams,
    ) -> Result<SearchResult> {
        let request = params.apply(
            ApiRequest::get(SCENE_SEARCH_RESULT_PATH)
                .path_param("workspace_name", workspace_name)
                .path_param("searchId", search_id),
        );
        self.client.execute(&request).await
    }
}

fn search_poll(result: SearchResult, search_id: &str) -> Result<PollStatus<SearchResult>> {
    match result.status {
        SearchStatus::Completed => Ok(PollStatus::Done(result)),
        SearchStatus::Failed => Err(Error::TaskFailed {
            provider: Provider::NcpMi,
            task_id: search_id.to_owned(),
            reason: "search FAILED".into(),
        }),
        _ => Ok(PollStatus::Pending(result)),
    }
}

impl SearchResult {
    fn into_page(self) -> Page<SearchHit> {
        Page {
            content: self.results,
            total_count: self.total_count,
            total_page: self.total_page,
            page_no: self.page_no,
            page_size: None,
        }
    }
}

/// The file name of `path`, for the presigned-URL requests.
pub(crate) fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty())
        .ok_or_else(|| Error::InvalidInput(format!("{} names no file", path.display())))
}
