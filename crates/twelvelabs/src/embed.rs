//! Create embeddings v2: `/embed-v2` and `/embed-v2/tasks` (catalog §3.9,
//! §3.15 "Embeddings v2").
//!
//! The sync endpoint ([`EmbedV2::create`]) embeds queries and short media;
//! long media and documents go through an async task
//! ([`EmbedV2::create_task`], then [`EmbedV2::wait_for_task`]). Embeddings
//! of async tasks are kept 7 days.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Provider, Result};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Value, json};

use crate::client::Client;
use crate::common::Page;
use crate::wire;
use media_core::open_enum;

open_enum! {
    /// The Marengo model that computes embeddings (`model_name`).
    pub enum EmbeddingModel {
        /// Marengo 3.0: every single-modality input type.
        Marengo30 = "marengo3.0",
        /// Marengo 3.5: `multi_input` only on the sync endpoint; documents and
        /// images as async tasks; `embedding_dimension` and uncertainty.
        Marengo35 = "marengo3.5",
    }
}

open_enum! {
    /// What a request embeds (`input_type`).
    pub enum EmbedInputType {
        /// Text plus up to 10 media sources.
        MultiInput = "multi_input",
        /// Text only (Marengo 3.0).
        Text = "text",
        /// One image (Marengo 3.0).
        Image = "image",
        /// An image with text (Marengo 3.0).
        TextImage = "text_image",
        /// Audio.
        Audio = "audio",
        /// Video.
        Video = "video",
        /// A PDF, plain-text or Markdown document (async, Marengo 3.5).
        Document = "document",
    }
}

open_enum! {
    /// Where an async embedding task is (`status`).
    pub enum EmbeddingTaskStatus {
        /// Still computing.
        Processing = "processing",
        /// Done; the embeddings are in `data`.
        Ready = "ready",
        /// Failed; see `error`.
        Failed = "failed",
    }
}

open_enum! {
    /// Which signal an embedding represents (`embedding_option`).
    pub enum EmbeddingOption {
        /// What is seen.
        Visual = "visual",
        /// Non-speech audio.
        Audio = "audio",
        /// Spoken words (Marengo 3.0).
        Transcription = "transcription",
        /// Text.
        Text = "text",
        /// Several signals fused into one vector.
        Fused = "fused",
        /// Visual text (a Marengo 2.7 value still in the SDK enums).
        VisualText = "visual-text",
    }
}

open_enum! {
    /// What span an embedding covers (`embedding_scope`).
    pub enum EmbeddingScope {
        /// One segment of the media.
        Clip = "clip",
        /// Local segments (answered as `clip`, `page` or `chunk`).
        Local = "local",
        /// The whole file.
        Asset = "asset",
        /// One PDF page.
        Page = "page",
        /// One text chunk.
        Chunk = "chunk",
    }
}

open_enum! {
    /// Whether several options give separate vectors or one (`embedding_type`).
    pub enum EmbeddingType {
        /// One vector per option.
        SeparateEmbedding = "separate_embedding",
        /// One fused vector.
        FusedEmbedding = "fused_embedding",
    }
}

open_enum! {
    /// The kind of a multi-input media source (`media_type`).
    pub enum EmbedMediaType {
        /// An image.
        Image = "image",
        /// A video (Marengo 3.5).
        Video = "video",
        /// Audio (Marengo 3.5).
        Audio = "audio",
        /// A document (Marengo 3.5).
        Document = "document",
    }
}

open_enum! {
    /// Which quarter of a PDF page an embedding covers (`quadrant`).
    pub enum Quadrant {
        /// Top left.
        TopLeft = "top_left",
        /// Top right.
        TopRight = "top_right",
        /// Bottom left.
        BottomLeft = "bottom_left",
        /// Bottom right.
        BottomRight = "bottom_right",
    }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// Where media comes from (`MediaSource`): exactly one of a URL, base64
/// data or a ready asset id.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaSource {
    /// A direct link to the file (not a hosting or share page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The file, base64-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base64_string: Option<String>,
    /// A `ready` asset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
}

impl MediaSource {
    /// Media at a public URL.
    pub fn url(url: impl Into<String>) -> MediaSource {
        MediaSource {
            url: Some(url.into()),
            ..MediaSource::default()
        }
    }

    /// Media inline, base64-encoded.
    pub fn base64(data: impl Into<String>) -> MediaSource {
        MediaSource {
            base64_string: Some(data.into()),
            ..MediaSource::default()
        }
    }

    /// A `ready` asset.
    pub fn asset_id(asset_id: impl Into<String>) -> MediaSource {
        MediaSource {
            asset_id: Some(asset_id.into()),
            ..MediaSource::default()
        }
    }

