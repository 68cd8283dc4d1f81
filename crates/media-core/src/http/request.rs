use std::fmt::Display;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use super::body::{FilePart, Multipart};
use crate::ProgressFn;

/// Everything but RFC 3986 unreserved characters is escaped, so an id can
/// never add, remove or climb path segments.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where `{name}` starts in `path`, found without building the placeholder
/// (this runs on every call).
fn find_placeholder(path: &str, name: &str) -> Option<usize> {
    path.match_indices('{').map(|(at, _)| at).find(|&at| {
        let rest = &path[at + 1..];
        rest.starts_with(name) && rest[name.len()..].starts_with('}')
    })
}

/// The body of an [`ApiRequest`]; cheap to clone so every retry re-sends it.
#[non_exhaustive]
#[derive(Debug, Clone, Default)]
pub enum RequestBody {
    /// No body.
    #[default]
    Empty,
    /// `application/json`, already serialized.
    Json(Bytes),
    /// `application/x-www-form-urlencoded`, already encoded.
    Form(String),
    /// Raw bytes with their content type.
    Bytes {
        /// The `Content-Type` to send.
        content_type: String,
        /// The bytes.
        bytes: Bytes,
    },
    /// `multipart/form-data`; file parts stream from disk.
    Multipart(Multipart),
    /// A file (or one range of it) streamed from disk as the whole body.
    File(FilePart),
}

/// One call to a provider endpoint: method, path, query, headers and body.
///
/// Path parameters go in as whole, percent-encoded segments; they are never
/// concatenated into the URL. A parameter that cannot be a segment (empty,
/// `.` or `..`), or a body that cannot be serialized, is remembered and
/// reported as [`crate::Error::InvalidInput`] by the engine before anything
/// is sent, so builders stay chainable.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: RequestBody,
    pub(crate) idempotent: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) invalid: Option<String>,
    pub(crate) absolute_url: Option<String>,
    pub(crate) progress: Option<ProgressFn>,
}

