//! `media memories-v1 …` against media-mock: every workflow with `--json`.

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

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn list_and_metadata_print_typed_json() {
    let server = MockServer::start().await;
    let page = &json_lines(&media(&server, &["memories-v1", "list", "--json"]).await)[0];
    assert_eq!(page["total_count"], 2);
    assert_eq!(page["videos"][1]["video_no"], "VI700000000000000001");
    assert_eq!(page["videos"][1]["size"], 7_340_032);
    let metadata = &json_lines(
        &media(
            &server,
            &["memories-v1", "metadata", "VI606404158946574336", "--json"],
        )
        .await,
    )[0];
    assert_eq!(metadata["width"], 1280);
    let request = server.requests().pop().unwrap();
    assert!(request.query.unwrap().contains("unique_id=default"));
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_a_file_and_wait() {
    let server = MockServer::start().await;
    let dir = tempfile_dir();
    let path = dir.join("sunset.mp4");
    std::fs::write(&path, vec![7_u8; 4096]).unwrap();
    let output = media(
        &server,
        &[
            "memories-v1",
            "upload",
            path.to_str().unwrap(),
            "--wait",
            "--tag",
            "trip",
            "--unique-id",
            "tenant",
            "--json",
        ],
    )
    .await;
    let video = &json_lines(&output)[0];
    assert_eq!(video["status"], "PARSE");
    assert_eq!(video["video_name"], "sunset");
    assert_eq!(video["tags"], serde_json::json!(["trip", "api"]));
    let uploads: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/upload"))
        .collect();
    assert_eq!(uploads.len(), 1);
    assert!(
        uploads[0]
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_a_url_without_waiting() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &[
            "memories-v1",
            "upload",
            "https://cdn.example.invalid/clip.mp4",
            "--json",
        ],
    )
    .await;
    let video = &json_lines(&output)[0];
    assert_eq!(video["videoStatus"], "UNPARSE");
    assert_eq!(video["videoName"], "clip");
}

#[tokio::test(flavor = "multi_thread")]
async fn import_and_wait_prints_every_video() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &[
            "memories-v1",
            "import",
            "https://www.youtube.com/watch?v=aaaaaaaaaaa",
            "https://www.youtube.com/watch?v=bbbbbbbbbbb",
            "--wait",
            "--json",
        ],
    )
    .await;
    let videos = &json_lines(&output)[0];
    assert_eq!(videos.as_array().unwrap().len(), 2);
    assert_eq!(videos[0]["status"], "PARSE");
    let task = &json_lines(
        &media(
            &server,
            &[
                "memories-v1",
                "import",
                "https://www.tiktok.com/@a/video/1",
                "--json",
            ],
        )
        .await,
    )[0];
    assert!(task["taskId"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn search_transcript_and_delete() {
    let server = MockServer::start().await;
    let hits = &json_lines(&media(&server, &["memories-v1", "search", "beach", "--json"]).await)[0];
    assert_eq!(hits[0]["videoNo"], "VI700000000000000001");
    let transcript = &json_lines(
        &media(
            &server,
            &[
                "memories-v1",
                "transcript",
                "VI700000000000000001",
                "--audio",
                "--json",
            ],
        )
        .await,
    )[0];
    assert_eq!(
        transcript["transcriptions"][0]["content"],
        " and that is where the tide comes in."
    );
    let deleted = &json_lines(
        &media(
            &server,
            &["memories-v1", "delete", "VI700000000000000001", "--json"],
        )
        .await,
    )[0];
    assert_eq!(deleted["deleted"][0], "VI700000000000000001");
    assert_eq!(
        server.memories_v1_video_nos("default"),
        ["VI606404158946574336"]
    );
    let request = server.requests().pop().unwrap();
    assert_eq!(request.query.as_deref(), Some("unique_id=default"));
    assert_eq!(&request.body[..], br#"["VI700000000000000001"]"#);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_prints_the_answer_and_events() {
    let server = MockServer::start().await;
    let output = media(
        &server,
        &[
            "memories-v1",
            "chat",
            "VI700000000000000001",
            "--prompt",
            "When does the sun set?",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Looking at beach_walk: When does the sun set The sun sets at about 00:35.\n"
    );
    assert!(stderr(&output).contains("[thinking] Reviewing the clip"));
    assert!(stderr(&output).contains("session: "));
    let events = json_lines(
        &media(
            &server,
            &[
                "memories-v1",
                "chat",
                "VI700000000000000001",
                "--prompt",
                "again",
                "--json",
            ],
        )
        .await,
    );
    assert_eq!(events.len(), 4);
    assert_eq!(events[0]["type"], "thinking");
    assert_eq!(events[1]["type"], "ref");
    let failed = media(&server, &["memories-v1", "chat", "VI404", "--prompt", "x"]).await;
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("No videos found"),
        "{}",
        stderr(&failed)
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "media-cli-memories-v1-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
