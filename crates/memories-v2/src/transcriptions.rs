//! Transcription and video description (memories-v2.md §3.C): Whisper STT,
//! pyannote diarization, named-speaker recognition, timestamped visual
//! descriptions, summaries, and ElevenLabs/AssemblyAI speech to text.
//!
//! The `sync_*` calls answer inline; the `async_*` calls answer a task id
//! and deliver the result only by webhook ([`PendingTask`]). Without a
//! registered webhook the async calls fail with HTTP 400
//! `"An async request requires at least one webhook."`.

use std::collections::BTreeMap;

use media_core::http::ApiRequest;
use media_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::tasks::PendingTask;
use crate::video::accept;
use crate::webhooks::{SummaryResult, TranscriptionResult};
use crate::wire::{AssetBody, non_empty};

/// The default (and only documented) Whisper model.
pub const WHISPER_MODEL: &str = "whisper-1";

/// The body of `sync-generate-audio` / `async-generate-audio`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioTranscriptionParams {
    /// An audio or video asset.
    pub asset_id: String,
    /// `whisper-1` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Adds `SPEAKER_nn` labels (doubles the price).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<bool>,
}

impl AudioTranscriptionParams {
    /// Transcribe `asset_id` with the server defaults.
    pub fn new(asset_id: impl Into<String>) -> AudioTranscriptionParams {
        AudioTranscriptionParams {
            asset_id: asset_id.into(),
            model: None,
            speaker: None,
        }
    }

    /// Sets `model`.
    pub fn model(mut self, model: impl Into<String>) -> AudioTranscriptionParams {
        self.model = Some(model.into());
        self
    }

    /// Sets `speaker`.
    pub fn speaker(mut self, speaker: bool) -> AudioTranscriptionParams {
        self.speaker = Some(speaker);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("asset_id", &self.asset_id)?;
        if let Some(model) = &self.model {
            non_empty("model", model)?;
        }
        Ok(())
    }
}

/// One Whisper segment (`start_time`/`end_time` in seconds).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioItem {
    /// The text.
    pub text: String,
    /// Start, seconds.
    #[serde(deserialize_with = "f64_loose")]
    pub start_time: f64,
    /// End, seconds.
    #[serde(deserialize_with = "f64_loose")]
    pub end_time: f64,
    /// `SPEAKER_nn`, only when `speaker` was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// The `data` of `sync-generate-audio`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioTranscription {
    /// e.g. `whisper-1`.
    #[serde(default)]
    pub model: Option<String>,
    /// The segments.
    #[serde(default)]
    pub items: Vec<AudioItem>,
}

impl AudioTranscription {
    /// The segments' texts joined by spaces.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.items.iter().map(|item| item.text.trim()).collect();
        texts.join(" ")
    }
}

/// One diarization segment (note: `start`/`end`, not `start_time`/`end_time`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerItem {
    /// Start, seconds.
    #[serde(deserialize_with = "f64_loose")]
    pub start: f64,
    /// End, seconds.
    #[serde(deserialize_with = "f64_loose")]
    pub end: f64,
    /// `SPEAKER_nn`.
    pub speaker: String,
}

/// The `data` of `sync-generate-speaker`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerDiarization {
    /// `pyannote`.
    #[serde(default)]
    pub model: Option<String>,
    /// The segments.
    #[serde(default)]
    pub items: Vec<SpeakerItem>,
}

/// The body of `async-generate-video`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoDescriptionParams {
    /// A video asset.
    pub asset_id: String,
    /// A bare Gemini id such as `gemini-2.5-flash-lite` (no `gemini:` prefix here).
    pub model: String,
}

impl VideoDescriptionParams {
    /// Describe `asset_id` with `model`.
    pub fn new(asset_id: impl Into<String>, model: impl Into<String>) -> VideoDescriptionParams {
        VideoDescriptionParams {
            asset_id: asset_id.into(),
            model: model.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        non_empty("asset_id", &self.asset_id)?;
        non_empty("model", &self.model)?;
        if self.model.contains(':') {
            return Err(Error::InvalidInput(format!(
                "model {:?}: async-generate-video takes a bare model id such as gemini-2.5-flash-lite",
                self.model
            )));
        }
        Ok(())
    }
}

media_core::open_enum! {
    /// `provider` of `/transcriptions/speech-to-text` (and the audio streams).
    pub enum SttProvider {
        /// `elevenlabs` (Scribe).
        ElevenLabs = "elevenlabs",
        /// `assemblyai` (Universal).
        AssemblyAi = "assemblyai",
    }
}

/// The body of `POST /transcriptions/speech-to-text`: the provider, one
/// audio source (`asset_id`, `url` or `source_url`) and provider options.
///
/// The common options have setters; every other documented option
/// (AssemblyAI's `redact_pii_policies`, `custom_spelling`, …) goes through
/// [`SpeechToTextParams::option`] under its documented name.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeechToTextParams {
    /// Always sent (one page documents a default, another requires it).
    pub provider: SttProvider,
    /// A `re_` asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// A public audio URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A `gs://` path or public URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// ISO-639-1; auto-detected when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Provider options, by their documented names.
    #[serde(flatten)]
    pub options: BTreeMap<String, Value>,
}

