//! The provider-neutral view: conversions into [`media_core::Asset`] and the
//! media-core traits memories.ai v2 can serve.
//!
//! - One resource (`re_…` or `imc_…`) → one asset: `name` is the original
//!   file name; `kind` and `mime` come from the extension (falling back to
//!   the file name's extension); `size_bytes` from `file_size`; `status` from
//!   `upload_status` (`SUCCESS` → ready, `WAITING`/`UPLOADING` → processing,
//!   `FAILED` → failed, unknown → none); `created_at`/`updated_at` from
//!   `create_time`/`modify_time`.
//! - A frame group (`im_…`) → one asset describing the group: kind
//!   [`MediaKind::Other`] and mime `application/zip` (its download is a zip
//!   of the frames), `size_bytes` the sum of the frames' sizes (none if any
//!   is unknown), status ready only when every frame is `SUCCESS` (failed if
//!   any failed, else processing), `created_at` the earliest frame's and
//!   `updated_at` the latest. Read the frames themselves with
//!   [`crate::Assets::frames`].
//! - v2 has no list endpoint, so [`media_core::AssetLister`] is not implemented.
//! - [`AssetUploader`]: a local file goes through `POST /upload` (multipart,
//!   streamed, with progress); the asset is then described by its metadata
//!   (usually processing). v2 has no upload-by-URL endpoint: a URL source is
//!   [`Error::InvalidInput`].
//! - [`AssetDeleter`]: `DELETE /{asset_id}`.
//! - [`media_core::FrameExtractor`] (feature `webhooks`): extract → webhook
//!   → `im_` group → its metadata lists every frame. The webhook receiver is
//!   the one from [`Client::webhook_receiver`] (set
//!   `MEMORIES_V2_WEBHOOK_LISTEN` or [`crate::Config::webhook_listen`]).

use media_core::{
    Asset, AssetDeleter, AssetReader, AssetStatus, AssetUploader, Error, MediaKind, ProgressFn,
    Provider, Result, UploadSource,
};

use crate::Client;
use crate::assets::{AssetIdKind, AssetMetadata, Resource, UploadStatus};

/// The mime of a frame group: its download is a zip of all frames.
const GROUP_MIME: &str = "application/zip";

impl UploadStatus {
    /// The neutral status: `SUCCESS` → ready, `WAITING`/`UPLOADING` →
    /// processing, `FAILED` → failed, an unknown value → none.
    pub fn to_neutral(&self) -> Option<AssetStatus> {
        match self {
            UploadStatus::Success => Some(AssetStatus::Ready),
            UploadStatus::Waiting | UploadStatus::Uploading => Some(AssetStatus::Processing),
            UploadStatus::Failed => Some(AssetStatus::Failed { reason: None }),
            UploadStatus::Unknown(_) => None,
        }
    }
}

impl From<&Resource> for Asset {
    fn from(resource: &Resource) -> Asset {
        let extension = resource.extension.clone().or_else(|| {
            let name = resource.original_filename.as_deref()?;
            let (_, ext) = name.rsplit_once('.')?;
            Some(ext.to_owned())
        });
        let kind = extension
            .as_deref()
            .map_or(MediaKind::Other, MediaKind::from_extension);
        let mut asset = Asset::new(Provider::MemoriesV2, resource.asset_id.clone(), kind);
        asset.name.clone_from(&resource.original_filename);
        asset.mime = extension
            .as_deref()
            .and_then(MediaKind::mime_for_extension)
            .map(str::to_owned);
        asset.size_bytes = resource.file_size;
        asset.status = resource.upload_status.to_neutral();
        asset.created_at = resource.create_time;
        asset.updated_at = resource.modify_time;
        asset
    }
}

impl From<Resource> for Asset {
    fn from(resource: Resource) -> Asset {
        Asset::from(&resource)
    }
}

impl AssetMetadata {
    /// The neutral view of the asset `asset_id` whose metadata this is: the
    /// group view for an `im_` id (or when several resources came back), the
    /// one resource otherwise; `None` when no resource came back.
    pub fn to_neutral(&self, asset_id: &str) -> Option<Asset> {
        if AssetIdKind::of(asset_id) == AssetIdKind::FrameGroup || self.resource.len() > 1 {
            return (!self.resource.is_empty()).then(|| self.to_neutral_group(asset_id));
        }
        self.find(asset_id).map(Asset::from)
    }

