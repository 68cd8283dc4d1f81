//! The Scene summary group, `wait_for_scene_summary`, and the deprecated per-index routes,
//! over real HTTP against media-mock.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_sent, client, fast};
use media_mock::MockServer;
use media_mock::credentials::NCP_WORKSPACE;
use ncp_mi::{AnalysisParams, Client, SceneSummaryParams, SummaryStatus, Timestamp};
use serde_json::json;

const WS: &str = NCP_WORKSPACE;
const PROJECT: u64 = 1234;
const ASSET: u64 = 1002;
const A: &str = "/workspaces/my-workspace/projects/1234/assets/1002";

async fn indexed(client: &Client) -> u64 {
    client
        .analysis()
        .request(WS, PROJECT, ASSET, &AnalysisParams::new())
        .await
        .unwrap();
    client
        .analysis()
        .wait_for_index(WS, PROJECT, ASSET, &fast(), |_| {})
        .await
        .unwrap()
        .index_id
        .unwrap()
}

#[tokio::test]
async fn request_wait_and_read_a_summary() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = indexed(&client).await;

    let err = client
        .scene_summary()
        .result(WS, PROJECT, ASSET)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "no summary yet is HTTP 404: {err:?}");

    let started = client
        .scene_summary()
        .request(WS, PROJECT, ASSET, &SceneSummaryParams::all_scenes())
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{A}/scene-summary"),
        None,
        Some(json!({})),
    );
    assert_eq!(started.unwrap().status, Some(SummaryStatus::WaitSummarize));

    let status = client
        .scene_summary()
        .status(WS, PROJECT, ASSET)
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("{A}/scene-summary/status"),
        None,
        None,
    );
    assert_eq!(status.status, Some(SummaryStatus::WaitSummarize));

    let mut seen = Vec::new();
    let done = client
        .scene_summary()
        .wait_for_scene_summary(WS, PROJECT, ASSET, &fast(), |s| seen.push(s.status.clone()))
        .await
        .unwrap();
    assert_eq!(done.status, Some(SummaryStatus::SummarizeCompleted));
    assert_eq!(seen.len(), 2);

    let summary = client
        .scene_summary()
        .result(WS, PROJECT, ASSET)
        .await
        .unwrap();
    assert_sent(&server, "GET", &format!("{A}/scene-summary"), None, None);
    assert_eq!(summary.index_id, Some(index_id));
    let info = summary.scene_summary_info.unwrap();
    assert_eq!(
        info.last_analyzed_at,
        Some(Timestamp::Naive("2026-03-02T10:11:12".parse().unwrap()))
    );
    assert_eq!(info.extra["sceneSummaries"].as_array().unwrap().len(), 2);

    // A partial re-run after the full one, then cancelled.
    client
        .scene_summary()
        .request(WS, PROJECT, ASSET, &SceneSummaryParams::scenes([2]))
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{A}/scene-summary"),
        None,
        Some(json!({"sceneIds":[2]})),
    );
    client
        .scene_summary()
        .cancel(WS, PROJECT, ASSET)
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{A}/scene-summary/cancel"),
        None,
        None,
    );
    let err = client
        .scene_summary()
        .wait_for_scene_summary(WS, PROJECT, ASSET, &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ncp_mi::Error::TaskFailed { reason, .. } if reason == "SUMMARIZE_CANCELED"),
        "{err:?}"
    );
    let err = client
        .scene_summary()
        .cancel(WS, PROJECT, ASSET)
        .await
        .unwrap_err();
    assert!(ncp_mi::is_conflict(&err), "{err:?}");
}

#[tokio::test]
async fn an_empty_scene_list_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .scene_summary()
        .request(WS, PROJECT, ASSET, &SceneSummaryParams::scenes([]))
        .await
        .unwrap_err();
    assert!(matches!(err, ncp_mi::Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
}

#[tokio::test]
#[allow(deprecated)]
async fn the_deprecated_per_index_summary_routes() {
    let server = MockServer::start().await;
    let client = client(&server);
    let index_id = indexed(&client).await;
    let base = format!("{A}/indexes/{index_id}/scene-summaries");

    let started = client
        .scene_summary()
        .request_for_index(
            WS,
            PROJECT,
            ASSET,
            index_id,
            &SceneSummaryParams::all_scenes(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_sent(&server, "POST", &base, None, Some(json!({})));
    let summary_id = started.scene_summary_id.unwrap();

    let status = client
        .scene_summary()
        .status_for_index(WS, PROJECT, ASSET, index_id, summary_id)
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("{base}/{summary_id}/status"),
        None,
        None,
    );
    assert_eq!(status.status, Some(SummaryStatus::WaitSummarize));

    client
        .scene_summary()
        .cancel_for_index(WS, PROJECT, ASSET, index_id, summary_id)
        .await
        .unwrap();
    assert_sent(
        &server,
        "DELETE",
        &format!("{base}/{summary_id}"),
        None,
        None,
    );

    let second = client
        .scene_summary()
        .request_for_index(
            WS,
            PROJECT,
            ASSET,
            index_id,
            &SceneSummaryParams::all_scenes(),
        )
        .await
        .unwrap()
        .unwrap()
        .scene_summary_id
        .unwrap();
    loop {
        let s = client
            .scene_summary()
            .status_for_index(WS, PROJECT, ASSET, index_id, second)
            .await
            .unwrap();
        if s.status == Some(SummaryStatus::SummarizeCompleted) {
            break;
        }
    }
    let result = client
        .scene_summary()
        .result_for_index(WS, PROJECT, ASSET, index_id)
        .await
        .unwrap();
    assert_sent(&server, "GET", &base, None, None);
    assert_eq!(result.index_id, Some(index_id));
}
