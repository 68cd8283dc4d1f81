//! The Library / utilities group: a private video's metadata and status.
//!
//! Endpoints: `GET /get_metadata`. Built on it: [`Library::wait_until_parsed`],
//! the poll-until-ready loop integrators otherwise write themselves.

use chrono::{DateTime, Utc};
use media_core::http::{ApiRequest, SaveOptions};
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{
    VideoStatus, check_unique_id, coordinates, id_list, in_range, non_empty, wire,
};
use crate::de;
use crate::envelope::decode;

/// The Library / utilities endpoints, borrowed from a [`Client`] by
/// [`Client::library`].
#[derive(Debug, Clone, Copy)]
pub struct Library<'a> {
    client: &'a Client,
}

/// Parameters of `GET /get_metadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetMetadataParams {
    /// The video id returned by an upload (`VI…`). Must not be empty.
    pub video_no: String,
    /// The namespace the video was uploaded to; the client's default
    /// (`"default"` unless configured) when `None`. Must not be empty when set.
    pub unique_id: Option<String>,
}

impl GetMetadataParams {
    /// Metadata of `video_no` in the client's default namespace.
    pub fn new(video_no: impl Into<String>) -> GetMetadataParams {
        GetMetadataParams {
            video_no: video_no.into(),
            unique_id: None,
        }
    }

    /// Reads from the namespace `unique_id` instead of the client's default.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> GetMetadataParams {
        self.unique_id = Some(unique_id.into());
        self
    }
}

impl From<&str> for GetMetadataParams {
    fn from(video_no: &str) -> GetMetadataParams {
        GetMetadataParams::new(video_no)
    }
}

impl From<String> for GetMetadataParams {
    fn from(video_no: String) -> GetMetadataParams {
        GetMetadataParams::new(video_no)
    }
}

impl From<&GetMetadataParams> for GetMetadataParams {
    fn from(params: &GetMetadataParams) -> GetMetadataParams {
        params.clone()
    }
}

/// One private video as `GET /get_metadata` describes it.
///
/// Numbers arrive as JSON numbers in the current docs and as numeric strings
/// in older docs and captured traffic; both decode alike. The capture-time
/// fields (`datetime_taken` .. `tags`) are present only when they were given
/// at upload and the video has been parsed; a video not yet parsed may lack
/// most basic fields too.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoMetadata {
    /// The video id (`VI…`).
    pub video_no: String,
    /// The name the video is stored under.
    #[serde(default)]
    pub video_name: Option<String>,
    /// Playing time in seconds (documented as an integer; a fraction is kept).
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub duration: Option<f64>,
    /// File size in bytes.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub size: Option<u64>,
    /// Processing status: `PARSE` when ready.
    #[serde(default)]
    pub status: Option<VideoStatus>,
    /// Why processing failed; only with a failure status. The literal string
    /// `"null"` the API sometimes sends is `None`.
    #[serde(default, deserialize_with = "media_core::de::opt_null_string")]
    pub cause: Option<String>,
    /// Upload time (sent as epoch milliseconds).
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_epoch_ms",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub create_time: Option<DateTime<Utc>>,
    /// Resolution label such as `720P` or `1080P`.
    #[serde(default)]
    pub resolution_label: Option<String>,
    /// Frames per second.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub fps: Option<f64>,
    /// Frame width in pixels.
    #[serde(default, deserialize_with = "media_core::de::opt_u32")]
    pub width: Option<u32>,
    /// Frame height in pixels.
    #[serde(default, deserialize_with = "media_core::de::opt_u32")]
    pub height: Option<u32>,
    /// When the footage was captured (sent as epoch milliseconds), as given at upload.
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_epoch_ms",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub datetime_taken: Option<DateTime<Utc>>,
    /// Camera or device model, as given at upload.
    #[serde(default)]
    pub camera_model: Option<String>,
    /// Decimal latitude, as given at upload.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub latitude: Option<f64>,
    /// Decimal longitude, as given at upload.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub longitude: Option<f64>,
    /// User tags; the server appends `api` to every API upload.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Storage bucket of the video, for the v2 `download` endpoint.
    #[serde(default)]
    pub bucket: Option<String>,
    /// Storage object of the video, for the v2 `download` endpoint.
    #[serde(default)]
    pub blob: Option<String>,
}

