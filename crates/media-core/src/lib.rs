//! The provider-neutral core of media-sdk: the [`Asset`] model, the
//! [`Error`] type, the traits every provider implements, and the one HTTP
//! engine ([`http::Engine`]) all provider crates send their requests through.
//!
//! Most users meet this crate through a provider crate or the `media-sdk`
//! umbrella; code that must work with any provider is written against the
//! traits here:
//!
//! ```
//! use futures::TryStreamExt;
//! use media_core::{Asset, AssetLister, AssetQuery, Result};
//!
//! /// Total bytes stored at any provider that can list its assets.
//! async fn total_bytes(lister: &dyn AssetLister) -> Result<u64> {
//!     let assets: Vec<Asset> = lister.assets(AssetQuery::new()).try_collect().await?;
//!     Ok(assets.iter().filter_map(|a| a.size_bytes).sum())
//! }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod asset;
pub mod check;
pub mod de;
pub mod env;
mod error;
pub mod fs;
pub mod http;
mod open_enum;
pub mod paginate;
pub mod poll;
mod provider;
mod traits;

pub use asset::{Asset, AssetStatus, MediaKind};
pub use error::{Error, Result};
pub use provider::{ParseProviderError, Provider};
pub use traits::{
    AssetDeleter, AssetLister, AssetQuery, AssetReader, AssetUploader, FrameExtractor, ProgressFn,
    UploadProgress, UploadSource,
};

pub use async_trait::async_trait;
pub use futures::stream::BoxStream;
pub use secrecy::{ExposeSecret, SecretString};

/// Paths the exported macros expand to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}
