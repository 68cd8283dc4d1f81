//! The live audio WebSocket (`/serve/ws/v2/audio-stream`), served on its own loopback listener
//! (see [`crate::MockServer::memories_v2_ws_url`]): it checks the key (`Authorization` header or
//! `api_key` query parameter) and `provider`, then answers every binary audio frame with a
//! partial transcript and a `{"message_type":"commit"}` text frame with a committed one, the way
//! the gateway relays ElevenLabs realtime messages.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, StatusCode};
use serde_json::json;
use tokio::sync::oneshot;

use super::Store;
use crate::credentials;
use crate::server::{Shared, lock};

/// The path of the WebSocket on its listener.
pub(crate) const PATH: &str = "/serve/ws/v2/audio-stream";

/// A running WebSocket listener; dropping it stops the server.
#[derive(Debug)]
pub(crate) struct WsServer {
    pub(crate) addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

/// Starts the listener.
pub(crate) async fn start(store: Shared<Store>) -> std::io::Result<WsServer> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let router = Router::new().route(PATH, get(handshake)).with_state(store);
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let served = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(error) = served.await {
            tracing::debug!(%error, "media-mock: memories v2 WebSocket listener ended");
        }
    });
    Ok(WsServer { addr, _stop: stop })
}

fn refuse(status: StatusCode, msg: &str) -> Response {
    let code = status.as_u16();
    (
        status,
        json!({"code": code, "msg": msg, "data": null}).to_string(),
    )
        .into_response()
}

async fn handshake(
    State(store): State<Shared<Store>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let header_key = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let key = header_key.or(query.get("api_key").map(String::as_str));
    lock(&store).ws_handshakes.push(query.clone());
    if key != Some(credentials::MEMORIES_API_KEY) {
        return refuse(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let provider = query.get("provider").cloned().unwrap_or_default();
    if !matches!(provider.as_str(), "elevenlabs" | "assemblyai") {
        return refuse(
            StatusCode::BAD_REQUEST,
            "provider must be elevenlabs or assemblyai",
        );
    }
    upgrade.on_upgrade(move |socket| session(socket, provider))
}

async fn session(mut socket: WebSocket, provider: String) {
    let started = json!({"message_type": "session_started", "provider": provider});
    if socket
        .send(Message::Text(started.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let mut received = 0usize;
    while let Some(Ok(message)) = socket.recv().await {
        let reply = match message {
            Message::Binary(audio) => {
                received += audio.len();
                json!({"message_type": "partial_transcript", "text": format!("heard {received} bytes")})
            }
            Message::Text(text) if text.contains("commit") => {
                json!({"message_type": "committed_transcript", "text": "hello from the mock"})
            }
            Message::Text(_) => json!({"message_type": "error", "error": "unknown message"}),
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        if socket
            .send(Message::Text(reply.to_string().into()))
            .await
            .is_err()
        {
            return;
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