impl<'a> Library<'a> {
    pub(crate) fn new(client: &'a Client) -> Library<'a> {
        Library { client }
    }

    /// `GET /get_metadata`: the metadata and status of one private video.
    ///
    /// A video that does not exist in the namespace (the API answers
    /// `data: null`) is [`Error::NotFound`]. An empty `video_no` or an
    /// explicitly empty `unique_id` is [`Error::InvalidInput`], before
    /// anything is sent.
    pub async fn get_metadata(&self, params: &GetMetadataParams) -> Result<VideoMetadata> {
        let unique_id = params
            .unique_id
            .as_deref()
            .unwrap_or(self.client.unique_id());
        let mut request = ApiRequest::get("/get_metadata")
            .query("video_no", &params.video_no)
            .query("unique_id", unique_id);
        if params.video_no.trim().is_empty() {
            request.reject("`video_no` must not be empty");
        }
        if let Err(reason) = check_unique_id(unique_id) {
            request.reject(reason);
        }
        let video_no = params.video_no.as_str();
        self.client
            .engine()
            .execute(&request, |raw| {
                let http_status = raw.status.as_u16();
                decode::<Option<VideoMetadata>>(raw)?.ok_or_else(|| Error::NotFound {
                    provider: Provider::MemoriesV1,
                    http_status,
                    code: None,
                    message: format!("no video {video_no:?} in unique_id {unique_id:?}"),
                })
            })
            .await
    }

    /// Polls [`Library::get_metadata`] until the video is `PARSE` and returns
    /// its metadata, calling `on_update` with every observation.
    ///
    /// `video` is a `video_no` (`&str`, `String`) or a [`GetMetadataParams`]
    /// naming another namespace. A failure status (`FAILED`, `FAIL`,
    /// `PARSE_ERROR`) ends the wait with [`Error::TaskFailed`] carrying the
    /// video's `cause`; `UNPARSE` and statuses this version does not know keep
    /// it waiting; giving up after `options.max_wait` is [`Error::Timeout`].
    /// Any error of `get_metadata` (including [`Error::NotFound`]) ends the
    /// wait; throttling is retried by the client's retry policy first.
    pub async fn wait_until_parsed<U>(
        &self,
        video: impl Into<GetMetadataParams>,
        options: &PollOptions,
        on_update: U,
    ) -> Result<VideoMetadata>
    where
        U: FnMut(&VideoMetadata) + Send,
    {
        let params = video.into();
        let library = *self;
        let params_ref = &params;
        let what = format!("video {} to be parsed", params.video_no);
        wait_until(
            Provider::MemoriesV1,
            &what,
            options,
            move || async move { library.get_metadata(params_ref).await.and_then(parse_state) },
            on_update,
        )
        .await
    }
}

/// Parameters of `POST /list_videos`: a page of private videos, optionally
/// filtered. Every filter is optional; `page` and `size` must be positive.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ListVideosParams {
    /// The 1-based page (server default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Videos per page (server default 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
    /// The namespace; the client's default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// Only videos with exactly this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_name: Option<String>,
    /// Only this video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_no: Option<String>,
    /// Only these videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_nos: Option<Vec<String>>,
    /// Only videos in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// Only videos taken with this camera model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_model: Option<String>,
    /// Only videos with this tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Only videos captured at or after this time (sent as epoch milliseconds).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub datetime_taken: Option<DateTime<Utc>>,
    /// With `longitude`: only videos within about 20 km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// With `latitude`: only videos within about 20 km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

impl ListVideosParams {
    /// The first page of every video in the client's default namespace.
    pub fn new() -> ListVideosParams {
        ListVideosParams::default()
    }

    /// Requests page `page` (1-based).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Requests `size` videos per page.
    pub fn size(mut self, size: u32) -> Self {
        self.size = Some(size);
        self
    }

    /// Lists the namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Only videos named exactly `video_name`.
    pub fn video_name(mut self, video_name: impl Into<String>) -> Self {
        self.video_name = Some(video_name.into());
        self
    }

