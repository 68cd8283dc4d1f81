//! Analyze and segment videos: `/analyze`, `/analyze/tasks`,
//! `/analyze/batches` (catalog §3.11, §3.15 "Analyze").
//!
//! - [`Analyze::create`] answers at once; [`Analyze::stream`] streams the
//!   text as NDJSON events ([`AnalyzeStreamEvent`]).
//! - [`Analyze::create_task`] runs long analyses and segmentation in the
//!   background (with an `Idempotency-Key` that stays the same across
//!   retries); [`Analyze::wait_for_task`] polls it to the end.
//! - [`Analyze::create_batch`] submits up to 1,000 requests;
//!   [`Analyze::wait_for_batch`] and [`Analyze::batch_results`] follow it.

use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

use crate::client::Client;
use crate::common::Page;
use crate::embed::MediaSource;
use crate::wire;
use media_core::open_enum;

open_enum! {
    /// The Pegasus model that analyzes (`model_name`).
    pub enum AnalyzeModel {
        /// Pegasus 1.5 (the default; the only batch model).
        Pegasus15 = "pegasus1.5",
        /// Pegasus 1.6: images, `time_array` fields, unlimited segmentation tokens.
        Pegasus16 = "pegasus1.6",
    }
}

open_enum! {
    /// What an async task produces (`analysis_mode`).
    pub enum AnalysisMode {
        /// A prompt answered as text or JSON.
        General = "general",
        /// Video segmentation with segment definitions.
        TimeBasedMetadata = "time_based_metadata",
    }
}

open_enum! {
    /// Why generation stopped (`finish_reason`).
    pub enum FinishReason {
        /// The model finished.
        Stop = "stop",
        /// The token limit cut the output short.
        Length = "length",
    }
}

open_enum! {
    /// Where an analysis task is (`AnalyzeTaskStatus`). Terminal: `ready`,
    /// `failed`, `canceled`.
    pub enum AnalyzeTaskStatus {
        /// Waiting in the queue.
        Queued = "queued",
        /// Accepted, not started.
        Pending = "pending",
        /// Running.
        Processing = "processing",
        /// Done; see `result`.
        Ready = "ready",
        /// Failed; see `error`.
        Failed = "failed",
        /// Canceled.
        Canceled = "canceled",
    }
}

impl AnalyzeTaskStatus {
    /// True for `ready`, `failed` and `canceled`.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            AnalyzeTaskStatus::Ready | AnalyzeTaskStatus::Failed | AnalyzeTaskStatus::Canceled
        )
    }
}

open_enum! {
    /// Where a batch is (`BatchStatus`). A batch never fails as a whole.
    pub enum BatchStatus {
        /// Accepted, not started.
        Pending = "pending",
        /// Items are running.
        Processing = "processing",
        /// Being canceled.
        Canceling = "canceling",
        /// Canceled.
        Canceled = "canceled",
        /// Every item ended (some may have failed).
        Completed = "completed",
        /// 24 hours passed before it finished.
        Expired = "expired",
    }
}

impl BatchStatus {
    /// True for `completed`, `canceled` and `expired`.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            BatchStatus::Completed | BatchStatus::Canceled | BatchStatus::Expired
        )
    }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// The video to analyze (`VideoContext`, tagged by `type`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoContext {
    /// `{type: "url", url}`: a direct file or a VOD HLS manifest.
    Url(String),
    /// `{type: "asset_id", asset_id}`: a `ready` asset.
    AssetId(String),
    /// `{type: "base64_string", base64_string}`: the file inline.
    Base64(String),
}

impl VideoContext {
    fn value(&self) -> &str {
        match self {
            VideoContext::Url(v) | VideoContext::AssetId(v) | VideoContext::Base64(v) => v,
        }
    }
}

impl Serialize for VideoContext {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            VideoContext::Url(url) => json!({"type": "url", "url": url}),
            VideoContext::AssetId(id) => json!({"type": "asset_id", "asset_id": id}),
            VideoContext::Base64(data) => json!({"type": "base64_string", "base64_string": data}),
        }
        .serialize(serializer)
    }
}

/// One image to analyze (`AnalyzeImageInput`); needs `pegasus1.6`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzeImageInput {
    /// Unique name (`[A-Za-z0-9_]`), usable as `<@name>` in the prompt.
    pub name: String,
    /// Where the image comes from (`url` must be HTTPS).
    #[serde(flatten)]
    pub source: MediaSource,
}

impl AnalyzeImageInput {
    /// An image called `name`.
    pub fn new(name: impl Into<String>, source: MediaSource) -> AnalyzeImageInput {
        AnalyzeImageInput {
            name: name.into(),
            source,
        }
    }
}

/// A reference image of a v2 prompt (`SmeMediaSource`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptMediaSource {
    /// The name `<@name>` refers to.
    pub name: String,
    /// `image`.
    pub media_type: String,
    /// Where it comes from.
    #[serde(flatten)]
    pub source: MediaSource,
}

impl PromptMediaSource {
    /// A reference image called `name`.
    pub fn image(name: impl Into<String>, source: MediaSource) -> PromptMediaSource {
        PromptMediaSource {
            name: name.into(),
            media_type: "image".into(),
            source,
        }
    }
}

/// A prompt with reference images (`AnalyzePromptV2` / `BatchPrompt`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptV2 {
    /// The prompt, with `<@name>` placeholders.
    pub input_text: String,
    /// Up to 4 reference images.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_sources: Vec<PromptMediaSource>,
}

impl PromptV2 {
    /// A prompt without images yet.
    pub fn new(input_text: impl Into<String>) -> PromptV2 {
        PromptV2 {
            input_text: input_text.into(),
            media_sources: Vec::new(),
        }
    }

    /// Adds a reference image.
    pub fn media_source(mut self, source: PromptMediaSource) -> PromptV2 {
        self.media_sources.push(source);
        self
    }

    fn problem(&self) -> Option<String> {
        if self.input_text.trim().is_empty() {
            return Some("`prompt_v2.input_text` must not be empty".into());
        }
        (self.media_sources.len() > 4)
            .then(|| "`prompt_v2.media_sources` holds at most 4 images".into())
    }
}

/// One field of a segment definition (`SegmentField`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentField {
    /// Field name (not `start_time`, `end_time` or `metadata`).
    pub name: String,
    /// `string`, `boolean`, `number`, `integer`, `array`, `timestamp` or `time_array`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What the model should put there.
    pub description: String,
    /// `timestamp` only: `seconds`, `hh:mm:ss` or `hh:mm:ss.fff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Allowed values (≤100).
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// Element type for `array` / `time_array` (`{type, fields}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Value>,
}

impl SegmentField {
    /// A field `name` of type `kind`.
    pub fn new(
        name: impl Into<String>,
        kind: impl Into<String>,
        description: impl Into<String>,
    ) -> SegmentField {
        SegmentField {
            name: name.into(),
            kind: kind.into(),
            description: description.into(),
            format: None,
            allowed: Vec::new(),
            items: None,
        }
    }

    /// Sets the timestamp format.
    pub fn format(mut self, format: impl Into<String>) -> SegmentField {
        self.format = Some(format.into());
        self
    }

    /// Restricts the values.
    pub fn allowed<I, S>(mut self, values: I) -> SegmentField
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed = values.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the element type of an array.
    pub fn items(mut self, items: Value) -> SegmentField {
        self.items = Some(items);
        self
    }

