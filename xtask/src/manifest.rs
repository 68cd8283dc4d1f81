//! Format-preserving edits of Cargo.toml and Cargo.lock with `toml_edit`.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use semver::Version;
use toml_edit::{DocumentMut, Item, TableLike, Value};

/// The dependency tables a manifest may hold at its top level or under
/// `[target.'cfg(…)']`.
const DEP_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// Parses a TOML document, naming `what` in the error.
pub(crate) fn parse(text: &str, what: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .with_context(|| format!("cannot parse {what} as TOML"))
}

/// `[workspace.package] version` of a root manifest.
pub(crate) fn workspace_version(doc: &DocumentMut) -> Result<Version> {
    let raw = doc
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(Item::as_str)
        .context("root Cargo.toml has no [workspace.package] version")?;
    Version::parse(raw)
        .with_context(|| format!("[workspace.package] version {raw:?} is not semver"))
}

/// `req` moved to `new`: the comparison operator is kept (`=0.1.0` →
/// `=0.2.0`, `0.1` → `0.2.0`, `^0.1.0` → `^0.2.0`).
pub(crate) fn bump_req(req: &str, new: &Version) -> String {
    let trimmed = req.trim();
    let op_len = trimmed
        .find(|c: char| !matches!(c, '=' | '^' | '~' | '>' | '<' | ' '))
        .unwrap_or(trimmed.len());
    format!("{}{new}", &trimmed[..op_len])
}

/// Replaces the string `value` keeping its surrounding whitespace and comments.
fn set_str(value: &mut Value, text: &str) {
    let decor = value.decor().clone();
    *value = Value::from(text);
    *value.decor_mut() = decor;
}

/// Sets `table[key]` to `text` if it holds a string; returns whether it changed.
fn set_str_key(table: &mut dyn TableLike, key: &str, text: &str) -> bool {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(value) if value.as_str().is_some_and(|old| old != text) => {
            set_str(value, text);
            true
        }
        _ => false,
    }
}

/// Updates the `version` requirement of every entry of `deps` that names a
/// member (by key or `package = …`), has a `path` and a `version`.
fn bump_dep_table(deps: &mut dyn TableLike, members: &BTreeSet<String>, new: &Version) {
    for (key, item) in deps.iter_mut() {
        let Some(dep) = item.as_table_like_mut() else {
            continue;
        };
        let package = dep
            .get("package")
            .and_then(Item::as_str)
            .unwrap_or(key.get())
            .to_owned();
        if !members.contains(&package) || dep.get("path").is_none() {
            continue;
        }
        let Some(req) = dep.get("version").and_then(Item::as_str).map(str::to_owned) else {
            continue;
        };
        set_str_key(dep, "version", &bump_req(&req, new));
    }
}

/// Every dependency table of `root` (top level and per target).
fn for_each_dep_table(root: &mut dyn TableLike, f: &mut dyn FnMut(&mut dyn TableLike)) {
    for name in DEP_TABLES {
        if let Some(table) = root.get_mut(name).and_then(Item::as_table_like_mut) {
            f(table);
        }
    }
    if let Some(targets) = root.get_mut("target").and_then(Item::as_table_like_mut) {
        for (_, target) in targets.iter_mut() {
            if let Some(target) = target.as_table_like_mut() {
                for name in DEP_TABLES {
                    if let Some(table) = target.get_mut(name).and_then(Item::as_table_like_mut) {
                        f(table);
                    }
                }
            }
        }
    }
}

/// A manifest (root or member) moved to `new`: `[workspace.package]
/// version`, a literal `[package] version`, `[workspace.dependencies]` and
/// every dependency table entry on a member.
pub(crate) fn bump_manifest(
    text: &str,
    members: &BTreeSet<String>,
    new: &Version,
) -> Result<String> {
    let mut doc = parse(text, "a manifest")?;
    let version = new.to_string();
    if let Some(package) = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("package"))
        .and_then(Item::as_table_like_mut)
    {
        set_str_key(package, "version", &version);
    }
    if let Some(deps) = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("dependencies"))
        .and_then(Item::as_table_like_mut)
    {
        bump_dep_table(deps, members, new);
    }
    if let Some(package) = doc.get_mut("package").and_then(Item::as_table_like_mut) {
        // `version.workspace = true` is a table, so only a literal changes.
        set_str_key(package, "version", &version);
    }
    for_each_dep_table(doc.as_table_mut(), &mut |table| {
        bump_dep_table(table, members, new);
    });
    Ok(doc.to_string())
}

