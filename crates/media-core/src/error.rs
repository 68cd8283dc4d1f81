use std::fmt;
use std::time::Duration;

use crate::Provider;

/// A `Result` whose error is this SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure any provider crate can report.
///
/// The `Display` of an error that came from a provider always carries the
/// provider, the HTTP status, the provider's own code and its message, so a
/// log line is enough to act on. Secrets never appear in it.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The provider answered with an error that has no more specific variant.
    #[error("{provider}: {}", describe(*http_status, code.as_deref(), message, request_id.as_deref()))]
    Api {
        /// Who answered.
        provider: Provider,
        /// The HTTP status of the answer (business errors often come under 200).
        http_status: u16,
        /// The provider's own error code (`"0001"`, `"parameter_invalid"`, `"10001"`, ...).
        code: Option<String>,
        /// The provider's message.
        message: String,
        /// The request id the provider returned, for its support.
        request_id: Option<String>,
    },
    /// The provider throttled the call (HTTP 429, or a business code such as memories' `"0429"`).
    #[error("{provider}: rate limited, {}{}", describe(*http_status, code.as_deref(), message, None), retry_hint(*retry_after))]
    RateLimited {
        /// Who answered.
        provider: Provider,
        /// The HTTP status of the answer.
        http_status: u16,
        /// The provider's own error code.
        code: Option<String>,
        /// The provider's message.
        message: String,
        /// How long the provider asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The addressed resource does not exist (or is not visible to this key).
    #[error("{provider}: not found, {}", describe(*http_status, code.as_deref(), message, None))]
    NotFound {
        /// Who answered.
        provider: Provider,
        /// The HTTP status of the answer.
        http_status: u16,
        /// The provider's own error code (TwelveLabs `resource_not_exist`, ...).
        code: Option<String>,
        /// The provider's message.
        message: String,
    },
    /// The credentials were missing, wrong or expired.
    #[error("{provider}: unauthorized, {}", describe(*http_status, code.as_deref(), message, None))]
    Unauthorized {
        /// Who answered.
        provider: Provider,
        /// The HTTP status of the answer.
        http_status: u16,
        /// The provider's own error code.
        code: Option<String>,
        /// The provider's message.
        message: String,
    },
    /// The call was rejected before anything was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A deadline passed: the request deadline, or a wait helper's maximum wait.
    #[error("{provider}: timed out: {message}")]
    Timeout {
        /// Whose call timed out.
        provider: Provider,
        /// What timed out, and after how long.
        message: String,
    },
    /// The connection failed, was reset, or the body could not be read.
    #[error("{provider}: transport error: {message}")]
    Transport {
        /// Whose call failed.
        provider: Provider,
        /// The transport's description, with its causes.
        message: String,
        /// True when the connection was never established, so the request
        /// provably never reached the server.
        connect: bool,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The answer could not be decoded into the documented shape.
    #[error(
        "{provider}: could not decode the response (HTTP {http_status}): {message}; body starts: {body_snippet}"
    )]
    Decode {
        /// Who answered.
        provider: Provider,
        /// The HTTP status of the answer.
        http_status: u16,
        /// What did not fit.
        message: String,
        /// The first bytes of the body, lossily decoded, for diagnosis.
        body_snippet: String,
    },
    /// An asynchronous job ended in failure.
    #[error("{provider}: task {task_id} failed: {reason}")]
    TaskFailed {
        /// Whose job.
        provider: Provider,
        /// The job's id.
        task_id: String,
        /// The provider's reason.
        reason: String,
    },
    /// A local file could not be read or written.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl From<crate::ParseProviderError> for Error {
    fn from(err: crate::ParseProviderError) -> Error {
        Error::InvalidInput(err.to_string())
    }
}

fn describe(
    http_status: u16,
    code: Option<&str>,
    message: &str,
    request_id: Option<&str>,
) -> String {
    use fmt::Write as _;
    let mut out = format!("HTTP {http_status}");
    if let Some(code) = code {
        let _ = write!(out, ", code {code}");
    }
    let message = if message.is_empty() {
        "(no message)"
    } else {
        message
    };
    let _ = write!(out, ": {message}");
    if let Some(id) = request_id {
        let _ = write!(out, " (request id {id})");
    }
    out
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |d| {
        format!("; retry after {:.3}s", d.as_secs_f64())
    })
}

impl Error {
    /// The provider that produced the error, when one did.
    pub fn provider(&self) -> Option<Provider> {
        match self {
            Error::Api { provider, .. }
            | Error::RateLimited { provider, .. }
            | Error::NotFound { provider, .. }
            | Error::Unauthorized { provider, .. }
            | Error::Timeout { provider, .. }
            | Error::Transport { provider, .. }
            | Error::Decode { provider, .. }
            | Error::TaskFailed { provider, .. } => Some(*provider),
            Error::InvalidInput(_) | Error::Io(_) => None,
        }
    }

    /// The provider's own error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. }
            | Error::RateLimited { code, .. }
            | Error::NotFound { code, .. }
            | Error::Unauthorized { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api { http_status, .. }
            | Error::RateLimited { http_status, .. }
            | Error::NotFound { http_status, .. }
            | Error::Unauthorized { http_status, .. }
            | Error::Decode { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// The provider's message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. }
            | Error::RateLimited { message, .. }
            | Error::NotFound { message, .. }
            | Error::Unauthorized { message, .. } => Some(message),
            _ => None,
        }
    }

    /// How long the provider asked us to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when the same call may succeed later without any change:
    /// throttling, 408, 5xx, timeouts and broken connections.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Api { http_status, .. } => *http_status == 408 || *http_status >= 500,
            _ => false,
        }
    }

    /// True for [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// True when the request provably never reached the server, so even a
    /// call that creates something may be sent again.
    pub fn never_reached_server(&self) -> bool {
        match self {
            Error::Transport { connect, .. } => *connect,
            // A throttled request was refused before it was acted on.
            Error::RateLimited { .. } => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_carries_provider_status_code_and_message() {
        let err = Error::Api {
            provider: Provider::TwelveLabs,
            http_status: 400,
            code: Some("parameter_invalid".into()),
            message: "The page_limit parameter is invalid.".into(),
            request_id: Some("req-1".into()),
        };
        assert_eq!(
            err.to_string(),
            "twelvelabs: HTTP 400, code parameter_invalid: The page_limit parameter is invalid. (request id req-1)"
        );
        let err = Error::RateLimited {
            provider: Provider::MemoriesV1,
            http_status: 200,
            code: Some("0429".into()),
            message: "Request has exceeded the limit.".into(),
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            err.to_string(),
            "memories-v1: rate limited, HTTP 200, code 0429: Request has exceeded the limit.; retry after 2.000s"
        );
        assert!(err.is_retryable());
        assert_eq!(err.code(), Some("0429"));
    }

    #[test]
    fn classification() {
        let not_found = Error::NotFound {
            provider: Provider::TwelveLabs,
            http_status: 404,
            code: Some("resource_not_exist".into()),
            message: String::new(),
        };
        assert!(not_found.is_not_found());
        assert!(!not_found.is_retryable());
        assert_eq!(not_found.code(), Some("resource_not_exist"));
        assert!(not_found.to_string().contains("(no message)"));
        let server = Error::Api {
            provider: Provider::NcpMi,
            http_status: 503,
            code: None,
            message: "busy".into(),
            request_id: None,
        };
        assert!(server.is_retryable());
        assert!(!Error::InvalidInput("x".into()).is_retryable());
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert!(std::mem::size_of::<Error>() <= 128);
    }
}
