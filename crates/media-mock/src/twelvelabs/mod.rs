//! TwelveLabs v1.3: routes and in-memory state.
//!
//! Objects are served bare (no envelope); lists are `{"data":[…],"page_info":{…}}`; errors are
//! the flat `{"code","message"}` body (twelvelabs.md §1.3, §1.5, §1.7).
//!
//! One submodule per API group, each exposing `routes() -> Router<Shared<Store>>`; the groups
//! share one [`Store`] and the helpers here (tables, paging, error bodies, ids, clock).

// Handlers bail out with the ready-made error `Response`; boxing it buys nothing in a mock.
#![allow(clippy::result_large_err)]

mod analyze;
mod assets;
mod connectors;
mod embed;
mod entities;
pub(crate) mod form;
mod indexed_assets;
mod indexes;
mod knowledge;
mod legacy;
mod multipart;
mod responses;
mod search;
mod tasks;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use http::StatusCode;
use serde_json::Value;

use crate::credentials;
use crate::json::{self, StoredJson};
use crate::record::first;
use crate::server::Shared;

/// Where the API root sits on the mock.
pub(crate) const PREFIX: &str = "/twelvelabs/v1.3";

const API_KEY_HEADER: &str = "x-api-key";

const UNAUTHORIZED: &str = r#"{"code":"api_key_invalid","message":"The API key you provided is not valid.","docs_url":"https://docs.twelvelabs.io/v1.3/api-reference/error-codes"}"#;

pub(crate) const DEFAULT_PAGE_LIMIT: usize = 10;
pub(crate) const MAX_PAGE_LIMIT: usize = 50;

/// One stored object: its JSON, insertion order and how often it was polled.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Insertion order, the tie-break between equal `created_at`s (later first).
    pub(crate) seq: u64,
    pub(crate) json: StoredJson,
    /// How many times a retrieve has observed it (drives status progressions).
    pub(crate) polls: u32,
}

impl Row {
    pub(crate) fn value(&self) -> &Value {
        &self.json.value
    }

    /// Replaces the stored object.
    pub(crate) fn set(&mut self, value: Value) {
        self.json = StoredJson::from_value(value);
    }

    /// Applies `edit` to a copy of the object and stores the result.
    pub(crate) fn edit(&mut self, edit: impl FnOnce(&mut Value)) {
        let mut value = self.json.value.clone();
        edit(&mut value);
        self.set(value);
    }
}

/// Objects of one kind by id.
#[derive(Debug, Default)]
pub(crate) struct Table {
    rows: HashMap<String, Row>,
    /// The ids newest first, kept between changes: listing 100,000 assets a page at a time
    /// must not sort the whole table for every page.
    order: Mutex<Option<Arc<[String]>>>,
}