    pub(crate) fn problem(&self, field: &str) -> Option<String> {
        let set = [&self.url, &self.base64_string, &self.asset_id]
            .iter()
            .filter(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
            .count();
        (set != 1)
            .then(|| format!("`{field}` needs exactly one of `url`, `base64_string` or `asset_id`"))
    }
}

/// How media is cut into segments (`segmentation`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segmentation {
    /// Fixed-length segments of `duration_sec` seconds (2–10).
    Fixed {
        /// Segment length in seconds.
        duration_sec: u32,
    },
    /// Scene-based segments of at least `min_duration_sec` seconds.
    Dynamic {
        /// Shortest segment in seconds.
        min_duration_sec: u32,
    },
    /// Marengo 3.5 async tasks: the strategy wrapped in `{"temporal": …}`.
    Temporal(Box<Segmentation>),
}

impl Segmentation {
    fn to_json(&self) -> Value {
        match self {
            Segmentation::Fixed { duration_sec } => {
                json!({"strategy": "fixed", "fixed": {"duration_sec": duration_sec}})
            }
            Segmentation::Dynamic { min_duration_sec } => {
                json!({"strategy": "dynamic", "dynamic": {"min_duration_sec": min_duration_sec}})
            }
            Segmentation::Temporal(inner) => json!({"temporal": inner.to_json()}),
        }
    }

    fn problem(&self) -> Option<String> {
        match self {
            Segmentation::Fixed { duration_sec } if !(2..=10).contains(duration_sec) => Some(
                format!("fixed segments are 2–10 seconds long, got {duration_sec}"),
            ),
            Segmentation::Dynamic { min_duration_sec } if *min_duration_sec < 2 => Some(format!(
                "dynamic segments are at least 2 seconds long, got {min_duration_sec}"
            )),
            Segmentation::Temporal(inner) => inner.problem(),
            _ => None,
        }
    }
}

impl Serialize for Segmentation {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// `{ "input_text": … }`: text to embed (`TextInputRequest`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextInput {
    /// The text (≤500 tokens).
    pub input_text: String,
}

/// `{ "media_source": … }`: an image to embed (`ImageInputRequest`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageInput {
    /// The image.
    pub media_source: MediaSource,
}

/// An image with text (`TextImageInputRequest`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextImageInput {
    /// The image.
    pub media_source: MediaSource,
    /// The text (≤500 tokens).
    pub input_text: String,
}

/// One timed text annotation for fused Marengo 3.5 video embeddings
/// (`TimeBasedMetadataEntry`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeBasedMetadataEntry {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds (= start for an instant).
    pub end: f64,
    /// The annotation.
    pub text: String,
}

impl TimeBasedMetadataEntry {
    /// An annotation for `start..=end` seconds.
    pub fn new(start: f64, end: f64, text: impl Into<String>) -> TimeBasedMetadataEntry {
        TimeBasedMetadataEntry {
            start,
            end,
            text: text.into(),
        }
    }
}

/// Audio or video to embed: `AudioInputRequest`/`VideoInputRequest` (sync)
/// and `AsyncAudioInputRequest`/`AsyncVideoInputRequest` (tasks).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaInput {
    /// The file.
    pub media_source: MediaSource,
    /// Where to start, seconds (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_sec: Option<f64>,
    /// Where to stop, seconds (default the end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_sec: Option<f64>,
    /// How to segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<Segmentation>,
    /// Which signals to embed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_option: Vec<EmbeddingOption>,
    /// Which spans to embed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_scope: Vec<EmbeddingScope>,
    /// Separate or fused vectors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_type: Vec<EmbeddingType>,
    /// Timed annotations (async video, Marengo 3.5, fused only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub time_based_metadata: Vec<TimeBasedMetadataEntry>,
}

impl MediaInput {
    /// The whole file with the server's defaults.
    pub fn new(media_source: MediaSource) -> MediaInput {
        MediaInput {
            media_source,
            start_sec: None,
            end_sec: None,
            segmentation: None,
            embedding_option: Vec::new(),
            embedding_scope: Vec::new(),
            embedding_type: Vec::new(),
            time_based_metadata: Vec::new(),
        }
    }

    /// Only `start_sec..end_sec`.
    pub fn window(mut self, start_sec: f64, end_sec: f64) -> MediaInput {
        self.start_sec = Some(start_sec);
        self.end_sec = Some(end_sec);
        self
    }

    /// Sets the segmentation.
    pub fn segmentation(mut self, segmentation: Segmentation) -> MediaInput {
        self.segmentation = Some(segmentation);
        self
    }

    /// Sets the signals to embed.
    pub fn embedding_option(
        mut self,
        options: impl IntoIterator<Item = EmbeddingOption>,
    ) -> MediaInput {
        self.embedding_option = options.into_iter().collect();
        self
    }

    /// Sets the spans to embed.
    pub fn embedding_scope(
        mut self,
        scopes: impl IntoIterator<Item = EmbeddingScope>,
    ) -> MediaInput {
        self.embedding_scope = scopes.into_iter().collect();
        self
    }

    /// Sets separate or fused vectors.
    pub fn embedding_type(mut self, types: impl IntoIterator<Item = EmbeddingType>) -> MediaInput {
        self.embedding_type = types.into_iter().collect();
        self
    }

