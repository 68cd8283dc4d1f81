//! Conversion into the provider-neutral [`media_core::Asset`] and the media-core traits.

use futures::StreamExt as _;
use futures::TryStreamExt as _;
use futures::stream::{self, BoxStream};
use media_core::{
    AssetDeleter, AssetLister, AssetQuery, AssetReader, AssetUploader, Error, MediaKind,
    ProgressFn, Provider, Result, UploadSource,
};

use crate::Client;
use crate::assets::Asset;
use crate::page::MAX_PAGE_SIZE;

/// The neutral view of a Media Intelligence asset.
///
/// `id` is `assetId` in decimal; `kind` and `mime` come from `metaData.format`
/// (else from the file name's extension); `width`/`height` from `metaData.resolution`;
/// `duration` from `durationMs`. `created_at`/`updated_at` read the zone-less
/// `createdTime`/`updatedTime` as KST (UTC+09:00), see [`crate::time::KST`].
/// `status` is `None`: the listing does not say.
impl From<&Asset> for media_core::Asset {
    fn from(asset: &Asset) -> media_core::Asset {
        let format = asset.format();
        let extension = asset
            .file_name
            .as_deref()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, extension)| extension);
        let kind = format
            .map(crate::AssetFormat::kind)
            .filter(|kind| *kind != MediaKind::Other)
            .or_else(|| extension.map(MediaKind::from_extension))
            .unwrap_or(MediaKind::Other);
        let mime = format
            .and_then(crate::AssetFormat::mime)
            .or_else(|| extension.and_then(MediaKind::mime_for_extension));
        let meta = asset.meta_data.as_ref();
        let dimensions = meta.and_then(crate::AssetMetaData::dimensions);

        let mut neutral = media_core::Asset::new(Provider::NcpMi, asset.asset_id.to_string(), kind);
        neutral.name.clone_from(&asset.file_name);
        neutral.mime = mime.map(str::to_owned);
        neutral.size_bytes = meta.and_then(|m| m.size);
        neutral.duration = meta.and_then(crate::AssetMetaData::duration);
        neutral.width = dimensions.map(|(width, _)| width);
        neutral.height = dimensions.map(|(_, height)| height);
        neutral.created_at = asset.created_time.map(|t| t.to_utc());
        neutral.updated_at = asset.updated_time.map(|t| t.to_utc());
        neutral
    }
}

/// See the conversion from `&Asset`.
impl From<Asset> for media_core::Asset {
    fn from(asset: Asset) -> media_core::Asset {
        media_core::Asset::from(&asset)
    }
}

/// Lists every asset of the default workspace and project ([`crate::Config::workspace`],
/// [`crate::Config::project`], or `NCP_MI_WORKSPACE` / `NCP_MI_PROJECT`), 1000 per
/// request unless the query asks otherwise. Without both defaults the stream yields one
/// [`Error::InvalidInput`] naming the variables.
impl AssetLister for Client {
    fn provider(&self) -> Provider {
        Provider::NcpMi
    }

    fn assets(&self, query: AssetQuery) -> BoxStream<'static, Result<media_core::Asset>> {
        let (workspace, project) = match self.defaults() {
            Ok(defaults) => defaults,
            Err(err) => return stream::once(async move { Err(err) }).boxed(),
        };
        let page_size = query.page_size.unwrap_or(MAX_PAGE_SIZE);
        self.assets()
            .list_all(&workspace, project, page_size)
            .map_ok(media_core::Asset::from)
            .boxed()
    }
}

/// Finds an asset of the default workspace and project by its numeric id.
///
/// The API has no single-asset GET, so this scans the listing, 1000 assets per request,
/// and stops at the page holding the asset: finding one costs one request per 1000
/// assets before it, and a missing one costs a full scan. An id that is not a number
/// is [`Error::InvalidInput`]; one that is not listed is [`Error::NotFound`].
#[media_core::async_trait]
impl AssetReader for Client {
    fn provider(&self) -> Provider {
        Provider::NcpMi
    }

    async fn asset(&self, id: &str) -> Result<media_core::Asset> {
        let asset_id = parse_asset_id(id)?;
        let (workspace, project) = self.defaults()?;
        let mut listing = self.assets().list_all(&workspace, project, MAX_PAGE_SIZE);
        while let Some(asset) = listing.try_next().await? {
            if asset.asset_id == asset_id {
                return Ok(media_core::Asset::from(asset));
            }
        }
        Err(Error::NotFound {
            provider: Provider::NcpMi,
            // The listing itself succeeded; the asset is simply not in it.
            http_status: 200,
            code: None,
            message: format!(
                "asset {asset_id} is not listed in project {project} of workspace {workspace}"
            ),
        })
    }
}