    /// Only the video `video_no`.
    pub fn video_no(mut self, video_no: impl Into<String>) -> Self {
        self.video_no = Some(video_no.into());
        self
    }

    /// Only these videos.
    pub fn video_nos<I: IntoIterator<Item = S>, S: Into<String>>(mut self, video_nos: I) -> Self {
        self.video_nos = Some(video_nos.into_iter().map(Into::into).collect());
        self
    }

    /// Only videos in `status`.
    pub fn status(mut self, status: impl Into<VideoStatus>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Only videos from `camera_model`.
    pub fn camera_model(mut self, camera_model: impl Into<String>) -> Self {
        self.camera_model = Some(camera_model.into());
        self
    }

    /// Only videos tagged `tag`.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// Only videos captured at or after `taken`.
    pub fn datetime_taken(mut self, taken: DateTime<Utc>) -> Self {
        self.datetime_taken = Some(taken);
        self
    }

    /// Only videos within about 20 km of this point.
    pub fn near(mut self, latitude: f64, longitude: f64) -> Self {
        self.latitude = Some(latitude);
        self.longitude = Some(longitude);
        self
    }
}

/// One video of a `POST /list_videos` page.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedVideo {
    /// The video id (`VI…`, legacy `VEI…`).
    #[serde(alias = "videoNo")]
    pub video_no: String,
    /// The stored name.
    #[serde(default, alias = "videoName")]
    pub video_name: Option<String>,
    /// Playing time in seconds (`"0"` while unparsed or failed).
    #[serde(default, deserialize_with = "de::number")]
    pub duration: Option<f64>,
    /// File size in bytes.
    #[serde(default, deserialize_with = "de::number")]
    pub size: Option<u64>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<VideoStatus>,
    /// The failure reason; the string `"null"` the API sends otherwise is `None`.
    #[serde(default, deserialize_with = "de::text")]
    pub cause: Option<String>,
    /// Upload time (epoch milliseconds on the wire).
    #[serde(
        default,
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub create_time: Option<DateTime<Utc>>,
    /// Capture time given at upload (epoch milliseconds on the wire).
    #[serde(
        default,
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub datetime_taken: Option<DateTime<Utc>>,
    /// Camera model given at upload.
    #[serde(default)]
    pub camera_model: Option<String>,
    /// Latitude given at upload.
    #[serde(default, deserialize_with = "de::number")]
    pub latitude: Option<f64>,
    /// Longitude given at upload.
    #[serde(default, deserialize_with = "de::number")]
    pub longitude: Option<f64>,
    /// Tags given at upload.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Storage bucket, for the v2 download endpoint.
    #[serde(default)]
    pub bucket: Option<String>,
    /// Storage object, for the v2 download endpoint.
    #[serde(default)]
    pub blob: Option<String>,
}

/// A page of `POST /list_videos`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoPage {
    /// The videos of this page.
    #[serde(default, deserialize_with = "de::list")]
    pub videos: Vec<ListedVideo>,
    /// The page number (1-based).
    #[serde(default, deserialize_with = "de::number")]
    pub current_page: Option<u32>,
    /// Videos per page.
    #[serde(default, deserialize_with = "de::number")]
    pub page_size: Option<u32>,
    /// Videos matching in all pages (a string in older answers).
    #[serde(default, deserialize_with = "de::number")]
    pub total_count: Option<u64>,
}

impl VideoPage {
    /// The next page number, or `None` when this one is the last.
    pub fn next_page(&self) -> Option<u32> {
        let page = self.current_page.unwrap_or(1);
        let size = self.page_size.filter(|s| *s > 0)?;
        let total = self.total_count?;
        if self.videos.is_empty() || u64::from(page) * u64::from(size) >= total {
            None
        } else {
            page.checked_add(1)
        }
    }
}

/// Parameters of `GET /get_video_ids_by_task_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskParams {
    /// The `taskId` an import returned.
    pub task_id: String,
    /// The namespace of the import; the client's default when `None`.
    pub unique_id: Option<String>,
}

impl TaskParams {
    /// The progress of import `task_id` in the client's default namespace.
    pub fn new(task_id: impl Into<String>) -> TaskParams {
        TaskParams {
            task_id: task_id.into(),
            unique_id: None,
        }
    }

