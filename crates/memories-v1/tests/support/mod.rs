//! Helpers shared by the integration tests: a client on the mock, the last
//! request, a multipart reader, temporary media files.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    reason = "each test binary uses a subset; helpers panic on failure by design"
)]

use std::path::PathBuf;

use media_mock::{MockServer, RecordedRequest, credentials};
use memories_v1::{Client, Config, RetryPolicy};

/// The mock's API root path.
pub(crate) const ROOT: &str = "/memories-v1/serve/api/v1";

/// A client on `server` that never retries.
pub(crate) fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::MEMORIES_API_KEY)
            .base_url(server.memories_v1_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

/// The last request the mock received.
pub(crate) fn last(server: &MockServer) -> RecordedRequest {
    server.requests().pop().unwrap()
}

/// Checks method, path, auth and returns the request.
pub(crate) fn assert_sent(request: &RecordedRequest, method: &str, endpoint: &str) {
    assert_eq!(request.method, method);
    assert_eq!(request.path, format!("{ROOT}{endpoint}"));
    assert_eq!(
        request.header("authorization"),
        Some(credentials::MEMORIES_API_KEY)
    );
}

/// Query pairs as `(&str, &str)` for comparisons.
pub(crate) fn query(request: &RecordedRequest) -> Vec<(String, String)> {
    request.query_pairs()
}

/// `(name, value)` pairs of a query, borrowed.
pub(crate) fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Vec<u8>,
}

/// Reads a recorded `multipart/form-data` body.
pub(crate) fn multipart(request: &RecordedRequest) -> Vec<Part> {
    let content_type = request.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = &request.body[..];
    let text_positions = find_all(body, delimiter.as_bytes());
    let mut parts = Vec::new();
    for window in text_positions.windows(2) {
        let start = window[0] + delimiter.len() + 2;
        let end = window[1] - 2;
        let chunk = &body[start..end];
        let split = find_all(chunk, b"\r\n\r\n")[0];
        let head = String::from_utf8_lossy(&chunk[..split]).into_owned();
        let data = chunk[split + 4..].to_vec();
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data,
        };
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition") {
                for piece in line.split(';').skip(1) {
                    let (key, value) = piece.trim().split_once('=').unwrap();
                    let value = value.trim_matches('"').to_owned();
                    match key {
                        "name" => part.name = value,
                        "filename" => part.file_name = Some(value),
                        _ => {}
                    }
                }
            } else if lower.starts_with("content-type") {
                part.content_type = Some(line.split_once(':').unwrap().1.trim().to_owned());
            }
        }
        parts.push(part);
    }
    parts
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// The text parts of a multipart body, in order.
pub(crate) fn text_parts(parts: &[Part]) -> Vec<(String, String)> {
    parts
        .iter()
        .filter(|p| p.file_name.is_none())
        .map(|p| {
            (
                p.name.clone(),
                String::from_utf8_lossy(&p.data).into_owned(),
            )
        })
        .collect()
}

/// A temporary directory holding one file `name` of `len` bytes.
pub(crate) fn media_file(name: &str, len: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let bytes: Vec<u8> = (0..len).map(|i| u8::try_from(i % 251).unwrap()).collect();
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}
