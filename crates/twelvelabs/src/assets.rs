//! Upload content, direct uploads: `/assets` (catalog §3.2, §3.15 "Assets").
//!
//! An asset is an uploaded file (video, audio, image or document). Every
//! upload is processed asynchronously: poll [`Assets::retrieve`] (or use
//! [`Assets::wait_until_ready`]) until its status is `ready` before using it.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, ProgressFn, Provider, Result};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::common::{MetadataValue, Page, UserMetadata, all_pages, paging};
use crate::form::Form;
use media_core::open_enum;

pub use crate::common::MAX_PAGE_LIMIT;

open_enum! {
    /// How the asset was uploaded (`method`).
    pub enum AssetMethod {
        /// From the local file system, in one request.
        Direct = "direct",
        /// From a publicly accessible URL.
        Url = "url",
        /// Through the multipart upload flow.
        Multipart = "multipart",
        /// Imported by a data connector.
        Connector = "connector",
    }
}

open_enum! {
    /// Where the asset is in processing (`status`).
    pub enum AssetStatus {
        /// The platform is processing the uploaded file.
        Processing = "processing",
        /// The asset is ready to use.
        Ready = "ready",
        /// The platform failed to process the upload; see [`Asset::error`].
        Failed = "failed",
    }
}

open_enum! {
    /// The status of a rendition generated from the asset: its HLS stream
    /// ([`AssetHls`]) or its thumbnail ([`AssetThumbnail`]).
    pub enum GenerationStatus {
        /// Requested, not started.
        Pending = "pending",
        /// Being generated.
        Processing = "processing",
        /// Generated; its URL is set.
        Ready = "ready",
        /// Generation failed.
        Error = "error",
    }
}

open_enum! {
    /// The kind of file an asset holds, as the `asset_types` list filter names it.
    pub enum AssetType {
        /// Images.
        Image = "image",
        /// Videos.
        Video = "video",
        /// Audio files.
        Audio = "audio",
        /// PDF, plain-text and Markdown documents.
        Document = "document",
    }
}

open_enum! {
    /// Where a connector-imported asset came from (`source.type`).
    pub enum AssetSourceType {
        /// A data connector import.
        Connector = "connector",
    }
}

open_enum! {
    /// The storage service behind a data connector (`source.details.provider`).
    pub enum ConnectorProvider {
        /// Google Drive.
        GoogleDrive = "google_drive",
    }
}

/// An asset, as `GET /assets/{asset_id}` and `GET /assets` return it
/// (`AssetDetail`: the `Asset` fields plus renditions, technical metadata,
/// size, duration and error).
///
/// Every field is optional, as in the provider's own models: `size`,
/// `duration` and `technical_metadata` appear once the asset is ready,
/// `error` only when it failed, `hls`/`thumbnail` only when requested.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Asset {
    /// The asset's unique identifier (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// How the asset was uploaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<AssetMethod>,
    /// Where the asset is in processing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AssetStatus>,
    /// The name of the file the asset was created from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// The MIME type of the file (`video/mp4`, `image/jpeg`, `application/pdf`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
    /// When the asset was created. Read leniently: a value that is not a
    /// recognizable timestamp is `None` rather than an error.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// User-defined metadata; absent when never set.
    #[serde(
        deserialize_with = "crate::common::opt_user_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_metadata: Option<UserMetadata>,
    /// Where a connector import came from; absent for uploads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<AssetSource>,
    /// HLS streaming details; present only when HLS generation was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hls: Option<AssetHls>,
    /// Thumbnail details; present only when thumbnail generation was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<AssetThumbnail>,
    /// Technical metadata read from the file; absent while processing, may
    /// be partial when the asset failed. Boxed: it is three fifths of an
    /// asset's size, and an asset is moved through every layer of a call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technical_metadata: Option<Box<TechnicalMetadata>>,
    /// The file size in bytes; set once the asset is ready.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub size: Option<u64>,
    /// The duration in seconds, for video and audio once ready.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// Why processing failed; only when `status` is `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AssetError>,
}

impl Asset {
    /// True when `status` is `ready`.
    pub fn is_ready(&self) -> bool {
        self.status == Some(AssetStatus::Ready)
    }

