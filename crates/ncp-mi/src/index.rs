//! Analysis (indexing) and Index: `…/assets/{asset_id}/index…` and `…/indexes`, plus the
//! deprecated index-id and `/analyze` routes they replace.

use media_core::http::ApiRequest;
use media_core::poll::{PollOptions, PollStatus, wait_until};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::time::{Timestamp, opt_timestamp};
use media_core::open_enum;

const INDEX_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/index";
const INDEX_STATUS_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/index/status";
const INDEX_CANCEL_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/index/cancel";
const INDEXES_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/indexes";
const INDEX_BY_ID_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/indexes/{index_id}";
const ANALYZE_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/analyze";
const ANALYZE_STATUS_PATH: &str =
    "/workspaces/{workspace_name}/projects/{project_id}/assets/{asset_id}/analyze-status";

/// Fills `workspace_name`, `project_id` and `asset_id`.
pub(crate) fn for_asset(
    request: ApiRequest,
    workspace_name: &str,
    project_id: u64,
    asset_id: u64,
) -> ApiRequest {
    request
        .path_param("workspace_name", workspace_name)
        .path_param("project_id", &project_id.to_string())
        .path_param("asset_id", &asset_id.to_string())
}

open_enum! {
    /// The state of an asset's analysis (`result.status`).
    pub enum IndexStatus {
        /// Never analysed.
        BeforeAnalyze = "BEFORE_ANALYZE",
        /// Queued.
        WaitAnalyze = "WAIT_ANALYZE",
        /// Running.
        Analyzing = "ANALYZING",
        /// Finished; the index is readable.
        AnalyzeCompleted = "ANALYZE_COMPLETED",
        /// Failed; the previous index (if any) is kept.
        AnalyzeFail = "ANALYZE_FAIL",
        /// Cancelled (note the spelling, unlike `SUMMARIZE_CANCELED`).
        AnalyzeCancel = "ANALYZE_CANCEL",
    }
}

impl IndexStatus {
    /// True for the states that end an analysis.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            IndexStatus::AnalyzeCompleted | IndexStatus::AnalyzeFail | IndexStatus::AnalyzeCancel
        )
    }
}

open_enum! {
    /// Scene length (`sceneRange`); video only.
    pub enum SceneRange {
        /// 10–20 s scenes.
        ExtraShort = "EXTRA_SHORT",
        /// Short scenes.
        Short = "SHORT",
        /// Medium scenes (the default).
        Medium = "MEDIUM",
        /// Long scenes.
        Long = "LONG",
    }
}

open_enum! {
    /// Spoken language of the media (`sourceLanguage`).
    pub enum SourceLanguage {
        /// English and Korean (the default).
        Enko = "ENKO",
        /// English.
        En = "EN",
        /// Korean.
        Ko = "KO",
        /// Japanese.
        Ja = "JA",
        /// Simplified Chinese.
        ZhCn = "ZH-CN",
        /// Traditional Chinese.
        ZhTw = "ZH-TW",
    }
}

open_enum! {
    /// Keyword confidence (`confidence_level` of the index, `confidenceLevel` of search).
    pub enum ConfidenceLevel {
        /// More keywords, less certain.
        Low = "LOW",
        /// The default.
        Medium = "MEDIUM",
        /// Fewer, more precise keywords.
        High = "HIGH",
    }
}

open_enum! {
    /// The media type of an index (`type`).
    pub enum IndexType {
        /// An image index.
        Image = "IMAGE",
        /// A video index.
        Video = "VIDEO",
    }
}

/// Body of `POST …/index` (and of the deprecated `…/analyze`): every field optional.
///
/// The body of the current route was not visible in the docs; these are the fields of its
/// documented predecessor plus the two the new page names. Validated before sending:
/// `sceneRange` excludes the custom min/max, which go together; `analysisPersonCount`
/// 0–10; `tagIdList` 1–30 ids.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysisParams {
    /// Scene length preset (`sceneRange`).
    #[serde(rename = "sceneRange", skip_serializing_if = "Option::is_none")]
    pub scene_range: Option<SceneRange>,
    /// Custom shortest scene, seconds (`minSceneDurationSec`).
    #[serde(
        rename = "minSceneDurationSec",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_scene_duration_sec: Option<u32>,
    /// Custom longest scene, seconds (`maxSceneDurationSec`).
    #[serde(
        rename = "maxSceneDurationSec",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_scene_duration_sec: Option<u32>,
    /// Persons to analyse, 0–10; 0 skips person analysis (`analysisPersonCount`).
    #[serde(
        rename = "analysisPersonCount",
        skip_serializing_if = "Option::is_none"
    )]
    pub analysis_person_count: Option<u32>,
    /// Person-tag ids to look for, 1–30 (`tagIdList`, sent as numbers).
    #[serde(rename = "tagIdList", skip_serializing_if = "Option::is_none")]
    pub tag_id_list: Option<Vec<u64>>,
    /// Spoken language (`sourceLanguage`).
    #[serde(rename = "sourceLanguage", skip_serializing_if = "Option::is_none")]
    pub source_language: Option<SourceLanguage>,
    /// Detect applause, laughter, background music; video only (`detectAudioEffects`).
    #[serde(rename = "detectAudioEffects", skip_serializing_if = "Option::is_none")]
    pub detect_audio_effects: Option<bool>,
}

