//! A typed async client for the memories.ai v1 API (`https://api.memories.ai/serve/api/v1`).
//!
//! ```no_run
//! use memories_v1::{Client, GetMetadataParams, PollOptions};
//!
//! # async fn run() -> memories_v1::Result<()> {
//! // MEMORIES_V1_API_KEY (or MEMORIES_API_KEY), optional MEMORIES_V1_BASE_URL.
//! let client = Client::from_env()?;
//! let library = client.library();
//!
//! let video = library
//!     .get_metadata(&GetMetadataParams::new("VI606404158946574336").unique_id("default"))
//!     .await?;
//! println!("{:?} is {:?}, {:?} s", video.video_name, video.status, video.duration);
//!
//! // Wait for a fresh upload to be indexed.
//! let ready = library
//!     .wait_until_parsed("VI606404158946574336", &PollOptions::default(), |v| {
//!         println!("still {:?}", v.status);
//!     })
//!     .await?;
//! let asset: media_core::Asset = ready.into();
//! # let _ = asset;
//! # Ok(())
//! # }
//! ```
//!
//! The crate mirrors the API: one handle per API group, named as memories.ai
//! names it ([`Client::library`] for Library / utilities), request
//! parameters with required values as constructor arguments, and response
//! models that keep the provider's field names while decoding its quirks
//! (numbers sent as strings, epoch milliseconds, the string `"null"`).
//!
//! Errors are [`media_core::Error`]: the API's business codes, which
//! usually arrive under HTTP 200, become typed errors (`"0401"`/`"9009"`
//! unauthorized, `"0429"` rate limited and retried, others
//! [`Error::Api`] with the code and message).
//!
//! Namespaces: memories.ai partitions one account by `unique_id`. Every
//! call sends one explicitly, the client's default (`"default"`, or
//! [`Config::unique_id`]) unless the call's parameters name another.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod common;
mod envelope;
pub mod library;
mod neutral;

pub use client::{API_KEY_VARS, BASE_URL_VAR, Client, Config, DEFAULT_BASE_URL};
pub use common::{DEFAULT_UNIQUE_ID, VideoStatus};
pub use library::{GetMetadataParams, Library, VideoMetadata};
pub use media_core::http::RetryPolicy;
pub use media_core::poll::PollOptions;
pub use media_core::{Error, Result};