    /// True when `status` is `failed`.
    pub fn is_failed(&self) -> bool {
        self.status == Some(AssetStatus::Failed)
    }
}

/// HLS streaming details (`AssetHls`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetHls {
    /// The HLS manifest URL; set only when `status` is `ready`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_url: Option<String>,
    /// Where HLS generation is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<GenerationStatus>,
}

/// Thumbnail details (`AssetThumbnail`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetThumbnail {
    /// The representative thumbnail URL; set only when `status` is `ready`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative_url: Option<String>,
    /// Where thumbnail generation is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<GenerationStatus>,
}

/// Why an asset failed (`error`). The text is for people, not a contract.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetError {
    /// What went wrong.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub message: String,
}

/// The origin of a connector-imported asset (`AssetSource`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetSource {
    /// The kind of source (`type`); `connector` for imports.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub source_type: Option<AssetSourceType>,
    /// The file at the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<AssetSourceDetails>,
}

/// The file a connector imported (`AssetSource.details`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetSourceDetails {
    /// The storage service (`google_drive`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<ConnectorProvider>,
    /// The file's id at the storage service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The file's name at the storage service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_filename: Option<String>,
    /// A link to the file at the storage service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_link: Option<String>,
}

/// Technical metadata read from the file (`TechnicalMetadata`), filled in
/// asynchronously after upload. Which groups are present depends on the
/// file: video, audio, timecode, image, geospatial or PDF fields.
///
/// Numbers are read from JSON numbers or numeric strings, booleans also from
/// `"true"`/`"false"`, timestamps leniently, and placeholders such as `"N/A"`
/// as `None`, so one odd value in a file's metadata never fails the whole asset.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TechnicalMetadata {
    // File.
    /// The file size in bytes.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_size_bytes: Option<u64>,
    /// The MIME type detected from the content.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_mime_type: Option<String>,
    /// The container format; may be a comma-separated list (`mov,mp4,m4a`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_container_format: Option<String>,
    /// The creation time recorded in the container.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_creation_time: Option<DateTime<Utc>>,

    // Video.
    /// Every video stream of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_streams: Option<Vec<VideoStream>>,
    /// The codec of the main video stream.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_codec: Option<String>,
    /// The frame width in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_width: Option<u32>,
    /// The frame height in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_height: Option<u32>,
    /// Frames per second.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_fps: Option<f64>,
    /// The video duration in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_duration_seconds: Option<f64>,
    /// The video bit rate in bits per second.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_bitrate_bps: Option<u64>,
    /// How many video streams the file has.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_video_streams: Option<u32>,
    /// The storage aspect ratio (width / height of the coded frame).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub storage_aspect_ratio: Option<f64>,
    /// Whether the video is HDR.
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_hdr: Option<bool>,

    // Audio.
    /// Every audio stream of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_streams: Option<Vec<AudioStream>>,
    /// The codec of the main audio stream.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_codec: Option<String>,
    /// The sample rate in hertz.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_sample_rate: Option<u32>,
    /// The number of audio channels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_channels: Option<u32>,
    /// The audio duration in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_duration_seconds: Option<f64>,
    /// How many audio streams the file has.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_audio_streams: Option<u32>,
    /// Whether the file has audio at all.
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub has_audio: Option<bool>,

    // Timecode.
    /// The first frame's timecode (`01:00:00:00`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_timecode: Option<String>,
    /// Where the timecode was read from.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub timecode_source: Option<String>,
    /// Whether the timecode is drop-frame.
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub drop_frame: Option<bool>,

    // Image.
    /// The image width in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_width: Option<u32>,
    /// The image height in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_height: Option<u32>,
    /// The image format (`jpeg`, `png`, ...).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_format: Option<String>,
    /// The EXIF orientation (1–8).
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_orientation: Option<u32>,
    /// The color space (`sRGB`, ...).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_color_space: Option<String>,
    /// Bits per channel.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_bit_depth: Option<u32>,
    /// Whether the image has an alpha channel.
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub has_alpha: Option<bool>,
    /// Whether the image is animated (GIF, WebP, ...).
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_animated: Option<bool>,

    // Geospatial.
    /// Latitude in degrees.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub geospatial_latitude: Option<f64>,
    /// Longitude in degrees.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub geospatial_longitude: Option<f64>,
    /// Altitude in meters.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub geospatial_altitude_meters: Option<f64>,

    // PDF.
    /// The number of pages.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_page_count: Option<u32>,
    /// The PDF version (`1.7`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_pdf_version: Option<String>,
    /// The page width in points.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_page_width_pt: Option<f64>,
    /// The page height in points.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_page_height_pt: Option<f64>,
    /// Whether the PDF is tagged (accessible structure).
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_is_tagged: Option<bool>,
    /// Whether the PDF is encrypted.
    #[serde(
        deserialize_with = "crate::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_is_encrypted: Option<bool>,
    /// The document language.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_language: Option<String>,
    /// The document title.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_title: Option<String>,
    /// The document author.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_author: Option<String>,
    /// The document subject.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_subject: Option<String>,
    /// The document keywords.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_keywords: Option<String>,
    /// The tool that created the original document.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_creator_tool: Option<String>,
    /// The tool that produced the PDF.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_producer: Option<String>,
    /// When the document was created (RFC 3339 or a PDF date, read leniently).
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_creation_date: Option<DateTime<Utc>>,
    /// When the document was last modified (read leniently).
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_modification_date: Option<DateTime<Utc>>,
}

