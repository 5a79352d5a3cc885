//! The one error type of chia-rpc.

use std::fmt;
use std::path::PathBuf;

mod rpc_code;

pub use rpc_code::RpcErrorCode;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Anything that went wrong while configuring a client, sending a request or reading its reply.
///
/// [`Error::kind`] says what happened, with the details a caller may act on; predicates such as
/// [`Error::is_timeout`] answer the common questions; [`std::error::Error::source`] gives the
/// underlying cause where there is one.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A configuration file or value is missing or unusable.
    Config {
        /// The file, when a file is at fault.
        file: Option<PathBuf>,
        /// The key inside the file (`full_node.rpc_port`), when one is at fault.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The TLS set-up failed: a certificate or key could not be loaded or used.
    Tls {
        /// What is wrong.
        message: String,
    },
    /// The connection could not be made or broke (refused, reset, TLS handshake rejected).
    Connect {
        /// The URL that was being called.
        url: String,
        /// The innermost cause, e.g. `Connection refused` or a certificate complaint.
        reason: String,
    },
    /// No reply came within the configured timeout.
    Timeout {
        /// The URL that was being called.
        url: String,
    },
    /// The service answered with an HTTP status other than 200 (it does for unknown routes,
    /// wrong methods, oversized or malformed bodies, with a plain-text body).
    HttpStatus {
        /// The URL that was called.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The body as text (lossy UTF-8).
        body: String,
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

/// A reply that did not decode into the endpoint's response type.
#[derive(Debug, Clone)]
pub struct DecodeFailure {
    /// The endpoint whose reply it was.
    pub endpoint: String,
    /// JSON path of the value at fault, like `blockchain_state.peak.height` (`.` for the root).
    pub path: String,
    /// Why the value was refused.
    pub message: String,
    /// The complete body as received (lossy UTF-8).
    pub body: String,
}

/// A `success: false` reply.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcFailure {
    /// The endpoint that failed.
    pub endpoint: String,
    /// The `error` text.
    pub message: String,
    /// The `structuredError.code`, on nodes that send one.
    pub code: Option<RpcErrorCode>,
    /// The `structuredError.message`.
    pub structured_message: Option<String>,
    /// The `structuredError.data`: details whose shape depends on the code, so kept as JSON.
    pub data: Option<serde_json::Value>,
    /// The Python traceback the node included, if any.
    pub traceback: Option<String>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error { inner: Box::new(Inner { kind, source: None }) }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn config(
        file: Option<PathBuf>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Error::new(ErrorKind::Config { file, key: key.map(str::to_owned), message: message.into() })
    }

    pub(crate) fn tls(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Tls { message: message.into() })
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

    /// The reply did not decode; returns the path, reason and raw body.
    pub fn decode_failure(&self) -> Option<&DecodeFailure> {
        match &self.inner.kind {
            ErrorKind::Decode(failure) => Some(failure),
            _ => None,
        }
    }

    /// No reply came in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Timeout { .. })
    }

    /// The connection could not be made or broke.
    pub fn is_connect(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Connect { .. })
    }

    /// A configuration problem.
    pub fn is_config(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::Config { .. })
    }

    /// The HTTP status, for [`ErrorKind::HttpStatus`].
    pub fn status(&self) -> Option<u16> {
        match self.inner.kind {
            ErrorKind::HttpStatus { status, .. } => Some(status),
            _ => None,
        }
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
            ErrorKind::Timeout { url } => write!(f, "no reply from {url} in time"),
            ErrorKind::HttpStatus { url, status, body } => {
                write!(f, "{url} answered HTTP {status}: {}", body.trim())
            }
            ErrorKind::InvalidRequest { endpoint, message } => {
                write!(f, "invalid {endpoint} request: {message}")
            }
            ErrorKind::Decode(failure) => write!(
                f,
                "the {} reply does not match its type at `{}`: {}",
                failure.endpoint, failure.path, failure.message
            ),
            ErrorKind::Rpc(failure) => {
                write!(f, "{} failed", failure.endpoint)?;
                if let Some(code) = &failure.code {
                    write!(f, " ({code})")?;
                }
                write!(f, ": {}", failure.message)
            }
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
