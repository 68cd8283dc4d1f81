//! Faults injected in front of the routes.

use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use http::{HeaderName, HeaderValue, StatusCode, header};

/// What the mock does instead of (or before) answering a request normally.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer this status, headers and body instead of the real route.
    ///
    /// `Content-Length` and `Transfer-Encoding` in `headers` are ignored (the mock frames the body;
    /// use [`Fault::TruncatedBody`] for a short body). Without a `Content-Type` header a non-empty
    /// body is sent as `application/json` when it parses as JSON and as `text/plain` otherwise.
    /// A status outside 100–999 is answered as 500.
    Status {
        /// The HTTP status code.
        status: u16,
        /// Extra response headers, in order.
        headers: Vec<(String, String)>,
        /// The response body; empty for none.
        body: String,
    },
    /// Answer arbitrary bytes: HTML from a gateway, invalid UTF-8, truncated JSON, an empty 200.
    Raw {
        /// The HTTP status code (outside 100–999 is answered as 500).
        status: u16,
        /// The `Content-Type` header, or none at all.
        content_type: Option<String>,
        /// The body bytes, sent with a correct `Content-Length`.
        body: Vec<u8>,
    },
    /// Wait, then serve normally. A long delay is a server that accepts and never answers.
    Delay(Duration),
    /// Close the TCP connection without sending a status line.
    DropConnection,
    /// Serve the real response with its full `Content-Length`, send only the first half of the
    /// body, then close the connection. The route's body is collected before sending.
    TruncatedBody,
    /// Serve the real status and headers, then the first half of the body, then nothing more
    /// while keeping the connection open: a body that stalls (read-idle deadlines).
    StallBody,
    /// Let the route run (a create really happens), then close the connection without
    /// answering: the answer to a successful request is lost.
    DropAfterProcessing,
    /// Let the route answer, then rewrite its body and optionally its `Content-Type`: a real
    /// answer damaged in a known way (cut JSON, wrong types, huge numbers, a wrong header).
    Rewrite {
        /// What happens to the body.
        body: BodyRewrite,
        /// What happens to the `Content-Type` header.
        content_type: HeaderRewrite,
    },
}

/// How [`Fault::Rewrite`] changes one response header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderRewrite {
    /// Unchanged.
    Keep,
    /// Removed.
    Remove,
    /// Replaced by this value.
    Set(String),
}

/// How [`Fault::Rewrite`] changes a route's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyRewrite {
    /// Unchanged.
    Keep,
    /// Only the first half (complete framing: a short, well-delimited body).
    Truncate,
    /// Every JSON string value (not keys) becomes the number `12345`.
    StringsToNumbers,
    /// Every JSON number becomes `1844674407370955161600000` (beyond u64 and i64).
    NumbersTooLarge,
    /// Followed by this many spaces (still valid JSON, just large).
    PadWithSpaces(usize),
}

impl BodyRewrite {
    /// Applies the rewrite; JSON rewrites of a body that is not JSON leave it unchanged.
    pub fn apply(self, body: &[u8]) -> Vec<u8> {
        const HUGE_MARKER: &str = "__media_mock_huge_number__";
        match self {
            BodyRewrite::Keep => body.to_vec(),
            BodyRewrite::Truncate => body[..body.len() / 2].to_vec(),
            BodyRewrite::PadWithSpaces(n) => {
                let mut padded = body.to_vec();
                padded.resize(body.len() + n, b' ');
                padded
            }
            BodyRewrite::StringsToNumbers | BodyRewrite::NumbersTooLarge => {
                let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
                    return body.to_vec();
                };
                rewrite_json(&mut value, self, HUGE_MARKER);
                value
                    .to_string()
                    .replace(&format!("\"{HUGE_MARKER}\""), "1844674407370955161600000")
                    .into_bytes()
            }
        }
    }
}

fn rewrite_json(value: &mut serde_json::Value, how: BodyRewrite, marker: &str) {
    use serde_json::Value;
    match value {
        Value::String(_) if how == BodyRewrite::StringsToNumbers => *value = Value::from(12345),
        Value::Number(_) if how == BodyRewrite::NumbersTooLarge => {
            *value = Value::String(marker.to_owned());
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_json(v, how, marker)),
        Value::Object(map) => map.values_mut().for_each(|v| rewrite_json(v, how, marker)),
        _ => {}
    }
}

