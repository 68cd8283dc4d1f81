//! Serializers that write values back in the shapes the API sends them in,
//! so a decoded model serializes to JSON that decodes to the same model.

use chrono::{DateTime, Utc};
use serde::Serializer;

/// `Option<u64>` as a string of digits (`"133652816"`), or `null`.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
pub(crate) fn opt_u64_string<S: Serializer>(value: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(n) => s.collect_str(n),
        None => s.serialize_none(),
    }
}

/// `Option<DateTime<Utc>>` as a string of epoch milliseconds (`"1766989317192"`), or `null`.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
pub(crate) fn opt_epoch_ms_string<S: Serializer>(
    value: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(time) => s.collect_str(&time.timestamp_millis()),
        None => s.serialize_none(),
    }
}
