//! Scene summary (VLM): `…/assets/{asset_id}/scene-summary…`, plus the deprecated
//! index-id-based `…/indexes/{index_id}/scene-summaries…` routes.

use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::index::for_asset;
use crate::time::{Timestamp, opt_timestamp};
use media_core::open_enum;

const SUMMARY_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/scene-summary";
const SUMMARY_STATUS_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/scene-summary/status";
const SUMMARY_CANCEL_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/scene-summary/cancel";
const SUMMARIES_BY_INDEX_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/indexes/{index_id}/scene-summaries";
const SUMMARY_BY_ID_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/indexes/{index_id}/scene-summaries/{scene_summary_id}";
const SUMMARY_BY_ID_STATUS_PATH: &str = "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/indexes/{index_id}/scene-summaries/{scene_summary_id}/status";

open_enum! {
    /// The state of a scene summary (`result.status`).
    pub enum SummaryStatus {
        /// Never summarised.
        BeforeSummarize = "BEFORE_SUMMARIZE",
        /// Queued.
        WaitSummarize = "WAIT_SUMMARIZE",
        /// Running.
        Summarizing = "SUMMARIZING",
        /// Finished; the result is readable.
        SummarizeCompleted = "SUMMARIZE_COMPLETED",
        /// Failed.
        SummarizeFail = "SUMMARIZE_FAIL",
        /// Cancelled (note the spelling, unlike `ANALYZE_CANCEL`).
        SummarizeCanceled = "SUMMARIZE_CANCELED",
    }
}

/// Body of `POST …/scene-summary` (and the deprecated per-index request).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SceneSummaryParams {
    /// Re-summarise only these scenes (`sceneIds`); omit for a full run, which must come first.
    #[serde(rename = "sceneIds", skip_serializing_if = "Option::is_none")]
    pub scene_ids: Option<Vec<u64>>,
}

impl SceneSummaryParams {
    /// A full run over every scene.
    pub fn all_scenes() -> SceneSummaryParams {
        SceneSummaryParams::default()
    }

    /// A re-run over `scene_ids` (allowed after a full run finished; not empty).
    pub fn scenes(scene_ids: impl IntoIterator<Item = u64>) -> SceneSummaryParams {
        SceneSummaryParams {
            scene_ids: Some(scene_ids.into_iter().collect()),
        }
    }

    fn request(&self, template: &'static str) -> ApiRequest {
        let mut request = ApiRequest::post(template).json(self);
        if self.scene_ids.as_ref().is_some_and(Vec::is_empty) {
            request.reject("sceneIds must name at least one scene (omit it for a full run)");
        }
        request
    }
}

/// The state of a summary (`…/scene-summary/status`, and whatever the request answers).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneSummaryStatus {
    /// The state (`status`).
    #[serde(default)]
    pub status: Option<SummaryStatus>,
    /// The summary id of the deprecated per-index routes (`sceneSummaryId`), when sent.
    #[serde(
        rename = "sceneSummaryId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub scene_summary_id: Option<u64>,
    /// A failure reason, when sent (`statusMessage`; `summaryStatusMessage` read too).
    #[serde(rename = "statusMessage", alias = "summaryStatusMessage", default)]
    pub status_message: Option<String>,
    /// Fields the docs do not show.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `sceneSummaryInfo` of a result.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneSummaryInfo {
    /// When the summary was made (`lastAnalyzedAt`).
    #[serde(rename = "lastAnalyzedAt", default, deserialize_with = "opt_timestamp")]
    pub last_analyzed_at: Option<Timestamp>,
    /// The per-scene summaries and further fields the docs cut off, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET …/scene-summary`: the summary result.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneSummary {
    /// The summarised index (`indexId`).
    #[serde(
        rename = "indexId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub index_id: Option<u64>,
    /// The summary (`sceneSummaryInfo`).
    #[serde(rename = "sceneSummaryInfo", default)]
    pub scene_summary_info: Option<SceneSummaryInfo>,
    /// Fields the docs do not show.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The Scene summary API group: `client.scene_summary()`.
#[derive(Debug, Clone, Copy)]
pub struct SceneSummaries<'a> {
    client: &'a Client,
}

