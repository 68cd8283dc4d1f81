//! No duplicate creates: when a create succeeds on the server but its answer
//! is lost, the client must not create a second asset, index, task or
//! project. A non-idempotent create is not retried after its request went
//! out; a create carrying the provider's idempotency key is retried with the
//! same key, and the server answers the first creation again.
//!
//! Each case counts what exists on the server before and after, through the
//! provider's own listing where the API has one, and the requests the server
//! received. The table in docs/reliability.md is this test's output
//! (regenerate with `MEDIA_UPDATE_DOCS=1 cargo test -p media-sdk --test
//! no_duplicate_creates`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use std::fmt::Write as _;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use media_mock::{Fault, FaultRule, MockServer, credentials};
use media_sdk::media_core::http::RetryPolicy;
use media_sdk::{AnyClient, AssetQuery, Error, Provider, UploadSource};
use media_sdk::{memories_v1, memories_v2, ncp_mi, twelvelabs};

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a case is allowed to end in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The call succeeded.
    Ok,
    /// The call failed with a transport error that is not a refused connection:
    /// the caller learns the answer was lost.
    LostAnswer,
}

/// One create call under one fault.
struct Case {
    provider: Provider,
    call: &'static str,
    fault: &'static str,
    method: &'static str,
    path: &'static str,
    make_fault: fn() -> Fault,
    /// How many things of this kind exist on the server (or how many creating
    /// requests reached the route, where the API cannot list them).
    count: for<'a> fn(&'a Clients, &'a MockServer) -> Boxed<'a, usize>,
    create: for<'a> fn(&'a Clients, &'a Path) -> Boxed<'a, media_sdk::Result<()>>,
    expect: (Outcome, usize, usize),
}

/// The four clients, tuned like the fault matrix's: default retries with a
/// short first back-off.
struct Clients {
    memories_v1: memories_v1::Client,
    memories_v2: memories_v2::Client,
    twelvelabs: twelvelabs::Client,
    ncp_mi: ncp_mi::Client,
}

impl Clients {
    fn new(server: &MockServer) -> Clients {
        let retry = || RetryPolicy::default().with_initial_backoff(Duration::from_millis(10));
        let timeout = Duration::from_secs(5);
        Clients {
            memories_v1: memories_v1::Client::new(
                memories_v1::Config::new(credentials::MEMORIES_API_KEY)
                    .base_url(server.memories_v1_url())
                    .retry(retry())
                    .timeout(timeout),
            )
            .unwrap(),
            memories_v2: memories_v2::Client::new(
                memories_v2::Config::new(credentials::MEMORIES_API_KEY)
                    .base_url(server.memories_v2_url())
                    .retry(retry())
                    .timeout(timeout),
            )
            .unwrap(),
            twelvelabs: twelvelabs::Client::new(
                twelvelabs::Config::new(credentials::TWELVELABS_API_KEY)
                    .base_url(server.twelvelabs_url())
                    .retry(retry())
                    .timeout(timeout),
            )
            .unwrap(),
            ncp_mi: ncp_mi::Client::new(
                ncp_mi::Config::new(credentials::NCP_ACCESS_KEY, credentials::NCP_SECRET_KEY)
                    .base_url(server.ncp_mi_url())
                    .workspace(credentials::NCP_WORKSPACE)
                    .project(credentials::NCP_PROJECT)
                    .object_storage(
                        ncp_mi::ObjectStorage::new()
                            .endpoint(format!("{}/_object-storage", server.ncp_mi_url()))
                            .bucket("media-in"),
                    )
                    .retry(retry())
                    .timeout(timeout),
            )
            .unwrap(),
        }
    }

    fn any(&self, provider: Provider) -> AnyClient {
        match provider {
            Provider::MemoriesV1 => AnyClient::MemoriesV1(self.memories_v1.clone()),
            Provider::MemoriesV2 => AnyClient::MemoriesV2(self.memories_v2.clone()),
            Provider::TwelveLabs => AnyClient::TwelveLabs(self.twelvelabs.clone()),
            Provider::NcpMi => AnyClient::NcpMi(self.ncp_mi.clone()),
            other => panic!("no client for {other}"),
        }
    }

    async fn listed(&self, provider: Provider) -> usize {
        let lister = self.any(provider).lister().expect("a lister");
        let assets: Vec<_> = lister
            .assets(AssetQuery::new())
            .try_collect()
            .await
            .unwrap();
        assets.len()
    }

    async fn upload(&self, provider: Provider, file: &Path) -> media_sdk::Result<()> {
        let uploader = self.any(provider).uploader().expect("an uploader");
        uploader
            .upload(UploadSource::Path(file.to_path_buf()), None)
            .await
            .map(|_| ())
    }
}

