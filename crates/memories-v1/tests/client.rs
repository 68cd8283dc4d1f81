//! Configuration: environment variables, redaction.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

use std::process::Command;

use media_mock::{MockServer, credentials};
use memories_v1::{Client, Config, DEFAULT_BASE_URL, Error, GetMetadataParams};

/// Set in the child process that [`from_env_reads_the_documented_variables`] spawns.
const CHILD: &str = "MEMORIES_V1_TEST_FROM_ENV_CHILD";

/// Re-runs one test of this binary in a child process with exactly `vars`
/// set (the process environment cannot be changed safely in a test).
fn run_child(test: &str, vars: &[(&str, &str)]) {
    let exe = std::env::current_exe().unwrap();
    let mut command = Command::new(exe);
    command
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env_remove("MEMORIES_V1_API_KEY")
        .env_remove("MEMORIES_API_KEY")
        .env_remove("MEMORIES_V1_BASE_URL")
        .env(CHILD, "1");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "child {test} with {vars:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn from_env_reads_the_documented_variables() {
    run_child(
        "child_specific_key_wins",
        &[
            ("MEMORIES_V1_API_KEY", "sk-v1"),
            ("MEMORIES_API_KEY", "sk-shared"),
        ],
    );
    run_child(
        "child_shared_key_and_base_url",
        &[
            ("MEMORIES_API_KEY", "sk-shared"),
            (
                "MEMORIES_V1_BASE_URL",
                "http://127.0.0.1:9/memories-v1/serve/api/v1",
            ),
        ],
    );
    run_child("child_no_key", &[]);
}

fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

#[tokio::test]
async fn child_specific_key_wins() {
    if !in_child() {
        return;
    }
    let config = Config::from_env().unwrap();
    assert_eq!(config.http_settings().base_url, DEFAULT_BASE_URL);
    // Which key was picked shows in what the server receives.
    let server = MockServer::start().await;
    let client = Client::new(config.base_url(server.memories_v1_url())).unwrap();
    let _ = client
        .library()
        .get_metadata(&GetMetadataParams::new("VI1"))
        .await;
    assert_eq!(server.requests()[0].header("authorization"), Some("sk-v1"));
}

#[test]
fn child_shared_key_and_base_url() {
    if !in_child() {
        return;
    }
    let client = Client::from_env().unwrap();
    assert_eq!(
        client.base_url(),
        "http://127.0.0.1:9/memories-v1/serve/api/v1"
    );
    assert!(!format!("{client:?}").contains("sk-shared"));
}

#[test]
fn child_no_key() {
    if !in_child() {
        return;
    }
    match Config::from_env() {
        Err(Error::InvalidInput(message)) => {
            assert!(
                message.contains("MEMORIES_V1_API_KEY") && message.contains("MEMORIES_API_KEY")
            );
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn debug_output_never_contains_the_key() {
    let config = Config::new(credentials::MEMORIES_API_KEY);
    assert!(!format!("{config:?}").contains(credentials::MEMORIES_API_KEY));
    let client = Client::new(config).unwrap();
    assert!(!format!("{client:?}").contains(credentials::MEMORIES_API_KEY));
    assert!(!format!("{:?}", client.library()).contains(credentials::MEMORIES_API_KEY));
}
