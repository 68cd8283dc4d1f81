//! Uploads: one file sent as `multipart/form-data`, streamed from disk by
//! the media-core engine.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use media_core::Provider;
use media_core::http::{ApiRequest, Engine, FilePart, HttpSettings, Multipart, NoAuth};

use crate::calls::BoxError;
use crate::report::Sent;

/// Sends `file` as the form part `file` to `path` on the mock (an upload
/// sink such as `/_mock/echo`) and checks the byte count it reports.
///
/// With `as_octet_stream` the same multipart body goes out labelled
/// `application/octet-stream`, so a sink that would parse (and limit) a form
/// only hashes the bytes.
pub(crate) async fn multipart(
    mock: &str,
    path: &str,
    file: &Path,
    as_octet_stream: bool,
) -> Result<Sent, BoxError> {
    let (root, endpoint) = split_endpoint(path)?;
    let settings = HttpSettings::new(format!("{mock}{root}"), "media-bench/0.1");
    let engine = Engine::new(Provider::TwelveLabs, &settings, Arc::new(NoAuth))?;
    let size = std::fs::metadata(file)?.len();
    let form = Multipart::new().file("file", FilePart::new(file));
    let mut request = ApiRequest::post(endpoint).multipart(form);
    if as_octet_stream {
        request = request.header("content-type", "application/octet-stream");
    }
    let started = Instant::now();
    let raw = engine.send(&request).await?;
    let elapsed = started.elapsed();
    if !raw.is_success() {
        return Err(format!(
            "the upload was refused: HTTP {}: {}",
            raw.status,
            raw.snippet()
        )
        .into());
    }
    let echo: serde_json::Value = serde_json::from_slice(&raw.body)?;
    let received = echo
        .get("bytes")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if received < size {
        return Err(format!("the sink counted {received} bytes of {size}").into());
    }
    Ok(Sent {
        bytes: size,
        elapsed,
    })
}

/// `/_mock/echo` → (`/_mock`, `/echo`): the engine wants a base URL and an
/// endpoint template with a `'static` lifetime.
fn split_endpoint(path: &str) -> Result<(&str, &'static str), BoxError> {
    match path {
        "/_mock/echo" => Ok(("/_mock", "/echo")),
        other => Err(format!("unsupported upload endpoint {other:?} (use /_mock/echo)").into()),
    }
}
