//! A typed async client for the NAVER Cloud Platform Media Intelligence API
//! (formerly MAIU), with API Gateway signature v2: every endpoint of the catalog, grouped
//! as the service groups them (workspaces, projects, assets, analysis and index, scene
//! summary, search, persons), with `wait_*` helpers for the asynchronous jobs.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use ncp_mi::{
//!     AnalysisParams, Client, Config, PollOptions, RegisterAssetParams, SceneSummaryParams,
//!     SearchParams, SearchResultParams,
//! };
//!
//! # async fn run() -> ncp_mi::Result<()> {
//! let client = Client::new(Config::new("ACCESS_KEY_ID", "SECRET_KEY"))?;
//! let (ws, project) = ("my-workspace", 1234);
//!
//! // Register an object of Object Storage as an asset, and analyse it.
//! let asset = client
//!     .assets()
//!     .register(ws, project, &RegisterAssetParams::new("media-in", "clips/launch.mp4"))
//!     .await?;
//! let params = AnalysisParams::new().analysis_person_count(4);
//! if let Err(err) = client.analysis().request(ws, project, asset.asset_id, &params).await {
//!     // HTTP 409: an analysis already runs for this asset; wait for that one.
//!     if !ncp_mi::is_conflict(&err) {
//!         return Err(err);
//!     }
//! }
//! let poll = PollOptions::default();
//! let done = client
//!     .analysis()
//!     .wait_for_index(ws, project, asset.asset_id, &poll, |s| println!("{:?}", s.status))
//!     .await?;
//! let index = client.indexes().retrieve(ws, project, asset.asset_id, None).await?;
//! println!("index {:?}: {} top-level fields", done.index_id, index.extra.len());
//!
//! // A VLM summary of its scenes.
//! let summaries = client.scene_summary();
//! summaries.request(ws, project, asset.asset_id, &SceneSummaryParams::all_scenes()).await?;
//! summaries.wait_for_scene_summary(ws, project, asset.asset_id, &poll, |_| {}).await?;
//! let summary = summaries.result(ws, project, asset.asset_id).await?;
//! println!("{:?}", summary.scene_summary_info);
//!
//! // Search every indexed asset of the workspace.
//! let search = client.search().request(ws, &SearchParams::text("people shaking hands")).await?;
//! let result = client
//!     .search()
//!     .wait_for_search(ws, &search.search_id, &SearchResultParams::new(), &poll, |_| {})
//!     .await?;
//! for hit in &result.results {
//!     println!("asset {:?} score {:?}", hit.asset_id, hit.score);
//! }
//!
//! // Every list is also a stream that pages lazily.
//! let assets: Vec<ncp_mi::Asset> = client.assets().list_all(ws, project, 1000).try_collect().await?;
//! println!("{} assets", assets.len());
//! # Ok(())
//! # }
//! ```
//!
//! # API groups
//!
//! | handle | endpoints |
//! |---|---|
//! | [`Client::workspaces`] | list, create, detail, delete |
//! | [`Client::projects`] | create, list, detail, rename, delete |
//! | [`Client::assets`] | register from Object Storage, list, delete (+ MAIU `video-assets` routes) |
//! | [`Client::analysis`] | request, status, cancel, [`Analysis::wait_for_index`] |
//! | [`Client::indexes`] | latest index, delete, list |
//! | [`Client::scene_summary`] | request, status, cancel, result, [`SceneSummaries::wait_for_scene_summary`] |
//! | [`Client::search`] | query-image upload ([`Search::upload_query_image`]), request, result, [`Search::wait_for_search`] |
//! | [`Client::persons`] | register, list, detail, edit, delete, search, merge, similar, recommend, face images, tags |
//!
//! Routes NCP removes in January 2027 (`/analyze`, index-id-based) and the MAIU-era ones are
//! `#[deprecated]` with the replacement named; the MAIU host is [`LEGACY_BASE_URL`].
//!
//! # Errors
//!
//! Failures are [`Error`]; [`ErrorCode::of`] reads the documented codes (the full table is
//! [`codes::ERROR_CODES`]), [`is_conflict`] the HTTP 409 of a job that already runs, and
//! [`is_clock_skew`] a signature rejected for a stale timestamp. Parameters are checked
//! against the documented constraints (page sizes 1–1000 / 1–100 / 1–50 per endpoint, name
//! rules, id counts) before anything is sent: [`Error::InvalidInput`].
//!
//! # Configuration
//!
//! [`Config::from_env`] reads `NCLOUD_ACCESS_KEY` and `NCLOUD_SECRET_KEY`, the base URL
//! override `NCP_MI_BASE_URL` (default [`DEFAULT_BASE_URL`], `https://mi.apigw.ntruss.com/api/v1`),
//! and `NCP_MI_WORKSPACE` / `NCP_MI_PROJECT`, the workspace and project the neutral traits
//! work in. The base URL includes `/api/v1`; endpoint paths are appended to it, and the
//! signature covers the full path as sent, so a base URL behind a proxy prefix signs
//! correctly too.
//!
//! # Signing
//!
//! Every request carries `x-ncp-apigw-timestamp`, `x-ncp-iam-access-key` and
//! `x-ncp-apigw-signature-v2` (see [`signature`]). Each attempt, retries included, is signed
//! afresh with a new timestamp. The gateway rejects timestamps more than five minutes away
//! from its clock; the error is [`Error::Unauthorized`] and its message carries the gateway's
//! details (which name the skew). The clock is injectable ([`Config::clock`]). Neither key
//! appears in `Debug` output or in errors.
//!
//! # Reading the responses
//!
//! - The envelope `{"code":"0","message":"success","result":…}` is unwrapped; `code` may be
//!   a string or a number. Any other code is an error even under HTTP 200
//!   ([`Error::Api`] with the code and message). MI errors are read at the top level or
//!   wrapped in `responseError`; API Gateway errors (`{"error":{"errorCode",…}}`) map by
//!   status (401 → [`Error::Unauthorized`], 429 or gateway codes 410/420 →
//!   [`Error::RateLimited`]).
//! - Numbers arrive as numbers or numeric strings; unknown fields are ignored; an unknown
//!   `format` is kept in [`AssetFormat::Unknown`].
//! - Times (`createdTime`, `updatedTime`) carry no zone on the wire. The typed models keep
//!   them as sent ([`Timestamp`]: naive, or with the offset when one is sent). The neutral
//!   [`media_core::Asset`] reads a naive time as **KST (UTC+09:00)** ([`time::KST`]): the
//!   service runs in the Korea region only, and NCP does not document the zone.
//!
//! # Neutral traits
//!
//! [`Client`] implements [`media_core::AssetLister`] (every page of the default project),
//! [`media_core::AssetReader`], [`media_core::AssetDeleter`] and [`media_core::AssetUploader`]
//! (with the `object-storage` feature: the file goes to NCP Object Storage, see
//! [`ObjectStorage`], then is registered). The API has no single-asset
//! GET, so `asset(id)` scans the listing: one request per 1000 assets. All of them need
//! `NCP_MI_WORKSPACE` and `NCP_MI_PROJECT`
//! (or [`Config::workspace`] / [`Config::project`]) and otherwise return
//! [`Error::InvalidInput`] naming them.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod assets;
mod client;
pub mod codes;
mod envelope;
mod index;
mod neutral;
mod object_storage;
mod page;
mod persons;
mod projects;
mod scene_summary;
mod search;
pub mod signature;
pub mod time;
mod workspaces;

