//! memories.ai v2: routes and in-memory state.
//!
//! Success envelope `{"code","msg","data","success","failed"}` (the metadata seed document uses
//! the string code `"0000"`, newer endpoints the integer `200`); errors carry an integer `code`
//! equal to the HTTP status (memories-v2.md §1.3, §1.6). Async jobs answer a task id and deliver
//! their result to the webhook URL set with [`crate::MockServer::set_memories_v2_webhook_url`]
//! (or `PUT {PREFIX}/__mock/webhook` with `{"url": …}`), like the account-wide webhook of the
//! real service; without one they fail as documented.
//!
//! The adjacent hosts `stream.memories.ai` and `security.memories.ai` share this state and are
//! served under their own prefixes (see `adjacent`).

mod adjacent;
mod assets;
mod inference;
mod jobs;
mod wire;
mod ws;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};
use http::StatusCode;
use serde_json::{Value, json};

use crate::credentials;
use crate::json::{self, StoredJson};
use crate::server::{Shared, lock};

pub(crate) use adjacent::{CAPTION_PREFIX, STREAM_PREFIX, caption_router, stream_router};

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

/// The bucket and blob of the download-by-location example.
const SEED_BUCKET: &str = "mavi-resource";
const SEED_BLOB: &str = "folder/VI000000000000000001.mp4";

/// A stored file: content type and bytes.
#[derive(Debug, Clone)]
pub(crate) struct Blob {
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
}

/// An async job: its kind, the result its webhook carries, and how far
/// `GET /task/{id}` has seen it advance.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) kind: &'static str,
    pub(crate) result: Value,
    pub(crate) polls: u32,
}

/// A screenplay job.
#[derive(Debug, Clone)]
pub(crate) struct ScreenplayJob {
    pub(crate) status: &'static str,
    pub(crate) episodes: usize,
    pub(crate) polls: u32,
}

