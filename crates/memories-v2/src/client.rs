//! The client, its configuration and the transport they share.

use std::fmt;
use std::sync::Arc;

use media_core::http::{ApiRequest, Engine, HeaderKey, HttpSettings, RawResponse};
use media_core::{Error, Provider, Result, SecretString};
use serde::de::DeserializeOwned;

use crate::agents::Agents;
use crate::assets::Assets;
use crate::chat::Chat;
use crate::embeddings::Embeddings;
use crate::envelope;
use crate::screenplay::Screenplay;
use crate::social::Social;
use crate::stream_understanding::StreamUnderstanding;
use crate::streams::Streams;
use crate::tasks::Tasks;
use crate::transcriptions::Transcriptions;
use crate::video::Video;

/// The production API root of memories.ai v2 (MAVI).
pub const DEFAULT_BASE_URL: &str = "https://mavi-backend.memories.ai/serve/api/v2";

/// Environment variables holding the API key, most specific first.
pub const API_KEY_VARS: [&str; 2] = ["MEMORIES_V2_API_KEY", "MEMORIES_API_KEY"];
/// Environment variable overriding [`DEFAULT_BASE_URL`].
pub const BASE_URL_VAR: &str = "MEMORIES_V2_BASE_URL";
/// The API root of live video understanding on the adjacent host
/// `stream.memories.ai` (same key as v2; paths `/understand/…` below it).
pub const DEFAULT_STREAM_BASE_URL: &str = "https://stream.memories.ai/v1";
/// Environment variable overriding [`DEFAULT_STREAM_BASE_URL`].
pub const STREAM_BASE_URL_VAR: &str = "MEMORIES_V2_STREAM_BASE_URL";
/// Environment variable naming the address the webhook receiver of the
/// neutral [`media_core::FrameExtractor`] listens on (e.g. `0.0.0.0:8787`).
pub const WEBHOOK_LISTEN_VAR: &str = "MEMORIES_V2_WEBHOOK_LISTEN";
/// The documented limit of most v2 endpoints: one request per second.
pub const DOCUMENTED_QPS: f64 = 1.0;

/// How to reach memories.ai v2: the API key and the transport settings.
///
/// The key is sent verbatim as `Authorization: <key>` (no `Bearer ` prefix,
/// as the v2 docs require). It never appears in `Debug` output.
#[derive(Clone)]
pub struct Config {
    api_key: SecretString,
    http: HttpSettings,
    stream_base_url: String,
    ws_url: Option<String>,
    webhook_listen: Option<std::net::SocketAddr>,
    #[cfg(feature = "webhooks")]
    webhook_receiver: Option<crate::WebhookReceiver>,
}

impl Config {
    /// A configuration for `api_key` against [`DEFAULT_BASE_URL`], with the
    /// default timeouts and retry policy.
    pub fn new(api_key: impl Into<SecretString>) -> Config {
        Config {
            api_key: api_key.into(),
            http: HttpSettings::new(
                DEFAULT_BASE_URL,
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            ),
            stream_base_url: DEFAULT_STREAM_BASE_URL.to_owned(),
            ws_url: None,
            webhook_listen: None,
            #[cfg(feature = "webhooks")]
            webhook_receiver: None,
        }
    }

    /// Reads the configuration from the environment: the key from
    /// `MEMORIES_V2_API_KEY`, else `MEMORIES_API_KEY` (required), the API
    /// root from `MEMORIES_V2_BASE_URL` and the `stream.memories.ai` root
    /// from `MEMORIES_V2_STREAM_BASE_URL` (both optional).
    pub fn from_env() -> Result<Config> {
        let mut config = Config::new(media_core::env::require_var(&API_KEY_VARS)?);
        config.http.base_url_from_env(&[BASE_URL_VAR]);
        if let Some(url) = media_core::env::first_var(&[STREAM_BASE_URL_VAR]) {
            config.stream_base_url = url;
        }
        if let Some(listen) = media_core::env::first_var(&[WEBHOOK_LISTEN_VAR]) {
            let addr = listen.parse().map_err(|_| {
                Error::InvalidInput(format!(
                    "{WEBHOOK_LISTEN_VAR}={listen:?} is not a socket address like 127.0.0.1:8787"
                ))
            })?;
            config.webhook_listen = Some(addr);
        }
        Ok(config)
    }

