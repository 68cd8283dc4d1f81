//! `cargo xtask release check`: is the workspace ready to publish?
//!
//! One line per check, then a verdict; exit status 1 on any failure.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use semver::{Version, VersionReq};

use crate::registry::{self, NameStatus};
use crate::workspace::{DepKind, Member, Workspace};
use crate::{cmd, git, manifest};

/// Flags of `release check`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Accept uncommitted changes.
    pub(crate) allow_dirty: bool,
    /// Skip the verification build of `cargo publish --dry-run`.
    pub(crate) no_verify: bool,
    /// Do not contact crates.io for the name check.
    pub(crate) offline: bool,
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Passed.
    Pass,
    /// Passed with something to look at; not a failure.
    Warn,
    /// Failed: the release must not go ahead.
    Fail,
}

/// The lines printed so far and the tally.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Number of failures.
    failures: usize,
    /// Number of warnings.
    warnings: usize,
}

impl Report {
    /// Prints one check line and counts it.
    fn line(&mut self, outcome: Outcome, check: &str, detail: &str) {
        let tag = match outcome {
            Outcome::Pass => "ok  ",
            Outcome::Warn => {
                self.warnings += 1;
                "warn"
            }
            Outcome::Fail => {
                self.failures += 1;
                "FAIL"
            }
        };
        let mut lines = detail.lines();
        println!("[{tag}] {check:<26} {}", lines.next().unwrap_or(""));
        for more in lines {
            println!("       {:<26} {more}", "");
        }
    }

    /// Prints the verdict and returns the exit status.
    fn verdict(&self) -> ExitCode {
        if self.failures == 0 {
            println!("release check: READY ({} warning(s))", self.warnings);
            ExitCode::SUCCESS
        } else {
            println!(
                "release check: NOT READY ({} failure(s), {} warning(s))",
                self.failures, self.warnings
            );
            ExitCode::FAILURE
        }
    }
}

/// Entry point.
pub(crate) fn run(root: &Path, options: Options) -> Result<ExitCode> {
    let mut report = Report::default();
    if !clean_tree(root, options.allow_dirty, &mut report)? {
        return Ok(report.verdict());
    }
    let ws = Workspace::load(root)?;
    let version = workspace_version(root)?;
    let order = match ws.publish_order() {
        Ok(order) => {
            report.line(Outcome::Pass, "publish order", &order.join(" -> "));
            order
        }
        Err(err) => {
            report.line(Outcome::Fail, "publish order", &format!("{err:#}"));
            return Ok(report.verdict());
        }
    };
    check_publish_flags(&ws, &mut report);
    check_lockstep(&ws, &version, &mut report);
    for name in &order {
        if let Some(member) = ws.members.get(name) {
            check_metadata(member, &mut report);
            check_internal_deps(&ws, member, &version, &mut report);
        }
    }
    check_names(&ws, &order, options.offline, &mut report);
    for name in &order {
        check_package(root, &ws, name, &mut report)?;
    }
    check_publish_dry_run(root, &ws, options.no_verify, &mut report)?;
    Ok(report.verdict())
}

/// `git status --porcelain` must be empty unless `--allow-dirty`.
fn clean_tree(root: &Path, allow_dirty: bool, report: &mut Report) -> Result<bool> {
    let dirty = git::dirty_paths(root)?;
    if dirty.is_empty() {
        report.line(Outcome::Pass, "clean tree", "no uncommitted changes");
        return Ok(true);
    }
    let sample = dirty
        .iter()
        .take(3)
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(", ");
    let detail = format!("{} uncommitted path(s): {sample}", dirty.len());
    if allow_dirty {
        report.line(
            Outcome::Warn,
            "clean tree",
            &format!("{detail} (allowed by --allow-dirty)"),
        );
        Ok(true)
    } else {
        report.line(
            Outcome::Fail,
            "clean tree",
            &format!("{detail}\ncommit or stash them, or pass --allow-dirty for a local try"),
        );
        Ok(false)
    }
}

/// `[workspace.package] version`.
fn workspace_version(root: &Path) -> Result<Version> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    manifest::workspace_version(&manifest::parse(&text, "Cargo.toml")?)
}

/// Every crate is publishable to crates.io or `publish = false`, and no
/// publishable crate needs a non-publishable one.
fn check_publish_flags(ws: &Workspace, report: &mut Report) {
    let private: Vec<&str> = ws
        .members
        .values()
        .filter(|m| !m.publishable)
        .map(|m| m.name.as_str())
        .collect();
    let mut problems = Vec::new();
    for member in ws.publishable() {
        for dep in ws.internal_deps(member) {
            let private_dep = ws.members.get(&dep.name).is_some_and(|d| !d.publishable);
            if private_dep && dep.kind != DepKind::Dev {
                problems.push(format!(
                    "{} depends on publish = false crate {}",
                    member.name, dep.name
                ));
            }
        }
    }
    let summary = format!(
        "{} publishable, publish = false: {}",
        ws.publishable().count(),
        if private.is_empty() {
            "none".to_owned()
        } else {
            private.join(", ")
        }
    );
    if problems.is_empty() {
        report.line(Outcome::Pass, "publish flags", &summary);
    } else {
        report.line(
            Outcome::Fail,
            "publish flags",
            &format!("{summary}\n{}", problems.join("\n")),
        );
    }
}

