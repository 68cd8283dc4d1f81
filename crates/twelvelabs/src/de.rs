//! Lenient deserializers for the TwelveLabs wire shapes: RFC 3339 timestamps
//! that may be written loosely, numbers, booleans and strings that may arrive
//! as other scalars or as placeholders (`"N/A"`), and `null` lists.
//! `media_core::de` has no RFC 3339 reader and fails on placeholders, so the
//! crate wraps it here.
//!
//! Each reads a [`Scalar`] first (a scalar read without building a
//! `serde_json::Value`), so an unexpected shape becomes `None` (or the
//! default) instead of failing the whole response.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use media_core::de::Scalar;
use serde::{Deserialize, Deserializer};

/// `Option<DateTime<Utc>>` from an RFC 3339 string, parsed leniently (see
/// [`parse_datetime`]); epoch seconds or milliseconds as a number are also
/// accepted. Anything unreadable is `None`.
pub(crate) fn opt_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let epoch = |n: i64| {
        // Values this large are milliseconds (year 5138 in seconds).
        if n.unsigned_abs() >= 100_000_000_000 {
            DateTime::from_timestamp_millis(n)
        } else {
            DateTime::from_timestamp(n, 0)
        }
    };
    Ok(match Scalar::deserialize(d)? {
        Scalar::Str(text) => parse_datetime(&text),
        Scalar::I64(n) => epoch(n),
        Scalar::U64(n) => i64::try_from(n).ok().and_then(epoch),
        _ => None,
    })
}

/// Parses a timestamp the way TwelveLabs writes them (RFC 3339, with or
/// without fractional seconds) and the loose variants seen in file metadata:
/// a space instead of `T`, no offset (taken as UTC), an offset without a
/// colon, a bare date, and PDF dates such as `D:20240116075940+09'00'`.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if let Some(pdf) = text.strip_prefix("D:") {
        return parse_pdf_date(pdf);
    }
    let normalized = text.replacen(' ', "T", 1);
    if let Ok(at) = DateTime::parse_from_rfc3339(&normalized) {
        return Some(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"] {
        if let Ok(at) = DateTime::parse_from_str(&normalized, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    let naive = normalized.trim_end_matches(['Z', 'z']);
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(naive, format) {
            return Some(at.and_utc());
        }
    }
    NaiveDate::parse_from_str(naive, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
}

/// `YYYYMMDDHHmmSSOHH'mm'` with every part after the year optional.
fn parse_pdf_date(text: &str) -> Option<DateTime<Utc>> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    if digits.len() < 4 || !digits.len().is_multiple_of(2) || digits.len() > 14 {
        return None;
    }
    let part = |from: usize, default: u32| -> Option<u32> {
        digits
            .get(from..from + 2)
            .map_or(Some(default), |p| p.parse().ok())
    };
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let naive = NaiveDate::from_ymd_opt(year, part(4, 1)?, part(6, 1)?)?.and_hms_opt(
        part(8, 0)?,
        part(10, 0)?,
        part(12, 0)?,
    )?;
    let offset_secs = match rest.chars().next() {
        None | Some('Z' | 'z') => 0,
        Some(sign @ ('+' | '-')) => {
            let offset: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = offset.get(0..2)?.parse().ok()?;
            let minutes: i32 = offset.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
            let secs = hours * 3600 + minutes * 60;
            if sign == '-' { -secs } else { secs }
        }
        Some(_) => return None,
    };
    FixedOffset::east_opt(offset_secs)?
        .from_local_datetime(&naive)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// Numbers as `media_core::de` reads them (JSON numbers or numeric strings),
/// except that a value that is not such a number (`"N/A"`, `-1` for an
/// unsigned field, `true`) is `None` instead of an error: file metadata
/// comes from probing tools that write placeholders.
pub(crate) use media_core::de::{
    lenient_f64 as opt_f64, lenient_i64 as opt_i64, lenient_u32 as opt_u32, lenient_u64 as opt_u64,
};

/// `Option<bool>` from a JSON boolean, `"true"`/`"false"` (any case), or `0`/`1`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let spelled = |text: &str, words: [&str; 3]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
    Ok(match Scalar::deserialize(d)? {
        Scalar::Bool(b) => Some(b),
        Scalar::Str(text) if spelled(text.trim(), ["true", "1", "yes"]) => Some(true),
        Scalar::Str(text) if spelled(text.trim(), ["false", "0", "no"]) => Some(false),
        Scalar::U64(0) => Some(false),
        Scalar::U64(1) => Some(true),
        _ => None,
    })
}

/// `Option<String>` from a string, or from a number or boolean written as its
/// JSON text (a PDF version `1.7` sent as a number stays `"1.7"`).
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Str(text) => Some(text.into_owned()),
        number @ (Scalar::I64(_) | Scalar::U64(_) | Scalar::F64(_) | Scalar::Bool(_)) => {
            Some(number.json_text())
        }
        _ => None,
    })
}

