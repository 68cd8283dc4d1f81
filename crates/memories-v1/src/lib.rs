//! A typed async client for the whole memories.ai v1 API (`https://api.memories.ai/serve/api/v1`):
//! uploads and platform imports, the library, search, transcripts and
//! summaries, chat (whole or streamed), text memories, and callbacks.
//!
//! ```no_run
//! use futures::StreamExt as _;
//! use memories_v1::{ChatParams, Client, PollOptions, SearchParams, UploadFileParams};
//!
//! # async fn run() -> memories_v1::Result<()> {
//! // MEMORIES_V1_API_KEY (or MEMORIES_API_KEY), optional MEMORIES_V1_BASE_URL.
//! let client = Client::from_env()?;
//!
//! // Upload (multipart, streamed from disk); the answer comes at once, UNPARSE.
//! let uploaded = client
//!     .upload()
//!     .file(&UploadFileParams::new("beach_walk.mp4").tags(["trip"]), None)
//!     .await?;
//!
//! // Wait until it is indexed (FAIL / FAILED / PARSE_ERROR end in Error::TaskFailed).
//! let video = client
//!     .library()
//!     .wait_until_parsed(uploaded.video_no.as_str(), &PollOptions::default(), |v| {
//!         println!("still {:?}", v.status);
//!     })
//!     .await?;
//!
//! // Search the namespace, then ask about the video and print the answer as it is written.
//! for hit in client.search().search(&SearchParams::new("sunset on the beach")).await?.clips() {
//!     println!("{} at {:?} s", hit.video_no, hit.start_time);
//! }
//! let mut answer = client
//!     .chat()
//!     .chat_stream(&ChatParams::new([video.video_no.as_str()], "When does the sun set?"))
//!     .await?;
//! while let Some(event) = answer.next().await {
//!     if let Some(text) = event?.text() {
//!         print!("{text}");
//!     }
//! }
//!
//! // The provider-neutral view.
//! let asset: media_core::Asset = video.into();
//! # let _ = asset;
//! # Ok(())
//! # }
//! ```
//!
//! The crate mirrors the API: one handle per API group, named as memories.ai
//! names them ([`Client::upload`], [`Client::library`], [`Client::search`],
//! [`Client::transcription`], [`Client::chat`], [`Client::memory`]), request
//! parameters with required values as constructor arguments and optional ones
//! as setters (documented limits checked before sending), and response models
//! that keep the provider's field names while decoding its quirks: numbers
//! sent as strings, the string `"null"`, 18-digit ids kept exactly as text,
//! epoch milliseconds (and `publish_time` in seconds), and the same value
//! spelled `videoNo`/`video_no`, `taskId`/`task_id`, `startTime`/`start_time`,
//! `sessionId`/`session_id` across endpoints (both accepted).
//!
//! Errors are [`media_core::Error`]: success is decided by the body's
//! `code == "0000"`, not the HTTP status. `"0401"`/`"9009"` are
//! [`Error::Unauthorized`], `"0429"` is [`Error::RateLimited`] and is retried
//! with backoff by the client's [`RetryPolicy`], other codes are
//! [`Error::Api`] with the code and message.
//!
//! Namespaces: memories.ai partitions one account by `unique_id`. Every
//! call sends one explicitly, the client's default (`"default"`, or
//! [`Config::unique_id`]) unless the call's parameters name another.
//!
//! Rate limits: two official tables disagree (up to 600×); the stricter one
//! is 1 QPM for uploads, 1 QPS for search, transcripts and summaries, 2 QPM for
//! chat, 5 QPS for listing and deletion, 12 QPM for downloads. Pace bulk work
//! accordingly; a throttled call (`"0429"` or HTTP 429) is retried.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod callback;
pub mod chat;
mod client;
mod common;
mod de;
mod envelope;
pub mod library;
pub mod memory;
mod neutral;
pub mod search;
pub mod transcription;
pub mod upload;

pub use callback::{
    Callback, ImportTaskCallback, ImportedVideoCallback, TaskStatus, UploadCallback, parse_callback,
};
pub use chat::{
    Chat, ChatEvent, ChatParams, ChatRef, ChatReply, ChatStream, MarketerChatParams,
    PersonalChatParams, RefItem, RefItemType, RefVideo, SessionDetail, SessionMessage, SessionPage,
    SessionSummary, Thinking,
};
pub use client::{API_KEY_VARS, BASE_URL_VAR, Client, Config, DEFAULT_BASE_URL};
pub use common::{DEFAULT_UNIQUE_ID, Platform, VideoStatus};
pub use library::{
    GetMetadataParams, ImageListParams, ImagePage, ImportTaskStatus, Library, ListVideosParams,
    ListedImage, ListedVideo, PrivateVideoDetails, PublicVideoDetail, TaskParams, TaskVideo,
    UniqueIds, VideoMetadata, VideoPage,
};
pub use media_core::http::{RetryPolicy, SaveOptions};
pub use media_core::poll::PollOptions;
pub use media_core::{Error, Result};
pub use media_core::{ProgressFn, UploadProgress};
pub use memory::{AddMemoriesParams, Memory, MemoryItem, MemoryQuery};
pub use search::{
    ClipMatch, ClipsByImageParams, FilteringLevel, ImageHit, ImageMatch, ImageSearchPage,
    ImageSearchParams, PublicSearchParams, Search, SearchClip, SearchParams, SearchResults,
    SearchType, TranscriptHit, TranscriptSearchPage, TranscriptSearchParams,
};
pub use transcription::{
    Summary, SummaryItem, SummaryType, Transcript, TranscriptSegment, Transcription,
    UpdateTranscriptionParams, UpdatedTranscription,
};
pub use upload::{
    ImportTask, ScraperParams, ScraperTagParams, ScraperUrlParams, Upload, UploadFileParams,
    UploadImagesParams, UploadOptions, UploadUrlParams, UploadedImage, UploadedVideo,
};
