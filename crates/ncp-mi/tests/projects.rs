//! The Project group over real HTTP against media-mock.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_sent, client};
use media_mock::MockServer;
use ncp_mi::{Error, ErrorCode, Project, ProjectList, ProjectParams, Timestamp};
use serde_json::json;

const WS: &str = "my-workspace";

#[test]
fn the_catalog_example_decodes_every_field() {
    let body = json!({"projects":[{"projectId":1201,"name":"Base project","isBaseProject":true,"createdUserName":"kim","createdTime":"2026-03-02T10:11:12","updatedUserName":"kim","updatedTime":"2026-03-02T10:11:12"}],"totalCount":1});
    let list: ProjectList = serde_json::from_value(body).unwrap();
    assert_eq!(list.total_count, Some(1));
    let p: &Project = &list.projects[0];
    assert_eq!(p.project_id, 1201);
    assert_eq!(p.name.as_deref(), Some("Base project"));
    assert_eq!(p.is_base_project, Some(true));
    assert_eq!(p.created_user_name.as_deref(), Some("kim"));
    let t = Some(Timestamp::Naive("2026-03-02T10:11:12".parse().unwrap()));
    assert_eq!(p.created_time, t);
    assert_eq!(p.updated_user_name.as_deref(), Some("kim"));
    assert_eq!(p.updated_time, t);
}

#[tokio::test]
async fn create_list_get_rename_delete() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .projects()
        .create(WS, &ProjectParams::new("campaign-2026"))
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        "/workspaces/my-workspace/projects",
        None,
        Some(json!({"name":"campaign-2026"})),
    );
    assert_eq!(created.name.as_deref(), Some("campaign-2026"));
    assert_eq!(created.is_base_project, Some(false));
    let id = created.project_id;

    let list = client.projects().list(WS).await.unwrap();
    assert_sent(
        &server,
        "GET",
        "/workspaces/my-workspace/projects",
        None,
        None,
    );
    assert_eq!(list.total_count, Some(3));
    assert!(
        list.projects
            .iter()
            .any(|p| p.is_base_project == Some(true))
    );
    assert!(list.projects.iter().any(|p| p.project_id == id));

    let detail = client.projects().retrieve(WS, id).await.unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("/workspaces/my-workspace/projects/{id}"),
        None,
        None,
    );
    assert_eq!(detail, created);

    let renamed = client
        .projects()
        .update(WS, id, &ProjectParams::new("campaign-2027"))
        .await
        .unwrap();
    assert_sent(
        &server,
        "PATCH",
        &format!("/workspaces/my-workspace/projects/{id}"),
        None,
        Some(json!({"name":"campaign-2027"})),
    );
    assert_eq!(renamed.name.as_deref(), Some("campaign-2027"));

    client.projects().delete(WS, id).await.unwrap();
    assert_sent(
        &server,
        "DELETE",
        &format!("/workspaces/my-workspace/projects/{id}"),
        None,
        None,
    );
    assert!(client.projects().retrieve(WS, id).await.is_err());
}

#[tokio::test]
async fn the_base_project_cannot_be_renamed_or_deleted() {
    let server = MockServer::start().await;
    let client = client(&server);
    let base = client
        .projects()
        .list(WS)
        .await
        .unwrap()
        .projects
        .into_iter()
        .find(|p| p.is_base_project == Some(true))
        .unwrap();
    let err = client
        .projects()
        .delete(WS, base.project_id)
        .await
        .unwrap_err();
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::BaseProjectNotAllowed));
    assert_eq!(err.http_status(), Some(400));
    let err = client
        .projects()
        .update(WS, base.project_id, &ProjectParams::new("x"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("10027"));
}

#[tokio::test]
async fn names_with_forbidden_characters_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for bad in ["", "  ", "a;b", "a|b", "a`b"] {
        let err = client
            .projects()
            .create(WS, &ProjectParams::new(bad))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}: {err:?}");
    }
    assert!(server.requests().is_empty());
}
