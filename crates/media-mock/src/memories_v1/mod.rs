//! memories.ai v1: routes and in-memory state.
//!
//! Envelope `{"code","msg","data","success","failed"}` with a string business code; business
//! errors come with HTTP 200 (memories-v1.md §1.3, §1.7). Every call that names a `unique_id`
//! creates that namespace implicitly, as the real service does.
//!
//! Processing advances over polls: an uploaded video is `UNPARSE` for its first observation
//! (`get_metadata`, `list_videos`, an import-task poll) and `PARSE` from the next one on (a video
//! whose name contains `fail` ends `FAIL` with a cause instead). An import task answers an empty
//! list on its first poll (still downloading), then its videos.

#![allow(
    clippy::result_large_err,
    reason = "routes answer early with the finished error response; boxing it gains nothing here"
)]

mod chat;
mod library;
mod memory;
mod multipart;
mod search;
mod transcription;
mod upload;

use std::collections::{BTreeSet, HashMap};

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use http::StatusCode;
use serde_json::{Value, json};

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

/// The catalog's running example (memories-v1.md §3.2 `list_videos`), in the captured string shape.
const BEACH_VIDEO: &str = r#"{"duration":"42","size":"7340032","status":"PARSE","cause":"null","video_no":"VI700000000000000001","video_name":"beach_walk","create_time":"1760000000000"}"#;

/// The catalog's public video (memories-v1.md §3.2 `get_public_video_detail`).
const PUBLIC_VIDEO: &str = r#"{"duration":"30","status":"PARSE","video_no":"PI-700000000000000900","video_name":"Morning routine #fyp","create_time":"1760000200000","video_url":"https://www.tiktok.com/player/v1/0000000000000000000","blogger_id":"somecreator","view_count":"12000","like_count":"800","publish_time":"1759990000"}"#;

/// Where the mock's generated numeric ids start (18 digits, above 2^53).
const FIRST_ID: u64 = 700_000_000_000_001_000;

/// One private video and how many more observations keep it unparsed.
#[derive(Debug, Clone)]
pub(crate) struct Video {
    pub(crate) json: StoredJson,
    pub(crate) polls_left: u32,
    pub(crate) seq: u64,
}

/// One import task.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    /// `None` for a public-library import.
    pub(crate) unique_id: Option<String>,
    /// Video names to create once the download "finishes".
    pub(crate) pending: Vec<(String, String)>,
    pub(crate) video_nos: Vec<String>,
    pub(crate) polls: u32,
}

/// One chat session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) unique_id: String,
    pub(crate) id: u64,
    pub(crate) title: String,
    pub(crate) messages: Vec<Value>,
}

/// Everything the v1 API holds.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) videos: HashMap<(String, String), Video>,
    pub(crate) public_videos: HashMap<String, StoredJson>,
    pub(crate) tasks: HashMap<String, Task>,
    pub(crate) sessions: Vec<Session>,
    pub(crate) images: Vec<(String, Value)>,
    pub(crate) memories: Vec<(String, Value)>,
    /// Custom visual transcripts set by `update_video_transcription`.
    pub(crate) captions: HashMap<String, String>,
    pub(crate) namespaces: BTreeSet<String>,
    next_id: u64,
    next_seq: u64,
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Self {
            next_id: FIRST_ID,
            ..Self::default()
        };
        store.insert_video(DEFAULT_UNIQUE_ID, StoredJson::from_fixture(SEED_VIDEO), 0);
        store.insert_video(DEFAULT_UNIQUE_ID, StoredJson::from_fixture(BEACH_VIDEO), 0);
        let public = StoredJson::from_fixture(PUBLIC_VIDEO);
        store
            .public_videos
            .insert("PI-700000000000000900".to_owned(), public);
        store
    }

    pub(crate) fn seed_video(&mut self, unique_id: &str, video: Value) {
        self.insert_video(unique_id, StoredJson::from_value(video), 0);
    }

    pub(crate) fn insert_video(&mut self, unique_id: &str, video: StoredJson, polls_left: u32) {
        let Some(video_no) = video.str("video_no").map(str::to_owned) else {
            panic!("media-mock: a memories v1 video needs a string \"video_no\"");
        };
        self.namespaces.insert(unique_id.to_owned());
        self.next_seq += 1;
        let seq = self.next_seq;
        self.videos.insert(
            (unique_id.to_owned(), video_no),
            Video {
                json: video,
                polls_left,
                seq,
            },
        );
    }

    /// A fresh 18-digit number.
    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Observes a video once: advances it towards its final status and returns it as served.
    pub(crate) fn observe(&mut self, unique_id: &str, video_no: &str) -> Option<StoredJson> {
        let video = self
            .videos
            .get_mut(&(unique_id.to_owned(), video_no.to_owned()))?;
        if video.polls_left > 0 {
            video.polls_left -= 1;
            if video.polls_left == 0 {
                let mut value = video.json.value.clone();
                let failed = value["video_name"]
                    .as_str()
                    .is_some_and(|name| name.to_ascii_lowercase().contains("fail"));
                if failed {
                    value["status"] = json!("FAIL");
                    value["cause"] = json!("Indexing failed. ");
                } else {
                    value["status"] = json!("PARSE");
                    value["duration"] = json!("30");
                    value["fps"] = json!(30);
                    value["width"] = json!(1280);
                    value["height"] = json!(720);
                    value["resolution_label"] = json!("720P");
                }
                let served = video.json.clone();
                video.json = StoredJson::from_value(value);
                return Some(served);
            }
        }
        Some(video.json.clone())
    }

    /// The parsed private video `video_no` of `unique_id`, if any.
    pub(crate) fn parsed(&self, unique_id: &str, video_no: &str) -> Option<&Value> {
        self.videos
            .get(&(unique_id.to_owned(), video_no.to_owned()))
            .map(|video| &video.json.value)
            .filter(|value| value["status"] == "PARSE")
    }

    /// Private videos of a namespace in upload order.
    pub(crate) fn videos_of(&self, unique_id: &str) -> Vec<&Video> {
        let mut videos: Vec<&Video> = self
            .videos
            .iter()
            .filter(|((ns, _), _)| ns == unique_id)
            .map(|(_, video)| video)
            .collect();
        videos.sort_by_key(|video| video.seq);
        videos
    }
}

