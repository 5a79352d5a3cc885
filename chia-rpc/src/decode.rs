//! Turning a reply body into a typed response or a typed error.
//!
//! Every reply is checked in two steps: a small envelope (`success`, `error`,
//! `structuredError`, `traceback`) decides between success and failure, then a success body is
//! decoded into the endpoint's response type. Neither step goes through `serde_json::Value`, so
//! uint128 values arrive intact.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::{DecodeFailure, ErrorKind, RpcErrorCode, RpcFailure};
use crate::{Endpoint, Error, Result};

/// How unknown fields in a reply are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Ignore fields the model does not know (a newer node may add some).
    #[default]
    Lenient,
    /// Refuse any field the model does not know: for conformance checks.
    Strict,
}

/// A serde `deserialize_with` helper for nullable fields: the key must be present, its value may
/// be `null`. (Serde otherwise treats a missing `Option` field as `None`.)
pub fn nullable<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// The fields every reply shares. Other fields are skipped without being buffered.
#[derive(Deserialize)]
struct Envelope {
    success: Option<bool>,
    error: Option<String>,
    #[serde(rename = "structuredError")]
    structured_error: Option<StructuredError>,
    traceback: Option<String>,
    // Some routes (`set_log_level`) fail with a list of messages and no `error`.
    errors: Option<Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
struct StructuredError {
    code: Option<String>,
    message: Option<String>,
    // The data's shape depends on the code; upstream declares it as a free-form dict.
    data: Option<serde_json::Value>,
}

/// Decodes the reply `body` of endpoint `E`: its typed response, [`ErrorKind::Rpc`] for
/// `success: false`, or [`ErrorKind::Decode`] naming the JSON path at fault.
pub fn decode_response<E: Endpoint>(body: &[u8], strictness: Strictness) -> Result<E::Response> {
    decode_reply(E::NAME, body, strictness)
}

/// [`decode_response`] for a response type known only by its endpoint name.
pub fn decode_reply<T: DeserializeOwned>(
    endpoint: &str,
    body: &[u8],
    strictness: Strictness,
) -> Result<T> {
    let fail = |path: &str, message: String| {
        Error::new(ErrorKind::Decode(DecodeFailure {
            endpoint: endpoint.to_owned(),
            path: path.to_owned(),
            message,
            body: String::from_utf8_lossy(body).into_owned(),
        }))
    };
    // The envelope parse skips every other field without buffering it.
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) => {
            let err = located::<Envelope>(body).err();
            let (path, message) =
                err.unwrap_or_else(|| (".".to_owned(), "invalid JSON".to_owned()));
            return Err(fail(&path, message));
        }
    };
    match envelope.success {
        None => return Err(fail(".", "the reply has no `success` field".to_owned())),
        Some(false) => return Err(rpc_failure(endpoint, envelope)),
        Some(true) => {}
    }

    // The fast path decodes without tracking paths; only a failure is decoded again to name
    // the path at fault.
    let mut unknown = Vec::new();
    let decoded = match strictness {
        Strictness::Lenient => serde_json::from_slice::<T>(body),
        Strictness::Strict => {
            let mut json = serde_json::Deserializer::from_slice(body);
            let mut record_unknown = |path: serde_ignored::Path<'_>| unknown.push(json_path(&path));
            T::deserialize(serde_ignored::Deserializer::new(&mut json, &mut record_unknown))
                .and_then(|value| json.end().map(|()| value))
        }
    };
    let value = match decoded {
        Ok(value) => value,
        Err(err) => {
            let (path, message) =
                located::<T>(body).err().unwrap_or_else(|| (".".to_owned(), err.to_string()));
            return Err(fail(&path, message));
        }
    };
    if let Some(path) = unknown.first() {
        let more = match unknown.len() {
            1 => String::new(),
            n => format!(" (and {} more: {})", n - 1, unknown[1..].join(", ")),
        };
        return Err(fail(path, format!("unknown field `{path}`{more}")));
    }
    Ok(value)
}

/// Decodes `body` as `T` tracking where it is, for the error of a decode that failed.
fn located<T: DeserializeOwned>(body: &[u8]) -> std::result::Result<T, (String, String)> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize::<_, T>(&mut json)
        .map_err(|err| (display_path(err.path()), err.into_inner().to_string()))?;
    json.end().map_err(|err| (".".to_owned(), err.to_string()))?;
    Ok(value)
}

