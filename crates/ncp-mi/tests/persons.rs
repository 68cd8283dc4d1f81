//! The Person group: registration, listing, search, merge, similarity, face images and
//! tags (the `POST …/remove` twins and the DELETE-with-body routes), over real HTTP.
#![allow(clippy::unwrap_used)]

mod common;

use common::{ROOT, assert_sent, client};
use futures::TryStreamExt;
use media_mock::MockServer;
use media_mock::credentials::NCP_WORKSPACE;
use ncp_mi::{
    Client, CreatePersonParams, Error, ListPersonsParams, NameType, Person, PersonSortColumn,
    SearchPersonsParams, SimilarityParams, SortType, ThumbnailRef, UpdatePersonParams, UploadState,
};
use serde_json::json;

const WS: &str = NCP_WORKSPACE;
const P: &str = "/workspaces/my-workspace/persons";
/// The catalog's example thumbnail key, which the mock knows as uploaded.
const JANE_KEY: &str = "persons/thumbnails/jane.jpg";

#[test]
fn older_and_newer_person_shapes_decode() {
    let old: Person =
        serde_json::from_value(json!({"id":7,"name":null,"tags":[{"id":100,"name":"vip"}],
        "thumbnails":[{"id":3002,"url":"https://x/3002.jpg","isPrimaryThumbnail":true}]}))
        .unwrap();
    assert_eq!(old.person_id(), Some(7));
    assert_eq!(old.name, None);
    assert_eq!(old.tags[0].id, 100);
    assert_eq!(old.tags[0].name.as_deref(), Some("vip"));
    assert_eq!(old.thumbnails[0].id, 3002);
    assert_eq!(old.thumbnails[0].url.as_deref(), Some("https://x/3002.jpg"));
    assert_eq!(old.thumbnails[0].is_primary_thumbnail, Some(true));
    // Both ids at once, as strings, and counts.
    let new: Person = serde_json::from_value(
        json!({"id":"8","personId":"8","name":"Jane Roe","description":"d",
        "assetCount":2,"sceneCount":"14","tags":null,"thumbnails":[],"newField":1}),
    )
    .unwrap();
    assert_eq!(new.person_id(), Some(8));
    assert_eq!(new.asset_count, Some(2));
    assert_eq!(new.scene_count, Some(14));
    assert!(new.tags.is_empty());
    assert_eq!(new.extra["newField"], 1);
}

async fn upload_face(client: &Client, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, vec![7u8; 2048]).unwrap();
    client
        .persons()
        .upload_thumbnail(WS, &path, None)
        .await
        .unwrap()
}

