//! Social-media data (memories-v2.md §3.F): platform metadata and captions
//! of one public post, and the async AI visual + speech ("MAI") transcript.
//!
//! The `data` of metadata and transcript answers is passed through from the
//! scraping provider and changes shape with the platform **and** the
//! `channel`, so it is kept as untyped JSON.
//!
//! The scraper detail/comment/reply pages are listed in the docs index but
//! their paths were never readable (inferred): they are not implemented.

use media_core::http::ApiRequest;
use media_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::tasks::PendingTask;
use crate::video::accept;
use crate::webhooks::MaiTranscriptResult;
use crate::wire::non_empty;

/// A supported platform (the first path segment).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// `youtube`.
    Youtube,
    /// `tiktok`.
    Tiktok,
    /// `instagram`.
    Instagram,
    /// `twitter` (x.com URLs count as twitter).
    Twitter,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 4] = [
        Platform::Youtube,
        Platform::Tiktok,
        Platform::Instagram,
        Platform::Twitter,
    ];

    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Youtube => "youtube",
            Platform::Tiktok => "tiktok",
            Platform::Instagram => "instagram",
            Platform::Twitter => "twitter",
        }
    }

    fn paths(self) -> [&'static str; 3] {
        match self {
            Platform::Youtube => [
                "/youtube/video/metadata",
                "/youtube/video/transcript",
                "/youtube/video/mai/transcript",
            ],
            Platform::Tiktok => [
                "/tiktok/video/metadata",
                "/tiktok/video/transcript",
                "/tiktok/video/mai/transcript",
            ],
            Platform::Instagram => [
                "/instagram/video/metadata",
                "/instagram/video/transcript",
                "/instagram/video/mai/transcript",
            ],
            Platform::Twitter => [
                "/twitter/video/metadata",
                "/twitter/video/transcript",
                "/twitter/video/mai/transcript",
            ],
        }
    }
}

impl std::str::FromStr for Platform {
    type Err = Error;
    fn from_str(value: &str) -> Result<Platform> {
        match value.trim().to_ascii_lowercase().as_str() {
            "youtube" => Ok(Platform::Youtube),
            "tiktok" => Ok(Platform::Tiktok),
            "instagram" => Ok(Platform::Instagram),
            "twitter" | "x" => Ok(Platform::Twitter),
            other => Err(Error::InvalidInput(format!(
                "unknown platform {other:?} (youtube, tiktok, instagram, twitter)"
            ))),
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

media_core::open_enum! {
    /// `channel`: which scraping backend serves the call.
    pub enum Channel {
        /// `apify` (richest shape, includes download links).
        Apify = "apify",
        /// `rapid`.
        Rapid = "rapid",
        /// `memories.ai`.
        MemoriesAi = "memories.ai",
    }
}

/// The body of `/{platform}/video/metadata` and `/{platform}/video/transcript`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialVideoParams {
    /// The public post URL.
    pub video_url: String,
    /// The backend; left out, the server routes (old pages required it,
    /// the newest docs make it optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

impl SocialVideoParams {
    /// The post at `video_url`.
    pub fn new(video_url: impl Into<String>) -> SocialVideoParams {
        SocialVideoParams {
            video_url: video_url.into(),
            channel: None,
        }
    }

    /// Sets `channel`.
    pub fn channel(mut self, channel: Channel) -> SocialVideoParams {
        self.channel = Some(channel);
        self
    }
}

/// The body of `/{platform}/video/mai/transcript`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaiTranscriptParams {
    /// The public post URL.
    pub video_url: String,
    /// A per-request callback URL (seen only in first-party code:
    /// unverified); the account webhook otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

impl MaiTranscriptParams {
    /// The post at `video_url`.
    pub fn new(video_url: impl Into<String>) -> MaiTranscriptParams {
        MaiTranscriptParams {
            video_url: video_url.into(),
            webhook_url: None,
        }
    }

    /// Sets `webhook_url`.
    pub fn webhook_url(mut self, url: impl Into<String>) -> MaiTranscriptParams {
        self.webhook_url = Some(url.into());
        self
    }
}

fn check_url(video_url: &str) -> Result<()> {
    non_empty("video_url", video_url)?;
    if !(video_url.starts_with("https://") || video_url.starts_with("http://")) {
        return Err(Error::InvalidInput(format!(
            "video_url {video_url:?} must be an http(s) post URL"
        )));
    }
    Ok(())
}

/// The social-media endpoints, from [`Client::social`].
#[derive(Debug, Clone, Copy)]
pub struct Social<'a> {
    client: &'a Client,
}

impl<'a> Social<'a> {
    pub(crate) fn new(client: &'a Client) -> Social<'a> {
        Social { client }
    }

    /// `POST /{platform}/video/metadata`: the post's platform metadata, as
    /// the scraping provider returns it (an array of items for Twitter and
    /// TikTok via `apify`, an object for Instagram, …).
    pub async fn video_metadata(
        &self,
        platform: Platform,
        params: &SocialVideoParams,
    ) -> Result<Value> {
        check_url(&params.video_url)?;
        let request = ApiRequest::post(platform.paths()[0]).json(params);
        self.client.execute(request).await
    }

    /// `POST /{platform}/video/transcript`: the post's captions, as the
    /// provider returns them (YouTube `start`/`dur` are strings).
    pub async fn video_transcript(
        &self,
        platform: Platform,
        params: &SocialVideoParams,
    ) -> Result<Value> {
        check_url(&params.video_url)?;
        let request = ApiRequest::post(platform.paths()[1]).json(params);
        self.client.execute(request).await
    }

    /// `POST /{platform}/video/mai/transcript`: async AI visual + speech
    /// transcript, by webhook (or poll [`crate::Tasks::status`], first-party code only).
    pub async fn mai_transcript(
        &self,
        platform: Platform,
        params: &MaiTranscriptParams,
    ) -> Result<PendingTask<MaiTranscriptResult>> {
        check_url(&params.video_url)?;
        accept(
            self.client,
            ApiRequest::post(platform.paths()[2]).json(params),
        )
        .await
    }
}
