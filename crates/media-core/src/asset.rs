use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Provider;

/// What kind of media an asset holds.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// A video file or stream.
    Video,
    /// A still image.
    Image,
    /// An audio-only file.
    Audio,
    /// Anything else (documents, archives, unknown).
    Other,
}

impl MediaKind {
    /// Classifies a MIME type such as `video/mp4` or `image/jpeg`.
    pub fn from_mime(mime: &str) -> MediaKind {
        let top = mime.split('/').next().unwrap_or_default().trim();
        match top.to_ascii_lowercase().as_str() {
            "video" => MediaKind::Video,
            "image" => MediaKind::Image,
            "audio" => MediaKind::Audio,
            _ => MediaKind::Other,
        }
    }

    /// Classifies a file extension such as `mp4` or `.JPG`.
    pub fn from_extension(extension: &str) -> MediaKind {
        let ext = extension
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase();
        match ext.as_str() {
            "mp4" | "mov" | "mkv" | "avi" | "webm" | "m4v" | "flv" | "wmv" | "mpeg" | "mpg"
            | "ts" | "m3u8" | "3gp" => MediaKind::Video,
            "jpg" | "jpeg" | "png" | "gif" | "bmp" | "webp" | "heic" | "heif" | "tif" | "tiff" => {
                MediaKind::Image
            }
            "mp3" | "wav" | "m4a" | "aac" | "flac" | "ogg" | "opus" | "wma" => MediaKind::Audio,
            _ => MediaKind::Other,
        }
    }

    /// The MIME type usually associated with a file extension, when it is a media one.
    pub fn mime_for_extension(extension: &str) -> Option<&'static str> {
        let ext = extension
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase();
        Some(match ext.as_str() {
            "mp4" | "m4v" => "video/mp4",
            "mov" => "video/quicktime",
            "mkv" => "video/x-matroska",
            "avi" => "video/x-msvideo",
            "webm" => "video/webm",
            "jpg" | "jpeg" => "image/jpeg",
            "png" => "image/png",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "heic" => "image/heic",
            "bmp" => "image/bmp",
            "mp3" => "audio/mpeg",
            "wav" => "audio/wav",
            "m4a" => "audio/mp4",
            "flac" => "audio/flac",
            _ => return None,
        })
    }
}

/// Where an asset is in its provider's processing.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AssetStatus {
    /// Processed and usable.
    Ready,
    /// Accepted, still being uploaded, parsed or indexed.
    Processing,
    /// The provider gave up on it.
    Failed {
        /// The provider's reason, when it gives one.
        reason: Option<String>,
    },
}

impl AssetStatus {
    /// The neutral name: `ready`, `processing` or `failed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AssetStatus::Ready => "ready",
            AssetStatus::Processing => "processing",
            AssetStatus::Failed { .. } => "failed",
        }
    }
}

/// The provider-neutral view of one media asset.
///
/// Every provider model converts into it; the typed provider models keep
/// everything, this view keeps what all providers share. Serialized (for
/// `media --json`) it has exactly the keys `provider, id, name, kind, mime,
/// size_bytes, duration_secs, width, height, fps, status, created_at,
/// updated_at`, with `duration_secs` a float, `status` one of
/// `ready|processing|failed|null` and timestamps RFC 3339 in UTC.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// The provider that holds the asset.
    pub provider: Provider,
    /// The provider's identifier, as the provider spells it.
    pub id: String,
    /// A human name (usually the original file name).
    pub name: Option<String>,
    /// Video, image, audio or other.
    pub kind: MediaKind,
    /// The MIME type, when known.
    pub mime: Option<String>,
    /// File size in bytes.
    pub size_bytes: Option<u64>,
    /// Playing time of video and audio.
    pub duration: Option<Duration>,
    /// Frame width in pixels.
    pub width: Option<u32>,
    /// Frame height in pixels.
    pub height: Option<u32>,
    /// Frames per second.
    pub fps: Option<f64>,
    /// Processing status.
    pub status: Option<AssetStatus>,
    /// When the provider created the asset.
    pub created_at: Option<DateTime<Utc>>,
    /// When the provider last changed the asset.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Asset {
    /// An asset with only its provider, id and kind known.
    pub fn new(provider: Provider, id: impl Into<String>, kind: MediaKind) -> Asset {
        Asset {
            provider,
            id: id.into(),
            name: None,
            kind,
            mime: None,
            size_bytes: None,
            duration: None,
            width: None,
            height: None,
            fps: None,
            status: None,
            created_at: None,
            updated_at: None,
        }
    }

    /// `duration` in seconds, as a float.
    pub fn duration_secs(&self) -> Option<f64> {
        self.duration.map(|d| d.as_secs_f64())
    }
}