    fn problem(&self) -> Option<String> {
        if ["start_time", "end_time", "metadata"].contains(&self.name.as_str()) {
            return Some(format!("segment field name `{}` is reserved", self.name));
        }
        match (self.kind.as_str(), &self.format) {
            ("timestamp", None) => {
                Some(format!("timestamp field `{}` needs a `format`", self.name))
            }
            (kind, Some(_)) if kind != "timestamp" => Some(format!(
                "only timestamp fields take a `format` (`{}`)",
                self.name
            )),
            _ => (self.allowed.len() > 100)
                .then(|| format!("`{}` allows at most 100 enum values", self.name)),
        }
    }
}

/// A time window of a segment definition (`AnalyzeTimeRange`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeTimeRange {
    /// Start, seconds.
    pub start_time: f64,
    /// End, seconds (≥ start + 2).
    pub end_time: f64,
}

impl AnalyzeTimeRange {
    /// The window `start_time..end_time`.
    pub fn new(start_time: f64, end_time: f64) -> AnalyzeTimeRange {
        AnalyzeTimeRange {
            start_time,
            end_time,
        }
    }
}

/// One kind of segment to find (`SegmentDefinition`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentDefinition {
    /// The key of the segments in the result.
    pub id: String,
    /// What a segment is.
    pub description: String,
    /// The metadata to extract per segment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<SegmentField>,
    /// Up to 4 reference images.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_sources: Vec<PromptMediaSource>,
    /// Only look inside these windows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub time_ranges: Vec<AnalyzeTimeRange>,
}

impl SegmentDefinition {
    /// A definition `id` described by `description`.
    pub fn new(id: impl Into<String>, description: impl Into<String>) -> SegmentDefinition {
        SegmentDefinition {
            id: id.into(),
            description: description.into(),
            fields: Vec::new(),
            media_sources: Vec::new(),
            time_ranges: Vec::new(),
        }
    }

    /// Adds a field.
    pub fn field(mut self, field: SegmentField) -> SegmentDefinition {
        self.fields.push(field);
        self
    }

    /// Adds a reference image.
    pub fn media_source(mut self, source: PromptMediaSource) -> SegmentDefinition {
        self.media_sources.push(source);
        self
    }

    /// Adds a time window.
    pub fn time_range(mut self, range: AnalyzeTimeRange) -> SegmentDefinition {
        self.time_ranges.push(range);
        self
    }

    fn problem(&self) -> Option<String> {
        if self.id.trim().is_empty() || self.description.trim().is_empty() {
            return Some("segment definitions need an `id` and a `description`".into());
        }
        if self.media_sources.len() > 4 {
            return Some("a segment definition holds at most 4 media sources".into());
        }
        if self
            .time_ranges
            .iter()
            .any(|r| r.end_time < r.start_time + 2.0)
        {
            return Some("segment time ranges must be at least 2 seconds long".into());
        }
        self.fields.iter().find_map(SegmentField::problem)
    }
}

/// The output format (`SyncResponseFormat` / `AsyncResponseFormat`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseFormat {
    /// `json_schema` or `segment_definitions`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The JSON schema of the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    /// What to segment (1–20).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segment_definitions: Vec<SegmentDefinition>,
    /// `seconds` (default), `hh:mm:ss` or `hh:mm:ss.fff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_time_format: Option<String>,
}

impl ResponseFormat {
    /// JSON answers following `schema`.
    pub fn json_schema(schema: Value) -> ResponseFormat {
        ResponseFormat {
            kind: "json_schema".into(),
            json_schema: Some(schema),
            segment_definitions: Vec::new(),
            segment_time_format: None,
        }
    }

    /// Segmentation (async `time_based_metadata` only).
    pub fn segment_definitions(definitions: Vec<SegmentDefinition>) -> ResponseFormat {
        ResponseFormat {
            kind: "segment_definitions".into(),
            json_schema: None,
            segment_definitions: definitions,
            segment_time_format: None,
        }
    }

    /// Sets `segment_time_format`.
    pub fn segment_time_format(mut self, format: impl Into<String>) -> ResponseFormat {
        self.segment_time_format = Some(format.into());
        self
    }

    fn is_segmentation(&self) -> bool {
        self.kind == "segment_definitions"
    }

    fn problem(&self) -> Option<String> {
        match self.kind.as_str() {
            "json_schema" if self.json_schema.is_none() => {
                Some("`response_format.json_schema` is required for type json_schema".into())
            }
            "segment_definitions" if !(1..=20).contains(&self.segment_definitions.len()) => {
                Some("`response_format.segment_definitions` holds 1–20 definitions".into())
            }
            _ => self
                .segment_definitions
                .iter()
                .find_map(SegmentDefinition::problem),
        }
    }
}

/// A token budget: a number, or `"unlimited"` (segmentation on pegasus1.6).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxTokens {
    /// At most this many output tokens.
    Count(u32),
    /// No limit.
    Unlimited,
}

impl Serialize for MaxTokens {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            MaxTokens::Count(n) => serializer.serialize_u32(*n),
            MaxTokens::Unlimited => serializer.serialize_str("unlimited"),
        }
    }
}

impl<'de> Deserialize<'de> for MaxTokens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<MaxTokens, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) if s.eq_ignore_ascii_case("unlimited") => Ok(MaxTokens::Unlimited),
            Value::String(s) => s
                .trim()
                .parse()
                .map(MaxTokens::Count)
                .map_err(D::Error::custom),
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(MaxTokens::Count)
                .ok_or_else(|| D::Error::custom("max_tokens out of range")),
            other => Err(D::Error::custom(format!("unexpected max_tokens {other}"))),
        }
    }
}

fn custom_id_problem(custom_id: Option<&str>) -> Option<String> {
    let id = custom_id?;
    let valid = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (!valid).then(|| format!("`custom_id` must be 1–64 characters of [A-Za-z0-9_-], got {id:?}"))
}

fn window_problem(start: Option<f64>, end: Option<f64>) -> Option<String> {
    if start.is_some_and(|s| s < 0.0 || !s.is_finite()) {
        return Some("`start_time` must be a non-negative number".into());
    }
    match (start, end) {
        (Some(s), Some(e)) if e - s < 1.0 => {
            Some("`end_time` must be at least 1 second after `start_time`".into())
        }
        (None, Some(e)) if e < 1.0 => Some("the analysis window must be at least 1 second".into()),
        _ => None,
    }
}

/// `POST /analyze`: a synchronous analysis (`stream` is set by
/// [`Analyze::create`] / [`Analyze::stream`]).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalyzeRequest {
    /// The model (server default `pegasus1.5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<AnalyzeModel>,
    /// The video (or `image`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoContext>,
    /// 1–20 images (or `video`); pegasus1.6.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image: Vec<AnalyzeImageInput>,
    /// The prompt (or `prompt_v2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// A prompt with reference images (or `prompt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_v2: Option<PromptV2>,
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// `json_schema` output; omit for free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Output token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Window start, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// Window end, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// NDJSON streaming; always sent.
    pub stream: bool,
}

