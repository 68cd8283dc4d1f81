//! Screenplay extraction (memories-v2.md §3.B, B.4–B.7): submit a job over
//! short-drama episodes, poll it, download the results zip, cancel it.
//! Unlike the other async jobs it can be polled: see
//! [`Screenplay::wait_until_done`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use media_core::http::{ApiRequest, SaveOptions};
use media_core::poll::{PollOptions, PollStatus};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::download::{self, Downloaded};

media_core::open_enum! {
    /// `mode` of a screenplay job.
    pub enum ScreenplayMode {
        /// `short_drama`, the only mode available today.
        ShortDrama = "short_drama",
        /// `korean_drama` ("coming soon").
        KoreanDrama = "korean_drama",
        /// `prompt_script` ("coming soon").
        PromptScript = "prompt_script",
    }
}

media_core::open_enum! {
    /// `status` of a screenplay job.
    pub enum ScreenplayState {
        /// `pending`.
        Pending = "pending",
        /// `running`.
        Running = "running",
        /// `completed`: the results can be downloaded.
        Completed = "completed",
        /// `failed`: see `error_code` / `error_message`.
        Failed = "failed",
        /// `cancelled`.
        Cancelled = "cancelled",
    }
}

impl ScreenplayState {
    /// True for `completed`, `failed` and `cancelled`.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            ScreenplayState::Completed | ScreenplayState::Failed | ScreenplayState::Cancelled
        )
    }
}

/// `config` of a screenplay job; every field optional, at least one of the
/// three `require_*` outputs must end up true (`require_json` defaults to true).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenplayConfig {
    /// e.g. `zh-CN`, `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Identify characters by face.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_face_recognition: Option<bool>,
    /// Read burned-in subtitles instead of ASR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_subtitle: Option<bool>,
    /// Transcript + storyboard JSON outputs (server default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_json: Option<bool>,
    /// One spreadsheet per episode (server default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_xlsx: Option<bool>,
    /// One merged spreadsheet (server default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_merge_xlsx: Option<bool>,
    /// Processing parallelism (server default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
}

impl ScreenplayConfig {
    /// The server defaults.
    pub fn new() -> ScreenplayConfig {
        ScreenplayConfig::default()
    }

    /// Sets `language`.
    pub fn language(mut self, language: impl Into<String>) -> ScreenplayConfig {
        self.language = Some(language.into());
        self
    }

    /// Sets `use_face_recognition`.
    pub fn use_face_recognition(mut self, on: bool) -> ScreenplayConfig {
        self.use_face_recognition = Some(on);
        self
    }

    /// Sets `use_subtitle`.
    pub fn use_subtitle(mut self, on: bool) -> ScreenplayConfig {
        self.use_subtitle = Some(on);
        self
    }

    /// Sets `require_json`.
    pub fn require_json(mut self, on: bool) -> ScreenplayConfig {
        self.require_json = Some(on);
        self
    }

    /// Sets `require_xlsx`.
    pub fn require_xlsx(mut self, on: bool) -> ScreenplayConfig {
        self.require_xlsx = Some(on);
        self
    }

    /// Sets `require_merge_xlsx`.
    pub fn require_merge_xlsx(mut self, on: bool) -> ScreenplayConfig {
        self.require_merge_xlsx = Some(on);
        self
    }

    /// Sets `concurrency` (at least 1).
    pub fn concurrency(mut self, concurrency: u32) -> ScreenplayConfig {
        self.concurrency = Some(concurrency);
        self
    }
}

/// The body of `POST /screenplay/tasks`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenplayParams {
    /// The processing mode.
    pub mode: ScreenplayMode,
    /// Episode number (as a string key) → video asset id (each under 5 minutes).
    pub episodes: BTreeMap<String, String>,
    /// Options.
    pub config: ScreenplayConfig,
}

impl ScreenplayParams {
    /// A job over `episodes`, given in episode order (numbered from 1).
    pub fn new<I, S>(mode: ScreenplayMode, episodes: I) -> ScreenplayParams
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ScreenplayParams {
            mode,
            episodes: episodes
                .into_iter()
                .enumerate()
                .map(|(index, id)| ((index + 1).to_string(), id.into()))
                .collect(),
            config: ScreenplayConfig::default(),
        }
    }

    /// Replaces the options.
    pub fn config(mut self, config: ScreenplayConfig) -> ScreenplayParams {
        self.config = config;
        self
    }

    fn validate(&self) -> Result<()> {
        if self.episodes.is_empty() {
            return Err(Error::InvalidInput("episodes must not be empty".into()));
        }
        for (number, asset_id) in &self.episodes {
            crate::wire::non_empty(&format!("episodes[{number}]"), asset_id)?;
        }
        let config = &self.config;
        let any_output = config.require_json.unwrap_or(true)
            || config.require_xlsx.unwrap_or(false)
            || config.require_merge_xlsx.unwrap_or(false);
        if !any_output {
            return Err(Error::InvalidInput(
                "at least one of require_json, require_xlsx, require_merge_xlsx must be true"
                    .into(),
            ));
        }
        media_core::check::in_range("concurrency", config.concurrency, 1..=u32::MAX)
    }
}

