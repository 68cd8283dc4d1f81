//! The Upload group: videos from a file or a direct URL, imports from social
//! platforms (post URLs, creator profiles, hashtags; private or public
//! library), and images.
//!
//! Endpoints: `POST /upload` (multipart), `POST /upload_url` (form-encoded),
//! `POST /scraper_url`, `/scraper_url_public`, `/scraper`, `/scraper_public`,
//! `/scraper_tag`, `/scraper_tag_public` (JSON), `POST /upload_img`
//! (multipart). Built on them: [`Upload::wait_for_import`].
//!
//! Processing is asynchronous: an upload answers `UNPARSE` at once (wait
//! with [`crate::Library::wait_until_parsed`]); an import answers a `taskId`
//! to poll with `get_video_ids_by_task_id` (wait with [`Upload::wait_for_import`]).

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

use media_core::ProgressFn;
use media_core::http::{ApiRequest, FilePart, Multipart};
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::common::{VideoStatus, coordinates, non_empty, wire};
use crate::de;
use crate::library::{GetMetadataParams, ImportTaskStatus, TaskParams, VideoMetadata};

/// The Upload endpoints, borrowed from a [`Client`] by [`Client::upload`].
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub(crate) client: &'a Client,
}

/// The optional fields every video upload (`/upload`, `/upload_url`) takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UploadOptions {
    /// The namespace; the client's default when `None`.
    pub unique_id: Option<String>,
    /// A URL the API POSTs `{videoNo, status}` to when parsing ends (see
    /// [`crate::parse_callback`]).
    pub callback: Option<String>,
    /// When the footage was captured, `YYYY-MM-DD HH:MM:SS`.
    pub datetime_taken: Option<String>,
    /// The camera or device.
    pub camera_model: Option<String>,
    /// Decimal latitude, with `longitude`.
    pub latitude: Option<String>,
    /// Decimal longitude, with `latitude`.
    pub longitude: Option<String>,
    /// Tags, sent as a repeated field.
    pub tags: Vec<String>,
    /// Keep the source file (needed to `download` it later).
    pub retain_original_video: Option<bool>,
    /// Steers the visual transcription.
    pub video_transcription_prompt: Option<String>,
}

impl UploadOptions {
    /// The form fields, in the documented order, `unique_id` resolved.
    pub(crate) fn fields(&self, unique_id: &str) -> Result<Vec<(&'static str, String)>> {
        coordinates(self.latitude.as_ref(), self.longitude.as_ref())?;
        let mut fields = vec![("unique_id", unique_id.to_owned())];
        let optional = [
            ("callback", &self.callback),
            ("datetime_taken", &self.datetime_taken),
            ("camera_model", &self.camera_model),
            ("latitude", &self.latitude),
            ("longitude", &self.longitude),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.push((name, value.clone()));
            }
        }
        for tag in &self.tags {
            fields.push(("tags", tag.clone()));
        }
        if let Some(retain) = self.retain_original_video {
            fields.push(("retain_original_video", retain.to_string()));
        }
        if let Some(prompt) = &self.video_transcription_prompt {
            fields.push(("video_transcription_prompt", prompt.clone()));
        }
        Ok(fields)
    }
}