/// `T::default()` for `null` as well as for a missing field.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<String> {
        parse_datetime(text).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }

    #[test]
    fn rfc3339_and_its_loose_cousins() {
        assert_eq!(
            at("2022-06-02T10:30:00Z").as_deref(),
            Some("2022-06-02T10:30:00.000Z")
        );
        assert_eq!(
            at("2024-01-16T07:59:40.879Z").as_deref(),
            Some("2024-01-16T07:59:40.879Z")
        );
        assert_eq!(
            at("2024-01-16T16:59:40+09:00").as_deref(),
            Some("2024-01-16T07:59:40.000Z")
        );
        assert_eq!(
            at("2024-01-16 07:59:40").as_deref(),
            Some("2024-01-16T07:59:40.000Z")
        );
        assert_eq!(
            at("2024-01-16T07:59:40").as_deref(),
            Some("2024-01-16T07:59:40.000Z")
        );
        assert_eq!(
            at("2024-01-16T16:59:40+0900").as_deref(),
            Some("2024-01-16T07:59:40.000Z")
        );
        assert_eq!(
            at("2024-01-16").as_deref(),
            Some("2024-01-16T00:00:00.000Z")
        );
        assert_eq!(
            at("D:20240116165940+09'00'").as_deref(),
            Some("2024-01-16T07:59:40.000Z")
        );
        assert_eq!(
            at("D:20240116").as_deref(),
            Some("2024-01-16T00:00:00.000Z")
        );
        assert_eq!(
            at("D:20240116075940Z").as_deref(),
            Some("2024-01-16T07:59:40.000Z")
        );
        for junk in [
            "",
            "  ",
            "yesterday",
            "D:",
            "D:2024x",
            "2024-13-01",
            "12/06/2022",
        ] {
            assert_eq!(at(junk), None, "{junk:?}");
        }
    }

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Sample {
        #[serde(deserialize_with = "opt_datetime")]
        at: Option<DateTime<Utc>>,
        #[serde(deserialize_with = "opt_bool")]
        flag: Option<bool>,
        #[serde(deserialize_with = "opt_string")]
        text: Option<String>,
        #[serde(deserialize_with = "null_as_default")]
        list: Vec<u32>,
    }

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Numbers {
        #[serde(deserialize_with = "opt_u64")]
        size: Option<u64>,
        #[serde(deserialize_with = "opt_u32")]
        width: Option<u32>,
        #[serde(deserialize_with = "opt_i64")]
        rotation: Option<i64>,
        #[serde(deserialize_with = "opt_f64")]
        fps: Option<f64>,
    }

    #[test]
    fn numbers_leniently() {
        let n: Numbers = serde_json::from_str(
            r#"{"size":"2048","width":1920.0,"rotation":"-90","fps":"29.97"}"#,
        )
        .unwrap();
        assert_eq!(
            (n.size, n.width, n.rotation, n.fps),
            (Some(2048), Some(1920), Some(-90), Some(29.97))
        );
        let n: Numbers =
            serde_json::from_str(r#"{"size":"N/A","width":-1,"rotation":true,"fps":[1]}"#).unwrap();
        assert_eq!(
            (n.size, n.width, n.rotation, n.fps),
            (None, None, None, None)
        );
    }

    #[test]
    fn scalars_of_the_wrong_kind_do_not_fail_the_object() {
        let s: Sample =
            serde_json::from_str(r#"{"at":{"x":1},"flag":"TRUE","text":1.7,"list":null}"#).unwrap();
        assert_eq!(
            (s.at, s.flag, s.text.as_deref()),
            (None, Some(true), Some("1.7"))
        );
        assert!(s.list.is_empty());
        let s: Sample = serde_json::from_str(r#"{"at":1654165800,"flag":0,"text":null}"#).unwrap();
        assert_eq!(
            s.at.map(|t| t.to_rfc3339()),
            Some("2022-06-02T10:30:00+00:00".into())
        );
        assert_eq!((s.flag, s.text), (Some(false), None));
        let s: Sample = serde_json::from_str(r#"{"at":1654165800123,"flag":[true]}"#).unwrap();
        assert_eq!(s.at.map(|t| t.timestamp_millis()), Some(1_654_165_800_123));
        assert_eq!(s.flag, None);
        let s: Sample = serde_json::from_str("{}").unwrap();
        assert!(s.at.is_none() && s.flag.is_none() && s.text.is_none());
    }
}
