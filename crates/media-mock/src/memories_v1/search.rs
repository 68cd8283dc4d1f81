//! Search routes: semantic (naive word matching here), transcript phrase, image queries.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Value, json};

use super::multipart;
use super::{
    Store, audio_segments, body_namespace, caption_segments, failure, invalid_parameter,
    json_object, namespace, positive, query_namespace, query_pairs, required_str, success_value,
    words,
};
use crate::record::first;
use crate::server::{Shared, lock};

type St = State<Shared<Store>>;

const SEARCH_TYPES: [&str; 5] = ["BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_IMAGE", "BY_CAPTION"];

/// `(video_no, video_name, caption text, audio text)` of every parsed private video of a namespace.
fn private_corpus(store: &Store, unique_id: &str) -> Vec<(String, String, String, String)> {
    store
        .videos_of(unique_id)
        .iter()
        .filter(|video| video.json.value["status"] == "PARSE")
        .filter_map(|video| {
            let no = video.json.str("video_no")?.to_owned();
            let name = video.json.str("video_name").unwrap_or_default().to_owned();
            let caption = caption_segments(store, &no, &name)[0]["content"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let audio = audio_segments(&name)[0]["content"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            Some((no, name, caption, audio))
        })
        .collect()
}

fn public_corpus(store: &Store) -> Vec<(String, String, String, String)> {
    let mut corpus: Vec<(String, String, String, String)> = store
        .public_videos
        .values()
        .filter_map(|video| {
            let no = video.str("video_no")?.to_owned();
            let name = video.str("video_name").unwrap_or_default().to_owned();
            let caption = format!("Scenes of {name}.");
            Some((no, name, caption, " good morning everyone".to_owned()))
        })
        .collect();
    corpus.sort();
    corpus
}

/// Hits of `query` over a corpus: a video matches when any query word is in its name or text.
fn hits(
    corpus: &[(String, String, String, String)],
    query: &str,
    audio: bool,
    top_k: usize,
) -> Vec<Value> {
    let wanted = words(query);
    let mut found: Vec<Value> = corpus
        .iter()
        .filter_map(|(no, name, caption, speech)| {
            let text = format!("{name} {} ", if audio { speech } else { caption }).to_lowercase();
            let matched = wanted.iter().filter(|w| text.contains(w.as_str())).count();
            if matched == 0 {
                return None;
            }
            #[allow(clippy::cast_precision_loss)]
            let score = 0.4 + 0.5 * (matched as f64 / wanted.len().max(1) as f64);
            let mut hit = json!({
                "videoNo": no, "videoName": name, "startTime": "12", "endTime": "17",
                "score": (score * 100.0).round() / 100.0,
            });
            if audio {
                hit["startTime"] = json!("31");
                hit["endTime"] = json!("null");
                hit["audio_ts"] = json!(speech);
            }
            Some(hit)
        })
        .collect();
    found.truncate(top_k);
    found
}

fn top_k(body: &serde_json::Map<String, Value>, max: u64) -> Result<usize, Response> {
    let k = positive(body.get("top_k"), "top_k", 10)?;
    if k > max {
        return Err(invalid_parameter(&format!(
            "top_k must be between 1 and {max}"
        )));
    }
    Ok(usize::try_from(k).unwrap_or(usize::MAX))
}

pub(crate) async fn search(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let query = match required_str(&body, "search_param") {
        Ok(query) => query.to_owned(),
        Err(response) => return response,
    };
    let search_type = body
        .get("search_type")
        .and_then(Value::as_str)
        .unwrap_or("BY_CLIP");
    if !SEARCH_TYPES.contains(&search_type) {
        return failure(
            "0003",
            "search_type must be one of BY_CLIP, BY_VIDEO, BY_AUDIO, BY_IMAGE, BY_CAPTION",
        );
    }
    let max = if search_type == "BY_CAPTION" {
        200
    } else {
        1000
    };
    let k = match top_k(&body, max) {
        Ok(k) => k,
        Err(response) => return response,
    };
    if body
        .get("video_nos")
        .and_then(Value::as_array)
        .is_some_and(|ids| ids.len() > 100)
    {
        return invalid_parameter("video_nos accepts at most 100 ids");
    }
    let mut store = lock(&store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    if search_type == "BY_IMAGE" {
        let wanted = words(&query);
        let items: Vec<&Value> = store
            .images
            .iter()
            .filter(|(ns, image)| {
                *ns == unique_id
                    && (wanted.is_empty()
                        || wanted.iter().any(|w| {
                            image["name"]
                                .as_str()
                                .is_some_and(|n| n.to_lowercase().contains(w.as_str()))
                        }))
            })
            .map(|(_, image)| image)
            .take(k)
            .collect();
        let total = items.len().to_string();
        return success_value(&json!({
            "item": items, "current_page": 0, "page_size": k, "total_count": total,
        }));
    }
    let only: Option<Vec<&str>> = body
        .get("video_nos")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let corpus: Vec<_> = private_corpus(&store, &unique_id)
        .into_iter()
        .filter(|(no, ..)| only.as_ref().is_none_or(|only| only.contains(&no.as_str())))
        .collect();
    success_value(&Value::Array(hits(
        &corpus,
        &query,
        search_type == "BY_AUDIO",
        k,
    )))
}

pub(crate) async fn search_public(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let query = match required_str(&body, "search_param") {
        Ok(query) => query.to_owned(),
        Err(response) => return response,
    };
    let search_type = body
        .get("search_type")
        .and_then(Value::as_str)
        .unwrap_or("BY_VIDEO");
    if !["BY_VIDEO", "BY_AUDIO", "BY_CLIP"].contains(&search_type) {
        return failure("0003", "search_type must be one of BY_VIDEO, BY_AUDIO");
    }
    let k = match top_k(&body, 1000) {
        Ok(k) => k,
        Err(response) => return response,
    };
    let store = lock(&store);
    success_value(&Value::Array(hits(
        &public_corpus(&store),
        &query,
        search_type == "BY_AUDIO",
        k,
    )))
}

fn transcript_search(store: &Shared<Store>, query: Option<&str>, public: bool) -> Response {
    let params = query_pairs(query);
    let Some(phrase) = first(&params, "query").filter(|q| !q.is_empty()) else {
        return invalid_parameter("query cannot be null or empty");
    };
    let value = |name: &str| first(&params, name).map(|v| Value::String(v.to_owned()));
    let (page, size) = match (
        positive(value("page").as_ref(), "page", 1),
        positive(value("page_size").as_ref(), "page_size", 100),
    ) {
        (Ok(page), Ok(size)) => (page, size),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    if size > 500 {
        return invalid_parameter("page_size must be between 1 and 500");
    }
    let mut store = lock(store);
    let corpus = if public {
        public_corpus(&store)
    } else {
        let unique_id = match query_namespace(&mut store, &params) {
            Ok(unique_id) => unique_id,
            Err(response) => return response,
        };
        private_corpus(&store, &unique_id)
    };
    let phrase = phrase.to_lowercase();
    let found: Vec<Value> = corpus
        .iter()
        .filter(|(.., speech)| speech.to_lowercase().contains(&phrase))
        .map(|(no, name, _, speech)| {
            json!({"videoNo": no, "videoName": name, "startTime": "31", "audio_ts": speech})
        })
        .collect();
    let total = found.len().to_string();
    let start = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
    let items: Vec<Value> = found
        .into_iter()
        .skip(start)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    success_value(&json!({
        "videos": items, "current_page": page, "page_size": size, "total_count": total,
    }))
}

pub(crate) async fn audio_transcripts(State(store): St, RawQuery(query): RawQuery) -> Response {
    transcript_search(&store, query.as_deref(), false)
}

pub(crate) async fn public_audio_transcripts(
    State(store): St,
    RawQuery(query): RawQuery,
) -> Response {
    transcript_search(&store, query.as_deref(), true)
}

/// Checks the image part and the similarity of an image search.
fn image_form(headers: &HeaderMap, body: &Bytes) -> Result<multipart::Form, Response> {
    let form = multipart::parse(headers, body)?;
    let Some(file) = form.files("file").into_iter().next() else {
        return Err(invalid_parameter("file cannot be null"));
    };
    if !file
        .content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("image/"))
    {
        return Err(invalid_parameter("file must be an image/*"));
    }
    if let Some(similarity) = form.first("similarity")
        && !similarity
            .parse::<f64>()
            .is_ok_and(|s| (0.0..=1.0).contains(&s))
    {
        return Err(invalid_parameter("similarity must be between 0 and 1"));
    }
    Ok(form)
}

pub(crate) async fn similar_images(State(store): St, headers: HeaderMap, body: Bytes) -> Response {
    let form = match image_form(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let unique_id = match namespace(&mut store, form.first("unique_id").as_deref()) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let found: Vec<Value> = private_corpus(&store, &unique_id)
        .iter()
        .take(3)
        .map(|(no, name, ..)| json!({"videoNo": no, "videoName": name, "startTime": "20", "score": 0.88}))
        .collect();
    success_value(&Value::Array(found))
}

pub(crate) async fn public_similar_images(
    State(store): St,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match image_form(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    if let Some(platform) = form.first("type")
        && !["TIKTOK", "YOUTUBE", "INSTAGRAM"].contains(&platform.as_str())
    {
        return invalid_parameter("type must be TIKTOK, YOUTUBE or INSTAGRAM");
    }
    let store = lock(&store);
    let found: Vec<Value> = public_corpus(&store)
        .iter()
        .take(3)
        .map(|(no, name, ..)| {
            json!({"videoNo": no, "videoName": name, "startTime": "4", "endTime": "9", "score": 0.52})
        })
        .collect();
    success_value(&Value::Array(found))
}

pub(crate) async fn clips_by_image(State(store): St, headers: HeaderMap, body: Bytes) -> Response {
    let form = match image_form(&headers, &body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(video_no) = form.first("video_no").filter(|v| !v.is_empty()) else {
        return invalid_parameter("video_no cannot be null or empty");
    };
    if form.first("prompt").is_none_or(|p| p.trim().is_empty()) {
        return invalid_parameter("The prompt parameter cannot be empty!");
    }
    let mut store = lock(&store);
    let unique_id = match namespace(&mut store, form.first("unique_id").as_deref()) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    if store.parsed(&unique_id, &video_no).is_none() {
        return invalid_parameter("Video is not parsed:");
    }
    success_value(&json!([{"start_time": 3.5, "end_time": 8.0, "score": 0.79}]))
}
