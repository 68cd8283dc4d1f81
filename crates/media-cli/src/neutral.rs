//! `media assets upload|delete` and `media frames`: the neutral traits, with
//! progress on a terminal.

use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use media_sdk::media_core::poll::{PollOptions, PollStatus, wait_until};
use media_sdk::{AnyClient, Asset, AssetStatus, Error, ProgressFn, UploadSource};

use crate::Failure;
use crate::cli::Target;
use crate::output::Output;

/// Uploads `source` (a path or an http(s) URL), then optionally waits until
/// the asset is ready.
pub(crate) async fn upload(
    client: &AnyClient,
    source: &str,
    wait: Option<Duration>,
    output: &Output,
) -> Result<(), Failure> {
    let uploader = client.uploader().ok_or_else(|| {
        Failure::Usage(format!(
            "{} cannot upload through the neutral interface",
            client.provider()
        ))
    })?;
    let source = if source.starts_with("http://") || source.starts_with("https://") {
        UploadSource::Url(source.to_owned())
    } else {
        let path = Path::new(source);
        if !path.is_file() {
            return Err(Failure::Usage(format!("{source}: no such file")));
        }
        UploadSource::Path(path.to_path_buf())
    };
    let bar = progress_bar();
    let progress = bar.clone().map(|bar| {
        ProgressFn::new(move |p| {
            if let Some(total) = p.total_bytes {
                bar.set_length(total);
            }
            bar.set_position(p.bytes_sent);
        })
    });
    let uploaded = uploader.upload(source, progress).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut asset = uploaded?;
    if let Some(max_wait) = wait {
        asset = wait_until_processed(client, asset, max_wait).await?;
    }
    output.assets(std::slice::from_ref(&asset))?;
    Ok(())
}

/// A byte progress bar on a terminal, nothing on a pipe.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {bytes}/{total_bytes} {bytes_per_sec} {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

async fn wait_until_processed(
    client: &AnyClient,
    asset: Asset,
    max_wait: Duration,
) -> Result<Asset, Failure> {
    if matches!(asset.status, Some(AssetStatus::Ready)) {
        return Ok(asset);
    }
    // A registered ncp-mi asset has no processing state of its own: analysis is a
    // separate job, with its own waiter.
    if client.provider() == media_sdk::Provider::NcpMi {
        eprintln!(
            "note: ncp-mi assets are usable once registered; `media ncp-mi analyze {} --wait` analyses it",
            asset.id
        );
        return Ok(asset);
    }
    let reader = client.reader().ok_or_else(|| {
        Failure::Usage(format!(
            "{} cannot read assets back to wait on them",
            client.provider()
        ))
    })?;
    let spinner = std::io::stderr().is_terminal().then(|| {
        let spinner = ProgressBar::new_spinner();
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    });
    let options = PollOptions::default()
        .interval(Duration::from_secs(1))
        .max_interval(Duration::from_secs(10))
        .max_wait(max_wait);
    let id = asset.id.clone();
    let result = wait_until(
        client.provider(),
        &format!("asset {id}"),
        &options,
        || {
            let reader = reader.clone();
            let id = id.clone();
            async move {
                let asset = reader.asset(&id).await?;
                match &asset.status {
                    Some(AssetStatus::Ready) => Ok(PollStatus::Done(asset)),
                    Some(AssetStatus::Failed { reason }) => Err(Error::TaskFailed {
                        provider: asset.provider,
                        task_id: asset.id.clone(),
                        reason: reason.clone().unwrap_or_else(|| "processing failed".into()),
                    }),
                    _ => Ok(PollStatus::Pending(asset)),
                }
            }
        },
        |asset: &Asset| {
            if let Some(spinner) = &spinner {
                spinner.set_message(format!("{} is {}", asset.id, status_word(asset)));
            }
        },
    )
    .await;
    if let Some(spinner) = &spinner {
        spinner.finish_and_clear();
    }
    Ok(result?)
}

fn status_word(asset: &Asset) -> &'static str {
    match asset.status {
        Some(AssetStatus::Ready) => "ready",
        Some(AssetStatus::Failed { .. }) => "failed",
        Some(AssetStatus::Processing) => "processing",
        _ => "pending",
    }
}

/// Deletes one asset and says so.
pub(crate) async fn delete(client: &AnyClient, id: &str, output: &Output) -> Result<(), Failure> {
    let deleter = client.deleter().ok_or_else(|| {
        Failure::Usage(format!(
            "{} cannot delete through the neutral interface",
            client.provider()
        ))
    })?;
    deleter.delete(id).await?;
    output.value(&serde_json::json!({
        "provider": client.provider().as_str(),
        "id": id,
        "deleted": true,
    }))?;
    Ok(())
}

/// Extracts the frames of `asset_id` and lists them; with `out`, saves each one there.
pub(crate) async fn frames(
    asset_id: &str,
    out: Option<&Path>,
    target: &Target,
    base_url: Option<String>,
    output: &Output,
) -> Result<(), Failure> {
    let client = crate::connect(target, base_url)?;
    let extractor = client
        .frame_extractor()
        .ok_or_else(|| Failure::Usage(format!("{} does not extract frames", client.provider())))?;
    let frames = extractor.extract_frames(asset_id).await?;
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)?;
        for frame in &frames {
            let path = extractor.save_frame(frame, dir).await?;
            if !output.is_json() {
                eprintln!("saved {}", path.display());
            }
        }
    }
    output.assets(&frames)?;
    Ok(())
}
