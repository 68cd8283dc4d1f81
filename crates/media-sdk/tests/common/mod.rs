//! The provider calls the cross-provider tests exercise, and their clients.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use media_mock::credentials;
use media_sdk::media_core::http::RetryPolicy;
use media_sdk::{AssetReader, Provider};
use media_sdk::{memories_v1, memories_v2, ncp_mi, twelvelabs};

/// How a client under test is tuned.
#[derive(Clone, Copy)]
pub(crate) struct Tuning {
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) skewed_clock: bool,
    /// Sent instead of the mock's accepted key(s).
    pub(crate) wrong_key: bool,
    /// No retries at all.
    pub(crate) no_retries: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            timeout: Duration::from_secs(5),
            max_response_bytes: 64 * 1024 * 1024,
            skewed_clock: false,
            wrong_key: false,
            no_retries: false,
        }
    }
}

/// One provider call the matrix runs: which asset it reads, and where the
/// request lands on the mock (for fault matching).
#[derive(Clone, Copy)]
pub(crate) struct Probe {
    pub(crate) provider: Provider,
    pub(crate) call: &'static str,
    pub(crate) path_prefix: &'static str,
    pub(crate) asset_id: &'static str,
}

/// The calls under test; one line per provider call.
pub(crate) fn probes() -> Vec<Probe> {
    vec![
        Probe {
            provider: Provider::MemoriesV1,
            call: "GET /get_metadata",
            path_prefix: "/memories-v1/serve/api/v1/get_metadata",
            asset_id: "VI606404158946574336",
        },
        Probe {
            provider: Provider::MemoriesV2,
            call: "GET /{asset_id}/metadata",
            path_prefix: "/memories-v2/serve/api/v2/re_660729180626595840",
            asset_id: "re_660729180626595840",
        },
        Probe {
            provider: Provider::TwelveLabs,
            call: "GET /assets/{asset_id}",
            path_prefix: "/twelvelabs/v1.3/assets/",
            asset_id: "6298d673f1090f1100476d4c",
        },
        Probe {
            provider: Provider::NcpMi,
            call: "GET …/projects/{id}/assets",
            path_prefix: "/ncp-mi/api/v1/workspaces/",
            asset_id: "1001",
        },
    ]
}

/// A key the mock refuses, recognisable in any output it leaks into.
pub(crate) const WRONG_KEY: &str = "sk-WRONG-secret-7c1d0e";

pub(crate) fn reader(base: &str, probe: Probe, tuning: Tuning) -> Arc<dyn AssetReader> {
    let key = |good: &'static str| if tuning.wrong_key { WRONG_KEY } else { good };
    let retry = if tuning.no_retries {
        RetryPolicy::none()
    } else {
        RetryPolicy::default().with_initial_backoff(Duration::from_millis(10))
    };
    let url = |suffix: &str| format!("{base}{suffix}");
    match probe.provider {
        Provider::MemoriesV1 => Arc::new(
            memories_v1::Client::new(
                memories_v1::Config::new(key(credentials::MEMORIES_API_KEY))
                    .base_url(url("/memories-v1/serve/api/v1"))
                    .retry(retry)
                    .timeout(tuning.timeout)
                    .max_response_bytes(tuning.max_response_bytes),
            )
            .unwrap(),
        ),
        Provider::MemoriesV2 => Arc::new(
            memories_v2::Client::new(
                memories_v2::Config::new(key(credentials::MEMORIES_API_KEY))
                    .base_url(url("/memories-v2/serve/api/v2"))
                    .retry(retry)
                    .timeout(tuning.timeout)
                    .max_response_bytes(tuning.max_response_bytes),
            )
            .unwrap(),
        ),
        Provider::TwelveLabs => Arc::new(
            twelvelabs::Client::new(
                twelvelabs::Config::new(key(credentials::TWELVELABS_API_KEY))
                    .base_url(url("/twelvelabs/v1.3"))
                    .retry(retry)
                    .timeout(tuning.timeout)
                    .max_response_bytes(tuning.max_response_bytes),
            )
            .unwrap(),
        ),
        Provider::NcpMi => {
            let mut config = ncp_mi::Config::new(
                credentials::NCP_ACCESS_KEY,
                key(credentials::NCP_SECRET_KEY),
            )
            .workspace(credentials::NCP_WORKSPACE)
            .project(credentials::NCP_PROJECT)
            .base_url(url("/ncp-mi/api/v1"))
            .retry(retry)
            .timeout(tuning.timeout)
            .max_response_bytes(tuning.max_response_bytes);
            if tuning.skewed_clock {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
                let ten_minutes_ago = u64::try_from(now.as_millis()).unwrap() - 600_000;
                config = config.clock(Arc::new(ncp_mi::signature::FixedClock::new(
                    ten_minutes_ago,
                )));
            }
            Arc::new(ncp_mi::Client::new(config).unwrap())
        }
        other => panic!("no probe client for {other}"),
    }
}

/// Compares `table` with the block between `<!-- {marker}:begin -->` and `<!-- {marker}:end -->`
/// in docs/reliability.md, or writes it there with `MEDIA_UPDATE_DOCS=1`: the tables in that
/// document are the tests' own output.
pub(crate) fn check_reliability_doc(marker: &str, table: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/reliability.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let begin = format!("<!-- {marker}:begin -->\n");
    let end = format!("<!-- {marker}:end -->");
    let (Some(start), Some(stop)) = (doc.find(&begin), doc.find(&end)) else {
        panic!("docs/reliability.md has no {marker} block");
    };
    let current = &doc[start + begin.len()..stop];
    if current == table {
        return;
    }
    if std::env::var_os("MEDIA_UPDATE_DOCS").is_some() {
        let updated = format!("{}{table}{}", &doc[..start + begin.len()], &doc[stop..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    panic!(
        "docs/reliability.md ({marker}) differs from what the test observed; \
         rerun with MEDIA_UPDATE_DOCS=1 to update it:\n{table}"
    );
}
