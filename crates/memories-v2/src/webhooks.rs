//! Webhook callbacks (memories-v2.md §3.J): the E4 payload
//! `{code, message, data, task_id}` every async job delivers to the
//! account's registered URL, typed per job kind.
//!
//! [`parse_webhook`] reads one callback body; [`WebhookEvent::payload`]
//! tells the job kind from the payload's shape (callbacks do not name their
//! kind), and [`WebhookEvent::result`] decodes `data` into the type the
//! caller expects (what a [`crate::PendingTask`] does). With the `webhooks`
//! feature, [`WebhookReceiver`](crate::WebhookReceiver) listens for
//! callbacks and resolves per-task futures.
//!
//! ```
//! use memories_v2::webhooks::{WebhookPayload, parse_webhook};
//!
//! let body = br#"{"code": 200, "message": "SUCCESS", "task_id": "5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b",
//!   "data": {"asset_id": "im_700000000000000010",
//!            "asset_ch_ids": ["imc_700000000000000010_0", "imc_700000000000000010_1"]}}"#;
//! let event = parse_webhook(body)?;
//! assert_eq!(event.task_id.as_deref(), Some("5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b"));
//! let WebhookPayload::Frames(frames) = event.payload()? else { unreachable!() };
//! assert_eq!(frames.frame_ids()?.len(), 2);
//! # Ok::<(), memories_v2::Error>(())
//! ```
//!
//! No signature, retry schedule or failure shape is documented: a callback
//! whose `code` is not a success code (`200`, `"200"`, `"0000"`) is read as
//! the job's failure, with `message` as the reason.

use std::collections::BTreeMap;

use media_core::{Error, Provider, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::assets::Resource;
use crate::envelope::{code_text, is_success_code};
use crate::ids::{FrameGroupId, FrameId};

/// One webhook callback (E4).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// `200` (old pages: `"0000"`), kept as sent.
    #[serde(default)]
    pub code: Option<Value>,
    /// `"SUCCESS"` on success; the reason otherwise. Read from `message`,
    /// else `msg`.
    #[serde(default, alias = "msg")]
    pub message: Option<String>,
    /// The job this callback belongs to (top level, not inside `data`).
    #[serde(default)]
    pub task_id: Option<String>,
    /// The job's result, shaped per job kind.
    #[serde(default)]
    pub data: Value,
}

/// Parses one callback body.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent> {
    serde_json::from_slice(body).map_err(|err| Error::Decode {
        provider: Provider::MemoriesV2,
        http_status: 200,
        message: format!("not a memories.ai v2 webhook: {err}"),
        body_snippet: String::from_utf8_lossy(&body[..body.len().min(256)]).into_owned(),
    })
}

impl WebhookEvent {
    /// The code as text (`"200"`, `"0000"`, …).
    pub fn code_text(&self) -> Option<String> {
        self.code.as_ref().and_then(code_text)
    }

    /// True when `code` is a success code, or absent.
    pub fn is_success(&self) -> bool {
        self.code.as_ref().is_none_or(is_success_code)
    }

    /// `data` decoded as `T`, or [`Error::TaskFailed`] with the callback's
    /// message when the code is not a success code.
    pub fn result<T: DeserializeOwned>(&self) -> Result<T> {
        let task_id = self.task_id.clone().unwrap_or_default();
        if !self.is_success() {
            let code = self.code_text().unwrap_or_default();
            let message = self.message.as_deref().unwrap_or("no message");
            return Err(Error::TaskFailed {
                provider: Provider::MemoriesV2,
                task_id,
                reason: format!("code {code}: {message}"),
            });
        }
        T::deserialize(&self.data).map_err(|err| Error::Decode {
            provider: Provider::MemoriesV2,
            http_status: 200,
            message: format!("webhook data of task {task_id}: {err}"),
            body_snippet: self.data.to_string().chars().take(256).collect(),
        })
    }

