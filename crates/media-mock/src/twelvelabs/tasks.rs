//! Legacy video indexing tasks: `/tasks` (twelvelabs.md §3.4).
//!
//! `POST /tasks` stores the upload as an asset and a `validating` task whose video is an indexed
//! asset; each retrieve moves the task one step through `pending`, `indexing` and `ready`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::assets::{self, NewAsset, mime_of, public};
use super::{
    Row, Store, at_or_after, clean_metadata, error, form, in_range, indexed_assets, no_content,
    not_found, now, ok, page_response, paging, parameter_invalid, sort_rows,
};
use crate::json::StoredJson;
use crate::record::{all, decode_form, first};
use crate::server::{Shared, lock};

const STATUSES: [&str; 7] = [
    "ready",
    "uploading",
    "validating",
    "pending",
    "queued",
    "indexing",
    "failed",
];

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/tasks", get(list).post(create))
        .route("/tasks/{task_id}", get(retrieve).delete(delete))
}

async fn create(State(store): State<Shared<Store>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = match form::parse(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(index_id) = form.first("index_id").filter(|i| !i.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The index_id parameter is required.",
        );
    };
    let enable_video_stream = match form.bool("enable_video_stream") {
        Ok(v) => v.unwrap_or(false),
        Err(response) => return response,
    };
    let user_metadata = match form.first("user_metadata") {
        None => None,
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Some(clean_metadata(&map)),
            _ => {
                return parameter_invalid(
                    "The user_metadata parameter must be a JSON object encoded as a string.",
                );
            }
        },
    };
    let (method, filename, size) = match (form.file("video_file"), form.first("video_url")) {
        (Some(file), _) => (
            "direct",
            file.file_name.clone().unwrap_or_default(),
            file.data.len() as u64,
        ),
        (None, Some(url)) if url.starts_with("http://") || url.starts_with("https://") => {
            let name = url
                .split(['?', '#'])
                .next()
                .and_then(|u| u.rsplit('/').next())
                .unwrap_or("video.mp4")
                .to_owned();
            ("url", name, 10_485_760)
        }
        (None, Some(_)) => {
            return parameter_invalid("The video_url parameter must be an http(s) URL.");
        }
        (None, None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "parameter_not_provided",
                "Either video_file or video_url is required.",
            );
        }
    };
    let mut store = lock(&store);
    if !store.indexes.contains(&index_id) {
        return not_found("index", &index_id);
    }
    let file_type = mime_of(&filename, Some("video/mp4"));
    let asset = assets::create(
        &mut store,
        None,
        NewAsset {
            method,
            filename: filename.clone(),
            file_type,
            size,
            enable_hls: false,
            enable_thumbnail: false,
            user_metadata: None,
        },
    );
    let asset_id = asset["_id"].as_str().unwrap_or_default().to_owned();
    if let Some(row) = store.assets.get_mut(&asset_id) {
        row.edit(assets::make_ready);
    }
    let ready_asset = store
        .assets
        .get(&asset_id)
        .map(|row| row.value().clone())
        .unwrap_or_default();
    let video_id = indexed_assets::insert(
        &mut store,
        &index_id,
        &ready_asset,
        "validating",
        enable_video_stream,
        user_metadata,
    );
    let task_id = store.new_id();
    let at = now();
    let task = json!({
        "_id": task_id,
        "video_id": video_id,
        "index_id": index_id,
        "status": "validating",
        "created_at": at,
        "updated_at": at,
        "system_metadata": {
            "duration": ready_asset["duration"].as_f64().unwrap_or(12.5),
            "filename": filename,
            "height": 720,
            "width": 1280,
        },
        "_enable_video_stream": enable_video_stream,
    });
    let seq = store.seq();
    store
        .tasks
        .insert(task_id.clone(), seq, StoredJson::from_value(task));
    ok(&json!({"_id": task_id, "video_id": video_id}))
}

