//! Library / utilities routes: metadata, listing, import tasks, deletion, download, namespaces,
//! images, public videos.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::{
    Store, body_namespace, failure, invalid_parameter, json_object, positive, query_namespace,
    query_pairs, required_str, success, success_value,
};
use crate::record::first;
use crate::server::{Shared, lock};

type St = State<Shared<Store>>;

pub(crate) async fn get_metadata(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let Some(video_no) = first(&params, "video_no").filter(|v| !v.is_empty()) else {
        return invalid_parameter("video_no cannot be null or empty");
    };
    let mut store = lock(&store);
    let unique_id = match query_namespace(&mut store, &params) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let data = store.observe(&unique_id, video_no).map(|video| video.text);
    success(data.as_deref().unwrap_or("null"))
}

pub(crate) async fn private_details(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let Some(video_no) = first(&params, "video_no").filter(|v| !v.is_empty()) else {
        return invalid_parameter("video_no cannot be null or empty");
    };
    let mut store = lock(&store);
    let unique_id = match query_namespace(&mut store, &params) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let Some(video) = store.observe(&unique_id, video_no) else {
        return success("null");
    };
    let v = &video.value;
    success_value(&json!({
        "video_no": v["video_no"], "status": v["status"], "duration": v["duration"],
        "size": v["size"], "fps": v["fps"], "width": v["width"], "height": v["height"],
        "video_url": format!("https://storage.mock.invalid/{video_no}.mp4"),
        "resolution_label": v["resolution_label"],
    }))
}

pub(crate) async fn list_videos(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let (page, size) = match (
        positive(body.get("page"), "page", 1),
        positive(body.get("size"), "size", 20),
    ) {
        (Ok(page), Ok(size)) => (page, size),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let (video_no, video_name, status, tag, camera) = (
        text("video_no"),
        text("video_name"),
        text("status"),
        text("tag"),
        text("camera_model"),
    );
    let video_nos: Option<Vec<String>> =
        body.get("video_nos").and_then(Value::as_array).map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .collect()
        });
    let ids: Vec<String> = store
        .videos_of(&unique_id)
        .iter()
        .filter_map(|video| video.json.str("video_no").map(str::to_owned))
        .collect();
    let mut matching = Vec::new();
    for id in ids {
        let Some(video) = store.observe(&unique_id, &id) else {
            continue;
        };
        let v = &video.value;
        let keep = video_no.as_ref().is_none_or(|want| *want == id)
            && video_nos.as_ref().is_none_or(|want| want.contains(&id))
            && video_name
                .as_ref()
                .is_none_or(|want| v["video_name"] == want.as_str())
            && status
                .as_ref()
                .is_none_or(|want| v["status"] == want.as_str())
            && camera
                .as_ref()
                .is_none_or(|want| v["camera_model"] == want.as_str())
            && tag.as_ref().is_none_or(|want| {
                v["tags"]
                    .as_array()
                    .is_some_and(|tags| tags.iter().any(|t| t == want.as_str()))
            });
        if keep {
            matching.push(video.text);
        }
    }
    let total = matching.len();
    let start = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
    let page_items: Vec<&str> = matching
        .iter()
        .skip(start)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .map(String::as_str)
        .collect();
    success(&format!(
        r#"{{"videos":{},"current_page":{page},"page_size":{size},"total_count":"{total}"}}"#,
        crate::json::array(page_items)
    ))
}