    /// The API root of live video understanding on `stream.memories.ai`
    /// (default [`DEFAULT_STREAM_BASE_URL`], also read from
    /// `MEMORIES_V2_STREAM_BASE_URL`), e.g. a `media-mock` server's
    /// `memories_stream_url()`. Must be `https://` unless the host is
    /// loopback. The v2 key and the transport settings apply to it too.
    pub fn stream_base_url(mut self, url: impl Into<String>) -> Config {
        self.stream_base_url = url.into();
        self
    }

    /// The WebSocket URL of the live audio stream; by default derived from
    /// the base URL (`…/serve/api/v2` → `…/serve/ws/v2/audio-stream`).
    pub fn ws_url(mut self, url: impl Into<String>) -> Config {
        self.ws_url = Some(url.into());
        self
    }

    /// The address the webhook receiver of the neutral
    /// [`media_core::FrameExtractor`] binds on first use (also read from
    /// `MEMORIES_V2_WEBHOOK_LISTEN`). The account's registered webhook URL
    /// must reach it.
    pub fn webhook_listen(mut self, addr: std::net::SocketAddr) -> Config {
        self.webhook_listen = Some(addr);
        self
    }

    /// A running receiver for the neutral [`media_core::FrameExtractor`] to
    /// wait on (instead of binding [`Config::webhook_listen`]).
    #[cfg(feature = "webhooks")]
    pub fn webhook_receiver(mut self, receiver: crate::WebhookReceiver) -> Config {
        self.webhook_receiver = Some(receiver);
        self
    }

    /// Replaces the API key.
    pub fn api_key(mut self, api_key: impl Into<SecretString>) -> Config {
        self.api_key = api_key.into();
        self
    }

    media_core::http_settings_setters!();
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &"[REDACTED]")
            .field("http", &self.http)
            .field("stream_base_url", &self.stream_base_url)
            .field("webhook_listen", &self.webhook_listen)
            .finish_non_exhaustive()
    }
}

/// A memories.ai v2 client: cheap to clone, one connection pool for all clones.
///
/// Endpoints are grouped as the provider groups them; this release covers
/// [`Client::assets`].
#[derive(Clone, Debug)]
pub struct Client {
    engine: Engine,
    /// The same key and settings, rooted at `stream.memories.ai`.
    stream_engine: Engine,
    api_key: SecretString,
    ws_url: Option<String>,
    #[cfg_attr(not(feature = "webhooks"), allow(dead_code))]
    webhook_listen: Option<std::net::SocketAddr>,
    #[cfg(feature = "webhooks")]
    receiver: Arc<tokio::sync::OnceCell<crate::WebhookReceiver>>,
}

impl Client {
    /// Builds a client; fails on an empty or unsendable key or an unusable base URL.
    pub fn new(config: Config) -> Result<Client> {
        let auth: Arc<dyn media_core::http::Auth> =
            Arc::new(HeaderKey::new("authorization", config.api_key.clone())?);
        let engine = Engine::new(Provider::MemoriesV2, &config.http, Arc::clone(&auth))?;
        // media-core engines have one base URL each, so the adjacent host
        // gets its own engine (and connection pool) with the same key.
        let mut stream_http = config.http.clone();
        stream_http.base_url.clone_from(&config.stream_base_url);
        let stream_engine = Engine::new(Provider::MemoriesV2, &stream_http, auth)?;
        #[cfg(feature = "webhooks")]
        let receiver = Arc::new(match config.webhook_receiver {
            Some(receiver) => tokio::sync::OnceCell::new_with(Some(receiver)),
            None => tokio::sync::OnceCell::new(),
        });
        Ok(Client {
            engine,
            stream_engine,
            api_key: config.api_key,
            ws_url: config.ws_url,
            webhook_listen: config.webhook_listen,
            #[cfg(feature = "webhooks")]
            receiver,
        })
    }

    /// A client configured from the environment (see [`Config::from_env`]).
    pub fn from_env() -> Result<Client> {
        Client::new(Config::from_env()?)
    }