    /// The typed payload, its kind told from the shape of `data`
    /// (see [`WebhookPayload`]). A failed callback is [`Error::TaskFailed`].
    pub fn payload(&self) -> Result<WebhookPayload> {
        let data = &self.data;
        let has = |key: &str| data.get(key).is_some();
        let inner = data.get("data");
        let inner_list = inner
            .and_then(|d| d.get("data"))
            .is_some_and(Value::is_array);
        Ok(if has("asset_ch_ids") {
            WebhookPayload::Frames(self.result()?)
        } else if has("splits") {
            WebhookPayload::Split(self.result()?)
        } else if has("videoTranscript") || has("audioTranscript") {
            WebhookPayload::MaiTranscript(self.result()?)
        } else if inner_list && inner.is_some_and(|d| d.get("exec_time").is_some()) {
            WebhookPayload::Clip(self.result()?)
        } else if inner_list {
            WebhookPayload::Transcription(self.result()?)
        } else if has("asset_id") && has("upload_status") {
            WebhookPayload::Edit(self.result()?)
        } else if has("segment_index") {
            WebhookPayload::AudioStream(self.result()?)
        } else if has("status") && data.as_object().is_some_and(|o| o.contains_key("data")) {
            WebhookPayload::VideoStream(self.result()?)
        } else if inner.is_some_and(Value::is_object) {
            WebhookPayload::Summary(self.result()?)
        } else {
            self.result::<Value>()?;
            WebhookPayload::Unknown(data.clone())
        })
    }
}

/// The result of each kind of async job, as its callback carries it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookPayload {
    /// `/video/extract-frames`.
    Frames(FramesResult),
    /// `/video/clip` (scene detection).
    Clip(ClipResult),
    /// `/video/split`.
    Split(SplitResult),
    /// `/video/edit`: the new asset.
    Edit(Resource),
    /// `/transcriptions/async-generate-{audio,speaker,video}`: segments and usage.
    Transcription(TranscriptionResult),
    /// `/transcriptions/async-summary` and `async-generate-multi-speaker`:
    /// `data.data`, whose keys the docs do not show.
    Summary(SummaryResult),
    /// `/{platform}/video/mai/transcript`.
    MaiTranscript(MaiTranscriptResult),
    /// `/audio-stream/*`: forwarded provider messages and the final stop event.
    AudioStream(AudioStreamEvent),
    /// `/stream/*`: one 5-second segment of live video analysis, or the stop event.
    VideoStream(VideoStreamEvent),
    /// A shape this version does not recognise, kept as sent.
    Unknown(Value),
}

/// The callback of `/video/extract-frames`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FramesResult {
    /// The frame group, `im_<digits>`: download → zip of all frames,
    /// metadata → list of frames.
    pub asset_id: String,
    /// The frames `imc_<digits>_<n>`, `n` from 0 in frame order.
    #[serde(default)]
    pub asset_ch_ids: Vec<String>,
}

impl FramesResult {
    /// The group id, parsed.
    pub fn group_id(&self) -> Result<FrameGroupId> {
        FrameGroupId::parse(&self.asset_id)
    }

    /// The frame ids, parsed, in the order sent.
    pub fn frame_ids(&self) -> Result<Vec<FrameId>> {
        self.asset_ch_ids
            .iter()
            .map(|id| FrameId::parse(id))
            .collect()
    }
}

/// One detected scene: first and last **frame numbers**, inclusive.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scene {
    /// First frame number of the scene.
    pub start: u64,
    /// Last frame number of the scene.
    pub end: u64,
}

/// `data.data` of the `/video/clip` callback.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipScenes {
    /// One entry per detected scene.
    #[serde(default)]
    pub data: Vec<Scene>,
    /// Processing seconds.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub exec_time: Option<f64>,
}

/// The callback of `/video/clip` (note the double nesting `data.data.data[]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipResult {
    /// The scenes and the processing time.
    pub data: ClipScenes,
    /// Detail message.
    #[serde(default)]
    pub msg: Option<String>,
    /// Whether detection succeeded.
    #[serde(default)]
    pub success: Option<bool>,
}

impl ClipResult {
    /// The detected scenes.
    pub fn scenes(&self) -> &[Scene] {
        &self.data.data
    }
}

