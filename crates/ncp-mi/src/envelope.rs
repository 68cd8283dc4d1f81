//! The Media Intelligence envelope and error decoding, shared by every endpoint.
//!
//! Success is `{"code":"0","message":"success","result":{..}}` (a numeric `0` is
//! accepted too). Any other code is an error, even under HTTP 200. Errors come in
//! three shapes:
//!
//! - MI's own `{"code":"10001","message":"Invalid Request."}`, at the top level or
//!   wrapped as `{"responseError":{"code":..,"message":..}}`;
//! - the API Gateway's `{"error":{"errorCode":"200","message":"Authentication Failed","details":".."}}`
//!   (signature, clock skew, throttling), whose `details` are kept in the message;
//! - anything else (an HTML page from a proxy, an empty body): the HTTP status decides.

use std::fmt::Write as _;

use media_core::http::RawResponse;
use media_core::{Error, Result};
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

/// API Gateway error codes that mean "slow down": 410 Throttle Limited, 420 Rate Limited.
const GATEWAY_THROTTLE_CODES: [&str; 2] = ["410", "420"];

/// A code sent as a string or a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Code {
    Text(String),
    Number(serde_json::Number),
}

impl Code {
    fn into_string(self) -> String {
        match self {
            Code::Text(text) => text.trim().to_owned(),
            Code::Number(number) => number.to_string(),
        }
    }
}

/// Everything but `result`, read first so an error body never has to fit the result type.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    code: Option<Code>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default, rename = "responseError")]
    response_error: Option<ServiceError>,
    #[serde(default)]
    error: Option<GatewayError>,
    #[serde(default)]
    result: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct ServiceError {
    #[serde(default)]
    code: Option<Code>,
    #[serde(default)]
    message: Option<Value>,
}

#[derive(Deserialize)]
struct GatewayError {
    #[serde(default, rename = "errorCode")]
    error_code: Option<Code>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default)]
    details: Option<Value>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
struct Success<T> {
    result: Option<T>,
}

/// A success read in one pass: the envelope's verdict and the typed `result` together.
/// Anything else (an error, a missing `result`, a result that does not fit `T`) is left
/// to the two-step reading below, which names the failure.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
struct Whole<T> {
    #[serde(default)]
    code: Option<Code>,
    #[serde(default, rename = "responseError")]
    response_error: Option<IgnoredAny>,
    #[serde(default)]
    error: Option<IgnoredAny>,
    #[serde(default)]
    result: Option<T>,
}

impl Code {
    fn is_success(&self) -> bool {
        match self {
            Code::Text(text) => is_success_code(text.trim()),
            Code::Number(number) => is_success_code(&number.to_string()),
        }
    }
}

fn text(value: Option<Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

fn is_success_code(code: &str) -> bool {
    code == "0"
}

/// Decodes any answer of a Media Intelligence endpoint into its `result` (of type `T`)
/// or the typed error.
///
/// A missing `result` (the "delete" calls send only `code` and `message`) decodes as JSON
/// `null`, which suits `()` and `Option<_>` result types.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    if raw.is_success()
        && let Ok(Whole {
            code: Some(code),
            response_error: None,
            error: None,
            result: Some(result),
        }) = serde_json::from_slice::<Whole<T>>(&raw.body)
        && code.is_success()
    {
        return Ok(result);
    }
    let Ok(probe) = serde_json::from_slice::<Probe>(&raw.body) else {
        return Err(if raw.is_success() {
            raw.decode_error("expected the Media Intelligence JSON envelope")
        } else {
            raw.error_without_envelope()
        });
    };
    if let Some(gateway) = probe.error {
        return Err(gateway_error(raw, gateway));
    }
    if let Some(service) = probe.response_error {
        let code = service.code.map(Code::into_string);
        let message = text(service.message).or_else(|| text(probe.message.clone()));
        return Err(service_error(raw, code, message));
    }
    let code = probe.code.map(Code::into_string);
    let succeeded = match code.as_deref() {
        Some(code) => is_success_code(code),
        // No code at all: trust the HTTP status, but only when a result came with it.
        None => probe.result.is_some(),
    };
    if !raw.is_success() || !succeeded {
        if code.is_none() && probe.message.is_none() {
            return Err(if raw.is_success() {
                raw.decode_error("expected the Media Intelligence JSON envelope")
            } else {
                raw.error_without_envelope()
            });
        }
        return Err(service_error(raw, code, text(probe.message)));
    }
    let success: Success<T> = raw.json()?;
    match success.result {
        Some(result) => Ok(result),
        None => T::deserialize(Value::Null)
            .map_err(|_| raw.decode_error("the success envelope has no `result`")),
    }
}

fn service_error(raw: &RawResponse, code: Option<String>, message: Option<String>) -> Error {
    let message = message.unwrap_or_else(|| {
        raw.status
            .canonical_reason()
            .unwrap_or("no message")
            .to_owned()
    });
    raw.error(code, message)
}