impl AnalysisParams {
    /// The server defaults.
    pub fn new() -> AnalysisParams {
        AnalysisParams::default()
    }

    /// Sets `sceneRange`.
    pub fn scene_range(mut self, scene_range: SceneRange) -> AnalysisParams {
        self.scene_range = Some(scene_range);
        self
    }

    /// Sets a custom scene length (`minSceneDurationSec`, `maxSceneDurationSec`).
    pub fn scene_duration_sec(mut self, min: u32, max: u32) -> AnalysisParams {
        self.min_scene_duration_sec = Some(min);
        self.max_scene_duration_sec = Some(max);
        self
    }

    /// Sets `analysisPersonCount` (0–10).
    pub fn analysis_person_count(mut self, count: u32) -> AnalysisParams {
        self.analysis_person_count = Some(count);
        self
    }

    /// Sets `tagIdList` (1–30 ids).
    pub fn tag_id_list(mut self, tag_ids: impl IntoIterator<Item = u64>) -> AnalysisParams {
        self.tag_id_list = Some(tag_ids.into_iter().collect());
        self
    }

    /// Sets `sourceLanguage`.
    pub fn source_language(mut self, language: SourceLanguage) -> AnalysisParams {
        self.source_language = Some(language);
        self
    }

    /// Sets `detectAudioEffects`.
    pub fn detect_audio_effects(mut self, detect: bool) -> AnalysisParams {
        self.detect_audio_effects = Some(detect);
        self
    }

    fn check(&self) -> Option<String> {
        let custom = (self.min_scene_duration_sec, self.max_scene_duration_sec);
        if custom.0.is_some() != custom.1.is_some() {
            return Some(
                "minSceneDurationSec and maxSceneDurationSec must be sent together".into(),
            );
        }
        if let (Some(min), Some(max)) = custom {
            if self.scene_range.is_some() {
                return Some("sceneRange cannot be combined with a custom scene duration".into());
            }
            if min == 0 || min > max {
                return Some(format!(
                    "the scene duration must satisfy 0 < min <= max, got {min}..{max}"
                ));
            }
        }
        if let Some(count) = self.analysis_person_count
            && count > 10
        {
            return Some(format!("analysisPersonCount must be 0–10, got {count}"));
        }
        if let Some(tags) = &self.tag_id_list
            && !(1..=30).contains(&tags.len())
        {
            return Some(format!("tagIdList takes 1–30 ids, got {}", tags.len()));
        }
        None
    }

    pub(crate) fn request(&self, template: &'static str) -> ApiRequest {
        let mut request = ApiRequest::post(template).json(self);
        if let Some(reason) = self.check() {
            request.reject(reason);
        }
        request
    }
}

/// The state of an analysis (`GET …/index/status`, the deprecated `…/analyze-status`,
/// and whatever `POST …/index` answers).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysisStatus {
    /// The state (`status`).
    #[serde(default)]
    pub status: Option<IndexStatus>,
    /// The failure reason (`analyzeStatusMessage`; the docs' example spells it
    /// `analysisStatusMessage`, read too).
    #[serde(
        rename = "analyzeStatusMessage",
        alias = "analysisStatusMessage",
        default
    )]
    pub analyze_status_message: Option<String>,
    /// The index the analysis produces (`indexId`), when sent.
    #[serde(
        rename = "indexId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub index_id: Option<u64>,
    /// Fields the docs do not show.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The analysis document of an asset (`GET …/index`): scenes, persons, keywords, script.
