//! The few git queries the release commands need.

use std::path::Path;

use anyhow::Result;

use crate::changelog::Commit;
use crate::cmd;

/// Paths with uncommitted changes (`git status --porcelain`), one per line.
pub(crate) fn dirty_paths(root: &Path) -> Result<Vec<String>> {
    let out = cmd::stdout_of(cmd::git(root).args(["status", "--porcelain"]))?;
    Ok(out
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// The most recent tag reachable from HEAD, if any.
pub(crate) fn last_tag(root: &Path) -> Result<Option<String>> {
    let captured = cmd::capture(cmd::git(root).args(["describe", "--tags", "--abbrev=0"]))?;
    let tag = captured.stdout.trim();
    Ok((captured.success && !tag.is_empty()).then(|| tag.to_owned()))
}

/// Whether the tag `name` exists.
pub(crate) fn has_tag(root: &Path, name: &str) -> Result<bool> {
    let reference = format!("refs/tags/{name}");
    Ok(cmd::capture(cmd::git(root).args(["rev-parse", "-q", "--verify", &reference]))?.success)
}

/// Non-merge commits since `since` (exclusive), newest first; every commit
/// of HEAD when `since` is `None`.
pub(crate) fn commits_since(root: &Path, since: Option<&str>) -> Result<Vec<Commit>> {
    let range = since.map_or_else(|| "HEAD".to_owned(), |tag| format!("{tag}..HEAD"));
    let out =
        cmd::stdout_of(cmd::git(root).args(["log", "--no-merges", "--format=%h%x1f%s", &range]))?;
    Ok(out
        .lines()
        .filter_map(|line| {
            let (hash, subject) = line.split_once('\u{1f}')?;
            Some(Commit {
                hash: hash.to_owned(),
                subject: subject.to_owned(),
            })
        })
        .collect())
}
