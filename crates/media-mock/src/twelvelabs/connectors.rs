//! Data connectors and imports (`/connections…`; twelvelabs.md §3.14).
//!
//! The mock has no OAuth consent screen: `POST /connections:authorize` creates the `active`
//! Google Drive connection at once (its id is in `state`) as if the user had consented.
//! Imports turn each `source_id` into a `connector` asset that becomes `ready` like an upload;
//! a `source_id` starting with `missing` is rejected, one imported before is `skipped`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{delete, get, post};
use http::StatusCode;
use serde_json::{Value, json};

use super::{
    Row, Store, Table, assets, created, error, json_object, no_content, not_found, now, ok,
    page_response, paging, parameter_invalid, required_str,
};
use crate::json::StoredJson;
use crate::record::decode_form;
use crate::server::{Shared, lock};

/// Connections, redirect URIs and imports (imports carry a private `_connection`).
#[derive(Debug, Default)]
pub(crate) struct ConnectorsState {
    connections: Table,
    redirect_uris: Table,
    imports: Table,
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/connections:authorize", post(authorize))
        .route("/connections", get(list_connections))
        .route(
            "/connections/redirect-uris",
            get(list_redirect_uris).post(create_redirect_uri),
        )
        .route(
            "/connections/redirect-uris/{redirect_uri_id}",
            delete(delete_redirect_uri),
        )
        .route(
            "/connections/{connection_id}",
            get(retrieve_connection).delete(delete_connection),
        )
        .route(
            "/connections/{connection_id}/picker-token",
            post(picker_token),
        )
        .route(
            "/connections/{connection_id}/imports",
            get(list_imports).post(import_files),
        )
        .route(
            "/connections/{connection_id}/imports/{import_id}",
            get(retrieve_import),
        )
}

fn list(rows: &[&Row], query: Option<&str>, view: impl Fn(&Value) -> Value) -> Response {
    let params = decode_form(query.unwrap_or_default());
    let (page, limit) = match paging(&params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let items: Vec<String> = rows.iter().map(|r| view(r.value()).to_string()).collect();
    page_response(&items, page, limit)
}

fn public(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.retain(|k, _| k == "_id" || !k.starts_with('_'));
    }
    value
}

async fn authorize(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let provider = match required_str(&body, "provider") {
        Ok(p) => p.to_owned(),
        Err(r) => return r,
    };
    if provider != "google_drive" {
        return parameter_invalid("The provider parameter must be google_drive.");
    }
    let redirect_uri = match required_str(&body, "redirect_uri") {
        Ok(r) => r.to_owned(),
        Err(r) => return r,
    };
    let mut store = lock(&store);
    let registered: Vec<String> = store
        .connectors
        .redirect_uris
        .rows()
        .filter_map(|(_, r)| r.value()["redirect_uri"].as_str().map(str::to_owned))
        .collect();
    if !registered.is_empty() && !registered.contains(&redirect_uri) {
        return parameter_invalid(
            "The redirect_uri parameter must be one of the registered redirect URIs.",
        );
    }
    let id = store.new_id();
    let seq = store.seq();
    let connection = json!({
        "_id": id, "provider": "google_drive", "status": "active",
        "custom_id": body.get("custom_id").cloned().unwrap_or(Value::Null),
        "account": {"external_id": "1098765432101234567890", "display_name": "Mock Drive User"},
        "scopes": ["https://www.googleapis.com/auth/drive.file"], "connected_at": now(), "last_used_at": null,
    });
    store
        .connectors
        .connections
        .insert(id.clone(), seq, StoredJson::from_value(connection));
    let state = format!("st_{id}");
    ok(&json!({
        "authorize_url": format!("https://accounts.google.com/o/oauth2/v2/auth?client_id=mock&redirect_uri={redirect_uri}&state={state}"),
        "state": state,
    }))
}

async fn list_connections(
    State(store): State<Shared<Store>>,
    RawQuery(query): RawQuery,
) -> Response {
    let store = lock(&store);
    list(
        &store.connectors.connections.newest_first(),
        query.as_deref(),
        public,
    )
}

async fn retrieve_connection(
    State(store): State<Shared<Store>>,
    Path(id): Path<String>,
) -> Response {
    let store = lock(&store);
    match store.connectors.connections.get(&id) {
        Some(row) => ok(&public(row.value())),
        None => not_found("connection", &id),
    }
}

async fn delete_connection(State(store): State<Shared<Store>>, Path(id): Path<String>) -> Response {
    let mut store = lock(&store);
    match store.connectors.connections.remove(&id) {
        Some(_) => no_content(),
        None => not_found("connection", &id),
    }
}

async fn picker_token(State(store): State<Shared<Store>>, Path(id): Path<String>) -> Response {
    let store = lock(&store);
    let Some(row) = store.connectors.connections.get(&id) else {
        return not_found("connection", &id);
    };
    if row.value()["status"] != "active" {
        return error(
            StatusCode::CONFLICT,
            "connection_not_active",
            "The connection is not active; authorize it again.",
        );
    }
    ok(&json!({
        "access_token": format!("ya29.mock-{id}"), "expires_in": 3599,
        "scope": "https://www.googleapis.com/auth/drive.file https://www.googleapis.com/auth/drive.readonly",
        "app_id": "123456789012", "developer_key": "AIzaMockDeveloperKey",
    }))
}

async fn list_redirect_uris(
    State(store): State<Shared<Store>>,
    RawQuery(query): RawQuery,
) -> Response {
    let store = lock(&store);
    list(
        &store.connectors.redirect_uris.newest_first(),
        query.as_deref(),
        public,
    )
}

