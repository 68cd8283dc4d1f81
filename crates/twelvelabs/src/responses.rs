//! Responses (Jockey agent): `POST /responses` (catalog §3.13, §3.15
//! "Responses"). Jockey reasons over a knowledge store and answers with
//! cited text; [`Responses::stream`] delivers the answer as Server-Sent
//! Events ending with `[DONE]`.

use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::stream::BoxStream;
use media_core::http::{ApiRequest, SseEvent};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::client::Client;
use media_core::open_enum;

open_enum! {
    /// Where a response is (`status`).
    pub enum ResponseStatus {
        /// Done.
        Completed = "completed",
        /// Failed.
        Failed = "failed",
        /// Being generated.
        InProgress = "in_progress",
        /// Stopped early; see `incomplete_details`.
        Incomplete = "incomplete",
    }
}

open_enum! {
    /// The type of a streamed event (`type`).
    pub enum ResponseEventType {
        /// `response.created`.
        Created = "response.created",
        /// `response.in_progress`.
        InProgress = "response.in_progress",
        /// `response.output_item.added`.
        OutputItemAdded = "response.output_item.added",
        /// `response.content_part.added`.
        ContentPartAdded = "response.content_part.added",
        /// `response.output_text.delta`: the next text fragment.
        OutputTextDelta = "response.output_text.delta",
        /// `response.output_text.done`.
        OutputTextDone = "response.output_text.done",
        /// `response.content_part.done` (citations arrive only here).
        ContentPartDone = "response.content_part.done",
        /// `response.output_item.done`.
        OutputItemDone = "response.output_item.done",
        /// `response.function_call_arguments.done`.
        FunctionCallArgumentsDone = "response.function_call_arguments.done",
        /// `response.completed`.
        Completed = "response.completed",
        /// `response.failed`.
        Failed = "response.failed",
        /// `keepalive` (about every 10 s when idle).
        Keepalive = "keepalive",
    }
}

/// One input message (`ResponseInputItem`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseInputItem {
    /// `message`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `user`.
    pub role: String,
    /// 1–10,000 characters; `{{sel:N}}` points at `selections[N]`.
    pub content: String,
}

impl ResponseInputItem {
    /// A user message.
    pub fn user(content: impl Into<String>) -> ResponseInputItem {
        ResponseInputItem {
            kind: "message".into(),
            role: "user".into(),
            content: content.into(),
        }
    }
}

/// Narrows the answer to an item or a collection (`ResponseSelection`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseSelection {
    /// `item` or `collection`.
    pub kind: String,
    /// `ksi_…` or `ksic_…`.
    pub id: String,
}

impl ResponseSelection {
    /// An item.
    pub fn item(id: impl Into<String>) -> ResponseSelection {
        ResponseSelection {
            kind: "item".into(),
            id: id.into(),
        }
    }

    /// A collection.
    pub fn collection(id: impl Into<String>) -> ResponseSelection {
        ResponseSelection {
            kind: "collection".into(),
            id: id.into(),
        }
    }
}

/// `POST /responses`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateResponseRequest {
    /// The store to reason over (must match the session's).
    pub knowledge_store_id: String,
    /// The messages.
    pub input: Vec<ResponseInputItem>,
    /// Continue this conversation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// A per-request system prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// `intermediate_outputs` adds function-call items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Items/collections to narrow to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selections: Vec<ResponseSelection>,
    /// Output format (`TextParam`): `{format: {type: text}}` or a JSON schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Value>,
    /// SSE streaming; always sent.
    pub stream: bool,
}

impl CreateResponseRequest {
    /// Asks `question` about store `knowledge_store_id`.
    pub fn new(
        knowledge_store_id: impl Into<String>,
        question: impl Into<String>,
    ) -> CreateResponseRequest {
        CreateResponseRequest {
            knowledge_store_id: knowledge_store_id.into(),
            input: vec![ResponseInputItem::user(question)],
            session_id: None,
            instructions: None,
            include: Vec::new(),
            selections: Vec::new(),
            text: None,
            stream: false,
        }
    }

    /// Continues session `session_id`.
    pub fn session_id(mut self, session_id: impl Into<String>) -> CreateResponseRequest {
        self.session_id = Some(session_id.into());
        self
    }

    /// Sets instructions.
    pub fn instructions(mut self, instructions: impl Into<String>) -> CreateResponseRequest {
        self.instructions = Some(instructions.into());
        self
    }

    /// Adds function-call items to the output.
    pub fn include_intermediate_outputs(mut self) -> CreateResponseRequest {
        self.include.push("intermediate_outputs".into());
        self
    }

