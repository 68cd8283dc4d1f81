//! The Chat group: questions over chosen videos, over the public corpus
//! ("Video Marketer") and over one's own library, plus chat sessions.
//!
//! Endpoints: `POST /chat`, `POST /chat_stream`, `POST /marketer_chat`,
//! `POST /marketer_chat_stream`, `POST /chat_personal`,
//! `POST /chat_personal_stream`, `GET /list_sessions`, `GET /get_session_detail`.
//!
//! The `_stream` variants answer Server-Sent Events, exposed as a
//! `Stream<Item = Result<ChatEvent>>` ending cleanly at the provider's
//! terminator (`data:"Done"`, `{"code":"SUCCESS","data":"Done"}` or
//! `data: [DONE]`); a final string other than `"Done"` is an error item.

use futures::StreamExt as _;
use futures::stream::BoxStream;
use media_core::http::{ApiRequest, RawResponse, SseEvent};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::common::{Platform, id_list, in_range, non_empty};
use crate::de;
use crate::envelope::{decode, decode_with_rest};
use media_core::open_enum;

/// The Chat endpoints, borrowed from a [`Client`] by [`Client::chat`].
#[derive(Debug, Clone, Copy)]
pub struct Chat<'a> {
    pub(crate) client: &'a Client,
}

/// One reasoning step the model shows.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thinking {
    /// A short heading.
    #[serde(default)]
    pub title: Option<String>,
    /// The step's text.
    #[serde(default)]
    pub content: Option<String>,
}

/// The video a reference points into.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefVideo {
    /// The video id.
    #[serde(alias = "videoNo")]
    pub video_no: String,
    /// The video name.
    #[serde(default, alias = "videoName")]
    pub video_name: Option<String>,
    /// Playing time in seconds.
    #[serde(default, deserialize_with = "de::number")]
    pub duration: Option<f64>,
}

open_enum! {
    /// What a reference item points at.
    pub enum RefItemType {
        /// `keyframe`: a still.
        Keyframe = "keyframe",
        /// `visual_ts`: a visual transcript segment.
        VisualTs = "visual_ts",
        /// `audio_ts`: a speech transcript segment.
        AudioTs = "audio_ts",
    }
}

/// One moment of a video the answer relies on.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefItem {
    /// The video id.
    #[serde(default, rename = "videoNo", alias = "video_no")]
    pub video_no: Option<String>,
    /// What it points at.
    #[serde(default, rename = "type")]
    pub item_type: Option<RefItemType>,
    /// Start in seconds.
    #[serde(
        default,
        rename = "startTime",
        alias = "start_time",
        deserialize_with = "de::number"
    )]
    pub start_time: Option<f64>,
    /// End in seconds.
    #[serde(
        default,
        rename = "endTime",
        alias = "end_time",
        deserialize_with = "de::number"
    )]
    pub end_time: Option<f64>,
    /// The referenced text.
    #[serde(default)]
    pub text: Option<String>,
}

/// The references into one video.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRef {
    /// The video.
    #[serde(default)]
    pub video: Option<RefVideo>,
    /// The moments.
    #[serde(
        default,
        rename = "refItems",
        alias = "ref_items",
        deserialize_with = "de::list"
    )]
    pub ref_items: Vec<RefItem>,
}

/// A whole answer of `/chat`, `/marketer_chat` or `/chat_personal`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatReply {
    /// `ASSISTANT`.
    #[serde(default)]
    pub role: Option<String>,
    /// The answer text.
    #[serde(default)]
    pub content: Option<String>,
    /// The reasoning steps shown.
    #[serde(default, deserialize_with = "de::list")]
    pub thinkings: Vec<Thinking>,
    /// The video moments the answer relies on.
    #[serde(default, deserialize_with = "de::list")]
    pub refs: Vec<ChatRef>,
    /// The session to continue with (an 18-digit number, kept as text).
    #[serde(default, alias = "sessionId", deserialize_with = "de::opt_id")]
    pub session_id: Option<String>,
}

