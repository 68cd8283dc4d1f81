//! The E1 response envelope `{code, msg, data, success?, failed?}` and the one
//! decoder every JSON endpoint goes through (memories-v2.md §1.3, §1.6, §4).
//!
//! Reading rules, each chosen where the docs disagree or are silent:
//!
//! - `code` is an integer or a string. `"0000"` (older pages), `200` and
//!   `"200"` (newer pages) mean success; **any other code is an error, even
//!   under HTTP 200**, because legacy business codes (`"0402"`, `"0429"`, …)
//!   arrive that way. A body without any `code` under 2xx is read as success
//!   unless it says `success: false` or `failed: true`.
//! - The message is read from `msg`, else `message` (streams and webhooks use
//!   the latter).
//! - HTTP 401, or code `401`/`"0401"` → [`Error::Unauthorized`].
//! - HTTP 429, or code `429`/`"0429"` → [`Error::RateLimited`], which the
//!   engine retries, honouring `Retry-After` when present.
//! - HTTP 404, or one of the not-found messages the docs give for unknown
//!   assets (HTTP 400 `"Asset not found"`, `"Resource does not exist"`) →
//!   [`Error::NotFound`], keeping the code and message. The docs warn that
//!   `msg` is not a stable key, so this is a best-effort reading: a reworded
//!   message degrades to [`Error::Api`], never to a wrong success.
//! - Everything else → [`Error::Api`] with the code as a string (`"400"`,
//!   `"0402"`), the message and the HTTP status. HTTP 400
//!   `"Request has exceeded the limit."` stays an `Api` error: the docs use it
//!   for both throttling and validation failures, so retrying it blindly
//!   could repeat a request that can never succeed.
//! - A body that is not a JSON envelope: under a non-2xx status the status
//!   decides ([`media_core::http::RawResponse::error_without_envelope`]);
//!   under 2xx it is an [`Error::Decode`] carrying a snippet of the body.
//!
//! The adjacent hosts answer in their own shapes and have their own
//! decoders here, mapping into the same errors: [`decode_e8`] for
//! `stream.memories.ai` (E8 `{status, task_id, text}`) and
//! [`caption_payload`] for `security.memories.ai`.

use media_core::http::RawResponse;
use media_core::{Error, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Codes that mean success.
const SUCCESS_CODES: [&str; 2] = ["0000", "200"];
/// Codes that mean the key was refused.
const UNAUTHORIZED_CODES: [&str; 2] = ["401", "0401"];
/// Codes that mean the call was throttled.
const RATE_LIMITED_CODES: [&str; 2] = ["429", "0429"];
/// Messages the docs give for an unknown asset (compared case-insensitively,
/// ignoring surrounding blanks and a final period).
const NOT_FOUND_MESSAGES: [&str; 2] = ["asset not found", "resource does not exist"];

/// The E1 envelope, with `data` kept untyped until the code says success.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    msg: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    failed: Option<bool>,
}

impl Envelope {
    /// The code as text: integers in decimal, strings trimmed.
    fn code(&self) -> Option<String> {
        code_text(self.code.as_ref()?)
    }

    fn message(&self) -> String {
        self.msg
            .as_deref()
            .or(self.message.as_deref())
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether the envelope reports success.
    fn is_success(&self, code: Option<&str>) -> bool {
        match code {
            Some(code) => SUCCESS_CODES.contains(&code),
            None => self.success != Some(false) && self.failed != Some(true),
        }
    }
}

/// Decodes any E1 response: the typed `data` on success, the typed error otherwise.
#[allow(clippy::needless_pass_by_value)] // `Engine::execute` hands decoders the response by value
pub(crate) fn decode<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    let envelope = match serde_json::from_slice::<Envelope>(&raw.body) {
        Ok(envelope) => envelope,
        Err(err) if raw.is_success() => {
            return Err(raw.decode_error(format!("not a memories.ai v2 envelope: {err}")));
        }
        Err(_) => return Err(raw.error_without_envelope()),
    };
    let code = envelope.code();
    if raw.is_success() && envelope.is_success(code.as_deref()) {
        let data = envelope.data.unwrap_or(Value::Null);
        return T::deserialize(data).map_err(|err| raw.decode_error(format!("data: {err}")));
    }
    Err(error(&raw, code, envelope.message()))
}

