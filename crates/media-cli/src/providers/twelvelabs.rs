//! `media twelvelabs …`: indexes, uploads (direct or resumable multipart,
//! with a progress bar on a terminal), search and task waiting, printing the
//! crate's typed responses (`--json`: one JSON object per line).

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use media_sdk::ProgressFn;
use media_sdk::twelvelabs::{
    AssetInput, Client, Config, CreateIndexRequest, CreateIndexedAssetRequest, GroupBy, IndexAddon,
    IndexModel, ListIndexesParams, ModelName, ModelOption, PollOptions, SearchOption,
    SearchRequest, UploadOptions,
};

use super::Context;
use crate::Failure;

/// TwelveLabs workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// One asset with every field the API returns.
    Asset {
        /// The asset id.
        asset_id: String,
    },
    /// Manage indexes.
    Indexes {
        #[command(subcommand)]
        command: IndexesCommand,
    },
    /// Upload a file or URL as an asset; optionally index it and wait.
    Upload(UploadArgs),
    /// Search an index and print every matching clip.
    Search(SearchArgs),
    /// Legacy video indexing tasks.
    Tasks {
        #[command(subcommand)]
        command: TasksCommand,
    },
    /// Ask Pegasus about a video (`POST /analyze`); `--stream` prints the
    /// text as it arrives.
    Analyze(AnalyzeArgs),
    /// Embeddings (Marengo, `POST /embed-v2`) of a file, a URL or a text.
    Embed(EmbedArgs),
}

/// `media twelvelabs analyze <VIDEO_ID> --prompt …`.
#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// An asset id, or an `http(s)://` URL of the video.
    video_id: String,
    /// What to ask.
    #[arg(long)]
    prompt: String,
    /// Print the answer as it is generated.
    #[arg(long)]
    stream: bool,
    /// `pegasus1.5` (default) or `pegasus1.6`.
    #[arg(long)]
    model: Option<String>,
    /// Sampling temperature.
    #[arg(long)]
    temperature: Option<f64>,
    /// Output token budget.
    #[arg(long)]
    max_tokens: Option<u32>,
}

/// `media twelvelabs embed <FILE|TEXT>`.
#[derive(Debug, Args)]
pub(crate) struct EmbedArgs {
    /// A local image/audio/video file, an `http(s)://` URL of one, or text.
    input: String,
    /// `marengo3.0` (default) or `marengo3.5`.
    #[arg(long, default_value = "marengo3.0")]
    model: String,
}

/// `media twelvelabs indexes …`.
#[derive(Debug, Subcommand)]
pub(crate) enum IndexesCommand {
    /// Create a Marengo 3.0 index and print its id.
    Create {
        /// The index name.
        name: String,
        /// What to index: visual, audio (repeat or comma-separate).
        #[arg(long, value_delimiter = ',', default_values = ["visual", "audio"])]
        options: Vec<String>,
        /// Enable the thumbnail add-on.
        #[arg(long)]
        thumbnails: bool,
    },
    /// Every index, newest first.
    List {
        /// Items per page requested (1–50).
        #[arg(long)]
        page_limit: Option<u32>,
    },
    /// One index.
    Get {
        /// The index id.
        index_id: String,
    },
    /// Delete an index and everything in it.
    Delete {
        /// The index id.
        index_id: String,
    },
}

/// `media twelvelabs tasks …`.
#[derive(Debug, Subcommand)]
pub(crate) enum TasksCommand {
    /// Poll a legacy indexing task until it is ready (or failed).
    Wait {
        /// The task id.
        task_id: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 1800)]
        timeout: u64,
        /// Seconds between polls.
        #[arg(long, default_value_t = 5.0)]
        interval: f64,
    },
}