impl Table {
    fn changed(&mut self) {
        *self
            .order
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    pub(crate) fn insert(&mut self, id: String, seq: u64, json: StoredJson) {
        self.changed();
        self.rows.insert(
            id,
            Row {
                seq,
                json,
                polls: 0,
            },
        );
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Row> {
        self.rows.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Row> {
        self.changed();
        self.rows.get_mut(id)
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<Row> {
        self.changed();
        self.rows.remove(id)
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.rows.contains_key(id)
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = (&String, &Row)> {
        self.rows.iter()
    }

    pub(crate) fn rows_mut(&mut self) -> impl Iterator<Item = (&String, &mut Row)> {
        self.changed();
        self.rows.iter_mut()
    }

    /// Every row, newest `created_at` first (ties: later insertion first).
    pub(crate) fn newest_first(&self) -> Vec<&Row> {
        self.order()
            .iter()
            .filter_map(|id| self.rows.get(id))
            .collect()
    }

    /// Rows `skip..skip + take` of [`Table::newest_first`], and how many rows there are:
    /// an unfiltered listing touches only its page.
    pub(crate) fn newest_first_page(&self, skip: usize, take: usize) -> (Vec<&Row>, usize) {
        let order = self.order();
        let page = order
            .iter()
            .skip(skip)
            .take(take)
            .filter_map(|id| self.rows.get(id))
            .collect();
        (page, order.len())
    }

    fn order(&self) -> Arc<[String]> {
        let mut cached = self
            .order
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(cached.get_or_insert_with(|| self.sorted_ids()))
    }

    fn sorted_ids(&self) -> Arc<[String]> {
        let mut keyed: Vec<_> = self
            .rows
            .iter()
            .map(|(id, row)| (created_at_key(&row.json), row.seq, id))
            .collect();
        keyed.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        keyed.into_iter().map(|(_, _, id)| id.clone()).collect()
    }
}

/// The state of every TwelveLabs resource the mock serves.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) assets: Table,
    pub(crate) indexes: Table,
    /// Indexed assets (and legacy videos: the same objects) by id; each row's JSON carries a
    /// private `"_index_id"` key that is stripped before serving.
    pub(crate) indexed_assets: Table,
    pub(crate) tasks: Table,
    pub(crate) uploads: multipart::Uploads,
    pub(crate) entity_collections: Table,
    pub(crate) entities: Table,
    pub(crate) searches: search::Searches,
    pub(crate) embed: embed::EmbedState,
    pub(crate) analyze: analyze::AnalyzeState,
    pub(crate) knowledge: knowledge::KnowledgeState,
    pub(crate) responses: responses::ResponsesState,
    pub(crate) connectors: connectors::ConnectorsState,
    next_seq: u64,
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Self::default();
        assets::seed(&mut store);
        store
    }

    pub(crate) fn seed_asset(&mut self, asset: Value) {
        assets::insert(self, StoredJson::from_value(asset));
    }

    /// The next insertion number.
    pub(crate) fn seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// A fresh 24-hex id in the style of the real ones.
    pub(crate) fn new_id(&mut self) -> String {
        let seq = self.seq();
        format!("{:024x}", (0x66a1_b2c3_u128 << 64) | u128::from(seq))
    }
}

pub(crate) fn router(store: Shared<Store>) -> Router {
    let api = Router::new()
        .merge(assets::routes())
        .merge(indexes::routes())
        .merge(multipart::routes())
        .merge(tasks::routes())
        .merge(indexed_assets::routes())
        .merge(entities::routes())
        .merge(search::routes())
        .merge(embed::routes())
        .merge(analyze::routes())
        .merge(knowledge::routes())
        .merge(responses::routes())
        .merge(connectors::routes())
        .merge(legacy::routes())
        .route_layer(middleware::from_fn(require_api_key));
    Router::new()
        .merge(api)
        // Presigned chunk URLs: outside the API, no key (like S3).
        .merge(multipart::presigned_routes())
        // Direct uploads (≤200 MB) and 5 MiB chunks exceed axum's 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(store)
}

async fn require_api_key(request: Request, next: Next) -> Response {
    let authorized = request
        .headers()
        .get(API_KEY_HEADER)
        .is_some_and(|key| key.as_bytes() == credentials::TWELVELABS_API_KEY.as_bytes());
    if authorized {
        next.run(request).await
    } else {
        json::response(StatusCode::UNAUTHORIZED, UNAUTHORIZED)
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers for the group modules.
// ---------------------------------------------------------------------------------------------

/// `raw` as an integer in `min..=max`, `default` when absent; `None` when invalid.
pub(crate) fn parse_bounded(
    raw: Option<&str>,
    default: usize,
    min: usize,
    max: usize,
) -> Option<usize> {
    match raw {
        None => Some(default),
        Some(raw) => raw.parse().ok().filter(|n| (min..=max).contains(n)),
    }
}

/// `page` and `page_limit` from decoded query pairs, or the provider's 400.
pub(crate) fn paging(params: &[(String, String)]) -> Result<(usize, usize), Response> {
    let Some(page) = parse_bounded(first(params, "page"), 1, 1, usize::MAX) else {
        return Err(parameter_invalid(
            "The page parameter must be an integer greater than or equal to 1.",
        ));
    };
    let Some(limit) = parse_bounded(
        first(params, "page_limit"),
        DEFAULT_PAGE_LIMIT,
        1,
        MAX_PAGE_LIMIT,
    ) else {
        return Err(parameter_invalid(
            "The page_limit parameter must be an integer between 1 and 50.",
        ));
    };
    Ok((page, limit))
}

/// Sorts `rows` by the `sort_by` (one of `allowed`, default `created_at`) and `sort_option`
/// (`asc`/`desc`, default `desc`) query parameters, or answers the provider's 400.
pub(crate) fn sort_rows(
    rows: &mut [&Row],
    params: &[(String, String)],
    allowed: &[&str],
) -> Result<(), Response> {
    let sort_by = first(params, "sort_by").unwrap_or("created_at");
    if !allowed.contains(&sort_by) {
        return Err(parameter_invalid(&format!(
            "The sort_by parameter must be one of {}.",
            allowed.join(", ")
        )));
    }
    let descending = match first(params, "sort_option") {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => {
            return Err(parameter_invalid(
                "The sort_option parameter must be asc or desc.",
            ));
        }
    };
    rows.sort_by(|a, b| {
        let key = |row: &Row| {
            if sort_by == "created_at" {
                created_at_key(&row.json)
            } else {
                (
                    row.json.key(sort_by).unwrap_or_default().to_lowercase(),
                    String::new(),
                )
            }
        };
        let order = key(a).cmp(&key(b)).then(a.seq.cmp(&b.seq));
        if descending { order.reverse() } else { order }
    });
    Ok(())
}

/// True when the RFC 3339 member `name` of `row` is at or after the query value of `name`
/// (absent filters match everything).
pub(crate) fn at_or_after(row: &Value, params: &[(String, String)], name: &str) -> bool {
    match first(params, name) {
        None => true,
        Some(since) => row[name].as_str().is_some_and(|at| at >= since),
    }
}

/// True when the number at `value` satisfies the `name[gte]`/`name[lte]` (and plain `name`)
/// query filters.
pub(crate) fn in_range(value: &Value, params: &[(String, String)], name: &str) -> bool {
    let number = value.as_f64();
    let bound = |suffix: &str| {
        first(params, &format!("{name}{suffix}")).and_then(|v| v.parse::<f64>().ok())
    };
    let check = |ok: fn(f64, f64) -> bool, limit: Option<f64>| {
        limit.is_none_or(|limit| number.is_some_and(|n| ok(n, limit)))
    };
    check(|n, l| n >= l, bound("[gte]"))
        && check(|n, l| n <= l, bound("[lte]"))
        && check(|n, l| (n - l).abs() < 1e-9, bound(""))
}

/// One page of `items` (already serialized JSON) in the list envelope.
pub(crate) fn page_response<S: AsRef<str>>(items: &[S], page: usize, limit: usize) -> Response {
    let on_page: Vec<&str> = items
        .iter()
        .skip((page - 1).saturating_mul(limit))
        .take(limit)
        .map(AsRef::as_ref)
        .collect();
    served_page(&on_page, page, limit, items.len())
}

/// One page already cut from a listing of `total` items.
pub(crate) fn served_page<S: AsRef<str>>(
    on_page: &[S],
    page: usize,
    limit: usize,
    total: usize,
) -> Response {
    let data = json::array(on_page.iter().map(AsRef::as_ref));
    let total_page = total.div_ceil(limit);
    json::response(
        StatusCode::OK,
        format!(
            r#"{{"data":{data},"page_info":{{"limit_per_page":{limit},"page":{page},"total_page":{total_page},"total_results":{total}}}}}"#
        ),
    )
}

/// `value` as a 200 JSON answer.
pub(crate) fn ok(value: &Value) -> Response {
    json::response(StatusCode::OK, value.to_string())
}

/// `value` as a 201 JSON answer.
pub(crate) fn created(value: &Value) -> Response {
    json::response(StatusCode::CREATED, value.to_string())
}

/// An empty success (updates and deletes).
pub(crate) fn no_content() -> Response {
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// A JSON object body, or the provider's 400.
pub(crate) fn json_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(parameter_invalid("The request body must be a JSON object.")),
    }
}

/// The required non-empty string member `name`.
pub(crate) fn required_str<'a>(
    body: &'a serde_json::Map<String, Value>,
    name: &str,
) -> Result<&'a str, Response> {
    match body.get(name) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text),
        Some(_) => Err(parameter_invalid(&format!(
            "The {name} parameter is invalid."
        ))),
        None => Err(error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            &format!("The {name} parameter is required."),
        )),
    }
}