pub(crate) fn router(store: Shared<Store>) -> Router {
    Router::new()
        .route("/get_metadata", get(library::get_metadata))
        .route("/get_private_video_details", get(library::private_details))
        .route("/list_videos", post(library::list_videos))
        .route("/get_video_ids_by_task_id", get(library::task_status))
        .route("/delete_videos", post(library::delete_videos))
        .route("/download", post(library::download))
        .route("/list_unique_ids", get(library::list_unique_ids))
        .route("/img_list_page", post(library::img_list_page))
        .route("/get_public_video_detail", get(library::public_detail))
        .route("/upload", post(upload::upload))
        .route("/upload_url", post(upload::upload_url))
        .route("/upload_img", post(upload::upload_img))
        .route("/scraper_url", post(upload::scraper_url))
        .route("/scraper_url_public", post(upload::scraper_url_public))
        .route("/scraper", post(upload::scraper))
        .route("/scraper_public", post(upload::scraper_public))
        .route("/scraper_tag", post(upload::scraper_tag))
        .route("/scraper_tag_public", post(upload::scraper_tag_public))
        .route("/search", post(search::search))
        .route("/search_public", post(search::search_public))
        .route("/search_audio_transcripts", get(search::audio_transcripts))
        .route(
            "/search_public_audio_transcripts",
            get(search::public_audio_transcripts),
        )
        .route("/search_similar_images", post(search::similar_images))
        .route(
            "/search_public_similar_images",
            post(search::public_similar_images),
        )
        .route("/search_clips_by_image", post(search::clips_by_image))
        .route("/get_video_caption", get(transcription::video_caption))
        .route(
            "/get_video_transcription",
            get(transcription::video_caption),
        )
        .route("/get_audio_transcription", get(transcription::audio))
        .route(
            "/get_public_video_transcription",
            get(transcription::public_video),
        )
        .route(
            "/get_public_audio_transcription",
            get(transcription::public_audio),
        )
        .route("/generate_summary", get(transcription::summary))
        .route("/update_video_transcription", post(transcription::update))
        .route("/chat", post(chat::chat))
        .route("/chat_stream", post(chat::chat_stream))
        .route("/marketer_chat", post(chat::marketer_chat))
        .route("/marketer_chat_stream", post(chat::marketer_chat_stream))
        .route("/chat_personal", post(chat::personal_chat))
        .route("/chat_personal_stream", post(chat::personal_chat_stream))
        .route("/list_sessions", get(chat::list_sessions))
        .route("/get_session_detail", get(chat::session_detail))
        .route("/memories/add", post(memory::add))
        .route("/memories/search", post(memory::search))
        .route("/memories", post(memory::list))
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

/// `{"code":"0000",…}` around already serialized `data`.
pub(crate) fn success(data: &str) -> Response {
    json::response(
        StatusCode::OK,
        format!(r#"{{"code":"0000","msg":"success","data":{data},"success":true,"failed":false}}"#),
    )
}

/// `{"code":"0000",…}` around `data`.
pub(crate) fn success_value(data: &Value) -> Response {
    success(&data.to_string())
}

/// A business error under HTTP 200.
pub(crate) fn failure(code: &str, msg: &str) -> Response {
    json::response(
        StatusCode::OK,
        format!(
            r#"{{"code":{},"msg":{},"data":null,"success":false,"failed":true}}"#,
            json::quote(code),
            json::quote(msg)
        ),
    )
}

/// Code `0001`: a bad or missing parameter.
pub(crate) fn invalid_parameter(msg: &str) -> Response {
    failure("0001", msg)
}

/// The decoded query string.
pub(crate) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    decode_form(query.unwrap_or_default())
}

/// A JSON object body, or the `0001` answer.
pub(crate) fn json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid_parameter("the request body must be a JSON object")),
    }
}

