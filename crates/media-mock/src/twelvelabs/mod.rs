//! TwelveLabs v1.3: routes and in-memory state.
//!
//! Objects are served bare (no envelope); lists are `{"data":[…],"page_info":{…}}`; errors are
//! the flat `{"code","message"}` body (twelvelabs.md §1.3, §1.5, §1.7).

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::Value;

use crate::credentials;
use crate::json::{self, StoredJson};
use crate::record::{all, decode_form, first};
use crate::server::{Shared, lock};

/// Where the API root sits on the mock.
pub(crate) const PREFIX: &str = "/twelvelabs/v1.3";

const API_KEY_HEADER: &str = "x-api-key";

const UNAUTHORIZED: &str = r#"{"code":"api_key_invalid","message":"The API key you provided is not valid.","docs_url":"https://docs.twelvelabs.io/v1.3/api-reference/error-codes"}"#;

const DEFAULT_PAGE_LIMIT: usize = 10;
const MAX_PAGE_LIMIT: usize = 50;
const ASSET_TYPES: [&str; 4] = ["image", "video", "audio", "document"];

/// Seed 002, the `GET /assets/{asset_id}` example response.
const SEED_ASSET: &str = r#"{
 "_id": "6298d673f1090f1100476d4c",
 "created_at": "2022-06-02T10:30:00Z",
 "duration": 120.5,
 "file_type": "image/jpeg",
 "filename": "image-01.jpg",
 "hls": {
 "manifest_url": "https://cdn.example.com/assets/6298d673f1090f1100476d4c/manifest.m3u8",
 "status": "ready"
 },
 "method": "direct",
 "size": 104857600,
 "status": "ready",
 "thumbnail": {
 "representative_url": "https://cdn.example.com/assets/6298d673f1090f1100476d4c/thumbnail.jpg",
 "status": "ready"
 },
 "user_metadata": {}
}"#;

#[derive(Debug)]
struct StoredAsset {
    /// Insertion order, the tie-break between equal `created_at`s (later first).
    seq: u64,
    json: StoredJson,
}

/// Assets by `_id`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    assets: HashMap<String, StoredAsset>,
    next_seq: u64,
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Self::default();
        store.insert_asset(StoredJson::from_fixture(SEED_ASSET));
        store
    }

    pub(crate) fn seed_asset(&mut self, asset: Value) {
        self.insert_asset(StoredJson::from_value(asset));
    }

    fn insert_asset(&mut self, json: StoredJson) {
        let Some(id) = json.str("_id").map(str::to_owned) else {
            panic!("media-mock: a TwelveLabs asset needs a string \"_id\"");
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        self.assets.insert(id, StoredAsset { seq, json });
    }
}

pub(crate) fn router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/assets", get(list_assets))
        .route("/assets/{asset_id}", get(retrieve_asset))
        .route_layer(middleware::from_fn(require_api_key))
        .with_state(store)
}

async fn require_api_key(request: Request, next: Next) -> Response {
    let authorized = request
        .headers()
        .get(API_KEY_HEADER)
        .is_some_and(|key| key.as_bytes() == credentials::TWELVELABS_API_KEY.as_bytes());
    if authorized {
        next.run(request).await
    } else {
        json::response(StatusCode::UNAUTHORIZED, UNAUTHORIZED)
    }
}

async fn retrieve_asset(
    State(store): State<Shared<Store>>,
    asset_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(asset_id)) = asset_id else {
        return parameter_invalid("The asset_id parameter is invalid.");
    };
    let store = lock(&store);
    match store.assets.get(&asset_id) {
        Some(asset) => json::response(StatusCode::OK, asset.json.text.clone()),
        None => error(
            StatusCode::NOT_FOUND,
            "resource_not_exist",
            &format!("The asset with id {asset_id} does not exist."),
        ),
    }
}

