use std::time::Duration;

use crate::Error;

/// When and how often the engine sends a failed request again.
///
/// Retried: HTTP 408, 429 and 5xx, provider throttling codes, timeouts and
/// broken connections. A request that is not idempotent (a POST that creates
/// something) is retried only when it provably never reached the server: the
/// connection was refused, or the provider throttled it before acting.
/// Delays grow exponentially with full jitter, and a provider's `Retry-After`
/// is honoured up to [`RetryPolicy::max_retry_after`]. Retries stop after
/// [`RetryPolicy::max_retries`] or once [`RetryPolicy::max_elapsed`] would be
/// exceeded, so a failing provider never causes a retry storm.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// The first back-off ceiling (default 500 ms); it doubles per retry.
    pub initial_backoff: Duration,
    /// The largest back-off ceiling (default 8 s).
    pub max_backoff: Duration,
    /// The longest `Retry-After` the engine will sleep for (default 60 s);
    /// a longer one is returned to the caller as [`Error::RateLimited`].
    pub max_retry_after: Duration,
    /// The most time one call may spend, attempts and sleeps together, before
    /// no further retry is started (default 120 s).
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            max_elapsed: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The default policy with a different number of retries.
    pub fn with_max_retries(mut self, max_retries: u32) -> RetryPolicy {
        self.max_retries = max_retries;
        self
    }

    /// The default policy with a different first back-off.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> RetryPolicy {
        self.initial_backoff = initial_backoff;
        self
    }

    /// How long to sleep before retry number `retry` (0-based) after `error`,
    /// or `None` when the call must not be retried.
    pub fn delay_before_retry(
        &self,
        error: &Error,
        retry: u32,
        idempotent: bool,
        elapsed: Duration,
    ) -> Option<Duration> {
        if retry >= self.max_retries || !error.is_retryable() {
            return None;
        }
        if !idempotent && !error.never_reached_server() {
            return None;
        }
        let delay = match error.retry_after() {
            Some(asked) if asked > self.max_retry_after => return None,
            Some(asked) => asked,
            None => self.backoff(retry),
        };
        if elapsed + delay > self.max_elapsed {
            return None;
        }
        Some(delay)
    }

    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        // Full jitter: spreads clients that failed together.
        ceiling.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Provider;

    fn server_error() -> Error {
        Error::Api {
            provider: Provider::TwelveLabs,
            http_status: 503,
            code: None,
            message: String::new(),
            request_id: None,
        }
    }

    #[test]
    fn retries_idempotent_server_errors_within_the_count() {
        let policy = RetryPolicy::default();
        let zero = Duration::ZERO;
        assert!(
            policy
                .delay_before_retry(&server_error(), 0, true, zero)
                .is_some()
        );
        assert!(
            policy
                .delay_before_retry(&server_error(), 1, true, zero)
                .is_some()
        );
        assert!(
            policy
                .delay_before_retry(&server_error(), 2, true, zero)
                .is_none()
        );
        let delay = policy
            .delay_before_retry(&server_error(), 1, true, zero)
            .unwrap();
        assert!(delay <= Duration::from_secs(1));
    }

    #[test]
    fn does_not_retry_creates_that_may_have_reached_the_server() {
        let policy = RetryPolicy::default();
        assert!(
            policy
                .delay_before_retry(&server_error(), 0, false, Duration::ZERO)
                .is_none()
        );
        let refused = Error::Transport {
            provider: Provider::TwelveLabs,
            message: "connection refused".into(),
            connect: true,
            source: None,
        };
        assert!(
            policy
                .delay_before_retry(&refused, 0, false, Duration::ZERO)
                .is_some()
        );
    }

    #[test]
    fn honours_retry_after_up_to_the_cap_and_the_total_budget() {
        let policy = RetryPolicy::default();
        let throttled = |secs| Error::RateLimited {
            provider: Provider::MemoriesV2,
            http_status: 429,
            code: None,
            message: String::new(),
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            policy.delay_before_retry(&throttled(3), 0, false, Duration::ZERO),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.delay_before_retry(&throttled(600), 0, true, Duration::ZERO),
            None
        );
        assert_eq!(
            policy.delay_before_retry(&throttled(3), 0, true, Duration::from_secs(119)),
            None
        );
    }

    #[test]
    fn never_retries_client_errors() {
        let policy = RetryPolicy::default();
        let bad = Error::Api {
            provider: Provider::NcpMi,
            http_status: 400,
            code: Some("10001".into()),
            message: String::new(),
            request_id: None,
        };
        assert!(
            policy
                .delay_before_retry(&bad, 0, true, Duration::ZERO)
                .is_none()
        );
    }
}
