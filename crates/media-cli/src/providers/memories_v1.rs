//! `media memories-v1 …`: upload, import, list, search, chat, transcript,
//! delete and metadata, with typed `--json` output.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use futures::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use media_sdk::ProgressFn;
use media_sdk::memories_v1::{
    ChatEvent, ChatParams, Client, Config, GetMetadataParams, ListVideosParams, PollOptions,
    ScraperUrlParams, SearchParams, SearchType, TaskParams, UploadFileParams, UploadUrlParams,
};

use super::Context;
use crate::Failure;

/// memories.ai v1 workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The metadata of one video.
    Metadata {
        /// The video number (`VI…`).
        video_no: String,
        #[command(flatten)]
        ns: Namespace,
    },
    /// Upload a local video file (multipart, with progress) or a direct video URL.
    Upload {
        /// A file path, or an http(s) URL the service fetches itself.
        source: String,
        /// Wait until the video is parsed, then print its metadata.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds.
        #[arg(long, default_value_t = 1800)]
        max_wait: u64,
        /// A tag (repeat for several).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// A URL told when parsing ends.
        #[arg(long)]
        callback: Option<String>,
        #[command(flatten)]
        ns: Namespace,
    },
    /// Import TikTok/YouTube/Instagram posts into the private library.
    Import {
        /// One or more post URLs of one platform (at most 50).
        #[arg(required = true)]
        urls: Vec<String>,
        /// Wait until every imported video is parsed, then print their metadata.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds.
        #[arg(long, default_value_t = 1800)]
        max_wait: u64,
        /// Download quality: 360, 480, 720, 1080, 1440 or 2160.
        #[arg(long)]
        quality: Option<String>,
        #[command(flatten)]
        ns: Namespace,
    },
    /// One page of private videos.
    List {
        /// The 1-based page.
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Videos per page.
        #[arg(long, default_value_t = 20)]
        size: u32,
        /// Only videos in this status (PARSE, UNPARSE, FAIL, …).
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        ns: Namespace,
    },
    /// Semantic search of the private library.
    Search {
        /// What to look for (English).
        query: String,
        /// BY_CLIP (default), BY_AUDIO, BY_IMAGE or BY_CAPTION.
        #[arg(long = "type")]
        search_type: Option<String>,
        /// How many hits.
        #[arg(long)]
        top_k: Option<u32>,
        #[command(flatten)]
        ns: Namespace,
    },
    /// Ask about videos; the answer is printed as it is written.
    Chat {
        /// The videos to ask about.
        #[arg(required = true)]
        video_nos: Vec<String>,
        /// The question.
        #[arg(long)]
        prompt: String,
        /// Continue this session.
        #[arg(long)]
        session_id: Option<String>,
        #[command(flatten)]
        ns: Namespace,
    },
    /// The visual (default) or speech transcript of a video.
    Transcript {
        /// The video number.
        video_no: String,
        /// The speech transcript instead of the visual one.
        #[arg(long)]
        audio: bool,
        #[command(flatten)]
        ns: Namespace,
    },
    /// Delete videos permanently (at most 100).
    Delete {
        /// The videos to delete.
        #[arg(required = true)]
        video_nos: Vec<String>,
        #[command(flatten)]
        ns: Namespace,
    },
}

/// The namespace option every command takes.
#[derive(Debug, Clone, Args)]
pub(crate) struct Namespace {
    /// The namespace (`unique_id`); the client's default (`default`) when absent.
    #[arg(long)]
    unique_id: Option<String>,
}

fn client(context: &Context) -> Result<Client, Failure> {
    let mut config = Config::from_env()?;
    if let Some(url) = &context.base_url {
        config = config.base_url(url.clone());
    }
    Ok(Client::new(config)?)
}

fn video(video_no: String, ns: Namespace) -> GetMetadataParams {
    let mut params = GetMetadataParams::new(video_no);
    params.unique_id = ns.unique_id;
    params
}

fn poll_options(max_wait: u64) -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_secs(2))
        .max_interval(Duration::from_secs(30))
        .max_wait(Duration::from_secs(max_wait))
}