/// The typed error for an envelope that did not report success.
pub(crate) fn error(raw: &RawResponse, code: Option<String>, message: String) -> Error {
    let provider = raw.provider;
    let http_status = raw.status.as_u16();
    let is = |codes: &[&str]| code.as_deref().is_some_and(|c| codes.contains(&c));
    if http_status == 401 || is(&UNAUTHORIZED_CODES) {
        Error::Unauthorized {
            provider,
            http_status,
            code,
            message,
        }
    } else if http_status == 429 || is(&RATE_LIMITED_CODES) {
        Error::RateLimited {
            provider,
            http_status,
            code,
            message,
            retry_after: raw.retry_after(),
        }
    } else if http_status == 404 || is_not_found_message(&message) {
        Error::NotFound {
            provider,
            http_status,
            code,
            message,
        }
    } else {
        Error::Api {
            provider,
            http_status,
            code,
            message,
            request_id: raw.request_id(),
        }
    }
}

/// The code as text: integers in decimal, strings trimmed.
pub(crate) fn code_text(code: &Value) -> Option<String> {
    match code {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Whether `code` is one of the success spellings `200`, `"200"`, `"0000"`.
pub(crate) fn is_success_code(code: &Value) -> bool {
    code_text(code).is_some_and(|c| SUCCESS_CODES.contains(&c.as_str()))
}

/// Decodes an answer that is either an E1 envelope or the bare object (the
/// first-party code reads `GET /task/{id}` both ways): a body with a `code`
/// key goes through [`decode`], anything else under 2xx is `T` itself.
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn decode_bare_or_enveloped<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    let value: Value = match serde_json::from_slice(&raw.body) {
        Ok(value) => value,
        Err(_) => return decode(raw),
    };
    if !raw.is_success() || value.get("code").is_some() {
        return decode(raw);
    }
    T::deserialize(value).map_err(|err| raw.decode_error(format!("body: {err}")))
}

/// Decodes a chat completion (E5): no envelope, but HTTP 200 may carry
/// `"status": "errored"` with an `error` object, or an E1 error envelope
/// from the gateway; a completion without choices is an error too.
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn decode_chat<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    let Ok(value) = serde_json::from_slice::<Value>(&raw.body) else {
        return decode(raw);
    };
    let error_object = value.get("error").filter(|e| !e.is_null());
    let errored = value.get("status").and_then(Value::as_str) == Some("errored");
    if errored || error_object.is_some() {
        let code = error_object.and_then(|e| e.get("code")).and_then(code_text);
        let message = error_object
            .and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .or_else(|| error_object.and_then(Value::as_str))
            .unwrap_or("the completion errored")
            .to_owned();
        return Err(error(&raw, code, message));
    }
    let has_choices = value.get("choices").is_some();
    if !raw.is_success() || (!has_choices && value.get("code").is_some()) {
        return decode(raw);
    }
    match value.get("choices") {
        Some(Value::Array(choices)) if !choices.is_empty() => {}
        _ => {
            return Err(Error::Api {
                provider: raw.provider,
                http_status: raw.status.as_u16(),
                code: None,
                message: "the completion has no choices".into(),
                request_id: raw.request_id(),
            });
        }
    }
    T::deserialize(value).map_err(|err| raw.decode_error(format!("completion: {err}")))
}

/// `status` values of an E8 answer that mean success: `0` started, `14` stopped.
const E8_SUCCESS: [i64; 2] = [0, 14];
/// Codes of a caption answer that mean success: the docs show `0`, an
/// auto-generated example `"0000"`; `200` is accepted like everywhere else.
const CAPTION_SUCCESS_CODES: [&str; 3] = ["0", "0000", "200"];
/// Envelope members that are not part of a caption answer's payload.
const CAPTION_ENVELOPE_KEYS: [&str; 6] = ["code", "msg", "message", "success", "failed", "data"];

/// An integer member, also when sent as a string of digits.
fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The first non-blank of `msg`, `message`, `text`.
fn any_message(value: &Value, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|key| value.get(key).and_then(Value::as_str))
        .map(str::trim)
        .find(|text| !text.is_empty())
        .map(str::to_owned)
}

