//! Uploads a video (or registers a URL), waits until it is parsed, searches
//! the library and streams a chat answer about it.
//!
//! ```sh
//! MEMORIES_V1_API_KEY=sk-... cargo run -p memories-v1 --example upload_and_chat -- <FILE|URL> "When does the sun set?"
//! ```
//!
//! Offline: run `media mock serve`, paste its `export` lines, then run the
//! command above with any small `.mp4` file.
#![allow(clippy::print_stdout, reason = "an example prints its result")]

use std::io::Write as _;
use std::time::Duration;

use futures::StreamExt as _;
use memories_v1::{
    ChatEvent, ChatParams, Client, PollOptions, ProgressFn, SearchParams, UploadFileParams,
    UploadUrlParams,
};

#[tokio::main]
async fn main() -> memories_v1::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(source), prompt) = (args.next(), args.next()) else {
        return Err(memories_v1::Error::InvalidInput(
            "usage: upload_and_chat <FILE|URL> [PROMPT]".into(),
        ));
    };
    let prompt = prompt.unwrap_or_else(|| "What happens in this video?".to_owned());
    let client = Client::from_env()?;

    let uploaded = if source.starts_with("http://") || source.starts_with("https://") {
        client.upload().url(&UploadUrlParams::new(source)).await?
    } else {
        let progress = ProgressFn::new(|p| {
            print!("\ruploaded {} of {:?} bytes", p.bytes_sent, p.total_bytes);
            let _ = std::io::stdout().flush();
        });
        let video = client
            .upload()
            .file(
                &UploadFileParams::new(source).tags(["example"]),
                Some(progress),
            )
            .await?;
        println!();
        video
    };
    println!(
        "{} accepted as {:?}",
        uploaded.video_no, uploaded.video_status
    );

    let options = PollOptions::default().interval(Duration::from_secs(1));
    let video = client
        .library()
        .wait_until_parsed(uploaded.video_no.as_str(), &options, |v| {
            println!("  status {:?}", v.status);
        })
        .await?;
    println!("parsed: {:?}, {:?} s", video.video_name, video.duration);

    let hits = client.search().search(&SearchParams::new(&prompt)).await?;
    for hit in hits.clips() {
        println!(
            "hit {} {:?}-{:?} s",
            hit.video_no, hit.start_time, hit.end_time
        );
    }

    let mut answer = client
        .chat()
        .chat_stream(&ChatParams::new([video.video_no.as_str()], prompt))
        .await?;
    while let Some(event) = answer.next().await {
        let event = event?;
        if let ChatEvent::Thinking { title, .. } = &event {
            println!("[thinking] {}", title.as_deref().unwrap_or_default());
        } else if let Some(text) = event.text() {
            print!("{text}");
            let _ = std::io::stdout().flush();
        }
    }
    println!();
    Ok(())
}
