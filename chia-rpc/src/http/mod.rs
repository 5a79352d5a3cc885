//! The HTTPS transport: `POST https://host:port/<route>` with mutual TLS.

mod builder;
pub(crate) mod identity;
pub(crate) mod tls;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::CONTENT_TYPE;
use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout, timeout_at};

pub use builder::{DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_REPLY_SIZE, HttpsTransportBuilder};
pub use tls::{CHIA_SERVER_NAME, ServerVerification};

use crate::error::{ErrorKind, TimeLimit};
use crate::transport::{BoxFuture, CallOptions, RawRequest, Transport};
use crate::{ChiaConfig, Error, Result, Service};

/// Carries requests to Chia services over HTTPS with mutual TLS.
///
/// One transport serves every service: each has its own base URL and client certificate, and
/// connections are pooled and reused. Wrap it in a [`crate::Client`] for typed calls.
pub struct HttpsTransport {
    /// Per service: where it is and how to reach it, or why it cannot be reached.
    targets: BTreeMap<Service, std::result::Result<Target, ErrorKind>>,
    /// The time and size limits of calls that set none of their own.
    limits: Limits,
}

struct Target {
    base_url: String,
    http: reqwest::Client,
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
        let exchange = target
            .http
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .body(request.body)
            .send();
        // The service computes its whole reply before sending its head, so until the head
        // comes only the total limit applies.
        let mut response = timeout_at(deadline, exchange)
            .await
            .map_err(|_| total())?
            .map_err(|err| failure(&url, err, Stage::Exchange, &limits))?;
        let status = response.status();
        let limit = limits.max_reply_size;
        let announced = response.content_length();
        if let Some(size) = announced.filter(|&size| size > limit as u64) {
            return Err(Error::too_large(
                format!("the reply of {url}"),
                Some(usize::try_from(size).unwrap_or(usize::MAX)),
                limit,
            ));
        }
        let capacity = announced.map_or(0, |size| size as usize).min(limit);
        let mut body = BytesMut::with_capacity(capacity);
        loop {
            let next = timeout_at(deadline, timeout(limits.read_idle, response.chunk()))
                .await
                .map_err(|_| total())?
                .map_err(|_| Error::timeout_of(&url, TimeLimit::ReadIdle, limits.read_idle))?
                .map_err(|err| failure(&url, err, Stage::Body, &limits))?;
            let Some(chunk) = next else { break };
            if body.len() + chunk.len() > limit {
                return Err(Error::too_large(format!("the reply of {url}"), None, limit));
            }
            body.extend_from_slice(&chunk);
        }
        let body = body.freeze();
        if status != reqwest::StatusCode::OK {
            return Err(Error::http_status(url, status.as_u16(), body));
        }
        Ok(body)
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

/// Where a call was when reqwest failed.
#[derive(Clone, Copy)]
enum Stage {
    /// Connecting, sending, or waiting for the reply's head.
    Exchange,
    /// Reading the reply's body.
    Body,
}

/// Classifies a reqwest failure, keeping its innermost cause readable.
fn failure(url: &str, err: reqwest::Error, stage: Stage, limits: &Limits) -> Error {
    let error = if err.is_timeout() && err.is_connect() {
        Error::timeout_of(url, TimeLimit::Connect, limits.connect)
    } else if err.is_timeout() {
        Error::timeout_of(url, TimeLimit::Total, limits.total)
    } else {
        let mut reason = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            reason = cause.to_string();
            source = cause.source();
        }
        match stage {
            // Under TLS 1.3 the server refuses a client certificate after the client's side of
            // the handshake is done, so the refusal arrives as the request goes out. The
            // service never saw the request: no connection was made.
            Stage::Exchange if err.is_connect() || tls_refusal(&err) => Error::connect(url, reason),
            _ => Error::connection_lost(url, reason),
        }
    };
    error.with_source(err)
}

/// Whether a TLS error (a fatal alert, a refused certificate) is among the causes.
fn tls_refusal(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
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
