//! Stateful fake servers of the memories.ai v1 and v2 (with its adjacent hosts
//! `stream.memories.ai` and `security.memories.ai`), TwelveLabs v1.3 and NAVER Cloud Media
//! Intelligence APIs, on loopback, for tests and demos.
//!
//! One [`MockServer`] serves all four APIs, each under its own path prefix, from in-memory state
//! pre-seeded with the example objects of the providers' documentation. It checks credentials
//! the way the real services do (including the NCP API Gateway signature), answers in each
//! provider's own envelopes, records every request, and injects faults on demand.
//!
//! ```
//! use media_mock::{Fault, FaultRule, MockServer, credentials};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start().await;
//! let http = reqwest::Client::new();
//! let asset_url = format!("{}/assets/6298d673f1090f1100476d4c", server.twelvelabs_url());
//!
//! let asset: serde_json::Value = http
//!     .get(&asset_url)
//!     .header("x-api-key", credentials::TWELVELABS_API_KEY)
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(asset["filename"], "image-01.jpg");
//!
//! server.inject(FaultRule::new(Fault::status(429).with_header("Retry-After", "1")).times(1));
//! let throttled = http.get(&asset_url).send().await?;
//! assert_eq!(throttled.status(), 429);
//!
//! assert_eq!(server.requests().len(), 2);
//! assert_eq!(server.requests()[0].header("x-api-key"), Some(credentials::TWELVELABS_API_KEY));
//! # Ok(())
//! # }
//! ```
//!
//! Point a client at the mock with [`MockServer::env_vars`] or the per-provider base URLs such as
//! [`MockServer::twelvelabs_url`]. Requests no route handles get a loud HTTP 500
//! `media-mock: no route for METHOD PATH`, never a quiet 404.

mod fault;
mod json;
mod memories_v1;
mod memories_v2;
mod ncp_mi;
mod record;
mod server;
mod twelvelabs;
mod utility;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use crate::fault::{BodyRewrite, Fault, FaultRule, HeaderRewrite};
pub use crate::record::RecordedRequest;
pub use crate::server::{JOURNAL_BODY_BYTES, JOURNAL_LIMIT, RECORDED_BODY_LIMIT};
use crate::server::{Journal, Shared, lock};
pub use crate::utility::pattern_byte;

/// The credentials the mock accepts.
pub mod credentials {
    /// The memories.ai API key, accepted by v1, v2 and the adjacent `stream.memories.ai`
    /// (`Authorization: <key>`).
    pub const MEMORIES_API_KEY: &str = "sk-mock-memories-0001";
    /// The separate key of the adjacent caption host `security.memories.ai`
    /// (`Authorization: <key>`); it is the only key that host accepts.
    pub const MEMORIES_CAPTION_API_KEY: &str = "sk-mock-memories-caption-0001";
    /// The TwelveLabs API key (`x-api-key: <key>`).
    pub const TWELVELABS_API_KEY: &str = "tlk_mock_twelvelabs_0001";
    /// The NCP access key ID (`x-ncp-iam-access-key`).
    pub const NCP_ACCESS_KEY: &str = "MOCKACCESSKEY0001";
    /// The NCP secret key that signs requests made with [`NCP_ACCESS_KEY`].
    pub const NCP_SECRET_KEY: &str = "MOCKSECRETKEY0001MOCKSECRETKEY0001";
    /// The seeded NCP Media Intelligence workspace.
    pub const NCP_WORKSPACE: &str = "my-workspace";
    /// The seeded NCP Media Intelligence project in [`NCP_WORKSPACE`].
    pub const NCP_PROJECT: &str = "1234";
}

/// A running mock of all four APIs on one loopback port.
///
/// Dropping it stops the server: the accept loop ends and every open connection is closed,
/// including ones held by a [`Fault::Delay`].
pub struct MockServer {
    addr: SocketAddr,
    journal: Arc<Journal>,
    memories_v1: Shared<memories_v1::Store>,
    memories_v2: Shared<memories_v2::Store>,
    twelvelabs: Shared<twelvelabs::Store>,
    ncp_mi: Shared<ncp_mi::Store>,
    /// Never sent on; dropping it is the shutdown signal.
    _shutdown: watch::Sender<()>,
}

