//! Asset: the media files registered in a project (`…/projects/{project_id}/assets`).

use std::fmt;
use std::time::Duration;

use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::{MediaKind, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Client;
use crate::page::{MAX_PAGE_SIZE, Page, PageParams};
use crate::time::{Timestamp, opt_timestamp};

const LIST_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}/assets";

/// One page of `GET …/assets`.
pub type AssetList = Page<Asset>;

/// The container format of an asset (`metaData.format`).
///
/// Matched case-insensitively (`jpeg` reads as [`AssetFormat::Jpg`]); a value
/// the docs do not list is kept verbatim in [`AssetFormat::Unknown`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AssetFormat {
    /// MPEG-4 video.
    Mp4,
    /// Matroska video.
    Mkv,
    /// QuickTime video.
    Mov,
    /// WebM video.
    Webm,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpg,
    /// HEIC image (converted to JPG by the service).
    Heic,
    /// A format this version does not know, as the server spelled it.
    Unknown(String),
}

impl AssetFormat {
    /// The wire spelling (`mp4`, `jpg`, ...; an unknown value as received).
    pub fn as_str(&self) -> &str {
        match self {
            AssetFormat::Mp4 => "mp4",
            AssetFormat::Mkv => "mkv",
            AssetFormat::Mov => "mov",
            AssetFormat::Webm => "webm",
            AssetFormat::Png => "png",
            AssetFormat::Jpg => "jpg",
            AssetFormat::Heic => "heic",
            AssetFormat::Unknown(other) => other,
        }
    }

    /// Video or image; an unknown format is classified by its name as a file extension.
    pub fn kind(&self) -> MediaKind {
        match self {
            AssetFormat::Mp4 | AssetFormat::Mkv | AssetFormat::Mov | AssetFormat::Webm => {
                MediaKind::Video
            }
            AssetFormat::Png | AssetFormat::Jpg | AssetFormat::Heic => MediaKind::Image,
            AssetFormat::Unknown(other) => MediaKind::from_extension(other),
        }
    }

    /// The MIME type (`video/mp4`, `image/jpeg`, ...), when one is known.
    pub fn mime(&self) -> Option<&'static str> {
        MediaKind::mime_for_extension(self.as_str())
    }
}

impl From<&str> for AssetFormat {
    fn from(text: &str) -> AssetFormat {
        let normal = text.trim().trim_start_matches('.').to_ascii_lowercase();
        match normal.as_str() {
            "mp4" => AssetFormat::Mp4,
            "mkv" => AssetFormat::Mkv,
            "mov" => AssetFormat::Mov,
            "webm" => AssetFormat::Webm,
            "png" => AssetFormat::Png,
            "jpg" | "jpeg" => AssetFormat::Jpg,
            "heic" => AssetFormat::Heic,
            _ => AssetFormat::Unknown(text.to_owned()),
        }
    }
}

impl From<String> for AssetFormat {
    fn from(text: String) -> AssetFormat {
        match AssetFormat::from(text.as_str()) {
            AssetFormat::Unknown(_) => AssetFormat::Unknown(text),
            known => known,
        }
    }
}

impl fmt::Display for AssetFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AssetFormat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AssetFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AssetFormat, D::Error> {
        String::deserialize(d).map(AssetFormat::from)
    }
}

/// Technical metadata of an asset (`metaData`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssetMetaData {
    /// Frame size as sent, e.g. `1920x1080`; see [`AssetMetaData::dimensions`].
    #[serde(default)]
    pub resolution: Option<String>,
    /// Playing time in milliseconds (`durationMs`).
    #[serde(rename = "durationMs", default, deserialize_with = "opt_millis")]
    pub duration_ms: Option<u64>,
    /// File size in bytes.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub size: Option<u64>,
    /// Container format.
    #[serde(default)]
    pub format: Option<AssetFormat>,
}

impl AssetMetaData {
    /// `(width, height)` parsed from [`AssetMetaData::resolution`]: `1920x1080`, also
    /// with `X`, `×` or `*` and spaces; `None` when it is absent or not of that form.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        parse_resolution(self.resolution.as_deref()?)
    }

    /// [`AssetMetaData::duration_ms`] as a [`Duration`].
    pub fn duration(&self) -> Option<Duration> {
        self.duration_ms.map(Duration::from_millis)
    }
}

