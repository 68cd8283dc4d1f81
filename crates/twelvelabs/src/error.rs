//! The TwelveLabs error envelope and the one response decoder every endpoint
//! uses (catalog §1.3, §1.7).
//!
//! Error bodies come in four shapes, for any status: flat
//! `{"code","message","docs_url"?}`, nested `{"error":{"code","message","details"?}}`,
//! empty, and non-JSON text (a gateway's HTML page). All become a typed
//! [`media_core::Error`] carrying the provider's code and message.

use media_core::http::RawResponse;
use media_core::{Error, Result};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// The throttling code (catalog §1.7); it means "rate limited" whatever the status.
const TOO_MANY_REQUESTS: &str = "too_many_requests";
/// Codes that mean the key was refused, whatever the status.
const UNAUTHORIZED_CODES: [&str; 2] = ["api_key_invalid", "unauthorized"];
/// The documented not-found code; the catalog notes it may come with 400.
const NOT_FOUND_CODE: &str = "resource_not_exist";

/// Decodes a response of any status: a 2xx body into `T`, anything else into
/// the typed error.
///
/// TwelveLabs documents no errors under 2xx, but a gateway or a future
/// server might send one, and most models have only optional fields, so an
/// error body would otherwise decode as an empty object. A 2xx body that is
/// unmistakably an error (see [`is_error_body`]) is therefore reported as
/// the error, and so is a 2xx body that fails to decode but carries an
/// envelope.
// By value: the engine's decoder signature is `Fn(RawResponse) -> Result<T>`.
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn decode<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    if !raw.is_success() || is_error_body(&raw.body) {
        return Err(api_error(&raw));
    }
    match serde_json::from_slice::<T>(&raw.body) {
        Ok(value) => Ok(value),
        Err(err) => Err(envelope_error(&raw).unwrap_or_else(|| raw.decode_error(err.to_string()))),
    }
}

/// Decodes the answer of an endpoint that returns no body (updates and
/// deletes; catalog §1.3: any 2xx, with or without a body, is success).
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn decode_empty(raw: RawResponse) -> Result<()> {
    if !raw.is_success() || is_error_body(&raw.body) {
        return Err(api_error(&raw));
    }
    Ok(())
}

/// The typed error for a response the caller has decided is a failure.
pub(crate) fn api_error(raw: &RawResponse) -> Error {
    envelope_error(raw).unwrap_or_else(|| raw.error_without_envelope())
}

/// True for a body that can only be an error: a flat object with a string
/// `code` and a string `message` at the top, or an object whose only key is
/// `error` holding both. Resources that embed an `error` object (a failed
/// task's `{"error":{"code","message"}}`) have other keys beside it.
///
/// Every success body passes through here before its typed decode, so the
/// scan builds no values: it only notes which of the three keys hold text.
/// A body that never spells `"message"` (and has no escape that could spell
/// it) cannot be an error and is not scanned at all.
fn is_error_body(body: &[u8]) -> bool {
    // Built once: building the searcher costs more than searching a typical body.
    static MESSAGE_KEY: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"\"message\""));
    if MESSAGE_KEY.find(body).is_none() && memchr::memchr(b'\\', body).is_none() {
        return false;
    }
    match serde_json::from_slice::<Shape>(body) {
        Ok(Shape::Object(top)) => top.has_both() || (top.keys == 1 && top.error_has_both),
        _ => false,
    }
}

/// The outline of a JSON value that [`is_error_body`] needs.
enum Shape {
    Object(ObjectShape),
    Text,
    Other,
}

#[derive(Default)]
struct ObjectShape {
    keys: usize,
    code_is_text: bool,
    message_is_text: bool,
    error_has_both: bool,
}

impl ObjectShape {
    fn has_both(&self) -> bool {
        self.code_is_text && self.message_is_text
    }
}

/// A key of interest to [`is_error_body`].
enum Key {
    Code,
    Message,
    Error,
    Other,
}

impl<'de> serde::Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "code" => Key::Code,
                    "message" => Key::Message,
                    "error" => Key::Error,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct ShapeVisitor;

impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Text)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Shape::Other)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut shape = ObjectShape::default();
        while let Some(key) = map.next_key::<Key>()? {
            shape.keys += 1;
            match key {
                Key::Code => shape.code_is_text = matches!(map.next_value()?, Shape::Text),
                Key::Message => {
                    shape.message_is_text = matches!(map.next_value()?, Shape::Text);
                }
                Key::Error => {
                    shape.error_has_both = matches!(
                        map.next_value::<Shape>()?,
                        Shape::Object(nested) if nested.has_both()
                    );
                }
                Key::Other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(Shape::Object(shape))
    }
}

/// The code and message of a TwelveLabs error body, in either shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Envelope {
    pub(crate) code: Option<String>,
    pub(crate) message: String,
}

