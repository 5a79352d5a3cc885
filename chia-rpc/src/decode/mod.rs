//! Turning a reply body into a typed response or a typed error.
//!
//! A reply is decoded in one pass: the response type reads its fields while the root's
//! `success` key is taken aside. Only a reply that does not decode as a success is read again —
//! for its failure envelope (`error`, `structuredError`, `traceback`), or to name the JSON path
//! at fault. Nothing goes through `serde_json::Value`, so uint128 values arrive intact.
//!
//! [`Strictness`] is chosen at run time, per client or per call: [`Strictness::Strict`] refuses
//! fields and enum values the model does not know, in the same build where
//! [`Strictness::Lenient`] (the default) accepts them.

mod enums;
mod envelope;
mod root;

use std::cell::Cell;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::{Body, DecodeFailure, ErrorKind};
use crate::{Endpoint, Error, Result};
use envelope::Envelope;
use root::Root;

pub use enums::string_enum;

/// How values the model does not know are treated when a reply is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Strictness {
    /// Ignore fields the model does not know and keep unknown enum values as `Other` (a newer
    /// node may send both).
    #[default]
    Lenient,
    /// Refuse any field or enum value the model does not know: for conformance checks.
    Strict,
}

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Whether the decode running on this thread refuses values the model does not know.
///
/// Generated enums ask this when they meet a value they do not know: a strict decode fails
/// there, a lenient one keeps the value. Outside [`decode_response`] (for instance with a plain
/// `serde_json::from_str`) decoding is lenient.
pub fn refuses_unknown_values() -> bool {
    STRICT.with(Cell::get)
}

/// Sets the thread's strictness for as long as it lives. Decoding never awaits, so the setting
/// cannot leak into another task.
struct StrictScope {
    previous: bool,
}

impl StrictScope {
    fn enter(strictness: Strictness) -> Self {
        let strict = strictness == Strictness::Strict;
        StrictScope { previous: STRICT.with(|cell| cell.replace(strict)) }
    }
}

