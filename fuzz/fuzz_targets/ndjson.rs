#![no_main]
//! The NDJSON and line splitters.

use futures::StreamExt as _;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::block_on(async {
        let mut items = common::streaming_body(data).ndjson::<serde_json::Value>();
        while items.next().await.is_some() {}
        let mut lines = common::streaming_body(data).lines();
        while lines.next().await.is_some() {}
    });
});
