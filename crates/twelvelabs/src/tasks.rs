//! Video indexing tasks (legacy, "will be removed"): `/tasks` (catalog §3.4).
//!
//! `POST /tasks` uploads and indexes a video in one call. The replacement is
//! [`crate::Assets::create`] followed by [`crate::IndexedAssets::create`].

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{ProgressFn, Provider, Result};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{
    HlsObject, Page, SortBy, SortOption, UserMetadata, all_pages, paging, require_text, task_failed,
};
use crate::form::Form;
use media_core::open_enum;

open_enum! {
    /// Where a video indexing task is (`status`): `validating` → `pending` →
    /// `queued` → `indexing` → `ready` | `failed`.
    pub enum TaskStatus {
        /// Indexed.
        Ready = "ready",
        /// Being uploaded.
        Uploading = "uploading",
        /// Being validated.
        Validating = "validating",
        /// Waiting.
        Pending = "pending",
        /// Queued.
        Queued = "queued",
        /// Being indexed.
        Indexing = "indexing",
        /// Failed.
        Failed = "failed",
    }
}

impl TaskStatus {
    /// True for `ready` and `failed`.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TaskStatus::Ready | TaskStatus::Failed)
    }
}

/// Facts about the task's video (`system_metadata`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskSystemMetadata {
    /// Duration in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// The file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Height in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub height: Option<u32>,
    /// Width in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<u32>,
}

/// A video indexing task (`VideoIndexingTask`; a retrieve adds `hls`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoIndexingTask {
    /// The task id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The video being indexed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_id: Option<String>,
    /// The index it goes into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_id: Option<String>,
    /// Where the task is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
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
    /// Facts about the video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_metadata: Option<TaskSystemMetadata>,
    /// The HLS stream (retrieve only, with `enable_video_stream`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hls: Option<HlsObject>,
    /// Estimated completion time (older docs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_time: Option<String>,
}

/// The answer of `POST /tasks`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatedTask {
    /// The task id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The video id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_id: Option<String>,
}

/// The video of a task: a local file or a public URL.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskVideo {
    /// `video_file`, streamed from disk.
    File(PathBuf),
    /// `video_url`.
    Url(String),
}

/// Body of `POST /tasks` (always `multipart/form-data`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTaskRequest {
    /// The index to put the video in.
    pub index_id: String,
    /// The video.
    pub video: TaskVideo,
    /// Keep an HLS stream.
    pub enable_video_stream: Option<bool>,
    /// User-defined metadata, sent as a JSON text.
    pub user_metadata: Option<UserMetadata>,
}

impl CreateTaskRequest {
    /// Uploads the file at `path` into `index_id`.
    pub fn file(index_id: impl Into<String>, path: impl Into<PathBuf>) -> CreateTaskRequest {
        CreateTaskRequest::new(index_id, TaskVideo::File(path.into()))
    }

    /// Indexes the video at `url` into `index_id`.
    pub fn url(index_id: impl Into<String>, url: impl Into<String>) -> CreateTaskRequest {
        CreateTaskRequest::new(index_id, TaskVideo::Url(url.into()))
    }

    /// Indexes `video` into `index_id`.
    pub fn new(index_id: impl Into<String>, video: TaskVideo) -> CreateTaskRequest {
        CreateTaskRequest {
            index_id: index_id.into(),
            video,
            enable_video_stream: None,
            user_metadata: None,
        }
    }

    /// Keeps (or not) an HLS stream.
    pub fn enable_video_stream(mut self, enable: bool) -> CreateTaskRequest {
        self.enable_video_stream = Some(enable);
        self
    }

    /// Attaches user-defined metadata.
    pub fn user_metadata(mut self, metadata: UserMetadata) -> CreateTaskRequest {
        self.user_metadata = Some(metadata);
        self
    }

    fn to_request(&self, progress: Option<ProgressFn>) -> ApiRequest {
        let form = Form::new().text("index_id", self.index_id.clone());
        let form = match &self.video {
            TaskVideo::File(path) => form.file("video_file", path.clone(), None, None),
            TaskVideo::Url(url) => form.text("video_url", url.clone()),
        }
        .bool_opt("enable_video_stream", self.enable_video_stream)
        .json_opt("user_metadata", self.user_metadata.as_ref());
        let mut request = form.into_request(ApiRequest::post("/tasks"), progress);
        require_text(&mut request, "index_id", &self.index_id);
        request
    }
}

/// Query of `GET /tasks`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListTasksParams {
    /// The page, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Sort field.
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    pub sort_option: Option<SortOption>,
    /// Only tasks of this index.
    pub index_id: Option<String>,
    /// Only these statuses (repeated `status`).
    pub status: Vec<TaskStatus>,
    /// Only this file name.
    pub filename: Option<String>,
    /// Only this exact duration, in seconds.
    pub duration: Option<f64>,
    /// Only this width.
    pub width: Option<u32>,
    /// Only this height.
    pub height: Option<u32>,
    /// Created at or after (RFC 3339).
    pub created_at: Option<String>,
    /// Updated at or after (RFC 3339).
    pub updated_at: Option<String>,
}

impl ListTasksParams {
    /// No filters.
    pub fn new() -> ListTasksParams {
        ListTasksParams::default()
    }

    /// Requests page `page` (from 1).
    pub fn page(mut self, page: u32) -> ListTasksParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> ListTasksParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Sorts by `sort_by` in direction `sort_option`.
    pub fn sort(mut self, sort_by: SortBy, sort_option: SortOption) -> ListTasksParams {
        self.sort_by = Some(sort_by);
        self.sort_option = Some(sort_option);
        self
    }