/// The callback of `/video/split`: one new asset per segment (`file_size`
/// is an integer here, unlike metadata; both decode).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitResult {
    /// The segments, each a new `re_` asset named `segment_video_{id}_{index}`.
    #[serde(default)]
    pub splits: Vec<Resource>,
}

/// One segment of an async transcription callback. Whisper and video
/// descriptions use `start_time`/`end_time`; diarization uses `start`/`end`
/// (seconds either way); [`CallbackSegment::start_secs`] reads both.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackSegment {
    /// Start in seconds (Whisper, video description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// End in seconds (Whisper, video description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// Start in seconds (diarization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// End in seconds (diarization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
    /// The text (speech, or the visual description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `SPEAKER_nn` when diarized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Keys the docs do not show (the video description key is unverified).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl CallbackSegment {
    /// `start_time`, else `start`.
    pub fn start_secs(&self) -> Option<f64> {
        self.start_time.or(self.start)
    }

    /// `end_time`, else `end`.
    pub fn end_secs(&self) -> Option<f64> {
        self.end_time.or(self.end)
    }
}

/// `usage_metadata` of transcription callbacks.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageMetadata {
    /// Media duration in seconds.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub duration: Option<f64>,
    /// The model that ran.
    #[serde(default)]
    pub model: Option<String>,
    /// Other keys (token counts, …).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `data.data` of an async transcription callback.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptionSegments {
    /// The segments.
    #[serde(default)]
    pub data: Vec<CallbackSegment>,
    /// Duration and model.
    #[serde(default)]
    pub usage_metadata: Option<UsageMetadata>,
}

/// The callback of `async-generate-audio`, `async-generate-speaker` and
/// `async-generate-video`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptionResult {
    /// Segments and usage.
    pub data: TranscriptionSegments,
}

impl TranscriptionResult {
    /// The segments.
    pub fn segments(&self) -> &[CallbackSegment] {
        &self.data.data
    }
}

/// The callback of `async-summary` and `async-generate-multi-speaker`,
/// whose keys the docs do not show: `data.data` kept untyped.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryResult {
    /// The result as sent.
    #[serde(default)]
    pub data: Value,
}

/// One segment of an MAI transcript.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaiSegment {
    /// Start in seconds.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub start_time: Option<f64>,
    /// End in seconds.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub end_time: Option<f64>,
    /// The visual description (video track).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// The speech (audio track).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `{data: [...], error_rate, usage_metadata}` of one MAI track.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaiTrackData {
    /// The segments.
    #[serde(default)]
    pub data: Vec<MaiSegment>,
    /// 0.0 = no errors.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub error_rate: Option<f64>,
    /// Duration, model, token counts.
    #[serde(default)]
    pub usage_metadata: Option<UsageMetadata>,
}

/// One MAI track, `{data: {...}}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaiTrack {
    /// The track's content.
    pub data: MaiTrackData,
}

/// The callback of `/{platform}/video/mai/transcript` (upstream camelCase keys).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaiTranscriptResult {
    /// Scene descriptions from a VLM.
    #[serde(rename = "videoTranscript", default)]
    pub video_transcript: Option<MaiTrack>,
    /// Speech to text.
    #[serde(rename = "audioTranscript", default)]
    pub audio_transcript: Option<MaiTrack>,
}

/// A callback of a server-pulled audio stream: provider messages forwarded
/// verbatim, and the final `status: 14` stop event.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioStreamEvent {
    /// Segment number.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub segment_index: Option<u64>,
    /// Segment start, a string of seconds.
    #[serde(default)]
    pub segment_start_time: Option<String>,
    /// Segment end, a string of seconds.
    #[serde(default)]
    pub segment_end_time: Option<String>,
    /// `14` = stopped by user; `16` = capacity reached.
    #[serde(default, deserialize_with = "media_core::de::opt_i64")]
    pub status: Option<i64>,
    /// Detail message.
    #[serde(default)]
    pub message: Option<String>,
    /// The provider's transcript message, verbatim (null on stop).
    #[serde(default)]
    pub transcript: Option<Value>,
    /// Other keys, verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A callback of a live video stream (`/stream/start`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoStreamEvent {
    /// The segment status (`14` = stopped by user).
    #[serde(default, deserialize_with = "media_core::de::opt_i64")]
    pub status: Option<i64>,
    /// Detail message.
    #[serde(default)]
    pub message: Option<String>,
    /// The segment's analysis; null on stop and error statuses.
    #[serde(default)]
    pub data: Option<VideoStreamSegment>,
}