/// One video stream of a file (`VideoStream`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoStream {
    /// The stream's index in the container.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub index: Option<u32>,
    /// The codec (`h264`, `hevc`, ...).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub codec: Option<String>,
    /// The frame width in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<u32>,
    /// The frame height in pixels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub height: Option<u32>,
    /// The nominal frames per second.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub fps: Option<f64>,
    /// The average frames per second.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub avg_fps: Option<f64>,
    /// The stream duration in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration_seconds: Option<f64>,
    /// The bit rate in bits per second.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub bitrate_bps: Option<u64>,
    /// The display rotation in degrees (may be negative).
    #[serde(
        deserialize_with = "crate::de::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub rotation: Option<i64>,
    /// The pixel aspect ratio (`1:1`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pixel_aspect_ratio: Option<String>,
    /// The display aspect ratio (`16:9`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_aspect_ratio: Option<String>,
    /// The scan type (`progressive`, `interlaced`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub scan_type: Option<String>,
    /// The pixel format (`yuv420p`, ...).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pixel_format: Option<String>,
    /// Bits per sample.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub bit_depth: Option<u32>,
    /// The color range (`tv`, `pc`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub color_range: Option<String>,
    /// The transfer characteristics (`bt709`, `smpte2084`, ...).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub color_transfer: Option<String>,
    /// The color space (matrix coefficients).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub color_space: Option<String>,
    /// The color primaries.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub color_primaries: Option<String>,
}

/// One audio stream of a file (`AudioStream`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AudioStream {
    /// The stream's index in the container.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub index: Option<u32>,
    /// The codec (`aac`, ...).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub codec: Option<String>,
    /// The codec's long name.
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub codec_long: Option<String>,
    /// The sample rate in hertz.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub sample_rate: Option<u32>,
    /// Bits per sample.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub bit_depth: Option<u32>,
    /// The number of channels.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub channels: Option<u32>,
    /// The channel layout (`stereo`, `5.1`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub channel_layout: Option<String>,
    /// The bit rate in bits per second.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub bitrate_bps: Option<u64>,
    /// The stream language (`eng`).
    #[serde(
        deserialize_with = "crate::de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub language: Option<String>,
    /// The stream duration in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration_seconds: Option<f64>,
}

/// Query of `GET /assets`: which page, how many per page, and filters.
///
/// ```
/// use twelvelabs::{AssetType, ListAssetsParams};
///
/// let params = ListAssetsParams::new()
///     .page_limit(50)
///     .asset_type(AssetType::Video)
///     .filename("interview");
/// assert_eq!(params.page_limit, Some(50));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListAssetsParams {
    /// The page to return, from 1 (server default 1).
    pub page: Option<u32>,
    /// Items per page, 1–50 (server default 10).
    pub page_limit: Option<u32>,
    /// Only these asset ids (`asset_ids`, repeated).
    pub asset_ids: Vec<String>,
    /// Only these kinds of asset (`asset_types`, repeated).
    pub asset_types: Vec<AssetType>,
    /// Only assets whose file name contains this text (case-insensitive).
    pub filename: Option<String>,
}

