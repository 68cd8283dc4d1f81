//! Async jobs: the immediate `{task_id}` answer, the handle that waits for
//! the job's webhook, and `GET /task/{task_id}` (memories-v2.md §3.H, seen
//! only in first-party code).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use media_core::http::ApiRequest;
use media_core::{Result, poll::PollOptions};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Client;
use crate::envelope;
use crate::webhooks::WebhookEvent;

/// The immediate `data` of every async endpoint: `{task_id}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskAccepted {
    /// The job's id (32 hex digits), the key of its webhook callback.
    pub task_id: String,
}

/// An async job whose result arrives by webhook, typed by what that result
/// is (`T`: [`crate::webhooks::FramesResult`], [`crate::webhooks::ClipResult`], …).
///
/// Wait with [`PendingTask::wait`] on a
/// [`WebhookReceiver`](crate::WebhookReceiver) (feature `webhooks`), or match
/// callbacks yourself with [`PendingTask::result_from`].
pub struct PendingTask<T> {
    task_id: String,
    _result: PhantomData<fn() -> T>,
}

impl<T> PendingTask<T> {
    /// A handle for the job `task_id`.
    pub fn new(task_id: impl Into<String>) -> PendingTask<T> {
        PendingTask {
            task_id: task_id.into(),
            _result: PhantomData,
        }
    }

    /// The job's id.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }
}

impl<T: DeserializeOwned> PendingTask<T> {
    /// The typed result if `event` is this job's callback; `None` for
    /// another job's; [`crate::Error::TaskFailed`] when the callback reports failure.
    pub fn result_from(&self, event: &WebhookEvent) -> Option<Result<T>> {
        (event.task_id.as_deref() == Some(self.task_id.as_str())).then(|| event.result())
    }

    /// Waits for this job's callback on `receiver` (at most the receiver's
    /// default wait) and decodes it.
    #[cfg(feature = "webhooks")]
    pub async fn wait(&self, receiver: &crate::WebhookReceiver) -> Result<T> {
        receiver.wait_for(&self.task_id).await?.result()
    }

    /// Like [`PendingTask::wait`] with an explicit deadline.
    #[cfg(feature = "webhooks")]
    pub async fn wait_timeout(
        &self,
        receiver: &crate::WebhookReceiver,
        timeout: std::time::Duration,
    ) -> Result<T> {
        receiver
            .wait_for_timeout(&self.task_id, timeout)
            .await?
            .result()
    }
}

impl<T> Clone for PendingTask<T> {
    fn clone(&self) -> Self {
        PendingTask::new(self.task_id.clone())
    }
}

impl<T> PartialEq for PendingTask<T> {
    fn eq(&self, other: &Self) -> bool {
        self.task_id == other.task_id
    }
}

impl<T> fmt::Debug for PendingTask<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingTask")
            .field("task_id", &self.task_id)
            .finish()
    }
}

impl<T> Serialize for PendingTask<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TaskAccepted {
            task_id: self.task_id.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de, T> Deserialize<'de> for PendingTask<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        TaskAccepted::deserialize(deserializer).map(|accepted| PendingTask::new(accepted.task_id))
    }
}

media_core::open_enum! {
    /// `status` of `GET /task/{task_id}`.
    pub enum TaskState {
        /// `pending`.
        Pending = "pending",
        /// `processing`.
        Processing = "processing",
        /// `completed`.
        Completed = "completed",
        /// `failed`.
        Failed = "failed",
    }
}

impl TaskState {
    /// True for `completed` and `failed`.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TaskState::Completed | TaskState::Failed)
    }
}

/// The answer of `GET /task/{task_id}` (unverified: seen only in
/// first-party agent code, read with or without the E1 envelope).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStatus {
    /// The job's id, when echoed.
    #[serde(default)]
    pub task_id: Option<String>,
    /// Where the job stands.
    pub status: TaskState,
    /// The failure reason, when `failed`.
    #[serde(default, deserialize_with = "media_core::de::opt_null_string")]
    pub error: Option<String>,
    /// MAI transcript result: the visual track, when completed.
    #[serde(
        rename = "videoTranscript",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub video_transcript: Option<Value>,
    /// MAI transcript result: the speech track, when completed.
    #[serde(
        rename = "audioTranscript",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_transcript: Option<Value>,
    /// Other result keys, as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `GET /task/{task_id}`, from [`Client::tasks`].
#[derive(Debug, Clone, Copy)]
pub struct Tasks<'a> {
    client: &'a Client,
}

impl<'a> Tasks<'a> {
    pub(crate) fn new(client: &'a Client) -> Tasks<'a> {
        Tasks { client }
    }

    /// `GET /task/{task_id}`: the status of an async job.
    ///
    /// Unverified: seen only in first-party agent code (used to poll MAI
    /// transcripts); the docs deliver async results only by webhook.
    pub async fn status(&self, task_id: &str) -> Result<TaskStatus> {
        let request = ApiRequest::get("/task/{task_id}").path_param("task_id", task_id);
        self.client
            .execute_with(request, envelope::decode_bare_or_enveloped::<TaskStatus>)
            .await
    }

    /// Polls [`Tasks::status`] until the job is `completed` (returned) or
    /// `failed` ([`crate::Error::TaskFailed`] with its `error`), calling
    /// `on_update` with every observation. Unverified, like `status`.
    pub async fn wait_until_done<U>(
        &self,
        task_id: &str,
        options: &PollOptions,
        on_update: U,
    ) -> Result<TaskStatus>
    where
        U: FnMut(&TaskStatus),
    {
        let tasks = *self;
        let check = move || async move {
            let status = tasks.status(task_id).await?;
            match status.status {
                TaskState::Completed => Ok(media_core::poll::PollStatus::Done(status)),
                TaskState::Failed => Err(media_core::Error::TaskFailed {
                    provider: media_core::Provider::MemoriesV2,
                    task_id: task_id.to_owned(),
                    reason: status.error.unwrap_or_else(|| "failed".into()),
                }),
                _ => Ok(media_core::poll::PollStatus::Pending(status)),
            }
        };
        let what = format!("task {task_id}");
        media_core::poll::wait_until(
            media_core::Provider::MemoriesV2,
            &what,
            options,
            check,
            on_update,
        )
        .await
    }
}
