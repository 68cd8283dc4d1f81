//! Transcription routes: visual and audio transcripts, summaries, re-transcription.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{
    Store, audio_segments, body_namespace, caption_segments, invalid_parameter, json_object,
    query_namespace, query_pairs, required_str, success, success_value,
};
use crate::record::first;
use crate::server::{Shared, lock};

type St = State<Shared<Store>>;

/// The parsed private video a transcript call names, or the answer to give instead.
fn private_video(
    store: &mut Store,
    query: Option<&str>,
) -> Result<Option<(String, String)>, Response> {
    let params = query_pairs(query);
    let Some(video_no) = first(&params, "video_no").filter(|v| !v.is_empty()) else {
        return Err(invalid_parameter("video_no cannot be null or empty"));
    };
    let unique_id = query_namespace(store, &params)?;
    Ok(store.parsed(&unique_id, video_no).map(|video| {
        (
            video_no.to_owned(),
            video["video_name"].as_str().unwrap_or_default().to_owned(),
        )
    }))
}

pub(crate) async fn video_caption(State(store): St, RawQuery(query): RawQuery) -> Response {
    let mut store = lock(&store);
    match private_video(&mut store, query.as_deref()) {
        Err(response) => response,
        Ok(None) => success("null"),
        Ok(Some((video_no, name))) => {
            let segments = caption_segments(&store, &video_no, &name);
            success_value(&json!({
                "videoNo": video_no, "transcriptions": segments, "createTime": "1760000300000",
            }))
        }
    }
}

pub(crate) async fn audio(State(store): St, RawQuery(query): RawQuery) -> Response {
    let mut store = lock(&store);
    match private_video(&mut store, query.as_deref()) {
        Err(response) => response,
        Ok(None) => success("null"),
        // A video seeded with `"no_audio": true` has no speech: `data: null`, as documented.
        Ok(Some((video_no, _)))
            if store
                .videos
                .iter()
                .any(|((_, no), v)| *no == video_no && v.json.value["no_audio"] == true) =>
        {
            success("null")
        }
        Ok(Some((video_no, name))) => success_value(&json!({
            "videoNo": video_no, "transcriptions": audio_segments(&name),
        })),
    }
}

fn public(store: &Shared<Store>, query: Option<&str>, audio: bool) -> Response {
    let params = query_pairs(query);
    let Some(video_no) = first(&params, "video_no").filter(|v| !v.is_empty()) else {
        return invalid_parameter("video_no cannot be null or empty");
    };
    let store = lock(store);
    let Some(video) = store.public_videos.get(video_no) else {
        return success("null");
    };
    let name = video.str("video_name").unwrap_or_default();
    let segments = if audio {
        json!([{"index": 0, "content": " good morning everyone", "startTime": "0", "endTime": "3"}])
    } else {
        json!([{"index": 0, "content": format!("Scenes of {name}."), "startTime": "0", "endTime": "5"}])
    };
    success_value(&json!({ "videoNo": video_no, "transcriptions": segments }))
}

pub(crate) async fn public_video(State(store): St, RawQuery(query): RawQuery) -> Response {
    public(&store, query.as_deref(), false)
}

pub(crate) async fn public_audio(State(store): St, RawQuery(query): RawQuery) -> Response {
    public(&store, query.as_deref(), true)
}

pub(crate) async fn summary(State(store): St, RawQuery(query): RawQuery) -> Response {
    let params = query_pairs(query.as_deref());
    let kind = first(&params, "type").map(str::to_owned);
    let mut store = lock(&store);
    let video = match private_video(&mut store, query.as_deref()) {
        Err(response) => return response,
        Ok(video) => video,
    };
    let items = match kind.as_deref() {
        Some("CHAPTER") => json!([
            {"title": "Arrival", "description": "The camera reaches the shore.", "start": "0"},
            {"title": "Sunset", "description": "The sun touches the horizon.", "start": "30"},
        ]),
        Some("TOPIC") => json!([
            {"title": "Beach", "description": "A quiet walk along the water."},
        ]),
        _ => return invalid_parameter("type must be CHAPTER or TOPIC"),
    };
    let Some((_, name)) = video else {
        return success("null");
    };
    success_value(&json!({
        "summary": format!("A short summary of {name}."),
        "items": items, "totalInput": "2100", "totalOutput": "180",
    }))
}

pub(crate) async fn update(State(store): St, body: Bytes) -> Response {
    let body = match json_object(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let (video_no, prompt) = match (
        required_str(&body, "video_no"),
        required_str(&body, "prompt"),
    ) {
        (Ok(video_no), Ok(prompt)) => (video_no.to_owned(), prompt.to_owned()),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let mut store = lock(&store);
    let unique_id = match body_namespace(&mut store, &body) {
        Ok(unique_id) => unique_id,
        Err(response) => return response,
    };
    if store.parsed(&unique_id, &video_no).is_none() {
        return invalid_parameter("Video is not parsed:");
    }
    store
        .captions
        .insert(video_no.clone(), format!("Re-transcribed ({prompt})."));
    success_value(&json!({ "video_no": video_no, "status": Value::from("PROCESSING") }))
}