impl AnalyzeRequest {
    /// Asks `prompt` about `video`.
    pub fn video(video: VideoContext, prompt: impl Into<String>) -> AnalyzeRequest {
        AnalyzeRequest {
            model_name: None,
            video: Some(video),
            image: Vec::new(),
            prompt: Some(prompt.into()),
            prompt_v2: None,
            temperature: None,
            response_format: None,
            max_tokens: None,
            start_time: None,
            end_time: None,
            stream: false,
        }
    }

    /// Asks a prompt with reference images about `video`.
    pub fn video_prompt_v2(video: VideoContext, prompt: PromptV2) -> AnalyzeRequest {
        let mut request = AnalyzeRequest::video(video, "");
        request.prompt = None;
        request.prompt_v2 = Some(prompt);
        request
    }

    /// Asks `prompt` about 1–20 images (sets `pegasus1.6`, the only model
    /// that reads images).
    pub fn images(images: Vec<AnalyzeImageInput>, prompt: impl Into<String>) -> AnalyzeRequest {
        let mut request = AnalyzeRequest::video(VideoContext::Url(String::new()), prompt);
        request.video = None;
        request.image = images;
        request.model_name = Some(AnalyzeModel::Pegasus16);
        request
    }

    /// Sets the model.
    pub fn model_name(mut self, model: AnalyzeModel) -> AnalyzeRequest {
        self.model_name = Some(model);
        self
    }

