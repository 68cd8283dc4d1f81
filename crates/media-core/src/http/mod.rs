//! The one HTTP engine every provider crate sends its requests through.
//!
//! A provider crate builds an [`Engine`] from [`HttpSettings`] and an
//! [`Auth`], describes each call as an [`ApiRequest`], and hands the engine a
//! decoder that turns a [`RawResponse`] into its typed result or typed error.
//! The engine owns everything else: URL building, user agent, timeouts,
//! credentials, retries with back-off, the redirect policy, the response size
//! limit and a tracing span per request.

mod auth;
mod body;
mod limiter;
mod request;
mod response;
mod retry;
mod stream;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};
use tracing::Instrument;
use url::{Host, Url};

pub use auth::{Auth, HeaderKey, NoAuth};
pub use body::{FilePart, Multipart};
pub use request::{ApiRequest, RequestBody};
pub use response::RawResponse;
pub use retry::RetryPolicy;
pub use stream::{SaveOptions, SseEvent, StreamingBody};

use crate::{Error, Provider, Result};

/// Default connect deadline.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default deadline for a whole request, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default ceiling on a buffered response body (64 MiB), so a hostile or
/// broken server cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Transport settings shared by every provider's `Config`.
#[derive(Clone)]
pub struct HttpSettings {
    /// The API root including its version prefix; endpoint paths are appended to it.
    pub base_url: String,
    /// Deadline for a whole request, body included.
    pub timeout: Duration,
    /// Deadline for establishing a connection.
    pub connect_timeout: Duration,
    /// When to retry.
    pub retry: RetryPolicy,
    /// The `User-Agent` to send; provider crates set `<crate>/<version>`.
    pub user_agent: String,
    /// A caller-supplied client (proxies, custom TLS roots). The engine's own
    /// redirect policy cannot be applied to it: configure redirects on it
    /// yourself (`reqwest::redirect::Policy::none()` is the safe choice).
    pub http_client: Option<reqwest::Client>,
    /// The largest response body the engine buffers.
    pub max_response_bytes: usize,
    /// Opt-in client-side rate limit: the least time between two attempts
    /// (retries included) of one client and its clones. `None` by default.
    pub min_interval: Option<Duration>,
}

impl HttpSettings {
    /// Defaults: 10 s connect, 60 s request, [`RetryPolicy::default`], 64 MiB bodies.
    pub fn new(base_url: impl Into<String>, user_agent: impl Into<String>) -> HttpSettings {
        HttpSettings {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: user_agent.into(),
            http_client: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            min_interval: None,
        }
    }

    /// Takes the base URL from the first of `names` set in the environment,
    /// keeping the current one when none is; every provider's `from_env` uses it.
    pub fn base_url_from_env(&mut self, names: &[&str]) {
        if let Some(base_url) = crate::env::first_var(names) {
            self.base_url = base_url;
        }
    }
}

impl fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSettings")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http_client.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .field("min_interval", &self.min_interval)
            .finish()
    }
}

/// Generates the transport setters of a provider `Config` whose
/// [`HttpSettings`] live in a field named `http`, so the four provider
/// crates offer the same builder with the same documentation.
#[macro_export]
macro_rules! http_settings_setters {
    () => {
        /// Overrides the API root (including its version prefix), e.g. a proxy
        /// or a `media-mock` server. Must be `https://` unless the host is loopback.
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.http.base_url = base_url.into();
            self
        }

        /// Deadline for a whole request, body included (default 60 s).
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.http.timeout = timeout;
            self
        }

        /// Deadline for establishing a connection (default 10 s).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.http.connect_timeout = timeout;
            self
        }

        /// When to retry failed calls (default: 2 retries with jittered back-off).
        pub fn retry(mut self, retry: $crate::http::RetryPolicy) -> Self {
            self.http.retry = retry;
            self
        }

        /// Sends requests through a caller-supplied `reqwest::Client`
        /// (proxies, custom roots). Configure its redirect policy yourself.
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.http.http_client = Some(client);
            self
        }

        /// The largest response body buffered in memory (default 64 MiB).
        pub fn max_response_bytes(mut self, max: usize) -> Self {
            self.http.max_response_bytes = max;
            self
        }

        /// Opt-in client-side rate limiter: spaces every attempt of this client
        /// and its clones (retries included) at least `1 / qps` seconds apart,
        /// for providers that document a per-account rate. A non-positive or
        /// non-finite `qps` turns it off (the default).
        pub fn rate_limit(mut self, qps: f64) -> Self {
            self.http.min_interval = (qps.is_finite() && qps > 0.0)
                .then(|| std::time::Duration::from_secs_f64(1.0 / qps));
            self
        }

        /// The transport settings as configured.
        pub fn http_settings(&self) -> &$crate::http::HttpSettings {
            &self.http
        }
    };
}

