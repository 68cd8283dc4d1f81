//! The neutral commands against media-mock for every provider: `media assets
//! upload` (with `--wait`), `media assets delete`, `media assets list`, and
//! `media frames` end to end through a real webhook.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use media_mock::MockServer;
use serde_json::Value;

/// Runs `media` with the environment pointing every provider at `server`, plus `extra`.
async fn media(server: &MockServer, extra: &[(&str, String)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_media"));
    command.args(args).env_clear();
    for (name, value) in server.env_vars() {
        command.env(name, value);
    }
    for (name, value) in extra {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn json_lines(output: &Output) -> Vec<Value> {
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

fn video_file(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("clip.mp4");
    std::fs::write(&path, vec![7u8; 300_000]).unwrap();
    path.to_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_provider_uploads_a_file_waits_until_ready_and_deletes_it() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = video_file(&dir);
    for provider in ["memories-v1", "memories-v2", "twelvelabs", "ncp-mi"] {
        let uploaded = json_lines(
            &media(
                &server,
                &[],
                &[
                    "--json",
                    "assets",
                    "upload",
                    &file,
                    "--provider",
                    provider,
                    "--wait",
                ],
            )
            .await,
        );
        assert_eq!(uploaded.len(), 1, "{provider}");
        let asset = &uploaded[0];
        assert_eq!(asset["provider"], provider);
        // ncp-mi assets carry no processing state (analysis is a separate job).
        let expected = if provider == "ncp-mi" {
            Value::Null
        } else {
            Value::from("ready")
        };
        assert_eq!(asset["status"], expected, "{provider}: {asset}");
        let id = asset["id"].as_str().unwrap().to_owned();
        assert!(!id.is_empty(), "{provider}");

        let fetched = json_lines(
            &media(
                &server,
                &[],
                &["--json", "assets", "get", &id, "--provider", provider],
            )
            .await,
        );
        assert_eq!(fetched[0]["id"], id.as_str(), "{provider}");

        let deleted = json_lines(
            &media(
                &server,
                &[],
                &["--json", "assets", "delete", &id, "--provider", provider],
            )
            .await,
        );
        assert_eq!(deleted[0]["deleted"], true, "{provider}");
        assert_eq!(deleted[0]["id"], id.as_str(), "{provider}");
    }
}

#[tokio::test]
async fn a_missing_file_is_bad_usage_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &[],
        &[
            "assets",
            "upload",
            "/nonexistent/clip.mp4",
            "--provider",
            "twelvelabs",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such file"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn memories_v1_lists_through_the_neutral_interface() {
    let server = MockServer::start().await;
    let assets = json_lines(
        &media(
            &server,
            &[],
            &["--json", "assets", "list", "--provider", "memories-v1"],
        )
        .await,
    );
    assert!(!assets.is_empty());
    assert!(assets.iter().all(|a| a["provider"] == "memories-v1"));
}

#[tokio::test]
async fn frames_are_extracted_through_the_webhook_and_saved() {
    let server = MockServer::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    server.set_memories_v2_webhook_url(Some(&format!("http://{listen}/memories/webhook")));
    // The webhook must not arrive before the command listens.
    server.set_memories_v2_webhook_delay(std::time::Duration::from_millis(300));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("frames");
    let frames = json_lines(
        &media(
            &server,
            &[("MEMORIES_V2_WEBHOOK_LISTEN", listen.clone())],
            &[
                "--json",
                "frames",
                "re_660729180626595840",
                "--provider",
                "memories-v2",
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .await,
    );
    assert_eq!(frames.len(), 3);
    for frame in &frames {
        assert_eq!(frame["provider"], "memories-v2");
        assert_eq!(frame["kind"], "image");
        assert!(frame["id"].as_str().unwrap().starts_with("imc_"));
    }
    let saved = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(saved, 3);
}

#[tokio::test]
async fn providers_without_frames_say_so() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &[],
        &[
            "frames",
            "6298d673f1090f1100476d4c",
            "--provider",
            "twelvelabs",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not extract frames"));
}
