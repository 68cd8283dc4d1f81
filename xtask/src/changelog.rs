//! CHANGELOG.md sections built from commit subjects.
//!
//! Classification rule (also in docs/releasing.md):
//! 1. A conventional prefix wins: `type(scope)!: text` or `type: text`, where
//!    `type` is one of feat, fix, docs, perf, refactor, test, chore (and
//!    build, ci, style, revert, which count as chores). `!` marks a breaking
//!    change.
//! 2. Otherwise a short scope prefix (`media-core: …`, at most two words
//!    before the first `: `) is set aside, and the first word of the rest is
//!    looked up in a table of leading verbs (`Add` → feat, `Fix` → fix,
//!    `Document` → docs, `Speed` → perf, `Rename` → refactor, `Test` →
//!    test, `Bump` → chore, …).
//! 3. Anything else is `other`.

/// One commit: abbreviated hash and subject line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// Abbreviated hash.
    pub(crate) hash: String,
    /// Subject line.
    pub(crate) subject: String,
}

/// The kind of a change, in the order sections are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// New functionality.
    Feat,
    /// Bug fixes.
    Fix,
    /// Documentation.
    Docs,
    /// Performance.
    Perf,
    /// Restructuring without a behaviour change.
    Refactor,
    /// Tests.
    Test,
    /// Build, CI, dependencies, releases.
    Chore,
    /// Everything the rules cannot place.
    Other,
}

impl Kind {
    /// Every kind, in section order.
    const ALL: [Self; 8] = [
        Self::Feat,
        Self::Fix,
        Self::Docs,
        Self::Perf,
        Self::Refactor,
        Self::Test,
        Self::Chore,
        Self::Other,
    ];

    /// The section heading.
    fn heading(self) -> &'static str {
        match self {
            Self::Feat => "Features",
            Self::Fix => "Fixes",
            Self::Docs => "Documentation",
            Self::Perf => "Performance",
            Self::Refactor => "Refactoring",
            Self::Test => "Tests",
            Self::Chore => "Chores",
            Self::Other => "Other changes",
        }
    }

    /// The kind a conventional-commit type names.
    fn from_conventional(kind: &str) -> Option<Self> {
        Some(match kind.to_ascii_lowercase().as_str() {
            "feat" | "feature" => Self::Feat,
            "fix" | "bugfix" => Self::Fix,
            "docs" | "doc" => Self::Docs,
            "perf" => Self::Perf,
            "refactor" => Self::Refactor,
            "test" | "tests" => Self::Test,
            "chore" | "build" | "ci" | "style" | "revert" | "release" => Self::Chore,
            _ => return None,
        })
    }

    /// The kind a leading word suggests.
    fn from_leading_word(word: &str) -> Self {
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase();
        match word.as_str() {
            "add" | "adds" | "added" | "implement" | "implements" | "implemented" | "introduce"
            | "introduces" | "support" | "supports" | "new" | "create" | "enable" | "allow"
            | "expose" | "feat" | "feature" => Self::Feat,
            "fix" | "fixes" | "fixed" | "correct" | "corrects" | "repair" | "resolve"
            | "prevent" | "avoid" | "handle" | "bugfix" => Self::Fix,
            "doc" | "docs" | "document" | "documents" | "documented" | "readme" | "explain"
            | "describe" => Self::Docs,
            "perf" | "speed" | "optimize" | "optimise" | "faster" | "cache" => Self::Perf,
            "refactor" | "refactors" | "rename" | "renames" | "move" | "moves" | "extract"
            | "split" | "simplify" | "restructure" | "reorganize" | "reorganise" | "clean"
            | "cleanup" | "inline" | "replace" | "unify" => Self::Refactor,
            "test" | "tests" | "cover" | "covers" => Self::Test,
            "bump" | "update" | "upgrade" | "release" | "chore" | "ci" | "build" | "pin"
            | "deps" | "remove" | "drop" => Self::Chore,
            _ => Self::Other,
        }
    }
}

