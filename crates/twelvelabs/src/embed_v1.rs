//! Create embeddings v1 (deprecated; use [`crate::EmbedV2`]): `/embed`,
//! `/embed/tasks` (catalog §3.10). Both creates are multipart forms, even
//! without a file; file parts stream from disk and are re-sent whole on
//! every retry.
#![allow(deprecated)]

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Provider, Result};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{CreatedId, Page};
use crate::embed::{EmbeddingTaskStatus, ListEmbeddingTasksParams, MediaEmbeddingTask};
use crate::form::Form;
use crate::wire;

/// An image or audio input of `POST /embed`: a URL or a local file.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaInputV1 {
    /// `…_url`.
    Url(String),
    /// `…_file`, streamed from disk.
    File(PathBuf),
}

/// `POST /embed` (multipart): text, image and/or audio embeddings.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateEmbeddingV1Request {
    /// `marengo3.0` (older: `Marengo-retrieval-2.7`).
    pub model_name: String,
    /// Text to embed.
    pub text: Option<String>,
    /// Image to embed.
    pub image: Option<MediaInputV1>,
    /// Audio to embed.
    pub audio: Option<MediaInputV1>,
    /// Seconds of audio to skip.
    pub audio_start_offset_sec: Option<f64>,
}

impl CreateEmbeddingV1Request {
    /// Nothing to embed yet, with `model_name`.
    pub fn new(model_name: impl Into<String>) -> CreateEmbeddingV1Request {
        CreateEmbeddingV1Request {
            model_name: model_name.into(),
            text: None,
            image: None,
            audio: None,
            audio_start_offset_sec: None,
        }
    }

    /// Embeds `text`.
    pub fn text(mut self, text: impl Into<String>) -> CreateEmbeddingV1Request {
        self.text = Some(text.into());
        self
    }

    /// Embeds an image.
    pub fn image(mut self, image: MediaInputV1) -> CreateEmbeddingV1Request {
        self.image = Some(image);
        self
    }

    /// Embeds audio.
    pub fn audio(mut self, audio: MediaInputV1) -> CreateEmbeddingV1Request {
        self.audio = Some(audio);
        self
    }

    /// Skips the first `seconds` of the audio.
    pub fn audio_start_offset_sec(mut self, seconds: f64) -> CreateEmbeddingV1Request {
        self.audio_start_offset_sec = Some(seconds);
        self
    }

    fn to_request(&self) -> ApiRequest {
        let mut form = Form::new()
            .text("model_name", self.model_name.clone())
            .text_opt("text", self.text.clone());
        for (kind, input) in [("image", &self.image), ("audio", &self.audio)] {
            form = match input {
                Some(MediaInputV1::Url(url)) => form.text(&format!("{kind}_url"), url.clone()),
                Some(MediaInputV1::File(path)) => {
                    form.file(&format!("{kind}_file"), path.clone(), None, None)
                }
                None => form,
            };
        }
        let form = form.display_opt("audio_start_offset_sec", self.audio_start_offset_sec);
        let mut request = form.into_request(ApiRequest::post("/embed"), None);
        if self.model_name.trim().is_empty() {
            request.reject("`model_name` must not be empty");
        }
        if self.text.is_none() && self.image.is_none() && self.audio.is_none() {
            request.reject("give `text`, an image or audio to embed");
        }
        if self
            .audio_start_offset_sec
            .is_some_and(|s| s < 0.0 || !s.is_finite())
        {
            request.reject("`audio_start_offset_sec` must be a non-negative number");
        }
        request
    }
}

/// The video of `POST /embed/tasks`: a URL or a local file (≤2 GB).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateEmbeddingTaskV1Request {
    /// `marengo3.0`.
    pub model_name: String,
    /// The video.
    pub video: MediaInputV1,
    /// Where to start, seconds (with `video_end_offset_sec`).
    pub video_start_offset_sec: Option<f64>,
    /// Where to stop, seconds (with `video_start_offset_sec`).
    pub video_end_offset_sec: Option<f64>,
    /// Clip length, 2–10 s (default 6).
    pub video_clip_length: Option<f64>,
    /// `clip` and/or `video` (repeated field).
    pub video_embedding_scope: Vec<String>,
}

impl CreateEmbeddingTaskV1Request {
    /// Embeds `video` with `model_name`.
    pub fn new(model_name: impl Into<String>, video: MediaInputV1) -> CreateEmbeddingTaskV1Request {
        CreateEmbeddingTaskV1Request {
            model_name: model_name.into(),
            video,
            video_start_offset_sec: None,
            video_end_offset_sec: None,
            video_clip_length: None,
            video_embedding_scope: Vec::new(),
        }
    }

