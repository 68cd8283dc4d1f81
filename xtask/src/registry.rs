//! crates.io queries: who owns a name, which versions are published.
//!
//! The crates.io web API (`https://crates.io/api/v1/crates/<name>`) names
//! the repository and owners. When it cannot be reached (a mirror-only
//! network, a proxy), the sparse index (`https://index.crates.io`) tells
//! whether the name exists, and the newest `.crate` file, downloaded the way
//! cargo downloads it, tells its repository.

use std::io::Read;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The crates.io web API.
const API: &str = "https://crates.io/api/v1/crates";
/// The crates.io sparse index.
const INDEX: &str = "https://index.crates.io";
/// Identifies us to crates.io, as its crawler policy asks.
const USER_AGENT: &str = "media-sdk-xtask (https://github.com/media-sdk-rs/media-sdk)";
/// Largest `.crate` file we read (crates.io's own limit is 10 MiB).
const MAX_CRATE_BYTES: u64 = 20 * 1024 * 1024;

/// A blocking HTTP client with a timeout and our User-Agent.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        // The operating system's trust store: mirrors and proxies often
        // present certificates that only it knows.
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

/// Who holds a crate name on crates.io, compared with our repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameStatus {
    /// Nobody: the first publish will claim it.
    Free,
    /// Published from our repository.
    Ours {
        /// Newest published version.
        latest: String,
    },
    /// Published by another project.
    Taken {
        /// Their repository, if they declare one.
        repository: Option<String>,
        /// Their owners' logins (empty when only the index was reachable).
        owners: Vec<String>,
        /// Their newest version.
        latest: String,
        /// Where we learned it.
        source: &'static str,
    },
    /// The registry could not be asked.
    Unknown {
        /// Why.
        reason: String,
    },
}

/// What the crates.io API says about a crate.
#[derive(Debug, Clone)]
struct ApiCrate {
    repository: Option<String>,
    latest: String,
    owners: Vec<String>,
}

/// Asks crates.io who holds `name`, and compares with `our_repository`.
pub(crate) fn name_status(agent: &ureq::Agent, name: &str, our_repository: &str) -> NameStatus {
    match api_crate(agent, name) {
        Ok(None) => NameStatus::Free,
        Ok(Some(info)) => judge(
            info.repository,
            info.owners,
            info.latest,
            our_repository,
            "crates.io API",
        ),
        Err(api_err) => match from_index(agent, name, our_repository) {
            Ok(status) => status,
            Err(index_err) => NameStatus::Unknown {
                reason: format!("crates.io API: {api_err:#}; sparse index: {index_err:#}"),
            },
        },
    }
}

/// The same question answered from the sparse index and the newest `.crate`.
fn from_index(agent: &ureq::Agent, name: &str, our_repository: &str) -> Result<NameStatus> {
    let Some(versions) = index_versions(agent, name)? else {
        return Ok(NameStatus::Free);
    };
    let Some(latest) = versions
        .iter()
        .rev()
        .find(|v| !v.yanked)
        .or_else(|| versions.last())
    else {
        return Ok(NameStatus::Free);
    };
    let repository = crate_repository(agent, name, &latest.version)?;
    Ok(judge(
        repository,
        Vec::new(),
        latest.version.clone(),
        our_repository,
        "sparse index + .crate manifest",
    ))
}

/// `Ours` when the repositories match, `Taken` otherwise.
fn judge(
    repository: Option<String>,
    owners: Vec<String>,
    latest: String,
    our_repository: &str,
    source: &'static str,
) -> NameStatus {
    if repository
        .as_deref()
        .is_some_and(|r| same_repository(r, our_repository))
    {
        NameStatus::Ours { latest }
    } else {
        NameStatus::Taken {
            repository,
            owners,
            latest,
            source,
        }
    }
}

/// Whether two repository URLs name the same repository (scheme, `www.`,
/// `.git`, trailing `/` and case ignored).
pub(crate) fn same_repository(a: &str, b: &str) -> bool {
    fn norm(url: &str) -> String {
        let url = url.trim().to_ascii_lowercase();
        let url = url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.");
        let url = url.trim_end_matches('/');
        url.strip_suffix(".git").unwrap_or(url).to_owned()
    }
    norm(a) == norm(b)
}

/// `GET` returning the status and the body (capped), for JSON and text.
fn get_text(agent: &ureq::Agent, url: &str) -> Result<(u16, String)> {
    let mut response = agent
        .get(url)
        .header("Cache-Control", "no-cache")
        .call()
        .with_context(|| format!("GET {url}"))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_CRATE_BYTES)
        .read_to_string()
        .with_context(|| format!("reading {url}"))?;
    Ok((status, body))
}