#[tokio::test]
async fn face_image_upload_then_register_get_edit_delete() {
    let server = MockServer::start().await;
    let client = client(&server);
    let key = upload_face(&client, "face.png").await;
    let requests = server.requests();
    assert_eq!(
        requests[0].path,
        format!(
            "{ROOT}{}",
            "/workspaces/my-workspace/person-thumbnail/uploads/presigned-url"
        )
    );
    assert_eq!(
        requests[0].json(),
        Some(json!({"thumbnailFileName":"face.png"}))
    );
    assert_eq!(requests[1].method, "PUT");
    assert_eq!(requests[1].header("x-ncp-apigw-signature-v2"), None);
    assert_eq!(requests[1].header("content-type"), Some("image/png"));
    assert_sent(
        &server,
        "POST",
        "/workspaces/my-workspace/person-thumbnail/uploads/complete",
        None,
        Some(json!({"thumbnailKey": key})),
    );

    let params = CreatePersonParams::new([ThumbnailRef::primary(&key)])
        .name("John Doe")
        .description("guest of episode 4");
    let created = client.persons().create(WS, &params).await.unwrap();
    assert_sent(
        &server,
        "POST",
        P,
        None,
        Some(
            json!({"name":"John Doe","description":"guest of episode 4","thumbnails":[{"thumbnailKey": key,"isPrimaryThumbnail":true}]}),
        ),
    );
    let id = created.person_id().unwrap();
    assert_eq!(created.name.as_deref(), Some("John Doe"));
    assert_eq!(created.thumbnails.len(), 1);

    let got = client.persons().retrieve(WS, id).await.unwrap();
    assert_sent(&server, "GET", &format!("{P}/{id}"), None, None);
    assert_eq!(got, created);

    let second = upload_face(&client, "side.jpg").await;
    let thumbs = client
        .persons()
        .add_thumbnails(WS, id, &[ThumbnailRef::secondary(&second)])
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/{id}/person-thumbnail"),
        None,
        Some(json!({"thumbnails":[{"thumbnailKey": second,"isPrimaryThumbnail":false}]})),
    );
    assert_eq!(thumbs.person_id, Some(id));
    assert_eq!(thumbs.thumbnail_list.len(), 2);
    let new_thumb = thumbs.thumbnail_list[1].id;

    let edited = client
        .persons()
        .update(
            WS,
            id,
            &UpdatePersonParams::new()
                .name("Johnny Doe")
                .primary_thumbnail_id(new_thumb),
        )
        .await
        .unwrap();
    assert_sent(
        &server,
        "PATCH",
        &format!("{P}/{id}"),
        None,
        Some(json!({"name":"Johnny Doe","primaryThumbnailId": new_thumb})),
    );
    assert_eq!(edited.name.as_deref(), Some("Johnny Doe"));
    assert!(
        edited
            .thumbnails
            .iter()
            .any(|t| t.id == new_thumb && t.is_primary_thumbnail == Some(true))
    );

    let remaining = client
        .persons()
        .remove_thumbnails(WS, id, &[new_thumb])
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/{id}/person-thumbnail/remove"),
        None,
        Some(json!({"thumbnailIds":[new_thumb]})),
    );
    assert_eq!(remaining.thumbnail_list.len(), 1);
    // The last face image cannot go.
    let last = remaining.thumbnail_list[0].id;
    let err = client
        .persons()
        .delete_thumbnails(WS, id, &[last])
        .await
        .unwrap_err();
    assert_sent(
        &server,
        "DELETE",
        &format!("{P}/{id}/person-thumbnail"),
        None,
        Some(json!({"thumbnailIds":[last]})),
    );
    assert_eq!(err.code(), Some("10001"));

    let deleted = client.persons().delete(WS, id).await.unwrap().unwrap();
    assert_sent(&server, "DELETE", &format!("{P}/{id}"), None, None);
    assert_eq!(deleted.person_id(), Some(id));
    assert!(
        client
            .persons()
            .retrieve(WS, id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn a_failed_thumbnail_upload_is_reported() {
    let server = MockServer::start().await;
    let client = client(&server);
    let upload = client
        .persons()
        .thumbnail_presigned_url(WS, "face.webp")
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        "/workspaces/my-workspace/person-thumbnail/uploads/presigned-url",
        None,
        Some(json!({"thumbnailFileName":"face.webp"})),
    );
    assert!(upload.url.starts_with("http://127.0.0.1"));
    assert_eq!(upload.expiration_seconds, Some(900));
    let status = client
        .persons()
        .complete_thumbnail_upload(WS, &upload.thumbnail_key)
        .await
        .unwrap();
    assert_eq!(status.upload_status, Some(UploadState::Failed));
    assert_eq!(status.upload_message.as_deref(), Some("FILE_NOT_EXIST"));
}

#[tokio::test]
async fn list_persons_with_a_korean_name_filter_and_tags() {
    let server = MockServer::start().await;
    let client = client(&server);
    let page = client
        .persons()
        .list(WS, &ListPersonsParams::new(1).name("홍길동"))
        .await
        .unwrap();
    // Signed exactly as sent, percent-encoding included (vector 4's shape).
    assert_sent(
        &server,
        "GET",
        P,
        Some("pageNum=1&name=%ED%99%8D%EA%B8%B8%EB%8F%99"),
        None,
    );
    assert_eq!(page.content.len(), 1);
    assert_eq!(page.content[0].person_id(), Some(1003));

    let tagged = client
        .persons()
        .list(
            WS,
            &ListPersonsParams::new(1).page_size(10).tag_ids([101, 203]),
        )
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        P,
        Some("pageNum=1&pageSize=10&tagIdList=101%2C203"),
        None,
    );
    assert_eq!(tagged.total_count, Some(2));

    let all: Vec<Person> = client
        .persons()
        .list_all(WS, &ListPersonsParams::new(1), 1)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);

    for bad in [
        ListPersonsParams::new(0),
        ListPersonsParams::new(1).page_size(1001),
        ListPersonsParams::new(1).name("x"),
        ListPersonsParams::new(1).tag_ids(0..31),
    ] {
        let before = server.requests().len();
        let err = client.persons().list(WS, &bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}");
        assert_eq!(server.requests().len(), before);
    }
}

