//! What an installed chia-blockchain serves: running the embedded extractor with the venv's
//! Python and reading the JSON it prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::shape::{FieldSpec, Shape};

/// The extractor, run as `python -c`.
const EXTRACTOR: &str = include_str!("extract.py");

/// Everything the extractor found.
#[derive(Debug, Clone, Default)]
pub struct Upstream {
    /// `chia-blockchain` version of the venv.
    pub version: String,
    /// Version of the venv's Python.
    pub python: String,
    /// Routes per service (`shared`, `full_node`, …, `daemon`).
    pub services: BTreeMap<String, Routes>,
    /// Declared request / response classes of wallet endpoints.
    pub wallet: WalletFields,
    /// The codes of structured RPC errors.
    pub error_codes: ErrorCodeList,
}

/// Routes of one service, or why there are none.
#[derive(Debug, Clone)]
pub enum Routes {
    /// The service exists in this version.
    Present {
        /// Route names without the leading `/`.
        routes: BTreeSet<String>,
        /// Where they came from (`module.Class`).
        source: String,
    },
    /// The service (or its API class) does not exist or could not be read.
    Absent {
        /// Why.
        note: String,
    },
}

/// The codes of structured RPC errors (`RpcErrorCodes`), or why there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCodeList {
    /// The class exists in this version.
    Present {
        /// The codes as they travel (the enum's values).
        codes: BTreeSet<String>,
        /// Where they came from (`module.Class`).
        source: String,
    },
    /// The class does not exist (older releases) or could not be read.
    Absent {
        /// Why.
        note: String,
    },
}

impl Default for ErrorCodeList {
    /// Nothing known: the extractor did not look.
    fn default() -> Self {
        ErrorCodeList::Absent { note: NOT_LOOKED.to_owned() }
    }
}

/// The note of a section the extractor's output lacks.
const NOT_LOOKED: &str = "the extractor did not look";

/// Wallet endpoint fields as upstream declares them.
#[derive(Debug, Clone, Default)]
pub struct WalletFields {
    /// Endpoint name to its classes; empty when `note` says why.
    pub endpoints: BTreeMap<String, EndpointFields>,
    /// Endpoints served without declared classes.
    pub untyped: BTreeSet<String>,
    /// Request keys every transaction endpoint reads besides its class's fields.
    pub tx_request_extras: BTreeSet<String>,
    /// Response keys every transaction endpoint adds.
    pub tx_response_extras: BTreeSet<String>,
    /// Where the classes came from, when present.
    pub source: Option<String>,
    /// Why no classes were read, when absent.
    pub note: Option<String>,
}

/// Declared request and response of one wallet endpoint.
#[derive(Debug, Clone, Default)]
pub struct EndpointFields {
    /// Name of the request class.
    pub request_class: String,
    /// Name of the response class.
    pub response_class: String,
    /// Request fields.
    pub request: Vec<FieldSpec>,
    /// Response fields.
    pub response: Vec<FieldSpec>,
    /// Whether the transaction wrapper adds its keys.
    pub tx_endpoint: bool,
}

/// Runs the extractor with `python` and parses its output.
pub fn extract(python: &Path, scratch: &Path) -> Result<Upstream, String> {
    let chia_root = scratch.join("chia-root");
    std::fs::create_dir_all(&chia_root)
        .map_err(|e| format!("cannot create {}: {e}", chia_root.display()))?;
    let output = Command::new(python)
        .arg("-c")
        .arg(EXTRACTOR)
        // Importing chia must not touch the user's ~/.chia.
        .env("CHIA_ROOT", &chia_root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "the extractor failed under {} ({}):\n{}",
            python.display(),
            output.status,
            tail.join("\n")
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("the extractor printed no valid JSON ({e})"))?;
    parse(&value)
}

