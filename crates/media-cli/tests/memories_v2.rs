//! `media memories-v2 …` against media-mock: upload (and --wait), metadata, download, frames
//! (through a real webhook), transcribe, search (streamed) and delete, with `--json` output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use media_mock::MockServer;
use serde_json::Value;

const SEED_ID: &str = "re_660729180626595840";

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "media-cli-memories-v2-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

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
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test]
async fn upload_and_wait_then_metadata_download_delete() {
    let server = MockServer::start().await;
    let dir = TempDir::new("upload");
    let file = dir.path().join("talk.mp4");
    std::fs::write(&file, b"fake video bytes").unwrap();
    let file = file.to_str().unwrap();

    let uploaded = lines(&media(&server, &["--json", "memories-v2", "upload", file]).await);
    let asset_id = uploaded[0]["asset_id"].as_str().unwrap().to_owned();
    assert!(asset_id.starts_with("re_"));

    let waited = lines(
        &media(
            &server,
            &[
                "--json",
                "memories-v2",
                "upload",
                file,
                "--wait",
                "--poll-secs",
                "0.05",
            ],
        )
        .await,
    );
    assert_eq!(waited.len(), 1);
    assert_eq!(waited[0]["upload_status"], "SUCCESS");
    assert_eq!(waited[0]["original_filename"], "talk.mp4");
    assert_eq!(waited[0]["file_size"], "16");

    let metadata = lines(&media(&server, &["--json", "memories-v2", "metadata", &asset_id]).await);
    assert_eq!(metadata[0]["resource"][0]["asset_id"], asset_id);

    let out = dir.path().join("copy.mp4");
    let downloaded = lines(
        &media(
            &server,
            &[
                "--json",
                "memories-v2",
                "download",
                &asset_id,
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .await,
    );
    assert_eq!(downloaded[0]["bytes"], 16);
    assert_eq!(std::fs::read(&out).unwrap(), b"fake video bytes");

    let deleted = lines(&media(&server, &["--json", "memories-v2", "delete", &asset_id]).await);
    assert_eq!(deleted[0]["deleted"], asset_id);
    let again = media(&server, &["--json", "memories-v2", "delete", &asset_id]).await;
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("Asset not found"));
}

#[tokio::test]
async fn frames_waits_for_the_webhook_and_writes_every_frame() {
    let server = MockServer::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    server.set_memories_v2_webhook_url(Some(&format!("http://{listen}/memories/webhook")));
    // The webhook must not arrive before the CLI listens: give it time to bind.
    server.set_memories_v2_webhook_delay(std::time::Duration::from_millis(300));
    let dir = TempDir::new("frames");
    let out = dir.path().join("frames");
    let result = lines(
        &media(
            &server,
            &[
                "--json",
                "memories-v2",
                "frames",
                SEED_ID,
                "--out",
                out.to_str().unwrap(),
                "--webhook-listen",
                &listen,
            ],
        )
        .await,
    );
    let result = &result[0];
    assert!(result["asset_id"].as_str().unwrap().starts_with("im_"));
    assert_eq!(result["asset_ch_ids"].as_array().unwrap().len(), 3);
    let files = result["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    for file in files {
        assert!(std::path::Path::new(file.as_str().unwrap()).is_file());
    }
    let (url, body) = server.memories_v2_webhooks().pop().unwrap();
    assert_eq!(url, format!("http://{listen}/memories/webhook"));
    assert_eq!(body["task_id"], result["task_id"]);
}

#[tokio::test]
async fn frames_without_a_registered_webhook_fails_cleanly() {
    let server = MockServer::start().await;
    let dir = TempDir::new("noweb");
    let output = media(
        &server,
        &[
            "memories-v2",
            "frames",
            SEED_ID,
            "--out",
            dir.path().to_str().unwrap(),
            "--webhook-listen",
            "127.0.0.1:0",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("An async request requires at least one webhook.")
    );
}

#[tokio::test]
async fn transcribe_and_search() {
    let server = MockServer::start().await;
    let transcript = lines(
        &media(
            &server,
            &["--json", "memories-v2", "transcribe", SEED_ID, "--speaker"],
        )
        .await,
    );
    assert_eq!(transcript[0]["model"], "whisper-1");
    assert_eq!(transcript[0]["items"][0]["speaker"], "SPEAKER_00");

    let events = lines(
        &media(
            &server,
            &[
                "--json",
                "memories-v2",
                "search",
                "cold brew tutorials",
                "--platforms",
                "tiktok,youtube",
                "--max-results",
                "5",
            ],
        )
        .await,
    );
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "started",
            "progress",
            "tool_call",
            "tool_result",
            "complete"
        ]
    );
    assert_eq!(events[4]["data"]["answer"], "Three strong picks.");
    let request = server
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/queries/stream"))
        .unwrap();
    assert_eq!(
        request.json().unwrap()["platforms"],
        serde_json::json!(["tiktok", "youtube"])
    );

    let bad = media(
        &server,
        &["memories-v2", "search", "q", "--platforms", "myspace"],
    )
    .await;
    assert_eq!(bad.status.code(), Some(2));
}