///
/// Its schema was never visible in the docs, so only the identifiers are typed and the
/// rest stays JSON in [`Index::extra`].
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    /// The index id (`indexId`).
    #[serde(
        rename = "indexId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub index_id: Option<u64>,
    /// The asset (`assetId`).
    #[serde(
        rename = "assetId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub asset_id: Option<u64>,
    /// Image or video (`type`).
    #[serde(rename = "type", default)]
    pub index_type: Option<IndexType>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The settings an index was made with (`analysisSetting`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysisSetting {
    /// The engine, e.g. `Sinossi v1.0` (`analysisEngine`).
    #[serde(rename = "analysisEngine", default)]
    pub analysis_engine: Option<String>,
    /// The scene length preset (`sceneRange`).
    #[serde(rename = "sceneRange", default)]
    pub scene_range: Option<SceneRange>,
    /// Further settings the docs cut off.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of `GET …/indexes` (`result.indexes[]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexSummary {
    /// The index id (`indexId`).
    #[serde(rename = "indexId", deserialize_with = "media_core::de::u64_loose")]
    pub index_id: u64,
    /// Image or video (`type`).
    #[serde(rename = "type", default)]
    pub index_type: Option<IndexType>,
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
    /// The settings (`analysisSetting`).
    #[serde(rename = "analysisSetting", default)]
    pub analysis_setting: Option<AnalysisSetting>,
}

/// `GET …/indexes`: `result.indexes[]` and `result.totalCount`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexList {
    /// The indexes (0 or 1 now that an asset keeps only its latest).
    #[serde(default, deserialize_with = "crate::page::null_as_empty")]
    pub indexes: Vec<IndexSummary>,
    /// How many (`totalCount`).
    #[serde(
        rename = "totalCount",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub total_count: Option<u64>,
}

/// The Analysis API group (`…/assets/{asset_id}/index`, `/status`, `/cancel`):
/// `client.analysis()`.
#[derive(Debug, Clone, Copy)]
pub struct Analysis<'a> {
    client: &'a Client,
}

