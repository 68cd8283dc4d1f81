//! Running external programs (cargo, git) with readable errors.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The cargo binary that runs this xtask (`$CARGO`), or `cargo` from `PATH`.
pub(crate) fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// A new `cargo` command that runs in `dir`.
pub(crate) fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(cargo_program());
    command.current_dir(dir);
    command
}

/// `$CARGO_TARGET_DIR`, else `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// A new `git` command that runs in `dir`.
pub(crate) fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(dir);
    command
}

/// What a finished command printed, and whether it succeeded.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    /// Whether the command exited with status 0.
    pub(crate) success: bool,
    /// Its standard output, lossily decoded.
    pub(crate) stdout: String,
    /// Its standard error, lossily decoded.
    pub(crate) stderr: String,
}

/// Runs `command` to completion, capturing both output streams.
pub(crate) fn capture(command: &mut Command) -> Result<Captured> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", describe(command)))?;
    Ok(Captured {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Runs `command` to completion, capturing both output streams; fails with
/// the last lines of its standard error when it exits non-zero.
pub(crate) fn capture_ok(command: &mut Command) -> Result<Captured> {
    let captured = capture(command)?;
    if !captured.success {
        bail!(
            "{} failed: {}",
            describe(command),
            tail(&captured.stderr, 5)
        );
    }
    Ok(captured)
}

/// What `command` printed when it succeeded, or why not as a short text: the
/// last lines it printed, or why it could not start. For optional steps that
/// are skipped with a reason rather than failed.
pub(crate) fn stdout_or_reason(command: &mut Command) -> std::result::Result<String, String> {
    match capture(command) {
        Ok(out) if out.success => Ok(out.stdout),
        Ok(out) => Err(tail(&format!("{}\n{}", out.stdout, out.stderr), 3)),
        Err(err) => Err(format!("{err:#}")),
    }
}

/// Runs `command` with standard output inherited and standard error both
/// shown as it comes (for long cargo runs) and captured (to classify errors).
pub(crate) fn capture_stderr_teed(command: &mut Command) -> Result<Captured> {
    let mut child = command
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", describe(command)))?;
    let mut stderr = String::new();
    if let Some(pipe) = child.stderr.take() {
        for line in BufReader::new(pipe).lines() {
            let line = line.context("reading the command's standard error")?;
            eprintln!("  | {line}");
            stderr.push_str(&line);
            stderr.push('\n');
        }
    }
    let status = child.wait().context("waiting for the command")?;
    Ok(Captured {
        success: status.success(),
        stdout: String::new(),
        stderr,
    })
}

/// Runs `command` and returns its standard output; fails with its standard
/// error when it exits non-zero.
pub(crate) fn stdout_of(command: &mut Command) -> Result<String> {
    let captured = capture(command)?;
    if !captured.success {
        bail!("{} failed: {}", describe(command), captured.stderr.trim());
    }
    Ok(captured.stdout)
}

/// Runs `command` with inherited standard streams; fails when it exits non-zero.
pub(crate) fn run_inherited(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot run {}", describe(command)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(command));
    }
    Ok(())
}

/// `program arg arg …` for messages.
pub(crate) fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The last `n` non-empty lines of `text`, for short error excerpts.
pub(crate) fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].join("\n")
}