    /// Adds a selection.
    pub fn selection(mut self, selection: ResponseSelection) -> CreateResponseRequest {
        self.selections.push(selection);
        self
    }

    /// Asks for JSON following `schema`, called `name`.
    pub fn json_schema(mut self, name: impl Into<String>, schema: &Value) -> CreateResponseRequest {
        self.text =
            Some(json!({"format": {"type": "json_schema", "name": name.into(), "schema": schema}}));
        self
    }

    fn problem(&self) -> Option<String> {
        if self.knowledge_store_id.trim().is_empty() {
            return Some("`knowledge_store_id` must not be empty".into());
        }
        if self.input.is_empty() {
            return Some("`input` needs at least one message".into());
        }
        if let Some(item) = self
            .input
            .iter()
            .find(|i| !(1..=10_000).contains(&i.content.chars().count()))
        {
            return Some(format!(
                "message content is 1–10000 characters, got {}",
                item.content.chars().count()
            ));
        }
        self.selections
            .iter()
            .find(|s| s.kind != "item" && s.kind != "collection")
            .map(|s| format!("selection kind is `item` or `collection`, got {:?}", s.kind))
    }
}

/// A citation inside a content part (`ResponseAnnotation`); indexes are
/// inclusive, in Unicode code points of the part's `text`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseAnnotation {
    /// `video_citation`, `image_citation` or `collection_citation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// First cited character.
    pub start_index: u32,
    /// Last cited character (inclusive).
    pub end_index: u32,
    /// The cited item (video/image).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The cited collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_id: Option<String>,
    /// Video range start, seconds (absent = whole video).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_sec: Option<f64>,
    /// Video range end, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_sec: Option<f64>,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Signed thumbnail URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// Signed HLS URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hls_url: Option<String>,
}

/// Text of an output message (`ResponseContentPart`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseContentPart {
    /// `output_text`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The text (may contain `[n]` markers).
    pub text: String,
    /// Citations (may be empty).
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub annotations: Vec<ResponseAnnotation>,
}

/// One output item (`ResponseOutputItem`): a message, a function call or
/// its output; the union of their fields.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseOutputItem {
    /// `message`, `function_call` or `function_call_output`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `assistant` (messages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `commentary` (intermediate) or the final answer (messages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// The text parts (messages).
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub content: Vec<ResponseContentPart>,
    /// Function name (calls).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Call id (calls and outputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// Arguments as JSON text (calls).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// The call's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// Token counts of a response.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseUsage {
    /// Input tokens.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_tokens: Option<u64>,
    /// Output tokens.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_tokens: Option<u64>,
}

/// Why a response is incomplete.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncompleteDetails {
    /// E.g. `max_output_tokens`.
    pub reason: String,
}

/// A Jockey answer (`ResponseObject`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseObject {
    /// `resp_…`.
    pub id: String,
    /// The store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knowledge_store_id: Option<String>,
    /// The session (pass it back to continue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// `response`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `response`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ResponseStatus>,
    /// Null unless incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incomplete_details: Option<IncompleteDetails>,
    /// The output items.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub output: Vec<ResponseOutputItem>,
    /// Tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<ResponseUsage>,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
}

impl ResponseObject {
    /// The text of the final assistant message(s), parts joined.
    pub fn output_text(&self) -> String {
        self.output
            .iter()
            .filter(|o| o.kind == "message" && o.phase.as_deref() != Some("commentary"))
            .flat_map(|o| o.content.iter().map(|c| c.text.as_str()))
            .collect()
    }
}

/// One streamed event (`ResponseStreamEvent`, tagged by `type`): the union
/// of the event payloads, so an event this crate does not know still
/// decodes (its `kind` is then [`ResponseEventType::Unknown`]).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseStreamEvent {
    /// The event type (the JSON `type`, else the SSE `event:` name).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<ResponseEventType>,
    /// Monotonic sequence number.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub sequence_number: Option<u64>,
    /// The response (`created`, `in_progress`, `completed`, `failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseObject>,
    /// Output position.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_index: Option<u32>,
    /// The item (`output_item.*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ResponseOutputItem>,
    /// The item id (parts, text, arguments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// Part position.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_index: Option<u32>,
    /// The part (`content_part.*`; annotations only on `.done`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<ResponseContentPart>,
    /// The next text fragment (`output_text.delta`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// The whole text (`output_text.done`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Function arguments (`function_call_arguments.done`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