impl ListAssetsParams {
    /// No filters, server defaults for paging.
    pub fn new() -> ListAssetsParams {
        ListAssetsParams::default()
    }

    /// Requests page `page` (from 1).
    pub fn page(mut self, page: u32) -> ListAssetsParams {
        self.page = Some(page);
        self
    }

    /// Requests `page_limit` items per page (1–50).
    pub fn page_limit(mut self, page_limit: u32) -> ListAssetsParams {
        self.page_limit = Some(page_limit);
        self
    }

    /// Adds one id to the `asset_ids` filter.
    pub fn asset_id(mut self, asset_id: impl Into<String>) -> ListAssetsParams {
        self.asset_ids.push(asset_id.into());
        self
    }

    /// Adds ids to the `asset_ids` filter.
    pub fn asset_ids<I, S>(mut self, asset_ids: I) -> ListAssetsParams
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.asset_ids.extend(asset_ids.into_iter().map(Into::into));
        self
    }

    /// Adds one kind to the `asset_types` filter.
    pub fn asset_type(mut self, asset_type: AssetType) -> ListAssetsParams {
        self.asset_types.push(asset_type);
        self
    }

    /// Adds kinds to the `asset_types` filter.
    pub fn asset_types(
        mut self,
        asset_types: impl IntoIterator<Item = AssetType>,
    ) -> ListAssetsParams {
        self.asset_types.extend(asset_types);
        self
    }

    /// Only assets whose file name contains `filename` (case-insensitive).
    pub fn filename(mut self, filename: impl Into<String>) -> ListAssetsParams {
        self.filename = Some(filename.into());
        self
    }

    /// The request, rejected before sending when a documented constraint is broken.
    pub(crate) fn to_request(&self) -> ApiRequest {
        let mut request = paging(ApiRequest::get("/assets"), self.page, self.page_limit)
            .query_each("asset_ids", &self.asset_ids)
            .query_each("asset_types", &self.asset_types)
            .query_opt("filename", self.filename.as_deref());
        if self.asset_ids.iter().any(|id| id.trim().is_empty()) {
            request.reject("`asset_ids` must not contain an empty id");
        }
        if self
            .asset_types
            .iter()
            .any(|t| t.as_str().trim().is_empty())
        {
            request.reject("`asset_types` must not contain an empty value");
        }
        request
    }
}

/// What a new asset is made from: a local file sent in the request, or a
/// URL the platform fetches.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetInput {
    /// A local file (`method=direct`, the `file` part), streamed from disk.
    File(PathBuf),
    /// A public URL, or a VOD HLS manifest (`method=url`).
    Url(String),
}

/// Body of `POST /assets` (always `multipart/form-data`).
///
/// ```
/// use twelvelabs::CreateAssetRequest;
///
/// let request = CreateAssetRequest::url("https://example.com/clip.mp4")
///     .filename("clip.mp4")
///     .enable_hls(false);
/// assert_eq!(request.enable_hls, Some(false));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAssetRequest {
    /// The file or URL.
    pub input: AssetInput,
    /// The name to keep (1–255 characters); derived from the file or URL when absent.
    pub filename: Option<String>,
    /// Generate an HLS stream (video/audio; server default `true`).
    pub enable_hls: Option<bool>,
    /// Generate a thumbnail (server default `true`).
    pub enable_thumbnail: Option<bool>,
    /// User-defined metadata, sent as a JSON text.
    pub user_metadata: Option<UserMetadata>,
    /// The file part's content type; guessed from the extension when absent.
    pub content_type: Option<String>,
}

impl CreateAssetRequest {
    /// An asset uploaded from the local file at `path`.
    pub fn file(path: impl Into<PathBuf>) -> CreateAssetRequest {
        CreateAssetRequest::new(AssetInput::File(path.into()))
    }

    /// An asset the platform fetches from `url`.
    pub fn url(url: impl Into<String>) -> CreateAssetRequest {
        CreateAssetRequest::new(AssetInput::Url(url.into()))
    }