impl<'a> Analysis<'a> {
    pub(crate) fn new(client: &'a Client) -> Analysis<'a> {
        Analysis { client }
    }

    /// `POST …/assets/{asset_id}/index`: starts an analysis. A second request while one
    /// runs answers HTTP 409 ([`crate::is_conflict`]). The answer's body was not visible
    /// in the docs: `None` when the service sends no `result`.
    pub async fn request(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        params: &AnalysisParams,
    ) -> Result<Option<AnalysisStatus>> {
        let request = for_asset(
            params.request(INDEX_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/assets/{asset_id}/index/status`.
    pub async fn status(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
    ) -> Result<AnalysisStatus> {
        let request = for_asset(
            ApiRequest::get(INDEX_STATUS_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `POST …/assets/{asset_id}/index/cancel`: cancels a waiting or running analysis
    /// (HTTP 409 otherwise). Use [`Indexes::delete`] to remove a finished index.
    pub async fn cancel(self, workspace_name: &str, project_id: u64, asset_id: u64) -> Result<()> {
        let request = for_asset(
            ApiRequest::post(INDEX_CANCEL_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// Polls [`Analysis::status`] until the analysis ends, calling `progress` with every
    /// observation. `ANALYZE_COMPLETED` returns the last status; `ANALYZE_FAIL` and
    /// `ANALYZE_CANCEL` end in [`Error::TaskFailed`] with the service's message; running
    /// longer than `options.max_wait` ends in [`Error::Timeout`].
    pub async fn wait_for_index(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        options: &PollOptions,
        progress: impl FnMut(&AnalysisStatus) + Send,
    ) -> Result<AnalysisStatus> {
        let what = format!("the analysis of asset {asset_id}");
        wait_until(
            Provider::NcpMi,
            &what,
            options,
            || async move {
                let status = self.status(workspace_name, project_id, asset_id).await?;
                match &status.status {
                    Some(IndexStatus::AnalyzeCompleted) => Ok(PollStatus::Done(status)),
                    Some(state @ (IndexStatus::AnalyzeFail | IndexStatus::AnalyzeCancel)) => {
                        Err(Error::TaskFailed {
                            provider: Provider::NcpMi,
                            task_id: asset_id.to_string(),
                            reason: status.analyze_status_message.clone().map_or_else(
                                || state.as_str().to_owned(),
                                |message| format!("{state}: {message}"),
                            ),
                        })
                    }
                    _ => Ok(PollStatus::Pending(status)),
                }
            },
            progress,
        )
        .await
    }

    /// `POST …/assets/{asset_id}/analyze`: the old analysis request.
    #[deprecated(
        note = "removed by NCP in January 2027; use `Analysis::request` (POST …/index) instead"
    )]
    pub async fn analyze(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        params: &AnalysisParams,
    ) -> Result<Option<AnalysisStatus>> {
        let request = for_asset(
            params.request(ANALYZE_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/assets/{asset_id}/analyze-status`: the old status (`status`,
    /// `analyzeStatusMessage`/`analysisStatusMessage`, `indexId`).
    #[deprecated(
        note = "removed by NCP in January 2027; use `Analysis::status` (GET …/index/status) instead"
    )]
    pub async fn analyze_status(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
    ) -> Result<AnalysisStatus> {
        let request = for_asset(
            ApiRequest::get(ANALYZE_STATUS_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `DELETE …/assets/{asset_id}/analyze`: the old cancel.
    #[deprecated(
        note = "removed by NCP in January 2027; use `Analysis::cancel` (POST …/index/cancel) instead"
    )]
    pub async fn cancel_analyze(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
    ) -> Result<()> {
        let request = for_asset(
            ApiRequest::delete(ANALYZE_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }
}

/// The Index API group (`…/assets/{asset_id}/index`, `…/indexes`): `client.indexes()`.
#[derive(Debug, Clone, Copy)]
pub struct Indexes<'a> {
    client: &'a Client,
}

impl<'a> Indexes<'a> {
    pub(crate) fn new(client: &'a Client) -> Indexes<'a> {
        Indexes { client }
    }

    /// `GET …/assets/{asset_id}/index?confidence_level=`: the latest index (fails while
    /// the analysis is not complete).
    pub async fn retrieve(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        confidence_level: Option<ConfidenceLevel>,
    ) -> Result<Index> {
        let request = for_asset(
            ApiRequest::get(INDEX_PATH),
            workspace_name,
            project_id,
            asset_id,
        )
        .query_opt("confidence_level", confidence_level);
        self.client.execute(&request).await
    }

    /// `DELETE …/assets/{asset_id}/index`: deletes the finished index. Unverified: the
    /// path is inferred from the page title and its siblings.
    pub async fn delete(self, workspace_name: &str, project_id: u64, asset_id: u64) -> Result<()> {
        let request = for_asset(
            ApiRequest::delete(INDEX_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/assets/{asset_id}/indexes`: the asset's indexes (0 or 1).
    pub async fn list(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
    ) -> Result<IndexList> {
        let request = for_asset(
            ApiRequest::get(INDEXES_PATH),
            workspace_name,
            project_id,
            asset_id,
        );
        self.client.execute(&request).await
    }

    /// `GET …/assets/{asset_id}/indexes/{index_id}?confidence_level=`: the old index detail.
    #[deprecated(
        note = "removed by NCP in January 2027; use `Indexes::retrieve` (GET …/index) instead"
    )]
    pub async fn retrieve_by_id(
        self,
        workspace_name: &str,
        project_id: u64,
        asset_id: u64,
        index_id: u64,
        confidence_level: Option<ConfidenceLevel>,
    ) -> Result<Index> {
        let request = for_asset(
            ApiRequest::get(INDEX_BY_ID_PATH),
            workspace_name,
            project_id,
            asset_id,
        )
        .path_param("index_id", &index_id.to_string())
        .query_opt("confidence_level", confidence_level);
        self.client.execute(&request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_params_are_checked() {
        assert!(AnalysisParams::new().check().is_none());
        assert!(
            AnalysisParams::new()
                .scene_duration_sec(15, 45)
                .check()
                .is_none()
        );
        let mut half = AnalysisParams::new();
        half.min_scene_duration_sec = Some(3);
        assert!(half.check().is_some());
        assert!(
            AnalysisParams::new()
                .scene_range(SceneRange::Short)
                .scene_duration_sec(1, 2)
                .check()
                .is_some()
        );
        assert!(
            AnalysisParams::new()
                .analysis_person_count(11)
                .check()
                .is_some()
        );
        assert!(AnalysisParams::new().tag_id_list([]).check().is_some());
        assert!(AnalysisParams::new().tag_id_list(1..=31).check().is_some());
        let json = serde_json::to_value(
            AnalysisParams::new()
                .scene_duration_sec(15, 45)
                .analysis_person_count(4)
                .source_language(SourceLanguage::Ko)
                .detect_audio_effects(true)
                .tag_id_list([101, 203]),
        )
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"minSceneDurationSec":15,"maxSceneDurationSec":45,"analysisPersonCount":4,"sourceLanguage":"KO","detectAudioEffects":true,"tagIdList":[101,203]})
        );
    }

    #[test]
    fn status_message_under_either_spelling() {
        let a: AnalysisStatus = serde_json::from_str(
            r#"{"status":"ANALYZE_FAIL","analysisStatusMessage":"bad codec","indexId":"1001"}"#,
        )
        .unwrap();
        let b: AnalysisStatus = serde_json::from_str(
            r#"{"status":"ANALYZE_FAIL","analyzeStatusMessage":"bad codec","indexId":1001}"#,
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.index_id, Some(1001));
        assert_eq!(
            IndexStatus::from("SOMETHING_NEW"),
            IndexStatus::Unknown("SOMETHING_NEW".into())
        );
    }
}