/// Decodes an answer of `stream.memories.ai` (E8, `{status, task_id, text}`).
///
/// - `status` `0` (started) or `14` (stopped) under 2xx → `T` from the whole body.
/// - any other `status` → [`Error::Api`] with the status as the code (`"-1"`
///   invalid request or unknown task, `"5000"` internal error) and the
///   message from `msg`, `message` or `text` (the catalog shows none, so a
///   fixed description stands in). The HTTP status is kept as sent, so a
///   `5000` under HTTP 200 is not retryable while one under HTTP 5xx is
///   (and the engine retries neither call: both are non-idempotent POSTs).
/// - no `status`: a gateway envelope (`{"code":401,"msg":…}`) or a non-2xx
///   answer → the usual mapping (401 → [`Error::Unauthorized`], 429 →
///   [`Error::RateLimited`]); an auto-generated doc page also shows an E1
///   success `{"code":"0000","data":{…}}` for this host, so under 2xx a
///   success code with a `data` object is read as `T` with `default_status`
///   filled in (unverified).
pub(crate) fn decode_e8<T: DeserializeOwned>(raw: &RawResponse, default_status: i64) -> Result<T> {
    let Ok(mut value) = serde_json::from_slice::<Value>(&raw.body) else {
        return Err(if raw.is_success() {
            raw.decode_error("not a stream.memories.ai answer")
        } else {
            raw.error_without_envelope()
        });
    };
    let message = any_message(&value, &["msg", "message", "text"]);
    if let Some(status) = value.get("status").and_then(int_of) {
        if raw.is_success() && E8_SUCCESS.contains(&status) {
            return T::deserialize(value).map_err(|err| raw.decode_error(format!("body: {err}")));
        }
        let message = message.unwrap_or_else(|| match status {
            -1 => "invalid request or unknown task".to_owned(),
            5000 => "internal server error".to_owned(),
            other => format!("status {other}"),
        });
        return Err(error(raw, Some(status.to_string()), message));
    }
    let code = value.get("code").and_then(code_text);
    let success_code = code
        .as_deref()
        .is_some_and(|c| CAPTION_SUCCESS_CODES.contains(&c));
    if raw.is_success()
        && success_code
        && let Some(Value::Object(mut data)) = value.get_mut("data").map(Value::take)
    {
        data.entry("status")
            .or_insert_with(|| Value::from(default_status));
        return T::deserialize(Value::Object(data))
            .map_err(|err| raw.decode_error(format!("data: {err}")));
    }
    if code.is_some() || !raw.is_success() {
        let message = message.unwrap_or_else(|| raw.snippet());
        return Err(error(raw, code, message));
    }
    Err(raw.decode_error("no `status` in a stream.memories.ai answer"))
}

/// Reads an answer of `security.memories.ai` (caption and Human ReID) and
/// returns its payload, or the typed error.
///
/// The catalog gives no response example; the host's own pages show
/// `{"code":0,"msg":"success","data":{…}}` (`data.task_id` for async calls,
/// `data.text` + `data.token` for sync ones), an auto-generated page
/// `{"code":"0000",…}`, and callbacks `{"status":0,"task_id":…,"data":{…}}`.
/// So, tolerantly:
///
/// - success is `code` `0`/`"0"`/`"0000"`/`200`; without `code`, `status`
///   `0`; without either, no `success: false`/`failed: true`. Anything else
///   (the documented failure is `-1`) → the error of [`error`] (401 →
///   [`Error::Unauthorized`], `429`/`"0429"` → [`Error::RateLimited`], …).
/// - the payload is `data` when it is an object (with a top-level `task_id`
///   copied in when `data` lacks one) or an array (a batch), `{"text": data}`
///   when it is a string, else the top-level object without its envelope
///   members.
pub(crate) fn caption_payload(raw: &RawResponse) -> Result<Value> {
    let Ok(value) = serde_json::from_slice::<Value>(&raw.body) else {
        return Err(if raw.is_success() {
            raw.decode_error("not a security.memories.ai answer")
        } else {
            raw.error_without_envelope()
        });
    };
    let message = any_message(&value, &["msg", "message"]);
    let Value::Object(mut map) = value else {
        return Err(if raw.is_success() {
            raw.decode_error("a security.memories.ai answer must be a JSON object")
        } else {
            raw.error_without_envelope()
        });
    };
    let code = map.get("code").and_then(code_text);
    let status = map.get("status").and_then(int_of);
    let flag = |key: &str| map.get(key).and_then(Value::as_bool);
    let flags_ok = flag("success") != Some(false) && flag("failed") != Some(true);
    let ok = match (&code, status) {
        (Some(code), _) => CAPTION_SUCCESS_CODES.contains(&code.as_str()),
        (None, Some(status)) => status == 0,
        (None, None) => true,
    };
    if !raw.is_success() || !ok || !flags_ok {
        let code = code.or_else(|| status.map(|s| s.to_string()));
        let message = message.unwrap_or_else(|| match code.as_deref() {
            Some("-1") => "the request failed".to_owned(),
            _ => raw.snippet(),
        });
        return Err(error(raw, code, message));
    }
    let task_id = map.get("task_id").cloned();
    match map.remove("data") {
        Some(Value::Object(mut data)) => {
            if let Some(task_id) = task_id {
                data.entry("task_id").or_insert(task_id);
            }
            Ok(Value::Object(data))
        }
        Some(Value::Array(items)) => Ok(Value::Array(items)),
        Some(Value::String(text)) => Ok(serde_json::json!({ "text": text })),
        _ => {
            for key in CAPTION_ENVELOPE_KEYS {
                map.remove(key);
            }
            Ok(Value::Object(map))
        }
    }
}

