//! Upload routes: video files (multipart), URLs (form-encoded), images, platform imports.

use axum::extract::State;
use axum::response::Response;
use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Map, Value, json};

use super::multipart::{self, Form};
use super::{
    Store, Task, body_namespace, invalid_parameter, json_object, namespace, required_str,
    success_value,
};
use crate::json::StoredJson;
use crate::record::{all, decode_form, first};
use crate::server::{Shared, lock};

type St = State<Shared<Store>>;

/// How many observations a fresh upload stays `UNPARSE`.
const UPLOAD_POLLS: u32 = 1;

/// Stores a new unparsed video and answers the documented upload `data`.
fn accept_video(
    store: &mut Store,
    unique_id: &str,
    name: &str,
    fields: &[(String, String)],
) -> Response {
    let video_no = format!("VI{}", store.next_id());
    let mut video = json!({
        "video_no": video_no, "video_name": name, "duration": "0", "size": "0",
        "status": "UNPARSE", "cause": "null", "create_time": "1760000000000",
    });
    let field = |name: &str| first(fields, name).map(str::to_owned);
    if let Some(model) = field("camera_model") {
        video["camera_model"] = json!(model);
    }
    if let (Some(lat), Some(lon)) = (field("latitude"), field("longitude")) {
        video["latitude"] = json!(lat);
        video["longitude"] = json!(lon);
    }
    let mut tags: Vec<&str> = all(fields, "tags");
    tags.push("api");
    video["tags"] = json!(tags);
    store.insert_video(unique_id, StoredJson::from_value(video), UPLOAD_POLLS);
    success_value(&json!({
        "videoNo": video_no, "videoName": name, "videoStatus": "UNPARSE",
        "uploadTime": "1760000000000",
    }))
}

/// The non-file fields of a form, as pairs.
fn text_fields(form: &Form) -> Vec<(String, String)> {
    form.parts
        .iter()
        .filter(|part| part.file_name.is_none())
        .map(|part| (part.name.clone(), part.text()))
        .collect()
}

pub(crate) async fn upload(State(store): St, headers: HeaderMap, body: Bytes) -> Response {
    let form = match multipart::parse(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(file) = form.files("file").into_iter().next() else {
        return invalid_parameter("file cannot be null");
    };
    if !file
        .content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("video/"))
    {
        return invalid_parameter("the file part's Content-Type must be video/*");
    }
    let name = file
        .file_name
        .as_deref()
        .map(|n| n.rsplit_once('.').map_or(n, |(stem, _)| stem).to_owned())
        .unwrap_or_default();
    let fields = text_fields(&form);
    let mut store = lock(&store);
    let unique_id = match namespace(&mut store, first(&fields, "unique_id")) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    accept_video(&mut store, &unique_id, &name, &fields)
}

pub(crate) async fn upload_url(State(store): St, headers: HeaderMap, body: Bytes) -> Response {
    let form_encoded = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !form_encoded {
        return invalid_parameter("Content-Type must be application/x-www-form-urlencoded");
    }
    let fields = decode_form(&String::from_utf8_lossy(&body));
    let Some(url) = first(&fields, "url").filter(|u| u.starts_with("http")) else {
        return invalid_parameter("url must be an http(s) link");
    };
    let name = url
        .rsplit('/')
        .next()
        .map(|last| last.split(['?', '#']).next().unwrap_or(last))
        .map(|file| file.rsplit_once('.').map_or(file, |(stem, _)| stem))
        .filter(|stem| !stem.is_empty())
        .unwrap_or("video")
        .to_owned();
    let mut store = lock(&store);
    let unique_id = match namespace(&mut store, first(&fields, "unique_id")) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    accept_video(&mut store, &unique_id, &name, &fields)
}

pub(crate) async fn upload_img(State(store): St, headers: HeaderMap, body: Bytes) -> Response {
    let form = match multipart::parse(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let files = form.files("files");
    if files.is_empty() {
        return invalid_parameter("files cannot be null");
    }
    if files.iter().any(|f| {
        !f.content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("image/"))
    }) {
        return invalid_parameter("every file must be an image/*");
    }
    let fields = text_fields(&form);
    let mut store = lock(&store);
    let unique_id = match namespace(&mut store, first(&fields, "unique_id")) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let mut ids = Vec::new();
    for file in files {
        let id = store.next_id();
        let name = file.file_name.clone().unwrap_or_default();
        store.images.push((
            unique_id.clone(),
            json!({
                "id": id, "name": name,
                "img_url": format!("https://storage.mock.invalid/{id}.jpg"),
                "camera_model": first(&fields, "camera_model"),
                "datetime_taken": "1760000000000",
            }),
        ));
        ids.push(json!({ "id": id }));
    }
    success_value(&Value::Array(ids))
}

