//! The Search group: the query-image upload flow, the asynchronous search and
//! `wait_for_search`, and the superseded scene search, over real HTTP against media-mock.
#![allow(clippy::unwrap_used)]

mod common;

use common::{ROOT, assert_sent, client, fast};
use futures::TryStreamExt;
use media_mock::MockServer;
use media_mock::credentials::NCP_WORKSPACE;
use ncp_mi::{
    Clause, ConfidenceLevel, Error, QueryImageUpload, SearchHit, SearchParams, SearchResult,
    SearchResultParams, SearchStatus, UploadState,
};
use serde_json::json;

const WS: &str = NCP_WORKSPACE;

#[test]
fn the_catalog_examples_decode() {
    let upload: QueryImageUpload = serde_json::from_value(json!({"assetFileKey":"images/ab12/query.jpg","presignedUploadUrl":"https://kr.object.ncloudstorage.com/...","expirationSeconds":900})).unwrap();
    assert_eq!(upload.asset_file_key, "images/ab12/query.jpg");
    assert_eq!(
        upload.presigned_upload_url,
        "https://kr.object.ncloudstorage.com/..."
    );
    assert_eq!(upload.expiration_seconds, Some(900));
    let running: SearchResult =
        serde_json::from_value(json!({"searchId":"Qx81LmZpT0aa7","status":"RUNNING"})).unwrap();
    assert_eq!(running.search_id.as_deref(), Some("Qx81LmZpT0aa7"));
    assert_eq!(running.status, SearchStatus::Running);
    assert!(running.results.is_empty() && running.total_count.is_none());
    let body = SearchParams::text("people shaking hands on stage")
        .persons(Clause::new().any([1001, 1002]))
        .dialog(Clause::new().not(["spoiler".to_owned()]))
        .confidence_level(ConfidenceLevel::Medium);
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"query":{"textQuery":"people shaking hands on stage","personQuery":{"any":[1001,1002]},"dialogQuery":{"not":["spoiler"]}},"queryOption":{"confidenceLevel":"MEDIUM"}})
    );
}

#[tokio::test]
async fn text_search_request_poll_and_page() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = SearchParams::text("sample video").confidence_level(ConfidenceLevel::High);
    let started = client.search().request(WS, &params).await.unwrap();
    assert_sent(
        &server,
        "POST",
        "/workspaces/my-workspace/assets/search",
        None,
        Some(
            json!({"query":{"textQuery":"sample video"},"queryOption":{"confidenceLevel":"HIGH"}}),
        ),
    );
    let id = started.search_id;

    let first = client
        .search()
        .result(WS, &id, &SearchResultParams::new().page_size(2).page_num(1))
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("/workspaces/my-workspace/assets/search/{id}"),
        Some("pageSize=2&pageNum=1"),
        None,
    );
    assert_eq!(first.status, SearchStatus::Running);

    let mut polls = 0;
    let done = client
        .search()
        .wait_for_search(
            WS,
            &id,
            &SearchResultParams::new().page_size(2),
            &fast(),
            |_| polls += 1,
        )
        .await
        .unwrap();
    assert_eq!(polls, 1);
    assert_eq!(done.status, SearchStatus::Completed);
    assert_eq!(done.total_count, Some(3));
    assert_eq!(done.total_page, Some(2));
    assert_eq!(done.page_no, Some(1));
    let hit = &done.results[0];
    assert_eq!(hit.asset_id, Some(1001));
    assert_eq!(hit.project_id, Some(1234));
    assert!(hit.score.unwrap() > 0.9);
    assert_eq!(hit.extra["sceneId"], 1);

    let all: Vec<SearchHit> = client
        .search()
        .results_all(WS, &id, 2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn a_failed_search_ends_the_wait() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = client
        .search()
        .request(WS, &SearchParams::text("please fail"))
        .await
        .unwrap()
        .search_id;
    let err = client
        .search()
        .wait_for_search(WS, &id, &SearchResultParams::new(), &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { task_id, .. } if *task_id == id),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_query_image_flow_uploads_unsigned_then_searches() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("query.jpg");
    std::fs::write(&path, vec![0xFF; 4096]).unwrap();

    let key = client
        .search()
        .upload_query_image(&path, None)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(
        requests[0].path,
        format!("{ROOT}/query-assets/uploads/presigned-url")
    );
    assert_eq!(
        requests[0].json(),
        Some(json!({"assetType":"IMAGE","assetFileName":"query.jpg"}))
    );
    assert!(common::verifies(&requests[0]));
    // The PUT goes to the presigned URL, with the bytes and no NCP signature.
    assert_eq!(requests[1].method, "PUT");
    assert!(
        requests[1].path.ends_with("/query.jpg"),
        "{}",
        requests[1].path
    );
    assert_eq!(requests[1].body.len(), 4096);
    assert_eq!(requests[1].header("content-type"), Some("image/jpeg"));
    assert_eq!(requests[1].header("x-ncp-apigw-signature-v2"), None);
    assert_eq!(requests[1].header("x-ncp-iam-access-key"), None);
    assert_eq!(
        requests[2].path,
        format!("{ROOT}/query-assets/uploads/complete")
    );
    assert_eq!(requests[2].json(), Some(json!({"assetKey": key})));

    let id = client
        .search()
        .request(WS, &SearchParams::image(&key))
        .await
        .unwrap()
        .search_id;
    assert_eq!(last_json(&server), json!({"query":{"imageQuery": key}}));
    let done = client
        .search()
        .wait_for_search(WS, &id, &SearchResultParams::new(), &fast(), |_| {})
        .await
        .unwrap();
    assert_eq!(done.total_count, Some(3));
}

