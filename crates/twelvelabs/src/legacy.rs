//! Legacy endpoints removed from the current SDK (catalog R1–R6, §3.11
//! "Legacy", §3.14): `/gist`, `/summarize`, `/generate` (superseded by
//! `POST /analyze` with a `response_format`) and the S3 cloud-to-cloud
//! transfers under `/tasks/transfers/import` (superseded by data connectors).
//! Whether the service still answers them is unknown; every method is
//! deprecated and names its replacement.
#![allow(deprecated)]

use media_core::Result;
use media_core::http::ApiRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::analyze::{AnalyzeResponse, TokenUsage};
use crate::client::Client;
use crate::common::UserMetadata;
use crate::wire;

/// `POST /gist` (sunset 2026-02-15).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GistResponse {
    /// The generation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Topics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,
    /// Hashtags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashtags: Option<Vec<String>>,
    /// Tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
}

/// One chapter of a `chapter` summary.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Chapter {
    /// 0-based.
    pub chapter_number: u32,
    /// Start (legacy field).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<f64>,
    /// End (legacy field).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<f64>,
    /// Start, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_sec: Option<f64>,
    /// End, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_sec: Option<f64>,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter_title: Option<String>,
    /// Summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter_summary: Option<String>,
}

/// One highlight of a `highlight` summary.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Highlight {
    /// Start (legacy field).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<f64>,
    /// End (legacy field).
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<f64>,
    /// Start, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_sec: Option<f64>,
    /// End, seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_sec: Option<f64>,
    /// The highlight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight: Option<String>,
    /// Its summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight_summary: Option<String>,
}

/// `POST /summarize`: the union of the `summary`, `chapter` and `highlight`
/// shapes (tagged by `summarize_type` when the server sends it).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummarizeResponse {
    /// The generation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `summary`, `chapter` or `highlight`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summarize_type: Option<String>,
    /// The summary (`summary`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The chapters (`chapter`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapters: Option<Vec<Chapter>>,
    /// The highlights (`highlight`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<Highlight>>,
    /// Tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
}

/// `POST /summarize`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummarizeRequest {
    /// The legacy video id.
    pub video_id: String,
    /// `summary`, `chapter` or `highlight`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Guidance (≤2,000 tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// 0–1 (default 0.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// `json_schema` output (`summary` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    /// Token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

impl SummarizeRequest {
    /// A `kind` (`summary`, `chapter`, `highlight`) of `video_id`.
    pub fn new(video_id: impl Into<String>, kind: impl Into<String>) -> SummarizeRequest {
        SummarizeRequest {
            video_id: video_id.into(),
            kind: kind.into(),
            prompt: None,
            temperature: None,
            response_format: None,
            max_tokens: None,
        }
    }

    /// Sets the prompt.
    pub fn prompt(mut self, prompt: impl Into<String>) -> SummarizeRequest {
        self.prompt = Some(prompt.into());
        self
    }

    /// Sets the temperature (0–1).
    pub fn temperature(mut self, temperature: f64) -> SummarizeRequest {
        self.temperature = Some(temperature);
        self
    }
}

/// `POST /tasks/transfers/import/{integration_id}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransferImportRequest {
    /// The target index.
    pub index_id: String,
    /// Skip files already imported (by hash; default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incremental_import: Option<bool>,
    /// Retry failed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_failed: Option<bool>,
    /// Metadata for the imported videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_metadata: Option<UserMetadata>,
}

impl TransferImportRequest {
    /// Imports into `index_id`.
    pub fn new(index_id: impl Into<String>) -> TransferImportRequest {
        TransferImportRequest {
            index_id: index_id.into(),
            incremental_import: None,
            retry_failed: None,
            user_metadata: None,
        }
    }
}

#[derive(Serialize)]
struct GistBody<'a> {
    video_id: &'a str,
    types: &'a [&'a str],
}

#[derive(Serialize)]
struct GenerateBody<'a> {
    video_id: &'a str,
    prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    stream: bool,
}

/// The legacy endpoints; get it from [`Client::legacy`].
#[derive(Debug, Clone, Copy)]
pub struct Legacy<'a> {
    client: &'a Client,
}

impl Client {
    /// Legacy endpoints (R1–R6): gist, summarize, generate, S3 transfers.
    #[deprecated(
        note = "legacy endpoints: use `Client::analyze` and `Client::data_connectors` instead"
    )]
    pub fn legacy(&self) -> Legacy<'_> {
        Legacy { client: self }
    }
}