/// Creates an import task that will produce one video per name.
fn create_task(store: &mut Store, unique_id: Option<String>, names: Vec<String>) -> Response {
    let public = unique_id.is_none();
    let pending = names
        .into_iter()
        .map(|name| {
            let id = store.next_id();
            let video_no = if public {
                format!("PI-{id}")
            } else {
                format!("VI{id}")
            };
            (video_no, name)
        })
        .collect();
    let task_id = format!(
        "{:08x}-0000-4000-8000-{:012x}",
        store.next_id() % 0xffff_ffff,
        store.next_id() % 0xffff_ffff_ffff
    );
    store.tasks.insert(
        task_id.clone(),
        Task {
            unique_id,
            pending,
            video_nos: Vec::new(),
            polls: 0,
        },
    );
    success_value(&json!({ "taskId": task_id }))
}

fn strings(body: &Map<String, Value>, name: &str) -> Vec<String> {
    body.get(name)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn count(body: &Map<String, Value>) -> Result<usize, Response> {
    match body.get("scraper_cnt") {
        None | Some(Value::Null) => Ok(2),
        Some(value) => value
            .as_u64()
            .filter(|n| (1..=50).contains(n))
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| invalid_parameter("scraper_cnt must be between 1 and 50")),
    }
}

fn scrape_urls(store: &Shared<Store>, body: &Bytes, public: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut urls = strings(&body, "video_urls");
    urls.extend(strings(&body, "tiktok_post_urls"));
    if !(1..=50).contains(&urls.len()) {
        return invalid_parameter("between 1 and 50 video urls are required");
    }
    if let Some(quality) = body.get("quality")
        && !quality
            .as_str()
            .is_some_and(|q| ["360", "480", "720", "1080", "1440", "2160"].contains(&q))
    {
        return invalid_parameter("quality must be one of 360, 480, 720, 1080, 1440, 2160");
    }
    let mut store = lock(store);
    let unique_id = if public {
        None
    } else {
        match body_namespace(&mut store, &body) {
            Ok(unique_id) => Some(unique_id),
            Err(response) => return response,
        }
    };
    let names = urls
        .iter()
        .enumerate()
        .map(|(i, _)| format!("Imported post {}", i + 1))
        .collect();
    create_task(&mut store, unique_id, names)
}

pub(crate) async fn scraper_url(State(store): St, body: Bytes) -> Response {
    scrape_urls(&store, &body, false)
}

pub(crate) async fn scraper_url_public(State(store): St, body: Bytes) -> Response {
    scrape_urls(&store, &body, true)
}

fn scrape_creator(store: &Shared<Store>, body: &Bytes, public: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let username = match required_str(&body, "username") {
        Ok(username) => username.to_owned(),
        Err(response) => return response,
    };
    let count = match count(&body) {
        Ok(count) => count,
        Err(response) => return response,
    };
    let mut store = lock(store);
    let unique_id = if public {
        None
    } else {
        match body_namespace(&mut store, &body) {
            Ok(unique_id) => Some(unique_id),
            Err(response) => return response,
        }
    };
    let handle = username.rsplit('/').next().unwrap_or(&username).to_owned();
    let names = (1..=count).map(|i| format!("{handle} post {i}")).collect();
    create_task(&mut store, unique_id, names)
}

pub(crate) async fn scraper(State(store): St, body: Bytes) -> Response {
    scrape_creator(&store, &body, false)
}

pub(crate) async fn scraper_public(State(store): St, body: Bytes) -> Response {
    scrape_creator(&store, &body, true)
}

fn scrape_tags(store: &Shared<Store>, body: &Bytes, public: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let tags = strings(&body, "hash_tags");
    if tags.is_empty() || tags.iter().any(|t| t.is_empty() || t.starts_with('#')) {
        return invalid_parameter("hash_tags must be non-empty hashtags without #");
    }
    let count = match count(&body) {
        Ok(count) => count,
        Err(response) => return response,
    };
    let mut store = lock(store);
    let unique_id = if public {
        None
    } else {
        match body_namespace(&mut store, &body) {
            Ok(unique_id) => Some(unique_id),
            Err(response) => return response,
        }
    };
    let names = tags
        .iter()
        .flat_map(|tag| (1..=count).map(move |i| format!("#{tag} post {i}")))
        .collect();
    create_task(&mut store, unique_id, names)
}

pub(crate) async fn scraper_tag(State(store): St, body: Bytes) -> Response {
    scrape_tags(&store, &body, false)
}

pub(crate) async fn scraper_tag_public(State(store): St, body: Bytes) -> Response {
    scrape_tags(&store, &body, true)
}
