//! `media memories-v1 …`.

use clap::Subcommand;
use media_sdk::memories_v1::{Client, Config, GetMetadataParams};

use super::Context;
use crate::Failure;

/// memories.ai v1 workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The metadata of one video.
    Metadata {
        /// The video number (`VI…`).
        video_no: String,
        /// The namespace; the client's default when absent.
        #[arg(long)]
        unique_id: Option<String>,
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
        Command::Metadata {
            video_no,
            unique_id,
        } => {
            let mut params = GetMetadataParams::new(video_no);
            if let Some(unique_id) = unique_id {
                params = params.unique_id(unique_id);
            }
            let metadata = client.library().get_metadata(&params).await?;
            context.output.value(&metadata)?;
        }
    }
    Ok(())
}
