//! Sending one request, checked against the typed model first, and printing the reply.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::process::ExitCode;

use chia_rpc::transport::CallOptions;
use chia_rpc::{Client, Endpoint, EndpointVisitor, Error, ErrorKind, Service};
use serde_json::value::RawValue;

/// How the reply is printed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The decoded model, indented.
    Pretty,
    /// The decoded model on one line (to pick a value from).
    Compact,
    /// The node's bytes.
    Raw,
}

/// Sends a request given as JSON to the endpoint it is visited with; yields the reply's text.
pub struct CallVisitor<'a> {
    pub client: &'a Client,
    pub service: Service,
    pub request: &'a str,
    pub format: Format,
}

type CallFuture<'a> = Pin<Box<dyn Future<Output = chia_rpc::Result<String>> + 'a>>;

impl<'a> EndpointVisitor for CallVisitor<'a> {
    type Output = CallFuture<'a>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        Box::pin(async move {
            let request: E = parse_request(self.request)?;
            if self.format == Format::Raw {
                let body = serde_json::to_vec(&request).map_err(|err| invalid(E::NAME, err))?;
                let reply =
                    self.client.send_raw(self.service, E::NAME, body, CallOptions::new()).await?;
                return Ok(String::from_utf8_lossy(&reply).into_owned());
            }
            let response = self.client.call_on(self.service, request).await?;
            let text = match self.format {
                Format::Pretty => serde_json::to_string_pretty(&response),
                _ => serde_json::to_string(&response),
            };
            text.map_err(|err| invalid(E::NAME, err))
        })
    }
}

/// Checks a request given as JSON against the endpoint's model and yields what would be sent.
pub struct CheckVisitor<'a> {
    pub request: &'a str,
}

impl EndpointVisitor for CheckVisitor<'_> {
    type Output = chia_rpc::Result<String>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        let request: E = parse_request(self.request)?;
        serde_json::to_string_pretty(&request).map_err(|err| invalid(E::NAME, err))
    }
}

/// Parses the request JSON against the endpoint's model, naming the path of a value that does
/// not fit and telling input that is not JSON at all apart.
pub fn parse_request<E: Endpoint>(json: &str) -> chia_rpc::Result<E> {
    if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(json) {
        return Err(invalid(E::NAME, format!("not valid JSON: {err}")));
    }
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(json)).map_err(|err| {
        let path = err.path().to_string();
        let reason = err.into_inner();
        if path.is_empty() || path == "." {
            invalid(E::NAME, reason)
        } else {
            invalid(E::NAME, format!("at `{path}`: {reason}"))
        }
    })
}

fn invalid(endpoint: &str, reason: impl std::fmt::Display) -> Error {
    Error::invalid_request(endpoint, reason.to_string())
}

/// The request body: the keys of `base` (a JSON object, if given), then `fields` over them.
pub fn compose(base: Option<&str>, fields: Vec<(&str, String)>) -> Result<String, String> {
    let mut object: BTreeMap<String, Box<RawValue>> = match base {
        Some(json) => serde_json::from_str(json)
            .map_err(|err| format!("--json must be a JSON object: {err}"))?,
        None => BTreeMap::new(),
    };
    for (key, value) in fields {
        let value = RawValue::from_string(value).map_err(|err| format!("{key}: {err}"))?;
        object.insert(key.to_owned(), value);
    }
    serde_json::to_string(&object).map_err(|err| err.to_string())
}

/// The value at `path` (`a.b.0.c`: keys of objects, indexes of arrays) in the JSON `text`:
/// a string as its text, anything else as JSON.
pub fn pick(text: &str, path: &str) -> Result<String, String> {
    let mut current: &RawValue =
        serde_json::from_str(text).map_err(|err| format!("the reply is not JSON: {err}"))?;
    let mut walked = Vec::new();
    for step in path.split('.').filter(|step| !step.is_empty()) {
        walked.push(step);
        let here = || format!("the reply has no `{}`", walked.join("."));
        let json = current.get();
        current = match json.trim_start().chars().next() {
            Some('{') => {
                let object: BTreeMap<&str, &RawValue> =
                    serde_json::from_str(json).map_err(|err| err.to_string())?;
                *object.get(step).ok_or_else(here)?
            }
            Some('[') => {
                let array: Vec<&RawValue> =
                    serde_json::from_str(json).map_err(|err| err.to_string())?;
                let index: usize = step.parse().map_err(|_| here())?;
                *array.get(index).ok_or_else(here)?
            }
            _ => return Err(here()),
        };
    }
    match serde_json::from_str::<String>(current.get()) {
        Ok(text) => Ok(text),
        Err(_) => Ok(current.get().trim().to_owned()),
    }
}

/// Prints the outcome; exit 3 marks a well-formed `success: false` reply.
pub fn report(outcome: chia_rpc::Result<String>) -> ExitCode {
    match outcome {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(err) => match err.kind() {
            ErrorKind::Rpc(failure) => {
                let code = failure.code.as_ref().map_or("(no code)", |code| code.as_str());
                println!("failure reply: {code}: {}", failure.message);
                ExitCode::from(3)
            }
            ErrorKind::Decode(failure) => {
                eprintln!("error: at `{}`: {}", failure.path, failure.message);
                ExitCode::from(1)
            }
            _ => {
                eprintln!("error: {err}");
                ExitCode::from(1)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_keys_and_indexes_and_keeps_big_numbers() {
        let reply = r#"{"a": {"b": [{"c": "text"}, 340282366920938463463374607431768211455]}}"#;
        assert_eq!(pick(reply, "a.b.0.c").as_deref(), Ok("text"));
        assert_eq!(pick(reply, "a.b.1").as_deref(), Ok("340282366920938463463374607431768211455"));
        assert_eq!(pick(reply, "a.b.0").as_deref(), Ok(r#"{"c": "text"}"#));
        assert_eq!(pick(reply, "a.x"), Err("the reply has no `a.x`".to_owned()));
        assert_eq!(pick(reply, "a.b.7"), Err("the reply has no `a.b.7`".to_owned()));
    }

    #[test]
    fn flags_override_the_json_keys() {
        let body = compose(Some(r#"{"a": 1, "b": 2}"#), vec![("b", "3".to_owned())]);
        assert_eq!(body.as_deref(), Ok(r#"{"a":1,"b":3}"#));
        assert!(compose(Some("[1]"), vec![]).is_err());
    }
}