/// A classified commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Its kind.
    pub(crate) kind: Kind,
    /// Whether a conventional `!` marked it breaking.
    pub(crate) breaking: bool,
    /// The text to show: the subject without its conventional type.
    pub(crate) text: String,
    /// Abbreviated hash.
    pub(crate) hash: String,
}

/// Classifies one commit (see the module docs for the rule).
pub(crate) fn classify(commit: &Commit) -> Entry {
    let subject = commit.subject.trim();
    if let Some((kind, scope, breaking, rest)) = conventional(subject) {
        let text = scope.map_or_else(|| rest.to_owned(), |s| format!("{s}: {rest}"));
        return Entry {
            kind,
            breaking,
            text,
            hash: commit.hash.clone(),
        };
    }
    let body = strip_scope(subject);
    let kind = body
        .split_whitespace()
        .next()
        .map_or(Kind::Other, Kind::from_leading_word);
    Entry {
        kind,
        breaking: false,
        text: subject.to_owned(),
        hash: commit.hash.clone(),
    }
}

/// Splits `type(scope)!: rest` when `type` is a known conventional type.
fn conventional(subject: &str) -> Option<(Kind, Option<&str>, bool, &str)> {
    let (head, rest) = subject.split_once(':')?;
    let rest = rest.trim_start();
    let (head, breaking) = head.strip_suffix('!').map_or((head, false), |h| (h, true));
    let (kind, scope) = match head.split_once('(') {
        Some((kind, scope)) => (kind, Some(scope.strip_suffix(')')?)),
        None => (head, None),
    };
    if kind.contains(char::is_whitespace) || rest.is_empty() {
        return None;
    }
    Some((Kind::from_conventional(kind)?, scope, breaking, rest))
}

/// `media-core: Add x` → `Add x`, when the part before `: ` is at most two
/// words and 30 characters; otherwise the subject unchanged.
fn strip_scope(subject: &str) -> &str {
    match subject.split_once(": ") {
        Some((scope, rest)) if scope.len() <= 30 && scope.split_whitespace().count() <= 2 => rest,
        _ => subject,
    }
}

