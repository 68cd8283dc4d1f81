//! Live streams (memories-v2.md §3.G): the server pulls an audio stream and
//! transcribes it live, or analyses a video stream (moderation, logos);
//! results arrive by webhook, every 5 seconds. Stream features must be
//! enabled by sales; concurrency is limited per account.
//!
//! Answers use the E3 envelope (`message`, not `msg`). The client-pushed
//! live audio WebSocket is in `live_audio` (feature `websocket`).

use std::collections::BTreeMap;

use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::transcriptions::SttProvider;
use crate::wire::non_empty;

/// The `data` of the stream start/stop calls.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamAck {
    /// The stream task id (a UUID).
    pub task_id: String,
    /// e.g. `Audio stream transcription started`.
    #[serde(default)]
    pub message: Option<String>,
}

/// The body of `POST /audio-stream/start`.
///
/// Provider options (ElevenLabs `diarize`, AssemblyAI `speaker_labels`, …)
/// go through [`AudioStreamParams::option`] under their documented names.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioStreamParams {
    /// RTMP, RTSP, HLS or HTTP stream.
    pub audio_url: String,
    /// `elevenlabs` or `assemblyai`.
    pub provider: SttProvider,
    /// e.g. `en`, `zh`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Provider options, by their documented names.
    #[serde(flatten)]
    pub options: BTreeMap<String, Value>,
}

impl AudioStreamParams {
    /// Transcribe `audio_url` live with `provider`.
    pub fn new(audio_url: impl Into<String>, provider: SttProvider) -> AudioStreamParams {
        AudioStreamParams {
            audio_url: audio_url.into(),
            provider,
            language_code: None,
            options: BTreeMap::new(),
        }
    }

    /// Sets `language_code`.
    pub fn language_code(mut self, code: impl Into<String>) -> AudioStreamParams {
        self.language_code = Some(code.into());
        self
    }

    /// Any documented provider option.
    pub fn option(mut self, name: &str, value: impl Serialize) -> AudioStreamParams {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.options.insert(name.to_owned(), value);
        self
    }
}

/// The body of `POST /stream/start`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoStreamParams {
    /// RTMP (recommended), RTSP, HLS.
    pub url: String,
    /// Adult/violence moderation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_content_moderation: Option<bool>,
    /// Logo detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_logo_detection: Option<bool>,
    /// Frames analysed per second (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<u32>,
    /// 1–50 (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_logos: Option<u32>,
}

impl VideoStreamParams {
    /// Analyse the stream at `url`.
    pub fn new(url: impl Into<String>) -> VideoStreamParams {
        VideoStreamParams {
            url: url.into(),
            enable_content_moderation: None,
            enable_logo_detection: None,
            fps: None,
            max_logos: None,
        }
    }

    /// Sets `enable_content_moderation`.
    pub fn content_moderation(mut self, on: bool) -> VideoStreamParams {
        self.enable_content_moderation = Some(on);
        self
    }

    /// Sets `enable_logo_detection`.
    pub fn logo_detection(mut self, on: bool) -> VideoStreamParams {
        self.enable_logo_detection = Some(on);
        self
    }

    /// Sets `fps` (at least 1).
    pub fn fps(mut self, fps: u32) -> VideoStreamParams {
        self.fps = Some(fps);
        self
    }

    /// Sets `max_logos` (1–50).
    pub fn max_logos(mut self, max_logos: u32) -> VideoStreamParams {
        self.max_logos = Some(max_logos);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("url", &self.url)?;
        media_core::check::in_range("fps", self.fps, 1..=u32::MAX)?;
        media_core::check::in_range("max_logos", self.max_logos, 1..=50)
    }
}

#[derive(Serialize)]
struct TaskBody<'a> {
    task_id: &'a str,
}

/// The stream endpoints, from [`Client::streams`].
#[derive(Debug, Clone, Copy)]
pub struct Streams<'a> {
    client: &'a Client,
}

impl<'a> Streams<'a> {
    pub(crate) fn new(client: &'a Client) -> Streams<'a> {
        Streams { client }
    }

    /// `POST /audio-stream/start`: the server pulls `audio_url` and forwards
    /// every transcript message to the webhook.
    pub async fn audio_start(&self, params: &AudioStreamParams) -> Result<StreamAck> {
        non_empty("audio_url", &params.audio_url)?;
        self.client
            .execute(ApiRequest::post("/audio-stream/start").json(params))
            .await
    }

    /// `POST /audio-stream/stop`: stops it (a final `status: 14` webhook follows).
    pub async fn audio_stop(&self, task_id: &str) -> Result<StreamAck> {
        non_empty("task_id", task_id)?;
        self.client
            .execute(ApiRequest::post("/audio-stream/stop").json(&TaskBody { task_id }))
            .await
    }

    /// `POST /stream/start`: live moderation / logo detection of a video stream.
    pub async fn video_start(&self, params: &VideoStreamParams) -> Result<StreamAck> {
        params.validate()?;
        self.client
            .execute(ApiRequest::post("/stream/start").json(params))
            .await
    }

    /// `POST /stream/stop`: stops it (a final `status: 14` webhook follows).
    pub async fn video_stop(&self, task_id: &str) -> Result<StreamAck> {
        non_empty("task_id", task_id)?;
        self.client
            .execute(ApiRequest::post("/stream/stop").json(&TaskBody { task_id }))
            .await
    }
}
