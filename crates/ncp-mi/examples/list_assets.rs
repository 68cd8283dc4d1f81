//! Lists every asset of a Media Intelligence project.
//!
//! ```sh
//! NCLOUD_ACCESS_KEY=... NCLOUD_SECRET_KEY=... \
//! NCP_MI_WORKSPACE=my-workspace NCP_MI_PROJECT=1234 \
//! cargo run -p ncp-mi --example list_assets
//! ```
//!
//! Set `NCP_MI_BASE_URL` to point it elsewhere (e.g. `media mock serve`).

use std::io::Write as _;

use futures::TryStreamExt as _;
use ncp_mi::{Client, Config, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    let client = Client::new(config)?;
    let (Some(workspace), Some(project)) = (client.default_workspace(), client.default_project())
    else {
        return Err(Error::InvalidInput("set NCP_MI_WORKSPACE and NCP_MI_PROJECT".into()).into());
    };

    let mut out = std::io::stdout().lock();
    let mut assets = client
        .assets()
        .list_all(workspace, project, ncp_mi::MAX_PAGE_SIZE);
    while let Some(asset) = assets.try_next().await? {
        let meta = asset.meta_data.as_ref();
        writeln!(
            out,
            "{:>8}  {:<40}  {:>10}  {:>9}  {}",
            asset.asset_id,
            asset.file_name.as_deref().unwrap_or("-"),
            meta.and_then(|m| m.resolution.as_deref()).unwrap_or("-"),
            meta.and_then(ncp_mi::AssetMetaData::duration)
                .map_or_else(|| "-".to_owned(), |d| format!("{:.1}s", d.as_secs_f64())),
            asset
                .created_time
                .map_or_else(|| "-".to_owned(), |t| t.to_string()),
        )?;
    }
    Ok(())
}
