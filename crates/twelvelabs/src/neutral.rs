//! The provider-neutral view: [`assets::Asset`] into [`media_core::Asset`],
//! and the media-core traits on [`Client`].

use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use media_core::{
    AssetDeleter, AssetLister, AssetQuery, AssetReader, AssetStatus, AssetUploader, MediaKind,
    ProgressFn, Provider, Result, UploadSource,
};

use crate::assets::{self, AssetInput, ListAssetsParams, MAX_PAGE_LIMIT};
use crate::client::Client;
use crate::upload::UploadOptions;

impl From<assets::Asset> for media_core::Asset {
    /// Keeps what every provider shares. The kind comes from the MIME type
    /// (`file_type`, else the detected `file_mime_type`, else the file name's
    /// extension); size and duration fall back to the technical metadata;
    /// width, height and fps come from the technical metadata (video fields,
    /// image fields for images, then the first video stream). TwelveLabs has
    /// no modification time, so `updated_at` is `None`.
    fn from(asset: assets::Asset) -> media_core::Asset {
        let tech = asset
            .technical_metadata
            .map(|tech| *tech)
            .unwrap_or_default();
        let mime = asset.file_type.or_else(|| tech.file_mime_type.clone());
        let kind = match mime.as_deref() {
            Some(mime) if MediaKind::from_mime(mime) != MediaKind::Other => {
                MediaKind::from_mime(mime)
            }
            _ => asset
                .filename
                .as_deref()
                .and_then(|name| name.rsplit_once('.'))
                .map_or(MediaKind::Other, |(_, ext)| MediaKind::from_extension(ext)),
        };
        let first_video = tech.video_streams.as_ref().and_then(|s| s.first());
        let video_size = (tech.video_width, tech.video_height);
        let image_size = (tech.image_width, tech.image_height);
        let stream_size = (
            first_video.and_then(|s| s.width),
            first_video.and_then(|s| s.height),
        );
        let (width, height) = if kind == MediaKind::Image {
            pick_size([image_size, video_size, stream_size])
        } else {
            pick_size([video_size, image_size, stream_size])
        };
        let seconds = asset
            .duration
            .or(tech.video_duration_seconds)
            .or(tech.audio_duration_seconds);
        let status = asset.status.and_then(|status| match status {
            assets::AssetStatus::Ready => Some(AssetStatus::Ready),
            assets::AssetStatus::Processing => Some(AssetStatus::Processing),
            assets::AssetStatus::Failed => Some(AssetStatus::Failed {
                reason: asset
                    .error
                    .map(|e| e.message)
                    .filter(|m| !m.trim().is_empty()),
            }),
            _ => None,
        });

        let mut neutral =
            media_core::Asset::new(Provider::TwelveLabs, asset.id.unwrap_or_default(), kind);
        neutral.name = asset.filename;
        neutral.mime = mime;
        neutral.size_bytes = asset.size.or(tech.file_size_bytes);
        neutral.duration = seconds.and_then(|s| Duration::try_from_secs_f64(s).ok());
        neutral.width = width;
        neutral.height = height;
        neutral.fps = tech
            .video_fps
            .or_else(|| first_video.and_then(|s| s.fps.or(s.avg_fps)));
        neutral.status = status;
        neutral.created_at = asset.created_at;
        neutral.updated_at = None;
        neutral
    }
}

/// The first pair with both dimensions known; else whatever single values exist.
fn pick_size(candidates: [(Option<u32>, Option<u32>); 3]) -> (Option<u32>, Option<u32>) {
    candidates
        .iter()
        .copied()
        .find(|(w, h)| w.is_some() && h.is_some())
        .unwrap_or_else(|| {
            (
                candidates.iter().find_map(|(w, _)| *w),
                candidates.iter().find_map(|(_, h)| *h),
            )
        })
}

#[media_core::async_trait]
impl AssetReader for Client {
    fn provider(&self) -> Provider {
        Provider::TwelveLabs
    }

    async fn asset(&self, id: &str) -> Result<media_core::Asset> {
        self.assets().retrieve(id).await.map(Into::into)
    }
}

impl AssetLister for Client {
    fn provider(&self) -> Provider {
        Provider::TwelveLabs
    }