/// Reads the extractor's JSON document.
pub fn parse(value: &Value) -> Result<Upstream, String> {
    let services = value
        .get("services")
        .and_then(Value::as_object)
        .ok_or("extractor output has no `services` object")?;
    let mut out = Upstream {
        version: str_of(value, "chia_version").unwrap_or("unknown").to_owned(),
        python: str_of(value, "python").unwrap_or("unknown").to_owned(),
        ..Upstream::default()
    };
    for (name, entry) in services {
        out.services.insert(name.clone(), parse_routes(entry));
    }
    out.wallet = match value.get("wallet_fields") {
        Some(wallet) => parse_wallet(wallet)?,
        None => WalletFields { note: Some(NOT_LOOKED.to_owned()), ..WalletFields::default() },
    };
    out.error_codes = value.get("error_codes").map(parse_error_codes).unwrap_or_default();
    Ok(out)
}

fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn strings(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn parse_routes(entry: &Value) -> Routes {
    if entry.get("present").and_then(Value::as_bool) == Some(true) {
        Routes::Present {
            routes: strings(entry.get("routes")),
            source: str_of(entry, "source").unwrap_or_default().to_owned(),
        }
    } else {
        Routes::Absent { note: str_of(entry, "note").unwrap_or("not present").to_owned() }
    }
}

fn parse_error_codes(entry: &Value) -> ErrorCodeList {
    if entry.get("present").and_then(Value::as_bool) == Some(true) {
        ErrorCodeList::Present {
            codes: strings(entry.get("codes")),
            source: str_of(entry, "source").unwrap_or_default().to_owned(),
        }
    } else {
        ErrorCodeList::Absent { note: str_of(entry, "note").unwrap_or("not present").to_owned() }
    }
}

fn parse_wallet(wallet: &Value) -> Result<WalletFields, String> {
    if wallet.get("present").and_then(Value::as_bool) != Some(true) {
        return Ok(WalletFields {
            note: Some(str_of(wallet, "note").unwrap_or("not present").to_owned()),
            ..WalletFields::default()
        });
    }
    let mut out = WalletFields {
        untyped: strings(wallet.get("untyped")),
        tx_request_extras: strings(wallet.get("tx_request_extras")),
        tx_response_extras: strings(wallet.get("tx_response_extras")),
        source: str_of(wallet, "source").map(str::to_owned),
        ..WalletFields::default()
    };
    let endpoints = wallet.get("endpoints").and_then(Value::as_object);
    for (name, entry) in endpoints.into_iter().flatten() {
        if entry.get("error").is_some() {
            // The classes could not be read: treat the endpoint as untyped.
            out.untyped.insert(name.clone());
            continue;
        }
        let fields = EndpointFields {
            request_class: str_of(entry, "request_class").unwrap_or_default().to_owned(),
            response_class: str_of(entry, "response_class").unwrap_or_default().to_owned(),
            request: parse_fields(entry.get("request"))
                .map_err(|e| format!("wallet endpoint {name}, request: {e}"))?,
            response: parse_fields(entry.get("response"))
                .map_err(|e| format!("wallet endpoint {name}, response: {e}"))?,
            tx_endpoint: entry.get("tx_endpoint").and_then(Value::as_bool).unwrap_or(false),
        };
        out.endpoints.insert(name.clone(), fields);
    }
    Ok(out)
}

fn parse_fields(value: Option<&Value>) -> Result<Vec<FieldSpec>, String> {
    let Some(items) = value.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|item| {
            let name = str_of(item, "name").ok_or("a field without a name")?;
            let shape = item
                .get("type")
                .map(parse_shape)
                .transpose()
                .map_err(|e| format!("field {name}: {e}"))?
                .unwrap_or(Shape::Any);
            let may_omit = item.get("has_default").and_then(Value::as_bool).unwrap_or(false);
            Ok(FieldSpec { name: name.to_owned(), shape, may_omit })
        })
        .collect()
}

