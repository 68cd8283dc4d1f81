//! Embeddings over real HTTP: video, image (asset and file) and text (an array).
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use common::{SEED_ID, assert_json_call, client, last, temp_file};
use media_mock::MockServer;
use memories_v2::Error;
use memories_v2::embeddings::{TEXT_MODEL, TextEmbeddingParams, VIDEO_MODEL};
use serde_json::json;

#[tokio::test]
async fn video_and_image_answer_one_vector() {
    let server = MockServer::start().await;
    let client = client(&server);
    let video = client
        .embeddings()
        .video(SEED_ID, VIDEO_MODEL)
        .await
        .unwrap();
    let request = last(&server, "/embeddings/video");
    assert_json_call(&request, "POST", "/embeddings/video");
    assert_eq!(
        request.json().unwrap(),
        json!({"asset_id": SEED_ID, "model": "multimodalembedding@001"})
    );
    assert_eq!(video.embedding.len(), 8);

    let image = client
        .embeddings()
        .image(SEED_ID, "mobileclip")
        .await
        .unwrap();
    assert_eq!(image.embedding.len(), 8);
    assert_eq!(
        last(&server, "/embeddings/image").json().unwrap(),
        json!({"asset_id": SEED_ID, "model": "mobileclip"})
    );

    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "sign.jpg", b"\xff\xd8jpeg");
    let from_file = client
        .embeddings()
        .image_file(&path, "mobileclip")
        .await
        .unwrap();
    assert_eq!(from_file.embedding.len(), 8);
    let request = last(&server, "/embeddings/image");
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains(r#"name="file"; filename="sign.jpg""#));
    assert!(body.contains("Content-Type: image/jpeg"));
    assert!(body.contains(r#"name="model""#));

    let err = client
        .embeddings()
        .video(SEED_ID, "other")
        .await
        .unwrap_err();
    assert_eq!(err.message(), Some("Request has exceeded the limit."));
}

#[tokio::test]
async fn text_answers_one_vector_per_input_in_order() {
    let server = MockServer::start().await;
    let client = client(&server);
    let vectors = client
        .embeddings()
        .text(&TextEmbeddingParams::new(["a cat", "a dog"], TEXT_MODEL).dimensionality(4))
        .await
        .unwrap();
    assert_eq!(
        last(&server, "/embeddings/text").json().unwrap(),
        json!({"input": ["a cat", "a dog"], "model": "gemini-embedding-001", "dimensionality": 4})
    );
    assert_eq!(vectors.len(), 2);
    assert!(vectors.iter().all(|v| v.embedding.len() == 4));
    assert_ne!(vectors[0], vectors[1]);
    assert!(matches!(
        client
            .embeddings()
            .text(&TextEmbeddingParams::new(Vec::<String>::new(), TEXT_MODEL))
            .await,
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn the_documented_examples_decode() {
    let text: Vec<memories_v2::embeddings::Embedding> = serde_json::from_value(json!(
        [{"embedding": [0.0123, -0.0456, 0.0789]}, {"embedding": [-0.0021, 0.0333, 0.0101]}]
    ))
    .unwrap();
    assert_eq!(text[1].embedding, [-0.0021, 0.0333, 0.0101]);
    let video: memories_v2::embeddings::Embedding =
        serde_json::from_value(json!({"embedding": [0.0151, -0.0222, 0.0307]})).unwrap();
    assert_eq!(video.embedding[2], 0.0307);
}
