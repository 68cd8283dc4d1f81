//! The `media` binary against media-mock: the neutral JSON schema, tables,
//! and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use media_mock::MockServer;
use serde_json::Value;

const NEUTRAL_KEYS: [&str; 13] = [
    "created_at",
    "duration_secs",
    "fps",
    "height",
    "id",
    "kind",
    "mime",
    "name",
    "provider",
    "size_bytes",
    "status",
    "updated_at",
    "width",
];

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

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn assert_neutral_schema(value: &Value) {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, NEUTRAL_KEYS);
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn get_prints_the_neutral_asset_as_json() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &[
            "assets",
            "get",
            "6298d673f1090f1100476d4c",
            "--provider",
            "twelvelabs",
            "--json",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1);
    let asset = &lines[0];
    assert_neutral_schema(asset);
    assert_eq!(asset["provider"], "twelvelabs");
    assert_eq!(asset["id"], "6298d673f1090f1100476d4c");
    assert_eq!(asset["name"], "image-01.jpg");
    assert_eq!(asset["kind"], "image");
    assert_eq!(asset["mime"], "image/jpeg");
    assert_eq!(asset["size_bytes"], 104_857_600);
    assert_eq!(asset["duration_secs"], 120.5);
    assert_eq!(asset["status"], "ready");
    assert_eq!(asset["created_at"], "2022-06-02T10:30:00Z");
    assert!(asset["updated_at"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn get_works_for_both_memories_apis() {
    let server = MockServer::start().await;
    let v1 = media(
        &server,
        &[
            "assets",
            "get",
            "VI606404158946574336",
            "-p",
            "memories-v1",
            "--json",
        ],
    )
    .await;
    assert!(v1.status.success(), "{}", stderr(&v1));
    let asset = &json_lines(&v1)[0];
    assert_neutral_schema(asset);
    assert_eq!(asset["kind"], "video");
    assert_eq!(asset["duration_secs"], 12.0);
    assert_eq!(asset["width"], 1280);
    assert_eq!(asset["status"], "ready");
    assert_eq!(asset["created_at"], "2025-08-01T08:33:37.992Z");

    let v2 = media(
        &server,
        &[
            "assets",
            "get",
            "re_660729180626595840",
            "-p",
            "memories-v2",
            "--json",
        ],
    )
    .await;
    assert!(v2.status.success(), "{}", stderr(&v2));
    let asset = &json_lines(&v2)[0];
    assert_neutral_schema(asset);
    assert_eq!(asset["size_bytes"], 133_652_816);
    assert_eq!(asset["created_at"], "2025-12-29T06:21:57.192Z");
    assert_eq!(asset["kind"], "video");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_streams_every_page_as_json_lines() {
    let server = MockServer::start().await;
    for id in 2000..2012u64 {
        server.seed_ncp_mi_asset(
            "my-workspace",
            1234,
            serde_json::json!({"assetId": id, "fileName": format!("clip-{id}.mp4"), "projectId": 1234,
                "metaData": {"resolution": "1920x1080", "durationMs": 1000, "size": 10, "format": "mp4"}}),
        );
    }
    let output = media(
        &server,
        &[
            "assets",
            "list",
            "-p",
            "ncp-mi",
            "--page-size",
            "5",
            "--json",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 15);
    for line in &lines {
        assert_neutral_schema(line);
        assert_eq!(line["provider"], "ncp-mi");
    }
    assert_eq!(lines[0]["id"], "1001");
    assert_eq!(lines[0]["duration_secs"], 91.565);
    assert_eq!(lines[0]["width"], 1280);
    assert_eq!(lines[0]["created_at"], "2025-04-23T07:49:24Z");
    let pages = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/assets"))
        .count();
    assert_eq!(pages, 3);

    let limited = media(
        &server,
        &["assets", "list", "-p", "ncp-mi", "--limit", "2", "--json"],
    )
    .await;
    assert_eq!(json_lines(&limited).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_are_for_people() {
    let server = MockServer::start().await;
    let output = media(&server, &["assets", "list", "--provider", "twelvelabs"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("PROVIDER"));
    assert!(lines.next().unwrap().contains("6298d673f1090f1100476d4c"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_asset_exits_1_with_the_provider_code() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &["assets", "get", "nope", "--provider", "twelvelabs"],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("twelvelabs"), "{err}");
    assert!(err.contains("resource_not_exist"), "{err}");
    assert!(err.contains("404"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_exits_2() {
    let server = MockServer::start().await;
    let no_provider = media(&server, &["assets", "get", "x"]).await;
    assert_eq!(no_provider.status.code(), Some(2));
    let unknown = media(&server, &["assets", "get", "x", "--provider", "openai"]).await;
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unknown provider"));
    let cannot_list = media(&server, &["assets", "list", "--provider", "memories-v2"]).await;
    assert_eq!(cannot_list.status.code(), Some(2));
    assert!(stderr(&cannot_list).contains("no list endpoint"));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_keys_exit_2_naming_the_variables() {
    let output = tokio::task::spawn_blocking(|| {
        Command::new(env!("CARGO_BIN_EXE_media"))
            .args(["assets", "get", "x", "--provider", "twelvelabs"])
            .env_clear()
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("TWELVE_LABS_API_KEY"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn base_url_flag_overrides_the_environment() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    let output = media(
        &server,
        &[
            "assets",
            "get",
            "6298d673f1090f1100476d4c",
            "-p",
            "twelvelabs",
            "--json",
            "--base-url",
            &other.twelvelabs_url(),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(server.requests().is_empty());
    assert_eq!(other.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_tours_every_provider_offline() {
    let output = tokio::task::spawn_blocking(|| {
        Command::new(env!("CARGO_BIN_EXE_media"))
            .arg("demo")
            .env_clear()
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "memories-v1",
        "memories-v2",
        "twelvelabs",
        "ncp-mi",
        "VI606404158946574336",
        "re_660729180626595840",
        "imc_666914042514116608_2",
        "6298d673f1090f1100476d4c",
        "sample-video-three.mp4",
    ] {
        assert!(text.contains(needle), "demo output lacks {needle}:\n{text}");
    }
}

#[test]
fn mock_serve_prints_exports_then_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_media"))
        .args(["mock", "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let exports: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(10)
        .map(Result::unwrap)
        .collect();
    let base = exports
        .iter()
        .find_map(|line| line.strip_prefix("export TWELVELABS_BASE_URL="))
        .map(str::to_owned);
    let reachable = base.as_ref().map(|url| {
        std::net::TcpStream::connect(url.trim_start_matches("http://").split('/').next().unwrap())
            .is_ok()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        exports.iter().all(|l| l.starts_with("export ")),
        "{exports:?}"
    );
    assert!(
        exports
            .iter()
            .any(|l| l.starts_with("export MEMORIES_API_KEY="))
    );
    assert!(
        exports
            .iter()
            .any(|l| l.starts_with("export NCLOUD_SECRET_KEY="))
    );
    assert_eq!(reachable, Some(true), "{exports:?}");
}