pub use assets::{
    Asset, AssetFormat, AssetList, AssetMetaData, Assets, ListAssetsParams, RegisterAssetParams,
};
pub use client::{
    ACCESS_KEY_VAR, BASE_URL_VAR, Client, Config, DEFAULT_BASE_URL, LEGACY_BASE_URL, PROJECT_VAR,
    SECRET_KEY_VAR, WORKSPACE_VAR,
};
pub use codes::{ErrorCode, is_clock_skew, is_conflict};
pub use index::{
    Analysis, AnalysisParams, AnalysisSetting, AnalysisStatus, ConfidenceLevel, Index, IndexList,
    IndexStatus, IndexSummary, IndexType, Indexes, SceneRange, SourceLanguage,
};
pub use media_core::poll::PollOptions;
pub use media_core::{Error, Result};
pub use object_storage::{
    DEFAULT_OBJECT_STORAGE_ENDPOINT, DEFAULT_OBJECT_STORAGE_REGION, OBJECT_STORAGE_BUCKET_VAR,
    OBJECT_STORAGE_ENDPOINT_VAR, ObjectStorage, UploadParams,
};
pub use page::{MAX_PAGE_SIZE, Page, PageParams};
pub use persons::{
    CreatePersonParams, ListPersonsParams, MAX_PERSON_SEARCH_PAGE_SIZE, NameType, Person,
    PersonList, PersonSortColumn, PersonTag, Persons, SearchPersonsParams, SimilarPerson,
    SimilarPersons, SimilarityParams, SortType, TagList, Thumbnail, ThumbnailList, ThumbnailRef,
    ThumbnailUpload, UpdatePersonParams,
};
pub use projects::{Project, ProjectList, ProjectParams, Projects};
pub use scene_summary::{
    SceneSummaries, SceneSummary, SceneSummaryInfo, SceneSummaryParams, SceneSummaryStatus,
    SummaryStatus,
};
pub use search::{
    Clause, FORBIDDEN_CHARS, MAX_SEARCH_PAGE_SIZE, QueryImageUpload, QueryOption, Search,
    SearchHit, SearchParams, SearchQuery, SearchResult, SearchResultParams, SearchStarted,
    SearchStatus, UploadState, UploadStatus,
};
pub use signature::{Clock, FixedClock, SystemClock};
pub use time::Timestamp;
pub use workspaces::{
    CreateWorkspaceParams, DeletedWorkspace, ListWorkspacesParams, Workspace, WorkspaceList,
    Workspaces, check_workspace_name,
};

/// Why `value` breaks the service's text rule for `field`: not blank, `min..=max`
/// characters, none of [`FORBIDDEN_CHARS`].
pub(crate) fn text_rule(field: &str, value: &str, min: usize, max: usize) -> Option<String> {
    if value.trim().is_empty() {
        return Some(format!("{field} must not be blank"));
    }
    if let Some(reason) = length_rule(field, value, min, max) {
        return Some(reason);
    }
    value
        .contains(FORBIDDEN_CHARS)
        .then(|| format!("{field} must not contain ';', '|' or '`', got {value:?}"))
}

/// Why `value` is not `min..=max` characters long.
pub(crate) fn length_rule(field: &str, value: &str, min: usize, max: usize) -> Option<String> {
    let len = value.chars().count();
    (!(min..=max).contains(&len)).then(|| {
        if max == usize::MAX {
            format!("{field} must have at least {min} characters, got {len}")
        } else {
            format!("{field} must have {min}–{max} characters, got {len}")
        }
    })
}
