//! Screenplay jobs over real HTTP: submit, poll with the wait helper, download the zip, cancel.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use std::time::Duration;

use common::{SEED_ID, assert_json_call, client, last};
use media_mock::MockServer;
use memories_v2::screenplay::{
    ScreenplayConfig, ScreenplayMode, ScreenplayParams, ScreenplayState,
};
use memories_v2::{Error, PollOptions};
use serde_json::json;

fn params() -> ScreenplayParams {
    ScreenplayParams::new(ScreenplayMode::ShortDrama, [SEED_ID, SEED_ID]).config(
        ScreenplayConfig::new()
            .language("en")
            .use_subtitle(true)
            .require_xlsx(false),
    )
}

#[tokio::test]
async fn submit_wait_download() {
    let server = MockServer::start().await;
    let client = client(&server);
    let task = client.screenplay().submit(&params()).await.unwrap();
    let request = last(&server, "/screenplay/tasks");
    assert_json_call(&request, "POST", "/screenplay/tasks");
    assert_eq!(
        request.json().unwrap(),
        json!({"mode": "short_drama", "episodes": {"1": SEED_ID, "2": SEED_ID},
               "config": {"language": "en", "use_subtitle": true, "require_xlsx": false}})
    );
    assert_eq!(task.status, ScreenplayState::Pending);
    assert_eq!(task.mode, Some(ScreenplayMode::ShortDrama));
    assert_eq!(
        task.created_at.unwrap().to_rfc3339(),
        "2026-01-05T08:30:00+00:00"
    );
    assert_eq!(task.total_duration_seconds, Some(181.0));
    assert!(
        memories_v2::ids::ScreenplayTaskId::parse(&task.task_id)
            .unwrap()
            .is_documented_shape()
    );

    // Not completed yet: the download answers the documented JSON error.
    let dir = tempfile::tempdir().unwrap();
    let err = client
        .screenplay()
        .download(&task.task_id, &dir.path().join("r.zip"), false)
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        Some("Task is not completed yet, current status: pending")
    );

    let mut seen = Vec::new();
    let done = client
        .screenplay()
        .wait_until_done(
            &task.task_id,
            &PollOptions::default().interval(Duration::from_millis(5)),
            |s| {
                seen.push((s.status.clone(), s.progress));
            },
        )
        .await
        .unwrap();
    assert_eq!(done.status, ScreenplayState::Completed);
    assert_eq!(seen[1].0, ScreenplayState::Running);
    let progress = seen[1].1.unwrap();
    assert_eq!(
        (progress.total_episodes, progress.completed_episodes),
        (2, 1)
    );
    let status_request = last(&server, &task.task_id);
    assert_eq!(status_request.method, "GET");

    let zip_path = dir.path().join("r.zip");
    let downloaded = client
        .screenplay()
        .download(&task.task_id, &zip_path, false)
        .await
        .unwrap();
    assert_eq!(downloaded.content_type.as_deref(), Some("application/zip"));
    assert_eq!(downloaded.file_name, Some(format!("{}.zip", task.task_id)));
    let files = client
        .screenplay()
        .download_and_extract(&task.task_id, &dir.path().join("out"))
        .await
        .unwrap();
    let mut names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "1_storyboard.json",
            "1_transcript.json",
            "2_storyboard.json",
            "2_transcript.json",
            "namelist.json"
        ]
    );
}

#[tokio::test]
async fn cancel_and_failures() {
    let server = MockServer::start().await;
    let client = client(&server);
    let task = client.screenplay().submit(&params()).await.unwrap();
    let cancelled = client.screenplay().cancel(&task.task_id).await.unwrap();
    assert_eq!(cancelled.status, ScreenplayState::Cancelled);
    assert_eq!(last(&server, &task.task_id).method, "DELETE");
    let err = client
        .screenplay()
        .wait_until_done(&task.task_id, &PollOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { reason, .. } if reason == "the task is cancelled"),
        "{err:?}"
    );
    assert!(client.screenplay().cancel(&task.task_id).await.is_err());

    let none = ScreenplayParams::new(ScreenplayMode::ShortDrama, [SEED_ID])
        .config(ScreenplayConfig::new().require_json(false));
    assert!(matches!(
        client.screenplay().submit(&none).await,
        Err(Error::InvalidInput(_))
    ));
    let empty = ScreenplayParams::new(ScreenplayMode::ShortDrama, Vec::<String>::new());
    assert!(matches!(
        client.screenplay().submit(&empty).await,
        Err(Error::InvalidInput(_))
    ));
    let unknown = ScreenplayParams::new(ScreenplayMode::ShortDrama, ["re_1"]);
    let err = client.screenplay().submit(&unknown).await.unwrap_err();
    assert_eq!(err.message(), Some("Invalid episode assets: re_1"));
    let err = client
        .screenplay()
        .status("ros-sd-20990101-00000000")
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        Some("Task not found for id: ros-sd-20990101-00000000")
    );
}

#[test]
fn failed_status_decodes() {
    let status: memories_v2::screenplay::ScreenplayStatus = serde_json::from_value(json!({
        "task_id": "ros-sd-20260105-1a2b3c4d", "status": "failed", "error_code": "E_ASSET", "error_message": "episode 2 is longer than 5 minutes"
    }))
    .unwrap();
    assert_eq!(status.status, ScreenplayState::Failed);
    assert_eq!(status.error_code.as_deref(), Some("E_ASSET"));
    let unknown: ScreenplayState = serde_json::from_value(json!("paused")).unwrap();
    assert_eq!(unknown, ScreenplayState::Unknown("paused".into()));
}