/// A spinner on a terminal, nothing on a pipe.
fn spinner() -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let spinner = ProgressBar::new_spinner();
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    })
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
        Command::Metadata { video_no, ns } => {
            let metadata = client.library().get_metadata(&video(video_no, ns)).await?;
            context.output.value(&metadata)?;
        }
        Command::Upload {
            source,
            wait,
            max_wait,
            tags,
            callback,
            ns,
        } => upload(&client, context, source, wait, max_wait, tags, callback, ns).await?,
        Command::Import {
            urls,
            wait,
            max_wait,
            quality,
            ns,
        } => {
            let mut params = ScraperUrlParams::new(urls);
            params.unique_id.clone_from(&ns.unique_id);
            params.quality = quality;
            let task = client.upload().scraper_url(&params).await?;
            if !wait {
                context.output.value(&task)?;
                return Ok(());
            }
            let Some(task_id) = task.task_id else {
                return Err(Failure::Usage(
                    "the import answered no taskId to wait on".into(),
                ));
            };
            let mut task = TaskParams::new(task_id);
            task.unique_id = ns.unique_id;
            let spinner = spinner();
            let videos = client
                .upload()
                .wait_for_import(&task, &poll_options(max_wait), |status| {
                    if let Some(spinner) = &spinner {
                        let message = if status.is_downloading() {
                            "downloading from the platform".to_owned()
                        } else {
                            format!("{} videos, indexing", status.video_nos().len())
                        };
                        spinner.set_message(message);
                    }
                })
                .await;
            if let Some(spinner) = &spinner {
                spinner.finish_and_clear();
            }
            context.output.value(&videos?)?;
        }
        Command::List {
            page,
            size,
            status,
            ns,
        } => {
            let mut params = ListVideosParams::new().page(page).size(size);
            params.unique_id = ns.unique_id;
            if let Some(status) = status {
                params = params.status(status);
            }
            context
                .output
                .value(&client.library().list_videos(&params).await?)?;
        }
        Command::Search {
            query,
            search_type,
            top_k,
            ns,
        } => {
            let mut params = SearchParams::new(query);
            params.unique_id = ns.unique_id;
            params.top_k = top_k;
            if let Some(search_type) = search_type {
                params = params.search_type(SearchType::from(search_type.to_uppercase()));
            }
            context
                .output
                .value(&client.search().search(&params).await?)?;
        }
        Command::Chat {
            video_nos,
            prompt,
            session_id,
            ns,
        } => {
            let mut params = ChatParams::new(video_nos, prompt);
            params.session_id = session_id;
            params.unique_id = ns.unique_id;
            chat(&client, context, &params).await?;
        }
        Command::Transcript {
            video_no,
            audio,
            ns,
        } => {
            let params = video(video_no, ns);
            let transcription = client.transcription();
            let transcript = if audio {
                transcription.get_audio_transcription(params).await?
            } else {
                transcription.get_video_caption(params).await?
            };
            context.output.value(&transcript)?;
        }
        Command::Delete { video_nos, ns } => {
            client
                .library()
                .delete_videos(video_nos.clone(), ns.unique_id.as_deref())
                .await?;
            context.output.value(&serde_json::json!({
                "deleted": video_nos,
                "unique_id": ns.unique_id.as_deref().unwrap_or(client.unique_id()),
            }))?;
        }
    }
    Ok(())
}

#[allow(
    clippy::too_many_arguments,
    reason = "the flattened arguments of one subcommand"
)]
async fn upload(
    client: &Client,
    context: &Context,
    source: String,
    wait: bool,
    max_wait: u64,
    tags: Vec<String>,
    callback: Option<String>,
    ns: Namespace,
) -> Result<(), Failure> {
    let uploaded = if source.starts_with("http://") || source.starts_with("https://") {
        let mut params = UploadUrlParams::new(source).tags(tags);
        params.options.unique_id.clone_from(&ns.unique_id);
        params.options.callback = callback;
        client.upload().url(&params).await?
    } else {
        let path = PathBuf::from(&source);
        if !path.is_file() {
            return Err(Failure::Usage(format!("{source}: no such file")));
        }
        let mut params = UploadFileParams::new(path).tags(tags);
        params.options.unique_id.clone_from(&ns.unique_id);
        params.options.callback = callback;
        let bar = progress_bar();
        let progress = bar.clone().map(|bar| {
            ProgressFn::new(move |p| {
                if let Some(total) = p.total_bytes {
                    bar.set_length(total);
                }
                bar.set_position(p.bytes_sent);
            })
        });
        let uploaded = client.upload().file(&params, progress).await;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        uploaded?
    };
    if !wait {
        context.output.value(&uploaded)?;
        return Ok(());
    }
    let spinner = spinner();
    let mut params = GetMetadataParams::new(uploaded.video_no);
    params.unique_id = ns.unique_id;
    let ready = client
        .library()
        .wait_until_parsed(&params, &poll_options(max_wait), |video| {
            if let Some(spinner) = &spinner {
                let status = video
                    .status
                    .as_ref()
                    .map_or("unknown", |status| status.as_str());
                spinner.set_message(format!("{} is {status}", video.video_no));
            }
        })
        .await;
    if let Some(spinner) = &spinner {
        spinner.finish_and_clear();
    }
    context.output.value(&ready?)?;
    Ok(())
}

/// Streams the answer: text deltas as they arrive (or, with `--json`, every
/// event as one JSON line).
async fn chat(client: &Client, context: &Context, params: &ChatParams) -> Result<(), Failure> {
    let mut events = client.chat().chat_stream(params).await?;
    let mut session = None;
    while let Some(event) = events.next().await {
        let event = event?;
        if context.output.is_json() {
            context.output.value(&event)?;
            continue;
        }
        match &event {
            ChatEvent::Thinking { title, .. } => {
                let mut stderr = std::io::stderr().lock();
                writeln!(stderr, "[thinking] {}", title.as_deref().unwrap_or(""))?;
            }
            ChatEvent::Content { session_id, .. } => {
                session.clone_from(session_id);
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(event.text().unwrap_or_default().as_bytes())?;
                stdout.flush()?;
            }
            other => {
                if let Some(text) = other.text() {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(text.as_bytes())?;
                    stdout.flush()?;
                }
            }
        }
    }
    if !context.output.is_json() {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(b"\n")?;
        stdout.flush()?;
        if let Some(session) = session {
            writeln!(std::io::stderr().lock(), "session: {session}")?;
        }
    }
    Ok(())
}
