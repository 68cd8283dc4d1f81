//! The workspace as `cargo metadata --no-deps` describes it, and the
//! dependency order in which its crates must be published.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::cmd;

/// The kind of a dependency edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DepKind {
    /// `[dependencies]`.
    Normal,
    /// `[dev-dependencies]`.
    Dev,
    /// `[build-dependencies]`.
    Build,
}

/// One dependency of a workspace member.
#[derive(Debug, Clone)]
pub(crate) struct Dep {
    /// The package name of the dependency (not its rename).
    pub(crate) name: String,
    /// The version requirement; `*` when none was written.
    pub(crate) req: String,
    /// Which table it comes from.
    pub(crate) kind: DepKind,
    /// Whether it is a path dependency.
    pub(crate) has_path: bool,
}

/// One workspace member and the metadata the release checks look at.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    /// Package name.
    pub(crate) name: String,
    /// Package version.
    pub(crate) version: String,
    /// Path of its Cargo.toml.
    pub(crate) manifest_path: PathBuf,
    /// Whether `cargo publish` may send it to crates.io.
    pub(crate) publishable: bool,
    /// `description`.
    pub(crate) description: Option<String>,
    /// `license` (or `license-file`).
    pub(crate) license: Option<String>,
    /// `repository`.
    pub(crate) repository: Option<String>,
    /// `readme`, as a path relative to the manifest or absolute.
    pub(crate) readme: Option<String>,
    /// `keywords`.
    pub(crate) keywords: Vec<String>,
    /// `categories`.
    pub(crate) categories: Vec<String>,
    /// `rust-version`.
    pub(crate) rust_version: Option<String>,
    /// Whether `[package.metadata.docs.rs]` is present (cargo metadata nests
    /// it as `metadata.docs.rs`).
    pub(crate) has_docs_rs: bool,
    /// Declared features, `default` excluded, sorted.
    pub(crate) features: Vec<String>,
    /// Every dependency, all kinds.
    pub(crate) deps: Vec<Dep>,
}

impl Member {
    /// The directory holding its Cargo.toml.
    pub(crate) fn dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// The workspace members, by name.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    /// Members keyed by package name.
    pub(crate) members: BTreeMap<String, Member>,
}

impl Workspace {
    /// Runs `cargo metadata --format-version 1 --no-deps` in `root` and parses it.
    pub(crate) fn load(root: &Path) -> Result<Self> {
        let json = cmd::stdout_of(cmd::cargo(root).args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ]))?;
        Self::from_metadata_json(&json)
    }

    /// Parses the JSON that `cargo metadata --no-deps` prints.
    pub(crate) fn from_metadata_json(json: &str) -> Result<Self> {
        let value: Value =
            serde_json::from_str(json).context("cargo metadata printed invalid JSON")?;
        let Some(packages) = value.get("packages").and_then(Value::as_array) else {
            bail!("cargo metadata output has no `packages` array");
        };
        let mut members = BTreeMap::new();
        for package in packages {
            let member = parse_member(package)?;
            members.insert(member.name.clone(), member);
        }
        Ok(Self { members })
    }

    /// Whether `name` is a workspace member.
    pub(crate) fn is_member(&self, name: &str) -> bool {
        self.members.contains_key(name)
    }

    /// The members that may be published, by name.
    pub(crate) fn publishable(&self) -> impl Iterator<Item = &Member> {
        self.members.values().filter(|m| m.publishable)
    }

    /// The internal (path, member) dependencies of `member`, all kinds.
    pub(crate) fn internal_deps<'a>(&'a self, member: &'a Member) -> impl Iterator<Item = &'a Dep> {
        member
            .deps
            .iter()
            .filter(|d| d.has_path && self.is_member(&d.name))
    }

    /// The internal dependency graph of the publishable members: each
    /// crate maps to the members it depends on (every kind: crates.io
    /// needs dev-dependencies that carry a version to exist too).
    pub(crate) fn publish_graph(&self) -> BTreeMap<String, BTreeSet<String>> {
        self.publishable()
            .map(|m| {
                let deps = self
                    .internal_deps(m)
                    .filter(|d| d.name != m.name)
                    .filter(|d| self.members.get(&d.name).is_some_and(|t| t.publishable))
                    .map(|d| d.name.clone())
                    .collect();
                (m.name.clone(), deps)
            })
            .collect()
    }

    /// Publishable members in an order where every crate comes after the
    /// crates it depends on.
    pub(crate) fn publish_order(&self) -> Result<Vec<String>> {
        topo_sort(&self.publish_graph())
    }

    /// `name` and every member it depends on, transitively (all kinds).
    pub(crate) fn closure(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.to_owned()];
        while let Some(next) = stack.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Some(member) = self.members.get(&next) {
                stack.extend(self.internal_deps(member).map(|d| d.name.clone()));
            }
        }
        seen
    }
}