    /// Reads the task in namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> TaskParams {
        self.unique_id = Some(unique_id.into());
        self
    }
}

impl From<&str> for TaskParams {
    fn from(task_id: &str) -> TaskParams {
        TaskParams::new(task_id)
    }
}

impl From<String> for TaskParams {
    fn from(task_id: String) -> TaskParams {
        TaskParams::new(task_id)
    }
}

impl From<&TaskParams> for TaskParams {
    fn from(params: &TaskParams) -> TaskParams {
        params.clone()
    }
}

/// One video an import task produced.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskVideo {
    /// The new private video id.
    #[serde(alias = "videoNo")]
    pub video_no: String,
    /// The name (usually the post title).
    #[serde(default, alias = "videoName")]
    pub video_name: Option<String>,
    /// Playing time in seconds.
    #[serde(default, deserialize_with = "de::number")]
    pub duration: Option<f64>,
    /// File size in bytes (null until known).
    #[serde(default, deserialize_with = "de::number")]
    pub size: Option<u64>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<VideoStatus>,
    /// Frames per second (null until parsed).
    #[serde(default, deserialize_with = "de::number")]
    pub fps: Option<f64>,
    /// Frame width.
    #[serde(default, deserialize_with = "de::number")]
    pub width: Option<u32>,
    /// Frame height.
    #[serde(default, deserialize_with = "de::number")]
    pub height: Option<u32>,
    /// When the video was created (epoch milliseconds on the wire).
    #[serde(
        default,
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub create_time: Option<DateTime<Utc>>,
    /// The platform URL it was imported from.
    #[serde(default)]
    pub video_url: Option<String>,
    /// Resolution label such as `720P` (null until parsed).
    #[serde(default)]
    pub resolution_label: Option<String>,
}

/// What `GET /get_video_ids_by_task_id` reports about an import.
///
/// Two shapes exist: the current `videos` list, and the older `taskId` plus
/// `video_ids`; both decode here and [`ImportTaskStatus::video_nos`] reads
/// either. Empty lists mean the platform download is still running.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportTaskStatus {
    /// The videos produced so far (current shape).
    #[serde(default, deserialize_with = "de::list")]
    pub videos: Vec<TaskVideo>,
    /// The task id (older shape).
    #[serde(
        default,
        rename = "taskId",
        alias = "task_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub task_id: Option<String>,
    /// The video ids produced so far (older shape).
    #[serde(
        default,
        deserialize_with = "de::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub video_ids: Vec<String>,
}

impl ImportTaskStatus {
    /// Every video id the task produced, from whichever shape was sent.
    pub fn video_nos(&self) -> Vec<&str> {
        if self.videos.is_empty() {
            self.video_ids.iter().map(String::as_str).collect()
        } else {
            self.videos.iter().map(|v| v.video_no.as_str()).collect()
        }
    }

    /// True while no video has appeared yet (the download is running).
    pub fn is_downloading(&self) -> bool {
        self.videos.is_empty() && self.video_ids.is_empty()
    }
}

/// Details of one private video as `GET /get_private_video_details` sends
/// them (third-party sources only; unverified).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateVideoDetails {
    /// The video id.
    #[serde(default, alias = "videoNo")]
    pub video_no: Option<String>,
    /// The stored name.
    #[serde(default, alias = "videoName")]
    pub video_name: Option<String>,
    /// Playing time in seconds.
    #[serde(default, deserialize_with = "de::number")]
    pub duration: Option<f64>,
    /// File size in bytes.
    #[serde(default, deserialize_with = "de::number")]
    pub size: Option<u64>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<VideoStatus>,
    /// Frames per second.
    #[serde(default, deserialize_with = "de::number")]
    pub fps: Option<f64>,
    /// Frame width.
    #[serde(default, deserialize_with = "de::number")]
    pub width: Option<u32>,
    /// Frame height.
    #[serde(default, deserialize_with = "de::number")]
    pub height: Option<u32>,
    /// A URL of the video.
    #[serde(default)]
    pub video_url: Option<String>,
    /// Resolution label such as `1080P`.
    #[serde(default)]
    pub resolution_label: Option<String>,
}

