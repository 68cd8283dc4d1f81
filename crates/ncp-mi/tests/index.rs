//! The Analysis and Index groups, `wait_for_index`, the 409 conflict, and the deprecated
//! `/analyze` and index-id routes, over real HTTP against media-mock.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::{assert_sent, client, fast};
use media_mock::MockServer;
use media_mock::credentials::NCP_WORKSPACE;
use ncp_mi::{
    AnalysisParams, AnalysisStatus, ConfidenceLevel, Error, IndexStatus, IndexType, SceneRange,
    SourceLanguage,
};
use serde_json::json;

const WS: &str = NCP_WORKSPACE;
const PROJECT: u64 = 1234;
const ASSET: u64 = 1001;
const A: &str = "/workspaces/my-workspace/projects/1234/assets/1001";

#[tokio::test]
async fn request_poll_and_read_the_index() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = AnalysisParams::new()
        .scene_duration_sec(15, 45)
        .analysis_person_count(4)
        .source_language(SourceLanguage::Ko)
        .detect_audio_effects(true)
        .tag_id_list([101, 203]);
    let started = client
        .analysis()
        .request(WS, PROJECT, ASSET, &params)
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{A}/index"),
        None,
        Some(
            json!({"minSceneDurationSec":15,"maxSceneDurationSec":45,"analysisPersonCount":4,"sourceLanguage":"KO","detectAudioEffects":true,"tagIdList":[101,203]}),
        ),
    );
    assert_eq!(started.unwrap().status, Some(IndexStatus::WaitAnalyze));

    let status = client.analysis().status(WS, PROJECT, ASSET).await.unwrap();
    assert_sent(&server, "GET", &format!("{A}/index/status"), None, None);
    assert_eq!(status.status, Some(IndexStatus::WaitAnalyze));

    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let done = client
        .analysis()
        .wait_for_index(WS, PROJECT, ASSET, &fast(), move |s: &AnalysisStatus| {
            record.lock().unwrap().push(s.status.clone());
        })
        .await
        .unwrap();
    assert_eq!(done.status, Some(IndexStatus::AnalyzeCompleted));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Some(IndexStatus::Analyzing),
            Some(IndexStatus::AnalyzeCompleted)
        ]
    );
    let index_id = done.index_id.unwrap();

    let index = client
        .indexes()
        .retrieve(WS, PROJECT, ASSET, Some(ConfidenceLevel::High))
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("{A}/index"),
        Some("confidence_level=HIGH"),
        None,
    );
    assert_eq!(index.index_id, Some(index_id));
    assert_eq!(index.asset_id, Some(ASSET));
    assert_eq!(index.index_type, Some(IndexType::Video));
    assert!(index.extra["scenes"].is_array());
    assert_eq!(index.extra["confidenceLevel"], "HIGH");

    let list = client.indexes().list(WS, PROJECT, ASSET).await.unwrap();
    assert_sent(&server, "GET", &format!("{A}/indexes"), None, None);
    assert_eq!(list.total_count, Some(1));
    let entry = &list.indexes[0];
    assert_eq!(entry.index_id, index_id);
    assert_eq!(entry.index_type, Some(IndexType::Video));
    let setting = entry.analysis_setting.as_ref().unwrap();
    assert_eq!(setting.analysis_engine.as_deref(), Some("Sinossi v1.0"));
    assert_eq!(setting.scene_range, Some(SceneRange::Medium));
    assert!(entry.created_user_name.is_some() && entry.created_time.is_some());

    client.indexes().delete(WS, PROJECT, ASSET).await.unwrap();
    assert_sent(&server, "DELETE", &format!("{A}/index"), None, None);
    let err = client
        .indexes()
        .retrieve(WS, PROJECT, ASSET, None)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn a_second_analysis_while_one_runs_is_a_typed_conflict() {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .analysis()
        .request(WS, PROJECT, ASSET, &AnalysisParams::new())
        .await
        .unwrap();
    let err = client
        .analysis()
        .request(WS, PROJECT, ASSET, &AnalysisParams::new())
        .await
        .unwrap_err();
    assert!(ncp_mi::is_conflict(&err), "{err:?}");
    assert_eq!(
        ncp_mi::ErrorCode::of(&err),
        Some(ncp_mi::ErrorCode::Conflict)
    );
    assert_eq!(err.http_status(), Some(409));
    assert!(!err.is_retryable());
    // Not retried: one request for the conflict.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn cancel_then_cancel_again_is_a_conflict() {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .analysis()
        .request(
            WS,
            PROJECT,
            ASSET,
            &AnalysisParams::new().scene_range(SceneRange::ExtraShort),
        )
        .await
        .unwrap();
    client.analysis().cancel(WS, PROJECT, ASSET).await.unwrap();
    assert_sent(&server, "POST", &format!("{A}/index/cancel"), None, None);
    let status = client.analysis().status(WS, PROJECT, ASSET).await.unwrap();
    assert_eq!(status.status, Some(IndexStatus::AnalyzeCancel));
    let err = client
        .analysis()
        .cancel(WS, PROJECT, ASSET)
        .await
        .unwrap_err();
    assert!(ncp_mi::is_conflict(&err), "{err:?}");
}

