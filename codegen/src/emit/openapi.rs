//! `docs/openapi/<service>.json`: an OpenAPI 3.1 document per service with an HTTPS server.
//!
//! Every endpoint is a `POST /<route>` whose JSON body is the request and whose reply (always
//! HTTP 200) is either the endpoint's response or the failure envelope. The schemas are those of
//! the JSON Schema documents (draft 2020-12, OpenAPI 3.1's own dialect) under
//! `components/schemas`; the server is authenticated with mutual TLS.

use serde_json::{Map, Value, json};

use super::examples::Examples;
use super::json_schema::{Described, access, describe, pretty};
use crate::ir::{Ir, Service};

/// The name of the failure envelope's schema.
pub(crate) const FAILURE: &str = "RpcFailure";
/// The name of the `structuredError.code` schema.
pub(crate) const ERROR_CODE: &str = "RpcErrorCode";

/// How the documents describe integers that other languages may not hold exactly.
pub(crate) const INTEGERS: &str = "Integers carry their width in `format` (`uint8` … `uint128`, \
    `int8` … `int64`) and their range in `minimum` / `maximum`. `uint64` and `uint128` values \
    (amounts in mojos, weights, iterations, network space) exceed 2^53: parse them with a JSON \
    parser that keeps big integers exact (Python's `json`, JavaScript's `JSON.parse` with a \
    reviver over the source text, Java's `BigInteger`), never through a double. Byte strings are \
    hex, `0x` optional on input; fixed-size ones carry their length in `pattern`.";

/// The document of `s`, pretty-printed with a trailing newline.
pub fn emit(ir: &Ir, s: &Service, examples: &Examples) -> String {
    let Described { endpoints, events: _, mut defs } = describe(ir, s, true);
    let mut paths = Map::new();
    for (owner, e) in &endpoints {
        let mut op = Map::new();
        op.insert("operationId".into(), json!(e.name));
        op.insert("summary".into(), json!(e.summary));
        if let Some(description) = &e.description {
            op.insert("description".into(), json!(description));
        }
        let tag = match (&e.group, owner.name == s.name) {
            (Some(group), true) => group.to_string(),
            (None, true) => s.name.clone(),
            _ => owner.name.clone(),
        };
        op.insert("tags".into(), json!([tag]));
        if let Some(note) = &e.deprecated {
            op.insert("deprecated".into(), json!(true));
            op.insert("x-deprecation".into(), json!(note));
        }
        op.insert("x-access".into(), json!(access(e.access)));
        if let Some(since) = &e.since {
            op.insert("x-since".into(), json!(since));
        }
        if e.sensitive {
            op.insert("x-sensitive".into(), json!(true));
        }
        op.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": { "application/json": {
                    "schema": { "$ref": format!("#/components/schemas/{}", e.request_type) }
                } }
            }),
        );
        op.insert(
            "responses".into(),
            json!({ "200": {
                "description": format!(
                    "The reply of `{}`: its response when `success` is true, the failure \
                     envelope when it is false (failures come with HTTP 200 too).",
                    e.name
                ),
                "content": { "application/json": { "schema": { "anyOf": [
                    { "$ref": format!("#/components/schemas/{}", e.response_type) },
                    { "$ref": format!("#/components/schemas/{FAILURE}") },
                ] } } }
            } }),
        );
        paths.insert(format!("/{}", e.name), json!({ "post": Value::Object(op) }));
    }
    failure_schemas(ir, &mut defs);
    let mut schemas = Value::Object(defs);
    rebase_refs(&mut schemas, "#/components/schemas/");

    let mut info = Map::new();
    info.insert("title".into(), json!(format!("Chia {} RPC", s.title.to_lowercase())));
    info.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    let checked = match &examples.chia_version {
        Some(version) => format!("\n\nChecked against chia-blockchain {version}."),
        None => String::new(),
    };
    info.insert(
        "description".into(),
        json!(format!(
            "{}\n\n{}\n\nEvery call is a `POST` of a JSON object (`{{}}` without arguments) over \
             mutual TLS: the client presents the certificate of the service from \
             `$CHIA_ROOT/config/ssl/{}/` and verifies the server against the installation's \
             private CA (`config/ssl/ca/private_ca.crt`); the server's certificate names \
             `chia.net`.{checked}",
            s.doc.trim_end(),
            INTEGERS,
            s.cert_dir,
        )),
    );
    info.insert("license".into(), json!({ "name": "MIT", "identifier": "MIT" }));
    if let Some(version) = &examples.chia_version {
        info.insert("x-chia-blockchain-version".into(), json!(version));
    }

    let mut doc = Map::new();
    doc.insert("openapi".into(), json!("3.1.0"));
    doc.insert("info".into(), Value::Object(info));
    doc.insert("jsonSchemaDialect".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    doc.insert(
        "servers".into(),
        json!([{
            "url": "https://{host}:{port}",
            "description": format!(
                "The {} of a Chia installation; `config.yaml` names the real host \
                 (`self_hostname`) and port (`{}`).",
                s.title.to_lowercase(),
                s.port_key
            ),
            "variables": {
                "host": { "default": "localhost" },
                "port": { "default": s.default_port.to_string() },
            },
        }]),
    );
    doc.insert("security".into(), json!([{ "mutualTLS": [] }]));
    doc.insert("x-service".into(), json!(s.name));
    if let Some(parent) = &s.extends {
        doc.insert("x-extends".into(), json!(parent));
    }
    doc.insert("paths".into(), Value::Object(paths));
    doc.insert(
        "components".into(),
        json!({
            "schemas": schemas,
            "securitySchemes": { "mutualTLS": {
                "type": "mutualTLS",
                "description": format!(
                    "Present `config/ssl/{0}/private_{0}.crt` and its key, both signed by the \
                     installation's private CA; verify the server's certificate against \
                     `config/ssl/ca/private_ca.crt`.",
                    s.cert_dir
                ),
            } },
        }),
    );
    pretty(&Value::Object(doc))
}