/// Setters for the [`UploadOptions`] of an upload request.
macro_rules! upload_setters {
    () => {
        /// Uploads into namespace `unique_id`.
        pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
            self.options.unique_id = Some(unique_id.into());
            self
        }

        /// Asks the API to POST the parse result to `url`.
        pub fn callback(mut self, url: impl Into<String>) -> Self {
            self.options.callback = Some(url.into());
            self
        }

        /// Records the capture time, `YYYY-MM-DD HH:MM:SS`.
        pub fn datetime_taken(mut self, taken: impl Into<String>) -> Self {
            self.options.datetime_taken = Some(taken.into());
            self
        }

        /// Records the camera model.
        pub fn camera_model(mut self, model: impl Into<String>) -> Self {
            self.options.camera_model = Some(model.into());
            self
        }

        /// Records where it was captured (decimal degrees).
        pub fn location(
            mut self,
            latitude: impl Into<String>,
            longitude: impl Into<String>,
        ) -> Self {
            self.options.latitude = Some(latitude.into());
            self.options.longitude = Some(longitude.into());
            self
        }

        /// Adds tags.
        pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
            self.options.tags.extend(tags.into_iter().map(Into::into));
            self
        }

        /// Keeps (or not) the original file.
        pub fn retain_original_video(mut self, retain: bool) -> Self {
            self.options.retain_original_video = Some(retain);
            self
        }

        /// Steers the visual transcription with `prompt`.
        pub fn video_transcription_prompt(mut self, prompt: impl Into<String>) -> Self {
            self.options.video_transcription_prompt = Some(prompt.into());
            self
        }
    };
}

/// Parameters of `POST /upload_url` (form-encoded).
#[derive(Debug, Clone, PartialEq)]
pub struct UploadUrlParams {
    /// A direct, unauthenticated link to an mp4 or an absolute-path m3u8.
    pub url: String,
    /// The optional fields.
    pub options: UploadOptions,
}

impl UploadUrlParams {
    /// Ingests the video at `url`.
    pub fn new(url: impl Into<String>) -> UploadUrlParams {
        UploadUrlParams {
            url: url.into(),
            options: UploadOptions::default(),
        }
    }

    upload_setters!();
}

/// The video file extensions `/upload` accepts.
const VIDEO_EXTENSIONS: [&str; 4] = ["mp4", "avi", "mkv", "mov"];

/// The largest video `/upload` accepts (3 GB).
const MAX_VIDEO_BYTES: u64 = 3 * 1024 * 1024 * 1024;

/// The image file extensions `/upload_img` and the image searches accept.
pub(crate) const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "gif", "bmp", "webp"];

/// The largest image the API accepts (20 MB).
pub(crate) const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// Parameters of `POST /upload` (multipart): a local video file, streamed
/// from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadFileParams {
    /// The file: `.mp4`, `.avi`, `.mkv` or `.mov`, at most 3 GB.
    pub path: PathBuf,
    /// The part's content type; guessed from the extension when `None`
    /// (it must start with `video/`).
    pub content_type: Option<String>,
    /// The optional fields.
    pub options: UploadOptions,
}

impl UploadFileParams {
    /// Uploads the video at `path`.
    pub fn new(path: impl Into<PathBuf>) -> UploadFileParams {
        UploadFileParams {
            path: path.into(),
            content_type: None,
            options: UploadOptions::default(),
        }
    }

    /// Sends the file part as `content_type` (e.g. `video/mp4`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    upload_setters!();
}

/// Checks a file to upload: a documented extension (unless the content type
/// is given), a content type of the right family, a size within `max`.
/// Returns the content type to send.
pub(crate) fn check_file(
    path: &Path,
    content_type: Option<&str>,
    extensions: &[&str],
    family: &str,
    max: u64,
) -> Result<String> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let content_type = match content_type {
        Some(content_type) => content_type.to_owned(),
        None if extensions.contains(&extension.as_str()) => {
            media_core::MediaKind::mime_for_extension(&extension)
                .map_or_else(|| format!("{family}{extension}"), str::to_owned)
        }
        None => {
            return Err(Error::InvalidInput(format!(
                "{} is not one of the accepted types ({})",
                path.display(),
                extensions.join(", ")
            )));
        }
    };
    if !content_type.starts_with(family) {
        return Err(Error::InvalidInput(format!(
            "the content type of {} must start with {family}, got {content_type}",
            path.display()
        )));
    }
    let size = std::fs::metadata(path)
        .map_err(|err| {
            Error::Io(std::io::Error::new(
                err.kind(),
                format!("{}: {err}", path.display()),
            ))
        })?
        .len();
    if size > max {
        return Err(Error::InvalidInput(format!(
            "{} is {size} bytes; the API accepts at most {max}",
            path.display()
        )));
    }
    Ok(content_type)
}

