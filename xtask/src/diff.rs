//! Planned file changes and their unified diff.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use similar::TextDiff;

/// A file and the content it would have after a change.
#[derive(Debug, Clone)]
pub(crate) struct FileChange {
    /// Absolute path.
    pub(crate) path: PathBuf,
    /// Content now (empty for a new file).
    pub(crate) old: String,
    /// Content after the change.
    pub(crate) new: String,
}

impl FileChange {
    /// A unified diff (3 lines of context) with paths relative to `root`.
    pub(crate) fn unified_diff(&self, root: &Path) -> String {
        let rel = self.path.strip_prefix(root).unwrap_or(&self.path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let old_header = if self.old.is_empty() {
            "/dev/null".to_owned()
        } else {
            format!("a/{rel}")
        };
        TextDiff::from_lines(&self.old, &self.new)
            .unified_diff()
            .context_radius(3)
            .header(&old_header, &format!("b/{rel}"))
            .to_string()
    }

    /// Writes the new content.
    pub(crate) fn write(&self) -> Result<()> {
        std::fs::write(&self.path, &self.new)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_git_style_headers_and_hunks() {
        let change = FileChange {
            path: PathBuf::from("/w/Cargo.toml"),
            old: "a\nversion = \"0.1.0\"\nc\n".to_owned(),
            new: "a\nversion = \"0.2.0\"\nc\n".to_owned(),
        };
        let diff = change.unified_diff(Path::new("/w"));
        assert!(diff.starts_with("--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1,3 +1,3 @@\n"));
        assert!(diff.contains("-version = \"0.1.0\"\n+version = \"0.2.0\"\n"));
    }
}
