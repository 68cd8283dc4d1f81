//! Waiting for asynchronous work: uploads being parsed, tasks running.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::{Error, Provider, Result};

/// How often and how long [`wait_until`] polls.
#[derive(Debug, Clone, PartialEq)]
pub struct PollOptions {
    /// The first interval between polls (default 2 s).
    pub interval: Duration,
    /// The factor the interval grows by after each poll (default 1.5).
    pub backoff: f64,
    /// The largest interval (default 30 s).
    pub max_interval: Duration,
    /// The longest total wait before giving up with [`Error::Timeout`] (default 30 min).
    pub max_wait: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            interval: Duration::from_secs(2),
            backoff: 1.5,
            max_interval: Duration::from_secs(30),
            max_wait: Duration::from_secs(30 * 60),
        }
    }
}

impl PollOptions {
    /// Sets the first interval.
    pub fn interval(mut self, interval: Duration) -> PollOptions {
        self.interval = interval;
        self
    }

    /// Sets the growth factor (1.0 polls at a fixed interval).
    pub fn backoff(mut self, backoff: f64) -> PollOptions {
        self.backoff = backoff;
        self
    }

    /// Sets the largest interval.
    pub fn max_interval(mut self, max_interval: Duration) -> PollOptions {
        self.max_interval = max_interval;
        self
    }

    /// Sets the longest total wait.
    pub fn max_wait(mut self, max_wait: Duration) -> PollOptions {
        self.max_wait = max_wait;
        self
    }
}

/// One observation of a job being waited on.
#[derive(Debug, Clone, PartialEq)]
pub enum PollStatus<T> {
    /// Finished: stop polling and return this.
    Done(T),
    /// Still running; this is the latest state, for the progress callback.
    Pending(T),
}

/// Polls `check` until it reports [`PollStatus::Done`], calling `on_update`
/// with every observation, sleeping between polls per `options`.
///
/// The first poll happens at once. `check` reports a failed job by returning
/// an error (usually [`Error::TaskFailed`]), which ends the wait. When the
/// next poll would start after `options.max_wait`, the wait ends with
/// [`Error::Timeout`] naming `what`.
pub async fn wait_until<T, F, Fut, U>(
    provider: Provider,
    what: &str,
    options: &PollOptions,
    mut check: F,
    mut on_update: U,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<PollStatus<T>>>,
    U: FnMut(&T),
{
    if options.interval.is_zero() || options.backoff.is_nan() || options.backoff < 1.0 {
        return Err(Error::InvalidInput(
            "poll interval must be positive and backoff at least 1.0".into(),
        ));
    }
    let started = Instant::now();
    let mut interval = options.interval;
    loop {
        match check().await? {
            PollStatus::Done(value) => {
                on_update(&value);
                return Ok(value);
            }
            PollStatus::Pending(value) => on_update(&value),
        }
        if started.elapsed() + interval > options.max_wait {
            return Err(Error::Timeout {
                provider,
                message: format!(
                    "gave up waiting for {what} after {:.1}s",
                    started.elapsed().as_secs_f64()
                ),
            });
        }
        tokio::time::sleep(interval).await;
        interval = interval.mul_f64(options.backoff).min(options.max_interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn polls_until_done_with_growing_intervals() {
        let started = Instant::now();
        let mut polls = 0;
        let mut seen = Vec::new();
        let options = PollOptions::default()
            .interval(Duration::from_secs(1))
            .backoff(2.0);
        let value = wait_until(
            Provider::MemoriesV2,
            "task t1",
            &options,
            || {
                polls += 1;
                let n = polls;
                async move {
                    Ok(if n < 4 {
                        PollStatus::Pending(n)
                    } else {
                        PollStatus::Done(n)
                    })
                }
            },
            |n: &u32| seen.push(*n),
        )
        .await
        .unwrap();
        assert_eq!(value, 4);
        assert_eq!(seen, [1, 2, 3, 4]);
        // 1 + 2 + 4 seconds of sleeping between four polls.
        assert_eq!(started.elapsed(), Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline() {
        let options = PollOptions::default()
            .interval(Duration::from_secs(10))
            .backoff(1.0)
            .max_wait(Duration::from_secs(35));
        let err = wait_until(
            Provider::TwelveLabs,
            "asset a1",
            &options,
            || async { Ok(PollStatus::Pending(())) },
            |()| {},
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, Error::Timeout { message, .. } if message.contains("asset a1")),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_failed_job_ends_the_wait() {
        let err = wait_until(
            Provider::TwelveLabs,
            "task",
            &PollOptions::default(),
            || async {
                Err::<PollStatus<()>, _>(Error::TaskFailed {
                    provider: Provider::TwelveLabs,
                    task_id: "t".into(),
                    reason: "bad codec".into(),
                })
            },
            |()| {},
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::TaskFailed { reason, .. } if reason == "bad codec"));
    }
}