fn is_not_found_message(message: &str) -> bool {
    let normalized = message.trim().trim_end_matches('.').to_ascii_lowercase();
    NOT_FOUND_MESSAGES.contains(&normalized.as_str())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use media_core::Provider;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            provider: Provider::MemoriesV2,
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.to_owned().into(),
        }
    }

    fn data(status: u16, body: &str) -> Result<Value> {
        decode::<Value>(raw(status, body))
    }

    #[test]
    fn every_success_code_spelling() {
        for code in [r#""0000""#, "200", r#""200""#, r#"" 200 ""#] {
            let body = format!(r#"{{"code":{code},"msg":"success","data":{{"a":1}}}}"#);
            assert_eq!(
                data(200, &body).unwrap(),
                serde_json::json!({"a": 1}),
                "{code}"
            );
        }
        // `message` instead of `msg`, no success/failed flags.
        let body = r#"{"code":200,"message":"success","data":[1]}"#;
        assert_eq!(data(200, body).unwrap(), serde_json::json!([1]));
    }

    #[test]
    fn missing_code_follows_the_flags() {
        assert_eq!(data(200, r#"{"data":2}"#).unwrap(), 2);
        let err = data(200, r#"{"msg":"nope","data":null,"success":false}"#).unwrap_err();
        assert!(matches!(&err, Error::Api { code: None, message, .. } if message == "nope"));
        assert!(data(200, r#"{"data":null,"failed":true}"#).is_err());
    }

    #[test]
    fn any_other_code_is_an_error_even_under_200() {
        for (code, expected) in [
            (r#""0402""#, "0402"),
            ("500", "500"),
            (r#""0001""#, "0001"),
            ("0", "0"),
        ] {
            let body = format!(r#"{{"code":{code},"msg":"Insufficient balance","data":null}}"#);
            match data(200, &body).unwrap_err() {
                Error::Api {
                    http_status: 200,
                    code: Some(c),
                    message,
                    ..
                } => {
                    assert_eq!(c, expected);
                    assert_eq!(message, "Insufficient balance");
                }
                other => panic!("{code}: {other:?}"),
            }
        }
        // A success code cannot make a failed HTTP status a success.
        let err = data(500, r#"{"code":"0000","msg":"success","data":null}"#).unwrap_err();
        assert!(matches!(
            err,
            Error::Api {
                http_status: 500,
                ..
            }
        ));
        assert!(err.is_retryable());
    }

    #[test]
    fn unauthorized_by_status_or_code() {
        let err = data(401, r#"{"code":401,"msg":"Unauthorized","data":null}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Unauthorized { http_status: 401, code: Some(c), .. } if c == "401")
        );
        let err = data(200, r#"{"code":"0401","msg":"API key is invalid"}"#).unwrap_err();
        assert!(matches!(
            err,
            Error::Unauthorized {
                http_status: 200,
                ..
            }
        ));
    }

    #[test]
    fn throttling_by_status_or_code() {
        let err = data(200, r#"{"code":"0429","msg":"Rate limit exceeded"}"#).unwrap_err();
        assert!(matches!(&err, Error::RateLimited { code: Some(c), .. } if c == "0429"));
        assert!(err.is_retryable());
        let mut throttled = raw(429, r#"{"code":429,"msg":"Too many"}"#);
        throttled
            .headers
            .insert("retry-after", HeaderValue::from_static("3"));
        let err = decode::<Value>(throttled).unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn not_found_messages() {
        for message in [
            "Asset not found",
            "Resource does not exist",
            " asset NOT found. ",
        ] {
            let body = format!(
                r#"{{"code":400,"msg":"{message}","data":null,"success":false,"failed":true}}"#
            );
            let err = data(400, &body).unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { http_status: 400, code: Some(c), message: m, .. } if c == "400" && m == message),
                "{err:?}"
            );
        }
        let err = data(
            400,
            r#"{"code":400,"msg":"Request has exceeded the limit."}"#,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            Error::Api {
                http_status: 400,
                ..
            }
        ));
        let err = data(404, r#"{"code":404,"msg":"Not Found"}"#).unwrap_err();
        assert!(err.is_not_found());
    }

    #[test]
    fn bodies_that_are_not_envelopes() {
        let err = data(502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(
            matches!(&err, Error::Api { http_status: 502, code: None, message, .. } if message.contains("Bad Gateway"))
        );
        assert!(matches!(
            data(429, "").unwrap_err(),
            Error::RateLimited { .. }
        ));
        assert!(matches!(
            data(200, "<html>ok</html>").unwrap_err(),
            Error::Decode { .. }
        ));
        assert!(matches!(data(200, "").unwrap_err(), Error::Decode { .. }));
    }

    #[test]
    fn data_that_does_not_fit_is_a_decode_error() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Wanted {
            total: u64,
        }
        let err =
            decode::<Wanted>(raw(200, r#"{"code":200,"msg":"success","data":null}"#)).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.starts_with("data:")),
            "{err:?}"
        );
    }

    #[test]
    fn busy_code_under_200_is_a_typed_api_error() {
        // First-party fixtures model `"0409"` "Service is busy" under HTTP 200 on social endpoints.
        let body = r#"{"code":"0409","msg":"Service is busy, try later","data":null,"success":false,"failed":true}"#;
        let err = data(200, body).unwrap_err();
        assert!(
            matches!(&err, Error::Api { http_status: 200, code: Some(c), message, .. } if c == "0409" && message.starts_with("Service is busy")),
            "{err:?}"
        );
        let body = r#"{"code":"0429","msg":"Rate limit exceeded","data":null,"success":false,"failed":true}"#;
        assert!(matches!(
            data(200, body).unwrap_err(),
            Error::RateLimited {
                http_status: 200,
                ..
            }
        ));
    }

    #[test]
    fn stream_envelope_uses_message() {
        let body = r#"{"code":200,"message":"success","data":{"task_id":"3d2c","message":"Audio stream transcription started"}}"#;
        assert_eq!(data(200, body).unwrap()["task_id"], "3d2c");
        let err = data(
            400,
            r#"{"code":400,"message":"Task not found","data":null}"#,
        )
        .unwrap_err();
        assert_eq!(err.message(), Some("Task not found"));
    }

    #[test]
    fn chat_errors_under_200() {
        let chat = |status, body: &str| decode_chat::<Value>(raw(status, body));
        let ok = r#"{"id":"resp_1","object":"completion","status":"completed","choices":[{"text":"hi","index":0}]}"#;
        assert_eq!(chat(200, ok).unwrap()["choices"][0]["text"], "hi");
        let errored = r#"{"id":"resp_2","status":"errored","error":{"code":"invalid_model","message":"Model input cannot be empty"},"choices":[]}"#;
        let err = chat(200, errored).unwrap_err();
        assert!(
            matches!(&err, Error::Api { http_status: 200, code: Some(c), message, .. } if c == "invalid_model" && message == "Model input cannot be empty"),
            "{err:?}"
        );
        let err = chat(200, r#"{"id":"x","choices":[]}"#).unwrap_err();
        assert_eq!(err.message(), Some("the completion has no choices"));
        let err = chat(
            200,
            r#"{"code":"0429","msg":"Rate limit exceeded","data":null}"#,
        )
        .unwrap_err();
        assert!(matches!(err, Error::RateLimited { .. }));
        let err = chat(401, r#"{"code":401,"msg":"Unauthorized","data":null}"#).unwrap_err();
        assert!(matches!(err, Error::Unauthorized { .. }));
        assert!(matches!(
            chat(502, "<html>").unwrap_err(),
            Error::Api {
                http_status: 502,
                ..
            }
        ));
    }

    #[test]
    fn bare_or_enveloped() {
        let bare = |status, body: &str| decode_bare_or_enveloped::<Value>(raw(status, body));
        assert_eq!(
            bare(200, r#"{"status":"completed"}"#).unwrap()["status"],
            "completed"
        );
        assert_eq!(
            bare(
                200,
                r#"{"code":200,"msg":"success","data":{"status":"pending"}}"#
            )
            .unwrap()["status"],
            "pending"
        );
        assert!(
            bare(
                400,
                r#"{"code":400,"msg":"Task not found for id: x","data":null}"#
            )
            .is_err()
        );
    }

    #[test]
    fn e8_answers() {
        let e8 = |status, body: &str| decode_e8::<Value>(&raw(status, body), 0);
        let ok = e8(200, r#"{"status":0,"task_id":"t","text":""}"#).unwrap();
        assert_eq!(ok["task_id"], "t");
        assert_eq!(
            e8(200, r#"{"status":"14","task_id":"t"}"#).unwrap()["status"],
            "14"
        );
        let err = e8(200, r#"{"status":-1,"task_id":"t"}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Api { http_status: 200, code: Some(c), message, .. } if c == "-1" && message == "invalid request or unknown task"),
            "{err:?}"
        );
        let err = e8(500, r#"{"status":5000,"msg":"boom"}"#).unwrap_err();
        assert!(err.is_retryable());
        assert_eq!((err.code(), err.message()), (Some("5000"), Some("boom")));
        // A success status cannot make a failed HTTP status a success.
        assert!(e8(502, r#"{"status":0,"task_id":"t"}"#).is_err());
        let err = e8(401, r#"{"code":401,"msg":"Unauthorized","data":null}"#).unwrap_err();
        assert!(matches!(err, Error::Unauthorized { .. }));
        assert!(matches!(
            e8(429, "").unwrap_err(),
            Error::RateLimited { .. }
        ));
        assert!(matches!(
            e8(200, "<html>").unwrap_err(),
            Error::Decode { .. }
        ));
        assert!(matches!(
            e8(200, r#"{"task_id":"t"}"#).unwrap_err(),
            Error::Decode { .. }
        ));
        // The E1 shape of an auto-generated doc page, with the status filled in.
        let e1 = decode_e8::<Value>(
            &raw(
                200,
                r#"{"code":"0000","msg":"success","data":{"task_id":"t"}}"#,
            ),
            14,
        )
        .unwrap();
        assert_eq!(e1, serde_json::json!({"task_id": "t", "status": 14}));
        assert!(e8(200, r#"{"code":"0001","msg":"bad"}"#).is_err());
    }

    #[test]
    fn caption_answers() {
        let payload = |status, body: &str| caption_payload(&raw(status, body));
        let docs = r#"{"code":0,"msg":"success","data":{"text":"t","token":{"input":1,"output":2,"total":3}}}"#;
        assert_eq!(payload(200, docs).unwrap()["token"]["total"], 3);
        assert_eq!(
            payload(
                200,
                r#"{"code":"0000","msg":"success","data":{},"success":true,"failed":false}"#
            )
            .unwrap(),
            serde_json::json!({})
        );
        assert_eq!(
            payload(200, r#"{"status":0,"task_id":"x","data":{"text":"t"}}"#).unwrap(),
            serde_json::json!({"text": "t", "task_id": "x"})
        );
        assert_eq!(
            payload(200, r#"{"code":0,"data":[{"text":"a"}]}"#).unwrap(),
            serde_json::json!([{"text": "a"}])
        );
        assert_eq!(
            payload(200, r#"{"code":0,"data":"plain"}"#).unwrap(),
            serde_json::json!({"text": "plain"})
        );
        let err = payload(200, r#"{"code":-1,"data":null}"#).unwrap_err();
        assert_eq!(
            (err.code(), err.message()),
            (Some("-1"), Some("the request failed"))
        );
        let err = payload(200, r#"{"status":-1,"message":"bad video"}"#).unwrap_err();
        assert_eq!((err.code(), err.message()), (Some("-1"), Some("bad video")));
        assert!(payload(200, r#"{"code":0,"success":false}"#).is_err());
        assert!(matches!(
            payload(401, r#"{"code":401,"msg":"Unauthorized"}"#).unwrap_err(),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(
            payload(200, r#"{"code":"0429","msg":"slow down"}"#).unwrap_err(),
            Error::RateLimited { .. }
        ));
        assert!(matches!(
            payload(200, "[1]").unwrap_err(),
            Error::Decode { .. }
        ));
        assert!(matches!(
            payload(502, "<html>").unwrap_err(),
            Error::Api {
                http_status: 502,
                ..
            }
        ));
    }
}