/// A namespace as sent: absent is `"default"`, empty is refused. Records it as existing.
pub(crate) fn namespace(store: &mut Store, given: Option<&str>) -> Result<String, Response> {
    match given {
        None => {
            store.namespaces.insert(DEFAULT_UNIQUE_ID.to_owned());
            Ok(DEFAULT_UNIQUE_ID.to_owned())
        }
        Some("") => Err(invalid_parameter("unique_id cannot be empty")),
        Some(unique_id) => {
            store.namespaces.insert(unique_id.to_owned());
            Ok(unique_id.to_owned())
        }
    }
}

/// The namespace of a query string.
pub(crate) fn query_namespace(
    store: &mut Store,
    pairs: &[(String, String)],
) -> Result<String, Response> {
    namespace(store, first(pairs, "unique_id"))
}

/// The namespace of a JSON body (a non-string `unique_id` is refused).
pub(crate) fn body_namespace(
    store: &mut Store,
    body: &serde_json::Map<String, Value>,
) -> Result<String, Response> {
    match body.get("unique_id") {
        None | Some(Value::Null) => namespace(store, None),
        Some(Value::String(unique_id)) => namespace(store, Some(unique_id)),
        Some(_) => Err(invalid_parameter("unique_id must be a string")),
    }
}

/// A required non-empty string member of a JSON body.
pub(crate) fn required_str<'a>(
    body: &'a serde_json::Map<String, Value>,
    name: &str,
) -> Result<&'a str, Response> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| invalid_parameter(&format!("{name} cannot be null or empty")))
}

/// A positive integer member of a JSON body or query (number or numeric string), or `default`.
pub(crate) fn positive(value: Option<&Value>, name: &str, default: u64) -> Result<u64, Response> {
    let parsed = match value {
        None | Some(Value::Null) => return Ok(default),
        Some(Value::Number(number)) => number.as_u64(),
        Some(Value::String(text)) => text.parse().ok(),
        Some(_) => None,
    };
    parsed
        .filter(|n| *n > 0)
        .ok_or_else(|| invalid_parameter(&format!("{name} must be greater than 0")))
}

/// Words of a query, lower-cased, for the mock's naive matching.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.len() > 2)
        .map(str::to_lowercase)
        .collect()
}

/// The visual transcript segments the mock tells about a parsed video.
pub(crate) fn caption_segments(store: &Store, video_no: &str, name: &str) -> Value {
    let text = store.captions.get(video_no).cloned().unwrap_or_else(|| {
        if name == "beach_walk" {
            "Waves roll onto an empty beach at dusk.".to_owned()
        } else {
            format!("Scenes of {name}.")
        }
    });
    json!([{"index": 0, "content": text, "startTime": "0", "endTime": "6"}])
}

/// The speech transcript segments the mock tells about a parsed video.
pub(crate) fn audio_segments(name: &str) -> Value {
    let text = if name == "beach_walk" {
        " and that is where the tide comes in.".to_owned()
    } else {
        format!(" this is {name} speaking.")
    };
    json!([{"index": 0, "content": text, "startTime": "31", "endTime": "35"}])
}

impl crate::MockServer {
    /// Stores a memories.ai v1 video that stays `UNPARSE` for `polls` observations
    /// (`get_metadata`, `list_videos`, task polls) before it becomes `PARSE` (or `FAIL` when its
    /// `video_name` contains `fail`).
    ///
    /// Panics if `video` has no string `"video_no"`.
    pub fn seed_memories_v1_processing_video(&self, unique_id: &str, video: Value, polls: u32) {
        let mut store = lock(&self.memories_v1);
        let mut video = video;
        video["status"] = json!("UNPARSE");
        store.insert_video(unique_id, StoredJson::from_value(video), polls);
    }

    /// Stores a memories.ai v1 public-library video keyed by its `"video_no"` (`PI-…`), served
    /// verbatim by `get_public_video_detail`.
    ///
    /// Panics if `video` has no string `"video_no"`.
    pub fn seed_memories_v1_public_video(&self, video: Value) {
        let Some(video_no) = video["video_no"].as_str().map(str::to_owned) else {
            panic!("media-mock: a memories v1 public video needs a string \"video_no\"");
        };
        lock(&self.memories_v1)
            .public_videos
            .insert(video_no, StoredJson::from_value(video));
    }

    /// The memories.ai v1 video ids stored in namespace `unique_id`, in upload order.
    pub fn memories_v1_video_nos(&self, unique_id: &str) -> Vec<String> {
        lock(&self.memories_v1)
            .videos_of(unique_id)
            .iter()
            .filter_map(|video| video.json.str("video_no").map(str::to_owned))
            .collect()
    }
}
