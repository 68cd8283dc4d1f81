//! Knowledge stores, items and item collections (`/knowledge-stores/…`; twelvelabs.md §3.12).
//!
//! Items start `queued` and are `ready` on their third retrieve (`failed` when the asset id
//! contains `fail`). Search hits are the store's ready items, ranked in creation order; page
//! tokens are `kst_<offset>`, a token starting with `expired` answers 410 and any other token 400.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::StatusCode;
use serde_json::{Map, Value, json};

use super::{
    Row, Store, Table, error, json_object, no_content, not_found, now, ok, page_response, paging,
    parameter_invalid, required_str, sort_rows, string_list,
};
use crate::json::StoredJson;
use crate::record::{all, decode_form};
use crate::server::{Shared, lock};

/// Stores, items and collections; items and collections carry a private `_store` key.
#[derive(Debug, Default)]
pub(crate) struct KnowledgeState {
    pub(super) stores: Table,
    pub(super) items: Table,
    collections: Table,
}

pub(super) fn routes() -> Router<Shared<Store>> {
    const STORE: &str = "/knowledge-stores/{ks}";
    Router::new()
        .route("/knowledge-stores", get(list_stores).post(create_store))
        .route(
            STORE,
            get(retrieve_store).patch(update_store).delete(delete_store),
        )
        .route("/knowledge-stores/{ks}/search", post(search))
        .route(
            "/knowledge-stores/{ks}/items",
            get(list_items).post(create_item),
        )
        .route(
            "/knowledge-stores/{ks}/items/{item}",
            get(retrieve_item).delete(delete_item),
        )
        .route(
            "/knowledge-stores/{ks}/item-collections",
            get(list_collections).post(create_collection),
        )
        .route(
            "/knowledge-stores/{ks}/item-collections/{c}",
            get(retrieve_collection)
                .patch(update_collection)
                .delete(delete_collection),
        )
        .route(
            "/knowledge-stores/{ks}/item-collections/{c}/items",
            get(collection_items),
        )
        .route(
            "/knowledge-stores/{ks}/item-collections/{c}/items/add",
            post(add_items),
        )
        .route(
            "/knowledge-stores/{ks}/item-collections/{c}/items/remove",
            post(remove_items),
        )
}

type Body = Map<String, Value>;

fn metadata(body: &Body, pairs: usize, chars: usize) -> Result<Option<Value>, Response> {
    let Some(value) = body.get("metadata") else {
        return Ok(None);
    };
    let Some(map) = value.as_object() else {
        return Err(parameter_invalid(
            "The metadata parameter must be an object.",
        ));
    };
    if map.len() > pairs {
        return Err(parameter_invalid(&format!(
            "The metadata parameter allows at most {pairs} pairs."
        )));
    }
    for (key, value) in map {
        let ok = key.chars().count() <= 128
            && match value {
                Value::String(s) => s.chars().count() <= chars,
                Value::Bool(_) | Value::Number(_) => true,
                Value::Array(items) => items.iter().all(Value::is_string),
                Value::Null | Value::Object(_) => false,
            };
        if !ok {
            return Err(parameter_invalid(&format!(
                "The metadata value of {key} is invalid."
            )));
        }
    }
    Ok(Some(value.clone()))
}

fn public(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.retain(|k, _| k == "_id" || !k.starts_with('_'));
    }
    value
}

fn in_store<'a>(table: &'a Table, store_id: &str) -> Vec<&'a Row> {
    let mut rows: Vec<&Row> = table
        .rows()
        .map(|(_, r)| r)
        .filter(|r| r.value()["_store"] == store_id)
        .collect();
    rows.sort_by_key(|r| r.seq);
    rows
}

fn new_id(store: &mut Store, prefix: &str) -> String {
    format!("{prefix}_{}", store.new_id())
}

