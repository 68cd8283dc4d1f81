//! A small `multipart/form-data` reader for the upload and image-search routes.

use bytes::Bytes;
use http::HeaderMap;

use super::invalid_parameter;
use axum::response::Response;

/// One part of a form.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Bytes,
}

impl Part {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// A parsed form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    pub(crate) parts: Vec<Part>,
}

impl Form {
    /// The text of the first part named `name`.
    pub(crate) fn first(&self, name: &str) -> Option<String> {
        self.parts
            .iter()
            .find(|part| part.name == name)
            .map(Part::text)
    }

    /// The file parts named `name`.
    pub(crate) fn files(&self, name: &str) -> Vec<&Part> {
        self.parts
            .iter()
            .filter(|part| part.name == name && part.file_name.is_some())
            .collect()
    }
}

/// Parses the body of a `multipart/form-data` request, or answers `0001`.
pub(crate) fn parse(headers: &HeaderMap, body: &Bytes) -> Result<Form, Response> {
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        return Err(invalid_parameter(
            "Content-Type must be multipart/form-data",
        ));
    }
    let Some(boundary) = content_type
        .split(';')
        .find_map(|param| param.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
    else {
        return Err(invalid_parameter("multipart boundary missing"));
    };
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest: &[u8] = body;
    let Some(start) = find(rest, delimiter.as_bytes()) else {
        return Err(invalid_parameter("malformed multipart body"));
    };
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let Some(header_end) = find(rest, b"\r\n\r\n") else {
            return Err(invalid_parameter("malformed multipart part"));
        };
        let head = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let after_head = &rest[header_end + 4..];
        let closing = format!("\r\n{delimiter}");
        let Some(data_end) = find(after_head, closing.as_bytes()) else {
            return Err(invalid_parameter("unterminated multipart part"));
        };
        let data = Bytes::copy_from_slice(&after_head[..data_end]);
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data,
        };
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                part.name = param(line, "name").unwrap_or_default();
                part.file_name = param(line, "filename");
            } else if lower.starts_with("content-type:") {
                part.content_type = Some(line["content-type:".len()..].trim().to_owned());
            }
        }
        parts.push(part);
        rest = &after_head[data_end + closing.len()..];
    }
    Ok(Form { parts })
}

fn param(line: &str, name: &str) -> Option<String> {
    line.split(';').skip(1).find_map(|piece| {
        let (key, value) = piece.trim().split_once('=')?;
        (key == name).then(|| value.trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_and_file_parts() {
        let body = Bytes::from_static(
            b"--XX\r\nContent-Disposition: form-data; name=\"unique_id\"\r\n\r\ndefault\r\n\
--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n\x00\x01\r\n\
--XX--\r\n",
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("multipart/form-data; boundary=XX"),
        );
        let form = parse(&headers, &body).unwrap();
        assert_eq!(form.first("unique_id").as_deref(), Some("default"));
        let file = form.files("file")[0];
        assert_eq!(file.file_name.as_deref(), Some("a.mp4"));
        assert_eq!(file.content_type.as_deref(), Some("video/mp4"));
        assert_eq!(&file.data[..], b"\x00\x01");
    }
}
