//! The Search group: semantic search of private and public videos, exact
//! phrase search in audio transcripts, and image queries.
//!
//! Endpoints: `POST /search`, `POST /search_public`, `GET /search_audio_transcripts`,
//! `GET /search_public_audio_transcripts`, and the multipart image searches
//! `POST /search_similar_images`, `POST /search_public_similar_images`,
//! `POST /search_clips_by_image`.

use chrono::{DateTime, Utc};
use media_core::Result;
use std::path::PathBuf;

use media_core::http::{ApiRequest, FilePart, Multipart};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{Platform, coordinates, id_list, in_range, non_empty, wire};
use crate::de;
use crate::upload::{IMAGE_EXTENSIONS, MAX_IMAGE_BYTES, check_file};
use media_core::open_enum;

/// The Search endpoints, borrowed from a [`Client`] by [`Client::search`].
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    client: &'a Client,
}

open_enum! {
    /// What `search_type` searches.
    pub enum SearchType {
        /// `BY_CLIP`: visual clips (the default).
        ByClip = "BY_CLIP",
        /// `BY_VIDEO`: an alias of `BY_CLIP` (the public search's default).
        ByVideo = "BY_VIDEO",
        /// `BY_AUDIO`: the audio transcripts.
        ByAudio = "BY_AUDIO",
        /// `BY_IMAGE`: the private **image** library (an object-shaped answer).
        ByImage = "BY_IMAGE",
        /// `BY_CAPTION`: the captions.
        ByCaption = "BY_CAPTION",
    }
}

open_enum! {
    /// A minimum relevance for hits.
    pub enum FilteringLevel {
        /// `low`: score ≥ 0.15.
        Low = "low",
        /// `medium`: score ≥ 0.225.
        Medium = "medium",
        /// `high`: score ≥ 0.4.
        High = "high",
    }
}

/// Parameters of `POST /search` (private library, JSON body).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchParams {
    /// The query, in English. Must not be empty.
    pub search_param: String,
    /// What to search; always sent (older docs require it), `BY_CLIP` unless set.
    pub search_type: SearchType,
    /// The namespace; the client's default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// The number of hits, 1–1000 (1–200 for `BY_CAPTION`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// A minimum relevance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtering_level: Option<FilteringLevel>,
    /// Only these videos (at most 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_nos: Option<Vec<String>>,
    /// Only videos with this tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Only videos from this camera (the upload's `camera_model`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_tag: Option<String>,
    /// Only videos captured then, `yyyy-MM-dd HH:mm:ss`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datetime_taken: Option<String>,
    /// With `longitude`: only videos near this point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// With `latitude`: only videos near this point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

impl SearchParams {
    /// A `BY_CLIP` search for `query` in the client's default namespace.
    pub fn new(query: impl Into<String>) -> SearchParams {
        SearchParams {
            search_param: query.into(),
            search_type: SearchType::ByClip,
            unique_id: None,
            top_k: None,
            filtering_level: None,
            video_nos: None,
            tag: None,
            camera_tag: None,
            datetime_taken: None,
            latitude: None,
            longitude: None,
        }
    }

    /// Searches `search_type` instead of clips.
    pub fn search_type(mut self, search_type: SearchType) -> Self {
        self.search_type = search_type;
        self
    }

    /// Searches namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Returns at most `top_k` hits.
    pub fn top_k(mut self, top_k: u32) -> Self {
        self.top_k = Some(top_k);
        self
    }

    /// Drops hits below `level`.
    pub fn filtering_level(mut self, level: FilteringLevel) -> Self {
        self.filtering_level = Some(level);
        self
    }

    /// Searches only these videos.
    pub fn video_nos<I: IntoIterator<Item = S>, S: Into<String>>(mut self, video_nos: I) -> Self {
        self.video_nos = Some(video_nos.into_iter().map(Into::into).collect());
        self
    }

    /// Searches only videos tagged `tag`.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// Searches only videos from camera `camera_tag`.
    pub fn camera_tag(mut self, camera_tag: impl Into<String>) -> Self {
        self.camera_tag = Some(camera_tag.into());
        self
    }

    /// Searches only videos captured at `taken` (`yyyy-MM-dd HH:mm:ss`).
    pub fn datetime_taken(mut self, taken: impl Into<String>) -> Self {
        self.datetime_taken = Some(taken.into());
        self
    }

