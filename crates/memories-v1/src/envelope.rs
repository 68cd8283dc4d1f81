//! The v1 response envelope and the one decoder every endpoint passes to the engine.
//!
//! Every JSON answer is `{"code","msg","data","success"?,"failed"?}`. The
//! outcome is decided by the business `code`, not by the HTTP status:
//! business errors usually arrive under HTTP 200.
//!
//! | `code` | becomes |
//! |---|---|
//! | `"0000"` (also `"0"` / `0`) | success: `data` decoded into the endpoint's type |
//! | `"0401"`, `"9009"` | [`Error::Unauthorized`] |
//! | `"0429"` | [`Error::RateLimited`], which the engine retries |
//! | anything else (`"0001"`, `"0003"`, `"0402"`, `"0403"`, `"0409"`, ...) | [`Error::Api`] with the code and `msg` |
//!
//! An HTTP error (401, 429, 5xx, ...) whose body is not an envelope, such as
//! an HTML page from a gateway or an empty 429, is classified by its status.

use media_core::Error;
use media_core::Result;
use media_core::http::RawResponse;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The success code.
pub(crate) const SUCCESS: &str = "0000";

/// The envelope as read before `data` is given its endpoint type, so an
/// error answer with an unexpected `data` still reports its code.
#[derive(Debug, serde::Deserialize)]
struct Head {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    msg: Option<Value>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    success: Option<bool>,
    /// Members besides the five documented ones (`chat_personal` puts its
    /// `session_id` here).
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

/// Decodes any answer of the v1 API: the envelope's `data` as `T` on
/// success, the typed error otherwise.
///
/// `data` may be `null` on success; endpoints where that is normal decode
/// into `Option<_>` (or `()`), and decide what `None` means themselves.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the engine hands its decoder the response by value"
)]
pub(crate) fn decode<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    decode_with_rest(raw).map(|(data, _)| data)
}

/// As [`decode`], also returning the envelope's members other than `code`,
/// `msg`, `data`, `success` and `failed`.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the engine hands its decoder the response by value"
)]
pub(crate) fn decode_with_rest<T: DeserializeOwned>(
    raw: RawResponse,
) -> Result<(T, serde_json::Map<String, Value>)> {
    let head = match serde_json::from_slice::<Value>(&raw.body) {
        Ok(Value::Object(map)) => serde_json::from_value::<Head>(Value::Object(map)).ok(),
        _ => None,
    };
    let Some(head) = head else {
        return Err(if raw.is_success() {
            raw.decode_error("the body is not a memories.ai v1 envelope")
        } else {
            raw.error_without_envelope()
        });
    };
    let code = head.code.as_ref().and_then(code_text);
    let message = head.msg.as_ref().map(text).unwrap_or_default();
    let succeeded = match code.as_deref() {
        Some(code) => is_success_code(code),
        // No code at all: trust the `success` flag the envelope mirrors it with.
        None => head.success == Some(true),
    };
    if !raw.is_success() {
        return Err(match code {
            Some(code) if !succeeded => business_error(&raw, code, message),
            _ if head.code.is_none() && head.msg.is_none() => raw.error_without_envelope(),
            code => raw.error(code, message),
        });
    }
    if !succeeded {
        return Err(match code {
            Some(code) => business_error(&raw, code, message),
            None => raw.decode_error("the envelope has neither a `code` nor `success: true`"),
        });
    }
    let mut rest = head.rest;
    rest.remove("failed");
    serde_json::from_value(head.data)
        .map(|data| (data, rest))
        .map_err(|err| raw.decode_error(format!("data: {err}")))
}

/// `"0000"`, and the `"0"` / `0` one third-party client also accepts.
fn is_success_code(code: &str) -> bool {
    code == SUCCESS || code == "0"
}