    /// Only tasks of `index_id`.
    pub fn index_id(mut self, index_id: impl Into<String>) -> ListTasksParams {
        self.index_id = Some(index_id.into());
        self
    }

    /// Adds a status to the filter.
    pub fn status(mut self, status: TaskStatus) -> ListTasksParams {
        self.status.push(status);
        self
    }

    /// Only `filename`.
    pub fn filename(mut self, filename: impl Into<String>) -> ListTasksParams {
        self.filename = Some(filename.into());
        self
    }

    /// Only this exact duration.
    pub fn duration(mut self, seconds: f64) -> ListTasksParams {
        self.duration = Some(seconds);
        self
    }

    /// Only this width and height.
    pub fn dimensions(mut self, width: u32, height: u32) -> ListTasksParams {
        self.width = Some(width);
        self.height = Some(height);
        self
    }

    /// Created at or after `at`.
    pub fn created_since(mut self, at: DateTime<Utc>) -> ListTasksParams {
        self.created_at = Some(at.to_rfc3339());
        self
    }

    /// Updated at or after `at`.
    pub fn updated_since(mut self, at: DateTime<Utc>) -> ListTasksParams {
        self.updated_at = Some(at.to_rfc3339());
        self
    }

    fn to_request(&self) -> ApiRequest {
        paging(ApiRequest::get("/tasks"), self.page, self.page_limit)
            .query_opt("sort_by", self.sort_by.as_ref())
            .query_opt("sort_option", self.sort_option.as_ref())
            .query_opt("index_id", self.index_id.as_deref())
            .query_each("status", &self.status)
            .query_opt("filename", self.filename.as_deref())
            .query_opt("duration", self.duration)
            .query_opt("width", self.width)
            .query_opt("height", self.height)
            .query_opt("created_at", self.created_at.as_deref())
            .query_opt("updated_at", self.updated_at.as_deref())
    }
}

/// The legacy `/tasks` endpoints; get it from [`Client::tasks`].
#[derive(Debug, Clone, Copy)]
pub struct Tasks<'a> {
    client: &'a Client,
}

impl Client {
    /// Video indexing tasks (legacy): `/tasks`.
    pub fn tasks(&self) -> Tasks<'_> {
        Tasks { client: self }
    }
}

impl Tasks<'_> {
    /// `POST /tasks`: uploads (streamed from disk) or links a video and
    /// indexes it, as `multipart/form-data`.
    #[deprecated(
        note = "use client.assets().create(..) then client.indexed_assets().create(..) instead"
    )]
    pub async fn create(&self, request: &CreateTaskRequest) -> Result<CreatedTask> {
        self.client.execute(request.to_request(None)).await
    }

    /// [`Tasks::create`], reporting bytes sent to `progress`.
    #[deprecated(
        note = "use client.assets().create_with_progress(..) then client.indexed_assets().create(..) instead"
    )]
    pub async fn create_with_progress(
        &self,
        request: &CreateTaskRequest,
        progress: ProgressFn,
    ) -> Result<CreatedTask> {
        self.client
            .execute(request.to_request(Some(progress)))
            .await
    }

    /// `GET /tasks`: one page of tasks, newest first.
    #[deprecated(note = "use client.indexed_assets().list(..) instead")]
    pub async fn list(&self, params: &ListTasksParams) -> Result<Page<VideoIndexingTask>> {
        self.client.execute(params.to_request()).await
    }

    /// Every task matching `params`, page after page.
    #[deprecated(note = "use client.indexed_assets().list_all(..) instead")]
    pub fn list_all(
        &self,
        params: ListTasksParams,
    ) -> BoxStream<'static, Result<VideoIndexingTask>> {
        let client = self.client.clone();
        all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            #[allow(deprecated)]
            async move {
                client.tasks().list(&params).await
            }
        })
    }

    /// `GET /tasks/{task_id}`.
    #[deprecated(note = "use client.indexed_assets().retrieve(..) instead")]
    pub async fn retrieve(&self, task_id: &str) -> Result<VideoIndexingTask> {
        let request = ApiRequest::get("/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute(request).await
    }

    /// `DELETE /tasks/{task_id}`: only `ready` (after its video is deleted)
    /// or `failed` tasks; otherwise the server answers `task_cannot_be_deleted`.
    #[deprecated(note = "use client.indexed_assets().delete(..) instead")]
    pub async fn delete(&self, task_id: &str) -> Result<()> {
        let request = ApiRequest::delete("/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute_empty(request).await
    }

    /// Polls `GET /tasks/{task_id}` until the task is `ready` and returns it,
    /// calling `on_update` with every observation. Unlike the official SDK's
    /// `wait_for_done`, the wait has a deadline (`options.max_wait` →
    /// [`media_core::Error::Timeout`]), a `failed` task is
    /// [`media_core::Error::TaskFailed`], and errors are returned, not printed.
    #[deprecated(note = "use client.indexed_assets().wait_until_ready(..) instead")]
    pub async fn wait_until_done<F>(
        &self,
        task_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<VideoIndexingTask>
    where
        F: FnMut(&VideoIndexingTask) + Send,
    {
        let what = format!("indexing task {task_id}");
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &what,
            options,
            move || async move {
                #[allow(deprecated)]
                let task = this.retrieve(task_id).await?;
                match task.status {
                    Some(TaskStatus::Ready) => Ok(PollStatus::Done(task)),
                    Some(TaskStatus::Failed) => Err(task_failed(
                        task_id,
                        None,
                        "the indexing task failed (no reason given)",
                    )),
                    _ => Ok(PollStatus::Pending(task)),
                }
            },
            on_update,
        )
        .await
    }
}
