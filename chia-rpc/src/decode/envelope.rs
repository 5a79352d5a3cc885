//! Reading the envelope of a reply that did not decode as a success: is it a `success: false`
//! reply, and what does it say?

use serde::{Deserialize, Deserializer};

use crate::RpcErrorCode;
use crate::error::RpcFailure;

/// The keys a failure reply carries. Everything else is skipped without being buffered.
#[derive(Deserialize)]
pub(super) struct Envelope {
    pub(super) success: Option<bool>,
    error: Option<Text>,
    #[serde(rename = "structuredError")]
    structured_error: Option<StructuredError>,
    traceback: Option<Text>,
    // Some routes (`set_log_level`) fail with a list of messages and no `error`.
    errors: Option<Vec<Text>>,
}

#[derive(Deserialize)]
struct StructuredError {
    code: Option<Text>,
    message: Option<Text>,
    // The data's shape depends on the code; upstream declares it as a free-form dict.
    data: Option<serde_json::Value>,
}

/// Any JSON value as text: a string as it is, anything else as JSON.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Text(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        }))
    }
}

impl Envelope {
    /// Parses the envelope of `body`; `None` when it is not a JSON object.
    pub(super) fn read(body: &[u8]) -> Option<Envelope> {
        serde_json::from_slice(body).ok()
    }

    /// The failure this envelope reports for `endpoint`.
    pub(super) fn into_failure(self, endpoint: &str) -> RpcFailure {
        let structured = self.structured_error;
        let structured_message =
            structured.as_ref().and_then(|s| s.message.as_ref()).map(|text| text.0.clone());
        let message = self
            .error
            .map(|text| text.0)
            .or_else(|| structured_message.clone())
            .or_else(|| self.errors.map(|errors| join(&errors)))
            .unwrap_or_else(|| "the node gave no reason".to_owned());
        RpcFailure {
            endpoint: endpoint.to_owned(),
            message,
            code: structured
                .as_ref()
                .and_then(|s| s.code.as_ref())
                .map(|code| RpcErrorCode::from_wire(&code.0)),
            structured_message,
            data: structured.and_then(|s| s.data),
            traceback: self.traceback.map(|text| text.0),
        }
    }
}

fn join(errors: &[Text]) -> String {
    let texts: Vec<&str> = errors.iter().map(|text| text.0.as_str()).collect();
    texts.join("; ")
}
