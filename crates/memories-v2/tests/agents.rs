//! The `/queries/stream` search agent over real HTTP: typed SSE events, the terminator,
//! malformed events and JSON errors in place of a stream.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use common::{assert_json_call, client, last};
use futures::StreamExt as _;
use media_mock::{Fault, FaultRule, MockServer};
use memories_v2::Error;
use memories_v2::agents::{SearchEvent, SearchParams, TimeFrame, collect_result};
use memories_v2::social::Platform;
use serde_json::json;

#[tokio::test]
async fn search_streams_typed_events_until_complete() {
    let server = MockServer::start().await;
    let params = SearchParams::new("cold brew tutorials")
        .platforms(&[Platform::Tiktok, Platform::Youtube])
        .max_results(5)
        .time_frame(TimeFrame::PastWeek)
        .max_steps(3);
    let events: Vec<SearchEvent> = client(&server)
        .agents()
        .search(&params)
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let request = last(&server, "/queries/stream");
    assert_json_call(&request, "POST", "/queries/stream");
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    assert_eq!(
        request.json().unwrap(),
        json!({"query": "cold brew tutorials", "platforms": ["tiktok", "youtube"], "max_results": 5,
               "time_frame": "past_week", "max_steps": 3})
    );
    assert!(matches!(
        &events[0],
        SearchEvent::Started {
            session_id: Some(_)
        }
    ));
    assert!(matches!(
        &events[1],
        SearchEvent::Progress {
            step: Some(1),
            max_steps: Some(3),
            ..
        }
    ));
    assert!(
        matches!(&events[2], SearchEvent::ToolCall { tool: Some(t), .. } if t == "tiktok_search")
    );
    assert!(matches!(
        &events[3],
        SearchEvent::ToolResult {
            success: Some(true),
            ..
        }
    ));
    let SearchEvent::Complete(result) = &events[4] else {
        panic!("{events:?}")
    };
    assert_eq!(events.len(), 5);
    assert_eq!(result.answer.as_deref(), Some("Three strong picks."));
    let video = &result.video_references[0];
    assert_eq!(video.platform.as_deref(), Some("tiktok"));
    assert_eq!(
        (video.views, video.likes, video.comments),
        (Some(120_000), Some(8100), Some(240))
    );
    assert_eq!(video.engagement_rate, Some(6.95));
    assert_eq!(result.confidence_score, Some(0.8));
    assert_eq!(result.steps_taken, Some(3));
}

#[tokio::test]
async fn clarification_ends_the_stream() {
    let server = MockServer::start().await;
    let stream = client(&server)
        .agents()
        .search(&SearchParams::new("best coffee?").enable_clarification(true))
        .await
        .unwrap();
    let err = collect_result(stream).await.unwrap_err();
    assert_eq!(err.code(), Some("clarification"));
}

#[tokio::test]
async fn malformed_event_is_an_error_item() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("text/event-stream".into()),
            body: b"event: progress\ndata: {\"step\": 1}\n\nevent: progress\ndata: {not json\n\nevent: complete\ndata: {\"answer\": \"x\"}\n\n".to_vec(),
        })
        .path_prefix("/memories-v2/serve/api/v2/queries/stream")
        .times(1),
    );
    let items: Vec<_> = client(&server)
        .agents()
        .search(&SearchParams::new("q"))
        .await
        .unwrap()
        .collect()
        .await;
    assert!(items[0].is_ok());
    assert!(matches!(&items[1], Err(Error::Decode { .. })), "{items:?}");
    assert_eq!(items.len(), 2, "the stream ends at the malformed item");
}

#[tokio::test]
async fn json_errors_instead_of_a_stream() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"code":"0429","msg":"Rate limit exceeded","data":null}"#.to_vec(),
        })
        .path_prefix("/memories-v2/serve/api/v2/queries/stream")
        .times(1),
    );
    let Err(err) = client(&server)
        .agents()
        .search(&SearchParams::new("q"))
        .await
    else {
        panic!("expected an error")
    };
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    let Err(err) = client(&server)
        .agents()
        .search(&SearchParams::new("q").max_results(51))
        .await
    else {
        panic!("expected an error")
    };
    assert!(matches!(err, Error::InvalidInput(_)));
}