/// Every member is at the `[workspace.package]` version.
fn check_lockstep(ws: &Workspace, version: &Version, report: &mut Report) {
    let off: Vec<String> = ws
        .members
        .values()
        .filter(|m| m.version != version.to_string())
        .map(|m| format!("{} is at {}", m.name, m.version))
        .collect();
    if off.is_empty() {
        report.line(
            Outcome::Pass,
            "lockstep version",
            &format!("every crate at {version}"),
        );
    } else {
        report.line(
            Outcome::Fail,
            "lockstep version",
            &format!("workspace is at {version}; {}", off.join("; ")),
        );
    }
}

/// The fields crates.io and docs.rs need, present on a publishable crate.
pub(crate) fn missing_metadata(member: &Member) -> Vec<&'static str> {
    let mut missing = Vec::new();
    let checks: [(&'static str, bool); 8] = [
        ("description", member.description.is_some()),
        ("license", member.license.is_some()),
        ("repository", member.repository.is_some()),
        ("readme", readme_exists(member)),
        ("keywords", !member.keywords.is_empty()),
        ("categories", !member.categories.is_empty()),
        ("rust-version", member.rust_version.is_some()),
        ("[package.metadata.docs.rs]", member.has_docs_rs),
    ];
    for (field, present) in checks {
        if !present {
            missing.push(field);
        }
    }
    missing
}

/// `readme` is set and the file exists.
fn readme_exists(member: &Member) -> bool {
    member
        .readme
        .as_deref()
        .is_some_and(|readme| member.dir().join(readme).is_file())
}

/// One line per publishable crate: its metadata is complete.
fn check_metadata(member: &Member, report: &mut Report) {
    let check = format!("metadata {}", member.name);
    let missing = missing_metadata(member);
    if missing.is_empty() {
        report.line(
            Outcome::Pass,
            &check,
            "description, license, repository, readme, keywords, categories, rust-version, docs.rs",
        );
    } else {
        report.line(
            Outcome::Fail,
            &check,
            &format!("missing: {}", missing.join(", ")),
        );
    }
}

/// Every internal dependency carries a version that matches the release.
fn check_internal_deps(ws: &Workspace, member: &Member, version: &Version, report: &mut Report) {
    let check = format!("internal deps {}", member.name);
    let mut problems = Vec::new();
    let mut count = 0;
    for dep in ws.internal_deps(member) {
        count += 1;
        let matches = VersionReq::parse(&dep.req).is_ok_and(|req| req.matches(version));
        if dep.req == "*" {
            problems.push(format!("{} has no version requirement", dep.name));
        } else if !matches {
            problems.push(format!(
                "{} requires {} (release is {version})",
                dep.name, dep.req
            ));
        }
    }
    if problems.is_empty() {
        report.line(
            Outcome::Pass,
            &check,
            &format!("{count} internal dependency(ies), all versioned"),
        );
    } else {
        report.line(Outcome::Fail, &check, &problems.join("\n"));
    }
}

/// Every crate name is free on crates.io or already ours.
fn check_names(ws: &Workspace, order: &[String], offline: bool, report: &mut Report) {
    if offline {
        report.line(Outcome::Warn, "crate names", "not checked (--offline)");
        return;
    }
    let agent = registry::agent();
    for name in order {
        let Some(member) = ws.members.get(name) else {
            continue;
        };
        let check = format!("name {name}");
        let ours = member.repository.as_deref().unwrap_or_default();
        match registry::name_status(&agent, name, ours) {
            NameStatus::Free => report.line(
                Outcome::Pass,
                &check,
                "free on crates.io (first publish claims it)",
            ),
            NameStatus::Ours { latest } => {
                report.line(
                    Outcome::Pass,
                    &check,
                    &format!("ours on crates.io (latest {latest})"),
                );
            }
            NameStatus::Taken {
                repository,
                owners,
                latest,
                source,
            } => {
                let owners = if owners.is_empty() {
                    String::new()
                } else {
                    format!(", owners {}", owners.join(", "))
                };
                report.line(
                    Outcome::Fail,
                    &check,
                    &format!(
                        "TAKEN on crates.io by another project (repository {}{owners}, latest {latest}; via {source})\n\
                         rename the crate or get ownership before the first publish: see docs/releasing.md",
                        repository.as_deref().unwrap_or("not declared"),
                    ),
                );
            }
            NameStatus::Unknown { reason } => report.line(
                Outcome::Warn,
                &check,
                &format!(
                    "crates.io unreachable, name not checked: {}",
                    first_line(&reason)
                ),
            ),
        }
    }
}

