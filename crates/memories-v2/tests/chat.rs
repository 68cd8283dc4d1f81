//! Chat completions over real HTTP: the three response shapes and errors under HTTP 200.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use common::{assert_json_call, client, last};
use media_mock::{Fault, FaultRule, MockServer};
use memories_v2::Error;
use memories_v2::chat::{ChatCompletion, ChatRequest, ContentPart, Message};
use serde_json::json;

fn video_request(model: &str) -> ChatRequest {
    ChatRequest::new(
        model,
        vec![
            Message::system("Answer in one sentence."),
            Message::user(vec![
                ContentPart::text("What happens here?"),
                ContentPart::input_file("https://cdn.example.com/v/cat.mp4", "video/mp4"),
            ]),
        ],
    )
    .temperature(0.2)
    .max_tokens(300)
    .extra_body(json!({"metadata": {"response_mime_type": "application/json"}}))
}

#[tokio::test]
async fn gemini_video_completion_matches_the_doc_example() {
    let server = MockServer::start().await;
    let completion = client(&server)
        .chat()
        .video_completions(&video_request("gemini:gemini-2.5-flash"))
        .await
        .unwrap();
    let request = last(&server, "/vu/chat/completions");
    assert_json_call(&request, "POST", "/vu/chat/completions");
    assert_eq!(
        request.json().unwrap(),
        json!({"model": "gemini:gemini-2.5-flash",
         "messages": [{"role": "system", "content": "Answer in one sentence."},
                      {"role": "user", "content": [{"type": "text", "text": "What happens here?"},
                                                    {"type": "input_file", "file_uri": "https://cdn.example.com/v/cat.mp4", "mime_type": "video/mp4"}]}],
         "temperature": 0.2, "max_tokens": 300,
         "extra_body": {"metadata": {"response_mime_type": "application/json"}}})
    );
    assert_eq!(
        completion.id.as_deref(),
        Some("resp_0c4f7a52-1111-4222-8333-944455556666")
    );
    assert_eq!(completion.object.as_deref(), Some("completion"));
    assert_eq!(completion.created_at, Some(1_767_001_234));
    assert_eq!(completion.status.as_deref(), Some("completed"));
    assert_eq!(completion.text(), Some("A cat knocks a glass off a table."));
    let usage = completion.usage.unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (Some(5120), Some(12), Some(5132))
    );
    let meta = completion.meta.unwrap();
    assert_eq!(meta.provider.as_deref(), Some("gemini"));
    assert_eq!(meta.provider_model.as_deref(), Some("gemini-2.5-flash"));
}

#[tokio::test]
async fn nova_and_qwen_shapes_decode() {
    let server = MockServer::start().await;
    let client = client(&server);
    let nova = client
        .chat()
        .video_completions(&ChatRequest::new(
            "nova:us.amazon.nova-lite-v1:0",
            vec![Message::user(vec![
                ContentPart::video_url("https://cdn.example.com/v.mp4"),
                ContentPart::text("Describe"),
            ])],
        ))
        .await
        .unwrap();
    assert_eq!(nova.object.as_deref(), Some("chat.completion"));
    assert_eq!(nova.created, Some(1_767_001_234));
    assert_eq!(nova.choices[0].finish_reason.as_deref(), Some("stop"));
    assert_eq!(nova.text(), Some("A cat knocks a glass off a table."));
    let usage = nova.usage.unwrap();
    assert_eq!(
        (usage.prompt_tokens, usage.output_token),
        (Some(4210), Some(11))
    );

    let qwen = client
        .chat()
        .image_completions(&ChatRequest::new(
            "qwen:qwen3-vl-plus",
            vec![Message::user(vec![
                ContentPart::qwen_image("https://cdn.example.com/i.jpg"),
                ContentPart::text("Read the sign."),
            ])],
        ))
        .await
        .unwrap();
    assert_json_call(
        &last(&server, "/iu/chat/completions"),
        "POST",
        "/iu/chat/completions",
    );
    assert_eq!(
        qwen.model.as_deref(),
        Some("qwen3-vl-plus"),
        "Qwen echoes the model without the prefix"
    );
    assert_eq!(qwen.text(), Some("A street sign reading MAIN ST."));

    let gpt = client
        .chat()
        .image_completions(
            &ChatRequest::new(
                "gpt:gpt-4.1-mini",
                vec![Message::user_text("Read the sign.")],
            )
            .max_tokens(100),
        )
        .await
        .unwrap();
    assert_eq!(gpt.text(), Some("A street sign reading MAIN ST."));
}

#[tokio::test]
async fn errored_status_under_200_is_an_error() {
    let server = MockServer::start().await;
    // A bare-string user turn, sent raw (the client refuses to build one): HTTP 200 "errored".
    server.inject(
        FaultRule::new(Fault::Raw {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"id":"resp_x","object":"completion","status":"errored","error":{"code":"invalid_request","message":"Model input cannot be empty"},"choices":[]}"#.to_vec(),
        })
        .path_prefix("/memories-v2/serve/api/v2/vu/")
        .times(1),
    );
    let err = client(&server)
        .chat()
        .video_completions(&video_request("gemini:gemini-2.5-flash"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(c), message, .. } if c == "invalid_request" && message == "Model input cannot be empty"),
        "{err:?}"
    );
    // A bare model id is refused before sending (it would silently reach the wrong upstream).
    let before = server.requests().len();
    let err = client(&server)
        .chat()
        .video_completions(&video_request("gemini-2.5-flash"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert_eq!(server.requests().len(), before);
}

#[test]
fn gemini_json_in_fences_is_unwrapped() {
    let completion: ChatCompletion = serde_json::from_value(json!({
        "id": "resp_1", "object": "completion", "model": "gemini:gemini-2.5-flash", "created_at": 1,
        "status": "completed", "choices": [{"text": "```json\n{\"cats\": 1}\n```", "index": 0}],
        "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}, "extra": true
    }))
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(completion.json_text().unwrap()).unwrap();
    assert_eq!(value["cats"], 1);
}
