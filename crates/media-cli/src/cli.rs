use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};
use media_sdk::Provider;

/// Neutral asset operations across memories.ai, TwelveLabs and NAVER Cloud
/// Media Intelligence; `media demo` tours them offline.
#[derive(Debug, Parser)]
#[command(name = "media", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// One JSON object per line (the neutral Asset schema) instead of a table.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// The API root for the provider in use, overriding its environment variable.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,

    /// Log requests to stderr (-v debug, -vv trace). Keys are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Offline tour of every provider on the embedded mock: no keys, no network.
    Demo,
    /// The fake servers of all four APIs.
    Mock {
        #[command(subcommand)]
        command: MockCommand,
    },
    /// Provider-neutral asset operations.
    Assets {
        #[command(subcommand)]
        command: AssetsCommand,
    },
    /// Extract frames from a video and list them (optionally saving them).
    Frames {
        /// The video asset id.
        asset_id: String,
        /// Save each frame into this directory.
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        target: Target,
    },
    /// memories.ai v1: the provider's own workflows, typed output.
    #[command(name = "memories-v1")]
    MemoriesV1 {
        #[command(subcommand)]
        command: crate::providers::memories_v1::Command,
    },
    /// memories.ai v2 (MAVI): the provider's own workflows, typed output.
    #[command(name = "memories-v2")]
    MemoriesV2 {
        #[command(subcommand)]
        command: crate::providers::memories_v2::Command,
    },
    /// TwelveLabs: the provider's own workflows, typed output.
    Twelvelabs {
        #[command(subcommand)]
        command: crate::providers::twelvelabs::Command,
    },
    /// NAVER Cloud Media Intelligence: the provider's own workflows, typed output.
    #[command(name = "ncp-mi")]
    NcpMi {
        #[command(subcommand)]
        command: crate::providers::ncp_mi::Command,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MockCommand {
    /// Serve the fake APIs until interrupted; first prints `export` lines that
    /// point every provider at it.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8787")]
        addr: SocketAddr,
        /// Seeds this many extra TwelveLabs assets and as many NCP assets (in
        /// the seeded project) before serving; for benchmarks.
        #[arg(long, default_value_t = 0, value_name = "N", hide = true)]
        bulk_assets: u64,
    },
}

/// Which provider, and for ncp-mi which workspace and project.
#[derive(Debug, Clone, Args)]
pub(crate) struct Target {
    /// memories-v1, memories-v2, twelvelabs or ncp-mi.
    #[arg(long, short = 'p', value_parser = parse_provider)]
    pub(crate) provider: Provider,

    /// ncp-mi workspace name.
    #[arg(long, env = "NCP_MI_WORKSPACE")]
    pub(crate) workspace: Option<String>,

    /// ncp-mi project id.
    #[arg(long, env = "NCP_MI_PROJECT")]
    pub(crate) project: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AssetsCommand {
    /// One asset by id.
    Get {
        /// The provider's asset id.
        id: String,
        #[command(flatten)]
        target: Target,
    },
    /// Every asset, page after page.
    List {
        /// Stop after this many assets.
        #[arg(long)]
        limit: Option<usize>,
        /// Items per page requested from the provider.
        #[arg(long)]
        page_size: Option<u32>,
        #[command(flatten)]
        target: Target,
    },
    /// Upload a local file (streamed from disk, with a progress bar) or
    /// register a URL the provider fetches.
    Upload {
        /// A file path, or an http(s):// URL.
        source: String,
        /// Wait until the provider has processed the asset.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds.
        #[arg(long, default_value_t = 1800, value_name = "SECS")]
        wait_timeout: u64,
        #[command(flatten)]
        target: Target,
    },
    /// Delete one asset.
    Delete {
        /// The provider's asset id.
        id: String,
        #[command(flatten)]
        target: Target,
    },
}

impl AssetsCommand {
    pub(crate) fn target(&self) -> &Target {
        match self {
            AssetsCommand::Get { target, .. }
            | AssetsCommand::List { target, .. }
            | AssetsCommand::Upload { target, .. }
            | AssetsCommand::Delete { target, .. } => target,
        }
    }
}

fn parse_provider(name: &str) -> Result<Provider, String> {
    name.parse()
        .map_err(|err: media_sdk::ParseProviderError| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
