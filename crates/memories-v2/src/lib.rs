//! Typed async client for the memories.ai v2 / MAVI API
//! (`https://mavi-backend.memories.ai/serve/api/v2`).
//!
//! ```no_run
//! use std::path::Path;
//! use memories_v2::{Client, PollOptions, Result, WebhookReceiver};
//! use memories_v2::transcriptions::AudioTranscriptionParams;
//!
//! # async fn run() -> Result<()> {
//! // MEMORIES_V2_API_KEY (or MEMORIES_API_KEY), optional MEMORIES_V2_BASE_URL.
//! let client = Client::from_env()?;
//!
//! // Upload a video (streamed from disk) and wait until it is stored.
//! let uploaded = client.assets().upload(Path::new("talk.mp4"), None).await?;
//! let resource = client
//!     .assets()
//!     .wait_until_uploaded(&uploaded.asset_id, &PollOptions::default(), |_| {})
//!     .await?;
//! eprintln!("{} is {}", resource.asset_id, resource.upload_status);
//!
//! // Synchronous transcription.
//! let transcript = client
//!     .transcriptions()
//!     .sync_generate_audio(&AudioTranscriptionParams::new(&uploaded.asset_id))
//!     .await?;
//! eprintln!("{}", transcript.text());
//!
//! // Frame extraction answers by webhook: listen where the account's webhook URL points.
//! let receiver = WebhookReceiver::bind("0.0.0.0:8787".parse().unwrap()).await?;
//! let frames = client.assets().extract_frames(&uploaded.asset_id).await?.wait(&receiver).await?;
//! let files = client.assets().download_frames(&frames.asset_id, Path::new("frames")).await?;
//! eprintln!("{} frames: {:?}", frames.asset_ch_ids.len(), files);
//! # Ok(())
//! # }
//! ```
//!
//! # Layout
//!
//! One module per API group, named as the provider names it, each reached
//! from [`Client`]: [`assets`] (upload, signed-URL upload, metadata,
//! download, delete, frame extraction), [`video`] (scene detection, split,
//! edit), [`screenplay`], [`agents`] (the `/queries/stream` search, SSE),
//! [`transcriptions`], [`embeddings`], [`chat`] (video and image
//! understanding), [`social`] (platform metadata and transcripts),
//! [`streams`] (server-pulled live audio/video; the client-pushed audio
//! WebSocket is `live_audio`, feature `websocket`) and [`tasks`].
//!
//! Two adjacent hosts of the same product family have their own modules:
//! [`stream_understanding`] (`stream.memories.ai`, live RTMP video
//! understanding, same key, [`Client::stream_understanding`]) and
//! [`caption`] (`security.memories.ai`, caption and Human ReID, a separate
//! key and its own [`CaptionClient`]).
//! [`webhooks`] types every callback; [`WebhookReceiver`] (feature
//! `webhooks`, on by default) receives them. [`ids`] parses the id shapes.
//! [`neutral`] converts into the provider-neutral [`media_core::Asset`] and
//! implements [`media_core::AssetReader`], [`media_core::AssetUploader`],
//! [`media_core::AssetDeleter`] and [`media_core::FrameExtractor`] (v2 has
//! no list endpoint, so there is no `AssetLister`).
//!
//! # Async jobs and webhooks
//!
//! Frame extraction, clip, split, edit, async transcriptions, summaries and
//! MAI transcripts answer a task id at once and deliver their result **only
//! by webhook** to the URL registered for the account. Each returns a
//! [`PendingTask<T>`](PendingTask) typed by its result: `.wait(&receiver)`
//! resolves it from a [`WebhookReceiver`], or match callbacks yourself with
//! [`webhooks::parse_webhook`] and [`PendingTask::result_from`]. Screenplay
//! jobs are polled: [`screenplay::Screenplay::wait_until_done`].
//!
//! # Authentication and limits
//!
//! The key goes verbatim into `Authorization: <key>`, without `Bearer `.
//! Most endpoints allow 1 request per second per account: throttled answers
//! are retried with backoff, and [`Config::rate_limit`] adds an opt-in
//! client-side limiter.
//!
//! # Responses and errors
//!
//! JSON responses come in the envelope `{code, msg|message, data, success?,
//! failed?}`. `code` may be `"0000"`, `200` or `"200"` on success; **any
//! other code is an error, even under HTTP 200**. Chat completions have no
//! envelope but may be HTTP 200 with `"status": "errored"`; downloads are
//! bytes on success and a JSON envelope on failure. Errors map to [`Error`]:
//!
//! | answer | error |
//! |---|---|
//! | HTTP 401, or code `401`/`"0401"` | [`Error::Unauthorized`] |
//! | HTTP 429, or code `429`/`"0429"` (also under HTTP 200) | [`Error::RateLimited`], retried by the client |
//! | HTTP 404, or message `"Asset not found"` / `"Resource does not exist"` (the v2 docs answer unknown assets with HTTP 400 and these messages) | [`Error::NotFound`] with the code and message |
//! | any other code, e.g. `"0402"`, `"0409"`, `400`, `500`; a chat `status: "errored"` | [`Error::Api`] with the code as text and the message |
//! | a body that is not JSON | by HTTP status, or [`Error::Decode`] under 2xx |
//!
//! The docs warn that `msg` is not a stable key: the not-found reading is
//! best effort, and a reworded message becomes an [`Error::Api`].
//! `"Request has exceeded the limit."` under HTTP 400 stays an
//! [`Error::Api`] because the docs use it for throttling and for invalid
//! input alike.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub mod agents;
pub mod assets;
pub mod caption;
pub mod chat;
mod client;
mod download;
pub mod embeddings;
mod envelope;
pub mod ids;
#[cfg(feature = "websocket")]
#[cfg_attr(docsrs, doc(cfg(feature = "websocket")))]
pub mod live_audio;
pub mod neutral;
#[cfg(feature = "webhooks")]
mod receiver;
pub mod screenplay;
pub mod social;
pub mod stream_understanding;
pub mod streams;
pub mod tasks;
pub mod transcriptions;
pub mod video;
pub mod webhooks;
mod wire;

pub use assets::{
    AssetIdKind, AssetMetadata, Assets, Resource, SignedUpload, SignedUploadMethod, UploadStatus,
    UploadedAsset,
};
pub use caption::{CaptionClient, CaptionConfig};
pub use client::{
    API_KEY_VARS, BASE_URL_VAR, Client, Config, DEFAULT_BASE_URL, DEFAULT_STREAM_BASE_URL,
    DOCUMENTED_QPS, STREAM_BASE_URL_VAR, WEBHOOK_LISTEN_VAR,
};
pub use download::{Downloaded, extract_zip};
pub use media_core::http::RetryPolicy;
pub use media_core::poll::PollOptions;
pub use media_core::{Error, Result};
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub use receiver::{DEFAULT_WAIT, WebhookReceiver};
pub use tasks::{PendingTask, TaskAccepted, Tasks};
pub use webhooks::{WebhookEvent, WebhookPayload, parse_webhook};