/// Checks that `base_url` is an absolute `https://` URL, or `http://` on a
/// loopback host (`localhost`, `127.0.0.0/8`, `::1`), with no credentials,
/// query or fragment. Returns it without a trailing slash.
pub fn validate_base_url(base_url: &str) -> Result<Url> {
    let url = Url::parse(base_url.trim())
        .map_err(|err| Error::InvalidInput(format!("base URL {base_url:?} is not a URL: {err}")))?;
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => {
            return Err(Error::InvalidInput(format!(
                "base URL {base_url:?} has no host"
            )));
        }
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        scheme => {
            return Err(Error::InvalidInput(format!(
                "base URL {base_url:?} must use https:// ({scheme}:// is only accepted for loopback hosts)"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidInput(
            "base URL must not carry credentials".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::InvalidInput(format!(
            "base URL {base_url:?} must not have a query or fragment"
        )));
    }
    let mut url = url;
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// Follows redirects only within the same scheme, host and port, so headers
/// carrying keys (`x-api-key`, NCP's signature) never reach another host. A
/// cross-origin redirect is returned to the engine, which reports it.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 10 {
            return attempt.error("too many redirects");
        }
        let same = attempt.previous().first().is_some_and(|first| {
            first.scheme() == attempt.url().scheme()
                && first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if same {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The shared transport of one provider client: cheap to clone, one
/// connection pool for all clones.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

struct EngineInner {
    provider: Provider,
    client: reqwest::Client,
    base_url: Url,
    auth: Arc<dyn Auth>,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: HeaderValue,
    max_response_bytes: usize,
    limiter: Option<limiter::Limiter>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("provider", &self.inner.provider)
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Builds the engine; fails on an unusable base URL or user agent.
    pub fn new(provider: Provider, settings: &HttpSettings, auth: Arc<dyn Auth>) -> Result<Engine> {
        let base_url = validate_base_url(&settings.base_url)?;
        let user_agent = HeaderValue::from_str(&settings.user_agent).map_err(|_| {
            Error::InvalidInput(format!(
                "user agent {:?} is not a header value",
                settings.user_agent
            ))
        })?;
        let client = match &settings.http_client {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(settings.connect_timeout)
                .redirect(same_origin_redirects())
                .use_rustls_tls()
                .build()
                .map_err(|err| Error::Transport {
                    provider,
                    message: format!("cannot build the HTTP client: {err}"),
                    connect: true,
                    source: Some(Box::new(err)),
                })?,
        };
        Ok(Engine {
            inner: Arc::new(EngineInner {
                provider,
                client,
                base_url,
                auth,
                retry: settings.retry.clone(),
                timeout: settings.timeout,
                user_agent,
                max_response_bytes: settings.max_response_bytes,
                limiter: settings.min_interval.map(limiter::Limiter::new),
            }),
        })
    }

    /// The largest response body (or, for a WebSocket built beside the
    /// engine, the largest message) this engine accepts.
    pub fn max_response_bytes(&self) -> usize {
        self.inner.max_response_bytes
    }

    /// The provider this engine talks to.
    pub fn provider(&self) -> Provider {
        self.inner.provider
    }

    /// The validated base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The full URL `request` is sent to.
    pub fn url_for(&self, request: &ApiRequest) -> Result<Url> {
        if let Some(reason) = &request.invalid {
            return Err(Error::InvalidInput(reason.clone()));
        }
        if let Some(absolute) = &request.absolute_url {
            return validate_absolute_url(absolute);
        }
        if request.path.contains('{') {
            return Err(Error::InvalidInput(format!(
                "the endpoint {} is missing a path parameter",
                request.template
            )));
        }
        let mut url = self.inner.base_url.clone();
        let path = format!("{}{}", url.path(), request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(url)
    }

    /// Sends `request` (retrying per the policy) and decodes the answer with
    /// `decode`, which sees every response, successful or not, and returns
    /// the typed value or the provider's typed error. A retryable error from
    /// `decode` (a throttling code under HTTP 200, say) is retried like a
    /// transport failure.
    pub async fn execute<T, D>(&self, request: &ApiRequest, decode: D) -> Result<T>
    where
        D: Fn(RawResponse) -> Result<T> + Send + Sync,
        T: Send,
    {
        let provider = self.inner.provider;
        self.run(request, false, |opened| match opened {
            Opened::Buffered(raw) => decode(raw),
            Opened::Streaming(_) => Err(Error::Decode {
                provider,
                http_status: 0,
                message: "unexpected streamed answer".into(),
                body_snippet: String::new(),
            }),
        })
        .await
    }

    /// The retry loop shared by [`Engine::execute`] and [`Engine::stream`].
    async fn run<T, D>(&self, request: &ApiRequest, streaming: bool, decode: D) -> Result<T>
    where
        D: Fn(Opened) -> Result<T> + Send + Sync,
        T: Send,
    {
        let url = self.url_for(request)?;
        let started = Instant::now();
        let mut retry = 0;
        loop {
            let span = tracing::info_span!(
                "media.request",
                provider = %self.inner.provider,
                method = %request.method,
                path = request.template,
                attempt = retry + 1,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire().await;
            }
            let attempt_started = Instant::now();
            let opened = self
                .attempt(request, &url, streaming)
                .instrument(span.clone())
                .await;
            span.record(
                "elapsed_ms",
                u64::try_from(attempt_started.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            // Matched in place so the decoded value (which can be large)
            // never occupies a slot in this future across the retry sleep.
            let error = match opened.and_then(|opened| {
                span.record("status", opened.status().as_u16());
                decode(opened)
            }) {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let Some(delay) = self.inner.retry.delay_before_retry(
                &error,
                retry,
                request.idempotent,
                started.elapsed(),
            ) else {
                span.in_scope(|| tracing::debug!(error = %error, "request failed"));
                return Err(error);
            };
            span.in_scope(|| {
                tracing::debug!(error = %error, delay_ms = delay.as_millis(), "retrying");
            });
            tokio::time::sleep(delay).await;
            retry += 1;
        }
    }

    /// Sends `request` and returns the raw answer, whatever its status, with
    /// the same retry policy applied to transport failures and to 408/429/5xx.
    pub async fn send(&self, request: &ApiRequest) -> Result<RawResponse> {
        self.execute(request, |raw| {
            let status = raw.status.as_u16();
            if status == 408 || status == 429 || status >= 500 {
                Err(raw.error_without_envelope())
            } else {
                Ok(raw)
            }
        })
        .await
    }

    /// Sends `request` and returns its answer with the body still unread:
    /// 2xx answers as a [`StreamingBody`] (SSE, NDJSON, downloads), anything
    /// else read whole and handed to `decode`, which must turn it into the
    /// provider's typed error. Retries follow the policy, like
    /// [`Engine::execute`]; once the stream is returned nothing is retried.
    ///
    /// The request deadline applies to the wait for the headers and then to
    /// every read (a read-idle deadline), never to the whole stream.
    pub async fn stream<T, D>(&self, request: &ApiRequest, decode: D) -> Result<StreamingBody>
    where
        D: Fn(RawResponse) -> Result<T> + Send + Sync,
        T: Send,
    {
        let provider = self.inner.provider;
        let idle = request.timeout.unwrap_or(self.inner.timeout);
        let max_bytes = self.inner.max_response_bytes;
        let mut response = self
            .run(request, true, |opened| match opened {
                Opened::Streaming(response) => Ok(response),
                Opened::Buffered(raw) => {
                    let status = raw.status.as_u16();
                    match decode(raw) {
                        Err(error) => Err(error),
                        Ok(_) => Err(Error::Decode {
                            provider,
                            http_status: status,
                            message: "expected a streamed body, got a decodable answer".into(),
                            body_snippet: String::new(),
                        }),
                    }
                }
            })
            .await?;
        let headers = std::mem::take(response.headers_mut());
        Ok(StreamingBody {
            provider,
            status: response.status(),
            headers,
            response,
            idle,
            max_bytes,
        })
    }

    /// One attempt under its deadline. A buffered call gets one whole-request
    /// deadline, kept here rather than by reqwest: reqwest's per-request
    /// timeout allocates an extension map and a boxed timer on every call. A
    /// stream or an upload gets idle deadlines instead (inside [`Self::open`]),
    /// since a whole-request one would cut it.
    async fn attempt(&self, request: &ApiRequest, url: &Url, streaming: bool) -> Result<Opened> {
        if streaming || request.is_streamed_upload() {
            return self.open(request, url, streaming).await;
        }
        let deadline = request.timeout.unwrap_or(self.inner.timeout);
        match tokio::time::timeout(deadline, self.open(request, url, false)).await {
            Ok(opened) => opened,
            Err(_) => Err(timeout_error(
                self.inner.provider,
                "no complete answer within",
                deadline,
            )),
        }
    }

    /// One attempt: builds, signs and sends the request; reads the body
    /// unless `streaming` and the status is 2xx.
    async fn open(&self, request: &ApiRequest, url: &Url, streaming: bool) -> Result<Opened> {
        let provider = self.inner.provider;
        let deadline = request.timeout.unwrap_or(self.inner.timeout);
        let mut response = if request.is_streamed_upload() {
            // An upload's future is large (file reads, the multipart form,
            // the stall watchdog); boxing it keeps every other call's future
            // small, and a future is copied at each layer it passes through.
            Box::pin(self.send_upload(request, url, deadline)).await?
        } else if streaming {
            let sending = self.send_plain(request, url)?;
            match tokio::time::timeout(deadline, sending).await {
                Ok(result) => result.map_err(|err| transport_error(provider, err))?,
                Err(_) => {
                    return Err(timeout_error(
                        provider,
                        "no response headers within",
                        deadline,
                    ));
                }
            }
        } else {
            self.send_plain(request, url)?
                .await
                .map_err(|err| transport_error(provider, err))?
        };
        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(provider, &response));
        }
        if streaming && status.is_success() {
            return Ok(Opened::Streaming(response));
        }
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_bytes;
        let body = if streaming {
            Box::pin(read_error_body(provider, &mut response, limit, deadline)).await?
        } else {
            read_limited(provider, &mut response, limit).await?
        };
        Ok(Opened::Buffered(RawResponse {
            provider,
            status,
            headers,
            body,
        }))
    }

    /// Sends a request without an upload body. Synchronous up to the
    /// send, so the request itself never sits in the caller's future.
    fn send_plain(
        &self,
        request: &ApiRequest,
        url: &Url,
    ) -> Result<impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + use<>> {
        let mut http = reqwest::Request::new(request.method.clone(), url.clone());
        self.finish(&mut http, request)?;
        Ok(self.inner.client.execute(http))
    }

    /// Sends a multipart or file upload under the stall watchdog.
    async fn send_upload(
        &self,
        request: &ApiRequest,
        url: &Url,
        idle: Duration,
    ) -> Result<reqwest::Response> {
        let provider = self.inner.provider;
        let progress = request.progress.clone();
        let (mut http, counter) = match &request.body {
            RequestBody::Multipart(form) => {
                let counter = body::SentCounter::new(form.file_bytes().await?, progress);
                let form = form.build(Some(&counter)).await?;
                let http = self
                    .inner
                    .client
                    .request(request.method.clone(), url.clone())
                    .multipart(form)
                    .build()
                    .map_err(|err| transport_error(provider, err))?;
                (http, counter)
            }
            RequestBody::File(file) => {
                let counter = body::SentCounter::new(file.len().await?, progress);
                let content_type = file.resolved_content_type();
                let (length, chunks) = file.open(Some(counter.clone())).await?;
                let mut http = reqwest::Request::new(request.method.clone(), url.clone());
                let headers = http.headers_mut();
                headers.insert(CONTENT_TYPE, header_value(&content_type)?);
                headers.insert(reqwest::header::CONTENT_LENGTH, HeaderValue::from(length));
                *http.body_mut() = Some(reqwest::Body::wrap_stream(chunks));
                (http, counter)
            }
            _ => {
                return Err(Error::InvalidInput(
                    "an upload needs a multipart or file body".into(),
                ));
            }
        };
        // An upload's own `timeout`, when set, bounds it whole; without one
        // only the stall watchdog below applies.
        if request.timeout.is_some() {
            *http.timeout_mut() = request.timeout;
        }
        self.finish(&mut http, request)?;
        let sending = self.inner.client.execute(http);
        counter.touch();
        stall_watchdog(provider, sending, &counter, idle).await
    }

    /// Adds the user agent, the body and its content type (for bodies held
    /// in memory), the request's own headers and the signature.
    fn finish(&self, http: &mut reqwest::Request, request: &ApiRequest) -> Result<()> {
        let headers = http.headers_mut();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        let body = match &request.body {
            RequestBody::Empty | RequestBody::Multipart(_) | RequestBody::File(_) => None,
            RequestBody::Json(bytes) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Some(bytes.clone().into())
            }
            RequestBody::Form(text) => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                Some(text.clone().into())
            }
            RequestBody::Bytes {
                content_type,
                bytes,
            } => {
                headers.insert(CONTENT_TYPE, header_value(content_type)?);
                Some(bytes.clone().into())
            }
        };
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        if body.is_some() {
            *http.body_mut() = body;
        }
        if request.absolute_url.is_none() {
            self.inner.auth.sign(http)?;
        }
        Ok(())
    }
}

/// The error for a redirect, which is never followed.
fn redirect_error(provider: Provider, response: &reqwest::Response) -> Error {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("(no location)");
    Error::Api {
        provider,
        http_status: response.status().as_u16(),
        code: None,
        message: format!(
            "redirect to {location} not followed: it leaves the configured host, and the credentials stay with that host"
        ),
        request_id: None,
    }
}

/// Reads the error answer of a stream request whole, within `deadline`
/// (a stream has no whole-request deadline of its own).
async fn read_error_body(
    provider: Provider,
    response: &mut reqwest::Response,
    limit: usize,
    deadline: Duration,
) -> Result<Bytes> {
    match tokio::time::timeout(deadline, read_limited(provider, response, limit)).await {
        Ok(body) => body,
        Err(_) => Err(timeout_error(
            provider,
            "the error body did not arrive within",
            deadline,
        )),
    }
}

/// One attempt's answer: buffered, or (for streams) a 2xx left unread.
enum Opened {
    Buffered(RawResponse),
    Streaming(reqwest::Response),
}

impl Opened {
    fn status(&self) -> reqwest::StatusCode {
        match self {
            Opened::Buffered(raw) => raw.status,
            Opened::Streaming(response) => response.status(),
        }
    }
}

fn header_value(content_type: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(content_type)
        .map_err(|_| Error::InvalidInput(format!("content type {content_type:?} is not valid")))
}

/// Fails the upload when no byte has left for `idle` (a peer that stopped
/// reading) while letting a slow but moving upload run as long as it needs.
async fn stall_watchdog(
    provider: Provider,
    sending: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    counter: &body::SentCounter,
    idle: Duration,
) -> Result<reqwest::Response> {
    let check_every = (idle / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    tokio::pin!(sending);
    loop {
        tokio::select! {
            result = &mut sending => return result.map_err(|err| transport_error(provider, err)),
            () = tokio::time::sleep(check_every) => {
                if counter.idle() > idle {
                    return Err(timeout_error(provider, "the upload made no progress for", idle));
                }
            }
        }
    }
}

/// Validates a full URL given to [`ApiRequest::absolute`].
fn validate_absolute_url(url: &str) -> Result<Url> {
    let parsed = Url::parse(url)
        .map_err(|err| Error::InvalidInput(format!("{url:?} is not a URL: {err}")))?;
    let loopback = match parsed.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(Error::InvalidInput(
            "presigned URLs must be https:// (http:// only on loopback)".into(),
        )),
    }
}

async fn read_limited(
    provider: Provider,
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes> {
    let too_large = |status: u16| Error::Decode {
        provider,
        http_status: status,
        message: format!("the response body exceeds the limit of {limit} bytes"),
        body_snippet: String::new(),
    };
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(too_large(status));
    }
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| transport_error(provider, err))?
    {
        let so_far = first.as_ref().map_or(0, Bytes::len) + rest.len();
        if so_far + chunk.len() > limit {
            return Err(too_large(status));
        }
        match &first {
            None => first = Some(chunk),
            Some(head) => {
                if rest.is_empty() {
                    rest.extend_from_slice(head);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    Ok(if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        rest.freeze()
    })
}

/// A deadline's [`Error::Timeout`]: `what` followed by the deadline, as
/// `60 s`, or `1500 ms` for a deadline that is not whole seconds.
pub(crate) fn timeout_error(provider: Provider, what: &str, deadline: Duration) -> Error {
    let message = if deadline.subsec_nanos() == 0 {
        format!("{what} {} s", deadline.as_secs())
    } else {
        format!("{what} {} ms", deadline.as_millis())
    };
    Error::Timeout { provider, message }
}

pub(crate) fn transport_error(provider: Provider, err: reqwest::Error) -> Error {
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if err.is_timeout() && !err.is_connect() {
        return Error::Timeout { provider, message };
    }
    Error::Transport {
        provider,
        message,
        connect: err.is_connect(),
        source: Some(Box::new(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_must_be_https_unless_loopback() {
        assert!(validate_base_url("https://api.twelvelabs.io/v1.3").is_ok());
        assert!(validate_base_url("http://127.0.0.1:8080/twelvelabs/v1.3").is_ok());
        assert!(validate_base_url("http://127.9.9.9/x").is_ok());
        assert!(validate_base_url("http://localhost:1/x").is_ok());
        assert!(validate_base_url("http://[::1]:1/x").is_ok());
        assert!(validate_base_url("http://api.twelvelabs.io/v1.3").is_err());
        assert!(validate_base_url("http://10.0.0.1/v1.3").is_err());
        assert!(validate_base_url("ftp://127.0.0.1/").is_err());
        assert!(validate_base_url("https://user:pw@api.example.com/").is_err());
        assert!(validate_base_url("https://api.example.com/?x=1").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert_eq!(
            validate_base_url("https://api.example.com/v1/")
                .unwrap()
                .as_str(),
            "https://api.example.com/v1"
        );
    }

    fn engine(base: &str) -> Engine {
        Engine::new(
            Provider::TwelveLabs,
            &HttpSettings::new(base, "test/0"),
            Arc::new(NoAuth),
        )
        .unwrap()
    }

    #[test]
    fn urls_append_the_encoded_path_to_the_base_prefix() {
        let engine = engine("http://127.0.0.1:9/twelvelabs/v1.3/");
        let request = ApiRequest::get("/assets/{asset_id}")
            .path_param("asset_id", "../indexes")
            .query("page", 1)
            .query("filename", "a b&c");
        assert_eq!(
            engine.url_for(&request).unwrap().as_str(),
            "http://127.0.0.1:9/twelvelabs/v1.3/assets/..%2Findexes?page=1&filename=a+b%26c"
        );
        let root = engine_root();
        assert_eq!(
            root.url_for(&ApiRequest::get("/workspaces"))
                .unwrap()
                .as_str(),
            "https://mi.apigw.ntruss.com/api/v1/workspaces"
        );
    }

    fn engine_root() -> Engine {
        engine("https://mi.apigw.ntruss.com/api/v1")
    }

    #[test]
    fn invalid_requests_fail_before_sending() {
        let engine = engine_root();
        let missing = ApiRequest::get("/assets/{asset_id}");
        assert!(matches!(
            engine.url_for(&missing),
            Err(Error::InvalidInput(_))
        ));
        let dotdot = ApiRequest::get("/assets/{asset_id}").path_param("asset_id", "..");
        assert!(matches!(
            engine.url_for(&dotdot),
            Err(Error::InvalidInput(_))
        ));
    }

    /// A future is copied at every layer of a call (the provider's method,
    /// its client, `execute`, the retry loop, the deadline); at 1.5–2.3 KiB
    /// those copies cost a measurable share of a loopback call, so the
    /// buffered path keeps uploads and stream-only branches out of line.
    #[test]
    fn a_buffered_call_future_stays_small() {
        let engine = engine_root();
        let request = ApiRequest::get("/workspaces");
        let call = engine.execute(&request, Ok);
        let size = std::mem::size_of_val(&call);
        drop(call);
        assert!(size <= 1024, "Engine::execute's future is {size} bytes");
    }
}
