//! The payloads memories.ai POSTs to a `callback` / `callback_url` given with
//! an upload or an import, and [`parse_callback`] to read them.
//!
//! Callbacks carry no signature: treat them as hints and re-read the state
//! (`get_metadata`, `get_video_ids_by_task_id`) before acting on them.

use media_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::VideoStatus;
use media_core::open_enum;

open_enum! {
    /// The status an import callback reports.
    pub enum TaskStatus {
        /// `SUCCEEDED`: the platform download finished.
        Succeeded = "SUCCEEDED",
        /// `FAILED`: the import failed.
        Failed = "FAILED",
        /// `INDEXING_SUCCEEDED`: one imported video is indexed.
        IndexingSucceeded = "INDEXING_SUCCEEDED",
    }
}

/// `upload` / `upload_url` callback: a video finished (or failed) parsing.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadCallback {
    /// The video.
    #[serde(rename = "videoNo", alias = "video_no")]
    pub video_no: String,
    /// `PARSE`, `UNPARSE` or `FAIL`.
    pub status: VideoStatus,
    /// The caller's client id (one doc version only).
    #[serde(default, rename = "clientId", alias = "client_id")]
    pub client_id: Option<String>,
}

/// Import-task callback: the platform download finished or failed.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportTaskCallback {
    /// The task.
    #[serde(rename = "taskId", alias = "task_id")]
    pub task_id: String,
    /// `SUCCEEDED` or `FAILED`.
    pub status: TaskStatus,
    /// A human message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Imported-video callback: one video of an import is indexed.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedVideoCallback {
    /// The new video (`VI…`).
    #[serde(rename = "videoId", alias = "video_id")]
    pub video_id: String,
    /// The task it came from.
    #[serde(rename = "taskId", alias = "task_id")]
    pub task_id: String,
    /// `INDEXING_SUCCEEDED`.
    pub status: TaskStatus,
    /// A human message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Any callback memories.ai v1 sends.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Callback {
    /// A video upload finished parsing (`{videoNo, status}`).
    Upload(UploadCallback),
    /// An import task finished downloading (`{taskId, status}`).
    ImportTask(ImportTaskCallback),
    /// An imported video is indexed (`{videoId, taskId, status}`).
    ImportedVideo(ImportedVideoCallback),
}

/// Reads a callback request body.
///
/// The kind is told by its keys: `videoId` (imported video), `videoNo`
/// (upload), `taskId` alone (import task). A body that is not JSON or not
/// one of these is [`Error::InvalidInput`].
pub fn parse_callback(body: &[u8]) -> Result<Callback> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| Error::InvalidInput(format!("the callback body is not JSON: {err}")))?;
    let has = |key: &str| value.get(key).is_some();
    let parsed = if has("videoId") || has("video_id") {
        serde_json::from_value(value).map(Callback::ImportedVideo)
    } else if has("videoNo") || has("video_no") {
        serde_json::from_value(value).map(Callback::Upload)
    } else if has("taskId") || has("task_id") {
        serde_json::from_value(value).map(Callback::ImportTask)
    } else {
        return Err(Error::InvalidInput(
            "not a memories.ai v1 callback: no videoNo, videoId or taskId".into(),
        ));
    };
    parsed.map_err(|err| Error::InvalidInput(format!("malformed memories.ai v1 callback: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_documented_payloads() {
        let upload =
            parse_callback(br#"{"videoNo":"VI700000000000000001","status":"PARSE"}"#).unwrap();
        assert_eq!(
            upload,
            Callback::Upload(UploadCallback {
                video_no: "VI700000000000000001".into(),
                status: VideoStatus::Parse,
                client_id: None
            })
        );
        let with_client =
            parse_callback(br#"{"videoNo":"VI1","status":"FAIL","clientId":"c-1"}"#).unwrap();
        let Callback::Upload(with_client) = with_client else {
            panic!()
        };
        assert!(with_client.status.is_failed());
        assert_eq!(with_client.client_id.as_deref(), Some("c-1"));

        let task = parse_callback(
            br#"{"taskId":"0b7e6c1a-2f3d-4b59-9a77-1c2d3e4f5a6b","status":"SUCCEEDED","message":"ok"}"#,
        )
        .unwrap();
        assert_eq!(
            task,
            Callback::ImportTask(ImportTaskCallback {
                task_id: "0b7e6c1a-2f3d-4b59-9a77-1c2d3e4f5a6b".into(),
                status: TaskStatus::Succeeded,
                message: Some("ok".into())
            })
        );
        let video = parse_callback(
            br#"{"videoId":"VI700000000000000003","taskId":"t","status":"INDEXING_SUCCEEDED","message":"indexed"}"#,
        )
        .unwrap();
        let Callback::ImportedVideo(video) = video else {
            panic!()
        };
        assert_eq!(video.video_id, "VI700000000000000003");
        assert_eq!(video.status, TaskStatus::IndexingSucceeded);
        let json = serde_json::to_value(Callback::ImportedVideo(video)).unwrap();
        assert_eq!(json["videoId"], "VI700000000000000003");
    }

    #[test]
    fn unknown_statuses_are_kept_and_garbage_is_refused() {
        let task = parse_callback(br#"{"taskId":"t","status":"PARTIAL"}"#).unwrap();
        assert!(
            matches!(task, Callback::ImportTask(ImportTaskCallback { status: TaskStatus::Unknown(s), .. }) if s == "PARTIAL")
        );
        for body in [&b"not json"[..], br#"{"hello":1}"#, br#"{"videoNo":"VI1"}"#] {
            assert!(matches!(parse_callback(body), Err(Error::InvalidInput(_))));
        }
    }
}
