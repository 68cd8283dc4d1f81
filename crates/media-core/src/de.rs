//! Deserializers for the shapes providers send numbers and times in.
//!
//! Use them with `#[serde(default, deserialize_with = "...")]` on `Option`
//! fields: numbers that arrive as JSON numbers or as numeric strings, epoch
//! milliseconds as either, and the literal string `"null"` some providers
//! send for "no value".

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;

/// A JSON number, or a string holding one. Blank strings and `"null"` are `None`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Loose {
    Int(i128),
    Float(f64),
    Absent,
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding a number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Int(i128::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Int(i128::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
        let v = v.trim();
        if v.is_empty() || v.eq_ignore_ascii_case("null") {
            return Ok(Loose::Absent);
        }
        if let Ok(int) = v.parse::<i128>() {
            return Ok(Loose::Int(int));
        }
        match v.parse::<f64>() {
            Ok(float) if float.is_finite() => Ok(Loose::Float(float)),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Absent)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
    d.deserialize_any(LooseVisitor)
}

fn integer<T: TryFrom<i128>, E: de::Error>(value: Loose, what: &str) -> Result<Option<T>, E> {
    let int = match value {
        Loose::Absent => return Ok(None),
        Loose::Int(int) => int,
        #[allow(clippy::cast_possible_truncation)]
        Loose::Float(f) if f.fract() == 0.0 && f.abs() < 1e30 => f as i128,
        Loose::Float(f) => {
            return Err(E::invalid_value(Unexpected::Float(f), &what));
        }
    };
    T::try_from(int)
        .map(Some)
        .map_err(|_| E::custom(format!("{int} is out of range for {what}")))
}

/// `Option<u64>` from a number or a numeric string.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    integer(loose(d)?, "an unsigned 64-bit integer")
}

/// `Option<u32>` from a number or a numeric string.
pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    integer(loose(d)?, "an unsigned 32-bit integer")
}

/// `Option<i64>` from a number or a numeric string.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    integer(loose(d)?, "a 64-bit integer")
}

/// `u64` from a number or a numeric string (absent values are an error).
pub fn u64_loose<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    opt_u64(d)?.ok_or_else(|| de::Error::custom("expected a number, found no value"))
}

/// `Option<f64>` from a number or a numeric string.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match loose(d)? {
        Loose::Absent => None,
        #[allow(clippy::cast_precision_loss)]
        Loose::Int(int) => Some(int as f64),
        Loose::Float(f) => Some(f),
    })
}

/// `Option<DateTime<Utc>>` from Unix epoch milliseconds, as a number or a string.
pub fn opt_epoch_ms<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(ms) = integer::<i64, D::Error>(loose(d)?, "epoch milliseconds")? else {
        return Ok(None);
    };
    DateTime::from_timestamp_millis(ms)
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("{ms} ms is not a representable time")))
}

/// `Option<DateTime<Utc>>` from Unix epoch seconds, as a number or a string.
pub fn opt_epoch_secs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(secs) = integer::<i64, D::Error>(loose(d)?, "epoch seconds")? else {
        return Ok(None);
    };
    DateTime::from_timestamp(secs, 0)
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("{secs} s is not a representable time")))
}

/// `Option<String>` where the literal string `"null"` (and JSON null) mean `None`.
pub fn opt_null_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(d)?;
    Ok(value.filter(|s| s != "null"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Deserialize, Debug)]
    struct Sample {
        #[serde(default, deserialize_with = "opt_u64")]
        size: Option<u64>,
        #[serde(default, deserialize_with = "opt_f64")]
        fps: Option<f64>,
        #[serde(default, deserialize_with = "opt_epoch_ms")]
        created: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "opt_null_string")]
        cause: Option<String>,
    }

    fn parse(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_numeric_strings_alike() {
        let a = parse(r#"{"size":"133652816","fps":"29.97","created":"1766989317192"}"#).unwrap();
        let b = parse(r#"{"size":133652816,"fps":29.97,"created":1766989317192}"#).unwrap();
        assert_eq!(a.size, Some(133_652_816));
        assert_eq!(a.size, b.size);
        assert_eq!(a.fps, b.fps);
        assert_eq!(a.created, b.created);
        assert_eq!(
            a.created,
            Some(
                Utc.with_ymd_and_hms(2025, 12, 29, 6, 21, 57).unwrap()
                    + chrono::Duration::milliseconds(192)
            )
        );
    }

    #[test]
    fn absent_null_and_blank() {
        let s = parse(r#"{"size":null,"fps":"","created":"null","cause":"null"}"#).unwrap();
        assert_eq!(
            (s.size, s.fps, s.created, s.cause),
            (None, None, None, None)
        );
        let s = parse("{}").unwrap();
        assert!(s.size.is_none() && s.cause.is_none());
        assert_eq!(
            parse(r#"{"cause":"codec"}"#).unwrap().cause.as_deref(),
            Some("codec")
        );
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert!(parse(r#"{"size":"12MB"}"#).is_err());
        assert!(parse(r#"{"size":-1}"#).is_err());
        assert!(parse(r#"{"size":1.5}"#).is_err());
        assert!(parse(r#"{"size":true}"#).is_err());
        assert!(parse(r#"{"size":"99999999999999999999999"}"#).is_err());
        assert_eq!(parse(r#"{"size":12.0}"#).unwrap().size, Some(12));
    }
}
