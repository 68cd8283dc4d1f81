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

/// Implements `as_str`, `From<String>`, `From<&str>`, `Display`, `Serialize`
/// and `Deserialize` for a provider enum with an `Unknown(String)` fallback;
/// wire values are matched ignoring ASCII case and surrounding blanks.
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The wire value (the text as sent for an unknown value).
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                let trimmed = value.trim();
                $(if trimmed.eq_ignore_ascii_case($wire) {
                    return $name::$variant;
                })*
                $name::Unknown(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::from(value.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map($name::from)
            }
        }
    };
}
pub(crate) use string_enum;

/// Rejects an empty (or blank) required text field.
pub(crate) fn non_empty(field: &str, value: &str) -> media_core::Result<()> {
    if value.trim().is_empty() {
        return Err(media_core::Error::InvalidInput(format!(
            "{field} must not be empty"
        )));
    }
    Ok(())
}

/// Rejects a number outside `range`.
pub(crate) fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    field: &str,
    value: Option<T>,
    min: T,
    max: T,
) -> media_core::Result<()> {
    match value {
        Some(v) if !(v >= min && v <= max) => Err(media_core::Error::InvalidInput(format!(
            "{field} must be between {min} and {max}, got {v}"
        ))),
        _ => Ok(()),
    }
}

/// `{"asset_id": …}`, the body of every single-asset job.
#[derive(Debug, serde::Serialize)]
pub(crate) struct AssetBody<'a> {
    pub(crate) asset_id: &'a str,
}

/// Percent-encodes `text` for a URL query, keeping RFC 3986 unreserved
/// characters and, when `keep_slash`, `/`.
pub(crate) fn pct_encode(text: &str, keep_slash: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}
