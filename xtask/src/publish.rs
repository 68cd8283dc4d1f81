//! `cargo xtask release publish`: the real publish. Never run in CI.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::registry::NameStatus;
use crate::workspace::Workspace;
use crate::{cmd, git, registry};

/// Flags of `release publish`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Publish without asking.
    pub(crate) yes: bool,
    /// How long to wait for each crate to appear in the index.
    pub(crate) index_timeout: Duration,
}

/// Entry point.
pub(crate) fn run(root: &Path, options: &Options) -> Result<ExitCode> {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false") {
        bail!("refusing to publish from CI (CI is set): releases are published by hand");
    }
    let dirty = git::dirty_paths(root)?;
    if !dirty.is_empty() {
        bail!(
            "refusing to publish a dirty tree ({} uncommitted path(s)); commit first",
            dirty.len()
        );
    }
    let ws = Workspace::load(root)?;
    let order = ws.publish_order()?;
    let version = lockstep_version(&ws, &order)?;
    let agent = registry::agent();
    refuse_taken_names(&ws, &order, &agent)?;
    let mut todo = Vec::new();
    for name in &order {
        if registry::is_published(&agent, name, &version)
            .with_context(|| format!("cannot ask the index about {name}"))?
        {
            println!("skip     {name} {version} (already on crates.io)");
        } else {
            todo.push(name.clone());
        }
    }
    if todo.is_empty() {
        println!("nothing to publish: every crate is at {version} on crates.io");
    } else {
        println!(
            "will publish {version}, in this order: {}",
            todo.join(" -> ")
        );
        if !confirmed(options.yes)? {
            bail!("not confirmed; nothing published");
        }
        for name in &todo {
            publish_one(root, &agent, name, &version, options.index_timeout)?;
        }
    }
    println!("done. Tag and push the release:");
    println!("  git tag -a v{version} -m \"Release {version}\" && git push origin v{version}");
    Ok(ExitCode::SUCCESS)
}

/// Fails before anything is published if a crate name belongs to another
/// project (its versions would otherwise look like ours to the skip logic).
fn refuse_taken_names(ws: &Workspace, order: &[String], agent: &ureq::Agent) -> Result<()> {
    for name in order {
        let ours = ws
            .members
            .get(name)
            .and_then(|m| m.repository.as_deref())
            .unwrap_or_default();
        if let NameStatus::Taken { repository, .. } = registry::name_status(agent, name, ours) {
            bail!(
                "{name} is taken on crates.io by another project ({}); see docs/releasing.md",
                repository.as_deref().unwrap_or("repository not declared")
            );
        }
    }
    Ok(())
}

/// The single version every publishable crate carries.
fn lockstep_version(ws: &Workspace, order: &[String]) -> Result<String> {
    let mut versions = order
        .iter()
        .filter_map(|n| ws.members.get(n))
        .map(|m| m.version.clone());
    let Some(first) = versions.next() else {
        bail!("no publishable crate");
    };
    if versions.any(|v| v != first) {
        bail!("crates are not at one version; run `cargo xtask release check`");
    }
    Ok(first)
}

/// `--yes`, or an interactive `publish` typed at the prompt.
fn confirmed(yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        bail!("pass --yes to publish without a terminal");
    }
    print!("type `publish` to upload to crates.io: ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "publish")
}

/// `cargo publish -p <name>`, then wait until the index serves it.
fn publish_one(
    root: &Path,
    agent: &ureq::Agent,
    name: &str,
    version: &str,
    timeout: Duration,
) -> Result<()> {
    println!("publish  {name} {version}");
    cmd::run_inherited(cmd::cargo(root).args(["publish", "-p", name])).with_context(|| {
        format!("publishing {name} failed; crates before it are published, rerun to resume")
    })?;
    registry::wait_for_index(agent, name, version, timeout)?;
    println!("indexed  {name} {version}");
    Ok(())
}
