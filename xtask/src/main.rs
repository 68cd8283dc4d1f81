//! Workspace tooling for media-sdk.
//!
//! - `cargo xtask ci` runs the checks CI runs, in order, with one summary
//!   line per step, and stops at the first failure.
//! - `cargo xtask release bump <major|minor|patch|X.Y.Z> [--dry-run]` moves
//!   every crate to one new version and writes a changelog section.
//! - `cargo xtask release check` verifies that the workspace is ready to
//!   publish.
//! - `cargo xtask release publish --yes` publishes every crate in dependency
//!   order. Never run it in CI.
//!
//! docs/releasing.md describes the procedure.

// This is a command-line tool: printing to stdout is its job.
#![allow(clippy::print_stdout)]

mod bench;
mod bump;
mod changelog;
mod check;
mod ci;
mod cmd;
mod date;
mod diff;
mod fidelity;
mod git;
mod manifest;
mod publish;
mod python;
mod registry;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The command line of `cargo xtask`.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "CI and release tooling for the media-sdk workspace"
)]
struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// Top-level subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run every CI check in order (fmt, clippy, tests, docs, feature matrix, benches).
    Ci,
    /// Run the performance benchmarks against the mock and write docs/benchmarks.md.
    Bench {
        /// A smoke run: small counts, one run each.
        #[arg(long)]
        quick: bool,
    },
    /// Run the official TwelveLabs Python SDK against `media mock serve` (needs Python and PyPI).
    Fidelity {
        /// Keep the temporary virtual environment.
        #[arg(long)]
        keep_venv: bool,
        /// The Python interpreter that creates the virtual environment.
        #[arg(long, default_value = "python3")]
        python: String,
    },
    /// Release tooling: bump versions, check readiness, publish.
    Release {
        /// The release step.
        #[command(subcommand)]
        command: ReleaseCommand,
    },
}

/// `cargo xtask release` subcommands.
#[derive(Debug, Subcommand)]
enum ReleaseCommand {
    /// Move every crate to a new version, update internal requirements,
    /// Cargo.lock and CHANGELOG.md.
    Bump {
        /// `major`, `minor`, `patch` or an explicit version such as `0.2.0`.
        level: String,
        /// Print a unified diff of every file that would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check that the workspace is ready to publish.
    Check {
        /// Accept uncommitted changes (local use and tests only).
        #[arg(long)]
        allow_dirty: bool,
        /// Skip the build that `cargo publish --dry-run` does to verify each package.
        #[arg(long)]
        no_verify: bool,
        /// Do not contact crates.io (the name check becomes a warning).
        #[arg(long)]
        offline: bool,
    },
    /// Publish every crate to crates.io in dependency order. Never in CI.
    Publish {
        /// Publish without asking for confirmation.
        #[arg(long)]
        yes: bool,
        /// Seconds to wait for each crate to appear in the index.
        #[arg(long, default_value_t = 600)]
        index_timeout: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Ci => ci::run(&root),
        Command::Bench { quick } => bench::run(&root, bench::Options { quick }),
        Command::Fidelity { keep_venv, python } => {
            fidelity::run(&root, &fidelity::Options { keep_venv, python })
        }
        Command::Release { command } => match command {
            ReleaseCommand::Bump { level, dry_run } => bump::run(&root, &level, dry_run),
            ReleaseCommand::Check {
                allow_dirty,
                no_verify,
                offline,
            } => check::run(
                &root,
                check::Options {
                    allow_dirty,
                    no_verify,
                    offline,
                },
            ),
            ReleaseCommand::Publish { yes, index_timeout } => publish::run(
                &root,
                &publish::Options {
                    yes,
                    index_timeout: std::time::Duration::from_secs(index_timeout),
                },
            ),
        },
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}