/// One event of a chat stream.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChatEvent {
    /// A reasoning step (`type: "thinking"`).
    Thinking {
        /// A short heading.
        #[serde(default)]
        title: Option<String>,
        /// The step's text.
        #[serde(default)]
        content: Option<String>,
        /// The session.
        #[serde(
            default,
            rename = "sessionId",
            alias = "session_id",
            deserialize_with = "de::opt_id"
        )]
        session_id: Option<String>,
    },
    /// References into videos (`type: "ref"`).
    Ref {
        /// The references.
        #[serde(default, rename = "ref", deserialize_with = "de::list")]
        refs: Vec<ChatRef>,
        /// The session.
        #[serde(
            default,
            rename = "sessionId",
            alias = "session_id",
            deserialize_with = "de::opt_id"
        )]
        session_id: Option<String>,
    },
    /// A piece of the answer (`type: "content"`); concatenate them.
    Content {
        /// `assistant`.
        #[serde(default)]
        role: Option<String>,
        /// The text delta.
        #[serde(default)]
        content: String,
        /// The session.
        #[serde(
            default,
            rename = "sessionId",
            alias = "session_id",
            deserialize_with = "de::opt_id"
        )]
        session_id: Option<String>,
    },
    /// A piece of a personal-chat answer (`{"token": "…"}` frames).
    Token {
        /// The text delta.
        token: String,
    },
    /// An event of a kind this version does not know, kept verbatim.
    #[serde(untagged)]
    Unknown(Value),
}

impl ChatEvent {
    /// The answer text this event adds (content deltas and tokens).
    pub fn text(&self) -> Option<&str> {
        match self {
            ChatEvent::Content { content, .. } => Some(content),
            ChatEvent::Token { token } => Some(token),
            _ => None,
        }
    }
}

/// The events of a chat stream, ending at the provider's terminator.
pub type ChatStream = BoxStream<'static, Result<ChatEvent>>;

/// Maps SSE events to chat events: stops cleanly at a terminator, yields a
/// malformed frame or a final error string as an error item and stops, and
/// reports a stream cut before its terminator as an error.
fn sse_events(events: BoxStream<'static, Result<SseEvent>>) -> ChatStream {
    futures::stream::unfold(Some(events), |state| async move {
        let mut events = state?;
        loop {
            match events.next().await {
                None => {
                    return Some((
                        Err(Error::Decode {
                            provider: Provider::MemoriesV1,
                            http_status: 200,
                            message: "the chat stream ended before its terminator".into(),
                            body_snippet: String::new(),
                        }),
                        None,
                    ));
                }
                Some(Err(err)) => return Some((Err(err), None)),
                Some(Ok(event)) if event.data.trim().is_empty() => {}
                Some(Ok(event)) => {
                    return match parse_frame(&event.data) {
                        Ok(Frame::Done) => None,
                        Ok(Frame::Event(chat)) => Some((Ok(chat), Some(events))),
                        Err(err) => Some((Err(err), None)),
                    };
                }
            }
        }
    })
    .boxed()
}

/// One SSE frame's meaning.
#[derive(Debug)]
pub(crate) enum Frame {
    Event(ChatEvent),
    Done,
}

/// Reads the `data` of one SSE frame.
pub(crate) fn parse_frame(data: &str) -> Result<Frame> {
    let trimmed = data.trim();
    if matches!(trimmed, "[DONE]" | "[done]" | "done" | "Done") {
        return Ok(Frame::Done);
    }
    let value: Value = serde_json::from_str(trimmed).map_err(|err| Error::Decode {
        provider: Provider::MemoriesV1,
        http_status: 200,
        message: format!("a chat stream frame is not JSON: {err}"),
        body_snippet: trimmed.chars().take(200).collect(),
    })?;
    match value {
        Value::String(text) if text == "Done" => Ok(Frame::Done),
        Value::String(text) => Err(stream_error(None, text)),
        Value::Object(map) => frame_object(map),
        other => Err(Error::Decode {
            provider: Provider::MemoriesV1,
            http_status: 200,
            message: "a chat stream frame is neither an object nor a string".into(),
            body_snippet: other.to_string().chars().take(200).collect(),
        }),
    }
}