fn list(
    rows: Vec<&Row>,
    query: Option<&str>,
    allowed: &[&str],
    view: impl Fn(&Value) -> Value,
) -> Response {
    let params = decode_form(query.unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let mut rows = rows;
    if let Err(response) = sort_rows(&mut rows, &params, allowed) {
        return response;
    }
    let statuses = all(&params, "status");
    let items: Vec<String> = rows
        .iter()
        .map(|r| r.value())
        .filter(|v| statuses.is_empty() || statuses.iter().any(|s| v["status"] == *s))
        .map(|v| view(v).to_string())
        .collect();
    page_response(&items, page, limit)
}

// ---- stores --------------------------------------------------------------------------------

fn store_view(state: &KnowledgeState, value: &Value) -> Value {
    let mut view = public(value);
    let id = value["_id"].as_str().unwrap_or_default();
    view["item_count"] = json!(in_store(&state.items, id).len());
    view
}

async fn list_stores(State(store): State<Shared<Store>>, RawQuery(query): RawQuery) -> Response {
    let store = lock(&store);
    let state = &store.knowledge;
    let rows: Vec<&Row> = state.stores.rows().map(|(_, r)| r).collect();
    list(rows, query.as_deref(), &["created_at", "updated_at"], |v| {
        store_view(state, v)
    })
}

async fn create_store(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let name = match required_str(&body, "name") {
        Ok(n) => n.to_owned(),
        Err(r) => return r,
    };
    let metadata = match metadata(&body, 10, 2048) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Some(config) = body.get("ingestion_config") {
        let enrichment = &config["enrichment_config"];
        let valid = match enrichment["type"].as_str() {
            Some("description") => enrichment["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            Some("json_schema") => enrichment["json_schema"]["properties"]
                .as_object()
                .is_some_and(|p| p.values().all(|v| v["description"].is_string())),
            _ => false,
        };
        if !valid {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "parameter_invalid",
                "The ingestion_config parameter is invalid.",
            );
        }
    }
    let mut store = lock(&store);
    let id = new_id(&mut store, "ks");
    let seq = store.seq();
    let now = now();
    let mut value = json!({"_id": id, "name": name, "created_at": now, "updated_at": now});
    for key in ["description", "ingestion_config"] {
        if let Some(v) = body.get(key) {
            value[key] = v.clone();
        }
    }
    if let Some(m) = metadata {
        value["metadata"] = m;
    }
    store
        .knowledge
        .stores
        .insert(id, seq, StoredJson::from_value(value.clone()));
    ok(&store_view(&store.knowledge, &value))
}

async fn retrieve_store(State(store): State<Shared<Store>>, Path(ks): Path<String>) -> Response {
    let store = lock(&store);
    match store.knowledge.stores.get(&ks) {
        Some(row) => ok(&store_view(&store.knowledge, row.value())),
        None => not_found("knowledge store", &ks),
    }
}

fn apply_update(row: &mut Row, body: &Body, metadata: Option<Value>) {
    row.edit(|v| {
        for key in ["name", "description"] {
            if let Some(value) = body.get(key) {
                v[key] = value.clone();
            }
        }
        if let Some(m) = metadata {
            v["metadata"] = m;
        }
        v["updated_at"] = json!(now());
    });
}

async fn update_store(
    State(store): State<Shared<Store>>,
    Path(ks): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let metadata = match metadata(&body, 10, 2048) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let mut store = lock(&store);
    let Some(row) = store.knowledge.stores.get_mut(&ks) else {
        return not_found("knowledge store", &ks);
    };
    apply_update(row, &body, metadata);
    let value = row.value().clone();
    ok(&store_view(&store.knowledge, &value))
}

async fn delete_store(State(store): State<Shared<Store>>, Path(ks): Path<String>) -> Response {
    let mut store = lock(&store);
    let state = &mut store.knowledge;
    if state.stores.remove(&ks).is_none() {
        return not_found("knowledge store", &ks);
    }
    for table in [&mut state.items, &mut state.collections] {
        let ids: Vec<String> = table
            .rows()
            .filter(|(_, r)| r.value()["_store"] == ks.as_str())
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            table.remove(&id);
        }
    }
    no_content()
}

// ---- search --------------------------------------------------------------------------------

fn filter_matches(filter: &Value, field: &str, value: &Value) -> bool {
    let Some(condition) = filter.get(field) else {
        return true;
    };
    if let Some(eq) = condition.get("eq") {
        return eq == value;
    }
    condition
        .get("in")
        .and_then(Value::as_array)
        .is_some_and(|values| values.contains(value))
}

