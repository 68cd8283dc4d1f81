//! `media twelvelabs analyze|embed` against media-mock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use media_mock::MockServer;
use serde_json::Value;

const ASSET: &str = "6298d673f1090f1100476d4c";

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

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test]
async fn analyze_prints_the_answer() {
    let server = MockServer::start().await;
    let out = stdout(
        &media(
            &server,
            &["twelvelabs", "analyze", ASSET, "--prompt", "What happens?"],
        )
        .await,
    );
    assert_eq!(
        out.trim(),
        format!("The video {ASSET} shows what you asked about: What happens?.")
    );
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(sent["stream"], false);
    assert_eq!(sent["video"]["asset_id"], ASSET);
}

#[tokio::test]
async fn analyze_streams_text_and_json() {
    let server = MockServer::start().await;
    let out = stdout(
        &media(
            &server,
            &[
                "twelvelabs",
                "analyze",
                "https://x/v.mp4",
                "--prompt",
                "Go",
                "--stream",
            ],
        )
        .await,
    );
    assert_eq!(
        out,
        "The video https://x/v.mp4 shows what you asked about: Go.\n"
    );
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap()["stream"],
        true
    );

    let out = stdout(
        &media(
            &server,
            &[
                "--json",
                "twelvelabs",
                "analyze",
                ASSET,
                "--prompt",
                "Go",
                "--stream",
            ],
        )
        .await,
    );
    let value: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(value["finish_reason"], "stop");
    assert!(value["data"].as_str().unwrap().ends_with("Go."));
    assert!(value["generation_id"].is_string());
}

#[tokio::test]
async fn analyze_reports_provider_errors() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &["twelvelabs", "analyze", "missing-asset", "--prompt", "x"],
    )
    .await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("resource_not_exist"));
}

#[tokio::test]
async fn embed_text_url_and_file() {
    let server = MockServer::start().await;
    let out = stdout(&media(&server, &["--json", "twelvelabs", "embed", "a red car"]).await);
    let value: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(value["data"][0]["embedding"].as_array().unwrap().len(), 8);
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap()["text"]["input_text"],
        "a red car"
    );

    let out = stdout(
        &media(
            &server,
            &["--json", "twelvelabs", "embed", "https://x/clip.mp4"],
        )
        .await,
    );
    let value: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(value["metadata"]["input_type"], "video");

    let path = std::env::temp_dir().join(format!("media-cli-embed-{}.png", std::process::id()));
    std::fs::write(&path, b"foo").unwrap();
    let out = stdout(
        &media(
            &server,
            &["--json", "twelvelabs", "embed", path.to_str().unwrap()],
        )
        .await,
    );
    assert!(out.contains("embedding"));
    let sent = server.requests().pop().unwrap().json().unwrap();
    assert_eq!(sent["input_type"], "image");
    assert_eq!(sent["image"]["media_source"]["base64_string"], "Zm9v");
    std::fs::remove_file(path).ok();
}
