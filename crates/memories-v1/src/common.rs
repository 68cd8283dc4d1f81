//! Types and helpers shared by several API groups (upload, library,
//! callbacks all speak of a video's status and of namespaces).

use std::fmt;

use media_core::open_enum;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The namespace every call uses unless told otherwise.
pub const DEFAULT_UNIQUE_ID: &str = "default";

/// Where a private video is in memories.ai's processing.
///
/// The failure status is spelled three ways across the provider's own
/// material (`FAILED` in the docs, `FAIL` in callbacks and captured
/// listings, `PARSE_ERROR` on the error-code page); each keeps its own
/// variant so the wire value round-trips. Any other value decodes as
/// [`VideoStatus::Unknown`] instead of failing the response.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VideoStatus {
    /// `PARSE`: indexed and ready for search, chat and transcripts.
    Parse,
    /// `UNPARSE`: accepted, still being indexed.
    Unparse,
    /// `FAILED`: processing failed (spelling of the docs).
    Failed,
    /// `FAIL`: processing failed (spelling of callbacks and listings).
    Fail,
    /// `PARSE_ERROR`: processing failed (spelling of the error-code page).
    ParseError,
    /// A value this version does not know, kept verbatim.
    Unknown(String),
}

impl VideoStatus {
    /// The wire spelling (`PARSE`, `UNPARSE`, `FAILED`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            VideoStatus::Parse => "PARSE",
            VideoStatus::Unparse => "UNPARSE",
            VideoStatus::Failed => "FAILED",
            VideoStatus::Fail => "FAIL",
            VideoStatus::ParseError => "PARSE_ERROR",
            VideoStatus::Unknown(other) => other,
        }
    }

    /// True for `PARSE`.
    pub fn is_parsed(&self) -> bool {
        matches!(self, VideoStatus::Parse)
    }

    /// True for any spelling of failure (`FAILED`, `FAIL`, `PARSE_ERROR`).
    pub fn is_failed(&self) -> bool {
        matches!(
            self,
            VideoStatus::Failed | VideoStatus::Fail | VideoStatus::ParseError
        )
    }
}

impl From<&str> for VideoStatus {
    fn from(value: &str) -> VideoStatus {
        match value {
            "PARSE" => VideoStatus::Parse,
            "UNPARSE" => VideoStatus::Unparse,
            "FAILED" => VideoStatus::Failed,
            "FAIL" => VideoStatus::Fail,
            "PARSE_ERROR" => VideoStatus::ParseError,
            other => VideoStatus::Unknown(other.to_owned()),
        }
    }
}

impl From<String> for VideoStatus {
    fn from(value: String) -> VideoStatus {
        match VideoStatus::from(value.as_str()) {
            VideoStatus::Unknown(_) => VideoStatus::Unknown(value),
            known => known,
        }
    }
}

impl fmt::Display for VideoStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for VideoStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for VideoStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(VideoStatus::from)
    }
}

open_enum! {
    /// A social platform of the public library and of imports.
    pub enum Platform {
        /// `TIKTOK` (the API's default).
        TikTok = "TIKTOK",
        /// `YOUTUBE`.
        YouTube = "YOUTUBE",
        /// `INSTAGRAM`.
        Instagram = "INSTAGRAM",
    }
}

/// Checks an explicitly given `unique_id`: the API rejects an empty one
/// (`"0001"`), so it is refused before sending.
pub(crate) fn check_unique_id(unique_id: &str) -> Result<(), String> {
    if unique_id.trim().is_empty() {
        Err("`unique_id` must not be empty (leave it unset for the client's default)".into())
    } else {
        Ok(())
    }
}

pub(crate) use media_core::check::{in_range, non_empty};

/// Refuses a list of ids that is empty, too long, or holds a blank id.
pub(crate) fn id_list(name: &str, ids: &[String], max: usize) -> media_core::Result<()> {
    if ids.is_empty() || ids.len() > max {
        return Err(media_core::Error::InvalidInput(format!(
            "`{name}` must hold 1 to {max} ids, got {}",
            ids.len()
        )));
    }
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err(media_core::Error::InvalidInput(format!(
            "`{name}` must not contain an empty id"
        )));
    }
    Ok(())
}

/// Refuses a latitude without a longitude or the other way round (the API
/// takes them together).
pub(crate) fn coordinates<T>(
    latitude: Option<&T>,
    longitude: Option<&T>,
) -> media_core::Result<()> {
    if latitude.is_some() == longitude.is_some() {
        Ok(())
    } else {
        Err(media_core::Error::InvalidInput(
            "`latitude` and `longitude` must be given together".into(),
        ))
    }
}

/// Serializers writing decoded values back in the wire shape, so a model
/// serialized with serde decodes again into the same value.
pub(crate) mod wire {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    /// `Option<DateTime<Utc>>` as Unix epoch seconds (or null).
    #[allow(
        clippy::ref_option,
        reason = "the signature serde's serialize_with requires"
    )]
    pub(crate) fn opt_epoch_secs<S: Serializer>(
        value: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(time) => serializer.serialize_i64(time.timestamp()),
            None => serializer.serialize_none(),
        }
    }

    /// `Option<DateTime<Utc>>` as Unix epoch milliseconds (or null).
    #[allow(
        clippy::ref_option,
        reason = "the signature serde's serialize_with requires"
    )]
    pub(crate) fn opt_epoch_ms<S: Serializer>(
        value: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(time) => serializer.serialize_i64(time.timestamp_millis()),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_keep_unknown_values() {
        for wire in [
            "PARSE",
            "UNPARSE",
            "FAILED",
            "FAIL",
            "PARSE_ERROR",
            "TRANSCODING",
        ] {
            let status: VideoStatus = serde_json::from_value(serde_json::json!(wire)).unwrap();
            assert_eq!(status.as_str(), wire);
            assert_eq!(serde_json::to_value(&status).unwrap(), wire);
            assert_eq!(status.to_string(), wire);
        }
        assert_eq!(
            VideoStatus::from("TRANSCODING".to_owned()),
            VideoStatus::Unknown("TRANSCODING".into())
        );
        assert_eq!(VideoStatus::from("PARSE".to_owned()), VideoStatus::Parse);
        assert!(VideoStatus::Parse.is_parsed());
        assert!(VideoStatus::Fail.is_failed() && VideoStatus::ParseError.is_failed());
        assert!(VideoStatus::Failed.is_failed());
        assert!(!VideoStatus::Unparse.is_failed() && !VideoStatus::Unparse.is_parsed());
        assert!(!VideoStatus::Unknown("x".into()).is_failed());
    }

    #[test]
    fn blank_namespaces_are_refused() {
        assert!(check_unique_id("").is_err());
        assert!(check_unique_id("  ").is_err());
        assert!(check_unique_id("tenant_42").is_ok());
    }
}
