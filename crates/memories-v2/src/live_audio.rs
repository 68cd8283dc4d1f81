//! The live audio WebSocket (memories-v2.md §3.G, G.3; feature
//! `websocket`): push audio frames to
//! `wss://mavi-backend.memories.ai/serve/ws/v2/audio-stream` and read the
//! realtime STT messages of ElevenLabs or AssemblyAI, which the gateway
//! proxies both ways unchanged.
//!
//! ```no_run
//! # async fn run(client: memories_v2::Client, pcm: Vec<u8>) -> memories_v2::Result<()> {
//! use memories_v2::live_audio::LiveAudioParams;
//! use memories_v2::transcriptions::SttProvider;
//!
//! let params = LiveAudioParams::new(SttProvider::ElevenLabs).param("language_code", "en");
//! let mut session = client.live_audio(&params).await?;
//! session.send_audio(pcm).await?;
//! while let Some(message) = session.next_message().await {
//!     println!("{}", message?);
//! }
//! # Ok(()) }
//! ```
//!
//! The key goes in the handshake's `Authorization` header (the query
//! parameter `api_key` is the documented alternative, not used here so the
//! key stays out of URLs and logs). Handshake refusals map to typed errors:
//! 400 (bad `provider`) → [`Error::Api`], 401 → [`Error::Unauthorized`],
//! 403 (not enabled for streaming) → [`Error::Api`].

use std::collections::BTreeMap;

use futures::{SinkExt as _, StreamExt as _};
use media_core::{Error, ExposeSecret, Provider, Result};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::Client;
use crate::transcriptions::SttProvider;

/// The handshake's query: `provider` plus anything forwarded upstream
/// (`model_id=scribe_v2_realtime`, `language_code=en`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveAudioParams {
    provider: SttProvider,
    params: BTreeMap<String, String>,
}

impl LiveAudioParams {
    /// A session with `provider`.
    pub fn new(provider: SttProvider) -> LiveAudioParams {
        LiveAudioParams {
            provider,
            params: BTreeMap::new(),
        }
    }

    /// A query parameter forwarded to the upstream provider.
    pub fn param(mut self, name: &str, value: impl Into<String>) -> LiveAudioParams {
        self.params.insert(name.to_owned(), value.into());
        self
    }
}

/// One message read from the session.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum LiveMessage {
    /// A JSON text frame from the provider, parsed.
    Json(Value),
    /// A text frame that is not JSON, as sent.
    Text(String),
    /// A binary frame.
    Binary(Vec<u8>),
}

impl std::fmt::Display for LiveMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiveMessage::Json(value) => write!(f, "{value}"),
            LiveMessage::Text(text) => f.write_str(text),
            LiveMessage::Binary(bytes) => write!(f, "<{} bytes>", bytes.len()),
        }
    }
}

/// An open live audio session.
pub struct LiveAudioSession {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl std::fmt::Debug for LiveAudioSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveAudioSession").finish_non_exhaustive()
    }
}

fn ws_error(err: &tokio_tungstenite::tungstenite::Error) -> Error {
    Error::Transport {
        provider: Provider::MemoriesV2,
        message: format!("live audio WebSocket: {err}"),
        connect: false,
        source: None,
    }
}

impl LiveAudioSession {
    /// Sends one binary audio frame.
    pub async fn send_audio(&mut self, audio: impl Into<Vec<u8>>) -> Result<()> {
        self.socket
            .send(Message::binary(audio.into()))
            .await
            .map_err(|err| ws_error(&err))
    }

    /// Sends one text frame (the providers' JSON control or base64 audio messages).
    pub async fn send_text(&mut self, text: impl Into<String>) -> Result<()> {
        self.socket
            .send(Message::text(text.into()))
            .await
            .map_err(|err| ws_error(&err))
    }

    /// The next provider message; `None` once the session is closed.
    pub async fn next_message(&mut self) -> Option<Result<LiveMessage>> {
        loop {
            let message = match self.socket.next().await? {
                Ok(message) => message,
                Err(err) => return Some(Err(ws_error(&err))),
            };
            return Some(Ok(match message {
                Message::Text(text) => {
                    let text = text.as_str();
                    match serde_json::from_str(text) {
                        Ok(value) => LiveMessage::Json(value),
                        Err(_) => LiveMessage::Text(text.to_owned()),
                    }
                }
                Message::Binary(bytes) => LiveMessage::Binary(bytes.to_vec()),
                Message::Close(_) => return None,
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            }));
        }
    }

    /// Closes the session.
    pub async fn close(mut self) -> Result<()> {
        self.socket.close(None).await.map_err(|err| ws_error(&err))
    }
}

impl Client {
    /// Opens the live audio WebSocket ([`Client::ws_url`]).
    pub async fn live_audio(&self, params: &LiveAudioParams) -> Result<LiveAudioSession> {
        let mut url = url_with_query(&self.ws_url(), &params.provider, &params.params);
        url.shrink_to_fit();
        let mut request = url
            .into_client_request()
            .map_err(|err| Error::InvalidInput(format!("live audio URL: {err}")))?;
        let key =
            self.api_key().expose_secret().parse().map_err(|_| {
                Error::InvalidInput("the API key cannot be sent in a header".into())
            })?;
        request.headers_mut().insert("authorization", key);
        // The client's response limit bounds every message and frame, so a hostile server
        // cannot make the session buffer more than a response could.
        let max = self.engine().max_response_bytes();
        let limits = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
            .max_message_size(Some(max))
            .max_frame_size(Some(max));
        match tokio_tungstenite::connect_async_with_config(request, Some(limits), true).await {
            Ok((socket, _)) => Ok(LiveAudioSession { socket }),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let status = response.status().as_u16();
                let body = response
                    .body()
                    .as_deref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                let (code, message) =
                    serde_json::from_str::<Value>(&body)
                        .ok()
                        .map_or((None, None), |v| {
                            let code = v.get("code").and_then(crate::envelope::code_text);
                            let message = v
                                .get("msg")
                                .or_else(|| v.get("message"))
                                .and_then(Value::as_str)
                                .map(str::to_owned);
                            (code, message)
                        });
                let message = message.unwrap_or_else(|| format!("handshake refused: {body}"));
                Err(if status == 401 {
                    Error::Unauthorized {
                        provider: Provider::MemoriesV2,
                        http_status: status,
                        code,
                        message,
                    }
                } else {
                    Error::Api {
                        provider: Provider::MemoriesV2,
                        http_status: status,
                        code,
                        message,
                        request_id: None,
                    }
                })
            }
            Err(err) => Err(Error::Transport {
                provider: Provider::MemoriesV2,
                message: format!("live audio WebSocket: {err}"),
                connect: true,
                source: None,
            }),
        }
    }
}

fn url_with_query(base: &str, provider: &SttProvider, params: &BTreeMap<String, String>) -> String {
    let mut query = form_pairs(&[("provider", provider.as_str())]);
    for (name, value) in params {
        query.push('&');
        query.push_str(&form_pairs(&[(name, value)]));
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{query}")
}

fn form_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    crate::wire::pct_encode(text, false)
}
