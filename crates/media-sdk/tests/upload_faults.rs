//! Uploads whose connection drops in the middle of a `PUT`: the engine sends the same bytes
//! again (a `PUT` is idempotent, and a file body is reopened for every attempt), the upload
//! completes, and what the server stored is byte-identical to the source file.
//!
//! The drop: `Fault::DropConnection` on the upload's `PUT`, once. The mock reads (and
//! records) the first `media_mock::RECORDED_BODY_LIMIT` (8 MiB) of a request body before its
//! fault rules run, so with bodies of more than 9 MiB the connection closes while the client
//! still has at least the last MiB to send: a cut in the middle of the body, not after it.
//!
//! The digests: the TwelveLabs mock hashes a multipart session's chunks in index order
//! (`MockServer::twelvelabs_upload_sha256`); memories-v2's stored asset is downloaded back
//! through the SDK; the ncp-mi Object Storage upload goes to the mock's `/_mock/echo/{key}`
//! digest store, standing in for the bucket (the ncp-mi mock's own bucket keeps sizes only).
//!
//! The table in docs/reliability.md ("Streams and uploads under faults") is this test's
//! output: the test fails when they differ, and rewrites it with `MEDIA_UPDATE_DOCS=1`.
//! The resume of an interrupted multipart upload (only the missing chunks are sent) is
//! `a_failed_chunk_is_reported_around_and_a_resumed_run_uploads_only_it` in
//! crates/twelvelabs/tests/multipart_uploads.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use media_mock::{Fault, FaultRule, MockServer, RECORDED_BODY_LIMIT, credentials};
use media_sdk::media_core::http::RetryPolicy;
use media_sdk::{memories_v2, ncp_mi, twelvelabs};
use sha2::{Digest as _, Sha256};

/// Every upload must have ended within this.
const DEADLINE: Duration = Duration::from_secs(60);
/// One MiB.
const MIB: usize = 1024 * 1024;

fn retry() -> RetryPolicy {
    RetryPolicy::default().with_initial_backoff(Duration::from_millis(10))
}

