//! Chat routes: whole answers, SSE streams with each flavour's terminator, sessions.
//!
//! `/chat_stream` ends with `data:"Done"`, `/marketer_chat_stream` with
//! `data:{"code":"SUCCESS","data":"Done"}`, `/chat_personal_stream` with `data: [DONE]`; a chat
//! over unknown or unparsed videos streams a final error string instead (memories-v1.md §1.6).

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Map, Value, json};

use super::{
    Session, Store, body_namespace, invalid_parameter, json_object, positive, query_namespace,
    query_pairs, required_str, success, success_value,
};
use crate::record::first;
use crate::server::{Shared, lock};

type St = State<Shared<Store>>;

/// What a chat request asked, once validated.
struct Ask {
    unique_id: String,
    prompt: String,
    session: Option<u64>,
}

fn parse_ask(store: &mut Store, body: &Map<String, Value>) -> Result<Ask, Response> {
    let prompt = required_str(body, "prompt")?.to_owned();
    let session = match body.get("session_id") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .ok_or_else(|| invalid_parameter("session_id must be an integer"))?,
        ),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.parse().map_err(|_| {
            invalid_parameter(&format!("session_id: cannot parse {s:?} as a number"))
        })?),
        Some(_) => return Err(invalid_parameter("session_id must be an integer")),
    };
    let unique_id = body_namespace(store, body)?;
    Ok(Ask {
        unique_id,
        prompt,
        session,
    })
}

/// Records the exchange in its session (created when new) and returns the session id.
fn record(store: &mut Store, ask: &Ask, answer: &str) -> u64 {
    let existing = ask.session.and_then(|id| {
        store
            .sessions
            .iter()
            .position(|s| s.id == id && s.unique_id == ask.unique_id)
    });
    let index = if let Some(index) = existing {
        index
    } else {
        let id = ask.session.unwrap_or_else(|| store.next_id());
        store.sessions.push(Session {
            unique_id: ask.unique_id.clone(),
            id,
            title: ask.prompt.clone(),
            messages: Vec::new(),
        });
        store.sessions.len() - 1
    };
    let session = &mut store.sessions[index];
    session
        .messages
        .push(json!({"role": "user", "content": ask.prompt}));
    session
        .messages
        .push(json!({"role": "assistant", "content": answer}));
    session.id
}

/// The videos a `/chat` names, or the error text the service gives.
fn chat_videos(
    store: &Store,
    body: &Map<String, Value>,
    unique_id: &str,
) -> Result<Vec<(String, String)>, String> {
    let ids: Vec<&str> = body
        .get("video_nos")
        .or_else(|| body.get("videoNos"))
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return Err("video_nos cannot be null or empty".into());
    }
    let mut videos = Vec::new();
    for id in ids {
        let Some(video) = store.videos.get(&(unique_id.to_owned(), id.to_owned())) else {
            return Err("No videos found for the provided video numbers.".into());
        };
        if video.json.value["status"] != "PARSE" {
            return Err(format!("Video is not parsed:{id}"));
        }
        videos.push((
            id.to_owned(),
            video.json.str("video_name").unwrap_or_default().to_owned(),
        ));
    }
    Ok(videos)
}

fn sse(frames: &[String]) -> Response {
    let mut body = String::new();
    for frame in frames {
        body.push_str(frame);
        body.push_str("\n\n");
    }
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream;charset=UTF-8"),
    );
    response
}

fn answer_for(videos: &[(String, String)], prompt: &str) -> String {
    let names: Vec<&str> = videos.iter().map(|(_, name)| name.as_str()).collect();
    format!(
        "Looking at {}: {} The sun sets at about 00:35.",
        names.join(", "),
        prompt.trim_end_matches('?')
    )
}

fn video_chat(store: &Shared<Store>, body: &Bytes, stream: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(store);
    let ask = match parse_ask(&mut store, &body) {
        Ok(ask) => ask,
        Err(response) => return response,
    };
    let videos = match chat_videos(&store, &body, &ask.unique_id) {
        Ok(videos) => videos,
        Err(message) if stream && !message.contains("cannot be null") => {
            return sse(&[format!("data:{}", json!(message))]);
        }
        Err(message) => return invalid_parameter(&message),
    };
    let answer = answer_for(&videos, &ask.prompt);
    let session = record(&mut store, &ask, &answer).to_string();
    let (first_video, first_name) = &videos[0];
    let thinking = json!({"title": "Reviewing the clip", "content": "Looking at the scenes…"});
    let refs = json!([{
        "video": {"video_no": first_video, "video_name": first_name, "duration": "42"},
        "refItems": [{"videoNo": first_video, "type": "visual_ts", "startTime": 30, "endTime": 36,
                      "text": "Sun touches the horizon."}],
    }]);
    if !stream {
        return success_value(&json!({
            "role": "ASSISTANT", "content": answer, "thinkings": [thinking], "refs": refs,
            "session_id": session,
        }));
    }
    let (head, tail) = answer.split_at(answer.len() / 2);
    sse(&[
        format!(
            "data:{}",
            json!({"type": "thinking", "title": thinking["title"], "content": thinking["content"], "sessionId": session})
        ),
        format!(
            "data:{}",
            json!({"type": "ref", "sessionId": session, "ref": refs})
        ),
        format!(
            "data:{}",
            json!({"type": "content", "role": "assistant", "content": head, "sessionId": session})
        ),
        format!(
            "data: {}",
            json!({"type": "content", "role": "assistant", "content": tail, "sessionId": session})
        ),
        "data:\"Done\"".to_owned(),
    ])
}

