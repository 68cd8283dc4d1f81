//! The Workspace group over real HTTP against media-mock.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_sent, client};
use futures::TryStreamExt;
use media_mock::MockServer;
use ncp_mi::{CreateWorkspaceParams, Error, ErrorCode, ListWorkspacesParams, Timestamp, Workspace};
use serde_json::json;

#[allow(clippy::unnecessary_wraps)] // compared with `Option` fields
fn naive(text: &str) -> Option<Timestamp> {
    Some(Timestamp::Naive(text.parse().unwrap()))
}

#[test]
fn the_catalog_example_decodes_every_field() {
    let body = r#"{"code":"0","message":"success","result":{"workspaceName":"demo-ws","workspaceUrl":"https://mi.apigw.ntruss.com/api/v1/workspaces/demo-ws","bucketName":"media-in","monthlyAnalysisCount":12,"createdUserName":"kim","createdTime":"2026-03-02T10:11:12","updatedUserName":"kim","updatedTime":"2026-03-05T08:00:00"}}"#;
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    let ws: Workspace = serde_json::from_value(value["result"].clone()).unwrap();
    assert_eq!(ws.workspace_name, "demo-ws");
    assert_eq!(
        ws.workspace_url.as_deref(),
        Some("https://mi.apigw.ntruss.com/api/v1/workspaces/demo-ws")
    );
    assert_eq!(ws.bucket_name.as_deref(), Some("media-in"));
    assert_eq!(ws.monthly_analysis_count, Some(12));
    assert_eq!(ws.created_user_name.as_deref(), Some("kim"));
    assert_eq!(ws.created_time, naive("2026-03-02T10:11:12"));
    assert_eq!(ws.updated_user_name.as_deref(), Some("kim"));
    assert_eq!(ws.updated_time, naive("2026-03-05T08:00:00"));
}

#[tokio::test]
async fn list_workspaces_pages_and_streams() {
    let server = MockServer::start().await;
    let client = client(&server);
    let page = client
        .workspaces()
        .list(&ListWorkspacesParams::new(1).page_size(100))
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        "/workspaces",
        Some("pageNum=1&pageSize=100"),
        None,
    );
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.page_no, Some(1));
    assert_eq!(page.page_size, Some(100));
    assert_eq!(page.content[0].workspace_name, "my-workspace");
    assert_eq!(page.content[0].bucket_name.as_deref(), Some("media-in"));
    for name in ["ws-two", "ws-three"] {
        client
            .workspaces()
            .create(&CreateWorkspaceParams::new(name))
            .await
            .unwrap();
    }
    let all: Vec<Workspace> = client.workspaces().list_all(2).try_collect().await.unwrap();
    assert_eq!(all.len(), 3);
    let err = client
        .workspaces()
        .list(&ListWorkspacesParams::new(1).page_size(1001))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
}

#[tokio::test]
async fn create_get_and_delete_a_workspace() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .workspaces()
        .create(&CreateWorkspaceParams::new("demo-ws").bucket_name("media-in"))
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        "/workspaces",
        None,
        Some(json!({"workspaceName":"demo-ws","bucketName":"media-in"})),
    );
    assert_eq!(created.workspace_name, "demo-ws");
    assert!(created.created_time.is_some());

    let detail = client.workspaces().retrieve("demo-ws").await.unwrap();
    assert_sent(&server, "GET", "/workspaces/demo-ws", None, None);
    assert_eq!(detail.bucket_name.as_deref(), Some("media-in"));
    assert_eq!(detail.monthly_analysis_count, Some(0));

    let deleted = client.workspaces().delete("demo-ws").await.unwrap();
    assert_sent(&server, "DELETE", "/workspaces/demo-ws", None, None);
    assert_eq!(deleted.workspace_name.as_deref(), Some("demo-ws"));
    let err = client.workspaces().retrieve("demo-ws").await.unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::InvalidRequest));
}

#[tokio::test]
async fn workspace_names_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for bad in ["ab", "Upper-case", "under_score", &"x".repeat(64)] {
        let err = client
            .workspaces()
            .create(&CreateWorkspaceParams::new(bad))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad}: {err:?}");
    }
    assert!(server.requests().is_empty());
    // A duplicate is the service's 10001.
    let err = client
        .workspaces()
        .create(&CreateWorkspaceParams::new("my-workspace"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("10001"));
}