impl SpeechToTextParams {
    fn with(provider: SttProvider) -> SpeechToTextParams {
        SpeechToTextParams {
            provider,
            asset_id: None,
            url: None,
            source_url: None,
            language_code: None,
            options: BTreeMap::new(),
        }
    }

    /// Transcribe the asset `asset_id`.
    pub fn asset(provider: SttProvider, asset_id: impl Into<String>) -> SpeechToTextParams {
        let mut params = SpeechToTextParams::with(provider);
        params.asset_id = Some(asset_id.into());
        params
    }

    /// Transcribe the public audio at `url`.
    pub fn url(provider: SttProvider, url: impl Into<String>) -> SpeechToTextParams {
        let mut params = SpeechToTextParams::with(provider);
        params.url = Some(url.into());
        params
    }

    /// Transcribe `source_url` (`gs://…` is signed by the server).
    pub fn source_url(provider: SttProvider, source_url: impl Into<String>) -> SpeechToTextParams {
        let mut params = SpeechToTextParams::with(provider);
        params.source_url = Some(source_url.into());
        params
    }

    /// Sets `language_code`.
    pub fn language_code(mut self, code: impl Into<String>) -> SpeechToTextParams {
        self.language_code = Some(code.into());
        self
    }

    /// ElevenLabs `diarize` / AssemblyAI `speaker_labels`, by provider.
    pub fn diarize(self, on: bool) -> SpeechToTextParams {
        let key = if self.provider == SttProvider::AssemblyAi {
            "speaker_labels"
        } else {
            "diarize"
        };
        self.option(key, on)
    }

    /// ElevenLabs `num_speakers` / AssemblyAI `speakers_expected`, by provider.
    pub fn speakers(self, count: u32) -> SpeechToTextParams {
        let key = if self.provider == SttProvider::AssemblyAi {
            "speakers_expected"
        } else {
            "num_speakers"
        };
        self.option(key, count)
    }

    /// ElevenLabs `model_id` (default `scribe_v2`).
    pub fn model_id(self, model_id: &str) -> SpeechToTextParams {
        self.option("model_id", model_id)
    }

    /// AssemblyAI `webhook_url`, forwarded to AssemblyAI.
    pub fn webhook_url(self, url: &str) -> SpeechToTextParams {
        self.option("webhook_url", url)
    }

    /// Any other documented option, by its documented name.
    pub fn option(mut self, name: &str, value: impl Serialize) -> SpeechToTextParams {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.options.insert(name.to_owned(), value);
        self
    }

    fn validate(&self) -> Result<()> {
        let sources = [&self.asset_id, &self.url, &self.source_url]
            .iter()
            .filter(|s| s.as_deref().is_some_and(|s| !s.trim().is_empty()))
            .count();
        if sources != 1 {
            return Err(Error::InvalidInput(
                "give exactly one of asset_id, url, source_url".into(),
            ));
        }
        for key in ["language_confidence_threshold", "speech_threshold"] {
            let value = self.options.get(key).and_then(Value::as_f64);
            media_core::check::in_range(key, value, 0.0..=1.0)?;
        }
        Ok(())
    }
}

/// The body of `POST /asset/{asset_id}/transcription` (unverified).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetTranscriptionParams {
    /// `whisper` in the first-party code.
    pub model: String,
    /// Label speakers.
    pub speaker_diarization: bool,
}

impl Default for AssetTranscriptionParams {
    fn default() -> Self {
        AssetTranscriptionParams {
            model: "whisper".into(),
            speaker_diarization: false,
        }
    }
}

impl AssetTranscriptionParams {
    /// `{"model": "whisper", "speaker_diarization": false}`, as the first-party code sends.
    pub fn new() -> AssetTranscriptionParams {
        AssetTranscriptionParams::default()
    }

    /// Sets `model`.
    pub fn model(mut self, model: impl Into<String>) -> AssetTranscriptionParams {
        self.model = model.into();
        self
    }