/// The namespaces of the account, from `GET /list_unique_ids`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueIds {
    /// Every `unique_id` in use (empty for a new account).
    #[serde(default, deserialize_with = "de::list")]
    pub unique_ids: Vec<String>,
}

/// Parameters of `POST /img_list_page` (third-party sources only; unverified).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageListParams {
    /// The 1-based page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Images per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// The namespace; the client's default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
}

impl ImageListParams {
    /// The first page in the client's default namespace.
    pub fn new() -> ImageListParams {
        ImageListParams::default()
    }

    /// Requests page `page` (1-based).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Requests `page_size` images per page.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Lists namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }
}

/// One image of `POST /img_list_page` (field names unverified; the ones
/// third-party code and the image-search answer use are all accepted).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedImage {
    /// The image id (an 18-digit number on the wire).
    #[serde(
        default,
        alias = "image_no",
        alias = "imageNo",
        deserialize_with = "de::opt_id"
    )]
    pub id: Option<String>,
    /// The image name.
    #[serde(default, alias = "image_name", alias = "imageName")]
    pub name: Option<String>,
    /// A URL of the image.
    #[serde(default)]
    pub img_url: Option<String>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<String>,
    /// Upload time (epoch milliseconds on the wire).
    #[serde(
        default,
        alias = "uploadTime",
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub upload_time: Option<DateTime<Utc>>,
}

/// A page of `POST /img_list_page` (unverified shape).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImagePage {
    /// The images (the list is accepted under `images`, `item`, `items`,
    /// `list` or `records`).
    #[serde(
        default,
        alias = "item",
        alias = "items",
        alias = "list",
        alias = "records",
        deserialize_with = "de::list"
    )]
    pub images: Vec<ListedImage>,
    /// The page number.
    #[serde(default, deserialize_with = "de::number")]
    pub current_page: Option<u32>,
    /// Images per page.
    #[serde(default, deserialize_with = "de::number")]
    pub page_size: Option<u32>,
    /// Images in all pages.
    #[serde(default, deserialize_with = "de::number")]
    pub total_count: Option<u64>,
}

/// A public-library (`PI-…`) video from `GET /get_public_video_detail`.
///
/// Engagement counts arrive as numeric strings and may be absent;
/// `publish_time` is in **seconds** where every other time is milliseconds.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicVideoDetail {
    /// The public video id (`PI-…`).
    pub video_no: String,
    /// The post caption.
    #[serde(default)]
    pub video_name: Option<String>,
    /// Playing time in seconds.
    #[serde(default, deserialize_with = "de::number")]
    pub duration: Option<f64>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<VideoStatus>,
    /// When it was indexed (epoch milliseconds on the wire).
    #[serde(
        default,
        deserialize_with = "de::millis",
        serialize_with = "wire::opt_epoch_ms"
    )]
    pub create_time: Option<DateTime<Utc>>,
    /// The platform's player or post URL.
    #[serde(default)]
    pub video_url: Option<String>,
    /// The creator's handle.
    #[serde(default)]
    pub blogger_id: Option<String>,
    /// Likes.
    #[serde(default, deserialize_with = "de::number")]
    pub like_count: Option<u64>,
    /// Shares.
    #[serde(default, deserialize_with = "de::number")]
    pub share_count: Option<u64>,
    /// Comments.
    #[serde(default, deserialize_with = "de::number")]
    pub comment_count: Option<u64>,
    /// Views.
    #[serde(default, deserialize_with = "de::number")]
    pub view_count: Option<u64>,
    /// Saves.
    #[serde(default, deserialize_with = "de::number")]
    pub collect_count: Option<u64>,
    /// Language of the caption text.
    #[serde(default)]
    pub text_language: Option<String>,
    /// The soundtrack.
    #[serde(default)]
    pub music_name: Option<String>,
    /// Hashtags, as one string.
    #[serde(default)]
    pub hash_tag: Option<String>,
    /// When the post was published (epoch **seconds** on the wire).
    #[serde(
        default,
        deserialize_with = "de::seconds",
        serialize_with = "wire::opt_epoch_secs"
    )]
    pub publish_time: Option<DateTime<Utc>>,
}

