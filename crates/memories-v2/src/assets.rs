//! Asset management (memories-v2.md §3.A): upload (multipart, or signed URL
//! in two steps), metadata, download (streamed to disk), delete, frame
//! extraction, frame groups and waiting for an upload to finish.
//!
//! memories.ai v2 addresses three kinds of assets by the prefix of their id
//! (see [`AssetIdKind`]):
//!
//! | id | what it is | metadata lists |
//! |---|---|---|
//! | `re_<digits>` | an uploaded video, audio or image | that one resource |
//! | `im_<digits>` | the frame group of one frame-extraction job (its download is a zip) | every frame, in frame order |
//! | `imc_<digits>_<n>` | frame `n` (0-based) of group `im_<digits>` | that one frame |
//!
//! There is no list endpoint in v2: assets are only reachable by id.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use media_core::http::{ApiRequest, FilePart, Multipart, SaveOptions};
use media_core::poll::{PollOptions, PollStatus};
use media_core::{Asset, Error, ProgressFn, Provider, Result};
use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Client;
use crate::download::{self, Downloaded};
use crate::tasks::PendingTask;
use crate::video::accept;
use crate::webhooks::FramesResult;
use crate::wire::{AssetBody, non_empty};

/// The `data` of `POST /upload`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedAsset {
    /// The new asset, `re_<digits>`; poll its metadata until `SUCCESS`.
    pub asset_id: String,
}

/// The `data` of `POST /upload/signed-url`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedUpload {
    /// The reserved asset, `re_…`.
    pub asset_id: String,
    /// The storage URL to send the bytes to (without the API key).
    pub signed_url: String,
    /// Seconds of validity (93600 in the docs).
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub expires_in: Option<u64>,
}

/// How the bytes go to a signed URL. The docs' examples `POST` a multipart
/// form with one part `file`; conventional GCS signed URLs take a `PUT` of
/// the raw bytes. The signature decides which one the URL accepts.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SignedUploadMethod {
    /// `PUT` with the raw bytes as the body (the conventional GCS form).
    #[default]
    Put,
    /// `POST` `multipart/form-data` with one part named `file` (the docs' examples).
    PostForm,
}

#[derive(Serialize)]
struct SignedUrlBody<'a> {
    original_filename: &'a str,
}

/// What an asset id addresses, read from its prefix (memories-v2.md §1.5).
///
/// The prefixes are the documented id scheme; ids are otherwise opaque, so an
/// id with another shape is [`AssetIdKind::Other`] and is still sent as is.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetIdKind {
    /// `re_<digits>`: an uploaded resource (video, audio or image, also
    /// split/edit outputs).
    Resource,
    /// `im_<digits>`: the group of all frames of one frame-extraction job.
    /// Its metadata lists every frame; its download is a zip of them.
    FrameGroup,
    /// `imc_<digits>_<n>`: frame `n` (0-based) of the group `im_<digits>`.
    Frame,
    /// Any other shape.
    Other,
}

impl AssetIdKind {
    /// Classifies `asset_id` by its prefix.
    ///
    /// ```
    /// use memories_v2::AssetIdKind;
    /// assert_eq!(AssetIdKind::of("re_660729180626595840"), AssetIdKind::Resource);
    /// assert_eq!(AssetIdKind::of("im_666914042514116608"), AssetIdKind::FrameGroup);
    /// assert_eq!(AssetIdKind::of("imc_666914042514116608_2"), AssetIdKind::Frame);
    /// assert_eq!(AssetIdKind::of("VI568102998803353600"), AssetIdKind::Other);
    /// ```
    pub fn of(asset_id: &str) -> AssetIdKind {
        let has = |prefix: &str| {
            asset_id
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty())
        };
        if has("re_") {
            AssetIdKind::Resource
        } else if has("imc_") {
            AssetIdKind::Frame
        } else if has("im_") {
            AssetIdKind::FrameGroup
        } else {
            AssetIdKind::Other
        }
    }

    /// `resource`, `frame_group`, `frame` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetIdKind::Resource => "resource",
            AssetIdKind::FrameGroup => "frame_group",
            AssetIdKind::Frame => "frame",
            AssetIdKind::Other => "other",
        }
    }
}

impl fmt::Display for AssetIdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The 0-based index `n` of a frame id `imc_<digits>_<n>`.
///
/// ```
/// assert_eq!(memories_v2::assets::frame_index("imc_666914042514116608_2"), Some(2));
/// assert_eq!(memories_v2::assets::frame_index("re_1"), None);
/// ```
pub fn frame_index(asset_id: &str) -> Option<u32> {
    frame_parts(asset_id).map(|(_, index)| index)
}

