//! The client, its configuration and the transport they share.

use std::fmt;
use std::sync::Arc;

use media_core::http::{ApiRequest, Engine, HeaderKey, HttpSettings};
use media_core::{Provider, Result, SecretString};
use serde::de::DeserializeOwned;

use crate::assets::Assets;
use crate::envelope;

/// The production API root of memories.ai v2 (MAVI).
pub const DEFAULT_BASE_URL: &str = "https://mavi-backend.memories.ai/serve/api/v2";

/// Environment variables holding the API key, most specific first.
pub const API_KEY_VARS: [&str; 2] = ["MEMORIES_V2_API_KEY", "MEMORIES_API_KEY"];
/// Environment variable overriding [`DEFAULT_BASE_URL`].
pub const BASE_URL_VAR: &str = "MEMORIES_V2_BASE_URL";

/// How to reach memories.ai v2: the API key and the transport settings.
///
/// The key is sent verbatim as `Authorization: <key>` (no `Bearer ` prefix,
/// as the v2 docs require). It never appears in `Debug` output.
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

    /// Reads the configuration from the environment: the key from
    /// `MEMORIES_V2_API_KEY`, else `MEMORIES_API_KEY` (required), and the API
    /// root from `MEMORIES_V2_BASE_URL` (optional).
    pub fn from_env() -> Result<Config> {
        let mut config = Config::new(media_core::env::require_var(&API_KEY_VARS)?);
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

/// A memories.ai v2 client: cheap to clone, one connection pool for all clones.
///
/// Endpoints are grouped as the provider groups them; this release covers
/// [`Client::assets`].
#[derive(Clone, Debug)]
pub struct Client {
    engine: Engine,
}

impl Client {
    /// Builds a client; fails on an empty or unsendable key or an unusable base URL.
    pub fn new(config: Config) -> Result<Client> {
        let auth = HeaderKey::new("authorization", config.api_key)?;
        let engine = Engine::new(Provider::MemoriesV2, &config.http, Arc::new(auth))?;
        Ok(Client { engine })
    }

    /// A client configured from the environment (see [`Config::from_env`]).
    pub fn from_env() -> Result<Client> {
        Client::new(Config::from_env()?)
    }

    /// Asset management: metadata, frame groups, waiting for uploads.
    pub fn assets(&self) -> Assets<'_> {
        Assets::new(self)
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url().as_str()
    }

    /// Sends `request` and decodes the E1 envelope's `data` into `T`.
    pub(crate) async fn execute<T>(&self, request: ApiRequest) -> Result<T>
    where
        T: DeserializeOwned + Send,
    {
        self.engine.execute(&request, envelope::decode::<T>).await
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
    }

    #[test]
    fn rejects_bad_keys_and_base_urls() {
        assert!(Client::new(Config::new("")).is_err());
        assert!(Client::new(Config::new("a\nb")).is_err());
        assert!(Client::new(Config::new("k").base_url("http://example.com/v2")).is_err());
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
                }
                "shared" => {
                    let config = result.unwrap();
                    assert_eq!(config.api_key.expose_secret(), "sk-shared");
                    assert_eq!(config.http.base_url, DEFAULT_BASE_URL);
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
