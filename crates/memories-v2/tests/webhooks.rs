//! The webhook receiver: callbacks before or after the wait, failures, bad bodies, timeouts.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

use std::time::Duration;

use memories_v2::webhooks::FramesResult;
use memories_v2::{Error, PendingTask, WebhookReceiver};

async fn post(receiver: &WebhookReceiver, body: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}some/path", receiver.url()))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const FRAMES: &str = r#"{"code": 200, "message": "SUCCESS", "task_id": "5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b",
 "data": {"asset_id": "im_700000000000000010",
          "asset_ch_ids": ["imc_700000000000000010_0", "imc_700000000000000010_1", "imc_700000000000000010_2"]}}"#;

#[tokio::test]
async fn a_callback_that_arrives_first_is_kept() {
    let receiver = WebhookReceiver::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(post(&receiver, FRAMES).await, 200);
    let task = PendingTask::<FramesResult>::new("5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b");
    let frames = task.wait(&receiver).await.unwrap();
    assert_eq!(frames.asset_id, "im_700000000000000010");
    assert_eq!(frames.asset_ch_ids.len(), 3);
}

#[tokio::test]
async fn a_waiter_is_woken_and_others_are_not_confused() {
    let receiver = WebhookReceiver::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut all = receiver.subscribe();
    let waiting = {
        let receiver = receiver.clone();
        tokio::spawn(async move {
            PendingTask::<FramesResult>::new("5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b")
                .wait_timeout(&receiver, Duration::from_secs(5))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let other = FRAMES.replace(
        "5b0c2f8e9a1d4e6f8b7a6c5d4e3f2a1b",
        "ffffffffffffffffffffffffffffffff",
    );
    assert_eq!(post(&receiver, &other).await, 200);
    assert_eq!(post(&receiver, FRAMES).await, 200);
    let frames = waiting.await.unwrap().unwrap();
    assert_eq!(frames.asset_ch_ids[0], "imc_700000000000000010_0");
    assert_eq!(
        all.recv().await.unwrap().task_id.as_deref(),
        Some("ffffffffffffffffffffffffffffffff")
    );
    assert!(
        receiver
            .try_take("ffffffffffffffffffffffffffffffff")
            .is_some()
    );
}

#[tokio::test]
async fn failures_bad_bodies_and_timeouts() {
    let receiver = WebhookReceiver::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(post(&receiver, "not json").await, 400);
    assert_eq!(
        post(&receiver, r#"{"code":200,"data":{}}"#).await,
        400,
        "no task id"
    );
    assert_eq!(
        post(
            &receiver,
            r#"{"code":500,"message":"frame extraction failed","task_id":"t1","data":null}"#
        )
        .await,
        200
    );
    let err = PendingTask::<FramesResult>::new("t1")
        .wait(&receiver)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { task_id, reason, .. } if task_id == "t1" && reason.contains("frame extraction failed")),
        "{err:?}"
    );
    let err = PendingTask::<FramesResult>::new("t2")
        .wait_timeout(&receiver, Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }));
}

#[tokio::test]
async fn the_server_stops_with_the_last_clone() {
    let receiver = WebhookReceiver::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = receiver.local_addr();
    drop(receiver);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
