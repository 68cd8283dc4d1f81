//! Measurements and the JSON line that reports them.

use std::time::Duration;

use serde_json::{Value, json};

use crate::calls::CallPlan;

/// What a run of calls measured.
#[derive(Debug, Clone, Default)]
pub(crate) struct Measured {
    /// Wall time of the measured calls.
    pub(crate) elapsed: Duration,
    /// Every call's latency, sorted ascending.
    pub(crate) latencies: Vec<Duration>,
}

impl Measured {
    /// Adds another run's calls (latencies are left unsorted).
    pub(crate) fn absorb(&mut self, other: Measured) {
        self.elapsed += other.elapsed;
        self.latencies.extend(other.latencies);
    }

    /// The latency at quantile `q` (0.0–1.0), nearest rank.
    pub(crate) fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let last = self.latencies.len() - 1;
        // The rank is within 0..=last, so the casts cannot truncate.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((last as f64) * q.clamp(0.0, 1.0)).round() as usize;
        self.latencies[rank.min(last)]
    }
}

/// What a listing read.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// Items read.
    pub(crate) items: usize,
    /// Wall time.
    pub(crate) elapsed: Duration,
}

/// What an upload sent.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    /// File bytes the receiver counted.
    pub(crate) bytes: u64,
    /// Wall time of the request, response included.
    pub(crate) elapsed: Duration,
}

/// One result line.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    fields: Value,
}

impl Report {
    /// A per-call result: throughput and latency quantiles.
    pub(crate) fn calls(
        workload: &str,
        client: &str,
        plan: &CallPlan,
        measured: &Measured,
    ) -> Report {
        let seconds = measured.elapsed.as_secs_f64();
        Report::with_rss(json!({
            "workload": workload,
            "client": client,
            "calls": plan.calls,
            "concurrency": plan.concurrency,
            "seconds": seconds,
            "per_sec": per_sec(plan.calls as f64, seconds),
            "p50_us": micros(measured.quantile(0.5)),
            "p99_us": micros(measured.quantile(0.99)),
        }))
    }

    /// An interleaved SDK-and-raw result: each client's throughput and
    /// latency quantiles, measured in alternating blocks of one process.
    pub(crate) fn interleaved(
        workload: &str,
        plan: &CallPlan,
        blocks: usize,
        sdk: &Measured,
        raw: &Measured,
    ) -> Report {
        let side = |measured: &Measured| {
            let seconds = measured.elapsed.as_secs_f64();
            json!({
                "seconds": seconds,
                "per_sec": per_sec(measured.latencies.len() as f64, seconds),
                "p50_us": micros(measured.quantile(0.5)),
                "p99_us": micros(measured.quantile(0.99)),
            })
        };
        Report::with_rss(json!({
            "workload": workload,
            "client": "interleaved",
            "calls": plan.calls,
            "concurrency": plan.concurrency,
            "blocks": blocks,
            "sdk": side(sdk),
            "raw": side(raw),
        }))
    }

    /// A listing result: items per second.
    pub(crate) fn items(workload: &str, listed: &Listed) -> Report {
        let seconds = listed.elapsed.as_secs_f64();
        Report::with_rss(json!({
            "workload": workload,
            "client": "sdk",
            "items": listed.items,
            "seconds": seconds,
            "per_sec": per_sec(listed.items as f64, seconds),
        }))
    }

    /// An upload result: bytes per second.
    pub(crate) fn upload(path: &str, sent: &Sent) -> Report {
        let seconds = sent.elapsed.as_secs_f64();
        Report::with_rss(json!({
            "workload": "upload",
            "client": "sdk",
            "endpoint": path,
            "bytes": sent.bytes,
            "seconds": seconds,
            "per_sec": per_sec(sent.bytes as f64, seconds),
        }))
    }

    fn with_rss(mut fields: Value) -> Report {
        if let Some(map) = fields.as_object_mut() {
            map.insert("peak_rss_kib".into(), json!(peak_rss_kib()));
        }
        Report { fields }
    }

    /// The line printed.
    pub(crate) fn to_json(&self) -> String {
        self.fields.to_string()
    }
}

fn per_sec(count: f64, seconds: f64) -> f64 {
    if seconds > 0.0 { count / seconds } else { 0.0 }
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// This process's peak resident set (`VmHWM` in /proc/self/status), in KiB;
/// `None` where /proc is not available.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let measured = Measured {
            elapsed: Duration::from_secs(1),
            latencies: (1..=100).map(Duration::from_micros).collect(),
        };
        assert_eq!(measured.quantile(0.5), Duration::from_micros(51));
        assert_eq!(measured.quantile(0.0), Duration::from_micros(1));
        assert_eq!(measured.quantile(1.0), Duration::from_micros(100));
        let empty = Measured {
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
        };
        assert_eq!(empty.quantile(0.5), Duration::ZERO);
    }

    #[test]
    fn reports_are_one_json_object() {
        let listed = Listed {
            items: 10,
            elapsed: Duration::from_secs(2),
        };
        let line = Report::items("ncp-list-all", &listed).to_json();
        let value: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["per_sec"], 5.0);
        assert_eq!(value["items"], 10);
    }
}