/// One 5-second segment of live video analysis.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoStreamSegment {
    /// Segment number, from 0.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub segment_index: Option<u64>,
    /// Start, a string of seconds.
    #[serde(default)]
    pub start_time: Option<String>,
    /// End, a string of seconds.
    #[serde(default)]
    pub end_time: Option<String>,
    /// The segment's video.
    #[serde(default)]
    pub video_url: Option<String>,
    /// Moderation results (`has_unsafe_content`, …), as sent.
    #[serde(default)]
    pub content_moderation: Option<Value>,
    /// Logo results and other keys, as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(body: &str) -> WebhookPayload {
        parse_webhook(body.as_bytes()).unwrap().payload().unwrap()
    }

    #[test]
    fn frames_callback() {
        let WebhookPayload::Frames(frames) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b",
             "data": {"asset_id": "im_700000000000000010",
                      "asset_ch_ids": ["imc_700000000000000010_0", "imc_700000000000000010_1", "imc_700000000000000010_2"]}}"#,
        ) else {
            panic!()
        };
        assert_eq!(frames.group_id().unwrap().as_str(), "im_700000000000000010");
        let ids = frames.frame_ids().unwrap();
        assert_eq!(
            ids.iter().map(FrameId::index).collect::<Vec<_>>(),
            [0, 1, 2]
        );
    }

    #[test]
    fn old_code_and_msg_spelling() {
        let event = parse_webhook(
            br#"{"code": "0000", "msg": "SUCCESS", "task_id": "t", "data": {"asset_id": "im_1", "asset_ch_ids": []}}"#,
        )
        .unwrap();
        assert!(event.is_success());
        assert_eq!(event.message.as_deref(), Some("SUCCESS"));
    }

    #[test]
    fn clip_split_edit_callbacks() {
        let WebhookPayload::Clip(clip) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
             "data": {"data": {"data": [{"start": 0, "end": 143}, {"start": 144, "end": 391}], "exec_time": 4.2}, "msg": "ok", "success": true}}"#,
        ) else {
            panic!()
        };
        assert_eq!(
            clip.scenes(),
            [
                Scene { start: 0, end: 143 },
                Scene {
                    start: 144,
                    end: 391
                }
            ]
        );
        assert_eq!(clip.data.exec_time, Some(4.2));
        assert_eq!(
            (clip.msg.as_deref(), clip.success),
            (Some("ok"), Some(true))
        );

        let WebhookPayload::Split(split) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
             "data": {"splits": [{"asset_id": "re_700000000000000021", "create_time": "1767000100000", "modify_time": "1767000100000",
               "extension": "mp4", "file_size": 10485760, "original_filename": "segment_video_77_0", "upload_status": "SUCCESS"}]}}"#,
        ) else {
            panic!()
        };
        assert_eq!(split.splits[0].file_size, Some(10_485_760));
        assert_eq!(
            split.splits[0].original_filename.as_deref(),
            Some("segment_video_77_0")
        );
        assert_eq!(
            split.splits[0].create_time.unwrap().timestamp_millis(),
            1_767_000_100_000
        );

        let WebhookPayload::Edit(edit) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "1122334455667788990011aabbccddee",
             "data": {"asset_id": "re_700000000000000033", "extension": "mp4", "file_size": 5242880, "original_filename": "final_video",
                      "upload_status": "SUCCESS", "create_time": "1767000200000", "modify_time": "1767000200000"}}"#,
        ) else {
            panic!()
        };
        assert_eq!(edit.asset_id, "re_700000000000000033");
        assert_eq!(edit.file_size, Some(5_242_880));
    }

    #[test]
    fn transcription_and_mai_callbacks() {
        let WebhookPayload::Transcription(t) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "c0ffee00c0ffee00c0ffee00c0ffee00",
             "data": {"data": {"data": [{"start_time": 0.0, "end_time": 7.5, "text": "A chef slices onions on a wooden board."}],
                               "usage_metadata": {"duration": 42.0, "model": "gemini-2.5-flash-lite"}}}}"#,
        ) else {
            panic!()
        };
        assert_eq!(t.segments()[0].end_secs(), Some(7.5));
        assert_eq!(t.data.usage_metadata.as_ref().unwrap().duration, Some(42.0));
        let WebhookPayload::Transcription(t) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "a", "data": {"data": {"data": [{"start": 0.05, "end": 6.8, "speaker": "SPEAKER_01"}]}}}"#,
        ) else {
            panic!()
        };
        assert_eq!(t.segments()[0].start_secs(), Some(0.05));

        let WebhookPayload::MaiTranscript(mai) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "0123456789abcdef0123456789abcdef",
             "data": {"videoTranscript": {"data": {"data": [{"start_time": 0.0, "end_time": 6.0, "transcript": "A runner ties her shoes at dawn."}], "error_rate": 0.0,
                                                   "usage_metadata": {"duration": 12.3, "model": "gemini-2.5-flash", "output_tokens": 80, "prompt_tokens": 9000}}},
                      "audioTranscript": {"data": {"data": [{"start_time": 0.4, "end_time": 2.1, "text": "Let's go."}]}}}}"#,
        ) else {
            panic!()
        };
        let video = mai.video_transcript.unwrap().data;
        assert_eq!(video.error_rate, Some(0.0));
        assert_eq!(video.usage_metadata.unwrap().extra["output_tokens"], 80);
        assert_eq!(
            mai.audio_transcript.unwrap().data.data[0].text.as_deref(),
            Some("Let's go.")
        );
    }

    #[test]
    fn stream_callbacks() {
        let WebhookPayload::VideoStream(video) = payload(
            r#"{"code": 200, "message": "SUCCESS", "task_id": "7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9",
             "data": {"status": 0, "message": "ok", "data": {"segment_index": 3, "start_time": "15", "end_time": "20",
                      "video_url": "https://storage.example.com/seg3.mp4", "content_moderation": {"has_unsafe_content": false}}}}"#,
        ) else {
            panic!()
        };
        assert_eq!(video.data.unwrap().segment_index, Some(3));
        let WebhookPayload::VideoStream(stop) = payload(
            r#"{"code":200,"message":"SUCCESS","task_id":"x","data":{"status":14,"message":"Stream stopped by user","data":null,"token":null}}"#,
        ) else {
            panic!()
        };
        assert_eq!((stop.status, stop.data), (Some(14), None));
        let WebhookPayload::AudioStream(audio) = payload(
            r#"{"code":200,"message":"SUCCESS","task_id":"x","data":{"segment_index":4,"segment_start_time":"20","segment_end_time":"25","status":14,"message":"Stream stopped by user","transcript":null}}"#,
        ) else {
            panic!()
        };
        assert_eq!(audio.status, Some(14));
    }

    #[test]
    fn failures_and_unknown_shapes() {
        let event = parse_webhook(
            br#"{"code":500,"message":"extraction failed","task_id":"t1","data":null}"#,
        )
        .unwrap();
        let err = event.payload().unwrap_err();
        assert!(
            matches!(&err, Error::TaskFailed { task_id, reason, .. } if task_id == "t1" && reason.contains("extraction failed"))
        );
        assert!(matches!(
            payload(r#"{"code":200,"data":{"x":1}}"#),
            WebhookPayload::Unknown(_)
        ));
        assert!(matches!(
            payload(r#"{"code":200,"data":{"data":{"summary":"s"}}}"#),
            WebhookPayload::Summary(_)
        ));
        assert!(parse_webhook(b"not json").is_err());
    }
}
