//! `cargo xtask ci`: the checks CI runs, in order, one summary line per
//! step, stopping at the first failure.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::cmd;
use crate::workspace::Workspace;

/// The crate whose features are built one by one.
const FEATURE_CRATE: &str = "media-sdk";

/// One CI step: a cargo command and its environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    /// Name in the summary.
    pub(crate) name: String,
    /// Arguments to cargo.
    pub(crate) args: Vec<String>,
    /// Extra environment variables.
    pub(crate) env: Vec<(String, String)>,
}

impl Step {
    /// A step without extra environment.
    fn new(name: &str, args: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
        }
    }
}

/// Entry point.
pub(crate) fn run(root: &Path) -> Result<ExitCode> {
    let ws = Workspace::load(root)?;
    let features = ws
        .members
        .get(FEATURE_CRATE)
        .map(|m| m.features.clone())
        .with_context(|| format!("{FEATURE_CRATE} is not a workspace member"))?;
    Ok(run_steps(root, &steps(&features)))
}

/// Every step, the feature matrix of `media-sdk` built from `features`.
pub(crate) fn steps(features: &[String]) -> Vec<Step> {
    let mut steps = vec![
        Step::new("fmt", &["fmt", "--all", "--", "--check"]),
        Step::new(
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::new("test", &["test", "--workspace", "--all-features"]),
        Step {
            env: vec![("RUSTDOCFLAGS".to_owned(), "-D warnings".to_owned())],
            ..Step::new(
                "doc",
                &["doc", "--workspace", "--no-deps", "--all-features"],
            )
        },
        Step::new(
            &format!("{FEATURE_CRATE} (no default features)"),
            &["check", "-p", FEATURE_CRATE, "--no-default-features"],
        ),
    ];
    for feature in features {
        steps.push(Step::new(
            &format!("{FEATURE_CRATE} --features {feature}"),
            &[
                "check",
                "-p",
                FEATURE_CRATE,
                "--no-default-features",
                "--features",
                feature,
            ],
        ));
    }
    // The dev profile keeps the benchmarks compiling at a fraction of a release build's cost;
    // `cargo xtask bench` builds them for real.
    steps.push(Step::new(
        "bench (no run)",
        &["bench", "--workspace", "--no-run", "--profile", "dev"],
    ));
    steps
}

/// Runs `steps` in order; prints the summary; stops at the first failure.
fn run_steps(root: &Path, steps: &[Step]) -> ExitCode {
    let mut summary = Vec::new();
    let width = steps.iter().map(|s| s.name.len()).max().unwrap_or(8);
    for step in steps {
        let started = Instant::now();
        let mut command = cmd::cargo(root);
        command
            .args(&step.args)
            .envs(step.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        eprintln!("xtask: running {} ({})", step.name, cmd::describe(&command));
        let status = command.status();
        let secs = started.elapsed().as_secs_f64();
        let ok = matches!(&status, Ok(s) if s.success());
        summary.push(format!(
            "{:<width$} {:<4} {secs:>7.1}s",
            step.name,
            if ok { "ok" } else { "FAIL" }
        ));
        if !ok {
            if let Err(err) = status {
                eprintln!("xtask: cannot run cargo: {err}");
            }
            print_summary(&summary);
            return ExitCode::FAILURE;
        }
    }
    print_summary(&summary);
    ExitCode::SUCCESS
}

/// The summary, one line per step run.
fn print_summary(lines: &[String]) {
    eprintln!("xtask ci summary:");
    for line in lines {
        eprintln!("  {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_matrix_has_one_step_per_feature_and_ends_with_benches() {
        let steps = steps(&["full".to_owned(), "ncp-mi".to_owned()]);
        let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "fmt",
                "clippy",
                "test",
                "doc",
                "media-sdk (no default features)",
                "media-sdk --features full",
                "media-sdk --features ncp-mi",
                "bench (no run)"
            ]
        );
        assert_eq!(
            steps[6].args,
            [
                "check",
                "-p",
                "media-sdk",
                "--no-default-features",
                "--features",
                "ncp-mi"
            ]
        );
        assert_eq!(
            steps[3].env,
            [("RUSTDOCFLAGS".to_owned(), "-D warnings".to_owned())]
        );
    }
}
