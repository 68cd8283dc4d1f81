//! Data connectors and imports: `/connections…` (catalog §3.14, §3.15
//! "Data connectors"). OAuth-based import from a storage provider (only
//! Google Drive today): authorize a connection, then import files as assets.
//!
//! `POST /connections:authorize` keeps its literal colon (a Google AIP
//! custom verb); the official SDK 1.3.6 cannot call it at all.

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};

use crate::assets::{AssetStatus, ConnectorProvider};
use crate::client::Client;
use crate::common::Page;
use crate::wire;
use media_core::open_enum;

open_enum! {
    /// Whether a connection can be used (`status`).
    pub enum ConnectionStatus {
        /// Usable.
        Active = "active",
        /// The provider's grant expired; authorize again.
        Expired = "expired",
        /// Revoked.
        Revoked = "revoked",
    }
}

open_enum! {
    /// What an import did with one file (`action`, fixed at creation).
    pub enum ImportAction {
        /// A new asset was created.
        Created = "created",
        /// Already imported: the existing asset is returned.
        Skipped = "skipped",
        /// An earlier failed fetch is retried.
        Retried = "retried",
        /// Refused; see `error`.
        Rejected = "rejected",
    }
}

/// `POST /connections:authorize`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorizeConnectionRequest {
    /// `google_drive`.
    pub provider: ConnectorProvider,
    /// Where the platform sends the user back (must be registered, if any are).
    pub redirect_uri: String,
    /// Your id, echoed back on the redirect (not unique).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
}

impl AuthorizeConnectionRequest {
    /// A Google Drive authorization returning to `redirect_uri`.
    pub fn google_drive(redirect_uri: impl Into<String>) -> AuthorizeConnectionRequest {
        AuthorizeConnectionRequest {
            provider: ConnectorProvider::GoogleDrive,
            redirect_uri: redirect_uri.into(),
            custom_id: None,
        }
    }

    /// Sets `custom_id`.
    pub fn custom_id(mut self, custom_id: impl Into<String>) -> AuthorizeConnectionRequest {
        self.custom_id = Some(custom_id.into());
        self
    }
}

/// Where to send the user (`AuthorizeConnectionResponse`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthorizeConnectionResponse {
    /// Redirect the user here.
    pub authorize_url: String,
    /// Informational; already in the URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The provider account of a connection.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionAccount {
    /// The provider's account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// A connection to a storage provider (`Connection`); tokens are never returned.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Connection {
    /// Its id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<ConnectorProvider>,
    /// Usable or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ConnectionStatus>,
    /// Your id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// The provider account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<ConnectionAccount>,
    /// Granted scopes.
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
    /// Connected.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub connected_at: Option<DateTime<Utc>>,
    /// Last used.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A short-lived, read-only token for the provider's file picker (`PickerToken`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PickerToken {
    /// The access token.
    pub access_token: String,
    /// Lifetime, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_in: Option<u64>,
    /// Space-separated scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Google project number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Browser API key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer_key: Option<String>,
}

/// A registered redirect URI (`RedirectUri`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedirectUri {
    /// Its id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The URI.
    pub redirect_uri: String,
    /// Registered.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
}

/// Why a file was rejected.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportItemError {
    /// Machine-readable code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For people.
    pub message: String,
}

/// One file of an import (`ImportItem`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportItem {
    /// The provider's file id.
    pub source_id: String,
    /// What happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<ImportAction>,
    /// The asset (absent if rejected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// The asset's live status (absent if rejected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AssetStatus>,
    /// Why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ImportItemError>,
}

/// `POST /connections/{id}/imports` (`ImportResult`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportResult {
    /// The import id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// True when a file was rejected (skips are not failures).
    pub has_failures: bool,
    /// One entry per requested file, in request order.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub items: Vec<ImportItem>,
}

/// An import (`Import` in lists, `ImportDetail` with `items` when retrieved).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Import {
    /// Its id (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The connection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<ConnectorProvider>,
    /// The connection's `custom_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Files imported (may exceed `items` if assets were deleted).
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub item_count: Option<u64>,
    /// Created.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// Per-file status (retrieve only; live asset status on every read).
    #[serde(
        deserialize_with = "crate::de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub items: Vec<ImportItem>,
}

#[derive(Serialize)]
struct SourceRef<'a> {
    source_id: &'a str,
}

#[derive(Serialize)]
struct ImportBody<'a> {
    items: Vec<SourceRef<'a>>,
}

#[derive(Serialize)]
struct RedirectBody<'a> {
    redirect_uri: &'a str,
}

/// Data connectors and imports; get it from [`Client::data_connectors`].
#[derive(Debug, Clone, Copy)]
pub struct DataConnectors<'a> {
    client: &'a Client,
}

impl Client {
    /// Data connectors and imports: `/connections…`.
    pub fn data_connectors(&self) -> DataConnectors<'_> {
        DataConnectors { client: self }
    }
}

fn redirect_problem(uri: &str) -> Option<String> {
    let uri = uri.trim();
    if !uri.starts_with("https://") || uri.len() <= "https://".len() {
        return Some(format!("redirect URIs must be https:// URLs, got {uri:?}"));
    }
    uri.contains('*')
        .then(|| "redirect URIs cannot contain wildcards".into())
}