    /// Streams every page of `GET /assets`. `query.page_size` becomes
    /// `page_limit`; a size above the provider's maximum of 50 is lowered to
    /// 50 (the neutral caller cannot know each provider's cap), and 0 is
    /// rejected by the first request.
    fn assets(&self, query: AssetQuery) -> BoxStream<'static, Result<media_core::Asset>> {
        let mut params = ListAssetsParams::new();
        if let Some(size) = query.page_size {
            params = params.page_limit(size.min(MAX_PAGE_LIMIT));
        }
        self.assets()
            .list_all(params)
            .map(|asset| asset.map(Into::into))
            .boxed()
    }
}

#[media_core::async_trait]
impl AssetUploader for Client {
    fn provider(&self) -> Provider {
        Provider::TwelveLabs
    }

    /// A URL or a file up to 200 MiB goes through `POST /assets`; a larger
    /// video, audio or image file through a multipart session (see
    /// [`Client::upload_asset`]). The asset comes back `processing`.
    async fn upload(
        &self,
        source: UploadSource,
        progress: Option<ProgressFn>,
    ) -> Result<media_core::Asset> {
        let input = match source {
            UploadSource::Path(path) => AssetInput::File(path),
            UploadSource::Url(url) => AssetInput::Url(url),
            other => {
                return Err(media_core::Error::InvalidInput(format!(
                    "TwelveLabs cannot upload {other:?}"
                )));
            }
        };
        let mut options = UploadOptions::new();
        options.progress = progress;
        self.upload_asset(input, &options).await.map(Into::into)
    }
}

#[media_core::async_trait]
impl AssetDeleter for Client {
    fn provider(&self) -> Provider {
        Provider::TwelveLabs
    }

    /// `DELETE /assets/{asset_id}` without `force`: refused (HTTP 409) while
    /// indexed assets reference the asset.
    async fn delete(&self, id: &str) -> Result<()> {
        self.assets().delete(id, false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn neutral(value: serde_json::Value) -> media_core::Asset {
        serde_json::from_value::<assets::Asset>(value)
            .unwrap()
            .into()
    }

    #[test]
    fn image_dimensions_and_fallbacks() {
        let a = neutral(json!({
            "_id": "i1", "file_type": "image/png", "status": "ready",
            "technical_metadata": {"image_width": 800, "image_height": 600, "file_size_bytes": 1234}
        }));
        assert_eq!(
            (a.kind, a.width, a.height),
            (MediaKind::Image, Some(800), Some(600))
        );
        assert_eq!(a.size_bytes, Some(1234));
        assert_eq!(a.duration, None);
        assert_eq!(a.fps, None);
    }

    #[test]
    fn video_from_streams_and_extension() {
        let a = neutral(json!({
            "_id": "v1", "filename": "clip.MOV", "status": "processing",
            "technical_metadata": {
                "video_duration_seconds": 2.5,
                "video_streams": [{"width": 1280, "height": 720, "avg_fps": 25}]
            }
        }));
        assert_eq!(a.kind, MediaKind::Video);
        assert_eq!(a.mime, None);
        assert_eq!(
            (a.width, a.height, a.fps),
            (Some(1280), Some(720), Some(25.0))
        );
        assert_eq!(a.duration, Some(Duration::from_millis(2500)));
        assert_eq!(a.status, Some(AssetStatus::Processing));
    }

    #[test]
    fn statuses() {
        let failed =
            neutral(json!({"_id": "f", "status": "failed", "error": {"message": "bad codec"}}));
        assert_eq!(
            failed.status,
            Some(AssetStatus::Failed {
                reason: Some("bad codec".into())
            })
        );
        let failed = neutral(json!({"_id": "f", "status": "failed"}));
        assert_eq!(failed.status, Some(AssetStatus::Failed { reason: None }));
        let unknown =
            neutral(json!({"_id": "u", "status": "archived", "file_type": "application/pdf"}));
        assert_eq!((unknown.status, unknown.kind), (None, MediaKind::Other));
        let negative = neutral(json!({"_id": "n", "duration": -1.0}));
        assert_eq!(negative.duration, None);
        let empty = neutral(json!({}));
        assert_eq!(empty.id, "");
    }
}
