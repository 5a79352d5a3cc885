//! What the generated [`Event`](crate::Event) needs beside the schema: the push the model does
//! not know.

use bytes::Bytes;

use crate::decode::Strictness;
use crate::error::{Body, DecodeFailure, ErrorKind};
use crate::{Error, Result};

/// A push whose `origin` and `command` the model does not know (or whose service's cargo
/// feature is off), kept as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// The envelope's `origin`.
    pub origin: String,
    /// The envelope's `command`.
    pub command: String,
    /// The push's `data`, as JSON text.
    pub data: String,
}

impl UnknownEvent {
    /// Keeps a push the model does not know; a strict decode refuses it instead, and `data`
    /// must be a JSON object either way.
    pub fn decode(
        origin: &str,
        command: &str,
        data: &[u8],
        strictness: Strictness,
    ) -> Result<UnknownEvent> {
        let fail = |message: String| {
            Error::from(ErrorKind::Decode(DecodeFailure {
                endpoint: format!("push {command} from {origin}"),
                path: ".".to_owned(),
                message,
                body: Body::new(Bytes::copy_from_slice(data)),
            }))
        };
        if strictness == Strictness::Strict {
            return Err(fail("a push the model does not know".to_owned()));
        }
        let text = std::str::from_utf8(data).map_err(|err| fail(format!("not UTF-8: {err}")))?;
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|err| fail(format!("not valid JSON: {err}")))?;
        if !text.trim_start().starts_with('{') {
            return Err(fail("the data is not a JSON object".to_owned()));
        }
        Ok(UnknownEvent {
            origin: origin.to_owned(),
            command: command.to_owned(),
            data: text.to_owned(),
        })
    }
}
