//! Live video understanding on the adjacent host `stream.memories.ai`
//! (memories-v2.md §3.I): the server pulls an RTMP stream, applies your
//! prompt to each window of frames and POSTs the results to your `callback`
//! URL, roughly every 5 seconds, until the stream is stopped, the source
//! ends or the credits run out.
//!
//! ```no_run
//! # async fn run(client: memories_v2::Client) -> memories_v2::Result<()> {
//! use memories_v2::stream_understanding::StreamConnectParams;
//!
//! let params = StreamConnectParams::new(
//!     "rtmp://live.example.com:1935/live/kitchen",
//!     "What stage is the food preparation at?",
//!     "https://your.app/callback",
//! )
//! .system_prompt("Track the current cooking progress.");
//! let task = client.stream_understanding().connect(&params).await?;
//! // … results arrive at the callback …
//! client.stream_understanding().stop(&task.task_id).await?;
//! # Ok(()) }
//! ```
//!
//! The host takes the same key as v2 (`Authorization: <key>`) and is
//! reached at [`Config::stream_base_url`](crate::Config::stream_base_url)
//! (default [`DEFAULT_STREAM_BASE_URL`](crate::DEFAULT_STREAM_BASE_URL)).
//! It answers in its own shape E8 `{status, task_id, text}`: `status` `0`
//! started, `14` stopped; `-1` (invalid request or unknown task) and `5000`
//! (internal error) become [`Error::Api`] with that code.
//! At most [`MAX_CONCURRENT_TASKS`] tasks run per key.
//!
//! The callback payload is not in the catalog; third-party code reads
//! `{status, task_id, data: {text, …}}`, which
//! [`caption::parse_callback`](crate::caption::parse_callback) also reads
//! (unverified).

use std::collections::BTreeMap;
use std::fmt;

use media_core::http::ApiRequest;
use media_core::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Client;
use crate::envelope::decode_e8;
use crate::wire::non_empty;

/// The documented limit of concurrent tasks per key.
pub const MAX_CONCURRENT_TASKS: usize = 4;

/// The `status` of an E8 answer.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamStatus {
    /// `0`: the task started.
    Started,
    /// `14`: the task stopped.
    Stopped,
    /// Any other value, as sent.
    Other(i64),
}

impl StreamStatus {
    /// The value as sent.
    pub fn code(self) -> i64 {
        match self {
            StreamStatus::Started => 0,
            StreamStatus::Stopped => 14,
            StreamStatus::Other(code) => code,
        }
    }

    /// The status for a value.
    pub fn from_code(code: i64) -> StreamStatus {
        match code {
            0 => StreamStatus::Started,
            14 => StreamStatus::Stopped,
            other => StreamStatus::Other(other),
        }
    }
}

impl fmt::Display for StreamStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl Serialize for StreamStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for StreamStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let code = match &value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        code.map(StreamStatus::from_code).ok_or_else(|| {
            serde::de::Error::custom(format!("status must be an integer, got {value}"))
        })
    }
}

/// An answer of `streamConnect` or `stop` (E8).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamTask {
    /// [`StreamStatus::Started`] after `streamConnect`, [`StreamStatus::Stopped`] after `stop`.
    pub status: StreamStatus,
    /// The task id (a UUID).
    pub task_id: String,
    /// `""` in the `streamConnect` example; absent from `stop`'s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Members the catalog does not show, kept as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The body of `POST /understand/streamConnect`.
///
/// `callback` is a constructor argument although the catalog does not mark
/// it required: the results are only ever delivered there, so a task
/// without one would bill credits for nothing.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamConnectParams {
    /// The RTMP source, `rtmp://…` (or `rtmps://…`).
    pub url: String,
    /// The instruction applied to each window of frames.
    pub user_prompt: String,
    /// Role or context for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
    /// Public URL called repeatedly with results (roughly every 5 s).
    pub callback: String,
    /// Reasoning mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<bool>,
}

impl StreamConnectParams {
    /// Understand the RTMP stream at `url` with `user_prompt`, sending the
    /// results to `callback`.
    pub fn new(
        url: impl Into<String>,
        user_prompt: impl Into<String>,
        callback: impl Into<String>,
    ) -> StreamConnectParams {
        StreamConnectParams {
            url: url.into(),
            user_prompt: user_prompt.into(),
            system_prompt: None,
            callback: callback.into(),
            thinking: None,
        }
    }

