#![no_main]
//! NCP signature v2 canonicalisation: any method, URI and timestamp.

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use ncp_mi::signature::{FixedClock, Signer, string_to_sign};
use secrecy::SecretString;

fuzz_target!(|input: (&str, &str, u64, &str)| {
    let (method, uri, timestamp, key) = input;
    let _ = string_to_sign(method, uri, timestamp, key);
    if let Ok(signer) = Signer::new(
        &SecretString::from(key.to_owned()),
        &SecretString::from("secret".to_owned()),
        Arc::new(FixedClock::new(timestamp)),
    ) {
        let _ = signer.signature(method, uri, timestamp);
    }
});