fn frame_object(map: Map<String, Value>) -> Result<Frame> {
    if let Some(code) = map.get("code") {
        let code = match code {
            Value::String(code) => code.clone(),
            other => other.to_string(),
        };
        let data = map.get("data");
        if matches!(data, Some(Value::String(done)) if done == "Done") {
            return Ok(Frame::Done);
        }
        if code != "SUCCESS" && code != "0000" {
            let message = map
                .get("msg")
                .or(data)
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
                .unwrap_or_default();
            return Err(stream_error(Some(code), message));
        }
    }
    let value = Value::Object(map);
    let known = value
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| matches!(t, "thinking" | "ref" | "content"));
    if known || value.get("token").is_some_and(Value::is_string) {
        let event = if known {
            serde_json::from_value(value.clone())
        } else {
            serde_json::from_value::<TokenFrame>(value.clone())
                .map(|t| ChatEvent::Token { token: t.token })
        };
        return event.map(Frame::Event).map_err(|err| Error::Decode {
            provider: Provider::MemoriesV1,
            http_status: 200,
            message: format!("chat stream frame: {err}"),
            body_snippet: value.to_string().chars().take(200).collect(),
        });
    }
    Ok(Frame::Event(ChatEvent::Unknown(value)))
}

#[derive(Deserialize)]
struct TokenFrame {
    token: String,
}

fn stream_error(code: Option<String>, message: String) -> Error {
    Error::Api {
        provider: Provider::MemoriesV1,
        http_status: 200,
        code,
        message,
        request_id: None,
    }
}

/// Every frame of a whole SSE body, for `/chat` answered as a stream.
fn parse_sse_body(text: &str) -> Result<Vec<ChatEvent>> {
    let mut events = Vec::new();
    for line in text.lines() {
        let Some(data) = line.strip_prefix("data:") else {
            continue;
        };
        match parse_frame(data)? {
            Frame::Done => break,
            Frame::Event(event) => events.push(event),
        }
    }
    Ok(events)
}

/// Folds stream events into one reply.
pub(crate) fn fold_events(events: Vec<ChatEvent>) -> ChatReply {
    let mut reply = ChatReply {
        role: None,
        content: None,
        thinkings: Vec::new(),
        refs: Vec::new(),
        session_id: None,
    };
    let mut text = String::new();
    for event in events {
        match event {
            ChatEvent::Thinking {
                title,
                content,
                session_id,
            } => {
                reply.thinkings.push(Thinking { title, content });
                reply.session_id = reply.session_id.or(session_id);
            }
            ChatEvent::Ref { refs, session_id } => {
                reply.refs.extend(refs);
                reply.session_id = reply.session_id.or(session_id);
            }
            ChatEvent::Content {
                role,
                content,
                session_id,
            } => {
                text.push_str(&content);
                reply.role = reply.role.or(role);
                reply.session_id = reply.session_id.or(session_id);
            }
            ChatEvent::Token { token } => text.push_str(&token),
            ChatEvent::Unknown(_) => {}
        }
    }
    reply.content = Some(text);
    reply
}

/// Decodes a non-streaming chat answer: the JSON envelope, or (older
/// behaviour, decided by `Content-Type`) a whole SSE body folded into one reply.
fn decode_reply(raw: RawResponse) -> Result<(Option<ChatReply>, Map<String, Value>)> {
    let is_sse = raw
        .header("content-type")
        .is_some_and(|ct| ct.starts_with("text/event-stream"));
    if raw.is_success() && is_sse {
        let text = String::from_utf8_lossy(&raw.body);
        return Ok((Some(fold_events(parse_sse_body(&text)?)), Map::new()));
    }
    decode_with_rest(raw)
}

/// A session id as the API takes it: a JSON number (an int64).
fn session_value(session_id: Option<&str>) -> Result<Option<Value>> {
    match session_id {
        None => Ok(None),
        Some(id) => id
            .trim()
            .parse::<u64>()
            .map(|n| Some(Value::from(n)))
            .map_err(|_| {
                Error::InvalidInput(format!(
                    "`session_id` must be a numeric id (the API takes an int64), got {id:?}"
                ))
            }),
    }
}