    /// An asset from `input`.
    pub fn new(input: AssetInput) -> CreateAssetRequest {
        CreateAssetRequest {
            input,
            filename: None,
            enable_hls: None,
            enable_thumbnail: None,
            user_metadata: None,
            content_type: None,
        }
    }

    /// Keeps `filename` as the asset's name.
    pub fn filename(mut self, filename: impl Into<String>) -> CreateAssetRequest {
        self.filename = Some(filename.into());
        self
    }

    /// Turns HLS generation on or off.
    pub fn enable_hls(mut self, enable: bool) -> CreateAssetRequest {
        self.enable_hls = Some(enable);
        self
    }

    /// Turns thumbnail generation on or off.
    pub fn enable_thumbnail(mut self, enable: bool) -> CreateAssetRequest {
        self.enable_thumbnail = Some(enable);
        self
    }

    /// Attaches user-defined metadata.
    pub fn user_metadata(mut self, metadata: UserMetadata) -> CreateAssetRequest {
        self.user_metadata = Some(metadata);
        self
    }

    /// Sets the file part's content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> CreateAssetRequest {
        self.content_type = Some(content_type.into());
        self
    }

    /// The multipart form, rebuilt (and the file reopened) for every attempt.
    pub(crate) fn to_request(&self, progress: Option<ProgressFn>) -> ApiRequest {
        let form = match &self.input {
            AssetInput::File(path) => Form::new().text("method", "direct").file(
                "file",
                path.clone(),
                None,
                self.content_type.clone(),
            ),
            AssetInput::Url(url) => Form::new().text("method", "url").text("url", url.clone()),
        }
        .text_opt("filename", self.filename.clone())
        .bool_opt("enable_hls", self.enable_hls)
        .bool_opt("enable_thumbnail", self.enable_thumbnail)
        .json_opt("user_metadata", self.user_metadata.as_ref());
        let mut request = form.into_request(ApiRequest::post("/assets"), progress);
        if let AssetInput::Url(url) = &self.input
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            request.reject(format!("`url` must be an http(s) URL, got {url:?}"));
        }
        if let Some(name) = &self.filename
            && (name.trim().is_empty() || name.chars().count() > 255)
        {
            request.reject("`filename` must be 1 to 255 characters");
        }
        request
    }
}

open_enum! {
    /// A transcription segmentation (`include` of the transcription endpoint).
    pub enum TranscriptionPart {
        /// Word by word (the default).
        Words = "words",
        /// Sentence by sentence.
        Sentences = "sentences",
        /// Speaker turns.
        Utterances = "utterances",
    }
}

open_enum! {
    /// Where an asset's transcription is (`status`).
    pub enum TranscriptionStatus {
        /// Not started.
        Pending = "pending",
        /// Being generated.
        Processing = "processing",
        /// Done.
        Ready = "ready",
        /// Failed; see the `error`.
        Failed = "failed",
    }
}

/// One timed piece of a transcription (`TranscriptEntry`; utterances add `speaker`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranscriptEntry {
    /// Start, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<f64>,
    /// End, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<f64>,
    /// The text.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub value: String,
    /// Who speaks (utterances only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// `GET /assets/{asset_id}/transcription` (`AssetTranscriptionResponse`):
/// only the segmentations both requested and supported are present.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetTranscription {
    /// Where the transcription is; poll until `ready` or `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TranscriptionStatus>,
    /// Words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<TranscriptEntry>>,
    /// Sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<TranscriptEntry>>,
    /// Speaker turns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utterances: Option<Vec<TranscriptEntry>>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AssetError>,
}

/// A user-metadata patch for `PATCH …/user-metadata`: a value sets a key,
/// `None` (sent as `null`) deletes it.
pub type UserMetadataPatch = std::collections::BTreeMap<String, Option<MetadataValue>>;

/// The `/assets` endpoints; get it from [`Client::assets`].
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    client: &'a Client,
}

