//! A typed async client for the TwelveLabs API v1.3.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use twelvelabs::{Client, ListAssetsParams, PollOptions};
//!
//! # async fn run() -> twelvelabs::Result<()> {
//! // TWELVE_LABS_API_KEY (or TWELVELABS_API_KEY), optionally TWELVELABS_BASE_URL.
//! let client = Client::from_env()?;
//!
//! let asset = client.assets().retrieve("6298d673f1090f1100476d4c").await?;
//! println!("{:?} is {:?}, {:?} bytes", asset.filename, asset.status, asset.size);
//!
//! let ready = client
//!     .assets()
//!     .wait_until_ready("6298d673f1090f1100476d4c", &PollOptions::default(), |a| {
//!         println!("status: {:?}", a.status);
//!     })
//!     .await?;
//! assert!(ready.is_ready());
//!
//! let videos: Vec<_> = client
//!     .assets()
//!     .list_all(ListAssetsParams::new().page_limit(50).filename("interview"))
//!     .try_collect()
//!     .await?;
//! println!("{} matching assets", videos.len());
//! # Ok(())
//! # }
//! ```
//!
//! Endpoints are grouped as TwelveLabs groups them, each behind a handle on
//! [`Client`] (`client.assets()`). Models keep the provider's field names,
//! read every field leniently (unknown fields are ignored, enums keep values
//! they do not know in an `Unknown` arm), and convert into the
//! provider-neutral [`media_core::Asset`]; [`Client`] also implements
//! [`media_core::AssetReader`] and [`media_core::AssetLister`].
//!
//! Errors are [`Error`]: the provider's error bodies (flat
//! `{code, message, docs_url}`, nested `{error: {code, message, details}}`,
//! empty, or a gateway's HTML) become [`Error::NotFound`] (code
//! `resource_not_exist`), [`Error::Unauthorized`], [`Error::RateLimited`]
//! (with `Retry-After`) or [`Error::Api`], always with the code and message.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod assets;
mod client;
pub mod common;
mod de;
mod enums;
mod error;
mod neutral;

pub use assets::{
    Asset, AssetError, AssetHls, AssetMethod, AssetSource, AssetSourceDetails, AssetSourceType,
    AssetStatus, AssetThumbnail, AssetType, Assets, AudioStream, ConnectorProvider,
    GenerationStatus, ListAssetsParams, TechnicalMetadata, VideoStream,
};
pub use client::{Client, Config, DEFAULT_BASE_URL};
pub use common::{MetadataValue, Page, PageInfo, UserMetadata};
pub use media_core::http::RetryPolicy;
pub use media_core::poll::PollOptions;
pub use media_core::{Error, Result};
