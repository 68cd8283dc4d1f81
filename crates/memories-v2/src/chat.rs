//! Model chat (memories-v2.md §3.E): video understanding
//! (`/vu/chat/completions`) and image understanding (`/iu/chat/completions`)
//! over Gemini, Nova, Qwen and (images only) GPT.
//!
//! Answers carry no E1 envelope; HTTP 200 may still be an error
//! (`"status": "errored"` with an `error` object, or no choices): both
//! become errors. Gemini, Qwen and Nova answer in different shapes; one
//! [`ChatCompletion`] holds them all, and [`ChatCompletion::text`] reads the
//! first answer whichever shape it came in.

use std::collections::BTreeMap;

use media_core::http::ApiRequest;
use media_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Client;
use crate::envelope;

/// The model prefixes the gateway routes on (a bare id silently reaches the
/// wrong upstream, so bare ids are rejected before sending).
pub const MODEL_PREFIXES: [&str; 4] = ["gemini:", "nova:", "qwen:", "gpt:"];

/// One content part of a message, kept as the JSON the provider expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentPart(pub Value);

impl ContentPart {
    /// `{"type": "text", "text": …}`.
    pub fn text(text: impl Into<String>) -> ContentPart {
        ContentPart(json!({"type": "text", "text": text.into()}))
    }

    /// Gemini (and GPT): `{"type": "input_file", "file_uri", "mime_type"}`;
    /// the URL must be publicly fetchable (video cannot be base64).
    pub fn input_file(file_uri: impl Into<String>, mime_type: impl Into<String>) -> ContentPart {
        ContentPart(
            json!({"type": "input_file", "file_uri": file_uri.into(), "mime_type": mime_type.into()}),
        )
    }

    /// Nova: `{"type": "video_url", "video_url": <URL or base64>}`.
    pub fn video_url(url: impl Into<String>) -> ContentPart {
        ContentPart(json!({"type": "video_url", "video_url": url.into()}))
    }

    /// Nova: `{"type": "image_url", "image_url": <URL or base64>}`.
    pub fn image_url(url: impl Into<String>) -> ContentPart {
        ContentPart(json!({"type": "image_url", "image_url": url.into()}))
    }

    /// Qwen: `{"image": <URL or base64>}`.
    pub fn qwen_image(url: impl Into<String>) -> ContentPart {
        ContentPart(json!({"image": url.into()}))
    }

    /// Any other part, as given.
    pub fn raw(value: Value) -> ContentPart {
        ContentPart(value)
    }
}

/// `content` of a message: a string (system and assistant turns) or parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Content {
    /// Plain text.
    Text(String),
    /// Parts (required for user turns: a bare string is rejected upstream
    /// with "Model input cannot be empty").
    Parts(Vec<ContentPart>),
}

/// One message.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The content.
    pub content: Content,
}

impl Message {
    /// A system turn.
    pub fn system(text: impl Into<String>) -> Message {
        Message {
            role: "system".into(),
            content: Content::Text(text.into()),
        }
    }

    /// A user turn made of `parts`.
    pub fn user(parts: Vec<ContentPart>) -> Message {
        Message {
            role: "user".into(),
            content: Content::Parts(parts),
        }
    }

    /// A user turn with one text part.
    pub fn user_text(text: impl Into<String>) -> Message {
        Message::user(vec![ContentPart::text(text)])
    }

    /// An assistant turn.
    pub fn assistant(text: impl Into<String>) -> Message {
        Message {
            role: "assistant".into(),
            content: Content::Text(text.into()),
        }
    }
}

/// The body of a chat completion.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// A prefixed model id, e.g. `gemini:gemini-2.5-flash`.
    pub model: String,
    /// The conversation.
    pub messages: Vec<Message>,
    /// 0.0–2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Output token cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// 0.0–1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// −2.0–2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// −2.0–2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Number of choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Stop sequence(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Value>,
    /// Sent literally as the key `extra_body` (e.g. `{"metadata": {"response_mime_type": "application/json"}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_body: Option<Value>,
}