impl<'a> Assets<'a> {
    pub(crate) fn new(client: &'a Client) -> Assets<'a> {
        Assets { client }
    }

    /// `GET /assets/{asset_id}`: one asset with its status, renditions and
    /// technical metadata. An unknown id is [`Error::NotFound`] with the code
    /// `resource_not_exist`.
    pub async fn retrieve(&self, asset_id: &str) -> Result<Asset> {
        let request = ApiRequest::get("/assets/{asset_id}").path_param("asset_id", asset_id);
        self.client.execute(request).await
    }

    /// `GET /assets`: one page of assets, newest first. `page_limit` outside
    /// 1–50 and `page` 0 are rejected with [`Error::InvalidInput`] before
    /// anything is sent.
    pub async fn list(&self, params: &ListAssetsParams) -> Result<Page<Asset>> {
        self.client.execute(params.to_request()).await
    }

    /// Every asset matching `params`, from `params.page` (default 1) to the
    /// last page, fetched lazily one page at a time as the stream is polled.
    /// The listing stops at `page_info.total_page`, or at an empty page when
    /// the server does not say; the first error ends the stream.
    pub fn list_all(&self, params: ListAssetsParams) -> BoxStream<'static, Result<Asset>> {
        let client = self.client.clone();
        let first = params.page.unwrap_or(1);
        all_pages(first, move |page: u32| {
            let client = client.clone();
            let params = params.clone().page(page);
            async move { client.assets().list(&params).await }
        })
    }

    /// `POST /assets`: uploads a file or registers a URL, always as
    /// `multipart/form-data`; the file is streamed from disk (constant
    /// memory) and re-sent whole on a retry. The new asset is `processing`:
    /// wait with [`Assets::wait_until_ready`] before using it. Not retried
    /// after the server saw it (a create is not idempotent).
    pub async fn create(&self, request: &CreateAssetRequest) -> Result<Asset> {
        self.client.execute(request.to_request(None)).await
    }

    /// [`Assets::create`], reporting bytes sent to `progress`.
    pub async fn create_with_progress(
        &self,
        request: &CreateAssetRequest,
        progress: ProgressFn,
    ) -> Result<Asset> {
        self.client
            .execute(request.to_request(Some(progress)))
            .await
    }

    /// `DELETE /assets/{asset_id}`: deletes the asset irreversibly. Without
    /// `force` the server refuses (HTTP 409) while indexed assets reference
    /// it; with it, entity references are unlinked too.
    pub async fn delete(&self, asset_id: &str, force: bool) -> Result<()> {
        let request = ApiRequest::delete("/assets/{asset_id}")
            .path_param("asset_id", asset_id)
            .query_opt("force", force.then_some(true));
        self.client.execute_empty(request).await
    }

    /// `GET /assets/{asset_id}/transcription`: the asset's transcription,
    /// with the segmentations in `include` (server default: words). Sent as
    /// repeated `include` keys.
    pub async fn transcription(
        &self,
        asset_id: &str,
        include: &[TranscriptionPart],
    ) -> Result<AssetTranscription> {
        let request = ApiRequest::get("/assets/{asset_id}/transcription")
            .path_param("asset_id", asset_id)
            .query_each("include", include);
        self.client.execute(request).await
    }

    /// `PUT /assets/{asset_id}/user-metadata`: replaces all user metadata
    /// (keys left out are removed; `{}` clears everything).
    pub async fn replace_user_metadata(
        &self,
        asset_id: &str,
        user_metadata: &UserMetadata,
    ) -> Result<()> {
        let request = ApiRequest::put("/assets/{asset_id}/user-metadata")
            .path_param("asset_id", asset_id)
            .json(&serde_json::json!({ "user_metadata": user_metadata }));
        self.client.execute_empty(request).await
    }

    /// `PATCH /assets/{asset_id}/user-metadata`: merges `patch` into the
    /// user metadata; a `None` value deletes its key.
    pub async fn update_user_metadata(
        &self,
        asset_id: &str,
        patch: &UserMetadataPatch,
    ) -> Result<()> {
        let request = ApiRequest::patch("/assets/{asset_id}/user-metadata")
            .path_param("asset_id", asset_id)
            .json(&serde_json::json!({ "user_metadata": patch }))
            .idempotent(true);
        self.client.execute_empty(request).await
    }

