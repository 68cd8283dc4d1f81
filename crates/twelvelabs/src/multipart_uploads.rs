//! Multipart uploads: `/assets/multipart-uploads` (catalog §3.3, §4.5), and
//! a resumable uploader built on them.
//!
//! The flow: create a session, `PUT` each chunk to its presigned URL (not a
//! TwelveLabs endpoint: sent without the API key; its `ETag` is the proof),
//! report completed chunks, and wait for the asset to be `ready`.
//! [`MultipartUploads::upload_file`] does all of it with bounded parallelism,
//! streaming each chunk from disk (constant memory whatever the file size),
//! and can save its state so that a later run uploads only the chunks the
//! server does not list as uploaded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use media_core::http::{ApiRequest, FilePart};
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, ProgressFn, Provider, Result, UploadProgress};
use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{Page, PageInfo, UserMetadata, all_pages, paging, require_text, task_failed};
use media_core::open_enum;

/// The most presigned URLs one `presigned-urls` request may ask for.
pub const MAX_URLS_PER_REQUEST: u32 = 50;

open_enum! {
    /// What kind of file a multipart session uploads (`type`).
    pub enum UploadType {
        /// A video (up to 10 GB).
        Video = "video",
        /// An audio file.
        Audio = "audio",
        /// An image (up to 32 MB).
        Image = "image",
    }
}

impl UploadType {
    /// The type of a file by its extension; `None` when it is not a known
    /// video, audio or image extension.
    pub fn from_path(path: &Path) -> Option<UploadType> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "mp4" | "m4v" | "mov" | "mkv" | "webm" | "avi" | "wmv" | "flv" | "mpeg" | "mpg"
            | "ts" | "3gp" | "ogv" => Some(UploadType::Video),
            "mp3" | "wav" | "m4a" | "aac" | "flac" | "ogg" | "oga" | "opus" | "wma" => {
                Some(UploadType::Audio)
            }
            "jpg" | "jpeg" | "png" | "webp" | "gif" | "bmp" | "tif" | "tiff" | "heic" => {
                Some(UploadType::Image)
            }
            _ => None,
        }
    }
}

open_enum! {
    /// Where a multipart session is (`MultipartUploadStatus`).
    pub enum MultipartUploadStatus {
        /// Accepting chunks.
        Active = "active",
        /// Every chunk received; the asset is being processed.
        Completed = "completed",
        /// Failed.
        Failed = "failed",
        /// Expired (sessions live 24 h); cannot be resumed.
        Expired = "expired",
    }
}

open_enum! {
    /// Where one chunk is (`ChunkInfo.status`).
    pub enum ChunkStatus {
        /// Received and verified.
        Completed = "completed",
        /// Not received yet.
        Pending = "pending",
        /// Failed; see `error`.
        Failed = "failed",
    }
}

/// A presigned URL for one chunk (`PresignedUrlChunk`); single use, 1 h.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PresignedUrlChunk {
    /// The chunk, from 1.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunk_index: Option<u64>,
    /// Where to `PUT` the chunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the URL expires.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The answer of `POST /assets/multipart-uploads` (`CreateAssetUploadResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateAssetUploadResponse {
    /// The session id (valid 24 h).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    /// The asset id, reserved now, usable after completion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// Presigned URLs for the first chunks (may not cover all of them).
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub upload_urls: Vec<PresignedUrlChunk>,
    /// Headers to send with each chunk `PUT` (undocumented; sent by
    /// [`MultipartUploads::upload_file`], unlike the official SDK).
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub upload_headers: BTreeMap<String, String>,
    /// Bytes per chunk (all but the last are exactly this size).
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunk_size: Option<u64>,
    /// How many chunks.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_chunks: Option<u64>,
    /// When the session expires.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Body of `POST /assets/multipart-uploads`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateMultipartUploadRequest {
    /// The original file name.
    pub filename: String,
    /// The kind of file.
    #[serde(rename = "type")]
    pub upload_type: UploadType,
    /// The file size in bytes.
    pub total_size: u64,
    /// Generate an HLS stream (server default `false` here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_hls: Option<bool>,
    /// Generate a thumbnail (server default `false` here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_thumbnail: Option<bool>,
    /// User-defined metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_metadata: Option<UserMetadata>,
}