fn last_json(server: &MockServer) -> serde_json::Value {
    common::last(server).json().unwrap()
}

#[tokio::test]
async fn an_unconfirmed_upload_reports_the_reason() {
    let server = MockServer::start().await;
    let client = client(&server);
    let upload = client.search().presigned_url("q.png").await.unwrap();
    assert_eq!(upload.expiration_seconds, Some(900));
    let status = client
        .search()
        .complete_upload(&upload.asset_file_key)
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        "/query-assets/uploads/complete",
        None,
        Some(json!({"assetKey": upload.asset_file_key})),
    );
    assert_eq!(status.upload_status, Some(UploadState::Failed));
    assert_eq!(status.upload_message.as_deref(), Some("FILE_NOT_EXIST"));
    let err = status.into_result(&upload.asset_file_key).unwrap_err();
    assert!(err.to_string().contains("FILE_NOT_EXIST"), "{err}");
}

#[tokio::test]
async fn search_params_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut both = SearchParams::text("a");
    both.query.image_query = Some("k".into());
    for bad in [
        SearchParams::text(""),
        SearchParams::text("drop;table"),
        SearchParams::text("x".repeat(1001)),
        both,
        SearchParams::text("ok").dialog(Clause::new().must(["a|b".to_owned()])),
    ] {
        let err = client.search().request(WS, &bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}");
    }
    for bad in [
        SearchResultParams::new().page_size(101),
        SearchResultParams::new().page_size(0),
        SearchResultParams::new().page_num(0),
    ] {
        let err = client.search().result(WS, "id", &bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
#[allow(deprecated)]
async fn the_superseded_scene_search() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = client
        .search()
        .scene_search(&SearchParams::text("sample"))
        .await
        .unwrap()
        .search_id;
    assert_sent(
        &server,
        "POST",
        "/scene-search",
        None,
        Some(json!({"query":{"textQuery":"sample"}})),
    );
    let running = client
        .search()
        .scene_search_result(WS, &id, &SearchResultParams::new().page_num(1))
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("/workspaces/my-workspace/scene-search/{id}"),
        Some("pageNum=1"),
        None,
    );
    assert_eq!(running.status, SearchStatus::Running);
    let done = client
        .search()
        .scene_search_result(WS, &id, &SearchResultParams::new())
        .await
        .unwrap();
    assert_eq!(done.status, SearchStatus::Completed);
    assert_eq!(done.total_count, Some(3));
}
