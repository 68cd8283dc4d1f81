//! Per-call workloads: one call made `calls` times, `concurrency` at once.

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::report::{Measured, process_cpu_time};

/// Any error of a workload.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The seeded TwelveLabs asset every retrieve reads.
pub(crate) const TWELVELABS_ASSET_ID: &str = "6298d673f1090f1100476d4c";
/// The mock's TwelveLabs API key.
pub(crate) const TWELVELABS_API_KEY: &str = "tlk_mock_twelvelabs_0001";
/// The mock's NCP access key.
pub(crate) const NCP_ACCESS_KEY: &str = "MOCKACCESSKEY0001";
/// The mock's NCP secret key.
pub(crate) const NCP_SECRET_KEY: &str = "MOCKSECRETKEY0001MOCKSECRETKEY0001";
/// The seeded NCP workspace.
pub(crate) const NCP_WORKSPACE: &str = "my-workspace";
/// The seeded NCP project.
pub(crate) const NCP_PROJECT: u64 = 1234;
/// Items per page of the per-call NCP list.
pub(crate) const NCP_PAGE_SIZE: u32 = 10;

/// The TwelveLabs base URL of the mock at `mock`.
pub(crate) fn twelvelabs_url(mock: &str) -> String {
    format!("{mock}/twelvelabs/v1.3")
}

/// The NCP Media Intelligence base URL of the mock at `mock`.
pub(crate) fn ncp_url(mock: &str) -> String {
    format!("{mock}/ncp-mi/api/v1")
}

/// How many calls, how many at once, how many unmeasured first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallPlan {
    /// Measured calls.
    pub(crate) calls: usize,
    /// Calls in flight at once (1 = sequential).
    pub(crate) concurrency: usize,
    /// Unmeasured calls made first.
    pub(crate) warmup: usize,
}

/// One call of a workload; cloned into every worker.
pub(crate) trait Call: Clone + Send + Sync + 'static {
    /// Makes the call and decodes its answer.
    fn call(&self) -> impl Future<Output = Result<(), BoxError>> + Send;
}

/// Makes `plan.warmup` calls, then `plan.calls` measured ones with
/// `plan.concurrency` in flight, and returns the wall time and latencies.
pub(crate) async fn run<C: Call>(call: C, plan: &CallPlan) -> Result<Measured, BoxError> {
    for _ in 0..plan.warmup {
        call.call().await?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = process_cpu_time();
    let started = Instant::now();
    let workers: Vec<_> = (0..plan.concurrency)
        .map(|_| tokio::spawn(worker(call.clone(), Arc::clone(&next), plan.calls)))
        .collect();
    let mut latencies = Vec::with_capacity(plan.calls);
    for worker in workers {
        latencies.extend(worker.await??);
    }
    let elapsed = started.elapsed();
    let cpu = process_cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    latencies.sort_unstable();
    Ok(Measured {
        elapsed,
        latencies,
        cpu,
    })
}

/// Runs `sdk` and `raw` in alternating blocks (`blocks` of each, ABBA
/// order) after warming both, so machine drift and neighbours' load hit both
/// alike; returns each one's measurements over all its blocks.
pub(crate) async fn run_interleaved<S: Call, R: Call>(
    sdk: S,
    raw: R,
    plan: &CallPlan,
    blocks: usize,
) -> Result<(Measured, Measured), BoxError> {
    let blocks = blocks.clamp(1, plan.calls.max(1));
    for _ in 0..plan.warmup {
        sdk.call().await?;
        raw.call().await?;
    }
    let mut sdk_total = Measured::empty();
    let mut raw_total = Measured::empty();
    for block in 0..blocks {
        // Spread the remainder so the block sizes add up to `plan.calls`.
        let calls = plan.calls / blocks + usize::from(block < plan.calls % blocks);
        let block_plan = CallPlan {
            calls,
            warmup: 0,
            ..*plan
        };
        if block % 2 == 0 {
            sdk_total.absorb(run(sdk.clone(), &block_plan).await?);
            raw_total.absorb(run(raw.clone(), &block_plan).await?);
        } else {
            raw_total.absorb(run(raw.clone(), &block_plan).await?);
            sdk_total.absorb(run(sdk.clone(), &block_plan).await?);
        }
    }
    sdk_total.latencies.sort_unstable();
    raw_total.latencies.sort_unstable();
    Ok((sdk_total, raw_total))
}

async fn worker<C: Call>(
    call: C,
    next: Arc<AtomicUsize>,
    total: usize,
) -> Result<Vec<Duration>, BoxError> {
    let mut latencies = Vec::new();
    while next.fetch_add(1, Ordering::Relaxed) < total {
        let started = Instant::now();
        call.call().await?;
        latencies.push(started.elapsed());
    }
    Ok(latencies)
}

/// `client.assets().retrieve(id)` through the twelvelabs crate.
#[derive(Debug, Clone)]
pub(crate) struct SdkRetrieve {
    client: twelvelabs::Client,
}

impl SdkRetrieve {
    /// A client of the mock at `mock`.
    pub(crate) fn new(mock: &str) -> Result<SdkRetrieve, BoxError> {
        let config = twelvelabs::Config::new(TWELVELABS_API_KEY).base_url(twelvelabs_url(mock));
        Ok(SdkRetrieve {
            client: twelvelabs::Client::new(config)?,
        })
    }
}

impl Call for SdkRetrieve {
    async fn call(&self) -> Result<(), BoxError> {
        let asset = self.client.assets().retrieve(TWELVELABS_ASSET_ID).await?;
        black_box(asset);
        Ok(())
    }
}

/// `client.assets().list(…)` (one signed page) through the ncp-mi crate.
#[derive(Debug, Clone)]
pub(crate) struct SdkNcpList {
    client: ncp_mi::Client,
}

impl SdkNcpList {
    /// A client of the mock at `mock`.
    pub(crate) fn new(mock: &str) -> Result<SdkNcpList, BoxError> {
        Ok(SdkNcpList {
            client: ncp_client(mock)?,
        })
    }
}

/// An ncp-mi client of the mock at `mock`.
pub(crate) fn ncp_client(mock: &str) -> Result<ncp_mi::Client, BoxError> {
    let config = ncp_mi::Config::new(NCP_ACCESS_KEY, NCP_SECRET_KEY).base_url(ncp_url(mock));
    Ok(ncp_mi::Client::new(config)?)
}

impl Call for SdkNcpList {
    async fn call(&self) -> Result<(), BoxError> {
        let params = ncp_mi::ListAssetsParams::new(1).page_size(NCP_PAGE_SIZE);
        let page = self
            .client
            .assets()
            .list(NCP_WORKSPACE, NCP_PROJECT, &params)
            .await?;
        black_box(page);
        Ok(())
    }
}