/// Parameters of `POST /chat` and `POST /chat_stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatParams {
    /// The videos to ask about (all must be parsed).
    pub video_nos: Vec<String>,
    /// The question, in English.
    pub prompt: String,
    /// The session to continue (a numeric id); a new one when `None`.
    pub session_id: Option<String>,
    /// The namespace; the client's default when `None`.
    pub unique_id: Option<String>,
}

impl ChatParams {
    /// Asks `prompt` about `video_nos`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(
        video_nos: I,
        prompt: impl Into<String>,
    ) -> ChatParams {
        ChatParams {
            video_nos: video_nos.into_iter().map(Into::into).collect(),
            prompt: prompt.into(),
            session_id: None,
            unique_id: None,
        }
    }

    /// Continues session `session_id`.
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// Uses namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    fn body(&self, client: &Client) -> Result<Value> {
        id_list("video_nos", &self.video_nos, usize::MAX)?;
        non_empty("prompt", &self.prompt)?;
        let mut body = Map::new();
        body.insert("video_nos".into(), Value::from(self.video_nos.clone()));
        body.insert("prompt".into(), Value::from(self.prompt.clone()));
        if let Some(session) = session_value(self.session_id.as_deref())? {
            body.insert("session_id".into(), session);
        }
        let unique_id = client.namespace(self.unique_id.as_deref())?;
        body.insert("unique_id".into(), Value::from(unique_id));
        Ok(Value::Object(body))
    }
}

/// Parameters of `POST /marketer_chat` and `POST /marketer_chat_stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketerChatParams {
    /// The question; `@creator` or `#hashtag` narrow the pool.
    pub prompt: String,
    /// The session to continue (a numeric id).
    pub session_id: Option<String>,
    /// The namespace; the client's default when `None`.
    pub unique_id: Option<String>,
    /// The platform (`TIKTOK` unless set).
    pub platform: Option<Platform>,
}

impl MarketerChatParams {
    /// Asks `prompt` about the public corpus.
    pub fn new(prompt: impl Into<String>) -> MarketerChatParams {
        MarketerChatParams {
            prompt: prompt.into(),
            session_id: None,
            unique_id: None,
            platform: None,
        }
    }

    /// Continues session `session_id`.
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// Uses namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// Asks about `platform`'s videos.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    fn body(&self, client: &Client) -> Result<Value> {
        non_empty("prompt", &self.prompt)?;
        let mut body = Map::new();
        body.insert("prompt".into(), Value::from(self.prompt.clone()));
        if let Some(session) = session_value(self.session_id.as_deref())? {
            body.insert("session_id".into(), session);
        }
        let unique_id = client.namespace(self.unique_id.as_deref())?;
        body.insert("unique_id".into(), Value::from(unique_id));
        if let Some(platform) = &self.platform {
            body.insert("type".into(), Value::from(platform.as_str()));
        }
        Ok(Value::Object(body))
    }
}

/// Parameters of `POST /chat_personal` and `POST /chat_personal_stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalChatParams {
    /// The question.
    pub prompt: String,
    /// The session to continue (a numeric id).
    pub session_id: Option<String>,
    /// The namespace; the client's default when `None`.
    pub unique_id: Option<String>,
}

impl PersonalChatParams {
    /// Asks `prompt` about the caller's whole library.
    pub fn new(prompt: impl Into<String>) -> PersonalChatParams {
        PersonalChatParams {
            prompt: prompt.into(),
            session_id: None,
            unique_id: None,
        }
    }

    /// Continues session `session_id`.
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// Uses namespace `unique_id`.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Self {
        self.unique_id = Some(unique_id.into());
        self
    }

    fn body(&self, client: &Client) -> Result<Value> {
        non_empty("prompt", &self.prompt)?;
        let mut body = Map::new();
        body.insert("prompt".into(), Value::from(self.prompt.clone()));
        if let Some(session) = session_value(self.session_id.as_deref())? {
            body.insert("session_id".into(), session);
        }
        let unique_id = client.namespace(self.unique_id.as_deref())?;
        body.insert("unique_id".into(), Value::from(unique_id));
        Ok(Value::Object(body))
    }
}

