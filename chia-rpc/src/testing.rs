//! A transport for the tests of programs built on chia-rpc: it answers from captured replies or
//! closures, never touches the network, and records every call.
//!
//! ```
//! use chia_rpc::prelude::*;
//! use chia_rpc::testing::FixtureTransport;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> chia_rpc::Result<()> {
//! // Replies captured from a real node: <dir>/<service>/<route>.json.
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/chia-2.7.5");
//! let fixtures = FixtureTransport::from_dir(dir)
//!     // A reply of your own for one route.
//!     .reply(Service::FullNode, "get_network_info", r#"{"success": true,
//!         "network_name": "mainnet", "network_prefix": "xch",
//!         "genesis_challenge": "ccd5bb71183532bff220ba46c268991a3ff07eb358e8255a65c30a2dce0e5fbb"}"#);
//! let client = Client::new(fixtures.clone()).with_strictness(Strictness::Strict);
//!
//! let state = client.full_node().get_blockchain_state().await?;
//! assert!(state.blockchain_state.peak.is_some());
//! let network = client.full_node().get_network_info().await?;
//! assert_eq!(network.network_prefix, "xch");
//!
//! let calls = fixtures.calls();
//! assert_eq!(calls.len(), 2);
//! assert_eq!(calls[0].route, "get_blockchain_state");
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;

use crate::transport::{BoxFuture, CallOptions, RawRequest, Transport};
use crate::{Error, Result, Service};

type Responder = Arc<dyn Fn(&RawRequest) -> Result<Bytes> + Send + Sync>;

/// Answers calls from fixtures and records them. Clones share the fixtures and the record, so
/// keep one clone to inspect after handing another to a [`crate::Client`].
///
/// A call is answered, in this order, by: a reply or closure set for its service and route; one
/// set for its route on any service; the file `<dir>/<service>/<route>.json` of
/// [`from_dir`](Self::from_dir); then `<dir>/shared/<route>.json`. Without any, the call fails
/// like an unknown route on a real node: HTTP 404.
#[derive(Clone, Default)]
pub struct FixtureTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    dir: Option<PathBuf>,
    routes: BTreeMap<(Option<Service>, String), Responder>,
    calls: Vec<RecordedCall>,
}

/// One call the transport received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedCall {
    /// The service it was sent to.
    pub service: Service,
    /// The route.
    pub route: String,
    /// The JSON body.
    pub body: Bytes,
    /// The call's options.
    pub options: CallOptions,
}

impl RecordedCall {
    /// The body parsed as JSON, to check what was sent.
    pub fn json(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::from_slice(&self.body)
    }
}

impl FixtureTransport {
    /// A transport with no fixtures yet.
    pub fn new() -> Self {
        FixtureTransport::default()
    }

    /// A transport answering from the files `<dir>/<service>/<route>.json` (as
    /// `cargo xtask capture` writes them), and `<dir>/shared/<route>.json` for any service.
    pub fn from_dir(dir: impl AsRef<Path>) -> Self {
        let transport = FixtureTransport::new();
        transport.lock().dir = Some(dir.as_ref().to_path_buf());
        transport
    }

    /// Answers `route` on `service` with `body`.
    pub fn reply(self, service: Service, route: &str, body: impl Into<Bytes>) -> Self {
        let body = body.into();
        self.respond(Some(service), route, move |_| Ok(body.clone()))
    }

    /// Answers `route` on every service with `body`.
    pub fn reply_on_any_service(self, route: &str, body: impl Into<Bytes>) -> Self {
        let body = body.into();
        self.respond(None, route, move |_| Ok(body.clone()))
    }

    /// Answers `route` on `service` with whatever `respond` returns for the request: a reply
    /// body, or a transport error such as [`Error::timeout`].
    pub fn respond_with(
        self,
        service: Service,
        route: &str,
        respond: impl Fn(&RawRequest) -> Result<Bytes> + Send + Sync + 'static,
    ) -> Self {
        self.respond(Some(service), route, respond)
    }

    fn respond(
        self,
        service: Option<Service>,
        route: &str,
        respond: impl Fn(&RawRequest) -> Result<Bytes> + Send + Sync + 'static,
    ) -> Self {
        self.lock().routes.insert((service, route.to_owned()), Arc::new(respond));
        self
    }

    /// Every call received so far, in order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.lock().calls.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn answer(&self, request: &RawRequest) -> Result<Bytes> {
        let (responder, dir) = {
            let mut state = self.lock();
            state.calls.push(RecordedCall {
                service: request.service,
                route: request.route.to_string(),
                body: request.body.clone(),
                options: request.options,
            });
            let route = request.route.to_string();
            let responder = state
                .routes
                .get(&(Some(request.service), route.clone()))
                .or_else(|| state.routes.get(&(None, route)))
                .cloned();
            (responder, state.dir.clone())
        };
        if let Some(respond) = responder {
            return respond(request);
        }
        let url = format!("fixture:{}/{}", request.service, request.route);
        let Some(dir) = dir else {
            return Err(Error::http_status(url, 404, "404: Not Found (no fixture for this call)"));
        };
        let candidates = [
            dir.join(request.service.name()).join(format!("{}.json", request.route)),
            dir.join("shared").join(format!("{}.json", request.route)),
        ];
        for path in &candidates {
            match std::fs::read(path) {
                Ok(body) => return Ok(Bytes::from(body)),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => {
                    return Err(Error::config(
                        Some(path.clone()),
                        None,
                        format!("cannot read the fixture: {err}"),
                    ));
                }
            }
        }
        Err(Error::http_status(url, 404, "404: Not Found (no fixture file for this call)"))
    }
}

impl Transport for FixtureTransport {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        let reply = self.answer(&request);
        Box::pin(async move { reply })
    }
}

impl fmt::Debug for FixtureTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("FixtureTransport")
            .field("dir", &state.dir)
            .field("routes", &state.routes.keys().collect::<Vec<_>>())
            .field("calls", &state.calls.len())
            .finish()
    }
}
