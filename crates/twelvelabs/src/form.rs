//! The multipart form encoding of the five always-multipart endpoints
//! (`POST /assets`, `/tasks`, `/search`, `/embed`, `/embed/tasks`; catalog
//! §1.2, §4.8): every field is a form part even when no file is sent, arrays
//! are repeated fields, booleans are `true`/`false`, and `user_metadata` is a
//! JSON text.
//!
//! A [`Form`] is a description of the parts, not an encoded body: the request
//! built from it re-reads file parts from disk for every attempt, so retries
//! send the whole form (the official SDK loses the fields on retry).

use std::fmt::Display;
use std::path::PathBuf;

use media_core::ProgressFn;
use media_core::http::{ApiRequest, FilePart, Multipart};

use crate::common::UserMetadata;

/// One part of a [`Form`].
#[derive(Debug, Clone)]
enum Part {
    Text {
        name: String,
        value: String,
    },
    File {
        name: String,
        path: PathBuf,
        file_name: Option<String>,
        content_type: Option<String>,
    },
}

/// A multipart form in the TwelveLabs conventions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    parts: Vec<Part>,
}

impl Form {
    /// An empty form.
    pub(crate) fn new() -> Form {
        Form::default()
    }

    /// A text field.
    pub(crate) fn text(mut self, name: &str, value: impl Into<String>) -> Form {
        self.parts.push(Part::Text {
            name: name.to_owned(),
            value: value.into(),
        });
        self
    }

    /// A text field when `value` is `Some`.
    pub(crate) fn text_opt(self, name: &str, value: Option<impl Into<String>>) -> Form {
        match value {
            Some(value) => self.text(name, value),
            None => self,
        }
    }

    /// A field holding a number (or anything else written with `Display`)
    /// when `value` is `Some`.
    pub(crate) fn display_opt(self, name: &str, value: Option<impl Display>) -> Form {
        match value {
            Some(value) => self.text(name, value.to_string()),
            None => self,
        }
    }

    /// A boolean field, `true` or `false`, when `value` is `Some`.
    pub(crate) fn bool_opt(self, name: &str, value: Option<bool>) -> Form {
        self.display_opt(name, value)
    }

    /// One field per value: the encoding of arrays.
    pub(crate) fn each<V: Display>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Form {
        for value in values {
            self = self.text(name, value.to_string());
        }
        self
    }

    /// `user_metadata` (or another map field) as a JSON text, when given.
    pub(crate) fn json_opt(self, name: &str, value: Option<&UserMetadata>) -> Form {
        match value.map(serde_json::to_string) {
            Some(Ok(text)) => self.text(name, text),
            _ => self,
        }
    }

    /// A file part streamed from `path`; its file name defaults to the
    /// path's, its content type to the one guessed from the extension.
    pub(crate) fn file(
        mut self,
        name: &str,
        path: impl Into<PathBuf>,
        file_name: Option<String>,
        content_type: Option<String>,
    ) -> Form {
        self.parts.push(Part::File {
            name: name.to_owned(),
            path: path.into(),
            file_name,
            content_type,
        });
        self
    }

    /// The text fields, in order (for tests and logging).
    #[cfg(test)]
    pub(crate) fn text_fields(&self) -> Vec<(&str, &str)> {
        self.parts
            .iter()
            .filter_map(|part| match part {
                Part::Text { name, value } => Some((name.as_str(), value.as_str())),
                Part::File { .. } => None,
            })
            .collect()
    }

    /// The media-core multipart body: file parts are opened for every
    /// attempt and streamed from disk.
    fn to_multipart(&self) -> Multipart {
        let mut multipart = Multipart::new();
        for part in &self.parts {
            multipart = match part {
                Part::Text { name, value } => multipart.text(name, value),
                Part::File {
                    name,
                    path,
                    file_name,
                    content_type,
                } => {
                    let mut file = FilePart::new(path);
                    if let Some(file_name) = file_name {
                        file = file.file_name(file_name);
                    }
                    if let Some(content_type) = content_type {
                        file = file.content_type(content_type);
                    }
                    multipart.file(name, file)
                }
            };
        }
        multipart
    }

    /// `request` with this form as its `multipart/form-data` body, reporting
    /// upload progress to `progress` when given.
    pub(crate) fn into_request(
        self,
        request: ApiRequest,
        progress: Option<ProgressFn>,
    ) -> ApiRequest {
        request
            .multipart(self.to_multipart())
            .progress_opt(progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::MetadataValue;

    #[test]
    fn conventions() {
        let mut metadata = UserMetadata::new();
        metadata.insert("a".into(), MetadataValue::Integer(1));
        let form = Form::new()
            .text("index_id", "i")
            .each("search_options", ["visual", "audio"])
            .bool_opt("include_user_metadata", Some(true))
            .bool_opt("enable_hls", Some(false))
            .bool_opt("absent", None)
            .display_opt("page_limit", Some(5))
            .text_opt("missing", None::<String>)
            .json_opt("user_metadata", Some(&metadata));
        assert_eq!(
            form.text_fields(),
            [
                ("index_id", "i"),
                ("search_options", "visual"),
                ("search_options", "audio"),
                ("include_user_metadata", "true"),
                ("enable_hls", "false"),
                ("page_limit", "5"),
                ("user_metadata", r#"{"a":1}"#),
            ]
        );
    }
}
