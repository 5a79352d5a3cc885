//! The one error type of chia-rpc.
//!
//! Transports build their failures with the public constructors ([`Error::connect`],
//! [`Error::timeout`], [`Error::http_status`], …), so a transport written outside this crate
//! reports the same kinds as the built-in ones.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;

mod body;
mod failure;

use crate::RpcErrorCode;
pub use body::Body;
pub use failure::{DecodeFailure, RpcFailure};

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Anything that went wrong while configuring a client, sending a request or reading its reply.
///
/// [`Error::kind`] says what happened, with the details a caller may act on; predicates such as
/// [`Error::is_timeout`] answer the common questions; [`std::error::Error::source`] gives the
/// underlying cause where there is one. `Debug` and `Display` never print a whole reply body.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A configuration file or value is missing or unusable.
    Config {
        /// The file, when a file is at fault.
        file: Option<PathBuf>,
        /// The key inside the configuration (`full_node.rpc_port`), when one is at fault.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The TLS set-up failed: a certificate or key could not be loaded or used.
    Tls {
        /// What is wrong.
        message: String,
    },
    /// No connection could be made: refused, unreachable, or the TLS handshake was rejected.
    /// Nothing was sent, so the call can be retried.
    Connect {
        /// What was being called (a URL, or a transport's own description).
        url: String,
        /// The innermost cause, e.g. `Connection refused` or a certificate complaint.
        reason: String,
    },
    /// The connection broke after the request was sent, before the whole reply arrived. The
    /// service may or may not have acted on the request.
    ConnectionLost {
        /// What was being called.
        url: String,
        /// The innermost cause.
        reason: String,
    },
    /// A time limit ran out before the reply was complete.
    Timeout {
        /// What was being called.
        url: String,
        /// Which limit ran out.
        limit: TimeLimit,
        /// How long that limit was, when known.
        after: Option<Duration>,
    },
    /// The service answered with an HTTP status other than 200 (it does for unknown routes,
    /// wrong methods, oversized or malformed bodies, with a plain-text body).
    HttpStatus {
        /// What was called.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The body of the answer.
        body: Body,
    },
    /// A message is larger than the limit of the connection (the daemon's WebSocket takes
    /// messages up to 50 MB by default, the HTTPS transport replies up to 100 MB). An outgoing
    /// one was not sent; an incoming one was given up before it was all read (on the daemon's
    /// WebSocket it broke the connection, so the calls waiting on it fail with this).
    TooLarge {
        /// What was too large (`the get_blocks request to chia_full_node`, `a message from the
        /// daemon`).
        what: String,
        /// Its size in bytes, when known.
        size: Option<usize>,
        /// The limit in bytes.
        limit: usize,
    },
    /// The request does not fit the endpoint's model, or could not be encoded as JSON.
    InvalidRequest {
        /// The endpoint.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// The reply is not what the typed model expects.
    Decode(DecodeFailure),
    /// The service answered `success: false`.
    Rpc(RpcFailure),
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error { inner: Box::new(Inner { kind, source: None }) }
    }

    /// Attaches the underlying cause, returned by [`std::error::Error::source`].
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    /// The same error with any reply body it carries never shown: for the replies of endpoints
    /// that return secrets.
    pub(crate) fn hiding_body(mut self) -> Self {
        if let ErrorKind::HttpStatus { body, .. } = &mut self.inner.kind {
            *body = Body::sensitive(body.bytes().clone());
        }
        self
    }

    /// A configuration problem, naming the file and key at fault when there are ones.
    pub fn config(file: Option<PathBuf>, key: Option<&str>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config { file, key: key.map(str::to_owned), message: message.into() })
    }

    /// A TLS set-up problem.
    pub fn tls(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Tls { message: message.into() })
    }

    /// No connection could be made to `url`; nothing was sent.
    pub fn connect(url: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::new(ErrorKind::Connect { url: url.into(), reason: reason.into() })
    }

    /// The connection to `url` broke after the request was sent.
    pub fn connection_lost(url: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::new(ErrorKind::ConnectionLost { url: url.into(), reason: reason.into() })
    }

    /// No reply came from `url` within the call's total time.
    pub fn timeout(url: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout { url: url.into(), limit: TimeLimit::Total, after: None })
    }

    /// `limit`, of length `after`, ran out while calling `url`.
    pub fn timeout_of(url: impl Into<String>, limit: TimeLimit, after: Duration) -> Self {
        Error::new(ErrorKind::Timeout { url: url.into(), limit, after: Some(after) })
    }

    /// `url` answered with an HTTP status other than 200.
    pub fn http_status(url: impl Into<String>, status: u16, body: impl Into<Bytes>) -> Self {
        Error::new(ErrorKind::HttpStatus { url: url.into(), status, body: Body::new(body) })
    }

    /// A message larger than `limit` bytes (`size`, when known).
    pub fn too_large(what: impl Into<String>, size: Option<usize>, limit: usize) -> Self {
        Error::new(ErrorKind::TooLarge { what: what.into(), size, limit })
    }

    /// A request that does not fit `endpoint`'s model.
    pub fn invalid_request(endpoint: &str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidRequest {
            endpoint: endpoint.to_owned(),
            message: message.into(),
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        self.inner.kind
    }

    /// The reply was `success: false`; returns its details.
    pub fn rpc_failure(&self) -> Option<&RpcFailure> {
        match &self.inner.kind {
            ErrorKind::Rpc(failure) => Some(failure),
            _ => None,
        }
    }

    /// The reply did not decode; returns the path, the reason and the body.
    pub fn decode_failure(&self) -> Option<&DecodeFailure> {
        match &self.inner.kind {
            ErrorKind::Decode(failure) => Some(failure),
            _ => None,
        }
    }

    /// The `structuredError` code of a `success: false` reply, when the node sent one.
    pub fn rpc_code(&self) -> Option<&RpcErrorCode> {
        self.rpc_failure().and_then(|failure| failure.code.as_ref())
    }

    /// A time limit ran out ([`Error::time_limit`] says which).
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Timeout { .. })
    }

    /// The time limit that ran out, for [`ErrorKind::Timeout`].
    pub fn time_limit(&self) -> Option<TimeLimit> {
        match self.inner.kind {
            ErrorKind::Timeout { limit, .. } => Some(limit),
            _ => None,
        }
    }

    /// No connection could be made (nothing was sent).
    pub fn is_connect(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Connect { .. })
    }

    /// The connection broke while the reply was awaited or read.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::ConnectionLost { .. })
    }

    /// A configuration problem.
    pub fn is_config(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Config { .. })
    }

    /// A TLS set-up problem.
    pub fn is_tls(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Tls { .. })
    }

    /// The reply did not match the typed model.
    pub fn is_decode(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Decode(_))
    }

    /// The service answered `success: false`.
    pub fn is_rpc(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Rpc(_))
    }

    /// A message was larger than the connection's limit.
    pub fn is_too_large(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::TooLarge { .. })
    }

    /// The HTTP status, for [`ErrorKind::HttpStatus`].
    pub fn status(&self) -> Option<u16> {
        match self.inner.kind {
            ErrorKind::HttpStatus { status, .. } => Some(status),
            _ => None,
        }
    }
}