impl CreateMultipartUploadRequest {
    /// A session for `total_size` bytes of `filename`.
    pub fn new(
        filename: impl Into<String>,
        upload_type: UploadType,
        total_size: u64,
    ) -> CreateMultipartUploadRequest {
        CreateMultipartUploadRequest {
            filename: filename.into(),
            upload_type,
            total_size,
            enable_hls: None,
            enable_thumbnail: None,
            user_metadata: None,
        }
    }

    /// Turns HLS generation on or off.
    pub fn enable_hls(mut self, enable: bool) -> CreateMultipartUploadRequest {
        self.enable_hls = Some(enable);
        self
    }

    /// Turns thumbnail generation on or off.
    pub fn enable_thumbnail(mut self, enable: bool) -> CreateMultipartUploadRequest {
        self.enable_thumbnail = Some(enable);
        self
    }

    /// Attaches user-defined metadata.
    pub fn user_metadata(mut self, metadata: UserMetadata) -> CreateMultipartUploadRequest {
        self.user_metadata = Some(metadata);
        self
    }
}

/// One uploaded chunk to report (`CompletedChunk`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedChunk {
    /// The chunk, from 1.
    pub chunk_index: u64,
    /// The `ETag` of its `PUT`, quotes stripped.
    pub proof: String,
    /// Always `etag`.
    pub proof_type: String,
    /// The bytes actually uploaded.
    pub chunk_size: u64,
}

impl CompletedChunk {
    /// Chunk `chunk_index` of `chunk_size` bytes, proven by `etag` (quotes are stripped).
    pub fn new(chunk_index: u64, etag: &str, chunk_size: u64) -> CompletedChunk {
        CompletedChunk {
            chunk_index,
            proof: etag.trim().trim_matches('"').to_owned(),
            proof_type: "etag".to_owned(),
            chunk_size,
        }
    }
}

/// One chunk's state (`ChunkInfo`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChunkInfo {
    /// The chunk, from 1.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub index: Option<u64>,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ChunkStatus>,
    /// When it was received.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub uploaded_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<DateTime<Utc>>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A session's status (`GetUploadStatusResponse`), with one page of its chunks.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UploadStatus {
    /// The session id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    /// Where the session is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<MultipartUploadStatus>,
    /// One page of uploaded chunks.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub uploaded_chunks: Vec<ChunkInfo>,
    /// Chunks completed.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunks_completed: Option<u64>,
    /// Chunks failed.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunks_failed: Option<u64>,
    /// Chunks pending.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunks_pending: Option<u64>,
    /// Paging of `uploaded_chunks`.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub page_info: PageInfo,
    /// The file size.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_size: Option<u64>,
    /// Bytes received.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub uploaded_size: Option<u64>,
    /// When the session was created.
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

/// An incomplete session (`IncompleteUploadSummary`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncompleteUploadSummary {
    /// The session id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<MultipartUploadStatus>,
    /// The file size.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_size: Option<u64>,
    /// Bytes per chunk.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunk_size: Option<u64>,
    /// How many chunks.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_chunks: Option<u64>,
    /// When it was created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When it expires.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The answer of a chunk report (`ReportChunkBatchResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportChunkBatchResponse {
    /// The asset's URL, once every chunk is reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The asset id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// Chunks recorded by this call (duplicates excluded).
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub processed_chunks: Option<u64>,
    /// Chunks already reported before.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duplicate_chunks: Option<u64>,
    /// Chunks recorded so far in total.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_completed: Option<u64>,
}

