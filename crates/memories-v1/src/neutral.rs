//! The provider-neutral view: [`VideoMetadata`] as a [`media_core::Asset`],
//! and the media-core traits this API supports.
//!
//! v1 has a list endpoint (`POST /list_videos`), but it is not modelled yet,
//! so [`media_core::AssetLister`] is not implemented.

use std::time::Duration;

use media_core::{Asset, AssetReader, AssetStatus, MediaKind, Provider, Result};

use crate::Client;
use crate::common::VideoStatus;
use crate::library::{GetMetadataParams, VideoMetadata};

impl From<VideoMetadata> for Asset {
    fn from(video: VideoMetadata) -> Asset {
        let mut asset = Asset::new(Provider::MemoriesV1, video.video_no, MediaKind::Video);
        asset.name = video.video_name;
        asset.size_bytes = video.size;
        asset.duration = video
            .duration
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok());
        asset.width = video.width;
        asset.height = video.height;
        asset.fps = video.fps;
        asset.status = video.status.and_then(|status| match status {
            VideoStatus::Parse => Some(AssetStatus::Ready),
            VideoStatus::Unparse => Some(AssetStatus::Processing),
            VideoStatus::Failed | VideoStatus::Fail | VideoStatus::ParseError => {
                Some(AssetStatus::Failed {
                    reason: video.cause,
                })
            }
            VideoStatus::Unknown(_) => None,
        });
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