impl Fault {
    /// A [`Fault::Status`] with no headers and an empty body.
    pub fn status(status: u16) -> Self {
        Self::Status {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// Adds a response header to a [`Fault::Status`]; other faults are returned unchanged.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Status { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// Sets the body of a [`Fault::Status`] or [`Fault::Raw`]; other faults are returned unchanged.
    pub fn with_body(mut self, new_body: impl Into<String>) -> Self {
        match &mut self {
            Self::Status { body, .. } => *body = new_body.into(),
            Self::Raw { body, .. } => *body = new_body.into().into_bytes(),
            Self::Delay(_)
            | Self::DropConnection
            | Self::TruncatedBody
            | Self::StallBody
            | Self::DropAfterProcessing
            | Self::Rewrite { .. } => {}
        }
        self
    }
}

/// A [`Fault`] plus which requests it applies to.
///
/// Rules are checked in insertion order before routing; the first live rule that matches fires.
#[derive(Debug, Clone)]
pub struct FaultRule {
    fault: Fault,
    method: Option<String>,
    path_prefix: Option<String>,
    remaining: Option<usize>,
    probability: Option<f64>,
}

impl FaultRule {
    /// A rule that matches every request, forever.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            method: None,
            path_prefix: None,
            remaining: None,
            probability: None,
        }
    }

    /// Only requests with this HTTP method (case-insensitive).
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    /// Only requests whose raw path (percent-encoding preserved) starts with `prefix`,
    /// e.g. `"/twelvelabs/v1.3/assets"`.
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_owned());
        self
    }

    /// Fires on a matching request only with this probability (0.0–1.0), so
    /// several such rules mix faults at random; a request it skips goes on to
    /// the next rule.
    pub fn sometimes(mut self, probability: f64) -> Self {
        self.probability = Some(probability.clamp(0.0, 1.0));
        self
    }

    /// Only the first `n` matching requests; then the rule is spent.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    fn is_live(&self) -> bool {
        self.remaining != Some(0)
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
    }
}

/// Fires the first live rule matching the request, spending one of its uses.
pub(crate) fn fire(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<Fault> {
    let rule = rules.iter_mut().find(|rule| {
        rule.is_live()
            && rule.matches(method, path)
            && rule.probability.is_none_or(|p| fastrand::f64() < p)
    })?;
    if let Some(remaining) = &mut rule.remaining {
        *remaining -= 1;
    }
    let fault = rule.fault.clone();
    rules.retain(FaultRule::is_live);
    Some(fault)
}

/// The response of a [`Fault::Status`].
pub(crate) fn status_response(status: u16, headers: &[(String, String)], body: &str) -> Response {
    let mut response = Response::new(Body::from(body.to_owned()));
    *response.status_mut() = status_code(status);
    for (name, value) in headers {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            tracing::warn!(header = %name, "media-mock: skipping an invalid fault header");
            continue;
        };
        if name == header::CONTENT_LENGTH || name == header::TRANSFER_ENCODING {
            continue;
        }
        response.headers_mut().append(name, value);
    }
    if !body.is_empty() && !response.headers().contains_key(header::CONTENT_TYPE) {
        let content_type = if serde_json::from_str::<serde_json::Value>(body).is_ok() {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// The response of a [`Fault::Raw`].
pub(crate) fn raw_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Response {
    let mut response = Response::new(Body::from(body.to_vec()));
    *response.status_mut() = status_code(status);
    if let Some(content_type) = content_type {
        if let Ok(value) = HeaderValue::from_str(content_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, value);
        } else {
            tracing::warn!("media-mock: skipping an invalid fault content type");
        }
    }
    response
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or_else(|_| {
        tracing::warn!(status, "media-mock: invalid fault status, answering 500");
        StatusCode::INTERNAL_SERVER_ERROR
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_live_matching_rule_fires_and_spends() {
        let mut rules = vec![
            FaultRule::new(Fault::status(500))
                .method("post")
                .path_prefix("/a"),
            FaultRule::new(Fault::status(429))
                .path_prefix("/a")
                .times(1),
            FaultRule::new(Fault::status(503)),
        ];
        assert_eq!(fire(&mut rules, "POST", "/a/x"), Some(Fault::status(500)));
        assert_eq!(fire(&mut rules, "GET", "/a/x"), Some(Fault::status(429)));
        assert_eq!(fire(&mut rules, "GET", "/a/x"), Some(Fault::status(503)));
        assert_eq!(rules.len(), 2);
    }

    #[test]
    fn zero_times_never_fires() {
        let mut rules = vec![FaultRule::new(Fault::DropConnection).times(0)];
        assert_eq!(fire(&mut rules, "GET", "/"), None);
    }

    #[test]
    fn builders_only_touch_variants_that_have_the_field() {
        assert_eq!(
            Fault::status(429)
                .with_header("Retry-After", "2")
                .with_body("{}"),
            Fault::Status {
                status: 429,
                headers: vec![("Retry-After".into(), "2".into())],
                body: "{}".into(),
            }
        );
        assert_eq!(
            Fault::DropConnection.with_header("a", "b").with_body("x"),
            Fault::DropConnection
        );
    }
}