/// A `Vec<String>` from a JSON array of strings, or the provider's 400.
pub(crate) fn string_list(value: Option<&Value>, name: &str) -> Result<Vec<String>, Response> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| parameter_invalid(&format!("The {name} parameter is invalid.")))
            })
            .collect(),
        Some(_) => Err(parameter_invalid(&format!(
            "The {name} parameter is invalid."
        ))),
    }
}

/// The current time, RFC 3339 with milliseconds, UTC.
pub(crate) fn now() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(since.as_secs(), since.subsec_millis())
}

/// `secs` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn rfc3339(secs: u64, millis: u32) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), for dates after 1970.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A sort key for RFC 3339 `created_at` values: the seconds part, then the fraction padded so
/// that `…:40.879Z` sorts after `…:40Z`. Missing values sort oldest.
pub(crate) fn created_at_key(object: &StoredJson) -> (String, String) {
    let Some(created_at) = object.str("created_at") else {
        return (String::new(), String::new());
    };
    let Some((seconds, rest)) = created_at.split_at_checked(19) else {
        return (created_at.to_owned(), String::new());
    };
    let fraction: String = rest
        .strip_prefix('.')
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (seconds.to_owned(), format!("{fraction:0<9}"))
}

pub(crate) fn parameter_invalid(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "parameter_invalid", message)
}

