//! The date-times Media Intelligence sends (`createdTime`, `updatedTime`, ...).
//!
//! The API documents them as "ISO 8601" and sends them without a zone
//! (`2025-04-23T16:49:24`). [`Timestamp`] keeps exactly what was sent: the naive
//! wall-clock value, or the value with its offset when one is present. Only the
//! conversion to UTC has to pick a zone for naive values, and it picks [`KST`].

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Korea Standard Time, UTC+09:00 (no daylight saving time): the zone a
/// zone-less Media Intelligence time is read in.
///
/// The service runs in the Korea region only and its docs show local times;
/// NCP does not state the zone, so this is a documented assumption.
pub const KST: FixedOffset = match FixedOffset::east_opt(9 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+09:00 is a valid offset"),
};

/// A date-time as Media Intelligence sent it.
///
/// Parsed leniently: `T` or a space between date and time, with or without
/// fractional seconds, with or without an offset (`Z`, `+09:00`, `+0900`).
/// Serializes back to ISO 8601 in the same form.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timestamp {
    /// No zone was sent (what the API does today); read it in [`KST`].
    Naive(NaiveDateTime),
    /// The value carried its own offset.
    Offset(DateTime<FixedOffset>),
}

impl Timestamp {
    /// Parses one of the accepted forms; `None` when `text` is none of them.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if let Some(naive) = naive_iso(text) {
            return Some(Timestamp::Naive(naive));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Timestamp::Naive(naive));
            }
        }
        if let Ok(zoned) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp::Offset(zoned));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
            if let Ok(zoned) = DateTime::parse_from_str(text, format) {
                return Some(Timestamp::Offset(zoned));
            }
        }
        None
    }

    /// The wall-clock value as sent (for an offset value: local to that offset).
    pub fn naive(&self) -> NaiveDateTime {
        match self {
            Timestamp::Naive(naive) => *naive,
            Timestamp::Offset(zoned) => zoned.naive_local(),
        }
    }

    /// The offset, when the value carried one.
    pub fn offset(&self) -> Option<FixedOffset> {
        match self {
            Timestamp::Naive(_) => None,
            Timestamp::Offset(zoned) => Some(*zoned.offset()),
        }
    }

    /// The instant, reading a naive value in `offset`; a value with its own
    /// offset keeps it.
    pub fn with_default_offset(&self, offset: FixedOffset) -> DateTime<FixedOffset> {
        match self {
            Timestamp::Naive(naive) => naive
                .and_local_timezone(offset)
                .single()
                // A fixed offset has no gaps or folds: only a value at the very edge of
                // chrono's range has no instant there, and it is then read as UTC.
                .unwrap_or_else(|| naive.and_utc().with_timezone(&offset)),
            Timestamp::Offset(zoned) => *zoned,
        }
    }

    /// The instant in UTC, reading a naive value as [`KST`].
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.with_default_offset(KST).with_timezone(&Utc)
    }
}

/// The form the API sends today (`2025-04-23T16:49:24`, a space or a `T`, up to nine
/// fraction digits), read without chrono's format interpreter: a page of 1,000 assets
/// carries 2,000 of them. Anything else (`None`) goes through the general parsers.
fn naive_iso(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() >= 19
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && (bytes[10] == b'T' || bytes[10] == b' ')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !shape_ok {
        return None;
    }
    let number = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0_u32, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    };
    let nanos = match &bytes[19..] {
        [] => 0,
        [b'.', fraction @ ..] if !fraction.is_empty() && fraction.len() <= 9 => {
            let padding = u32::try_from(9 - fraction.len()).ok()?;
            number(fraction)? * 10_u32.pow(padding)
        }
        _ => return None,
    };
    let year = i32::try_from(number(&bytes[0..4])?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(&bytes[5..7])?, number(&bytes[8..10])?)?
        .and_hms_nano_opt(
            number(&bytes[11..13])?,
            number(&bytes[14..16])?,
            number(&bytes[17..19])?,
            nanos,
        )
}

impl From<NaiveDateTime> for Timestamp {
    fn from(naive: NaiveDateTime) -> Timestamp {
        Timestamp::Naive(naive)
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(zoned: DateTime<FixedOffset>) -> Timestamp {
        Timestamp::Offset(zoned)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timestamp::Naive(naive) => write!(f, "{}", naive.format("%Y-%m-%dT%H:%M:%S%.f")),
            Timestamp::Offset(zoned) => {
                f.write_str(&zoned.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }
        }
    }
}

/// A string that is not one of the date-time forms [`Timestamp`] accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimestampError {
    input: String,
}

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an ISO 8601 date-time (expected e.g. 2025-04-23T16:49:24)",
            self.input
        )
    }
}