    /// Searches only videos near this point.
    pub fn near(mut self, latitude: f64, longitude: f64) -> Self {
        self.latitude = Some(latitude);
        self.longitude = Some(longitude);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("search_param", &self.search_param)?;
        let max = if self.search_type == SearchType::ByCaption {
            200
        } else {
            1000
        };
        in_range("top_k", self.top_k, 1..=max)?;
        if let Some(ids) = &self.video_nos {
            id_list("video_nos", ids, 100)?;
        }
        coordinates(self.latitude.as_ref(), self.longitude.as_ref())
    }
}

/// One hit of a clip or audio search (`/search`, `/search_public`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchClip {
    /// The video id.
    #[serde(rename = "videoNo", alias = "video_no")]
    pub video_no: String,
    /// The video name.
    #[serde(default, rename = "videoName", alias = "video_name")]
    pub video_name: Option<String>,
    /// Start of the clip in seconds; `None` for a whole-video hit (`"null"`).
    #[serde(
        default,
        rename = "startTime",
        alias = "start_time",
        deserialize_with = "de::number"
    )]
    pub start_time: Option<f64>,
    /// End of the clip in seconds; `None` for a whole-video hit.
    #[serde(
        default,
        rename = "endTime",
        alias = "end_time",
        deserialize_with = "de::number"
    )]
    pub end_time: Option<f64>,
    /// Relevance, 0–1 (absent in some older answers).
    #[serde(default, deserialize_with = "de::number")]
    pub score: Option<f64>,
    /// The matched transcript text (audio searches).
    #[serde(default)]
    pub audio_ts: Option<String>,
    /// Storage bucket of the video.
    #[serde(default)]
    pub video_bucket: Option<String>,
    /// Storage object of the video.
    #[serde(default)]
    pub video_blob: Option<String>,
    /// Storage bucket of the keyframe.
    #[serde(default)]
    pub keyframe_bucket: Option<String>,
    /// Storage object of the keyframe.
    #[serde(default)]
    pub keyframe_blob: Option<String>,
}

/// One image hit of a `BY_IMAGE` search.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageHit {
    /// The image id (an 18-digit JSON number, kept exactly as text).
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    /// The image name.
    #[serde(default)]
    pub name: Option<String>,
    /// A URL of the image.
    #[serde(default)]
    pub img_url: Option<String>,
    /// Latitude given at upload.
    #[serde(default, deserialize_with = "de::number")]
    pub latitude: Option<f64>,
    /// Longitude given at upload.
    #[serde(default, deserialize_with = "de::number")]
    pub longitude: Option<f64>,
    /// Capture time (epoch milliseconds on the wire).
    #[serde(
        default,
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub datetime_taken: Option<DateTime<Utc>>,
    /// Camera model given at upload.
    #[serde(default)]
    pub camera_model: Option<String>,
}

/// The object-shaped answer of a `BY_IMAGE` search.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageSearchPage {
    /// The images found.
    #[serde(default, deserialize_with = "de::list")]
    pub item: Vec<ImageHit>,
    /// The page number (0 in the documented example).
    #[serde(default, deserialize_with = "de::number")]
    pub current_page: Option<u32>,
    /// Items per page.
    #[serde(default, deserialize_with = "de::number")]
    pub page_size: Option<u32>,
    /// Items in all pages.
    #[serde(default, deserialize_with = "de::number")]
    pub total_count: Option<u64>,
}

/// What `POST /search` found: an array of clips for clip, audio and caption
/// searches, an object of images for `BY_IMAGE`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SearchResults {
    /// Clip, audio or caption hits.
    Clips(Vec<SearchClip>),
    /// Image hits (`BY_IMAGE`).
    Images(ImageSearchPage),
}

impl SearchResults {
    /// The clip hits (empty for an image search).
    pub fn clips(&self) -> &[SearchClip] {
        match self {
            SearchResults::Clips(clips) => clips,
            SearchResults::Images(_) => &[],
        }
    }
}

