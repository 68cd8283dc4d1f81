//! The accept loop: one hyper HTTP/1 connection per socket, each request recorded, then faulted
//! or routed.
//!
//! A hand-written loop instead of `axum::serve` because two faults must end the TCP connection
//! in the middle of an exchange, which only the task that owns the connection can do.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderValue, StatusCode, Uri, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

use crate::fault::{self, Fault, FaultRule};
use crate::record::RecordedRequest;

/// How long a truncated body stays open after its first half, so that half reaches the socket
/// before the connection is torn down.
const TRUNCATION_GRACE: Duration = Duration::from_millis(20);

/// Request bodies up to this size are recorded whole; larger ones only by
/// their first bytes.
pub const RECORDED_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// State shared by routes of one provider.
pub(crate) type Shared<T> = Arc<Mutex<T>>;

/// Locks `mutex`, ignoring poisoning: a panicking test must not wedge the mock for the next one.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The request target exactly as on the request line, put into every request's extensions
/// (routes under a prefix only see the path below it).
#[derive(Debug, Clone)]
pub(crate) struct RawTarget {
    /// Path, percent-encoding preserved, without the query.
    pub(crate) path: String,
    /// Path and query, as signed by NCP clients.
    pub(crate) path_and_query: String,
}

impl RawTarget {
    fn of(uri: &Uri) -> Self {
        Self {
            path: uri.path().to_owned(),
            path_and_query: uri
                .path_and_query()
                .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        }
    }

    /// The raw target of `request`, falling back to its (possibly prefix-stripped) URI.
    pub(crate) fn from_request(request: &Request) -> Self {
        request
            .extensions()
            .get::<Self>()
            .cloned()
            .unwrap_or_else(|| Self::of(request.uri()))
    }
}

/// How many requests the journal keeps: the most recent ones. A server
/// that runs for hours (`media mock serve`, a benchmark) would otherwise
/// grow by every request it ever answered.
pub const JOURNAL_LIMIT: usize = 10_000;

/// How many recorded body bytes the journal keeps, across its requests; the
/// oldest requests go first once they add up to more.
pub const JOURNAL_BODY_BYTES: usize = 64 << 20;

/// What every connection of one server shares: the request log and the fault rules.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    pub(crate) requests: Mutex<RequestLog>,
    pub(crate) faults: Mutex<Vec<FaultRule>>,
}

/// The most recent requests, within [`JOURNAL_LIMIT`] and [`JOURNAL_BODY_BYTES`].
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    requests: VecDeque<RecordedRequest>,
    body_bytes: usize,
}

impl RequestLog {
    /// Logs `request`, forgetting the oldest ones beyond the limits (never
    /// the newest, however large its body).
    pub(crate) fn push(&mut self, request: RecordedRequest) {
        self.body_bytes += request.body.len();
        self.requests.push_back(request);
        while self.requests.len() > JOURNAL_LIMIT
            || (self.body_bytes > JOURNAL_BODY_BYTES && self.requests.len() > 1)
        {
            if let Some(oldest) = self.requests.pop_front() {
                self.body_bytes -= oldest.body.len();
            }
        }
    }

    /// The kept requests, oldest first.
    pub(crate) fn to_vec(&self) -> Vec<RecordedRequest> {
        self.requests.iter().cloned().collect()
    }

    /// Forgets every request.
    pub(crate) fn clear(&mut self) {
        self.requests.clear();
        self.body_bytes = 0;
    }
}

/// Accepts connections until `shutdown`'s sender is dropped.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    journal: Arc<Journal>,
    mut shutdown: watch::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(serve_connection(
                        stream,
                        router.clone(),
                        Arc::clone(&journal),
                        shutdown.clone(),
                    ));
                }
                Err(error) => {
                    // Typically EMFILE; back off instead of spinning.
                    tracing::warn!(%error, "media-mock: accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    router: Router,
    journal: Arc<Journal>,
    mut shutdown: watch::Receiver<()>,
) {
    let kill = Arc::new(Notify::new());
    let service = {
        let kill = Arc::clone(&kill);
        service_fn(move |request| {
            handle(
                request,
                router.clone(),
                Arc::clone(&journal),
                Arc::clone(&kill),
            )
        })
    };
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                tracing::debug!(%error, "media-mock: connection ended with an error");
            }
        }
        () = kill.notified() => tracing::debug!("media-mock: dropping connection (fault)"),
        _ = shutdown.changed() => {}
    }
}

