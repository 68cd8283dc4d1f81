//! Entity collections and entities (twelvelabs.md §3.7).
//!
//! A new entity, or one whose reference assets changed, is `processing` until it is retrieved.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::StatusCode;
use serde_json::{Map, Value, json};

use super::{
    Row, Store, error, json_object, no_content, not_found, now, ok, page_response, paging,
    parameter_invalid, required_str, sort_rows, string_list,
};
use crate::json::StoredJson;
use crate::record::{decode_form, first};
use crate::server::{Shared, lock};

const SORT_BY: [&str; 3] = ["created_at", "updated_at", "name"];

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route(
            "/entity-collections",
            get(list_collections).post(create_collection),
        )
        .route(
            "/entity-collections/{collection_id}",
            get(retrieve_collection)
                .patch(update_collection)
                .delete(delete_collection),
        )
        .route(
            "/entity-collections/{collection_id}/entities",
            get(list_entities).post(create_entity),
        )
        .route(
            "/entity-collections/{collection_id}/entities/bulk",
            post(create_bulk),
        )
        .route(
            "/entity-collections/{collection_id}/entities/{entity_id}",
            get(retrieve_entity)
                .patch(update_entity)
                .delete(delete_entity),
        )
        .route(
            "/entity-collections/{collection_id}/entities/{entity_id}/assets",
            post(add_assets).delete(remove_assets),
        )
        .route("/assets/{asset_id}/entities", get(list_by_asset))
}

fn optional_str(body: &Map<String, Value>, name: &str) -> Result<Option<String>, Response> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(parameter_invalid(&format!(
            "The {name} parameter must be a string."
        ))),
    }
}

