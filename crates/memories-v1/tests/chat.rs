//! The Chat group over real HTTP: whole answers, the three SSE terminators,
//! sessions.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

mod support;

use futures::StreamExt as _;
use media_mock::{Fault, FaultRule, MockServer};
use memories_v1::{
    ChatEvent, ChatParams, Error, MarketerChatParams, PersonalChatParams, Platform, RefItemType,
};
use serde_json::json;
use support::{assert_sent, client, last, pairs};

const BEACH: &str = "VI700000000000000001";

#[tokio::test]
async fn chat_sends_json_and_decodes_the_whole_reply() {
    let server = MockServer::start().await;
    let client = client(&server);
    let reply = client
        .chat()
        .chat(&ChatParams::new([BEACH], "When does the sun set?"))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/chat");
    assert_eq!(
        request.json().unwrap(),
        json!({"video_nos": [BEACH], "prompt": "When does the sun set?", "unique_id": "default"})
    );
    assert_eq!(reply.role.as_deref(), Some("ASSISTANT"));
    assert!(reply.content.as_deref().unwrap().contains("beach_walk"));
    assert_eq!(
        reply.thinkings[0].title.as_deref(),
        Some("Reviewing the clip")
    );
    let reference = &reply.refs[0];
    assert_eq!(reference.video.as_ref().unwrap().duration, Some(42.0));
    assert_eq!(
        reference.ref_items[0].item_type,
        Some(RefItemType::VisualTs)
    );
    let session = reply.session_id.unwrap();
    assert_eq!(session.len(), 18);

    // Continuing the session sends its id as a JSON number.
    client
        .chat()
        .chat(&ChatParams::new([BEACH], "And sunrise?").session_id(session.as_str()))
        .await
        .unwrap();
    let body = last(&server).json().unwrap();
    assert_eq!(body["session_id"], json!(session.parse::<u64>().unwrap()));
    let detail = client
        .chat()
        .get_session_detail(&session, None)
        .await
        .unwrap();
    assert_eq!(detail.messages.len(), 4);
    assert_eq!(detail.title.as_deref(), Some("When does the sun set?"));
    assert_eq!(detail.session_id.as_deref(), Some(session.as_str()));
    let request = last(&server);
    assert_sent(&request, "GET", "/get_session_detail");
    assert_eq!(
        request.query_pairs(),
        pairs(&[("sessionId", &session), ("unique_id", "default")])
    );

    let err = client
        .chat()
        .chat(&ChatParams::new([BEACH], "x").session_id("session-123"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client
        .chat()
        .chat(&ChatParams::new(["VI404"], "x"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("0001"));
}

#[tokio::test]
async fn chat_answered_as_sse_is_folded_by_content_type() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("text/event-stream".into()),
            body: b"data:{\"type\":\"content\",\"content\":\"Hello \",\"sessionId\":\"9\"}\n\ndata:{\"type\":\"content\",\"content\":\"there\"}\n\ndata:\"Done\"\n\n".to_vec(),
        })
        .path_prefix("/memories-v1/serve/api/v1/chat")
        .times(1),
    );
    let reply = client(&server)
        .chat()
        .chat(&ChatParams::new([BEACH], "hi"))
        .await
        .unwrap();
    assert_eq!(reply.content.as_deref(), Some("Hello there"));
    assert_eq!(reply.session_id.as_deref(), Some("9"));
}

#[tokio::test]
async fn chat_stream_ends_at_done_string() {
    let server = MockServer::start().await;
    let client = client(&server);
    let stream = client
        .chat()
        .chat_stream(&ChatParams::new([BEACH], "When does the sun set?"))
        .await
        .unwrap();
    let events: Vec<ChatEvent> = stream.map(Result::unwrap).collect().await;
    let request = last(&server);
    assert_sent(&request, "POST", "/chat_stream");
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    assert_eq!(events.len(), 4);
    assert!(
        matches!(&events[0], ChatEvent::Thinking { title: Some(t), session_id: Some(_), .. } if t == "Reviewing the clip")
    );
    assert!(
        matches!(&events[1], ChatEvent::Ref { refs, .. } if refs[0].ref_items[0].start_time == Some(30.0))
    );
    let text: String = events.iter().filter_map(ChatEvent::text).collect();
    assert!(text.starts_with("Looking at beach_walk"), "{text}");
}

#[tokio::test]
async fn chat_stream_error_string_is_an_error_item_and_rejection_an_error() {
    let server = MockServer::start().await;
    let client = client(&server);
    let items: Vec<_> = client
        .chat()
        .chat_stream(&ChatParams::new(["VI404"], "x"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(
        matches!(&items[0], Err(Error::Api { message, .. }) if message == "No videos found for the provided video numbers."),
        "{items:?}"
    );
    server.seed_memories_v1_processing_video("default", json!({"video_no": "VI7"}), 5);
    let items: Vec<_> = client
        .chat()
        .chat_stream(&ChatParams::new(["VI7"], "x"))
        .await
        .unwrap()
        .collect()
        .await;
    assert!(
        matches!(&items[0], Err(Error::Api { message, .. }) if message.starts_with("Video is not parsed:"))
    );

    // Rejected before streaming: the JSON envelope becomes the error.
    server.inject(
        FaultRule::new(Fault::status(200).with_body(
            r#"{"code":"0402","msg":"Not enough credits","data":null,"success":false,"failed":true}"#,
        ))
        .path_prefix("/memories-v1/serve/api/v1/chat_stream")
        .times(1),
    );
    let err = client
        .chat()
        .chat_stream(&ChatParams::new([BEACH], "x"))
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), Some("0402"));
}

