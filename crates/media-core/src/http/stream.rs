//! Response bodies read as they arrive: Server-Sent Events, NDJSON, lines,
//! raw chunks, or a file on disk.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource as _};
use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt as _, TryStreamExt as _};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tokio::io::AsyncWriteExt as _;
use tokio_util::codec::{FramedRead, LinesCodec, LinesCodecError};
use tokio_util::io::StreamReader;

use super::response::RawResponse;
use crate::{Error, ProgressFn, Provider, Result, UploadProgress};

/// One Server-Sent Event, fields as the SSE specification defines them.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field; empty means the default `message`.
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last `id:` seen.
    pub id: String,
    /// The `retry:` reconnection delay, when sent.
    pub retry: Option<Duration>,
}

impl SseEvent {
    /// An event with only `data`, for tests and mocks.
    pub fn data(data: impl Into<String>) -> SseEvent {
        SseEvent {
            data: data.into(),
            ..SseEvent::default()
        }
    }
}

/// How [`StreamingBody::save_to`] treats an existing file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveOptions {
    overwrite: bool,
}

impl SaveOptions {
    /// Never overwrite (the default).
    pub fn new() -> SaveOptions {
        SaveOptions::default()
    }

    /// Whether an existing file may be replaced.
    pub fn overwrite(mut self, overwrite: bool) -> SaveOptions {
        self.overwrite = overwrite;
        self
    }
}

/// A successful (2xx) response whose body has not been read yet.
///
/// Every read waits at most the request deadline for the next chunk (a
/// read-idle deadline), so a long stream lives as long as data keeps coming
/// and a stalled one ends in [`Error::Timeout`].
pub struct StreamingBody {
    pub(crate) provider: Provider,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) response: reqwest::Response,
    pub(crate) idle: Duration,
    pub(crate) max_bytes: usize,
}

impl std::fmt::Debug for StreamingBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingBody")
            .field("provider", &self.provider)
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .finish_non_exhaustive()
    }
}

