//! Uploads a local file through a multipart session: chunks in parallel,
//! streamed from disk, with the session saved so that running the same
//! command again after an interruption uploads only the missing chunks.
//!
//! ```sh
//! cargo run -p twelvelabs --example resumable_upload -- ./big.mp4
//! ```
//!
//! Reads `TWELVE_LABS_API_KEY` and `TWELVELABS_BASE_URL` (e.g. from
//! `media mock serve`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use twelvelabs::{Client, MultipartUploadOptions, PollOptions, ProgressFn};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: resumable_upload <FILE>")?,
    );
    let state = PathBuf::from(format!("{}.twelvelabs-upload.json", path.display()));
    let client = Client::from_env()?;

    let options = MultipartUploadOptions::new()
        .concurrency(4)
        .state_file(&state)
        .progress(ProgressFn::new(|p| {
            eprint!("\r{} / {:?} bytes", p.bytes_sent, p.total_bytes);
        }));
    let outcome = client
        .multipart_uploads()
        .upload_file(&path, &options)
        .await?;
    eprintln!();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "asset {} (session {}): {} chunks uploaded, {} already there{}",
        outcome.asset_id,
        outcome.upload_id,
        outcome.chunks_uploaded,
        outcome.chunks_skipped,
        if outcome.resumed { ", resumed" } else { "" }
    )?;
    let poll = PollOptions::default().interval(Duration::from_secs(1));
    let asset = client
        .assets()
        .wait_until_ready(&outcome.asset_id, &poll, |_| {})
        .await?;
    writeln!(out, "ready: {:?}, {:?} bytes", asset.filename, asset.size)?;
    Ok(())
}
