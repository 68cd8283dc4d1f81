//! Requests as the mock received them, kept for assertions.

use bytes::Bytes;
use http::HeaderMap;
use percent_encoding::percent_decode_str;

/// One request as received, before any fault or route handled it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"GET"`.
    pub method: String,
    /// The path exactly as on the request line: percent-encoding preserved, no query.
    pub path: String,
    /// The raw query string (without `?`), if the request line had one.
    pub query: Option<String>,
    /// All request headers.
    pub headers: HeaderMap,
    /// The request body; only its first [`crate::RECORDED_BODY_LIMIT`] bytes
    /// when `body_truncated`.
    pub body: Bytes,
    /// Whether the body was larger than [`crate::RECORDED_BODY_LIMIT`] (an
    /// upload): the route still received all of it, streamed.
    pub body_truncated: bool,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive), if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The query decoded into `(name, value)` pairs, in order, repeated names kept.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(decode_form).unwrap_or_default()
    }
}

/// Decodes `application/x-www-form-urlencoded` text (a query string) into pairs.
pub(crate) fn decode_form(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(name), decode_component(value))
        })
        .collect()
}

fn decode_component(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// The first value of `name` among decoded query pairs.
pub(crate) fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Every value of `name` among decoded query pairs.
pub(crate) fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_in_order() {
        let pairs = decode_form("a=1&b=x%20y+z&a=2&flag&=v&&c=%ED%99%8D");
        let expected = [
            ("a", "1"),
            ("b", "x y z"),
            ("a", "2"),
            ("flag", ""),
            ("", "v"),
            ("c", "홍"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(pairs, expected);
        assert_eq!(first(&pairs, "a"), Some("1"));
        assert_eq!(all(&pairs, "a"), ["1", "2"]);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_rejected() {
        assert_eq!(
            decode_form("x=%FF"),
            [("x".to_owned(), "\u{fffd}".to_owned())]
        );
    }
}