async fn list_assets(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let Some(page) = parse_bounded(first(&params, "page"), 1, 1, usize::MAX) else {
        return parameter_invalid(
            "The page parameter must be an integer greater than or equal to 1.",
        );
    };
    let Some(limit) = parse_bounded(
        first(&params, "page_limit"),
        DEFAULT_PAGE_LIMIT,
        1,
        MAX_PAGE_LIMIT,
    ) else {
        return parameter_invalid("The page_limit parameter must be an integer between 1 and 50.");
    };
    let asset_types = all(&params, "asset_types");
    if asset_types.iter().any(|t| !ASSET_TYPES.contains(t)) {
        return parameter_invalid(
            "The asset_types parameter must be one of image, video, audio, document.",
        );
    }
    let asset_ids: Vec<&str> = all(&params, "asset_ids")
        .into_iter()
        .filter(|id| !id.is_empty())
        .collect();
    let filename = first(&params, "filename")
        .filter(|f| !f.is_empty())
        .map(str::to_lowercase);

    let store = lock(&store);
    let mut matching: Vec<&StoredAsset> = store
        .assets
        .iter()
        .filter(|(id, _)| asset_ids.is_empty() || asset_ids.contains(&id.as_str()))
        .map(|(_, asset)| asset)
        .filter(|asset| {
            asset_types.is_empty()
                || asset_type(&asset.json).is_some_and(|t| asset_types.contains(&t))
        })
        .filter(|asset| {
            filename.as_deref().is_none_or(|wanted| {
                asset
                    .json
                    .str("filename")
                    .is_some_and(|name| name.to_lowercase().contains(wanted))
            })
        })
        .collect();
    matching.sort_by(|a, b| {
        created_at_key(&b.json)
            .cmp(&created_at_key(&a.json))
            .then(b.seq.cmp(&a.seq))
    });

    let total = matching.len();
    let data = json::array(
        matching
            .iter()
            .skip((page - 1).saturating_mul(limit))
            .take(limit)
            .map(|asset| asset.json.text.as_str()),
    );
    let total_page = total.div_ceil(limit);
    json::response(
        StatusCode::OK,
        format!(
            r#"{{"data":{data},"page_info":{{"limit_per_page":{limit},"page":{page},"total_page":{total_page},"total_results":{total}}}}}"#
        ),
    )
}

/// `raw` as an integer in `min..=max`, `default` when absent; `None` when invalid.
fn parse_bounded(raw: Option<&str>, default: usize, min: usize, max: usize) -> Option<usize> {
    match raw {
        None => Some(default),
        Some(raw) => raw.parse().ok().filter(|n| (min..=max).contains(n)),
    }
}

/// The asset type filter value an asset falls under, from its MIME type.
fn asset_type(asset: &StoredJson) -> Option<&'static str> {
    let mime = asset.str("file_type")?;
    let (top, sub) = mime.split_once('/')?;
    match top {
        "image" => Some("image"),
        "video" => Some("video"),
        "audio" => Some("audio"),
        "text" => Some("document"),
        "application" if sub == "pdf" => Some("document"),
        _ => None,
    }
}

/// A sort key for RFC 3339 `created_at` values: the seconds part, then the fraction padded so
/// that `…:40.879Z` sorts after `…:40Z`. Missing values sort oldest.
fn created_at_key(asset: &StoredJson) -> (String, String) {
    let Some(created_at) = asset.str("created_at") else {
        return (String::new(), String::new());
    };
    let Some((seconds, rest)) = created_at.split_at_checked(19) else {
        return (created_at.to_owned(), String::new());
    };
    let fraction: String = rest
        .strip_prefix('.')
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (seconds.to_owned(), format!("{fraction:0<9}"))
}

fn parameter_invalid(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "parameter_invalid", message)
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json::response(
        status,
        format!(
            r#"{{"code":{},"message":{}}}"#,
            json::quote(code),
            json::quote(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fractional_seconds_sort_after_whole_seconds() {
        let whole = StoredJson::from_value(json!({"created_at": "2024-01-16T07:59:40Z"}));
        let fraction = StoredJson::from_value(json!({"created_at": "2024-01-16T07:59:40.879Z"}));
        let missing = StoredJson::from_value(json!({}));
        assert!(created_at_key(&fraction) > created_at_key(&whole));
        assert!(created_at_key(&whole) > created_at_key(&missing));
    }

    #[test]
    fn asset_type_comes_from_the_mime_prefix() {
        let of = |mime: &str| asset_type(&StoredJson::from_value(json!({ "file_type": mime })));
        assert_eq!(of("video/mp4"), Some("video"));
        assert_eq!(of("image/jpeg"), Some("image"));
        assert_eq!(of("audio/mpeg"), Some("audio"));
        assert_eq!(of("application/pdf"), Some("document"));
        assert_eq!(of("text/markdown"), Some("document"));
        assert_eq!(of("application/zip"), None);
    }
}