/// Cargo.lock with every workspace member (no `source`) at `old` moved to
/// `new`, including `"name old"` references in dependency lists. `cargo
/// update --workspace --offline` makes the same change; doing it here lets
/// `--dry-run` show it.
pub(crate) fn bump_lock(
    text: &str,
    members: &BTreeSet<String>,
    old: &Version,
    new: &Version,
) -> Result<String> {
    let mut doc = parse(text, "Cargo.lock")?;
    let (old, new) = (old.to_string(), new.to_string());
    let Some(packages) = doc
        .get_mut("package")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Ok(text.to_owned());
    };
    for package in packages.iter_mut() {
        let is_member = package
            .get("name")
            .and_then(Item::as_str)
            .is_some_and(|n| members.contains(n));
        let local = package.get("source").is_none();
        let at_old = package.get("version").and_then(Item::as_str) == Some(old.as_str());
        if is_member && local && at_old {
            set_str_key(package, "version", &new);
        }
        if let Some(deps) = package.get_mut("dependencies").and_then(Item::as_array_mut) {
            for dep in deps.iter_mut() {
                let renamed = dep.as_str().and_then(|s| {
                    let (name, version) = s.split_once(' ')?;
                    (members.contains(name) && version == old).then(|| format!("{name} {new}"))
                });
                if let Some(renamed) = renamed {
                    set_str(dep, &renamed);
                }
            }
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn req_operator_is_kept() {
        let v = Version::new(0, 2, 0);
        assert_eq!(bump_req("=0.1.0", &v), "=0.2.0");
        assert_eq!(bump_req("0.1", &v), "0.2.0");
        assert_eq!(bump_req("^0.1.0", &v), "^0.2.0");
        assert_eq!(bump_req("~0.1.3", &v), "~0.2.0");
    }

    #[test]
    fn manifest_bump_keeps_comments_and_touches_only_internal_deps() {
        let text = r#"[workspace.package]
version = "0.1.0" # lockstep
edition = "2024"

[workspace.dependencies]
# Internal crates.
core = { path = "crates/core", version = "=0.1.0" }
renamed = { package = "mock", path = "crates/mock", version = "=0.1.0", default-features = false }
serde = { version = "0.1.0" }

[package]
name = "tool"
version = "0.1.0"

[dependencies]
core = { path = "crates/core", version = "=0.1.0" }
core2 = { workspace = true }

[dev-dependencies.mock]
path = "crates/mock"
version = "0.1.0"

[target.'cfg(unix)'.dependencies]
core = { path = "crates/core", version = "=0.1.0" }
"#;
        let out = bump_manifest(
            text,
            &names(&["core", "mock", "tool"]),
            &Version::new(0, 2, 0),
        )
        .unwrap();
        assert_eq!(
            out,
            text.replace("\"0.1.0\" # lockstep", "\"0.2.0\" # lockstep")
                .replace("\"=0.1.0\"", "\"=0.2.0\"")
                .replace(
                    "version = \"0.1.0\"\n\n[dependencies]",
                    "version = \"0.2.0\"\n\n[dependencies]"
                )
                .replace(
                    "version = \"0.1.0\"\n\n[target",
                    "version = \"0.2.0\"\n\n[target"
                )
        );
        assert!(out.contains("serde = { version = \"0.1.0\" }"));
    }

    #[test]
    fn lock_bump_moves_local_members_only() {
        let text = r#"version = 4

[[package]]
name = "core"
version = "0.1.0"
dependencies = [
 "mock 0.1.0",
 "serde",
]

[[package]]
name = "mock"
version = "0.1.0"

[[package]]
name = "mock"
version = "0.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "00"
"#;
        let out = bump_lock(
            text,
            &names(&["core", "mock"]),
            &Version::new(0, 1, 0),
            &Version::new(0, 2, 0),
        )
        .unwrap();
        assert_eq!(out.matches("version = \"0.2.0\"").count(), 2);
        assert!(out.contains(" \"mock 0.2.0\",\n"));
        assert!(out.contains("version = \"0.1.0\"\nsource = \"registry"));
    }
}