impl Library<'_> {
    /// `POST /list_videos`: one page of private videos (JSON body).
    ///
    /// Iterate pages with [`VideoPage::next_page`], or stream every video
    /// through [`media_core::AssetLister`] on [`Client`].
    pub async fn list_videos(&self, params: &ListVideosParams) -> Result<VideoPage> {
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        in_range("page", params.page, 1..=u32::MAX)?;
        in_range("size", params.size, 1..=u32::MAX)?;
        coordinates(params.latitude.as_ref(), params.longitude.as_ref())?;
        let mut body = params.clone();
        body.unique_id = Some(unique_id.to_owned());
        let request = ApiRequest::post("/list_videos")
            .json(&body)
            .idempotent(true);
        Ok(self
            .client
            .call::<Option<VideoPage>>(&request)
            .await?
            .unwrap_or(VideoPage {
                videos: Vec::new(),
                current_page: params.page,
                page_size: params.size,
                total_count: Some(0),
            }))
    }

    /// `GET /get_video_ids_by_task_id`: the videos an import task produced so
    /// far (empty while the platform download runs). See
    /// [`crate::Upload::wait_for_import`] to wait for the whole import.
    pub async fn get_video_ids_by_task_id(
        &self,
        params: impl Into<TaskParams>,
    ) -> Result<ImportTaskStatus> {
        let params = params.into();
        non_empty("task_id", &params.task_id)?;
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        let request = ApiRequest::get("/get_video_ids_by_task_id")
            .query("task_id", &params.task_id)
            .query("unique_id", unique_id);
        Ok(self
            .client
            .call::<Option<ImportTaskStatus>>(&request)
            .await?
            .unwrap_or(ImportTaskStatus {
                videos: Vec::new(),
                task_id: None,
                video_ids: Vec::new(),
            }))
    }

    /// `GET /get_private_video_details` (unverified: seen only in third-party
    /// code). A `null` answer is [`Error::NotFound`].
    #[deprecated(note = "use `Library::get_metadata` instead (the documented call)")]
    pub async fn get_private_video_details(
        &self,
        params: &GetMetadataParams,
    ) -> Result<PrivateVideoDetails> {
        non_empty("video_no", &params.video_no)?;
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        let request = ApiRequest::get("/get_private_video_details")
            .query("video_no", &params.video_no)
            .query("unique_id", unique_id);
        self.client
            .call::<Option<PrivateVideoDetails>>(&request)
            .await?
            .ok_or_else(|| not_found(&params.video_no, unique_id))
    }

    /// `POST /delete_videos`: permanently deletes 1 to 100 private videos.
    ///
    /// The body is a bare JSON array of ids and `unique_id` travels in the
    /// query. Unknown ids are ignored by the API (the call still succeeds).
    pub async fn delete_videos<I, S>(&self, video_nos: I, unique_id: Option<&str>) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = video_nos.into_iter().map(Into::into).collect();
        id_list("video_nos", &ids, 100)?;
        let unique_id = self.client.namespace(unique_id)?;
        let request = ApiRequest::post("/delete_videos")
            .query("unique_id", unique_id)
            .json(&ids)
            .idempotent(true);
        self.client
            .call::<Option<serde_json::Value>>(&request)
            .await
            .map(drop)
    }

    /// `POST /download` (JSON body): streams the original file of a private
    /// video into `path` (through a temporary file, moved into place at the
    /// end), reporting bytes to `progress`; returns the bytes written.
    ///
    /// The answer's `Content-Type` is checked before anything is written: a
    /// JSON envelope instead of bytes (`"0001"` video not found, `"0429"`,
    /// or an original that was not retained) is the typed error. An existing
    /// file is kept unless `options` allows overwriting it.
    pub async fn download(
        &self,
        video: impl Into<GetMetadataParams>,
        path: impl AsRef<std::path::Path>,
        options: SaveOptions,
        progress: Option<media_core::ProgressFn>,
    ) -> Result<u64> {
        let video = video.into();
        non_empty("video_no", &video.video_no)?;
        let unique_id = self.client.namespace(video.unique_id.as_deref())?;
        let body = serde_json::json!({"video_no": video.video_no, "unique_id": unique_id});
        let request = ApiRequest::post("/download").json(&body).idempotent(true);
        let answer = self
            .client
            .engine()
            .stream(&request, decode::<serde_json::Value>)
            .await?;
        let is_json = answer.is_json()
            || answer
                .content_type()
                .is_some_and(|ct| ct.starts_with("text/"));
        if is_json {
            let raw = answer.into_raw().await?;
            let http_status = raw.status.as_u16();
            decode::<serde_json::Value>(raw)?;
            return Err(Error::Decode {
                provider: Provider::MemoriesV1,
                http_status,
                message: "expected the video's bytes, got a JSON success envelope".into(),
                body_snippet: String::new(),
            });
        }
        answer.save_to(path, options, progress).await
    }

    /// `GET /list_unique_ids`: every namespace of the account (unpaginated).
    pub async fn list_unique_ids(&self) -> Result<UniqueIds> {
        let request = ApiRequest::get("/list_unique_ids");
        Ok(self
            .client
            .call::<Option<UniqueIds>>(&request)
            .await?
            .unwrap_or(UniqueIds {
                unique_ids: Vec::new(),
            }))
    }

    /// `POST /img_list_page`: a page of uploaded images (unverified: seen only
    /// in third-party code).
    pub async fn img_list_page(&self, params: &ImageListParams) -> Result<ImagePage> {
        let unique_id = self.client.namespace(params.unique_id.as_deref())?;
        in_range("page", params.page, 1..=u32::MAX)?;
        in_range("page_size", params.page_size, 1..=u32::MAX)?;
        let mut body = params.clone();
        body.unique_id = Some(unique_id.to_owned());
        let request = ApiRequest::post("/img_list_page")
            .json(&body)
            .idempotent(true);
        Ok(self
            .client
            .call::<Option<ImagePage>>(&request)
            .await?
            .unwrap_or(ImagePage {
                images: Vec::new(),
                current_page: params.page,
                page_size: params.page_size,
                total_count: Some(0),
            }))
    }

    /// `GET /get_public_video_detail`: metadata and engagement of a public
    /// (`PI-…`) video. No namespace is sent. A `null` answer is
    /// [`Error::NotFound`].
    pub async fn get_public_video_detail(&self, video_no: &str) -> Result<PublicVideoDetail> {
        non_empty("video_no", video_no)?;
        let request = ApiRequest::get("/get_public_video_detail").query("video_no", video_no);
        self.client
            .call::<Option<PublicVideoDetail>>(&request)
            .await?
            .ok_or_else(|| Error::NotFound {
                provider: Provider::MemoriesV1,
                http_status: 200,
                code: None,
                message: format!("no public video {video_no:?}"),
            })
    }
}

