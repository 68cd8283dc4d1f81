//! Any-to-video search: `POST /search` and `GET /search/{page_token}` (twelvelabs.md §3.8).
//!
//! Every ready video of the index that passes `filter` matches with two clips; results are
//! kept per search, and pages after the first are served by token.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::{Store, error, form, not_found, ok, parameter_invalid};
use crate::record::{decode_form, first};
use crate::server::{Shared, lock};

const SEARCH_OPTIONS: [&str; 3] = ["visual", "audio", "transcription"];
const PAGE_EXPIRES_AT: &str = "2099-01-01T00:00:00Z";

/// The results of one search, paged by token.
#[derive(Debug, Default)]
pub(crate) struct Searches {
    sessions: HashMap<String, Session>,
    next: u64,
}

#[derive(Debug)]
struct Session {
    items: Vec<Value>,
    page_limit: usize,
    total_inner_matches: usize,
    search_pool: Value,
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new()
        .route("/search", post(create))
        .route("/search/{page_token}", get(retrieve))
}

fn token(search: u64, page: usize) -> String {
    format!("s{search:06}-p{page}")
}

fn parse_token(token: &str) -> Option<(String, usize)> {
    let (search, page) = token.split_once("-p")?;
    Some((search.to_owned(), page.parse().ok()?))
}

/// Whether a video passes the `filter` JSON: exact values, `{gte, lte}` ranges, `id` lists.
fn passes(video: &Value, filter: &serde_json::Map<String, Value>) -> bool {
    filter.iter().all(|(field, wanted)| {
        let actual = match field.as_str() {
            "id" => video["_id"].clone(),
            "duration" | "width" | "height" | "size" | "filename" | "fps" => {
                video["system_metadata"][field.as_str()].clone()
            }
            other => video["user_metadata"][other].clone(),
        };
        match wanted {
            Value::Array(ids) => ids.contains(&actual),
            Value::Object(range) => {
                let n = actual.as_f64();
                let ok = |key: &str, cmp: fn(f64, f64) -> bool| {
                    range
                        .get(key)
                        .and_then(Value::as_f64)
                        .is_none_or(|limit| n.is_some_and(|n| cmp(n, limit)))
                };
                ok("gte", |n, l| n >= l) && ok("lte", |n, l| n <= l)
            }
            other => {
                actual == *other || (actual.as_f64().is_some() && actual.as_f64() == other.as_f64())
            }
        }
    })
}

