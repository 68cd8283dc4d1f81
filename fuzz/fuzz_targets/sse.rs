#![no_main]
//! The SSE parser (eventsource-stream behind the event-size guard).

use futures::StreamExt as _;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::block_on(async {
        let mut events = common::streaming_body(data).sse();
        while events.next().await.is_some() {}
    });
});
