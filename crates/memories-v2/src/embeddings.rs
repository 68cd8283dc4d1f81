//! Embeddings (memories-v2.md §3.D): one vector for a video asset, for an
//! image (asset or file), or one per input text. Synchronous, 1 QPS.
//!
//! Note the shapes: video and image answer `data.embedding`, text answers
//! `data[].embedding`, one entry per input in order.

use std::path::Path;

use media_core::http::ApiRequest;
use media_core::{Error, Result};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::wire::non_empty;

/// The only documented video embedding model.
pub const VIDEO_MODEL: &str = "multimodalembedding@001";
/// The documented text embedding model.
pub const TEXT_MODEL: &str = "gemini-embedding-001";

/// One vector.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    /// The vector.
    pub embedding: Vec<f64>,
}

/// The body of `POST /embeddings/text`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEmbeddingParams {
    /// One or more strings.
    pub input: Vec<String>,
    /// `gemini-embedding-001`.
    pub model: String,
    /// Output size (e.g. 256, 512, 768); the model's default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensionality: Option<u32>,
}

impl TextEmbeddingParams {
    /// Embed `input` with `model`.
    pub fn new<I, S>(input: I, model: impl Into<String>) -> TextEmbeddingParams
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        TextEmbeddingParams {
            input: input.into_iter().map(Into::into).collect(),
            model: model.into(),
            dimensionality: None,
        }
    }

    /// Sets `dimensionality` (at least 1).
    pub fn dimensionality(mut self, dimensionality: u32) -> TextEmbeddingParams {
        self.dimensionality = Some(dimensionality);
        self
    }

    fn validate(&self) -> Result<()> {
        if self.input.is_empty() {
            return Err(Error::InvalidInput(
                "input must hold at least one string".into(),
            ));
        }
        non_empty("model", &self.model)?;
        media_core::check::in_range("dimensionality", self.dimensionality, 1..=u32::MAX)
    }
}

#[derive(Serialize)]
struct AssetModel<'a> {
    asset_id: &'a str,
    model: &'a str,
}

/// The embedding endpoints, from [`Client::embeddings`].
#[derive(Debug, Clone, Copy)]
pub struct Embeddings<'a> {
    client: &'a Client,
}

impl<'a> Embeddings<'a> {
    pub(crate) fn new(client: &'a Client) -> Embeddings<'a> {
        Embeddings { client }
    }

    /// `POST /embeddings/video`: one vector for the video asset `asset_id`
    /// (model `multimodalembedding@001`).
    pub async fn video(&self, asset_id: &str, model: &str) -> Result<Embedding> {
        non_empty("asset_id", asset_id)?;
        non_empty("model", model)?;
        let request = ApiRequest::post("/embeddings/video").json(&AssetModel { asset_id, model });
        self.client.execute(request).await
    }

    /// `POST /embeddings/image` (JSON form): the vector of the image asset
    /// `asset_id` (models `multimodalembedding@001`, `mobileclip`).
    pub async fn image(&self, asset_id: &str, model: &str) -> Result<Embedding> {
        non_empty("asset_id", asset_id)?;
        non_empty("model", model)?;
        let request = ApiRequest::post("/embeddings/image").json(&AssetModel { asset_id, model });
        self.client.execute(request).await
    }

    /// `POST /embeddings/image` (multipart form): the vector of a local
    /// image file, streamed from disk as the part `file`.
    pub async fn image_file(&self, path: &Path, model: &str) -> Result<Embedding> {
        non_empty("model", model)?;
        let form = media_core::http::Multipart::new()
            .file("file", media_core::http::FilePart::new(path))
            .text("model", model);
        let request = ApiRequest::post("/embeddings/image").multipart(form);
        self.client.execute(request).await
    }

    /// `POST /embeddings/text`: one vector per input string, in order.
    pub async fn text(&self, params: &TextEmbeddingParams) -> Result<Vec<Embedding>> {
        params.validate()?;
        self.client
            .execute(ApiRequest::post("/embeddings/text").json(params))
            .await
    }
}
