//! Memory routes: text memories (`/memories/add` documented; `/memories/search` and `/memories`
//! shaped after the third-party client that uses them).

use axum::extract::State;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{Store, body_namespace, invalid_parameter, json_object, positive, success_value};
use crate::server::{Shared, lock};

type St = State<Shared<Store>>;

pub(crate) async fn add(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if !body.get("unique_id").is_some_and(Value::is_string) {
        return invalid_parameter("unique_id cannot be null");
    }
    let Some(memories) = body
        .get("memories")
        .and_then(Value::as_array)
        .filter(|m| !m.is_empty())
    else {
        return invalid_parameter("memories cannot be null or empty");
    };
    if memories
        .iter()
        .any(|m| m["content"].as_str().is_none_or(str::is_empty) || !m["role"].is_string())
    {
        return invalid_parameter("every memory needs a role and a content");
    }
    let memories = memories.clone();
    let mut store = lock(&store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    for memory in memories {
        let mut stored = memory;
        stored["tags"] = body.get("tags").cloned().unwrap_or(Value::Null);
        stored["memories_at"] = body.get("memories_at").cloned().unwrap_or(Value::Null);
        store.memories.push((unique_id.clone(), stored));
    }
    success_value(&json!({}))
}

fn page(store: &Shared<Store>, body: &Bytes, search: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let query = body
        .get("query")
        .and_then(Value::as_str)
        .map(str::to_lowercase);
    if search && query.as_deref().is_none_or(str::is_empty) {
        return invalid_parameter("query cannot be null or empty");
    }
    let (page, size) = match (
        positive(body.get("page"), "page", 1),
        positive(body.get("page_size"), "page_size", 20),
    ) {
        (Ok(page), Ok(size)) => (page, size),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let mut store = lock(store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let found: Vec<&Value> = store
        .memories
        .iter()
        .filter(|(ns, memory)| {
            *ns == unique_id
                && query.as_ref().is_none_or(|q| {
                    memory["content"]
                        .as_str()
                        .is_some_and(|c| c.to_lowercase().contains(q.as_str()))
                })
        })
        .map(|(_, memory)| memory)
        .collect();
    let total = found.len();
    let start = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
    let items: Vec<&Value> = found
        .into_iter()
        .skip(start)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    success_value(&json!({
        "memories": items, "current_page": page, "page_size": size, "total_count": total,
    }))
}

pub(crate) async fn search(State(store): St, body: Bytes) -> Response {
    page(&store, &body, true)
}

pub(crate) async fn list(State(store): St, body: Bytes) -> Response {
    page(&store, &body, false)
}