/// The group id `im_<digits>` a frame id `imc_<digits>_<n>` belongs to.
///
/// ```
/// assert_eq!(
///     memories_v2::assets::frame_group_id("imc_666914042514116608_0").as_deref(),
///     Some("im_666914042514116608")
/// );
/// ```
pub fn frame_group_id(asset_id: &str) -> Option<String> {
    frame_parts(asset_id).map(|(digits, _)| format!("im_{digits}"))
}

fn frame_parts(asset_id: &str) -> Option<(&str, u32)> {
    let (digits, index) = asset_id.strip_prefix("imc_")?.rsplit_once('_')?;
    if digits.is_empty() {
        return None;
    }
    Some((digits, index.parse().ok()?))
}

/// Where an upload stands (`upload_status`).
///
/// A value the docs do not list decodes as [`UploadStatus::Unknown`] with
/// the text the server sent, so a new server state never breaks decoding.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UploadStatus {
    /// `WAITING`: accepted, bytes not yet received.
    Waiting,
    /// `UPLOADING`: bytes arriving or being stored.
    Uploading,
    /// `SUCCESS`: stored and usable.
    Success,
    /// `FAILED`: the upload failed.
    Failed,
    /// A value this version does not know, as sent.
    Unknown(String),
}

impl UploadStatus {
    /// The wire value: `WAITING`, `UPLOADING`, `SUCCESS`, `FAILED` or the unknown text.
    pub fn as_str(&self) -> &str {
        match self {
            UploadStatus::Waiting => "WAITING",
            UploadStatus::Uploading => "UPLOADING",
            UploadStatus::Success => "SUCCESS",
            UploadStatus::Failed => "FAILED",
            UploadStatus::Unknown(other) => other,
        }
    }

    /// True for `SUCCESS` and `FAILED`, after which the status no longer changes.
    pub fn is_terminal(&self) -> bool {
        matches!(self, UploadStatus::Success | UploadStatus::Failed)
    }
}

impl From<String> for UploadStatus {
    fn from(value: String) -> Self {
        match value.trim().to_ascii_uppercase().as_str() {
            "WAITING" => UploadStatus::Waiting,
            "UPLOADING" => UploadStatus::Uploading,
            "SUCCESS" => UploadStatus::Success,
            "FAILED" => UploadStatus::Failed,
            _ => UploadStatus::Unknown(value),
        }
    }
}

impl From<&str> for UploadStatus {
    fn from(value: &str) -> Self {
        UploadStatus::from(value.to_owned())
    }
}

impl fmt::Display for UploadStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for UploadStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UploadStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(UploadStatus::from)
    }
}

/// One entry of `data.resource[]`: an uploaded file or one extracted frame.
///
/// Only `asset_id` and `upload_status` are required. The other documented
/// fields are `Option`: the docs only show finished uploads, and a resource
/// that is still `WAITING` must decode while an upload is being waited on.
/// `file_size` arrives as a string (`"133652816"`) and is also accepted as a
/// number; `create_time`/`modify_time` arrive as strings of epoch
/// milliseconds. Serializing writes the same string shapes back.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// The asset's id (`re_…`, or `imc_…` for a frame).
    pub asset_id: String,
    /// The file extension, e.g. `"mp4"`, `"jpg"`.
    #[serde(default)]
    pub extension: Option<String>,
    /// The name the file was uploaded under (may be odd: the docs show `"3"`).
    #[serde(default)]
    pub original_filename: Option<String>,
    /// Size in bytes.
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_u64",
        serialize_with = "crate::wire::opt_u64_string"
    )]
    pub file_size: Option<u64>,
    /// Where the upload stands.
    pub upload_status: UploadStatus,
    /// When the asset was created.
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_epoch_ms",
        serialize_with = "crate::wire::opt_epoch_ms_string"
    )]
    pub create_time: Option<DateTime<Utc>>,
    /// When the asset was last changed.
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_epoch_ms",
        serialize_with = "crate::wire::opt_epoch_ms_string"
    )]
    pub modify_time: Option<DateTime<Utc>>,
}

impl Resource {
    /// What [`Resource::asset_id`] addresses.
    pub fn id_kind(&self) -> AssetIdKind {
        AssetIdKind::of(&self.asset_id)
    }

    /// The frame index, when this resource is a frame `imc_<digits>_<n>`.
    pub fn frame_index(&self) -> Option<u32> {
        frame_index(&self.asset_id)
    }
}