#[tokio::test]
async fn chat_stream_cut_before_its_terminator_is_an_error() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("text/event-stream".into()),
            body: b"data:{\"type\":\"content\",\"content\":\"Hel\"}\n\n".to_vec(),
        })
        .times(1),
    );
    let items: Vec<_> = client(&server)
        .chat()
        .chat_stream(&ChatParams::new([BEACH], "x"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(Error::Decode { .. })));
}

#[tokio::test]
async fn marketer_chat_and_its_success_frame_terminator() {
    let server = MockServer::start().await;
    let client = client(&server);
    let params = MarketerChatParams::new("What does @somecreator post?").platform(Platform::TikTok);
    let reply = client.chat().marketer_chat(&params).await.unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/marketer_chat");
    assert_eq!(
        request.json().unwrap(),
        json!({"prompt": "What does @somecreator post?", "unique_id": "default", "type": "TIKTOK"})
    );
    assert!(reply.content.unwrap().contains("@somecreator"));
    assert!(reply.thinkings.is_empty());
    let events: Vec<ChatEvent> = client
        .chat()
        .marketer_chat_stream(&params)
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_sent(&last(&server), "POST", "/marketer_chat_stream");
    assert_eq!(events.len(), 2);
    let text: String = events.iter().filter_map(ChatEvent::text).collect();
    assert!(text.starts_with("On TIKTOK"));
}

#[tokio::test]
async fn personal_chat_session_beside_data_and_token_stream() {
    let server = MockServer::start().await;
    let client = client(&server);
    let reply = client
        .chat()
        .chat_personal(&PersonalChatParams::new("When was I at the beach?"))
        .await
        .unwrap();
    assert_sent(&last(&server), "POST", "/chat_personal");
    assert_eq!(reply.role.as_deref(), Some("ASSISTANT"));
    assert_eq!(
        reply.content.as_deref(),
        Some("You have 2 videos; you visited the beach on 12 June.")
    );
    assert!(reply.session_id.is_some(), "read from next to data");
    let tokens: Vec<ChatEvent> = client
        .chat()
        .chat_personal_stream(&PersonalChatParams::new("again?"))
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_sent(&last(&server), "POST", "/chat_personal_stream");
    assert!(tokens.iter().all(|e| matches!(e, ChatEvent::Token { .. })));
    let text: String = tokens.iter().filter_map(ChatEvent::text).collect();
    assert_eq!(text, "You have 2 videos; you visited the beach on 12 June.");
}

#[tokio::test]
async fn list_sessions_pages_with_string_counts() {
    let server = MockServer::start().await;
    let client = client(&server);
    let reply = client
        .chat()
        .chat(&ChatParams::new([BEACH], "When does the sun set?").unique_id("tenant"))
        .await;
    // BEACH is not in "tenant": no session is created.
    assert!(reply.is_err());
    client
        .chat()
        .marketer_chat(&MarketerChatParams::new("trends").unique_id("tenant"))
        .await
        .unwrap();
    let page = client
        .chat()
        .list_sessions(Some(1), Some("tenant"))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "GET", "/list_sessions");
    assert_eq!(
        request.query_pairs(),
        pairs(&[("page", "1"), ("unique_id", "tenant")])
    );
    assert_eq!(page.sessions.len(), 1);
    assert_eq!(page.sessions[0].title.as_deref(), Some("trends"));
    assert_eq!(
        (page.current_page, page.page_size, page.total_count),
        (Some(1), Some(20), Some(1))
    );
    assert!(client.chat().list_sessions(Some(0), None).await.is_err());
    let err = client
        .chat()
        .get_session_detail("1", None)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[test]
fn chat_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = memories_v1::Client::new(memories_v1::Config::new("k")).unwrap();
    let params = ChatParams::new(["VI1"], "x");
    assert_send(&client.chat().chat(&params));
    assert_send(&client.chat().chat_stream(&params));
    let upload = memories_v1::UploadFileParams::new("a.mp4");
    assert_send(&client.upload().file(&upload, None));
    assert_send(&client.upload().wait_for_import(
        "t",
        &memories_v1::PollOptions::default(),
        |_| {},
    ));
    assert_send(
        &client
            .library()
            .download("VI1", "x", memories_v1::SaveOptions::new(), None),
    );
    let search = memories_v1::SearchParams::new("x");
    assert_send(&client.search().search(&search));
}
