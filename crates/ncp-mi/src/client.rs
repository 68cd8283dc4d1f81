//! [`Config`] and [`Client`].

use std::fmt;
use std::sync::Arc;

use media_core::env::{first_var, require_var};
use media_core::http::{ApiRequest, Engine, FilePart, HttpSettings};
use media_core::{Error, ProgressFn, Provider, Result, SecretString};
use serde::de::DeserializeOwned;

use crate::assets::Assets;
use crate::envelope;
use crate::object_storage::ObjectStorage;
use crate::signature::{Clock, Signer, SystemClock};

/// The production API root (the Korea region; version prefix included).
pub const DEFAULT_BASE_URL: &str = "https://mi.apigw.ntruss.com/api/v1";

/// The API root of the MAIU era, before the November 2025 rename. Whether it still
/// answers is not documented; pass it to [`Config::base_url`] to try.
pub const LEGACY_BASE_URL: &str = "https://maiu.apigw.ntruss.com/api/v1";

/// The variable holding the access key id.
pub const ACCESS_KEY_VAR: &str = "NCLOUD_ACCESS_KEY";
/// The variable holding the secret key.
pub const SECRET_KEY_VAR: &str = "NCLOUD_SECRET_KEY";
/// The variable overriding the base URL.
pub const BASE_URL_VAR: &str = "NCP_MI_BASE_URL";
/// The variable naming the default workspace of the neutral traits.
pub const WORKSPACE_VAR: &str = "NCP_MI_WORKSPACE";
/// The variable naming the default project (a numeric id) of the neutral traits.
pub const PROJECT_VAR: &str = "NCP_MI_PROJECT";

/// How to reach Media Intelligence: the key pair, transport settings, the clock the
/// signature reads, and the workspace and project the neutral traits work in.
///
/// `Debug` never prints either key.
#[derive(Clone)]
pub struct Config {
    access_key: SecretString,
    secret_key: SecretString,
    workspace: Option<String>,
    project: Option<String>,
    clock: Arc<dyn Clock>,
    object_storage: ObjectStorage,
    http: HttpSettings,
}

impl Config {
    /// A configuration for this access key id and secret key, against
    /// [`DEFAULT_BASE_URL`], signing with the system clock.
    pub fn new(access_key: impl Into<SecretString>, secret_key: impl Into<SecretString>) -> Config {
        Config {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            workspace: None,
            project: None,
            clock: Arc::new(SystemClock),
            object_storage: ObjectStorage::default(),
            http: HttpSettings::new(
                DEFAULT_BASE_URL,
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            ),
        }
    }

    /// Reads `NCLOUD_ACCESS_KEY` and `NCLOUD_SECRET_KEY` (required), `NCP_MI_BASE_URL`,
    /// and the neutral traits' defaults `NCP_MI_WORKSPACE` and `NCP_MI_PROJECT`.
    pub fn from_env() -> Result<Config> {
        let access_key = require_var(&[ACCESS_KEY_VAR])?;
        let secret_key = require_var(&[SECRET_KEY_VAR])?;
        let mut config = Config::new(access_key, secret_key);
        config.http.base_url_from_env(&[BASE_URL_VAR]);
        config.workspace = first_var(&[WORKSPACE_VAR]);
        config.project = first_var(&[PROJECT_VAR]);
        config.object_storage = ObjectStorage::from_env();
        Ok(config)
    }

    media_core::http_settings_setters!();

    /// The workspace the neutral traits ([`media_core::AssetLister`],
    /// [`media_core::AssetReader`]) work in (else `NCP_MI_WORKSPACE`).
    pub fn workspace(mut self, workspace_name: impl Into<String>) -> Config {
        self.workspace = Some(workspace_name.into());
        self
    }

    /// The project the neutral traits work in (else `NCP_MI_PROJECT`): a numeric id,
    /// given as a number or as text; [`Client::new`] rejects text that is not one.
    pub fn project(mut self, project_id: impl fmt::Display) -> Config {
        self.project = Some(project_id.to_string());
        self
    }

