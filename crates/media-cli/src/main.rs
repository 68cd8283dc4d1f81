//! `media`: neutral asset operations across memories.ai, TwelveLabs and NAVER
//! Cloud Media Intelligence, a fake server of all four APIs, and an offline demo.
//!
//! Exit codes: 0 on success, 1 on an API or network error (the provider's
//! code and message on stderr), 2 on bad usage or missing configuration.

mod cli;
mod demo;
mod neutral;
mod output;
mod providers;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use futures::StreamExt as _;
use media_sdk::{AnyClient, AssetQuery, ConnectOptions, Error};

use crate::cli::{AssetsCommand, Cli, Command, MockCommand};
use crate::output::Output;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    let output = Output::new(cli.json);
    match run(cli, &output).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn init_tracing(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let level = if verbose == 1 { "debug" } else { "trace" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!(
            "media_core={level},memories_v1={level},memories_v2={level},twelvelabs={level},ncp_mi={level},media_mock={level}"
        ))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Why the command failed, and so which exit code it ends with.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad usage or configuration (exit 2).
    Usage(String),
    /// The provider or the network failed (exit 1).
    Api(Error),
    /// Writing the output failed (exit 1).
    Io(std::io::Error),
}

impl Failure {
    fn report(self) -> ExitCode {
        let mut stderr = std::io::stderr().lock();
        match self {
            Failure::Usage(message) => {
                let _ = writeln!(stderr, "error: {message}");
                ExitCode::from(2)
            }
            Failure::Api(err) => {
                let _ = writeln!(stderr, "error: {err}");
                ExitCode::from(1)
            }
            // A closed pipe (`media assets list | head`) is not a failure.
            Failure::Io(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Failure::Io(err) => {
                let _ = writeln!(stderr, "error: {err}");
                ExitCode::from(1)
            }
        }
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        match err {
            Error::InvalidInput(message) => Failure::Usage(message),
            other => Failure::Api(other),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Failure {
        Failure::Io(err)
    }
}

async fn run(cli: Cli, output: &Output) -> Result<(), Failure> {
    let context = providers::Context {
        base_url: cli.base_url.clone(),
        output: *output,
    };
    match cli.command {
        Command::MemoriesV1 { command } => providers::memories_v1::run(command, &context).await,
        Command::MemoriesV2 { command } => providers::memories_v2::run(command, &context).await,
        Command::Twelvelabs { command } => providers::twelvelabs::run(command, &context).await,
        Command::NcpMi { command } => providers::ncp_mi::run(command, &context).await,
        Command::Demo => demo::run(output).await,
        Command::Mock {
            command: MockCommand::Serve { addr, bulk_assets },
        } => serve_mock(addr, bulk_assets).await,
        Command::Assets { command } => run_assets(command, cli.base_url, output).await,
        Command::Frames {
            asset_id,
            out,
            target,
        } => neutral::frames(&asset_id, out.as_deref(), &target, cli.base_url, output).await,
    }
}

async fn serve_mock(addr: std::net::SocketAddr, bulk_assets: u64) -> Result<(), Failure> {
    let server = media_mock::MockServer::start_on(addr).await?;
    seed_bulk_assets(&server, bulk_assets);
    {
        let mut stdout = std::io::stdout().lock();
        for (name, value) in server.env_vars() {
            writeln!(stdout, "export {name}={value}")?;
        }
        stdout.flush()?;
    }
    eprintln!(
        "media-mock serving all four APIs at {}; paste the lines above into another shell. Ctrl-C stops it.",
        server.url()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}

/// Adds `count` TwelveLabs assets and `count` NCP assets (in the seeded
/// workspace and project), shaped like the seeded fixtures, for benchmarks
/// that list at scale.
fn seed_bulk_assets(server: &media_mock::MockServer, count: u64) {
    let project: u64 = media_mock::credentials::NCP_PROJECT.parse().unwrap_or(1234);
    for n in 0..count {
        server.seed_twelvelabs_asset(bulk_twelvelabs_asset(n));
        server.seed_ncp_mi_asset(
            media_mock::credentials::NCP_WORKSPACE,
            project,
            bulk_ncp_asset(n, project),
        );
    }
}

fn bulk_twelvelabs_asset(n: u64) -> serde_json::Value {
    let id = format!("b0b0{n:020x}");
    let (minute, second) = ((n / 60) % 60, n % 60);
    serde_json::json!({
        "_id": id,
        "created_at": format!("2024-01-01T{:02}:{minute:02}:{second:02}Z", (n / 3600) % 24),
        "duration": 120.5,
        "file_type": "video/mp4",
        "filename": format!("bulk-{n}.mp4"),
        "hls": {
            "manifest_url": format!("https://cdn.example.com/assets/{id}/manifest.m3u8"),
            "status": "ready"
        },
        "method": "direct",
        "size": 104_857_600,
        "status": "ready",
        "thumbnail": {
            "representative_url": format!("https://cdn.example.com/assets/{id}/thumbnail.jpg"),
            "status": "ready"
        },
        "user_metadata": {}
    })
}

fn bulk_ncp_asset(n: u64, project: u64) -> serde_json::Value {
    serde_json::json!({
        "assetId": 1_000_000 + n,
        "fileName": format!("bulk-{n}.mp4"),
        "projectId": project,
        "metaData": {
            "resolution": "1920x1080",
            "durationMs": 91_565,
            "size": 101_176_289,
            "format": "mp4"
        },
        "key": format!("bulk/bulk-{n}.mp4"),
        "createUserName": "bench",
        "createdTime": "2025-04-23T16:49:24",
        "updateUserName": "bench",
        "updatedTime": "2025-04-23T16:49:25"
    })
}

/// The client for `target`, from the environment plus the command line.
pub(crate) fn connect(
    target: &cli::Target,
    base_url: Option<String>,
) -> Result<AnyClient, Failure> {
    let mut options = ConnectOptions::new();
    options.base_url = base_url;
    options.workspace.clone_from(&target.workspace);
    options.project.clone_from(&target.project);
    Ok(AnyClient::from_env_with(target.provider, &options)?)
}

async fn run_assets(
    command: AssetsCommand,
    base_url: Option<String>,
    output: &Output,
) -> Result<(), Failure> {
    let client = connect(command.target(), base_url)?;
    match command {
        AssetsCommand::Upload {
            source,
            wait,
            wait_timeout,
            ..
        } => {
            let wait = wait.then(|| std::time::Duration::from_secs(wait_timeout));
            neutral::upload(&client, &source, wait, output).await?;
        }
        AssetsCommand::Delete { id, .. } => neutral::delete(&client, &id, output).await?,
        AssetsCommand::Get { id, .. } => {
            let reader = client.reader().ok_or_else(|| {
                Failure::Usage(format!("{} cannot read single assets", client.provider()))
            })?;
            let asset = reader.asset(&id).await?;
            output.assets(std::slice::from_ref(&asset))?;
        }
        AssetsCommand::List {
            limit, page_size, ..
        } => {
            let lister = client.lister().ok_or_else(|| {
                Failure::Usage(format!(
                    "{} cannot list assets: its API has no list endpoint",
                    client.provider()
                ))
            })?;
            let mut query = AssetQuery::new();
            if let Some(size) = page_size {
                query = query.page_size(size);
            }
            let stream = lister.assets(query);
            let mut stream = match limit {
                Some(limit) => stream.take(limit).boxed(),
                None => stream,
            };
            let mut assets = Vec::new();
            while let Some(asset) = stream.next().await {
                let asset = asset?;
                if output.is_json() {
                    output.assets(std::slice::from_ref(&asset))?;
                } else {
                    assets.push(asset);
                }
            }
            if !output.is_json() {
                output.assets(&assets)?;
            }
        }
    }
    Ok(())
}