impl Drop for StrictScope {
    fn drop(&mut self) {
        STRICT.with(|cell| cell.set(self.previous));
    }
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

/// Decodes the reply `body` of endpoint `E`: its typed response, [`ErrorKind::Rpc`] for
/// `success: false`, or [`ErrorKind::Decode`] naming the JSON path at fault.
pub fn decode_response<E: Endpoint>(body: Bytes, strictness: Strictness) -> Result<E::Response> {
    decode(E::NAME, body, strictness, E::SENSITIVE)
}

/// [`decode_response`] for a type known only by its endpoint's name.
pub fn decode_reply<T: DeserializeOwned>(
    endpoint: &str,
    body: Bytes,
    strictness: Strictness,
) -> Result<T> {
    decode(endpoint, body, strictness, false)
}

fn decode<T: DeserializeOwned>(
    endpoint: &str,
    body: Bytes,
    strictness: Strictness,
    sensitive: bool,
) -> Result<T> {
    let _scope = StrictScope::enter(strictness);
    let mut success = None;
    let mut unknown = Vec::new();
    let decoded = {
        let mut json = serde_json::Deserializer::from_slice(&body);
        let root = Root::new(&mut json, &mut success);
        let value = match strictness {
            Strictness::Lenient => T::deserialize(root),
            Strictness::Strict => T::deserialize(serde_ignored::Deserializer::new(
                root,
                &mut |path: serde_ignored::Path<'_>| unknown.push(json_path(&path)),
            )),
        };
        value.and_then(|value| json.end().map(|()| value))
    };
    let fail = |path: String, message: String| {
        let message = bounded_message(&message, sensitive);
        let body = if sensitive { Body::sensitive(body.clone()) } else { Body::new(body.clone()) };
        Error::new(ErrorKind::Decode(DecodeFailure {
            endpoint: endpoint.to_owned(),
            path,
            message,
            body,
        }))
    };
    let decoded = match (decoded, success) {
        (Ok(value), Some(true)) => {
            return match unknown.split_first() {
                None => Ok(value),
                Some((first, rest)) => Err(fail(first.clone(), unknown_message(rest))),
            };
        }
        (other, _) => other,
    };
    // Not a success that decodes: a failure reply, or a reply that does not fit the model.
    match Envelope::read(&body) {
        Some(envelope) if envelope.success == Some(false) => {
            Err(Error::new(ErrorKind::Rpc(envelope.into_failure(endpoint))))
        }
        Some(envelope) if envelope.success.is_none() => {
            Err(fail(".".to_owned(), "the reply has no `success` field".to_owned()))
        }
        _ => {
            let reason = decoded.err().map(|err| err.to_string());
            let (path, message) = locate::<T>(&body).unwrap_or_else(|| {
                (".".to_owned(), reason.unwrap_or_else(|| "not a valid reply".to_owned()))
            });
            Err(fail(path, message))
        }
    }
}

/// Decodes the `data` of a push from the daemon as `T`. Unlike a reply, a push needs no
/// `success` (services add `success: true`, the daemon's own pushes may not): the key is
/// taken aside whatever it says. `what` names the push in errors (`chia_wallet push
/// state_changed`).
pub fn decode_event<T: DeserializeOwned>(
    what: &str,
    data: &[u8],
    strictness: Strictness,
) -> Result<T> {
    let _scope = StrictScope::enter(strictness);
    let mut success = None;
    let mut unknown = Vec::new();
    let decoded = {
        let mut json = serde_json::Deserializer::from_slice(data);
        let root = Root::new(&mut json, &mut success);
        let value = match strictness {
            Strictness::Lenient => T::deserialize(root),
            Strictness::Strict => T::deserialize(serde_ignored::Deserializer::new(
                root,
                &mut |path: serde_ignored::Path<'_>| unknown.push(json_path(&path)),
            )),
        };
        value.and_then(|value| json.end().map(|()| value))
    };
    let fail = |path: String, message: String| {
        Error::new(ErrorKind::Decode(DecodeFailure {
            endpoint: what.to_owned(),
            path,
            message: bounded_message(&message, false),
            body: Body::new(Bytes::copy_from_slice(data)),
        }))
    };
    match decoded {
        Ok(value) => match unknown.split_first() {
            None => Ok(value),
            Some((first, rest)) => Err(fail(first.clone(), unknown_message(rest))),
        },
        Err(err) => {
            let (path, message) =
                locate::<T>(data).unwrap_or_else(|| (".".to_owned(), err.to_string()));
            Err(fail(path, message))
        }
    }
}

/// The longest decode message kept, in characters.
const MESSAGE_CHARS: usize = 300;

/// A decode message fit to print: serde quotes the value it refused, which may be megabytes
/// long — or a secret. Long messages are cut; in the reply of an endpoint that carries secrets,
/// every quoted value is blanked.
fn bounded_message(message: &str, sensitive: bool) -> String {
    let mut out = String::new();
    let mut quoted = None;
    for c in message.chars() {
        if sensitive {
            match quoted {
                Some(close) if c == close => quoted = None,
                Some(_) => continue,
                None if c == '"' || c == '`' => {
                    quoted = Some(c);
                    out.push(c);
                    out.push('…');
                    continue;
                }
                None => {}
            }
        }
        if out.chars().count() >= MESSAGE_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

fn unknown_message(others: &[String]) -> String {
    let mut message = "a field the model does not know".to_owned();
    if !others.is_empty() {
        message.push_str(&format!(" (and {} more: {})", others.len(), others.join(", ")));
    }
    message
}

/// Decodes `body` as `T` again, tracking where it is: the path and reason of the failure.
fn locate<T: DeserializeOwned>(body: &[u8]) -> Option<(String, String)> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let mut success = None;
    match serde_path_to_error::deserialize::<_, T>(Root::new(&mut json, &mut success)) {
        Err(err) => Some((display_path(err.path()), err.into_inner().to_string())),
        Ok(_) => json.end().err().map(|err| (".".to_owned(), err.to_string())),
    }
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
mod tests;
