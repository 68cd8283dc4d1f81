//! One test per quirk of memories-v1.md §1.4 and §4, each decoding a payload
//! shaped like the catalog's own example.
#![allow(
    clippy::unwrap_used,
    clippy::float_cmp,
    reason = "tests panic on failure; the floats compared are exact wire values"
)]

use chrono::{TimeZone, Utc};
use memories_v1::{
    Callback, ChatEvent, ClipMatch, ImportTaskStatus, PublicVideoDetail, SearchClip, SearchResults,
    SessionDetail, SessionSummary, TaskVideo, TranscriptSearchPage, UploadedImage, UploadedVideo,
    VideoPage, VideoStatus, parse_callback,
};
use serde_json::Value;

/// The `data` of a catalog envelope.
fn data(envelope: &str) -> Value {
    let envelope: Value = serde_json::from_str(envelope).unwrap();
    assert_eq!(envelope["code"], "0000");
    envelope["data"].clone()
}

#[test]
fn numbers_arrive_as_strings_or_numbers() {
    // list_videos as captured: strings everywhere.
    let page: VideoPage = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":{"videos":[{"duration":"42","size":"7340032","status":"PARSE","cause":"null","video_no":"VI700000000000000001","video_name":"beach_walk","create_time":"1760000000000"}],"current_page":1,"page_size":20,"total_count":"1"},"success":true,"failed":false}"#,
    ))
    .unwrap();
    let video = &page.videos[0];
    assert_eq!(video.duration, Some(42.0));
    assert_eq!(video.size, Some(7_340_032));
    assert_eq!(page.total_count, Some(1));
    assert_eq!(
        video.create_time,
        Some(Utc.timestamp_millis_opt(1_760_000_000_000).unwrap())
    );
    // The newer docs: the same fields as numbers.
    let page: VideoPage = serde_json::from_str(
        r#"{"videos":[{"duration":42,"size":7340032,"status":"PARSE","video_no":"VI1","create_time":1760000000000}],"current_page":"1","page_size":"20","total_count":1}"#,
    )
    .unwrap();
    assert_eq!(page.videos[0].duration, Some(42.0));
    assert_eq!(page.videos[0].size, Some(7_340_032));
    assert_eq!((page.current_page, page.page_size), (Some(1), Some(20)));
    // Token counts and transcript times as strings.
    let hits: TranscriptSearchPage = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":{"videos":[{"videoNo":"VI700000000000000001","videoName":"beach_walk","startTime":"31","audio_ts":" and that is where the tide comes in."}],"current_page":1,"page_size":100,"total_count":"1"},"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(hits.videos[0].start_time, Some(31.0));
    assert_eq!(hits.total_count, Some(1));
}

#[test]
fn the_string_null_is_none() {
    let page: VideoPage = serde_json::from_str(
        r#"{"videos":[{"video_no":"VI1","cause":"null","status":"PARSE"},{"video_no":"VI2","cause":"Indexing failed. ","status":"FAIL"}]}"#,
    )
    .unwrap();
    assert_eq!(page.videos[0].cause, None);
    assert_eq!(page.videos[1].cause.as_deref(), Some("Indexing failed. "));
    // Whole-video search hits: startTime/endTime are the string "null".
    let hit: SearchClip = serde_json::from_str(
        r#"{"videoNo":"VI1","videoName":"beach_walk","startTime":"null","endTime":"null","score":0.5}"#,
    )
    .unwrap();
    assert_eq!((hit.start_time, hit.end_time), (None, None));
    assert_eq!(hit.score, Some(0.5));
}

#[test]
fn eighteen_digit_image_ids_keep_every_digit() {
    let images: Vec<UploadedImage> = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":[{"id":700000000000000101},{"id":700000000000000102}],"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(images[0].id, "700000000000000101");
    assert_eq!(images[1].id, "700000000000000102");
    // Older docs: a string.
    let image: UploadedImage = serde_json::from_str(r#"{"id":"700000000000000103"}"#).unwrap();
    assert_eq!(image.id, "700000000000000103");
    // Serialized back as text, never as a lossy float.
    assert_eq!(
        serde_json::to_string(&images[0]).unwrap(),
        r#"{"id":"700000000000000101"}"#
    );
}

#[test]
fn publish_time_is_seconds_where_create_time_is_milliseconds() {
    let video: PublicVideoDetail = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":{"duration":"30","status":"PARSE","video_no":"PI-700000000000000900","video_name":"Morning routine #fyp","create_time":"1760000200000","video_url":"https://www.tiktok.com/player/v1/0000000000000000000","blogger_id":"somecreator","view_count":"12000","like_count":"800","publish_time":"1759990000"},"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(
        video.publish_time,
        Some(Utc.timestamp_opt(1_759_990_000, 0).unwrap())
    );
    assert_eq!(
        video.create_time,
        Some(Utc.timestamp_millis_opt(1_760_000_200_000).unwrap())
    );
    // Both in 2025, ten seconds/ms digits apart on the wire.
    assert_eq!(
        video.publish_time.unwrap().date_naive(),
        Utc.with_ymd_and_hms(2025, 10, 9, 0, 0, 0)
            .unwrap()
            .date_naive()
    );
    assert_eq!(video.view_count, Some(12_000));
    assert_eq!(video.like_count, Some(800));
    assert_eq!(video.share_count, None);
    let json = serde_json::to_value(&video).unwrap();
    assert_eq!(json["publish_time"], 1_759_990_000);
    assert_eq!(json["create_time"], 1_760_000_200_000_i64);
}

