//! The quirk readers every model of this crate uses (catalog §1.4).
//!
//! memories.ai v1 sends the same number as a JSON number in one response and
//! as a numeric string in the next, writes "no value" as the *string*
//! `"null"`, sends 18-digit ids as JSON numbers larger than 2^53, and uses
//! epoch milliseconds everywhere except `publish_time` (seconds). One reader
//! handles every numeric field:
//!
//! ```text
//! #[serde(default, deserialize_with = "crate::de::number")] size: Option<u64>
//! ```
//!
//! Integers are parsed exactly (never through `f64`), so an id or a count of
//! any size survives; ids are kept as strings with [`id`] / [`opt_id`].

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A scalar as the API sends it: a number, a string holding one, or nothing.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Int(i128),
    Float(f64),
    /// A string that is not a number (kept for ids).
    Text(String),
    /// JSON null, a blank string or the string `"null"`.
    Absent,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a string holding one, or null")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Err(E::invalid_type(Unexpected::Bool(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(i128::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Int(i128::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
        i128::try_from(v)
            .map(Scalar::Int)
            .map_err(|_| E::custom(format!("{v} is too large")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        let trimmed = v.trim();
        if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("null") {
            return Ok(Scalar::Absent);
        }
        if let Ok(int) = trimmed.parse::<i128>() {
            return Ok(Scalar::Int(int));
        }
        match trimmed.parse::<f64>() {
            Ok(float) if float.is_finite() => Ok(Scalar::Float(float)),
            _ => Ok(Scalar::Text(v.to_owned())),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Absent)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

/// A numeric type [`number`] can produce.
pub(crate) trait Number: Sized {
    /// What the type is called in error messages.
    const WHAT: &'static str;
    /// The value of an exact integer, if it fits.
    fn from_int(int: i128) -> Option<Self>;
    /// The value of a float, if it fits (integers reject fractions).
    fn from_float(float: f64) -> Option<Self>;
}

macro_rules! integer_number {
    ($($t:ty => $what:literal),*) => {$(
        impl Number for $t {
            const WHAT: &'static str = $what;
            fn from_int(int: i128) -> Option<Self> {
                <$t>::try_from(int).ok()
            }
            fn from_float(float: f64) -> Option<Self> {
                #[allow(clippy::cast_possible_truncation, reason = "range checked first")]
                if float.fract() == 0.0 && float.abs() < 1e30 {
                    Self::from_int(float as i128)
                } else {
                    None
                }
            }
        }
    )*};
}

integer_number!(u32 => "an unsigned 32-bit integer", u64 => "an unsigned 64-bit integer",
    i32 => "a 32-bit integer", i64 => "a 64-bit integer");

impl Number for f64 {
    const WHAT: &'static str = "a number";
    fn from_int(int: i128) -> Option<Self> {
        Some(int as f64)
    }
    fn from_float(float: f64) -> Option<Self> {
        Some(float)
    }
}

/// The one numeric reader: `Option<T>` from a JSON number, a numeric string,
/// JSON null, a blank string or the string `"null"` (the last three `None`).
pub(crate) fn number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Number,
{
    match scalar(d)? {
        Scalar::Absent => Ok(None),
        Scalar::Int(int) => T::from_int(int)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{int} is out of range for {}", T::WHAT))),
        Scalar::Float(float) => T::from_float(float)
            .map(Some)
            .ok_or_else(|| de::Error::invalid_value(Unexpected::Float(float), &T::WHAT)),
        Scalar::Text(text) => Err(de::Error::invalid_value(Unexpected::Str(&text), &T::WHAT)),
    }
}

/// `Option<DateTime<Utc>>` from Unix epoch **milliseconds** (number or string).
pub(crate) fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(ms) = number::<D, i64>(d)? else {
        return Ok(None);
    };
    DateTime::from_timestamp_millis(ms)
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("{ms} ms is not a representable time")))
}

/// `Option<DateTime<Utc>>` from Unix epoch **seconds** (number or string), the
/// unit of `publish_time`.
pub(crate) fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(secs) = number::<D, i64>(d)? else {
        return Ok(None);
    };
    DateTime::from_timestamp(secs, 0)
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("{secs} s is not a representable time")))
}

