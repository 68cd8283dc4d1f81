//! File-system helpers for downloads whose names come from a server.

use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Joins a file name (or relative path) chosen by a server onto `dir`,
/// refusing anything that could land outside it: absolute paths, `..`,
/// drive prefixes, empty names, NUL bytes, and paths through an existing
/// symbolic link inside `dir`.
///
/// ```
/// # use std::path::Path;
/// let dir = Path::new("/tmp/frames");
/// assert_eq!(
///     media_core::fs::safe_join(dir, "im_1/frame_0001.jpg").unwrap(),
///     Path::new("/tmp/frames/im_1/frame_0001.jpg"),
/// );
/// assert!(media_core::fs::safe_join(dir, "../../etc/passwd").is_err());
/// assert!(media_core::fs::safe_join(dir, "/etc/passwd").is_err());
/// ```
pub fn safe_join(dir: &Path, name: &str) -> Result<PathBuf> {
    let refuse = |why: &str| {
        Err(Error::InvalidInput(format!(
            "refusing file name {name:?}: {why}"
        )))
    };
    if name.is_empty() || name.contains('\0') {
        return refuse("empty or contains NUL");
    }
    let normalized = name.replace('\\', "/");
    let mut joined = dir.to_path_buf();
    let mut depth = 0usize;
    for component in Path::new(&normalized).components() {
        match component {
            Component::Normal(part) => {
                joined.push(part);
                depth += 1;
                if std::fs::symlink_metadata(&joined).is_ok_and(|m| m.file_type().is_symlink()) {
                    return refuse("it goes through a symbolic link");
                }
            }
            Component::CurDir => {}
            Component::ParentDir => return refuse("it climbs out of the target directory"),
            Component::RootDir | Component::Prefix(_) => return refuse("it is absolute"),
        }
    }
    if depth == 0 {
        return refuse("it names no file");
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(safe_join(root, "a.jpg").unwrap(), root.join("a.jpg"));
        assert_eq!(
            safe_join(root, "./x/a.jpg").unwrap(),
            root.join("x").join("a.jpg")
        );
        for bad in [
            "",
            ".",
            "..",
            "../a",
            "x/../../a",
            "/etc/passwd",
            "..\\..\\a",
            "a\0b",
        ] {
            assert!(safe_join(root, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        assert!(safe_join(dir.path(), "link/a.jpg").is_err());
        assert!(safe_join(dir.path(), "link").is_err());
    }
}
