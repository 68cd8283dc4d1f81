use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::{Error, Result};

/// Puts credentials on an outgoing request.
///
/// The engine calls [`Auth::sign`] on every attempt, after the URL, headers
/// and body are final, so a signature over the request (NCP's HMAC) is
/// computed afresh for each retry.
pub trait Auth: Send + Sync + fmt::Debug {
    /// Adds the credentials to `request`.
    fn sign(&self, request: &mut reqwest::Request) -> Result<()>;
}

/// Sends a key verbatim in one header (`Authorization: <key>`, `x-api-key: <key>`).
///
/// The header value is marked sensitive, so it never shows in `Debug` output
/// of the request or in HTTP-level logs.
#[derive(Clone)]
pub struct HeaderKey {
    name: HeaderName,
    // Built once: a value made per request would leave one more unzeroed copy
    // of the key on the heap with every call. Marked sensitive, so hyper and
    // `Debug` never print it.
    value: HeaderValue,
}

impl HeaderKey {
    /// Sends `key` in the header `name`. Fails when the key cannot be a header value.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "taking the key is the point: it is zeroized when dropped here"
    )]
    pub fn new(name: &'static str, key: SecretString) -> Result<HeaderKey> {
        let value = key.expose_secret();
        if value.trim().is_empty() {
            return Err(Error::InvalidInput(format!(
                "the API key for the `{name}` header is empty"
            )));
        }
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            Error::InvalidInput(format!(
                "the API key for the `{name}` header contains characters that cannot be sent in a header"
            ))
        })?;
        value.set_sensitive(true);
        Ok(HeaderKey {
            name: HeaderName::from_static(name),
            value,
        })
    }
}

impl fmt::Debug for HeaderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderKey")
            .field("header", &self.name.as_str())
            // A sensitive `HeaderValue` prints as `Sensitive`.
            .field("key", &self.value)
            .finish()
    }
}

impl Auth for HeaderKey {
    fn sign(&self, request: &mut reqwest::Request) -> Result<()> {
        request
            .headers_mut()
            .insert(self.name.clone(), self.value.clone());
        Ok(())
    }
}

/// Sends nothing: for endpoints that need no credentials, and for tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

impl Auth for NoAuth {
    fn sign(&self, _request: &mut reqwest::Request) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let auth = HeaderKey::new("x-api-key", SecretString::from("tlk_supersecret")).unwrap();
        let shown = format!("{auth:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(shown.contains("x-api-key"));
    }

    #[test]
    fn rejects_unsendable_keys() {
        assert!(HeaderKey::new("x-api-key", SecretString::from("")).is_err());
        assert!(HeaderKey::new("x-api-key", SecretString::from("a\nb")).is_err());
    }

    #[test]
    fn marks_the_header_sensitive() {
        let auth = HeaderKey::new("authorization", SecretString::from("sk-1")).unwrap();
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "https://example.com/".parse().unwrap(),
        );
        auth.sign(&mut request).unwrap();
        let value = request.headers().get("authorization").unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value, "sk-1");
    }
}