pub(crate) async fn task_status(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let Some(task_id) = first(&params, "task_id").filter(|v| !v.is_empty()) else {
        return invalid_parameter("task_id cannot be null or empty");
    };
    let mut store = lock(&store);
    let unique_id = match query_namespace(&mut store, &params) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let Some(task) = store.tasks.get(task_id).cloned() else {
        return invalid_parameter("task not found");
    };
    if task.unique_id.as_ref().is_some_and(|ns| *ns != unique_id) {
        return invalid_parameter("task not found");
    }
    let mut task = task;
    task.polls += 1;
    if task.polls == 1 {
        store.tasks.insert(task_id.to_owned(), task);
        return success(r#"{"videos":[]}"#);
    }
    if task.polls == 2 {
        for (video_no, name) in std::mem::take(&mut task.pending) {
            let video = json!({
                "video_no": video_no, "video_name": name, "duration": "95", "size": null,
                "status": "UNPARSE", "fps": null, "width": null, "height": null,
                "create_time": "1760000100000",
                "video_url": format!("https://www.youtube.com/watch?v={video_no}"),
                "resolution_label": null,
            });
            if let Some(ns) = &task.unique_id {
                store.insert_video(ns, crate::json::StoredJson::from_value(video), 1);
            } else {
                let mut public = video;
                public["status"] = json!("PARSE");
                store.public_videos.insert(
                    video_no.clone(),
                    crate::json::StoredJson::from_value(public),
                );
            }
            task.video_nos.push(video_no);
        }
    }
    let mut videos = Vec::new();
    for video_no in &task.video_nos {
        let served = match &task.unique_id {
            Some(ns) => store.observe(ns, video_no).map(|v| v.value),
            None => store.public_videos.get(video_no).map(|v| v.value.clone()),
        };
        if let Some(video) = served {
            videos.push(video);
        }
    }
    store.tasks.insert(task_id.to_owned(), task);
    success_value(&json!({ "videos": videos }))
}

pub(crate) async fn delete_videos(
    State(store): St,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let params = query_pairs(query.as_deref());
    let Ok(Value::Array(ids)) = serde_json::from_slice::<Value>(&body) else {
        return invalid_parameter("the body must be a JSON array of video numbers");
    };
    let ids: Option<Vec<String>> = ids
        .iter()
        .map(|id| id.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
        .collect();
    let Some(ids) = ids.filter(|ids| (1..=100).contains(&ids.len())) else {
        return invalid_parameter("between 1 and 100 non-empty video numbers are required");
    };
    let mut store = lock(&store);
    let unique_id = match query_namespace(&mut store, &params) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    for id in ids {
        store.videos.remove(&(unique_id.clone(), id));
    }
    success("null")
}

pub(crate) async fn download(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let video_no = match required_str(&body, "video_no") {
        Ok(video_no) => video_no.to_owned(),
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    if !store.videos.contains_key(&(unique_id, video_no.clone())) {
        return failure("0001", "video not found");
    }
    let bytes = video_bytes(&video_no);
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    response
}

/// The bytes the mock serves as the original file of `video_no` (64 KiB, deterministic).
pub(crate) fn video_bytes(video_no: &str) -> Vec<u8> {
    let pattern = format!("MOCKVIDEO {video_no}\n");
    pattern.bytes().cycle().take(64 * 1024).collect()
}

pub(crate) async fn list_unique_ids(State(store): St) -> Response {
    let store = lock(&store);
    let ids: Vec<&String> = store.namespaces.iter().collect();
    success_value(&json!({ "unique_ids": ids }))
}

pub(crate) async fn img_list_page(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let (page, size) = match (
        positive(body.get("page"), "page", 1),
        positive(body.get("page_size"), "page_size", 20),
    ) {
        (Ok(page), Ok(size)) => (page, size),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let images: Vec<&Value> = store
        .images
        .iter()
        .filter(|(ns, _)| *ns == unique_id)
        .map(|(_, image)| image)
        .collect();
    let total = images.len();
    let start = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
    let page_items: Vec<&Value> = images
        .into_iter()
        .skip(start)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    success_value(&json!({
        "images": page_items, "current_page": page, "page_size": size,
        "total_count": total.to_string(),
    }))
}

pub(crate) async fn public_detail(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let Some(video_no) = first(&params, "video_no").filter(|v| !v.is_empty()) else {
        return invalid_parameter("video_no cannot be null or empty");
    };
    let store = lock(&store);
    let data = store.public_videos.get(video_no).map(|v| v.text.clone());
    success(data.as_deref().unwrap_or("null"))
}
