//! The floor: the same calls written by hand with reqwest and serde_json,
//! decoding into hand-written structs of the same fields.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

use ncp_mi::signature::{ACCESS_KEY_HEADER, SIGNATURE_HEADER, Signer, TIMESTAMP_HEADER};
use ncp_mi::{Clock as _, SystemClock};
use serde::Deserialize;

use crate::calls::{
    BoxError, Call, NCP_ACCESS_KEY, NCP_PAGE_SIZE, NCP_PROJECT, NCP_SECRET_KEY, NCP_WORKSPACE,
    TWELVELABS_API_KEY, TWELVELABS_ASSET_ID, ncp_url, twelvelabs_url,
};

/// A TwelveLabs asset, every field of the retrieve example.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Read only by the decoder: decoding is what is measured.
struct RawAsset {
    #[serde(rename = "_id")]
    id: String,
    created_at: Option<String>,
    duration: Option<f64>,
    file_type: Option<String>,
    filename: Option<String>,
    hls: Option<RawRendition>,
    method: Option<String>,
    size: Option<u64>,
    status: Option<String>,
    thumbnail: Option<RawRendition>,
    user_metadata: Option<BTreeMap<String, serde_json::Value>>,
}

/// The `hls` and `thumbnail` objects.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct RawRendition {
    manifest_url: Option<String>,
    representative_url: Option<String>,
    status: Option<String>,
}

/// `GET /assets/{id}` with reqwest and serde_json.
#[derive(Debug, Clone)]
pub(crate) struct RawRetrieve {
    http: reqwest::Client,
    url: String,
}

impl RawRetrieve {
    /// A client of the mock at `mock`.
    pub(crate) fn new(mock: &str) -> Result<RawRetrieve, BoxError> {
        Ok(RawRetrieve {
            http: reqwest::Client::builder().build()?,
            url: format!("{}/assets/{TWELVELABS_ASSET_ID}", twelvelabs_url(mock)),
        })
    }
}

impl Call for RawRetrieve {
    async fn call(&self) -> Result<(), BoxError> {
        let response = self
            .http
            .get(&self.url)
            .header("x-api-key", TWELVELABS_API_KEY)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        black_box(serde_json::from_slice::<RawAsset>(&body)?);
        Ok(())
    }
}

/// NCP's `{"code","message","result"}` envelope.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct RawEnvelope<T> {
    code: serde_json::Value,
    message: Option<String>,
    result: Option<T>,
}

/// One page of NCP assets.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct RawNcpPage {
    content: Vec<RawNcpAsset>,
    #[serde(rename = "totalCount")]
    total_count: Option<u64>,
    #[serde(rename = "totalPage")]
    total_page: Option<u64>,
    #[serde(rename = "pageNo")]
    page_no: Option<u32>,
    #[serde(rename = "pageSize")]
    page_size: Option<u32>,
}

/// One NCP asset, every field of the list example.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
struct RawNcpAsset {
    asset_id: u64,
    file_name: Option<String>,
    project_id: Option<u64>,
    meta_data: Option<RawNcpMeta>,
    key: Option<String>,
    create_user_name: Option<String>,
    created_time: Option<String>,
    update_user_name: Option<String>,
    updated_time: Option<String>,
}

/// `metaData` of an NCP asset.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
struct RawNcpMeta {
    resolution: Option<String>,
    duration_ms: Option<u64>,
    size: Option<u64>,
    format: Option<String>,
}

/// One signed `GET …/assets?pageNum=1&pageSize=10` with reqwest, signed with
/// ncp-mi's public [`Signer`] (the same HMAC a hand-written client computes).
#[derive(Debug, Clone)]
pub(crate) struct RawNcpList {
    http: reqwest::Client,
    url: String,
    path_and_query: String,
    signer: Arc<Signer>,
}

impl RawNcpList {
    /// A client of the mock at `mock`.
    pub(crate) fn new(mock: &str) -> Result<RawNcpList, BoxError> {
        let url = format!(
            "{}/workspaces/{NCP_WORKSPACE}/projects/{NCP_PROJECT}/assets?pageNum=1&pageSize={NCP_PAGE_SIZE}",
            ncp_url(mock)
        );
        let parsed = reqwest::Url::parse(&url)?;
        let path_and_query = format!("{}?{}", parsed.path(), parsed.query().unwrap_or_default());
        let signer = Signer::new(
            &NCP_ACCESS_KEY.into(),
            &NCP_SECRET_KEY.into(),
            Arc::new(SystemClock),
        )?;
        Ok(RawNcpList {
            http: reqwest::Client::builder().build()?,
            url,
            path_and_query,
            signer: Arc::new(signer),
        })
    }
}

impl Call for RawNcpList {
    async fn call(&self) -> Result<(), BoxError> {
        let timestamp = SystemClock.now_millis();
        let signature = self
            .signer
            .signature("GET", &self.path_and_query, timestamp);
        let response = self
            .http
            .get(&self.url)
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(ACCESS_KEY_HEADER, NCP_ACCESS_KEY)
            .header(SIGNATURE_HEADER, signature.as_str())
            .header("content-type", "application/json")
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        let envelope: RawEnvelope<RawNcpPage> = serde_json::from_slice(&body)?;
        if envelope.code != "0" && envelope.code != 0 {
            return Err(format!("NCP code {}", envelope.code).into());
        }
        black_box(envelope);
        Ok(())
    }
}

/// Raw reqwest on a trivial mock route (`/_mock/bytes?size=16`), body read
/// and dropped: the most requests per second the mock can answer.
#[derive(Debug, Clone)]
pub(crate) struct Ceiling {
    http: reqwest::Client,
    url: String,
}

impl Ceiling {
    /// A client of the mock at `mock`.
    pub(crate) fn new(mock: &str) -> Result<Ceiling, BoxError> {
        Ok(Ceiling {
            http: reqwest::Client::builder().build()?,
            url: format!("{mock}/_mock/bytes?size=16"),
        })
    }
}

impl Call for Ceiling {
    async fn call(&self) -> Result<(), BoxError> {
        let response = self.http.get(&self.url).send().await?;
        let status = response.status();
        black_box(response.bytes().await?);
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        Ok(())
    }
}
