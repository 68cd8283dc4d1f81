//! `media demo`: starts the fake servers in-process and walks every
//! provider's endpoints through the real clients, over real HTTP on loopback.

use futures::TryStreamExt as _;
use media_mock::{MockServer, credentials};
use media_sdk::{AnyClient, Asset, AssetQuery};

use crate::Failure;

const FRAME_GROUP: &str = "im_666914042514116608";
use crate::output::Output;

pub(crate) async fn run(output: &Output) -> Result<(), Failure> {
    let server = MockServer::start().await;
    output.heading(&format!(
        "media demo: the four APIs faked at {} (no keys, no network)",
        server.url()
    ))?;

    let v1 = AnyClient::MemoriesV1(media_sdk::memories_v1::Client::new(
        media_sdk::memories_v1::Config::new(credentials::MEMORIES_API_KEY)
            .base_url(server.memories_v1_url()),
    )?);
    let v2_client = media_sdk::memories_v2::Client::new(
        media_sdk::memories_v2::Config::new(credentials::MEMORIES_API_KEY)
            .base_url(server.memories_v2_url()),
    )?;
    let v2 = AnyClient::MemoriesV2(v2_client.clone());
    let twelvelabs = AnyClient::TwelveLabs(media_sdk::twelvelabs::Client::new(
        media_sdk::twelvelabs::Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url()),
    )?);
    let ncp = AnyClient::NcpMi(media_sdk::ncp_mi::Client::new(
        media_sdk::ncp_mi::Config::new(credentials::NCP_ACCESS_KEY, credentials::NCP_SECRET_KEY)
            .base_url(server.ncp_mi_url())
            .workspace(credentials::NCP_WORKSPACE)
            .project(credentials::NCP_PROJECT),
    )?);

    show_one(
        output,
        &v1,
        "GET /get_metadata (video metadata, ms timestamps)",
        "VI606404158946574336",
    )
    .await?;
    show_one(
        output,
        &v2,
        "GET /{asset_id}/metadata (sizes and times sent as strings)",
        "re_660729180626595840",
    )
    .await?;
    show_one(
        output,
        &v2,
        "GET /{asset_id}/metadata on a frame group (im_ id)",
        FRAME_GROUP,
    )
    .await?;
    output.heading("memories-v2  the same group's frames, one image asset per imc_ id")?;
    let frames = v2_client.assets().frames(FRAME_GROUP).await?;
    output.assets(&frames)?;
    show_one(
        output,
        &twelvelabs,
        "GET /assets/{asset_id}",
        "6298d673f1090f1100476d4c",
    )
    .await?;
    show_list(output, &twelvelabs, "GET /assets (every page)").await?;
    show_list(
        output,
        &ncp,
        "GET /workspaces/{ws}/projects/{id}/assets (HMAC-signed, every page)",
    )
    .await?;

    output.heading(&format!(
        "{} requests served by the mock; try `media mock serve` to point your own code at it.",
        server.requests().len()
    ))?;
    Ok(())
}

async fn show_one(
    output: &Output,
    client: &AnyClient,
    endpoint: &str,
    id: &str,
) -> Result<(), Failure> {
    output.heading(&format!("{}  {endpoint}  [{id}]", client.provider()))?;
    let Some(reader) = client.reader() else {
        return Ok(());
    };
    let asset = reader.asset(id).await?;
    output.assets(&[asset])?;
    Ok(())
}

async fn show_list(output: &Output, client: &AnyClient, endpoint: &str) -> Result<(), Failure> {
    output.heading(&format!("{}  {endpoint}", client.provider()))?;
    let Some(lister) = client.lister() else {
        return Ok(());
    };
    let assets: Vec<Asset> = lister.assets(AssetQuery::new()).try_collect().await?;
    output.assets(&assets)?;
    Ok(())
}
