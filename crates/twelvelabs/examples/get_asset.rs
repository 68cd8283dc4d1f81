//! Retrieves one asset and lists the first assets of the account.
//!
//! ```sh
//! TWELVE_LABS_API_KEY=tlk_... cargo run -p twelvelabs --example get_asset -- <ASSET_ID>
//! ```
//!
//! `TWELVELABS_BASE_URL` points it elsewhere, e.g. at `media mock serve`.

use std::io::Write;

use futures::{StreamExt, TryStreamExt};
use twelvelabs::{Client, ListAssetsParams};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut out = std::io::stdout().lock();

    if let Some(asset_id) = std::env::args().nth(1) {
        let asset = client.assets().retrieve(&asset_id).await?;
        writeln!(out, "{}", serde_json::to_string_pretty(&asset)?)?;
        let neutral: media_core::Asset = asset.into();
        writeln!(out, "neutral: {}", serde_json::to_string(&neutral)?)?;
    }

    let first: Vec<twelvelabs::Asset> = client
        .assets()
        .list_all(ListAssetsParams::new().page_limit(10))
        .take(20)
        .try_collect()
        .await?;
    for asset in first {
        writeln!(
            out,
            "{}  {:<10}  {}",
            asset.id.as_deref().unwrap_or("-"),
            asset.status.as_ref().map_or("-", |s| s.as_str()),
            asset.filename.as_deref().unwrap_or("-"),
        )?;
    }
    Ok(())
}
