//! Small request/response helpers shared by the embeddings, analyze,
//! knowledge-store, responses, data-connector and legacy groups.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use media_core::http::ApiRequest;

pub(crate) use crate::common::{all_pages, paging, task_failed};

/// Rejects `request` with `reason` when `bad` holds.
pub(crate) fn check(mut request: ApiRequest, bad: bool, reason: &str) -> ApiRequest {
    if bad {
        request.reject(reason.to_owned());
    }
    request
}

/// A fresh `Idempotency-Key`: unique per call within and across processes
/// (time, process id and a counter), reused by every retry of that call.
pub(crate) fn new_idempotency_key() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{nanos:x}-{:x}-{count:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_differ() {
        assert_ne!(new_idempotency_key(), new_idempotency_key());
    }
}
