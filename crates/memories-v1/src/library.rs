//! The Library / utilities group: a private video's metadata and status.
//!
//! Endpoints: `GET /get_metadata`. Built on it: [`Library::wait_until_parsed`],
//! the poll-until-ready loop integrators otherwise write themselves.

use chrono::{DateTime, Utc};
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{VideoStatus, check_unique_id, wire};
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
