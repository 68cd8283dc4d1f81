//! `cargo xtask release bump <major|minor|patch|X.Y.Z> [--dry-run]`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use semver::Version;

use crate::changelog::{self, Commit};
use crate::diff::FileChange;
use crate::workspace::Workspace;
use crate::{cmd, date, git, manifest};

/// How far to move the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Level {
    /// `X+1.0.0`.
    Major,
    /// `X.Y+1.0`.
    Minor,
    /// `X.Y.Z+1`.
    Patch,
    /// An explicit version.
    Exact(Version),
}

impl Level {
    /// Parses `major`, `minor`, `patch` or a semver version.
    pub(crate) fn parse(raw: &str) -> Result<Self> {
        Ok(match raw {
            "major" => Self::Major,
            "minor" => Self::Minor,
            "patch" => Self::Patch,
            other => Self::Exact(Version::parse(other.trim_start_matches('v')).with_context(
                || format!("{other:?} is neither major, minor, patch nor a version like 0.2.0"),
            )?),
        })
    }

    /// The version after `current`. An explicit one must be greater, or
    /// equal when `current` was never released (`same_allowed`): that writes
    /// only the changelog section of the pending first release.
    pub(crate) fn apply(&self, current: &Version, same_allowed: bool) -> Result<Version> {
        let next = match self {
            Self::Major => Version::new(current.major + 1, 0, 0),
            Self::Minor => Version::new(current.major, current.minor + 1, 0),
            Self::Patch => Version::new(current.major, current.minor, current.patch + 1),
            Self::Exact(version) => version.clone(),
        };
        if next < *current || (next == *current && !same_allowed) {
            bail!("{next} is not greater than the current version {current}");
        }
        Ok(next)
    }
}

/// The inputs of a bump that come from outside the files.
#[derive(Debug, Clone)]
pub(crate) struct Inputs {
    /// Release date, `YYYY-MM-DD`.
    pub(crate) date: String,
    /// Commits since the last tag, newest first.
    pub(crate) commits: Vec<Commit>,
    /// Whether the current version has a `v<version>` tag (was released).
    pub(crate) current_tagged: bool,
}

/// The result of planning a bump.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Version before.
    pub(crate) old: Version,
    /// Version after.
    pub(crate) new: Version,
    /// Files that change (only those whose content differs).
    pub(crate) changes: Vec<FileChange>,
}