/// Parameters of `POST /search_public` (public library, JSON body).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicSearchParams {
    /// The query, in English. Must not be empty.
    pub search_param: String,
    /// `BY_VIDEO` (default, always sent) or `BY_AUDIO`.
    pub search_type: SearchType,
    /// The platform (`TIKTOK` unless set).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// The number of hits, 1–1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// A minimum relevance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtering_level: Option<FilteringLevel>,
}

impl PublicSearchParams {
    /// A `BY_VIDEO` search of the public library for `query`.
    pub fn new(query: impl Into<String>) -> PublicSearchParams {
        PublicSearchParams {
            search_param: query.into(),
            search_type: SearchType::ByVideo,
            platform: None,
            top_k: None,
            filtering_level: None,
        }
    }

    /// Searches `search_type`.
    pub fn search_type(mut self, search_type: SearchType) -> Self {
        self.search_type = search_type;
        self
    }

    /// Searches `platform`'s videos.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// Returns at most `top_k` hits.
    pub fn top_k(mut self, top_k: u32) -> Self {
        self.top_k = Some(top_k);
        self
    }

    /// Drops hits below `level`.
    pub fn filtering_level(mut self, level: FilteringLevel) -> Self {
        self.filtering_level = Some(level);
        self
    }
}

/// Parameters of `GET /search_audio_transcripts` and
/// `GET /search_public_audio_transcripts` (exact phrase match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptSearchParams {
    /// The phrase. Must not be empty.
    pub query: String,
    /// The 1-based page.
    pub page: Option<u32>,
    /// Hits per page, 1–500.
    pub page_size: Option<u32>,
    /// The namespace (private search only); the client's default when `None`.
    pub unique_id: Option<String>,
}

impl TranscriptSearchParams {
    /// A search for the phrase `query`.
    pub fn new(query: impl Into<String>) -> TranscriptSearchParams {
        TranscriptSearchParams {
            query: query.into(),
            page: None,
            page_size: None,
            unique_id: None,
        }
    }

    /// Requests page `page` (1-based).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Requests `page_size` hits per page (1–500).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Searches namespace `unique_id` (ignored by the public search).
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    fn request(&self, template: &'static str) -> Result<ApiRequest> {
        non_empty("query", &self.query)?;
        in_range("page", self.page, 1..=u32::MAX)?;
        in_range("page_size", self.page_size, 1..=500)?;
        Ok(ApiRequest::get(template)
            .query("query", &self.query)
            .query_opt("page", self.page)
            .query_opt("page_size", self.page_size))
    }
}

/// One transcript phrase hit.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptHit {
    /// The video id.
    #[serde(rename = "videoNo", alias = "video_no")]
    pub video_no: String,
    /// The video name.
    #[serde(default, rename = "videoName", alias = "video_name")]
    pub video_name: Option<String>,
    /// Where the phrase is spoken, in seconds.
    #[serde(
        default,
        rename = "startTime",
        alias = "start_time",
        deserialize_with = "de::number"
    )]
    pub start_time: Option<f64>,
    /// The matched transcript text.
    #[serde(default)]
    pub audio_ts: Option<String>,
    /// Storage bucket of the video.
    #[serde(default)]
    pub video_bucket: Option<String>,
    /// Storage object of the video.
    #[serde(default)]
    pub video_blob: Option<String>,
}

/// A page of transcript phrase hits.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptSearchPage {
    /// The hits.
    #[serde(default, deserialize_with = "de::list")]
    pub videos: Vec<TranscriptHit>,
    /// The page number.
    #[serde(default, deserialize_with = "de::number")]
    pub current_page: Option<u32>,
    /// Hits per page.
    #[serde(default, deserialize_with = "de::number")]
    pub page_size: Option<u32>,
    /// Hits in all pages (a string on the wire).
    #[serde(default, deserialize_with = "de::number")]
    pub total_count: Option<u64>,
}

/// Parameters of `POST /search_similar_images` and
/// `POST /search_public_similar_images` (multipart).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSearchParams {
    /// The query image (`.jpg .jpeg .png .gif .bmp .webp`, at most 20 MB).
    pub path: PathBuf,
    /// The minimum similarity, 0–1 (the API's default 0.85).
    pub similarity: Option<f64>,
    /// The namespace (private search); the client's default when `None`.
    pub unique_id: Option<String>,
    /// The platform (public search; `TIKTOK` unless set).
    pub platform: Option<Platform>,
}