    /// Adds a timed annotation.
    pub fn time_based_metadata(mut self, entry: TimeBasedMetadataEntry) -> MediaInput {
        self.time_based_metadata.push(entry);
        self
    }

    fn problem(&self, field: &str) -> Option<String> {
        if let Some(p) = self.media_source.problem(&format!("{field}.media_source")) {
            return Some(p);
        }
        if let Some(p) = self.segmentation.as_ref().and_then(Segmentation::problem) {
            return Some(p);
        }
        if self.start_sec.is_some_and(|s| s < 0.0) {
            return Some(format!("`{field}.start_sec` must not be negative"));
        }
        if let (Some(start), Some(end)) = (self.start_sec, self.end_sec)
            && end <= start
        {
            return Some(format!("`{field}.end_sec` must be after `start_sec`"));
        }
        None
    }
}

/// One media source of a multi-input request (`MultiInputMediaSource`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultiInputMediaSource {
    /// The kind of media.
    pub media_type: EmbedMediaType,
    /// The name `<@name>` in `input_text` refers to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it comes from.
    #[serde(flatten)]
    pub source: MediaSource,
}

impl MultiInputMediaSource {
    /// A source of kind `media_type`.
    pub fn new(media_type: EmbedMediaType, source: MediaSource) -> MultiInputMediaSource {
        MultiInputMediaSource {
            media_type,
            name: None,
            source,
        }
    }

    /// Names the source so `input_text` can reference it as `<@name>`.
    pub fn name(mut self, name: impl Into<String>) -> MultiInputMediaSource {
        self.name = Some(name.into());
        self
    }
}

/// Text plus media embedded together (`MultiInputRequest`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MultiInput {
    /// The text; may reference sources as `<@name>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_text: Option<String>,
    /// Up to 10 sources, processed in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_sources: Vec<MultiInputMediaSource>,
}

impl MultiInput {
    /// Nothing yet.
    pub fn new() -> MultiInput {
        MultiInput::default()
    }

    /// Sets the text.
    pub fn input_text(mut self, text: impl Into<String>) -> MultiInput {
        self.input_text = Some(text.into());
        self
    }

    /// Adds a media source.
    pub fn media_source(mut self, source: MultiInputMediaSource) -> MultiInput {
        self.media_sources.push(source);
        self
    }
}

/// `POST /embed-v2`: the body of a sync embedding request.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateEmbeddingsRequest {
    /// What is embedded.
    pub input_type: EmbedInputType,
    /// The model.
    pub model_name: EmbeddingModel,
    /// Marengo 3.5: truncate text over 2,000 tokens instead of failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_truncate: Option<bool>,
    /// Marengo 3.5: add per-dimension uncertainty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_uncertainty: Option<bool>,
    /// Marengo 3.5: vector length (default 512).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_dimension: Option<u32>,
    /// For `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextInput>,
    /// For `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageInput>,
    /// For `text_image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_image: Option<TextImageInput>,
    /// For `audio`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<MediaInput>,
    /// For `video`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<MediaInput>,
    /// For `multi_input`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_input: Option<MultiInput>,
}

impl CreateEmbeddingsRequest {
    fn empty(input_type: EmbedInputType, model_name: EmbeddingModel) -> CreateEmbeddingsRequest {
        CreateEmbeddingsRequest {
            input_type,
            model_name,
            auto_truncate: None,
            embedding_uncertainty: None,
            embedding_dimension: None,
            text: None,
            image: None,
            text_image: None,
            audio: None,
            video: None,
            multi_input: None,
        }
    }

    /// Embeds `text` (Marengo 3.0).
    pub fn text(model_name: EmbeddingModel, text: impl Into<String>) -> CreateEmbeddingsRequest {
        let mut request = CreateEmbeddingsRequest::empty(EmbedInputType::Text, model_name);
        request.text = Some(TextInput {
            input_text: text.into(),
        });
        request
    }

    /// Embeds one image (Marengo 3.0).
    pub fn image(model_name: EmbeddingModel, source: MediaSource) -> CreateEmbeddingsRequest {
        let mut request = CreateEmbeddingsRequest::empty(EmbedInputType::Image, model_name);
        request.image = Some(ImageInput {
            media_source: source,
        });
        request
    }

    /// Embeds an image with text (Marengo 3.0).
    pub fn text_image(
        model_name: EmbeddingModel,
        source: MediaSource,
        text: impl Into<String>,
    ) -> CreateEmbeddingsRequest {
        let mut request = CreateEmbeddingsRequest::empty(EmbedInputType::TextImage, model_name);
        request.text_image = Some(TextImageInput {
            media_source: source,
            input_text: text.into(),
        });
        request
    }

    /// Embeds audio (Marengo 3.0).
    pub fn audio(model_name: EmbeddingModel, input: MediaInput) -> CreateEmbeddingsRequest {
        let mut request = CreateEmbeddingsRequest::empty(EmbedInputType::Audio, model_name);
        request.audio = Some(input);
        request
    }