fn gateway_error(raw: &RawResponse, gateway: GatewayError) -> Error {
    let code = gateway.error_code.map(Code::into_string);
    let mut message = text(gateway.message).unwrap_or_else(|| "API Gateway error".to_owned());
    if let Some(details) = text(gateway.details).filter(|d| !d.trim().is_empty()) {
        let _ = write!(message, ": {details}");
    }
    if raw.status.as_u16() == 401
        && code.as_deref() == Some(crate::codes::GATEWAY_AUTHENTICATION_FAILED)
    {
        let lower = message.to_ascii_lowercase();
        if !lower.contains("timestamp") && !lower.contains("skew") {
            // The gateway rarely says why; a stale clock is the cause keys cannot explain.
            message.push_str(
                " (signature v2: check the access and secret keys, and that the local clock is within 5 minutes of NCP's; clock skew is a common cause)",
            );
        }
    }
    if code
        .as_deref()
        .is_some_and(|code| GATEWAY_THROTTLE_CODES.contains(&code))
    {
        return Error::RateLimited {
            provider: raw.provider,
            http_status: raw.status.as_u16(),
            code,
            message,
            retry_after: raw.retry_after(),
        };
    }
    raw.error(code, message)
}

/// Replaces every occurrence of `secret` (the access key) in the texts of `error`, so
/// a server that echoes it back cannot leak it into logs.
pub(crate) fn redact(mut error: Error, secret: &str) -> Error {
    const MASK: &str = "[REDACTED]";
    if secret.is_empty() {
        return error;
    }
    let scrub = |text: &mut String| {
        if text.contains(secret) {
            *text = text.replace(secret, MASK);
        }
    };
    match &mut error {
        Error::Api { message, .. }
        | Error::RateLimited { message, .. }
        | Error::NotFound { message, .. }
        | Error::Unauthorized { message, .. }
        | Error::Timeout { message, .. }
        | Error::Transport { message, .. }
        | Error::InvalidInput(message)
        | Error::TaskFailed {
            reason: message, ..
        } => scrub(message),
        Error::Decode {
            message,
            body_snippet,
            ..
        } => {
            scrub(message);
            scrub(body_snippet);
        }
        _ => {}
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::Provider;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::time::Duration;

    fn raw(status: u16, headers: &[(&'static str, &str)], text: &str) -> RawResponse {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        RawResponse {
            provider: Provider::NcpMi,
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: text.to_owned().into(),
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Thing {
        n: u32,
    }

    #[test]
    fn success_with_string_or_numeric_code() {
        let ok = raw(
            200,
            &[],
            r#"{"code":"0","message":"success","result":{"n":7}}"#,
        );
        assert_eq!(decode::<Thing>(&ok).unwrap(), Thing { n: 7 });
        let numeric = raw(
            200,
            &[],
            r#"{"code":0,"message":"success","result":{"n":8}}"#,
        );
        assert_eq!(decode::<Thing>(&numeric).unwrap(), Thing { n: 8 });
        let no_code = raw(200, &[], r#"{"result":{"n":9}}"#);
        assert_eq!(decode::<Thing>(&no_code).unwrap(), Thing { n: 9 });
    }

    #[test]
    fn a_missing_result_suits_unit_and_option() {
        let deleted = || raw(200, &[], r#"{"code":"0","message":"success"}"#);
        decode::<()>(&deleted()).unwrap();
        assert_eq!(decode::<Option<Thing>>(&deleted()).unwrap(), None);
        let err = decode::<Thing>(&deleted()).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[test]
    fn a_bad_result_is_a_decode_error() {
        let bad = raw(
            200,
            &[],
            r#"{"code":"0","message":"success","result":{"n":"x"}}"#,
        );
        let err = decode::<Thing>(&bad).unwrap_err();
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

    #[test]
    fn a_non_zero_code_under_200_is_an_error() {
        let body =
            r#"{"code":"10014","message":"Select the asset you want to analyze.","result":null}"#;
        let err = decode::<Thing>(&raw(200, &[], body)).unwrap_err();
        match &err {
            Error::Api {
                http_status: 200,
                code: Some(code),
                message,
                ..
            } => {
                assert_eq!(code, "10014");
                assert_eq!(message, "Select the asset you want to analyze.");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(!err.is_retryable());
        let numeric =
            decode::<Thing>(&raw(200, &[], r#"{"code":10001,"message":"x"}"#)).unwrap_err();
        assert_eq!(numeric.code(), Some("10001"));
    }

    #[test]
    fn service_errors_top_level_or_wrapped() {
        let top = raw(400, &[], r#"{"code":"10001","message":"Invalid Request."}"#);
        let err = decode::<Thing>(&top).unwrap_err();
        assert!(
            matches!(&err, Error::Api { http_status: 400, code: Some(c), message, .. } if c == "10001" && message == "Invalid Request."),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "ncp-mi: HTTP 400, code 10001: Invalid Request."
        );
        let wrapped = raw(
            400,
            &[],
            r#"{"responseError":{"code":"10023","message":"You can request up to 10 assets at a time."}}"#,
        );
        let err = decode::<Thing>(&wrapped).unwrap_err();
        assert_eq!(err.code(), Some("10023"));
        assert_eq!(
            err.message(),
            Some("You can request up to 10 assets at a time.")
        );
        let wrapped_ok_status = raw(
            200,
            &[],
            r#"{"responseError":{"code":10027,"message":"The base project n"}}"#,
        );
        assert_eq!(
            decode::<Thing>(&wrapped_ok_status).unwrap_err().code(),
            Some("10027")
        );
        let not_found = raw(404, &[], r#"{"code":"404","message":"no summary"}"#);
        assert!(decode::<Thing>(&not_found).unwrap_err().is_not_found());
    }

    #[test]
    fn gateway_errors_keep_their_details() {
        let body = r#"{"error":{"errorCode":"200","message":"Authentication Failed","details":"timestamp is 360 seconds away from server time; the allowed skew is 300 seconds"}}"#;
        let err = decode::<Thing>(&raw(401, &[], body)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Unauthorized {
                    http_status: 401,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.code(), Some("200"));
        assert_eq!(
            err.to_string(),
            "ncp-mi: unauthorized, HTTP 401, code 200: Authentication Failed: timestamp is 360 seconds away from server time; the allowed skew is 300 seconds"
        );
        let bare = r#"{"error":{"errorCode":"200","message":"Authentication Failed"}}"#;
        let err = decode::<Thing>(&raw(401, &[], bare)).unwrap_err();
        assert!(err.to_string().contains("clock skew"), "{err}");
        let denied = r#"{"error":{"errorCode":"210","message":"Permission Denied"}}"#;
        let err = decode::<Thing>(&raw(403, &[], denied)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Api {
                    http_status: 403,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.message(), Some("Permission Denied"));
    }

    #[test]
    fn gateway_throttling_is_rate_limited() {
        let body = r#"{"error":{"errorCode":"420","message":"Rate Limited","details":"too many requests"}}"#;
        let err = decode::<Thing>(&raw(429, &[("retry-after", "2")], body)).unwrap_err();
        assert!(
            matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(2)),
            "{err:?}"
        );
        assert!(err.is_retryable());
        // Throttling codes decide even when the status does not say 429.
        let body = r#"{"error":{"errorCode":410,"message":"Throttle Limited"}}"#;
        let err = decode::<Thing>(&raw(400, &[], body)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::RateLimited {
                    http_status: 400,
                    ..
                }
            ),
            "{err:?}"
        );
        let empty = decode::<Thing>(&raw(429, &[], "")).unwrap_err();
        assert!(matches!(empty, Error::RateLimited { .. }), "{empty:?}");
    }

    #[test]
    fn bodies_without_an_envelope() {
        let html =
            decode::<Thing>(&raw(502, &[], "<html><body>Bad Gateway</body></html>")).unwrap_err();
        assert!(
            matches!(&html, Error::Api { http_status: 502, message, .. } if message.contains("Bad Gateway")),
            "{html:?}"
        );
        assert!(html.is_retryable());
        let empty = decode::<Thing>(&raw(503, &[], "")).unwrap_err();
        assert!(
            matches!(
                empty,
                Error::Api {
                    http_status: 503,
                    ..
                }
            ),
            "{empty:?}"
        );
        let other_json = decode::<Thing>(&raw(500, &[], r#"{"oops":true}"#)).unwrap_err();
        assert!(matches!(
            other_json,
            Error::Api {
                http_status: 500,
                code: None,
                ..
            }
        ));
        let garbage = decode::<Thing>(&raw(200, &[], "<html>")).unwrap_err();
        assert!(matches!(garbage, Error::Decode { .. }), "{garbage:?}");
        let unauthorized = decode::<Thing>(&raw(401, &[], "")).unwrap_err();
        assert!(matches!(unauthorized, Error::Unauthorized { .. }));
    }

    #[test]
    fn redacts_the_access_key() {
        let body = r#"{"error":{"errorCode":"200","message":"Authentication Failed","details":"unknown access key AKIDSECRET1"}}"#;
        let err = redact(
            decode::<Thing>(&raw(401, &[], body)).unwrap_err(),
            "AKIDSECRET1",
        );
        assert!(!err.to_string().contains("AKIDSECRET1"), "{err}");
        assert!(err.to_string().contains("[REDACTED]"));
        let err = redact(
            decode::<Thing>(&raw(200, &[], "AKIDSECRET1 <html>")).unwrap_err(),
            "AKIDSECRET1",
        );
        assert!(!format!("{err:?}").contains("AKIDSECRET1"));
    }
}
