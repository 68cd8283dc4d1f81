//! Video tasks (clip, split, edit) and the generic task endpoint over real HTTP.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use std::time::Duration;

use common::{SEED_ID, assert_json_call, client, last, receiver};
use media_mock::MockServer;
use memories_v2::tasks::TaskState;
use memories_v2::video::{EditParams, Orientation, SplitParams};
use memories_v2::{Error, PollOptions, UploadStatus};
use serde_json::json;

#[tokio::test]
async fn clip_detects_scenes_as_frame_ranges() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let task = client(&server).video().clip(SEED_ID).await.unwrap();
    let request = last(&server, "/video/clip");
    assert_json_call(&request, "POST", "/video/clip");
    assert_eq!(request.json().unwrap(), json!({"asset_id": SEED_ID}));
    let clip = task.wait(&receiver).await.unwrap();
    let scenes: Vec<(u64, u64)> = clip.scenes().iter().map(|s| (s.start, s.end)).collect();
    assert_eq!(scenes, [(0, 143), (144, 391)]);
    assert_eq!(clip.data.exec_time, Some(4.2));
    assert_eq!(clip.success, Some(true));
}

#[tokio::test]
async fn split_creates_segment_assets() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = client(&server);
    let task = client
        .video()
        .split(&SplitParams::new(SEED_ID).segment_seconds(30))
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/video/split").json().unwrap(),
        json!({"asset_id": SEED_ID, "segment_seconds": 30})
    );
    let split = task.wait(&receiver).await.unwrap();
    assert_eq!(split.splits.len(), 2);
    let first = &split.splits[0];
    assert_eq!(first.upload_status, UploadStatus::Success);
    assert_eq!(
        first.original_filename.as_deref(),
        Some("segment_video_660729180626595840_0")
    );
    // The new assets exist: their metadata is served.
    let metadata = client.assets().metadata(&first.asset_id).await.unwrap();
    assert_eq!(metadata.resource[0].file_size, first.file_size);
    // file_size is an integer in the callback, a string in metadata.
    let (_, webhook) = server.memories_v2_webhooks().pop().unwrap();
    assert!(webhook["data"]["splits"][0]["file_size"].is_u64());
    assert!(matches!(
        client
            .video()
            .split(&SplitParams::new(SEED_ID).segment_seconds(0))
            .await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn edit_composes_a_new_asset_and_validates_the_prompt() {
    let server = MockServer::start().await;
    let receiver = receiver(&server).await;
    let client = client(&server);
    let params = EditParams::new(
        [SEED_ID],
        Orientation::Portrait,
        "Cut a 20 second teaser with the fastest action shots",
    );
    let task = client.video().edit(&params).await.unwrap();
    assert_eq!(
        last(&server, "/video/edit").json().unwrap(),
        json!({"asset_ids": [SEED_ID], "orientation": "portrait",
               "user_prompt": "Cut a 20 second teaser with the fastest action shots"})
    );
    let edited = task.wait(&receiver).await.unwrap();
    assert_eq!(edited.original_filename.as_deref(), Some("final_video"));
    assert!(edited.asset_id.starts_with("re_"));

    for bad in [
        EditParams::new(Vec::<String>::new(), Orientation::Landscape, "x"),
        EditParams::new([SEED_ID], Orientation::Landscape, " "),
        EditParams::new([SEED_ID], Orientation::Landscape, "x".repeat(501)),
    ] {
        assert!(matches!(
            client.video().edit(&bad).await,
            Err(Error::InvalidInput(_))
        ));
    }
    // The server refuses unknown assets.
    let err = client
        .video()
        .edit(&EditParams::new(["re_1"], Orientation::Landscape, "go"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn task_status_polls_until_completed() {
    let server = MockServer::start().await;
    let _receiver = receiver(&server).await;
    let client = client(&server);
    let task = client.video().clip(SEED_ID).await.unwrap();
    let first = client.tasks().status(task.task_id()).await.unwrap();
    assert_eq!(first.status, TaskState::Pending);
    let request = last(&server, task.task_id());
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path,
        format!("{}/task/{}", common::PREFIX, task.task_id())
    );
    let mut seen = Vec::new();
    let done = client
        .tasks()
        .wait_until_done(
            task.task_id(),
            &PollOptions::default().interval(Duration::from_millis(5)),
            |s| seen.push(s.status.clone()),
        )
        .await
        .unwrap();
    assert_eq!(seen, [TaskState::Processing, TaskState::Completed]);
    assert_eq!(done.extra["result"]["data"]["exec_time"], 4.2);
    let err = client.tasks().status("0000").await.unwrap_err();
    assert_eq!(err.message(), Some("Task not found for id: 0000"));
}
