//! A typed async client for the NAVER Cloud Platform Media Intelligence API
//! (formerly MAIU), with API Gateway signature v2.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use ncp_mi::{Client, Config, ListAssetsParams};
//!
//! # async fn run() -> ncp_mi::Result<()> {
//! let client = Client::new(Config::new("ACCESS_KEY_ID", "SECRET_KEY"))?;
//!
//! // One page of a project's assets...
//! let page = client
//!     .assets()
//!     .list("my-workspace", 1234, &ListAssetsParams::new(1).page_size(100))
//!     .await?;
//! for asset in &page.content {
//!     let meta = asset.meta_data.as_ref();
//!     println!("{} {:?} {:?}", asset.asset_id, asset.file_name, meta.and_then(|m| m.dimensions()));
//! }
//!
//! // ...or all of them, page by page, as a stream.
//! let all: Vec<ncp_mi::Asset> = client.assets().list_all("my-workspace", 1234, 1000).try_collect().await?;
//! println!("{} assets", all.len());
//! # Ok(())
//! # }
//! ```
//!
//! # Configuration
//!
//! [`Config::from_env`] reads `NCLOUD_ACCESS_KEY` and `NCLOUD_SECRET_KEY`, the base URL
//! override `NCP_MI_BASE_URL` (default [`DEFAULT_BASE_URL`], `https://mi.apigw.ntruss.com/api/v1`),
//! and `NCP_MI_WORKSPACE` / `NCP_MI_PROJECT`, the workspace and project the neutral traits
//! work in. The base URL includes `/api/v1`; endpoint paths are appended to it, and the
//! signature covers the full path as sent, so a base URL behind a proxy prefix signs
//! correctly too.
//!
//! # Signing
//!
//! Every request carries `x-ncp-apigw-timestamp`, `x-ncp-iam-access-key` and
//! `x-ncp-apigw-signature-v2` (see [`signature`]). Each attempt, retries included, is signed
//! afresh with a new timestamp. The gateway rejects timestamps more than five minutes away
//! from its clock; the error is [`Error::Unauthorized`] and its message carries the gateway's
//! details (which name the skew). The clock is injectable ([`Config::clock`]). Neither key
//! appears in `Debug` output or in errors.
//!
//! # Reading the responses
//!
//! - The envelope `{"code":"0","message":"success","result":…}` is unwrapped; `code` may be
//!   a string or a number. Any other code is an error even under HTTP 200
//!   ([`Error::Api`] with the code and message). MI errors are read at the top level or
//!   wrapped in `responseError`; API Gateway errors (`{"error":{"errorCode",…}}`) map by
//!   status (401 → [`Error::Unauthorized`], 429 or gateway codes 410/420 →
//!   [`Error::RateLimited`]).
//! - Numbers arrive as numbers or numeric strings; unknown fields are ignored; an unknown
//!   `format` is kept in [`AssetFormat::Unknown`].
//! - Times (`createdTime`, `updatedTime`) carry no zone on the wire. The typed models keep
//!   them as sent ([`Timestamp`]: naive, or with the offset when one is sent). The neutral
//!   [`media_core::Asset`] reads a naive time as **KST (UTC+09:00)** ([`time::KST`]): the
//!   service runs in the Korea region only, and NCP does not document the zone.
//!
//! # Neutral traits
//!
//! [`Client`] implements [`media_core::AssetLister`] (every page of the default project) and
//! [`media_core::AssetReader`]. The API has no single-asset GET, so `asset(id)` scans the
//! listing: one request per 1000 assets. Both need `NCP_MI_WORKSPACE` and `NCP_MI_PROJECT`
//! (or [`Config::workspace`] / [`Config::project`]) and otherwise return
//! [`Error::InvalidInput`] naming them.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod assets;
mod client;
mod envelope;
mod neutral;
mod page;
pub mod signature;
pub mod time;

pub use assets::{
    Asset, AssetFormat, AssetList, AssetMetaData, Assets, ListAssetsParams, MAX_PAGE_SIZE,
};
pub use client::{
    ACCESS_KEY_VAR, BASE_URL_VAR, Client, Config, DEFAULT_BASE_URL, PROJECT_VAR, SECRET_KEY_VAR,
    WORKSPACE_VAR,
};
pub use media_core::{Error, Result};
pub use page::Page;
pub use signature::{Clock, FixedClock, SystemClock};
pub use time::Timestamp;