pub(crate) async fn chat(State(store): St, body: Bytes) -> Response {
    video_chat(&store, &body, false)
}

pub(crate) async fn chat_stream(State(store): St, body: Bytes) -> Response {
    video_chat(&store, &body, true)
}

fn marketer(store: &Shared<Store>, body: &Bytes, stream: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(store);
    let ask = match parse_ask(&mut store, &body) {
        Ok(ask) => ask,
        Err(response) => return response,
    };
    let platform = body.get("type").and_then(Value::as_str).unwrap_or("TIKTOK");
    let answer = format!(
        "On {platform}, @somecreator mostly posts morning-routine clips ({}).",
        ask.prompt
    );
    let session = record(&mut store, &ask, &answer).to_string();
    if !stream {
        return success_value(&json!({
            "role": "ASSISTANT", "content": answer, "thinkings": [], "session_id": session,
        }));
    }
    let (head, tail) = answer.split_at(answer.len() / 2);
    sse(&[
        format!(
            "data:{}",
            json!({"type": "content", "role": "assistant", "content": head, "sessionId": session})
        ),
        format!(
            "data:{}",
            json!({"type": "content", "role": "assistant", "content": tail, "sessionId": session})
        ),
        r#"data:{"code":"SUCCESS","data":"Done"}"#.to_owned(),
    ])
}

pub(crate) async fn marketer_chat(State(store): St, body: Bytes) -> Response {
    marketer(&store, &body, false)
}

pub(crate) async fn marketer_chat_stream(State(store): St, body: Bytes) -> Response {
    marketer(&store, &body, true)
}

fn personal(store: &Shared<Store>, body: &Bytes, stream: bool) -> Response {
    let body = match json_object(body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut store = lock(store);
    let ask = match parse_ask(&mut store, &body) {
        Ok(ask) => ask,
        Err(response) => return response,
    };
    let count = store.videos_of(&ask.unique_id).len();
    let answer = format!("You have {count} videos; you visited the beach on 12 June.");
    let session = record(&mut store, &ask, &answer).to_string();
    if !stream {
        // The session id travels next to `data`, as one source shows.
        return crate::json::response(
            StatusCode::OK,
            json!({
                "code": "0000", "msg": "success",
                "data": {"role": "ASSISTANT", "content": answer},
                "session_id": session, "success": true, "failed": false,
            })
            .to_string(),
        );
    }
    let mut frames: Vec<String> = answer
        .split_inclusive(' ')
        .map(|token| format!("data: {}", json!({ "token": token })))
        .collect();
    frames.push("data: [DONE]".to_owned());
    sse(&frames)
}

pub(crate) async fn personal_chat(State(store): St, body: Bytes) -> Response {
    personal(&store, &body, false)
}

pub(crate) async fn personal_chat_stream(State(store): St, body: Bytes) -> Response {
    personal(&store, &body, true)
}

pub(crate) async fn list_sessions(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let page = match positive(
        first(&params, "page")
            .map(|p| Value::String(p.to_owned()))
            .as_ref(),
        "page",
        1,
    ) {
        Ok(page) => page,
        Err(response) => return response,
    };
    let mut store = lock(&store);
    let unique_id = match query_namespace(&mut store, &params) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let sessions: Vec<Value> = store
        .sessions
        .iter()
        .rev()
        .filter(|s| s.unique_id == unique_id)
        .map(|s| json!({"sessionId": s.id.to_string(), "title": s.title}))
        .collect();
    let total = sessions.len().to_string();
    let start = usize::try_from((page - 1) * 20).unwrap_or(usize::MAX);
    let items: Vec<Value> = sessions.into_iter().skip(start).take(20).collect();
    success_value(&json!({
        "sessions": items, "current_page": page, "page_size": 20, "total_count": total,
    }))
}

pub(crate) async fn session_detail(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let Some(session_id) = first(&params, "sessionId")
        .or_else(|| first(&params, "session_id"))
        .filter(|v| !v.is_empty())
    else {
        return invalid_parameter("sessionId cannot be null or empty");
    };
    let Ok(session_id) = session_id.parse::<u64>() else {
        return invalid_parameter("sessionId must be a number");
    };
    let mut store = lock(&store);
    let unique_id = match query_namespace(&mut store, &params) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    let Some(session) = store
        .sessions
        .iter()
        .find(|s| s.id == session_id && s.unique_id == unique_id)
    else {
        return success("null");
    };
    success_value(&json!({
        "title": session.title, "messages": session.messages,
        "session_id": session.id.to_string(),
    }))
}
