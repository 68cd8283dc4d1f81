//! Listing at scale: the paginated streams, item by item.

use std::hint::black_box;
use std::time::Instant;

use futures::StreamExt as _;

use crate::calls::{
    BoxError, NCP_PROJECT, NCP_WORKSPACE, TWELVELABS_API_KEY, ncp_client, twelvelabs_url,
};
use crate::report::Listed;

/// TwelveLabs' largest page.
const TWELVELABS_PAGE: u32 = 50;
/// NCP's largest page.
const NCP_PAGE: u32 = 1000;

/// Reads the first `items` TwelveLabs assets through `list_all`, pages of 50.
pub(crate) async fn twelvelabs(mock: &str, items: usize) -> Result<Listed, BoxError> {
    let config = twelvelabs::Config::new(TWELVELABS_API_KEY).base_url(twelvelabs_url(mock));
    let client = twelvelabs::Client::new(config)?;
    let params = twelvelabs::ListAssetsParams::new().page_limit(TWELVELABS_PAGE);
    let started = Instant::now();
    let stream = client.assets().list_all(params).take(items);
    let read = drain(stream).await?;
    checked(read, items, started)
}

/// Reads the first `items` NCP assets of the seeded project through
/// `list_all`, pages of 1000.
pub(crate) async fn ncp(mock: &str, items: usize) -> Result<Listed, BoxError> {
    let client = ncp_client(mock)?;
    let started = Instant::now();
    let stream = client
        .assets()
        .list_all(NCP_WORKSPACE, NCP_PROJECT, NCP_PAGE)
        .take(items);
    let read = drain(stream).await?;
    checked(read, items, started)
}

/// Polls `stream` to the end, keeping nothing, and counts the items.
async fn drain<T, E>(
    mut stream: impl futures::Stream<Item = Result<T, E>> + Unpin,
) -> Result<usize, E> {
    let mut read = 0;
    while let Some(item) = stream.next().await {
        black_box(item?);
        read += 1;
    }
    Ok(read)
}

fn checked(read: usize, wanted: usize, started: Instant) -> Result<Listed, BoxError> {
    let elapsed = started.elapsed();
    if read < wanted {
        return Err(format!(
            "the listing ended after {read} items, {wanted} wanted: start the mock with --bulk-assets {wanted}"
        )
        .into());
    }
    Ok(Listed {
        items: read,
        elapsed,
    })
}
