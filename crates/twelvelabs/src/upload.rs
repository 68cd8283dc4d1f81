//! One call for any upload: a URL or a small file goes through
//! `POST /assets`, a large file through a (resumable) multipart session.

use std::path::PathBuf;

use media_core::{Error, ProgressFn, Result, UploadProgress};

use crate::assets::{Asset, AssetInput, CreateAssetRequest};
use crate::client::Client;
use crate::common::UserMetadata;
use crate::multipart_uploads::{MultipartUploadOptions, UploadType};

/// Files up to this size go through `POST /assets` by default: the direct
/// upload limit of local video and audio files (catalog §3.2).
pub const DEFAULT_MULTIPART_THRESHOLD: u64 = 200 * 1024 * 1024;

/// Options of [`Client::upload_asset`].
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct UploadOptions {
    /// Files larger than this use a multipart session (default 200 MiB).
    pub multipart_threshold: u64,
    /// The asset's name.
    pub filename: Option<String>,
    /// Generate an HLS stream (video/audio).
    pub enable_hls: Option<bool>,
    /// Generate a thumbnail.
    pub enable_thumbnail: Option<bool>,
    /// User-defined metadata.
    pub user_metadata: Option<UserMetadata>,
    /// Chunks in flight at once for multipart uploads (default 4).
    pub concurrency: usize,
    /// Where a multipart upload saves its state to be resumed.
    pub state_file: Option<PathBuf>,
    /// Reports bytes sent.
    pub progress: Option<ProgressFn>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            multipart_threshold: DEFAULT_MULTIPART_THRESHOLD,
            filename: None,
            enable_hls: None,
            enable_thumbnail: None,
            user_metadata: None,
            concurrency: 4,
            state_file: None,
            progress: None,
        }
    }
}

impl UploadOptions {
    /// Defaults.
    pub fn new() -> UploadOptions {
        UploadOptions::default()
    }

    /// Files larger than `bytes` use a multipart session.
    pub fn multipart_threshold(mut self, bytes: u64) -> UploadOptions {
        self.multipart_threshold = bytes;
        self
    }

    /// Names the asset.
    pub fn filename(mut self, filename: impl Into<String>) -> UploadOptions {
        self.filename = Some(filename.into());
        self
    }

    /// Turns HLS generation on or off.
    pub fn enable_hls(mut self, enable: bool) -> UploadOptions {
        self.enable_hls = Some(enable);
        self
    }

    /// Turns thumbnail generation on or off.
    pub fn enable_thumbnail(mut self, enable: bool) -> UploadOptions {
        self.enable_thumbnail = Some(enable);
        self
    }

    /// Attaches user-defined metadata.
    pub fn user_metadata(mut self, metadata: UserMetadata) -> UploadOptions {
        self.user_metadata = Some(metadata);
        self
    }

    /// Chunks in flight at once.
    pub fn concurrency(mut self, concurrency: usize) -> UploadOptions {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Saves a multipart session at `path` so that a later run resumes it.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> UploadOptions {
        self.state_file = Some(path.into());
        self
    }

    /// Reports bytes sent.
    pub fn progress(mut self, progress: ProgressFn) -> UploadOptions {
        self.progress = Some(progress);
        self
    }
}

impl Client {
    /// Uploads `input` and returns the new asset (usually `processing`; wait
    /// with [`crate::Assets::wait_until_ready`]). A URL and a file up to
    /// `options.multipart_threshold` go through `POST /assets`; a larger file
    /// goes through a multipart session (parallel chunks, resumable with
    /// `options.state_file`). Memory use does not grow with the file size.
    pub async fn upload_asset(&self, input: AssetInput, options: &UploadOptions) -> Result<Asset> {
        let path = match input {
            AssetInput::Url(_) => return self.direct(input, options).await,
            AssetInput::File(path) => path,
        };
        let size = tokio::fs::metadata(&path).await.map_err(Error::Io)?.len();
        let multipart_type = UploadType::from_path(&path);
        // Multipart sessions take video, audio and images only; documents
        // (and unknown kinds) always go direct.
        if size <= options.multipart_threshold || multipart_type.is_none() {
            return self.direct(AssetInput::File(path), options).await;
        }
        let mut multipart = MultipartUploadOptions::new().concurrency(options.concurrency);
        multipart.filename.clone_from(&options.filename);
        multipart.upload_type = multipart_type;
        multipart.enable_hls = options.enable_hls;
        multipart.enable_thumbnail = options.enable_thumbnail;
        multipart.user_metadata.clone_from(&options.user_metadata);
        multipart.state_file.clone_from(&options.state_file);
        multipart.progress.clone_from(&options.progress);
        let outcome = self
            .multipart_uploads()
            .upload_file(&path, &multipart)
            .await?;
        self.assets().retrieve(&outcome.asset_id).await
    }

    async fn direct(&self, input: AssetInput, options: &UploadOptions) -> Result<Asset> {
        let mut request = CreateAssetRequest::new(input);
        request.filename.clone_from(&options.filename);
        request.enable_hls = options.enable_hls;
        request.enable_thumbnail = options.enable_thumbnail;
        request.user_metadata.clone_from(&options.user_metadata);
        match &options.progress {
            Some(progress) => {
                let asset = self
                    .assets()
                    .create_with_progress(&request, progress.clone())
                    .await?;
                if let AssetInput::File(path) = &request.input
                    && let Ok(meta) = tokio::fs::metadata(path).await
                {
                    progress.report(UploadProgress::new(meta.len(), Some(meta.len())));
                }
                Ok(asset)
            }
            None => self.assets().create(&request).await,
        }
    }
}