impl ImageSearchParams {
    /// Searches with the image at `path`.
    pub fn new(path: impl Into<PathBuf>) -> ImageSearchParams {
        ImageSearchParams {
            path: path.into(),
            similarity: None,
            unique_id: None,
            platform: None,
        }
    }

    /// Keeps matches at least this similar (0–1).
    pub fn similarity(mut self, similarity: f64) -> Self {
        self.similarity = Some(similarity);
        self
    }

    /// Searches namespace `unique_id` (private search).
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Searches `platform`'s videos (public search).
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }
}

/// One video moment similar to the query image.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageMatch {
    /// The video id.
    #[serde(rename = "videoNo", alias = "video_no")]
    pub video_no: String,
    /// The video name.
    #[serde(default, rename = "videoName", alias = "video_name")]
    pub video_name: Option<String>,
    /// Where the match starts, in seconds.
    #[serde(
        default,
        rename = "startTime",
        alias = "start_time",
        deserialize_with = "de::number"
    )]
    pub start_time: Option<f64>,
    /// Where it ends (public search only).
    #[serde(
        default,
        rename = "endTime",
        alias = "end_time",
        deserialize_with = "de::number"
    )]
    pub end_time: Option<f64>,
    /// Similarity, 0–1.
    #[serde(default, deserialize_with = "de::number")]
    pub score: Option<f64>,
    /// Storage bucket of the video.
    #[serde(default)]
    pub video_bucket: Option<String>,
    /// Storage object of the video.
    #[serde(default)]
    pub video_blob: Option<String>,
}

/// Parameters of `POST /search_clips_by_image` (multipart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClipsByImageParams {
    /// The query image.
    pub path: PathBuf,
    /// The video to search in.
    pub video_no: String,
    /// What to look for. Must not be empty.
    pub prompt: String,
    /// The namespace; the client's default when `None`.
    pub unique_id: Option<String>,
}

impl ClipsByImageParams {
    /// Searches `video_no` for the image at `path`, steered by `prompt`.
    pub fn new(
        path: impl Into<PathBuf>,
        video_no: impl Into<String>,
        prompt: impl Into<String>,
    ) -> ClipsByImageParams {
        ClipsByImageParams {
            path: path.into(),
            video_no: video_no.into(),
            prompt: prompt.into(),
            unique_id: None,
        }
    }

    /// Uses namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }
}

/// One clip of `POST /search_clips_by_image` (times are floats here, with
/// snake_case names).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipMatch {
    /// Start in seconds.
    #[serde(default, alias = "startTime", deserialize_with = "de::number")]
    pub start_time: Option<f64>,
    /// End in seconds.
    #[serde(default, alias = "endTime", deserialize_with = "de::number")]
    pub end_time: Option<f64>,
    /// Relevance, 0–1.
    #[serde(default, deserialize_with = "de::number")]
    pub score: Option<f64>,
    /// Storage bucket of the video.
    #[serde(default)]
    pub video_bucket: Option<String>,
    /// Storage object of the video.
    #[serde(default)]
    pub video_blob: Option<String>,
}

/// The image part of an image search.
fn image_part(path: &std::path::Path) -> Result<FilePart> {
    let content_type = check_file(path, None, &IMAGE_EXTENSIONS, "image/", MAX_IMAGE_BYTES)?;
    Ok(FilePart::new(path).content_type(content_type))
}

fn check_similarity(similarity: Option<f64>) -> Result<()> {
    match similarity {
        Some(s) if !(0.0..=1.0).contains(&s) => Err(media_core::Error::InvalidInput(format!(
            "`similarity` must be in 0..=1, got {s}"
        ))),
        _ => Ok(()),
    }
}