#[derive(Serialize, Deserialize)]
struct AssetRepr {
    provider: Provider,
    id: String,
    name: Option<String>,
    kind: MediaKind,
    mime: Option<String>,
    size_bytes: Option<u64>,
    duration_secs: Option<f64>,
    width: Option<u32>,
    height: Option<u32>,
    fps: Option<f64>,
    status: Option<String>,
    created_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
}

impl Serialize for Asset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        AssetRepr {
            provider: self.provider,
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            mime: self.mime.clone(),
            size_bytes: self.size_bytes,
            duration_secs: self.duration_secs(),
            width: self.width,
            height: self.height,
            fps: self.fps,
            status: self.status.as_ref().map(|s| s.as_str().to_owned()),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Asset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = AssetRepr::deserialize(deserializer)?;
        let status = match repr.status.as_deref() {
            None => None,
            Some("ready") => Some(AssetStatus::Ready),
            Some("processing") => Some(AssetStatus::Processing),
            Some("failed") => Some(AssetStatus::Failed { reason: None }),
            Some(other) => {
                return Err(serde::de::Error::custom(format!(
                    "unknown asset status `{other}`"
                )));
            }
        };
        let duration = match repr.duration_secs {
            Some(secs) => Some(
                Duration::try_from_secs_f64(secs)
                    .map_err(|e| serde::de::Error::custom(format!("duration_secs: {e}")))?,
            ),
            None => None,
        };
        Ok(Asset {
            provider: repr.provider,
            id: repr.id,
            name: repr.name,
            kind: repr.kind,
            mime: repr.mime,
            size_bytes: repr.size_bytes,
            duration,
            width: repr.width,
            height: repr.height,
            fps: repr.fps,
            status,
            created_at: repr.created_at,
            updated_at: repr.updated_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_the_neutral_schema() {
        let mut asset = Asset::new(Provider::MemoriesV2, "re_1", MediaKind::Video);
        asset.duration = Some(Duration::from_millis(91_565));
        asset.status = Some(AssetStatus::Failed {
            reason: Some("codec".into()),
        });
        asset.created_at = DateTime::from_timestamp_millis(1_766_989_317_192);
        let json = serde_json::to_value(&asset).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut expected = [
            "provider",
            "id",
            "name",
            "kind",
            "mime",
            "size_bytes",
            "duration_secs",
            "width",
            "height",
            "fps",
            "status",
            "created_at",
            "updated_at",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
        let text = serde_json::to_string(&asset).unwrap();
        assert!(
            text.starts_with(r#"{"provider":"memories-v2","id":"re_1","name":null"#),
            "{text}"
        );
        assert_eq!(json["provider"], "memories-v2");
        assert_eq!(json["kind"], "video");
        assert_eq!(json["duration_secs"], 91.565);
        assert_eq!(json["status"], "failed");
        assert_eq!(json["created_at"], "2025-12-29T06:21:57.192Z");
        assert!(json["updated_at"].is_null());

        let back: Asset = serde_json::from_value(json).unwrap();
        assert_eq!(back.duration, asset.duration);
        assert_eq!(back.status, Some(AssetStatus::Failed { reason: None }));
    }

    #[test]
    fn classifies_mime_and_extensions() {
        assert_eq!(MediaKind::from_mime("image/jpeg"), MediaKind::Image);
        assert_eq!(MediaKind::from_mime("VIDEO/MP4"), MediaKind::Video);
        assert_eq!(MediaKind::from_mime("application/pdf"), MediaKind::Other);
        assert_eq!(MediaKind::from_extension(".MOV"), MediaKind::Video);
        assert_eq!(MediaKind::from_extension("heic"), MediaKind::Image);
        assert_eq!(MediaKind::mime_for_extension("mp4"), Some("video/mp4"));
    }
}