impl std::error::Error for ParseTimestampError {}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(text: &str) -> Result<Timestamp, ParseTimestampError> {
        Timestamp::parse(text).ok_or_else(|| ParseTimestampError {
            input: text.to_owned(),
        })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 8601 date-time string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<Timestamp>, E> {
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("null") {
            return Ok(None);
        }
        text.parse().map(Some).map_err(E::custom)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Timestamp>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Timestamp>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Timestamp>, D::Error> {
        d.deserialize_any(TimestampVisitor)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_any(TimestampVisitor)?
            .ok_or_else(|| de::Error::custom("expected a date-time, found no value"))
    }
}

/// `Option<Timestamp>` where JSON null, `""` and `"null"` mean `None`.
pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    d.deserialize_option(TimestampVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn naive(h: u32, m: u32, s: u32, milli: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, 4, 23)
            .unwrap()
            .and_hms_milli_opt(h, m, s, milli)
            .unwrap()
    }

    #[test]
    fn parses_naive_values_with_and_without_fractions() {
        let plain = Timestamp::parse("2025-04-23T16:49:24").unwrap();
        assert_eq!(plain, Timestamp::Naive(naive(16, 49, 24, 0)));
        assert_eq!(plain.offset(), None);
        assert_eq!(
            Timestamp::parse("2025-04-23T16:49:24.123").unwrap(),
            Timestamp::Naive(naive(16, 49, 24, 123))
        );
        assert_eq!(
            Timestamp::parse("2025-04-23 16:49:24").unwrap(),
            Timestamp::Naive(naive(16, 49, 24, 0))
        );
        assert_eq!(plain.to_string(), "2025-04-23T16:49:24");
        assert_eq!(
            Timestamp::parse("2025-04-23T16:49:24.5")
                .unwrap()
                .to_string(),
            "2025-04-23T16:49:24.500"
        );
    }

    #[test]
    fn the_fast_reader_agrees_with_chrono_or_steps_aside() {
        let general = |text: &str| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        };
        for text in [
            "2025-04-23T16:49:24",
            "2025-04-23 16:49:24.5",
            "2025-04-23T16:49:24.123456789",
            "2024-02-29T23:59:59.000",
            "0001-01-01T00:00:00",
        ] {
            assert_eq!(naive_iso(text), general(text), "{text}");
            assert!(naive_iso(text).is_some(), "{text}");
        }
        for text in [
            "2025-02-29T00:00:00",
            "2025-04-23T24:00:00",
            "2025-04-23T16:49:60",
            "2025-04-23T16:49:24.",
            "2025-04-23T16:49:24.1234567891",
            "2025-04-23T16:49:24Z",
            "2025-4-23T16:49:24",
            "+2025-04-23T16:49",
            "2025-04-23T16:49:2x",
        ] {
            assert_eq!(naive_iso(text), None, "{text}");
        }
        assert_eq!(
            Timestamp::parse("2025-04-23T16:49:60"),
            general("2025-04-23T16:49:60").map(Timestamp::Naive)
        );
    }

    #[test]
    fn keeps_an_offset_when_one_is_sent() {
        let zoned = Timestamp::parse("2025-04-23T16:49:24+09:00").unwrap();
        assert_eq!(zoned.offset(), Some(KST));
        assert_eq!(zoned.naive(), naive(16, 49, 24, 0));
        assert_eq!(zoned.to_string(), "2025-04-23T16:49:24+09:00");
        let utc = Timestamp::parse("2025-04-23T07:49:24.250Z").unwrap();
        assert_eq!(utc.offset(), FixedOffset::east_opt(0));
        assert_eq!(
            utc.to_utc(),
            Utc.with_ymd_and_hms(2025, 4, 23, 7, 49, 24).unwrap()
                + chrono::Duration::milliseconds(250)
        );
        let compact = Timestamp::parse("2025-04-23T16:49:24+0900").unwrap();
        assert_eq!(compact, zoned);
        assert!(Timestamp::parse("yesterday").is_none());
        assert!("2025-13-01T00:00:00".parse::<Timestamp>().is_err());
    }

    #[test]
    fn naive_values_are_read_as_kst() {
        let plain = Timestamp::parse("2025-04-23T16:49:24").unwrap();
        assert_eq!(
            plain.to_utc(),
            Utc.with_ymd_and_hms(2025, 4, 23, 7, 49, 24).unwrap()
        );
        assert_eq!(
            plain.with_default_offset(KST).to_rfc3339(),
            "2025-04-23T16:49:24+09:00"
        );
    }

    #[test]
    fn serde_round_trip_and_lenient_absence() {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(default, deserialize_with = "opt_timestamp")]
            at: Option<Timestamp>,
        }
        let parse = |json: &str| serde_json::from_str::<Holder>(json).map(|h| h.at);
        assert_eq!(parse("{}").unwrap(), None);
        assert_eq!(parse(r#"{"at":null}"#).unwrap(), None);
        assert_eq!(parse(r#"{"at":""}"#).unwrap(), None);
        assert_eq!(
            parse(r#"{"at":"2025-04-23T16:49:24"}"#).unwrap(),
            Some(Timestamp::Naive(naive(16, 49, 24, 0)))
        );
        let err = parse(r#"{"at":"soon"}"#).unwrap_err().to_string();
        assert!(err.contains("soon"), "{err}");
        assert!(parse(r#"{"at":12}"#).is_err());

        let value = Timestamp::parse("2025-04-23T16:49:24").unwrap();
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, r#""2025-04-23T16:49:24""#);
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), value);
    }
}
