//! Typed async clients for video-understanding and media-asset APIs, behind
//! one feature per provider: `memories-v1`, `memories-v2`, `twelvelabs`,
//! `ncp-mi` (all on by default; `full` names them all).
//!
//! Each provider crate is re-exported under its own name with its complete,
//! faithful API; [`AnyClient`] picks a provider by name at run time and
//! hands out the provider-neutral traits of [`media_core`]:
//!
//! ```no_run
//! use media_sdk::{AnyClient, Provider};
//!
//! # async fn run() -> media_sdk::Result<()> {
//! let provider: Provider = "twelvelabs".parse()?;
//! let client = AnyClient::from_env(provider)?;
//! if let Some(reader) = client.reader() {
//!     let asset = reader.asset("6298d673f1090f1100476d4c").await?;
//!     println!("{} is {:?}, {:?} bytes", asset.id, asset.kind, asset.size_bytes);
//! }
//! # Ok(())
//! # }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::sync::Arc;

pub use media_core;
pub use media_core::{
    Asset, AssetDeleter, AssetLister, AssetQuery, AssetReader, AssetStatus, AssetUploader, Error,
    FrameExtractor, MediaKind, ParseProviderError, ProgressFn, Provider, Result, UploadProgress,
    UploadSource,
};

#[cfg(feature = "memories-v1")]
pub use memories_v1;
#[cfg(feature = "memories-v2")]
pub use memories_v2;
#[cfg(feature = "ncp-mi")]
pub use ncp_mi;
#[cfg(feature = "twelvelabs")]
pub use twelvelabs;

/// Overrides applied on top of the environment by [`AnyClient::from_env_with`].
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// The API root to use instead of the provider's variable or default.
    pub base_url: Option<String>,
    /// ncp-mi: the workspace the neutral traits work in (else `NCP_MI_WORKSPACE`).
    pub workspace: Option<String>,
    /// ncp-mi: the project the neutral traits work in (else `NCP_MI_PROJECT`).
    pub project: Option<String>,
}

impl ConnectOptions {
    /// No overrides.
    pub fn new() -> ConnectOptions {
        ConnectOptions::default()
    }

    /// Overrides the base URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> ConnectOptions {
        self.base_url = Some(base_url.into());
        self
    }

    /// Overrides the ncp-mi workspace.
    pub fn workspace(mut self, workspace: impl Into<String>) -> ConnectOptions {
        self.workspace = Some(workspace.into());
        self
    }

    /// Overrides the ncp-mi project.
    pub fn project(mut self, project: impl Into<String>) -> ConnectOptions {
        self.project = Some(project.into());
        self
    }
}

/// A client of any provider compiled in, chosen at run time.
///
/// Each accessor returns the neutral trait object when the provider's API
/// supports that operation, and `None` when it cannot (memories.ai v2 has no
/// list endpoint, for example).
#[non_exhaustive]
#[derive(Debug, Clone)]
pub enum AnyClient {
    /// memories.ai v1.
    #[cfg(feature = "memories-v1")]
    MemoriesV1(memories_v1::Client),
    /// memories.ai v2.
    #[cfg(feature = "memories-v2")]
    MemoriesV2(memories_v2::Client),
    /// TwelveLabs.
    #[cfg(feature = "twelvelabs")]
    TwelveLabs(twelvelabs::Client),
    /// NAVER Cloud Media Intelligence.
    #[cfg(feature = "ncp-mi")]
    NcpMi(ncp_mi::Client),
}

/// A client for `provider`, configured from the environment variables in
/// the README (keys, base URLs, ncp-mi workspace and project).
pub fn from_env(provider: Provider) -> Result<AnyClient> {
    AnyClient::from_env(provider)
}

impl AnyClient {
    /// A client for `provider`, configured from the environment.
    pub fn from_env(provider: Provider) -> Result<AnyClient> {
        AnyClient::from_env_with(provider, &ConnectOptions::default())
    }

