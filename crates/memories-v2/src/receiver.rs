//! A small webhook receiver (feature `webhooks`): an HTTP server on an
//! address you choose that accepts the account's callbacks and resolves
//! per-task futures.
//!
//! Register a URL that reaches this address (a tunnel or a public host) in
//! the console; every callback is answered `200` once parsed (`400` when the
//! body is not a callback) and kept until a waiter takes it, so a callback
//! that arrives before [`WebhookReceiver::wait_for`] is called is not lost.
//!
//! ```no_run
//! # async fn run() -> memories_v2::Result<()> {
//! use memories_v2::{Client, WebhookReceiver};
//!
//! let receiver = WebhookReceiver::bind("0.0.0.0:8787".parse().unwrap()).await?;
//! let client = Client::from_env()?;
//! let frames = client.assets().extract_frames("re_660729180626595840").await?.wait(&receiver).await?;
//! println!("{} frames in {}", frames.asset_ch_ids.len(), frames.asset_id);
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use media_core::{Error, Provider, Result};
use tokio::sync::{Notify, broadcast, oneshot};

use crate::webhooks::{WebhookEvent, parse_webhook};

/// How long [`WebhookReceiver::wait_for`] waits by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30 * 60);

#[derive(Default)]
struct Shared {
    /// Callbacks not yet taken, by task id, oldest first.
    arrived: Mutex<HashMap<String, Vec<WebhookEvent>>>,
    notify: Notify,
    events: Option<broadcast::Sender<WebhookEvent>>,
}

/// Stops the server when the last clone of the receiver is dropped.
struct Guard {
    shutdown: Mutex<Option<oneshot::Sender<()>>>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(tx) = self
            .shutdown
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = tx.send(());
        }
    }
}

/// A running webhook receiver. Cheap to clone; the server stops when the
/// last clone is dropped.
#[derive(Clone)]
pub struct WebhookReceiver {
    shared: Arc<Shared>,
    addr: SocketAddr,
    default_wait: Duration,
    _guard: Arc<Guard>,
}

impl std::fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl WebhookReceiver {
    /// Listens on `addr` (port 0 picks a free port: see
    /// [`WebhookReceiver::local_addr`]). Callbacks are accepted as `POST` on
    /// any path.
    pub async fn bind(addr: SocketAddr) -> Result<WebhookReceiver> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (events, _) = broadcast::channel(256);
        let shared = Arc::new(Shared {
            events: Some(events),
            ..Shared::default()
        });
        let router = Router::new()
            .fallback(axum::routing::post(receive))
            .with_state(Arc::clone(&shared));
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let server = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(error) = server.await {
                tracing::warn!(%error, "memories-v2 webhook receiver stopped");
            }
        });
        tracing::debug!(%addr, "memories-v2 webhook receiver listening");
        Ok(WebhookReceiver {
            shared,
            addr,
            default_wait: DEFAULT_WAIT,
            _guard: Arc::new(Guard {
                shutdown: Mutex::new(Some(tx)),
            }),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<local addr>/`, the URL to register (when reachable as is).
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Sets the default wait of [`WebhookReceiver::wait_for`].
    pub fn with_default_wait(mut self, wait: Duration) -> WebhookReceiver {
        self.default_wait = wait;
        self
    }

    /// Every callback as it arrives (also those of tasks nobody waits for,
    /// e.g. stream segments). A slow subscriber misses events rather than
    /// blocking the receiver.
    pub fn subscribe(&self) -> broadcast::Receiver<WebhookEvent> {
        match &self.shared.events {
            Some(events) => events.subscribe(),
            None => broadcast::channel(1).1,
        }
    }

    /// Takes a callback of `task_id` that already arrived, if any.
    pub fn try_take(&self, task_id: &str) -> Option<WebhookEvent> {
        let mut arrived = self
            .shared
            .arrived
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let queue = arrived.get_mut(task_id)?;
        let event = (!queue.is_empty()).then(|| queue.remove(0));
        if queue.is_empty() {
            arrived.remove(task_id);
        }
        event
    }

    /// Waits for the next callback of `task_id`, at most the default wait
    /// (30 minutes unless changed), then [`Error::Timeout`].
    pub async fn wait_for(&self, task_id: &str) -> Result<WebhookEvent> {
        self.wait_for_timeout(task_id, self.default_wait).await
    }

    /// Waits for the next callback of `task_id`, at most `timeout`.
    pub async fn wait_for_timeout(&self, task_id: &str, timeout: Duration) -> Result<WebhookEvent> {
        let wait = async {
            loop {
                let notified = self.shared.notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if let Some(event) = self.try_take(task_id) {
                    return event;
                }
                notified.await;
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| Error::Timeout {
                provider: Provider::MemoriesV2,
                message: format!(
                    "no webhook for task {task_id} reached {} within {:.0}s",
                    self.addr,
                    timeout.as_secs_f64()
                ),
            })
    }
}

async fn receive(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    let Ok(event) = parse_webhook(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let Some(task_id) = event.task_id.clone() else {
        return StatusCode::BAD_REQUEST;
    };
    tracing::debug!(%task_id, "memories-v2 webhook received");
    if let Some(events) = &shared.events {
        let _ = events.send(event.clone());
    }
    shared
        .arrived
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(task_id)
        .or_default()
        .push(event);
    shared.notify.notify_waiters();
    StatusCode::OK
}
