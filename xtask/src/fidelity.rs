//! `cargo xtask fidelity`: runs the official TwelveLabs Python SDK against the
//! mock.
//!
//! Creates a virtual environment in a temporary directory, installs
//! `twelvelabs==1.3.6` from PyPI, builds `media`, starts
//! `media mock serve` on a free loopback port and runs
//! `xtask/fidelity/twelvelabs_sdk.py`, which calls every method of the SDK's
//! sync client and fails when any answer does not decode. The script's
//! output is streamed and its exit status is this command's. When Python,
//! `venv` or PyPI is unavailable the check prints `SKIPPED` and exits 0.
//! xtask/fidelity/README.md has the details.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::cmd;
use crate::python::{self, PYTHON_SDK};

/// The script, relative to the workspace root.
const SCRIPT: &str = "xtask/fidelity/twelvelabs_sdk.py";

/// Options of `cargo xtask fidelity`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Keep the virtual environment (its path is printed) instead of deleting it.
    pub(crate) keep_venv: bool,
    /// The Python interpreter that creates the virtual environment.
    pub(crate) python: String,
}

/// Runs the check; the exit code is the script's (0 when skipped).
pub(crate) fn run(root: &Path, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let venv = std::env::temp_dir().join(format!("media-fidelity-venv-{}", std::process::id()));
    let result = run_in(root, options, &venv, started);
    if options.keep_venv {
        if venv.exists() {
            println!(
                "fidelity: kept the virtual environment at {}",
                venv.display()
            );
        }
    } else {
        let _ = std::fs::remove_dir_all(&venv);
    }
    result
}

fn run_in(root: &Path, options: &Options, venv: &Path, started: Instant) -> Result<ExitCode> {
    println!(
        "fidelity: pip install {PYTHON_SDK} into a virtual environment at {}…",
        venv.display()
    );
    let python = match python::install_sdk(&options.python, venv) {
        Ok(installed) => {
            println!("fidelity: installed, with {}", installed.version);
            installed.python
        }
        Err(reason) => {
            println!("fidelity: SKIPPED: {reason}");
            return Ok(ExitCode::SUCCESS);
        }
    };
    let installed = started.elapsed();

    println!("fidelity: building media…");
    cmd::run_inherited(cmd::cargo(root).args(["build", "-p", "media-cli", "--bin", "media"]))?;
    let built = started.elapsed();
    // The target directory may be shared with other checkouts whose builds
    // replace `media` at any time: run a private link (or copy) of this build.
    let built_media = cmd::target_dir(root)
        .join("debug")
        .join(format!("media{}", std::env::consts::EXE_SUFFIX));
    let media = RemovedOnDrop(std::env::temp_dir().join(format!(
        "media-fidelity-{}{}",
        std::process::id(),
        std::env::consts::EXE_SUFFIX
    )));
    let _ = std::fs::remove_file(&media.0);
    if std::fs::hard_link(&built_media, &media.0).is_err() {
        std::fs::copy(&built_media, &media.0)
            .with_context(|| format!("cannot copy {}", built_media.display()))?;
    }
    let mock = MockProcess::start(&media.0)?;
    println!("fidelity: mock at {}", mock.base_url);
    let script = root.join(SCRIPT);
    let status = Command::new(&python)
        .arg("-u")
        .arg(&script)
        .env("TWELVELABS_BASE_URL", &mock.base_url)
        .env("TWELVE_LABS_API_KEY", &mock.api_key)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot run {}", script.display()))?;
    drop(mock);

    let total = started.elapsed();
    println!(
        "fidelity: {} in {} (venv + pip {}, build {}, script {})",
        if status.success() { "passed" } else { "FAILED" },
        seconds(total),
        seconds(installed),
        seconds(built.saturating_sub(installed)),
        seconds(total.saturating_sub(built)),
    );
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1).max(1)),
        None => ExitCode::FAILURE,
    })
}

fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

/// A file deleted when this goes out of scope.
struct RemovedOnDrop(PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `media mock serve` as a child process, killed on drop (also when the
/// check fails half-way).
struct MockProcess {
    child: Child,
    /// Kept open so the mock never writes into a closed pipe.
    stdout: BufReader<ChildStdout>,
    base_url: String,
    api_key: String,
}

impl MockProcess {
    /// Starts the mock on a port the OS picks and reads the TwelveLabs base
    /// URL and key from the `export` lines it prints once it listens.
    fn start(media: &Path) -> Result<MockProcess> {
        let mut child = Command::new(media)
            .args(["mock", "serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", media.display()))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            bail!("the mock's standard output is not piped");
        };
        let mut mock = MockProcess {
            child,
            stdout: BufReader::new(stdout),
            base_url: String::new(),
            api_key: String::new(),
        };
        let mut line = String::new();
        while mock.base_url.is_empty() || mock.api_key.is_empty() {
            line.clear();
            if mock.stdout.read_line(&mut line)? == 0 {
                bail!("the mock exited before printing its TwelveLabs base URL");
            }
            let Some((name, value)) = line.trim().trim_start_matches("export ").split_once('=')
            else {
                continue;
            };
            match name {
                "TWELVELABS_BASE_URL" => value.clone_into(&mut mock.base_url),
                "TWELVE_LABS_API_KEY" => value.clone_into(&mut mock.api_key),
                _ => {}
            }
        }
        Ok(mock)
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
