//! `Config::from_env` and `Client::from_env`.
//!
//! Setting variables in a running test process is `unsafe` (and races other
//! tests), so each case re-runs this test binary with a prepared environment
//! and only the `from_env_child` test selected; that test does the checks.

// Helpers outside `#[test]` functions unwrap too; a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use media_mock::{MockServer, credentials};
use twelvelabs::{Client, Config, DEFAULT_BASE_URL, Error};

const MODE: &str = "TWELVELABS_TEST_CHILD_MODE";
const VARS: [&str; 3] = [
    "TWELVE_LABS_API_KEY",
    "TWELVELABS_API_KEY",
    "TWELVELABS_BASE_URL",
];

/// Runs `from_env_child` in a fresh process with exactly `vars` set.
async fn run_child(mode: &str, vars: &[(&str, &str)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "--exact",
        "from_env_child",
        "--nocapture",
        "--test-threads=1",
    ]);
    for name in VARS {
        command.env_remove(name);
    }
    command.env(MODE, mode);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child {mode} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child test did not run:\n{stdout}"
    );
}

/// The checks, run only inside a child started by the tests below.
#[tokio::test]
async fn from_env_child() {
    let Ok(mode) = std::env::var(MODE) else {
        return;
    };
    match mode.as_str() {
        "request" => {
            let client = Client::from_env().unwrap();
            client
                .assets()
                .retrieve("6298d673f1090f1100476d4c")
                .await
                .unwrap();
        }
        "missing" => {
            let err = Config::from_env().unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput(m) if m.contains("TWELVE_LABS_API_KEY") && m.contains("TWELVELABS_API_KEY")),
                "{err:?}"
            );
            assert!(Client::from_env().is_err());
        }
        "default_base_url" => {
            let config = Config::from_env().unwrap();
            assert_eq!(config.http_settings().base_url, DEFAULT_BASE_URL);
            assert!(!format!("{config:?}").contains("tlk_env_key"));
            let client = Client::new(config).unwrap();
            assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        }
        other => panic!("unknown mode {other}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_sdk_variable_wins() {
    let server = MockServer::start().await;
    let url = server.twelvelabs_url();
    run_child(
        "request",
        &[
            ("TWELVE_LABS_API_KEY", credentials::TWELVELABS_API_KEY),
            ("TWELVELABS_API_KEY", "tlk_the_wrong_one"),
            ("TWELVELABS_BASE_URL", &url),
        ],
    )
    .await;
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("x-api-key"),
        Some(credentials::TWELVELABS_API_KEY)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fallback_variable_is_read_when_the_first_is_unset_or_blank() {
    let server = MockServer::start().await;
    let url = server.twelvelabs_url();
    run_child(
        "request",
        &[
            ("TWELVELABS_API_KEY", credentials::TWELVELABS_API_KEY),
            ("TWELVELABS_BASE_URL", &url),
        ],
    )
    .await;
    run_child(
        "request",
        &[
            ("TWELVE_LABS_API_KEY", "   "),
            ("TWELVELABS_API_KEY", credentials::TWELVELABS_API_KEY),
            ("TWELVELABS_BASE_URL", &url),
        ],
    )
    .await;
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_key_names_both_variables() {
    run_child("missing", &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_base_url_defaults_to_production() {
    run_child(
        "default_base_url",
        &[("TWELVE_LABS_API_KEY", "tlk_env_key")],
    )
    .await;
}
