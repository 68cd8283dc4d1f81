//! The Transcription group: visual and audio transcripts of private and
//! public videos, summaries, and re-transcription.
//!
//! Endpoints: `GET /get_video_caption`, `GET /get_video_transcription`
//! (legacy name), `GET /get_audio_transcription`,
//! `GET /get_public_video_transcription`, `GET /get_public_audio_transcription`,
//! `GET /generate_summary`, `POST /update_video_transcription`.

use chrono::{DateTime, Utc};
use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{non_empty, wire};
use crate::de;
use crate::library::GetMetadataParams;
use media_core::open_enum;

/// The Transcription endpoints, borrowed from a [`Client`] by
/// [`Client::transcription`].
#[derive(Debug, Clone, Copy)]
pub struct Transcription<'a> {
    client: &'a Client,
}

/// One timed segment of a transcript.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptSegment {
    /// The segment's position.
    #[serde(default, deserialize_with = "de::number")]
    pub index: Option<u32>,
    /// The scene description or the spoken words (older docs: `text`).
    #[serde(default, alias = "text")]
    pub content: Option<String>,
    /// Start in seconds (older docs: `start`).
    #[serde(
        default,
        rename = "startTime",
        alias = "start_time",
        alias = "start",
        deserialize_with = "de::number"
    )]
    pub start_time: Option<f64>,
    /// End in seconds (older docs: `end`).
    #[serde(
        default,
        rename = "endTime",
        alias = "end_time",
        alias = "end",
        deserialize_with = "de::number"
    )]
    pub end_time: Option<f64>,
}

/// A visual or audio transcript.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The video id.
    #[serde(default, rename = "videoNo", alias = "video_no")]
    pub video_no: Option<String>,
    /// The segments, in order (older docs: `transcription`).
    #[serde(default, alias = "transcription", deserialize_with = "de::list")]
    pub transcriptions: Vec<TranscriptSegment>,
    /// When the transcript was made (epoch milliseconds on the wire).
    #[serde(
        default,
        rename = "createTime",
        alias = "create_time",
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub create_time: Option<DateTime<Utc>>,
    /// Storage bucket of the video.
    #[serde(default)]
    pub video_bucket: Option<String>,
    /// Storage object of the video.
    #[serde(default)]
    pub video_blob: Option<String>,
}

open_enum! {
    /// The kind of summary `generate_summary` writes.
    pub enum SummaryType {
        /// `CHAPTER`: timed chapters.
        Chapter = "CHAPTER",
        /// `TOPIC`: topics without times.
        Topic = "TOPIC",
    }
}

/// One chapter or topic of a summary.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryItem {
    /// The heading.
    #[serde(default)]
    pub title: Option<String>,
    /// The text.
    #[serde(default)]
    pub description: Option<String>,
    /// Start in seconds (chapters only).
    #[serde(default, deserialize_with = "de::number")]
    pub start: Option<f64>,
}

/// The answer of `GET /generate_summary` (captured shape; the doc table's
/// different one is not what the server sends).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The overall summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Chapters or topics.
    #[serde(default, deserialize_with = "de::list")]
    pub items: Vec<SummaryItem>,
    /// Input tokens used (a string on the wire).
    #[serde(default, rename = "totalInput", deserialize_with = "de::number")]
    pub total_input: Option<u64>,
    /// Output tokens used (a string on the wire).
    #[serde(default, rename = "totalOutput", deserialize_with = "de::number")]
    pub total_output: Option<u64>,
}

/// Parameters of `POST /update_video_transcription` (unverified).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateTranscriptionParams {
    /// The video to re-transcribe.
    pub video_no: String,
    /// How to describe the scenes. Must not be empty.
    pub prompt: String,
    /// The namespace; the client's default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// A URL told when the new transcript is ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
}

impl UpdateTranscriptionParams {
    /// Re-transcribes `video_no` steered by `prompt`.
    pub fn new(video_no: impl Into<String>, prompt: impl Into<String>) -> Self {
        UpdateTranscriptionParams {
            video_no: video_no.into(),
            prompt: prompt.into(),
            unique_id: None,
            callback: None,
        }
    }

    /// Uses namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Asks for a callback to `url`.
    pub fn callback(mut self, url: impl Into<String>) -> Self {
        self.callback = Some(url.into());
        self
    }
}

