//! A small `multipart/form-data` reader for the always-multipart endpoints (`POST /assets`,
//! `/tasks`, `/search`, `/embed`, `/embed/tasks`; twelvelabs.md §1.2).
//!
//! The real service refuses other encodings with `content_type_invalid`; [`parse`] does too.

use bytes::Bytes;
use http::{HeaderMap, StatusCode, header};

use super::error;
use axum::response::Response;

/// One part of a form: a text field or a file.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Bytes,
}

impl Field {
    /// The part's content as text (lossy).
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// Every part of a form, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    pub(crate) fields: Vec<Field>,
}

impl Form {
    /// The first text value of `name`.
    pub(crate) fn first(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.name == name && f.file_name.is_none())
            .map(Field::text)
    }

    /// Every text value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|f| f.name == name && f.file_name.is_none())
            .map(Field::text)
            .collect()
    }

    /// The first file part named `name`.
    pub(crate) fn file(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name == name && f.file_name.is_some())
    }

    /// Every file part named `name`.
    pub(crate) fn files(&self, name: &str) -> Vec<&Field> {
        self.fields
            .iter()
            .filter(|f| f.name == name && f.file_name.is_some())
            .collect()
    }

    /// Names of every part, in order.
    #[cfg(test)]
    pub(crate) fn names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    /// A boolean field: `Ok(None)` when absent, an error for anything but `true`/`false`.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, Response> {
        match self.first(name).as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(super::parameter_invalid(&format!(
                "The {name} parameter must be true or false."
            ))),
        }
    }
}

/// Reads a `multipart/form-data` body; anything else is the provider's `content_type_invalid`.
pub(crate) fn parse(headers: &HeaderMap, body: &Bytes) -> Result<Form, Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let invalid = || {
        error(
            StatusCode::BAD_REQUEST,
            "content_type_invalid",
            "The request must be sent as multipart/form-data.",
        )
    };
    let mut pieces = content_type.split(';').map(str::trim);
    if !pieces
        .next()
        .is_some_and(|t| t.eq_ignore_ascii_case("multipart/form-data"))
    {
        return Err(invalid());
    }
    let Some(boundary) = pieces.find_map(|p| {
        p.strip_prefix("boundary=")
            .map(|b| b.trim_matches('"').to_owned())
    }) else {
        return Err(invalid());
    };
    parse_body(body, &boundary).ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "parameter_invalid",
            "The multipart body is malformed.",
        )
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn parse_body(body: &Bytes, boundary: &str) -> Option<Form> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut form = Form::default();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(form);
        }
        // Skip the line break after the delimiter.
        at = find(body, b"\r\n", at)? + 2;
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let head = String::from_utf8_lossy(&body[at..headers_end]).into_owned();
        let content_start = headers_end + 4;
        let next = find(body, &[b"\r\n", delimiter].concat(), content_start)?;
        let data = body.slice(content_start..next);
        let mut field = Field {
            name: String::new(),
            file_name: None,
            content_type: None,
            data,
        };
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';').map(str::trim) {
                    if let Some(name) = param.strip_prefix("name=") {
                        name.trim_matches('"').clone_into(&mut field.name);
                    } else if let Some(name) = param.strip_prefix("filename=") {
                        field.file_name = Some(name.trim_matches('"').to_owned());
                    }
                }
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                field.content_type = Some(value.to_owned());
            }
        }
        form.fields.push(field);
        at = next + 2 + delimiter.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_file_parts() {
        let body = Bytes::from_static(
            b"--XyZ\r\ncontent-disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.mp4\"\r\nContent-Type: video/mp4\r\n\r\n\x00\x01\r\n--XyZ--\r\n",
        );
        let form = parse_body(&body, "XyZ").unwrap();
        assert_eq!(form.all("a"), ["1", "2"]);
        let file = form.file("file").unwrap();
        assert_eq!(file.file_name.as_deref(), Some("x.mp4"));
        assert_eq!(file.content_type.as_deref(), Some("video/mp4"));
        assert_eq!(&file.data[..], b"\x00\x01");
        assert_eq!(form.names(), ["a", "a", "file"]);
    }
}
