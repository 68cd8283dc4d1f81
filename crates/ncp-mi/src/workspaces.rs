//! Workspace: `/workspaces` and `/workspaces/{workspace_name}`.

use futures::stream::BoxStream;
use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::page::{MAX_PAGE_SIZE, Page, PageParams};
use crate::time::{Timestamp, opt_timestamp};

const WORKSPACES_PATH: &str = "/workspaces";
const WORKSPACE_PATH: &str = "/workspaces/{workspace_name}";

/// A workspace, as listed, created, or read (the detail adds `monthlyAnalysisCount`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// The unique name (`workspaceName`).
    #[serde(rename = "workspaceName")]
    pub workspace_name: String,
    /// The API URL of the workspace (`workspaceUrl`).
    #[serde(rename = "workspaceUrl", default)]
    pub workspace_url: Option<String>,
    /// The linked Object Storage bucket (`bucketName`).
    #[serde(rename = "bucketName", default)]
    pub bucket_name: Option<String>,
    /// Analyses run this month (`monthlyAnalysisCount`, detail only).
    #[serde(
        rename = "monthlyAnalysisCount",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub monthly_analysis_count: Option<u64>,
    /// Who created it (`createdUserName`; `createUserName` read too).
    #[serde(rename = "createdUserName", alias = "createUserName", default)]
    pub created_user_name: Option<String>,
    /// When it was created (`createdTime`).
    #[serde(rename = "createdTime", default, deserialize_with = "opt_timestamp")]
    pub created_time: Option<Timestamp>,
    /// Who last changed it (`updatedUserName`; `updateUserName` read too).
    #[serde(rename = "updatedUserName", alias = "updateUserName", default)]
    pub updated_user_name: Option<String>,
    /// When it last changed (`updatedTime`).
    #[serde(rename = "updatedTime", default, deserialize_with = "opt_timestamp")]
    pub updated_time: Option<Timestamp>,
}

/// One page of `GET /workspaces`.
pub type WorkspaceList = Page<Workspace>;

/// Paging of `GET /workspaces`: `pageNum` ≥ 1, `pageSize` 1–1000.
pub type ListWorkspacesParams = PageParams;

/// `DELETE /workspaces/{workspace_name}`'s answer: the deleted name.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeletedWorkspace {
    /// The deleted workspace (`workspaceName`).
    #[serde(rename = "workspaceName", default)]
    pub workspace_name: Option<String>,
}

/// Body of `POST /workspaces`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWorkspaceParams {
    /// Unique; 3–63 characters of lowercase letters, digits and `-` (`workspaceName`).
    #[serde(rename = "workspaceName")]
    pub workspace_name: String,
    /// The Object Storage bucket to link (`bucketName`).
    #[serde(rename = "bucketName", skip_serializing_if = "Option::is_none")]
    pub bucket_name: Option<String>,
}

impl CreateWorkspaceParams {
    /// A workspace named `workspace_name`.
    pub fn new(workspace_name: impl Into<String>) -> CreateWorkspaceParams {
        CreateWorkspaceParams {
            workspace_name: workspace_name.into(),
            bucket_name: None,
        }
    }

    /// Links the bucket `bucket_name`.
    pub fn bucket_name(mut self, bucket_name: impl Into<String>) -> CreateWorkspaceParams {
        self.bucket_name = Some(bucket_name.into());
        self
    }
}

/// Checks the documented workspace-name rule: 3–63 of `a-z`, `0-9`, `-`.
pub fn check_workspace_name(name: &str) -> Result<()> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if (3..=63).contains(&name.len()) && valid_chars {
        Ok(())
    } else {
        Err(media_core::Error::InvalidInput(format!(
            "workspaceName must be 3–63 lowercase letters, digits or '-', got {name:?}"
        )))
    }
}

/// The Workspace API group: `client.workspaces()`.
#[derive(Debug, Clone, Copy)]
pub struct Workspaces<'a> {
    client: &'a Client,
}

impl<'a> Workspaces<'a> {
    pub(crate) fn new(client: &'a Client) -> Workspaces<'a> {
        Workspaces { client }
    }

    /// `GET /workspaces?pageNum=&pageSize=`: one page of workspaces (`pageSize` 1–1000).
    pub async fn list(self, params: &ListWorkspacesParams) -> Result<WorkspaceList> {
        let request = params.apply(ApiRequest::get(WORKSPACES_PATH), MAX_PAGE_SIZE);
        self.client.execute(&request).await
    }

    /// Every workspace, page by page, lazily.
    pub fn list_all(self, page_size: u32) -> BoxStream<'static, Result<Workspace>> {
        let client = self.client.clone();
        crate::page::stream_pages(page_size, move |params| {
            let client = client.clone();
            async move { client.workspaces().list(&params).await }
        })
    }

    /// `POST /workspaces`: creates a workspace (name checked before sending).
    pub async fn create(self, params: &CreateWorkspaceParams) -> Result<Workspace> {
        let mut request = ApiRequest::post(WORKSPACES_PATH).json(params);
        if let Err(err) = check_workspace_name(&params.workspace_name) {
            request.reject(err.to_string());
        }
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}`: the detail, with `monthlyAnalysisCount`.
    pub async fn retrieve(self, workspace_name: &str) -> Result<Workspace> {
        let request = ApiRequest::get(WORKSPACE_PATH).path_param("workspace_name", workspace_name);
        self.client.execute(&request).await
    }

    /// `DELETE /workspaces/{workspace_name}`: irreversible; rejected while an analysis runs.
    pub async fn delete(self, workspace_name: &str) -> Result<DeletedWorkspace> {
        let request =
            ApiRequest::delete(WORKSPACE_PATH).path_param("workspace_name", workspace_name);
        let deleted: Option<DeletedWorkspace> = self.client.execute(&request).await?;
        Ok(deleted.unwrap_or_default())
    }
}