/// One session of `GET /list_sessions`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// The session id (18 digits, kept as text).
    #[serde(
        rename = "sessionId",
        alias = "session_id",
        deserialize_with = "de::id"
    )]
    pub session_id: String,
    /// The title (the first question).
    #[serde(default)]
    pub title: Option<String>,
}

/// A page of `GET /list_sessions` (20 sessions per page).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    /// The sessions.
    #[serde(default, deserialize_with = "de::list")]
    pub sessions: Vec<SessionSummary>,
    /// The page number.
    #[serde(default, deserialize_with = "de::number")]
    pub current_page: Option<u32>,
    /// Sessions per page.
    #[serde(default, deserialize_with = "de::number")]
    pub page_size: Option<u32>,
    /// Sessions in all pages (a string on the wire).
    #[serde(default, deserialize_with = "de::number")]
    pub total_count: Option<u64>,
}

/// One message of a session.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionMessage {
    /// `user` or `assistant`.
    #[serde(default)]
    pub role: Option<String>,
    /// The text.
    #[serde(default)]
    pub content: Option<String>,
    /// Reasoning steps (assistant messages).
    #[serde(default, deserialize_with = "de::list")]
    pub thinkings: Vec<Thinking>,
    /// Video moments (assistant messages).
    #[serde(default, deserialize_with = "de::list")]
    pub refs: Vec<ChatRef>,
}

/// `GET /get_session_detail`: one session's messages.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDetail {
    /// The title.
    #[serde(default)]
    pub title: Option<String>,
    /// The session id.
    #[serde(default, alias = "sessionId", deserialize_with = "de::opt_id")]
    pub session_id: Option<String>,
    /// The messages, oldest first.
    #[serde(default, deserialize_with = "de::list")]
    pub messages: Vec<SessionMessage>,
}