impl Envelope {
    /// Reads either envelope shape out of `body`; `None` when the body is not
    /// JSON or carries neither a code nor a message.
    pub(crate) fn parse(body: &[u8]) -> Option<Envelope> {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
            return None;
        };
        if let Some(Value::Object(nested)) = object.get("error")
            && let Some(envelope) = Envelope::from_fields(nested, "details")
        {
            return Some(envelope);
        }
        Envelope::from_fields(&object, "docs_url")
    }

    /// `code` and `message` from `fields`, with the `extra` field (`docs_url`
    /// or `details`) folded into the message so `Display` shows it.
    fn from_fields(fields: &Map<String, Value>, extra: &str) -> Option<Envelope> {
        let code = fields.get("code").and_then(scalar_text);
        let message = fields.get("message").and_then(scalar_text);
        if code.is_none() && message.is_none() {
            return None;
        }
        let mut message = message.unwrap_or_default();
        match fields.get(extra) {
            Some(Value::String(url)) if extra == "docs_url" && !url.trim().is_empty() => {
                message = append(&message, &format!("(see {})", url.trim()));
            }
            Some(details) if extra == "details" && !is_blank(details) => {
                let details = match details {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                message = append(&message, &format!("(details: {details})"));
            }
            _ => {}
        }
        Some(Envelope { code, message })
    }
}