    /// The clock the signature timestamp is read from (default: the system clock).
    /// The gateway rejects timestamps more than 5 minutes off its own.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Config {
        self.clock = clock;
        self
    }

    /// Where uploads go (NCP Object Storage by default; see [`ObjectStorage`]).
    pub fn object_storage(mut self, object_storage: ObjectStorage) -> Config {
        self.object_storage = object_storage;
        self
    }

    /// The configured default workspace.
    pub fn default_workspace(&self) -> Option<&str> {
        self.workspace.as_deref()
    }

    /// The configured default project, as given.
    pub fn default_project(&self) -> Option<&str> {
        self.project.as_deref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("access_key", &"[REDACTED]")
            .field("secret_key", &"[REDACTED]")
            .field("workspace", &self.workspace)
            .field("project", &self.project)
            .field("clock", &self.clock)
            .field("object_storage", &self.object_storage)
            .field("http", &self.http)
            .finish()
    }
}

/// A Media Intelligence client: cheap to clone, one connection pool for all clones.
///
/// Every request is signed with API Gateway signature v2 (see [`crate::signature`]).
#[derive(Clone, Debug)]
pub struct Client {
    engine: Engine,
    signer: Arc<Signer>,
    workspace: Option<Arc<str>>,
    project: Option<u64>,
    object_storage: Arc<ObjectStorage>,
}