    /// Sets `speaker_diarization`.
    pub fn speaker_diarization(mut self, on: bool) -> AssetTranscriptionParams {
        self.speaker_diarization = on;
        self
    }
}

/// The transcription endpoints, from [`Client::transcriptions`].
#[derive(Debug, Clone, Copy)]
pub struct Transcriptions<'a> {
    client: &'a Client,
}

impl<'a> Transcriptions<'a> {
    pub(crate) fn new(client: &'a Client) -> Transcriptions<'a> {
        Transcriptions { client }
    }

    /// `POST /transcriptions/sync-generate-audio`: Whisper STT, inline.
    pub async fn sync_generate_audio(
        &self,
        params: &AudioTranscriptionParams,
    ) -> Result<AudioTranscription> {
        params.validate()?;
        let request = ApiRequest::post("/transcriptions/sync-generate-audio").json(params);
        self.client.execute(request).await
    }

    /// `POST /transcriptions/async-generate-audio`: Whisper STT, by webhook.
    pub async fn async_generate_audio(
        &self,
        params: &AudioTranscriptionParams,
    ) -> Result<PendingTask<TranscriptionResult>> {
        params.validate()?;
        let request = ApiRequest::post("/transcriptions/async-generate-audio").json(params);
        accept(self.client, request).await
    }

    /// `POST /transcriptions/sync-generate-speaker`: anonymous diarization, inline.
    pub async fn sync_generate_speaker(&self, asset_id: &str) -> Result<SpeakerDiarization> {
        non_empty("asset_id", asset_id)?;
        let request =
            ApiRequest::post("/transcriptions/sync-generate-speaker").json(&AssetBody { asset_id });
        self.client.execute(request).await
    }

    /// `POST /transcriptions/async-generate-speaker`: anonymous diarization, by webhook.
    pub async fn async_generate_speaker(
        &self,
        asset_id: &str,
    ) -> Result<PendingTask<TranscriptionResult>> {
        self.async_asset_job("/transcriptions/async-generate-speaker", asset_id)
            .await
    }

    /// `POST /transcriptions/async-generate-multi-speaker`: named speakers
    /// (voice + face), by webhook; the callback's keys are not documented,
    /// so the result stays untyped.
    pub async fn async_generate_multi_speaker(
        &self,
        asset_id: &str,
    ) -> Result<PendingTask<SummaryResult>> {
        self.async_asset_job("/transcriptions/async-generate-multi-speaker", asset_id)
            .await
    }

    /// `POST /transcriptions/async-generate-video`: timestamped visual
    /// descriptions, by webhook.
    pub async fn async_generate_video(
        &self,
        params: &VideoDescriptionParams,
    ) -> Result<PendingTask<TranscriptionResult>> {
        params.validate()?;
        let request = ApiRequest::post("/transcriptions/async-generate-video").json(params);
        accept(self.client, request).await
    }

    /// `POST /transcriptions/async-summary`: a summary, by webhook (its
    /// keys are not documented: untyped).
    pub async fn async_summary(&self, asset_id: &str) -> Result<PendingTask<SummaryResult>> {
        self.async_asset_job("/transcriptions/async-summary", asset_id)
            .await
    }

    /// `POST /transcriptions/speech-to-text`: ElevenLabs or AssemblyAI STT.
    /// The answer is the provider's own result, kept untyped (AssemblyAI:
    /// `id`, `status`, `text`, `words[]` with millisecond times, …). The
    /// call can be long for AssemblyAI: raise the client timeout if needed.
    pub async fn speech_to_text(&self, params: &SpeechToTextParams) -> Result<Value> {
        params.validate()?;
        let request = ApiRequest::post("/transcriptions/speech-to-text").json(params);
        self.client.execute(request).await
    }

    /// `POST /asset/{asset_id}/transcription`. Unverified: seen only in
    /// first-party agent code; the answer (text with timestamps) is untyped.
    pub async fn asset_transcription(
        &self,
        asset_id: &str,
        params: &AssetTranscriptionParams,
    ) -> Result<Value> {
        let request = ApiRequest::post("/asset/{asset_id}/transcription")
            .path_param("asset_id", asset_id)
            .json(params);
        self.client.execute(request).await
    }

    async fn async_asset_job<T>(
        &self,
        path: &'static str,
        asset_id: &str,
    ) -> Result<PendingTask<T>> {
        non_empty("asset_id", asset_id)?;
        accept(
            self.client,
            ApiRequest::post(path).json(&AssetBody { asset_id }),
        )
        .await
    }
}

fn f64_loose<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    media_core::de::opt_f64(d)?.ok_or_else(|| serde::de::Error::custom("expected a number"))
}