/// The documented not-found answer for `what` (`"index"`, `"asset"`, …) `id`.
pub(crate) fn not_found(what: &str, id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "resource_not_exist",
        &format!("The {what} with id {id} does not exist."),
    )
}

/// The flat error body.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json::response(
        status,
        format!(
            r#"{{"code":{},"message":{}}}"#,
            json::quote(code),
            json::quote(message)
        ),
    )
}

/// Merges `patch` into the object `target["user_metadata"]` with PATCH semantics: `null`
/// deletes a key, `""` and `[]` are ignored, anything else is set.
pub(crate) fn merge_metadata(target: &mut Value, patch: &serde_json::Map<String, Value>) {
    let mut current = match target.get("user_metadata") {
        Some(Value::Object(map)) => map.clone(),
        _ => serde_json::Map::new(),
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                current.remove(key);
            }
            Value::String(s) if s.is_empty() => {}
            Value::Array(a) if a.is_empty() => {}
            other => {
                current.insert(key.clone(), other.clone());
            }
        }
    }
    target["user_metadata"] = Value::Object(current);
}

/// Drops `""`, `[]` and `null` values, as creates do with `user_metadata`.
pub(crate) fn clean_metadata(
    map: &serde_json::Map<String, Value>,
) -> serde_json::Map<String, Value> {
    map.iter()
        .filter(|(_, v)| {
            !matches!(v, Value::Null)
                && !matches!(v, Value::String(s) if s.is_empty())
                && !matches!(v, Value::Array(a) if a.is_empty())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fractional_seconds_sort_after_whole_seconds() {
        let whole = StoredJson::from_value(json!({"created_at": "2024-01-16T07:59:40Z"}));
        let fraction = StoredJson::from_value(json!({"created_at": "2024-01-16T07:59:40.879Z"}));
        let missing = StoredJson::from_value(json!({}));
        assert!(created_at_key(&fraction) > created_at_key(&whole));
        assert!(created_at_key(&whole) > created_at_key(&missing));
    }

    #[test]
    fn rfc3339_formats_civil_dates() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_654_165_800, 5), "2022-06-02T10:30:00.005Z");
        assert_eq!(rfc3339(1_709_251_199, 999), "2024-02-29T23:59:59.999Z");
    }

    #[test]
    fn metadata_patch_semantics() {
        let mut target = json!({"user_metadata": {"a": 1, "b": 2, "c": 3}});
        let patch = json!({"a": null, "b": "", "c": [], "d": true});
        merge_metadata(&mut target, patch.as_object().unwrap());
        assert_eq!(target["user_metadata"], json!({"b": 2, "c": 3, "d": true}));
    }
}