impl Search<'_> {
    /// `POST /search_similar_images` (multipart): video moments of the
    /// private library similar to an image.
    pub async fn search_similar_images(
        &self,
        params: &ImageSearchParams,
    ) -> Result<Vec<ImageMatch>> {
        check_similarity(params.similarity)?;
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        let form = Multipart::new()
            .file("file", image_part(&params.path)?)
            .text_opt("similarity", params.similarity.map(|s| s.to_string()))
            .text("unique_id", unique_id);
        let request = ApiRequest::post("/search_similar_images")
            .multipart(form)
            .idempotent(true);
        Ok(self
            .client
            .call::<Option<Vec<ImageMatch>>>(&request)
            .await?
            .unwrap_or_default())
    }

    /// `POST /search_public_similar_images` (multipart): video moments of the
    /// public library similar to an image.
    pub async fn search_public_similar_images(
        &self,
        params: &ImageSearchParams,
    ) -> Result<Vec<ImageMatch>> {
        check_similarity(params.similarity)?;
        let form = Multipart::new()
            .file("file", image_part(&params.path)?)
            .text_opt("similarity", params.similarity.map(|s| s.to_string()))
            .text_opt("type", params.platform.as_ref().map(Platform::as_str));
        let request = ApiRequest::post("/search_public_similar_images")
            .multipart(form)
            .idempotent(true);
        Ok(self
            .client
            .call::<Option<Vec<ImageMatch>>>(&request)
            .await?
            .unwrap_or_default())
    }

    /// `POST /search_clips_by_image` (multipart): clips of one video that
    /// match an image and a prompt.
    pub async fn search_clips_by_image(
        &self,
        params: &ClipsByImageParams,
    ) -> Result<Vec<ClipMatch>> {
        non_empty("video_no", &params.video_no)?;
        non_empty("prompt", &params.prompt)?;
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        let form = Multipart::new()
            .file("file", image_part(&params.path)?)
            .text("video_no", params.video_no.as_str())
            .text("prompt", params.prompt.as_str())
            .text("unique_id", unique_id);
        let request = ApiRequest::post("/search_clips_by_image")
            .multipart(form)
            .idempotent(true);
        Ok(self
            .client
            .call::<Option<Vec<ClipMatch>>>(&request)
            .await?
            .unwrap_or_default())
    }
}

impl<'a> Search<'a> {
    pub(crate) fn new(client: &'a Client) -> Search<'a> {
        Search { client }
    }

    /// `POST /search`: semantic search of the private library. A `null`
    /// answer is an empty list of clips.
    pub async fn search(&self, params: &SearchParams) -> Result<SearchResults> {
        params.validate()?;
        let mut body = params.clone();
        body.unique_id = Some(
            self.client
                .namespace(params.unique_id.as_deref())?
                .to_owned(),
        );
        let request = ApiRequest::post("/search").json(&body).idempotent(true);
        Ok(self
            .client
            .call::<Option<SearchResults>>(&request)
            .await?
            .unwrap_or(SearchResults::Clips(Vec::new())))
    }

    /// `POST /search_public`: semantic search of the public library.
    pub async fn search_public(&self, params: &PublicSearchParams) -> Result<Vec<SearchClip>> {
        non_empty("search_param", &params.search_param)?;
        in_range("top_k", params.top_k, 1..=1000)?;
        let request = ApiRequest::post("/search_public")
            .json(params)
            .idempotent(true);
        Ok(self
            .client
            .call::<Option<Vec<SearchClip>>>(&request)
            .await?
            .unwrap_or_default())
    }

    /// `GET /search_audio_transcripts`: exact phrase search in private audio
    /// transcripts.
    pub async fn search_audio_transcripts(
        &self,
        params: &TranscriptSearchParams,
    ) -> Result<TranscriptSearchPage> {
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        let request = params
            .request("/search_audio_transcripts")?
            .query("unique_id", unique_id);
        self.transcript_page(&request, params).await
    }

    /// `GET /search_public_audio_transcripts`: exact phrase search in public
    /// transcripts (no namespace is sent).
    pub async fn search_public_audio_transcripts(
        &self,
        params: &TranscriptSearchParams,
    ) -> Result<TranscriptSearchPage> {
        let request = params.request("/search_public_audio_transcripts")?;
        self.transcript_page(&request, params).await
    }

    async fn transcript_page(
        &self,
        request: &ApiRequest,
        params: &TranscriptSearchParams,
    ) -> Result<TranscriptSearchPage> {
        Ok(self
            .client
            .call::<Option<TranscriptSearchPage>>(request)
            .await?
            .unwrap_or(TranscriptSearchPage {
                videos: Vec::new(),
                current_page: params.page,
                page_size: params.page_size,
                total_count: Some(0),
            }))
    }
}