    /// Embeds video (Marengo 3.0).
    pub fn video(model_name: EmbeddingModel, input: MediaInput) -> CreateEmbeddingsRequest {
        let mut request = CreateEmbeddingsRequest::empty(EmbedInputType::Video, model_name);
        request.video = Some(input);
        request
    }

    /// Embeds text and media together.
    pub fn multi_input(model_name: EmbeddingModel, input: MultiInput) -> CreateEmbeddingsRequest {
        let mut request = CreateEmbeddingsRequest::empty(EmbedInputType::MultiInput, model_name);
        request.multi_input = Some(input);
        request
    }

    /// Sets `auto_truncate`.
    pub fn auto_truncate(mut self, on: bool) -> CreateEmbeddingsRequest {
        self.auto_truncate = Some(on);
        self
    }

    /// Sets `embedding_uncertainty`.
    pub fn embedding_uncertainty(mut self, on: bool) -> CreateEmbeddingsRequest {
        self.embedding_uncertainty = Some(on);
        self
    }

    /// Sets `embedding_dimension` (Marengo 3.5).
    pub fn embedding_dimension(mut self, dimension: u32) -> CreateEmbeddingsRequest {
        self.embedding_dimension = Some(dimension);
        self
    }

    /// The first documented constraint this request breaks.
    fn problem(&self) -> Option<String> {
        if self.model_name == EmbeddingModel::Marengo35
            && self.input_type != EmbedInputType::MultiInput
        {
            return Some("marengo3.5 accepts only `multi_input` on the sync endpoint".into());
        }
        if self.embedding_dimension.is_some() && self.model_name == EmbeddingModel::Marengo30 {
            return Some("`embedding_dimension` needs marengo3.5".into());
        }
        if self.embedding_dimension == Some(0) {
            return Some("`embedding_dimension` must be positive".into());
        }
        let blank = |s: &str| s.trim().is_empty();
        match self.input_type {
            EmbedInputType::Text => match &self.text {
                Some(t) if !blank(&t.input_text) => None,
                _ => Some("`text.input_text` must not be empty".into()),
            },
            EmbedInputType::Image => match &self.image {
                Some(i) => i.media_source.problem("image.media_source"),
                None => Some("`image` is required for input_type image".into()),
            },
            EmbedInputType::TextImage => match &self.text_image {
                Some(t) if blank(&t.input_text) => {
                    Some("`text_image.input_text` must not be empty".into())
                }
                Some(t) => t.media_source.problem("text_image.media_source"),
                None => Some("`text_image` is required for input_type text_image".into()),
            },
            EmbedInputType::Audio => match &self.audio {
                Some(a) => a.problem("audio"),
                None => Some("`audio` is required for input_type audio".into()),
            },
            EmbedInputType::Video => match &self.video {
                Some(v) => v.problem("video"),
                None => Some("`video` is required for input_type video".into()),
            },
            EmbedInputType::MultiInput => match &self.multi_input {
                Some(m) if m.media_sources.len() > 10 => {
                    Some("`multi_input.media_sources` holds at most 10 sources".into())
                }
                Some(m)
                    if m.input_text.as_deref().is_none_or(blank) && m.media_sources.is_empty() =>
                {
                    Some("`multi_input` needs `input_text` or `media_sources`".into())
                }
                Some(m) => m
                    .media_sources
                    .iter()
                    .find_map(|s| s.source.problem("multi_input.media_sources[]")),
                None => Some("`multi_input` is required for input_type multi_input".into()),
            },
            _ => None,
        }
    }
}

/// Sentence-based splitting of text documents.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SequentialSegmentation {
    /// `sentence`.
    pub strategy: String,
    /// Sentences per chunk.
    pub max_sentences: u32,
    /// Sentences shared by neighbouring chunks (default 0, < `max_sentences`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlap_sentences: Option<u32>,
}

/// Page splitting of PDFs: `standard` or `quadrants`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpatialSegmentation {
    /// `standard` (default) or `quadrants` (page + 4 quarters).
    pub strategy: String,
}

/// How a document is segmented.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentSegmentation {
    /// PDF page splitting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spatial: Option<SpatialSegmentation>,
    /// Text chunking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequential: Option<SequentialSegmentation>,
}

impl DocumentSegmentation {
    /// PDF pages split with `strategy` (`standard` or `quadrants`).
    pub fn spatial(strategy: impl Into<String>) -> DocumentSegmentation {
        DocumentSegmentation {
            spatial: Some(SpatialSegmentation {
                strategy: strategy.into(),
            }),
            sequential: None,
        }
    }

    /// Text chunks of `max_sentences` sentences overlapping by `overlap_sentences`.
    pub fn sentences(max_sentences: u32, overlap_sentences: u32) -> DocumentSegmentation {
        DocumentSegmentation {
            spatial: None,
            sequential: Some(SequentialSegmentation {
                strategy: "sentence".into(),
                max_sentences,
                overlap_sentences: Some(overlap_sentences),
            }),
        }
    }
}