fn blank(value: &str) -> bool {
    value.trim().is_empty()
}

impl Legacy<'_> {
    /// `POST /gist`: titles, topics and hashtags (`types`: `title`, `topic`,
    /// `hashtag`). Sunset 2026-02-15.
    #[deprecated(note = "use `Analyze::create` (`POST /analyze`) with a `response_format` instead")]
    pub async fn gist(&self, video_id: &str, types: &[&str]) -> Result<GistResponse> {
        let mut api = ApiRequest::post("/gist").json(&GistBody { video_id, types });
        if blank(video_id)
            || types.is_empty()
            || types
                .iter()
                .any(|t| !["title", "topic", "hashtag"].contains(t))
        {
            api.reject("`video_id` and `types` (title, topic, hashtag) are required");
        }
        self.client.execute(api).await
    }

    /// `POST /summarize`: a summary, chapters or highlights.
    #[deprecated(note = "use `Analyze::create` (`POST /analyze`) with a `response_format` instead")]
    pub async fn summarize(&self, request: &SummarizeRequest) -> Result<SummarizeResponse> {
        let mut api = ApiRequest::post("/summarize").json(request);
        if blank(&request.video_id)
            || !["summary", "chapter", "highlight"].contains(&request.kind.as_str())
        {
            api.reject("`video_id` and a `type` of summary, chapter or highlight are required");
        }
        if request
            .temperature
            .is_some_and(|t| !(0.0..=1.0).contains(&t))
        {
            api.reject("`temperature` is 0–1");
        }
        if request.response_format.is_some() && request.kind != "summary" {
            api.reject("`response_format` works with `summary` only");
        }
        self.client.execute(api).await
    }

    /// `POST /generate`: the earlier name of open-ended analysis (`stream: false`).
    #[deprecated(note = "use `Analyze::create` (`POST /analyze`) instead")]
    pub async fn generate(
        &self,
        video_id: &str,
        prompt: &str,
        temperature: Option<f64>,
    ) -> Result<AnalyzeResponse> {
        let body = GenerateBody {
            video_id,
            prompt,
            temperature,
            stream: false,
        };
        let mut api = ApiRequest::post("/generate").json(&body);
        if blank(video_id) || blank(prompt) {
            api.reject("`video_id` and `prompt` are required");
        }
        self.client.execute(api).await
    }

    /// `POST /tasks/transfers/import/{integration_id}`: S3 import into an
    /// index. Unverified: the answer's shape is not documented, so it is
    /// returned as JSON.
    #[deprecated(note = "use `DataConnectors::import_files` instead")]
    pub async fn transfer_import(
        &self,
        integration_id: &str,
        request: &TransferImportRequest,
    ) -> Result<Value> {
        let mut api = ApiRequest::post("/tasks/transfers/import/{integration_id}")
            .path_param("integration_id", integration_id)
            .json(request);
        if blank(&request.index_id) {
            api.reject("`index_id` must not be empty");
        }
        wire_value(self.client, api).await
    }

    /// `GET /tasks/transfers/import/{integration_id}/status?index_id=`:
    /// videos grouped by status. Unverified shape, returned as JSON.
    #[deprecated(note = "use `DataConnectors::retrieve_import` instead")]
    pub async fn transfer_status(&self, integration_id: &str, index_id: &str) -> Result<Value> {
        let api = ApiRequest::get("/tasks/transfers/import/{integration_id}/status")
            .path_param("integration_id", integration_id)
            .query("index_id", index_id);
        wire_value(
            self.client,
            wire::check(api, blank(index_id), "`index_id` must not be empty"),
        )
        .await
    }

    /// `GET /tasks/transfers/import/{integration_id}/logs`: import jobs.
    /// Unverified shape, returned as JSON.
    #[deprecated(note = "use `DataConnectors::list_imports` instead")]
    pub async fn transfer_logs(&self, integration_id: &str) -> Result<Value> {
        let api = ApiRequest::get("/tasks/transfers/import/{integration_id}/logs")
            .path_param("integration_id", integration_id);
        wire_value(self.client, api).await
    }
}

/// A JSON answer of unknown shape (an empty 2xx body reads as `null`).
async fn wire_value(client: &Client, api: ApiRequest) -> Result<Value> {
    match client.execute::<Value>(api).await {
        Err(media_core::Error::Decode { http_status, .. }) if (200..300).contains(&http_status) => {
            Ok(Value::Null)
        }
        other => other,
    }
}
