//! Imports social-media posts, waits for the import (task → videos → parsed),
//! then prints each video's transcript and a chapter summary.
//!
//! ```sh
//! MEMORIES_V1_API_KEY=sk-... cargo run -p memories-v1 --example import_and_transcribe -- https://www.youtube.com/watch?v=...
//! ```
//!
//! Offline: run `media mock serve`, paste its `export` lines, then run the
//! command above with any post URL.
#![allow(clippy::print_stdout, reason = "an example prints its result")]

use std::time::Duration;

use memories_v1::{Client, PollOptions, ScraperUrlParams, SummaryType};

#[tokio::main]
async fn main() -> memories_v1::Result<()> {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() {
        return Err(memories_v1::Error::InvalidInput(
            "usage: import_and_transcribe <POST_URL>...".into(),
        ));
    }
    let client = Client::from_env()?;
    let task = client
        .upload()
        .scraper_url(&ScraperUrlParams::new(urls).quality("720"))
        .await?;
    let Some(task_id) = task.task_id else {
        return Err(memories_v1::Error::InvalidInput(
            "the import answered no taskId".into(),
        ));
    };
    println!("import task {task_id}");

    let options = PollOptions::default().interval(Duration::from_secs(1));
    let videos = client
        .upload()
        .wait_for_import(task_id.as_str(), &options, |status| {
            if status.is_downloading() {
                println!("  downloading…");
            } else {
                println!("  videos: {:?}", status.video_nos());
            }
        })
        .await?;

    for video in videos {
        println!("\n{} ({:?})", video.video_no, video.video_name);
        if let Some(transcript) = client
            .transcription()
            .get_video_caption(video.video_no.as_str())
            .await?
        {
            for segment in &transcript.transcriptions {
                println!(
                    "  {:>5.1}s  {}",
                    segment.start_time.unwrap_or_default(),
                    segment.content.as_deref().unwrap_or_default()
                );
            }
        }
        if let Some(summary) = client
            .transcription()
            .generate_summary(video.video_no.as_str(), SummaryType::Chapter)
            .await?
        {
            println!("  summary: {}", summary.summary.unwrap_or_default());
        }
    }
    Ok(())
}