    /// Sets the temperature.
    pub fn temperature(mut self, temperature: f64) -> AnalyzeRequest {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the output format.
    pub fn response_format(mut self, format: ResponseFormat) -> AnalyzeRequest {
        self.response_format = Some(format);
        self
    }

    /// Sets the token budget.
    pub fn max_tokens(mut self, max_tokens: u32) -> AnalyzeRequest {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Only analyzes `start..end` seconds.
    pub fn window(mut self, start_time: f64, end_time: f64) -> AnalyzeRequest {
        self.start_time = Some(start_time);
        self.end_time = Some(end_time);
        self
    }

    fn problem(&self) -> Option<String> {
        input_problem(
            self.video.as_ref(),
            &self.image,
            self.prompt.as_deref(),
            self.prompt_v2.as_ref(),
            self.model_name.as_ref(),
        )
        .or_else(|| {
            if self.prompt.is_none() && self.prompt_v2.is_none() {
                return Some("a `prompt` or `prompt_v2` is required".into());
            }
            None
        })
        .or_else(|| match &self.response_format {
            Some(f) if f.kind != "json_schema" => {
                Some("sync analysis accepts only a `json_schema` response format".into())
            }
            Some(f) => f.problem(),
            None => None,
        })
        .or_else(|| temperature_problem(self.temperature))
        .or_else(|| (self.max_tokens == Some(0)).then(|| "`max_tokens` must be positive".into()))
        .or_else(|| window_problem(self.start_time, self.end_time))
    }
}

fn temperature_problem(temperature: Option<f64>) -> Option<String> {
    temperature
        .is_some_and(|t| !t.is_finite() || t < 0.0)
        .then(|| "`temperature` must be a non-negative number".into())
}

fn input_problem(
    video: Option<&VideoContext>,
    image: &[AnalyzeImageInput],
    prompt: Option<&str>,
    prompt_v2: Option<&PromptV2>,
    model: Option<&AnalyzeModel>,
) -> Option<String> {
    match (video, image.is_empty()) {
        (Some(_), false) => return Some("give a `video` or `image`, not both".into()),
        (None, true) => return Some("a `video` or 1–20 `image` inputs are required".into()),
        (Some(v), true) if v.value().trim().is_empty() => {
            return Some("the `video` source must not be empty".into());
        }
        _ => {}
    }
    if !image.is_empty() {
        if image.len() > 20 {
            return Some("at most 20 images".into());
        }
        if model != Some(&AnalyzeModel::Pegasus16) {
            return Some("image analysis needs `pegasus1.6`".into());
        }
        if prompt.is_none() || prompt_v2.is_some() {
            return Some("image analysis needs a `prompt` (not `prompt_v2`)".into());
        }
        if let Some(p) = image
            .iter()
            .find_map(|i| i.source.problem(&format!("image {}", i.name)))
        {
            return Some(p);
        }
    }
    if prompt.is_some() && prompt_v2.is_some() {
        return Some("give `prompt` or `prompt_v2`, not both".into());
    }
    if prompt.is_some_and(|p| p.trim().is_empty()) {
        return Some("`prompt` must not be empty".into());
    }
    prompt_v2.and_then(PromptV2::problem)
}

/// `POST /analyze/tasks`: an async analysis or segmentation task.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalyzeTaskRequest {
    /// The model (server default `pegasus1.5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<AnalyzeModel>,
    /// Your id for the task (1–64 `[A-Za-z0-9_-]`), echoed back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// The video (or `image`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoContext>,
    /// 1–20 images (or `video`); pegasus1.6, general mode.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image: Vec<AnalyzeImageInput>,
    /// The prompt (general mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// A prompt with reference images (general mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_v2: Option<PromptV2>,
    /// `general` (default) or `time_based_metadata`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis_mode: Option<AnalysisMode>,
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Output token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<MaxTokens>,
    /// `json_schema` or `segment_definitions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Shortest segment, seconds (≥2; segmentation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_segment_duration: Option<f64>,
    /// Longest segment, seconds (≥2, ≥ min; segmentation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_segment_duration: Option<f64>,
    /// Window start, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// Window end, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// The `Idempotency-Key` to send; a fresh one is made per call when unset.
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

impl AnalyzeTaskRequest {
    fn empty() -> AnalyzeTaskRequest {
        AnalyzeTaskRequest {
            model_name: None,
            custom_id: None,
            video: None,
            image: Vec::new(),
            prompt: None,
            prompt_v2: None,
            analysis_mode: None,
            temperature: None,
            max_tokens: None,
            response_format: None,
            min_segment_duration: None,
            max_segment_duration: None,
            start_time: None,
            end_time: None,
            idempotency_key: None,
        }
    }

    /// General analysis: `prompt` about `video`.
    pub fn general(video: VideoContext, prompt: impl Into<String>) -> AnalyzeTaskRequest {
        AnalyzeTaskRequest {
            video: Some(video),
            prompt: Some(prompt.into()),
            ..AnalyzeTaskRequest::empty()
        }
    }

    /// General analysis with a prompt carrying reference images.
    pub fn general_v2(video: VideoContext, prompt: PromptV2) -> AnalyzeTaskRequest {
        AnalyzeTaskRequest {
            video: Some(video),
            prompt_v2: Some(prompt),
            ..AnalyzeTaskRequest::empty()
        }
    }

    /// General analysis of 1–20 images (sets `pegasus1.6`).
    pub fn images(images: Vec<AnalyzeImageInput>, prompt: impl Into<String>) -> AnalyzeTaskRequest {
        AnalyzeTaskRequest {
            image: images,
            prompt: Some(prompt.into()),
            model_name: Some(AnalyzeModel::Pegasus16),
            ..AnalyzeTaskRequest::empty()
        }
    }

    /// Segmentation of `video` by `definitions`.
    pub fn segmentation(
        video: VideoContext,
        definitions: Vec<SegmentDefinition>,
    ) -> AnalyzeTaskRequest {
        AnalyzeTaskRequest {
            video: Some(video),
            analysis_mode: Some(AnalysisMode::TimeBasedMetadata),
            response_format: Some(ResponseFormat::segment_definitions(definitions)),
            ..AnalyzeTaskRequest::empty()
        }
    }

    /// Sets the model.
    pub fn model_name(mut self, model: AnalyzeModel) -> AnalyzeTaskRequest {
        self.model_name = Some(model);
        self
    }

    /// Sets `custom_id`.
    pub fn custom_id(mut self, custom_id: impl Into<String>) -> AnalyzeTaskRequest {
        self.custom_id = Some(custom_id.into());
        self
    }

    /// Sets the temperature.
    pub fn temperature(mut self, temperature: f64) -> AnalyzeTaskRequest {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the token budget.
    pub fn max_tokens(mut self, max_tokens: MaxTokens) -> AnalyzeTaskRequest {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Sets the output format.
    pub fn response_format(mut self, format: ResponseFormat) -> AnalyzeTaskRequest {
        self.response_format = Some(format);
        self
    }

    /// Sets the segment length bounds (segmentation).
    pub fn segment_duration(mut self, min: Option<f64>, max: Option<f64>) -> AnalyzeTaskRequest {
        self.min_segment_duration = min;
        self.max_segment_duration = max;
        self
    }

    /// Only analyzes `start..end` seconds.
    pub fn window(mut self, start_time: f64, end_time: f64) -> AnalyzeTaskRequest {
        self.start_time = Some(start_time);
        self.end_time = Some(end_time);
        self
    }

    /// Sends `key` as the `Idempotency-Key` (instead of a fresh one), so a
    /// resubmission of the same work after a crash is deduplicated too.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> AnalyzeTaskRequest {
        self.idempotency_key = Some(key.into());
        self
    }

    fn problem(&self) -> Option<String> {
        let segmentation = self.analysis_mode == Some(AnalysisMode::TimeBasedMetadata);
        if let Some(p) = custom_id_problem(self.custom_id.as_deref()) {
            return Some(p);
        }
        if segmentation {
            if self.video.is_none() || !self.image.is_empty() {
                return Some("segmentation needs a `video` (no images)".into());
            }
            if self.prompt.is_some() || self.prompt_v2.is_some() {
                return Some("segmentation takes no `prompt`".into());
            }
            if !self
                .response_format
                .as_ref()
                .is_some_and(ResponseFormat::is_segmentation)
            {
                return Some(
                    "segmentation needs `response_format.type = segment_definitions`".into(),
                );
            }
        } else {
            if let Some(p) = input_problem(
                self.video.as_ref(),
                &self.image,
                self.prompt.as_deref(),
                self.prompt_v2.as_ref(),
                self.model_name.as_ref(),
            ) {
                return Some(p);
            }
            if self.prompt.is_none() && self.prompt_v2.is_none() {
                return Some("general analysis needs a `prompt` or `prompt_v2`".into());
            }
            if self
                .response_format
                .as_ref()
                .is_some_and(ResponseFormat::is_segmentation)
            {
                return Some(
                    "segment definitions need `analysis_mode = time_based_metadata`".into(),
                );
            }
            if self.min_segment_duration.is_some() || self.max_segment_duration.is_some() {
                return Some("segment durations apply to segmentation only".into());
            }
        }
        if let Some(p) = self
            .response_format
            .as_ref()
            .and_then(ResponseFormat::problem)
        {
            return Some(p);
        }
        let has_ranges = self.response_format.as_ref().is_some_and(|f| {
            f.segment_definitions
                .iter()
                .any(|d| !d.time_ranges.is_empty())
        });
        match self.max_tokens {
            Some(MaxTokens::Unlimited)
                if !segmentation
                    || self.model_name != Some(AnalyzeModel::Pegasus16)
                    || has_ranges =>
            {
                return Some(
                    "`max_tokens: unlimited` needs segmentation on pegasus1.6 without time ranges"
                        .into(),
                );
            }
            Some(MaxTokens::Count(n)) if !segmentation && !(512..=98_304).contains(&n) => {
                return Some(format!(
                    "`max_tokens` is 512–98304 for general analysis, got {n}"
                ));
            }
            Some(MaxTokens::Count(n)) if segmentation && !(2048..=98_304).contains(&n) => {
                return Some(format!(
                    "`max_tokens` is 2048–98304 for segmentation, got {n}"
                ));
            }
            _ => {}
        }
        if self.min_segment_duration.is_some_and(|m| m < 2.0)
            || self.max_segment_duration.is_some_and(|m| m < 2.0)
        {
            return Some("segment durations are at least 2 seconds".into());
        }
        if let (Some(min), Some(max)) = (self.min_segment_duration, self.max_segment_duration)
            && max < min
        {
            return Some("`max_segment_duration` must not be below `min_segment_duration`".into());
        }
        if has_ranges
            && (self.start_time.is_some()
                || self.end_time.is_some()
                || self.min_segment_duration.is_some()
                || self.max_segment_duration.is_some())
        {
            return Some(
                "time ranges exclude `start_time`/`end_time` and segment durations".into(),
            );
        }
        temperature_problem(self.temperature)
            .or_else(|| window_problem(self.start_time, self.end_time))
    }
}

/// Filters and paging of `GET /analyze/tasks`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListAnalyzeTasksParams {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Only tasks in this status.
    pub status: Option<AnalyzeTaskStatus>,
    /// Only tasks of this source URL.
    pub video_url: Option<String>,
    /// Only tasks of this asset.
    pub asset_id: Option<String>,
    /// Only tasks of this mode.
    pub analysis_mode: Option<AnalysisMode>,
}

impl ListAnalyzeTasksParams {
    /// No filters.
    pub fn new() -> ListAnalyzeTasksParams {
        ListAnalyzeTasksParams::default()
    }

    /// Requests page `page`.
    pub fn page(mut self, page: u32) -> ListAnalyzeTasksParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page.
    pub fn page_limit(mut self, page_limit: u32) -> ListAnalyzeTasksParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Only tasks in `status`.
    pub fn status(mut self, status: AnalyzeTaskStatus) -> ListAnalyzeTasksParams {
        self.status = Some(status);
        self
    }

    /// Only tasks of `url`.
    pub fn video_url(mut self, url: impl Into<String>) -> ListAnalyzeTasksParams {
        self.video_url = Some(url.into());
        self
    }

    /// Only tasks of `asset_id`.
    pub fn asset_id(mut self, asset_id: impl Into<String>) -> ListAnalyzeTasksParams {
        self.asset_id = Some(asset_id.into());
        self
    }

    /// Only tasks of `mode`.
    pub fn analysis_mode(mut self, mode: AnalysisMode) -> ListAnalyzeTasksParams {
        self.analysis_mode = Some(mode);
        self
    }

    fn to_request(&self) -> ApiRequest {
        let request = ApiRequest::get("/analyze/tasks")
            .query_opt("status", self.status.as_ref())
            .query_opt("video_url", self.video_url.as_deref())
            .query_opt("asset_id", self.asset_id.as_deref())
            .query_opt("analysis_mode", self.analysis_mode.as_ref());
        wire::paging(request, self.page, self.page_limit)
    }
}

/// The per-item overrides of a batch (`BatchItemRequest` minus `video`/`custom_id`, `BatchDefaults`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchOverrides {
    /// The prompt (replaced whole, never merged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<PromptV2>,
    /// The output format (replaced whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Output token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Shortest segment, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_segment_duration: Option<f64>,
    /// Longest segment, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_segment_duration: Option<f64>,
    /// Window start, seconds (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// Window end, seconds (default the video's duration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
}

impl BatchOverrides {
    /// No overrides.
    pub fn new() -> BatchOverrides {
        BatchOverrides::default()
    }