/// Turns one SSE event into a typed event: `None` for the `[DONE]`
/// terminator, an error for data that is not an event object.
pub(crate) fn parse_sse(event: &SseEvent) -> Option<Result<ResponseStreamEvent>> {
    let data = event.data.trim();
    if data == "[DONE]" {
        return None;
    }
    if data.is_empty() && event.event == "keepalive" {
        return Some(Ok(ResponseStreamEvent {
            kind: Some(ResponseEventType::Keepalive),
            ..ResponseStreamEvent::default()
        }));
    }
    let parsed = serde_json::from_str::<Value>(data)
        .ok()
        .filter(Value::is_object)
        .and_then(|v| serde_json::from_value::<ResponseStreamEvent>(v).ok());
    Some(match parsed {
        Some(mut parsed) => {
            if parsed.kind.is_none() && !event.event.is_empty() {
                parsed.kind = Some(ResponseEventType::from(event.event.as_str()));
            }
            Ok(parsed)
        }
        None => Err(Error::Decode {
            provider: Provider::TwelveLabs,
            http_status: 200,
            message: format!(
                "a /responses event is not a JSON event object (event {:?})",
                event.event
            ),
            body_snippet: data.chars().take(200).collect(),
        }),
    })
}

/// Responses (Jockey agent); get it from [`Client::responses`].
#[derive(Debug, Clone, Copy)]
pub struct Responses<'a> {
    client: &'a Client,
}

impl Client {
    /// Responses (Jockey agent): `/responses`.
    pub fn responses(&self) -> Responses<'_> {
        Responses { client: self }
    }
}

impl Responses<'_> {
    fn request(request: &CreateResponseRequest, stream: bool) -> ApiRequest {
        let mut body = request.clone();
        body.stream = stream;
        let mut api = ApiRequest::post("/responses").json(&body);
        if let Some(problem) = body.problem() {
            api.reject(problem);
        }
        api
    }

    /// `POST /responses` with `stream: false`: the whole answer.
    pub async fn create(&self, request: &CreateResponseRequest) -> Result<ResponseObject> {
        self.client.execute(Self::request(request, false)).await
    }

    /// `POST /responses` with `stream: true`: typed events until the
    /// `[DONE]` terminator (which ends the stream and is not yielded).
    /// `keepalive` events are yielded (the idle deadline is per read, so
    /// they keep a quiet stream alive). An event whose data does not parse
    /// is an error item, never skipped.
    pub async fn stream(
        &self,
        request: &CreateResponseRequest,
    ) -> Result<BoxStream<'static, Result<ResponseStreamEvent>>> {
        let api = Self::request(request, true);
        let opened = self
            .client
            .engine()
            .stream(&api, crate::error::decode::<Value>)
            .await?;
        if opened.is_json() {
            let raw = opened.into_raw().await?;
            return Err(crate::error::decode::<Value>(raw).err().unwrap_or_else(|| {
                Error::Decode {
                    provider: Provider::TwelveLabs,
                    http_status: 200,
                    message: "expected an event stream, got a JSON document".into(),
                    body_snippet: String::new(),
                }
            }));
        }
        Ok(opened
            .sse()
            .scan((), |(), item| {
                futures::future::ready(match item {
                    Ok(event) => parse_sse(&event),
                    Err(err) => Some(Err(err)),
                })
            })
            .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sse(event: &str, data: &str) -> SseEvent {
        let mut e = SseEvent::data(data);
        e.event = event.into();
        e
    }

    #[test]
    fn sse_events_parse_terminate_and_fail_loudly() {
        assert!(parse_sse(&sse("", "[DONE]")).is_none());
        let delta = parse_sse(&sse(
            "response.output_text.delta",
            r#"{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}"#,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(delta.kind, Some(ResponseEventType::OutputTextDelta));
        assert_eq!(delta.delta.as_deref(), Some("Hi"));
        assert_eq!(delta.sequence_number, Some(3));
        let keepalive = parse_sse(&sse("keepalive", "")).unwrap().unwrap();
        assert_eq!(keepalive.kind, Some(ResponseEventType::Keepalive));
        let named = parse_sse(&sse("keepalive", r#"{"sequence_number":9}"#))
            .unwrap()
            .unwrap();
        assert_eq!(named.kind, Some(ResponseEventType::Keepalive));
        assert!(parse_sse(&sse("", "{oops")).unwrap().is_err());
        assert!(parse_sse(&sse("", "[1,2]")).unwrap().is_err());
        let unknown = parse_sse(&sse("", r#"{"type":"response.reasoning.delta"}"#))
            .unwrap()
            .unwrap();
        assert_eq!(
            unknown.kind,
            Some(ResponseEventType::Unknown(
                "response.reasoning.delta".into()
            ))
        );
    }
}