fn append(message: &str, suffix: &str) -> String {
    if message.is_empty() {
        suffix.to_owned()
    } else {
        format!("{message} {suffix}")
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// The typed error for `raw` when its body is an error envelope.
fn envelope_error(raw: &RawResponse) -> Option<Error> {
    let Envelope { code, message } = Envelope::parse(&raw.body)?;
    let provider = raw.provider;
    let http_status = raw.status.as_u16();
    let code_is = |wanted: &str| code.as_deref() == Some(wanted);
    // The status decides first (401/404/429 via `raw.error`); these codes
    // classify the answer when the status alone would not.
    Some(
        if code_is(TOO_MANY_REQUESTS) && raw.status != StatusCode::TOO_MANY_REQUESTS {
            Error::RateLimited {
                provider,
                http_status,
                code,
                message,
                retry_after: raw.retry_after(),
            }
        } else if UNAUTHORIZED_CODES.iter().any(|c| code_is(c))
            && raw.status != StatusCode::UNAUTHORIZED
            && raw.status != StatusCode::FORBIDDEN
        {
            Error::Unauthorized {
                provider,
                http_status,
                code,
                message,
            }
        } else if code_is(NOT_FOUND_CODE) && raw.status == StatusCode::BAD_REQUEST {
            Error::NotFound {
                provider,
                http_status,
                code,
                message,
            }
        } else {
            raw.error(code, message)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::Provider;
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::time::Duration;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            provider: Provider::TwelveLabs,
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.to_owned().into(),
        }
    }

    #[test]
    fn flat_envelope_with_docs_url() {
        let err = api_error(&raw(
            400,
            r#"{"code":"parameter_invalid","message":"The page_limit parameter is invalid.","docs_url":"https://docs.twelvelabs.io/x"}"#,
        ));
        match &err {
            Error::Api {
                http_status: 400,
                code: Some(code),
                message,
                ..
            } => {
                assert_eq!(code, "parameter_invalid");
                assert_eq!(
                    message,
                    "The page_limit parameter is invalid. (see https://docs.twelvelabs.io/x)"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("code parameter_invalid"), "{err}");
    }

    #[test]
    fn nested_envelope_with_details() {
        let err = api_error(&raw(
            413,
            r#"{"error":{"code":"content_too_large","message":"Too big.","details":{"max_mb":36}}}"#,
        ));
        assert_eq!(err.code(), Some("content_too_large"));
        assert_eq!(err.message(), Some(r#"Too big. (details: {"max_mb":36})"#));
        assert_eq!(err.http_status(), Some(413));
        let err = api_error(&raw(
            503,
            r#"{"error":{"code":"unavailable","message":"Busy."}}"#,
        ));
        assert_eq!(err.message(), Some("Busy."));
        assert!(err.is_retryable());
    }

    #[test]
    fn statuses_and_codes_pick_the_variant() {
        assert!(matches!(
            api_error(&raw(404, r#"{"code":"resource_not_exist","message":"no"}"#)),
            Error::NotFound { code: Some(c), .. } if c == "resource_not_exist"
        ));
        assert!(matches!(
            api_error(&raw(400, r#"{"code":"resource_not_exist","message":"no"}"#)),
            Error::NotFound {
                http_status: 400,
                ..
            }
        ));
        assert!(matches!(
            api_error(&raw(401, r#"{"code":"api_key_invalid","message":"bad"}"#)),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(
            api_error(&raw(400, r#"{"code":"api_key_invalid","message":"bad"}"#)),
            Error::Unauthorized {
                http_status: 400,
                ..
            }
        ));
        assert!(matches!(
            api_error(&raw(403, r#"{"code":"api_not_allowed","message":"paid"}"#)),
            Error::Api {
                http_status: 403,
                ..
            }
        ));
        let mut throttled = raw(400, r#"{"code":"too_many_requests","message":"slow down"}"#);
        throttled
            .headers
            .insert("retry-after", HeaderValue::from_static("3"));
        assert!(matches!(
            api_error(&throttled),
            Error::RateLimited { retry_after: Some(d), http_status: 400, .. } if d == Duration::from_secs(3)
        ));
    }

    #[test]
    fn bodies_without_an_envelope() {
        let empty = api_error(&raw(500, ""));
        assert!(
            matches!(&empty, Error::Api { code: None, message, .. } if message == "Internal Server Error")
        );
        assert!(matches!(
            api_error(&raw(429, "")),
            Error::RateLimited { code: None, .. }
        ));
        let html = api_error(&raw(502, "<html><body>Bad Gateway</body></html>"));
        assert!(
            matches!(&html, Error::Api { http_status: 502, message, .. } if message.contains("Bad Gateway"))
        );
        let other_json = api_error(&raw(500, r#"{"status":"down"}"#));
        assert!(matches!(&other_json, Error::Api { message, .. } if message.contains("down")));
        let message_only = api_error(&raw(400, r#"{"message":"nope"}"#));
        assert!(
            matches!(&message_only, Error::Api { code: None, message, .. } if message == "nope")
        );
        let numeric_code = api_error(&raw(400, r#"{"code":400,"message":"nope"}"#));
        assert_eq!(numeric_code.code(), Some("400"));
    }

    /// The reading `is_error_body` must keep, written over `serde_json::Value`.
    fn error_body_by_value(body: &[u8]) -> bool {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        let has_both = |fields: &Map<String, Value>| {
            fields.get("code").is_some_and(Value::is_string)
                && fields.get("message").is_some_and(Value::is_string)
        };
        has_both(&object)
            || (object.len() == 1
                && matches!(object.get("error"), Some(Value::Object(nested)) if has_both(nested)))
    }

    #[test]
    fn the_error_body_scan_reads_like_a_full_parse() {
        let bodies = [
            r#"{"code":"parameter_invalid","message":"x"}"#,
            r#"{"code":"c","message":"m","docs_url":"u"}"#,
            r#"{"error":{"code":"x","message":"y","details":{"a":[1,2]}}}"#,
            r#"{"error":{"code":"x"}}"#,
            r#"{"error":{"code":1,"message":"y"}}"#,
            r#"{"error":"text"}"#,
            r#"{"task_id":"t","error":{"code":"c","message":"m"}}"#,
            r#"{"code":5,"message":"m"}"#,
            r#"{"code":"c","message":null}"#,
            r#"{"message":"m","nested":{"code":"c","message":"m"}}"#,
            r#"{"_id":"a","status":"ready","hls":{"status":"ready"},"tags":["a",{"code":"c"}]}"#,
            r#"[{"code":"c","message":"m"}]"#,
            r#""code""#,
            "null",
            "12",
            r#"{"code":"c","message":"m"} trailing"#,
            r#"{"code":"c","message":"m""#,
            r#"{"c\u006fde":"c","message":"m"}"#,
            r#"{"code":"c","mess\u0061ge":"m"}"#,
            r#"{"error":{"code":"c","m\u0065ssage":"m"}}"#,
            r#"{"code":"c","mess\u0061ge":5}"#,
            "",
        ];
        for body in bodies {
            assert_eq!(
                is_error_body(body.as_bytes()),
                error_body_by_value(body.as_bytes()),
                "{body}"
            );
        }
    }

    #[test]
    fn success_bodies() {
        #[derive(Debug, serde::Deserialize)]
        struct Needs {
            #[allow(dead_code)]
            id: String,
        }
        let value: Value = decode(raw(200, r#"{"a":1}"#)).unwrap();
        assert_eq!(value["a"], 1);
        let err =
            decode::<Needs>(raw(200, r#"{"code":"parameter_invalid","message":"x"}"#)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Api {
                    http_status: 200,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = decode::<Value>(raw(200, r#"{"error":{"code":"x","message":"y"}}"#)).unwrap_err();
        assert_eq!(err.code(), Some("x"));
        let task: Value = decode(raw(
            200,
            r#"{"task_id":"t","status":"failed","error":{"code":"user_canceled","message":"m"}}"#,
        ))
        .unwrap();
        assert_eq!(task["status"], "failed");
        let err =
            decode::<Value>(raw(200, r#"{"code":"parameter_invalid","message":"x"}"#)).unwrap_err();
        assert_eq!(err.code(), Some("parameter_invalid"));
        let err = decode::<Needs>(raw(200, "{not json")).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Decode {
                    http_status: 200,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
