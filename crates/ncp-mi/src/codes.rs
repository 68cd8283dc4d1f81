//! The error codes Media Intelligence and the NCP API Gateway send, as far as the
//! documentation shows them, and helpers to match a [`crate::Error`] against them.
//!
//! Every failure stays a [`media_core::Error`]: the provider's code is in
//! [`Error::code`](media_core::Error::code) and the HTTP status in
//! [`Error::http_status`](media_core::Error::http_status). [`ErrorCode::of`] reads both into
//! one typed value, so callers can `match` instead of comparing strings:
//!
//! ```
//! # fn handle(err: ncp_mi::Error) {
//! match ncp_mi::ErrorCode::of(&err) {
//!     Some(ncp_mi::ErrorCode::Conflict) => println!("an analysis is already running"),
//!     Some(ncp_mi::ErrorCode::TooManyAssets) => println!("send at most 10 assets"),
//!     _ => println!("{err}"),
//! }
//! # }
//! ```

use media_core::Error;

/// `0`: success.
pub const SUCCESS: &str = "0";
/// `10001` (HTTP 400): a request parameter is invalid.
pub const INVALID_REQUEST: &str = "10001";
/// `10014` (HTTP 400): no asset was selected for analysis.
pub const ASSET_NOT_SELECTED: &str = "10014";
/// `10016` (HTTP 400): a folder key was given where only objects can be registered.
pub const FOLDER_NOT_ALLOWED: &str = "10016";
/// `10023` (HTTP 400): more than 10 assets in one request.
pub const TOO_MANY_ASSETS: &str = "10023";
/// `10027` (HTTP 400): the operation is not allowed on the base (default) project.
pub const BASE_PROJECT_NOT_ALLOWED: &str = "10027";
/// HTTP 409: an analysis (or summary) already runs for the asset, or a cancel was asked
/// for one that is not waiting or running. The service's code for it is not documented.
pub const CONFLICT_STATUS: u16 = 409;

/// API Gateway `200`: authentication failed (bad key, bad signature, clock skew).
pub const GATEWAY_AUTHENTICATION_FAILED: &str = "200";
/// API Gateway `210`: permission denied.
pub const GATEWAY_PERMISSION_DENIED: &str = "210";
/// API Gateway `300`: not found.
pub const GATEWAY_NOT_FOUND: &str = "300";
/// API Gateway `400`: quota exceeded.
pub const GATEWAY_QUOTA_EXCEEDED: &str = "400";
/// API Gateway `410`: throttle limited (decoded as [`Error::RateLimited`]).
pub const GATEWAY_THROTTLE_LIMITED: &str = "410";
/// API Gateway `420`: rate limited (decoded as [`Error::RateLimited`]).
pub const GATEWAY_RATE_LIMITED: &str = "420";
/// API Gateway `430`: request entity too large.
pub const GATEWAY_ENTITY_TOO_LARGE: &str = "430";
/// API Gateway `500`: endpoint error.
pub const GATEWAY_ENDPOINT_ERROR: &str = "500";
/// API Gateway `510`: endpoint timeout.
pub const GATEWAY_ENDPOINT_TIMEOUT: &str = "510";
/// API Gateway `900`: unexpected error.
pub const GATEWAY_UNEXPECTED_ERROR: &str = "900";

/// One row of the documented error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The HTTP status the code comes with.
    pub http_status: u16,
    /// The code as sent (`None` where the docs show only the status).
    pub code: Option<&'static str>,
    /// The message as the service sends it (where known).
    pub message: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Who sends it: `"mi"` (Media Intelligence) or `"gateway"` (NCP API Gateway, inferred).
    pub source: &'static str,
}

