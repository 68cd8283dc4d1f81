//! The official TwelveLabs Python SDK, pip-installed into a virtual
//! environment: what `cargo xtask fidelity` checks the mock against and what
//! `cargo xtask bench` compares this SDK with.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;

/// The official SDK release both commands use.
pub(crate) const PYTHON_SDK: &str = "twelvelabs==1.3.6";

/// A virtual environment with the SDK installed.
#[derive(Debug, Clone)]
pub(crate) struct Installed {
    /// The environment's interpreter.
    pub(crate) python: PathBuf,
    /// What `python --version` printed for the interpreter that created it.
    pub(crate) version: String,
}

/// Creates a virtual environment at `venv` with the interpreter `python` and
/// installs the SDK into it; or why that cannot be done here (no Python, no
/// `venv` module, PyPI unreachable). The caller owns (and removes) `venv`,
/// also after a failure half-way.
pub(crate) fn install_sdk(python: &str, venv: &Path) -> Result<Installed, String> {
    let version = cmd::stdout_or_reason(Command::new(python).arg("--version"))
        .map_err(|err| format!("{python} is not available ({err})"))?;
    cmd::stdout_or_reason(Command::new(python).args(["-m", "venv"]).arg(venv))
        .map_err(|err| format!("{python} -m venv failed: {err}"))?;
    let bin = if cfg!(windows) {
        venv.join("Scripts")
    } else {
        venv.join("bin")
    };
    let venv_python = bin.join(format!("python{}", std::env::consts::EXE_SUFFIX));
    // One retry and a 20 s timeout: without PyPI, pip's defaults retry for minutes.
    cmd::stdout_or_reason(Command::new(&venv_python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--retries",
        "1",
        "--timeout",
        "20",
        PYTHON_SDK,
    ]))
    .map_err(|err| format!("pip install {PYTHON_SDK} failed (PyPI unreachable?): {err}"))?;
    Ok(Installed {
        python: venv_python,
        version: version.trim().to_owned(),
    })
}
