//! The Upload group over real HTTP: multipart and form uploads, imports,
//! images, and the wait helpers.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers panic on failure by design"
)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use media_mock::MockServer;
use memories_v1::{
    Error, ImportTaskStatus, PollOptions, ProgressFn, ScraperParams, ScraperTagParams,
    ScraperUrlParams, TaskParams, UploadFileParams, UploadImagesParams, UploadProgress,
    UploadUrlParams, VideoStatus,
};
use serde_json::json;
use support::{assert_sent, client, last, media_file, multipart, pairs, text_parts};

fn fast() -> PollOptions {
    PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .max_wait(Duration::from_secs(5))
}

#[tokio::test]
async fn upload_streams_a_multipart_file_with_progress_and_documented_fields() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (_dir, path) = media_file("beach_walk.mp4", 200_000);
    let seen: Arc<Mutex<Vec<UploadProgress>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let progress = ProgressFn::new(move |p| sink.lock().unwrap().push(p));
    let params = UploadFileParams::new(&path)
        .unique_id("tenant_42")
        .callback("https://example.invalid/cb")
        .datetime_taken("2025-06-12 18:30:00")
        .camera_model("Pixel 9")
        .location("39.9042", "116.4074")
        .tags(["trip", "beach"])
        .retain_original_video(true)
        .video_transcription_prompt("describe the sea");
    let video = client.upload().file(&params, Some(progress)).await.unwrap();

    assert!(video.video_no.starts_with("VI"));
    assert_eq!(video.video_name.as_deref(), Some("beach_walk"));
    assert_eq!(video.video_status, Some(VideoStatus::Unparse));
    assert_eq!(
        video.upload_time.unwrap().timestamp_millis(),
        1_760_000_000_000
    );

    let request = last(&server);
    assert_sent(&request, "POST", "/upload");
    assert_eq!(request.query, None);
    let parts = multipart(&request);
    assert_eq!(
        text_parts(&parts),
        pairs(&[
            ("unique_id", "tenant_42"),
            ("callback", "https://example.invalid/cb"),
            ("datetime_taken", "2025-06-12 18:30:00"),
            ("camera_model", "Pixel 9"),
            ("latitude", "39.9042"),
            ("longitude", "116.4074"),
            ("tags", "trip"),
            ("tags", "beach"),
            ("retain_original_video", "true"),
            ("video_transcription_prompt", "describe the sea"),
        ])
    );
    let file = parts.iter().find(|p| p.name == "file").unwrap();
    assert_eq!(file.file_name.as_deref(), Some("beach_walk.mp4"));
    assert_eq!(file.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(file.data, std::fs::read(&path).unwrap());

    let seen = seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!(last.bytes_sent, 200_000);
    assert_eq!(last.total_bytes, Some(200_000));
}

#[tokio::test]
async fn upload_refuses_bad_files_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (_dir, path) = media_file("notes.txt", 10);
    let err = client
        .upload()
        .file(&UploadFileParams::new(&path), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = client
        .upload()
        .file(
            &UploadFileParams::new(&path).content_type("text/plain"),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = client
        .upload()
        .file(&UploadFileParams::new("/nonexistent/x.mp4"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io(_)), "{err:?}");
    let err = client
        .upload()
        .file(&UploadFileParams::new(&path).unique_id(""), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn upload_then_wait_until_parsed() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (_dir, path) = media_file("sunset.mov", 1000);
    let video = client
        .upload()
        .file(&UploadFileParams::new(&path), None)
        .await
        .unwrap();
    let multipart_file = multipart(&last(&server));
    assert_eq!(
        multipart_file.last().unwrap().content_type.as_deref(),
        Some("video/quicktime")
    );
    let mut statuses = Vec::new();
    let ready = client
        .library()
        .wait_until_parsed(video.video_no.as_str(), &fast(), |v| {
            statuses.push(v.status.clone());
        })
        .await
        .unwrap();
    assert_eq!(ready.status, Some(VideoStatus::Parse));
    assert_eq!(
        statuses,
        [Some(VideoStatus::Unparse), Some(VideoStatus::Parse)]
    );
}

#[tokio::test]
async fn a_failed_parse_ends_the_wait_with_task_failed() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (_dir, path) = media_file("will_fail.mp4", 100);
    let video = client
        .upload()
        .file(&UploadFileParams::new(&path), None)
        .await
        .unwrap();
    let err = client
        .library()
        .wait_until_parsed(video.video_no.as_str(), &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { task_id, reason, .. } if *task_id == video.video_no && reason.contains("Indexing failed")),
        "{err:?}"
    );
}

