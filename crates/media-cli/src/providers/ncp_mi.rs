//! `media ncp-mi …`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use media_sdk::media_core::poll::{PollStatus, wait_until};
use media_sdk::ncp_mi::{
    AnalysisParams, Client, Config, CreatePersonParams, ListPersonsParams, ObjectStorage,
    PollOptions, ProjectParams, SceneSummaryParams, SearchParams, SearchResultParams, ThumbnailRef,
    UploadParams,
};

use super::Context;
use crate::Failure;

/// The workspace (and project) a command works in.
#[derive(Debug, Args)]
pub(crate) struct Workspace {
    /// The workspace name.
    #[arg(long, env = "NCP_MI_WORKSPACE")]
    workspace: String,
}

/// The workspace and project a command works in.
#[derive(Debug, Args)]
pub(crate) struct Scope {
    /// The workspace name.
    #[arg(long, env = "NCP_MI_WORKSPACE")]
    workspace: String,
    /// The project id.
    #[arg(long, env = "NCP_MI_PROJECT")]
    project: u64,
}

/// How `--wait` polls.
#[derive(Debug, Args)]
pub(crate) struct Polling {
    /// Poll until the job ends, then print the final state (and the result).
    #[arg(long)]
    wait: bool,
    /// The first interval between polls, in milliseconds.
    #[arg(long, default_value_t = 2000, hide = true)]
    interval_ms: u64,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 1800)]
    max_wait_secs: u64,
}

impl Polling {
    fn options(&self) -> PollOptions {
        PollOptions::default()
            .interval(Duration::from_millis(self.interval_ms.max(1)))
            .max_wait(Duration::from_secs(self.max_wait_secs))
    }
}

/// NAVER Cloud Media Intelligence workflows.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Every asset of a project, with every field the API returns.
    Assets {
        #[command(flatten)]
        scope: Scope,
    },
    /// Workspaces.
    Workspaces {
        #[command(subcommand)]
        command: WorkspacesCommand,
    },
    /// Projects of a workspace.
    Projects {
        #[command(subcommand)]
        command: ProjectsCommand,
    },
    /// Uploads a file to Object Storage and registers it as an asset (needs the ncp-mi
    /// `object-storage` feature).
    Upload {
        /// The file, streamed from disk.
        file: PathBuf,
        /// The Object Storage bucket.
        #[arg(long, env = "NCP_OBJECT_STORAGE_BUCKET")]
        bucket: String,
        /// The object key (default: the file name).
        #[arg(long)]
        key: Option<String>,
        /// The S3-compatible endpoint (default: NCP Object Storage, Korea).
        #[arg(long, env = "NCP_OBJECT_STORAGE_ENDPOINT")]
        endpoint: Option<String>,
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        wait: Polling,
    },
    /// Starts the analysis (indexing) of an asset; with --wait, prints the index when done.
    Analyze {
        /// The asset id.
        asset_id: u64,
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        wait: Polling,
    },
    /// Starts an asynchronous text search; with --wait, prints the first page of hits.
    Search {
        /// The text to look for.
        query: String,
        #[command(flatten)]
        workspace: Workspace,
        #[command(flatten)]
        wait: Polling,
    },
    /// Persons of a workspace.
    Persons {
        #[command(subcommand)]
        command: PersonsCommand,
    },
    /// Requests the scene summary of an analysed asset; with --wait, prints the summary.
    Summary {
        /// The asset id.
        asset_id: u64,
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        wait: Polling,
    },
}

/// `media ncp-mi workspaces …`.
#[derive(Debug, Subcommand)]
pub(crate) enum WorkspacesCommand {
    /// Every workspace of the account.
    List,
}

/// `media ncp-mi projects …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ProjectsCommand {
    /// Creates a project.
    Create {
        /// The project name.
        name: String,
        #[command(flatten)]
        workspace: Workspace,
    },
    /// Every project of the workspace.
    List {
        #[command(flatten)]
        workspace: Workspace,
    },
    /// Deletes a project (not the base project).
    Delete {
        /// The project id.
        project_id: u64,
        #[command(flatten)]
        workspace: Workspace,
    },
}

