//! Request bodies streamed from disk: multipart forms and raw file bodies.
//!
//! Both are descriptions, not open files: the engine opens the file afresh
//! for every attempt, so a retried upload re-sends every byte and memory use
//! stays constant whatever the file size.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
use tokio_util::io::ReaderStream;

use crate::{Error, MediaKind, ProgressFn, Result, UploadProgress};

/// Bytes read from disk per chunk.
const CHUNK_BYTES: usize = 64 * 1024;

/// A file, or one byte range of it, sent as a request body or a form part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    path: PathBuf,
    file_name: Option<String>,
    content_type: Option<String>,
    range: Option<(u64, u64)>,
}

impl FilePart {
    /// The whole file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> FilePart {
        FilePart {
            path: path.into(),
            file_name: None,
            content_type: None,
            range: None,
        }
    }

    /// The file name sent in a form part (default: the last component of the path).
    pub fn file_name(mut self, file_name: impl Into<String>) -> FilePart {
        self.file_name = Some(file_name.into());
        self
    }

    /// The content type (default: guessed from the extension, else `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }

    /// Only `length` bytes starting at `offset` (one chunk of a multipart upload).
    pub fn range(mut self, offset: u64, length: u64) -> FilePart {
        self.range = Some((offset, length));
        self
    }

    /// The path on disk.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file name a form part carries.
    pub fn resolved_file_name(&self) -> String {
        self.file_name.clone().unwrap_or_else(|| {
            self.path
                .file_name()
                .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned())
        })
    }

    /// The content type sent.
    pub fn resolved_content_type(&self) -> String {
        self.content_type.clone().unwrap_or_else(|| {
            self.path
                .extension()
                .and_then(|ext| MediaKind::mime_for_extension(&ext.to_string_lossy()))
                .unwrap_or("application/octet-stream")
                .to_owned()
        })
    }

    /// How many bytes this part sends; fails when the file is missing or the
    /// range runs past its end.
    pub async fn len(&self) -> Result<u64> {
        let size = tokio::fs::metadata(&self.path)
            .await
            .map_err(|err| file_error(&self.path, &err))?
            .len();
        match self.range {
            None => Ok(size),
            Some((offset, length)) => {
                if offset.checked_add(length).is_none_or(|end| end > size) {
                    Err(Error::InvalidInput(format!(
                        "bytes {offset}..{} are past the end of {} ({size} bytes)",
                        offset.saturating_add(length),
                        self.path.display()
                    )))
                } else {
                    Ok(length)
                }
            }
        }
    }

    /// Opens the file (at the range start) as a stream of chunks that reports
    /// each chunk to `sent`.
    pub(crate) async fn open(
        &self,
        sent: Option<SentCounter>,
    ) -> Result<(
        u64,
        impl Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    )> {
        let length = self.len().await?;
        let mut file = tokio::fs::File::open(&self.path)
            .await
            .map_err(|err| file_error(&self.path, &err))?;
        if let Some((offset, _)) = self.range {
            file.seek(SeekFrom::Start(offset)).await?;
        }
        let stream =
            ReaderStream::with_capacity(file.take(length), CHUNK_BYTES).inspect(move |chunk| {
                if let (Ok(chunk), Some(sent)) = (chunk, &sent) {
                    sent.add(chunk.len() as u64);
                }
            });
        Ok((length, stream))
    }
}

fn file_error(path: &Path, err: &std::io::Error) -> Error {
    Error::Io(std::io::Error::new(
        err.kind(),
        format!("{}: {err}", path.display()),
    ))
}

/// One field of a [`Multipart`] form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormPart {
    Text(String),
    Bytes {
        bytes: Bytes,
        file_name: Option<String>,
        content_type: Option<String>,
    },
    File(FilePart),
}