/// The crates.io API record of `name`; `None` when the name is free.
fn api_crate(agent: &ureq::Agent, name: &str) -> Result<Option<ApiCrate>> {
    let (status, body) = get_text(agent, &format!("{API}/{name}"))?;
    match status {
        404 => return Ok(None),
        200 => {}
        other => bail!("crates.io API answered HTTP {other}"),
    }
    let json: Value = serde_json::from_str(&body).context("crates.io API sent invalid JSON")?;
    let krate = json
        .get("crate")
        .context("crates.io API answer has no `crate`")?;
    let latest = ["max_stable_version", "max_version", "newest_version"]
        .iter()
        .find_map(|k| krate.get(*k).and_then(Value::as_str))
        .unwrap_or("?")
        .to_owned();
    Ok(Some(ApiCrate {
        repository: krate
            .get("repository")
            .and_then(Value::as_str)
            .map(str::to_owned),
        latest,
        owners: api_owners(agent, name).unwrap_or_default(),
    }))
}

/// Owner logins of `name` from the crates.io API.
fn api_owners(agent: &ureq::Agent, name: &str) -> Result<Vec<String>> {
    let (status, body) = get_text(agent, &format!("{API}/{name}/owners"))?;
    if status != 200 {
        bail!("HTTP {status}");
    }
    let json: Value = serde_json::from_str(&body)?;
    Ok(json
        .get("users")
        .and_then(Value::as_array)
        .map(|users| {
            users
                .iter()
                .filter_map(|u| u.get("login").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

/// One line of a sparse-index file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexVersion {
    /// `vers`.
    pub(crate) version: String,
    /// `yanked`.
    pub(crate) yanked: bool,
}

/// The path of `name` in the sparse index (`se/rd/serde`, `3/s/syn`, `1/a`).
pub(crate) fn index_path(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.len() {
        1 => format!("1/{lower}"),
        2 => format!("2/{lower}"),
        3 => format!("3/{}/{lower}", &lower[..1]),
        _ => format!("{}/{}/{lower}", &lower[..2], &lower[2..4]),
    }
}

/// Parses a sparse-index file: one JSON object per line.
pub(crate) fn parse_index(body: &str) -> Vec<IndexVersion> {
    body.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|v| {
            Some(IndexVersion {
                version: v.get("vers")?.as_str()?.to_owned(),
                yanked: v.get("yanked").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

/// Every published version of `name`, oldest first; `None` when the name is free.
pub(crate) fn index_versions(agent: &ureq::Agent, name: &str) -> Result<Option<Vec<IndexVersion>>> {
    let (status, body) = get_text(agent, &format!("{INDEX}/{}", index_path(name)))?;
    match status {
        200 => Ok(Some(parse_index(&body))),
        404 | 410 | 451 => Ok(None),
        other => bail!("sparse index answered HTTP {other}"),
    }
}

/// Whether `name` `version` is in the index.
pub(crate) fn is_published(agent: &ureq::Agent, name: &str, version: &str) -> Result<bool> {
    Ok(index_versions(agent, name)?
        .is_some_and(|versions| versions.iter().any(|v| v.version == version)))
}

/// Polls the index every 5 s until `name` `version` appears or `timeout` passes.
pub(crate) fn wait_for_index(
    agent: &ureq::Agent,
    name: &str,
    version: &str,
    timeout: Duration,
) -> Result<()> {
    let started = Instant::now();
    loop {
        match is_published(agent, name, version) {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(err) => eprintln!("xtask: index not reachable yet: {err:#}"),
        }
        if started.elapsed() >= timeout {
            bail!(
                "{name} {version} did not appear in the index within {}s",
                timeout.as_secs()
            );
        }
        std::thread::sleep(Duration::from_secs(5));
    }
}

/// The download URL of a `.crate`, from the index's `config.json` `dl`
/// template (the markers cargo documents, or `{dl}/{name}/{version}/download`).
pub(crate) fn download_url(dl: &str, name: &str, version: &str) -> String {
    const MARKERS: [&str; 5] = [
        "{crate}",
        "{version}",
        "{prefix}",
        "{lowerprefix}",
        "{sha256-checksum}",
    ];
    if !MARKERS.iter().any(|m| dl.contains(m)) {
        return format!("{}/{name}/{version}/download", dl.trim_end_matches('/'));
    }
    let prefix = index_path(name);
    let prefix = prefix.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
    dl.replace("{crate}", name)
        .replace("{version}", version)
        .replace("{lowerprefix}", &prefix.to_ascii_lowercase())
        .replace("{prefix}", &prefix)
}

/// The `package.repository` in the manifest of the published `name` `version`.
fn crate_repository(agent: &ureq::Agent, name: &str, version: &str) -> Result<Option<String>> {
    let (status, config) = get_text(agent, &format!("{INDEX}/config.json"))?;
    if status != 200 {
        bail!("index config.json answered HTTP {status}");
    }
    let config: Value = serde_json::from_str(&config).context("index config.json is not JSON")?;
    let dl = config
        .get("dl")
        .and_then(Value::as_str)
        .context("index config.json has no `dl`")?;
    let url = download_url(dl, name, version);
    let mut response = agent
        .get(&url)
        .call()
        .with_context(|| format!("GET {url}"))?;
    if response.status().as_u16() != 200 {
        bail!(
            "downloading {name} {version} answered HTTP {}",
            response.status()
        );
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_CRATE_BYTES)
        .read_to_vec()
        .with_context(|| format!("reading {url}"))?;
    let manifest = manifest_from_crate(&bytes, name, version)?;
    Ok(repository_of(&manifest))
}

/// The `Cargo.toml` inside a `.crate` (a gzipped tar).
pub(crate) fn manifest_from_crate(bytes: &[u8], name: &str, version: &str) -> Result<String> {
    let wanted = format!("{name}-{version}/Cargo.toml");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().context("not a .crate archive")? {
        let mut entry = entry.context("corrupt .crate archive")?;
        if entry.path().is_ok_and(|p| p.to_string_lossy() == wanted) {
            let mut text = String::new();
            entry
                .read_to_string(&mut text)
                .context("Cargo.toml in the .crate is not UTF-8")?;
            return Ok(text);
        }
    }
    bail!("{wanted} not found in the .crate")
}

/// `package.repository` of a manifest, if any.
pub(crate) fn repository_of(manifest: &str) -> Option<String> {
    let doc = manifest.parse::<toml_edit::DocumentMut>().ok()?;
    doc.get("package")?
        .get("repository")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_paths_follow_the_sparse_layout() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("ab"), "2/ab");
        assert_eq!(index_path("syn"), "3/s/syn");
        assert_eq!(index_path("Media-Core"), "me/di/media-core");
    }

    #[test]
    fn index_lines_are_parsed_and_bad_lines_skipped() {
        let body = "{\"name\":\"x\",\"vers\":\"0.1.0\",\"yanked\":false}\nnot json\n{\"vers\":\"0.2.0\",\"yanked\":true}\n";
        let versions = parse_index(body);
        assert_eq!(versions.len(), 2);
        assert_eq!(
            versions[1],
            IndexVersion {
                version: "0.2.0".to_owned(),
                yanked: true
            }
        );
    }

    #[test]
    fn repositories_compare_loosely() {
        let ours = "https://github.com/media-sdk-rs/media-sdk";
        assert!(same_repository(
            ours,
            "http://www.GitHub.com/media-sdk-rs/media-sdk.git/"
        ));
        assert!(!same_repository(
            ours,
            "https://github.com/someone/media-core"
        ));
    }

    #[test]
    fn download_urls_use_the_template_or_the_default_layout() {
        assert_eq!(
            download_url("https://static.crates.io/crates", "media-core", "0.9.1"),
            "https://static.crates.io/crates/media-core/0.9.1/download"
        );
        assert_eq!(
            download_url(
                "https://m/{prefix}/{crate}/{crate}-{version}.crate",
                "media-core",
                "1.0.0"
            ),
            "https://m/me/di/media-core/media-core-1.0.0.crate"
        );
    }

    #[test]
    fn the_manifest_is_read_from_a_crate_archive() {
        let manifest = "[package]\nname = \"demo\"\nversion = \"1.0.0\"\nrepository = \"https://example.org/demo\"\n";
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        let mut header = tar::Header::new_gnu();
        header.set_size(manifest.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, "demo-1.0.0/Cargo.toml", manifest.as_bytes())
            .unwrap();
        let bytes = builder.into_inner().unwrap().finish().unwrap();
        let text = manifest_from_crate(&bytes, "demo", "1.0.0").unwrap();
        assert_eq!(
            repository_of(&text).as_deref(),
            Some("https://example.org/demo")
        );
        assert!(manifest_from_crate(&bytes, "demo", "2.0.0").is_err());
    }
}
