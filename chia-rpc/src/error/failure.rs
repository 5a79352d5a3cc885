//! The two ways a reply can fail: it does not decode, or it says `success: false`.

use std::fmt;

use super::{Body, RpcErrorCode};

/// A reply that did not decode into the endpoint's response type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeFailure {
    /// The endpoint whose reply it was; for a push from the daemon, `push <command> from
    /// <origin>`.
    pub endpoint: String,
    /// JSON path of the value at fault, like `blockchain_state.peak.height` (`.` for the root).
    pub path: String,
    /// Why the value was refused.
    pub message: String,
    /// The body as received.
    pub body: Body,
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.endpoint.starts_with("push ") {
            write!(f, "the {}", self.endpoint)?;
        } else {
            write!(f, "the {} reply", self.endpoint)?;
        }
        write!(f, " does not match its type at `{}`: {}", self.path, self.message)
    }
}

/// A `success: false` reply.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RpcFailure {
    /// The endpoint that failed.
    pub endpoint: String,
    /// The `error` text (or, without one, the `structuredError` message or the `errors` list).
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

impl fmt::Display for RpcFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.endpoint)?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", self.message)
    }
}