/// The answer of `POST /update_video_transcription` (unverified shape).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdatedTranscription {
    /// The video being re-transcribed.
    #[serde(default, alias = "videoNo")]
    pub video_no: Option<String>,
}

impl<'a> Transcription<'a> {
    pub(crate) fn new(client: &'a Client) -> Transcription<'a> {
        Transcription { client }
    }

    fn private(
        self,
        template: &'static str,
        video: &GetMetadataParams,
        extra: Option<(&str, &str)>,
    ) -> Result<ApiRequest> {
        non_empty("video_no", &video.video_no)?;
        let unique_id = self.client.namespace(video.unique_id.as_deref())?;
        let mut request = ApiRequest::get(template).query("video_no", &video.video_no);
        if let Some((name, value)) = extra {
            request = request.query(name, value);
        }
        Ok(request.query("unique_id", unique_id))
    }

    async fn transcript(&self, request: &ApiRequest) -> Result<Option<Transcript>> {
        self.client.call::<Option<Transcript>>(request).await
    }

    /// `GET /get_video_caption`: the visual (scene) transcript of a private
    /// video. `None` while the video is not parsed yet (`data: null`).
    pub async fn get_video_caption(
        &self,
        video: impl Into<GetMetadataParams>,
    ) -> Result<Option<Transcript>> {
        let request = self.private("/get_video_caption", &video.into(), None)?;
        self.transcript(&request).await
    }

    /// `GET /get_video_transcription`: the legacy name of
    /// [`Transcription::get_video_caption`].
    #[deprecated(note = "use `Transcription::get_video_caption` instead (the current name)")]
    pub async fn get_video_transcription(
        &self,
        video: impl Into<GetMetadataParams>,
    ) -> Result<Option<Transcript>> {
        let request = self.private("/get_video_transcription", &video.into(), None)?;
        self.transcript(&request).await
    }

    /// `GET /get_audio_transcription`: the speech transcript of a private
    /// video. `None` for a video without audio or not parsed yet.
    pub async fn get_audio_transcription(
        &self,
        video: impl Into<GetMetadataParams>,
    ) -> Result<Option<Transcript>> {
        let request = self.private("/get_audio_transcription", &video.into(), None)?;
        self.transcript(&request).await
    }

    /// `GET /get_public_video_transcription`: the visual transcript of a
    /// public (`PI-…`) video.
    pub async fn get_public_video_transcription(
        &self,
        video_no: &str,
    ) -> Result<Option<Transcript>> {
        non_empty("video_no", video_no)?;
        let request =
            ApiRequest::get("/get_public_video_transcription").query("video_no", video_no);
        self.transcript(&request).await
    }

    /// `GET /get_public_audio_transcription`: the speech transcript of a
    /// public (`PI-…`) video.
    pub async fn get_public_audio_transcription(
        &self,
        video_no: &str,
    ) -> Result<Option<Transcript>> {
        non_empty("video_no", video_no)?;
        let request =
            ApiRequest::get("/get_public_audio_transcription").query("video_no", video_no);
        self.transcript(&request).await
    }

    /// `GET /generate_summary`: a chapter or topic summary of a private
    /// video. `None` when the API has none (`data: null`).
    pub async fn generate_summary(
        &self,
        video: impl Into<GetMetadataParams>,
        summary_type: SummaryType,
    ) -> Result<Option<Summary>> {
        let request = self.private(
            "/generate_summary",
            &video.into(),
            Some(("type", summary_type.as_str())),
        )?;
        self.client.call::<Option<Summary>>(&request).await
    }

    /// `POST /update_video_transcription`: re-transcribes a video with a
    /// custom prompt, replacing the stored transcript (unverified: seen only
    /// in third-party code).
    pub async fn update_video_transcription(
        &self,
        params: &UpdateTranscriptionParams,
    ) -> Result<Option<UpdatedTranscription>> {
        non_empty("video_no", &params.video_no)?;
        non_empty("prompt", &params.prompt)?;
        let mut body = params.clone();
        body.unique_id = Some(
            self.client
                .namespace(params.unique_id.as_deref())?
                .to_owned(),
        );
        let request = ApiRequest::post("/update_video_transcription").json(&body);
        self.client.call(&request).await
    }
}