fn parse_resolution(text: &str) -> Option<(u32, u32)> {
    let (width, height) = text.split_once(['x', 'X', '×', '*'])?;
    let width = width.trim().parse().ok()?;
    let height = height.trim().parse().ok()?;
    Some((width, height))
}

/// Milliseconds from an integer, a numeric string, or a fraction (rounded).
fn opt_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let Some(millis) = media_core::de::opt_f64(d)? else {
        return Ok(None);
    };
    if !(0.0..1.8e19).contains(&millis) {
        return Err(serde::de::Error::custom(format!(
            "{millis} is not a duration in milliseconds"
        )));
    }
    // Range-checked above; sub-millisecond fractions are rounded away.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(Some(millis.round() as u64))
}

/// One asset of a project, as `GET …/assets` lists it (`result.content[]`).
///
/// Every field but `assetId` is optional, as the docs mark them. The times carry
/// no zone on the wire and are kept as sent; see [`Timestamp`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// The asset id (`assetId`; the MAIU-era `videoId` is read here too).
    #[serde(
        rename = "assetId",
        alias = "videoId",
        deserialize_with = "media_core::de::u64_loose"
    )]
    pub asset_id: u64,
    /// The media file name (`fileName`).
    #[serde(rename = "fileName", default)]
    pub file_name: Option<String>,
    /// The project holding the asset (`projectId`).
    #[serde(
        rename = "projectId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub project_id: Option<u64>,
    /// Resolution, duration, size and format (`metaData`).
    #[serde(rename = "metaData", default)]
    pub meta_data: Option<AssetMetaData>,
    /// The full object key of the media in Object Storage.
    #[serde(default)]
    pub key: Option<String>,
    /// Who registered the asset (`createUserName`; `createdUserName` is accepted too,
    /// the spelling other resources use).
    #[serde(rename = "createUserName", alias = "createdUserName", default)]
    pub create_user_name: Option<String>,
    /// When the asset was registered (`createdTime`).
    #[serde(rename = "createdTime", default, deserialize_with = "opt_timestamp")]
    pub created_time: Option<Timestamp>,
    /// Who last edited the asset (`updateUserName`; `updatedUserName` is accepted too).
    #[serde(rename = "updateUserName", alias = "updatedUserName", default)]
    pub update_user_name: Option<String>,
    /// When the asset was last changed (`updatedTime`).
    #[serde(rename = "updatedTime", default, deserialize_with = "opt_timestamp")]
    pub updated_time: Option<Timestamp>,
}

impl Asset {
    /// The container format, when the metadata names one.
    pub fn format(&self) -> Option<&AssetFormat> {
        self.meta_data.as_ref()?.format.as_ref()
    }
}

/// Query of `GET …/assets`: `pageNum` (required, ≥ 1) and `pageSize` (1–1000,
/// server default 1000). Out-of-range values are rejected before sending.
pub type ListAssetsParams = PageParams;

/// Body of `POST …/assets/import/object-storage`: the object to register.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterAssetParams {
    /// The full object key in the bucket (`clips/launch.mp4`); folders are rejected.
    pub key: String,
    /// The Object Storage bucket (`bucketName`).
    #[serde(rename = "bucketName")]
    pub bucket_name: String,
}

impl RegisterAssetParams {
    /// Registers object `key` of bucket `bucket_name`.
    pub fn new(bucket_name: impl Into<String>, key: impl Into<String>) -> RegisterAssetParams {
        RegisterAssetParams {
            key: key.into(),
            bucket_name: bucket_name.into(),
        }
    }

    pub(crate) fn request(&self, template: &'static str) -> ApiRequest {
        let mut request = ApiRequest::post(template).json(self);
        if self.key.trim().is_empty() || self.key.ends_with('/') {
            request.reject(format!(
                "key must name an object, not a folder (error 10016), got {:?}",
                self.key
            ));
        }
        if self.bucket_name.trim().is_empty() {
            request.reject("bucketName must not be empty");
        }
        request
    }
}

const REGISTER_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/import/object-storage";
const ASSET_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}";
const VIDEO_REGISTER_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/video-assets/import/object-storage";
const VIDEO_LIST_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}/video-assets";
const VIDEO_ASSET_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/video-assets/{video_asset_id}";
const VIDEO_ANALYZE_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/video-assets/{video_asset_id}/analyze";

