//! The provider-neutral view: [`VideoMetadata`] as a [`media_core::Asset`],
//! and the media-core traits this API supports.
//!
//! All four asset traits that fit v1 are implemented on [`Client`], in the
//! client's default namespace: [`AssetReader`] (`get_metadata`),
//! [`AssetLister`] (`list_videos`, page by page), [`AssetUploader`]
//! (`upload` for a file, `upload_url` for a URL; the new asset is
//! `processing`), [`AssetDeleter`] (`delete_videos`). Frames cannot be
//! extracted through v1.

use std::time::Duration;

use media_core::paginate::{Page, paginate};
use media_core::{
    Asset, AssetDeleter, AssetLister, AssetQuery, AssetReader, AssetStatus, AssetUploader,
    BoxStream, MediaKind, ProgressFn, Provider, Result, UploadSource,
};

use crate::Client;
use crate::common::VideoStatus;
use crate::library::{GetMetadataParams, ListVideosParams, ListedVideo, VideoMetadata};
use crate::upload::{UploadFileParams, UploadUrlParams, UploadedVideo};

fn neutral_status(status: Option<VideoStatus>, cause: Option<String>) -> Option<AssetStatus> {
    status.and_then(|status| match status {
        VideoStatus::Parse => Some(AssetStatus::Ready),
        VideoStatus::Unparse => Some(AssetStatus::Processing),
        VideoStatus::Failed | VideoStatus::Fail | VideoStatus::ParseError => {
            Some(AssetStatus::Failed { reason: cause })
        }
        VideoStatus::Unknown(_) => None,
    })
}

fn seconds(duration: Option<f64>) -> Option<Duration> {
    duration.and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}

impl From<ListedVideo> for Asset {
    fn from(video: ListedVideo) -> Asset {
        let mut asset = Asset::new(Provider::MemoriesV1, video.video_no, MediaKind::Video);
        asset.name = video.video_name;
        asset.size_bytes = video.size.filter(|size| *size > 0);
        asset.duration = seconds(video.duration.filter(|d| *d > 0.0));
        asset.status = neutral_status(video.status, video.cause);
        asset.created_at = video.create_time;
        asset
    }
}

impl From<UploadedVideo> for Asset {
    fn from(video: UploadedVideo) -> Asset {
        let mut asset = Asset::new(Provider::MemoriesV1, video.video_no, MediaKind::Video);
        asset.name = video.video_name;
        asset.status = neutral_status(video.video_status, None);
        asset.created_at = video.upload_time;
        asset
    }
}

impl From<VideoMetadata> for Asset {
    fn from(video: VideoMetadata) -> Asset {
        let mut asset = Asset::new(Provider::MemoriesV1, video.video_no, MediaKind::Video);
        asset.name = video.video_name;
        asset.size_bytes = video.size;
        asset.duration = seconds(video.duration);
        asset.width = video.width;
        asset.height = video.height;
        asset.fps = video.fps;
        asset.status = neutral_status(video.status, video.cause);
        asset.created_at = video.create_time;
        asset
    }
}

/// Reads a private video by `video_no` in the client's default namespace
/// ([`crate::Config::unique_id`]).
#[media_core::async_trait]
impl AssetReader for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV1
    }

    async fn asset(&self, id: &str) -> Result<Asset> {
        self.library()
            .get_metadata(&GetMetadataParams::new(id))
            .await
            .map(Asset::from)
    }
}

/// Lists the private videos of the client's default namespace, page by page
/// (`POST /list_videos`, 20 per page unless the query says otherwise).
impl AssetLister for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV1
    }

    fn assets(&self, query: AssetQuery) -> BoxStream<'static, Result<Asset>> {
        let client = self.clone();
        let size = query.page_size;
        paginate(1_u32, move |page| {
            let client = client.clone();
            async move {
                let mut params = ListVideosParams::new().page(page);
                if let Some(size) = size {
                    params = params.size(size);
                }
                let listed = client.library().list_videos(&params).await?;
                let next = listed.next_page();
                Ok(Page {
                    items: listed.videos.into_iter().map(Asset::from).collect(),
                    next,
                })
            }
        })
    }
}

/// Uploads a local file (`POST /upload`, streamed, with progress) or
/// registers a URL (`POST /upload_url`) in the client's default namespace.
/// The asset comes back `processing` (`UNPARSE`); wait for it with
/// [`crate::Library::wait_until_parsed`].
#[media_core::async_trait]
impl AssetUploader for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV1
    }

    async fn upload(&self, source: UploadSource, progress: Option<ProgressFn>) -> Result<Asset> {
        let uploaded = match source {
            UploadSource::Path(path) => {
                self.upload()
                    .file(&UploadFileParams::new(path), progress)
                    .await?
            }
            UploadSource::Url(url) => self.upload().url(&UploadUrlParams::new(url)).await?,
            other => {
                return Err(media_core::Error::InvalidInput(format!(
                    "memories-v1 cannot upload {other:?}"
                )));
            }
        };
        Ok(Asset::from(uploaded))
    }
}

/// Deletes a private video of the client's default namespace
/// (`POST /delete_videos`; an unknown id is not an error, as in the API).
#[media_core::async_trait]
impl AssetDeleter for Client {
    fn provider(&self) -> Provider {
        Provider::MemoriesV1
    }

    async fn delete(&self, id: &str) -> Result<()> {
        self.library().delete_videos([id], None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(json: serde_json::Value) -> Asset {
        Asset::from(serde_json::from_value::<VideoMetadata>(json).unwrap())
    }

    #[test]
    fn statuses_map_to_neutral_ones() {
        let status = |s: &str| convert(serde_json::json!({"video_no": "VI1", "status": s})).status;
        assert_eq!(status("PARSE"), Some(AssetStatus::Ready));
        assert_eq!(status("UNPARSE"), Some(AssetStatus::Processing));
        assert_eq!(status("FAIL"), Some(AssetStatus::Failed { reason: None }));
        assert_eq!(status("SOMETHING_NEW"), None);
        let bare = convert(serde_json::json!({"video_no": "VI1"}));
        assert_eq!(bare.status, None);
        assert_eq!(bare.kind, MediaKind::Video);
        assert_eq!(bare.id, "VI1");
        assert_eq!(bare.duration, None);
    }

    #[test]
    fn fractional_and_negative_durations() {
        let asset = convert(serde_json::json!({"video_no": "VI1", "duration": "12.5"}));
        assert_eq!(asset.duration, Some(Duration::from_millis(12_500)));
        let asset = convert(serde_json::json!({"video_no": "VI1", "duration": -1}));
        assert_eq!(asset.duration, None);
    }
}