/// A `multipart/form-data` body whose file parts stream from disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    pub(crate) parts: Vec<(String, FormPart)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A text field; call it again with the same name for an array.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Multipart {
        self.parts.push((name.into(), FormPart::Text(value.into())));
        self
    }

    /// A text field when `value` is `Some`.
    pub fn text_opt(self, name: impl Into<String>, value: Option<impl Into<String>>) -> Multipart {
        match value {
            Some(value) => self.text(name, value),
            None => self,
        }
    }

    /// A file field streamed from disk.
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Multipart {
        self.parts.push((name.into(), FormPart::File(file)));
        self
    }

    /// A field of in-memory bytes, with an optional file name and content type.
    pub fn bytes(
        mut self,
        name: impl Into<String>,
        bytes: impl Into<Bytes>,
        file_name: Option<String>,
        content_type: Option<String>,
    ) -> Multipart {
        self.parts.push((
            name.into(),
            FormPart::Bytes {
                bytes: bytes.into(),
                file_name,
                content_type,
            },
        ));
        self
    }

    /// The text value of every field named `name`, in order (file fields excluded).
    pub fn texts<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.parts.iter().filter_map(move |(n, part)| match part {
            FormPart::Text(value) if n == name => Some(value.as_str()),
            _ => None,
        })
    }

    /// Whether the form has no fields.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Builds the reqwest form for one attempt, opening every file afresh.
    pub(crate) async fn build(
        &self,
        sent: Option<&SentCounter>,
    ) -> Result<reqwest::multipart::Form> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                FormPart::Text(value) => reqwest::multipart::Part::text(value.clone()),
                FormPart::Bytes {
                    bytes,
                    file_name,
                    content_type,
                } => {
                    let mut part = reqwest::multipart::Part::stream_with_length(
                        reqwest::Body::from(bytes.clone()),
                        bytes.len() as u64,
                    );
                    if let Some(file_name) = file_name {
                        part = part.file_name(file_name.clone());
                    }
                    if let Some(content_type) = content_type {
                        part = with_mime(part, content_type)?;
                    }
                    part
                }
                FormPart::File(file) => {
                    let (length, stream) = file.open(sent.cloned()).await?;
                    let part = reqwest::multipart::Part::stream_with_length(
                        reqwest::Body::wrap_stream(stream),
                        length,
                    )
                    .file_name(file.resolved_file_name());
                    with_mime(part, &file.resolved_content_type())?
                }
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }

    /// Total bytes of the file parts, for progress reports.
    pub(crate) async fn file_bytes(&self) -> Result<u64> {
        let mut total = 0;
        for (_, part) in &self.parts {
            if let FormPart::File(file) = part {
                total += file.len().await?;
            }
        }
        Ok(total)
    }
}

fn with_mime(
    part: reqwest::multipart::Part,
    content_type: &str,
) -> Result<reqwest::multipart::Part> {
    part.mime_str(content_type)
        .map_err(|_| Error::InvalidInput(format!("content type {content_type:?} is not valid")))
}

/// Counts the bytes of one attempt's body as they leave, and reports them.
#[derive(Clone)]
pub(crate) struct SentCounter {
    sent: Arc<AtomicU64>,
    total: u64,
    progress: Option<ProgressFn>,
    activity: Arc<AtomicU64>,
    epoch: std::time::Instant,
}

impl SentCounter {
    pub(crate) fn new(total: u64, progress: Option<ProgressFn>) -> SentCounter {
        SentCounter {
            sent: Arc::new(AtomicU64::new(0)),
            total,
            progress,
            activity: Arc::new(AtomicU64::new(0)),
            epoch: std::time::Instant::now(),
        }
    }

    fn add(&self, bytes: u64) {
        let sent = self.sent.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.touch();
        if let Some(progress) = &self.progress {
            progress.report(UploadProgress::new(sent, Some(self.total)));
        }
    }

    /// Marks the connection as alive now.
    pub(crate) fn touch(&self) {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.activity.store(now, Ordering::Relaxed);
    }

    /// How long since the last byte left (or since the attempt started).
    pub(crate) fn idle(&self) -> std::time::Duration {
        let last = self.activity.load(Ordering::Relaxed);
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        std::time::Duration::from_millis(now.saturating_sub(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt as _;

    #[tokio::test]
    async fn a_range_streams_exactly_its_bytes_and_counts_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.mp4");
        std::fs::write(&path, (0..=255u8).cycle().take(200_000).collect::<Vec<_>>()).unwrap();
        let part = FilePart::new(&path).range(1000, 150_000);
        assert_eq!(part.resolved_content_type(), "video/mp4");
        assert_eq!(part.resolved_file_name(), "clip.mp4");
        let counter = SentCounter::new(150_000, None);
        let (length, stream) = part.open(Some(counter.clone())).await.unwrap();
        let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
        let bytes: Vec<u8> = chunks.concat();
        assert_eq!(length, 150_000);
        assert_eq!(bytes.len(), 150_000);
        assert_eq!(bytes[0], 232);
        assert_eq!(counter.sent.load(Ordering::Relaxed), 150_000);
    }

    #[tokio::test]
    async fn ranges_past_the_end_and_missing_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        std::fs::write(&path, [0u8; 10]).unwrap();
        assert!(matches!(
            FilePart::new(&path).range(5, 6).len().await,
            Err(Error::InvalidInput(_))
        ));
        let missing = FilePart::new(dir.path().join("missing.bin")).len().await;
        assert!(matches!(missing, Err(Error::Io(ref e)) if e.to_string().contains("missing.bin")));
    }
}
