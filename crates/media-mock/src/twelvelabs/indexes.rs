//! Manage indexes: `/indexes` (twelvelabs.md §3.1).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::{Value, json};

use super::{
    Row, Store, at_or_after, created, error, json_object, no_content, not_found, now, ok,
    page_response, paging, parameter_invalid, required_str, sort_rows, string_list,
};
use crate::json::StoredJson;
use crate::record::{decode_form, first};
use crate::server::{Shared, lock};

const MODEL_NAMES: [&str; 4] = ["marengo3.0", "marengo2.7", "pegasus1.2", "pegasus1.1"];
const MODEL_OPTIONS: [&str; 2] = ["visual", "audio"];

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/indexes", get(list).post(create))
        .route(
            "/indexes/{index_id}",
            get(retrieve).put(update).delete(delete),
        )
}

/// The index as served: stored fields plus live `video_count` and `total_duration`.
pub(super) fn served(store: &Store, id: &str, row: &Row) -> Value {
    let mut index = row.value().clone();
    let videos: Vec<&Row> = store
        .indexed_assets
        .rows()
        .filter(|(_, v)| v.value()["_index_id"] == id)
        .map(|(_, v)| v)
        .collect();
    index["video_count"] = json!(videos.len());
    let total: f64 = videos
        .iter()
        .filter_map(|v| v.value()["system_metadata"]["duration"].as_f64())
        .sum();
    index["total_duration"] = json!(total);
    index
}

async fn create(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = match required_str(&body, "index_name") {
        Ok(name) => name.to_owned(),
        Err(response) => return response,
    };
    let Some(Value::Array(models)) = body.get("models") else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The models parameter is required.",
        );
    };
    if models.is_empty() {
        return parameter_invalid("The models parameter must list at least one model.");
    }
    for model in models {
        let known_name = model["model_name"]
            .as_str()
            .is_some_and(|n| MODEL_NAMES.contains(&n));
        let options = model["model_options"].as_array();
        let known_options = options.is_some_and(|o| {
            !o.is_empty()
                && o.iter()
                    .all(|v| v.as_str().is_some_and(|v| MODEL_OPTIONS.contains(&v)))
        });
        if !known_name || !known_options {
            return parameter_invalid(
                "The models parameter is invalid: model_name must be marengo3.0 and model_options a non-empty subset of visual, audio.",
            );
        }
    }
    let addons = match string_list(body.get("addons"), "addons") {
        Ok(addons) => addons,
        Err(response) => return response,
    };
    if addons.iter().any(|a| a != "thumbnail") {
        return parameter_invalid("The addons parameter only accepts thumbnail.");
    }
    let mut store = lock(&store);
    if store
        .indexes
        .rows()
        .any(|(_, row)| row.value()["index_name"] == name.as_str())
    {
        return error(
            StatusCode::CONFLICT,
            "index_name_already_exists",
            &format!("An index named {name} already exists."),
        );
    }
    let id = store.new_id();
    let at = now();
    let mut index = json!({
        "_id": id,
        "index_name": name,
        "models": models,
        "created_at": at,
        "updated_at": at,
        "expires_at": null,
    });
    if !addons.is_empty() {
        index["addons"] = json!(addons);
    }
    let seq = store.seq();
    store
        .indexes
        .insert(id.clone(), seq, StoredJson::from_value(index));
    created(&json!({ "_id": id }))
}

async fn list(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let model_options: Vec<&str> = first(&params, "model_options")
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if model_options.iter().any(|o| !MODEL_OPTIONS.contains(o)) {
        return parameter_invalid("The model_options parameter must be visual, audio or both.");
    }
    let model_family = first(&params, "model_family");
    if model_family.is_some_and(|f| f != "marengo" && f != "pegasus") {
        return parameter_invalid("The model_family parameter must be marengo or pegasus.");
    }
    let index_name = first(&params, "index_name");
    let store = lock(&store);
    let mut rows: Vec<&Row> = store
        .indexes
        .rows()
        .map(|(_, row)| row)
        .filter(|row| index_name.is_none_or(|n| row.value()["index_name"] == n))
        .filter(|row| {
            let models = row.value()["models"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let family_ok = model_family.is_none_or(|family| {
                models.iter().any(|m| {
                    m["model_name"]
                        .as_str()
                        .is_some_and(|n| n.starts_with(family))
                })
            });
            let options_ok = model_options.iter().all(|wanted| {
                models.iter().any(|m| {
                    m["model_options"]
                        .as_array()
                        .is_some_and(|o| o.iter().any(|v| v == *wanted))
                })
            });
            family_ok && options_ok
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
            let id = row.json.str("_id").unwrap_or_default();
            served(&store, id, row).to_string()
        })
        .collect();
    page_response(&items, page, limit)
}

async fn retrieve(State(store): State<Shared<Store>>, Path(index_id): Path<String>) -> Response {
    let store = lock(&store);
    match store.indexes.get(&index_id) {
        Some(row) => ok(&served(&store, &index_id, row)),
        None => not_found("index", &index_id),
    }
}

async fn update(
    State(store): State<Shared<Store>>,
    Path(index_id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = match required_str(&body, "index_name") {
        Ok(name) => name.to_owned(),
        Err(response) => return response,
    };
    if body.contains_key("models") {
        return error(
            StatusCode::BAD_REQUEST,
            "index_option_cannot_be_changed",
            "Index options cannot be changed.",
        );
    }
    let mut store = lock(&store);
    let Some(row) = store.indexes.get_mut(&index_id) else {
        return not_found("index", &index_id);
    };
    row.edit(|index| {
        index["index_name"] = json!(name);
        index["updated_at"] = json!(now());
    });
    no_content()
}

async fn delete(State(store): State<Shared<Store>>, Path(index_id): Path<String>) -> Response {
    let mut store = lock(&store);
    if store.indexes.remove(&index_id).is_none() {
        return not_found("index", &index_id);
    }
    let gone: Vec<String> = store
        .indexed_assets
        .rows()
        .filter(|(_, row)| row.value()["_index_id"] == index_id.as_str())
        .map(|(id, _)| id.clone())
        .collect();
    for id in gone {
        store.indexed_assets.remove(&id);
    }
    no_content()
}
