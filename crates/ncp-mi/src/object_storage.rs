//! Getting media in: upload a file to NCP Object Storage (S3-compatible), then register it
//! as an asset.
//!
//! The S3 request is presigned with [`rusty_s3`] (Signature V4, path-style) and sent by the
//! same engine as every other call: the file streams from disk with constant memory,
//! reports progress, and is re-sent on a retry. Signing needs the `object-storage` feature;
//! without it the upload calls answer [`Error::InvalidInput`] saying so.

use std::fmt;
use std::path::{Path, PathBuf};

use media_core::{Error, ProgressFn, Result, SecretString};

use crate::{Asset, Client, RegisterAssetParams};

/// NCP Object Storage in the Korea region (S3-compatible).
pub const DEFAULT_OBJECT_STORAGE_ENDPOINT: &str = "https://kr.object.ncloudstorage.com";
/// The S3 region name of [`DEFAULT_OBJECT_STORAGE_ENDPOINT`].
pub const DEFAULT_OBJECT_STORAGE_REGION: &str = "kr-standard";
/// The variable overriding the Object Storage endpoint.
pub const OBJECT_STORAGE_ENDPOINT_VAR: &str = "NCP_OBJECT_STORAGE_ENDPOINT";
/// The variable naming the default bucket of uploads.
pub const OBJECT_STORAGE_BUCKET_VAR: &str = "NCP_OBJECT_STORAGE_BUCKET";

/// Where uploads go: the S3 endpoint and region, the default bucket, and the credentials
/// (by default the client's own NCP key pair, which Object Storage accepts).
///
/// `Debug` never prints the keys.
#[derive(Clone)]
pub struct ObjectStorage {
    pub(crate) endpoint: String,
    pub(crate) region: String,
    pub(crate) bucket: Option<String>,
    pub(crate) credentials: Option<(SecretString, SecretString)>,
}

impl Default for ObjectStorage {
    fn default() -> Self {
        ObjectStorage {
            endpoint: DEFAULT_OBJECT_STORAGE_ENDPOINT.to_owned(),
            region: DEFAULT_OBJECT_STORAGE_REGION.to_owned(),
            bucket: None,
            credentials: None,
        }
    }
}

impl ObjectStorage {
    /// NCP's Korea endpoint, no default bucket, the client's key pair.
    pub fn new() -> ObjectStorage {
        ObjectStorage::default()
    }

    /// Reads `NCP_OBJECT_STORAGE_ENDPOINT` and `NCP_OBJECT_STORAGE_BUCKET` over the defaults.
    pub fn from_env() -> ObjectStorage {
        let mut storage = ObjectStorage::new();
        if let Some(endpoint) = media_core::env::first_var(&[OBJECT_STORAGE_ENDPOINT_VAR]) {
            storage.endpoint = endpoint;
        }
        storage.bucket = media_core::env::first_var(&[OBJECT_STORAGE_BUCKET_VAR]);
        storage
    }

    /// Another S3-compatible endpoint (a path prefix is kept: buckets go below it).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> ObjectStorage {
        self.endpoint = endpoint.into();
        self
    }

    /// The S3 region name signed into requests.
    pub fn region(mut self, region: impl Into<String>) -> ObjectStorage {
        self.region = region.into();
        self
    }

    /// The bucket uploads go to unless a call names one.
    pub fn bucket(mut self, bucket: impl Into<String>) -> ObjectStorage {
        self.bucket = Some(bucket.into());
        self
    }

    /// Credentials other than the client's NCP key pair.
    pub fn credentials(
        mut self,
        access_key: impl Into<SecretString>,
        secret_key: impl Into<SecretString>,
    ) -> ObjectStorage {
        self.credentials = Some((access_key.into(), secret_key.into()));
        self
    }

    /// The configured default bucket.
    pub fn default_bucket(&self) -> Option<&str> {
        self.bucket.as_deref()
    }
}

impl fmt::Debug for ObjectStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectStorage")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// What to upload and where: a file, the bucket (else the configured default), and the
/// object key (else the file name).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadParams {
    /// The local file, streamed from disk.
    pub path: PathBuf,
    /// The bucket; [`ObjectStorage::bucket`] when `None`.
    pub bucket: Option<String>,
    /// The object key; the file name when `None`.
    pub key: Option<String>,
}