impl<'a> Chat<'a> {
    pub(crate) fn new(client: &'a Client) -> Chat<'a> {
        Chat { client }
    }

    async fn reply(&self, template: &'static str, body: &Value) -> Result<ChatReply> {
        let request = ApiRequest::post(template).json(body);
        let (reply, rest) = self.client.engine().execute(&request, decode_reply).await?;
        let mut reply = reply.unwrap_or_else(|| fold_events(Vec::new()));
        // `chat_personal` may put the session id next to `data`.
        if reply.session_id.is_none() {
            reply.session_id = rest
                .get("session_id")
                .or_else(|| rest.get("sessionId"))
                .and_then(|v| de::opt_id(v).ok().flatten());
        }
        Ok(reply)
    }

    /// `POST /chat`: one whole answer about the chosen videos.
    pub async fn chat(&self, params: &ChatParams) -> Result<ChatReply> {
        let body = params.body(self.client)?;
        self.reply("/chat", &body).await
    }

    /// `POST /marketer_chat`: one whole answer about the public corpus.
    pub async fn marketer_chat(&self, params: &MarketerChatParams) -> Result<ChatReply> {
        let body = params.body(self.client)?;
        self.reply("/marketer_chat", &body).await
    }

    /// `POST /chat_personal`: one whole answer about the caller's library;
    /// the session id is read from `data` or, where the API puts it, next to it.
    pub async fn chat_personal(&self, params: &PersonalChatParams) -> Result<ChatReply> {
        let body = params.body(self.client)?;
        self.reply("/chat_personal", &body).await
    }

    async fn stream(&self, template: &'static str, body: &Value) -> Result<ChatStream> {
        let request = ApiRequest::post(template)
            .header("accept", "text/event-stream")
            .json(body);
        let body = self
            .client
            .engine()
            .stream(&request, decode::<Value>)
            .await?;
        let is_sse = body
            .content_type()
            .is_some_and(|ct| ct.starts_with("text/event-stream"));
        if !is_sse {
            // Rejected before streaming: an ordinary envelope (or, if it
            // says success, a whole answer).
            let raw = body.into_raw().await?;
            let reply =
                decode::<Option<ChatReply>>(raw)?.unwrap_or_else(|| fold_events(Vec::new()));
            let event = ChatEvent::Content {
                role: reply.role,
                content: reply.content.unwrap_or_default(),
                session_id: reply.session_id,
            };
            return Ok(futures::stream::iter([Ok(event)]).boxed());
        }
        Ok(sse_events(body.sse()))
    }

    /// `POST /chat_stream`: the answer about the chosen videos as it is
    /// written: thinking steps, references and content deltas, ending at the
    /// provider's terminator. A final error string (such as `"Video is not
    /// parsed:"`) is an [`Error::Api`] item; a rejection before streaming
    /// (a JSON envelope) is the returned error.
    pub async fn chat_stream(&self, params: &ChatParams) -> Result<ChatStream> {
        let body = params.body(self.client)?;
        self.stream("/chat_stream", &body).await
    }

    /// `POST /marketer_chat_stream`: the public-corpus answer as it is
    /// written (ends at `{"code":"SUCCESS","data":"Done"}`).
    pub async fn marketer_chat_stream(&self, params: &MarketerChatParams) -> Result<ChatStream> {
        let body = params.body(self.client)?;
        self.stream("/marketer_chat_stream", &body).await
    }

    /// `POST /chat_personal_stream`: the personal-library answer as
    /// [`ChatEvent::Token`]s (ends at `data: [DONE]`).
    pub async fn chat_personal_stream(&self, params: &PersonalChatParams) -> Result<ChatStream> {
        let body = params.body(self.client)?;
        self.stream("/chat_personal_stream", &body).await
    }

    /// `GET /list_sessions`: a page (1-based, 20 per page) of chat sessions.
    pub async fn list_sessions(
        &self,
        page: Option<u32>,
        unique_id: Option<&str>,
    ) -> Result<SessionPage> {
        in_range("page", page, 1..=u32::MAX)?;
        let unique_id = self.client.namespace(unique_id)?;
        let request = ApiRequest::get("/list_sessions")
            .query_opt("page", page)
            .query("unique_id", unique_id);
        Ok(self
            .client
            .call::<Option<SessionPage>>(&request)
            .await?
            .unwrap_or(SessionPage {
                sessions: Vec::new(),
                current_page: page,
                page_size: None,
                total_count: Some(0),
            }))
    }

    /// `GET /get_session_detail`: the messages of one session (query
    /// parameter `sessionId`). A `null` answer is [`Error::NotFound`].
    pub async fn get_session_detail(
        &self,
        session_id: &str,
        unique_id: Option<&str>,
    ) -> Result<SessionDetail> {
        non_empty("session_id", session_id)?;
        let unique_id = self.client.namespace(unique_id)?;
        let request = ApiRequest::get("/get_session_detail")
            .query("sessionId", session_id)
            .query("unique_id", unique_id);
        self.client
            .engine()
            .execute(&request, decode::<Option<SessionDetail>>)
            .await?
            .ok_or_else(|| Error::NotFound {
                provider: Provider::MemoriesV1,
                http_status: 200,
                code: None,
                message: format!("no session {session_id:?}"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(data: &str) -> ChatEvent {
        match parse_frame(data).unwrap() {
            Frame::Event(event) => event,
            Frame::Done => panic!("done"),
        }
    }

    #[test]
    fn the_three_terminators_end_the_stream() {
        for done in [
            r#""Done""#,
            r#" "Done""#,
            r#"{"code":"SUCCESS","data":"Done"}"#,
            "[DONE]",
            " [DONE]",
            "done",
            "[done]",
        ] {
            assert!(matches!(parse_frame(done), Ok(Frame::Done)), "{done}");
        }
    }

    #[test]
    fn other_final_strings_and_bad_frames_are_errors() {
        for text in [
            r#""Error""#,
            r#""No videos found for the provided video numbers.""#,
        ] {
            let err = parse_frame(text).unwrap_err();
            assert!(matches!(err, Error::Api { .. }), "{err:?}");
        }
        let err = parse_frame(r#"{"code":"0001","msg":"Video is not parsed:"}"#).unwrap_err();
        assert_eq!(err.code(), Some("0001"));
        assert!(matches!(
            parse_frame("{not json"),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(parse_frame("42"), Err(Error::Decode { .. })));
    }

    #[test]
    fn events_decode_with_both_spacings() {
        let thinking = event(
            r#"{"type":"thinking","title":"Reviewing the clip","content":"Looking at…","sessionId":"700000000000000500"}"#,
        );
        assert_eq!(
            thinking,
            ChatEvent::Thinking {
                title: Some("Reviewing the clip".into()),
                content: Some("Looking at…".into()),
                session_id: Some("700000000000000500".into())
            }
        );
        let reference = event(
            r#"{"type":"ref","sessionId":"700000000000000500","ref":[{"video":{"video_no":"VI700000000000000001","video_name":"beach_walk","duration":"42"},"refItems":[{"videoNo":"VI700000000000000001","type":"visual_ts","startTime":30,"endTime":36,"text":"Sun touches the horizon."}]}]}"#,
        );
        let ChatEvent::Ref { refs, session_id } = reference else {
            panic!("{reference:?}")
        };
        assert_eq!(session_id.as_deref(), Some("700000000000000500"));
        let video = refs[0].video.as_ref().unwrap();
        assert_eq!(video.video_no, "VI700000000000000001");
        assert_eq!(video.duration, Some(42.0));
        let item = &refs[0].ref_items[0];
        assert_eq!(item.item_type, Some(RefItemType::VisualTs));
        assert_eq!((item.start_time, item.end_time), (Some(30.0), Some(36.0)));
        assert_eq!(
            event(r#" {"type":"content","role":"assistant","content":"The sun sets","sessionId":700000000000000500}"#)
                .text(),
            Some("The sun sets")
        );
        assert_eq!(
            event(r#"{"token":"Hi"}"#),
            ChatEvent::Token { token: "Hi".into() }
        );
        assert!(matches!(
            event(r#"{"type":"status","x":1}"#),
            ChatEvent::Unknown(_)
        ));
    }

    #[test]
    fn whole_sse_bodies_fold_into_one_reply() {
        let body = "data:{\"type\":\"thinking\",\"title\":\"t\",\"content\":\"c\",\"sessionId\":\"7\"}\n\n\
                    data: {\"type\":\"content\",\"role\":\"assistant\",\"content\":\"The sun \",\"sessionId\":\"7\"}\n\n\
                    data:{\"type\":\"content\",\"content\":\"sets.\"}\n\ndata:\"Done\"\n\n";
        let reply = fold_events(parse_sse_body(body).unwrap());
        assert_eq!(reply.content.as_deref(), Some("The sun sets."));
        assert_eq!(reply.session_id.as_deref(), Some("7"));
        assert_eq!(reply.thinkings.len(), 1);
        assert_eq!(reply.role.as_deref(), Some("assistant"));
    }

    #[tokio::test]
    async fn sse_events_stop_at_terminators_and_report_cuts() {
        let frames = |data: &[&str]| -> BoxStream<'static, Result<SseEvent>> {
            let items: Vec<Result<SseEvent>> =
                data.iter().map(|d| Ok(SseEvent::data(*d))).collect();
            futures::stream::iter(items).boxed()
        };
        let events: Vec<Result<ChatEvent>> = sse_events(frames(&[
            r#"{"token":"a"}"#,
            "",
            r#"{"token":"b"}"#,
            "[DONE]",
            r#"{"token":"never"}"#,
        ]))
        .collect()
        .await;
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(Result::is_ok));
        let events: Vec<Result<ChatEvent>> =
            sse_events(frames(&[r#"{"token":"a"}"#])).collect().await;
        assert!(matches!(events[1], Err(Error::Decode { .. })));
        let events: Vec<Result<ChatEvent>> = sse_events(frames(&["{oops", r#"{"token":"a"}"#]))
            .collect()
            .await;
        assert_eq!(events.len(), 1);
        assert!(events[0].is_err());
    }

    #[test]
    fn session_ids_are_sent_as_numbers() {
        assert_eq!(
            session_value(Some("700000000000000500")).unwrap(),
            Some(Value::from(700_000_000_000_000_500_u64))
        );
        assert_eq!(session_value(None).unwrap(), None);
        assert!(matches!(
            session_value(Some("session-123")),
            Err(Error::InvalidInput(_))
        ));
    }
}