/// A document to embed asynchronously (`AsyncDocumentInputRequest`, Marengo 3.5).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInput {
    /// The PDF, `.txt` or `.md` file.
    pub media_source: MediaSource,
    /// How to segment it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<DocumentSegmentation>,
    /// `visual` (PDF) or `text`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_option: Vec<EmbeddingOption>,
    /// `local` or `asset`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_scope: Vec<EmbeddingScope>,
    /// Only `separate_embedding`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_type: Vec<EmbeddingType>,
}

impl DocumentInput {
    /// The document with the server's defaults.
    pub fn new(media_source: MediaSource) -> DocumentInput {
        DocumentInput {
            media_source,
            segmentation: None,
            embedding_option: Vec::new(),
            embedding_scope: Vec::new(),
            embedding_type: Vec::new(),
        }
    }

    /// Sets the segmentation.
    pub fn segmentation(mut self, segmentation: DocumentSegmentation) -> DocumentInput {
        self.segmentation = Some(segmentation);
        self
    }

    /// Sets the signals to embed.
    pub fn embedding_option(
        mut self,
        options: impl IntoIterator<Item = EmbeddingOption>,
    ) -> DocumentInput {
        self.embedding_option = options.into_iter().collect();
        self
    }

    /// Sets the spans to embed.
    pub fn embedding_scope(
        mut self,
        scopes: impl IntoIterator<Item = EmbeddingScope>,
    ) -> DocumentInput {
        self.embedding_scope = scopes.into_iter().collect();
        self
    }
}

/// An image to embed asynchronously (`AsyncImageInputRequest`, Marengo 3.5).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsyncImageInput {
    /// The image.
    pub media_source: MediaSource,
    /// Only `visual`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_option: Vec<EmbeddingOption>,
    /// Only `separate_embedding`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_type: Vec<EmbeddingType>,
    /// Only `asset`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_scope: Vec<EmbeddingScope>,
}

impl AsyncImageInput {
    /// The image with the server's defaults.
    pub fn new(media_source: MediaSource) -> AsyncImageInput {
        AsyncImageInput {
            media_source,
            embedding_option: Vec::new(),
            embedding_type: Vec::new(),
            embedding_scope: Vec::new(),
        }
    }
}

/// `POST /embed-v2/tasks`: the body of an async embedding task.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateEmbeddingTaskRequest {
    /// `audio`, `video`, `document` or `image`.
    pub input_type: EmbedInputType,
    /// The model.
    pub model_name: EmbeddingModel,
    /// Marengo 3.5: add per-dimension uncertainty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_uncertainty: Option<bool>,
    /// Marengo 3.5: vector length (default 512).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_dimension: Option<u32>,
    /// For `audio`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<MediaInput>,
    /// For `video`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<MediaInput>,
    /// For `document`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentInput>,
    /// For `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<AsyncImageInput>,
}

impl CreateEmbeddingTaskRequest {
    fn empty(input_type: EmbedInputType, model_name: EmbeddingModel) -> CreateEmbeddingTaskRequest {
        CreateEmbeddingTaskRequest {
            input_type,
            model_name,
            embedding_uncertainty: None,
            embedding_dimension: None,
            audio: None,
            video: None,
            document: None,
            image: None,
        }
    }

    /// Embeds audio.
    pub fn audio(model_name: EmbeddingModel, input: MediaInput) -> CreateEmbeddingTaskRequest {
        let mut request = CreateEmbeddingTaskRequest::empty(EmbedInputType::Audio, model_name);
        request.audio = Some(input);
        request
    }

    /// Embeds video.
    pub fn video(model_name: EmbeddingModel, input: MediaInput) -> CreateEmbeddingTaskRequest {
        let mut request = CreateEmbeddingTaskRequest::empty(EmbedInputType::Video, model_name);
        request.video = Some(input);
        request
    }

    /// Embeds a document (Marengo 3.5).
    pub fn document(
        model_name: EmbeddingModel,
        input: DocumentInput,
    ) -> CreateEmbeddingTaskRequest {
        let mut request = CreateEmbeddingTaskRequest::empty(EmbedInputType::Document, model_name);
        request.document = Some(input);
        request
    }

    /// Embeds an image (Marengo 3.5).
    pub fn image(model_name: EmbeddingModel, input: AsyncImageInput) -> CreateEmbeddingTaskRequest {
        let mut request = CreateEmbeddingTaskRequest::empty(EmbedInputType::Image, model_name);
        request.image = Some(input);
        request
    }

    /// Sets `embedding_uncertainty`.
    pub fn embedding_uncertainty(mut self, on: bool) -> CreateEmbeddingTaskRequest {
        self.embedding_uncertainty = Some(on);
        self
    }