impl ApiRequest {
    /// A request for the endpoint `template`, a path relative to the base URL
    /// such as `/assets/{asset_id}`. Placeholders are filled with
    /// [`ApiRequest::path_param`]. GET, HEAD, PUT, DELETE and OPTIONS are
    /// idempotent; POST and PATCH are not unless marked so.
    pub fn new(method: Method, template: &'static str) -> ApiRequest {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        ApiRequest {
            method,
            template,
            path: template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: RequestBody::Empty,
            idempotent,
            timeout: None,
            invalid: None,
            absolute_url: None,
            progress: None,
        }
    }

    /// A request to a full URL outside the base URL, such as a presigned
    /// upload or download URL. It is sent **without** the client's
    /// credentials (the URL carries its own authorization); it must be
    /// `https://` unless it points at loopback.
    pub fn absolute(method: Method, url: impl Into<String>) -> ApiRequest {
        let mut request = ApiRequest::new(method, "(absolute URL)");
        request.absolute_url = Some(url.into());
        request
    }

    /// A GET request.
    pub fn get(template: &'static str) -> ApiRequest {
        ApiRequest::new(Method::GET, template)
    }

    /// A POST request (not idempotent unless marked).
    pub fn post(template: &'static str) -> ApiRequest {
        ApiRequest::new(Method::POST, template)
    }

    /// A PUT request.
    pub fn put(template: &'static str) -> ApiRequest {
        ApiRequest::new(Method::PUT, template)
    }

    /// A PATCH request (not idempotent unless marked).
    pub fn patch(template: &'static str) -> ApiRequest {
        ApiRequest::new(Method::PATCH, template)
    }

    /// A DELETE request.
    pub fn delete(template: &'static str) -> ApiRequest {
        ApiRequest::new(Method::DELETE, template)
    }

    /// Fills the placeholder `{name}` with `value` as one percent-encoded segment.
    pub fn path_param(mut self, name: &str, value: &str) -> ApiRequest {
        if value.is_empty() || value == "." || value == ".." {
            self.reject(format!("`{name}` must be a non-empty id, got {value:?}"));
            return self;
        }
        match find_placeholder(&self.path, name) {
            Some(at) => {
                let mut path = String::with_capacity(self.path.len() + value.len() * 3);
                path.push_str(&self.path[..at]);
                path.extend(utf8_percent_encode(value, PATH_SEGMENT));
                path.push_str(&self.path[at + name.len() + 2..]);
                self.path = path;
            }
            None => self.reject(format!(
                "the endpoint {} has no path parameter `{name}`",
                self.template
            )),
        }
        self
    }

    /// Appends `name=value` to the query string (repeat it for arrays).
    pub fn query(mut self, name: &str, value: impl Display) -> ApiRequest {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends `name=value` when `value` is `Some`.
    pub fn query_opt(self, name: &str, value: Option<impl Display>) -> ApiRequest {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends `name=value` once per value, the usual encoding of arrays.
    pub fn query_each<V: Display>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> ApiRequest {
        for value in values {
            self = self.query(name, value);
        }
        self
    }

    /// Adds a header. An invalid name or value is reported before sending.
    pub fn header(mut self, name: &str, value: &str) -> ApiRequest {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            _ => self.reject(format!("`{name}` cannot be sent as a header")),
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> ApiRequest {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = RequestBody::Json(Bytes::from(bytes)),
            Err(err) => self.reject(format!("the request body cannot be serialized: {err}")),
        }
        self
    }

    /// Sends `pairs` as `application/x-www-form-urlencoded`.
    pub fn form<K: AsRef<str>, V: AsRef<str>>(
        mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> ApiRequest {
        let mut encoder = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            encoder.append_pair(name.as_ref(), value.as_ref());
        }
        self.body = RequestBody::Form(encoder.finish());
        self
    }

    /// Sends raw bytes with a content type.
    pub fn bytes(mut self, content_type: &str, bytes: impl Into<Bytes>) -> ApiRequest {
        self.body = RequestBody::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        };
        self
    }

    /// Sends a `multipart/form-data` body; file parts stream from disk and are
    /// re-read for every attempt.
    pub fn multipart(mut self, form: Multipart) -> ApiRequest {
        self.body = RequestBody::Multipart(form);
        self
    }

    /// Sends a file (or one range of it) streamed from disk as the body, with
    /// its content type and length.
    pub fn file(mut self, file: FilePart) -> ApiRequest {
        self.body = RequestBody::File(file);
        self
    }

    /// Reports the bytes of file bodies as they are sent (each attempt counts from zero).
    pub fn progress(mut self, progress: ProgressFn) -> ApiRequest {
        self.progress = Some(progress);
        self
    }

    /// [`ApiRequest::progress`] when `progress` is `Some`.
    pub fn progress_opt(mut self, progress: Option<ProgressFn>) -> ApiRequest {
        self.progress = progress;
        self
    }

    /// Declares whether sending the request twice has the effect of sending it once.
    pub fn idempotent(mut self, idempotent: bool) -> ApiRequest {
        self.idempotent = idempotent;
        self
    }

    /// Sends an `Idempotency-Key` header; the provider deduplicates, so the
    /// request becomes safe to retry.
    pub fn idempotency_key(self, key: &str) -> ApiRequest {
        self.header("idempotency-key", key).idempotent(true)
    }

    /// Overrides the engine's request deadline for this call.
    pub fn timeout(mut self, timeout: Duration) -> ApiRequest {
        self.timeout = Some(timeout);
        self
    }

    /// Rejects the request with `reason` before it is sent; validation code in
    /// provider crates uses it to keep builders chainable.
    pub fn reject(&mut self, reason: impl Into<String>) {
        if self.invalid.is_none() {
            self.invalid = Some(reason.into());
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The endpoint template, e.g. `/assets/{asset_id}` (what tracing records).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The path with its parameters encoded, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The body.
    pub fn body(&self) -> &RequestBody {
        &self.body
    }

    /// The full URL of a request made with [`ApiRequest::absolute`].
    pub fn absolute_url(&self) -> Option<&str> {
        self.absolute_url.as_deref()
    }

    /// Whether the body streams from disk.
    pub fn is_streamed_upload(&self) -> bool {
        matches!(self.body, RequestBody::Multipart(_) | RequestBody::File(_))
    }

    /// Whether the engine may retry it after it reached the server.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_are_single_encoded_segments() {
        let request = ApiRequest::get("/assets/{asset_id}").path_param("asset_id", "../indexes");
        assert_eq!(request.path(), "/assets/..%2Findexes");
        assert!(request.invalid.is_none());
        let request = ApiRequest::get("/assets/{asset_id}").path_param("asset_id", "a b/c?d#e%f홍");
        assert_eq!(request.path(), "/assets/a%20b%2Fc%3Fd%23e%25f%ED%99%8D");
        let request = ApiRequest::get("/indexes/{index_id}/videos/{video_id}")
            .path_param("video_id", "v{1}")
            .path_param("index_id", "i");
        assert_eq!(request.path(), "/indexes/i/videos/v%7B1%7D");
        assert!(request.invalid.is_none());
    }

    #[test]
    fn dot_segments_and_empty_ids_are_rejected() {
        for bad in ["", ".", ".."] {
            let request = ApiRequest::get("/assets/{asset_id}").path_param("asset_id", bad);
            assert!(request.invalid.is_some(), "{bad:?} accepted");
        }
        let request = ApiRequest::get("/assets/{asset_id}").path_param("index_id", "x");
        assert!(request.invalid.is_some());
        // A name that is a prefix of the placeholder's is not that placeholder.
        let request = ApiRequest::get("/assets/{asset_id}").path_param("asset", "x");
        assert!(request.invalid.is_some());
    }

    #[test]
    fn idempotency_follows_the_method() {
        assert!(ApiRequest::get("/x").is_idempotent());
        assert!(ApiRequest::delete("/x").is_idempotent());
        assert!(!ApiRequest::post("/x").is_idempotent());
        assert!(ApiRequest::post("/x").idempotency_key("k").is_idempotent());
    }

    #[test]
    fn bodies_and_queries() {
        let request = ApiRequest::post("/x")
            .json(&serde_json::json!({"a": 1}))
            .query("page", 2)
            .query_opt("size", None::<u32>)
            .query_each("status", ["ready", "failed"]);
        assert!(matches!(request.body(), RequestBody::Json(b) if b.as_ref() == br#"{"a":1}"#));
        assert_eq!(request.query_pairs().len(), 3);
        let request = ApiRequest::post("/x").form([("url", "https://a/b?c=d"), ("tags", "x y")]);
        assert!(
            matches!(request.body(), RequestBody::Form(f) if f == "url=https%3A%2F%2Fa%2Fb%3Fc%3Dd&tags=x+y")
        );
    }
}
