//! The HTTPS transport: `POST https://host:port/<route>` with mutual TLS.

mod builder;
pub(crate) mod identity;
mod pool;
pub(crate) mod tls;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::StatusCode;
use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout_at};

pub use builder::{DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_REPLY_SIZE, HttpsTransportBuilder};
pub use tls::{CHIA_SERVER_NAME, ServerVerification};

use crate::error::{ErrorKind, TimeLimit};
use crate::transport::{BoxFuture, CallOptions, RawRequest, Transport};
use crate::{ChiaConfig, Error, Result, Service};

/// Carries requests to Chia services over HTTPS with mutual TLS.
///
/// One transport serves every service: each has its own base URL and client certificate.
/// Connections are HTTP/1.1 keep-alive and reused: a service sees at most as many connections
/// as calls in flight to it. Wrap it in a [`crate::Client`] for typed calls.
///
/// It runs on any Tokio runtime, the current-thread one included (`#[tokio::main(flavor =
/// "current_thread")]`), which on a machine with few cores shared with the node is often the
/// faster choice.
pub struct HttpsTransport {
    /// Per service: where it is and how to reach it, or why it cannot be reached.
    targets: BTreeMap<Service, std::result::Result<Target, ErrorKind>>,
    /// The time and size limits of calls that set none of their own.
    limits: Limits,
}

struct Target {
    base_url: String,
    pool: pool::Pool,
    /// One permit per call in flight: bounds the connections (and file descriptors) a burst
    /// of calls can open.
    permits: Arc<Semaphore>,
}

/// The limits of one call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) total: Duration,
    pub(crate) read_idle: Duration,
    pub(crate) connect: Duration,
    pub(crate) max_reply_size: usize,
}

impl Limits {
    fn with(self, options: &CallOptions) -> Limits {
        Limits {
            total: options.timeout.unwrap_or(self.total),
            read_idle: options.read_timeout.unwrap_or(self.read_idle),
            connect: self.connect,
            max_reply_size: options.max_reply_size.unwrap_or(self.max_reply_size),
        }
    }
}

impl HttpsTransport {
    /// A transport to every service of the installation described by `config`, verifying each
    /// server against the installation's private CA and the name `chia.net`.
    pub fn from_config(config: &ChiaConfig) -> Result<Self> {
        HttpsTransportBuilder::from_config(config).build()
    }

    /// A builder starting from the settings of `config`, to change some before building.
    pub fn builder_from_config(config: &ChiaConfig) -> HttpsTransportBuilder {
        HttpsTransportBuilder::from_config(config)
    }

    /// A builder to configure every setting by hand.
    pub fn builder() -> HttpsTransportBuilder {
        HttpsTransportBuilder::default()
    }

    /// The base URL requests to `service` go to, when the service can be reached.
    pub fn base_url(&self, service: Service) -> Option<&str> {
        match self.targets.get(&service) {
            Some(Ok(target)) => Some(&target.base_url),
            _ => None,
        }
    }

    fn target(&self, service: Service) -> Result<&Target> {
        match self.targets.get(&service) {
            Some(Ok(target)) => Ok(target),
            Some(Err(kind)) => Err(Error::from(kind.clone())),
            None => {
                Err(Error::config(None, None, format!("no settings for the {service} service")))
            }
        }
    }

    async fn post(&self, request: RawRequest) -> Result<Bytes> {
        let target = self.target(request.service)?;
        let url = format!("{}/{}", target.base_url, request.route);
        let limits = self.limits.with(&request.options);
        let deadline = Instant::now() + limits.total;
        let total = || Error::timeout_of(&url, TimeLimit::Total, limits.total);
        // Waiting for a turn counts against the total: a burst queues instead of opening a
        // connection per call.
        let _permit = timeout_at(deadline, target.permits.acquire())
            .await
            .map_err(|_| total())?
            .map_err(|_| Error::connect(&url, "the transport is shutting down"))?;
        let path = format!("/{}", request.route);
        let reply = timeout_at(deadline, target.pool.post(&url, &path, request.body, &limits))
            .await
            .map_err(|_| total())??;
        if reply.status != StatusCode::OK {
            return Err(Error::http_status(url, reply.status.as_u16(), reply.body));
        }
        Ok(reply.body)
    }
}

impl Transport for HttpsTransport {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        Box::pin(self.post(request))
    }
}

impl fmt::Debug for HttpsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let urls: BTreeMap<_, _> = self
            .targets
            .iter()
            .map(|(service, target)| match target {
                Ok(target) => (service, target.base_url.clone()),
                Err(_) => (service, "<unreachable: see the first call's error>".to_owned()),
            })
            .collect();
        f.debug_struct("HttpsTransport")
            .field("targets", &urls)
            .field("limits", &self.limits)
            .finish()
    }
}

/// Whether a TLS error (a fatal alert, a refused certificate) is among the causes.
fn tls_refusal(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = err.source();
    while let Some(cause) = source {
        if cause.is::<rustls::Error>() {
            return true;
        }
        // `io::Error::source` skips the error it wraps; look inside.
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        source = cause.source();
    }
    false
}