fn rpc_failure(endpoint: &str, envelope: Envelope) -> Error {
    let structured = envelope.structured_error;
    let message = envelope
        .error
        .or_else(|| structured.as_ref().and_then(|s| s.message.clone()))
        .or_else(|| envelope.errors.as_deref().map(join_messages))
        .unwrap_or_else(|| "the node gave no reason".to_owned());
    Error::new(ErrorKind::Rpc(RpcFailure {
        endpoint: endpoint.to_owned(),
        message,
        code: structured.as_ref().and_then(|s| s.code.as_deref()).map(RpcErrorCode::from_wire),
        structured_message: structured.as_ref().and_then(|s| s.message.clone()),
        data: structured.and_then(|s| s.data),
        traceback: envelope.traceback,
    }))
}

/// Joins an `errors` list into one message; strings unquoted, anything else as JSON.
fn join_messages(errors: &[serde_json::Value]) -> String {
    let texts: Vec<String> = errors
        .iter()
        .map(|error| match error {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    texts.join("; ")
}

/// Writes an ignored-field path the way [`serde_path_to_error`] does: `a.b[2].c`.
fn json_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", json_path(parent)),
        Path::Map { parent, key } => match json_path(parent) {
            prefix if prefix.is_empty() => key.clone(),
            prefix => format!("{prefix}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => json_path(parent),
    }
}

fn display_path(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text.is_empty() { ".".to_owned() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Reply {
        success: bool,
        space: u128,
        peak: Option<Peak>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Peak {
        height: u32,
    }

    #[test]
    fn keeps_u128_above_u64() {
        let body =
            br#"{"success": true, "space": 340282366920938463463374607431768211455, "peak": null}"#;
        let reply: Reply = decode_reply("x", body, Strictness::Strict).unwrap();
        assert_eq!(reply.space, u128::MAX);
    }

    #[test]
    fn names_the_path_of_a_bad_value() {
        let body = br#"{"success": true, "space": 1, "peak": {"height": "high"}}"#;
        let err = decode_reply::<Reply>("get_x", body, Strictness::Lenient).unwrap_err();
        let failure = err.decode_failure().unwrap();
        assert_eq!(failure.path, "peak.height");
        assert!(failure.body.contains("high"));
    }

    #[test]
    fn strict_refuses_unknown_fields_lenient_does_not() {
        let body = br#"{"success": true, "space": 1, "peak": {"height": 2, "new": 1}}"#;
        assert!(decode_reply::<Reply>("x", body, Strictness::Lenient).is_ok());
        let err = decode_reply::<Reply>("x", body, Strictness::Strict).unwrap_err();
        assert_eq!(err.decode_failure().unwrap().path, "peak.new");
    }

    #[test]
    fn failure_envelope_becomes_rpc_error() {
        let body = br#"{"success": false, "error": "no block", "structuredError": {"code": "BLOCK_NOT_FOUND", "message": "no block", "data": {"h": 1}}, "traceback": "tb"}"#;
        let err = decode_reply::<Reply>("get_block", body, Strictness::Strict).unwrap_err();
        let failure = err.rpc_failure().unwrap();
        assert_eq!(failure.code, Some(RpcErrorCode::BlockNotFound));
        assert_eq!(failure.message, "no block");
        assert_eq!(failure.traceback.as_deref(), Some("tb"));
    }

    #[test]
    fn a_failure_with_only_an_errors_list_keeps_them() {
        let body = br#"{"success": false, "errors": ["unknown level: LOUD"], "level": "INFO"}"#;
        let err = decode_reply::<Reply>("set_log_level", body, Strictness::Lenient).unwrap_err();
        assert_eq!(err.rpc_failure().unwrap().message, "unknown level: LOUD");
    }

    #[test]
    fn garbage_and_missing_success_are_decode_errors() {
        for body in [&b"<html>"[..], b"{\"x\": 1}", b"", b"{\"success\": true} trailing"] {
            let err =
                decode_reply::<serde::de::IgnoredAny>("x", body, Strictness::Lenient).unwrap_err();
            assert!(err.decode_failure().is_some(), "{body:?}: {err}");
        }
    }
}
