//! `media-bench`: runs one benchmark workload against a running
//! `media mock serve` and prints one JSON line with the result.
//!
//! `cargo xtask bench` starts the mock, runs every workload several times
//! through this binary and writes docs/benchmarks.md; each invocation is a
//! fresh process, so its peak RSS (`VmHWM`) belongs to that workload alone.

mod calls;
mod listing;
mod raw;
mod report;
mod upload;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::calls::{BoxError, CallPlan};
use crate::report::Report;

/// One benchmark workload against media-mock; prints one JSON line.
#[derive(Debug, Parser)]
#[command(name = "media-bench", version)]
struct Cli {
    /// The mock's root URL, `http://127.0.0.1:PORT`.
    #[arg(long, value_name = "URL")]
    mock: String,
    /// What to measure.
    #[command(subcommand)]
    workload: Workload,
}

/// The workloads.
#[derive(Debug, Subcommand)]
enum Workload {
    /// Per-call overhead: `GET /assets/{id}` of TwelveLabs, repeatedly.
    TwelvelabsRetrieve(CallArgs),
    /// Per-call overhead: one signed NCP list-assets page, repeatedly.
    NcpList(CallArgs),
    /// The mock's own ceiling: raw reqwest on a trivial route, no decoding.
    MockCeiling(CallArgs),
    /// TwelveLabs `list_all` (pages of 50) for the first `items` assets.
    TwelvelabsListAll {
        /// How many assets to read.
        #[arg(long)]
        items: usize,
    },
    /// NCP `list_all` (pages of 1000) for the first `items` assets.
    NcpListAll {
        /// How many assets to read.
        #[arg(long)]
        items: usize,
    },
    /// One multipart upload of `file` through the media-core engine.
    Upload {
        /// The file to send.
        #[arg(long)]
        file: PathBuf,
        /// The mock path that receives it.
        #[arg(long, default_value = "/_mock/echo")]
        path: String,
        /// Send the multipart body under `Content-Type: application/octet-stream`
        /// (for a receiver that would buffer a form).
        #[arg(long)]
        as_octet_stream: bool,
    },
}

/// How many calls, how many in flight, and through which client.
#[derive(Debug, Clone, Args)]
struct CallArgs {
    /// The SDK, or the hand-written reqwest + serde_json floor.
    #[arg(long, value_enum, default_value_t = ClientKind::Sdk)]
    client: ClientKind,
    /// Measured calls.
    #[arg(long, default_value_t = 5000)]
    calls: usize,
    /// Calls in flight at once.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Unmeasured calls first (connection set-up, caches).
    #[arg(long, default_value_t = 200)]
    warmup: usize,
    /// With `--client interleaved`: how many blocks each client's calls are
    /// split into.
    #[arg(long, default_value_t = 10)]
    blocks: usize,
}

/// Which client makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ClientKind {
    /// This SDK's provider crate.
    Sdk,
    /// Raw reqwest + serde_json, written by hand.
    Raw,
    /// Both, in alternating blocks of `--blocks` within this one process:
    /// the fair comparison on a machine whose speed drifts.
    Interleaved,
}

impl CallArgs {
    fn plan(&self) -> CallPlan {
        CallPlan {
            calls: self.calls,
            concurrency: self.concurrency.max(1),
            warmup: self.warmup,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(report) => {
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{}", report.to_json()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            }
        }
        Err(err) => {
            eprintln!("media-bench: error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<Report, BoxError> {
    let mock = cli.mock.trim_end_matches('/').to_owned();
    match cli.workload {
        Workload::TwelvelabsRetrieve(args) => {
            let (sdk, raw) = (
                calls::SdkRetrieve::new(&mock)?,
                raw::RawRetrieve::new(&mock)?,
            );
            per_call("twelvelabs-retrieve", &args, sdk, raw).await
        }
        Workload::NcpList(args) => {
            let (sdk, raw) = (calls::SdkNcpList::new(&mock)?, raw::RawNcpList::new(&mock)?);
            per_call("ncp-list", &args, sdk, raw).await
        }
        Workload::MockCeiling(args) => {
            let plan = args.plan();
            let measured = calls::run(raw::Ceiling::new(&mock)?, &plan).await?;
            Ok(Report::calls("mock-ceiling", "raw", &plan, &measured))
        }
        Workload::TwelvelabsListAll { items } => {
            let listed = listing::twelvelabs(&mock, items).await?;
            Ok(Report::items("twelvelabs-list-all", &listed))
        }
        Workload::NcpListAll { items } => {
            let listed = listing::ncp(&mock, items).await?;
            Ok(Report::items("ncp-list-all", &listed))
        }
        Workload::Upload {
            file,
            path,
            as_octet_stream,
        } => {
            let sent = upload::multipart(&mock, &path, &file, as_octet_stream).await?;
            Ok(Report::upload(&path, &sent))
        }
    }
}

/// One per-call workload with the client `args` names.
async fn per_call<S: calls::Call, R: calls::Call>(
    workload: &str,
    args: &CallArgs,
    sdk: S,
    raw: R,
) -> Result<Report, BoxError> {
    let plan = args.plan();
    Ok(match args.client {
        ClientKind::Sdk => Report::calls(workload, "sdk", &plan, &calls::run(sdk, &plan).await?),
        ClientKind::Raw => Report::calls(workload, "raw", &plan, &calls::run(raw, &plan).await?),
        ClientKind::Interleaved => {
            let (sdk, raw) = calls::run_interleaved(sdk, raw, &plan, args.blocks).await?;
            Report::interleaved(workload, &plan, args.blocks, &sdk, &raw)
        }
    })
}