    /// Sets `embedding_dimension` (Marengo 3.5).
    pub fn embedding_dimension(mut self, dimension: u32) -> CreateEmbeddingTaskRequest {
        self.embedding_dimension = Some(dimension);
        self
    }

    fn problem(&self) -> Option<String> {
        if self.embedding_dimension.is_some() && self.model_name == EmbeddingModel::Marengo30 {
            return Some("`embedding_dimension` needs marengo3.5".into());
        }
        let needs_35 = matches!(
            self.input_type,
            EmbedInputType::Document | EmbedInputType::Image
        );
        if needs_35 && self.model_name == EmbeddingModel::Marengo30 {
            return Some(format!("input_type {} needs marengo3.5", self.input_type));
        }
        match &self.input_type {
            EmbedInputType::Audio => self.audio.as_ref().map_or(
                Some("`audio` is required for input_type audio".into()),
                |a| a.problem("audio"),
            ),
            EmbedInputType::Video => self.video.as_ref().map_or(
                Some("`video` is required for input_type video".into()),
                |v| v.problem("video"),
            ),
            EmbedInputType::Document => self.document.as_ref().map_or(
                Some("`document` is required for input_type document".into()),
                |d| d.media_source.problem("document.media_source"),
            ),
            EmbedInputType::Image => self.image.as_ref().map_or(
                Some("`image` is required for input_type image".into()),
                |i| i.media_source.problem("image.media_source"),
            ),
            other => Some(format!(
                "async tasks take audio, video, document or image, not {other}"
            )),
        }
    }
}

/// `GET /embed-v2/tasks` and `GET /embed/tasks`: filters and paging.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListEmbeddingTasksParams {
    /// Only tasks created after this instant.
    pub started_at: Option<DateTime<Utc>>,
    /// Only tasks created before this instant.
    pub ended_at: Option<DateTime<Utc>>,
    /// Only tasks in this status.
    pub status: Option<EmbeddingTaskStatus>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–50.
    pub page_limit: Option<u32>,
}

impl ListEmbeddingTasksParams {
    /// No filters (the server returns the last 7 days).
    pub fn new() -> ListEmbeddingTasksParams {
        ListEmbeddingTasksParams::default()
    }

    /// Only tasks created after `at`.
    pub fn started_at(mut self, at: DateTime<Utc>) -> ListEmbeddingTasksParams {
        self.started_at = Some(at);
        self
    }

    /// Only tasks created before `at`.
    pub fn ended_at(mut self, at: DateTime<Utc>) -> ListEmbeddingTasksParams {
        self.ended_at = Some(at);
        self
    }

    /// Only tasks in `status`.
    pub fn status(mut self, status: EmbeddingTaskStatus) -> ListEmbeddingTasksParams {
        self.status = Some(status);
        self
    }

    /// Requests page `page`.
    pub fn page(mut self, page: u32) -> ListEmbeddingTasksParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> ListEmbeddingTasksParams {
        self.page_limit = Some(page_limit);
        self
    }

    pub(crate) fn to_request(&self, template: &'static str) -> ApiRequest {
        let rfc = |at: &DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let request = ApiRequest::get(template)
            .query_opt("started_at", self.started_at.as_ref().map(rfc))
            .query_opt("ended_at", self.ended_at.as_ref().map(rfc))
            .query_opt("status", self.status.as_ref());
        let request = wire::check(
            request,
            matches!((self.started_at, self.ended_at), (Some(s), Some(e)) if e < s),
            "`ended_at` must not be before `started_at`",
        );
        wire::paging(request, self.page, self.page_limit)
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// One embedding vector with what it covers (`EmbeddingData`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingData {
    /// The vector.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub embedding: Vec<f64>,
    /// Per-dimension uncertainty (Marengo 3.5, when requested).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_uncertainty: Option<Vec<f64>>,
    /// The signal embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_option: Option<EmbeddingOption>,
    /// The span embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_scope: Option<EmbeddingScope>,
    /// Start, seconds (media only).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_sec: Option<f64>,
    /// End, seconds (media only).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_sec: Option<f64>,
    /// First PDF page covered (1-based).
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_page_number: Option<u32>,
    /// Last PDF page covered (inclusive).
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_page_number: Option<u32>,
    /// The page quarter, for `quadrants` segmentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quadrant: Option<Quadrant>,
    /// The chunk's position (0-based); array order is not guaranteed.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub chunk_index: Option<u32>,
}

/// Token accounting (`EmbeddingUsage`, Marengo 3.5).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingUsage {
    /// Input tokens per content type (`video`, `audio`, `image`, `document`, `text`).
    pub input_tokens: BTreeMap<String, u64>,
    /// Whether text was truncated.
    pub truncated: bool,
    /// Why (`model_context_window`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncation_reason: Option<String>,
}