fn not_found(video_no: &str, unique_id: &str) -> Error {
    Error::NotFound {
        provider: Provider::MemoriesV1,
        http_status: 200,
        code: None,
        message: format!("no video {video_no:?} in unique_id {unique_id:?}"),
    }
}

/// Classifies one observation for [`Library::wait_until_parsed`].
fn parse_state(video: VideoMetadata) -> Result<PollStatus<VideoMetadata>> {
    match &video.status {
        Some(VideoStatus::Parse) => Ok(PollStatus::Done(video)),
        Some(status) if status.is_failed() => Err(Error::TaskFailed {
            provider: Provider::MemoriesV1,
            reason: video
                .cause
                .clone()
                .unwrap_or_else(|| format!("status {status}")),
            task_id: video.video_no,
        }),
        _ => Ok(PollStatus::Pending(video)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn video(status: &str, cause: Option<&str>) -> VideoMetadata {
        serde_json::from_value(serde_json::json!({
            "video_no": "VI1", "status": status, "cause": cause
        }))
        .unwrap()
    }

    #[test]
    fn seed_001_envelope_decodes_through_the_shared_decoder() {
        let raw = media_core::http::RawResponse {
            provider: Provider::MemoriesV1,
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            body: include_str!("../tests/fixtures/seed_001_get_metadata.json")
                .to_owned()
                .into(),
        };
        let video = decode::<Option<VideoMetadata>>(raw).unwrap().unwrap();
        assert_eq!(video.video_no, "VI606404158946574336");
        assert_eq!(video.video_name.as_deref(), Some("182082-867762198_tiny"));
        assert_eq!(video.duration, Some(12.0));
        assert_eq!(video.size, Some(3_284_512));
        assert_eq!(video.status, Some(VideoStatus::Parse));
        assert_eq!(video.cause, None);
        assert_eq!(
            video.create_time.map(|t| t.timestamp_millis()),
            Some(1_754_037_217_992)
        );
        assert_eq!(video.resolution_label.as_deref(), Some("720P"));
        assert_eq!(video.fps, Some(30.0));
        assert_eq!((video.width, video.height), (Some(1280), Some(720)));
        assert_eq!(
            video.datetime_taken.map(|t| t.timestamp_millis()),
            Some(1_729_388_400_000)
        );
        assert_eq!(video.camera_model.as_deref(), Some("Canon EOS 5D"));
        assert_eq!(
            (video.latitude, video.longitude),
            (Some(39.9042), Some(116.4074))
        );
        assert_eq!(
            video.tags,
            Some(vec![
                "holiday".to_owned(),
                "beijing".to_owned(),
                "api".to_owned()
            ])
        );
        assert_eq!((video.bucket, video.blob), (None, None));
    }

    #[test]
    fn numbers_strings_and_nulls() {
        let a: VideoMetadata = serde_json::from_str(
            r#"{"video_no":"VI1","duration":"42","size":"1024","fps":"29.97","width":"640",
                "height":"480","create_time":"1754037217992","datetime_taken":"null",
                "latitude":"39.9042","cause":"null","status":"UNPARSE","unknown":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(a.duration, Some(42.0));
        assert_eq!(a.size, Some(1024));
        assert_eq!(a.fps, Some(29.97));
        assert_eq!((a.width, a.height), (Some(640), Some(480)));
        assert_eq!(
            a.create_time,
            Some(
                Utc.with_ymd_and_hms(2025, 8, 1, 8, 33, 37).unwrap()
                    + chrono::Duration::milliseconds(992)
            )
        );
        assert_eq!(a.datetime_taken, None);
        assert_eq!(a.latitude, Some(39.9042));
        assert_eq!(a.cause, None);
        assert_eq!(a.status, Some(VideoStatus::Unparse));
        assert_eq!(a.tags, None);
    }

    #[test]
    fn serializes_back_to_the_wire_shape() {
        let a: VideoMetadata = serde_json::from_str(
            r#"{"video_no":"VI1","video_name":"n","duration":12,"size":3,"status":"FAIL","cause":"codec",
                "create_time":1754037217992,"datetime_taken":1729388400000,"tags":["api"],"bucket":"b","blob":"o"}"#,
        )
        .unwrap();
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["create_time"], 1_754_037_217_992_i64);
        assert_eq!(json["datetime_taken"], 1_729_388_400_000_i64);
        assert_eq!(json["status"], "FAIL");
        let back: VideoMetadata = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn params_default_to_the_client_namespace() {
        let params = GetMetadataParams::new("VI1");
        assert_eq!(params.unique_id, None);
        assert_eq!(GetMetadataParams::from("VI1"), params);
        assert_eq!(
            GetMetadataParams::from("VI1".to_owned())
                .unique_id("u")
                .unique_id
                .as_deref(),
            Some("u")
        );
    }

    #[test]
    fn poll_states() {
        assert!(matches!(
            parse_state(video("PARSE", None)),
            Ok(PollStatus::Done(_))
        ));
        assert!(matches!(
            parse_state(video("UNPARSE", None)),
            Ok(PollStatus::Pending(_))
        ));
        assert!(matches!(
            parse_state(video("INDEXING", None)),
            Ok(PollStatus::Pending(_))
        ));
        for status in ["FAILED", "FAIL", "PARSE_ERROR"] {
            let err = parse_state(video(status, Some("bad codec"))).unwrap_err();
            assert!(
                matches!(&err, Error::TaskFailed { task_id, reason, .. } if task_id == "VI1" && reason == "bad codec"),
                "{err:?}"
            );
        }
        let err = parse_state(video("FAIL", Some("null"))).unwrap_err();
        assert!(
            matches!(&err, Error::TaskFailed { reason, .. } if reason == "status FAIL"),
            "{err:?}"
        );
    }
}