async fn create_redirect_uri(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let uri = match required_str(&body, "redirect_uri") {
        Ok(u) => u.to_owned(),
        Err(r) => return r,
    };
    let host = uri
        .strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    if host.is_empty()
        || uri.contains('*')
        || host.starts_with("localhost")
        || host.starts_with("127.")
    {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "parameter_invalid",
            "The redirect_uri must be an HTTPS URL on a public host, without wildcards.",
        );
    }
    let mut store = lock(&store);
    if store
        .connectors
        .redirect_uris
        .rows()
        .any(|(_, r)| r.value()["redirect_uri"] == uri.as_str())
    {
        return error(
            StatusCode::CONFLICT,
            "redirect_uri_already_exists",
            "The redirect URI is already registered.",
        );
    }
    let id = store.new_id();
    let seq = store.seq();
    let value = json!({"_id": id, "redirect_uri": uri, "created_at": now()});
    store
        .connectors
        .redirect_uris
        .insert(id, seq, StoredJson::from_value(value.clone()));
    created(&value)
}

async fn delete_redirect_uri(
    State(store): State<Shared<Store>>,
    Path(id): Path<String>,
) -> Response {
    let mut store = lock(&store);
    match store.connectors.redirect_uris.remove(&id) {
        Some(_) => no_content(),
        None => not_found("redirect URI", &id),
    }
}

/// The asset an earlier import made from `source_id`, if any.
fn imported_asset(store: &Store, source_id: &str) -> Option<String> {
    store.assets.rows().find_map(|(id, r)| {
        (r.value()["source"]["details"]["source_id"] == source_id).then(|| id.clone())
    })
}

async fn import_files(
    State(store): State<Shared<Store>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let items = body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !(1..=100).contains(&items.len()) {
        return parameter_invalid("The items parameter must hold 1 to 100 files.");
    }
    let mut source_ids: Vec<String> = Vec::new();
    for item in &items {
        match item["source_id"].as_str() {
            Some(s) if !s.is_empty() && !source_ids.iter().any(|x| x == s) => {
                source_ids.push(s.to_owned());
            }
            _ => return parameter_invalid("Each item needs a unique, non-empty source_id."),
        }
    }
    let mut store = lock(&store);
    let Some(connection) = store
        .connectors
        .connections
        .get(&id)
        .map(|r| r.value().clone())
    else {
        return not_found("connection", &id);
    };
    if connection["status"] != "active" {
        return error(
            StatusCode::CONFLICT,
            "connection_not_active",
            "The connection is not active; authorize it again.",
        );
    }
    let mut results = Vec::new();
    for source_id in &source_ids {
        if source_id.starts_with("missing") {
            results.push(json!({"source_id": source_id, "action": "rejected",
                                "error": {"code": "file_not_found", "message": "The file does not exist or is not shared with the app."}}));
            continue;
        }
        if let Some(asset_id) = imported_asset(&store, source_id) {
            results
                .push(json!({"source_id": source_id, "action": "skipped", "asset_id": asset_id}));
            continue;
        }
        let asset_id = store.new_id();
        let filename = format!("{source_id}.mp4");
        let asset = json!({
            "_id": asset_id, "method": "connector", "status": "processing", "filename": filename,
            "file_type": "video/mp4", "created_at": now(), "_size": 1_048_576,
            "source": {"type": "connector", "details": {
                "provider": "google_drive", "source_id": source_id, "original_filename": filename,
                "source_link": format!("https://drive.google.com/file/d/{source_id}/view"),
            }},
        });
        assets::insert(&mut store, StoredJson::from_value(asset));
        results.push(json!({"source_id": source_id, "action": "created", "asset_id": asset_id}));
    }
    let import_id = store.new_id();
    let seq = store.seq();
    let has_failures = results.iter().any(|r| r["action"] == "rejected");
    let import = json!({
        "_id": import_id, "connection_id": id, "provider": "google_drive", "custom_id": connection["custom_id"],
        "item_count": results.len(), "created_at": now(), "_items": results,
    });
    store.connectors.imports.insert(
        import_id.clone(),
        seq,
        StoredJson::from_value(import.clone()),
    );
    ok(
        &json!({"_id": import_id, "has_failures": has_failures, "items": with_status(&store, &results)}),
    )
}

/// `items` with each asset's live status.
fn with_status(store: &Store, items: &[Value]) -> Vec<Value> {
    items
        .iter()
        .map(|item| {
            let mut item = item.clone();
            if let Some(asset_id) = item["asset_id"].as_str() {
                let status = store
                    .assets
                    .get(asset_id)
                    .map_or(json!("failed"), |a| a.value()["status"].clone());
                item["status"] = status;
            }
            item
        })
        .collect()
}

async fn list_imports(
    State(store): State<Shared<Store>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let store = lock(&store);
    if !store.connectors.connections.contains(&id) {
        return not_found("connection", &id);
    }
    let rows: Vec<&Row> = store
        .connectors
        .imports
        .newest_first()
        .into_iter()
        .filter(|r| r.value()["connection_id"] == id.as_str())
        .collect();
    list(&rows, query.as_deref(), public)
}

async fn retrieve_import(
    State(store): State<Shared<Store>>,
    Path((id, import_id)): Path<(String, String)>,
) -> Response {
    let store = lock(&store);
    let Some(row) = store
        .connectors
        .imports
        .get(&import_id)
        .filter(|r| r.value()["connection_id"] == id.as_str())
    else {
        return not_found("import", &import_id);
    };
    let items = row.value()["_items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut detail = public(row.value());
    detail["items"] = json!(with_status(&store, &items));
    ok(&detail)
}