fn requests_to(server: &MockServer, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

const V2_UPLOAD: &str = "/memories-v2/serve/api/v2/upload";
const NCP_PROJECTS: &str = "/ncp-mi/api/v1/workspaces/my-workspace/projects";

fn cases() -> Vec<Case> {
    vec![
        Case {
            provider: Provider::MemoriesV1,
            call: "upload a file (`POST /upload`)",
            fault: "answer lost after the create",
            method: "POST",
            path: "/memories-v1/serve/api/v1/upload",
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| Box::pin(c.listed(Provider::MemoriesV1)),
            create: |c, file| Box::pin(c.upload(Provider::MemoriesV1, file)),
            expect: (Outcome::LostAnswer, 1, 1),
        },
        Case {
            provider: Provider::MemoriesV1,
            call: "import by URL (`POST /upload_url`)",
            fault: "answer lost after the create",
            method: "POST",
            path: "/memories-v1/serve/api/v1/upload_url",
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| Box::pin(c.listed(Provider::MemoriesV1)),
            create: |c, _| {
                Box::pin(async move {
                    c.memories_v1
                        .upload()
                        .url(&memories_v1::UploadUrlParams::new(
                            "https://cdn.example.com/clip.mp4",
                        ))
                        .await
                        .map(|_| ())
                })
            },
            expect: (Outcome::LostAnswer, 1, 1),
        },
        Case {
            provider: Provider::MemoriesV2,
            call: "upload a file (`POST /upload`)",
            fault: "answer lost after the create",
            method: "POST",
            path: V2_UPLOAD,
            make_fault: || Fault::DropAfterProcessing,
            // The v2 API lists no assets: count the uploads that reached the route.
            count: |_, server| Box::pin(async move { requests_to(server, "POST", V2_UPLOAD) }),
            create: |c, file| Box::pin(c.upload(Provider::MemoriesV2, file)),
            expect: (Outcome::LostAnswer, 1, 1),
        },
        Case {
            provider: Provider::TwelveLabs,
            call: "upload a file (`POST /assets`)",
            fault: "answer lost after the create",
            method: "POST",
            path: "/twelvelabs/v1.3/assets",
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| Box::pin(c.listed(Provider::TwelveLabs)),
            create: |c, file| Box::pin(c.upload(Provider::TwelveLabs, file)),
            expect: (Outcome::LostAnswer, 1, 1),
        },
        Case {
            provider: Provider::TwelveLabs,
            call: "create an index (`POST /indexes`)",
            fault: "answer lost after the create",
            method: "POST",
            path: "/twelvelabs/v1.3/indexes",
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| {
                Box::pin(async move {
                    let all: Vec<_> = c
                        .twelvelabs
                        .indexes()
                        .list_all(twelvelabs::ListIndexesParams::new())
                        .try_collect()
                        .await
                        .unwrap();
                    all.len()
                })
            },
            create: |c, _| {
                Box::pin(async move {
                    c.twelvelabs
                        .indexes()
                        .create(&twelvelabs::CreateIndexRequest::marengo("no-duplicates"))
                        .await
                        .map(|_| ())
                })
            },
            expect: (Outcome::LostAnswer, 1, 1),
        },
        Case {
            provider: Provider::TwelveLabs,
            call: "start an analysis (`POST /analyze/tasks`, `Idempotency-Key`)",
            fault: "answer lost after the create",
            method: "POST",
            path: "/twelvelabs/v1.3/analyze/tasks",
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| Box::pin(analyze_tasks(c)),
            create: |c, _| Box::pin(start_analysis(c)),
            // Retried with the same key: the second answer is the first task.
            expect: (Outcome::Ok, 2, 1),
        },
        Case {
            provider: Provider::TwelveLabs,
            call: "start an analysis (`POST /analyze/tasks`, `Idempotency-Key`)",
            fault: "connection reset before any answer",
            method: "POST",
            path: "/twelvelabs/v1.3/analyze/tasks",
            make_fault: || Fault::DropConnection,
            count: |c, _| Box::pin(analyze_tasks(c)),
            create: |c, _| Box::pin(start_analysis(c)),
            expect: (Outcome::Ok, 2, 1),
        },
        Case {
            provider: Provider::NcpMi,
            call: "upload and register (`POST …/assets/import/object-storage`)",
            fault: "answer lost after the create",
            method: "POST",
            path: "/ncp-mi/api/v1/workspaces/my-workspace/projects/1234/assets/import/object-storage",
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| Box::pin(c.listed(Provider::NcpMi)),
            create: |c, file| Box::pin(c.upload(Provider::NcpMi, file)),
            expect: (Outcome::LostAnswer, 1, 1),
        },
        Case {
            provider: Provider::NcpMi,
            call: "create a project (`POST …/projects`)",
            fault: "answer lost after the create",
            method: "POST",
            path: NCP_PROJECTS,
            make_fault: || Fault::DropAfterProcessing,
            count: |c, _| {
                Box::pin(async move {
                    c.ncp_mi
                        .projects()
                        .list(credentials::NCP_WORKSPACE)
                        .await
                        .unwrap()
                        .projects
                        .len()
                })
            },
            create: |c, _| {
                Box::pin(async move {
                    c.ncp_mi
                        .projects()
                        .create(
                            credentials::NCP_WORKSPACE,
                            &ncp_mi::ProjectParams::new("no-duplicates"),
                        )
                        .await
                        .map(|_| ())
                })
            },
            expect: (Outcome::LostAnswer, 1, 1),
        },
    ]
}

async fn analyze_tasks(clients: &Clients) -> usize {
    let all: Vec<_> = clients
        .twelvelabs
        .analyze()
        .list_all_tasks(twelvelabs::ListAnalyzeTasksParams::new())
        .try_collect()
        .await
        .unwrap();
    all.len()
}

async fn start_analysis(clients: &Clients) -> media_sdk::Result<()> {
    clients
        .twelvelabs
        .analyze()
        .create_task(&twelvelabs::AnalyzeTaskRequest::general(
            twelvelabs::VideoContext::Url("https://cdn.example.com/clip.mp4".into()),
            "Summarise the clip",
        ))
        .await
        .map(|_| ())
}

struct Observed {
    result: media_sdk::Result<()>,
    requests: usize,
    created: usize,
    elapsed: Duration,
}

async fn run(case: &Case, file: &Path) -> Observed {
    let server = MockServer::start().await;
    let clients = Clients::new(&server);
    let before = (case.count)(&clients, &server).await;
    server.inject(
        FaultRule::new((case.make_fault)())
            .method(case.method)
            .path_prefix(case.path)
            .times(1),
    );
    server.clear_requests();
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(30), (case.create)(&clients, file))
        .await
        .unwrap_or_else(|_| panic!("{} / {}: the create hung", case.provider, case.call));
    let elapsed = started.elapsed();
    let requests = requests_to(&server, case.method, case.path);
    server.clear_faults();
    let after = (case.count)(&clients, &server).await;
    let created = after - before;
    if case.expect.0 == Outcome::Ok && case.path.ends_with("/analyze/tasks") {
        let keys: Vec<_> = server
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == case.path)
            .map(|r| r.header("idempotency-key").map(str::to_owned))
            .collect();
        assert!(
            keys.len() == 2 && keys[0].is_some() && keys[0] == keys[1],
            "{}: the retry must carry the first attempt's Idempotency-Key, saw {keys:?}",
            case.call
        );
    }
    Observed {
        result,
        requests,
        created,
        elapsed,
    }
}