/// The time limits of a call, each set per transport and, except connecting, per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeLimit {
    /// Making the connection (TCP and TLS) took too long. Nothing was sent.
    Connect,
    /// The reply had begun, then nothing more came for too long: the service, or the path to
    /// it, stalled. The service may have acted on the request.
    ReadIdle,
    /// The whole call took too long. A reply that kept arriving but too slowly ends here too.
    Total,
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.kind {
            ErrorKind::Config { file, key, message } => {
                f.write_str("configuration")?;
                if let Some(file) = file {
                    write!(f, " {}", file.display())?;
                }
                if let Some(key) = key {
                    write!(f, " key `{key}`")?;
                }
                write!(f, ": {message}")
            }
            ErrorKind::Tls { message } => write!(f, "TLS set-up: {message}"),
            ErrorKind::Connect { url, reason } => write!(f, "connecting to {url} failed: {reason}"),
            ErrorKind::ConnectionLost { url, reason } => {
                write!(f, "the connection to {url} broke before the whole reply came: {reason}")
            }
            ErrorKind::Timeout { url, limit, after } => {
                match limit {
                    TimeLimit::Connect => write!(f, "connecting to {url} took too long")?,
                    TimeLimit::ReadIdle => {
                        write!(f, "{url} stopped sending in the middle of its reply")?
                    }
                    TimeLimit::Total => write!(f, "no whole reply from {url} in time")?,
                }
                match after {
                    Some(after) => write!(f, " (limit {after:?})"),
                    None => Ok(()),
                }
            }
            ErrorKind::HttpStatus { url, status, body } => {
                write!(f, "{url} answered HTTP {status}: {}", body.preview().trim())
            }
            ErrorKind::TooLarge { what, size, limit } => {
                write!(f, "{what} is larger than the limit of {limit} bytes")?;
                match size {
                    Some(size) => write!(f, " ({size} bytes)"),
                    None => Ok(()),
                }
            }
            ErrorKind::InvalidRequest { endpoint, message } => {
                write!(f, "invalid {endpoint} request: {message}")
            }
            ErrorKind::Decode(failure) => fmt::Display::fmt(failure, f),
            ErrorKind::Rpc(failure) => fmt::Display::fmt(failure, f),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_deref().map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// The innermost cause of an error, which is the readable one (the outer layers of a network
/// error mostly say where it happened, not what).
pub(crate) fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut reason = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        reason = cause.to_string();
        source = cause.source();
    }
    reason
}
