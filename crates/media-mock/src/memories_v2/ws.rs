//! The live audio WebSocket (`/serve/ws/v2/audio-stream`), served on its own loopback listener
//! (see [`crate::MockServer::memories_v2_ws_url`]): it checks the key (`Authorization` header or
//! `api_key` query parameter) and `provider`, then answers every binary audio frame with a
//! partial transcript and a `{"message_type":"commit"}` text frame with a committed one, the way
//! the gateway relays ElevenLabs realtime messages.
//!
//! A handshake with the query parameter `mock_fault` gets a misbehaving session instead, written
//! frame by frame on the raw connection (after a normal `session_started`):
//!
//! - `mock_fault=cut_mid_frame`: a text frame whose payload stops halfway, then the TCP
//!   connection closes (no closing handshake);
//! - `mock_fault=bad_json`: a text frame that is not JSON, then a valid transcript, then a
//!   normal close;
//! - `mock_fault=oversized&mock_frame_bytes=N`: the header of a binary frame announcing `N`
//!   bytes (default 16 MiB + 1, one more than tungstenite's default frame limit), then nothing:
//!   a client without a frame limit waits for the payload, one with a limit refuses at once.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts as _, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use http::{StatusCode, header};
use hyper_util::rt::TokioIo;
use serde_json::json;
use sha1::{Digest as _, Sha1};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
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
    request: Request,
) -> Response {
    let (mut parts, _body) = request.into_parts();
    let headers = &parts.headers;
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
    if let Some(fault) = query.get("mock_fault") {
        let Some(fault) = WsFault::parse(fault, query.get("mock_frame_bytes")) else {
            return refuse(StatusCode::BAD_REQUEST, "unknown mock_fault");
        };
        return faulty_session(&mut parts, provider, fault);
    }
    match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade.on_upgrade(move |socket| session(socket, provider)),
        Err(rejection) => rejection.into_response(),
    }
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

/// How a `mock_fault` session misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WsFault {
    CutMidFrame,
    BadJson,
    Oversized(u64),
}

impl WsFault {
    fn parse(name: &str, frame_bytes: Option<&String>) -> Option<WsFault> {
        match name {
            "cut_mid_frame" => Some(WsFault::CutMidFrame),
            "bad_json" => Some(WsFault::BadJson),
            "oversized" => {
                let bytes = match frame_bytes {
                    Some(n) => n.parse().ok()?,
                    None => (16 << 20) + 1,
                };
                Some(WsFault::Oversized(bytes))
            }
            _ => None,
        }
    }
}

/// Answers the handshake by hand and plays `fault` on the raw upgraded connection.
fn faulty_session(parts: &mut http::request::Parts, provider: String, fault: WsFault) -> Response {
    let Some(key) = parts.headers.get("sec-websocket-key") else {
        return refuse(StatusCode::BAD_REQUEST, "missing Sec-WebSocket-Key");
    };
    let Some(on_upgrade) = parts.extensions.remove::<hyper::upgrade::OnUpgrade>() else {
        return refuse(StatusCode::BAD_REQUEST, "not an upgradable connection");
    };
    let mut sha1 = Sha1::new();
    sha1.update(key.as_bytes());
    sha1.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    let accept = base64::engine::general_purpose::STANDARD.encode(sha1.finalize());
    tokio::spawn(async move {
        match on_upgrade.await {
            Ok(upgraded) => {
                let mut io = TokioIo::new(upgraded);
                if let Err(error) = play(&mut io, &provider, fault).await {
                    tracing::debug!(%error, ?fault, "media-mock: faulty WebSocket session ended");
                }
            }
            Err(error) => tracing::debug!(%error, "media-mock: WebSocket upgrade failed"),
        }
    });
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::UPGRADE, http::HeaderValue::from_static("websocket"));
    headers.insert(
        header::CONNECTION,
        http::HeaderValue::from_static("upgrade"),
    );
    if let Ok(accept) = http::HeaderValue::from_str(&accept) {
        headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    response
}

/// The header of an unmasked server frame with opcode `opcode` and FIN set.
fn frame_header(opcode: u8, len: u64) -> Vec<u8> {
    let mut head = vec![0x80 | opcode];
    match len {
        0..=125 => head.push(u8::try_from(len).unwrap_or(125)),
        126..=0xFFFF => {
            head.push(126);
            head.extend_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
        }
        _ => {
            head.push(127);
            head.extend_from_slice(&len.to_be_bytes());
        }
    }
    head
}

fn text_frame(text: &str) -> Vec<u8> {
    let mut frame = frame_header(0x1, text.len() as u64);
    frame.extend_from_slice(text.as_bytes());
    frame
}

async fn play<IO>(io: &mut IO, provider: &str, fault: WsFault) -> std::io::Result<()>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let started = json!({"message_type": "session_started", "provider": provider});
    io.write_all(&text_frame(&started.to_string())).await?;
    match fault {
        WsFault::CutMidFrame => {
            let partial =
                json!({"message_type": "partial_transcript", "text": "this frame never ends"})
                    .to_string();
            let mut frame = text_frame(&partial);
            frame.truncate(frame.len() - partial.len() / 2);
            io.write_all(&frame).await?;
            io.flush().await?;
            // Dropping the connection here is the cut: no close frame, no rest of the payload.
            return io.shutdown().await;
        }
        WsFault::BadJson => {
            io.write_all(&text_frame(
                r#"{"message_type":"partial_transcript","text":"heard"#,
            ))
            .await?;
            let after =
                json!({"message_type": "committed_transcript", "text": "after the bad frame"});
            io.write_all(&text_frame(&after.to_string())).await?;
            // Close, status 1000.
            io.write_all(&[0x88, 0x02, 0x03, 0xE8]).await?;
        }
        WsFault::Oversized(bytes) => {
            io.write_all(&frame_header(0x2, bytes)).await?;
        }
    }
    io.flush().await?;
    // Read (and ignore) whatever the client sends until it hangs up, so that unread data
    // never turns the close into a reset; give up after a minute.
    let mut sink = vec![0u8; 16 * 1024];
    let drain = async {
        while io.read(&mut sink).await? > 0 {}
        Ok::<_, std::io::Error>(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(60), drain).await;
    Ok(())
}
