//! The opt-in client-side rate limiter: every attempt, retries included,
//! waits for its own slot, so a client and its clones never exceed the rate
//! a provider documents.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Spaces attempts `interval` apart; each one reserves the next free slot.
#[derive(Debug)]
pub(crate) struct Limiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Limiter {
    pub(crate) fn new(interval: Duration) -> Limiter {
        Limiter {
            interval,
            next: Mutex::new(None),
        }
    }

    /// Waits until this caller's slot comes.
    pub(crate) async fn acquire(&self) {
        let start = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let start = next.map_or(now, |at| at.max(now));
            *next = Some(start + self.interval);
            start
        };
        tokio::time::sleep_until(start).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn callers_get_consecutive_slots() {
        let limiter = Limiter::new(Duration::from_millis(250));
        let started = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // The first slot is immediate, then one every 250 ms.
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }
}
