//! `docs/asyncapi/daemon.json`: an AsyncAPI 3.1 document of the daemon's WebSocket — the
//! message envelope, the daemon's own commands with their replies, calls relayed to the
//! services, and every push a service sends through the daemon.
//!
//! AsyncAPI's schema format is JSON Schema draft 07, so tuples (`prefixItems` in the per-service
//! documents) are written as an `items` array here.

use serde_json::{Map, Value, json};

use super::examples::Examples;
use super::json_schema::{access, describe, pretty};
use super::openapi::{FAILURE, INTEGERS, failure_schemas, rebase_refs};
use crate::ir::{Ir, Service};

const CHANNEL: &str = "#/channels/daemon";

/// The document of the daemon `s`, pretty-printed with a trailing newline.
pub fn emit(ir: &Ir, s: &Service, examples: &Examples) -> String {
    let daemon = describe(ir, s, false);
    let mut schemas = daemon.defs.clone();
    failure_schemas(ir, &mut schemas);
    let mut messages = Map::new();
    let mut operations = Map::new();
    let message_ref = |name: &str| json!({ "$ref": format!("{CHANNEL}/messages/{name}") });
    let daemon_name = s.daemon_name.as_deref().unwrap_or("daemon");

    for (_, e) in &daemon.endpoints {
        let (request, reply) = (format!("{}_request", e.name), format!("{}_reply", e.name));
        let mut description = e.description.clone().unwrap_or_default();
        if let Some(note) = &e.deprecated {
            description = format!("Deprecated: {note}\n\n{description}");
        }
        messages.insert(
            request.clone(),
            json!({
                "name": request,
                "title": format!("{} (command)", e.name),
                "summary": e.summary,
                "payload": envelope(
                    json!({ "const": e.name }),
                    false,
                    json!({ "$ref": format!("#/$defs/{}", e.request_type) }),
                    json!({ "const": daemon_name }),
                    json!({ "type": "string", "description": "The sender's name, as registered." }),
                ),
            }),
        );
        messages.insert(
            reply.clone(),
            json!({
                "name": reply,
                "title": format!("{} (reply)", e.name),
                "summary": format!("The daemon's reply to `{}`.", e.name),
                "payload": envelope(
                    json!({ "const": e.name }),
                    true,
                    json!({ "anyOf": [
                        { "$ref": format!("#/$defs/{}", e.response_type) },
                        { "$ref": format!("#/$defs/{FAILURE}") },
                    ] }),
                    json!({ "type": "string", "description": "The request's `origin`." }),
                    json!({ "const": daemon_name }),
                ),
            }),
        );
        let mut op = Map::new();
        op.insert("action".into(), json!("send"));
        op.insert("channel".into(), json!({ "$ref": CHANNEL }));
        op.insert("summary".into(), json!(e.summary));
        if !description.is_empty() {
            op.insert("description".into(), json!(description));
        }
        op.insert("messages".into(), json!([message_ref(&request)]));
        op.insert(
            "reply".into(),
            json!({ "channel": { "$ref": CHANNEL }, "messages": [message_ref(&reply)] }),
        );
        let mut bindings = json!({ "x-access": access(e.access) });
        if let Some(since) = &e.since {
            bindings["x-since"] = json!(since);
        }
        if e.deprecated.is_some() {
            bindings["x-deprecated"] = json!(true);
        }
        op.insert("x-chia".into(), bindings);
        operations.insert(e.name.clone(), Value::Object(op));
    }

    // Calls relayed to a service: its route as `command`, its request as `data`.
    // A service that extends another registers under that one's name (the simulator as
    // `chia_full_node`).
    let relayed: Vec<&Service> = ir
        .servers()
        .filter(|t| !t.websocket && t.daemon_name.is_some() && t.extends.is_none())
        .collect();
    let names: Vec<&str> = relayed.iter().filter_map(|t| t.daemon_name.as_deref()).collect();
    let documents: Map<String, Value> = relayed
        .iter()
        .filter_map(|t| {
            let name = t.daemon_name.clone()?;
            Some((name, json!(format!("../openapi/{}.json", t.name))))
        })
        .collect();
    messages.insert(
        "relayed_request".into(),
        json!({
            "name": "relayed_request",
            "title": "A call relayed to a service",
            "summary": "Any route of a service, sent through the daemon.",
            "description": "`destination` names the service as it registered with the daemon; \
                `command` is the route and `data` its request, as the service's OpenAPI document \
                describes them (`x-documents` maps each destination to it).",
            "x-documents": documents,
            "payload": envelope(
                json!({ "type": "string", "description": "The route." }),
                false,
                json!({ "type": "object", "description": "The route's request." }),
                json!({ "enum": names }),
                json!({ "type": "string", "description": "The sender's name, as registered." }),
            ),
        }),
    );
    messages.insert(
        "relayed_reply".into(),
        json!({
            "name": "relayed_reply",
            "title": "A relayed call's reply",
            "summary": "The service's reply, relayed back with the request's `request_id`.",
            "payload": envelope(
                json!({ "type": "string", "description": "The route." }),
                true,
                json!({ "type": "object", "description": "The route's reply, `success` included." }),
                json!({ "type": "string", "description": "The request's `origin`." }),
                json!({ "enum": names }),
            ),
        }),
    );
    operations.insert(
        "relay".into(),
        json!({
            "action": "send",
            "channel": { "$ref": CHANNEL },
            "summary": "Call a service's route through the daemon.",
            "messages": [message_ref("relayed_request")],
            "reply": { "channel": { "$ref": CHANNEL }, "messages": [message_ref("relayed_reply")] },
        }),
    );

    // Pushes: those of the daemon itself and of every service that registers with it.
    let mut pushed = Vec::new();
    for source in ir.event_sources() {
        let described = describe(ir, source, false);
        for (_, e) in &described.events {
            let name = format!("{}_{}", source.name, e.command);
            let schema = format!("{}.{}", source.name, e.struct_name);
            if let Some(data) = described.defs.get(e.struct_name.as_str()) {
                schemas.insert(schema.clone(), data.clone());
            }
            for (key, value) in &described.defs {
                if ir.named_type(key).is_some() {
                    schemas.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
            let origin = e.origin.as_deref().or(source.daemon_name.as_deref()).unwrap_or_default();
            let mut message = json!({
                "name": name,
                "title": format!("{} ({})", e.command, source.name),
                "summary": e.summary,
                "payload": envelope(
                    json!({ "const": e.command }),
                    false,
                    json!({ "$ref": format!("#/$defs/{schema}") }),
                    json!({ "enum": e.listeners }),
                    json!({ "const": origin }),
                ),
            });
            if let Some(description) = &e.description {
                message["description"] = json!(description);
            }
            messages.insert(name.clone(), message);
            pushed.push(message_ref(&name));
        }
    }
    operations.insert(
        "receive_events".into(),
        json!({
            "action": "receive",
            "channel": { "$ref": CHANNEL },
            "summary": "Pushes from the services, after `register_service` with a listener \
                name (`wallet_ui`, `metrics`, …).",
            "messages": pushed,
        }),
    );

    let mut all = Value::Object(schemas);
    draft07(&mut all);
    rebase_refs(&mut all, "#/components/schemas/");
    let mut messages = Value::Object(messages);
    rebase_refs(&mut messages, "#/components/schemas/");
    // The channel lists its messages; operations point at them there.
    let channel_messages: Map<String, Value> = messages
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| (name.clone(), json!({ "$ref": format!("#/components/messages/{name}") })))
        .collect();

    let checked = match &examples.chia_version {
        Some(version) => format!("\n\nChecked against chia-blockchain {version}."),
        None => String::new(),
    };
    let mut info = Map::new();
    info.insert("title".into(), json!("Chia daemon WebSocket"));
    info.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    info.insert(
        "description".into(),
        json!(format!("{}\n\n{INTEGERS}{checked}", s.doc.trim_end())),
    );
    info.insert("license".into(), json!({ "name": "MIT" }));
    if let Some(version) = &examples.chia_version {
        info.insert("x-chia-blockchain-version".into(), json!(version));
    }
    let doc = json!({
        "asyncapi": "3.1.0",
        "info": info,
        "defaultContentType": "application/json",
        "servers": { "daemon": {
            "host": format!("localhost:{}", s.default_port),
            "protocol": "wss",
            "description": format!(
                "The daemon of a Chia installation; `config.yaml` names the real host \
                 (`self_hostname`) and port (`{}`).",
                s.port_key
            ),
            "security": [{ "$ref": "#/components/securitySchemes/mutualTLS" }],
        } },
        "channels": { "daemon": {
            "address": "/",
            "title": "The daemon's WebSocket",
            "description": "One connection carries commands, relayed calls and pushes, each \
                message a JSON object in one text frame.",
            "messages": channel_messages,
        } },
        "operations": operations,
        "components": {
            "schemas": all,
            "messages": messages,
            "securitySchemes": { "mutualTLS": {
                "type": "X509",
                "description": format!(
                    "Present `config/ssl/{0}/private_{0}.crt` and its key, both signed by the \
                     installation's private CA; verify the daemon's certificate against \
                     `config/ssl/ca/private_ca.crt`.",
                    s.cert_dir
                ),
            } },
        },
    });
    pretty(&doc)
}

/// The schema of one message: the daemon's envelope around `data`.
fn envelope(command: Value, ack: bool, data: Value, destination: Value, origin: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "command": command,
            "ack": { "const": ack, "description": "True on replies, false otherwise." },
            "data": data,
            "request_id": {
                "type": "string",
                "description": "Chosen by the sender; a reply repeats it.",
            },
            "destination": destination,
            "origin": origin,
        },
        "required": ["command", "ack", "data", "request_id", "destination", "origin"],
    })
}

/// Rewrites draft 2020-12 tuples (`prefixItems`) as draft 07 ones (`items` as an array).
fn draft07(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(items) = map.remove("prefixItems") {
                map.insert("items".into(), items);
                map.insert("additionalItems".into(), json!(false));
            }
            map.values_mut().for_each(draft07);
        }
        Value::Array(items) => items.iter_mut().for_each(draft07),
        _ => {}
    }
}
