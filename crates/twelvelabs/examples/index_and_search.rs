//! Creates an index, registers a video by URL, waits until it is processed
//! and indexed, then searches it.
//!
//! ```sh
//! eval "$(media mock serve | head -n 10)" &   # or export the lines by hand
//! cargo run -p twelvelabs --example index_and_search -- https://example.com/match.mp4 "a header goal"
//! ```
//!
//! Reads `TWELVE_LABS_API_KEY` and `TWELVELABS_BASE_URL` like every client.

use std::io::Write;
use std::time::Duration;

use futures::TryStreamExt;
use twelvelabs::{
    AssetInput, Client, CreateIndexRequest, CreateIndexedAssetRequest, PollOptions, SearchOption,
    SearchRequest, UploadOptions,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "https://example.com/videos/match.mp4".to_owned());
    let query = args.next().unwrap_or_else(|| "a header goal".to_owned());
    let client = Client::from_env()?;
    let poll = PollOptions::default().interval(Duration::from_secs(1));
    let mut out = std::io::stdout().lock();

    let name = format!("example-{}", std::process::id());
    let index_id = client
        .indexes()
        .create(&CreateIndexRequest::marengo(&name))
        .await?
        .id
        .ok_or("no index id")?;
    writeln!(out, "index {index_id} ({name})")?;

    let asset = client
        .upload_asset(AssetInput::Url(url), &UploadOptions::new())
        .await?;
    let asset_id = asset.id.ok_or("no asset id")?;
    let asset = client
        .assets()
        .wait_until_ready(&asset_id, &poll, |a| {
            eprintln!("asset {asset_id}: {:?}", a.status);
        })
        .await?;
    writeln!(
        out,
        "asset {asset_id}: {:?}, {:?} s",
        asset.filename, asset.duration
    )?;

    let indexed_id = client
        .indexed_assets()
        .create(&index_id, &CreateIndexedAssetRequest::new(&asset_id))
        .await?
        .id
        .ok_or("no indexed asset id")?;
    client
        .indexed_assets()
        .wait_until_ready(&index_id, &indexed_id, &poll, |a| {
            eprintln!("indexed asset {indexed_id}: {:?}", a.status);
        })
        .await?;

    let hits: Vec<_> = client
        .search()
        .query(
            SearchRequest::text(
                &index_id,
                &query,
                [SearchOption::Visual, SearchOption::Audio],
            )
            .page_limit(10),
        )
        .try_collect()
        .await?;
    for hit in &hits {
        writeln!(
            out,
            "#{:?} video {:?} {:?}-{:?} s",
            hit.clip.rank, hit.clip.video_id, hit.clip.start, hit.clip.end
        )?;
    }
    client.indexes().delete(&index_id).await?;
    Ok(())
}