/// Assets by `asset_id`, frame groups (`im_…`) by the ids of their frames, and every job.
#[derive(Debug)]
pub(crate) struct Store {
    assets: HashMap<String, StoredJson>,
    groups: HashMap<String, Vec<String>>,
    /// Bytes served by downloads; assets without bytes serve a short placeholder.
    pub(crate) blobs: HashMap<String, Blob>,
    /// Objects of `GET /download?bucket=&blob=`.
    pub(crate) objects: HashMap<(String, String), Blob>,
    /// Uploads still moving towards `SUCCESS`: metadata reads left per state.
    pub(crate) uploads: HashMap<String, u32>,
    pub(crate) tasks: HashMap<String, Task>,
    pub(crate) screenplays: BTreeMap<String, ScreenplayJob>,
    pub(crate) streams: HashMap<String, &'static str>,
    /// Live understanding tasks of the adjacent `stream.memories.ai`, by task id.
    pub(crate) understand_tasks: HashMap<String, adjacent::UnderstandTask>,
    /// Async caption tasks of the adjacent `security.memories.ai`: their parameters, by task id.
    pub(crate) caption_tasks: HashMap<String, Value>,
    pub(crate) webhook_url: Option<String>,
    pub(crate) webhook_delay: Duration,
    /// Every webhook sent: `(url, body, answer status or error)`.
    pub(crate) deliveries: Vec<(String, String, Result<u16, String>)>,
    /// How many metadata reads an upload takes to reach `SUCCESS`.
    pub(crate) upload_polls: u32,
    /// How many status reads a screenplay job takes per state.
    pub(crate) screenplay_polls: u32,
    /// The live audio WebSocket listener, started on first use.
    ws: Option<ws::WsServer>,
    /// The query of every WebSocket handshake.
    pub(crate) ws_handshakes: Vec<HashMap<String, String>>,
    counter: u64,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            assets: HashMap::new(),
            groups: HashMap::new(),
            blobs: HashMap::new(),
            objects: HashMap::new(),
            uploads: HashMap::new(),
            tasks: HashMap::new(),
            screenplays: BTreeMap::new(),
            streams: HashMap::new(),
            understand_tasks: HashMap::new(),
            caption_tasks: HashMap::new(),
            webhook_url: None,
            webhook_delay: Duration::from_millis(20),
            deliveries: Vec::new(),
            upload_polls: 2,
            screenplay_polls: 1,
            ws: None,
            ws_handshakes: Vec::new(),
            counter: 0,
        }
    }
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Self::default();
        store.insert_asset(StoredJson::from_fixture(SEED_ASSET));
        store.insert_group(
            SEED_FRAME_GROUP,
            SEED_FRAMES.map(StoredJson::from_fixture).into(),
        );
        store.objects.insert(
            (SEED_BUCKET.to_owned(), SEED_BLOB.to_owned()),
            Blob {
                content_type: "video/mp4".into(),
                bytes: b"media-mock bytes of folder/VI000000000000000001.mp4\n".to_vec(),
            },
        );
        store
    }

    /// The next number of a fresh id.
    pub(crate) fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// A fresh `re_` / `im_` number.
    pub(crate) fn next_digits(&mut self) -> String {
        format!("{}", 700_000_000_000_000_100u64 + self.next())
    }

    /// A fresh 32-hex task id.
    pub(crate) fn next_task_id(&mut self) -> String {
        format!(
            "{:032x}",
            0x5b0c_2f8e_0000_0000_0000_0000_0000_0000u128 + u128::from(self.next())
        )
    }

    /// A fresh UUID-shaped stream id.
    pub(crate) fn next_uuid(&mut self) -> String {
        let n = self.next();
        format!("7e6d5c4b-3a29-4817-9605-{n:012x}")
    }

    /// The stored asset `asset_id`.
    pub(crate) fn asset(&self, asset_id: &str) -> Option<&StoredJson> {
        self.assets.get(asset_id)
    }

    /// Whether `asset_id` names an asset or a frame group.
    pub(crate) fn exists(&self, asset_id: &str) -> bool {
        self.assets.contains_key(asset_id) || self.groups.contains_key(asset_id)
    }

    /// Stores a new resource (`SUCCESS` unless `status` says otherwise) and its bytes.
    pub(crate) fn create_asset(
        &mut self,
        asset_id: &str,
        original_filename: &str,
        status: &str,
        blob: Blob,
    ) -> Value {
        let extension = original_filename
            .rsplit_once('.')
            .map_or("", |(_, ext)| ext)
            .to_owned();
        let now = now_ms();
        let value = json!({
            "extension": extension,
            "asset_id": asset_id,
            "original_filename": original_filename,
            "file_size": blob.bytes.len().to_string(),
            "upload_status": status,
            "create_time": now,
            "modify_time": now,
        });
        self.assets
            .insert(asset_id.to_owned(), StoredJson::from_value(value.clone()));
        self.blobs.insert(asset_id.to_owned(), blob);
        value
    }

    /// Stores a frame group of `count` JPEG frames and returns its frame ids.
    pub(crate) fn create_frames(&mut self, group_id: &str, count: usize) -> Vec<String> {
        let digits = group_id.trim_start_matches("im_").to_owned();
        let mut ids = Vec::new();
        for n in 0..count {
            let id = format!("imc_{digits}_{n}");
            let bytes = format!("\u{ff}\u{d8} media-mock frame {n} of {group_id}").into_bytes();
            self.create_asset(
                &id,
                &format!("frame_{n}.jpg"),
                "SUCCESS",
                Blob {
                    content_type: "image/jpeg".into(),
                    bytes,
                },
            );
            ids.push(id);
        }
        self.groups.insert(group_id.to_owned(), ids.clone());
        ids
    }

    /// Sets `upload_status` of `asset_id`.
    pub(crate) fn set_upload_status(&mut self, asset_id: &str, status: &str) {
        if let Some(stored) = self.assets.get(asset_id) {
            let mut value = stored.value.clone();
            value["upload_status"] = Value::from(status);
            value["modify_time"] = Value::from(now_ms());
            self.assets
                .insert(asset_id.to_owned(), StoredJson::from_value(value));
        }
    }

    /// Removes an asset (or a group and its frames); false when unknown.
    pub(crate) fn delete(&mut self, asset_id: &str) -> bool {
        if let Some(frames) = self.groups.remove(asset_id) {
            for frame in frames {
                self.assets.remove(&frame);
                self.blobs.remove(&frame);
            }
            return true;
        }
        self.blobs.remove(asset_id);
        self.uploads.remove(asset_id);
        self.assets.remove(asset_id).is_some()
    }

    /// The download content of `asset_id`: its stored bytes, else a short placeholder.
    pub(crate) fn blob_of(&self, asset_id: &str) -> Blob {
        self.blobs.get(asset_id).cloned().unwrap_or_else(|| {
            let extension = self
                .asset(asset_id)
                .and_then(|a| a.str("extension"))
                .unwrap_or_default();
            Blob {
                content_type: wire::mime_for(extension).into(),
                bytes: format!("media-mock bytes of {asset_id}\n").into_bytes(),
            }
        })
    }

    /// The frame ids of a group.
    pub(crate) fn group(&self, group_id: &str) -> Option<&Vec<String>> {
        self.groups.get(group_id)
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
    pub(crate) fn resources(&self, asset_id: &str) -> Option<Vec<&StoredJson>> {
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
    let platforms = ["youtube", "tiktok", "instagram", "twitter"];
    let mut authed = Router::new()
        .route("/{asset_id}/metadata", get(get_metadata))
        .route("/upload", post(assets::upload))
        .route("/upload/signed-url", post(assets::signed_url))
        .route("/{asset_id}/download", get(assets::download))
        .route("/download", get(assets::download_by_location))
        .route("/{asset_id}", axum::routing::delete(assets::delete))
        .route("/video/extract-frames", post(jobs::extract_frames))
        .route("/video/clip", post(jobs::clip))
        .route("/video/split", post(jobs::split))
        .route("/video/edit", post(jobs::edit))
        .route(
            "/transcriptions/async-generate-audio",
            post(jobs::async_audio),
        )
        .route(
            "/transcriptions/async-generate-speaker",
            post(jobs::async_speaker),
        )
        .route(
            "/transcriptions/async-generate-multi-speaker",
            post(jobs::async_multi_speaker),
        )
        .route(
            "/transcriptions/async-generate-video",
            post(jobs::async_video),
        )
        .route("/transcriptions/async-summary", post(jobs::async_summary))
        .route("/task/{task_id}", get(jobs::task_status))
        .route(
            "/transcriptions/sync-generate-audio",
            post(inference::sync_audio),
        )
        .route(
            "/transcriptions/sync-generate-speaker",
            post(inference::sync_speaker),
        )
        .route(
            "/transcriptions/speech-to-text",
            post(inference::speech_to_text),
        )
        .route(
            "/asset/{asset_id}/transcription",
            post(inference::asset_transcription),
        )
        .route("/embeddings/video", post(inference::embed_video))
        .route("/embeddings/image", post(inference::embed_image))
        .route("/embeddings/text", post(inference::embed_text))
        .route("/vu/chat/completions", post(inference::chat_video))
        .route("/iu/chat/completions", post(inference::chat_image))
        .route("/audio-stream/start", post(jobs::audio_stream_start))
        .route("/audio-stream/stop", post(jobs::stream_stop))
        .route("/stream/start", post(jobs::video_stream_start))
        .route("/stream/stop", post(jobs::stream_stop))
        .route("/screenplay/tasks", post(inference::screenplay_submit))
        .route(
            "/screenplay/tasks/{task_id}",
            get(inference::screenplay_status).delete(inference::screenplay_cancel),
        )
        .route(
            "/screenplay/tasks/{task_id}/download",
            get(inference::screenplay_download),
        )
        .route("/queries/stream", post(inference::search));
    for platform in platforms {
        authed = authed
            .route(
                &format!("/{platform}/video/metadata"),
                post(move |state: State<Shared<Store>>, body: Bytes| async move {
                    inference::social_metadata(platform, &state.0, &body)
                }),
            )
            .route(
                &format!("/{platform}/video/transcript"),
                post(move |state: State<Shared<Store>>, body: Bytes| async move {
                    inference::social_transcript(platform, &state.0, &body)
                }),
            )
            .route(
                &format!("/{platform}/video/mai/transcript"),
                post(move |state: State<Shared<Store>>, body: Bytes| async move {
                    jobs::mai_transcript(platform, &state.0, &body)
                }),
            );
    }
    let public = Router::new()
        .route(
            "/__storage/{asset_id}",
            put(assets::storage_put).post(assets::storage_post),
        )
        .route("/__mock/webhook", put(set_webhook));
    authed
        .route_layer(middleware::from_fn(require_api_key))
        .merge(public)
        .with_state(store)
}

/// `PUT /__mock/webhook` `{"url": "http://…"}` (or `null`): the account's webhook URL.
async fn set_webhook(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let Some(body) = wire::json_body(&body) else {
        return wire::bad_request("body must be {\"url\": \"http://…\"}");
    };
    let url = body.get("url").and_then(Value::as_str).map(str::to_owned);
    lock(&store).webhook_url.clone_from(&url);
    wire::ok(&json!({ "url": url }))
}

fn now_ms() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
        .to_string()
}