/// An id sent as a string or as a JSON integer, kept as text. A float is
/// refused: it would already have lost digits.
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match scalar(d)? {
        Scalar::Absent => Ok(None),
        Scalar::Int(int) => Ok(Some(int.to_string())),
        Scalar::Text(text) => Ok(Some(text)),
        Scalar::Float(float) => Err(de::Error::invalid_value(
            Unexpected::Float(float),
            &"an integer id (a float would lose digits)",
        )),
    }
}

/// A required id, as [`opt_id`].
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_id(d)?.ok_or_else(|| de::Error::custom("expected an id, found no value"))
}

/// `Option<String>` where the string `"null"` (and JSON null) mean `None`.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = <Option<String> as serde::Deserialize>::deserialize(d)?;
    Ok(value.filter(|s| s != "null"))
}

/// A list where JSON null means empty.
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Ok(<Option<Vec<T>> as serde::Deserialize>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "number")]
        size: Option<u64>,
        #[serde(default, deserialize_with = "number")]
        start: Option<f64>,
        #[serde(default, deserialize_with = "number")]
        page: Option<u32>,
        #[serde(default, deserialize_with = "opt_id")]
        id: Option<String>,
        #[serde(default, deserialize_with = "millis")]
        created: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "seconds")]
        published: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "list")]
        tags: Vec<String>,
    }

    fn parse(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_strings_and_the_string_null() {
        let a = parse(r#"{"size":"7340032","start":"12","page":"1"}"#).unwrap();
        let b = parse(r#"{"size":7340032,"start":12,"page":1}"#).unwrap();
        assert_eq!(
            (a.size, a.start, a.page),
            (Some(7_340_032), Some(12.0), Some(1))
        );
        assert_eq!((b.size, b.start, b.page), (a.size, a.start, a.page));
        let c = parse(r#"{"size":"null","start":"null","page":null,"id":"null"}"#).unwrap();
        assert_eq!((c.size, c.start, c.page, c.id), (None, None, None, None));
        let d = parse(r#"{"size":"","start":" 3.5 "}"#).unwrap();
        assert_eq!((d.size, d.start), (None, Some(3.5)));
        assert_eq!(parse(r#"{"size":12.0}"#).unwrap().size, Some(12));
        for bad in [
            r#"{"size":"12MB"}"#,
            r#"{"size":-1}"#,
            r#"{"size":1.5}"#,
            r#"{"size":true}"#,
            r#"{"page":"99999999999"}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn eighteen_digit_ids_never_pass_through_a_float() {
        // 700000000000000101 > 2^53: through f64 it would become ...100.
        let a = parse(r#"{"id":700000000000000101}"#).unwrap();
        assert_eq!(a.id.as_deref(), Some("700000000000000101"));
        let b = parse(r#"{"id":"700000000000000101"}"#).unwrap();
        assert_eq!(b.id, a.id);
        let c = parse(r#"{"id":"session-123"}"#).unwrap();
        assert_eq!(c.id.as_deref(), Some("session-123"));
        // Through serde_json::Value (as the envelope decoder does) too.
        let value: serde_json::Value =
            serde_json::from_str(r#"{"id":18446744073709551615,"size":18446744073709551615}"#)
                .unwrap();
        let d: Sample = serde_json::from_value(value).unwrap();
        assert_eq!(d.id.as_deref(), Some("18446744073709551615"));
        assert_eq!(d.size, Some(u64::MAX));
        assert!(parse(r#"{"id":7.0e17}"#).is_err());
    }

    #[test]
    fn milliseconds_and_seconds() {
        let a = parse(r#"{"created":"1760000000000","published":"1759990000"}"#).unwrap();
        assert_eq!(a.created.unwrap().timestamp(), 1_760_000_000);
        assert_eq!(a.published.unwrap().timestamp(), 1_759_990_000);
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2025-10-09T06:06:40+00:00"
        );
        let b = parse(r#"{"created":1760000000000,"published":1759990000}"#).unwrap();
        assert_eq!((b.created, b.published), (a.created, a.published));
        let c = parse(r#"{"created":"null","published":""}"#).unwrap();
        assert_eq!((c.created, c.published), (None, None));
    }

    #[test]
    fn null_lists_are_empty() {
        assert!(parse(r#"{"tags":null}"#).unwrap().tags.is_empty());
        assert_eq!(parse(r#"{"tags":["a"]}"#).unwrap().tags, ["a"]);
        assert!(parse("{}").unwrap().tags.is_empty());
    }
}