/// The `data` of `POST /screenplay/tasks`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenplayTask {
    /// `ros-sd-YYYYMMDD-<8 hex>`.
    pub task_id: String,
    /// `pending` at submission.
    pub status: ScreenplayState,
    /// The mode, echoed.
    #[serde(default)]
    pub mode: Option<ScreenplayMode>,
    /// Submission time (ISO-8601 UTC).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Sum of the episodes' durations.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub total_duration_seconds: Option<f64>,
}

/// `data.progress` of a running screenplay job.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenplayProgress {
    /// Episodes in the job.
    #[serde(deserialize_with = "media_core::de::u64_loose")]
    pub total_episodes: u64,
    /// Episodes done.
    #[serde(deserialize_with = "media_core::de::u64_loose")]
    pub completed_episodes: u64,
}

/// The `data` of `GET /screenplay/tasks/{task_id}` (and of the cancel call,
/// which carries only `task_id` and `status`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenplayStatus {
    /// The job's id.
    pub task_id: String,
    /// Where the job stands.
    pub status: ScreenplayState,
    /// Only while `running`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<ScreenplayProgress>,
    /// Only when `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Only when `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// The screenplay endpoints, from [`Client::screenplay`].
#[derive(Debug, Clone, Copy)]
pub struct Screenplay<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Screenplay<'a> {
    pub(crate) fn new(client: &'a Client) -> Screenplay<'a> {
        Screenplay { client }
    }

    /// `POST /screenplay/tasks`: submits a job (charged at once, per minute).
    pub async fn submit(&self, params: &ScreenplayParams) -> Result<ScreenplayTask> {
        params.validate()?;
        self.client
            .execute(ApiRequest::post("/screenplay/tasks").json(params))
            .await
    }

    /// `GET /screenplay/tasks/{task_id}`: the job's status and progress.
    pub async fn status(&self, task_id: &str) -> Result<ScreenplayStatus> {
        let request = ApiRequest::get("/screenplay/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute(request).await
    }

    /// `GET /screenplay/tasks/{task_id}/download`: streams the results zip
    /// of a `completed` job to the file `path` (an existing file is kept
    /// unless `overwrite`). A job that is not completed answers the
    /// documented JSON error (`"Task is not completed yet, current status: …"`).
    pub async fn download(
        &self,
        task_id: &str,
        path: &Path,
        overwrite: bool,
    ) -> Result<Downloaded> {
        let request =
            ApiRequest::get("/screenplay/tasks/{task_id}/download").path_param("task_id", task_id);
        let options = SaveOptions::new().overwrite(overwrite);
        download::to_file(self.client, &request, path, options, None).await
    }

    /// Downloads the results zip and extracts it into `dir`; returns the
    /// files (`*_transcript.json`, `*_storyboard.json`, `namelist.json`,
    /// spreadsheets). Entry names never escape `dir`.
    pub async fn download_and_extract(&self, task_id: &str, dir: &Path) -> Result<Vec<PathBuf>> {
        tokio::fs::create_dir_all(dir).await?;
        let zip_path = dir.join(format!(".{}.zip.part", task_id.replace(['/', '\\'], "_")));
        self.download(task_id, &zip_path, true).await?;
        let (zip, target) = (zip_path.clone(), dir.to_owned());
        let extracted = tokio::task::spawn_blocking(move || download::extract_zip(&zip, &target))
            .await
            .map_err(|err| Error::Io(std::io::Error::other(err.to_string())))?;
        let _ = tokio::fs::remove_file(&zip_path).await;
        extracted
    }

    /// `DELETE /screenplay/tasks/{task_id}`: cancels a `pending` or
    /// `running` job (irreversible, not refunded); answers `cancelled`.
    pub async fn cancel(&self, task_id: &str) -> Result<ScreenplayStatus> {
        let request =
            ApiRequest::delete("/screenplay/tasks/{task_id}").path_param("task_id", task_id);
        self.client.execute(request).await
    }

    /// Polls [`Screenplay::status`] until the job is `completed` (returned),
    /// calling `on_update` with every observation. `failed` and `cancelled`
    /// end the wait with [`Error::TaskFailed`] (the reason carries
    /// `error_code: error_message`); `options.max_wait` with [`Error::Timeout`].
    pub async fn wait_until_done<U>(
        &self,
        task_id: &str,
        options: &PollOptions,
        on_update: U,
    ) -> Result<ScreenplayStatus>
    where
        U: FnMut(&ScreenplayStatus),
    {
        let screenplay = *self;
        let check = move || async move {
            let status = screenplay.status(task_id).await?;
            match &status.status {
                ScreenplayState::Completed => Ok(PollStatus::Done(status)),
                ScreenplayState::Failed | ScreenplayState::Cancelled => {
                    let reason = match (&status.error_code, &status.error_message) {
                        (Some(code), Some(message)) => format!("{code}: {message}"),
                        (None, Some(message)) => message.clone(),
                        (Some(code), None) => code.clone(),
                        (None, None) => format!("the task is {}", status.status),
                    };
                    Err(Error::TaskFailed {
                        provider: Provider::MemoriesV2,
                        task_id: task_id.to_owned(),
                        reason,
                    })
                }
                _ => Ok(PollStatus::Pending(status)),
            }
        };
        let what = format!("screenplay task {task_id}");
        media_core::poll::wait_until(Provider::MemoriesV2, &what, options, check, on_update).await
    }
}