impl crate::MockServer {
    /// Sets the memories.ai v2 account's webhook URL (`http://` only): every async job
    /// (frames, clip, split, edit, async transcriptions, MAI transcripts, streams) delivers its
    /// result there, like the URL registered in the real console. `None` removes it, and async
    /// calls then fail with HTTP 400 `"An async request requires at least one webhook."`.
    pub fn set_memories_v2_webhook_url(&self, url: Option<&str>) {
        lock(&self.memories_v2).webhook_url = url.map(str::to_owned);
    }

    /// How long after accepting an async job the mock delivers its webhook (default 20 ms).
    pub fn set_memories_v2_webhook_delay(&self, delay: Duration) {
        lock(&self.memories_v2).webhook_delay = delay;
    }

    /// Every memories.ai v2 webhook delivered so far: `(url, JSON body)`, in order.
    pub fn memories_v2_webhooks(&self) -> Vec<(String, serde_json::Value)> {
        lock(&self.memories_v2)
            .deliveries
            .iter()
            .map(|(url, body, _)| {
                (
                    url.clone(),
                    serde_json::from_str(body).unwrap_or(Value::Null),
                )
            })
            .collect()
    }

    /// How many metadata reads an upload takes to reach `SUCCESS` (default 2:
    /// `WAITING` → `UPLOADING` → `SUCCESS`; 0 makes uploads ready at once).
    pub fn set_memories_v2_upload_polls(&self, polls: u32) {
        lock(&self.memories_v2).upload_polls = polls;
    }

