//! memories.ai v2: routes and in-memory state.
//!
//! Success envelope `{"code","msg","data","success","failed"}` (the metadata seed document uses
//! the string code `"0000"`); errors carry an integer `code` equal to the HTTP status
//! (memories-v2.md §1.3, §1.6).

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::Value;

use crate::credentials;
use crate::json::{self, StoredJson};
use crate::server::{Shared, lock};

/// Where the API root sits on the mock.
pub(crate) const PREFIX: &str = "/memories-v2/serve/api/v2";

const UNAUTHORIZED: &str = r#"{"code":401,"msg":"Unauthorized","data":null}"#;
const ASSET_NOT_FOUND: &str =
    r#"{"code":400,"msg":"Asset not found","data":null,"success":false,"failed":true}"#;

/// Seed 000, the one resource of the `GET /{asset_id}/metadata` example.
const SEED_ASSET: &str = r#"{
    "extension": "mp4",
    "asset_id": "re_660729180626595840",
    "original_filename": "3",
    "file_size": "133652816",
    "upload_status": "SUCCESS",
    "create_time": "1766989317192",
    "modify_time": "1766989317192"
}"#;

/// A frame group in the id scheme of seed 003: `im_<digits>` holding `imc_<digits>_<n>`.
const SEED_FRAME_GROUP: &str = "im_666914042514116608";
const SEED_FRAMES: [&str; 3] = [
    r#"{
    "extension": "jpg",
    "asset_id": "imc_666914042514116608_0",
    "original_filename": "frame_0.jpg",
    "file_size": "48213",
    "upload_status": "SUCCESS",
    "create_time": "1767052800123",
    "modify_time": "1767052800123"
}"#,
    r#"{
    "extension": "jpg",
    "asset_id": "imc_666914042514116608_1",
    "original_filename": "frame_1.jpg",
    "file_size": "51377",
    "upload_status": "SUCCESS",
    "create_time": "1767052800125",
    "modify_time": "1767052800125"
}"#,
    r#"{
    "extension": "jpg",
    "asset_id": "imc_666914042514116608_2",
    "original_filename": "frame_2.jpg",
    "file_size": "49902",
    "upload_status": "SUCCESS",
    "create_time": "1767052800127",
    "modify_time": "1767052800127"
}"#,
];

/// Assets by `asset_id`, and frame groups (`im_…`) by the ids of their frames.
#[derive(Debug, Default)]
pub(crate) struct Store {
    assets: HashMap<String, StoredJson>,
    groups: HashMap<String, Vec<String>>,
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Self::default();
        store.insert_asset(StoredJson::from_fixture(SEED_ASSET));
        store.insert_group(
            SEED_FRAME_GROUP,
            SEED_FRAMES.map(StoredJson::from_fixture).into(),
        );
        store
    }

    pub(crate) fn seed_asset(&mut self, asset: Value) {
        self.insert_asset(StoredJson::from_value(asset));
    }

    pub(crate) fn seed_frames(&mut self, group_id: &str, frames: Vec<Value>) {
        let frames = frames.into_iter().map(StoredJson::from_value).collect();
        self.insert_group(group_id, frames);
    }

    fn insert_asset(&mut self, asset: StoredJson) -> String {
        let Some(asset_id) = asset.str("asset_id").map(str::to_owned) else {
            panic!("media-mock: a memories v2 asset needs a string \"asset_id\"");
        };
        self.assets.insert(asset_id.clone(), asset);
        asset_id
    }

    fn insert_group(&mut self, group_id: &str, frames: Vec<StoredJson>) {
        let frame_ids = frames
            .into_iter()
            .map(|frame| self.insert_asset(frame))
            .collect();
        self.groups.insert(group_id.to_owned(), frame_ids);
    }

    /// The metadata resources of `asset_id`: every frame of a group, or the one asset.
    fn resources(&self, asset_id: &str) -> Option<Vec<&StoredJson>> {
        if let Some(frame_ids) = self.groups.get(asset_id) {
            return Some(
                frame_ids
                    .iter()
                    .filter_map(|id| self.assets.get(id))
                    .collect(),
            );
        }
        self.assets.get(asset_id).map(|asset| vec![asset])
    }
}

pub(crate) fn router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/{asset_id}/metadata", get(get_metadata))
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

async fn get_metadata(
    State(store): State<Shared<Store>>,
    asset_id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(asset_id)) = asset_id else {
        return json::response(StatusCode::BAD_REQUEST, ASSET_NOT_FOUND);
    };
    let store = lock(&store);
    let Some(resources) = store.resources(&asset_id) else {
        return json::response(StatusCode::BAD_REQUEST, ASSET_NOT_FOUND);
    };
    let total = resources.len();
    let resource = json::array(resources.iter().map(|asset| asset.text.as_str()));
    json::response(
        StatusCode::OK,
        format!(
            r#"{{"code":"0000","msg":"success","data":{{"total":{total},"resource":{resource}}},"success":true,"failed":false}}"#
        ),
    )
}