/// `media twelvelabs upload …`.
#[derive(Debug, Args)]
pub(crate) struct UploadArgs {
    /// A local file or an http(s) URL.
    source: String,
    /// Index the asset into this index once it is ready.
    #[arg(long)]
    index: Option<String>,
    /// Wait until the asset (and, with --index, the indexed asset) is ready.
    #[arg(long)]
    wait: bool,
    /// Save the multipart session so that an interrupted upload continues
    /// where it stopped when run again.
    #[arg(long)]
    resume: bool,
    /// Where --resume keeps its state (default: `<FILE>.twelvelabs-upload.json`).
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// Files larger than this many bytes use a multipart session.
    #[arg(long, value_name = "BYTES")]
    multipart_threshold: Option<u64>,
    /// Chunks uploaded at once in a multipart session.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 1800)]
    timeout: u64,
}

/// `media twelvelabs search …`.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The index to search.
    index_id: String,
    /// The text query (`<@entity_id>` searches for an entity).
    query: String,
    /// What to search in: visual, audio, transcription (repeat or comma-separate).
    #[arg(long, value_delimiter = ',', default_values = ["visual", "audio"])]
    options: Vec<String>,
    /// Stop after this many results.
    #[arg(long)]
    limit: Option<usize>,
    /// Results per page requested (1–50).
    #[arg(long)]
    page_limit: Option<u32>,
    /// Group clips by video.
    #[arg(long)]
    by_video: bool,
    /// Add each video's user metadata.
    #[arg(long)]
    user_metadata: bool,
}

fn client(context: &Context) -> Result<Client, Failure> {
    let mut config = Config::from_env()?;
    if let Some(url) = &context.base_url {
        config = config.base_url(url.clone());
    }
    Ok(Client::new(config)?)
}

pub(crate) async fn run(command: Command, context: &Context) -> Result<(), Failure> {
    let client = client(context)?;
    match command {
        Command::Asset { asset_id } => {
            let asset = client.assets().retrieve(&asset_id).await?;
            context.output.value(&asset)?;
        }
        Command::Indexes { command } => indexes(&client, command, context).await?,
        Command::Upload(args) => upload(&client, args, context).await?,
        Command::Search(args) => search(&client, args, context).await?,
        Command::Analyze(args) => analyze(&client, args, context).await?,
        Command::Embed(args) => embed(&client, args, context).await?,
        Command::Tasks {
            command:
                TasksCommand::Wait {
                    task_id,
                    timeout,
                    interval,
                },
        } => {
            let options = poll_options(timeout).interval(seconds(interval)?);
            #[allow(deprecated)] // the legacy endpoint is the point of this command
            let task = client
                .tasks()
                .wait_until_done(&task_id, &options, |task| {
                    if let Some(status) = &task.status {
                        eprintln!("task {task_id}: {status}");
                    }
                })
                .await?;
            context.output.value(&task)?;
        }
    }
    Ok(())
}

fn seconds(value: f64) -> Result<Duration, Failure> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Failure::Usage(format!("{value} is not a positive number of seconds")))
}

fn poll_options(timeout_secs: u64) -> PollOptions {
    PollOptions::default().max_wait(Duration::from_secs(timeout_secs))
}