#[allow(clippy::too_many_lines)]
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
    let options = form.all("search_options");
    if options.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The search_options parameter is required.",
        );
    }
    if options
        .iter()
        .any(|o| !SEARCH_OPTIONS.contains(&o.as_str()))
    {
        return error(
            StatusCode::BAD_REQUEST,
            "search_option_not_supported",
            "The search_options parameter must be visual, audio or transcription.",
        );
    }
    let query_text = form.first("query_text").filter(|t| !t.trim().is_empty());
    let media_type = form.first("query_media_type");
    let media_count = form.all("query_media_url").len() + form.files("query_media_file").len();
    match media_type.as_deref() {
        None if query_text.is_none() => {
            return error(
                StatusCode::BAD_REQUEST,
                "parameter_not_provided",
                "Either query_text or query_media_type with a query media is required.",
            );
        }
        Some("image") if media_count == 0 => {
            return error(
                StatusCode::BAD_REQUEST,
                "parameter_not_provided",
                "query_media_url or query_media_file is required with query_media_type.",
            );
        }
        Some(t) if t != "image" => {
            return parameter_invalid("The query_media_type parameter must be image.");
        }
        _ => {}
    }
    if media_count > 10 {
        return parameter_invalid("At most 10 query images are accepted.");
    }
    if form
        .all("transcription_options")
        .iter()
        .any(|o| o != "lexical" && o != "semantic")
    {
        return parameter_invalid(
            "The transcription_options parameter must be lexical or semantic.",
        );
    }
    let group_by = form.first("group_by").unwrap_or_else(|| "clip".into());
    if group_by != "clip" && group_by != "video" {
        return parameter_invalid("The group_by parameter must be clip or video.");
    }
    if form
        .first("operator")
        .is_some_and(|o| o != "or" && o != "and")
    {
        return parameter_invalid("The operator parameter must be or or and.");
    }
    let page_limit = match form.first("page_limit") {
        None => 10,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=50).contains(&n) => n,
            _ => return parameter_invalid("The page_limit parameter must be between 1 and 50."),
        },
    };
    let filter = match form.first("filter") {
        None => serde_json::Map::new(),
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => map,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "search_filter_invalid",
                    "The filter parameter must be a JSON object.",
                );
            }
        },
    };
    let include_user_metadata = match form.bool("include_user_metadata") {
        Ok(v) => v.unwrap_or(false),
        Err(response) => return response,
    };
    let mut store = lock(&store);
    if !store.indexes.contains(&index_id) {
        return not_found("index", &index_id);
    }
    // Entity references `<@id>` must name existing entities.
    if let Some(text) = &query_text {
        let mut rest = text.as_str();
        while let Some(start) = rest.find("<@") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('>') else { break };
            let id = &after[..end];
            if !store.entities.contains(id) {
                return parameter_invalid(&format!("The entity {id} does not exist."));
            }
            rest = &after[end + 1..];
        }
    }
    let mut videos: Vec<&super::Row> = store
        .indexed_assets
        .rows()
        .map(|(_, row)| row)
        .filter(|row| row.value()["_index_id"] == index_id.as_str())
        .filter(|row| row.value()["status"] == "ready")
        .filter(|row| passes(row.value(), &filter))
        .collect();
    videos.sort_by_key(|row| row.seq);
    let with_transcription = options.iter().any(|o| o == "transcription");
    let mut rank = 0;
    let mut clip = |video: &Value, start: f64| {
        rank += 1;
        let id = video["_id"].as_str().unwrap_or_default();
        let mut clip = json!({
            "start": start,
            "end": start + 6.0,
            "video_id": id,
            "rank": rank,
            "thumbnail_url": format!("https://cdn.example.com/{id}/{start}.jpg"),
        });
        if with_transcription {
            clip["transcription"] = json!("Hello world.");
        }
        if include_user_metadata && let Some(meta) = video.get("user_metadata") {
            clip["user_metadata"] = meta.clone();
        }
        clip
    };
    let mut inner = 0;
    let items: Vec<Value> = if group_by == "video" {
        videos
            .iter()
            .map(|video| {
                let clips = vec![clip(video.value(), 0.0), clip(video.value(), 6.0)];
                inner += clips.len();
                let mut item = json!({"id": video.value()["_id"], "clips": clips});
                if include_user_metadata && let Some(meta) = video.value().get("user_metadata") {
                    item["user_metadata"] = meta.clone();
                }
                item
            })
            .collect()
    } else {
        videos
            .iter()
            .flat_map(|video| [clip(video.value(), 0.0), clip(video.value(), 6.0)])
            .inspect(|_| inner += 1)
            .collect()
    };
    let total_duration: f64 = videos
        .iter()
        .filter_map(|v| v.value()["system_metadata"]["duration"].as_f64())
        .sum();
    let search_pool = json!({
        "total_count": videos.len(),
        "total_duration": total_duration,
        "index_id": index_id,
    });
    let searches = &mut store.searches;
    searches.next += 1;
    let number = searches.next;
    let session = Session {
        items,
        page_limit,
        total_inner_matches: inner,
        search_pool,
    };
    let body = page(number, &session, 1, false);
    searches.sessions.insert(format!("s{number:06}"), session);
    ok(&body)
}

fn page(search: u64, session: &Session, page: usize, with_prev: bool) -> Value {
    let total = session.items.len();
    let pages = total.div_ceil(session.page_limit).max(1);
    let data: Vec<&Value> = session
        .items
        .iter()
        .skip((page - 1) * session.page_limit)
        .take(session.page_limit)
        .collect();
    let mut page_info = json!({
        "limit_per_page": session.page_limit,
        "page_expires_at": PAGE_EXPIRES_AT,
        "total_results": total,
        "total_inner_matches": session.total_inner_matches,
    });
    if page < pages {
        page_info["next_page_token"] = json!(token(search, page + 1));
    }
    if with_prev && page > 1 {
        page_info["prev_page_token"] = json!(token(search, page - 1));
    }
    json!({"data": data, "page_info": page_info, "search_pool": session.search_pool})
}

async fn retrieve(
    State(store): State<Shared<Store>>,
    Path(page_token): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = decode_form(query.as_deref().unwrap_or_default());
    let include_user_metadata = first(&params, "include_user_metadata") == Some("true");
    let store = lock(&store);
    let expired = || {
        error(
            StatusCode::BAD_REQUEST,
            "search_page_token_expired",
            &format!("The page token {page_token} has expired or is invalid."),
        )
    };
    let Some((search, page_number)) = parse_token(&page_token) else {
        return expired();
    };
    let Some(session) = store.searches.sessions.get(&search) else {
        return expired();
    };
    let pages = session.items.len().div_ceil(session.page_limit).max(1);
    if page_number == 0 || page_number > pages {
        return expired();
    }
    let number: u64 = search.trim_start_matches('s').parse().unwrap_or(0);
    let mut body = page(number, session, page_number, true);
    if !include_user_metadata && let Some(items) = body["data"].as_array_mut() {
        for item in items {
            strip_metadata(item);
        }
    }
    ok(&body)
}

fn strip_metadata(item: &mut Value) {
    if let Some(map) = item.as_object_mut() {
        map.remove("user_metadata");
        if let Some(Value::Array(clips)) = map.get_mut("clips") {
            for clip in clips {
                strip_metadata(clip);
            }
        }
    }
}