impl Client {
    /// Builds a client; fails on an empty or unsendable key, an unusable base URL,
    /// or a default project that is not a numeric id.
    pub fn new(config: Config) -> Result<Client> {
        let signer = Arc::new(Signer::new(
            &config.access_key,
            &config.secret_key,
            config.clock,
        )?);
        let project = match config.project.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(text.parse::<u64>().map_err(|_| {
                Error::InvalidInput(format!(
                    "the ncp-mi project ({PROJECT_VAR}) must be a numeric project id, got {text:?}"
                ))
            })?),
        };
        let workspace = config
            .workspace
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(Arc::from);
        let engine = Engine::new(Provider::NcpMi, &config.http, signer.clone())?;
        let mut object_storage = config.object_storage;
        if object_storage.credentials.is_none() {
            // NCP Object Storage accepts the account's API key pair.
            object_storage.credentials = Some((config.access_key, config.secret_key));
        }
        Ok(Client {
            engine,
            signer,
            workspace,
            project,
            object_storage: Arc::new(object_storage),
        })
    }

    /// A client configured by [`Config::from_env`].
    pub fn from_env() -> Result<Client> {
        Client::new(Config::from_env()?)
    }

    /// The Workspace API group.
    pub fn workspaces(&self) -> crate::Workspaces<'_> {
        crate::Workspaces::new(self)
    }

    /// The Project API group.
    pub fn projects(&self) -> crate::Projects<'_> {
        crate::Projects::new(self)
    }

    /// The Asset API group.
    pub fn assets(&self) -> Assets<'_> {
        Assets::new(self)
    }

    /// The Analysis API group (request, status, cancel, `wait_for_index`).
    pub fn analysis(&self) -> crate::Analysis<'_> {
        crate::Analysis::new(self)
    }

    /// The Index API group (the analysis result).
    pub fn indexes(&self) -> crate::Indexes<'_> {
        crate::Indexes::new(self)
    }

    /// The Scene summary API group.
    pub fn scene_summary(&self) -> crate::SceneSummaries<'_> {
        crate::SceneSummaries::new(self)
    }

    /// The Search API group.
    pub fn search(&self) -> crate::Search<'_> {
        crate::Search::new(self)
    }

    /// The Person API group.
    pub fn persons(&self) -> crate::Persons<'_> {
        crate::Persons::new(self)
    }

    /// The API root requests go to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url().as_str()
    }

    /// Where uploads go.
    pub fn object_storage(&self) -> &ObjectStorage {
        &self.object_storage
    }

    /// The Object Storage key pair (the client's own unless configured otherwise).
    #[cfg(feature = "object-storage")]
    pub(crate) fn object_storage_keys(&self) -> Result<(&SecretString, &SecretString)> {
        // Client::new always fills them in; the error is for completeness.
        self.object_storage
            .credentials
            .as_ref()
            .map(|(access, secret)| (access, secret))
            .ok_or_else(|| Error::InvalidInput("no Object Storage credentials".into()))
    }

    /// The default workspace of the neutral traits, when configured.
    pub fn default_workspace(&self) -> Option<&str> {
        self.workspace.as_deref()
    }

    /// The default project of the neutral traits, when configured.
    pub fn default_project(&self) -> Option<u64> {
        self.project
    }

    /// The default workspace and project, or an [`Error::InvalidInput`] naming the
    /// variables to set.
    pub(crate) fn defaults(&self) -> Result<(Arc<str>, u64)> {
        match (&self.workspace, self.project) {
            (Some(workspace), Some(project)) => Ok((workspace.clone(), project)),
            (workspace, project) => {
                let missing: Vec<&str> = [
                    workspace.is_none().then_some(WORKSPACE_VAR),
                    project.is_none().then_some(PROJECT_VAR),
                ]
                .into_iter()
                .flatten()
                .collect();
                Err(Error::InvalidInput(format!(
                    "ncp-mi lists and reads assets of one project: set {} (or Config::workspace / Config::project)",
                    missing.join(" and ")
                )))
            }
        }
    }

    /// PUTs `file` to a presigned URL (outside the base URL, so unsigned), streamed from
    /// disk with its content type. Any non-2xx answer is an error.
    pub(crate) async fn put_presigned(
        &self,
        url: &str,
        file: FilePart,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let request = ApiRequest::absolute(reqwest::Method::PUT, url)
            .file(file)
            .progress_opt(progress);
        let raw = self.engine.send(&request).await?;
        if raw.is_success() {
            Ok(())
        } else {
            Err(raw.error_without_envelope())
        }
    }

    /// Sends `request` and decodes the envelope's `result` into `T`. The access key is
    /// scrubbed from any error text, including what the engine logs.
    pub(crate) async fn execute<T>(&self, request: &ApiRequest) -> Result<T>
    where
        T: DeserializeOwned + Send,
    {
        let access_key = self.signer.access_key();
        self.engine
            .execute(request, |raw| {
                envelope::decode::<T>(&raw).map_err(|err| envelope::redact(err, access_key))
            })
            .await
            .map_err(|err| envelope::redact(err, access_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCESS: &str = "AKIDEXAMPLEDEBUG";
    const SECRET: &str = "SECRETEXAMPLEDEBUG";

    #[test]
    fn debug_never_shows_keys() {
        let config = Config::new(ACCESS, SECRET).workspace("ws").project(12);
        let shown = format!("{config:?}");
        assert!(
            !shown.contains(ACCESS) && !shown.contains(SECRET),
            "{shown}"
        );
        let client = Client::new(config).unwrap();
        let shown = format!("{client:?}");
        assert!(
            !shown.contains(ACCESS) && !shown.contains(SECRET),
            "{shown}"
        );
        assert_eq!(client.default_project(), Some(12));
        assert_eq!(client.default_workspace(), Some("ws"));
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn rejects_bad_configuration_without_quoting_keys() {
        let err = Client::new(Config::new(ACCESS, SECRET).project("abc")).unwrap_err();
        assert!(err.to_string().contains(PROJECT_VAR), "{err}");
        let err = Client::new(Config::new(ACCESS, SECRET).base_url("http://example.com/api/v1"))
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
        let err = Client::new(Config::new(format!("{ACCESS}\n"), SECRET)).unwrap_err();
        assert!(!err.to_string().contains(ACCESS), "{err}");
    }

    #[test]
    fn missing_defaults_name_the_variables() {
        let client = Client::new(Config::new(ACCESS, SECRET)).unwrap();
        let err = client.defaults().unwrap_err().to_string();
        assert!(
            err.contains(WORKSPACE_VAR) && err.contains(PROJECT_VAR),
            "{err}"
        );
        let client = Client::new(Config::new(ACCESS, SECRET).workspace("ws")).unwrap();
        let err = client.defaults().unwrap_err().to_string();
        assert!(
            !err.contains(WORKSPACE_VAR) && err.contains(PROJECT_VAR),
            "{err}"
        );
    }
}