async fn search(
    State(store): State<Shared<Store>>,
    Path(ks): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(text) = body
        .get("query")
        .and_then(|q| q["text"].as_str())
        .filter(|t| !t.trim().is_empty())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The query.text parameter is required.",
        );
    };
    let size = match body.get("page_size") {
        None => 10,
        Some(v) => match v.as_u64().filter(|n| (1..=50).contains(n)) {
            Some(n) => usize::try_from(n).unwrap_or(10),
            None => return parameter_invalid("The page_size parameter must be between 1 and 50."),
        },
    };
    let offset = match body.get("page_token").and_then(Value::as_str) {
        None => 0,
        Some(t) if t.starts_with("expired") => {
            return error(
                StatusCode::GONE,
                "page_token_expired",
                "The page token has expired.",
            );
        }
        Some(t) => match t.strip_prefix("kst_").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => n,
            None => return parameter_invalid("The page_token parameter is invalid."),
        },
    };
    let filter = body.get("filter").cloned().unwrap_or(json!({}));
    let modalities = body
        .get("search_options")
        .and_then(|o| o["video"]["modalities"].as_array().cloned())
        .unwrap_or_else(|| vec![json!("visual")]);
    let group_by_item = body.get("group_by").and_then(Value::as_str) == Some("item");
    let include_metadata = body.get("include_metadata").and_then(Value::as_bool) == Some(true);
    let store = lock(&store);
    if !store.knowledge.stores.contains(&ks) {
        return not_found("knowledge store", &ks);
    }
    let hits: Vec<&Value> = in_store(&store.knowledge.items, &ks)
        .into_iter()
        .map(Row::value)
        .filter(|v| v["status"] == "ready")
        .filter(|v| filter_matches(&filter, "asset_type", &v["asset_type"]))
        .filter(|v| filter_matches(&filter, "item_id", &v["_id"]))
        .collect();
    let any_video = hits.iter().any(|v| v["asset_type"] == "video");
    let data: Vec<Value> = hits
        .iter()
        .enumerate()
        .skip(offset)
        .take(size)
        .map(|(index, item)| {
            let mut hit = json!({"asset_type": item["asset_type"], "rank": index + 1, "item_id": item["_id"]});
            if item["asset_type"] == "video" {
                let clip = |start: f64| json!({"start_sec": start, "end_sec": start + 4.0, "modalities": modalities, "transcription": format!("…{text}…")});
                hit["matches"] = if group_by_item { json!([clip(2.0), clip(10.0)]) } else { json!([clip(2.0)]) };
            }
            if include_metadata {
                let system = &item["system_metadata"];
                hit["metadata"] = json!({
                    "system": {"duration": system["duration"], "width": system["width"], "height": system["height"], "size": system["size"]},
                    "user": item.get("metadata").cloned().unwrap_or(json!({})),
                });
            }
            hit
        })
        .collect();
    let mut answer = json!({
        "data": data,
        "effective_search_options": if any_video { json!({"video": {"modalities": modalities}}) } else { json!({}) },
    });
    if offset + size < hits.len() {
        answer["next_page_token"] = json!(format!("kst_{}", offset + size));
    }
    ok(&answer)
}

// ---- items ---------------------------------------------------------------------------------

async fn list_items(
    State(store): State<Shared<Store>>,
    Path(ks): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let store = lock(&store);
    if !store.knowledge.stores.contains(&ks) {
        return not_found("knowledge store", &ks);
    }
    let params = decode_form(query.as_deref().unwrap_or_default());
    let known = ["queued", "pending", "processing", "ready", "failed"];
    if all(&params, "status").iter().any(|s| !known.contains(s)) {
        return parameter_invalid("The status parameter is invalid.");
    }
    list(
        in_store(&store.knowledge.items, &ks),
        query.as_deref(),
        &["created_at", "updated_at"],
        public,
    )
}

