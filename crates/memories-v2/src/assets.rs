//! Asset management (memories-v2.md §3.A): asset metadata, frame groups and
//! waiting for an upload to finish.
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

use chrono::{DateTime, Utc};
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus};
use media_core::{Asset, Error, Provider, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Client;

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
