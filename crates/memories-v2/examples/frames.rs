//! Extracts the frames of a video asset: the job answers by webhook, so this
//! listens for it, then downloads every frame into a directory.
//!
//! ```sh
//! # against the mock: `media mock serve`, export what it prints, then tell the mock where the
//! # account's webhook points (the real service uses the URL registered in its console):
//! curl -X PUT "$MEMORIES_V2_BASE_URL/__mock/webhook" -d '{"url":"http://127.0.0.1:8787/"}'
//! cargo run -p memories-v2 --example frames -- re_660729180626595840 frames/
//! ```
//!
//! Reads `MEMORIES_V2_API_KEY` (else `MEMORIES_API_KEY`), `MEMORIES_V2_BASE_URL` and
//! `MEMORIES_V2_WEBHOOK_LISTEN` (default `127.0.0.1:8787`).
#![allow(clippy::print_stdout)] // printing is what the example is for

use std::path::PathBuf;
use std::time::Duration;

use memories_v2::{Client, WebhookReceiver};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(asset_id), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: frames <re_asset_id> <out_dir>".into());
    };
    let listen = std::env::var("MEMORIES_V2_WEBHOOK_LISTEN")
        .unwrap_or_else(|_| "127.0.0.1:8787".into())
        .parse()?;
    let client = Client::from_env()?;
    let receiver = WebhookReceiver::bind(listen).await?;
    println!("listening for webhooks on {}", receiver.url());

    let task = client.assets().extract_frames(&asset_id).await?;
    println!("task {} accepted, waiting for its webhook…", task.task_id());
    let frames = task
        .wait_timeout(&receiver, Duration::from_secs(600))
        .await?;
    println!(
        "group {} with {} frames",
        frames.asset_id,
        frames.asset_ch_ids.len()
    );

    let files = client
        .assets()
        .download_frames(&frames.asset_id, &PathBuf::from(out))
        .await?;
    for file in files {
        println!("  {}", file.display());
    }
    Ok(())
}