    /// Only `start..end` seconds.
    pub fn window(mut self, start: f64, end: f64) -> CreateEmbeddingTaskV1Request {
        self.video_start_offset_sec = Some(start);
        self.video_end_offset_sec = Some(end);
        self
    }

    /// Sets the clip length (2–10 s).
    pub fn clip_length(mut self, seconds: f64) -> CreateEmbeddingTaskV1Request {
        self.video_clip_length = Some(seconds);
        self
    }

    /// Adds a scope (`clip`, `video`).
    pub fn scope(mut self, scope: impl Into<String>) -> CreateEmbeddingTaskV1Request {
        self.video_embedding_scope.push(scope.into());
        self
    }

    fn to_request(&self, progress: Option<media_core::ProgressFn>) -> ApiRequest {
        let form = Form::new().text("model_name", self.model_name.clone());
        let form = match &self.video {
            MediaInputV1::Url(url) => form.text("video_url", url.clone()),
            MediaInputV1::File(path) => form.file("video_file", path.clone(), None, None),
        };
        let form = form
            .display_opt("video_start_offset_sec", self.video_start_offset_sec)
            .display_opt("video_end_offset_sec", self.video_end_offset_sec)
            .display_opt("video_clip_length", self.video_clip_length)
            .each("video_embedding_scope", &self.video_embedding_scope);
        let mut request = form.into_request(ApiRequest::post("/embed/tasks"), progress);
        if self.model_name.trim().is_empty() {
            request.reject("`model_name` must not be empty");
        }
        match (self.video_start_offset_sec, self.video_end_offset_sec) {
            (Some(_), None) | (None, Some(_)) => {
                request.reject("set the start and end offsets together");
            }
            (Some(s), Some(e)) if s < 0.0 || e <= s => {
                request.reject("the end offset must be after a non-negative start");
            }
            _ => {}
        }
        if self
            .video_clip_length
            .is_some_and(|c| !(2.0..=10.0).contains(&c))
        {
            request.reject("`video_clip_length` is 2–10 seconds");
        }
        if self
            .video_embedding_scope
            .iter()
            .any(|s| s != "clip" && s != "video")
        {
            request.reject("`video_embedding_scope` values are `clip` or `video`");
        }
        request
    }
}

/// One vector of a v1 answer (`float` on the wire).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentV1 {
    /// The vector (JSON key `float`).
    #[serde(rename = "float", deserialize_with = "crate::de::null_as_default")]
    pub embedding: Vec<f64>,
    /// Start, seconds (audio/video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_offset_sec: Option<f64>,
    /// End, seconds (audio/video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_offset_sec: Option<f64>,
    /// `visual`, `audio`, `transcription`, `visual-text` (video).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_option: Option<String>,
    /// `clip` or `video` (video).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_scope: Option<String>,
}

/// Source facts of an input.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputMetadataV1 {
    /// The URL given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_url: Option<String>,
    /// The file name given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_filename: Option<String>,
}

/// One modality of a `POST /embed` answer.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModalityEmbeddingV1 {
    /// The vectors.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub segments: Vec<SegmentV1>,
    /// Why this modality failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Source facts (image/audio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<InputMetadataV1>,
}

/// `POST /embed` (`EmbeddingResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingResponseV1 {
    /// The model.
    pub model_name: String,
    /// Text vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_embedding: Option<ModalityEmbeddingV1>,
    /// Image vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_embedding: Option<ModalityEmbeddingV1>,
    /// Audio vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_embedding: Option<ModalityEmbeddingV1>,
}

/// `VideoEmbeddingMetadata`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoEmbeddingMetadata {
    /// The URL given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_url: Option<String>,
    /// The file name given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_filename: Option<String>,
    /// Clip length, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_clip_length: Option<f64>,
    /// Scopes.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub video_embedding_scope: Vec<String>,
    /// Options.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub video_embedding_option: Vec<String>,
    /// Duration, seconds (trailing segments under 2 s are dropped).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
}

/// `video_embedding` of a v1 task.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoEmbeddingV1 {
    /// What was embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<VideoEmbeddingMetadata>,
    /// The vectors (retrieve only, once ready).
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub segments: Vec<SegmentV1>,
}

