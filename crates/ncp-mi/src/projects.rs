//! Project: `/workspaces/{workspace_name}/projects…`.

use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::time::{Timestamp, opt_timestamp};

const PROJECTS_PATH: &str = "/workspaces/{workspace_name}/projects";
const PROJECT_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}";

/// A project (create, list, detail and rename answers).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The id (`projectId`).
    #[serde(rename = "projectId", deserialize_with = "media_core::de::u64_loose")]
    pub project_id: u64,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The workspace's default project, which cannot be renamed or deleted (`isBaseProject`).
    #[serde(rename = "isBaseProject", default)]
    pub is_base_project: Option<bool>,
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

/// `GET …/projects`: `result.projects[]` and `totalCount` (not paged).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectList {
    /// The projects.
    #[serde(default, deserialize_with = "crate::page::null_as_empty")]
    pub projects: Vec<Project>,
    /// How many (`totalCount`).
    #[serde(
        rename = "totalCount",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub total_count: Option<u64>,
}

/// Body of `POST …/projects` and `PATCH …/projects/{project_id}`: the name.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectParams {
    /// Unique in the workspace; `;`, `|` and `` ` `` are not allowed.
    pub name: String,
}

impl ProjectParams {
    /// A project named `name`.
    pub fn new(name: impl Into<String>) -> ProjectParams {
        ProjectParams { name: name.into() }
    }

    fn request(&self, request: ApiRequest) -> ApiRequest {
        let mut request = request.json(self);
        if let Some(reason) = crate::text_rule("name", &self.name, 1, usize::MAX) {
            request.reject(reason);
        }
        request
    }
}

/// The Project API group: `client.projects()`.
#[derive(Debug, Clone, Copy)]
pub struct Projects<'a> {
    client: &'a Client,
}

impl<'a> Projects<'a> {
    pub(crate) fn new(client: &'a Client) -> Projects<'a> {
        Projects { client }
    }

    /// `POST /workspaces/{workspace_name}/projects`: creates a project (1,000 per workspace).
    pub async fn create(self, workspace_name: &str, params: &ProjectParams) -> Result<Project> {
        let request = params
            .request(ApiRequest::post(PROJECTS_PATH).path_param("workspace_name", workspace_name));
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/projects`: every project (no paging).
    pub async fn list(self, workspace_name: &str) -> Result<ProjectList> {
        let request = ApiRequest::get(PROJECTS_PATH).path_param("workspace_name", workspace_name);
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/projects/{project_id}`.
    pub async fn retrieve(self, workspace_name: &str, project_id: u64) -> Result<Project> {
        let request = ApiRequest::get(PROJECT_PATH)
            .path_param("workspace_name", workspace_name)
            .path_param("project_id", &project_id.to_string());
        self.client.execute(&request).await
    }

    /// `PATCH /workspaces/{workspace_name}/projects/{project_id}`: renames (not the base
    /// project: error 10027).
    pub async fn update(
        self,
        workspace_name: &str,
        project_id: u64,
        params: &ProjectParams,
    ) -> Result<Project> {
        let request = params.request(
            ApiRequest::patch(PROJECT_PATH)
                .path_param("workspace_name", workspace_name)
                .path_param("project_id", &project_id.to_string()),
        );
        self.client.execute(&request).await
    }

    /// `DELETE /workspaces/{workspace_name}/projects/{project_id}` (not the base project).
    pub async fn delete(self, workspace_name: &str, project_id: u64) -> Result<()> {
        let request = ApiRequest::delete(PROJECT_PATH)
            .path_param("workspace_name", workspace_name)
            .path_param("project_id", &project_id.to_string());
        self.client.execute(&request).await
    }
}