/// Adds the failure envelope and its error codes to `defs`.
pub(crate) fn failure_schemas(ir: &Ir, defs: &mut Map<String, Value>) {
    let codes = ir.error_codes.iter().flat_map(|codes| &codes.variants);
    let known: Vec<&str> = codes.clone().map(|v| v.wire.as_str()).collect();
    let docs: Map<String, Value> = codes.map(|v| (v.wire.clone(), json!(v.doc))).collect();
    // An `enum` (with each code's meaning beside it) rather than `const`s: that is what client
    // generators turn into an enum type.
    defs.insert(
        ERROR_CODE.into(),
        json!({
            "description": "The code of a failure (chia-blockchain's `RpcErrorCodes`). A newer \
                node may send a code not listed here.",
            "anyOf": [
                { "type": "string", "enum": known, "x-enum-descriptions": docs },
                { "type": "string", "description": "A code newer than this document." },
            ],
        }),
    );
    defs.insert(
        FAILURE.into(),
        json!({
            "description": "The reply of a call that failed. Older nodes send only `error`; \
                a few calls fail without any message.",
            "type": "object",
            "properties": {
                "success": { "const": false, "description": "Always false." },
                "error": { "type": "string", "description": "What went wrong." },
                "errors": {
                    "type": "array",
                    "items": { "type": "string" },
                    "description": "Several problems, sent by a few calls instead of `error`.",
                },
                "structuredError": {
                    "type": "object",
                    "description": "The failure as data (chia-blockchain 2.5 and newer).",
                    "properties": {
                        "code": { "$ref": format!("#/$defs/{ERROR_CODE}") },
                        "message": { "type": "string", "description": "The same text as `error`." },
                        "data": { "type": "object", "description": "Details, by code." },
                    },
                    "required": ["code"],
                },
                "traceback": { "type": "string", "description": "Python's traceback of an exception." },
            },
            "required": ["success"],
            // Some calls add keys of their own to a failure (`root: null`, `command`).
            "additionalProperties": true,
        }),
    );
}

/// Points every `#/$defs/<name>` reference in `value` at `<prefix><name>`.
pub(crate) fn rebase_refs(value: &mut Value, prefix: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(target) = item
                    && let Some(name) = target.strip_prefix("#/$defs/")
                {
                    *target = format!("{prefix}{name}");
                } else {
                    rebase_refs(item, prefix);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rebase_refs(item, prefix)),
        _ => {}
    }
}
