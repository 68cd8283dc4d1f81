//! `media twelvelabs …`.

use clap::Subcommand;
use media_sdk::twelvelabs::{Client, Config};

use super::Context;
use crate::Failure;

/// TwelveLabs workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// One asset with every field the API returns.
    Asset {
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
        Command::Asset { asset_id } => {
            let asset = client.assets().retrieve(&asset_id).await?;
            context.output.value(&asset)?;
        }
    }
    Ok(())
}