/// Moves a task one step on; the `ready` step also readies its video.
fn advance(store: &mut Store, task_id: &str) {
    let Some(row) = store.tasks.get_mut(task_id) else {
        return;
    };
    row.polls += 1;
    let next = match row.value()["status"].as_str() {
        Some("validating") => "pending",
        Some("pending" | "queued") => "indexing",
        Some("indexing") => "ready",
        _ => return,
    };
    row.edit(|task| {
        task["status"] = json!(next);
        task["updated_at"] = json!(now());
    });
    let video_id = row.value()["video_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if let Some(video) = store.indexed_assets.get_mut(&video_id) {
        if next == "ready" {
            video.edit(indexed_assets::make_ready);
        } else {
            video.edit(|v| v["status"] = json!(next));
        }
    }
}

fn served(store: &Store, row: &Row) -> Value {
    let mut task = public(row.value());
    if row.value()["_enable_video_stream"] == true {
        let video_id = row.value()["video_id"].as_str().unwrap_or_default();
        if let Some(video) = store.indexed_assets.get(video_id) {
            if let Some(hls) = video.value().get("hls") {
                task["hls"] = hls.clone();
            } else {
                task["hls"] = json!({"status": "PROCESSING", "thumbnail_urls": []});
            }
        }
    }
    task
}

async fn retrieve(State(store): State<Shared<Store>>, Path(task_id): Path<String>) -> Response {
    let mut store = lock(&store);
    if !store.tasks.contains(&task_id) {
        return not_found("task", &task_id);
    }
    advance(&mut store, &task_id);
    match store.tasks.get(&task_id) {
        Some(row) => ok(&served(&store, row)),
        None => not_found("task", &task_id),
    }
}

async fn list(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let statuses = all(&params, "status");
    if statuses.iter().any(|s| !STATUSES.contains(s)) {
        return parameter_invalid("The status parameter is invalid.");
    }
    let index_id = first(&params, "index_id");
    let filename = first(&params, "filename");
    let store = lock(&store);
    let mut rows: Vec<&Row> = store
        .tasks
        .rows()
        .map(|(_, row)| row)
        .filter(|row| index_id.is_none_or(|i| row.value()["index_id"] == i))
        .filter(|row| {
            statuses.is_empty()
                || row.value()["status"]
                    .as_str()
                    .is_some_and(|s| statuses.contains(&s))
        })
        .filter(|row| filename.is_none_or(|f| row.value()["system_metadata"]["filename"] == f))
        .filter(|row| {
            let meta = &row.value()["system_metadata"];
            ["duration", "width", "height"]
                .iter()
                .all(|field| in_range(&meta[*field], &params, field))
        })
        .filter(|row| at_or_after(row.value(), &params, "created_at"))
        .filter(|row| at_or_after(row.value(), &params, "updated_at"))
        .collect();
    if let Err(response) = sort_rows(&mut rows, &params, &["created_at", "updated_at"]) {
        return response;
    }
    let items: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut task = public(row.value());
            if let Some(map) = task.as_object_mut() {
                map.remove("hls");
            }
            task.to_string()
        })
        .collect();
    page_response(&items, page, limit)
}

async fn delete(State(store): State<Shared<Store>>, Path(task_id): Path<String>) -> Response {
    let mut store = lock(&store);
    let Some(row) = store.tasks.get(&task_id) else {
        return not_found("task", &task_id);
    };
    let status = row.value()["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let video_id = row.value()["video_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let can =
        status == "failed" || (status == "ready" && !store.indexed_assets.contains(&video_id));
    if !can {
        return error(
            StatusCode::BAD_REQUEST,
            "task_cannot_be_deleted",
            &format!(
                "The task {task_id} cannot be deleted while {status}; only failed tasks, or ready tasks whose video was deleted, can be."
            ),
        );
    }
    store.tasks.remove(&task_id);
    no_content()
}
