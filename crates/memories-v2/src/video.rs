//! Video tasks (memories-v2.md §3.B, "Visual Agents"): scene detection
//! (`/video/clip`), split and AI edit. All three are async: they answer a
//! task id at once and deliver the result only by webhook, so each returns a
//! [`PendingTask`] typed by its result.

use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::assets::Resource;
use crate::tasks::{PendingTask, TaskAccepted};
use crate::webhooks::{ClipResult, SplitResult};
use crate::wire::{AssetBody, non_empty};

/// The longest `user_prompt` of `/video/edit`.
pub const MAX_EDIT_PROMPT_CHARS: usize = 500;

media_core::open_enum! {
    /// `orientation` of `/video/edit`.
    pub enum Orientation {
        /// `landscape` (16:9).
        Landscape = "landscape",
        /// `portrait` (9:16).
        Portrait = "portrait",
    }
}

/// The body of `POST /video/split`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitParams {
    /// The video asset.
    pub asset_id: String,
    /// Segment length in seconds (sent by the official examples client,
    /// default 60 there; not on the readable doc pages: unverified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_seconds: Option<u32>,
}

impl SplitParams {
    /// Split `asset_id` at the server's default segment length.
    pub fn new(asset_id: impl Into<String>) -> SplitParams {
        SplitParams {
            asset_id: asset_id.into(),
            segment_seconds: None,
        }
    }

    /// Segment length in seconds (at least 1).
    pub fn segment_seconds(mut self, seconds: u32) -> SplitParams {
        self.segment_seconds = Some(seconds);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("asset_id", &self.asset_id)?;
        media_core::check::in_range("segment_seconds", self.segment_seconds, 1..=u32::MAX)
    }
}

/// The body of `POST /video/edit`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditParams {
    /// One or more video assets to combine.
    pub asset_ids: Vec<String>,
    /// Output orientation.
    pub orientation: Orientation,
    /// The editing instruction, at most 500 characters (English recommended).
    pub user_prompt: String,
}

impl EditParams {
    /// Edit `asset_ids` into one video following `user_prompt`.
    pub fn new<I, S>(
        asset_ids: I,
        orientation: Orientation,
        user_prompt: impl Into<String>,
    ) -> EditParams
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        EditParams {
            asset_ids: asset_ids.into_iter().map(Into::into).collect(),
            orientation,
            user_prompt: user_prompt.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        if self.asset_ids.is_empty() {
            return Err(media_core::Error::InvalidInput(
                "asset_ids must name at least one asset".into(),
            ));
        }
        for id in &self.asset_ids {
            non_empty("asset_ids[]", id)?;
        }
        non_empty("user_prompt", &self.user_prompt)?;
        let chars = self.user_prompt.chars().count();
        if chars > MAX_EDIT_PROMPT_CHARS {
            return Err(media_core::Error::InvalidInput(format!(
                "user_prompt has {chars} characters, at most {MAX_EDIT_PROMPT_CHARS} are allowed"
            )));
        }
        Ok(())
    }
}

/// The video-task endpoints, from [`Client::video`].
#[derive(Debug, Clone, Copy)]
pub struct Video<'a> {
    client: &'a Client,
}

impl<'a> Video<'a> {
    pub(crate) fn new(client: &'a Client) -> Video<'a> {
        Video { client }
    }

    /// `POST /video/clip`: async scene detection; the callback lists scenes
    /// as frame ranges. (There are no start/end parameters: the old
    /// "trim by time" description is not backed by any field.)
    pub async fn clip(&self, asset_id: &str) -> Result<PendingTask<ClipResult>> {
        non_empty("asset_id", asset_id)?;
        let request = ApiRequest::post("/video/clip").json(&AssetBody { asset_id });
        accept(self.client, request).await
    }

    /// `POST /video/split`: async split into segment assets.
    pub async fn split(&self, params: &SplitParams) -> Result<PendingTask<SplitResult>> {
        params.validate()?;
        accept(self.client, ApiRequest::post("/video/split").json(params)).await
    }

    /// `POST /video/edit`: async AI edit/compose; the callback carries the
    /// new `re_` asset.
    pub async fn edit(&self, params: &EditParams) -> Result<PendingTask<Resource>> {
        params.validate()?;
        accept(self.client, ApiRequest::post("/video/edit").json(params)).await
    }
}

/// Sends an async job request and wraps its `{task_id}` answer.
pub(crate) async fn accept<T>(client: &Client, request: ApiRequest) -> Result<PendingTask<T>> {
    let accepted: TaskAccepted = client.execute(request).await?;
    Ok(PendingTask::new(accepted.task_id))
}