fn outcome(result: &media_sdk::Result<()>) -> Option<Outcome> {
    match result {
        Ok(()) => Some(Outcome::Ok),
        Err(Error::Transport { connect: false, .. }) => Some(Outcome::LostAnswer),
        Err(_) => None,
    }
}

fn describe(observed: &Observed) -> String {
    let shown = match &observed.result {
        Ok(()) => "ok".to_owned(),
        Err(Error::Transport { connect: false, .. }) => "Transport (answer lost)".to_owned(),
        Err(other) => format!("unexpected: {other}"),
    };
    format!(
        "{shown} · {} req · {} created",
        observed.requests, observed.created
    )
}

fn sample_file() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("media-no-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("clip.mp4");
    std::fs::write(&file, vec![7_u8; 64 * 1024]).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_never_creates_twice() {
    let file = sample_file();
    let mut table = String::from("| provider | create | fault | outcome |\n|---|---|---|---|\n");
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let observed = run(case, &file).await;
        let (want_outcome, want_requests, want_created) = case.expect;
        let ok = outcome(&observed.result) == Some(want_outcome)
            && observed.requests == want_requests
            && observed.created == want_created
            && observed.elapsed < Duration::from_secs(10);
        if !ok {
            failures.push(format!(
                "{} / {} / {}: expected {want_outcome:?} · {want_requests} req · {want_created} created, got {} in {:?}",
                case.provider,
                case.call,
                case.fault,
                describe(&observed),
                observed.elapsed
            ));
        }
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} |",
            case.provider,
            case.call,
            case.fault,
            describe(&observed)
        );
    }
    let _ = write!(
        table,
        "\n{} of {} create cases make exactly one thing.\n",
        cases.len() - failures.len(),
        cases.len()
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
    assert!(
        failures.is_empty(),
        "duplicate creates:\n{}",
        failures.join("\n")
    );
    common::check_reliability_doc("no-duplicate-creates", &table);
}