/// `media ncp-mi persons …`.
#[derive(Debug, Subcommand)]
pub(crate) enum PersonsCommand {
    /// Every person of the workspace.
    List {
        /// Only persons whose name contains this (2–50 characters).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        workspace: Workspace,
    },
    /// Uploads a face image and registers a person with it.
    Create {
        /// The face image (jpg/png/webp, at most 5 MB).
        #[arg(long)]
        thumbnail: PathBuf,
        /// The name; an anonymous person without one.
        #[arg(long)]
        name: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        workspace: Workspace,
    },
    /// Merges persons into one (irreversible).
    Merge {
        /// The person that remains.
        person_id: u64,
        /// The persons folded into it.
        #[arg(required = true)]
        merged: Vec<u64>,
        #[command(flatten)]
        workspace: Workspace,
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
    let out = context.output;
    match command {
        Command::Assets { scope } => {
            let mut assets = client
                .assets()
                .list_all(&scope.workspace, scope.project, 100);
            while let Some(asset) = assets.try_next().await? {
                out.value(&asset)?;
            }
        }
        Command::Workspaces {
            command: WorkspacesCommand::List,
        } => {
            let mut workspaces = client.workspaces().list_all(100);
            while let Some(workspace) = workspaces.try_next().await? {
                out.value(&workspace)?;
            }
        }
        Command::Projects { command } => projects(&client, command, context).await?,
        Command::Upload {
            file,
            bucket,
            key,
            endpoint,
            scope,
            wait,
        } => {
            let client = match endpoint {
                Some(endpoint) => {
                    let mut config = Config::from_env()?;
                    if let Some(url) = &context.base_url {
                        config = config.base_url(url.clone());
                    }
                    let storage = ObjectStorage::from_env().endpoint(endpoint);
                    Client::new(config.object_storage(storage))?
                }
                None => client,
            };
            let mut params = UploadParams::new(file).bucket(bucket);
            if let Some(key) = key {
                params = params.key(key);
            }
            let asset = client
                .assets()
                .upload(&scope.workspace, scope.project, &params, None)
                .await?;
            if wait.wait {
                // Registered assets are listed once the registration is confirmed.
                let id = asset.asset_id;
                let (ws, project) = (scope.workspace.as_str(), scope.project);
                wait_until(
                    media_sdk::media_core::Provider::NcpMi,
                    "the asset registration",
                    &wait.options(),
                    || {
                        let client = client.clone();
                        async move {
                            let found = client
                                .assets()
                                .list_all(ws, project, 1000)
                                .try_any(|a| std::future::ready(a.asset_id == id))
                                .await?;
                            Ok(if found {
                                PollStatus::Done(())
                            } else {
                                PollStatus::Pending(())
                            })
                        }
                    },
                    |()| {},
                )
                .await?;
            }
            out.value(&asset)?;
        }
        Command::Analyze {
            asset_id,
            scope,
            wait,
        } => {
            let (ws, project) = (scope.workspace.as_str(), scope.project);
            let analysis = client.analysis();
            let started = analysis
                .request(ws, project, asset_id, &AnalysisParams::new())
                .await?;
            if wait.wait {
                let done = analysis
                    .wait_for_index(ws, project, asset_id, &wait.options(), |status| {
                        progress(
                            context,
                            status
                                .status
                                .as_ref()
                                .map(media_sdk::ncp_mi::IndexStatus::as_str),
                        );
                    })
                    .await?;
                out.value(&done)?;
                let index = client
                    .indexes()
                    .retrieve(ws, project, asset_id, None)
                    .await?;
                out.value(&index)?;
            } else {
                out.value(&started)?;
            }
        }
        Command::Search {
            query,
            workspace,
            wait,
        } => {
            let ws = workspace.workspace.as_str();
            let started = client
                .search()
                .request(ws, &SearchParams::text(query))
                .await?;
            if wait.wait {
                let result = client
                    .search()
                    .wait_for_search(
                        ws,
                        &started.search_id,
                        &SearchResultParams::new(),
                        &wait.options(),
                        |result| progress(context, Some(result.status.as_str())),
                    )
                    .await?;
                out.value(&result)?;
            } else {
                out.value(&started)?;
            }
        }
        Command::Persons { command } => persons(&client, command, context).await?,
        Command::Summary {
            asset_id,
            scope,
            wait,
        } => {
            let (ws, project) = (scope.workspace.as_str(), scope.project);
            let summaries = client.scene_summary();
            let started = summaries
                .request(ws, project, asset_id, &SceneSummaryParams::all_scenes())
                .await?;
            if wait.wait {
                let done = summaries
                    .wait_for_scene_summary(ws, project, asset_id, &wait.options(), |status| {
                        progress(
                            context,
                            status
                                .status
                                .as_ref()
                                .map(media_sdk::ncp_mi::SummaryStatus::as_str),
                        );
                    })
                    .await?;
                out.value(&done)?;
                out.value(&summaries.result(ws, project, asset_id).await?)?;
            } else {
                out.value(&started)?;
            }
        }
    }
    Ok(())
}

/// A job's state while waiting, for people: on stderr, never in the JSON output.
fn progress(context: &Context, state: Option<&str>) {
    if !context.output.is_json() {
        let _ = context
            .output
            .heading(&format!("… {}", state.unwrap_or("(no status)")));
    }
}

async fn projects(
    client: &Client,
    command: ProjectsCommand,
    context: &Context,
) -> Result<(), Failure> {
    let out = context.output;
    match command {
        ProjectsCommand::Create { name, workspace } => {
            let project = client
                .projects()
                .create(&workspace.workspace, &ProjectParams::new(name))
                .await?;
            out.value(&project)?;
        }
        ProjectsCommand::List { workspace } => {
            for project in client.projects().list(&workspace.workspace).await?.projects {
                out.value(&project)?;
            }
        }
        ProjectsCommand::Delete {
            project_id,
            workspace,
        } => {
            client
                .projects()
                .delete(&workspace.workspace, project_id)
                .await?;
            out.value(&serde_json::json!({ "deleted": project_id }))?;
        }
    }
    Ok(())
}

async fn persons(
    client: &Client,
    command: PersonsCommand,
    context: &Context,
) -> Result<(), Failure> {
    let out = context.output;
    match command {
        PersonsCommand::List { name, workspace } => {
            let mut params = ListPersonsParams::new(1);
            if let Some(name) = name {
                params = params.name(name);
            }
            let mut persons = client
                .persons()
                .list_all(&workspace.workspace, &params, 1000);
            while let Some(person) = persons.try_next().await? {
                out.value(&person)?;
            }
        }
        PersonsCommand::Create {
            thumbnail,
            name,
            description,
            workspace,
        } => {
            let ws = workspace.workspace.as_str();
            let key = client
                .persons()
                .upload_thumbnail(ws, &thumbnail, None)
                .await?;
            let mut params = CreatePersonParams::new([ThumbnailRef::primary(key)]);
            if let Some(name) = name {
                params = params.name(name);
            }
            if let Some(description) = description {
                params = params.description(description);
            }
            out.value(&client.persons().create(ws, &params).await?)?;
        }
        PersonsCommand::Merge {
            person_id,
            merged,
            workspace,
        } => {
            let person = client
                .persons()
                .merge(&workspace.workspace, person_id, &merged)
                .await?;
            out.value(&person)?;
        }
    }
    Ok(())
}