/// The Markdown section for `version`, released on `date`, listing
/// `commits` grouped by kind (commit order kept within a group).
pub(crate) fn render_section(version: &str, date: &str, commits: &[Commit]) -> String {
    let entries: Vec<Entry> = commits.iter().map(classify).collect();
    let mut out = format!("## [{version}] - {date}\n");
    if entries.is_empty() {
        out.push_str("\n- No changes recorded.\n");
    }
    for kind in Kind::ALL {
        let group: Vec<&Entry> = entries.iter().filter(|e| e.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str("\n### ");
        out.push_str(kind.heading());
        out.push_str("\n\n");
        for entry in group {
            let breaking = if entry.breaking { "**breaking:** " } else { "" };
            out.push_str(&["- ", breaking, &entry.text, " (", &entry.hash, ")\n"].concat());
        }
    }
    out
}

/// The header of a new CHANGELOG.md.
pub(crate) const HEADER: &str = "# Changelog\n\n\
All notable changes to the media-sdk crates. Every crate of the workspace \
shares one version. Sections are generated by `cargo xtask release bump` \
from the commit subjects since the previous tag, then edited by hand \
(see docs/releasing.md).\n";

/// `existing` (or a new changelog) with `section` inserted above the first
/// `## ` heading. Fails if a section for `version` is already there.
pub(crate) fn insert_section(
    existing: Option<&str>,
    version: &str,
    section: &str,
) -> anyhow::Result<String> {
    let existing = existing.unwrap_or(HEADER);
    let marker = format!("## [{version}]");
    if existing.lines().any(|l| l.starts_with(&marker)) {
        anyhow::bail!("CHANGELOG.md already has a section for {version}");
    }
    let mut offset = 0;
    for line in existing.split_inclusive('\n') {
        if line.starts_with("## ") {
            let (before, after) = existing.split_at(offset);
            return Ok(format!("{before}{section}\n{after}"));
        }
        offset += line.len();
    }
    let sep = if existing.ends_with("\n\n") || existing.is_empty() {
        ""
    } else if existing.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    Ok(format!("{existing}{sep}{section}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(hash: &str, subject: &str) -> Commit {
        Commit {
            hash: hash.to_owned(),
            subject: subject.to_owned(),
        }
    }

    fn kind_of(subject: &str) -> Kind {
        classify(&commit("0", subject)).kind
    }

    #[test]
    fn conventional_prefixes_win() {
        assert_eq!(kind_of("feat(core): add polling"), Kind::Feat);
        assert_eq!(kind_of("fix: retry on 503"), Kind::Fix);
        assert_eq!(kind_of("docs: provider decisions"), Kind::Docs);
        assert_eq!(kind_of("perf: fewer clones"), Kind::Perf);
        assert_eq!(kind_of("refactor!: split engine"), Kind::Refactor);
        assert_eq!(kind_of("test: cover pagination"), Kind::Test);
        assert_eq!(kind_of("ci: cache target"), Kind::Chore);
        let entry = classify(&commit("abc", "feat(media-core)!: new Error shape"));
        assert!(entry.breaking);
        assert_eq!(entry.text, "media-core: new Error shape");
    }

    #[test]
    fn leading_verbs_classify_unprefixed_subjects() {
        assert_eq!(kind_of("Add TwelveLabs search"), Kind::Feat);
        assert_eq!(kind_of("Fix README example"), Kind::Fix);
        assert_eq!(kind_of("media-core: Fix retry jitter"), Kind::Fix);
        assert_eq!(kind_of("media CLI: Rename subcommands"), Kind::Refactor);
        assert_eq!(kind_of("README with the two commands"), Kind::Docs);
        assert_eq!(kind_of("Bump reqwest"), Kind::Chore);
        assert_eq!(kind_of("Tests for AnyClient"), Kind::Test);
        // A long phrase before the colon is not a scope, and no verb leads.
        assert_eq!(
            kind_of("Four seed endpoints end to end: provider crates"),
            Kind::Other
        );
        assert_eq!(kind_of("Workspace skeleton: nine crates"), Kind::Other);
        assert_eq!(kind_of(""), Kind::Other);
    }

    #[test]
    fn section_groups_by_kind_in_fixed_order() {
        let commits = [
            commit("a1", "Workspace skeleton: nine crates"),
            commit("b2", "Fix README example"),
            commit("c3", "feat: AnyClient"),
            commit("d4", "docs: testing guide"),
            commit("e5", "Add media-mock"),
        ];
        let section = render_section("0.2.0", "2026-11-24", &commits);
        assert_eq!(
            section,
            "## [0.2.0] - 2026-11-24\n\
             \n### Features\n\n- AnyClient (c3)\n- Add media-mock (e5)\n\
             \n### Fixes\n\n- Fix README example (b2)\n\
             \n### Documentation\n\n- testing guide (d4)\n\
             \n### Other changes\n\n- Workspace skeleton: nine crates (a1)\n"
        );
    }

    #[test]
    fn empty_history_still_renders_a_section() {
        assert_eq!(
            render_section("1.0.0", "2026-01-01", &[]),
            "## [1.0.0] - 2026-01-01\n\n- No changes recorded.\n"
        );
    }

    #[test]
    fn sections_are_inserted_above_the_previous_release() {
        let old = "# Changelog\n\nIntro.\n\n## [0.1.0] - 2026-01-01\n\n- x (a)\n";
        let new =
            insert_section(Some(old), "0.2.0", "## [0.2.0] - 2026-02-01\n\n- y (b)\n").unwrap();
        assert_eq!(
            new,
            "# Changelog\n\nIntro.\n\n## [0.2.0] - 2026-02-01\n\n- y (b)\n\n## [0.1.0] - 2026-01-01\n\n- x (a)\n"
        );
        assert!(insert_section(Some(&new), "0.2.0", "").is_err());
    }

    #[test]
    fn a_missing_or_header_only_changelog_gets_the_section_appended() {
        let new = insert_section(None, "0.1.0", "## [0.1.0] - d\n").unwrap();
        assert!(new.starts_with("# Changelog\n"));
        assert!(new.ends_with(".\n\n## [0.1.0] - d\n"));
    }
}
