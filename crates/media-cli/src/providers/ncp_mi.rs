//! `media ncp-mi …`.

use clap::Subcommand;
use futures::TryStreamExt as _;
use media_sdk::ncp_mi::{Client, Config};

use super::Context;
use crate::Failure;

/// NAVER Cloud Media Intelligence workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Every asset of a project, with every field the API returns.
    Assets {
        /// The workspace name.
        #[arg(long, env = "NCP_MI_WORKSPACE")]
        workspace: String,
        /// The project id.
        #[arg(long, env = "NCP_MI_PROJECT")]
        project: u64,
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
        Command::Assets { workspace, project } => {
            let mut assets = client.assets().list_all(&workspace, project, 100);
            while let Some(asset) = assets.try_next().await? {
                context.output.value(&asset)?;
            }
        }
    }
    Ok(())
}
