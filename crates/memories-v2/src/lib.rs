//! Typed async client for the memories.ai v2 / MAVI API
//! (`https://mavi-backend.memories.ai/serve/api/v2`).
//!
//! ```no_run
//! use memories_v2::{AssetIdKind, Client, Result};
//!
//! # async fn run() -> Result<()> {
//! // MEMORIES_V2_API_KEY (or MEMORIES_API_KEY), optional MEMORIES_V2_BASE_URL.
//! let client = Client::from_env()?;
//! let metadata = client.assets().metadata("re_660729180626595840").await?;
//! for resource in &metadata.resource {
//!     let size = resource.file_size.unwrap_or_default();
//!     eprintln!("{} {} bytes, {}", resource.asset_id, size, resource.upload_status);
//! }
//! // An `im_` id is the group of frames of one frame-extraction job.
//! let group = "im_666914042514116608";
//! assert_eq!(AssetIdKind::of(group), AssetIdKind::FrameGroup);
//! let frames = client.assets().frames(group).await?;
//! # let _ = frames;
//! # Ok(())
//! # }
//! ```
//!
//! # Layout
//!
//! One module per API group, named as the provider names it; this release
//! covers [`assets`] (asset metadata, frame groups, waiting for uploads).
//! Video tasks and agents, transcriptions, embeddings, chat, social data and
//! streams follow as their own modules, all sharing [`Client`] and the
//! envelope decoding described below. [`neutral`] converts into the
//! provider-neutral [`media_core::Asset`] and implements
//! [`media_core::AssetReader`] for [`Client`] (v2 has no list endpoint, so
//! there is no `AssetLister`).
//!
//! # Authentication
//!
//! The key goes verbatim into `Authorization: <key>`, without `Bearer `.
//!
//! # Responses and errors
//!
//! Responses come in the envelope `{code, msg, data, success, failed}`.
//! `code` may be `"0000"`, `200` or `"200"` on success; **any other code is
//! an error, even under HTTP 200**. Errors map to [`Error`] as follows:
//!
//! | answer | error |
//! |---|---|
//! | HTTP 401, or code `401`/`"0401"` | [`Error::Unauthorized`] |
//! | HTTP 429, or code `429`/`"0429"` (also under HTTP 200) | [`Error::RateLimited`], retried by the client |
//! | HTTP 404, or message `"Asset not found"` / `"Resource does not exist"` (the v2 docs answer unknown assets with HTTP 400 and these messages) | [`Error::NotFound`] with the code and message |
//! | any other code, e.g. `"0402"`, `400`, `500` | [`Error::Api`] with the code as text and the message |
//! | a body that is not JSON | by HTTP status, or [`Error::Decode`] under 2xx |
//!
//! The docs warn that `msg` is not a stable key: the not-found reading is
//! best effort, and a reworded message becomes an [`Error::Api`].
//! `"Request has exceeded the limit."` under HTTP 400 stays an
//! [`Error::Api`] because the docs use it for throttling and for invalid
//! input alike.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub mod assets;
mod client;
mod envelope;
pub mod neutral;
mod wire;

pub use assets::{AssetIdKind, AssetMetadata, Assets, Resource, UploadStatus};
pub use client::{API_KEY_VARS, BASE_URL_VAR, Client, Config, DEFAULT_BASE_URL};
pub use media_core::http::RetryPolicy;
pub use media_core::poll::PollOptions;
pub use media_core::{Error, Result};