async fn create_collection(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = match required_str(&body, "name") {
        Ok(name) => name.to_owned(),
        Err(response) => return response,
    };
    let description = match optional_str(&body, "description") {
        Ok(d) => d,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let id = store.new_id();
    let at = now();
    let mut collection = json!({"_id": id, "name": name, "created_at": at, "updated_at": at});
    if let Some(description) = description {
        collection["description"] = json!(description);
    }
    let seq = store.seq();
    store
        .entity_collections
        .insert(id, seq, StoredJson::from_value(collection.clone()));
    ok(&collection)
}

async fn list_collections(
    State(store): State<Shared<Store>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let name = first(&params, "name");
    let store = lock(&store);
    let mut rows: Vec<&Row> = store
        .entity_collections
        .rows()
        .map(|(_, row)| row)
        .filter(|row| {
            name.is_none_or(|n| {
                row.value()["name"]
                    .as_str()
                    .is_some_and(|v| v.to_lowercase().contains(&n.to_lowercase()))
            })
        })
        .collect();
    if let Err(response) = sort_rows(&mut rows, &params, &SORT_BY) {
        return response;
    }
    let items: Vec<&str> = rows.iter().map(|row| row.json.text.as_str()).collect();
    page_response(&items, page, limit)
}

async fn retrieve_collection(
    State(store): State<Shared<Store>>,
    Path(collection_id): Path<String>,
) -> Response {
    let store = lock(&store);
    match store.entity_collections.get(&collection_id) {
        Some(row) => ok(row.value()),
        None => not_found("entity collection", &collection_id),
    }
}

async fn update_collection(
    State(store): State<Shared<Store>>,
    Path(collection_id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let (name, description) = match (
        optional_str(&body, "name"),
        optional_str(&body, "description"),
    ) {
        (Ok(n), Ok(d)) => (n, d),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return parameter_invalid("The name parameter must not be empty.");
    }
    let mut store = lock(&store);
    let Some(row) = store.entity_collections.get_mut(&collection_id) else {
        return not_found("entity collection", &collection_id);
    };
    row.edit(|c| {
        if let Some(name) = name {
            c["name"] = json!(name);
        }
        if let Some(description) = description {
            c["description"] = json!(description);
        }
        c["updated_at"] = json!(now());
    });
    ok(row.value())
}

async fn delete_collection(
    State(store): State<Shared<Store>>,
    Path(collection_id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    if store.entity_collections.remove(&collection_id).is_none() {
        return not_found("entity collection", &collection_id);
    }
    let gone: Vec<String> = store
        .entities
        .rows()
        .filter(|(_, row)| row.value()["entity_collection_id"] == collection_id.as_str())
        .map(|(id, _)| id.clone())
        .collect();
    for id in gone {
        store.entities.remove(&id);
    }
    no_content()
}

/// Checks one entity definition; returns `(name, asset_ids, description, metadata)`.
/// `(name, asset_ids, description, metadata)` of one entity definition.
type EntityFields = (
    String,
    Vec<String>,
    Option<String>,
    Option<Map<String, Value>>,
);

fn entity_fields(store: &Store, body: &Map<String, Value>) -> Result<EntityFields, String> {
    let name = match body.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() => n.clone(),
        _ => return Err("The name parameter is required.".into()),
    };
    let asset_ids = match body.get("asset_ids") {
        Some(Value::Array(ids)) if !ids.is_empty() => ids
            .iter()
            .map(|id| id.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .ok_or("The asset_ids parameter must be a list of strings.")?,
        _ => return Err("The asset_ids parameter must list at least one asset.".into()),
    };
    if let Some(missing) = asset_ids.iter().find(|id| !store.assets.contains(id)) {
        return Err(format!("The asset with id {missing} does not exist."));
    }
    let description = match body.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("The description parameter must be a string.".into()),
    };
    let metadata = metadata_field(body)?;
    Ok((name, asset_ids, description, metadata))
}

fn metadata_field(body: &Map<String, Value>) -> Result<Option<Map<String, Value>>, String> {
    match body.get("metadata") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => {
            if map
                .values()
                .any(|v| matches!(v, Value::Object(_) | Value::Array(_) | Value::Null))
            {
                Err("The metadata values must be strings, numbers or booleans.".into())
            } else {
                Ok(Some(map.clone()))
            }
        }
        Some(_) => Err("The metadata parameter must be an object.".into()),
    }
}

fn insert_entity(
    store: &mut Store,
    collection_id: &str,
    (name, asset_ids, description, metadata): EntityFields,
) -> Value {
    let id = store.new_id();
    let at = now();
    let mut entity = json!({
        "_id": id,
        "entity_collection_id": collection_id,
        "name": name,
        "asset_ids": asset_ids,
        "status": "processing",
        "created_at": at,
        "updated_at": at,
    });
    if let Some(description) = description {
        entity["description"] = json!(description);
    }
    if let Some(metadata) = metadata {
        entity["metadata"] = Value::Object(metadata);
    }
    let seq = store.seq();
    store
        .entities
        .insert(id, seq, StoredJson::from_value(entity.clone()));
    entity
}

async fn create_entity(
    State(store): State<Shared<Store>>,
    Path(collection_id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    if !store.entity_collections.contains(&collection_id) {
        return not_found("entity collection", &collection_id);
    }
    match entity_fields(&store, &body) {
        Ok(fields) => ok(&insert_entity(&mut store, &collection_id, fields)),
        Err(message) => parameter_invalid(&message),
    }
}

async fn create_bulk(
    State(store): State<Shared<Store>>,
    Path(collection_id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(Value::Array(entities)) = body.get("entities") else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The entities parameter is required.",
        );
    };
    if entities.is_empty() {
        return parameter_invalid("The entities parameter must list at least one entity.");
    }
    let mut store = lock(&store);
    if !store.entity_collections.contains(&collection_id) {
        return not_found("entity collection", &collection_id);
    }
    let mut created = Vec::new();
    let mut errors = Vec::new();
    for (index, entity) in entities.iter().enumerate() {
        let fields = match entity.as_object() {
            Some(map) => entity_fields(&store, map),
            None => Err("Each entity must be an object.".to_owned()),
        };
        match fields {
            Ok(fields) => {
                let e = insert_entity(&mut store, &collection_id, fields);
                created.push(json!({"_id": e["_id"], "name": e["name"], "status": e["status"]}));
            }
            Err(reason) => errors.push(json!({
                "entity_index": index,
                "entity_name": entity["name"],
                "error_reason": reason,
            })),
        }
    }
    ok(&json!({
        "success_count": created.len(),
        "failed_count": errors.len(),
        "entities": created,
        "errors": errors,
    }))
}

fn entity_in<'a>(
    store: &'a mut Store,
    collection_id: &str,
    entity_id: &str,
) -> Option<&'a mut Row> {
    store
        .entities
        .get_mut(entity_id)
        .filter(|row| row.value()["entity_collection_id"] == collection_id)
}