/// A file of `len` bytes that repeat nowhere (a reordered or repeated chunk changes its
/// digest), and its SHA-256.
fn source_file(dir: &Path, name: &str, len: usize) -> (PathBuf, String) {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(len);
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, hex(&Sha256::digest(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn drop_mid_put(path_prefix: &str) -> FaultRule {
    FaultRule::new(Fault::DropConnection)
        .method("PUT")
        .path_prefix(path_prefix)
        .times(1)
}

/// The `PUT`s the server saw below `prefix`, by path, in arrival order of their first.
fn puts(server: &MockServer, prefix: &str) -> Vec<(String, Vec<media_mock::RecordedRequest>)> {
    let mut by_path: Vec<(String, Vec<media_mock::RecordedRequest>)> = Vec::new();
    for request in server.requests() {
        if request.method != "PUT" || !request.path.starts_with(prefix) {
            continue;
        }
        match by_path.iter_mut().find(|(path, _)| *path == request.path) {
            Some((_, list)) => list.push(request),
            None => by_path.push((request.path.clone(), vec![request])),
        }
    }
    by_path
}

/// Checks that exactly one path was sent twice, the first time cut after the recorded head,
/// and every other path once; returns the table's text for the `PUT`s.
fn one_resend(
    what: &str,
    puts: &[(String, Vec<media_mock::RecordedRequest>)],
    body: usize,
) -> String {
    let twice: Vec<_> = puts.iter().filter(|(_, list)| list.len() == 2).collect();
    assert_eq!(twice.len(), 1, "{what}: one PUT is sent again: {puts:?}");
    assert!(
        puts.iter().all(|(_, list)| (1..=2).contains(&list.len())),
        "{what}: {puts:?}"
    );
    let cut = &twice[0].1[0];
    assert!(
        cut.body_truncated && cut.body.len() == RECORDED_BODY_LIMIT && RECORDED_BODY_LIMIT < body,
        "{what}: the PUT is larger than what the mock reads before its faults run"
    );
    let total: usize = puts.iter().map(|(_, list)| list.len()).sum();
    if puts.len() == 1 {
        format!("{total} `PUT`s (the cut one sent again)")
    } else {
        format!(
            "{total} `PUT`s for {} chunks (the cut chunk twice, every other once)",
            puts.len()
        )
    }
}

async fn within_deadline<T>(what: &str, call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(DEADLINE, call)
        .await
        .unwrap_or_else(|_| panic!("{what}: did not end within {DEADLINE:?}"))
}

/// TwelveLabs `upload_file`: three chunks of about 9 MiB, four in flight; one chunk's `PUT`
/// loses its connection halfway.
async fn twelvelabs_multipart() -> (String, String) {
    let what = "twelvelabs multipart `upload_file`";
    let server = MockServer::start().await;
    let chunk = RECORDED_BODY_LIMIT + MIB;
    server.set_twelvelabs_chunk_size(chunk as u64);
    let dir = tempfile::tempdir().unwrap();
    let size = 3 * chunk - 12_345;
    let (path, sha256) = source_file(dir.path(), "match.mp4", size);
    let prefix = "/twelvelabs/v1.3/_mock/uploads/";
    server.inject(drop_mid_put(prefix));
    let client = twelvelabs::Client::new(
        twelvelabs::Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(retry()),
    )
    .unwrap();
    let started = Instant::now();
    let outcome = within_deadline(
        what,
        client
            .multipart_uploads()
            .upload_file(&path, &twelvelabs::MultipartUploadOptions::new()),
    )
    .await
    .unwrap();
    assert!(started.elapsed() < DEADLINE);
    assert_eq!(outcome.chunks_uploaded, 3, "{what}");
    assert!(!outcome.resumed, "{what}");
    let puts = puts(&server, prefix);
    assert_eq!(puts.len(), 3, "{what}: one path per chunk");
    let put_text = one_resend(what, &puts, size - 2 * chunk);
    let reports = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(&format!("/{}", outcome.upload_id)))
        .count();
    assert_eq!(reports, 1, "{what}: the chunks are reported once");
    assert_eq!(
        server
            .twelvelabs_upload_sha256(&outcome.asset_id)
            .as_deref(),
        Some(sha256.as_str()),
        "{what}: the assembled asset differs from the file"
    );
    (
        format!("{what} (3 chunks of about 9 MiB, 4 in flight)"),
        format!("ok · {put_text} · 1 report · SHA-256 of the assembled asset = the file's"),
    )
}

/// memories-v2 `upload_via_signed_url` with `PUT`: one body of 9 MiB + 1 byte.
async fn memories_v2_signed_url() -> (String, String) {
    let what = "memories-v2 `upload_via_signed_url` (`PUT`)";
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let size = RECORDED_BODY_LIMIT + MIB + 1;
    let (path, sha256) = source_file(dir.path(), "clip.mp4", size);
    let prefix = "/memories-v2/serve/api/v2/__storage/";
    server.inject(drop_mid_put(prefix));
    let client = memories_v2::Client::new(
        memories_v2::Config::new(credentials::MEMORIES_API_KEY)
            .base_url(server.memories_v2_url())
            .retry(retry()),
    )
    .unwrap();
    let signed = within_deadline(
        what,
        client
            .assets()
            .upload_via_signed_url(&path, memories_v2::SignedUploadMethod::Put, None),
    )
    .await
    .unwrap();
    let puts = puts(&server, prefix);
    assert_eq!(puts.len(), 1, "{what}");
    assert!(puts[0].0.ends_with(&signed.asset_id), "{what}");
    let put_text = one_resend(what, &puts, size);
    let reservations = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/upload/signed-url"))
        .count();
    assert_eq!(reservations, 1, "{what}: one reservation");
    let back = dir.path().join("back.mp4");
    let downloaded = client
        .assets()
        .download(&signed.asset_id, &back, false, None)
        .await
        .unwrap();
    assert_eq!(downloaded.bytes, size as u64, "{what}");
    let stored = hex(&Sha256::digest(std::fs::read(&back).unwrap()));
    assert_eq!(
        stored, sha256,
        "{what}: the stored asset differs from the file"
    );
    (
        format!("{what}, 9 MiB"),
        format!("ok · {put_text} · SHA-256 of the stored asset (downloaded back) = the file's"),
    )
}

/// ncp-mi `upload_object` (feature `object-storage`): a presigned S3 `PUT` of 9 MiB + 1 byte
/// through the engine.
async fn ncp_mi_object_storage() -> (String, String) {
    let what = "ncp-mi `upload_object` (Object Storage `PUT`)";
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let size = RECORDED_BODY_LIMIT + MIB + 1;
    let (path, sha256) = source_file(dir.path(), "launch.mp4", size);
    let prefix = "/_mock/echo/media-mock/";
    server.inject(drop_mid_put(prefix));
    let storage = ncp_mi::ObjectStorage::new().endpoint(format!("{}/_mock/echo", server.url()));
    let client = ncp_mi::Client::new(
        ncp_mi::Config::new(credentials::NCP_ACCESS_KEY, credentials::NCP_SECRET_KEY)
            .base_url(server.ncp_mi_url())
            .object_storage(storage)
            .retry(retry()),
    )
    .unwrap();
    within_deadline(
        what,
        client.upload_object(&path, "media-mock", "clips/launch.mp4", None),
    )
    .await
    .unwrap();
    let puts = puts(&server, prefix);
    assert_eq!(puts.len(), 1, "{what}");
    assert_eq!(
        puts[0].0, "/_mock/echo/media-mock/clips/launch.mp4",
        "{what}"
    );
    let put_text = one_resend(what, &puts, size);
    let kept: serde_json::Value = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!(
            "{}/_mock/echo/media-mock/clips/launch.mp4",
            server.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kept["bytes"], size, "{what}");
    assert_eq!(
        kept["sha256"], sha256,
        "{what}: the stored object differs from the file"
    );
    (
        format!("{what}, 9 MiB"),
        format!("ok · {put_text} · SHA-256 of the stored object = the file's"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_put_cut_mid_body_is_sent_again_and_the_stored_bytes_are_identical() {
    let (multipart, signed_url, object_storage) = futures::join!(
        twelvelabs_multipart(),
        memories_v2_signed_url(),
        ncp_mi_object_storage()
    );
    let rows = [multipart, signed_url, object_storage];
    let mut table =
        String::from("| upload | connection dropped in the middle of a `PUT`, once |\n|---|---|\n");
    for (upload, outcome) in rows {
        let _ = writeln!(table, "| {upload} | {outcome} |");
    }
    common::check_reliability_doc("upload-faults", &table);
}

#[test]
fn the_source_files_do_not_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = source_file(dir.path(), "f", 3 * MIB);
    let bytes = std::fs::read(path).unwrap();
    let mut seen = BTreeMap::new();
    for (index, block) in bytes.chunks(MIB).enumerate() {
        assert!(
            seen.insert(block.to_vec(), index).is_none(),
            "block {index} repeats"
        );
    }
}