    /// Asset management: upload, metadata, download, delete, frame extraction.
    pub fn assets(&self) -> Assets<'_> {
        Assets::new(self)
    }

    /// Video tasks: scene detection (clip), split, edit.
    pub fn video(&self) -> Video<'_> {
        Video::new(self)
    }

    /// Screenplay extraction jobs: submit, status, download, cancel.
    pub fn screenplay(&self) -> Screenplay<'_> {
        Screenplay::new(self)
    }

    /// Visual agents: the agentic public-video search (`/queries/stream`).
    pub fn agents(&self) -> Agents<'_> {
        Agents::new(self)
    }

    /// Transcription, diarization, visual description and summaries.
    pub fn transcriptions(&self) -> Transcriptions<'_> {
        Transcriptions::new(self)
    }

    /// Video, image and text embeddings.
    pub fn embeddings(&self) -> Embeddings<'_> {
        Embeddings::new(self)
    }

    /// Video and image understanding chat completions.
    pub fn chat(&self) -> Chat<'_> {
        Chat::new(self)
    }

    /// Social-media data: platform metadata, transcripts, MAI transcripts.
    pub fn social(&self) -> Social<'_> {
        Social::new(self)
    }

    /// Live streams: server-pulled audio transcription, live video analysis.
    pub fn streams(&self) -> Streams<'_> {
        Streams::new(self)
    }

    /// Live video understanding on the adjacent host `stream.memories.ai`
    /// (`streamConnect`, `stop`), with the same key.
    pub fn stream_understanding(&self) -> StreamUnderstanding<'_> {
        StreamUnderstanding::new(self)
    }

    /// The generic task status endpoint (first-party code only).
    pub fn tasks(&self) -> Tasks<'_> {
        Tasks::new(self)
    }

    /// The WebSocket URL of the live audio stream.
    pub fn ws_url(&self) -> String {
        if let Some(url) = &self.ws_url {
            return url.clone();
        }
        let base = self.base_url();
        let ws = if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            base.to_owned()
        };
        let root = ws.strip_suffix("/api/v2").unwrap_or(&ws);
        format!("{root}/ws/v2/audio-stream")
    }

    /// The webhook receiver the neutral [`media_core::FrameExtractor`] waits
    /// on: the one given to [`Config::webhook_receiver`], else one bound on
    /// [`Config::webhook_listen`] at first use.
    #[cfg(feature = "webhooks")]
    pub async fn webhook_receiver(&self) -> Result<crate::WebhookReceiver> {
        let listen = self.webhook_listen;
        self.receiver
            .get_or_try_init(|| async move {
                let Some(addr) = listen else {
                    return Err(Error::InvalidInput(format!(
                        "memories.ai v2 delivers frame extraction results only by webhook: set \
                         {WEBHOOK_LISTEN_VAR} (or Config::webhook_listen) to an address your \
                         registered webhook URL reaches"
                    )));
                };
                crate::WebhookReceiver::bind(addr).await
            })
            .await
            .cloned()
    }

    /// Adds the API key to a request sent to an absolute URL on the API host.
    pub(crate) fn authorize(&self, request: ApiRequest) -> ApiRequest {
        use media_core::ExposeSecret;
        request.header("authorization", self.api_key.expose_secret())
    }

    /// The API key, for the WebSocket handshake.
    #[cfg_attr(not(feature = "websocket"), allow(dead_code))]
    pub(crate) fn api_key(&self) -> &SecretString {
        &self.api_key
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url().as_str()
    }

    /// The API root of the `stream.memories.ai` calls.
    pub fn stream_base_url(&self) -> &str {
        self.stream_engine.base_url().as_str()
    }

    /// Sends `request` to `stream.memories.ai` and decodes the E8 answer.
    pub(crate) async fn execute_stream_host<T, D>(
        &self,
        request: ApiRequest,
        decode: D,
    ) -> Result<T>
    where
        T: Send,
        D: Fn(RawResponse) -> Result<T> + Send + Sync,
    {
        self.stream_engine.execute(&request, decode).await
    }

    /// Sends `request` and decodes the E1 envelope's `data` into `T`.
    pub(crate) async fn execute<T>(&self, request: ApiRequest) -> Result<T>
    where
        T: DeserializeOwned + Send,
    {
        self.execute_with(request, envelope::decode::<T>).await
    }

    /// Sends `request` and decodes the answer with `decode`.
    pub(crate) async fn execute_with<T, D>(&self, request: ApiRequest, decode: D) -> Result<T>
    where
        T: Send,
        D: Fn(RawResponse) -> Result<T> + Send + Sync,
    {
        self.engine.execute(&request, decode).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::ExposeSecret;

    #[test]
    fn debug_never_shows_the_key() {
        let config = Config::new("sk-mavi-topsecret-0001");
        let shown = format!("{config:?}");
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains(DEFAULT_BASE_URL));
        let client = Client::new(config).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("topsecret"), "{shown}");
    }

    #[test]
    fn defaults_and_setters() {
        let config = Config::new("k").timeout(std::time::Duration::from_secs(5));
        assert_eq!(config.http_settings().base_url, DEFAULT_BASE_URL);
        assert_eq!(config.http_settings().timeout.as_secs(), 5);
        assert!(
            config
                .http_settings()
                .user_agent
                .starts_with("memories-v2/")
        );
        let client = Client::new(config.base_url("http://127.0.0.1:9/serve/api/v2/")).unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/serve/api/v2");
        assert_eq!(client.stream_base_url(), DEFAULT_STREAM_BASE_URL);
    }

    #[test]
    fn rejects_bad_keys_and_base_urls() {
        assert!(Client::new(Config::new("")).is_err());
        assert!(Client::new(Config::new("a\nb")).is_err());
        assert!(Client::new(Config::new("k").base_url("http://example.com/v2")).is_err());
        assert!(Client::new(Config::new("k").stream_base_url("http://example.com/v1")).is_err());
    }

    /// Environment variables cannot be set safely inside a multi-threaded
    /// test binary, so this test re-runs itself in a child process with a
    /// prepared environment; the child does the checking.
    #[test]
    fn from_env_reads_the_documented_variables() {
        const CHILD: &str = "MEMORIES_V2_TEST_FROM_ENV_CHILD";
        let name = "client::tests::from_env_reads_the_documented_variables";
        if let Ok(case) = std::env::var(CHILD) {
            let result = Config::from_env();
            match case.as_str() {
                "specific" => {
                    let config = result.unwrap();
                    assert_eq!(config.api_key.expose_secret(), "sk-v2");
                    assert_eq!(config.http.base_url, "http://127.0.0.1:1/x");
                    assert_eq!(config.stream_base_url, "http://127.0.0.1:2/s");
                }
                "shared" => {
                    let config = result.unwrap();
                    assert_eq!(config.api_key.expose_secret(), "sk-shared");
                    assert_eq!(config.http.base_url, DEFAULT_BASE_URL);
                    assert_eq!(config.stream_base_url, DEFAULT_STREAM_BASE_URL);
                }
                "missing" => {
                    let message = result.unwrap_err().to_string();
                    assert!(
                        message.contains("MEMORIES_V2_API_KEY or MEMORIES_API_KEY"),
                        "{message}"
                    );
                }
                other => panic!("unknown case {other}"),
            }
            return;
        }
        let exe = std::env::current_exe().unwrap();
        let cases: [(&str, &[(&str, &str)]); 3] = [
            (
                "specific",
                &[
                    ("MEMORIES_V2_API_KEY", "sk-v2"),
                    ("MEMORIES_API_KEY", "sk-shared"),
                    ("MEMORIES_V2_BASE_URL", "http://127.0.0.1:1/x"),
                    ("MEMORIES_V2_STREAM_BASE_URL", "http://127.0.0.1:2/s"),
                ],
            ),
            (
                "shared",
                &[
                    ("MEMORIES_V2_API_KEY", " "),
                    ("MEMORIES_API_KEY", "sk-shared"),
                ],
            ),
            ("missing", &[]),
        ];
        for (case, vars) in cases {
            let mut command = std::process::Command::new(&exe);
            command
                .args(["--exact", name, "--test-threads=1"])
                .env_remove("MEMORIES_V2_API_KEY")
                .env_remove("MEMORIES_API_KEY")
                .env_remove("MEMORIES_V2_BASE_URL")
                .env_remove("MEMORIES_V2_STREAM_BASE_URL")
                .env(CHILD, case);
            for (key, value) in vars {
                command.env(key, value);
            }
            let output = command.output().unwrap();
            assert!(
                output.status.success(),
                "case {case}: {}",
                String::from_utf8_lossy(&output.stdout)
            );
            assert!(
                String::from_utf8_lossy(&output.stdout).contains("1 passed"),
                "case {case}"
            );
        }
    }
}
