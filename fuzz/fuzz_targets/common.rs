//! A streamed body made of the fuzzer's bytes, cut where the fuzzer says.

use std::time::Duration;

use bytes::Bytes;
use media_core::Provider;
use media_core::http::StreamingBody;

/// The first byte picks a chunk size; the rest is the body.
pub fn streaming_body(data: &[u8]) -> StreamingBody {
    let (size, rest) = data
        .split_first()
        .map_or((1, &[][..]), |(s, r)| (usize::from(*s).max(1), r));
    let chunks: Vec<Result<Bytes, std::io::Error>> = rest
        .chunks(size)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let response = http::Response::new(reqwest::Body::wrap_stream(futures::stream::iter(chunks)));
    StreamingBody::from_response(
        Provider::MemoriesV1,
        reqwest::Response::from(response),
        Duration::from_secs(1),
        4096,
    )
}

pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map(|rt| rt.block_on(future))
        .unwrap_or_else(|err| panic!("runtime: {err}"))
}