    /// A client for `provider`, configured from the environment and then `options`.
    #[allow(unused_variables)]
    pub fn from_env_with(provider: Provider, options: &ConnectOptions) -> Result<AnyClient> {
        match provider {
            #[cfg(feature = "memories-v1")]
            Provider::MemoriesV1 => {
                let mut config = memories_v1::Config::from_env()?;
                if let Some(url) = &options.base_url {
                    config = config.base_url(url.clone());
                }
                Ok(AnyClient::MemoriesV1(memories_v1::Client::new(config)?))
            }
            #[cfg(feature = "memories-v2")]
            Provider::MemoriesV2 => {
                let mut config = memories_v2::Config::from_env()?;
                if let Some(url) = &options.base_url {
                    config = config.base_url(url.clone());
                }
                Ok(AnyClient::MemoriesV2(memories_v2::Client::new(config)?))
            }
            #[cfg(feature = "twelvelabs")]
            Provider::TwelveLabs => {
                let mut config = twelvelabs::Config::from_env()?;
                if let Some(url) = &options.base_url {
                    config = config.base_url(url.clone());
                }
                Ok(AnyClient::TwelveLabs(twelvelabs::Client::new(config)?))
            }
            #[cfg(feature = "ncp-mi")]
            Provider::NcpMi => {
                let mut config = ncp_mi::Config::from_env()?;
                if let Some(url) = &options.base_url {
                    config = config.base_url(url.clone());
                }
                if let Some(workspace) = &options.workspace {
                    config = config.workspace(workspace.clone());
                }
                if let Some(project) = &options.project {
                    config = config.project(project.clone());
                }
                Ok(AnyClient::NcpMi(ncp_mi::Client::new(config)?))
            }
            #[allow(unreachable_patterns)]
            other => Err(Error::InvalidInput(format!(
                "media-sdk was built without the `{other}` feature"
            ))),
        }
    }

    /// The provider behind this client.
    pub fn provider(&self) -> Provider {
        match *self {
            #[cfg(feature = "memories-v1")]
            AnyClient::MemoriesV1(_) => Provider::MemoriesV1,
            #[cfg(feature = "memories-v2")]
            AnyClient::MemoriesV2(_) => Provider::MemoriesV2,
            #[cfg(feature = "twelvelabs")]
            AnyClient::TwelveLabs(_) => Provider::TwelveLabs,
            #[cfg(feature = "ncp-mi")]
            AnyClient::NcpMi(_) => Provider::NcpMi,
        }
    }

    /// Reads single assets by id.
    // With no provider feature enabled the enum is empty and the match is unreachable.
    #[allow(unreachable_code)]
    pub fn reader(&self) -> Option<Arc<dyn AssetReader>> {
        Some(match *self {
            #[cfg(feature = "memories-v1")]
            AnyClient::MemoriesV1(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "memories-v2")]
            AnyClient::MemoriesV2(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "twelvelabs")]
            AnyClient::TwelveLabs(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "ncp-mi")]
            AnyClient::NcpMi(ref client) => Arc::new(client.clone()),
        })
    }

    /// Lists assets, when the provider's API can (memories.ai v2 has no list endpoint).
    pub fn lister(&self) -> Option<Arc<dyn AssetLister>> {
        match *self {
            #[cfg(feature = "memories-v1")]
            AnyClient::MemoriesV1(ref client) => Some(Arc::new(client.clone())),
            #[cfg(feature = "twelvelabs")]
            AnyClient::TwelveLabs(ref client) => Some(Arc::new(client.clone())),
            #[cfg(feature = "ncp-mi")]
            AnyClient::NcpMi(ref client) => Some(Arc::new(client.clone())),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Uploads assets from a file (streamed from disk) or a URL. Every provider
    /// can; ncp-mi uploads to Object Storage first and takes files only.
    #[allow(unreachable_code)]
    pub fn uploader(&self) -> Option<Arc<dyn AssetUploader>> {
        Some(match *self {
            #[cfg(feature = "memories-v1")]
            AnyClient::MemoriesV1(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "memories-v2")]
            AnyClient::MemoriesV2(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "twelvelabs")]
            AnyClient::TwelveLabs(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "ncp-mi")]
            AnyClient::NcpMi(ref client) => Arc::new(client.clone()),
        })
    }

    /// Deletes assets by id.
    #[allow(unreachable_code)]
    pub fn deleter(&self) -> Option<Arc<dyn AssetDeleter>> {
        Some(match *self {
            #[cfg(feature = "memories-v1")]
            AnyClient::MemoriesV1(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "memories-v2")]
            AnyClient::MemoriesV2(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "twelvelabs")]
            AnyClient::TwelveLabs(ref client) => Arc::new(client.clone()),
            #[cfg(feature = "ncp-mi")]
            AnyClient::NcpMi(ref client) => Arc::new(client.clone()),
        })
    }

    /// Extracts frames from videos: memories.ai v2 (results arrive by webhook,
    /// so its client needs a webhook receiver: `MEMORIES_V2_WEBHOOK_LISTEN`).
    pub fn frame_extractor(&self) -> Option<Arc<dyn FrameExtractor>> {
        match *self {
            #[cfg(feature = "memories-v2")]
            AnyClient::MemoriesV2(ref client) => Some(Arc::new(client.clone())),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