impl ChatRequest {
    /// A request to `model` with `messages`.
    pub fn new(model: impl Into<String>, messages: Vec<Message>) -> ChatRequest {
        ChatRequest {
            model: model.into(),
            messages,
            temperature: None,
            max_tokens: None,
            top_p: None,
            frequency_penalty: None,
            presence_penalty: None,
            n: None,
            stop: None,
            extra_body: None,
        }
    }

    /// Sets `temperature` (0.0–2.0).
    pub fn temperature(mut self, value: f64) -> ChatRequest {
        self.temperature = Some(value);
        self
    }

    /// Sets `max_tokens`.
    pub fn max_tokens(mut self, value: u32) -> ChatRequest {
        self.max_tokens = Some(value);
        self
    }

    /// Sets `top_p` (0.0–1.0).
    pub fn top_p(mut self, value: f64) -> ChatRequest {
        self.top_p = Some(value);
        self
    }

    /// Sets `frequency_penalty` (−2.0–2.0).
    pub fn frequency_penalty(mut self, value: f64) -> ChatRequest {
        self.frequency_penalty = Some(value);
        self
    }

    /// Sets `presence_penalty` (−2.0–2.0).
    pub fn presence_penalty(mut self, value: f64) -> ChatRequest {
        self.presence_penalty = Some(value);
        self
    }

    /// Sets `n`.
    pub fn n(mut self, value: u32) -> ChatRequest {
        self.n = Some(value);
        self
    }

    /// Sets `stop` (a string or an array of strings).
    pub fn stop(mut self, value: Value) -> ChatRequest {
        self.stop = Some(value);
        self
    }

    /// Sets `extra_body`.
    pub fn extra_body(mut self, value: Value) -> ChatRequest {
        self.extra_body = Some(value);
        self
    }

    fn validate(&self, image: bool) -> Result<()> {
        let prefix = MODEL_PREFIXES
            .iter()
            .find(|p| self.model.starts_with(**p) && self.model.len() > p.len());
        match prefix {
            None => {
                return Err(Error::InvalidInput(format!(
                    "model {:?} needs a provider prefix ({})",
                    self.model,
                    MODEL_PREFIXES.join(", ")
                )));
            }
            Some(&"gpt:") if !image => {
                return Err(Error::InvalidInput(
                    "gpt: models serve image understanding only (/iu/chat/completions)".into(),
                ));
            }
            Some(_) => {}
        }
        if self.messages.is_empty() {
            return Err(Error::InvalidInput("messages must not be empty".into()));
        }
        if self
            .messages
            .iter()
            .any(|m| m.role == "user" && matches!(m.content, Content::Text(_)))
        {
            return Err(Error::InvalidInput(
                "a user turn needs content parts (Message::user_text), not a bare string".into(),
            ));
        }
        media_core::check::in_range("temperature", self.temperature, 0.0..=2.0)?;
        media_core::check::in_range("top_p", self.top_p, 0.0..=1.0)?;
        media_core::check::in_range("frequency_penalty", self.frequency_penalty, -2.0..=2.0)?;
        media_core::check::in_range("presence_penalty", self.presence_penalty, -2.0..=2.0)?;
        media_core::check::in_range("n", self.n, 1..=u32::MAX)
    }
}

/// The message of a Nova (OpenAI-like) choice.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceMessage {
    /// `assistant`.
    #[serde(default)]
    pub role: Option<String>,
    /// Usually a string.
    #[serde(default)]
    pub content: Value,
}

/// One choice: `{text, index}` (Gemini, Qwen) or `{index, message, finish_reason}` (Nova).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Position.
    #[serde(default)]
    pub index: Option<u32>,
    /// Gemini / Qwen answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Nova answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<ChoiceMessage>,
    /// Nova stop reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
}

impl Choice {
    /// The answer text, whichever shape it came in.
    pub fn content(&self) -> Option<&str> {
        self.text
            .as_deref()
            .or_else(|| self.message.as_ref()?.content.as_str())
    }
}

/// Token usage: Gemini/Qwen `input_tokens`/`output_tokens`; Nova
/// `prompt_tokens`/`output_token` (singular, as documented).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Gemini / Qwen input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Gemini / Qwen output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Nova input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Nova output tokens (singular key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_token: Option<u64>,
    /// Total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `meta` of Gemini / Qwen answers.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// e.g. `gemini`.
    #[serde(default)]
    pub provider: Option<String>,
    /// The upstream model id.
    #[serde(default)]
    pub provider_model: Option<String>,
}