impl StreamingBody {
    /// Wraps a response obtained outside the engine (a test double, a
    /// benchmark, a custom transport), with the read-idle deadline and the
    /// size limit the engine would apply.
    pub fn from_response(
        provider: Provider,
        mut response: reqwest::Response,
        idle: Duration,
        max_bytes: usize,
    ) -> StreamingBody {
        let headers = std::mem::take(response.headers_mut());
        StreamingBody {
            provider,
            status: response.status(),
            headers,
            response,
            idle,
            max_bytes,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` header, when present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// Whether the content type is JSON (`application/json` or `+json`),
    /// which for a streaming endpoint usually means an error envelope.
    pub fn is_json(&self) -> bool {
        self.content_type().is_some_and(|ct| {
            let ct = ct.split(';').next().unwrap_or("").trim();
            ct.eq_ignore_ascii_case("application/json") || ct.ends_with("+json")
        })
    }

    /// Reads the whole body (within the response size limit), for answers
    /// that turn out not to be a stream.
    pub async fn into_raw(self) -> Result<RawResponse> {
        let provider = self.provider;
        let status = self.status;
        let headers = self.headers.clone();
        let limit = self.max_bytes;
        let chunks = self.bytes();
        let body = collect_limited(provider, status.as_u16(), chunks, limit).await?;
        Ok(RawResponse {
            provider,
            status,
            headers,
            body,
        })
    }

    /// The body as chunks of bytes.
    pub fn bytes(self) -> BoxStream<'static, Result<Bytes>> {
        let provider = self.provider;
        let idle = self.idle;
        let chunks = self.response.bytes_stream();
        stream::unfold(Some(chunks), move |state| async move {
            let mut chunks = state?;
            match tokio::time::timeout(idle, chunks.next()).await {
                Err(_) => Some((
                    Err(super::timeout_error(
                        provider,
                        "no data in the middle of the body for",
                        idle,
                    )),
                    None,
                )),
                Ok(None) => None,
                Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(chunks))),
                Ok(Some(Err(err))) => Some((Err(super::transport_error(provider, err)), None)),
            }
        })
        .boxed()
    }

    /// The body as Server-Sent Events. An event larger than the response size
    /// limit, or bytes that are not UTF-8, end the stream with one error item
    /// instead of growing without bound or guessing.
    pub fn sse(self) -> BoxStream<'static, Result<SseEvent>> {
        let provider = self.provider;
        let status = self.status.as_u16();
        let limit = self.max_bytes;
        let guarded = event_size_guard(provider, status, self.bytes(), limit);
        guarded
            .eventsource()
            .map(move |item| match item {
                Ok(event) => Ok(SseEvent {
                    event: event.event,
                    data: event.data,
                    id: event.id,
                    retry: event.retry,
                }),
                Err(EventStreamError::Transport(err)) => Err(err),
                Err(EventStreamError::Utf8(err)) => Err(Error::Decode {
                    provider,
                    http_status: status,
                    message: format!("an event is not UTF-8: {err}"),
                    body_snippet: String::new(),
                }),
                Err(EventStreamError::Parser(err)) => Err(Error::Decode {
                    provider,
                    http_status: status,
                    message: format!("malformed event stream: {err}"),
                    body_snippet: String::new(),
                }),
            })
            // After a broken event the parser's position in the stream is
            // unknowable: report it once and end.
            .scan(false, |failed, item| {
                if *failed {
                    return std::future::ready(None);
                }
                *failed = item.is_err();
                std::future::ready(Some(item))
            })
            .boxed()
    }

    /// The body as lines (without their `\n` or `\r\n`). A line longer than
    /// the response size limit is an error item.
    pub fn lines(self) -> BoxStream<'static, Result<String>> {
        let provider = self.provider;
        let status = self.status.as_u16();
        let limit = self.max_bytes;
        let reader = StreamReader::new(self.bytes().map_err(std::io::Error::other));
        FramedRead::new(reader, LinesCodec::new_with_max_length(limit))
            .map(move |line| {
                line.map(|mut line| {
                    if line.ends_with('\r') {
                        line.pop();
                    }
                    line
                })
                .map_err(|err| lines_error(provider, status, limit, err))
            })
            .boxed()
    }

    /// The body as newline-delimited JSON, one `T` per non-blank line. A line
    /// that does not parse is an error item; the stream goes on after it.
    pub fn ndjson<T: DeserializeOwned + Send + 'static>(self) -> BoxStream<'static, Result<T>> {
        let provider = self.provider;
        let status = self.status.as_u16();
        self.lines()
            .try_filter(|line| std::future::ready(!line.trim().is_empty()))
            .map(move |line| {
                let line = line?;
                serde_json::from_str(&line).map_err(|err| Error::Decode {
                    provider,
                    http_status: status,
                    message: format!("an NDJSON line does not parse: {err}"),
                    body_snippet: line.chars().take(200).collect(),
                })
            })
            .boxed()
    }

    /// Streams the body into `path` through a temporary file beside it, then
    /// moves it into place; returns the bytes written. An existing file is
    /// kept (the call fails) unless `options` allows overwriting, and nothing
    /// is left behind on failure.
    pub async fn save_to(
        self,
        path: impl AsRef<Path>,
        options: SaveOptions,
        progress: Option<ProgressFn>,
    ) -> Result<u64> {
        let path = path.as_ref();
        if !options.overwrite && tokio::fs::symlink_metadata(path).await.is_ok() {
            return Err(already_exists(path));
        }
        let total = self
            .headers
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let temp = temp_path_beside(path);
        let written = write_stream(self.bytes(), &temp, total, progress.as_ref()).await;
        let written = match written {
            Ok(written) => written,
            Err(err) => {
                let _ = tokio::fs::remove_file(&temp).await;
                return Err(err);
            }
        };
        let placed = if options.overwrite {
            tokio::fs::rename(&temp, path).await
        } else {
            // A hard link fails when the target exists, so no race can clobber a file.
            match tokio::fs::hard_link(&temp, path).await {
                Ok(()) => tokio::fs::remove_file(&temp).await,
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    let _ = tokio::fs::remove_file(&temp).await;
                    return Err(already_exists(path));
                }
                Err(_) => tokio::fs::rename(&temp, path).await,
            }
        };
        if let Err(err) = placed {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(Error::Io(err));
        }
        Ok(written)
    }
}

async fn write_stream(
    mut chunks: BoxStream<'static, Result<Bytes>>,
    temp: &Path,
    total: Option<u64>,
    progress: Option<&ProgressFn>,
) -> Result<u64> {
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .await?;
    let mut written = 0u64;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        file.write_all(&chunk).await?;
        written += chunk.len() as u64;
        if let Some(progress) = progress {
            progress.report(UploadProgress::new(written, total));
        }
    }
    file.flush().await?;
    Ok(written)
}

fn temp_path_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{:016x}.part", fastrand::u64(..)))
}

fn already_exists(path: &Path) -> Error {
    Error::Io(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{} already exists; not overwritten", path.display()),
    ))
}

fn lines_error(provider: Provider, status: u16, limit: usize, err: LinesCodecError) -> Error {
    match err {
        LinesCodecError::MaxLineLengthExceeded => Error::Decode {
            provider,
            http_status: status,
            message: format!("a line exceeds the limit of {limit} bytes"),
            body_snippet: String::new(),
        },
        LinesCodecError::Io(io) => match io.downcast::<Error>() {
            Ok(err) => err,
            Err(io) if io.kind() == std::io::ErrorKind::InvalidData => Error::Decode {
                provider,
                http_status: status,
                message: format!("a line is not UTF-8: {io}"),
                body_snippet: String::new(),
            },
            Err(io) => Error::Io(io),
        },
    }
}

async fn collect_limited(
    provider: Provider,
    status: u16,
    mut chunks: BoxStream<'static, Result<Bytes>>,
    limit: usize,
) -> Result<Bytes> {
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Err(Error::Decode {
                provider,
                http_status: status,
                message: format!("the response body exceeds the limit of {limit} bytes"),
                body_snippet: String::new(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Passes chunks through while counting the bytes since the last blank line;
/// past `limit` it passes on the events that ended before the oversized one,
/// yields one error and ends.
fn event_size_guard(
    provider: Provider,
    status: u16,
    chunks: impl Stream<Item = Result<Bytes>> + Send + 'static,
    limit: usize,
) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
    let mut since_blank = 0usize;
    let mut after_newline = true;
    let mut failed = false;
    chunks
        .flat_map(move |chunk| {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(error) => return futures::stream::iter(vec![Err(error)]),
            };
            // Checked per byte: one chunk can hold whole events, then an oversized one.
            let mut event_start = 0;
            for (index, &byte) in chunk.iter().enumerate() {
                match byte {
                    b'\n' => {
                        if after_newline {
                            since_blank = 0;
                            event_start = index + 1;
                        }
                        after_newline = true;
                    }
                    b'\r' => {}
                    _ => {
                        after_newline = false;
                        since_blank += 1;
                        if since_blank > limit {
                            let error = Err(Error::Decode {
                                provider,
                                http_status: status,
                                message: format!("an event exceeds the limit of {limit} bytes"),
                                body_snippet: String::new(),
                            });
                            let mut items = Vec::with_capacity(2);
                            if event_start > 0 {
                                items.push(Ok(chunk.slice(..event_start)));
                            }
                            items.push(error);
                            return futures::stream::iter(items);
                        }
                    }
                }
            }
            futures::stream::iter(vec![Ok(chunk)])
        })
        .take_while(move |item| {
            let go_on = !failed;
            failed |= item.is_err();
            std::future::ready(go_on)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static str]) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
        stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p.as_bytes())))
                .collect::<Vec<_>>(),
        )
    }

    #[tokio::test]
    async fn the_size_guard_stops_one_oversized_event() {
        let guarded: Vec<Result<Bytes>> = event_size_guard(
            Provider::MemoriesV1,
            200,
            chunks(&["data: 123\n\n", "data: 1234567890123"]),
            10,
        )
        .collect()
        .await;
        assert_eq!(guarded.len(), 2);
        assert!(guarded[0].is_ok());
        assert!(
            matches!(&guarded[1], Err(Error::Decode { message, .. }) if message.contains("limit of 10"))
        );
    }

    #[tokio::test]
    async fn the_size_guard_passes_the_events_before_an_oversized_one_in_the_same_chunk() {
        let guarded: Vec<Result<Bytes>> = event_size_guard(
            Provider::MemoriesV1,
            200,
            chunks(&["data: 1\n\ndata: 2\r\n\r\ndata: 1234567890123\n\ndata: 3\n\n"]),
            10,
        )
        .collect()
        .await;
        assert_eq!(guarded.len(), 2, "{guarded:?}");
        assert_eq!(
            guarded[0].as_ref().ok().map(Bytes::as_ref),
            Some(b"data: 1\n\ndata: 2\r\n\r\n".as_slice())
        );
        assert!(matches!(&guarded[1], Err(Error::Decode { .. })));
    }

    fn body(text: &'static str) -> StreamingBody {
        let response = reqwest::Response::from(http::Response::new(text));
        StreamingBody::from_response(Provider::TwelveLabs, response, Duration::from_secs(5), 1024)
    }

    #[tokio::test]
    async fn a_malformed_ndjson_line_is_an_error_item_and_the_stream_goes_on() {
        let items: Vec<Result<serde_json::Value>> = body("{\"a\":1}\n\nnot json\r\n{\"a\":2}")
            .ndjson()
            .collect()
            .await;
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().unwrap()["a"], 1);
        assert!(
            matches!(&items[1], Err(Error::Decode { body_snippet, .. }) if body_snippet == "not json")
        );
        assert_eq!(items[2].as_ref().unwrap()["a"], 2);
    }

    #[tokio::test]
    async fn sse_joins_multi_line_data_and_ignores_comments() {
        let events: Vec<SseEvent> =
            body(": keep-alive\ndata: a\ndata: b\n\nevent: end\ndata: [DONE]\n\n")
                .sse()
                .try_collect()
                .await
                .unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].data, "a\nb");
        assert_eq!(events[1].event, "end");
    }

    #[tokio::test]
    async fn blank_lines_reset_the_guard() {
        let guarded: Vec<Result<Bytes>> = event_size_guard(
            Provider::MemoriesV1,
            200,
            chunks(&["data: 1\r\n\r\n", "data: 2\n\n", "data: 3\n\n"]),
            8,
        )
        .collect()
        .await;
        assert!(guarded.iter().all(Result::is_ok));
    }
}
