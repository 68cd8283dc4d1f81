//! Uploads a file, waits until it is stored, then transcribes it with Whisper.
//!
//! ```sh
//! # against the mock: `media mock serve`, export what it prints, then
//! cargo run -p memories-v2 --example upload_transcribe -- talk.mp4
//! ```
//!
//! Reads `MEMORIES_V2_API_KEY` (else `MEMORIES_API_KEY`) and `MEMORIES_V2_BASE_URL`.
#![allow(clippy::print_stdout)] // printing is what the example is for

use std::path::PathBuf;
use std::time::Duration;

use memories_v2::transcriptions::AudioTranscriptionParams;
use memories_v2::{Client, DOCUMENTED_QPS, PollOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        return Err("usage: upload_transcribe <file>".into());
    };
    // Stay within the documented 1 request per second.
    let client = Client::new(memories_v2::Config::from_env()?.rate_limit(DOCUMENTED_QPS))?;
    let uploaded = client.assets().upload(&path, None).await?;
    println!("uploaded as {}", uploaded.asset_id);
    let options = PollOptions::default().interval(Duration::from_secs(1));
    let resource = client
        .assets()
        .wait_until_uploaded(&uploaded.asset_id, &options, |r| {
            println!("  {}", r.upload_status);
        })
        .await?;
    println!("{} bytes stored", resource.file_size.unwrap_or_default());
    let transcript = client
        .transcriptions()
        .sync_generate_audio(&AudioTranscriptionParams::new(&uploaded.asset_id).speaker(true))
        .await?;
    for item in &transcript.items {
        println!(
            "[{:>6.2}-{:>6.2}] {} {}",
            item.start_time,
            item.end_time,
            item.speaker.as_deref().unwrap_or(""),
            item.text
        );
    }
    Ok(())
}
