//! `media ncp-mi …` against media-mock: typed JSON output of each workflow.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use media_mock::MockServer;
use serde_json::Value;

/// Runs `media` with the environment pointing every provider at `server`.
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

/// Runs `media ncp-mi ARGS --json`, asserts success, and returns the JSON lines.
async fn ncp(server: &MockServer, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["ncp-mi"];
    all.extend_from_slice(args);
    all.push("--json");
    let output = media(server, &all).await;
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn workspaces_list() {
    let server = MockServer::start().await;
    let lines = ncp(&server, &["workspaces", "list"]).await;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["workspaceName"], "my-workspace");
    assert_eq!(lines[0]["bucketName"], "media-in");
}

#[tokio::test(flavor = "multi_thread")]
async fn projects_create_list_delete() {
    let server = MockServer::start().await;
    let created = ncp(&server, &["projects", "create", "campaign-2026"]).await;
    assert_eq!(created[0]["name"], "campaign-2026");
    assert_eq!(created[0]["isBaseProject"], false);
    let id = created[0]["projectId"].as_u64().unwrap();
    let listed = ncp(&server, &["projects", "list"]).await;
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().any(|p| p["projectId"] == id));
    let deleted = ncp(&server, &["projects", "delete", &id.to_string()]).await;
    assert_eq!(deleted[0]["deleted"], id);
    assert_eq!(ncp(&server, &["projects", "list"]).await.len(), 2);
    // The base project cannot go: exit 1 with the service's code.
    let output = media(&server, &["ncp-mi", "projects", "delete", "1200"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("10027"));
}

#[tokio::test(flavor = "multi_thread")]
async fn analyze_with_wait_prints_the_status_then_the_index() {
    let server = MockServer::start().await;
    let lines = ncp(
        &server,
        &["analyze", "1001", "--wait", "--interval-ms", "5"],
    )
    .await;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["status"], "ANALYZE_COMPLETED");
    assert_eq!(lines[1]["assetId"], 1001);
    assert!(lines[1]["scenes"].is_array());
    // Without --wait: what the request answered; a second one conflicts (409, exit 1).
    let started = ncp(&server, &["analyze", "1002"]).await;
    assert_eq!(started[0]["status"], "WAIT_ANALYZE");
    let output = media(&server, &["ncp-mi", "analyze", "1002"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("409"));
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_with_wait_prints_the_summary() {
    let server = MockServer::start().await;
    ncp(
        &server,
        &["analyze", "1003", "--wait", "--interval-ms", "5"],
    )
    .await;
    let lines = ncp(
        &server,
        &["summary", "1003", "--wait", "--interval-ms", "5"],
    )
    .await;
    assert_eq!(lines[0]["status"], "SUMMARIZE_COMPLETED");
    assert_eq!(lines[1]["indexId"], 10003);
    assert!(lines[1]["sceneSummaryInfo"]["sceneSummaries"].is_array());
}

#[tokio::test(flavor = "multi_thread")]
async fn search_with_and_without_wait() {
    let server = MockServer::start().await;
    let started = ncp(&server, &["search", "sample video"]).await;
    assert!(started[0]["searchId"].is_string());
    let lines = ncp(
        &server,
        &["search", "sample", "--wait", "--interval-ms", "5"],
    )
    .await;
    assert_eq!(lines[0]["status"], "COMPLETED");
    assert_eq!(lines[0]["totalCount"], 3);
    assert_eq!(lines[0]["results"][0]["assetId"], 1001);
}

#[tokio::test(flavor = "multi_thread")]
async fn persons_list_create_merge() {
    let server = MockServer::start().await;
    let listed = ncp(&server, &["persons", "list"]).await;
    assert_eq!(listed.len(), 3);
    let named = ncp(&server, &["persons", "list", "--name", "홍길동"]).await;
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["personId"], 1003);

    // No tempfile dev-dependency here: a per-process file in the system temp dir.
    let face = std::env::temp_dir().join(format!("media-cli-ncp-face-{}.jpg", std::process::id()));
    std::fs::write(&face, [1u8; 1024]).unwrap();
    let created = ncp(
        &server,
        &[
            "persons",
            "create",
            "--thumbnail",
            face.to_str().unwrap(),
            "--name",
            "John Doe",
        ],
    )
    .await;
    assert_eq!(created[0]["name"], "John Doe");
    assert_eq!(created[0]["thumbnails"][0]["isPrimaryThumbnail"], true);
    let new_id = created[0]["personId"].as_u64().unwrap().to_string();

    let merged = ncp(&server, &["persons", "merge", "1001", "1002", &new_id]).await;
    assert_eq!(merged[0]["personId"], 1001);
    assert_eq!(merged[0]["thumbnails"].as_array().unwrap().len(), 3);
    assert_eq!(ncp(&server, &["persons", "list"]).await.len(), 2);
    let _ = std::fs::remove_file(&face);
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_puts_the_file_and_registers_it() {
    let server = MockServer::start().await;
    let file =
        std::env::temp_dir().join(format!("media-cli-ncp-upload-{}.mp4", std::process::id()));
    std::fs::write(&file, [5u8; 4096]).unwrap();
    let endpoint = format!("{}/_object-storage", server.ncp_mi_url());
    let output = media(
        &server,
        &[
            "ncp-mi",
            "upload",
            file.to_str().unwrap(),
            "--bucket",
            "media-in",
            "--key",
            "clips/cli.mp4",
            "--endpoint",
            &endpoint,
            "--wait",
            "--interval-ms",
            "5",
            "--json",
        ],
    )
    .await;
    let _ = std::fs::remove_file(&file);
    if output.status.success() {
        let asset: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(asset["key"], "clips/cli.mp4");
        assert_eq!(asset["metaData"]["size"], 4096);
    } else {
        // Built without ncp-mi's `object-storage` feature: a usage error that says so.
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("object-storage"));
    }
}