impl MockServer {
    /// Starts the mock on `127.0.0.1` with a free port, seeded with the documentation fixtures.
    ///
    /// Must be called inside a Tokio runtime. Panics only if loopback cannot be bound.
    pub async fn start() -> MockServer {
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        match Self::start_on(loopback).await {
            Ok(server) => server,
            Err(error) => panic!("media-mock: cannot bind {loopback}: {error}"),
        }
    }

    /// Starts the mock on `addr`, seeded with the documentation fixtures.
    ///
    /// Must be called inside a Tokio runtime.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let journal = Arc::new(Journal::default());
        let memories_v1 = Arc::new(Mutex::new(memories_v1::Store::seeded()));
        let memories_v2 = Arc::new(Mutex::new(memories_v2::Store::seeded()));
        let twelvelabs = Arc::new(Mutex::new(twelvelabs::Store::seeded()));
        let ncp_mi = Arc::new(Mutex::new(ncp_mi::Store::seeded()));
        let router = Router::new()
            .nest(
                memories_v1::PREFIX,
                memories_v1::router(Arc::clone(&memories_v1)),
            )
            .nest(
                memories_v2::PREFIX,
                memories_v2::router(Arc::clone(&memories_v2)),
            )
            .nest(
                memories_v2::STREAM_PREFIX,
                memories_v2::stream_router(Arc::clone(&memories_v2)),
            )
            .nest(
                memories_v2::CAPTION_PREFIX,
                memories_v2::caption_router(Arc::clone(&memories_v2)),
            )
            .nest(
                twelvelabs::PREFIX,
                twelvelabs::router(Arc::clone(&twelvelabs)),
            )
            .nest(ncp_mi::PREFIX, ncp_mi::router(Arc::clone(&ncp_mi)))
            .nest(utility::PREFIX, utility::router())
            .fallback(server::no_route)
            .method_not_allowed_fallback(server::no_route);
        let (shutdown, shutdown_signal) = watch::channel(());
        tokio::spawn(server::accept_loop(
            listener,
            router,
            Arc::clone(&journal),
            shutdown_signal,
        ));
        tracing::debug!(%addr, "media-mock: listening");
        Ok(MockServer {
            addr,
            journal,
            memories_v1,
            memories_v2,
            twelvelabs,
            ncp_mi,
            _shutdown: shutdown,
        })
    }

    /// The address the mock listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server root, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The memories.ai v1 base URL, `{url}/memories-v1/serve/api/v1`.
    pub fn memories_v1_url(&self) -> String {
        format!("{}{}", self.url(), memories_v1::PREFIX)
    }

    /// The memories.ai v2 base URL, `{url}/memories-v2/serve/api/v2`.
    pub fn memories_v2_url(&self) -> String {
        format!("{}{}", self.url(), memories_v2::PREFIX)
    }

    /// The TwelveLabs base URL, `{url}/twelvelabs/v1.3`.
    pub fn twelvelabs_url(&self) -> String {
        format!("{}{}", self.url(), twelvelabs::PREFIX)
    }

    /// The NCP Media Intelligence base URL, `{url}/ncp-mi/api/v1`.
    pub fn ncp_mi_url(&self) -> String {
        format!("{}{}", self.url(), ncp_mi::PREFIX)
    }

    /// Every environment variable that points a client at this mock, in a fixed order:
    /// `MEMORIES_API_KEY`, `MEMORIES_V1_BASE_URL`, `MEMORIES_V2_BASE_URL`,
    /// `MEMORIES_V2_STREAM_BASE_URL`, `MEMORIES_CAPTION_API_KEY`, `MEMORIES_CAPTION_BASE_URL`,
    /// `TWELVE_LABS_API_KEY`,
    /// `TWELVELABS_BASE_URL`, `NCLOUD_ACCESS_KEY`, `NCLOUD_SECRET_KEY`, `NCP_MI_BASE_URL`,
    /// `NCP_MI_WORKSPACE`, `NCP_MI_PROJECT`, `NCP_OBJECT_STORAGE_ENDPOINT`,
    /// `NCP_OBJECT_STORAGE_BUCKET`.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MEMORIES_API_KEY", credentials::MEMORIES_API_KEY.to_owned()),
            ("MEMORIES_V1_BASE_URL", self.memories_v1_url()),
            ("MEMORIES_V2_BASE_URL", self.memories_v2_url()),
            ("MEMORIES_V2_STREAM_BASE_URL", self.memories_stream_url()),
            (
                "MEMORIES_CAPTION_API_KEY",
                credentials::MEMORIES_CAPTION_API_KEY.to_owned(),
            ),
            ("MEMORIES_CAPTION_BASE_URL", self.memories_caption_url()),
            (
                "TWELVE_LABS_API_KEY",
                credentials::TWELVELABS_API_KEY.to_owned(),
            ),
            ("TWELVELABS_BASE_URL", self.twelvelabs_url()),
            ("NCLOUD_ACCESS_KEY", credentials::NCP_ACCESS_KEY.to_owned()),
            ("NCLOUD_SECRET_KEY", credentials::NCP_SECRET_KEY.to_owned()),
            ("NCP_MI_BASE_URL", self.ncp_mi_url()),
            ("NCP_MI_WORKSPACE", credentials::NCP_WORKSPACE.to_owned()),
            ("NCP_MI_PROJECT", credentials::NCP_PROJECT.to_owned()),
            (
                "NCP_OBJECT_STORAGE_ENDPOINT",
                format!("{}/_object-storage", self.ncp_mi_url()),
            ),
            ("NCP_OBJECT_STORAGE_BUCKET", "media-mock".to_owned()),
        ]
    }

    /// Every request received so far, in arrival order, including faulted and
    /// rejected ones: the most recent [`JOURNAL_LIMIT`], whose recorded
    /// bodies add up to at most [`JOURNAL_BODY_BYTES`].
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.journal.requests).to_vec()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.journal.requests).clear();
    }

    /// Adds a fault rule after the existing ones.
    ///
    /// Rules are checked before routing, so they apply even to paths without a route; the first
    /// live rule that matches a request fires.
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.journal.faults).push(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.journal.faults).clear();
    }

    /// Stores a memories.ai v1 video under namespace `unique_id`, keyed by its `"video_no"`,
    /// replacing any video with that number; `get_metadata` serves it verbatim as `data`.
    ///
    /// Panics if `video` has no string `"video_no"`.
    pub fn seed_memories_v1_video(&self, unique_id: &str, video: serde_json::Value) {
        lock(&self.memories_v1).seed_video(unique_id, video);
    }

    /// Stores a memories.ai v2 asset keyed by its `"asset_id"`; its metadata serves it verbatim
    /// as the one `resource`.
    ///
    /// Panics if `asset` has no string `"asset_id"`.
    pub fn seed_memories_v2_asset(&self, asset: serde_json::Value) {
        lock(&self.memories_v2).seed_asset(asset);
    }

    /// Stores an `im_` frame group: the metadata of `group_id` lists all `frames` in order, and
    /// each frame is also fetchable alone by its `"asset_id"`.
    ///
    /// Panics if a frame has no string `"asset_id"`.
    pub fn seed_memories_v2_frames(&self, group_id: &str, frames: Vec<serde_json::Value>) {
        lock(&self.memories_v2).seed_frames(group_id, frames);
    }

    /// Stores a TwelveLabs asset keyed by its `"_id"`, served verbatim.
    ///
    /// Panics if `asset` has no string `"_id"`.
    pub fn seed_twelvelabs_asset(&self, asset: serde_json::Value) {
        lock(&self.twelvelabs).seed_asset(asset);
    }

    /// Stores an NCP Media Intelligence asset keyed by its `"assetId"`, creating the workspace
    /// and project if missing; lists serve it verbatim.
    ///
    /// Panics if `asset` has no integer `"assetId"` (a number or a string of digits).
    pub fn seed_ncp_mi_asset(&self, workspace: &str, project_id: u64, asset: serde_json::Value) {
        lock(&self.ncp_mi).seed_asset(workspace, project_id, asset);
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
