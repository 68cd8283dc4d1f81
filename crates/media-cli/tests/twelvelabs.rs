//! `media twelvelabs …` against media-mock: indexes, upload (direct,
//! multipart, resumable, indexed and waited), search and tasks wait.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use media_mock::{MockServer, credentials};
use media_sdk::twelvelabs::{Client, Config, CreateTaskRequest};
use serde_json::Value;

async fn media(server: &MockServer, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_media"));
    command.args(args).env_clear();
    for (name, value) in server.env_vars() {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn lines(output: &Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn temp_file(tag: &str, name: &str, len: usize) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("media-cli-tl-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, vec![9u8; len]).unwrap();
    (dir, path)
}

#[tokio::test]
async fn indexes_create_list_get_delete() {
    let server = MockServer::start().await;
    let created = lines(
        &media(
            &server,
            &[
                "--json",
                "twelvelabs",
                "indexes",
                "create",
                "clips",
                "--options",
                "visual",
                "--thumbnails",
            ],
        )
        .await,
    );
    let id = created[0]["_id"].as_str().unwrap().to_owned();
    let request = server.requests().pop().unwrap();
    assert_eq!(
        request.json().unwrap(),
        serde_json::json!({"index_name": "clips", "models": [{"model_name": "marengo3.0", "model_options": ["visual"]}], "addons": ["thumbnail"]})
    );
    media(&server, &["twelvelabs", "indexes", "create", "more"]).await;

    let listed = lines(
        &media(
            &server,
            &[
                "--json",
                "twelvelabs",
                "indexes",
                "list",
                "--page-limit",
                "1",
            ],
        )
        .await,
    );
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["index_name"], "more");
    let got = lines(&media(&server, &["--json", "twelvelabs", "indexes", "get", &id]).await);
    assert_eq!(got[0]["addons"], serde_json::json!(["thumbnail"]));

    let deleted = lines(&media(&server, &["--json", "twelvelabs", "indexes", "delete", &id]).await);
    assert_eq!(deleted[0]["deleted"], id.as_str());
    let missing = media(&server, &["twelvelabs", "indexes", "get", &id]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("resource_not_exist"));
}

#[tokio::test]
async fn upload_index_and_wait_then_search() {
    let server = MockServer::start().await;
    let index = lines(&media(&server, &["--json", "twelvelabs", "indexes", "create", "i"]).await)
        [0]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (dir, path) = temp_file("direct", "game.mp4", 3000);
    let out = lines(
        &media(
            &server,
            &[
                "--json",
                "twelvelabs",
                "upload",
                path.to_str().unwrap(),
                "--index",
                &index,
                "--wait",
            ],
        )
        .await,
    );
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["status"], "ready");
    assert_eq!(out[0]["method"], "direct");
    assert_eq!(out[1]["status"], "ready");
    assert_eq!(out[1]["asset_id"], out[0]["_id"]);

    let hits = lines(
        &media(
            &server,
            &[
                "--json",
                "twelvelabs",
                "search",
                &index,
                "a goal",
                "--options",
                "visual,transcription",
                "--limit",
                "1",
            ],
        )
        .await,
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["rank"], 1);
    assert_eq!(hits[0]["video_id"], out[1]["_id"]);
    let search = server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/search"))
        .unwrap();
    assert!(
        search
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn multipart_upload_with_resume() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(1000);
    let (dir, path) = temp_file("resume", "long.mp4", 4500);
    let state = dir.join("state.json");
    let out = lines(
        &media(
            &server,
            &[
                "--json",
                "twelvelabs",
                "upload",
                path.to_str().unwrap(),
                "--resume",
                "--state",
                state.to_str().unwrap(),
                "--multipart-threshold",
                "1000",
                "--wait",
            ],
        )
        .await,
    );
    assert_eq!(out[0]["method"], "multipart");
    assert_eq!(out[0]["status"], "ready");
    assert_eq!(out[0]["size"], 4500);
    assert!(!state.exists());
    let puts = server
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(puts, 5);

    let bad = media(
        &server,
        &[
            "twelvelabs",
            "upload",
            "https://example.com/a.mp4",
            "--resume",
        ],
    )
    .await;
    assert_eq!(bad.status.code(), Some(2));
    let missing = media(&server, &["twelvelabs", "upload", "/no/such/file.mp4"]).await;
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn tasks_wait_follows_a_legacy_task() {
    let server = MockServer::start().await;
    let index = lines(&media(&server, &["--json", "twelvelabs", "indexes", "create", "t"]).await)
        [0]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let client =
        Client::new(Config::new(credentials::TWELVELABS_API_KEY).base_url(server.twelvelabs_url()))
            .unwrap();
    #[allow(deprecated)]
    let task = client
        .tasks()
        .create(&CreateTaskRequest::url(&index, "https://example.com/v.mp4"))
        .await
        .unwrap();
    let task_id = task.id.unwrap();
    let out = media(
        &server,
        &[
            "--json",
            "twelvelabs",
            "tasks",
            "wait",
            &task_id,
            "--interval",
            "0.01",
        ],
    )
    .await;
    let done = lines(&out);
    assert_eq!(done[0]["status"], "ready");
    assert_eq!(done[0]["_id"], task_id.as_str());
    assert!(String::from_utf8_lossy(&out.stderr).contains("indexing"));
}
