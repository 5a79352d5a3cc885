//! A mutual-TLS WebSocket server on loopback that speaks the daemon's envelope, for faults a
//! real daemon cannot be made to produce on demand: silence, replies out of order, oversized
//! messages, garbage, connections dropped mid-call.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use super::certs::{Ca, Leaf};

/// What the mock does with one request (anything but `register_service`, which it accepts).
pub enum Action {
    /// Reply with this `data`, after the delay.
    Reply(Value, Duration),
    /// Send this text as the whole message.
    Raw(String),
    /// Never answer.
    Silence,
    /// Close the connection.
    Close,
}

type Handler = dyn Fn(&Value) -> Action + Send + Sync;

/// A running mock daemon.
pub struct MockDaemon {
    pub addr: SocketAddr,
    /// Every message received, in order (registrations included).
    pub received: Arc<Mutex<Vec<Value>>>,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
    control: broadcast::Sender<Control>,
}

#[derive(Clone)]
enum Control {
    Push(String),
    DropAll,
}

impl MockDaemon {
    /// Sends `message` to every open connection.
    pub fn push(&self, message: Value) {
        let _ = self.control.send(Control::Push(message.to_string()));
    }

    /// Closes every open connection at once (no close frame: the TCP link just ends).
    pub fn drop_all(&self) {
        let _ = self.control.send(Control::DropAll);
    }

    /// The `service` names registered so far, in order.
    pub fn registrations(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m["command"] == "register_service")
            .filter_map(|m| m["data"]["service"].as_str().map(str::to_owned))
            .collect()
    }

    /// The messages received that are not registrations.
    pub fn requests(&self) -> Vec<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m["command"] != "register_service")
            .cloned()
            .collect()
    }
}

/// A reply envelope to `request` with `data`.
pub fn reply(request: &Value, data: Value) -> Value {
    json!({
        "command": request["command"],
        "ack": true,
        "data": data,
        "request_id": request["request_id"],
        "destination": request["origin"],
        "origin": request["destination"],
    })
}

/// A push envelope.
pub fn push(origin: &str, command: &str, destination: &str, data: Value) -> Value {
    json!({
        "command": command,
        "ack": false,
        "data": data,
        "request_id": "ab".repeat(32),
        "destination": destination,
        "origin": origin,
    })
}

/// Starts a daemon presenting `server`, requiring client certificates signed by `client_ca`,
/// answering requests as `handler` says.
pub async fn start(
    server: &Leaf,
    client_ca: &Ca,
    handler: impl Fn(&Value) -> Action + Send + Sync + 'static,
) -> MockDaemon {
    let acceptor = acceptor(server, client_ca);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let received = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (control, _) = broadcast::channel(64);
    let handler: Arc<Handler> = Arc::new(handler);
    let daemon = MockDaemon {
        addr,
        received: received.clone(),
        connections: connections.clone(),
        control: control.clone(),
    };
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, handler, received) =
                (acceptor.clone(), handler.clone(), received.clone());
            let control = control.subscribe();
            connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                // Large enough for the tests' oversized messages.
                let config = WebSocketConfig::default().max_message_size(Some(1 << 26));
                let Ok(socket) =
                    tokio_tungstenite::accept_async_with_config(tls, Some(config)).await
                else {
                    return;
                };
                serve(socket, handler, received, control).await;
            });
        }
    });
    daemon
}

async fn serve<S>(
    socket: tokio_tungstenite::WebSocketStream<S>,
    handler: Arc<Handler>,
    received: Arc<Mutex<Vec<Value>>>,
    mut control: broadcast::Receiver<Control>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sink, mut stream) = socket.split();
    let sink = Arc::new(tokio::sync::Mutex::new(sink));
    loop {
        tokio::select! {
            message = stream.next() => {
                let Some(Ok(Message::Text(text))) = message else { return };
                let Ok(request) = serde_json::from_str::<Value>(&text) else { continue };
                received.lock().unwrap().push(request.clone());
                let action = if request["command"] == "register_service" {
                    Action::Reply(json!({"success": true}), Duration::ZERO)
                } else {
                    handler(&request)
                };
                match action {
                    Action::Reply(data, delay) => {
                        let sink = sink.clone();
                        let text = reply(&request, data).to_string();
                        tokio::spawn(async move {
                            tokio::time::sleep(delay).await;
                            let _ = sink.lock().await.send(Message::text(text)).await;
                        });
                    }
                    Action::Raw(text) => {
                        let _ = sink.lock().await.send(Message::text(text)).await;
                    }
                    Action::Silence => {}
                    Action::Close => return,
                }
            }
            command = control.recv() => match command {
                Ok(Control::Push(text)) => {
                    let _ = sink.lock().await.send(Message::text(text)).await;
                }
                Ok(Control::DropAll) | Err(_) => return,
            }
        }
    }
}

fn acceptor(server: &Leaf, client_ca: &Ca) -> TlsAcceptor {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(client_ca.cert_pem.as_bytes()) {
        roots.add(cert.expect("CA PEM")).expect("CA accepted");
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .expect("client verifier");
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(server.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .expect("server chain");
    let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).expect("server key");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .expect("server config");
    TlsAcceptor::from(Arc::new(config))
}