impl<'a> SceneSummaries<'a> {
    pub(crate) fn new(client: &'a Client) -> SceneSummaries<'a> {
        SceneSummaries { client }
    }

    /// `POST …/assets/{asset_id}/scene-summary`: requests a summary (needs a completed
    /// index). Unverified: the path is inferred from its status/cancel/result siblings.
    pub async fn request(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        params: &SceneSummaryParams,
    ) -> Result<Option<SceneSummaryStatus>> {
        let request = for_asset(
            params.request(SUMMARY_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/assets/{asset_id}/scene-summary/status`.
    pub async fn status(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
    ) -> Result<SceneSummaryStatus> {
        let request = for_asset(
            ApiRequest::get(SUMMARY_STATUS_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `POST …/assets/{asset_id}/scene-summary/cancel` (only while waiting or running; free).
    pub async fn cancel(self, workspace_name: &str, project_id: u64, asset_id: u64) -> Result<()> {
        let request = for_asset(
            ApiRequest::post(SUMMARY_CANCEL_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/assets/{asset_id}/scene-summary`: the result (HTTP 404 →
    /// [`Error::NotFound`] when the asset has no summary).
    pub async fn result(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
    ) -> Result<SceneSummary> {
        let request = for_asset(
            ApiRequest::get(SUMMARY_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// Polls [`SceneSummaries::status`] until the summary ends, calling `progress` with each
    /// observation. `SUMMARIZE_COMPLETED` returns the last status; `SUMMARIZE_FAIL` and
    /// `SUMMARIZE_CANCELED` end in [`Error::TaskFailed`].
    pub async fn wait_for_scene_summary(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        options: &PollOptions,
        progress: impl FnMut(&SceneSummaryStatus) + Send,
    ) -> Result<SceneSummaryStatus> {
        let what = format!("the scene summary of asset {asset_id}");
        wait_until(
            Provider::NcpMi,
            &what,
            options,
            || async move {
                let status = self.status(workspace_name, project_id, asset_id).await?;
                match &status.status {
                    Some(SummaryStatus::SummarizeCompleted) => Ok(PollStatus::Done(status)),
                    Some(
                        state @ (SummaryStatus::SummarizeFail | SummaryStatus::SummarizeCanceled),
                    ) => Err(Error::TaskFailed {
                        provider: Provider::NcpMi,
                        task_id: asset_id.to_string(),
                        reason: status.status_message.clone().map_or_else(
                            || state.as_str().to_owned(),
                            |message| format!("{state}: {message}"),
                        ),
                    }),
                    _ => Ok(PollStatus::Pending(status)),
                }
            },
            progress,
        )
        .await
    }

    /// `POST …/indexes/{index_id}/scene-summaries`: the old per-index request.
    #[deprecated(
        note = "removed by NCP in January 2027; use `SceneSummaries::request` (POST …/scene-summary) instead"
    )]
    pub async fn request_for_index(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        index_id: u64,
        params: &SceneSummaryParams,
    ) -> Result<Option<SceneSummaryStatus>> {
        let request = for_asset(
            params.request(SUMMARIES_BY_INDEX_PATH),
            workspace_name,
            project_id,
            asset_id,
        )
        .path_param("index_id", &index_id.to_string());
        self.client.execute(&request).await
    }

    /// `GET …/indexes/{index_id}/scene-summaries/{scene_summary_id}/status`: the old status.
    #[deprecated(
        note = "removed by NCP in January 2027; use `SceneSummaries::status` (GET …/scene-summary/status) instead"
    )]
    pub async fn status_for_index(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        index_id: u64,
        scene_summary_id: u64,
    ) -> Result<SceneSummaryStatus> {
        let request = for_asset(
            ApiRequest::get(SUMMARY_BY_ID_STATUS_PATH),
            workspace_name,
            project_id,
            asset_id,
        )
        .path_param("index_id", &index_id.to_string())
        .path_param("scene_summary_id", &scene_summary_id.to_string());
        self.client.execute(&request).await
    }

    /// `DELETE …/indexes/{index_id}/scene-summaries/{scene_summary_id}`: the old cancel.
    #[deprecated(
        note = "removed by NCP in January 2027; use `SceneSummaries::cancel` (POST …/scene-summary/cancel) instead"
    )]
    pub async fn cancel_for_index(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        index_id: u64,
        scene_summary_id: u64,
    ) -> Result<()> {
        let request = for_asset(
            ApiRequest::delete(SUMMARY_BY_ID_PATH),
            workspace_name,
            project_id,
            asset_id,
        )
        .path_param("index_id", &index_id.to_string())
        .path_param("scene_summary_id", &scene_summary_id.to_string());
        self.client.execute(&request).await
    }

    /// `GET …/indexes/{index_id}/scene-summaries`: the old result.
    #[deprecated(
        note = "removed by NCP in January 2027; use `SceneSummaries::result` (GET …/scene-summary) instead"
    )]
    pub async fn result_for_index(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        index_id: u64,
    ) -> Result<SceneSummary> {
        let request = for_asset(
            ApiRequest::get(SUMMARIES_BY_INDEX_PATH),
            workspace_name,
            project_id,
            asset_id,
        )
        .path_param("index_id", &index_id.to_string());
        self.client.execute(&request).await
    }
}