    /// `DELETE /assets/{asset_id}/user-metadata`: clears all user metadata.
    pub async fn delete_user_metadata(&self, asset_id: &str) -> Result<()> {
        let request =
            ApiRequest::delete("/assets/{asset_id}/user-metadata").path_param("asset_id", asset_id);
        self.client.execute_empty(request).await
    }

    /// Polls `GET /assets/{asset_id}` until the asset is `ready` and returns
    /// it, calling `on_update` with every observation. A `failed` asset ends
    /// the wait with [`Error::TaskFailed`] carrying the asset's error
    /// message; `options.max_wait` ends it with [`Error::Timeout`].
    ///
    /// Uploads are processed asynchronously, so call this before indexing or
    /// analyzing a freshly uploaded asset.
    pub async fn wait_until_ready<F>(
        &self,
        asset_id: &str,
        options: &PollOptions,
        on_update: F,
    ) -> Result<Asset>
    where
        F: FnMut(&Asset) + Send,
    {
        let what = format!("asset {asset_id}");
        let assets = *self;
        wait_until(
            Provider::TwelveLabs,
            &what,
            options,
            move || async move {
                let asset = assets.retrieve(asset_id).await?;
                match asset.status {
                    Some(AssetStatus::Ready) => Ok(PollStatus::Done(asset)),
                    Some(AssetStatus::Failed) => Err(Error::TaskFailed {
                        provider: Provider::TwelveLabs,
                        task_id: asset_id.to_owned(),
                        reason: asset
                            .error
                            .map(|e| e.message)
                            .filter(|m| !m.trim().is_empty())
                            .unwrap_or_else(|| {
                                "the asset failed to process (no reason given)".into()
                            }),
                    }),
                    _ => Ok(PollStatus::Pending(asset)),
                }
            },
            on_update,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enums_read_known_unknown_and_odd_values() {
        let method: AssetMethod = serde_json::from_value(json!("connector")).unwrap();
        assert_eq!(method, AssetMethod::Connector);
        let status: AssetStatus = serde_json::from_value(json!("READY")).unwrap();
        assert_eq!(status, AssetStatus::Ready);
        let status: AssetStatus = serde_json::from_value(json!("archived")).unwrap();
        assert_eq!(status, AssetStatus::Unknown("archived".into()));
        assert_eq!(status.as_str(), "archived");
        assert_eq!(serde_json::to_value(&status).unwrap(), json!("archived"));
        let hls: GenerationStatus = serde_json::from_value(json!(3)).unwrap();
        assert_eq!(hls, GenerationStatus::Unknown("3".into()));
        assert_eq!(GenerationStatus::Error.to_string(), "error");
        assert_eq!(
            "document".parse::<AssetType>().unwrap(),
            AssetType::Document
        );
        assert_eq!(
            ConnectorProvider::from("google_drive"),
            ConnectorProvider::GoogleDrive
        );
    }

    #[test]
    fn list_query_is_built_and_validated() {
        let request = ListAssetsParams::new()
            .page(2)
            .page_limit(50)
            .asset_ids(["a", "b"])
            .asset_type(AssetType::Video)
            .asset_type(AssetType::Image)
            .filename("my clip")
            .to_request();
        let pairs: Vec<(&str, &str)> = request
            .query_pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("page", "2"),
                ("page_limit", "50"),
                ("asset_ids", "a"),
                ("asset_ids", "b"),
                ("asset_types", "video"),
                ("asset_types", "image"),
                ("filename", "my clip"),
            ]
        );
        assert!(
            ListAssetsParams::new()
                .to_request()
                .query_pairs()
                .is_empty()
        );
    }

    #[test]
    fn asset_round_trips_through_serde() {
        let wire = json!({
            "_id": "a1", "method": "url", "status": "failed", "filename": "x.mp4",
            "file_type": "video/mp4", "created_at": "2024-01-16T07:59:40.879Z",
            "error": {"message": "codec"}, "user_metadata": {"k": ["a"]},
            "source": {"type": "connector", "details": {"provider": "google_drive", "source_id": "s"}}
        });
        let asset: Asset = serde_json::from_value(wire.clone()).unwrap();
        assert!(asset.is_failed() && !asset.is_ready());
        let back = serde_json::to_value(&asset).unwrap();
        assert_eq!(back, wire);
    }
}
