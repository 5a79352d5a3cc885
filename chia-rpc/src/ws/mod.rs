//! The daemon's WebSocket: the daemon's own commands, every service's calls relayed, and the
//! pushes services send.
//!
//! Chia's daemon listens on one mutual-TLS WebSocket (`wss://localhost:55400`). A
//! [`DaemonTransport`] keeps one connection to it and carries any number of calls at once,
//! each matched to its reply by `request_id`. As a [`Transport`], it serves every generated
//! endpoint with the same types and call shape as HTTPS: the daemon's commands
//! (`client.daemon()`), and every other service's routes, which the daemon relays to that
//! service (`client.wallet().get_sync_status()`).
//!
//! Registered as one or more [`Listener`]s, the connection also receives the pushes services
//! send (new peaks, signage points, wallet changes, …): [`DaemonTransport::events`] gives them
//! as a stream of typed [`Event`](crate::Event)s. When the link breaks, the calls waiting on it
//! fail at once with [`ErrorKind::ConnectionLost`](crate::ErrorKind::ConnectionLost); the
//! transport dials again with backoff, registers again, and tells the event streams
//! ([`Notice::Disconnected`], [`Notice::Reconnected`]).
//!
//! ```no_run
//! use chia_rpc::ws::{DaemonTransport, Listener, Notice};
//! use chia_rpc::prelude::*;
//! use tokio_stream::StreamExt;
//!
//! # async fn run() -> chia_rpc::Result<()> {
//! let daemon = DaemonTransport::builder_from_config(&ChiaConfig::discover()?)
//!     .listen(Listener::Metrics)
//!     .connect()
//!     .await?;
//! let client = Client::new(daemon.clone());
//! println!("daemon {}", client.daemon().get_version().await?.version);
//! let height = client.full_node().get_blockchain_state().await?.blockchain_state.peak;
//! println!("peak: {:?}", height.map(|peak| peak.height));
//!
//! let mut events = daemon.events().service(Service::FullNode);
//! while let Some(notice) = events.next().await {
//!     if let Notice::Event(pushed) = notice? {
//!         println!("{}: {:?}", pushed.event.command(), pushed.event);
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod builder;
mod connection;
mod envelope;
mod events;
mod worker;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use tokio::sync::{broadcast, mpsc, oneshot};

pub use builder::{DAEMON_MAX_MESSAGE_SIZE, DaemonTransportBuilder, Listener, Reconnect};
pub use events::{EventStream, Notice, Pushed};

use crate::transport::{BoxFuture, CallOptions, RawRequest, Transport};
use crate::{ChiaConfig, Client, Error, Result, Service};
use connection::Dial;

/// Calls, relayed calls and pushes over one connection to the daemon.
///
/// Cloning is cheap and shares the connection; the connection closes when the last clone is
/// dropped. Several transports, to several daemons, can live in one process.
#[derive(Clone)]
pub struct DaemonTransport {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    frames: mpsc::UnboundedSender<Frame>,
}

/// What the calls and the connection's task share.
pub(crate) struct Shared {
    url: String,
    origin: String,
    dial: Dial,
    settings: DaemonTransportBuilder,
    state: Mutex<State>,
    pushes: broadcast::Sender<Broadcast>,
    /// Random per transport, so request ids of two transports never meet.
    id_prefix: u64,
    next_id: AtomicU64,
}

struct State {
    /// Counts connections; frames carry it so none is written to a later connection.
    generation: u64,
    connected: bool,
    /// Why the connection is down, for calls made meanwhile.
    reason: Option<String>,
    pending: HashMap<String, oneshot::Sender<Result<Bytes>>>,
}

/// A request's envelope, for the connection it was made for.
struct Frame {
    generation: u64,
    text: String,
}

/// What the connection's task tells the event streams.
#[derive(Clone)]
enum Broadcast {
    Push(Arc<RawPush>),
    Disconnected(Arc<str>),
    Reconnected,
}

/// A push as it came, decoded by each stream that wants it.
struct RawPush {
    origin: String,
    destination: String,
    command: String,
    request_id: String,
    data: Bytes,
}

impl DaemonTransport {
    /// A builder starting from the host, `daemon_port`, CA and daemon certificate of `config`.
    pub fn builder_from_config(config: &ChiaConfig) -> DaemonTransportBuilder {
        DaemonTransportBuilder::from_config(config)
    }

    /// A builder to configure every setting by hand.
    pub fn builder() -> DaemonTransportBuilder {
        DaemonTransportBuilder::default()
    }

    /// Connects to the daemon of the installation described by `config`, for calls only (no
    /// listener: add some with [`builder_from_config`](Self::builder_from_config)).
    pub async fn connect(config: &ChiaConfig) -> Result<Self> {
        DaemonTransportBuilder::from_config(config).connect().await
    }

    async fn start(
        settings: DaemonTransportBuilder,
        tls: Arc<rustls::ClientConfig>,
        origin: String,
    ) -> Result<Self> {
        let (host, port) = settings.host_and_port();
        let dial = Dial {
            host: host.to_owned(),
            port,
            url: settings.url(),
            tls: tls.clone(),
            connect_timeout: settings.connect_timeout,
            max_message_size: settings.max_message_size,
        };
        let (pushes, _) = broadcast::channel(settings.event_capacity);
        let shared = Arc::new(Shared {
            url: settings.url(),
            origin,
            dial,
            state: Mutex::new(State {
                generation: 0,
                connected: false,
                reason: None,
                pending: HashMap::new(),
            }),
            pushes,
            id_prefix: builder::random_u64(&tls)?,
            next_id: AtomicU64::new(0),
            settings,
        });
        let socket = worker::open_registered(&shared).await?;
        shared.connected();
        let (frames, receiver) = mpsc::unbounded_channel();
        tokio::spawn(worker::run(shared.clone(), receiver, socket));
        Ok(DaemonTransport { inner: Arc::new(Inner { shared, frames }) })
    }