/// `GET /embed/tasks/{id}` (`VideoEmbeddingTaskDetail`) and, without
/// segments, `GET /embed/tasks/{id}/status`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoEmbeddingTask {
    /// The task id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<EmbeddingTaskStatus>,
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
    /// Metadata and vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_embedding: Option<VideoEmbeddingV1>,
}

/// Create embeddings v1 (deprecated); get it from [`Client::embed`].
#[derive(Debug, Clone, Copy)]
pub struct Embed<'a> {
    client: &'a Client,
}

impl Client {
    /// Create embeddings v1 (deprecated): `/embed`, `/embed/tasks`.
    #[deprecated(note = "TwelveLabs deprecated embeddings v1; use `Client::embed_v2` instead")]
    pub fn embed(&self) -> Embed<'_> {
        Embed { client: self }
    }
}

impl Embed<'_> {
    /// `POST /embed` (multipart): text, image and/or audio embeddings.
    #[deprecated(note = "use `EmbedV2::create` (`POST /embed-v2`) instead")]
    pub async fn create(&self, request: &CreateEmbeddingV1Request) -> Result<EmbeddingResponseV1> {
        self.client.execute(request.to_request()).await
    }

    /// `POST /embed/tasks` (multipart): starts a video embedding task;
    /// `progress` reports the bytes of a local file as they are sent.
    #[deprecated(note = "use `EmbedV2::create_task` (`POST /embed-v2/tasks`) instead")]
    pub async fn create_task(
        &self,
        request: &CreateEmbeddingTaskV1Request,
        progress: Option<media_core::ProgressFn>,
    ) -> Result<CreatedId> {
        self.client.execute(request.to_request(progress)).await
    }

    /// `GET /embed/tasks`: one page of video embedding tasks.
    #[deprecated(note = "use `EmbedV2::list_tasks` (`GET /embed-v2/tasks`) instead")]
    pub async fn list_tasks(
        &self,
        params: &ListEmbeddingTasksParams,
    ) -> Result<Page<MediaEmbeddingTask>> {
        self.client.execute(params.to_request("/embed/tasks")).await
    }

    /// Every v1 task, page after page.
    #[deprecated(note = "use `EmbedV2::list_all_tasks` instead")]
    pub fn list_all_tasks(
        &self,
        params: ListEmbeddingTasksParams,
    ) -> BoxStream<'static, Result<MediaEmbeddingTask>> {
        let client = self.client.clone();
        wire::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.embed().list_tasks(&params).await }
        })
    }

    /// `GET /embed/tasks/{task_id}/status`.
    #[deprecated(note = "use `EmbedV2::retrieve_task` (`GET /embed-v2/tasks/{task_id}`) instead")]
    pub async fn task_status(&self, task_id: &str) -> Result<VideoEmbeddingTask> {
        let api = ApiRequest::get("/embed/tasks/{task_id}/status").path_param("task_id", task_id);
        self.client.execute(api).await
    }

    /// `GET /embed/tasks/{task_id}`: the embeddings, optionally only some
    /// options (`visual`, `audio`, `transcription`, `visual-text`).
    #[deprecated(note = "use `EmbedV2::retrieve_task` (`GET /embed-v2/tasks/{task_id}`) instead")]
    pub async fn retrieve_task(
        &self,
        task_id: &str,
        embedding_option: &[&str],
    ) -> Result<VideoEmbeddingTask> {
        let api = ApiRequest::get("/embed/tasks/{task_id}")
            .path_param("task_id", task_id)
            .query_each("embedding_option", embedding_option);
        self.client.execute(api).await
    }

    /// Polls [`Embed::task_status`] until `ready`, then returns the task with
    /// its embeddings; `failed` is [`media_core::Error::TaskFailed`].
    #[deprecated(note = "use `EmbedV2::wait_for_task` instead")]
    pub async fn wait_for_task<F>(
        &self,
        task_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<VideoEmbeddingTask>
    where
        F: FnMut(&VideoEmbeddingTask) + Send,
    {
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &format!("embedding task {task_id}"),
            options,
            move || async move {
                let task = this.task_status(task_id).await?;
                match task.status {
                    Some(EmbeddingTaskStatus::Ready) => Ok(PollStatus::Done(task)),
                    Some(EmbeddingTaskStatus::Failed) => Err(wire::task_failed(
                        task_id,
                        None,
                        "the video embedding task failed",
                    )),
                    _ => Ok(PollStatus::Pending(task)),
                }
            },
            on_update,
        )
        .await?;
        self.retrieve_task(task_id, &[]).await
    }
}
