use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::{Asset, Provider, Result};

/// Reads one asset by id.
#[async_trait]
pub trait AssetReader: Send + Sync {
    /// The provider behind this reader.
    fn provider(&self) -> Provider;

    /// The asset with this id; [`crate::Error::NotFound`] when there is none.
    async fn asset(&self, id: &str) -> Result<Asset>;
}

/// Lists assets, hiding the provider's pagination.
pub trait AssetLister: Send + Sync {
    /// The provider behind this lister.
    fn provider(&self) -> Provider;

    /// Every asset matching `query`, fetched page by page as the stream is
    /// polled. Stop early with `StreamExt::take`; collecting is the caller's
    /// choice.
    fn assets(&self, query: AssetQuery) -> BoxStream<'static, Result<Asset>>;
}

/// Uploads a file or registers a URL as a new asset.
#[async_trait]
pub trait AssetUploader: Send + Sync {
    /// The provider behind this uploader.
    fn provider(&self) -> Provider;

    /// Uploads `source`, reporting progress to `progress`, and returns the
    /// new asset as the provider first describes it (usually processing).
    async fn upload(&self, source: UploadSource, progress: Option<ProgressFn>) -> Result<Asset>;
}

/// Deletes an asset.
#[async_trait]
pub trait AssetDeleter: Send + Sync {
    /// The provider behind this deleter.
    fn provider(&self) -> Provider;

    /// Deletes the asset with this id.
    async fn delete(&self, id: &str) -> Result<()>;
}

/// Extracts still frames from a video asset.
#[async_trait]
pub trait FrameExtractor: Send + Sync {
    /// The provider behind this extractor.
    fn provider(&self) -> Provider;

    /// Extracts frames from the video `asset_id` and returns them, in frame
    /// order, as image assets.
    async fn extract_frames(&self, asset_id: &str) -> Result<Vec<Asset>>;

    /// Saves one frame returned by [`FrameExtractor::extract_frames`] into
    /// `dir` (streamed to disk; an existing file is not overwritten) and
    /// returns the path written. The default refuses: not every provider
    /// can download frames.
    async fn save_frame(&self, frame: &Asset, dir: &std::path::Path) -> Result<std::path::PathBuf> {
        let _ = dir;
        Err(crate::Error::InvalidInput(format!(
            "{} cannot download frame {}",
            self.provider(),
            frame.id
        )))
    }
}

/// Narrows an [`AssetLister`] listing.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetQuery {
    /// Items per page requested from the provider (its own default when `None`).
    pub page_size: Option<u32>,
}

impl AssetQuery {
    /// A query for everything.
    pub fn new() -> AssetQuery {
        AssetQuery::default()
    }

    /// Requests pages of `page_size` items.
    pub fn page_size(mut self, page_size: u32) -> AssetQuery {
        self.page_size = Some(page_size);
        self
    }
}

/// What to upload.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadSource {
    /// A local file, streamed from disk.
    Path(PathBuf),
    /// A URL the provider fetches itself.
    Url(String),
}

/// Progress of an upload.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes sent so far.
    pub bytes_sent: u64,
    /// Total bytes, when known.
    pub total_bytes: Option<u64>,
}

impl UploadProgress {
    /// Progress of `bytes_sent` out of `total_bytes`.
    pub fn new(bytes_sent: u64, total_bytes: Option<u64>) -> UploadProgress {
        UploadProgress {
            bytes_sent,
            total_bytes,
        }
    }
}

/// A progress callback.
#[derive(Clone)]
pub struct ProgressFn(Arc<dyn Fn(UploadProgress) + Send + Sync>);

impl ProgressFn {
    /// Wraps a closure.
    pub fn new(f: impl Fn(UploadProgress) + Send + Sync + 'static) -> ProgressFn {
        ProgressFn(Arc::new(f))
    }

    /// Reports `progress`.
    pub fn report(&self, progress: UploadProgress) {
        (self.0)(progress);
    }
}

impl fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressFn")
    }
}