async fn indexes(
    client: &Client,
    command: IndexesCommand,
    context: &Context,
) -> Result<(), Failure> {
    match command {
        IndexesCommand::Create {
            name,
            options,
            thumbnails,
        } => {
            let options: Vec<ModelOption> = options
                .iter()
                .map(|o| ModelOption::from(o.trim()))
                .collect();
            let mut request =
                CreateIndexRequest::new(name, [IndexModel::new(ModelName::Marengo3_0, options)]);
            if thumbnails {
                request = request.addon(IndexAddon::Thumbnail);
            }
            let created = client.indexes().create(&request).await?;
            context.output.value(&created)?;
        }
        IndexesCommand::List { page_limit } => {
            let mut params = ListIndexesParams::new();
            if let Some(limit) = page_limit {
                params = params.page_limit(limit);
            }
            let mut indexes = client.indexes().list_all(params);
            while let Some(index) = indexes.try_next().await? {
                context.output.value(&index)?;
            }
        }
        IndexesCommand::Get { index_id } => {
            let index = client.indexes().retrieve(&index_id).await?;
            context.output.value(&index)?;
        }
        IndexesCommand::Delete { index_id } => {
            client.indexes().delete(&index_id).await?;
            context
                .output
                .value(&serde_json::json!({ "deleted": index_id }))?;
        }
    }
    Ok(())
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

async fn upload(client: &Client, args: UploadArgs, context: &Context) -> Result<(), Failure> {
    let is_url = args.source.starts_with("http://") || args.source.starts_with("https://");
    let input = if is_url {
        AssetInput::Url(args.source.clone())
    } else {
        let path = PathBuf::from(&args.source);
        if !path.is_file() {
            return Err(Failure::Usage(format!("{}: no such file", args.source)));
        }
        AssetInput::File(path)
    };
    let mut options = UploadOptions::new().concurrency(args.concurrency);
    if let Some(threshold) = args.multipart_threshold {
        options = options.multipart_threshold(threshold);
    }
    if args.resume {
        if is_url {
            return Err(Failure::Usage("--resume applies to files, not URLs".into()));
        }
        let state = args
            .state
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("{}.twelvelabs-upload.json", args.source)));
        options = options.state_file(state);
    }
    let bar = progress_bar();
    if let Some(bar) = bar.clone() {
        options = options.progress(ProgressFn::new(move |p| {
            if let Some(total) = p.total_bytes {
                bar.set_length(total);
            }
            bar.set_position(p.bytes_sent);
        }));
    }
    let uploaded = client.upload_asset(input, &options).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut asset = uploaded?;
    let asset_id = asset
        .id
        .clone()
        .ok_or_else(|| Failure::Usage("the server returned an asset without an id".into()))?;
    let poll = poll_options(args.timeout);
    if args.wait || args.index.is_some() {
        asset = client
            .assets()
            .wait_until_ready(&asset_id, &poll, |a| {
                if let Some(status) = &a.status {
                    eprintln!("asset {asset_id}: {status}");
                }
            })
            .await?;
    }
    context.output.value(&asset)?;
    if let Some(index_id) = &args.index {
        let created = client
            .indexed_assets()
            .create(index_id, &CreateIndexedAssetRequest::new(&asset_id))
            .await?;
        let indexed_id = created
            .id
            .clone()
            .ok_or_else(|| Failure::Usage("the server returned no indexed asset id".into()))?;
        if args.wait {
            let indexed = client
                .indexed_assets()
                .wait_until_ready(index_id, &indexed_id, &poll, |a| {
                    if let Some(status) = &a.status {
                        eprintln!("indexed asset {indexed_id}: {status}");
                    }
                })
                .await?;
            context.output.value(&indexed)?;
        } else {
            context.output.value(&created)?;
        }
    }
    Ok(())
}

async fn search(client: &Client, args: SearchArgs, context: &Context) -> Result<(), Failure> {
    let options: Vec<SearchOption> = args
        .options
        .iter()
        .map(|o| SearchOption::from(o.trim()))
        .collect();
    let mut request = SearchRequest::text(&args.index_id, &args.query, options);
    if let Some(limit) = args.page_limit {
        request = request.page_limit(limit);
    }
    if args.by_video {
        request = request.group_by(GroupBy::Video);
    }
    if args.user_metadata {
        request = request.include_user_metadata(true);
    }
    let mut results = client.search().query(request);
    let mut printed = 0;
    while args.limit.is_none_or(|limit| printed < limit) {
        let Some(item) = results.try_next().await? else {
            break;
        };
        context.output.value(&item)?;
        printed += 1;
    }
    Ok(())
}