/// Entry point.
pub(crate) fn run(root: &Path, level: &str, dry_run: bool) -> Result<ExitCode> {
    let level = Level::parse(level)?;
    let tag = git::last_tag(root)?;
    let commits = git::commits_since(root, tag.as_deref())?;
    eprintln!(
        "xtask: {} commit(s) since {}",
        commits.len(),
        tag.as_deref().unwrap_or("the first commit (no tag yet)")
    );
    let inputs = Inputs {
        date: date::today_utc(),
        commits,
        current_tagged: git::has_tag(root, &format!("v{}", current_version(root)?))?,
    };
    let plan = plan(root, &level, &inputs)?;
    eprintln!("xtask: version {} -> {}", plan.old, plan.new);
    if dry_run {
        for change in &plan.changes {
            print!("{}", change.unified_diff(root));
        }
        eprintln!(
            "xtask: dry run: {} file(s) would change, nothing written",
            plan.changes.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    apply(root, &plan)?;
    eprintln!(
        "xtask: bumped to {}; review CHANGELOG.md, commit, then run `cargo xtask release check`",
        plan.new
    );
    Ok(ExitCode::SUCCESS)
}

/// Computes every file change of the bump without writing anything.
pub(crate) fn plan(root: &Path, level: &Level, inputs: &Inputs) -> Result<Plan> {
    let ws = Workspace::load(root)?;
    let members: BTreeSet<String> = ws.members.keys().cloned().collect();
    let root_manifest = root.join("Cargo.toml");
    let root_text = read(&root_manifest)?;
    let old = manifest::workspace_version(&manifest::parse(&root_text, "Cargo.toml")?)?;
    let new = level.apply(&old, !inputs.current_tagged)?;

    let mut manifests: BTreeSet<PathBuf> = ws
        .members
        .values()
        .map(|m| m.manifest_path.clone())
        .collect();
    manifests.insert(root_manifest);
    let mut changes = Vec::new();
    for path in manifests {
        let text = read(&path)?;
        let bumped = manifest::bump_manifest(&text, &members, &new)
            .with_context(|| format!("in {}", path.display()))?;
        push_change(&mut changes, path, text, bumped);
    }

    let lock = root.join("Cargo.lock");
    if lock.exists() {
        let text = read(&lock)?;
        let bumped = manifest::bump_lock(&text, &members, &old, &new)?;
        push_change(&mut changes, lock, text, bumped);
    }

    let changelog_path = root.join("CHANGELOG.md");
    let existing = changelog_path
        .exists()
        .then(|| read(&changelog_path))
        .transpose()?;
    let section = changelog::render_section(&new.to_string(), &inputs.date, &inputs.commits);
    let updated = changelog::insert_section(existing.as_deref(), &new.to_string(), &section)?;
    push_change(
        &mut changes,
        changelog_path,
        existing.unwrap_or_default(),
        updated,
    );

    Ok(Plan { old, new, changes })
}

/// Writes the planned files, then lets cargo confirm Cargo.lock.
pub(crate) fn apply(root: &Path, plan: &Plan) -> Result<()> {
    for change in &plan.changes {
        change.write()?;
        eprintln!("xtask: wrote {}", change.path.display());
    }
    refresh_lock(root)
}

/// `cargo update --workspace --offline`, falling back to `cargo metadata`
/// (which also rewrites Cargo.lock for changed member versions).
fn refresh_lock(root: &Path) -> Result<()> {
    let update = cmd::capture(cmd::cargo(root).args(["update", "--workspace", "--offline"]))?;
    if update.success {
        return Ok(());
    }
    eprintln!(
        "xtask: `cargo update --workspace --offline` failed ({}); trying `cargo metadata`",
        cmd::tail(&update.stderr, 1)
    );
    cmd::stdout_of(cmd::cargo(root).args(["metadata", "--format-version", "1"]))
        .map(drop)
        .context("cannot refresh Cargo.lock")
}

/// `[workspace.package] version` of the workspace at `root`.
fn current_version(root: &Path) -> Result<Version> {
    let text = read(&root.join("Cargo.toml"))?;
    manifest::workspace_version(&manifest::parse(&text, "Cargo.toml")?)
}

/// Records a change when the content differs.
fn push_change(changes: &mut Vec<FileChange>, path: PathBuf, old: String, new: String) {
    if old != new {
        changes.push(FileChange { path, old, new });
    }
}

/// Reads a UTF-8 file.
fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn levels_parse_and_apply() {
        let v = Version::new(0, 1, 3);
        let apply = |raw: &str| Level::parse(raw).unwrap().apply(&v, false);
        assert_eq!(apply("major").unwrap(), Version::new(1, 0, 0));
        assert_eq!(apply("minor").unwrap(), Version::new(0, 2, 0));
        assert_eq!(apply("patch").unwrap(), Version::new(0, 1, 4));
        assert_eq!(apply("v0.5.0").unwrap(), Version::new(0, 5, 0));
        assert!(apply("0.1.3").is_err());
        assert!(apply("0.1.2").is_err());
        // An unreleased current version may be named again (first release).
        let same = Level::parse("0.1.3").unwrap().apply(&v, true).unwrap();
        assert_eq!(same, v);
        assert!(Level::parse("huge").is_err());
    }

    /// A small workspace shaped like ours: root with internal
    /// `[workspace.dependencies]`, a core crate, a mock crate used as a
    /// dev-dependency, an umbrella with a crate-level internal requirement.
    fn synthesize(dir: &Path) {
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n\
                 [workspace.package]\nversion = \"0.1.0\" # lockstep\nedition = \"2024\"\n\n\
                 [workspace.dependencies]\n# Internal crates.\n\
                 core = { path = \"crates/core\", version = \"=0.1.0\" }\n\
                 mock = { path = \"crates/mock\", version = \"=0.1.0\" }\n",
            ),
            (
                "crates/core/Cargo.toml",
                "[package]\nname = \"core\"\nversion.workspace = true\nedition.workspace = true\n\n\
                 [dev-dependencies]\nmock.workspace = true\n",
            ),
            (
                "crates/mock/Cargo.toml",
                "[package]\nname = \"mock\"\nversion.workspace = true\nedition.workspace = true\n",
            ),
            (
                "crates/umbrella/Cargo.toml",
                "[package]\nname = \"umbrella\"\nversion.workspace = true\nedition.workspace = true\n\n\
                 [dependencies]\ncore = { path = \"../core\", version = \"=0.1.0\" } # pinned\n",
            ),
            ("crates/core/src/lib.rs", "//! core\n"),
            ("crates/mock/src/lib.rs", "//! mock\n"),
            ("crates/umbrella/src/lib.rs", "//! umbrella\n"),
            (
                "CHANGELOG.md",
                "# Changelog\n\nIntro.\n\n## [0.1.0] - 2026-01-01\n\n- First (a0)\n",
            ),
        ];
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        // A lock file as cargo writes it (no external dependencies: offline).
        let status = std::process::Command::new(cmd::cargo_program())
            .args(["generate-lockfile", "--offline"])
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success());
    }

    #[test]
    fn bump_on_a_temporary_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        synthesize(root);
        let inputs = Inputs {
            date: "2026-11-24".to_owned(),
            commits: vec![
                Commit {
                    hash: "b1".to_owned(),
                    subject: "Fix retries".to_owned(),
                },
                Commit {
                    hash: "c2".to_owned(),
                    subject: "feat: umbrella crate".to_owned(),
                },
            ],
            current_tagged: true,
        };

        // Planning writes nothing.
        let before = fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let plan = plan(root, &Level::Minor, &inputs).unwrap();
        assert_eq!(plan.new, Version::new(0, 2, 0));
        assert_eq!(fs::read_to_string(root.join("Cargo.toml")).unwrap(), before);
        let changed: BTreeSet<String> = plan
            .changes
            .iter()
            .map(|c| {
                c.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            changed.into_iter().collect::<Vec<_>>(),
            [
                "CHANGELOG.md",
                "Cargo.lock",
                "Cargo.toml",
                "crates/umbrella/Cargo.toml"
            ]
        );
        let diff: String = plan.changes.iter().map(|c| c.unified_diff(root)).collect();
        assert!(diff.contains("+version = \"0.2.0\" # lockstep\n"));

        apply(root, &plan).unwrap();
        let root_toml = fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(root_toml.contains("version = \"0.2.0\" # lockstep"));
        assert!(root_toml.contains(
            "# Internal crates.\ncore = { path = \"crates/core\", version = \"=0.2.0\" }"
        ));
        assert!(root_toml.contains("mock = { path = \"crates/mock\", version = \"=0.2.0\" }"));
        let umbrella = fs::read_to_string(root.join("crates/umbrella/Cargo.toml")).unwrap();
        assert!(umbrella.contains("core = { path = \"../core\", version = \"=0.2.0\" } # pinned"));
        let changelog = fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
        assert!(changelog.contains(
            "Intro.\n\n## [0.2.0] - 2026-11-24\n\n### Features\n\n- umbrella crate (c2)\n\n### Fixes\n\n- Fix retries (b1)\n\n## [0.1.0]"
        ));

        // Cargo agrees: every member is at 0.2.0 and the lock is in sync.
        let ws = Workspace::load(root).unwrap();
        assert!(ws.members.values().all(|m| m.version == "0.2.0"));
        let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap();
        assert_eq!(lock.matches("version = \"0.2.0\"").count(), 3);
        let locked = std::process::Command::new(cmd::cargo_program())
            .args(["metadata", "--format-version", "1", "--locked", "--offline"])
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            locked.status.success(),
            "{}",
            String::from_utf8_lossy(&locked.stderr)
        );

        // The same version twice is refused.
        assert!(plan_again_fails(root, &inputs));
    }

    fn plan_again_fails(root: &Path, inputs: &Inputs) -> bool {
        let untagged = Inputs {
            current_tagged: false,
            ..inputs.clone()
        };
        plan(root, &Level::Exact(Version::new(0, 2, 0)), &untagged).is_err()
    }

    #[test]
    fn first_release_writes_only_the_changelog() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        synthesize(root);
        fs::remove_file(root.join("CHANGELOG.md")).unwrap();
        let inputs = Inputs {
            date: "2026-11-24".to_owned(),
            commits: vec![Commit {
                hash: "a1".to_owned(),
                subject: "Add core".to_owned(),
            }],
            current_tagged: false,
        };
        let plan = plan(root, &Level::Exact(Version::new(0, 1, 0)), &inputs).unwrap();
        assert_eq!(plan.changes.len(), 1);
        assert!(plan.changes[0].path.ends_with("CHANGELOG.md"));
        assert!(
            plan.changes[0]
                .new
                .contains("## [0.1.0] - 2026-11-24\n\n### Features\n\n- Add core (a1)\n")
        );
        let tagged = Inputs {
            current_tagged: true,
            ..inputs
        };
        assert!(super::plan(root, &Level::Exact(Version::new(0, 1, 0)), &tagged).is_err());
    }
}
