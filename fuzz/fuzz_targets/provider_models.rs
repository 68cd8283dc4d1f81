#![no_main]
//! Every provider's public response models from arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<twelvelabs::Asset>(data);
    let _ = serde_json::from_slice::<ncp_mi::Asset>(data);
    let _ = serde_json::from_slice::<memories_v1::VideoMetadata>(data);
    let _ = serde_json::from_slice::<memories_v2::AssetMetadata>(data);
});