/// The answer of `POST …/presigned-urls` (`RequestAdditionalPresignedUrlsResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PresignedUrlsResponse {
    /// The session id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    /// The first chunk covered.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_index: Option<u64>,
    /// How many chunks are covered.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<u64>,
    /// The URLs.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub upload_urls: Vec<PresignedUrlChunk>,
    /// When they were made.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub generated_at: Option<DateTime<Utc>>,
    /// When they expire.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
}

/// What a resumable upload saves so that a later run can continue it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadState {
    /// The session id.
    pub upload_id: String,
    /// The asset id the session will create.
    pub asset_id: String,
    /// The uploaded file's name.
    pub filename: String,
    /// Its size in bytes; a file of another size does not resume this session.
    pub total_size: u64,
    /// Bytes per chunk.
    pub chunk_size: u64,
    /// How many chunks.
    pub total_chunks: u64,
    /// Headers to send with each chunk.
    #[serde(default)]
    pub upload_headers: BTreeMap<String, String>,
}

/// Options of [`MultipartUploads::upload_file`].
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct MultipartUploadOptions {
    /// The name to give the asset (default: the file's name).
    pub filename: Option<String>,
    /// The kind of file (default: guessed from the extension, else video).
    pub upload_type: Option<UploadType>,
    /// Generate an HLS stream.
    pub enable_hls: Option<bool>,
    /// Generate a thumbnail.
    pub enable_thumbnail: Option<bool>,
    /// User-defined metadata.
    pub user_metadata: Option<UserMetadata>,
    /// How many chunks are in flight at once (default 4).
    pub concurrency: usize,
    /// Where to save the session so that a later run resumes it; the file is
    /// removed once the upload completes.
    pub state_file: Option<PathBuf>,
    /// Reports bytes uploaded (resumed chunks count at once).
    pub progress: Option<ProgressFn>,
}

impl Default for MultipartUploadOptions {
    fn default() -> Self {
        MultipartUploadOptions {
            filename: None,
            upload_type: None,
            enable_hls: None,
            enable_thumbnail: None,
            user_metadata: None,
            concurrency: 4,
            state_file: None,
            progress: None,
        }
    }
}

impl MultipartUploadOptions {
    /// Defaults: 4 chunks in flight, no state file, no progress.
    pub fn new() -> MultipartUploadOptions {
        MultipartUploadOptions::default()
    }

    /// Names the asset.
    pub fn filename(mut self, filename: impl Into<String>) -> MultipartUploadOptions {
        self.filename = Some(filename.into());
        self
    }

    /// Sets the kind of file.
    pub fn upload_type(mut self, upload_type: UploadType) -> MultipartUploadOptions {
        self.upload_type = Some(upload_type);
        self
    }

    /// Turns HLS generation on or off.
    pub fn enable_hls(mut self, enable: bool) -> MultipartUploadOptions {
        self.enable_hls = Some(enable);
        self
    }

    /// Turns thumbnail generation on or off.
    pub fn enable_thumbnail(mut self, enable: bool) -> MultipartUploadOptions {
        self.enable_thumbnail = Some(enable);
        self
    }

    /// Attaches user-defined metadata.
    pub fn user_metadata(mut self, metadata: UserMetadata) -> MultipartUploadOptions {
        self.user_metadata = Some(metadata);
        self
    }

    /// Chunks in flight at once (at least 1).
    pub fn concurrency(mut self, concurrency: usize) -> MultipartUploadOptions {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Saves the session at `path` so that a later run resumes it.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> MultipartUploadOptions {
        self.state_file = Some(path.into());
        self
    }

    /// Reports bytes uploaded.
    pub fn progress(mut self, progress: ProgressFn) -> MultipartUploadOptions {
        self.progress = Some(progress);
        self
    }
}

/// The result of [`MultipartUploads::upload_file`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartUploadOutcome {
    /// The session id.
    pub upload_id: String,
    /// The new asset (processing until ready).
    pub asset_id: String,
    /// The asset's URL, when the server gave one.
    pub url: Option<String>,
    /// Whether an earlier session was resumed.
    pub resumed: bool,
    /// How many chunks this run uploaded.
    pub chunks_uploaded: u64,
    /// How many chunks the server already had.
    pub chunks_skipped: u64,
}