    /// Sets the prompt.
    pub fn prompt(mut self, prompt: PromptV2) -> BatchOverrides {
        self.prompt = Some(prompt);
        self
    }

    /// Sets the output format.
    pub fn response_format(mut self, format: ResponseFormat) -> BatchOverrides {
        self.response_format = Some(format);
        self
    }

    /// Sets the temperature.
    pub fn temperature(mut self, temperature: f64) -> BatchOverrides {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the token budget.
    pub fn max_tokens(mut self, max_tokens: u32) -> BatchOverrides {
        self.max_tokens = Some(max_tokens);
        self
    }

    fn problem(&self) -> Option<String> {
        self.prompt
            .as_ref()
            .and_then(PromptV2::problem)
            .or_else(|| {
                self.response_format
                    .as_ref()
                    .and_then(ResponseFormat::problem)
            })
            .or_else(|| temperature_problem(self.temperature))
            .or_else(|| window_problem(self.start_time, self.end_time))
    }
}

/// One request of a batch (`BatchItemRequest`): an asset plus overrides.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchItemRequest {
    /// `{type: "asset_id", asset_id}` (batches take assets only).
    pub video: VideoContext,
    /// Your id for the item, unique within the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Overrides of the batch defaults.
    #[serde(flatten)]
    pub overrides: BatchOverrides,
}

impl BatchItemRequest {
    /// An item analyzing asset `asset_id` with the batch defaults.
    pub fn asset(asset_id: impl Into<String>) -> BatchItemRequest {
        BatchItemRequest {
            video: VideoContext::AssetId(asset_id.into()),
            custom_id: None,
            overrides: BatchOverrides::default(),
        }
    }

    /// Sets `custom_id`.
    pub fn custom_id(mut self, custom_id: impl Into<String>) -> BatchItemRequest {
        self.custom_id = Some(custom_id.into());
        self
    }

    /// Sets the overrides.
    pub fn overrides(mut self, overrides: BatchOverrides) -> BatchItemRequest {
        self.overrides = overrides;
        self
    }
}

/// `POST /analyze/batches`: up to 1,000 analyses in one submission.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateAnalyzeBatchRequest {
    /// `pegasus1.5`, the only batch model.
    pub model_name: AnalyzeModel,
    /// One mode per batch.
    pub analysis_mode: AnalysisMode,
    /// 1–1,000 items.
    pub requests: Vec<BatchItemRequest>,
    /// Values every item starts from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<BatchOverrides>,
}

impl CreateAnalyzeBatchRequest {
    /// A batch of `requests` in `analysis_mode` on pegasus1.5.
    pub fn new(
        analysis_mode: AnalysisMode,
        requests: Vec<BatchItemRequest>,
    ) -> CreateAnalyzeBatchRequest {
        CreateAnalyzeBatchRequest {
            model_name: AnalyzeModel::Pegasus15,
            analysis_mode,
            requests,
            defaults: None,
        }
    }

    /// Sets the defaults.
    pub fn defaults(mut self, defaults: BatchOverrides) -> CreateAnalyzeBatchRequest {
        self.defaults = Some(defaults);
        self
    }

    fn problem(&self) -> Option<String> {
        if !(1..=1000).contains(&self.requests.len()) {
            return Some(format!(
                "a batch holds 1–1000 requests, got {}",
                self.requests.len()
            ));
        }
        if self.model_name != AnalyzeModel::Pegasus15 {
            return Some("batches run on pegasus1.5 only".into());
        }
        let mut ids = std::collections::HashSet::new();
        for item in &self.requests {
            if !matches!(item.video, VideoContext::AssetId(ref id) if !id.trim().is_empty()) {
                return Some("batch items take `{type: asset_id}` videos only".into());
            }
            if let Some(p) =
                custom_id_problem(item.custom_id.as_deref()).or_else(|| item.overrides.problem())
            {
                return Some(p);
            }
            if let Some(id) = &item.custom_id
                && !ids.insert(id.clone())
            {
                return Some(format!("`custom_id` {id:?} is used twice in the batch"));
            }
        }
        self.defaults.as_ref().and_then(BatchOverrides::problem)
    }
}

/// Filters and paging of `GET /analyze/batches`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListAnalyzeBatchesParams {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
    /// Only these statuses (repeated).
    pub status: Vec<BatchStatus>,
    /// Only these modes (repeated).
    pub analysis_mode: Vec<AnalysisMode>,
}

impl ListAnalyzeBatchesParams {
    /// No filters.
    pub fn new() -> ListAnalyzeBatchesParams {
        ListAnalyzeBatchesParams::default()
    }

    /// Requests page `page`.
    pub fn page(mut self, page: u32) -> ListAnalyzeBatchesParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page.
    pub fn page_limit(mut self, page_limit: u32) -> ListAnalyzeBatchesParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Adds a status to the filter.
    pub fn status(mut self, status: BatchStatus) -> ListAnalyzeBatchesParams {
        self.status.push(status);
        self
    }

    /// Adds a mode to the filter.
    pub fn analysis_mode(mut self, mode: AnalysisMode) -> ListAnalyzeBatchesParams {
        self.analysis_mode.push(mode);
        self
    }

    fn to_request(&self) -> ApiRequest {
        let request = ApiRequest::get("/analyze/batches")
            .query_each("status", &self.status)
            .query_each("analysis_mode", &self.analysis_mode);
        wire::paging(request, self.page, self.page_limit)
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// Token accounting (`TokenUsage`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenUsage {
    /// Output tokens.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_tokens: Option<u64>,
    /// Input tokens.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_tokens: Option<u64>,
}

/// A task's error or warning (`AnalyzeTaskError`). Codes are an open set
/// (`user_canceled`, `batch_canceled`, `batch_expired`, ...).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeTaskError {
    /// For people, not a contract.
    pub message: String,
    /// Machine-readable code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// `POST /analyze` with `stream: false` (`NonStreamAnalyzeResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeResponse {
    /// The generation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text (or JSON text with a `response_format`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `stop`, or `length` when cut short.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
    /// Tokens used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
    /// A warning (e.g. truncated output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AnalyzeTaskError>,
}

/// `metadata` of NDJSON stream events.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamMetadata {
    /// The generation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// Tokens used (on `stream_end`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
}

/// One line of `POST /analyze` with `stream: true` (`StreamAnalyzeEvent`,
/// tagged by `event_type`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum AnalyzeStreamEvent {
    /// `stream_start`.
    StreamStart {
        /// The generation id.
        metadata: StreamMetadata,
    },
    /// `text_generation`: the next fragment (may split mid-word).
    TextGeneration {
        /// The fragment.
        text: String,
    },
    /// `stream_end`: the last event.
    StreamEnd {
        /// Why generation stopped.
        finish_reason: Option<FinishReason>,
        /// Generation id and usage.
        metadata: StreamMetadata,
        /// A warning, e.g. truncated output.
        error: Option<AnalyzeTaskError>,
    },
    /// An event type this crate does not know, kept as sent.
    Unknown(Value),
}

