//! `media memories-v2 …`: upload (with a progress bar on a terminal and
//! `--wait`), metadata, download, frames (extract → webhook → zip →
//! files), transcribe, search (streamed) and delete, printing the crate's
//! typed responses (`--json`: one JSON object per line).

use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use futures::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use media_sdk::ProgressFn;
use media_sdk::memories_v2::agents::{SearchEvent, SearchParams};
use media_sdk::memories_v2::social::Platform;
use media_sdk::memories_v2::transcriptions::AudioTranscriptionParams;
use media_sdk::memories_v2::{Client, Config, PollOptions, WebhookReceiver};

use super::Context;
use crate::Failure;

/// memories.ai v2 (MAVI) workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload a file (multipart, streamed from disk) and print the new asset id.
    Upload {
        /// The file to upload.
        file: PathBuf,
        /// Wait until the asset's upload_status is SUCCESS and print its metadata.
        #[arg(long)]
        wait: bool,
        /// Seconds between status polls while waiting.
        #[arg(long, default_value_t = 2.0)]
        poll_secs: f64,
    },
    /// The metadata of one asset (`re_`, `im_` or `imc_` id).
    Metadata {
        /// The asset id.
        asset_id: String,
    },
    /// Download an asset to a file (an `im_` frame group downloads as a zip).
    Download {
        /// The asset id.
        asset_id: String,
        /// Where to write the file.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        overwrite: bool,
    },
    /// Extract frames from a video: waits for the job's webhook on ADDR, then downloads every
    /// frame into DIR. The account's webhook URL must reach ADDR.
    Frames {
        /// The video asset id (`re_…`).
        asset_id: String,
        /// The directory the frames are written to.
        #[arg(long)]
        out: PathBuf,
        /// The address the webhook receiver listens on, e.g. 0.0.0.0:8787.
        #[arg(long)]
        webhook_listen: SocketAddr,
        /// Seconds to wait for the webhook.
        #[arg(long, default_value_t = 600)]
        timeout_secs: u64,
    },
    /// Transcribe an audio or video asset (Whisper, synchronous).
    Transcribe {
        /// The asset id.
        asset_id: String,
        /// Label speakers (SPEAKER_nn).
        #[arg(long)]
        speaker: bool,
    },
    /// Search public videos with the agent, printing its events as they arrive.
    Search {
        /// The natural-language query.
        query: String,
        /// Platforms to search (youtube, tiktok, instagram, twitter; repeat or comma-separate).
        #[arg(long, value_delimiter = ',')]
        platforms: Vec<String>,
        /// At most this many results (1–50).
        #[arg(long)]
        max_results: Option<u32>,
    },
    /// Permanently delete an asset.
    Delete {
        /// The asset id.
        asset_id: String,
    },
}

fn client(context: &Context) -> Result<Client, Failure> {
    let mut config = Config::from_env()?;
    if let Some(url) = &context.base_url {
        config = config.base_url(url.clone());
    }
    Ok(Client::new(config)?)
}

/// A byte progress bar on a terminal, nothing on a pipe.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {bytes}/{total_bytes} {bytes_per_sec} {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

pub(crate) async fn run(command: Command, context: &Context) -> Result<(), Failure> {
    let client = client(context)?;
    match command {
        Command::Upload {
            file,
            wait,
            poll_secs,
        } => upload(&client, &file, wait, poll_secs, context).await?,
        Command::Metadata { asset_id } => {
            let metadata = client.assets().metadata(&asset_id).await?;
            context.output.value(&metadata)?;
        }
        Command::Download {
            asset_id,
            out,
            overwrite,
        } => {
            let bar = progress_bar();
            let progress = bar.clone().map(|bar| {
                ProgressFn::new(move |p| {
                    if let Some(total) = p.total_bytes {
                        bar.set_length(total);
                    }
                    bar.set_position(p.bytes_sent);
                })
            });
            let downloaded = client
                .assets()
                .download(&asset_id, &out, overwrite, progress)
                .await?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            context.output.value(&downloaded)?;
        }
        Command::Frames {
            asset_id,
            out,
            webhook_listen,
            timeout_secs,
        } => {
            let receiver = WebhookReceiver::bind(webhook_listen).await?;
            context.output.heading(&format!(
                "waiting for the frame extraction webhook on {}",
                receiver.url()
            ))?;
            let task = client.assets().extract_frames(&asset_id).await?;
            let frames = task
                .wait_timeout(&receiver, Duration::from_secs(timeout_secs))
                .await?;
            let files = client
                .assets()
                .download_frames(&frames.asset_id, &out)
                .await?;
            context.output.value(&serde_json::json!({
                "task_id": task.task_id(),
                "asset_id": frames.asset_id,
                "asset_ch_ids": frames.asset_ch_ids,
                "files": files,
            }))?;
        }
        Command::Transcribe { asset_id, speaker } => {
            let mut params = AudioTranscriptionParams::new(&asset_id);
            if speaker {
                params = params.speaker(true);
            }
            let transcript = client.transcriptions().sync_generate_audio(&params).await?;
            context.output.value(&transcript)?;
        }
        Command::Search {
            query,
            platforms,
            max_results,
        } => {
            let mut params = SearchParams::new(query);
            if !platforms.is_empty() {
                let parsed = platforms
                    .iter()
                    .map(|p| p.parse::<Platform>())
                    .collect::<Result<Vec<_>, _>>()?;
                params = params.platforms(&parsed);
            }
            if let Some(n) = max_results {
                params = params.max_results(n);
            }
            let mut events = client.agents().search(&params).await?;
            while let Some(event) = events.next().await {
                let event = event?;
                if let (SearchEvent::Complete(result), false) = (&event, context.output.is_json()) {
                    context.output.heading("result")?;
                    context.output.value(result)?;
                    continue;
                }
                context.output.value(&event)?;
            }
        }
        Command::Delete { asset_id } => {
            client.assets().delete(&asset_id).await?;
            context
                .output
                .value(&serde_json::json!({ "deleted": asset_id }))?;
        }
    }
    Ok(())
}

async fn upload(
    client: &Client,
    file: &std::path::Path,
    wait: bool,
    poll_secs: f64,
    context: &Context,
) -> Result<(), Failure> {
    if !file.is_file() {
        return Err(Failure::Usage(format!("{}: no such file", file.display())));
    }
    if !(poll_secs.is_finite() && poll_secs > 0.0) {
        return Err(Failure::Usage("--poll-secs must be positive".into()));
    }
    let bar = progress_bar();
    let progress = bar.clone().map(|bar| {
        ProgressFn::new(move |p| {
            if let Some(total) = p.total_bytes {
                bar.set_length(total);
            }
            bar.set_position(p.bytes_sent);
        })
    });
    let uploaded = client.assets().upload(file, progress).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if !wait {
        context.output.value(&uploaded)?;
        return Ok(());
    }
    let options = PollOptions::default()
        .interval(Duration::from_secs_f64(poll_secs))
        .backoff(1.0);
    let spinner = std::io::stderr().is_terminal().then(|| {
        let spinner = ProgressBar::new_spinner();
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    });
    let resource = client
        .assets()
        .wait_until_uploaded(&uploaded.asset_id, &options, |r| {
            if let Some(spinner) = &spinner {
                spinner.set_message(format!("{} {}", r.asset_id, r.upload_status));
            }
        })
        .await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    context.output.value(&resource?)?;
    Ok(())
}
