//! Prints the metadata of a memories.ai v2 asset, and its neutral view.
//!
//! ```sh
//! MEMORIES_API_KEY=sk-mavi-... cargo run -p memories-v2 --example metadata -- re_660729180626595840
//! ```
//!
//! Reads `MEMORIES_V2_API_KEY` (else `MEMORIES_API_KEY`) and optionally
//! `MEMORIES_V2_BASE_URL` (e.g. a `media mock serve` URL). An `im_` id prints
//! every frame of the group.
#![allow(clippy::print_stdout)] // printing is what the example is for

use media_core::AssetReader;
use memories_v2::{AssetIdKind, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(asset_id) = std::env::args().nth(1) else {
        return Err("usage: metadata <asset_id>   (re_…, im_… or imc_…)".into());
    };
    let client = Client::from_env()?;

    let metadata = client.assets().metadata(&asset_id).await?;
    println!(
        "{asset_id} ({}): {} resource(s)",
        AssetIdKind::of(&asset_id),
        metadata.total
    );
    for resource in &metadata.resource {
        println!(
            "  {:<32} {:<6} {:>12} bytes  {:<9} created {}",
            resource.asset_id,
            resource.extension.as_deref().unwrap_or("?"),
            resource
                .file_size
                .map_or_else(|| "?".to_owned(), |n| n.to_string()),
            resource.upload_status,
            resource
                .create_time
                .map_or_else(|| "?".to_owned(), |t| t.to_rfc3339()),
        );
    }

    let asset = client.asset(&asset_id).await?;
    println!("{}", serde_json::to_string_pretty(&asset)?);
    Ok(())
}
