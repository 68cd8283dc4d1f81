//! Create embeddings v1 (deprecated: `/embed`, `/embed/tasks`) against
//! media-mock over real HTTP: the multipart bodies and the decoded models.
#![allow(clippy::unwrap_used, deprecated)]

use std::time::Duration;

use media_mock::{MockServer, credentials};
use twelvelabs::{
    Client, Config, CreateEmbeddingTaskV1Request, CreateEmbeddingV1Request, EmbeddingTaskStatus,
    Error, ListEmbeddingTasksParams, MediaInputV1, PollOptions, RetryPolicy,
};

const ROOT: &str = "/twelvelabs/v1.3";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))),
    )
    .unwrap()
}

fn field(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let start = body.find(&marker)?;
    let rest = &body[start..];
    let value_start = rest.find("\r\n\r\n")? + 4;
    let value_end = rest[value_start..].find("\r\n")?;
    Some(rest[value_start..value_start + value_end].to_owned())
}

#[tokio::test]
async fn text_image_and_audio_in_one_multipart_call() {
    let server = MockServer::start().await;
    let path = std::env::temp_dir().join(format!("tl-embed-v1-{}.mp3", std::process::id()));
    std::fs::write(&path, b"ID3 fake audio").unwrap();
    let request = CreateEmbeddingV1Request::new("marengo3.0")
        .text("a red car")
        .image(MediaInputV1::Url("https://x/car.jpg".into()))
        .audio(MediaInputV1::File(path.clone()))
        .audio_start_offset_sec(2.0);
    let response = client(&server).embed().create(&request).await.unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", format!("{ROOT}/embed").as_str())
    );
    assert!(
        sent.header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = String::from_utf8_lossy(&sent.body).into_owned();
    assert_eq!(field(&body, "model_name").as_deref(), Some("marengo3.0"));
    assert_eq!(field(&body, "text").as_deref(), Some("a red car"));
    assert_eq!(
        field(&body, "image_url").as_deref(),
        Some("https://x/car.jpg")
    );
    assert_eq!(field(&body, "audio_start_offset_sec").as_deref(), Some("2"));
    assert!(
        body.contains("name=\"audio_file\"; filename=\"tl-embed-v1-"),
        "{body}"
    );

    assert_eq!(response.model_name, "marengo3.0");
    assert_eq!(
        response.text_embedding.unwrap().segments[0].embedding.len(),
        8
    );
    let image = response.image_embedding.unwrap();
    assert_eq!(
        image.metadata.unwrap().input_url.as_deref(),
        Some("https://x/car.jpg")
    );
    let audio = response.audio_embedding.unwrap();
    assert_eq!(audio.segments[0].start_offset_sec, Some(2.0));
    assert!(
        audio
            .metadata
            .unwrap()
            .input_filename
            .unwrap()
            .starts_with("tl-embed-v1-")
    );
    std::fs::remove_file(path).ok();
}

#[tokio::test]
async fn a_video_task_is_created_waited_for_and_read() {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .embed()
        .create_task(
            &CreateEmbeddingTaskV1Request::new(
                "marengo3.0",
                MediaInputV1::Url("https://x/v.mp4".into()),
            )
            .window(0.0, 12.0)
            .clip_length(6.0)
            .scope("clip")
            .scope("video"),
            None,
        )
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    let body = String::from_utf8_lossy(&sent.body).into_owned();
    assert_eq!(
        field(&body, "video_url").as_deref(),
        Some("https://x/v.mp4")
    );
    assert_eq!(body.matches("name=\"video_embedding_scope\"").count(), 2);
    assert_eq!(field(&body, "video_clip_length").as_deref(), Some("6"));
    let id = created.id.unwrap();

    let page = client
        .embed()
        .list_tasks(&ListEmbeddingTasksParams::new().status(EmbeddingTaskStatus::Processing))
        .await
        .unwrap();
    assert_eq!(page.data[0].id, id);
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/embed/tasks")
    );

    let status = client.embed().task_status(&id).await.unwrap();
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/embed/tasks/{id}/status")
    );
    let metadata = status.video_embedding.unwrap().metadata.unwrap();
    assert_eq!(metadata.video_clip_length, Some(6.0));
    assert_eq!(metadata.video_embedding_scope, ["clip", "video"]);

    let fast = PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0);
    let task = client
        .embed()
        .wait_for_task(&id, &fast, |_| {})
        .await
        .unwrap();
    assert_eq!(task.status, Some(EmbeddingTaskStatus::Ready));
    let segments = task.video_embedding.unwrap().segments;
    assert_eq!(segments.len(), 4);
    assert_eq!(segments[0].embedding_option.as_deref(), Some("visual"));

    let only_audio = client.embed().retrieve_task(&id, &["audio"]).await.unwrap();
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("embedding_option=audio")
    );
    assert_eq!(only_audio.video_embedding.unwrap().segments.len(), 2);
}

#[tokio::test]
async fn local_checks() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .embed()
        .create(&CreateEmbeddingV1Request::new("marengo3.0"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client
        .embed()
        .create_task(
            &CreateEmbeddingTaskV1Request::new("m", MediaInputV1::Url("u".into()))
                .clip_length(11.0),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
}