async fn create_item(
    State(store): State<Shared<Store>>,
    Path(ks): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let asset_id = match required_str(&body, "asset_id") {
        Ok(a) => a.to_owned(),
        Err(r) => return r,
    };
    let metadata = match metadata(&body, 50, 8192) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let asset_type = body
        .get("asset_type")
        .and_then(Value::as_str)
        .unwrap_or("video")
        .to_owned();
    if asset_type != "video" && asset_type != "image" {
        return parameter_invalid("The asset_type parameter must be video or image.");
    }
    let mut store = lock(&store);
    if !store.knowledge.stores.contains(&ks) {
        return not_found("knowledge store", &ks);
    }
    let asset = store.assets.get(&asset_id).map(|r| r.value().clone());
    if asset.is_none() && !asset_id.contains("fail") {
        return not_found("asset", &asset_id);
    }
    let filename = asset
        .as_ref()
        .and_then(|a| a["filename"].as_str().map(str::to_owned));
    let id = new_id(&mut store, "ksi");
    let seq = store.seq();
    let now = now();
    let mut system = json!({"filename": filename, "width": 1920, "height": 1080, "codec_name": "h264", "size": 104_857_600});
    if asset_type == "video" {
        system["duration"] = json!(120.5);
        system["fps"] = json!(29.97);
    }
    let mut item = json!({
        "_id": id, "asset_type": asset_type, "asset_id": asset_id, "status": "queued",
        "system_metadata": system, "created_at": now, "updated_at": now, "_store": ks,
    });
    if let Some(m) = metadata {
        item["metadata"] = m;
    }
    store
        .knowledge
        .items
        .insert(id, seq, StoredJson::from_value(item.clone()));
    ok(&public(&item))
}

async fn retrieve_item(
    State(store): State<Shared<Store>>,
    Path((ks, item)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    let Some(row) = store
        .knowledge
        .items
        .get_mut(&item)
        .filter(|r| r.value()["_store"] == ks.as_str())
    else {
        return not_found("knowledge store item", &item);
    };
    row.polls += 1;
    let fail = row.value()["asset_id"]
        .as_str()
        .is_some_and(|a| a.contains("fail"));
    let next = match row.value()["status"].as_str() {
        Some("queued") => Some("processing"),
        Some("processing") if row.polls >= 2 => Some(if fail { "failed" } else { "ready" }),
        _ => None,
    };
    if let Some(next) = next {
        row.edit(|v| {
            v["status"] = json!(next);
            v["updated_at"] = json!(now());
        });
    }
    ok(&public(row.value()))
}

async fn delete_item(
    State(store): State<Shared<Store>>,
    Path((ks, item)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    let state = &mut store.knowledge;
    if !state
        .items
        .get(&item)
        .is_some_and(|r| r.value()["_store"] == ks.as_str())
    {
        return not_found("knowledge store item", &item);
    }
    state.items.remove(&item);
    for (_, row) in state.collections.rows_mut() {
        row.edit(|c| {
            if let Some(members) = c["_members"].as_array_mut() {
                members.retain(|m| m != item.as_str());
            }
        });
    }
    no_content()
}

// ---- item collections ----------------------------------------------------------------------

fn collection_view(value: &Value) -> Value {
    let mut view = public(value);
    view["member_count"] = json!(value["_members"].as_array().map_or(0, Vec::len));
    view
}

async fn list_collections(
    State(store): State<Shared<Store>>,
    Path(ks): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let store = lock(&store);
    if !store.knowledge.stores.contains(&ks) {
        return not_found("knowledge store", &ks);
    }
    list(
        in_store(&store.knowledge.collections, &ks),
        query.as_deref(),
        &["created_at", "updated_at", "name"],
        collection_view,
    )
}

async fn create_collection(
    State(store): State<Shared<Store>>,
    Path(ks): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let name = match required_str(&body, "name") {
        Ok(n) => n.to_owned(),
        Err(r) => return r,
    };
    let metadata = match metadata(&body, 10, 2048) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let mut store = lock(&store);
    if !store.knowledge.stores.contains(&ks) {
        return not_found("knowledge store", &ks);
    }
    if in_store(&store.knowledge.collections, &ks)
        .iter()
        .any(|c| c.value()["name"] == name.as_str())
    {
        return parameter_invalid(
            "An item collection with this name already exists in the knowledge store.",
        );
    }
    let id = new_id(&mut store, "ksic");
    let seq = store.seq();
    let now = now();
    let mut value = json!({
        "_id": id, "knowledge_store_id": ks, "name": name, "created_at": now, "updated_at": now,
        "_store": ks, "_members": [],
    });
    if let Some(d) = body.get("description") {
        value["description"] = d.clone();
    }
    if let Some(m) = metadata {
        value["metadata"] = m;
    }
    store
        .knowledge
        .collections
        .insert(id, seq, StoredJson::from_value(value.clone()));
    ok(&collection_view(&value))
}

fn collection<'a>(
    state: &'a mut KnowledgeState,
    ks: &str,
    c: &str,
) -> Result<&'a mut Row, Response> {
    state
        .collections
        .get_mut(c)
        .filter(|r| r.value()["_store"] == ks)
        .ok_or_else(|| not_found("item collection", c))
}

