//! Deserializers for the shapes providers send numbers and times in.
//!
//! Use them with `#[serde(default, deserialize_with = "...")]` on `Option`
//! fields: numbers that arrive as JSON numbers or as numeric strings, epoch
//! milliseconds as either, and the literal string `"null"` some providers
//! send for "no value".

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor};

/// A JSON number, or a string holding one. Blank strings and `"null"` are `None`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Loose {
    Int(i128),
    Float(f64),
    Absent,
}

/// Reads a [`Loose`]; when `lenient`, anything that is not a number (a
/// placeholder string, a boolean, an array or object) is `Absent` instead of
/// an error.
struct LooseVisitor {
    lenient: bool,
}

impl LooseVisitor {
    fn not_a_number<E: de::Error>(&self, unexpected: Unexpected<'_>) -> Result<Loose, E> {
        if self.lenient {
            Ok(Loose::Absent)
        } else {
            Err(E::invalid_type(unexpected, self))
        }
    }
}

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding a number")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose, E> {
        self.not_a_number(Unexpected::Bool(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_a_number(Unexpected::Seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_a_number(Unexpected::Map)
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
            _ if self.lenient => Ok(Loose::Absent),
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
        d.deserialize_any(self)
    }
}

fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
    d.deserialize_any(LooseVisitor { lenient: false })
}

fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
    d.deserialize_any(LooseVisitor { lenient: true })
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

/// Like [`opt_u64`], but anything that is not such a number (a placeholder
/// such as `"N/A"`, a negative or fractional number, a boolean, an object)
/// is `None` rather than an error: for fields filled by probing tools that
/// write whatever they like.
pub fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(integer::<u64, D::Error>(lenient(d)?, "").ok().flatten())
}

/// Like [`opt_u32`], leniently (see [`lenient_u64`]).
pub fn lenient_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(integer::<u32, D::Error>(lenient(d)?, "").ok().flatten())
}

/// Like [`opt_i64`], leniently (see [`lenient_u64`]).
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(integer::<i64, D::Error>(lenient(d)?, "").ok().flatten())
}

/// Like [`opt_f64`], leniently (see [`lenient_u64`]).
pub fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match lenient(d)? {
        Loose::Absent => None,
        #[allow(clippy::cast_precision_loss)]
        Loose::Int(int) => Some(int as f64),
        Loose::Float(f) => Some(f),
    })
}

/// One JSON value as a lenient reader needs it: a scalar, read without
/// building a `serde_json::Value` (a string is borrowed from the input when
/// it has no escapes), or an array or object kept whole for the rare reader
/// that wants it.
///
/// ```
/// use media_core::de::Scalar;
///
/// let read: Scalar<'_> = serde_json::from_str(r#""ready""#).unwrap();
/// assert_eq!(read, Scalar::Str("ready".into()));
/// let read: Scalar<'_> = serde_json::from_str("1.5").unwrap();
/// assert_eq!(read.json_text(), "1.5");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A negative integer.
    I64(i64),
    /// A non-negative integer.
    U64(u64),
    /// A number with a fraction or an exponent.
    F64(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array or an object.
    Compound(serde_json::Value),
}

impl Scalar<'_> {
    /// The value as JSON text, formatted as `serde_json` would (`1.0`, not
    /// `1`); a string comes back quoted.
    pub fn json_text(&self) -> String {
        match self {
            Scalar::Null => "null".to_owned(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::I64(n) => n.to_string(),
            Scalar::U64(n) => n.to_string(),
            Scalar::F64(f) => serde_json::Value::from(*f).to_string(),
            Scalar::Str(text) => serde_json::Value::from(text.as_ref()).to_string(),
            Scalar::Compound(value) => value.to_string(),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar<'a>, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(u64::try_from(v).map_or(Scalar::I64(v), Scalar::U64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::F64(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar<'de>, A::Error> {
        serde_json::Value::deserialize(SeqAccessDeserializer::new(seq)).map(Scalar::Compound)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar<'de>, A::Error> {
        serde_json::Value::deserialize(MapAccessDeserializer::new(map)).map(Scalar::Compound)
    }
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

    #[derive(Deserialize, Debug)]
    struct Probed {
        #[serde(default, deserialize_with = "lenient_u64")]
        size: Option<u64>,
        #[serde(default, deserialize_with = "lenient_f64")]
        fps: Option<f64>,
        #[serde(default)]
        after: Option<u32>,
    }

    #[test]
    fn lenient_numbers_read_placeholders_as_absent_and_keep_going() {
        for odd in [
            r#""N/A""#,
            "-1",
            "1.5",
            "true",
            "[1,2]",
            r#"{"v":1}"#,
            r#""99999999999999999999999""#,
        ] {
            let json = format!(r#"{{"size":{odd},"fps":{odd},"after":7}}"#);
            let probed: Probed = serde_json::from_str(&json).unwrap();
            assert_eq!(probed.size, None, "{odd}");
            assert_eq!(probed.after, Some(7), "{odd} must not derail the rest");
        }
        let probed: Probed = serde_json::from_str(r#"{"size":"42","fps":"29.97"}"#).unwrap();
        assert_eq!((probed.size, probed.fps), (Some(42), Some(29.97)));
    }

    #[test]
    fn scalars_borrow_plain_strings_and_keep_compounds() {
        let read: Scalar<'_> = serde_json::from_str(r#""plain""#).unwrap();
        assert!(matches!(read, Scalar::Str(Cow::Borrowed("plain"))));
        let read: Scalar<'_> = serde_json::from_str(r#""esc\"aped""#).unwrap();
        assert_eq!(read, Scalar::Str(Cow::Owned("esc\"aped".to_owned())));
        for (json, text) in [
            ("null", "null"),
            ("true", "true"),
            ("-3", "-3"),
            ("3", "3"),
            ("1.0", "1.0"),
            (r#"{"a":[1]}"#, r#"{"a":[1]}"#),
            (r#""q""#, r#""q""#),
        ] {
            let read: Scalar<'_> = serde_json::from_str(json).unwrap();
            assert_eq!(read.json_text(), text, "{json}");
            assert_eq!(
                text,
                serde_json::from_str::<serde_json::Value>(json)
                    .unwrap()
                    .to_string(),
                "json_text must match serde_json's own formatting"
            );
        }
    }
}