async fn analyze(client: &Client, args: AnalyzeArgs, context: &Context) -> Result<(), Failure> {
    use media_sdk::twelvelabs::{AnalyzeModel, AnalyzeRequest, AnalyzeStreamEvent, VideoContext};
    use std::io::Write as _;

    let video = if args.video_id.starts_with("http://") || args.video_id.starts_with("https://") {
        VideoContext::Url(args.video_id.clone())
    } else {
        VideoContext::AssetId(args.video_id.clone())
    };
    let mut request = AnalyzeRequest::video(video, &args.prompt);
    if let Some(model) = &args.model {
        request = request.model_name(AnalyzeModel::from(model.as_str()));
    }
    if let Some(temperature) = args.temperature {
        request = request.temperature(temperature);
    }
    if let Some(max_tokens) = args.max_tokens {
        request = request.max_tokens(max_tokens);
    }
    if !args.stream {
        let response = client.analyze().create(&request).await?;
        if context.output.is_json() {
            context.output.value(&response)?;
        } else {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{}", response.data.unwrap_or_default())?;
        }
        return Ok(());
    }
    let mut events = client.analyze().stream(&request).await?;
    let mut text = String::new();
    let mut end = serde_json::json!({});
    while let Some(event) = events.try_next().await? {
        match event {
            AnalyzeStreamEvent::TextGeneration { text: part } => {
                if !context.output.is_json() {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(part.as_bytes())?;
                    stdout.flush()?;
                }
                text.push_str(&part);
            }
            AnalyzeStreamEvent::StreamEnd {
                finish_reason,
                metadata,
                error,
            } => {
                end = serde_json::json!({
                    "finish_reason": finish_reason,
                    "generation_id": metadata.generation_id,
                    "usage": metadata.usage,
                    "error": error,
                });
            }
            _ => {}
        }
    }
    if context.output.is_json() {
        end["data"] = serde_json::Value::String(text);
        context.output.value(&end)?;
    } else {
        writeln!(std::io::stdout().lock())?;
    }
    Ok(())
}

async fn embed(client: &Client, args: EmbedArgs, context: &Context) -> Result<(), Failure> {
    use media_sdk::twelvelabs::{CreateEmbeddingsRequest, EmbeddingModel, MediaInput, MediaSource};

    let model = EmbeddingModel::from(args.model.as_str());
    let is_url = args.input.starts_with("http://") || args.input.starts_with("https://");
    let path = PathBuf::from(&args.input);
    let kind = media_kind(&args.input);
    let source = if is_url {
        Some(MediaSource::url(&args.input))
    } else if path.is_file() {
        Some(MediaSource::base64(base64(&std::fs::read(&path)?)))
    } else {
        None
    };
    let request = match (source, kind) {
        (None, _) => CreateEmbeddingsRequest::text(model, &args.input),
        (Some(source), Some("image")) => CreateEmbeddingsRequest::image(model, source),
        (Some(source), Some("audio")) => {
            CreateEmbeddingsRequest::audio(model, MediaInput::new(source))
        }
        (Some(source), Some("video")) => {
            CreateEmbeddingsRequest::video(model, MediaInput::new(source))
        }
        (Some(_), _) => {
            return Err(Failure::Usage(format!(
                "{}: cannot tell whether this is an image, audio or video (use a known extension)",
                args.input
            )));
        }
    };
    let response = client.embed_v2().create(&request).await?;
    context.output.value(&response)?;
    Ok(())
}

/// `image`, `audio` or `video`, from the extension of a path or URL.
fn media_kind(input: &str) -> Option<&'static str> {
    let name = input.split(['?', '#']).next().unwrap_or(input);
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" | "png" | "webp" | "gif" | "bmp" | "tiff" | "heic" => Some("image"),
        "mp3" | "wav" | "m4a" | "aac" | "flac" | "ogg" | "opus" => Some("audio"),
        "mp4" | "mov" | "mkv" | "webm" | "avi" | "m4v" | "m3u8" | "ts" => Some("video"),
        _ => None,
    }
}

/// Standard base64 with padding (the CLI has no base64 dependency).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod part_b_tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn media_kinds_come_from_extensions() {
        assert_eq!(media_kind("a/b.JPG"), Some("image"));
        assert_eq!(media_kind("https://x/v.mp4?sig=1"), Some("video"));
        assert_eq!(media_kind("song.mp3"), Some("audio"));
        assert_eq!(media_kind("a red car"), None);
    }
}
