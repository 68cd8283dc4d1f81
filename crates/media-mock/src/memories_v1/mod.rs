//! memories.ai v1: routes and in-memory state.
//!
//! Envelope `{"code","msg","data","success","failed"}` with a string business code; business
//! errors come with HTTP 200 (memories-v1.md §1.3, §1.7).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::Value;

use crate::credentials;
use crate::json::{self, StoredJson};
use crate::record::{decode_form, first};
use crate::server::{Shared, lock};

/// Where the API root sits on the mock.
pub(crate) const PREFIX: &str = "/memories-v1/serve/api/v1";

const DEFAULT_UNIQUE_ID: &str = "default";

const UNAUTHORIZED: &str =
    r#"{"code":"0401","msg":"API key is invalid","data":null,"success":false,"failed":true}"#;

/// Seed 001, `GET /get_metadata` example response `data`.
const SEED_VIDEO: &str = r#"{
    "video_no": "VI606404158946574336",
    "video_name": "182082-867762198_tiny",
    "duration": 12,
    "size": 3284512,
    "status": "PARSE",
    "create_time": 1754037217992,
    "resolution_label": "720P",
    "fps": 30,
    "width": 1280,
    "height": 720,
    "datetime_taken": 1729388400000,
    "camera_model": "Canon EOS 5D",
    "latitude": 39.9042,
    "longitude": 116.4074,
    "tags": [
      "holiday",
      "beijing",
      "api"
    ]
}"#;

/// Videos per namespace (`unique_id`).
#[derive(Debug, Default)]
pub(crate) struct Store {
    videos: HashMap<(String, String), StoredJson>,
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Self::default();
        store.insert_video(DEFAULT_UNIQUE_ID, StoredJson::from_fixture(SEED_VIDEO));
        store
    }

    pub(crate) fn seed_video(&mut self, unique_id: &str, video: Value) {
        self.insert_video(unique_id, StoredJson::from_value(video));
    }

    fn insert_video(&mut self, unique_id: &str, video: StoredJson) {
        let Some(video_no) = video.str("video_no").map(str::to_owned) else {
            panic!("media-mock: a memories v1 video needs a string \"video_no\"");
        };
        self.videos.insert((unique_id.to_owned(), video_no), video);
    }
}

pub(crate) fn router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/get_metadata", get(get_metadata))
        .route_layer(middleware::from_fn(require_api_key))
        .with_state(store)
}

async fn require_api_key(request: Request, next: Next) -> Response {
    let authorized = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .is_some_and(|key| key.as_bytes() == credentials::MEMORIES_API_KEY.as_bytes());
    if authorized {
        next.run(request).await
    } else {
        json::response(StatusCode::UNAUTHORIZED, UNAUTHORIZED)
    }
}

async fn get_metadata(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let Some(video_no) = first(&params, "video_no").filter(|v| !v.is_empty()) else {
        return invalid_parameter("video_no cannot be null or empty");
    };
    let unique_id = match first(&params, "unique_id") {
        None => DEFAULT_UNIQUE_ID,
        Some("") => return invalid_parameter("unique_id cannot be empty"),
        Some(unique_id) => unique_id,
    };
    let data = lock(&store)
        .videos
        .get(&(unique_id.to_owned(), video_no.to_owned()))
        .map(|video| video.text.clone());
    success(data.as_deref().unwrap_or("null"))
}

fn success(data: &str) -> Response {
    json::response(
        StatusCode::OK,
        format!(r#"{{"code":"0000","msg":"success","data":{data},"success":true,"failed":false}}"#),
    )
}

fn invalid_parameter(msg: &str) -> Response {
    json::response(
        StatusCode::OK,
        format!(
            r#"{{"code":"0001","msg":{},"data":null,"success":false,"failed":true}}"#,
            json::quote(msg)
        ),
    )
}