#[tokio::test]
async fn search_persons_pages_in_the_body() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = SearchPersonsParams::new(1)
        .page_size(20)
        .name_type(NameType::Named)
        .sort(PersonSortColumn::AssetCount, SortType::Desc);
    let page = client.persons().search(WS, &params).await.unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/search"),
        None,
        Some(
            json!({"pageNum":1,"pageSize":20,"nameType":"NAMED","sortColumn":"ASSET_COUNT","sortType":"DESC"}),
        ),
    );
    let ids: Vec<_> = page
        .content
        .iter()
        .map(|p| p.person_id().unwrap())
        .collect();
    assert_eq!(ids, [1001, 1003]);
    let anonymous = client
        .persons()
        .search(
            WS,
            &SearchPersonsParams::new(1).name_type(NameType::Anonymous),
        )
        .await
        .unwrap();
    assert_eq!(anonymous.content[0].person_id(), Some(1002));
    let all: Vec<Person> = client
        .persons()
        .search_all(WS, &SearchPersonsParams::new(1), 2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let err = client
        .persons()
        .search(WS, &SearchPersonsParams::new(1).page_size(51))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn merge_similar_and_recommend() {
    let server = MockServer::start().await;
    let client = client(&server);
    let similar = client
        .persons()
        .similar(
            WS,
            1001,
            &SimilarityParams::new().person_count(2).score_threshold(85),
        )
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        &format!("{P}/1001/similar"),
        Some("personCount=2&scoreThreshold=85"),
        None,
    );
    assert_eq!(similar.person_id, Some(1001));
    assert_eq!(similar.similar_persons.len(), 2);
    assert_eq!(similar.similar_persons[0].person_id, Some(1002));
    assert!(similar.similar_persons[0].score.is_some());

    let recommended = client
        .persons()
        .recommend_by_thumbnail(WS, JANE_KEY, &SimilarityParams::new().person_count(1))
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/recommend-by-thumbnail"),
        None,
        Some(json!({"thumbnailKey": JANE_KEY, "personCount": 1})),
    );
    assert_eq!(recommended.similar_persons.len(), 1);

    let merged = client
        .persons()
        .merge(WS, 1001, &[1002])
        .await
        .unwrap()
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/1001/merge"),
        None,
        Some(json!({"personIds":[1002]})),
    );
    assert_eq!(merged.person_id(), Some(1001));
    assert_eq!(merged.thumbnails.len(), 2);
    assert_eq!(merged.asset_count, Some(3));
    assert!(
        client
            .persons()
            .retrieve(WS, 1002)
            .await
            .unwrap_err()
            .is_not_found()
    );

    for bad in [
        SimilarityParams::new().person_count(11),
        SimilarityParams::new().score_threshold(79),
    ] {
        let err = client.persons().similar(WS, 1001, &bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
    }
    let err = client.persons().merge(WS, 1001, &[1001]).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn tags_are_added_and_removed_through_both_routes() {
    let server = MockServer::start().await;
    let client = client(&server);
    let tags = client
        .persons()
        .add_tags(WS, 1002, &[100, 200, 100])
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/1002/person-tags"),
        None,
        Some(json!({"tagIds":[100,200,100]})),
    );
    assert_eq!(tags.person_id, Some(1002));
    assert_eq!(
        tags.tag_list.iter().map(|t| t.id).collect::<Vec<_>>(),
        [100, 200]
    );

    let tags = client
        .persons()
        .remove_tags(WS, 1002, &[100, 999])
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        &format!("{P}/1002/person-tags/remove"),
        None,
        Some(json!({"tagIds":[100,999]})),
    );
    assert_eq!(
        tags.tag_list.iter().map(|t| t.id).collect::<Vec<_>>(),
        [200]
    );

    let tags = client
        .persons()
        .delete_tags(WS, 1002, &[200])
        .await
        .unwrap();
    assert_sent(
        &server,
        "DELETE",
        &format!("{P}/1002/person-tags"),
        None,
        Some(json!({"tagIds":[200]})),
    );
    assert!(tags.tag_list.is_empty());

    let err = client.persons().add_tags(WS, 1002, &[]).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn person_params_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let two_primaries =
        CreatePersonParams::new([ThumbnailRef::primary("a"), ThumbnailRef::primary("b")]);
    let none_primary = CreatePersonParams::new([ThumbnailRef::secondary("a")]);
    let blank = CreatePersonParams::new([ThumbnailRef::primary("a")]).name("   ");
    let long = CreatePersonParams::new([ThumbnailRef::primary("a")]).name("x".repeat(51));
    let no_faces = CreatePersonParams::new([]);
    for bad in [two_primaries, none_primary, blank, long, no_faces] {
        let err = client.persons().create(WS, &bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}");
    }
    let err = client
        .persons()
        .update(WS, 1001, &UpdatePersonParams::new().description(""))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
    // An anonymous person: no name at all.
    let anonymous = client
        .persons()
        .create(
            WS,
            &CreatePersonParams::new([ThumbnailRef::primary(JANE_KEY)]),
        )
        .await
        .unwrap();
    assert_eq!(anonymous.name, None);
    assert_eq!(
        common::last(&server).json(),
        Some(json!({"thumbnails":[{"thumbnailKey": JANE_KEY,"isPrimaryThumbnail":true}]}))
    );
}