/// Parameters of `POST /upload_img` (multipart, one `files` part per image).
#[derive(Debug, Clone, PartialEq)]
pub struct UploadImagesParams {
    /// The images (`.jpg .jpeg .png .gif .bmp .webp`, at most 20 MB each).
    pub paths: Vec<PathBuf>,
    /// The optional fields, applied to every image (`callback`,
    /// `retain_original_video` and `video_transcription_prompt` are not sent).
    pub options: UploadOptions,
}

impl UploadImagesParams {
    /// Uploads the images at `paths`.
    pub fn new<I: IntoIterator<Item = P>, P: Into<PathBuf>>(paths: I) -> UploadImagesParams {
        UploadImagesParams {
            paths: paths.into_iter().map(Into::into).collect(),
            options: UploadOptions::default(),
        }
    }

    /// Uploads into namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.options.unique_id = Some(unique_id.into());
        self
    }

    /// Records the capture time, `YYYY-MM-DD HH:MM:SS`.
    pub fn datetime_taken(mut self, taken: impl Into<String>) -> Self {
        self.options.datetime_taken = Some(taken.into());
        self
    }

    /// Records the camera model.
    pub fn camera_model(mut self, model: impl Into<String>) -> Self {
        self.options.camera_model = Some(model.into());
        self
    }

    /// Records where they were taken (decimal degrees).
    pub fn location(mut self, latitude: impl Into<String>, longitude: impl Into<String>) -> Self {
        self.options.latitude = Some(latitude.into());
        self.options.longitude = Some(longitude.into());
        self
    }

    /// Adds tags.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.options.tags.extend(tags.into_iter().map(Into::into));
        self
    }
}

/// One image accepted by `/upload_img`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedImage {
    /// The image id: an 18-digit JSON number on the wire (larger than 2^53),
    /// kept exactly as text.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
}

/// A video just accepted by `/upload` or `/upload_url`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedVideo {
    /// The new video id (`VI…`).
    #[serde(rename = "videoNo", alias = "video_no")]
    pub video_no: String,
    /// The stored name.
    #[serde(default, rename = "videoName", alias = "video_name")]
    pub video_name: Option<String>,
    /// `UNPARSE` right after upload.
    #[serde(
        default,
        rename = "videoStatus",
        alias = "video_status",
        alias = "status"
    )]
    pub video_status: Option<VideoStatus>,
    /// When it was accepted (epoch milliseconds on the wire).
    #[serde(
        default,
        rename = "uploadTime",
        alias = "upload_time",
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub upload_time: Option<DateTime<Utc>>,
}

/// An import task just created by one of the `scraper*` endpoints.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportTask {
    /// The task to poll with `get_video_ids_by_task_id` (one generated
    /// sample answers `data: {}`, hence optional).
    #[serde(default, rename = "taskId", alias = "task_id")]
    pub task_id: Option<String>,
}

/// The quality values `scraper_url` accepts.
const QUALITIES: [&str; 6] = ["360", "480", "720", "1080", "1440", "2160"];

/// Parameters of `POST /scraper_url` and `POST /scraper_url_public`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScraperUrlParams {
    /// Post or watch URLs, all from one platform (1–50 with `tiktok_post_urls`).
    pub video_urls: Vec<String>,
    /// Extra TikTok URLs (the older field).
    pub tiktok_post_urls: Vec<String>,
    /// The namespace (private import only); the client's default when `None`.
    pub unique_id: Option<String>,
    /// A URL told when the import finishes.
    pub callback_url: Option<String>,
    /// `"360"`, `"480"`, `"720"` (the API's default), `"1080"`, `"1440"` or `"2160"`.
    pub quality: Option<String>,
}

