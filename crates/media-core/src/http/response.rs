use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::{Error, Provider, Result};

/// How much of a body an error keeps for diagnosis.
const SNIPPET_BYTES: usize = 512;

/// A complete answer from a provider: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// Who answered.
    pub provider: Provider,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, read up to the engine's size limit.
    pub body: Bytes,
}

impl RawResponse {
    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Decodes the body as JSON into `T`; on failure the error keeps a
    /// snippet of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|err| self.decode_error(err.to_string()))
    }

    /// An [`Error::Decode`] for this response.
    pub fn decode_error(&self, message: impl Into<String>) -> Error {
        Error::Decode {
            provider: self.provider,
            http_status: self.status.as_u16(),
            message: message.into(),
            body_snippet: self.snippet(),
        }
    }

    /// The first bytes of the body, lossily decoded.
    pub fn snippet(&self) -> String {
        snippet(&self.body)
    }

    /// The value of a header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The request id the provider (or its gateway) returned.
    pub fn request_id(&self) -> Option<String> {
        [
            "x-request-id",
            "x-ncp-trace-id",
            "x-amzn-requestid",
            "x-trace-id",
        ]
        .iter()
        .find_map(|name| self.header(name))
        .map(str::to_owned)
    }

    /// How long the provider asked us to wait: `retry-after-ms`, or
    /// `Retry-After` as seconds or as an HTTP date.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers, SystemTime::now())
    }

    /// The typed error for this response, chosen by HTTP status:
    /// 401 → [`Error::Unauthorized`], 404 → [`Error::NotFound`],
    /// 429 → [`Error::RateLimited`] (with `Retry-After`), anything else →
    /// [`Error::Api`]. Provider crates call it with the code and message they
    /// parsed from their own error envelope.
    pub fn error(&self, code: Option<String>, message: impl Into<String>) -> Error {
        let provider = self.provider;
        let http_status = self.status.as_u16();
        let message = message.into();
        match self.status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized {
                provider,
                http_status,
                code,
                message,
            },
            StatusCode::NOT_FOUND => Error::NotFound {
                provider,
                http_status,
                code,
                message,
            },
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                provider,
                http_status,
                code,
                message,
                retry_after: self.retry_after(),
            },
            _ => Error::Api {
                provider,
                http_status,
                code,
                message,
                request_id: self.request_id(),
            },
        }
    }

    /// The typed error for a response whose body is not the provider's error
    /// envelope (an HTML page from a gateway, an empty 429): the status decides,
    /// and the message is a snippet of the body.
    pub fn error_without_envelope(&self) -> Error {
        let message = if self.body.is_empty() {
            self.status
                .canonical_reason()
                .unwrap_or("no body")
                .to_owned()
        } else {
            self.snippet()
        };
        self.error(None, message)
    }
}

pub(crate) fn snippet(body: &[u8]) -> String {
    let end = body.len().min(SNIPPET_BYTES);
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > end {
        text.push('…');
    }
    text
}

pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn response(status: u16, headers: &[(&'static str, &str)], body: &str) -> RawResponse {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        RawResponse {
            provider: Provider::TwelveLabs,
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn parses_every_retry_after_form() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let secs = response(429, &[("retry-after", "2")], "");
        assert_eq!(
            retry_after(&secs.headers, now),
            Some(Duration::from_secs(2))
        );
        let ms = response(429, &[("retry-after-ms", "1500"), ("retry-after", "9")], "");
        assert_eq!(
            retry_after(&ms.headers, now),
            Some(Duration::from_millis(1500))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        let dated = response(429, &[("retry-after", &date)], "");
        assert_eq!(
            retry_after(&dated.headers, now),
            Some(Duration::from_secs(30))
        );
        let none = response(429, &[], "");
        assert_eq!(retry_after(&none.headers, now), None);
        let junk = response(429, &[("retry-after", "soon")], "");
        assert_eq!(retry_after(&junk.headers, now), None);
    }

    #[test]
    fn maps_status_to_variant() {
        assert!(matches!(
            response(404, &[], "").error(Some("resource_not_exist".into()), "gone"),
            Error::NotFound { code: Some(c), .. } if c == "resource_not_exist"
        ));
        assert!(matches!(
            response(401, &[], "").error(None, "bad key"),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(
            response(429, &[("retry-after", "1")], "").error(None, ""),
            Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(1)
        ));
        assert!(matches!(
            response(502, &[("x-request-id", "r1")], "<html>bad gateway</html>").error_without_envelope(),
            Error::Api { http_status: 502, request_id: Some(r), message, .. } if r == "r1" && message.contains("bad gateway")
        ));
    }

    #[test]
    fn decode_errors_keep_a_snippet() {
        let long = "x".repeat(2000);
        let err = response(200, &[], &long)
            .json::<serde_json::Value>()
            .unwrap_err();
        match err {
            Error::Decode { body_snippet, .. } => {
                assert!(body_snippet.len() < 600);
                assert!(body_snippet.ends_with('…'));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
