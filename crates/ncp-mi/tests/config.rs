//! `Config::from_env`, checked in a child process: setting variables in this one would
//! need `unsafe` (`std::env::set_var`) and would race the other tests.

// The child-process helper panics to fail the test.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use ncp_mi::{Client, Config, DEFAULT_BASE_URL, Error};

const CHILD: &str = "NCP_MI_TEST_FROM_ENV_CHILD";
const VARS: [&str; 5] = [
    "NCLOUD_ACCESS_KEY",
    "NCLOUD_SECRET_KEY",
    "NCP_MI_BASE_URL",
    "NCP_MI_WORKSPACE",
    "NCP_MI_PROJECT",
];

/// Runs this test binary again with only `vars` set, in `mode`.
fn run_child(test: &str, mode: &str, vars: &[(&str, &str)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", test, "--test-threads=1", "--nocapture"]);
    for var in VARS {
        command.env_remove(var);
    }
    command.env(CHILD, mode).envs(vars.iter().copied());
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child {mode} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn from_env_reads_every_variable() {
    match std::env::var(CHILD).as_deref() {
        Ok("full") => {
            let config = Config::from_env().unwrap();
            assert_eq!(config.default_workspace(), Some("env-ws"));
            assert_eq!(config.default_project(), Some("4321"));
            let shown = format!("{config:?}");
            assert!(!shown.contains("ENVACCESS") && !shown.contains("ENVSECRET"));
            let client = Client::new(config).unwrap();
            assert_eq!(client.base_url(), "http://127.0.0.1:9/ncp-mi/api/v1");
            assert_eq!(client.default_workspace(), Some("env-ws"));
            assert_eq!(client.default_project(), Some(4321));
        }
        Ok("keys-only") => {
            let client = Client::from_env().unwrap();
            assert_eq!(client.base_url(), DEFAULT_BASE_URL);
            assert_eq!(client.default_workspace(), None);
            assert_eq!(client.default_project(), None);
        }
        Ok("no-secret") => {
            let err = Config::from_env().unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput(m) if m.contains("NCLOUD_SECRET_KEY")),
                "{err}"
            );
            assert!(!err.to_string().contains("ENVACCESS"), "{err}");
        }
        Ok(other) => panic!("unknown mode {other}"),
        Err(_) => {
            let test = "from_env_reads_every_variable";
            run_child(
                test,
                "full",
                &[
                    ("NCLOUD_ACCESS_KEY", "ENVACCESS"),
                    ("NCLOUD_SECRET_KEY", "ENVSECRET"),
                    ("NCP_MI_BASE_URL", "http://127.0.0.1:9/ncp-mi/api/v1"),
                    ("NCP_MI_WORKSPACE", "env-ws"),
                    ("NCP_MI_PROJECT", " 4321 "),
                ],
            );
            run_child(
                test,
                "keys-only",
                &[
                    ("NCLOUD_ACCESS_KEY", "ENVACCESS"),
                    ("NCLOUD_SECRET_KEY", "ENVSECRET"),
                ],
            );
            run_child(test, "no-secret", &[("NCLOUD_ACCESS_KEY", "ENVACCESS")]);
        }
    }
}
