//! Binary downloads (E6): raw bytes on success, a JSON envelope on failure,
//! told apart by HTTP status and `Content-Type`; bytes stream to disk.

use std::path::{Path, PathBuf};

use media_core::http::{ApiRequest, SaveOptions, StreamingBody};
use media_core::{Error, ProgressFn, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::envelope;

/// A file written by a download.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Downloaded {
    /// Where the bytes went.
    pub path: PathBuf,
    /// How many bytes were written.
    pub bytes: u64,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub file_name: Option<String>,
}

/// Opens a download: a non-2xx answer or a JSON body under 2xx becomes the
/// typed error of its envelope.
pub(crate) async fn open(client: &Client, request: &ApiRequest) -> Result<StreamingBody> {
    let body = client
        .engine()
        .stream(request, envelope::decode::<Value>)
        .await?;
    if body.is_json() {
        let raw = body.into_raw().await?;
        let status = raw.status.as_u16();
        envelope::decode::<Value>(raw)?;
        return Err(Error::Decode {
            provider: Provider::MemoriesV2,
            http_status: status,
            message: "expected file bytes, got a JSON success envelope".into(),
            body_snippet: String::new(),
        });
    }
    Ok(body)
}

/// The `filename` of a `Content-Disposition` header.
pub(crate) fn disposition_file_name(body: &StreamingBody) -> Option<String> {
    let header = body.headers().get("content-disposition")?.to_str().ok()?;
    header.split(';').find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        let key = key.trim().to_ascii_lowercase();
        (key == "filename").then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Streams the answer of `request` into `path`.
pub(crate) async fn to_file(
    client: &Client,
    request: &ApiRequest,
    path: &Path,
    options: SaveOptions,
    progress: Option<ProgressFn>,
) -> Result<Downloaded> {
    let body = open(client, request).await?;
    let content_type = body.content_type().map(str::to_owned);
    let file_name = disposition_file_name(&body);
    let bytes = body.save_to(path, options, progress).await?;
    Ok(Downloaded {
        path: path.to_owned(),
        bytes,
        content_type,
        file_name,
    })
}

/// Extracts every file of the zip at `zip_path` under `dir` (created if
/// missing) and returns their paths in archive order. Entry names go through
/// [`media_core::fs::safe_join`]: an entry that would land outside `dir`
/// (`..`, an absolute path, a symbolic link) fails the extraction.
pub fn extract_zip(zip_path: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let file = std::fs::File::open(zip_path)?;
    let mut archive = zip::ZipArchive::new(file).map_err(|err| zip_error(zip_path, &err))?;
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|err| zip_error(zip_path, &err))?;
        let name = entry.name().to_owned();
        let target = media_core::fs::safe_join(dir, &name)?;
        if entry.is_dir() {
            std::fs::create_dir_all(&target)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = std::fs::File::create(&target)?;
        std::io::copy(&mut entry, &mut out)?;
        written.push(target);
    }
    Ok(written)
}

fn zip_error(path: &Path, err: &zip::result::ZipError) -> Error {
    Error::Io(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{} is not a readable zip: {err}", path.display()),
    ))
}