/// Reads a type in the extractor's JSON notation (see `extract.py`).
pub fn parse_shape(value: &Value) -> Result<Shape, String> {
    if let Some(name) = value.as_str() {
        return Ok(match name {
            "any" => Shape::Any,
            "none" => Shape::Prim("none".to_owned()),
            other => Shape::Prim(other.to_owned()),
        });
    }
    let object = value.as_object().ok_or_else(|| format!("not a type: {value}"))?;
    let (kind, inner) = object.iter().next().ok_or("an empty type object")?;
    let list = |v: &Value| -> Result<Vec<Shape>, String> {
        v.as_array()
            .ok_or_else(|| format!("{kind} needs a list"))?
            .iter()
            .map(parse_shape)
            .collect()
    };
    Ok(match kind.as_str() {
        "optional" => Shape::Optional(Box::new(parse_shape(inner)?)),
        "list" => Shape::List(Box::new(parse_shape(inner)?)),
        "tuple" => Shape::Tuple(list(inner)?),
        "map" => {
            let mut kv = list(inner)?.into_iter();
            match (kv.next(), kv.next()) {
                (Some(k), Some(v)) => Shape::Map(Box::new(k), Box::new(v)),
                _ => return Err("map needs two types".to_owned()),
            }
        }
        "named" => Shape::Named(inner.as_str().unwrap_or("?").to_owned()),
        other => return Err(format!("unknown type kind `{other}`")),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drift::testing::{field, prim};

    #[test]
    fn parses_extractor_output() {
        let value = json!({
            "chia_version": "2.7.5",
            "python": "3.11.7",
            "services": {
                "full_node": { "present": true, "routes": ["get_block"], "source": "m.C" },
                "solver": { "present": false, "note": "not present in this version" }
            },
            "wallet_fields": {
                "present": true,
                "source": "meta",
                "endpoints": {
                    "log_in": {
                        "request_class": "LogIn", "response_class": "LogInResponse",
                        "request": [{ "name": "fingerprint", "type": "u32", "has_default": false }],
                        "response": [{ "name": "ids", "has_default": true,
                                       "type": { "optional": { "list": { "named": "Coin" } } } }],
                        "tx_endpoint": false
                    },
                    "broken": { "error": "boom" }
                },
                "untyped": [],
                "tx_request_extras": ["fee"],
                "tx_response_extras": ["sync_status"]
            }
        });
        let up = parse(&value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(up.version, "2.7.5");
        assert!(matches!(up.services.get("solver"), Some(Routes::Absent { .. })));
        let log_in = &up.wallet.endpoints["log_in"];
        assert_eq!(log_in.request, [field("fingerprint", prim("u32"), false)]);
        assert_eq!(log_in.response[0].shape.to_string(), "optional<list<Coin>>");
        assert!(up.wallet.untyped.contains("broken"));
        assert!(parse_shape(&json!({ "weird": 1 })).is_err());
        assert!(parse(&json!({})).is_err());
    }

    #[test]
    fn parses_error_codes() {
        let with = |codes: Value| json!({ "services": {}, "error_codes": codes });
        let up = parse(&with(json!({
            "present": true,
            "source": "chia.rpc.rpc_errors.RpcErrorCodes",
            "codes": ["BLOCK_NOT_FOUND", "API_ERROR"]
        })))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            up.error_codes,
            ErrorCodeList::Present {
                codes: ["API_ERROR".to_owned(), "BLOCK_NOT_FOUND".to_owned()].into(),
                source: "chia.rpc.rpc_errors.RpcErrorCodes".to_owned(),
            }
        );
        let note = "not present in this version (no module chia.rpc.rpc_errors)";
        let up = parse(&with(json!({ "present": false, "note": note })))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(up.error_codes, ErrorCodeList::Absent { note: note.to_owned() });
        // Output of an extractor that does not list codes: absent, not an error.
        let up = parse(&json!({ "services": {} })).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(up.error_codes, ErrorCodeList::Absent { note: NOT_LOOKED.to_owned() });
    }
}