impl<'de> Deserialize<'de> for AnalyzeStreamEvent {
    fn deserialize<D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<AnalyzeStreamEvent, D::Error> {
        fn parse<T: serde::de::DeserializeOwned, E: serde::de::Error>(
            object: &serde_json::Map<String, Value>,
            name: &str,
        ) -> std::result::Result<Option<T>, E> {
            match object.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(other) => serde_json::from_value(other.clone())
                    .map(Some)
                    .map_err(E::custom),
            }
        }
        let value = Value::deserialize(d)?;
        let Some(object) = value.as_object() else {
            return Err(D::Error::custom(
                "an analyze stream event must be a JSON object",
            ));
        };
        let field = |name: &str| object.get(name).cloned().unwrap_or(Value::Null);
        Ok(match object.get("event_type").and_then(Value::as_str) {
            Some("stream_start") => AnalyzeStreamEvent::StreamStart {
                metadata: parse::<_, D::Error>(object, "metadata")?.unwrap_or_default(),
            },
            Some("text_generation") => AnalyzeStreamEvent::TextGeneration {
                text: match field("text") {
                    Value::String(text) => text,
                    Value::Null => String::new(),
                    _ => return Err(D::Error::custom("`text` must be a string")),
                },
            },
            Some("stream_end") => AnalyzeStreamEvent::StreamEnd {
                finish_reason: parse::<_, D::Error>(object, "finish_reason")?,
                metadata: parse::<_, D::Error>(object, "metadata")?.unwrap_or_default(),
                error: parse::<_, D::Error>(object, "error")?,
            },
            _ => AnalyzeStreamEvent::Unknown(value),
        })
    }
}

/// `{ task_id, status }`: a created or canceled task (`CreateAnalyzeTaskResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeTaskRef {
    /// The task id.
    pub task_id: String,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AnalyzeTaskStatus>,
}

/// `system_metadata` of a task's video.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoSystemMetadata {
    /// Duration, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
}

/// The analyzed video (`video_source`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoSource {
    /// `url`, `base64_string`, `asset_id` or `video_id`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The asset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// The legacy video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_id: Option<String>,
    /// The legacy index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_id: Option<String>,
    /// Duration and such.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_metadata: Option<VideoSystemMetadata>,
}

/// A media source echoed in task parameters (`AnalyzeTaskMediaSource`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeTaskMediaSource {
    /// Its name.
    pub name: String,
    /// `image`.
    pub media_type: String,
    /// The URL (base64 sources come back without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The asset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
}

/// `prompt_v2` echoed in task parameters.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromptV2Echo {
    /// The prompt (truncated to 30 chars in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_text: Option<String>,
    /// The reference images.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub media_sources: Vec<AnalyzeTaskMediaSource>,
}

/// `response_format` echoed in task parameters.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseFormatEcho {
    /// `json_schema` or `segment_definitions`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The schema (omitted in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    /// The time format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_time_format: Option<String>,
    /// The definitions (only the first in lists), as sent.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub segment_definitions: Vec<Value>,
}

/// What a task was asked (`AnalyzeTaskRequestParams`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeTaskRequestParams {
    /// The mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis_mode: Option<AnalysisMode>,
    /// The prompt (truncated to 30 chars in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The v2 prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_v2: Option<PromptV2Echo>,
    /// The images.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub image: Vec<AnalyzeTaskMediaSource>,
    /// The output format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormatEcho>,
    /// The temperature.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub temperature: Option<f64>,
    /// The token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<MaxTokens>,
    /// Shortest segment.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_segment_duration: Option<f64>,
    /// Longest segment.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_segment_duration: Option<f64>,
    /// Window start.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<f64>,
    /// Window end.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<f64>,
}

/// A finished task's output (`AnalyzeTaskResult`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeTaskResult {
    /// The generation id.
    pub generation_id: String,
    /// Text, JSON text, or the segmentation JSON text.
    pub data: String,
    /// `stop` or `length`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
    /// Tokens used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
}

impl AnalyzeTaskResult {
    /// `data` parsed as JSON (for `json_schema` and segmentation results).
    pub fn data_json(&self) -> Result<Value> {
        serde_json::from_str(&self.data).map_err(|e| Error::Decode {
            provider: Provider::TwelveLabs,
            http_status: 200,
            message: format!("the result data is not JSON: {e}"),
            body_snippet: self.data.chars().take(200).collect(),
        })
    }
}

/// One webhook delivery (`WebhookDelivery`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookDelivery {
    /// The endpoint.
    pub url: String,
    /// Whether it was delivered.
    pub delivered: bool,
    /// Attempts made.
    pub attempts: u32,
    /// The last error, when not delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// An analysis task (`AnalyzeTaskResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeTask {
    /// The task id.
    pub task_id: String,
    /// Your id, or `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// The batch, for batch tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<String>,
    /// The video (absent for image tasks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_source: Option<VideoSource>,
    /// What was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_params: Option<AnalyzeTaskRequestParams>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AnalyzeTaskStatus>,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// Finished (terminal only).
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_at: Option<DateTime<Utc>>,
    /// The output (ready only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<AnalyzeTaskResult>,
    /// Why it failed, or a warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AnalyzeTaskError>,
    /// Webhook deliveries.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub webhooks: Vec<WebhookDelivery>,
}

/// One created item of a batch.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchItemRef {
    /// The item's task.
    pub task_id: String,
    /// Your id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
}

/// `POST /analyze/batches` (`CreateAnalyzeBatchResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateAnalyzeBatchResponse {
    /// The batch id.
    pub batch_id: String,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// How many items.
    pub total_items: u64,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When unfinished items get canceled (created + 24 h).
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// The items, in request order.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub items: Vec<BatchItemRef>,
}

/// A batch (`AnalyzeBatchStatusResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeBatch {
    /// The batch id.
    pub batch_id: String,
    /// The mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis_mode: Option<AnalysisMode>,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<AnalyzeModel>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// How many items.
    pub total_items: u64,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// Expiry (created + 24 h).
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// Completed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_at: Option<DateTime<Utc>>,
    /// Canceled.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled_at: Option<DateTime<Utc>>,
    /// Expired.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expired_at: Option<DateTime<Utc>>,
    /// Items queued.
    pub queued_items: u64,
    /// Items running.
    pub processing_items: u64,
    /// Items done.
    pub ready_items: u64,
    /// Items failed.
    pub failed_items: u64,
    /// Items canceled.
    pub canceled_items: u64,
    /// Webhook deliveries.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub webhooks: Vec<WebhookDelivery>,
}

/// One NDJSON line of `GET /analyze/batches/{batch_id}/results` (`BatchResultItem`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchResultItem {
    /// The item's task.
    pub task_id: String,
    /// Your id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// `queued`, `processing`, `ready`, `failed` or `canceled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AnalyzeTaskStatus>,
    /// The output (ready only; the text is `data.data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<AnalyzeTaskResult>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AnalyzeTaskError>,
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

/// Analyze and segment videos; get it from [`Client::analyze`].
#[derive(Debug, Clone, Copy)]
pub struct Analyze<'a> {
    client: &'a Client,
}

impl Client {
    /// Analyze and segment videos: `/analyze`, `/analyze/tasks`, `/analyze/batches`.
    pub fn analyze(&self) -> Analyze<'_> {
        Analyze { client: self }
    }
}