/// The full table of codes the documentation shows (ncp-mi.md §1.5). Media Intelligence's own
/// table continues past `10027` in the docs, but no copy shows the rest: unknown codes stay
/// opaque strings ([`ErrorCode::Other`]).
pub const ERROR_CODES: &[CodeInfo] = &[
    CodeInfo {
        http_status: 200,
        code: Some(SUCCESS),
        message: "success",
        meaning: "OK",
        source: "mi",
    },
    CodeInfo {
        http_status: 400,
        code: Some(INVALID_REQUEST),
        message: "Invalid Request.",
        meaning: "bad request parameter",
        source: "mi",
    },
    CodeInfo {
        http_status: 400,
        code: Some(ASSET_NOT_SELECTED),
        message: "Select the asset you want to analyze.",
        meaning: "no media selected for analysis",
        source: "mi",
    },
    CodeInfo {
        http_status: 400,
        code: Some(FOLDER_NOT_ALLOWED),
        message: "Select the bucket to integrate (folder selection not available).",
        meaning: "a folder key was given; only objects can be registered",
        source: "mi",
    },
    CodeInfo {
        http_status: 400,
        code: Some(TOO_MANY_ASSETS),
        message: "You can request up to 10 assets at a time.",
        meaning: "more than 10 media in one request",
        source: "mi",
    },
    CodeInfo {
        http_status: 400,
        code: Some(BASE_PROJECT_NOT_ALLOWED),
        message: "The base project n…",
        meaning: "not allowed on the base (default) project",
        source: "mi",
    },
    CodeInfo {
        http_status: 409,
        code: None,
        message: "",
        meaning: "analysis requested while one runs; cancel requested outside WAIT/ANALYZING",
        source: "mi",
    },
    CodeInfo {
        http_status: 404,
        code: None,
        message: "",
        meaning: "scene-summary result requested but no summary exists",
        source: "mi",
    },
    CodeInfo {
        http_status: 401,
        code: Some(GATEWAY_AUTHENTICATION_FAILED),
        message: "Authentication Failed",
        meaning: "bad access key, bad signature, or a timestamp more than 5 minutes off",
        source: "gateway",
    },
    CodeInfo {
        http_status: 403,
        code: Some(GATEWAY_PERMISSION_DENIED),
        message: "Permission Denied",
        meaning: "the key may not call this API",
        source: "gateway",
    },
    CodeInfo {
        http_status: 404,
        code: Some(GATEWAY_NOT_FOUND),
        message: "Not Found",
        meaning: "no such API route",
        source: "gateway",
    },
    CodeInfo {
        http_status: 429,
        code: Some(GATEWAY_QUOTA_EXCEEDED),
        message: "Quota Exceeded",
        meaning: "the quota is used up",
        source: "gateway",
    },
    CodeInfo {
        http_status: 429,
        code: Some(GATEWAY_THROTTLE_LIMITED),
        message: "Throttle Limited",
        meaning: "too many calls in a short time",
        source: "gateway",
    },
    CodeInfo {
        http_status: 429,
        code: Some(GATEWAY_RATE_LIMITED),
        message: "Rate Limited",
        meaning: "too many calls",
        source: "gateway",
    },
    CodeInfo {
        http_status: 413,
        code: Some(GATEWAY_ENTITY_TOO_LARGE),
        message: "Request Entity Too Large",
        meaning: "the body is too large",
        source: "gateway",
    },
    CodeInfo {
        http_status: 503,
        code: Some(GATEWAY_ENDPOINT_ERROR),
        message: "Endpoint Error",
        meaning: "the service behind the gateway failed",
        source: "gateway",
    },
    CodeInfo {
        http_status: 504,
        code: Some(GATEWAY_ENDPOINT_TIMEOUT),
        message: "Endpoint Timeout",
        meaning: "the service behind the gateway timed out",
        source: "gateway",
    },
    CodeInfo {
        http_status: 500,
        code: Some(GATEWAY_UNEXPECTED_ERROR),
        message: "Unexpected Error",
        meaning: "unexpected gateway error",
        source: "gateway",
    },
];

/// The table row of `code`, when the docs list it.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    ERROR_CODES.iter().find(|info| info.code == Some(code))
}

/// A documented failure, read from a [`media_core::Error`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// `10001`: a request parameter is invalid.
    InvalidRequest,
    /// `10014`: no asset selected for analysis.
    AssetNotSelected,
    /// `10016`: a folder key where an object key is needed.
    FolderNotAllowed,
    /// `10023`: more than 10 assets in one request.
    TooManyAssets,
    /// `10027`: not allowed on the base project.
    BaseProjectNotAllowed,
    /// HTTP 409: an analysis or summary is already running, or the job is not cancellable.
    Conflict,
    /// Gateway `200` (HTTP 401): authentication failed; see [`is_clock_skew`].
    AuthenticationFailed,
    /// Gateway `210`: permission denied.
    PermissionDenied,
    /// Gateway `400`: quota exceeded.
    QuotaExceeded,
    /// Gateway `410`/`420`: throttled.
    Throttled,
    /// Any other code, as sent.
    Other(String),
}