    /// One neutral asset describing the frame group `group_id` (see the
    /// module docs for how each field is derived).
    pub fn to_neutral_group(&self, group_id: &str) -> Asset {
        let frames = &self.resource;
        let mut asset = Asset::new(Provider::MemoriesV2, group_id, MediaKind::Other);
        asset.mime = Some(GROUP_MIME.to_owned());
        if frames.is_empty() {
            return asset;
        }
        asset.size_bytes = frames.iter().map(|f| f.file_size).sum();
        asset.status = Some(
            if frames
                .iter()
                .all(|f| f.upload_status == UploadStatus::Success)
            {
                AssetStatus::Ready
            } else if frames
                .iter()
                .any(|f| f.upload_status == UploadStatus::Failed)
            {
                AssetStatus::Failed { reason: None }
            } else {
                AssetStatus::Processing
            },
        );
        asset.created_at = frames.iter().filter_map(|f| f.create_time).min();
        asset.updated_at = frames.iter().filter_map(|f| f.modify_time).max();
        asset
    }

    /// The resources as neutral image assets, in frame order (by the `<n>`
    /// of `imc_<digits>_<n>`; entries without one keep their place at the end).
    pub fn to_neutral_frames(&self) -> Vec<Asset> {
        let mut frames: Vec<&Resource> = self.resource.iter().collect();
        frames.sort_by_key(|f| f.frame_index().unwrap_or(u32::MAX));
        frames
            .into_iter()
            .map(|frame| {
                let mut asset = Asset::from(frame);
                // Frames are still images even when the extension is missing or unusual.
                asset.kind = MediaKind::Image;
                asset
            })
            .collect()
    }
}

/// `asset(id)`: the one resource for a `re_`/`imc_` id, the group view for an `im_` id.
#[media_core::async_trait]
impl AssetReader for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV2
    }

    async fn asset(&self, id: &str) -> Result<Asset> {
        let metadata = self.assets().metadata(id).await?;
        metadata.to_neutral(id).ok_or_else(|| Error::NotFound {
            provider: Provider::MemoriesV2,
            http_status: 200,
            code: None,
            message: format!("the metadata of {id} lists no resource"),
        })
    }
}

/// `upload(Path)`: `POST /upload`, then the new asset's metadata.
#[media_core::async_trait]
impl AssetUploader for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV2
    }

    async fn upload(&self, source: UploadSource, progress: Option<ProgressFn>) -> Result<Asset> {
        let path = match source {
            UploadSource::Path(path) => path,
            UploadSource::Url(url) => {
                return Err(Error::InvalidInput(format!(
                    "memories.ai v2 uploads local files only (no upload-by-URL endpoint): {url}"
                )));
            }
            other => {
                return Err(Error::InvalidInput(format!(
                    "memories.ai v2 cannot upload {other:?}"
                )));
            }
        };
        let uploaded = self.assets().upload(&path, progress).await?;
        let id = uploaded.asset_id;
        let described = match self.assets().metadata(&id).await {
            Ok(metadata) => metadata.to_neutral(&id),
            Err(err) if err.is_not_found() => None,
            Err(err) => return Err(err),
        };
        Ok(described.unwrap_or_else(|| {
            let name = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
            let kind = path
                .extension()
                .and_then(|e| e.to_str())
                .map_or(MediaKind::Other, MediaKind::from_extension);
            let mut asset = Asset::new(Provider::MemoriesV2, id, kind);
            asset.name = name;
            asset.status = Some(AssetStatus::Processing);
            asset
        }))
    }
}

/// `delete(id)`: `DELETE /{asset_id}`.
#[media_core::async_trait]
impl AssetDeleter for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV2
    }

    async fn delete(&self, id: &str) -> Result<()> {
        self.assets().delete(id).await
    }
}