/// The code as text: v1 sends strings, but a number is tolerated.
fn code_text(code: &Value) -> Option<String> {
    match code {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The typed error for a business `code` other than success.
fn business_error(raw: &RawResponse, code: String, message: String) -> Error {
    let provider = raw.provider;
    let http_status = raw.status.as_u16();
    match code.as_str() {
        "0401" | "9009" => Error::Unauthorized {
            provider,
            http_status,
            code: Some(code),
            message,
        },
        "0429" => Error::RateLimited {
            provider,
            http_status,
            code: Some(code),
            message,
            retry_after: raw.retry_after(),
        },
        // The HTTP status still decides for 401/404/429/5xx; under 200 this is `Api`.
        _ => raw.error(Some(code), message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::Provider;

    fn response(status: u16, body: &str) -> RawResponse {
        RawResponse {
            provider: Provider::MemoriesV1,
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers: reqwest::header::HeaderMap::new(),
            body: body.to_owned().into(),
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        id: String,
    }

    #[test]
    fn success_codes_decode_data() {
        for code in [r#""0000""#, r#""0""#, "0"] {
            let body = format!(r#"{{"code":{code},"msg":"success","data":{{"id":"a"}}}}"#);
            let item: Item = decode(response(200, &body)).unwrap();
            assert_eq!(item, Item { id: "a".into() });
        }
        let none: Option<Item> = decode(response(
            200,
            r#"{"code":"0000","msg":"success","data":null,"success":true,"failed":false}"#,
        ))
        .unwrap();
        assert_eq!(none, None);
        let absent: Option<Item> = decode(response(200, r#"{"code":"0000","msg":"ok"}"#)).unwrap();
        assert_eq!(absent, None);
        let unit: () = decode(response(200, r#"{"code":"0000","data":null}"#)).unwrap();
        assert_eq!(unit, ());
        let flag_only: Item = decode(response(
            200,
            r#"{"msg":"ok","data":{"id":"b"},"success":true}"#,
        ))
        .unwrap();
        assert_eq!(flag_only.id, "b");
    }

    #[test]
    fn business_codes_under_200_are_errors() {
        let err = decode::<Item>(response(
            200,
            r#"{"code":"0429","msg":"Request has exceeded the limit.","data":null}"#,
        ))
        .unwrap_err();
        assert!(
            matches!(&err, Error::RateLimited { http_status: 200, code: Some(c), .. } if c == "0429"),
            "{err:?}"
        );
        assert!(err.is_retryable());
        for code in ["0401", "9009"] {
            let body = format!(r#"{{"code":"{code}","msg":"denied","data":null}}"#);
            let err = decode::<Item>(response(200, &body)).unwrap_err();
            assert!(
                matches!(&err, Error::Unauthorized { code: Some(c), .. } if c == code),
                "{err:?}"
            );
        }
        for code in ["0001", "0003", "0402", "0403", "0409", "7777"] {
            let body = format!(
                r#"{{"code":"{code}","msg":"nope","data":null,"success":false,"failed":true}}"#
            );
            let err = decode::<Item>(response(200, &body)).unwrap_err();
            assert!(
                matches!(&err, Error::Api { provider: Provider::MemoriesV1, http_status: 200, code: Some(c), message, .. } if c == code && message == "nope"),
                "{err:?}"
            );
            assert!(!err.is_retryable());
        }
        // A `data` that does not fit does not hide the error code.
        let err = decode::<Item>(response(
            200,
            r#"{"code":"0001","msg":"bad","data":"oops"}"#,
        ))
        .unwrap_err();
        assert_eq!(err.code(), Some("0001"));
    }

    #[test]
    fn http_errors_with_and_without_an_envelope() {
        let err = decode::<Item>(response(401, r#"{"code":"0401","msg":"API key is invalid","data":null,"success":false,"failed":true}"#)).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Unauthorized {
                    http_status: 401,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = decode::<Item>(response(401, "")).unwrap_err();
        assert!(
            matches!(&err, Error::Unauthorized { code: None, .. }),
            "{err:?}"
        );
        let err = decode::<Item>(response(429, "")).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::RateLimited {
                    http_status: 429,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = decode::<Item>(response(502, "<html>Bad Gateway</html>")).unwrap_err();
        assert!(
            matches!(&err, Error::Api { http_status: 502, message, .. } if message.contains("Bad Gateway")),
            "{err:?}"
        );
        assert!(err.is_retryable());
        let err = decode::<Item>(response(503, r#"{"code":"0000","msg":"busy"}"#)).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Api {
                    http_status: 503,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = decode::<Item>(response(500, r#"{"error":"x"}"#)).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Api {
                    http_status: 500,
                    code: None,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn undecodable_success_bodies_are_decode_errors() {
        for body in ["<html></html>", "", "[1,2]", r#"{"msg":"?"}"#] {
            let err = decode::<Item>(response(200, body)).unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{body}: {err:?}");
        }
        let err = decode::<Item>(response(200, r#"{"code":"0000","data":{"id":1}}"#)).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, body_snippet, .. } if message.starts_with("data:") && body_snippet.contains("\"id\":1")),
            "{err:?}"
        );
    }
}