impl ErrorCode {
    /// The documented failure `err` carries, or `None` for errors that never reached the
    /// service (invalid input, transport, decode) or carry no code.
    pub fn of(err: &Error) -> Option<ErrorCode> {
        if err.http_status() == Some(CONFLICT_STATUS) {
            return Some(ErrorCode::Conflict);
        }
        let code = err.code()?;
        let gateway = matches!(err, Error::Unauthorized { .. } | Error::RateLimited { .. })
            || matches!(err.http_status(), Some(403));
        Some(match code {
            INVALID_REQUEST => ErrorCode::InvalidRequest,
            ASSET_NOT_SELECTED => ErrorCode::AssetNotSelected,
            FOLDER_NOT_ALLOWED => ErrorCode::FolderNotAllowed,
            TOO_MANY_ASSETS => ErrorCode::TooManyAssets,
            BASE_PROJECT_NOT_ALLOWED => ErrorCode::BaseProjectNotAllowed,
            GATEWAY_AUTHENTICATION_FAILED if gateway => ErrorCode::AuthenticationFailed,
            GATEWAY_PERMISSION_DENIED if gateway => ErrorCode::PermissionDenied,
            GATEWAY_QUOTA_EXCEEDED if gateway => ErrorCode::QuotaExceeded,
            GATEWAY_THROTTLE_LIMITED | GATEWAY_RATE_LIMITED if gateway => ErrorCode::Throttled,
            other => ErrorCode::Other(other.to_owned()),
        })
    }
}

/// True when `err` is the HTTP 409 conflict: a second analysis (or summary) requested while
/// one runs, or a cancel of a job that is not waiting or running.
pub fn is_conflict(err: &Error) -> bool {
    ErrorCode::of(err) == Some(ErrorCode::Conflict)
}

/// True when `err` is a signature failure the gateway blamed on the request timestamp
/// (more than 5 minutes away from its clock): fix the local clock, not the keys.
pub fn is_clock_skew(err: &Error) -> bool {
    // The gateway's details name the timestamp; the hint the crate adds to a bare
    // "Authentication Failed" does not, since the cause is then unknown.
    matches!(err, Error::Unauthorized { message, .. } if message.to_ascii_lowercase().contains("timestamp"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::Provider;

    fn api(status: u16, code: Option<&str>) -> Error {
        Error::Api {
            provider: Provider::NcpMi,
            http_status: status,
            code: code.map(str::to_owned),
            message: "m".into(),
            request_id: None,
        }
    }

    #[test]
    fn reads_documented_codes() {
        assert_eq!(
            ErrorCode::of(&api(400, Some("10001"))),
            Some(ErrorCode::InvalidRequest)
        );
        assert_eq!(
            ErrorCode::of(&api(400, Some("10014"))),
            Some(ErrorCode::AssetNotSelected)
        );
        assert_eq!(
            ErrorCode::of(&api(400, Some("10016"))),
            Some(ErrorCode::FolderNotAllowed)
        );
        assert_eq!(
            ErrorCode::of(&api(400, Some("10023"))),
            Some(ErrorCode::TooManyAssets)
        );
        assert_eq!(
            ErrorCode::of(&api(400, Some("10027"))),
            Some(ErrorCode::BaseProjectNotAllowed)
        );
        assert_eq!(
            ErrorCode::of(&api(400, Some("19999"))),
            Some(ErrorCode::Other("19999".into()))
        );
        assert_eq!(
            ErrorCode::of(&api(403, Some("210"))),
            Some(ErrorCode::PermissionDenied)
        );
        assert!(is_conflict(&api(409, None)));
        assert!(is_conflict(&api(409, Some("10409"))));
        assert!(!is_conflict(&api(400, Some("10001"))));
        assert_eq!(ErrorCode::of(&Error::InvalidInput("x".into())), None);
        assert_eq!(lookup("10023").map(|i| i.http_status), Some(400));
        assert!(ERROR_CODES.iter().any(|i| i.http_status == 409));
    }

    #[test]
    fn clock_skew_is_recognised() {
        let skew = Error::Unauthorized {
            provider: Provider::NcpMi,
            http_status: 401,
            code: Some("200".into()),
            message: "Authentication Failed: timestamp is 360 seconds away from server time".into(),
        };
        assert!(is_clock_skew(&skew));
        assert_eq!(ErrorCode::of(&skew), Some(ErrorCode::AuthenticationFailed));
        let bad_key = Error::Unauthorized {
            provider: Provider::NcpMi,
            http_status: 401,
            code: Some("200".into()),
            message: "Authentication Failed: signature mismatch".into(),
        };
        assert!(!is_clock_skew(&bad_key));
    }
}