/// The multipart upload endpoints; get it from [`Client::multipart_uploads`].
#[derive(Debug, Clone, Copy)]
pub struct MultipartUploads<'a> {
    client: &'a Client,
}

impl Client {
    /// Multipart uploads: `/assets/multipart-uploads`.
    pub fn multipart_uploads(&self) -> MultipartUploads<'_> {
        MultipartUploads { client: self }
    }
}

impl MultipartUploads<'_> {
    /// `GET /assets/multipart-uploads`: one page of incomplete sessions.
    pub async fn list_incomplete(
        &self,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<IncompleteUploadSummary>> {
        let request = paging(
            ApiRequest::get("/assets/multipart-uploads"),
            page,
            page_limit,
        );
        self.client.execute(request).await
    }

    /// Every incomplete session, page after page.
    pub fn list_all_incomplete(
        &self,
        page_limit: Option<u32>,
    ) -> BoxStream<'static, Result<IncompleteUploadSummary>> {
        let client = self.client.clone();
        all_pages(1, move |page| {
            let client = client.clone();
            async move {
                client
                    .multipart_uploads()
                    .list_incomplete(Some(page), page_limit)
                    .await
            }
        })
    }

    /// `POST /assets/multipart-uploads`: opens a session.
    pub async fn create(
        &self,
        request: &CreateMultipartUploadRequest,
    ) -> Result<CreateAssetUploadResponse> {
        let mut http = ApiRequest::post("/assets/multipart-uploads").json(request);
        require_text(&mut http, "filename", &request.filename);
        if request.total_size == 0 {
            http.reject("`total_size` must be positive");
        }
        self.client.execute(http).await
    }

    /// `GET /assets/multipart-uploads/{upload_id}`: the session, with one
    /// page of its uploaded chunks.
    pub async fn status(
        &self,
        upload_id: &str,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<UploadStatus> {
        let request = paging(
            ApiRequest::get("/assets/multipart-uploads/{upload_id}"),
            page,
            page_limit,
        )
        .path_param("upload_id", upload_id);
        self.client.execute(request).await
    }

    /// Every uploaded chunk of the session (all pages of `uploaded_chunks`),
    /// with the first page's session status.
    pub async fn uploaded_chunks(&self, upload_id: &str) -> Result<(UploadStatus, Vec<ChunkInfo>)> {
        let first = self.status(upload_id, Some(1), Some(50)).await?;
        let mut chunks = first.uploaded_chunks.clone();
        let total_pages = first.page_info.total_page.unwrap_or(1);
        let mut page: u32 = 2;
        while u64::from(page) <= total_pages {
            let next = self.status(upload_id, Some(page), Some(50)).await?;
            if next.uploaded_chunks.is_empty() {
                break;
            }
            chunks.extend(next.uploaded_chunks);
            page += 1;
        }
        Ok((first, chunks))
    }

    /// `POST /assets/multipart-uploads/{upload_id}`: reports uploaded chunks
    /// (any order; duplicates are ignored, so retrying is safe).
    pub async fn report(
        &self,
        upload_id: &str,
        chunks: &[CompletedChunk],
    ) -> Result<ReportChunkBatchResponse> {
        let mut request = ApiRequest::post("/assets/multipart-uploads/{upload_id}")
            .path_param("upload_id", upload_id)
            .json(&serde_json::json!({ "completed_chunks": chunks }))
            .idempotent(true);
        if chunks.is_empty() {
            request.reject("`completed_chunks` must not be empty");
        }
        if chunks.iter().any(|c| c.chunk_index == 0) {
            request.reject("chunk indexes start at 1");
        }
        self.client.execute(request).await
    }

    /// `POST /assets/multipart-uploads/{upload_id}/presigned-urls`: fresh
    /// URLs for chunks `start..start + count` (1-based; `count` ≤ 50).
    pub async fn presigned_urls(
        &self,
        upload_id: &str,
        start: u64,
        count: u32,
    ) -> Result<PresignedUrlsResponse> {
        let mut request = ApiRequest::post("/assets/multipart-uploads/{upload_id}/presigned-urls")
            .path_param("upload_id", upload_id)
            .json(&serde_json::json!({ "start": start, "count": count }))
            .idempotent(true);
        if start == 0 {
            request.reject("`start` is a 1-based chunk index");
        }
        if !(1..=MAX_URLS_PER_REQUEST).contains(&count) {
            request.reject(format!(
                "`count` must be between 1 and {MAX_URLS_PER_REQUEST}, got {count}"
            ));
        }
        self.client.execute(request).await
    }

    /// `PUT`s bytes `offset..offset + length` of `path` to a presigned URL,
    /// streamed from disk, without the API key, and returns the `ETag`
    /// (quotes stripped).
    pub async fn upload_chunk(
        &self,
        url: &str,
        path: &Path,
        offset: u64,
        length: u64,
        headers: &BTreeMap<String, String>,
    ) -> Result<String> {
        let mut request = ApiRequest::absolute(Method::PUT, url).file(
            FilePart::new(path)
                .range(offset, length)
                .content_type("application/octet-stream"),
        );
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let raw = self.client.engine().send(&request).await?;
        if !raw.is_success() {
            return Err(raw.error_without_envelope());
        }
        raw.header("etag")
            .map(|etag| etag.trim().trim_matches('"').to_owned())
            .filter(|etag| !etag.is_empty())
            .ok_or_else(|| raw.decode_error("the chunk upload answered without an ETag"))
    }

    /// Polls the session until it is `completed` (every chunk received;
    /// the asset then still has to become `ready`). `failed` or `expired`
    /// end the wait with [`Error::TaskFailed`].
    pub async fn wait_until_complete<F>(
        &self,
        upload_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<UploadStatus>
    where
        F: FnMut(&UploadStatus) + Send,
    {
        let what = format!("multipart upload {upload_id}");
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &what,
            options,
            move || async move {
                let status = this.status(upload_id, None, None).await?;
                match &status.status {
                    Some(MultipartUploadStatus::Completed) => Ok(PollStatus::Done(status)),
                    Some(
                        state @ (MultipartUploadStatus::Failed | MultipartUploadStatus::Expired),
                    ) => Err(task_failed(
                        upload_id,
                        Some(format!("the upload session is {state}")),
                        "the upload session failed",
                    )),
                    _ => Ok(PollStatus::Pending(status)),
                }
            },
            on_update,
        )
        .await
    }

    /// Uploads the file at `path` through a multipart session: chunks are
    /// streamed from disk (constant memory), `options.concurrency` at a time,
    /// and reported after every window of at most 50 chunks. With
    /// `options.state_file`, the session is saved there first; a later call
    /// with the same state file and file resumes it, uploading only the
    /// chunks the server does not list as uploaded. Does not wait for the
    /// asset to be ready (see [`crate::Assets::wait_until_ready`]).
    pub async fn upload_file(
        &self,
        path: &Path,
        options: &MultipartUploadOptions,
    ) -> Result<MultipartUploadOutcome> {
        let total_size = tokio::fs::metadata(path).await.map_err(Error::Io)?.len();
        if total_size == 0 {
            return Err(Error::InvalidInput(format!("{} is empty", path.display())));
        }
        let filename = options.filename.clone().unwrap_or_else(|| {
            path.file_name()
                .map_or_else(|| "upload".to_owned(), |n| n.to_string_lossy().into_owned())
        });

        let mut resumed = None;
        if let Some(state_file) = &options.state_file
            && let Some(state) = load_state(state_file).await
            && state.total_size == total_size
            && state.filename == filename
        {
            match self.uploaded_chunks(&state.upload_id).await {
                Ok((status, chunks)) => {
                    let done: BTreeSet<u64> = chunks
                        .iter()
                        .filter(|c| {
                            c.status
                                .as_ref()
                                .is_none_or(|s| *s == ChunkStatus::Completed)
                        })
                        .filter_map(|c| c.index)
                        .collect();
                    match status.status {
                        Some(MultipartUploadStatus::Failed | MultipartUploadStatus::Expired) => {}
                        _ => resumed = Some((state, done, Vec::new())),
                    }
                }
                Err(err) if err.is_not_found() => {}
                Err(err) => return Err(err),
            }
        }
        let is_resumed = resumed.is_some();
        let (state, done, initial_urls) = if let Some(resumed) = resumed {
            resumed
        } else {
            {
                let upload_type = options
                    .upload_type
                    .clone()
                    .or_else(|| UploadType::from_path(path))
                    .unwrap_or(UploadType::Video);
                let mut request =
                    CreateMultipartUploadRequest::new(&filename, upload_type, total_size);
                request.enable_hls = options.enable_hls;
                request.enable_thumbnail = options.enable_thumbnail;
                request.user_metadata.clone_from(&options.user_metadata);
                let created = self.create(&request).await?;
                let state = state_from(created.clone(), &filename, total_size)?;
                if let Some(state_file) = &options.state_file {
                    save_state(state_file, &state).await?;
                }
                (state, BTreeSet::new(), created.upload_urls)
            }
        };

        let missing: Vec<u64> = (1..=state.total_chunks)
            .filter(|i| !done.contains(i))
            .collect();
        let chunk_len = |index: u64| {
            if index == state.total_chunks {
                state.total_size - (index - 1) * state.chunk_size
            } else {
                state.chunk_size
            }
        };
        let sent = Arc::new(AtomicU64::new(done.iter().map(|&i| chunk_len(i)).sum()));
        let report_progress = |bytes: u64| {
            if let Some(progress) = &options.progress {
                progress.report(UploadProgress::new(bytes, Some(total_size)));
            }
        };
        report_progress(sent.load(Ordering::Relaxed));

        let mut known_urls: BTreeMap<u64, String> = initial_urls
            .into_iter()
            .filter_map(|u| Some((u.chunk_index?, u.url?)))
            .collect();
        let mut url = None;
        let mut uploaded = 0;
        let mut window_start = 0;
        while window_start < missing.len() {
            let first = missing[window_start];
            let window_end = missing[window_start..]
                .iter()
                .position(|&i| i >= first + u64::from(MAX_URLS_PER_REQUEST))
                .map_or(missing.len(), |p| window_start + p);
            let window = &missing[window_start..window_end];
            window_start = window_end;

            let needing: Vec<u64> = window
                .iter()
                .copied()
                .filter(|i| !known_urls.contains_key(i))
                .collect();
            if let (Some(&start), Some(&last)) = (needing.first(), needing.last()) {
                let count = u32::try_from(last - start + 1).unwrap_or(MAX_URLS_PER_REQUEST);
                let fresh = self.presigned_urls(&state.upload_id, start, count).await?;
                known_urls.extend(
                    fresh
                        .upload_urls
                        .into_iter()
                        .filter_map(|u| Some((u.chunk_index?, u.url?))),
                );
            }
            let jobs: Vec<(u64, String)> = window
                .iter()
                .map(|&index| {
                    known_urls
                        .remove(&index)
                        .map(|url| (index, url))
                        .ok_or_else(|| Error::Decode {
                            provider: Provider::TwelveLabs,
                            http_status: 200,
                            message: format!("the server gave no presigned URL for chunk {index}"),
                            body_snippet: String::new(),
                        })
                })
                .collect::<Result<_>>()?;
            let this = *self;
            let state = &state;
            let sent = &sent;
            let results: Vec<Result<CompletedChunk>> = stream::iter(jobs)
                .map(|(index, chunk_url)| async move {
                    let length = chunk_len(index);
                    let offset = (index - 1) * state.chunk_size;
                    let etag = match this
                        .upload_chunk(&chunk_url, path, offset, length, &state.upload_headers)
                        .await
                    {
                        Ok(etag) => etag,
                        // An expired or used URL: ask for a fresh one once.
                        Err(err) if matches!(err.http_status(), Some(400 | 403)) => {
                            let fresh = this.presigned_urls(&state.upload_id, index, 1).await?;
                            let fresh_url = fresh
                                .upload_urls
                                .into_iter()
                                .find_map(|u| u.url)
                                .ok_or(err)?;
                            this.upload_chunk(
                                &fresh_url,
                                path,
                                offset,
                                length,
                                &state.upload_headers,
                            )
                            .await?
                        }
                        Err(err) => return Err(err),
                    };
                    let now = sent.fetch_add(length, Ordering::Relaxed) + length;
                    report_progress(now);
                    Ok(CompletedChunk::new(index, &etag, length))
                })
                .buffer_unordered(options.concurrency.max(1))
                .collect()
                .await;
            // Report what made it even when a chunk failed, so that a resumed
            // run skips those chunks.
            let mut completed = Vec::with_capacity(results.len());
            let mut first_error = None;
            for result in results {
                match result {
                    Ok(chunk) => completed.push(chunk),
                    Err(err) => {
                        first_error.get_or_insert(err);
                    }
                }
            }
            completed.sort_by_key(|c| c.chunk_index);
            uploaded += completed.len() as u64;
            if !completed.is_empty() {
                let answer = self.report(&state.upload_id, &completed).await?;
                if answer.url.is_some() {
                    url = answer.url;
                }
            }
            if let Some(err) = first_error {
                return Err(err);
            }
        }
        if let Some(state_file) = &options.state_file {
            let _ = tokio::fs::remove_file(state_file).await;
        }
        Ok(MultipartUploadOutcome {
            upload_id: state.upload_id.clone(),
            asset_id: state.asset_id.clone(),
            url,
            resumed: is_resumed,
            chunks_uploaded: uploaded,
            chunks_skipped: done.len() as u64,
        })
    }
}

