//! Prints a video's metadata and its provider-neutral view.
//!
//! ```sh
//! MEMORIES_V1_API_KEY=sk-... cargo run -p memories-v1 --example get_metadata -- VI606404158946574336 [unique_id] [--wait]
//! ```
//!
//! Against the offline mock: `media mock serve`, then set `MEMORIES_V1_BASE_URL`
//! to the printed memories-v1 URL and `MEMORIES_V1_API_KEY` to the mock's key.
#![allow(clippy::print_stdout, reason = "an example prints its result")]

use media_core::Asset;
use memories_v1::{Client, GetMetadataParams, PollOptions};

#[tokio::main]
async fn main() -> memories_v1::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut wait = false;
    let mut positional = Vec::new();
    for arg in args.by_ref() {
        if arg == "--wait" {
            wait = true;
        } else {
            positional.push(arg);
        }
    }
    let Some(video_no) = positional.first() else {
        return Err(memories_v1::Error::InvalidInput(
            "usage: get_metadata <video_no> [unique_id] [--wait]".into(),
        ));
    };
    let mut params = GetMetadataParams::new(video_no.as_str());
    if let Some(unique_id) = positional.get(1) {
        params = params.unique_id(unique_id.as_str());
    }

    let client = Client::from_env()?;
    let library = client.library();
    let video = if wait {
        library
            .wait_until_parsed(&params, &PollOptions::default(), |video| {
                println!("status: {:?}", video.status);
            })
            .await?
    } else {
        library.get_metadata(&params).await?
    };
    println!("{video:#?}");
    println!("{:#?}", Asset::from(video));
    Ok(())
}
