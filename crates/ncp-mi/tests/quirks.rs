//! Each quirk of ncp-mi.md §1.4–1.6 and §4, decoded over real HTTP from a payload shaped
//! like the provider's own example (served by media-mock's fault injection).
#![allow(clippy::unwrap_used)]

mod common;

use common::client;
use media_mock::credentials::NCP_WORKSPACE;
use media_mock::{Fault, FaultRule, MockServer};
use ncp_mi::{
    Error, ErrorCode, IndexStatus, ListWorkspacesParams, SceneSummaryStatus, SearchResultParams,
    SearchStatus, SummaryStatus, Timestamp,
};

const WS: &str = NCP_WORKSPACE;

fn serve(server: &MockServer, status: u16, body: &str) {
    server.inject(FaultRule::new(Fault::status(status).with_body(body)).times(1));
}

#[tokio::test]
async fn the_deprecated_status_example_spells_analysis_status_message() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"status":"ANALYZE_COMPLETED","analysisStatusMessage":null,"indexId":1001}}"#,
    );
    #[allow(deprecated)]
    let status = client(&server)
        .analysis()
        .analyze_status(WS, 1234, 1001)
        .await
        .unwrap();
    assert_eq!(status.status, Some(IndexStatus::AnalyzeCompleted));
    assert_eq!(status.index_id, Some(1001));
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"status":"ANALYZE_FAIL","analysisStatusMessage":"unsupported codec"}}"#,
    );
    let status = client(&server)
        .analysis()
        .status(WS, 1234, 1001)
        .await
        .unwrap();
    assert_eq!(
        status.analyze_status_message.as_deref(),
        Some("unsupported codec")
    );
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"status":"ANALYZE_FAIL","analyzeStatusMessage":"unsupported codec"}}"#,
    );
    let same = client(&server)
        .analysis()
        .status(WS, 1234, 1001)
        .await
        .unwrap();
    assert_eq!(same, status);
}

#[tokio::test]
async fn create_user_name_and_created_user_name_both_read() {
    let server = MockServer::start().await;
    // Assets say createUserName; workspaces say createdUserName; each reads the other too.
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"content":[{"workspaceName":"demo-ws","createUserName":"kim","createdTime":"2026-03-02T10:11:12","updateUserName":"lee"}],"totalCount":1,"totalPage":1,"pageNo":1,"pageSize":100}}"#,
    );
    let page = client(&server)
        .workspaces()
        .list(&ListWorkspacesParams::new(1))
        .await
        .unwrap();
    assert_eq!(page.content[0].created_user_name.as_deref(), Some("kim"));
    assert_eq!(page.content[0].updated_user_name.as_deref(), Some("lee"));
    let asset: ncp_mi::Asset =
        serde_json::from_str(r#"{"assetId":5678,"createdUserName":"kim","updatedUserName":"lee"}"#)
            .unwrap();
    assert_eq!(asset.create_user_name.as_deref(), Some("kim"));
    assert_eq!(asset.update_user_name.as_deref(), Some("lee"));
}

#[tokio::test]
async fn integer_ids_arrive_as_numbers_or_strings() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"projectId":"1201","name":"Base project","isBaseProject":true}}"#,
    );
    let project = client(&server).projects().retrieve(WS, 1201).await.unwrap();
    assert_eq!(project.project_id, 1201);
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"personId":"1001","thumbnailList":[{"id":"3001","url":"u","isPrimaryThumbnail":true}]}}"#,
    );
    let list = client(&server)
        .persons()
        .remove_thumbnails(WS, 1001, &[1])
        .await
        .unwrap();
    assert_eq!(list.person_id, Some(1001));
    assert_eq!(list.thumbnail_list[0].id, 3001);
}

#[tokio::test]
async fn the_two_cancel_spellings() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"status":"ANALYZE_CANCEL"}}"#,
    );
    let index = client(&server)
        .analysis()
        .status(WS, 1234, 1001)
        .await
        .unwrap();
    assert_eq!(index.status, Some(IndexStatus::AnalyzeCancel));
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"status":"SUMMARIZE_CANCELED"}}"#,
    );
    let summary: SceneSummaryStatus = client(&server)
        .scene_summary()
        .status(WS, 1234, 1001)
        .await
        .unwrap();
    assert_eq!(summary.status, Some(SummaryStatus::SummarizeCanceled));
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"status":"SUMMARIZE_PAUSED"}}"#,
    );
    let odd = client(&server)
        .scene_summary()
        .status(WS, 1234, 1001)
        .await
        .unwrap();
    assert_eq!(
        odd.status,
        Some(SummaryStatus::Unknown("SUMMARIZE_PAUSED".into()))
    );
}