    /// A typed client over this connection.
    pub fn client(&self) -> Client {
        Client::new(self.clone())
    }

    /// The pushes that arrive from now on, decoded leniently; narrow them with the stream's
    /// filters. Only what is sent to the registered [`Listener`]s arrives.
    pub fn events(&self) -> EventStream {
        EventStream::new(self.inner.shared.pushes.subscribe())
    }

    /// The name this connection registered under.
    pub fn origin(&self) -> &str {
        &self.inner.shared.origin
    }

    /// The daemon's address (`wss://localhost:55400`).
    pub fn url(&self) -> &str {
        &self.inner.shared.url
    }

    /// Whether the connection is up right now.
    pub fn is_connected(&self) -> bool {
        self.inner.shared.state().connected
    }

    /// Sends `command` with `data` (a JSON object) to `destination` — `daemon`, a service's
    /// daemon name (`chia_wallet`), or any other registered name — and returns the reply's
    /// `data` as it came. For what the schema does not cover.
    pub async fn send_command(
        &self,
        destination: &str,
        command: &str,
        data: impl Into<Bytes>,
        options: CallOptions,
    ) -> Result<Bytes> {
        self.call(destination, command, data.into(), options).await
    }

    async fn call(
        &self,
        destination: &str,
        command: &str,
        data: Bytes,
        options: CallOptions,
    ) -> Result<Bytes> {
        let shared = &self.inner.shared;
        let what = format!("the {command} request to {destination}");
        let data = json_object(&data)
            .map_err(|message| Error::invalid_request(command, format!("{what}: {message}")))?;
        let id = shared.request_id();
        let text = envelope::request(command, data, &id, destination, &shared.origin);
        let limit = shared.settings.max_message_size;
        if text.len() > limit {
            return Err(Error::too_large(what, Some(text.len()), limit));
        }
        let (reply, answer) = oneshot::channel();
        let generation = {
            let mut state = shared.state();
            if !state.connected {
                let reason = state.reason.clone().unwrap_or_else(|| "not connected".to_owned());
                return Err(Error::connect(
                    &shared.url,
                    format!("the connection is down ({reason}); it is being dialled again"),
                ));
            }
            state.pending.insert(id.clone(), reply);
            state.generation
        };
        // Whatever happens from here (a reply, a timeout, the caller giving up), the call is
        // no longer waited for afterwards.
        let _forget = Forget { shared, id: &id };
        if self.inner.frames.send(Frame { generation, text }).is_err() {
            return Err(Error::connect(&shared.url, "the connection's task has stopped"));
        }
        let timeout = options.timeout.unwrap_or(shared.settings.timeout);
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(Error::connection_lost(&shared.url, "the connection's task stopped")),
            Err(_) => Err(Error::timeout(format!("{} ({command} to {destination})", shared.url))),
        }
    }
}

/// Removes a call from the pending ones when it stops waiting.
struct Forget<'a> {
    shared: &'a Shared,
    id: &'a str,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.shared.take_pending(self.id);
    }
}

/// `data` as the text of a JSON object (`{}` when empty), or why it is not one.
fn json_object(data: &[u8]) -> std::result::Result<&str, String> {
    if data.iter().all(u8::is_ascii_whitespace) {
        return Ok("{}");
    }
    let text = std::str::from_utf8(data).map_err(|err| format!("not UTF-8: {err}"))?;
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|err| format!("not valid JSON: {err}"))?;
    if !text.trim_start().starts_with('{') {
        return Err("the data must be a JSON object".to_owned());
    }
    Ok(text)
}

/// The daemon name a service's calls are relayed to.
fn destination(service: Service) -> Result<&'static str> {
    service.daemon_name().ok_or_else(|| {
        Error::config(
            None,
            None,
            format!("the {service} service is not reached through the daemon"),
        )
    })
}

impl Transport for DaemonTransport {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        Box::pin(async move {
            let destination = destination(request.service)?;
            self.call(destination, &request.route, request.body, request.options).await
        })
    }
}

impl fmt::Debug for DaemonTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DaemonTransport")
            .field("url", &self.url())
            .field("origin", &self.origin())
            .field("connected", &self.is_connected())
            .finish_non_exhaustive()
    }
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A request id: 64 hex digits like the daemon's own, unique per transport.
    fn request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}{:048x}", self.id_prefix, n)
    }

    fn take_pending(&self, id: &str) -> Option<oneshot::Sender<Result<Bytes>>> {
        self.state().pending.remove(id)
    }

    fn generation(&self) -> u64 {
        self.state().generation
    }

    /// A new connection is up: calls may go out again.
    fn connected(&self) {
        let mut state = self.state();
        state.generation += 1;
        state.connected = true;
        state.reason = None;
    }

    /// The connection is down: every call waiting on it fails with `error` now.
    fn disconnect(&self, error: Error) {
        let pending = {
            let mut state = self.state();
            state.connected = false;
            state.reason = Some(error.to_string());
            std::mem::take(&mut state.pending)
        };
        for (_, reply) in pending {
            let _ = reply.send(Err(clone_error(&error)));
        }
    }

    /// Why the last attempt to dial again failed, for calls made meanwhile.
    fn set_reason(&self, error: Error) {
        self.state().reason = Some(error.to_string());
    }
}

/// The same error again (errors are not `Clone`: their source is not).
fn clone_error(error: &Error) -> Error {
    Error::from(error.kind().clone())
}