/// Uploads a local file to Object Storage (the configured bucket, the file name as key)
/// and registers it in the default workspace and project; needs the `object-storage`
/// feature. URLs are [`Error::InvalidInput`]: the API registers Object Storage objects only.
#[media_core::async_trait]
impl AssetUploader for Client {
    fn provider(&self) -> Provider {
        Provider::NcpMi
    }

    async fn upload(
        &self,
        source: UploadSource,
        progress: Option<ProgressFn>,
    ) -> Result<media_core::Asset> {
        let UploadSource::Path(path) = source else {
            return Err(Error::InvalidInput(
                "ncp-mi registers Object Storage objects: upload a local file, not a URL".into(),
            ));
        };
        let (workspace, project) = self.defaults()?;
        let asset = self
            .assets()
            .upload(
                &workspace,
                project,
                &crate::UploadParams::new(path),
                progress,
            )
            .await?;
        Ok(media_core::Asset::from(asset))
    }
}

/// Deletes an asset of the default workspace and project by its numeric id
/// (`DELETE …/assets/{asset_id}`). An id that is not a number is [`Error::InvalidInput`].
#[media_core::async_trait]
impl AssetDeleter for Client {
    fn provider(&self) -> Provider {
        Provider::NcpMi
    }

    async fn delete(&self, id: &str) -> Result<()> {
        let asset_id = parse_asset_id(id)?;
        let (workspace, project) = self.defaults()?;
        self.assets().delete(&workspace, project, asset_id).await
    }
}

fn parse_asset_id(id: &str) -> Result<u64> {
    id.trim()
        .parse()
        .map_err(|_| Error::InvalidInput(format!("ncp-mi asset ids are numeric, got {id:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;
    use chrono::{TimeZone, Utc};
    use std::time::Duration;

    fn asset(json: &str) -> Asset {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn converts_a_listed_video() {
        let listed = asset(
            r#"{"assetId":1001,"fileName":"sample-video-one.mp4","projectId":1234,
                "metaData":{"resolution":"1280x720","durationMs":91565,"size":101176289,"format":"mp4"},
                "key":"sample-video-one.mp4","createUserName":"user1","createdTime":"2025-04-23T16:49:24",
                "updateUserName":"user1","updatedTime":"2025-04-23T16:49:25"}"#,
        );
        let neutral = media_core::Asset::from(&listed);
        assert_eq!(neutral.provider, Provider::NcpMi);
        assert_eq!(neutral.id, "1001");
        assert_eq!(neutral.name.as_deref(), Some("sample-video-one.mp4"));
        assert_eq!(neutral.kind, MediaKind::Video);
        assert_eq!(neutral.mime.as_deref(), Some("video/mp4"));
        assert_eq!(neutral.size_bytes, Some(101_176_289));
        assert_eq!(neutral.duration, Some(Duration::from_millis(91_565)));
        assert_eq!(neutral.duration_secs(), Some(91.565));
        assert_eq!((neutral.width, neutral.height), (Some(1280), Some(720)));
        assert_eq!(neutral.fps, None);
        assert_eq!(neutral.status, None);
        assert_eq!(
            neutral.created_at,
            Some(Utc.with_ymd_and_hms(2025, 4, 23, 7, 49, 24).unwrap())
        );
        assert_eq!(
            neutral.updated_at,
            Some(Utc.with_ymd_and_hms(2025, 4, 23, 7, 49, 25).unwrap())
        );
        assert_eq!(media_core::Asset::from(listed), neutral);
    }

    #[test]
    fn falls_back_to_the_file_name_and_keeps_offsets() {
        let image = asset(
            r#"{"assetId":"7","fileName":"poster.JPG","metaData":{"format":"tiff-ish"},
                "createdTime":"2025-04-23T16:49:24Z"}"#,
        );
        let neutral = media_core::Asset::from(&image);
        assert_eq!(neutral.id, "7");
        assert_eq!(neutral.kind, MediaKind::Image);
        assert_eq!(neutral.mime.as_deref(), Some("image/jpeg"));
        assert_eq!(
            neutral.created_at,
            Some(Utc.with_ymd_and_hms(2025, 4, 23, 16, 49, 24).unwrap())
        );
        assert!(matches!(image.created_time, Some(Timestamp::Offset(_))));

        let bare = media_core::Asset::from(asset(r#"{"assetId":8}"#));
        assert_eq!(bare.kind, MediaKind::Other);
        assert_eq!((bare.name, bare.mime, bare.width), (None, None, None));
    }
}
