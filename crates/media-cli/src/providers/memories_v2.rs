//! `media memories-v2 …`.

use clap::Subcommand;
use media_sdk::memories_v2::{Client, Config};

use super::Context;
use crate::Failure;

/// memories.ai v2 (MAVI) workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The metadata of one asset (`re_`, `im_` or `if_` id).
    Metadata {
        /// The asset id.
        asset_id: String,
    },
}

fn client(context: &Context) -> Result<Client, Failure> {
    let mut config = Config::from_env()?;
    if let Some(url) = &context.base_url {
        config = config.base_url(url.clone());
    }
    Ok(Client::new(config)?)
}

pub(crate) async fn run(command: Command, context: &Context) -> Result<(), Failure> {
    let client = client(context)?;
    match command {
        Command::Metadata { asset_id } => {
            let metadata = client.assets().metadata(&asset_id).await?;
            context.output.value(&metadata)?;
        }
    }
    Ok(())
}