impl UploadParams {
    /// Uploads `path` under its file name to the default bucket.
    pub fn new(path: impl Into<PathBuf>) -> UploadParams {
        UploadParams {
            path: path.into(),
            bucket: None,
            key: None,
        }
    }

    /// Sets the bucket.
    pub fn bucket(mut self, bucket: impl Into<String>) -> UploadParams {
        self.bucket = Some(bucket.into());
        self
    }

    /// Sets the object key (e.g. `clips/launch.mp4`).
    pub fn key(mut self, key: impl Into<String>) -> UploadParams {
        self.key = Some(key.into());
        self
    }
}

impl Client {
    /// PUTs `path` to `bucket`/`key` on Object Storage (presigned, streamed from disk).
    pub async fn upload_object(
        &self,
        path: &Path,
        bucket: &str,
        key: &str,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let url = self.presign_put(bucket, key)?;
        let file = media_core::http::FilePart::new(path);
        self.put_presigned(&url, file, progress).await
    }

    #[cfg(feature = "object-storage")]
    fn presign_put(&self, bucket: &str, key: &str) -> Result<String> {
        use media_core::ExposeSecret as _;
        use rusty_s3::S3Action as _;
        let storage = self.object_storage();
        let mut endpoint: reqwest::Url = storage.endpoint.parse().map_err(|err| {
            Error::InvalidInput(format!(
                "the Object Storage endpoint {:?} is not a URL: {err}",
                storage.endpoint
            ))
        })?;
        // A path prefix stays: the bucket is joined below it.
        if !endpoint.path().ends_with('/') {
            let path = format!("{}/", endpoint.path());
            endpoint.set_path(&path);
        }
        let s3_bucket = rusty_s3::Bucket::new(
            endpoint,
            rusty_s3::UrlStyle::Path,
            bucket.to_owned(),
            storage.region.clone(),
        )
        .map_err(|err| {
            Error::InvalidInput(format!("bad Object Storage bucket {bucket:?}: {err}"))
        })?;
        let (access, secret) = self.object_storage_keys()?;
        let credentials =
            rusty_s3::Credentials::new(access.expose_secret(), secret.expose_secret());
        let action = s3_bucket.put_object(Some(&credentials), key);
        Ok(action
            .sign(std::time::Duration::from_secs(3600))
            .to_string())
    }

    #[cfg(not(feature = "object-storage"))]
    #[allow(clippy::unused_self)] // the feature-enabled twin reads the client's settings
    fn presign_put(&self, _bucket: &str, _key: &str) -> Result<String> {
        Err(Error::InvalidInput(
            "uploading to Object Storage needs the ncp-mi `object-storage` cargo feature".into(),
        ))
    }
}

impl crate::Assets<'_> {
    /// Uploads a file to Object Storage and registers it as an asset of the project:
    /// [`Client::upload_object`], then [`crate::Assets::register`]. The key defaults to the
    /// file name, the bucket to [`ObjectStorage::bucket`].
    pub async fn upload(
        self,
        workspace_name: &str,
        project_id: u64,
        params: &UploadParams,
        progress: Option<ProgressFn>,
    ) -> Result<Asset> {
        let client = self.client();
        let bucket = params
            .bucket
            .clone()
            .or_else(|| client.object_storage().bucket.clone())
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "name a bucket for the upload (or set {OBJECT_STORAGE_BUCKET_VAR})"
                ))
            })?;
        let key = match &params.key {
            Some(key) => key.clone(),
            None => crate::search::file_name(&params.path)?,
        };
        if !std::fs::metadata(&params.path)?.is_file() {
            return Err(Error::InvalidInput(format!(
                "{} is not a file",
                params.path.display()
            )));
        }
        client
            .upload_object(&params.path, &bucket, &key, progress)
            .await?;
        self.register(
            workspace_name,
            project_id,
            &RegisterAssetParams::new(bucket, key),
        )
        .await
    }
}
