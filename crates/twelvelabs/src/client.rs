//! [`Config`] and [`Client`].

use std::fmt;
use std::sync::Arc;

use media_core::http::{ApiRequest, Engine, HeaderKey, HttpSettings};
use media_core::{Provider, Result, SecretString};
use serde::de::DeserializeOwned;

use crate::assets::Assets;

/// The production API root, version prefix included.
pub const DEFAULT_BASE_URL: &str = "https://api.twelvelabs.io/v1.3";

/// The variables holding the API key, in order of preference: the official
/// SDKs' name first.
const API_KEY_VARS: [&str; 2] = ["TWELVE_LABS_API_KEY", "TWELVELABS_API_KEY"];
/// The variable overriding the base URL (the official SDKs read it too).
const BASE_URL_VAR: &str = "TWELVELABS_BASE_URL";

/// How to reach TwelveLabs: the API key plus transport settings.
///
/// `Debug` never shows the key.
#[derive(Clone)]
pub struct Config {
    api_key: SecretString,
    http: HttpSettings,
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
        }
    }

    /// Reads the key from `TWELVE_LABS_API_KEY` (else `TWELVELABS_API_KEY`)
    /// and the base URL from `TWELVELABS_BASE_URL` (else [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Config> {
        let key = media_core::env::require_var(&API_KEY_VARS)?;
        let mut config = Config::new(key);
        config.http.base_url_from_env(&[BASE_URL_VAR]);
        Ok(config)
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
            .finish()
    }
}

/// A TwelveLabs API v1.3 client: cheap to clone, one connection pool for all
/// clones. Endpoints are grouped as the provider groups them:
/// [`Client::assets`], ...
#[derive(Clone, Debug)]
pub struct Client {
    engine: Engine,
}

impl Client {
    /// Builds a client; fails on an unusable key or base URL.
    pub fn new(config: Config) -> Result<Client> {
        let auth = HeaderKey::new("x-api-key", config.api_key)?;
        let engine = Engine::new(Provider::TwelveLabs, &config.http, Arc::new(auth))?;
        Ok(Client { engine })
    }

    /// A client configured from the environment (see [`Config::from_env`]).
    pub fn from_env() -> Result<Client> {
        Client::new(Config::from_env()?)
    }

    /// The API root requests go to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url().as_str()
    }

    /// Direct uploads: `/assets`.
    pub fn assets(&self) -> Assets<'_> {
        Assets::new(self)
    }

    /// Sends `request` and decodes the answer (any status) with the
    /// provider's envelope rules.
    pub(crate) async fn execute<T>(&self, request: ApiRequest) -> Result<T>
    where
        T: DeserializeOwned + Send,
    {
        self.engine
            .execute(&request, crate::error::decode::<T>)
            .await
    }

    /// Sends `request` to an endpoint that answers with no body (any 2xx is
    /// success, whatever the body).
    pub(crate) async fn execute_empty(&self, request: ApiRequest) -> Result<()> {
        self.engine
            .execute(&request, crate::error::decode_empty)
            .await
    }

    /// The engine, for raw sends (presigned uploads, streams).
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn debug_never_shows_the_key() {
        let config = Config::new("tlk_secret_value_123").timeout(Duration::from_secs(5));
        let shown = format!("{config:?}");
        assert!(!shown.contains("tlk_secret_value_123"), "{shown}");
        assert!(shown.contains("REDACTED"));
        let client = Client::new(config).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("tlk_secret_value_123"), "{shown}");
    }

    #[test]
    fn defaults_and_setters() {
        let config = Config::new("k");
        assert_eq!(config.http_settings().base_url, DEFAULT_BASE_URL);
        assert!(config.http_settings().user_agent.starts_with("twelvelabs/"));
        let client = Client::new(config.base_url("http://127.0.0.1:1/twelvelabs/v1.3/")).unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:1/twelvelabs/v1.3");
    }

    #[test]
    fn rejects_bad_keys_and_urls() {
        assert!(Client::new(Config::new("")).is_err());
        assert!(Client::new(Config::new("a\nb")).is_err());
        assert!(Client::new(Config::new("k").base_url("http://api.twelvelabs.io/v1.3")).is_err());
    }
}
