//! 1,000 concurrent calls through one client per provider while the mock
//! injects random faults: every call ends in a success or a typed error,
//! none hangs, and the live heap does not grow from one round to the next.
//!
//! Alone in its test binary so the memory readings are this test's own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::System;
use std::time::Duration;

use futures::stream::{self, StreamExt as _};
use media_mock::{Fault, FaultRule, MockServer};
use media_sdk::Error;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

mod common;
use common::{Tuning, probes, reader};

const CALLS: usize = 1_000;

fn random_faults(server: &MockServer) {
    let faults = [
        Fault::status(503),
        Fault::status(429).with_header("retry-after-ms", "20"),
        Fault::DropConnection,
        Fault::TruncatedBody,
        Fault::Delay(Duration::from_millis(50)),
        Fault::Raw {
            status: 502,
            content_type: Some("text/html".into()),
            body: b"<html>502 Bad Gateway</html>".to_vec(),
        },
        Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: b"{\"truncated\":".to_vec(),
        },
    ];
    for fault in faults {
        server.inject(FaultRule::new(fault).sometimes(0.04));
    }
}

// Resident memory would be the wrong reading: the allocator keeps freed
// pages, so RSS follows the highest concurrency a round happened to reach,
// not what the round left behind. The counting allocator sees the live heap.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn live_kib() -> usize {
    let stats = ALLOCATOR.stats();
    // Reallocations are already counted in both totals.
    stats
        .bytes_allocated
        .saturating_sub(stats.bytes_deallocated)
        / 1024
}

/// What a round may leave behind on the heap: 256 bytes a call.
const ALLOWED_GROWTH_KIB: usize = 1024;

/// The live heap once the round's connections have closed. Closing can take
/// a while under load, so the reading is the lowest seen until it comes back
/// within the allowance of `baseline`, or for five seconds (a leak never
/// comes back). Without a baseline it waits for half a second of stillness.
async fn live_kib_after_settling(baseline: Option<usize>) -> usize {
    let mut lowest = live_kib();
    let mut still = 0;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = live_kib();
        still = if now >= lowest { still + 1 } else { 0 };
        lowest = lowest.min(now);
        let settled = match baseline {
            Some(baseline) => lowest < baseline + ALLOWED_GROWTH_KIB,
            None => still == 10,
        };
        if settled {
            break;
        }
    }
    lowest
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_under_random_faults() {
    let server = MockServer::start().await;
    random_faults(&server);
    let mut after_round = Vec::new();
    // Round 0 warms the allocator and the pools; rounds 1 and 2 must then cost the same.
    for round in 0..3 {
        for probe in probes() {
            let client = reader(
                &server.url(),
                probe,
                Tuning {
                    timeout: Duration::from_secs(10),
                    ..Tuning::default()
                },
            );
            let outcomes: Vec<Result<(), Error>> = stream::iter(0..CALLS)
                .map(|_| {
                    let client = client.clone();
                    async move {
                        tokio::time::timeout(Duration::from_secs(60), client.asset(probe.asset_id))
                            .await
                            .expect("a call hung")
                            .map(|_| ())
                    }
                })
                .buffer_unordered(CALLS)
                .collect()
                .await;
            let ok = outcomes.iter().filter(|o| o.is_ok()).count();
            for outcome in &outcomes {
                if let Err(error) = outcome {
                    assert!(
                        matches!(
                            error,
                            Error::Api { .. }
                                | Error::RateLimited { .. }
                                | Error::Transport { .. }
                                | Error::Timeout { .. }
                                | Error::Decode { .. }
                        ),
                        "{}: unexpected error {error:?}",
                        probe.provider
                    );
                }
            }
            // Retries absorb most faults: with ~25 % of requests faulted and two
            // retries, the great majority of calls must succeed.
            assert!(
                ok > CALLS * 8 / 10,
                "{} round {round}: only {ok} of {CALLS} calls succeeded",
                probe.provider
            );
            // The mock's request log is the test's memory, not the client's.
            server.clear_requests();
        }
        after_round.push(live_kib_after_settling(after_round.last().copied()).await);
    }
    let [_, first, second] = after_round[..] else {
        unreachable!("three rounds ran");
    };
    assert!(
        second < first + ALLOWED_GROWTH_KIB,
        "live heap grew from {first} KiB to {second} KiB between identical rounds"
    );
}