    /// The URL of the memories.ai v2 live audio WebSocket,
    /// `ws://127.0.0.1:PORT/serve/ws/v2/audio-stream`, served on its own loopback port (started
    /// on the first call, stopped with the mock). Pass it to the client's `Config::ws_url`.
    pub async fn memories_v2_ws_url(&self) -> String {
        let running = lock(&self.memories_v2).ws.as_ref().map(|ws| ws.addr);
        let addr = if let Some(addr) = running {
            addr
        } else {
            let server = match ws::start(std::sync::Arc::clone(&self.memories_v2)).await {
                Ok(server) => server,
                Err(error) => panic!("media-mock: cannot bind the WebSocket listener: {error}"),
            };
            lock(&self.memories_v2).ws.get_or_insert(server).addr
        };
        format!("ws://{addr}{}", ws::PATH)
    }

    /// The query parameters of every live audio WebSocket handshake so far.
    pub fn memories_v2_ws_handshakes(&self) -> Vec<HashMap<String, String>> {
        lock(&self.memories_v2).ws_handshakes.clone()
    }

    /// Stores `bytes` as the download content of asset `asset_id`.
    pub fn seed_memories_v2_bytes(&self, asset_id: &str, content_type: &str, bytes: Vec<u8>) {
        lock(&self.memories_v2).blobs.insert(
            asset_id.to_owned(),
            Blob {
                content_type: content_type.to_owned(),
                bytes,
            },
        );
    }
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
    let mut store = lock(&store);
    if let Some(left) = store.uploads.get(&asset_id).copied() {
        let left = left.saturating_sub(1);
        if left == 0 {
            store.uploads.remove(&asset_id);
            store.set_upload_status(&asset_id, "SUCCESS");
        } else {
            store.uploads.insert(asset_id.clone(), left);
            store.set_upload_status(&asset_id, "UPLOADING");
        }
    }
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