    /// Sets `system_prompt`.
    pub fn system_prompt(mut self, prompt: impl Into<String>) -> StreamConnectParams {
        self.system_prompt = Some(prompt.into());
        self
    }

    /// Sets `thinking` (reasoning mode).
    pub fn thinking(mut self, on: bool) -> StreamConnectParams {
        self.thinking = Some(on);
        self
    }

    /// Checks the documented constraints before anything is sent.
    pub fn validate(&self) -> Result<()> {
        let scheme_ok = reqwest::Url::parse(self.url.trim()).is_ok_and(|url| {
            matches!(url.scheme(), "rtmp" | "rtmps")
                && url.host_str().is_some_and(|h| !h.is_empty())
        });
        if !scheme_ok {
            return Err(Error::InvalidInput(format!(
                "url must be an RTMP stream URL (rtmp://host/app/stream or rtmps://…), got {:?}",
                self.url
            )));
        }
        non_empty("user_prompt", &self.user_prompt)?;
        crate::caption::check_http_url("callback", &self.callback)
    }
}

/// The `stream.memories.ai` calls, from [`Client::stream_understanding`].
#[derive(Debug, Clone, Copy)]
pub struct StreamUnderstanding<'a> {
    client: &'a Client,
}

impl<'a> StreamUnderstanding<'a> {
    pub(crate) fn new(client: &'a Client) -> StreamUnderstanding<'a> {
        StreamUnderstanding { client }
    }

    /// `POST /understand/streamConnect`: starts a task. Fails with
    /// [`Error::Api`] (code `"-1"`) when the request is refused, which
    /// includes a fifth concurrent task on the key.
    pub async fn connect(&self, params: &StreamConnectParams) -> Result<StreamTask> {
        params.validate()?;
        let request = ApiRequest::post("/understand/streamConnect").json(params);
        self.client
            .execute_stream_host(request, |raw| decode_e8(&raw, 0))
            .await
    }

    /// `POST /understand/stop/{task_id}`: stops a task; no more callbacks
    /// are sent. An unknown (or already stopped) task is [`Error::Api`]
    /// with code `"-1"`.
    pub async fn stop(&self, task_id: &str) -> Result<StreamTask> {
        let request = ApiRequest::post("/understand/stop/{task_id}").path_param("task_id", task_id);
        self.client
            .execute_stream_host(request, |raw| decode_e8(&raw, 14))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answers_decode() {
        let started: StreamTask = serde_json::from_str(
            r#"{"status":0,"task_id":"5347085a-1747-4731-bdde-3856d09502c4","text":""}"#,
        )
        .unwrap();
        assert_eq!(started.status, StreamStatus::Started);
        assert_eq!(started.task_id, "5347085a-1747-4731-bdde-3856d09502c4");
        assert_eq!(started.text.as_deref(), Some(""));
        assert!(started.extra.is_empty());
        let stopped: StreamTask = serde_json::from_str(
            r#"{"status":14,"task_id":"5347085a-1747-4731-bdde-3856d09502c4","new":1}"#,
        )
        .unwrap();
        assert_eq!(stopped.status, StreamStatus::Stopped);
        assert_eq!(stopped.text, None);
        assert_eq!(stopped.extra["new"], 1);
        assert_eq!(
            serde_json::to_value(&stopped).unwrap(),
            serde_json::json!({"status":14,"task_id":"5347085a-1747-4731-bdde-3856d09502c4","new":1})
        );
        assert_eq!(StreamStatus::from_code(7), StreamStatus::Other(7));
        assert_eq!(StreamStatus::Other(7).to_string(), "7");
    }

    #[test]
    fn validation() {
        let ok = StreamConnectParams::new("rtmp://h:1935/live/x", "p", "https://a/cb");
        assert!(ok.validate().is_ok());
        assert!(
            StreamConnectParams::new("RTMPS://h/live/x", "p", "http://127.0.0.1:9/cb")
                .validate()
                .is_ok()
        );
        for bad in [
            StreamConnectParams::new("https://h/live.m3u8", "p", "https://a/cb"),
            StreamConnectParams::new("rtmp://", "p", "https://a/cb"),
            StreamConnectParams::new("rtmp://h/x", " ", "https://a/cb"),
            StreamConnectParams::new("rtmp://h/x", "p", ""),
            StreamConnectParams::new("rtmp://h/x", "p", "ftp://a/cb"),
        ] {
            assert!(
                matches!(bad.validate(), Err(Error::InvalidInput(_))),
                "{bad:?}"
            );
        }
    }
}