#[tokio::test]
async fn upload_url_is_form_encoded() {
    let server = MockServer::start().await;
    let client = client(&server);
    let video = client
        .upload()
        .url(
            &UploadUrlParams::new("https://cdn.example.invalid/clips/clip.mp4?sig=a&b=c")
                .tags(["a", "b"])
                .callback("https://example.invalid/cb"),
        )
        .await
        .unwrap();
    assert_eq!(video.video_name.as_deref(), Some("clip"));
    assert_eq!(video.video_status, Some(VideoStatus::Unparse));
    let request = last(&server);
    assert_sent(&request, "POST", "/upload_url");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "url=https%3A%2F%2Fcdn.example.invalid%2Fclips%2Fclip.mp4%3Fsig%3Da%26b%3Dc&unique_id=default&callback=https%3A%2F%2Fexample.invalid%2Fcb&tags=a&tags=b"
    );
    let err = client
        .upload()
        .url(&UploadUrlParams::new(""))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test]
async fn upload_img_returns_exact_18_digit_ids_and_lists_them() {
    let server = MockServer::start().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jpg");
    let b = dir.path().join("b.png");
    std::fs::write(&a, b"jpeg").unwrap();
    std::fs::write(&b, b"png").unwrap();
    let images = client
        .upload()
        .images(
            &UploadImagesParams::new([&a, &b])
                .camera_model("Pixel 9")
                .tags(["x"]),
            None,
        )
        .await
        .unwrap();
    assert_eq!(images.len(), 2);
    let first: u64 = images[0].id.parse().unwrap();
    assert!(first > (1 << 53), "{first}");
    assert_eq!(images[1].id.parse::<u64>().unwrap(), first + 1);
    let request = last(&server);
    assert_sent(&request, "POST", "/upload_img");
    let parts = multipart(&request);
    assert_eq!(
        text_parts(&parts),
        pairs(&[
            ("unique_id", "default"),
            ("camera_model", "Pixel 9"),
            ("tags", "x")
        ])
    );
    let files: Vec<_> = parts.iter().filter(|p| p.name == "files").collect();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(files[1].file_name.as_deref(), Some("b.png"));

    let page = client
        .library()
        .img_list_page(&memories_v1::ImageListParams::new().page_size(1))
        .await
        .unwrap();
    assert_eq!(page.images.len(), 1);
    assert_eq!(page.images[0].id.as_deref(), Some(images[0].id.as_str()));
    assert_eq!(page.total_count, Some(2));
    let request = last(&server);
    assert_sent(&request, "POST", "/img_list_page");
    assert_eq!(
        request.json().unwrap(),
        json!({"page_size": 1, "unique_id": "default"})
    );
    assert!(
        client
            .upload()
            .images(&UploadImagesParams::new(Vec::<String>::new()), None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn scraper_url_then_wait_for_import() {
    let server = MockServer::start().await;
    let client = client(&server);
    let task = client
        .upload()
        .scraper_url(
            &ScraperUrlParams::new([
                "https://www.youtube.com/watch?v=aaaaaaaaaaa",
                "https://www.youtube.com/watch?v=bbbbbbbbbbb",
            ])
            .unique_id("tenant_42")
            .callback_url("https://example.invalid/cb")
            .quality("1080"),
        )
        .await
        .unwrap();
    let task_id = task.task_id.unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/scraper_url");
    assert_eq!(
        request.json().unwrap(),
        json!({
            "video_urls": ["https://www.youtube.com/watch?v=aaaaaaaaaaa", "https://www.youtube.com/watch?v=bbbbbbbbbbb"],
            "unique_id": "tenant_42", "callback_url": "https://example.invalid/cb", "quality": "1080",
        })
    );

    // The first poll: still downloading.
    let params = TaskParams::new(task_id.as_str()).unique_id("tenant_42");
    let first = client
        .library()
        .get_video_ids_by_task_id(&params)
        .await
        .unwrap();
    assert!(first.is_downloading());
    let request = last(&server);
    assert_sent(&request, "GET", "/get_video_ids_by_task_id");
    assert_eq!(
        request.query_pairs(),
        pairs(&[("task_id", &task_id), ("unique_id", "tenant_42")])
    );

    let mut seen: Vec<ImportTaskStatus> = Vec::new();
    let videos = client
        .upload()
        .wait_for_import(&params, &fast(), |status| seen.push(status.clone()))
        .await
        .unwrap();
    assert_eq!(videos.len(), 2);
    assert!(videos.iter().all(|v| v.status == Some(VideoStatus::Parse)));
    assert_eq!(
        seen.first().unwrap().videos[0].status,
        Some(VideoStatus::Unparse)
    );
    assert_eq!(seen.last().unwrap().videos.len(), 2);
    assert_eq!(
        server.memories_v1_video_nos("tenant_42"),
        videos
            .iter()
            .map(|v| v.video_no.clone())
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn public_and_creator_and_hashtag_imports_send_their_documented_bodies() {
    let server = MockServer::start().await;
    let client = client(&server);
    let upload = client.upload();

    let task = upload
        .scraper_url_public(&ScraperUrlParams::new([
            "https://www.tiktok.com/@a/video/1",
        ]))
        .await
        .unwrap();
    assert!(task.task_id.is_some());
    let request = last(&server);
    assert_sent(&request, "POST", "/scraper_url_public");
    assert_eq!(
        request.json().unwrap(),
        json!({"video_urls": ["https://www.tiktok.com/@a/video/1"]})
    );
    let done = upload
        .wait_for_import(task.task_id.unwrap().as_str(), &fast(), |_| {})
        .await;
    // Public imports produce `PI-` videos that get_metadata does not serve.
    assert!(matches!(done, Err(Error::NotFound { .. })), "{done:?}");

    upload
        .scraper(
            &ScraperParams::new("https://www.tiktok.com/@someone")
                .scraper_cnt(3)
                .callback_url("https://example.invalid/cb"),
        )
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/scraper");
    assert_eq!(
        request.json().unwrap(),
        json!({"username": "https://www.tiktok.com/@someone", "scraper_cnt": 3, "unique_id": "default", "callback_url": "https://example.invalid/cb"})
    );

    upload
        .scraper_public(&ScraperParams::new("https://www.tiktok.com/@someone"))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/scraper_public");
    assert_eq!(
        request.json().unwrap(),
        json!({"username": "https://www.tiktok.com/@someone"})
    );

    let task = upload
        .scraper_tag(
            &ScraperTagParams::new(["#beach"])
                .scraper_cnt(1)
                .callback("https://example.invalid/cb"),
        )
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/scraper_tag");
    assert_eq!(
        request.json().unwrap(),
        json!({"hash_tags": ["beach"], "scraper_cnt": 1, "unique_id": "default", "callback": "https://example.invalid/cb"})
    );
    let videos = upload
        .wait_for_import(task.task_id.unwrap().as_str(), &fast(), |_| {})
        .await
        .unwrap();
    assert_eq!(videos[0].video_name.as_deref(), Some("#beach post 1"));

    upload
        .scraper_tag_public(&ScraperTagParams::new(["sunset"]))
        .await
        .unwrap();
    let request = last(&server);
    assert_sent(&request, "POST", "/scraper_tag_public");
    assert_eq!(request.json().unwrap(), json!({"hash_tags": ["sunset"]}));
}

#[tokio::test]
async fn an_import_whose_video_fails_ends_with_task_failed() {
    let server = MockServer::start().await;
    let client = client(&server);
    // A hashtag named "fail" yields videos whose names contain "fail".
    let task = client
        .upload()
        .scraper_tag(&ScraperTagParams::new(["fail"]).scraper_cnt(1))
        .await
        .unwrap();
    let task_id = task.task_id.unwrap();
    let err = client
        .upload()
        .wait_for_import(task_id.as_str(), &fast(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { task_id: t, reason, .. } if *t == task_id && reason.contains("FAIL")),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_task_is_a_business_error() {
    let server = MockServer::start().await;
    let err = client(&server)
        .library()
        .get_video_ids_by_task_id("nope")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { http_status: 200, code: Some(c), .. } if c == "0001"),
        "{err:?}"
    );
}