/// `extract_frames(id)`: extract → webhook → `im_` group → its frames.
#[cfg(feature = "webhooks")]
#[media_core::async_trait]
impl media_core::FrameExtractor for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV2
    }

    async fn extract_frames(&self, asset_id: &str) -> Result<Vec<Asset>> {
        let receiver = self.webhook_receiver().await?;
        let task = self.assets().extract_frames(asset_id).await?;
        let result = task.wait(&receiver).await?;
        let frames = self
            .assets()
            .metadata(&result.asset_id)
            .await?
            .to_neutral_frames();
        if !frames.is_empty() {
            return Ok(frames);
        }
        Ok(result
            .asset_ch_ids
            .iter()
            .map(|id| Asset::new(Provider::MemoriesV2, id.clone(), MediaKind::Image))
            .collect())
    }

    /// Downloads one frame (`GET /{asset_id}/download`) into `dir` as
    /// `<frame id>.<extension>`, streamed to disk, never overwriting.
    async fn save_frame(&self, frame: &Asset, dir: &std::path::Path) -> Result<std::path::PathBuf> {
        let extension = frame
            .mime
            .as_deref()
            .and_then(|mime| mime.strip_prefix("image/"))
            .map_or("jpg", |ext| if ext == "jpeg" { "jpg" } else { ext });
        let path = media_core::fs::safe_join(dir, &format!("{}.{extension}", frame.id))?;
        self.assets()
            .download(&frame.id, &path, false, None)
            .await?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(json: serde_json::Value) -> Resource {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn status_mapping() {
        let status = |s: &str| UploadStatus::from(s).to_neutral();
        assert_eq!(status("SUCCESS"), Some(AssetStatus::Ready));
        assert_eq!(status("WAITING"), Some(AssetStatus::Processing));
        assert_eq!(status("UPLOADING"), Some(AssetStatus::Processing));
        assert_eq!(status("FAILED"), Some(AssetStatus::Failed { reason: None }));
        assert_eq!(status("TRANSCODING"), None);
    }

    #[test]
    fn kind_falls_back_to_the_file_name() {
        let asset = Asset::from(resource(serde_json::json!({
            "asset_id": "re_1", "original_filename": "talk.MP3", "upload_status": "WAITING"
        })));
        assert_eq!(asset.kind, MediaKind::Audio);
        assert_eq!(asset.mime.as_deref(), Some("audio/mpeg"));
        let asset = Asset::from(resource(
            serde_json::json!({"asset_id": "re_2", "upload_status": "X"}),
        ));
        assert_eq!(
            (asset.kind, asset.mime, asset.status),
            (MediaKind::Other, None, None)
        );
    }

    #[test]
    fn group_views() {
        let metadata: AssetMetadata = serde_json::from_value(serde_json::json!({
            "total": 2,
            "resource": [
                {"asset_id": "imc_9_1", "extension": "png", "file_size": 5, "upload_status": "SUCCESS",
                 "create_time": "2000", "modify_time": "2500"},
                {"asset_id": "imc_9_0", "upload_status": "UPLOADING", "create_time": "1000", "modify_time": "1000"}
            ]
        }))
        .unwrap();
        let group = metadata.to_neutral("im_9").unwrap();
        assert_eq!(group.id, "im_9");
        assert_eq!(group.size_bytes, None, "one frame's size is unknown");
        assert_eq!(group.status, Some(AssetStatus::Processing));
        assert_eq!(group.created_at.unwrap().timestamp_millis(), 1000);
        assert_eq!(group.updated_at.unwrap().timestamp_millis(), 2500);
        let frames = metadata.to_neutral_frames();
        assert_eq!(
            frames.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            ["imc_9_0", "imc_9_1"]
        );
        assert!(frames.iter().all(|f| f.kind == MediaKind::Image));
        let empty: AssetMetadata =
            serde_json::from_value(serde_json::json!({"total": 0, "resource": []})).unwrap();
        assert_eq!(empty.to_neutral("im_9"), None);
        assert_eq!(empty.to_neutral("re_9"), None);
        let group = empty.to_neutral_group("im_9");
        assert_eq!((group.status, group.size_bytes), (None, None));
    }
}