#[tokio::test]
async fn errors_top_level_wrapped_and_under_http_200() {
    let server = MockServer::start().await;
    let client = client(&server);
    serve(
        &server,
        400,
        r#"{"code":"10023","message":"You can request up to 10 assets at a time."}"#,
    );
    let err = client.projects().list(WS).await.unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::TooManyAssets));
    serve(
        &server,
        400,
        r#"{"responseError":{"code":"10014","message":"Select the asset you want to analyze."}}"#,
    );
    let err = client.projects().list(WS).await.unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::AssetNotSelected));
    assert_eq!(err.message(), Some("Select the asset you want to analyze."));
    serve(
        &server,
        200,
        r#"{"code":"10027","message":"The base project n"}"#,
    );
    let err = client.projects().list(WS).await.unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::BaseProjectNotAllowed));
    assert_eq!(err.http_status(), Some(200));
    serve(&server, 409, r#"{"code":"409","message":"conflict"}"#);
    assert!(ncp_mi::is_conflict(
        &client.analysis().cancel(WS, 1234, 1001).await.unwrap_err()
    ));
    serve(
        &server,
        200,
        r#"{"code":"99999","message":"a code the docs never showed"}"#,
    );
    let err = client.projects().list(WS).await.unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::Other("99999".into())));
}

#[tokio::test]
async fn a_bare_gateway_401_names_clock_skew_as_a_cause() {
    let server = MockServer::start().await;
    serve(
        &server,
        401,
        r#"{"error":{"errorCode":"200","message":"Authentication Failed"}}"#,
    );
    let err = client(&server).projects().list(WS).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert!(err.to_string().contains("clock"), "{err}");
    assert!(!ncp_mi::is_clock_skew(&err));
}

#[tokio::test]
async fn a_stale_clock_is_recognised() {
    use std::sync::Arc;
    let server = MockServer::start().await;
    let clock = Arc::new(ncp_mi::FixedClock::new(1_735_689_600_000));
    let client = ncp_mi::Client::new(common::config(&server).clock(clock)).unwrap();
    let err = client.projects().list(WS).await.unwrap_err();
    assert!(ncp_mi::is_clock_skew(&err), "{err}");
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::AuthenticationFailed));
}

#[tokio::test]
async fn search_results_appear_only_when_completed_and_naive_times_stay_naive() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"searchId":"JtWJKTDCKknMHP8Id4Gt","status":"COMPLETED","totalCount":"1","totalPage":1,"pageNo":1,"results":[{"assetId":"5678","score":"0.87","startTime":1.5}]}}"#,
    );
    let result = client(&server)
        .search()
        .result(WS, "JtWJKTDCKknMHP8Id4Gt", &SearchResultParams::new())
        .await
        .unwrap();
    assert_eq!(result.status, SearchStatus::Completed);
    assert_eq!(result.total_count, Some(1));
    assert_eq!(result.results[0].asset_id, Some(5678));
    assert_eq!(result.results[0].score, Some(0.87));
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"workspaceName":"w","createdTime":"2026-03-02T10:11:12"}}"#,
    );
    let ws = client(&server).workspaces().retrieve("w-1").await.unwrap();
    let created = ws.created_time.unwrap();
    assert!(matches!(created, Timestamp::Naive(_)));
    assert_eq!(created.to_utc().to_rfc3339(), "2026-03-02T01:11:12+00:00");
}

#[tokio::test]
async fn project_list_total_count_and_null_lists() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"projects":null,"totalCount":0}}"#,
    );
    let list = client(&server).projects().list(WS).await.unwrap();
    assert!(list.projects.is_empty());
    assert_eq!(list.total_count, Some(0));
    serve(
        &server,
        200,
        r#"{"code":"0","message":"success","result":{"indexes":[],"totalCount":0}}"#,
    );
    let indexes = client(&server)
        .indexes()
        .list(WS, 1234, 1001)
        .await
        .unwrap();
    assert!(indexes.indexes.is_empty());
}