/// `cargo package` of one crate (with the members it needs, so cargo can
/// resolve them locally), without the verification build.
fn check_package(root: &Path, ws: &Workspace, name: &str, report: &mut Report) -> Result<()> {
    let mut command = cmd::cargo(root);
    command.args(["package", "--no-verify", "--allow-dirty", "--quiet"]);
    for member in ws.closure(name) {
        if ws.members.get(&member).is_some_and(|m| m.publishable) {
            command.args(["-p", &member]);
        }
    }
    let out = cmd::capture(&mut command)?;
    let check = format!("package {name}");
    if out.success {
        report.line(Outcome::Pass, &check, "cargo package --no-verify");
    } else {
        report.line(Outcome::Fail, &check, &cmd::tail(&out.stderr, 4));
    }
    Ok(())
}

/// How a failed `cargo publish --workspace --dry-run` should be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DryRunFailure {
    /// A member is not on crates.io yet: expected before the first publish.
    FirstPublish(String),
    /// This cargo has no `publish --workspace` (needs 1.90).
    CargoTooOld,
    /// Anything else: a real problem.
    Other,
}

/// Classifies the standard error of a failed dry run.
pub(crate) fn classify_dry_run(stderr: &str, members: &[&str]) -> DryRunFailure {
    if stderr.contains("unexpected argument '--workspace'") {
        return DryRunFailure::CargoTooOld;
    }
    for member in members {
        let unresolved = [
            format!("no matching package named `{member}` found"),
            format!("failed to select a version for the requirement `{member} ="),
        ];
        if unresolved
            .iter()
            .any(|needle| stderr.contains(needle.as_str()))
        {
            return DryRunFailure::FirstPublish((*member).to_owned());
        }
    }
    DryRunFailure::Other
}

/// `cargo publish --workspace --dry-run`: packages and (unless
/// `--no-verify`) builds every publishable crate in dependency order.
fn check_publish_dry_run(
    root: &Path,
    ws: &Workspace,
    no_verify: bool,
    report: &mut Report,
) -> Result<()> {
    let mut command = cmd::cargo(root);
    command.args(["publish", "--workspace", "--dry-run", "--allow-dirty"]);
    if no_verify {
        command.arg("--no-verify");
    }
    eprintln!(
        "xtask: running {} (this builds every crate unless --no-verify)",
        cmd::describe(&command)
    );
    let out = cmd::capture_stderr_teed(&mut command)?;
    let check = "publish --dry-run";
    let mode = if no_verify {
        "packaged (verification skipped)"
    } else {
        "packaged and verified"
    };
    if out.success {
        report.line(Outcome::Pass, check, &format!("every crate {mode}"));
        return Ok(());
    }
    let members: Vec<&str> = ws.members.keys().map(String::as_str).collect();
    match classify_dry_run(&out.stderr, &members) {
        DryRunFailure::FirstPublish(name) => report.line(
            Outcome::Warn,
            check,
            &format!("expected before the first publish: {name} is not on crates.io yet\n{}", cmd::tail(&out.stderr, 3)),
        ),
        DryRunFailure::CargoTooOld => report.line(
            Outcome::Warn,
            check,
            "this cargo has no `publish --workspace` (needs 1.90+); per-crate packaging above still ran",
        ),
        DryRunFailure::Other => report.line(Outcome::Fail, check, &cmd::tail(&out.stderr, 6)),
    }
    Ok(())
}

/// The first line of `text`.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn dry_run_failures_are_classified() {
        let members = ["media-core", "media-sdk"];
        let first = "error: failed to prepare local package\nCaused by:\n  failed to select a version for the requirement `media-core = \"=0.1.0\"`\n";
        assert_eq!(
            classify_dry_run(first, &members),
            DryRunFailure::FirstPublish("media-core".to_owned())
        );
        let missing = "  no matching package named `media-sdk` found\n";
        assert_eq!(
            classify_dry_run(missing, &members),
            DryRunFailure::FirstPublish("media-sdk".to_owned())
        );
        assert_eq!(
            classify_dry_run("error: unexpected argument '--workspace' found", &members),
            DryRunFailure::CargoTooOld
        );
        assert_eq!(
            classify_dry_run("error[E0308]: mismatched types", &members),
            DryRunFailure::Other
        );
    }

    #[test]
    fn missing_metadata_is_listed() {
        let member = Member {
            name: "x".to_owned(),
            version: "0.1.0".to_owned(),
            manifest_path: PathBuf::from("/nonexistent/Cargo.toml"),
            publishable: true,
            description: Some("d".to_owned()),
            license: Some("MIT".to_owned()),
            repository: None,
            readme: Some("README.md".to_owned()),
            keywords: vec!["k".to_owned()],
            categories: Vec::new(),
            rust_version: Some("1.88".to_owned()),
            has_docs_rs: false,
            features: Vec::new(),
            deps: Vec::new(),
        };
        assert_eq!(
            missing_metadata(&member),
            [
                "repository",
                "readme",
                "categories",
                "[package.metadata.docs.rs]"
            ]
        );
    }
}