fn state_from(
    created: CreateAssetUploadResponse,
    filename: &str,
    total_size: u64,
) -> Result<UploadState> {
    let missing = |field: &str| Error::Decode {
        provider: Provider::TwelveLabs,
        http_status: 200,
        message: format!("the multipart session answer has no `{field}`"),
        body_snippet: String::new(),
    };
    let chunk_size = created
        .chunk_size
        .filter(|&n| n > 0)
        .ok_or_else(|| missing("chunk_size"))?;
    Ok(UploadState {
        upload_id: created.upload_id.ok_or_else(|| missing("upload_id"))?,
        asset_id: created.asset_id.ok_or_else(|| missing("asset_id"))?,
        filename: filename.to_owned(),
        total_size,
        chunk_size,
        total_chunks: created
            .total_chunks
            .unwrap_or_else(|| total_size.div_ceil(chunk_size)),
        upload_headers: created.upload_headers,
    })
}

async fn load_state(path: &Path) -> Option<UploadState> {
    let bytes = tokio::fs::read(path).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

async fn save_state(path: &Path, state: &UploadState) -> Result<()> {
    let text = serde_json::to_vec_pretty(state)
        .map_err(|err| Error::InvalidInput(format!("cannot save the upload state: {err}")))?;
    let tmp = path.with_extension("tmp");
    tokio::fs::write(&tmp, text).await.map_err(Error::Io)?;
    tokio::fs::rename(&tmp, path).await.map_err(Error::Io)
}