fn rejecting(mut request: ApiRequest, problem: Option<String>) -> ApiRequest {
    if let Some(reason) = problem {
        request.reject(reason);
    }
    request
}

impl Analyze<'_> {
    /// `POST /analyze` with `stream: false`: the whole answer at once.
    /// Documented constraints (video xor images, prompt xor `prompt_v2`,
    /// images only on pegasus1.6, a window of at least 1 s) are checked
    /// before sending.
    pub async fn create(&self, request: &AnalyzeRequest) -> Result<AnalyzeResponse> {
        let mut body = request.clone();
        body.stream = false;
        let api = rejecting(ApiRequest::post("/analyze").json(&body), body.problem());
        self.client.execute(api).await
    }

    /// `POST /analyze` with `stream: true`: the answer as NDJSON events,
    /// `stream_start`, `text_generation`…, `stream_end`. A line that is not
    /// an event is an error item, never skipped; the stream ends after the
    /// last line. An error status fails the call before any event.
    pub async fn stream(
        &self,
        request: &AnalyzeRequest,
    ) -> Result<BoxStream<'static, Result<AnalyzeStreamEvent>>> {
        let mut body = request.clone();
        body.stream = true;
        let api = rejecting(ApiRequest::post("/analyze").json(&body), body.problem());
        let opened = self
            .client
            .engine()
            .stream(&api, crate::error::decode::<Value>)
            .await?;
        // A JSON body under 200 is an answer in the envelope, not a stream.
        if opened.is_json() {
            let raw = opened.into_raw().await?;
            let err = crate::error::decode::<Value>(raw).err();
            return Err(err.unwrap_or_else(|| Error::Decode {
                provider: Provider::TwelveLabs,
                http_status: 200,
                message: "expected an NDJSON stream, got a JSON document".into(),
                body_snippet: String::new(),
            }));
        }
        Ok(opened.ndjson::<AnalyzeStreamEvent>())
    }

    /// `POST /analyze/tasks`: starts an async analysis or segmentation
    /// task. Sends an `Idempotency-Key` (the request's own, or a fresh one
    /// per call) that stays the same across the engine's retries, so a
    /// retried create never starts the work twice.
    pub async fn create_task(&self, request: &AnalyzeTaskRequest) -> Result<AnalyzeTaskRef> {
        let key = request
            .idempotency_key
            .clone()
            .unwrap_or_else(wire::new_idempotency_key);
        let api = ApiRequest::post("/analyze/tasks")
            .json(request)
            .idempotency_key(&key);
        self.client.execute(rejecting(api, request.problem())).await
    }

    /// `GET /analyze/tasks`: one page of tasks, newest first. Prompts come
    /// back truncated to 30 characters.
    pub async fn list_tasks(&self, params: &ListAnalyzeTasksParams) -> Result<Page<AnalyzeTask>> {
        self.client.execute(params.to_request()).await
    }

    /// Every task matching `params`, page after page (the official SDK
    /// returns only one page here).
    pub fn list_all_tasks(
        &self,
        params: ListAnalyzeTasksParams,
    ) -> BoxStream<'static, Result<AnalyzeTask>> {
        let client = self.client.clone();
        wire::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.analyze().list_tasks(&params).await }
        })
    }

    /// `GET /analyze/tasks/{task_id}`: status, and the result when ready.
    pub async fn retrieve_task(&self, task_id: &str) -> Result<AnalyzeTask> {
        let api = ApiRequest::get("/analyze/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute(api).await
    }

    /// `DELETE /analyze/tasks/{task_id}`: deletes a task that is not running
    /// (409 otherwise).
    pub async fn delete_task(&self, task_id: &str) -> Result<()> {
        let api = ApiRequest::delete("/analyze/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute_empty(api).await
    }

    /// `POST /analyze/tasks/{task_id}/cancel`: cancels a queued, pending or
    /// processing task (irreversible). Batch tasks are canceled with their batch.
    pub async fn cancel_task(&self, task_id: &str) -> Result<AnalyzeTaskRef> {
        let api = ApiRequest::post("/analyze/tasks/{task_id}/cancel")
            .path_param("task_id", task_id)
            .idempotent(true);
        self.client.execute(api).await
    }

    /// Polls [`Analyze::retrieve_task`] until the task is `ready` and returns
    /// it. `failed` and `canceled` end the wait with
    /// [`Error::TaskFailed`] carrying the task's `error.message` (and code).
    pub async fn wait_for_task<F>(
        &self,
        task_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<AnalyzeTask>
    where
        F: FnMut(&AnalyzeTask) + Send,
    {
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &format!("analysis task {task_id}"),
            options,
            move || async move {
                let task = this.retrieve_task(task_id).await?;
                match &task.status {
                    Some(AnalyzeTaskStatus::Ready) => Ok(PollStatus::Done(task)),
                    Some(status @ (AnalyzeTaskStatus::Failed | AnalyzeTaskStatus::Canceled)) => {
                        let reason = task.error.as_ref().map(|e| match &e.code {
                            Some(code) => format!("{} ({code})", e.message),
                            None => e.message.clone(),
                        });
                        Err(wire::task_failed(
                            task_id,
                            reason,
                            &format!("the analysis task ended {status} (no reason given)"),
                        ))
                    }
                    _ => Ok(PollStatus::Pending(task)),
                }
            },
            on_update,
        )
        .await
    }

    /// `POST /analyze/batches`: submits 1–1,000 analyses of assets.
    pub async fn create_batch(
        &self,
        request: &CreateAnalyzeBatchRequest,
    ) -> Result<CreateAnalyzeBatchResponse> {
        let api = ApiRequest::post("/analyze/batches").json(request);
        self.client.execute(rejecting(api, request.problem())).await
    }

    /// `GET /analyze/batches`: one page of batches, newest first.
    pub async fn list_batches(
        &self,
        params: &ListAnalyzeBatchesParams,
    ) -> Result<Page<AnalyzeBatch>> {
        self.client.execute(params.to_request()).await
    }

    /// Every batch matching `params`, page after page.
    pub fn list_all_batches(
        &self,
        params: ListAnalyzeBatchesParams,
    ) -> BoxStream<'static, Result<AnalyzeBatch>> {
        let client = self.client.clone();
        wire::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.analyze().list_batches(&params).await }
        })
    }

    /// `GET /analyze/batches/{batch_id}`: status and item counts.
    pub async fn retrieve_batch(&self, batch_id: &str) -> Result<AnalyzeBatch> {
        let api = ApiRequest::get("/analyze/batches/{batch_id}").path_param("batch_id", batch_id);
        self.client.execute(api).await
    }

    /// `GET /analyze/batches/{batch_id}/results`: one [`BatchResultItem`] per
    /// NDJSON line, callable while the batch runs. A line that does not
    /// parse is an error item.
    pub async fn batch_results(
        &self,
        batch_id: &str,
    ) -> Result<BoxStream<'static, Result<BatchResultItem>>> {
        let api =
            ApiRequest::get("/analyze/batches/{batch_id}/results").path_param("batch_id", batch_id);
        let opened = self
            .client
            .engine()
            .stream(&api, crate::error::decode::<Value>)
            .await?;
        Ok(opened.ndjson::<BatchResultItem>())
    }

    /// `POST /analyze/batches/{batch_id}/cancel`: queued items are canceled,
    /// running ones finish; the batch goes `canceling`, then `canceled`.
    pub async fn cancel_batch(&self, batch_id: &str) -> Result<AnalyzeBatch> {
        let api = ApiRequest::post("/analyze/batches/{batch_id}/cancel")
            .path_param("batch_id", batch_id)
            .idempotent(true);
        self.client.execute(api).await
    }

    /// `DELETE /analyze/batches/{batch_id}`: deletes a finished batch and its tasks.
    pub async fn delete_batch(&self, batch_id: &str) -> Result<()> {
        let api =
            ApiRequest::delete("/analyze/batches/{batch_id}").path_param("batch_id", batch_id);
        self.client.execute_empty(api).await
    }

    /// Polls [`Analyze::retrieve_batch`] until the batch is `completed` and
    /// returns it (check `failed_items`: completed is not all succeeded).
    /// `canceled` and `expired` end the wait with [`Error::TaskFailed`].
    pub async fn wait_for_batch<F>(
        &self,
        batch_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<AnalyzeBatch>
    where
        F: FnMut(&AnalyzeBatch) + Send,
    {
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &format!("analysis batch {batch_id}"),
            options,
            move || async move {
                let batch = this.retrieve_batch(batch_id).await?;
                match &batch.status {
                    Some(BatchStatus::Completed) => Ok(PollStatus::Done(batch)),
                    Some(status @ (BatchStatus::Canceled | BatchStatus::Expired)) => {
                        Err(wire::task_failed(
                            batch_id,
                            Some(format!(
                                "the batch was {status}: {} ready, {} failed, {} canceled of {}",
                                batch.ready_items,
                                batch.failed_items,
                                batch.canceled_items,
                                batch.total_items
                            )),
                            "",
                        ))
                    }
                    _ => Ok(PollStatus::Pending(batch)),
                }
            },
            on_update,
        )
        .await
    }
}

