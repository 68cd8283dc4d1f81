//! Measurements and the JSON line that reports them.

use std::time::Duration;

use serde_json::{Value, json};

use crate::calls::CallPlan;

/// What a run of calls measured.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    /// Wall time of the measured calls.
    pub(crate) elapsed: Duration,
    /// Every call's latency, sorted ascending.
    pub(crate) latencies: Vec<Duration>,
    /// CPU time the whole process spent meanwhile (every thread, user and
    /// kernel), where /proc tells it.
    pub(crate) cpu: Option<Duration>,
}

impl Measured {
    /// The start of a sum of runs ([`Measured::absorb`]): no calls, no time.
    pub(crate) fn empty() -> Measured {
        Measured {
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
            cpu: Some(Duration::ZERO),
        }
    }

    /// Adds another run's calls (latencies are left unsorted); the CPU time
    /// becomes unknown once one run's is.
    pub(crate) fn absorb(&mut self, other: Measured) {
        self.elapsed += other.elapsed;
        self.latencies.extend(other.latencies);
        self.cpu = self.cpu.zip(other.cpu).map(|(mine, theirs)| mine + theirs);
    }

    /// CPU microseconds per measured call, where measured.
    pub(crate) fn cpu_us_per_call(&self) -> Option<f64> {
        let calls = self.latencies.len();
        self.cpu
            .filter(|_| calls > 0)
            .map(|cpu| micros(cpu) / calls as f64)
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
            "cpu_us_per_call": measured.cpu_us_per_call(),
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
                "cpu_us_per_call": measured.cpu_us_per_call(),
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

/// CPU time this process has used so far, every thread, user and kernel:
/// the first field of each `/proc/self/task/*/schedstat`, in nanoseconds.
/// `None` where /proc does not tell it.
pub(crate) fn process_cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        // A thread can end between the listing and the read.
        let Ok(stats) = std::fs::read_to_string(path) else {
            continue;
        };
        total += stats.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
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
            cpu: None,
        };
        assert_eq!(measured.quantile(0.5), Duration::from_micros(51));
        assert_eq!(measured.quantile(0.0), Duration::from_micros(1));
        assert_eq!(measured.quantile(1.0), Duration::from_micros(100));
        let empty = Measured {
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
            cpu: None,
        };
        assert_eq!(empty.quantile(0.5), Duration::ZERO);
    }

    #[test]
    fn absorbed_runs_add_their_cpu_time_unless_one_is_unknown() {
        let run = |cpu_ms: Option<u64>| Measured {
            elapsed: Duration::from_millis(10),
            latencies: vec![Duration::from_micros(100); 4],
            cpu: cpu_ms.map(Duration::from_millis),
        };
        let mut total = Measured::empty();
        total.absorb(run(Some(2)));
        total.absorb(run(Some(6)));
        assert_eq!(total.cpu, Some(Duration::from_millis(8)));
        assert_eq!(total.cpu_us_per_call(), Some(1000.0));
        total.absorb(run(None));
        assert_eq!(total.cpu, None);
        assert_eq!(total.cpu_us_per_call(), None);
    }

    #[test]
    fn process_cpu_time_grows_with_work() {
        let before = process_cpu_time();
        if cfg!(target_os = "linux") {
            assert!(before.is_some(), "/proc/self/task is readable on Linux");
        }
        // Only Linux's /proc tells it; elsewhere the figure is left out.
        let Some(before) = before else { return };
        let mut state = 1u64;
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(30) {
            state = std::hint::black_box(
                state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1),
            );
        }
        let after = process_cpu_time().unwrap_or_default();
        assert!(after > before, "{after:?} after {before:?}");
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