/// What was embedded (`EmbeddingMediaMetadata` / `EmbeddingTaskMediaMetadata`).
/// The provider tags the variants by `input_type`; this one struct carries
/// the union of their fields so a new variant never fails decoding.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingMediaMetadata {
    /// The variant tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_type: Option<EmbedInputType>,
    /// The source URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_url: Option<String>,
    /// The source file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_filename: Option<String>,
    /// The options embedded.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub embedding_options: Vec<EmbeddingOption>,
    /// The scopes embedded.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub embedding_scopes: Vec<EmbeddingScope>,
    /// Media duration, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// Where embedding started, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_offset_sec: Option<f64>,
    /// Where embedding ended, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_offset_sec: Option<f64>,
    /// Vector length.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub embedding_dimension: Option<u32>,
    /// Clip length, seconds (video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub clip_length: Option<f64>,
}

/// `POST /embed-v2`: the embeddings (`EmbeddingSuccessResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingSuccessResponse {
    /// The vectors.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub data: Vec<EmbeddingData>,
    /// Token accounting (Marengo 3.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<EmbeddingUsage>,
    /// What was embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EmbeddingMediaMetadata>,
}

/// A failed task's reason (`{ "message": … }`); the text is not a contract.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskErrorMessage {
    /// Why.
    pub message: String,
}

/// `POST /embed-v2/tasks`: the new task (`EmbeddingTaskCreated`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingTaskCreated {
    /// The task id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// `processing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<EmbeddingTaskStatus>,
    /// Embeddings (null unless ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<EmbeddingData>>,
    /// `{ embedding_dimension }` (Marengo 3.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EmbeddingMediaMetadata>,
}

/// `GET /embed-v2/tasks/{task_id}`: status and embeddings (`EmbeddingTaskResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingTaskResponse {
    /// The task id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// Where the task is.
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
    /// Embeddings (null unless ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<EmbeddingData>>,
    /// Token accounting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<EmbeddingUsage>,
    /// What was embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EmbeddingMediaMetadata>,
    /// Why it failed (only when failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<TaskErrorMessage>,
}

/// The `metadata` of one medium of a listed embedding task: the union of
/// the video, audio, document and image variants.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingTaskMetadata {
    /// The source URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_url: Option<String>,
    /// The source file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_filename: Option<String>,
    /// Clip length, seconds (video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_clip_length: Option<f64>,
    /// Video scopes.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub video_embedding_scope: Vec<String>,
    /// Video options.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub video_embedding_option: Vec<String>,
    /// Audio options.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub audio_embedding_option: Vec<String>,
    /// Audio scopes.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub audio_embedding_scope: Vec<String>,
    /// Document options.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub document_embedding_option: Vec<String>,
    /// Document scopes.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub document_embedding_scope: Vec<String>,
    /// Image options.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub image_embedding_option: Vec<String>,
    /// Image scopes.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub image_embedding_scope: Vec<String>,
    /// Duration, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// Start offset, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_offset_sec: Option<f64>,
    /// End offset, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_offset_sec: Option<f64>,
}

/// `{ "metadata": … }` under `video_embedding`, `audio_embedding`, ….
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingTaskMedium {
    /// What was embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<EmbeddingTaskMetadata>,
}

/// One task of `GET /embed-v2/tasks` or `GET /embed/tasks` (`MediaEmbeddingTask`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaEmbeddingTask {
    /// The task id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// Where the task is.
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
    /// Video details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_embedding: Option<EmbeddingTaskMedium>,
    /// Audio details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_embedding: Option<EmbeddingTaskMedium>,
    /// Document details (Marengo 3.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_embedding: Option<EmbeddingTaskMedium>,
    /// Image details (Marengo 3.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_embedding: Option<EmbeddingTaskMedium>,
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

/// Create embeddings v2 (`/embed-v2`); get it from [`Client::embed_v2`].
#[derive(Debug, Clone, Copy)]
pub struct EmbedV2<'a> {
    client: &'a Client,
}

impl Client {
    /// Create embeddings v2: `/embed-v2`, `/embed-v2/tasks`.
    pub fn embed_v2(&self) -> EmbedV2<'_> {
        EmbedV2 { client: self }
    }
}

