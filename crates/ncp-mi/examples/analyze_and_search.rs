//! Analyses an asset, waits for its index, then runs a text search and prints the hits.
//!
//! ```sh
//! eval "$(media mock serve)" &   # or real keys: NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY
//! NCP_MI_WORKSPACE=my-workspace NCP_MI_PROJECT=1234 \
//! cargo run -p ncp-mi --example analyze_and_search -- 1001 "sample video"
//! ```
//!
//! Arguments: the asset id (default: the project's first asset) and the query
//! (default `sample`).

use std::io::Write as _;
use std::time::Duration;

use futures::TryStreamExt as _;
use ncp_mi::{
    AnalysisParams, Client, Error, PollOptions, SearchParams, SearchResultParams, SourceLanguage,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let (Some(workspace), Some(project)) = (client.default_workspace(), client.default_project())
    else {
        return Err(Error::InvalidInput("set NCP_MI_WORKSPACE and NCP_MI_PROJECT".into()).into());
    };
    let mut args = std::env::args().skip(1);
    let asset_id = if let Some(id) = args.next() {
        id.parse()?
    } else {
        let first = client
            .assets()
            .list_all(workspace, project, 1)
            .try_next()
            .await?;
        first.ok_or("the project has no assets")?.asset_id
    };
    let query = args.next().unwrap_or_else(|| "sample".to_owned());
    let mut out = std::io::stdout().lock();

    let params = AnalysisParams::new()
        .analysis_person_count(3)
        .source_language(SourceLanguage::Enko);
    match client
        .analysis()
        .request(workspace, project, asset_id, &params)
        .await
    {
        Ok(_) => {}
        // Already running: wait for that one instead.
        Err(err) if ncp_mi::is_conflict(&err) => writeln!(out, "an analysis is already running")?,
        Err(err) => return Err(err.into()),
    }
    let poll = PollOptions::default().interval(Duration::from_millis(500));
    let done = client
        .analysis()
        .wait_for_index(workspace, project, asset_id, &poll, |status| {
            eprintln!("analysis: {:?}", status.status);
        })
        .await?;
    writeln!(out, "asset {asset_id} indexed as {:?}", done.index_id)?;

    let search = client
        .search()
        .request(workspace, &SearchParams::text(&query))
        .await?;
    let result = client
        .search()
        .wait_for_search(
            workspace,
            &search.search_id,
            &SearchResultParams::new(),
            &poll,
            |_| {},
        )
        .await?;
    writeln!(
        out,
        "{} hit(s) for {query:?}",
        result.total_count.unwrap_or(0)
    )?;
    for hit in &result.results {
        writeln!(
            out,
            "  asset {:?} (project {:?}) score {:?}",
            hit.asset_id, hit.project_id, hit.score
        )?;
    }
    Ok(())
}
