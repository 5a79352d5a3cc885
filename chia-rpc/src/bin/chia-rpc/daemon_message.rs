//! `chia-rpc decode daemon-message`: checks captured daemon WebSocket messages — requests,
//! replies (the daemon's own and relayed ones) and pushes — as whole envelopes with typed data.

use std::collections::BTreeMap;

use bytes::Bytes;
use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::{Endpoint, EndpointVisitor, Error, ErrorKind, Event, Service, visit_endpoint};
use serde::Deserialize;
use serde_json::value::RawValue;

/// What checking one message found.
pub enum Outcome {
    /// It decodes; the text says what it was.
    Decodes(String),
    /// A well-formed reply saying `success: false`.
    Failure(String),
    /// It does not fit the model.
    Invalid(String),
}

/// The six keys of every message.
const ENVELOPE_KEYS: [&str; 6] = ["command", "ack", "data", "request_id", "destination", "origin"];

#[derive(Deserialize)]
struct Envelope<'a> {
    command: String,
    ack: bool,
    #[serde(borrow)]
    data: &'a RawValue,
    request_id: String,
    destination: String,
    origin: String,
}

/// Splits `input` into messages: one JSON object, or one per line.
pub fn messages(input: &str) -> Vec<(usize, &str)> {
    let trimmed = input.trim();
    if serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok() {
        return vec![(1, trimmed)];
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line.trim()))
        .collect()
}

/// Checks one message.
pub fn check(text: &str, strictness: Strictness) -> Outcome {
    let keys: BTreeMap<String, serde::de::IgnoredAny> = match serde_json::from_str(text) {
        Ok(keys) => keys,
        Err(err) => return Outcome::Invalid(format!("not a JSON object: {err}")),
    };
    if strictness == Strictness::Strict
        && let Some(extra) = keys.keys().find(|key| !ENVELOPE_KEYS.contains(&key.as_str()))
    {
        return Outcome::Invalid(format!("at `{extra}`: a field the envelope does not have"));
    }
    let envelope: Envelope<'_> = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(err) => return Outcome::Invalid(format!("not a daemon message envelope: {err}")),
    };
    let hex_id = envelope.request_id.len() == 64
        && envelope.request_id.bytes().all(|b| b.is_ascii_hexdigit());
    if strictness == Strictness::Strict && !hex_id {
        return Outcome::Invalid("at `request_id`: not 64 hex digits".to_owned());
    }
    if !envelope.data.get().trim_start().starts_with('{') {
        return Outcome::Invalid("at `data`: not a JSON object".to_owned());
    }
    let data = Bytes::copy_from_slice(envelope.data.get().as_bytes());
    if envelope.ack {
        return reply(&envelope, data, strictness);
    }
    if is_service(&envelope.destination) {
        return request(&envelope, &data);
    }
    match Event::decode(&envelope.origin, &envelope.command, &data, strictness) {
        Ok(_) => Outcome::Decodes(format!(
            "push {} from {} to {} decodes",
            envelope.command, envelope.origin, envelope.destination
        )),
        Err(err) => invalid(&err, "data"),
    }
}

/// Whether `name` is where requests go: the daemon or a service's daemon name.
fn is_service(name: &str) -> bool {
    Service::ALL.iter().any(|service| service.daemon_name() == Some(name))
}

/// The services answering as `origin` that serve `command` (the simulator answers as the full
/// node): the first one found.
fn responder(origin: &str, command: &str) -> Option<Service> {
    Service::ALL.iter().copied().find(|service| {
        service.daemon_name() == Some(origin)
            && chia_rpc::endpoint_names(*service).contains(&command)
    })
}

fn reply(envelope: &Envelope<'_>, data: Bytes, strictness: Strictness) -> Outcome {
    let Some(service) = responder(&envelope.origin, &envelope.command) else {
        return Outcome::Invalid(format!(
            "a reply to {} from {}, which the model has no endpoint for",
            envelope.command, envelope.origin
        ));
    };
    let what = format!("reply to {} from {}", envelope.command, envelope.origin);
    let visitor = ReplyVisitor { data, strictness };
    match visit_endpoint(service, &envelope.command, visitor) {
        Some(Ok(())) => Outcome::Decodes(format!("{what} decodes")),
        Some(Err(err)) => match err.kind() {
            ErrorKind::Rpc(failure) => {
                let code = failure.code.as_ref().map_or("(no code)", |code| code.as_str());
                Outcome::Failure(format!("{what}: failure reply: {code}: {}", failure.message))
            }
            _ => invalid(&err, "data"),
        },
        None => Outcome::Invalid(format!("{what}: no such endpoint")),
    }
}

fn request(envelope: &Envelope<'_>, data: &[u8]) -> Outcome {
    let service = Service::ALL
        .iter()
        .copied()
        .find(|service| service.daemon_name() == Some(envelope.destination.as_str()));
    let Some(service) = service else {
        return Outcome::Invalid(format!("no service is called {}", envelope.destination));
    };
    let what = format!("request {} to {}", envelope.command, envelope.destination);
    match visit_endpoint(service, &envelope.command, RequestVisitor { data }) {
        Some(Ok(())) => Outcome::Decodes(format!("{what} decodes")),
        Some(Err((path, reason))) => Outcome::Invalid(format!("{what}: at `data{path}`: {reason}")),
        None => Outcome::Invalid(format!("{what}: no such endpoint")),
    }
}

/// A decode error as `at `<prefix>.<path>`: <message>`.
fn invalid(err: &Error, prefix: &str) -> Outcome {
    match err.kind() {
        ErrorKind::Decode(failure) => {
            let path = if failure.path == "." {
                prefix.to_owned()
            } else {
                format!("{prefix}.{}", failure.path)
            };
            Outcome::Invalid(format!("at `{path}`: {}", failure.message))
        }
        _ => Outcome::Invalid(err.to_string()),
    }
}

struct ReplyVisitor {
    data: Bytes,
    strictness: Strictness,
}

impl EndpointVisitor for ReplyVisitor {
    type Output = chia_rpc::Result<()>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        decode_response::<E>(self.data, self.strictness).map(drop)
    }
}

struct RequestVisitor<'a> {
    data: &'a [u8],
}

impl EndpointVisitor for RequestVisitor<'_> {
    /// On failure: the path under `data` (empty, or `.a.b`) and the reason.
    type Output = Result<(), (String, String)>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        let mut json = serde_json::Deserializer::from_slice(self.data);
        serde_path_to_error::deserialize::<_, E>(&mut json).map(drop).map_err(|err| {
            let path = err.path().to_string();
            let path =
                if path.is_empty() || path == "." { String::new() } else { format!(".{path}") };
            (path, err.into_inner().to_string())
        })
    }
}