/// A chat completion, in any of the three documented shapes.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatCompletion {
    /// `resp_<uuid>` (Gemini), a bare UUID (Qwen), `chatcmpl_<hex>` (Nova).
    #[serde(default)]
    pub id: Option<String>,
    /// `completion` or `chat.completion`.
    #[serde(default)]
    pub object: Option<String>,
    /// The model (Qwen echoes it without the prefix).
    #[serde(default)]
    pub model: Option<String>,
    /// Unix seconds (Gemini, Qwen).
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<i64>,
    /// Unix seconds (Nova).
    #[serde(
        default,
        deserialize_with = "media_core::de::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<i64>,
    /// `completed` (Gemini, Qwen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The answers (never empty: an empty list is an error).
    pub choices: Vec<Choice>,
    /// Token usage.
    #[serde(default)]
    pub usage: Option<Usage>,
    /// Provider details (Gemini, Qwen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ChatCompletion {
    /// The first choice's text.
    pub fn text(&self) -> Option<&str> {
        self.choices.first()?.content()
    }

    /// The first choice's text without the Markdown code fence Gemini often
    /// wraps JSON in (even in JSON mode), ready for `serde_json::from_str`.
    pub fn json_text(&self) -> Option<&str> {
        self.text().map(strip_code_fence)
    }
}

/// Removes one surrounding Markdown code fence (```` ```json … ``` ````).
pub fn strip_code_fence(text: &str) -> &str {
    let trimmed = text.trim();
    let Some(rest) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let body = rest.split_once('\n').map_or("", |(_, body)| body);
    body.trim_end().strip_suffix("```").unwrap_or(body).trim()
}

/// The chat endpoints, from [`Client::chat`].
#[derive(Debug, Clone, Copy)]
pub struct Chat<'a> {
    client: &'a Client,
}

impl<'a> Chat<'a> {
    pub(crate) fn new(client: &'a Client) -> Chat<'a> {
        Chat { client }
    }

    /// `POST /vu/chat/completions`: video (and image/text) understanding
    /// with a `gemini:`, `nova:` or `qwen:` model.
    pub async fn video_completions(&self, request: &ChatRequest) -> Result<ChatCompletion> {
        request.validate(false)?;
        let api = ApiRequest::post("/vu/chat/completions").json(request);
        self.client.execute_with(api, envelope::decode_chat).await
    }

    /// `POST /iu/chat/completions`: image understanding, also with `gpt:`
    /// models. (The doc pages' generated curl says `/ilm/chat/completions`;
    /// the prose, followed here, says `/iu/…`.)
    pub async fn image_completions(&self, request: &ChatRequest) -> Result<ChatCompletion> {
        request.validate(true)?;
        let api = ApiRequest::post("/iu/chat/completions").json(request);
        self.client.execute_with(api, envelope::decode_chat).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences() {
        assert_eq!(strip_code_fence("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_code_fence(" {\"a\":1} "), "{\"a\":1}");
        assert_eq!(strip_code_fence("```\n[1]\n```\n"), "[1]");
    }

    #[test]
    fn validation() {
        let ok = ChatRequest::new("gemini:gemini-2.5-flash", vec![Message::user_text("hi")]);
        assert!(ok.validate(false).is_ok());
        let bare = ChatRequest::new("gemini-2.5-flash", vec![Message::user_text("hi")]);
        assert!(bare.validate(false).is_err());
        let gpt = ChatRequest::new("gpt:gpt-4.1-mini", vec![Message::user_text("hi")]);
        assert!(gpt.validate(false).is_err());
        assert!(gpt.validate(true).is_ok());
        let string_user = ChatRequest::new(
            "qwen:qwen3-vl-plus",
            vec![Message {
                role: "user".into(),
                content: Content::Text("hi".into()),
            }],
        );
        assert!(string_user.validate(false).is_err());
        assert!(ok.clone().temperature(2.5).validate(false).is_err());
        assert!(ok.top_p(1.5).validate(false).is_err());
    }
}
