//! Responses (Jockey agent, `POST /responses`) against media-mock over real
//! HTTP: the JSON answer and the SSE stream ending in `[DONE]`.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use media_mock::{Fault, FaultRule, MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    Client, Config, CreateKnowledgeItemRequest, CreateKnowledgeStoreRequest, CreateResponseRequest,
    Error, PollOptions, ResponseEventType, ResponseSelection, ResponseStatus, RetryPolicy,
};

const ROOT: &str = "/twelvelabs/v1.3";
const ASSET: &str = "6298d673f1090f1100476d4c";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

async fn store_with_item(client: &Client) -> (String, String) {
    let ks = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("s"))
        .await
        .unwrap();
    let item = client
        .knowledge_stores()
        .create_item(&ks.id, &CreateKnowledgeItemRequest::new(ASSET))
        .await
        .unwrap();
    let fast = PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0);
    client
        .knowledge_stores()
        .wait_for_item(&ks.id, &item.id, &fast, |_| {})
        .await
        .unwrap();
    (ks.id, item.id)
}

#[tokio::test]
async fn a_response_cites_the_store_and_continues_a_session() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (ks, item) = store_with_item(&client).await;
    let request = CreateResponseRequest::new(&ks, "Who scored?")
        .instructions("Be brief")
        .selection(ResponseSelection::item(&item))
        .include_intermediate_outputs();
    let response = client.responses().create(&request).await.unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", format!("{ROOT}/responses").as_str())
    );
    assert_eq!(
        sent.json().unwrap(),
        json!({"knowledge_store_id": ks, "input": [{"type": "message", "role": "user", "content": "Who scored?"}],
               "instructions": "Be brief", "include": ["intermediate_outputs"],
               "selections": [{"kind": "item", "id": item}], "stream": false})
    );
    assert!(response.id.starts_with("resp_"));
    assert_eq!(response.status, Some(ResponseStatus::Completed));
    assert_eq!(response.object.as_deref(), Some("response"));
    assert_eq!(response.incomplete_details, None);
    assert_eq!(response.output.len(), 3);
    assert_eq!(response.output[0].kind, "function_call");
    assert!(
        response.output[0]
            .arguments
            .as_deref()
            .unwrap()
            .contains("Who scored?")
    );
    let message = &response.output[2];
    assert_eq!(message.role.as_deref(), Some("assistant"));
    let part = &message.content[0];
    let citation = &part.annotations[0];
    assert_eq!(citation.kind, "video_citation");
    assert_eq!(citation.item_id.as_deref(), Some(item.as_str()));
    let cited: String = part
        .text
        .chars()
        .skip(citation.start_index as usize)
        .take((citation.end_index - citation.start_index + 1) as usize)
        .collect();
    assert_eq!(cited, "[1]");
    assert_eq!(
        (citation.start_sec, citation.end_sec),
        (Some(12.0), Some(18.5))
    );
    assert!(response.output_text().contains("Who scored?"));
    assert!(response.usage.unwrap().output_tokens.unwrap() > 0);

    let session = response.session_id.unwrap();
    let again = client
        .responses()
        .create(&CreateResponseRequest::new(&ks, "And then?").session_id(&session))
        .await
        .unwrap();
    assert_eq!(again.session_id.as_deref(), Some(session.as_str()));
    let other = client
        .knowledge_stores()
        .create(&CreateKnowledgeStoreRequest::new("o"))
        .await
        .unwrap();
    let err = client
        .responses()
        .create(&CreateResponseRequest::new(&other.id, "x").session_id(&session))
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(400), "{err:?}");
}

#[tokio::test]
async fn the_stream_yields_typed_events_and_stops_at_done() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (ks, item) = store_with_item(&client).await;
    let events: Vec<_> = client
        .responses()
        .stream(&CreateResponseRequest::new(&ks, "Who scored?"))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap()["stream"],
        true
    );
    let kinds: Vec<_> = events.iter().map(|e| e.kind.clone().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&ResponseEventType::Created));
    assert_eq!(kinds.last(), Some(&ResponseEventType::Completed));
    assert!(kinds.contains(&ResponseEventType::Keepalive));
    let sequence: Vec<u64> = events.iter().map(|e| e.sequence_number.unwrap()).collect();
    assert!(sequence.windows(2).all(|w| w[0] < w[1]), "{sequence:?}");
    let text: String = events
        .iter()
        .filter(|e| e.kind == Some(ResponseEventType::OutputTextDelta))
        .map(|e| e.delta.clone().unwrap())
        .collect();
    let done = events
        .iter()
        .find(|e| e.kind == Some(ResponseEventType::OutputTextDone))
        .unwrap();
    assert_eq!(done.text.as_deref(), Some(text.as_str()));
    let part = events
        .iter()
        .find(|e| e.kind == Some(ResponseEventType::ContentPartDone))
        .and_then(|e| e.part.clone())
        .unwrap();
    assert_eq!(part.annotations[0].item_id.as_deref(), Some(item.as_str()));
    let completed = events.last().unwrap().response.clone().unwrap();
    assert_eq!(completed.status, Some(ResponseStatus::Completed));
    assert_eq!(completed.output_text(), text);
}

#[tokio::test]
async fn a_bad_event_is_an_error_item_and_done_ends_the_stream() {
    let server = MockServer::start().await;
    let body = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n\
                data: {broken\n\n\
                event: keepalive\ndata: \n\n\
                data: [DONE]\n\n\
                data: {\"type\":\"response.completed\",\"sequence_number\":9}\n\n";
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("text/event-stream".into()),
            body: body.as_bytes().to_vec(),
        })
        .path_prefix(&format!("{ROOT}/responses"))
        .times(1),
    );
    let items: Vec<_> = client(&server)
        .responses()
        .stream(&CreateResponseRequest::new("ks_1", "x"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(
        items[0].as_ref().unwrap().kind,
        Some(ResponseEventType::Created)
    );
    assert!(
        matches!(items[1], Err(Error::Decode { .. })),
        "{:?}",
        items[1]
    );
    assert_eq!(
        items[2].as_ref().unwrap().kind,
        Some(ResponseEventType::Keepalive)
    );
}

#[tokio::test]
async fn errors_arrive_before_the_stream() {
    let server = MockServer::start().await;
    let err = client(&server)
        .responses()
        .stream(&CreateResponseRequest::new("ks_missing", "x"))
        .await
        .err()
        .unwrap();
    assert!(err.is_not_found(), "{err:?}");
    // A JSON error envelope under HTTP 200 is an error, not an empty stream.
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"code":"parameter_invalid","message":"bad input"}"#.to_vec(),
        })
        .path_prefix(&format!("{ROOT}/responses"))
        .times(1),
    );
    let err = client(&server)
        .responses()
        .stream(&CreateResponseRequest::new("ks_1", "x"))
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), Some("parameter_invalid"));
    let err = client(&server)
        .responses()
        .create(&CreateResponseRequest::new("", "x"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[test]
fn futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let request = CreateResponseRequest::new("ks", "x");
    assert_send(&client.responses().create(&request));
    assert_send(&client.responses().stream(&request));
}