async fn handle(
    request: hyper::Request<Incoming>,
    router: Router,
    journal: Arc<Journal>,
    kill: Arc<Notify>,
) -> Result<Response, Infallible> {
    let (mut parts, incoming) = request.into_parts();
    let (recorded_body, body_truncated, body) = buffer_head(Body::new(incoming)).await;
    let target = RawTarget::of(&parts.uri);
    lock(&journal.requests).push(RecordedRequest {
        method: parts.method.to_string(),
        path: target.path.clone(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: recorded_body,
        body_truncated,
    });
    let fault = fault::fire(
        &mut lock(&journal.faults),
        parts.method.as_str(),
        &target.path,
    );
    tracing::debug!(method = %parts.method, path = %target.path, ?fault, "media-mock: request");
    parts.extensions.insert(target);
    let request = Request::from_parts(parts, body);

    let response = match fault {
        None => route(router, request).await,
        Some(Fault::Status {
            status,
            headers,
            body,
        }) => fault::status_response(status, &headers, &body),
        Some(Fault::Raw {
            status,
            content_type,
            body,
        }) => fault::raw_response(status, content_type.as_deref(), &body),
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            route(router, request).await
        }
        Some(Fault::DropConnection) => {
            kill.notify_one();
            return std::future::pending().await;
        }
        Some(Fault::TruncatedBody) => truncate(route(router, request).await).await,
        Some(Fault::StallBody) => stall(route(router, request).await).await,
        Some(Fault::Rewrite { body, content_type }) => {
            rewrite(route(router, request).await, body, content_type).await
        }
        Some(Fault::DropAfterProcessing) => {
            let _processed = route(router, request).await;
            kill.notify_one();
            return std::future::pending().await;
        }
    };
    Ok(response)
}

/// Reads the request body up to [`RECORDED_BODY_LIMIT`]: a body that fits is
/// recorded whole; a larger one (an upload) is recorded by its first bytes
/// and streamed on to the route, so the mock never holds an upload in memory.
async fn buffer_head(body: Body) -> (Bytes, bool, Body) {
    let mut chunks = body.into_data_stream();
    let mut head = bytes::BytesMut::new();
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(chunk) => {
                head.extend_from_slice(&chunk);
                if head.len() > RECORDED_BODY_LIMIT {
                    let head = head.freeze();
                    let recorded = head.slice(..RECORDED_BODY_LIMIT);
                    let rest = futures::stream::once(async move { Ok::<_, axum::Error>(head) })
                        .chain(chunks);
                    return (recorded, true, Body::from_stream(rest));
                }
            }
            Err(error) => {
                tracing::debug!(%error, "media-mock: request body unreadable");
                break;
            }
        }
    }
    let head = head.freeze();
    (head.clone(), false, Body::from(head))
}

async fn route(router: Router, request: Request) -> Response {
    match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Keeps the status and headers, announces the full length, sends half the body, then fails the
/// body so hyper closes the connection.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let half = full.slice(..full.len() / 2);
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    let first_half = futures::stream::once(async move { Ok::<_, io::Error>(half) });
    let cut = futures::stream::once(async {
        tokio::time::sleep(TRUNCATION_GRACE).await;
        Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "media-mock: truncated body",
        ))
    });
    Response::from_parts(parts, Body::from_stream(first_half.chain(cut)))
}

/// The route's answer with its body rewritten and its content type replaced or removed.
async fn rewrite(
    response: Response,
    how: fault::BodyRewrite,
    content_type: fault::HeaderRewrite,
) -> Response {
    let (mut parts, body) = response.into_parts();
    let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let rewritten = how.apply(&full);
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(rewritten.len()));
    match content_type {
        fault::HeaderRewrite::Keep => {}
        fault::HeaderRewrite::Remove => {
            parts.headers.remove(header::CONTENT_TYPE);
        }
        fault::HeaderRewrite::Set(value) => {
            if let Ok(value) = HeaderValue::from_str(&value) {
                parts.headers.insert(header::CONTENT_TYPE, value);
            }
        }
    }
    Response::from_parts(parts, Body::from(rewritten))
}

/// Keeps the status and headers, announces the full length, sends half the body, then
/// nothing, without closing.
async fn stall(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let half = full.slice(..full.len() / 2);
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    let first_half = futures::stream::once(async move { Ok::<_, io::Error>(half) });
    let never = futures::stream::once(std::future::pending::<Result<Bytes, io::Error>>());
    Response::from_parts(parts, Body::from_stream(first_half.chain(never)))
}

/// The answer for anything no route claims: loud, so a wrong path never looks like a missing
/// resource.
pub(crate) async fn no_route(request: Request) -> Response {
    let target = RawTarget::from_request(&request);
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!(
            "media-mock: no route for {} {}",
            request.method(),
            target.path
        ),
    )
        .into_response()
}

#[cfg(test)]
mod journal_tests {
    use super::*;

    fn request(body_bytes: usize) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: "/".into(),
            query: None,
            headers: http::HeaderMap::new(),
            body: Bytes::from(vec![0; body_bytes]),
            body_truncated: false,
        }
    }

    #[test]
    fn the_log_keeps_the_most_recent_requests_within_its_limits() {
        let mut log = RequestLog::default();
        for index in 0..JOURNAL_LIMIT + 5 {
            let mut recorded = request(0);
            recorded.path = format!("/{index}");
            log.push(recorded);
        }
        let kept = log.to_vec();
        assert_eq!(kept.len(), JOURNAL_LIMIT);
        assert_eq!(kept[0].path, "/5");
        assert_eq!(
            kept[JOURNAL_LIMIT - 1].path,
            format!("/{}", JOURNAL_LIMIT + 4)
        );

        log.clear();
        let third = JOURNAL_BODY_BYTES / 3 + 1;
        for _ in 0..3 {
            log.push(request(third));
        }
        assert_eq!(
            log.to_vec().len(),
            2,
            "three thirds-and-a-bit exceed the budget"
        );
        log.push(request(JOURNAL_BODY_BYTES * 2));
        assert_eq!(log.to_vec().len(), 1, "the newest stays, however large");
    }
}