#[tokio::test]
async fn a_failed_analysis_ends_the_wait_with_the_reason() {
    let server = MockServer::start().await;
    server.seed_ncp_mi_asset(
        WS,
        PROJECT,
        json!({"assetId": 77, "fileName": "corrupt.mp4"}),
    );
    let client = client(&server);
    client
        .analysis()
        .request(WS, PROJECT, 77, &AnalysisParams::new())
        .await
        .unwrap();
    let err = client
        .analysis()
        .wait_for_index(WS, PROJECT, 77, &fast(), |_| {})
        .await
        .unwrap_err();
    match err {
        Error::TaskFailed {
            task_id, reason, ..
        } => {
            assert_eq!(task_id, "77");
            assert!(reason.starts_with("ANALYZE_FAIL: "), "{reason}");
            assert!(reason.contains("could not be decoded"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn invalid_analysis_params_never_leave_the_client() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut half = AnalysisParams::new();
    half.min_scene_duration_sec = Some(5);
    for bad in [
        half,
        AnalysisParams::new().analysis_person_count(11),
        AnalysisParams::new()
            .scene_range(SceneRange::Long)
            .scene_duration_sec(5, 10),
        AnalysisParams::new().tag_id_list(0..31),
    ] {
        let err = client
            .analysis()
            .request(WS, PROJECT, ASSET, &bad)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
#[allow(deprecated)]
async fn the_deprecated_analyze_and_index_id_routes() {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .analysis()
        .analyze(
            WS,
            PROJECT,
            ASSET,
            &AnalysisParams::new().analysis_person_count(0),
        )
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{A}/analyze"),
        None,
        Some(json!({"analysisPersonCount":0})),
    );
    let status = client
        .analysis()
        .analyze_status(WS, PROJECT, ASSET)
        .await
        .unwrap();
    assert_sent(&server, "GET", &format!("{A}/analyze-status"), None, None);
    assert_eq!(status.status, Some(IndexStatus::WaitAnalyze));
    client
        .analysis()
        .cancel_analyze(WS, PROJECT, ASSET)
        .await
        .unwrap();
    assert_sent(&server, "DELETE", &format!("{A}/analyze"), None, None);

    client
        .analysis()
        .analyze(WS, PROJECT, ASSET, &AnalysisParams::new())
        .await
        .unwrap();
    let mut done = client
        .analysis()
        .analyze_status(WS, PROJECT, ASSET)
        .await
        .unwrap();
    while done.status != Some(IndexStatus::AnalyzeCompleted) {
        done = client
            .analysis()
            .analyze_status(WS, PROJECT, ASSET)
            .await
            .unwrap();
    }
    // The old route spells the message `analysisStatusMessage`; it is read all the same.
    assert_eq!(done.analyze_status_message, None);
    let index_id = done.index_id.unwrap();
    let index = client
        .indexes()
        .retrieve_by_id(WS, PROJECT, ASSET, index_id, Some(ConfidenceLevel::Low))
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("{A}/indexes/{index_id}"),
        Some("confidence_level=LOW"),
        None,
    );
    assert_eq!(index.index_id, Some(index_id));
}