/// Collects the text of an analyze stream (every `text_generation`
/// fragment, in order) and the final event's finish reason.
pub async fn collect_text(
    mut events: BoxStream<'static, Result<AnalyzeStreamEvent>>,
) -> Result<(String, Option<FinishReason>)> {
    let mut text = String::new();
    let mut finish = None;
    while let Some(event) = events.next().await {
        match event? {
            AnalyzeStreamEvent::TextGeneration { text: part } => text.push_str(&part),
            AnalyzeStreamEvent::StreamEnd { finish_reason, .. } => finish = finish_reason,
            _ => {}
        }
    }
    Ok((text, finish))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_events_decode_by_event_type() {
        let lines = [
            r#"{"event_type":"stream_start","metadata":{"generation_id":"g1"}}"#,
            r#"{"event_type":"text_generation","text":"Hel"}"#,
            r#"{"event_type":"stream_end","finish_reason":"length","metadata":{"generation_id":"g1","usage":{"output_tokens":5,"input_tokens":9}},"error":{"message":"truncated"}}"#,
            r#"{"event_type":"heartbeat"}"#,
        ];
        let events: Vec<AnalyzeStreamEvent> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            events[0],
            AnalyzeStreamEvent::StreamStart {
                metadata: StreamMetadata {
                    generation_id: Some("g1".into()),
                    usage: None
                },
            }
        );
        assert_eq!(
            events[1],
            AnalyzeStreamEvent::TextGeneration { text: "Hel".into() }
        );
        match &events[2] {
            AnalyzeStreamEvent::StreamEnd {
                finish_reason,
                metadata,
                error,
            } => {
                assert_eq!(finish_reason, &Some(FinishReason::Length));
                assert_eq!(metadata.usage.as_ref().unwrap().output_tokens, Some(5));
                assert_eq!(error.as_ref().unwrap().message, "truncated");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(events[3], AnalyzeStreamEvent::Unknown(_)));
        assert!(serde_json::from_str::<AnalyzeStreamEvent>("[1]").is_err());
        assert!(
            serde_json::from_str::<AnalyzeStreamEvent>(
                r#"{"event_type":"text_generation","text":5}"#
            )
            .is_err()
        );
    }

    #[test]
    fn max_tokens_reads_both_shapes() {
        assert_eq!(
            serde_json::from_str::<MaxTokens>("4096").unwrap(),
            MaxTokens::Count(4096)
        );
        assert_eq!(
            serde_json::from_str::<MaxTokens>("\"unlimited\"").unwrap(),
            MaxTokens::Unlimited
        );
        assert_eq!(
            serde_json::to_value(MaxTokens::Unlimited).unwrap(),
            json!("unlimited")
        );
    }

    #[test]
    fn task_constraints() {
        let video = || VideoContext::AssetId("a".into());
        let ok = AnalyzeTaskRequest::general(video(), "Summarize").custom_id("run-1_a");
        assert_eq!(ok.problem(), None);
        let bad = [
            AnalyzeTaskRequest::general(video(), "x").custom_id("has space"),
            AnalyzeTaskRequest::general(video(), "x").custom_id(""),
            AnalyzeTaskRequest::general(video(), "x").max_tokens(MaxTokens::Count(100)),
            AnalyzeTaskRequest::general(video(), "x").max_tokens(MaxTokens::Unlimited),
            AnalyzeTaskRequest::segmentation(video(), vec![]),
            AnalyzeTaskRequest::segmentation(
                video(),
                vec![SegmentDefinition::new("s", "d").field(SegmentField::new(
                    "t",
                    "timestamp",
                    "when",
                ))],
            ),
            AnalyzeTaskRequest::segmentation(video(), vec![SegmentDefinition::new("s", "d")])
                .segment_duration(Some(1.0), None),
            AnalyzeTaskRequest::images(vec![], "x"),
            AnalyzeTaskRequest::general(video(), "x").window(5.0, 5.5),
        ];
        for request in bad {
            assert!(request.problem().is_some(), "{request:?}");
        }
        let seg = AnalyzeTaskRequest::segmentation(video(), vec![SegmentDefinition::new("s", "d")])
            .model_name(AnalyzeModel::Pegasus16)
            .max_tokens(MaxTokens::Unlimited);
        assert_eq!(seg.problem(), None);
    }

    #[test]
    fn sync_constraints() {
        let video = || VideoContext::Url("https://x/v.mp4".into());
        assert_eq!(AnalyzeRequest::video(video(), "hi").problem(), None);
        assert!(AnalyzeRequest::video(video(), " ").problem().is_some());
        let images = vec![AnalyzeImageInput::new(
            "a",
            MediaSource::url("https://x/a.png"),
        )];
        assert_eq!(AnalyzeRequest::images(images.clone(), "hi").problem(), None);
        assert!(
            AnalyzeRequest::images(images, "hi")
                .model_name(AnalyzeModel::Pegasus15)
                .problem()
                .is_some()
        );
        assert!(
            AnalyzeRequest::video(video(), "x")
                .response_format(ResponseFormat::segment_definitions(vec![
                    SegmentDefinition::new("a", "b")
                ]))
                .problem()
                .is_some()
        );
        let body = serde_json::to_value(AnalyzeRequest::video(
            VideoContext::AssetId("as1".into()),
            "hi",
        ))
        .unwrap();
        assert_eq!(
            body,
            json!({"video": {"type": "asset_id", "asset_id": "as1"}, "prompt": "hi", "stream": false})
        );
    }
}