fn in_project(template: &'static str, workspace_name: &str, project_id: u64) -> ApiRequest {
    ApiRequest::get(template)
        .path_param("workspace_name", workspace_name)
        .path_param("project_id", &project_id.to_string())
}

fn with_project(request: ApiRequest, workspace_name: &str, project_id: u64) -> ApiRequest {
    request
        .path_param("workspace_name", workspace_name)
        .path_param("project_id", &project_id.to_string())
}

/// The Asset API group: `client.assets()`.
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    client: &'a Client,
}

impl<'a> Assets<'a> {
    pub(crate) fn new(client: &'a Client) -> Assets<'a> {
        Assets { client }
    }

    pub(crate) fn client(self) -> &'a Client {
        self.client
    }

    /// `POST /workspaces/{workspace_name}/projects/{project_id}/assets/import/object-storage`:
    /// registers an Object Storage object as an asset. The answer shows the new asset
    /// (the docs show `assetId` and `createUserName`; other fields when sent).
    pub async fn register(
        self,
        workspace_name: &str,
        project_id: u64,
        params: &RegisterAssetParams,
    ) -> Result<Asset> {
        let request = with_project(params.request(REGISTER_PATH), workspace_name, project_id);
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/projects/{project_id}/assets?pageNum=&pageSize=`:
    /// one page of the project's assets (`pageSize` 1–1000).
    pub async fn list(
        self,
        workspace_name: &str,
        project_id: u64,
        params: &ListAssetsParams,
    ) -> Result<AssetList> {
        let request = params.apply(
            in_project(LIST_PATH, workspace_name, project_id),
            MAX_PAGE_SIZE,
        );
        self.client.execute(&request).await
    }

    /// Every asset of the project, page by page (`page_size` items per request, 1–1000),
    /// fetched lazily as the stream is polled. The first error ends the stream.
    pub fn list_all(
        self,
        workspace_name: &str,
        project_id: u64,
        page_size: u32,
    ) -> BoxStream<'static, Result<Asset>> {
        let client = self.client.clone();
        let workspace_name = workspace_name.to_owned();
        crate::page::stream_pages(page_size, move |params| {
            let client = client.clone();
            let workspace_name = workspace_name.clone();
            async move {
                client
                    .assets()
                    .list(&workspace_name, project_id, &params)
                    .await
            }
        })
    }

    /// `DELETE /workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}`.
    pub async fn delete(self, workspace_name: &str, project_id: u64, asset_id: u64) -> Result<()> {
        let request = with_project(ApiRequest::delete(ASSET_PATH), workspace_name, project_id)
            .path_param("asset_id", &asset_id.to_string());
        self.client.execute(&request).await
    }

    /// `POST …/video-assets/import/object-storage`: the MAIU-era registration.
    /// Unverified as a live route (inferred from a curl example).
    #[deprecated(
        note = "MAIU-era route; use `Assets::register` (POST …/assets/import/object-storage) instead"
    )]
    pub async fn register_video(
        self,
        workspace_name: &str,
        project_id: u64,
        params: &RegisterAssetParams,
    ) -> Result<Asset> {
        let request = with_project(
            params.request(VIDEO_REGISTER_PATH),
            workspace_name,
            project_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/video-assets?pageNum=&pageSize=`: the MAIU-era list (items carry `videoId`,
    /// read into [`Asset::asset_id`]).
    #[deprecated(note = "MAIU-era route; use `Assets::list` (GET …/assets) instead")]
    pub async fn list_videos(
        self,
        workspace_name: &str,
        project_id: u64,
        params: &ListAssetsParams,
    ) -> Result<AssetList> {
        let request = params.apply(
            in_project(VIDEO_LIST_PATH, workspace_name, project_id),
            MAX_PAGE_SIZE,
        );
        self.client.execute(&request).await
    }

    /// `DELETE …/video-assets/{video_asset_id}`: the MAIU-era delete.
    #[deprecated(
        note = "MAIU-era route; use `Assets::delete` (DELETE …/assets/{asset_id}) instead"
    )]
    pub async fn delete_video(
        self,
        workspace_name: &str,
        project_id: u64,
        video_asset_id: u64,
    ) -> Result<()> {
        let request = with_project(
            ApiRequest::delete(VIDEO_ASSET_PATH),
            workspace_name,
            project_id,
        )
        .path_param("video_asset_id", &video_asset_id.to_string());
        self.client.execute(&request).await
    }

    /// `POST …/video-assets/{video_asset_id}/analyze`: the MAIU-era analysis request
    /// (removal planned January 2027).
    #[deprecated(
        note = "MAIU-era route removed in January 2027; use `Analysis::request` (POST …/assets/{asset_id}/index) instead"
    )]
    pub async fn analyze_video(
        self,
        workspace_name: &str,
        project_id: u64,
        video_asset_id: u64,
        params: &crate::index::AnalysisParams,
    ) -> Result<Option<crate::index::AnalysisStatus>> {
        let request = with_project(
            params.request(VIDEO_ANALYZE_PATH),
            workspace_name,
            project_id,
        )
        .path_param("video_asset_id", &video_asset_id.to_string());
        self.client.execute(&request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_open_and_case_insensitive() {
        assert_eq!(AssetFormat::from("MP4"), AssetFormat::Mp4);
        assert_eq!(AssetFormat::from("jpeg"), AssetFormat::Jpg);
        assert_eq!(AssetFormat::from("heic").kind(), MediaKind::Image);
        assert_eq!(AssetFormat::Mkv.mime(), Some("video/x-matroska"));
        assert_eq!(AssetFormat::Mov.mime(), Some("video/quicktime"));
        assert_eq!(AssetFormat::Jpg.mime(), Some("image/jpeg"));
        let odd = AssetFormat::from("MXF".to_owned());
        assert_eq!(odd, AssetFormat::Unknown("MXF".into()));
        assert_eq!(odd.as_str(), "MXF");
        assert_eq!(odd.kind(), MediaKind::Other);
        assert_eq!(AssetFormat::from("avi").kind(), MediaKind::Video);
        assert_eq!(
            serde_json::to_string(&AssetFormat::Webm).unwrap(),
            r#""webm""#
        );
    }

    #[test]
    fn resolutions_parse_leniently() {
        assert_eq!(parse_resolution("1920x1080"), Some((1920, 1080)));
        assert_eq!(parse_resolution("1280 X 720"), Some((1280, 720)));
        assert_eq!(parse_resolution("640×360"), Some((640, 360)));
        assert_eq!(parse_resolution("1080p"), None);
        assert_eq!(parse_resolution("x"), None);
    }

    #[test]
    fn durations_as_numbers_strings_or_fractions() {
        let meta = |json: &str| serde_json::from_str::<AssetMetaData>(json).unwrap();
        assert_eq!(meta(r#"{"durationMs":91565}"#).duration_ms, Some(91_565));
        assert_eq!(meta(r#"{"durationMs":"91565"}"#).duration_ms, Some(91_565));
        assert_eq!(meta(r#"{"durationMs":91565.4}"#).duration_ms, Some(91_565));
        assert_eq!(meta(r#"{"durationMs":null}"#).duration_ms, None);
        assert!(serde_json::from_str::<AssetMetaData>(r#"{"durationMs":-1}"#).is_err());
        assert_eq!(
            meta(r#"{"durationMs":91565}"#).duration(),
            Some(Duration::from_millis(91_565))
        );
    }

    #[test]
    fn params_are_validated_before_sending() {
        use media_core::http::{Engine, HttpSettings, NoAuth};
        let engine = Engine::new(
            media_core::Provider::NcpMi,
            &HttpSettings::new("https://mi.apigw.ntruss.com/api/v1", "test/0"),
            std::sync::Arc::new(NoAuth),
        )
        .unwrap();
        let url = |params: ListAssetsParams| {
            let request = params.apply(
                ApiRequest::get(LIST_PATH)
                    .path_param("workspace_name", "ws")
                    .path_param("project_id", "7"),
                MAX_PAGE_SIZE,
            );
            engine.url_for(&request).map(|url| url.to_string())
        };
        for bad in [
            ListAssetsParams::new(0),
            ListAssetsParams::new(1).page_size(0),
            ListAssetsParams::new(1).page_size(1001),
        ] {
            assert!(
                matches!(url(bad), Err(media_core::Error::InvalidInput(_))),
                "{bad:?}"
            );
        }
        assert_eq!(
            url(ListAssetsParams::new(1).page_size(1000)).unwrap(),
            "https://mi.apigw.ntruss.com/api/v1/workspaces/ws/projects/7/assets?pageNum=1&pageSize=1000"
        );
        assert!(
            url(ListAssetsParams::new(3))
                .unwrap()
                .ends_with("/assets?pageNum=3")
        );
    }
}
