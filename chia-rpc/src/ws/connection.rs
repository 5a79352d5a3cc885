//! Dialling the daemon: TCP, mutual TLS, the WebSocket handshake, then registering names.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};

use super::envelope::{self, Incoming};
use crate::error::innermost;
use crate::http::tls::CHIA_SERVER_NAME;
use crate::{Error, Result};

/// An open connection to the daemon.
pub(super) type Socket = WebSocketStream<TlsStream<TcpStream>>;

/// Where and how to dial.
pub(super) struct Dial {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) url: String,
    pub(super) tls: Arc<rustls::ClientConfig>,
    pub(super) connect_timeout: Duration,
    pub(super) max_message_size: usize,
}

impl Dial {
    /// Connects and completes the TLS and WebSocket handshakes.
    pub(super) async fn open(&self) -> Result<Socket> {
        let within = |what: &'static str| {
            let url = self.url.clone();
            move |_| {
                Error::connect(url, format!("{what} took longer than {:?}", self.connect_timeout))
            }
        };
        let tcp = tokio::time::timeout(
            self.connect_timeout,
            TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(within("connecting"))?
        .map_err(|err| Error::connect(&self.url, err.to_string()))?;
        // Small request frames should leave at once.
        let _ = tcp.set_nodelay(true);
        // The server is checked against the CA and the configured name, whatever this says;
        // it only has to be a valid name for the handshake.
        let name = ServerName::try_from(self.host.clone())
            .or_else(|_| ServerName::try_from(CHIA_SERVER_NAME.to_owned()))
            .map_err(|err| Error::tls(format!("server name: {err}")))?;
        let tls = tokio::time::timeout(
            self.connect_timeout,
            TlsConnector::from(self.tls.clone()).connect(name, tcp),
        )
        .await
        .map_err(within("the TLS handshake"))?
        .map_err(|err| Error::connect(&self.url, innermost(&err)))?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(self.max_message_size))
            .max_frame_size(Some(self.max_message_size));
        let (socket, _) = tokio::time::timeout(
            self.connect_timeout,
            tokio_tungstenite::client_async_with_config(
                format!("{}/", self.url),
                tls,
                Some(config),
            ),
        )
        .await
        .map_err(within("the WebSocket handshake"))?
        .map_err(|err| Error::connect(&self.url, innermost(&err)))?;
        Ok(socket)
    }
}

/// Registers `names` with the daemon, one `register_service` each, and waits for every
/// answer; pushes that arrive meanwhile go to `on_push`.
pub(super) async fn register(
    socket: &mut Socket,
    names: &[String],
    origin: &str,
    request_ids: &mut (dyn FnMut() -> String + Send),
    url: &str,
    timeout: Duration,
    on_push: &mut (dyn FnMut(bytes::Bytes) + Send),
) -> Result<()> {
    let mut waiting = Vec::new();
    for name in names {
        let id = request_ids();
        let data = serde_json::json!({ "service": name }).to_string();
        let text = envelope::request("register_service", &data, &id, "daemon", origin);
        socket
            .send(Message::text(text))
            .await
            .map_err(|err| Error::connection_lost(url, innermost(&err)))?;
        waiting.push((id, name.clone()));
    }
    let answers = async {
        while !waiting.is_empty() {
            let message = match socket.next().await {
                None => {
                    return Err(Error::connection_lost(url, "the daemon closed the connection"));
                }
                Some(Err(err)) => return Err(Error::connection_lost(url, innermost(&err))),
                Some(Ok(message)) => message,
            };
            let Message::Text(text) = message else { continue };
            let bytes = bytes::Bytes::from(text);
            let Some(incoming) = std::str::from_utf8(&bytes).ok().and_then(Incoming::parse) else {
                continue;
            };
            if !incoming.ack {
                on_push(bytes.clone());
                continue;
            }
            let Some(index) = waiting.iter().position(|(id, _)| *id == incoming.request_id) else {
                continue;
            };
            let (_, name) = waiting.swap_remove(index);
            let data = incoming.data_bytes(&bytes);
            let accepted = serde_json::from_slice::<serde_json::Value>(&data)
                .is_ok_and(|value| value.get("success") == Some(&serde_json::Value::Bool(true)));
            if !accepted {
                return Err(Error::connect(
                    url,
                    format!(
                        "the daemon refused to register `{name}`: {}",
                        String::from_utf8_lossy(&data)
                    ),
                ));
            }
        }
        Ok(())
    };
    tokio::time::timeout(timeout, answers)
        .await
        .map_err(|_| Error::timeout(format!("{url} (register_service)")))?
}

/// Whether a WebSocket error is an incoming message over the size limit, with its size.
pub(super) fn oversized(err: &tungstenite::Error) -> Option<Option<usize>> {
    use tungstenite::error::CapacityError;
    match err {
        tungstenite::Error::Capacity(CapacityError::MessageTooLong { size, .. }) => {
            Some(Some(*size))
        }
        tungstenite::Error::Capacity(_) => Some(None),
        _ => None,
    }
}