impl ScraperUrlParams {
    /// Imports the posts at `video_urls`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(video_urls: I) -> ScraperUrlParams {
        ScraperUrlParams {
            video_urls: video_urls.into_iter().map(Into::into).collect(),
            tiktok_post_urls: Vec::new(),
            unique_id: None,
            callback_url: None,
            quality: None,
        }
    }

    /// Adds TikTok post URLs in the older field.
    pub fn tiktok_post_urls<I: IntoIterator<Item = S>, S: Into<String>>(mut self, urls: I) -> Self {
        self.tiktok_post_urls
            .extend(urls.into_iter().map(Into::into));
        self
    }

    /// Imports into namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Asks for task callbacks at `url`.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// Downloads at `quality` (`"720"`, `"1080"`, …).
    pub fn quality(mut self, quality: impl Into<String>) -> Self {
        self.quality = Some(quality.into());
        self
    }

    fn body(&self, unique_id: Option<&str>) -> Result<Value> {
        let total = self.video_urls.len() + self.tiktok_post_urls.len();
        if !(1..=50).contains(&total) {
            return Err(Error::InvalidInput(format!(
                "an import takes 1 to 50 URLs, got {total}"
            )));
        }
        for url in self.video_urls.iter().chain(&self.tiktok_post_urls) {
            non_empty("video_urls[]", url)?;
        }
        if let Some(quality) = &self.quality
            && !QUALITIES.contains(&quality.as_str())
        {
            return Err(Error::InvalidInput(format!(
                "`quality` must be one of {QUALITIES:?}, got {quality:?}"
            )));
        }
        let mut body = Map::new();
        if !self.video_urls.is_empty() {
            body.insert("video_urls".into(), Value::from(self.video_urls.clone()));
        }
        if !self.tiktok_post_urls.is_empty() {
            body.insert(
                "tiktok_post_urls".into(),
                Value::from(self.tiktok_post_urls.clone()),
            );
        }
        insert_opt(&mut body, "unique_id", unique_id);
        insert_opt(&mut body, "callback_url", self.callback_url.as_deref());
        insert_opt(&mut body, "quality", self.quality.as_deref());
        Ok(Value::Object(body))
    }
}

/// Parameters of `POST /scraper` and `POST /scraper_public` (a creator profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScraperParams {
    /// The creator's profile **URL** (e.g. `https://www.tiktok.com/@someone`),
    /// despite the API's field name `username`.
    pub username: String,
    /// How many recent posts to import.
    pub scraper_cnt: Option<u32>,
    /// The namespace (private import only); the client's default when `None`.
    pub unique_id: Option<String>,
    /// A URL told when the import finishes.
    pub callback_url: Option<String>,
}

impl ScraperParams {
    /// Imports the recent posts of the profile at `profile_url`.
    pub fn new(profile_url: impl Into<String>) -> ScraperParams {
        ScraperParams {
            username: profile_url.into(),
            scraper_cnt: None,
            unique_id: None,
            callback_url: None,
        }
    }

    /// Imports the `count` most recent posts.
    pub fn scraper_cnt(mut self, count: u32) -> Self {
        self.scraper_cnt = Some(count);
        self
    }

    /// Imports into namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Asks for task callbacks at `url`.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    fn body(&self, unique_id: Option<&str>) -> Result<Value> {
        non_empty("username", &self.username)?;
        crate::common::in_range("scraper_cnt", self.scraper_cnt, 1..=u32::MAX)?;
        let mut body = Map::new();
        body.insert("username".into(), Value::from(self.username.clone()));
        if let Some(count) = self.scraper_cnt {
            body.insert("scraper_cnt".into(), Value::from(count));
        }
        insert_opt(&mut body, "unique_id", unique_id);
        insert_opt(&mut body, "callback_url", self.callback_url.as_deref());
        Ok(Value::Object(body))
    }
}

/// Parameters of `POST /scraper_tag` and `POST /scraper_tag_public` (TikTok hashtags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScraperTagParams {
    /// The hashtags, without `#` (a leading `#` is removed).
    pub hash_tags: Vec<String>,
    /// How many recent posts per hashtag.
    pub scraper_cnt: Option<u32>,
    /// The namespace (private import only); the client's default when `None`.
    pub unique_id: Option<String>,
    /// A URL told when the import finishes.
    pub callback: Option<String>,
}

