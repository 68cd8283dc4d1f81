//! Runs the agentic public-video search and prints its events as they stream in.
//!
//! ```sh
//! # against the mock: `media mock serve`, export what it prints, then
//! cargo run -p memories-v2 --example search -- "cold brew tutorials"
//! ```
//!
//! Reads `MEMORIES_V2_API_KEY` (else `MEMORIES_API_KEY`) and `MEMORIES_V2_BASE_URL`.
#![allow(clippy::print_stdout)] // printing is what the example is for

use futures::StreamExt as _;
use memories_v2::Client;
use memories_v2::agents::{SearchEvent, SearchParams};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    if query.is_empty() {
        return Err("usage: search <query>".into());
    }
    let client = Client::from_env()?;
    let mut events = client
        .agents()
        .search(&SearchParams::new(query).max_results(5))
        .await?;
    while let Some(event) = events.next().await {
        match event? {
            SearchEvent::Progress { step, message, .. } => {
                println!(
                    "step {}: {}",
                    step.unwrap_or_default(),
                    message.unwrap_or_default()
                );
            }
            SearchEvent::Complete(result) => {
                println!("\n{}", result.answer.unwrap_or_default());
                for video in result.video_references {
                    println!(
                        "  {} {} ({} views)",
                        video.platform.unwrap_or_default(),
                        video.url.unwrap_or_default(),
                        video.views.unwrap_or_default()
                    );
                }
            }
            other => println!("{other:?}"),
        }
    }
    Ok(())
}