async fn retrieve_collection(
    State(store): State<Shared<Store>>,
    Path((ks, c)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    match collection(&mut store.knowledge, &ks, &c) {
        Ok(row) => ok(&collection_view(row.value())),
        Err(r) => r,
    }
}

async fn update_collection(
    State(store): State<Shared<Store>>,
    Path((ks, c)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let metadata = match metadata(&body, 10, 2048) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let mut store = lock(&store);
    match collection(&mut store.knowledge, &ks, &c) {
        Ok(row) => {
            apply_update(row, &body, metadata);
            ok(&collection_view(row.value()))
        }
        Err(r) => r,
    }
}

async fn delete_collection(
    State(store): State<Shared<Store>>,
    Path((ks, c)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&store);
    if let Err(r) = collection(&mut store.knowledge, &ks, &c) {
        return r;
    }
    store.knowledge.collections.remove(&c);
    no_content()
}

async fn collection_items(
    State(store): State<Shared<Store>>,
    Path((ks, c)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut store = lock(&store);
    let members: Vec<String> = match collection(&mut store.knowledge, &ks, &c) {
        Ok(row) => string_list(row.value().get("_members"), "_members").unwrap_or_default(),
        Err(r) => return r,
    };
    let params = decode_form(query.as_deref().unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let items: Vec<String> = members
        .iter()
        .filter_map(|id| store.knowledge.items.get(id))
        .map(|r| public(r.value()).to_string())
        .collect();
    page_response(&items, page, limit)
}

fn item_ids(body: &Bytes) -> Result<Vec<String>, Response> {
    let body = json_object(body)?;
    let Some(value) = body.get("item_ids") else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The item_ids parameter is required.",
        ));
    };
    let ids = string_list(Some(value), "item_ids")?;
    if ids.is_empty() || ids.len() > 500 {
        return Err(parameter_invalid(
            "The item_ids parameter must hold 1 to 500 ids.",
        ));
    }
    Ok(ids)
}

async fn add_items(
    State(store): State<Shared<Store>>,
    Path((ks, c)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let ids = match item_ids(&body) {
        Ok(ids) => ids,
        Err(r) => return r,
    };
    let mut store = lock(&store);
    let state = &mut store.knowledge;
    if let Some(missing) = ids.iter().find(|id| {
        !state
            .items
            .get(id)
            .is_some_and(|r| r.value()["_store"] == ks.as_str())
    }) {
        return error(
            StatusCode::BAD_REQUEST,
            "resource_not_exist",
            &format!("The item with id {missing} does not exist in this knowledge store."),
        );
    }
    match collection(state, &ks, &c) {
        Ok(row) => {
            row.edit(|v| {
                let members = v["_members"].as_array_mut();
                if let Some(members) = members {
                    for id in &ids {
                        if !members.iter().any(|m| m == id.as_str()) {
                            members.push(json!(id));
                        }
                    }
                }
                v["updated_at"] = json!(now());
            });
            ok(&collection_view(row.value()))
        }
        Err(r) => r,
    }
}

async fn remove_items(
    State(store): State<Shared<Store>>,
    Path((ks, c)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let ids = match item_ids(&body) {
        Ok(ids) => ids,
        Err(r) => return r,
    };
    let mut store = lock(&store);
    match collection(&mut store.knowledge, &ks, &c) {
        Ok(row) => {
            row.edit(|v| {
                if let Some(members) = v["_members"].as_array_mut() {
                    members.retain(|m| !ids.iter().any(|id| m == id.as_str()));
                }
            });
            no_content()
        }
        Err(r) => r,
    }
}
