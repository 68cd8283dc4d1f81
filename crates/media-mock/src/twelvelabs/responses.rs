//! Responses (Jockey agent): `POST /responses` (twelvelabs.md §3.13).
//!
//! The answer cites the store's first ready item. With `stream: true` it arrives as Server-Sent
//! Events (`response.created` … `response.completed`, one `keepalive`), then `data: [DONE]`.

use std::collections::HashMap;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::{Store, error, json_object, not_found, now, ok, parameter_invalid, required_str};
use crate::server::{Shared, lock};

/// Sessions by id, each bound to its knowledge store.
#[derive(Debug, Default)]
pub(crate) struct ResponsesState {
    sessions: HashMap<String, String>,
}

pub(super) fn routes() -> Router<Shared<Store>> {
    Router::new().route("/responses", post(create))
}

fn sse(events: &[(String, String)]) -> Response {
    let mut body = String::new();
    for (event, data) in events {
        if !event.is_empty() {
            body.push_str("event: ");
            body.push_str(event);
            body.push('\n');
        }
        body.push_str("data: ");
        body.push_str(data);
        body.push_str("\n\n");
    }
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    response
}

#[allow(clippy::too_many_lines)]
async fn create(State(store): State<Shared<Store>>, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let ks = match required_str(&body, "knowledge_store_id") {
        Ok(k) => k.to_owned(),
        Err(r) => return r,
    };
    let Some(input) = body
        .get("input")
        .and_then(Value::as_array)
        .filter(|i| !i.is_empty())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "parameter_not_provided",
            "The input parameter is required.",
        );
    };
    let mut question = String::new();
    for item in input {
        match item["content"].as_str() {
            Some(c) if (1..=10_000).contains(&c.chars().count()) && item["role"] == "user" => {
                c.clone_into(&mut question);
            }
            _ => {
                return parameter_invalid(
                    "Each input message needs role user and 1 to 10000 characters of content.",
                );
            }
        }
    }
    let mut store = lock(&store);
    if !store.knowledge.stores.contains(&ks) {
        return not_found("knowledge store", &ks);
    }
    let session_id = if let Some(session) = body.get("session_id").and_then(Value::as_str) {
        match store.responses.sessions.get(session) {
            Some(bound) if *bound == ks => session.to_owned(),
            Some(_) => {
                return parameter_invalid(
                    "The knowledge_store_id does not match the session's knowledge store.",
                );
            }
            None => return not_found("session", session),
        }
    } else {
        let session = format!("sess_{}", store.new_id());
        store.responses.sessions.insert(session.clone(), ks.clone());
        session
    };
    let cited = store
        .knowledge
        .items
        .rows()
        .map(|(_, r)| r)
        .filter(|r| r.value()["_store"] == ks.as_str() && r.value()["status"] == "ready")
        .min_by_key(|r| r.seq)
        .map(|r| r.value()["_id"].as_str().unwrap_or_default().to_owned());
    let response_id = format!("resp_{}", store.new_id());
    let message_id = format!("msg_{}", store.new_id());
    drop(store);

    let text = match &cited {
        Some(_) => format!("Here is what I found about \"{question}\" [1]."),
        None => format!("The knowledge store has no ready items to answer \"{question}\"."),
    };
    let annotations = match &cited {
        Some(item) => {
            let end = text.chars().count() - 2;
            json!([{
                "type": "video_citation", "start_index": end - 2, "end_index": end, "item_id": item,
                "start_sec": 12.0, "end_sec": 18.5, "title": "Clip", "thumbnail_url": null, "hls_url": null,
            }])
        }
        None => json!([]),
    };
    let part = json!({"type": "output_text", "text": text, "annotations": annotations});
    let mut output = Vec::new();
    let wants_intermediate = body
        .get("include")
        .and_then(Value::as_array)
        .is_some_and(|i| i.iter().any(|v| v == "intermediate_outputs"));
    if wants_intermediate {
        output.push(json!({"type": "function_call", "id": "fc_1", "status": "completed", "name": "search_knowledge_store",
                           "call_id": "call_1", "arguments": json!({"query": question}).to_string()}));
        output.push(json!({"type": "function_call_output", "id": "fco_1", "status": "completed", "call_id": "call_1", "output": "1 result"}));
    }
    let message = json!({"type": "message", "id": message_id, "status": "completed", "role": "assistant", "phase": "final_answer", "content": [part]});
    output.push(message.clone());
    let usage = json!({"input_tokens": 350, "output_tokens": text.split_whitespace().count()});
    let response = |status: &str, output: Value| {
        json!({
            "id": response_id, "knowledge_store_id": ks, "session_id": session_id, "type": "response",
            "object": "response", "status": status, "incomplete_details": null, "output": output,
            "usage": if status == "completed" { usage.clone() } else { Value::Null }, "created_at": now(),
        })
    };
    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        return ok(&response("completed", json!(output)));
    }
    let mut seq = 0_u64;
    let mut events = Vec::new();
    let mut push = |kind: &str, mut payload: Value| {
        payload["type"] = json!(kind);
        payload["sequence_number"] = json!(seq);
        seq += 1;
        events.push((kind.to_owned(), payload.to_string()));
    };
    push(
        "response.created",
        json!({"response": response("in_progress", json!([]))}),
    );
    push(
        "response.in_progress",
        json!({"response": response("in_progress", json!([]))}),
    );
    push("keepalive", json!({}));
    let index = output.len() - 1;
    let empty_message = json!({"type": "message", "id": message_id, "status": "in_progress", "role": "assistant", "content": []});
    push(
        "response.output_item.added",
        json!({"output_index": index, "item": empty_message}),
    );
    push(
        "response.content_part.added",
        json!({"item_id": message_id, "output_index": index, "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": []}}),
    );
    let chars: Vec<char> = text.chars().collect();
    for piece in chars.chunks(12) {
        push(
            "response.output_text.delta",
            json!({"item_id": message_id, "output_index": index, "content_index": 0, "delta": piece.iter().collect::<String>()}),
        );
    }
    push(
        "response.output_text.done",
        json!({"item_id": message_id, "output_index": index, "content_index": 0, "text": text}),
    );
    push(
        "response.content_part.done",
        json!({"item_id": message_id, "output_index": index, "content_index": 0, "part": part}),
    );
    push(
        "response.output_item.done",
        json!({"output_index": index, "item": message}),
    );
    push(
        "response.completed",
        json!({"response": response("completed", json!(output))}),
    );
    events.push((String::new(), "[DONE]".to_owned()));
    sse(&events)
}