impl DataConnectors<'_> {
    /// `POST /connections:authorize`: starts the OAuth flow; send the user
    /// to `authorize_url`. The platform later redirects to `redirect_uri`
    /// with `connection_id`, `status=ok` and `custom_id` (or `error`).
    pub async fn authorize_connection(
        &self,
        request: &AuthorizeConnectionRequest,
    ) -> Result<AuthorizeConnectionResponse> {
        let mut api = ApiRequest::post("/connections:authorize").json(request);
        if request.redirect_uri.trim().is_empty() {
            api.reject("`redirect_uri` must not be empty");
        }
        self.client.execute(api).await
    }

    /// `GET /connections`: one page of connections.
    pub async fn list_connections(
        &self,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<Connection>> {
        self.client
            .execute(wire::paging(
                ApiRequest::get("/connections"),
                page,
                page_limit,
            ))
            .await
    }

    /// Every connection, page after page (the SDK returns one page).
    pub fn list_all_connections(
        &self,
        page_limit: Option<u32>,
    ) -> BoxStream<'static, Result<Connection>> {
        let client = self.client.clone();
        wire::all_pages(1, move |page| {
            let client = client.clone();
            async move {
                client
                    .data_connectors()
                    .list_connections(Some(page), page_limit)
                    .await
            }
        })
    }

    /// `GET /connections/{connection_id}`.
    pub async fn retrieve_connection(&self, connection_id: &str) -> Result<Connection> {
        let api = ApiRequest::get("/connections/{connection_id}")
            .path_param("connection_id", connection_id);
        self.client.execute(api).await
    }

    /// `DELETE /connections/{connection_id}`: revokes at the provider; the
    /// imported assets stay.
    pub async fn delete_connection(&self, connection_id: &str) -> Result<()> {
        let api = ApiRequest::delete("/connections/{connection_id}")
            .path_param("connection_id", connection_id);
        self.client.execute_empty(api).await
    }

    /// `POST /connections/{connection_id}/picker-token`: a short-lived token
    /// for the provider's file picker.
    pub async fn create_picker_token(&self, connection_id: &str) -> Result<PickerToken> {
        let api = ApiRequest::post("/connections/{connection_id}/picker-token")
            .path_param("connection_id", connection_id);
        self.client.execute(api).await
    }

    /// `GET /connections/redirect-uris`: one page of registered URIs.
    pub async fn list_redirect_uris(
        &self,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<RedirectUri>> {
        self.client
            .execute(wire::paging(
                ApiRequest::get("/connections/redirect-uris"),
                page,
                page_limit,
            ))
            .await
    }

    /// `POST /connections/redirect-uris`: registers an HTTPS URI on a public
    /// host (no wildcards); once any is registered, authorizations must use one.
    pub async fn create_redirect_uri(&self, redirect_uri: &str) -> Result<RedirectUri> {
        let mut api =
            ApiRequest::post("/connections/redirect-uris").json(&RedirectBody { redirect_uri });
        if let Some(problem) = redirect_problem(redirect_uri) {
            api.reject(problem);
        }
        self.client.execute(api).await
    }

    /// `DELETE /connections/redirect-uris/{redirect_uri_id}`.
    pub async fn delete_redirect_uri(&self, redirect_uri_id: &str) -> Result<()> {
        let api = ApiRequest::delete("/connections/redirect-uris/{redirect_uri_id}")
            .path_param("redirect_uri_id", redirect_uri_id);
        self.client.execute_empty(api).await
    }

    /// `POST /connections/{connection_id}/imports`: imports 1–100 distinct
    /// provider files as assets (fetched asynchronously; wait on each with
    /// [`crate::Assets::wait_until_ready`]).
    pub async fn import_files(
        &self,
        connection_id: &str,
        source_ids: &[String],
    ) -> Result<ImportResult> {
        let body = ImportBody {
            items: source_ids
                .iter()
                .map(|s| SourceRef { source_id: s })
                .collect(),
        };
        let mut api = ApiRequest::post("/connections/{connection_id}/imports")
            .path_param("connection_id", connection_id)
            .json(&body);
        let mut seen = std::collections::HashSet::new();
        if !(1..=100).contains(&source_ids.len()) {
            api.reject(format!(
                "an import takes 1–100 files, got {}",
                source_ids.len()
            ));
        } else if source_ids
            .iter()
            .any(|s| s.trim().is_empty() || !seen.insert(s))
        {
            api.reject("`source_id`s must be non-empty and unique");
        }
        self.client.execute(api).await
    }

    /// `GET /connections/{connection_id}/imports`: one page of imports (no items).
    pub async fn list_imports(
        &self,
        connection_id: &str,
        page: Option<u32>,
        page_limit: Option<u32>,
    ) -> Result<Page<Import>> {
        let api = ApiRequest::get("/connections/{connection_id}/imports")
            .path_param("connection_id", connection_id);
        self.client
            .execute(wire::paging(api, page, page_limit))
            .await
    }

    /// `GET /connections/{connection_id}/imports/{import_id}`: the import
    /// with each file's live asset status.
    pub async fn retrieve_import(&self, connection_id: &str, import_id: &str) -> Result<Import> {
        let api = ApiRequest::get("/connections/{connection_id}/imports/{import_id}")
            .path_param("connection_id", connection_id)
            .path_param("import_id", import_id);
        self.client.execute(api).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_checked() {
        assert!(redirect_problem("https://app.example.com/cb").is_none());
        assert!(redirect_problem("http://app.example.com/cb").is_some());
        assert!(redirect_problem("https://*.example.com/cb").is_some());
    }
}