#[test]
fn video_no_and_video_no_camel_case_are_one_field() {
    let uploaded: UploadedVideo = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":{"videoNo":"VI700000000000000001","videoName":"beach_walk","videoStatus":"UNPARSE","uploadTime":"1760000000000"},"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(uploaded.video_no, "VI700000000000000001");
    assert_eq!(uploaded.video_status, Some(VideoStatus::Unparse));
    let snake: UploadedVideo =
        serde_json::from_str(r#"{"video_no":"VI1","video_name":"n","video_status":"UNPARSE"}"#)
            .unwrap();
    assert_eq!(snake.video_no, "VI1");
    let task_video: TaskVideo =
        serde_json::from_str(r#"{"videoNo":"VI3","status":"PARSE"}"#).unwrap();
    assert_eq!(task_video.video_no, "VI3");
    // Serialized under the provider's own name of that endpoint.
    assert_eq!(
        serde_json::to_value(&uploaded).unwrap()["videoNo"],
        "VI700000000000000001"
    );
}

#[test]
fn start_time_and_start_time_snake_case_are_one_field() {
    let clip: SearchClip =
        serde_json::from_str(r#"{"video_no":"VI1","start_time":"12","end_time":17}"#).unwrap();
    assert_eq!((clip.start_time, clip.end_time), (Some(12.0), Some(17.0)));
    let by_image: Vec<ClipMatch> = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":[{"start_time":3.5,"end_time":8.0,"score":0.79}],"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(by_image[0].start_time, Some(3.5));
    let camel: ClipMatch = serde_json::from_str(r#"{"startTime":"3.5","endTime":"8"}"#).unwrap();
    assert_eq!((camel.start_time, camel.end_time), (Some(3.5), Some(8.0)));
}

#[test]
fn session_id_and_session_id_camel_case_are_one_field() {
    let summary: SessionSummary =
        serde_json::from_str(r#"{"sessionId":"700000000000000500","title":"t"}"#).unwrap();
    let snake: SessionSummary =
        serde_json::from_str(r#"{"session_id":700000000000000500,"title":"t"}"#).unwrap();
    assert_eq!(summary.session_id, "700000000000000500");
    assert_eq!(snake.session_id, summary.session_id);
    let detail: SessionDetail = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":{"title":"When does the sun set?","messages":[{"role":"user","content":"When does the sun set?"},{"role":"assistant","content":"At about 00:35."}],"session_id":"700000000000000500"},"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(detail.session_id.as_deref(), Some("700000000000000500"));
    assert_eq!(detail.messages.len(), 2);
    let event: ChatEvent = serde_json::from_str(
        r#"{"type":"content","role":"assistant","content":"The sun sets","session_id":"7"}"#,
    )
    .unwrap();
    assert!(matches!(event, ChatEvent::Content { session_id: Some(s), .. } if s == "7"));
}

#[test]
fn task_id_and_task_id_snake_case_and_both_task_shapes() {
    let current: ImportTaskStatus = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":{"videos":[{"video_no":"VI700000000000000003","video_name":"Street food tour","duration":"95","size":null,"status":"UNPARSE","fps":null,"width":null,"height":null,"create_time":"1760000100000","video_url":"https://www.youtube.com/watch?v=xxxxxxxxxxx","resolution_label":null}]},"success":true,"failed":false}"#,
    ))
    .unwrap();
    let video = &current.videos[0];
    assert_eq!(video.duration, Some(95.0));
    assert_eq!((video.size, video.fps, video.width), (None, None, None));
    assert_eq!(video.resolution_label, None);
    assert_eq!(current.video_nos(), ["VI700000000000000003"]);
    assert!(!current.is_downloading());
    let old: ImportTaskStatus =
        serde_json::from_str(r#"{"taskId":"t-1","video_ids":["VI1","VI2"]}"#).unwrap();
    assert_eq!(old.task_id.as_deref(), Some("t-1"));
    assert_eq!(old.video_nos(), ["VI1", "VI2"]);
    let snake: ImportTaskStatus =
        serde_json::from_str(r#"{"task_id":"t-2","video_ids":[]}"#).unwrap();
    assert_eq!(snake.task_id.as_deref(), Some("t-2"));
    assert!(snake.is_downloading());
    let Callback::ImportTask(callback) =
        parse_callback(br#"{"task_id":"t-3","status":"FAILED"}"#).unwrap()
    else {
        panic!("not a task callback")
    };
    assert_eq!(callback.task_id, "t-3");
}

#[test]
fn three_spellings_of_failure() {
    for spelling in ["FAIL", "FAILED", "PARSE_ERROR"] {
        let status = VideoStatus::from(spelling);
        assert!(status.is_failed(), "{spelling}");
        assert_eq!(status.as_str(), spelling);
    }
    let unknown = VideoStatus::from("TRANSCODING");
    assert!(!unknown.is_failed() && !unknown.is_parsed());
}

#[test]
fn search_answers_an_array_or_an_object() {
    let clips: SearchResults = serde_json::from_value(data(
        r#"{"code":"0000","msg":"success","data":[{"videoNo":"VI700000000000000001","videoName":"beach_walk","startTime":"12","endTime":"17","score":0.61}],"success":true,"failed":false}"#,
    ))
    .unwrap();
    assert_eq!(clips.clips()[0].start_time, Some(12.0));
    let images: SearchResults = serde_json::from_str(
        r#"{"item":[{"id":700000000000000101,"name":"a.jpg","img_url":"https://x/a.jpg","datetime_taken":"1760000000000"}],"current_page":0,"page_size":10,"total_count":"1"}"#,
    )
    .unwrap();
    let SearchResults::Images(page) = images else {
        panic!("not images")
    };
    assert_eq!(page.item[0].id, "700000000000000101");
    assert_eq!(page.current_page, Some(0));
    assert_eq!(page.total_count, Some(1));
}