/// The `data` of `GET /{asset_id}/metadata`.
///
/// For a `re_` or `imc_` id `resource` holds one entry; for an `im_` frame
/// group it lists every frame.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetMetadata {
    /// The number of entries in `resource`.
    #[serde(deserialize_with = "media_core::de::u64_loose")]
    pub total: u64,
    /// The resources (one, or every frame of a group).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub resource: Vec<Resource>,
}

impl AssetMetadata {
    /// The resource with id `asset_id`, or the only resource when there is
    /// exactly one (whatever its id).
    pub fn find(&self, asset_id: &str) -> Option<&Resource> {
        self.resource
            .iter()
            .find(|r| r.asset_id == asset_id)
            .or(match self.resource.as_slice() {
                [only] => Some(only),
                _ => None,
            })
    }
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// The asset-management endpoints, from [`Client::assets`].
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    client: &'a Client,
}

impl<'a> Assets<'a> {
    pub(crate) fn new(client: &'a Client) -> Assets<'a> {
        Assets { client }
    }

    /// `POST /upload`: uploads the file at `path` as the multipart part
    /// `file` (streamed from disk, MIME type from the extension), reporting
    /// progress. The asset then moves `WAITING` → `UPLOADING` → `SUCCESS`:
    /// see [`Assets::wait_until_uploaded`].
    pub async fn upload(&self, path: &Path, progress: Option<ProgressFn>) -> Result<UploadedAsset> {
        if !path.is_file() {
            return Err(Error::InvalidInput(format!(
                "{} is not a readable file",
                path.display()
            )));
        }
        let form = Multipart::new().file("file", FilePart::new(path));
        let request = ApiRequest::post("/upload")
            .multipart(form)
            .progress_opt(progress);
        self.client.execute(request).await
    }

    /// `POST /upload/signed-url`: reserves an asset id and returns a signed
    /// storage URL for `original_filename` (include the extension).
    pub async fn signed_url(&self, original_filename: &str) -> Result<SignedUpload> {
        non_empty("original_filename", original_filename)?;
        let request =
            ApiRequest::post("/upload/signed-url").json(&SignedUrlBody { original_filename });
        self.client.execute(request).await
    }

    /// Sends the file at `path` to `signed.signed_url` (no API key), streamed
    /// from disk, with `method`. Then poll the metadata of `signed.asset_id`.
    pub async fn upload_to_signed_url(
        &self,
        signed: &SignedUpload,
        path: &Path,
        method: SignedUploadMethod,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        if !path.is_file() {
            return Err(Error::InvalidInput(format!(
                "{} is not a readable file",
                path.display()
            )));
        }
        let request = match method {
            SignedUploadMethod::Put => ApiRequest::absolute(Method::PUT, &signed.signed_url)
                .file(FilePart::new(path).content_type("application/octet-stream")),
            SignedUploadMethod::PostForm => ApiRequest::absolute(Method::POST, &signed.signed_url)
                .multipart(Multipart::new().file("file", FilePart::new(path))),
        };
        let raw = self
            .client
            .engine()
            .send(&request.progress_opt(progress))
            .await?;
        if raw.is_success() {
            return Ok(());
        }
        Err(Error::Api {
            provider: Provider::MemoriesV2,
            http_status: raw.status.as_u16(),
            code: None,
            message: format!("the signed-URL upload was refused: {}", raw.snippet()),
            request_id: None,
        })
    }

    /// Both signed-URL steps: reserve an id for the file's name, then send
    /// the bytes. Returns the reservation (its `asset_id` is the new asset).
    pub async fn upload_via_signed_url(
        &self,
        path: &Path,
        method: SignedUploadMethod,
        progress: Option<ProgressFn>,
    ) -> Result<SignedUpload> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| Error::InvalidInput(format!("{} has no file name", path.display())))?;
        let signed = self.signed_url(name).await?;
        self.upload_to_signed_url(&signed, path, method, progress)
            .await?;
        Ok(signed)
    }

    /// `GET /{asset_id}/download`: streams the asset to the file `path`
    /// (a zip of every frame for an `im_` group, one image for an `imc_`
    /// frame). An existing file is kept (the call fails) unless `overwrite`.
    pub async fn download(
        &self,
        asset_id: &str,
        path: &Path,
        overwrite: bool,
        progress: Option<ProgressFn>,
    ) -> Result<Downloaded> {
        let request = ApiRequest::get("/{asset_id}/download").path_param("asset_id", asset_id);
        let options = SaveOptions::new().overwrite(overwrite);
        download::to_file(self.client, &request, path, options, progress).await
    }

    /// Downloads every frame of the group `group_id` (`im_…`) as a zip and
    /// extracts it into `dir`; returns the frame files. Entry names are
    /// checked never to escape `dir`.
    pub async fn download_frames(&self, group_id: &str, dir: &Path) -> Result<Vec<PathBuf>> {
        crate::ids::FrameGroupId::parse(group_id)?;
        tokio::fs::create_dir_all(dir).await?;
        let zip_path = dir.join(format!(".{group_id}.zip.part"));
        self.download(group_id, &zip_path, true, None).await?;
        let target = dir.to_owned();
        let zip = zip_path.clone();
        let extracted = tokio::task::spawn_blocking(move || download::extract_zip(&zip, &target))
            .await
            .map_err(|err| Error::Io(std::io::Error::other(err.to_string())))?;
        let _ = tokio::fs::remove_file(&zip_path).await;
        extracted
    }

    /// `GET /download?bucket=&blob=`: streams a stored object by its storage
    /// location (the pairs v1 Visual Search returns) to `path`. Slashes in
    /// `blob` are sent unencoded, as the docs require.
    pub async fn download_by_location(
        &self,
        bucket: &str,
        blob: &str,
        path: &Path,
        overwrite: bool,
        progress: Option<ProgressFn>,
    ) -> Result<Downloaded> {
        non_empty("bucket", bucket)?;
        non_empty("blob", blob)?;
        let url = format!(
            "{}/download?bucket={}&blob={}",
            self.client.base_url(),
            crate::wire::pct_encode(bucket, false),
            crate::wire::pct_encode(blob, true)
        );
        let request = self
            .client
            .authorize(ApiRequest::absolute(Method::GET, url));
        let options = SaveOptions::new().overwrite(overwrite);
        download::to_file(self.client, &request, path, options, progress).await
    }

    /// `DELETE /{asset_id}`: permanently deletes the asset and its derived
    /// data. (First-party agent code calls `DELETE /asset/{asset_id}`; the
    /// documented path is used.)
    pub async fn delete(&self, asset_id: &str) -> Result<()> {
        let request = ApiRequest::delete("/{asset_id}").path_param("asset_id", asset_id);
        let _: serde_json::Value = self.client.execute(request).await?;
        Ok(())
    }

    /// `POST /video/extract-frames`: async frame extraction at a
    /// server-chosen interval (there is no interval parameter). The result,
    /// an `im_` group and its `imc_` frame ids, arrives only by webhook:
    /// `.wait(&receiver)` on the returned task (feature `webhooks`).
    pub async fn extract_frames(&self, asset_id: &str) -> Result<PendingTask<FramesResult>> {
        non_empty("asset_id", asset_id)?;
        let request = ApiRequest::post("/video/extract-frames").json(&AssetBody { asset_id });
        accept(self.client, request).await
    }

    /// `GET /{asset_id}/metadata`: the metadata of a `re_`, `im_` or `imc_` asset.
    ///
    /// An unknown id is [`Error::NotFound`] (the API answers HTTP 400
    /// `"Asset not found"`; see the crate docs on error reading).
    pub async fn metadata(&self, asset_id: &str) -> Result<AssetMetadata> {
        let request = ApiRequest::get("/{asset_id}/metadata").path_param("asset_id", asset_id);
        self.client.execute(request).await
    }

    /// The frames of the frame group `group_id` (`im_…`), as neutral image
    /// assets in frame order (by the `<n>` of `imc_<digits>_<n>`).
    ///
    /// An id that is not an `im_` group is rejected with
    /// [`Error::InvalidInput`] before anything is sent.
    pub async fn frames(&self, group_id: &str) -> Result<Vec<Asset>> {
        if AssetIdKind::of(group_id) != AssetIdKind::FrameGroup {
            return Err(Error::InvalidInput(format!(
                "{group_id:?} is not a frame group id (im_<digits>)"
            )));
        }
        Ok(self.metadata(group_id).await?.to_neutral_frames())
    }

    /// Polls the metadata of the uploaded asset `asset_id` (the documented
    /// way to wait for an upload, memories-v2.md A.4) until its
    /// `upload_status` is `SUCCESS`, calling `on_update` with every
    /// observation, and returns the finished resource.
    ///
    /// `FAILED` ends the wait with [`Error::TaskFailed`]; an unknown status
    /// keeps polling; `options.max_wait` ends it with [`Error::Timeout`]. The
    /// docs ask for 1 request per second at most: keep `options.interval` at
    /// a second or more (the official notebook starts at 5 s). A frame group
    /// (`im_…`) is rejected with [`Error::InvalidInput`]: it is not uploaded.
    pub async fn wait_until_uploaded<U>(
        &self,
        asset_id: &str,
        options: &PollOptions,
        on_update: U,
    ) -> Result<Resource>
    where
        U: FnMut(&Resource),
    {
        if AssetIdKind::of(asset_id) == AssetIdKind::FrameGroup {
            return Err(Error::InvalidInput(format!(
                "{asset_id:?} is a frame group; wait on one of its frames or read it with frames()"
            )));
        }
        let assets = *self;
        let check = move || async move {
            let metadata = assets.metadata(asset_id).await?;
            let resource = metadata
                .find(asset_id)
                .cloned()
                .ok_or_else(|| Error::Decode {
                    provider: Provider::MemoriesV2,
                    http_status: 200,
                    message: format!(
                        "the metadata of {asset_id} lists {} resources and none with that id",
                        metadata.resource.len()
                    ),
                    body_snippet: String::new(),
                })?;
            match resource.upload_status {
                UploadStatus::Success => Ok(PollStatus::Done(resource)),
                UploadStatus::Failed => Err(Error::TaskFailed {
                    provider: Provider::MemoriesV2,
                    task_id: asset_id.to_owned(),
                    reason: "upload_status is FAILED".into(),
                }),
                _ => Ok(PollStatus::Pending(resource)),
            }
        };
        let what = format!("the upload of {asset_id}");
        media_core::poll::wait_until(Provider::MemoriesV2, &what, options, check, on_update).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_kinds() {
        assert_eq!(AssetIdKind::of("re_1"), AssetIdKind::Resource);
        assert_eq!(AssetIdKind::of("im_1"), AssetIdKind::FrameGroup);
        assert_eq!(AssetIdKind::of("imc_1_0"), AssetIdKind::Frame);
        for other in [
            "",
            "re_",
            "im_",
            "imc_",
            "RE_1",
            "1e8ae1075e054e8abb58e7598c53cbf1",
        ] {
            assert_eq!(AssetIdKind::of(other), AssetIdKind::Other, "{other:?}");
        }
        assert_eq!(AssetIdKind::FrameGroup.to_string(), "frame_group");
    }

    #[test]
    fn frame_ids() {
        assert_eq!(frame_index("imc_666914042514116608_12"), Some(12));
        assert_eq!(
            frame_group_id("imc_666914042514116608_12").as_deref(),
            Some("im_666914042514116608")
        );
        for bad in ["imc_", "imc_1", "imc__0", "imc_1_x", "imc_1_-1", "im_1_0"] {
            assert_eq!(frame_index(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn upload_status_round_trips_and_tolerates_new_values() {
        for (wire, status) in [
            ("WAITING", UploadStatus::Waiting),
            ("UPLOADING", UploadStatus::Uploading),
            ("SUCCESS", UploadStatus::Success),
            ("FAILED", UploadStatus::Failed),
        ] {
            let decoded: UploadStatus = serde_json::from_value(wire.into()).unwrap();
            assert_eq!(decoded, status);
            assert_eq!(serde_json::to_value(&decoded).unwrap(), wire);
        }
        assert_eq!(UploadStatus::from("success"), UploadStatus::Success);
        let unknown: UploadStatus = serde_json::from_value("TRANSCODING".into()).unwrap();
        assert_eq!(unknown, UploadStatus::Unknown("TRANSCODING".into()));
        assert_eq!(unknown.as_str(), "TRANSCODING");
        assert!(!unknown.is_terminal());
        assert!(UploadStatus::Failed.is_terminal());
    }

    #[test]
    fn resource_serializes_back_to_the_wire_shape() {
        let wire = serde_json::json!({
            "asset_id": "re_660729180626595840",
            "extension": "mp4",
            "original_filename": "3",
            "file_size": "133652816",
            "upload_status": "SUCCESS",
            "create_time": "1766989317192",
            "modify_time": "1766989317192"
        });
        let resource: Resource = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(serde_json::to_value(&resource).unwrap(), wire);
    }

    #[test]
    fn sparse_resources_and_null_lists_decode() {
        let resource: Resource = serde_json::from_value(
            serde_json::json!({"asset_id": "re_1", "upload_status": "WAITING", "file_size": ""}),
        )
        .unwrap();
        assert_eq!(resource.file_size, None);
        assert_eq!(resource.extension, None);
        assert_eq!(resource.create_time, None);
        let metadata: AssetMetadata =
            serde_json::from_value(serde_json::json!({"total": "0", "resource": null})).unwrap();
        assert_eq!(metadata.total, 0);
        assert!(metadata.resource.is_empty());
        assert!(metadata.find("re_1").is_none());
    }
}