/// Sorts `graph` (node → the nodes it depends on) so that dependencies come
/// first. Ties are broken by name, so the order is stable. Edges to nodes
/// outside the graph are ignored. Fails on a cycle, naming its members.
pub(crate) fn topo_sort(graph: &BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>> {
    let mut remaining: BTreeMap<&str, BTreeSet<&str>> = graph
        .iter()
        .map(|(node, deps)| {
            let deps = deps
                .iter()
                .map(String::as_str)
                .filter(|d| graph.contains_key(*d) && *d != node)
                .collect();
            (node.as_str(), deps)
        })
        .collect();
    let mut order = Vec::with_capacity(graph.len());
    while !remaining.is_empty() {
        let ready: Vec<&str> = remaining
            .iter()
            .filter(|(_, deps)| deps.is_empty())
            .map(|(node, _)| *node)
            .collect();
        let Some(&next) = ready.first() else {
            let cycle: Vec<&str> = remaining.keys().copied().collect();
            bail!("dependency cycle among {}", cycle.join(", "));
        };
        remaining.remove(next);
        for deps in remaining.values_mut() {
            deps.remove(next);
        }
        order.push(next.to_owned());
    }
    Ok(order)
}

/// One entry of the `packages` array.
fn parse_member(package: &Value) -> Result<Member> {
    let name = str_field(package, "name").context("a package has no name")?;
    let version =
        str_field(package, "version").with_context(|| format!("{name} has no version"))?;
    let manifest_path = str_field(package, "manifest_path")
        .map(PathBuf::from)
        .with_context(|| format!("{name} has no manifest_path"))?;
    let license = str_field(package, "license").or_else(|| str_field(package, "license_file"));
    let mut features: Vec<String> = package
        .get("features")
        .and_then(Value::as_object)
        .map(|f| f.keys().filter(|k| *k != "default").cloned().collect())
        .unwrap_or_default();
    features.sort();
    let deps = package
        .get("dependencies")
        .and_then(Value::as_array)
        .map(|deps| deps.iter().filter_map(parse_dep).collect())
        .unwrap_or_default();
    Ok(Member {
        publishable: is_publishable(package.get("publish")),
        description: str_field(package, "description"),
        repository: str_field(package, "repository"),
        readme: str_field(package, "readme"),
        keywords: str_list(package, "keywords"),
        categories: str_list(package, "categories"),
        rust_version: str_field(package, "rust_version"),
        has_docs_rs: package
            .pointer("/metadata/docs/rs")
            .is_some_and(|v| !v.is_null()),
        name,
        version,
        manifest_path,
        license,
        features,
        deps,
    })
}

/// `publish` in cargo metadata: `null` means any registry, `[]` means
/// `publish = false`, a list names the registries allowed.
fn is_publishable(publish: Option<&Value>) -> bool {
    match publish {
        None | Some(Value::Null) => true,
        Some(Value::Array(registries)) => {
            registries.iter().any(|r| r.as_str() == Some("crates-io"))
        }
        Some(_) => false,
    }
}

/// One entry of a package's `dependencies` array.
fn parse_dep(dep: &Value) -> Option<Dep> {
    let kind = match dep.get("kind").and_then(Value::as_str) {
        Some("dev") => DepKind::Dev,
        Some("build") => DepKind::Build,
        _ => DepKind::Normal,
    };
    Some(Dep {
        name: str_field(dep, "name")?,
        req: str_field(dep, "req").unwrap_or_else(|| "*".to_owned()),
        kind,
        has_path: dep.get("path").is_some_and(|p| !p.is_null()),
    })
}

/// A string field, `None` when absent, null or empty.
fn str_field(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// A list of strings, empty when absent.
fn str_list(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        edges
            .iter()
            .map(|(node, deps)| {
                (
                    (*node).to_owned(),
                    deps.iter().map(|d| (*d).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn topo_sort_puts_dependencies_first_and_breaks_ties_by_name() {
        let g = graph(&[
            ("media-sdk", &["media-core", "twelvelabs", "memories-v1"]),
            ("twelvelabs", &["media-core", "media-mock"]),
            ("memories-v1", &["media-core", "media-mock"]),
            ("media-core", &["media-mock"]),
            ("media-mock", &[]),
            ("media-cli", &["media-sdk", "media-mock"]),
        ]);
        let order = topo_sort(&g).unwrap_or_default();
        assert_eq!(
            order,
            [
                "media-mock",
                "media-core",
                "memories-v1",
                "twelvelabs",
                "media-sdk",
                "media-cli"
            ]
        );
    }

    #[test]
    fn topo_sort_ignores_self_edges_and_unknown_nodes() {
        let g = graph(&[("a", &["a", "serde"]), ("b", &["a"])]);
        assert_eq!(topo_sort(&g).unwrap_or_default(), ["a", "b"]);
    }

    #[test]
    fn topo_sort_reports_a_cycle() {
        let g = graph(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"]), ("d", &[])]);
        let err = topo_sort(&g)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(err, "dependency cycle among a, b, c");
    }

    #[test]
    fn metadata_json_is_parsed_into_members_and_a_publish_order() {
        let json = r#"{"packages":[
          {"name":"core","version":"0.1.0","manifest_path":"/w/core/Cargo.toml","publish":null,
           "description":"d","license":"MIT","repository":"https://x","readme":"README.md",
           "keywords":["a"],"categories":["b"],"rust_version":"1.88",
           "metadata":{"docs":{"rs":{"all-features":true}}},"features":{"default":[],"x":[]},
           "dependencies":[{"name":"mock","req":"=0.1.0","kind":"dev","path":"/w/mock"}]},
          {"name":"mock","version":"0.1.0","manifest_path":"/w/mock/Cargo.toml","publish":null,
           "metadata":null,"features":{},"dependencies":[{"name":"serde","req":"^1","kind":null}]},
          {"name":"tool","version":"0.1.0","manifest_path":"/w/tool/Cargo.toml","publish":[],
           "metadata":null,"features":{},"dependencies":[{"name":"core","req":"*","kind":null,"path":"/w/core"}]}
        ]}"#;
        let ws = Workspace::from_metadata_json(json).unwrap_or_else(|e| panic!("{e:#}"));
        let core = &ws.members["core"];
        assert!(core.publishable && core.has_docs_rs);
        assert_eq!(core.features, ["x"]);
        assert!(!ws.members["tool"].publishable);
        assert!(!ws.members["mock"].has_docs_rs);
        assert_eq!(ws.publish_order().unwrap_or_default(), ["mock", "core"]);
        assert_eq!(
            ws.closure("tool").into_iter().collect::<Vec<_>>(),
            ["core", "mock", "tool"]
        );
    }
}