impl EmbedV2<'_> {
    /// `POST /embed-v2` (JSON): embeddings for text, images and short media,
    /// in one call. Requests that break a documented constraint (marengo3.5
    /// with a single-modality input, `embedding_dimension` with marengo3.0,
    /// a source that is not exactly one of url/base64/asset id, more than 10
    /// multi-input sources, fixed segments outside 2–10 s) are
    /// [`media_core::Error::InvalidInput`] before anything is sent.
    pub async fn create(
        &self,
        request: &CreateEmbeddingsRequest,
    ) -> Result<EmbeddingSuccessResponse> {
        let mut api = ApiRequest::post("/embed-v2").json(request);
        if let Some(reason) = request.problem() {
            api.reject(reason);
        }
        self.client.execute(api).await
    }

    /// `POST /embed-v2/tasks` (JSON): starts an async embedding task for
    /// long media or documents; poll it with [`EmbedV2::wait_for_task`].
    pub async fn create_task(
        &self,
        request: &CreateEmbeddingTaskRequest,
    ) -> Result<EmbeddingTaskCreated> {
        let mut api = ApiRequest::post("/embed-v2/tasks").json(request);
        if let Some(reason) = request.problem() {
            api.reject(reason);
        }
        self.client.execute(api).await
    }

    /// `GET /embed-v2/tasks`: one page of tasks, newest first (the last 7
    /// days unless dates are given).
    pub async fn list_tasks(
        &self,
        params: &ListEmbeddingTasksParams,
    ) -> Result<Page<MediaEmbeddingTask>> {
        self.client
            .execute(params.to_request("/embed-v2/tasks"))
            .await
    }

    /// Every task matching `params`, page after page, stopping at `total_page`.
    pub fn list_all_tasks(
        &self,
        params: ListEmbeddingTasksParams,
    ) -> BoxStream<'static, Result<MediaEmbeddingTask>> {
        let client = self.client.clone();
        wire::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.embed_v2().list_tasks(&params).await }
        })
    }

    /// `GET /embed-v2/tasks/{task_id}`: status, and the embeddings once ready.
    pub async fn retrieve_task(&self, task_id: &str) -> Result<EmbeddingTaskResponse> {
        let api = ApiRequest::get("/embed-v2/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute(api).await
    }

    /// Polls [`EmbedV2::retrieve_task`] until the task is `ready` and returns
    /// it; `failed` ends the wait with [`media_core::Error::TaskFailed`]
    /// carrying `error.message`, `options.max_wait` with a timeout.
    pub async fn wait_for_task<F>(
        &self,
        task_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<EmbeddingTaskResponse>
    where
        F: FnMut(&EmbeddingTaskResponse) + Send,
    {
        let this = *self;
        wait_until(
            Provider::TwelveLabs,
            &format!("embedding task {task_id}"),
            options,
            move || async move {
                let task = this.retrieve_task(task_id).await?;
                match task.status {
                    Some(EmbeddingTaskStatus::Ready) => Ok(PollStatus::Done(task)),
                    Some(EmbeddingTaskStatus::Failed) => Err(wire::task_failed(
                        task_id,
                        task.error.map(|e| e.message),
                        "the embedding task failed (no reason given)",
                    )),
                    _ => Ok(PollStatus::Pending(task)),
                }
            },
            on_update,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_serialize_with_provider_names() {
        let request = CreateEmbeddingsRequest::video(
            EmbeddingModel::Marengo30,
            MediaInput::new(MediaSource::url("https://x/v.mp4"))
                .window(0.0, 10.0)
                .segmentation(Segmentation::Fixed { duration_sec: 5 })
                .embedding_option([EmbeddingOption::Visual]),
        );
        let body = serde_json::to_value(&request).unwrap();
        assert_eq!(
            body,
            json!({"input_type": "video", "model_name": "marengo3.0", "video": {
                "media_source": {"url": "https://x/v.mp4"}, "start_sec": 0.0, "end_sec": 10.0,
                "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 5}},
                "embedding_option": ["visual"]}})
        );
        let temporal = Segmentation::Temporal(Box::new(Segmentation::Dynamic {
            min_duration_sec: 2,
        }));
        assert_eq!(
            serde_json::to_value(&temporal).unwrap(),
            json!({"temporal": {"strategy": "dynamic", "dynamic": {"min_duration_sec": 2}}})
        );
    }

    #[test]
    fn documented_constraints_are_checked() {
        let bad = [
            CreateEmbeddingsRequest::text(EmbeddingModel::Marengo35, "x"),
            CreateEmbeddingsRequest::text(EmbeddingModel::Marengo30, " "),
            CreateEmbeddingsRequest::text(EmbeddingModel::Marengo30, "x").embedding_dimension(256),
            CreateEmbeddingsRequest::image(EmbeddingModel::Marengo30, MediaSource::default()),
            CreateEmbeddingsRequest::video(
                EmbeddingModel::Marengo30,
                MediaInput::new(MediaSource::url("u"))
                    .segmentation(Segmentation::Fixed { duration_sec: 11 }),
            ),
            CreateEmbeddingsRequest::multi_input(EmbeddingModel::Marengo35, MultiInput::new()),
        ];
        for request in bad {
            assert!(request.problem().is_some(), "{request:?}");
        }
        assert!(
            CreateEmbeddingsRequest::multi_input(
                EmbeddingModel::Marengo35,
                MultiInput::new().input_text("a <@x>").media_source(
                    MultiInputMediaSource::new(EmbedMediaType::Image, MediaSource::asset_id("a"))
                        .name("x")
                )
            )
            .problem()
            .is_none()
        );
        assert!(
            CreateEmbeddingTaskRequest::document(
                EmbeddingModel::Marengo30,
                DocumentInput::new(MediaSource::url("u"))
            )
            .problem()
            .is_some()
        );
    }
}
