//! Configuration and the client every resource group hangs off.

use std::fmt;
use std::sync::Arc;

use media_core::http::{Engine, HeaderKey, HttpSettings};
use media_core::{Error, Provider, Result, SecretString};

use media_core::http::ApiRequest;
use serde::de::DeserializeOwned;

use crate::chat::Chat;
use crate::common::{DEFAULT_UNIQUE_ID, check_unique_id};
use crate::envelope::decode;
use crate::library::Library;
use crate::memory::Memory;
use crate::search::Search;
use crate::transcription::Transcription;
use crate::upload::Upload;

/// The production API root, including the `/serve/api/v1` prefix.
pub const DEFAULT_BASE_URL: &str = "https://api.memories.ai/serve/api/v1";

/// Environment variables holding the API key, in the order they are consulted.
pub const API_KEY_VARS: [&str; 2] = ["MEMORIES_V1_API_KEY", "MEMORIES_API_KEY"];

/// Environment variable overriding [`DEFAULT_BASE_URL`].
pub const BASE_URL_VAR: &str = "MEMORIES_V1_BASE_URL";

/// How to reach memories.ai v1: the API key, the default namespace and the
/// transport settings.
///
/// The key is held as a [`SecretString`]: it never shows in `Debug` output,
/// errors or logs.
#[derive(Clone)]
pub struct Config {
    api_key: SecretString,
    unique_id: String,
    http: HttpSettings,
}

impl Config {
    /// A configuration for `api_key` (sent verbatim in `Authorization`, with
    /// no `Bearer ` prefix) against [`DEFAULT_BASE_URL`], in the `"default"`
    /// namespace.
    pub fn new(api_key: impl Into<SecretString>) -> Config {
        Config {
            api_key: api_key.into(),
            unique_id: DEFAULT_UNIQUE_ID.to_owned(),
            http: HttpSettings::new(
                DEFAULT_BASE_URL,
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            ),
        }
    }

    /// Reads `MEMORIES_V1_API_KEY` (else `MEMORIES_API_KEY`) and, when set,
    /// the base URL override `MEMORIES_V1_BASE_URL`.
    pub fn from_env() -> Result<Config> {
        let key = media_core::env::require_var(&API_KEY_VARS)?;
        let mut config = Config::new(key);
        config.http.base_url_from_env(&[BASE_URL_VAR]);
        Ok(config)
    }

    /// The namespace (`unique_id`) used when a call does not name one, and by
    /// the media-core traits (default `"default"`). It must not be blank;
    /// [`Client::new`] rejects a blank one.
    pub fn unique_id(mut self, unique_id: impl Into<String>) -> Config {
        self.unique_id = unique_id.into();
        self
    }

    /// The default namespace as configured.
    pub fn default_unique_id(&self) -> &str {
        &self.unique_id
    }

    media_core::http_settings_setters!();
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &"[REDACTED]")
            .field("unique_id", &self.unique_id)
            .field("http", &self.http)
            .finish()
    }
}

/// A memories.ai v1 client: cheap to clone, one connection pool for all clones.
///
/// Endpoints are reached through handles named after the API's groups, e.g.
/// [`Client::library`].
#[derive(Clone, Debug)]
pub struct Client {
    engine: Engine,
    unique_id: Arc<str>,
}

impl Client {
    /// Builds a client; fails on a blank key or namespace, or an unusable base URL.
    pub fn new(config: Config) -> Result<Client> {
        if config.unique_id.trim().is_empty() {
            return Err(Error::InvalidInput(
                "the default unique_id must not be empty".into(),
            ));
        }
        let auth = HeaderKey::new("authorization", config.api_key)?;
        let engine = Engine::new(Provider::MemoriesV1, &config.http, Arc::new(auth))?;
        Ok(Client {
            engine,
            unique_id: Arc::from(config.unique_id),
        })
    }

    /// A client configured by [`Config::from_env`].
    pub fn from_env() -> Result<Client> {
        Client::new(Config::from_env()?)
    }

    /// Library and utility endpoints: listing, metadata, import progress,
    /// deletion, namespaces, public-video details, and waiting for a video to
    /// be parsed.
    pub fn library(&self) -> Library<'_> {
        Library::new(self)
    }

    /// Upload endpoints: video files and URLs, platform imports, images.
    pub fn upload(&self) -> Upload<'_> {
        Upload::new(self)
    }

    /// Search endpoints: semantic, transcript-phrase and image searches.
    pub fn search(&self) -> Search<'_> {
        Search::new(self)
    }

    /// Transcription endpoints: visual and audio transcripts, summaries.
    pub fn transcription(&self) -> Transcription<'_> {
        Transcription::new(self)
    }

    /// Chat endpoints: video, marketer and personal chat, sessions.
    pub fn chat(&self) -> Chat<'_> {
        Chat::new(self)
    }

    /// Memory endpoints: text memories.
    pub fn memory(&self) -> Memory<'_> {
        Memory::new(self)
    }

    /// The namespace used when a call does not name one.
    pub fn unique_id(&self) -> &str {
        &self.unique_id
    }

    /// The validated API root requests are sent to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url().as_str()
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The namespace to send: `given`, or the client's default. An explicitly
    /// blank one is refused before anything is sent.
    pub(crate) fn namespace<'a>(&'a self, given: Option<&'a str>) -> Result<&'a str> {
        match given {
            Some(unique_id) => check_unique_id(unique_id)
                .map(|()| unique_id)
                .map_err(Error::InvalidInput),
            None => Ok(&self.unique_id),
        }
    }

    /// Sends `request` and decodes the envelope's `data` as `T`.
    pub(crate) async fn call<T: DeserializeOwned + Send>(&self, request: &ApiRequest) -> Result<T> {
        self.engine.execute(request, decode::<T>).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let config = Config::new("sk-mavi-topsecret").unique_id("tenant");
        let shown = format!("{config:?}");
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains("tenant"));
        let client = Client::new(config).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("topsecret"), "{shown}");
    }

    #[test]
    fn defaults() {
        let config = Config::new("k");
        assert_eq!(config.http_settings().base_url, DEFAULT_BASE_URL);
        assert_eq!(config.default_unique_id(), "default");
        assert!(
            config
                .http_settings()
                .user_agent
                .starts_with("memories-v1/")
        );
        let client = Client::new(config).unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert_eq!(client.unique_id(), "default");
    }

    #[test]
    fn rejects_blank_keys_namespaces_and_plain_http() {
        assert!(matches!(
            Client::new(Config::new(" ")),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            Client::new(Config::new("k").unique_id("")),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            Client::new(Config::new("k").base_url("http://api.memories.ai/serve/api/v1")),
            Err(Error::InvalidInput(_))
        ));
    }
}