impl ScraperTagParams {
    /// Imports recent posts for `hash_tags`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(hash_tags: I) -> ScraperTagParams {
        ScraperTagParams {
            hash_tags: hash_tags.into_iter().map(Into::into).collect(),
            scraper_cnt: None,
            unique_id: None,
            callback: None,
        }
    }

    /// Imports the `count` most recent posts per hashtag.
    pub fn scraper_cnt(mut self, count: u32) -> Self {
        self.scraper_cnt = Some(count);
        self
    }

    /// Imports into namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Asks for task callbacks at `url`.
    pub fn callback(mut self, url: impl Into<String>) -> Self {
        self.callback = Some(url.into());
        self
    }

    fn body(&self, unique_id: Option<&str>) -> Result<Value> {
        let tags: Vec<String> = self
            .hash_tags
            .iter()
            .map(|tag| tag.trim().trim_start_matches('#').to_owned())
            .collect();
        if tags.is_empty() || tags.iter().any(String::is_empty) {
            return Err(Error::InvalidInput(
                "`hash_tags` must hold at least one non-empty hashtag".into(),
            ));
        }
        crate::common::in_range("scraper_cnt", self.scraper_cnt, 1..=u32::MAX)?;
        let mut body = Map::new();
        body.insert("hash_tags".into(), Value::from(tags));
        if let Some(count) = self.scraper_cnt {
            body.insert("scraper_cnt".into(), Value::from(count));
        }
        insert_opt(&mut body, "unique_id", unique_id);
        insert_opt(&mut body, "callback", self.callback.as_deref());
        Ok(Value::Object(body))
    }
}

fn insert_opt(body: &mut Map<String, Value>, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        body.insert(name.to_owned(), Value::from(value));
    }
}

