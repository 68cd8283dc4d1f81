//! JSON bodies kept as the exact text they are served as.
//!
//! Fixtures keep the key order of the provider's documentation (whatever features `serde_json` is
//! built with), so every stored object carries its serialized text next to the parsed value used
//! for filtering and sorting, and envelopes are assembled around that text.

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use serde_json::Value;

/// One stored JSON object: the value to query and the text to serve.
#[derive(Debug, Clone)]
pub(crate) struct StoredJson {
    pub(crate) value: Value,
    pub(crate) text: String,
}

impl StoredJson {
    /// A value seeded through the public API, served as `serde_json` prints it.
    pub(crate) fn from_value(value: Value) -> Self {
        let text = value.to_string();
        Self { value, text }
    }

    /// A documentation fixture, served with its own key order and number spelling.
    pub(crate) fn from_fixture(pretty: &str) -> Self {
        let value = serde_json::from_str(pretty)
            .unwrap_or_else(|error| panic!("media-mock fixture is not valid JSON: {error}"));
        Self {
            value,
            text: compact(pretty),
        }
    }

    /// The string member `key`, or the number member `key` printed as a string.
    pub(crate) fn key(&self, key: &str) -> Option<String> {
        match self.value.get(key)? {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    /// The string member `key`.
    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.value.get(key)?.as_str()
    }
}

/// Removes the whitespace between JSON tokens, leaving strings untouched.
pub(crate) fn compact(pretty: &str) -> String {
    let mut out = String::with_capacity(pretty.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in pretty.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

/// `text` as a JSON string literal, quotes and escapes included.
pub(crate) fn quote(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// Joins already serialized JSON values into a JSON array.
pub(crate) fn array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
    out
}

/// A response carrying `body` as `application/json`.
pub(crate) fn response(status: StatusCode, body: impl Into<String>) -> Response {
    let mut response = Response::new(Body::from(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_keeps_whitespace_and_escapes_inside_strings() {
        let pretty = "{\n  \"a b\": \"x \\\" y\",\n  \"n\": [1, 2.50]\n}";
        assert_eq!(compact(pretty), r#"{"a b":"x \" y","n":[1,2.50]}"#);
    }

    #[test]
    fn fixture_keeps_key_order() {
        let stored = StoredJson::from_fixture("{ \"z\": 1, \"a\": \"two\" }");
        assert_eq!(stored.text, r#"{"z":1,"a":"two"}"#);
        assert_eq!(stored.key("z").as_deref(), Some("1"));
        assert_eq!(stored.str("a"), Some("two"));
    }

    #[test]
    fn quote_escapes() {
        assert_eq!(quote("a\"b"), r#""a\"b""#);
    }

    #[test]
    fn array_joins() {
        assert_eq!(array(["1", "{}"]), "[1,{}]");
        assert_eq!(array(std::iter::empty()), "[]");
    }
}