async fn list_entities(
    State(store): State<Shared<Store>>,
    Path(collection_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let status = first(&params, "status");
    if status.is_some_and(|s| s != "processing" && s != "ready") {
        return parameter_invalid("The status parameter must be processing or ready.");
    }
    let name = first(&params, "name");
    let store = lock(&store);
    if !store.entity_collections.contains(&collection_id) {
        return not_found("entity collection", &collection_id);
    }
    let mut rows: Vec<&Row> = store
        .entities
        .rows()
        .map(|(_, row)| row)
        .filter(|row| row.value()["entity_collection_id"] == collection_id.as_str())
        .filter(|row| status.is_none_or(|s| row.value()["status"] == s))
        .filter(|row| {
            name.is_none_or(|n| {
                row.value()["name"]
                    .as_str()
                    .is_some_and(|v| v.to_lowercase().contains(&n.to_lowercase()))
            })
        })
        .collect();
    if let Err(response) = sort_rows(&mut rows, &params, &SORT_BY) {
        return response;
    }
    let items: Vec<&str> = rows.iter().map(|row| row.json.text.as_str()).collect();
    page_response(&items, page, limit)
}

async fn retrieve_entity(
    State(store): State<Shared<Store>>,
    Path((collection_id, entity_id)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    let Some(row) = entity_in(&mut store, &collection_id, &entity_id) else {
        return not_found("entity", &entity_id);
    };
    row.polls += 1;
    if row.value()["status"] == "processing" {
        row.edit(|e| e["status"] = json!("ready"));
    }
    ok(row.value())
}

async fn update_entity(
    State(store): State<Shared<Store>>,
    Path((collection_id, entity_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let (name, description) = match (
        optional_str(&body, "name"),
        optional_str(&body, "description"),
    ) {
        (Ok(n), Ok(d)) => (n, d),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let metadata = match metadata_field(&body) {
        Ok(m) => m,
        Err(message) => return parameter_invalid(&message),
    };
    let mut store = lock(&store);
    let Some(row) = entity_in(&mut store, &collection_id, &entity_id) else {
        return not_found("entity", &entity_id);
    };
    row.edit(|e| {
        if let Some(name) = name {
            e["name"] = json!(name);
        }
        if let Some(description) = description {
            e["description"] = json!(description);
        }
        if let Some(metadata) = metadata {
            e["metadata"] = Value::Object(metadata);
        }
        e["updated_at"] = json!(now());
    });
    ok(row.value())
}

async fn delete_entity(
    State(store): State<Shared<Store>>,
    Path((collection_id, entity_id)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    if entity_in(&mut store, &collection_id, &entity_id).is_none() {
        return not_found("entity", &entity_id);
    }
    store.entities.remove(&entity_id);
    no_content()
}

fn asset_ids_body(store: &Store, body: &Bytes) -> Result<Vec<String>, Response> {
    let body = json_object(body)?;
    let ids = string_list(body.get("asset_ids"), "asset_ids")?;
    if ids.is_empty() {
        return Err(parameter_invalid(
            "The asset_ids parameter must list at least one asset.",
        ));
    }
    if let Some(missing) = ids.iter().find(|id| !store.assets.contains(id)) {
        return Err(parameter_invalid(&format!(
            "The asset with id {missing} does not exist."
        )));
    }
    Ok(ids)
}

async fn add_assets(
    State(store): State<Shared<Store>>,
    Path((collection_id, entity_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut store = lock(&store);
    let ids = match asset_ids_body(&store, &body) {
        Ok(ids) => ids,
        Err(response) => return response,
    };
    let Some(row) = entity_in(&mut store, &collection_id, &entity_id) else {
        return not_found("entity", &entity_id);
    };
    row.edit(|e| {
        let mut current: Vec<Value> = e["asset_ids"].as_array().cloned().unwrap_or_default();
        for id in ids {
            if !current.iter().any(|c| c == id.as_str()) {
                current.push(json!(id));
            }
        }
        e["asset_ids"] = Value::Array(current);
        e["status"] = json!("processing");
        e["updated_at"] = json!(now());
    });
    ok(row.value())
}

async fn remove_assets(
    State(store): State<Shared<Store>>,
    Path((collection_id, entity_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let ids = match string_list(body.get("asset_ids"), "asset_ids") {
        Ok(ids) if !ids.is_empty() => ids,
        Ok(_) => {
            return parameter_invalid("The asset_ids parameter must list at least one asset.");
        }
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let Some(row) = entity_in(&mut store, &collection_id, &entity_id) else {
        return not_found("entity", &entity_id);
    };
    let current: Vec<Value> = row.value()["asset_ids"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let remaining: Vec<Value> = current
        .into_iter()
        .filter(|id| !ids.iter().any(|r| id == r.as_str()))
        .collect();
    if remaining.is_empty() {
        return parameter_invalid("An entity must keep at least one asset.");
    }
    row.edit(|e| {
        e["asset_ids"] = Value::Array(remaining);
        e["updated_at"] = json!(now());
    });
    ok(row.value())
}

async fn list_by_asset(
    State(store): State<Shared<Store>>,
    Path(asset_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = lock(&store);
    if !store.assets.contains(&asset_id) {
        return not_found("asset", &asset_id);
    }
    let mut rows: Vec<&Row> = store
        .entities
        .rows()
        .map(|(_, row)| row)
        .filter(|row| {
            row.value()["asset_ids"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| id == asset_id.as_str()))
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.seq));
    let items: Vec<&str> = rows.iter().map(|row| row.json.text.as_str()).collect();
    page_response(&items, page, limit)
}