impl<'a> Upload<'a> {
    pub(crate) fn new(client: &'a Client) -> Upload<'a> {
        Upload { client }
    }

    /// `POST /upload` (multipart): uploads a local video, streamed from disk
    /// in constant memory, reporting the bytes sent to `progress`. The answer
    /// comes at once with status `UNPARSE`; wait with
    /// [`crate::Library::wait_until_parsed`].
    pub async fn file(
        &self,
        params: &UploadFileParams,
        progress: Option<ProgressFn>,
    ) -> Result<UploadedVideo> {
        let unique_id = self.client.namespace(params.options.unique_id.as_deref())?;
        let fields = params.options.fields(unique_id)?;
        let content_type = check_file(
            &params.path,
            params.content_type.as_deref(),
            &VIDEO_EXTENSIONS,
            "video/",
            MAX_VIDEO_BYTES,
        )?;
        let mut form = Multipart::new();
        for (name, value) in fields {
            form = form.text(name, value);
        }
        let form = form.file(
            "file",
            FilePart::new(&params.path).content_type(content_type),
        );
        let request = ApiRequest::post("/upload")
            .multipart(form)
            .progress_opt(progress);
        self.uploaded(&request).await
    }

    /// `POST /upload_img` (multipart): uploads images, each streamed from
    /// disk as one `files` part. One bad file makes the API reject the batch.
    pub async fn images(
        &self,
        params: &UploadImagesParams,
        progress: Option<ProgressFn>,
    ) -> Result<Vec<UploadedImage>> {
        if params.paths.is_empty() {
            return Err(Error::InvalidInput(
                "`paths` must name at least one image".into(),
            ));
        }
        let unique_id = self.client.namespace(params.options.unique_id.as_deref())?;
        let options = UploadOptions {
            callback: None,
            retain_original_video: None,
            video_transcription_prompt: None,
            ..params.options.clone()
        };
        let mut form = Multipart::new();
        for (name, value) in options.fields(unique_id)? {
            form = form.text(name, value);
        }
        for path in &params.paths {
            let content_type =
                check_file(path, None, &IMAGE_EXTENSIONS, "image/", MAX_IMAGE_BYTES)?;
            form = form.file("files", FilePart::new(path).content_type(content_type));
        }
        let request = ApiRequest::post("/upload_img")
            .multipart(form)
            .progress_opt(progress);
        Ok(self
            .client
            .call::<Option<Vec<UploadedImage>>>(&request)
            .await?
            .unwrap_or_default())
    }

    /// `POST /upload_url` (form-encoded): ingests a video from a direct URL.
    /// The answer comes at once with status `UNPARSE`.
    pub async fn url(&self, params: &UploadUrlParams) -> Result<UploadedVideo> {
        non_empty("url", &params.url)?;
        let unique_id = self.client.namespace(params.options.unique_id.as_deref())?;
        let mut fields = vec![("url", params.url.clone())];
        fields.extend(params.options.fields(unique_id)?);
        let request = ApiRequest::post("/upload_url").form(fields);
        self.uploaded(&request).await
    }

    pub(crate) async fn uploaded(&self, request: &ApiRequest) -> Result<UploadedVideo> {
        self.client
            .call::<Option<UploadedVideo>>(request)
            .await?
            .ok_or_else(|| Error::Decode {
                provider: Provider::MemoriesV1,
                http_status: 200,
                message: "the upload succeeded but `data` is null (no videoNo)".into(),
                body_snippet: String::new(),
            })
    }

    async fn task(&self, template: &'static str, body: &Value) -> Result<ImportTask> {
        let request = ApiRequest::post(template).json(body);
        Ok(self
            .client
            .call::<Option<ImportTask>>(&request)
            .await?
            .unwrap_or(ImportTask { task_id: None }))
    }

    /// `POST /scraper_url`: imports platform posts into the private library.
    pub async fn scraper_url(&self, params: &ScraperUrlParams) -> Result<ImportTask> {
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        self.task("/scraper_url", &params.body(Some(unique_id))?)
            .await
    }

    /// `POST /scraper_url_public`: imports platform posts into the shared
    /// public library (permanent; no namespace is sent).
    pub async fn scraper_url_public(&self, params: &ScraperUrlParams) -> Result<ImportTask> {
        self.task("/scraper_url_public", &params.body(None)?).await
    }

    /// `POST /scraper`: imports a creator's recent posts into the private library.
    pub async fn scraper(&self, params: &ScraperParams) -> Result<ImportTask> {
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        self.task("/scraper", &params.body(Some(unique_id))?).await
    }

    /// `POST /scraper_public`: imports a creator's recent posts into the
    /// public library.
    pub async fn scraper_public(&self, params: &ScraperParams) -> Result<ImportTask> {
        self.task("/scraper_public", &params.body(None)?).await
    }

    /// `POST /scraper_tag`: imports recent TikTok posts for hashtags into the
    /// private library.
    pub async fn scraper_tag(&self, params: &ScraperTagParams) -> Result<ImportTask> {
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        self.task("/scraper_tag", &params.body(Some(unique_id))?)
            .await
    }

    /// `POST /scraper_tag_public`: imports recent TikTok posts for hashtags
    /// into the public library.
    pub async fn scraper_tag_public(&self, params: &ScraperTagParams) -> Result<ImportTask> {
        self.task("/scraper_tag_public", &params.body(None)?).await
    }

    /// Waits for an import: polls `get_video_ids_by_task_id` until videos
    /// appear and all are `PARSE`, then returns each one's metadata.
    ///
    /// `on_update` sees every observation of the task. A video in a failure
    /// status (`FAILED`, `FAIL`, `PARSE_ERROR`) ends the wait with
    /// [`Error::TaskFailed`]; giving up after `options.max_wait` is
    /// [`Error::Timeout`]. With the older answer shape (ids only), each
    /// video's status is read with `get_metadata`.
    pub async fn wait_for_import<U>(
        &self,
        task: impl Into<TaskParams>,
        options: &PollOptions,
        on_update: U,
    ) -> Result<Vec<VideoMetadata>>
    where
        U: FnMut(&ImportTaskStatus) + Send,
    {
        let params = task.into();
        let client = self.client;
        let params_ref = &params;
        let what = format!("import task {}", params.task_id);
        let done = wait_until(
            Provider::MemoriesV1,
            &what,
            options,
            move || async move { import_state(client, params_ref).await },
            on_update,
        )
        .await?;
        let mut videos = Vec::new();
        for video_no in done.video_nos() {
            let mut video = GetMetadataParams::new(video_no);
            video.unique_id.clone_from(&params.unique_id);
            videos.push(client.library().get_metadata(&video).await?);
        }
        Ok(videos)
    }
}

/// One observation of an import for [`Upload::wait_for_import`].
async fn import_state(
    client: &Client,
    params: &TaskParams,
) -> Result<PollStatus<ImportTaskStatus>> {
    let status = client
        .library()
        .get_video_ids_by_task_id(params.clone())
        .await?;
    if status.is_downloading() {
        return Ok(PollStatus::Pending(status));
    }
    let mut all_parsed = true;
    let failed = |video_no: &str, state: &VideoStatus, cause: Option<&str>| Error::TaskFailed {
        provider: Provider::MemoriesV1,
        task_id: params.task_id.clone(),
        reason: format!(
            "video {video_no} failed: {}",
            cause.map_or_else(|| format!("status {state}"), str::to_owned)
        ),
    };
    if status.videos.is_empty() {
        for video_no in &status.video_ids {
            let mut video = GetMetadataParams::new(video_no.as_str());
            video.unique_id.clone_from(&params.unique_id);
            let metadata = client.library().get_metadata(&video).await?;
            match &metadata.status {
                Some(state) if state.is_failed() => {
                    return Err(failed(video_no, state, metadata.cause.as_deref()));
                }
                Some(VideoStatus::Parse) => {}
                _ => all_parsed = false,
            }
        }
    } else {
        for video in &status.videos {
            match &video.status {
                Some(state) if state.is_failed() => {
                    return Err(failed(&video.video_no, state, None));
                }
                Some(VideoStatus::Parse) => {}
                _ => all_parsed = false,
            }
        }
    }
    Ok(if all_parsed {
        PollStatus::Done(status)
    } else {
        PollStatus::Pending(status)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_fields_repeat_tags_and_keep_order() {
        let params = UploadUrlParams::new("https://x/v.mp4")
            .callback("https://me/cb")
            .location("39.9", "116.4")
            .tags(["a", "b"])
            .retain_original_video(true);
        let fields = params.options.fields("default").unwrap();
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "unique_id",
                "callback",
                "latitude",
                "longitude",
                "tags",
                "tags",
                "retain_original_video"
            ]
        );
        let half = UploadOptions {
            latitude: Some("1".into()),
            ..UploadOptions::default()
        };
        assert!(matches!(half.fields("u"), Err(Error::InvalidInput(_))));
    }

    #[test]
    fn scraper_bodies_validate() {
        let many: Vec<String> = (0..51).map(|i| format!("https://t/{i}")).collect();
        assert!(ScraperUrlParams::new(many).body(None).is_err());
        assert!(
            ScraperUrlParams::new(Vec::<String>::new())
                .body(None)
                .is_err()
        );
        assert!(
            ScraperUrlParams::new(["https://t/1"])
                .quality("999")
                .body(None)
                .is_err()
        );
        let body = ScraperTagParams::new(["#beach", "sunset"])
            .body(Some("u"))
            .unwrap();
        assert_eq!(body["hash_tags"], serde_json::json!(["beach", "sunset"]));
        assert!(ScraperTagParams::new(["#"]).body(None).is_err());
        assert!(ScraperParams::new(" ").body(None).is_err());
    }
}
