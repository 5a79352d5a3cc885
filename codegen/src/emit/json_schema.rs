//! `docs/json-schema/<service>.json`: a JSON Schema (draft 2020-12) document per service with the
//! request and response of every endpoint it serves and the named types they use.
//!
//! Endpoints are listed under the annotation keyword `x-endpoints`, the pushes the service sends
//! through the daemon under `x-events`; every schema lives in `$defs` (requests under their Rust
//! name, responses with a `Response` suffix, push data with an `Event` suffix).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::ir::{Access, Endpoint, Event, Field, Ir, NamedType, Service, Ty, TypeKind};
use crate::typeexpr::Prim;

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// What a service's documents describe: its endpoints (with the service that declares each),
/// its pushes, and the schema of every request, response, push and named type they use, keyed
/// by name (requests under their Rust name, responses with a `Response` suffix, push data with
/// an `Event` suffix). References point at `#/$defs/<name>`.
pub(crate) struct Described<'a> {
    /// The endpoints, the service's own first, then the shared routes.
    pub endpoints: Vec<(&'a Service, &'a Endpoint)>,
    /// The pushes, with the service that declares each.
    pub events: Vec<(&'a Service, &'a Event)>,
    /// Every schema, by name.
    pub defs: Map<String, Value>,
}

/// The endpoints, pushes and schemas of `s`; with `extended`, the endpoints of the service it
/// extends too (the simulator serves the full node's).
pub(crate) fn describe<'a>(ir: &'a Ir, s: &'a Service, extended: bool) -> Described<'a> {
    let mut endpoints: Vec<(&Service, &Endpoint)> = s.endpoints.iter().map(|e| (s, e)).collect();
    if extended && let Some(parent) = s.extends.as_deref().and_then(|name| ir.service(name)) {
        endpoints.extend(parent.endpoints.iter().map(|e| (parent, e)));
    }
    // The daemon serves its own commands only.
    if !s.shared
        && !s.websocket
        && let Some(shared) = ir.shared()
    {
        endpoints.extend(shared.endpoints.iter().map(|e| (shared, e)));
    }
    let mut defs = Map::new();
    let mut named = BTreeSet::new();
    for (_, e) in &endpoints {
        let mut req = record(&e.request, false);
        req.insert("description".into(), json!(format!("Request of `{}`.", e.name)));
        defs.insert(e.request_type.to_string(), Value::Object(req));
        let mut resp = record(&e.response, true);
        resp.insert("description".into(), json!(format!("Response of `{}`.", e.name)));
        defs.insert(e.response_type.to_string(), Value::Object(resp));
        for f in e.request.iter().chain(&e.response) {
            collect(&f.ty, &mut named);
        }
    }
    let events = if ir.event_sources().any(|source| source.name == s.name) {
        ir.events_of(s)
    } else {
        s.events.iter().map(|e| (s, e)).collect()
    };
    for (_, e) in &events {
        let mut data = record(&e.fields, true);
        // Most pushes carry `success: true`; the daemon's own (the plot queue's) do not.
        if let Some(Value::Array(required)) = data.get_mut("required") {
            required.retain(|name| name != "success");
        }
        data.insert("description".into(), json!(format!("The data of the `{}` push.", e.command)));
        defs.insert(e.struct_name.to_string(), Value::Object(data));
        for f in &e.fields {
            collect(&f.ty, &mut named);
        }
    }
    for name in closure(ir, named) {
        if let Some(t) = find(ir, &name) {
            defs.insert(name, named_type(t));
        }
    }
    Described { endpoints, events, defs }
}

/// `named` and every named type their fields use, transitively.
fn closure(ir: &Ir, mut named: BTreeSet<String>) -> BTreeSet<String> {
    let mut pending: Vec<String> = named.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        if let Some(t) = find(ir, &name)
            && let TypeKind::Record(fields) = &t.kind
        {
            let mut more = BTreeSet::new();
            for f in fields {
                collect(&f.ty, &mut more);
            }
            for m in more {
                if named.insert(m.clone()) {
                    pending.push(m);
                }
            }
        }
    }
    named
}

/// `docs/json-schema/types.json`: every named type of the schema, under `$defs`.
pub fn emit_types(ir: &Ir) -> String {
    let mut defs = Map::new();
    for t in ir.type_files.iter().flat_map(|f| &f.types) {
        defs.insert(t.name.to_string(), named_type(t));
    }
    let doc = json!({
        "$schema": DRAFT,
        "title": "Chia RPC named types",
        "description": "Every named type of the chia-rpc schema (coins, blocks, spend bundles, \
            offers, …), as used by the requests, responses and pushes of the per-service \
            documents beside this one.",
        "$defs": defs,
    });
    pretty(&doc)
}

/// `value` pretty-printed with a trailing newline.
pub(crate) fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The document of `s`, pretty-printed with a trailing newline.
pub fn emit(ir: &Ir, s: &Service) -> String {
    let Described { endpoints, events, defs } = describe(ir, s, false);
    let mut listed = Map::new();
    for (owner, e) in &endpoints {
        let mut entry = Map::new();
        entry.insert("summary".into(), json!(e.summary));
        if let Some(description) = &e.description {
            entry.insert("description".into(), json!(description));
        }
        entry.insert("access".into(), json!(access(e.access)));
        if let Some(since) = &e.since {
            entry.insert("since".into(), json!(since));
        }
        if let Some(note) = &e.deprecated {
            entry.insert("deprecated".into(), json!(true));
            entry.insert("x-deprecation".into(), json!(note));
        }
        if owner.name != s.name {
            entry.insert("x-declared-by".into(), json!(owner.name));
        }
        entry.insert("request".into(), json!({ "$ref": format!("#/$defs/{}", e.request_type) }));
        entry.insert("response".into(), json!({ "$ref": format!("#/$defs/{}", e.response_type) }));
        listed.insert(e.name.clone(), Value::Object(entry));
    }
    let mut pushes = Map::new();
    for (owner, e) in events {
        let mut entry = Map::new();
        entry.insert("command".into(), json!(e.command));
        entry.insert("origin".into(), json!(e.origin.as_ref().or(s.daemon_name.as_ref())));
        entry.insert("listeners".into(), json!(e.listeners));
        entry.insert("summary".into(), json!(e.summary));
        if let Some(description) = &e.description {
            entry.insert("description".into(), json!(description));
        }
        if owner.name != s.name {
            entry.insert("x-declared-by".into(), json!(owner.name));
        }
        entry.insert("data".into(), json!({ "$ref": format!("#/$defs/{}", e.struct_name) }));
        pushes.insert(e.variant.to_string(), Value::Object(entry));
    }

    let mut doc = Map::new();
    doc.insert("$schema".into(), json!(DRAFT));
    doc.insert("title".into(), json!(format!("{} RPC", s.title)));
    doc.insert("description".into(), json!(s.doc));
    doc.insert("x-service".into(), json!(s.name));
    if !s.shared {
        doc.insert("x-default-port".into(), json!(s.default_port));
    }
    if let Some(parent) = &s.extends {
        doc.insert("x-extends".into(), json!(parent));
    }
    if let Some(name) = &s.daemon_name {
        doc.insert("x-daemon-name".into(), json!(name));
    }
    if s.websocket {
        doc.insert("x-transport".into(), json!("websocket"));
    }
    doc.insert("x-endpoints".into(), Value::Object(listed));
    if !pushes.is_empty() {
        doc.insert("x-events".into(), Value::Object(pushes));
    }
    doc.insert("$defs".into(), Value::Object(defs));
    pretty(&Value::Object(doc))
}

pub(crate) fn access(a: Access) -> &'static str {
    match a {
        Access::Read => "read",
        Access::Write => "write",
        Access::Transaction => "transaction",
    }
}

fn find<'a>(ir: &'a Ir, name: &str) -> Option<&'a NamedType> {
    ir.type_files.iter().flat_map(|f| &f.types).find(|t| t.name.as_str() == name)
}

fn collect(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(name) => {
            out.insert(name.to_string());
        }
        Ty::Optional(t) | Ty::Nullable(t) | Ty::List(t) => collect(t, out),
        Ty::Map(k, v) => {
            collect(k, out);
            collect(v, out);
        }
        Ty::Tuple(items) => items.iter().for_each(|t| collect(t, out)),
        Ty::Prim(_) | Ty::Any => {}
    }
}

/// An object schema; requests reject unknown keys, responses (`response: true`) get `success`.
fn record(fields: &[Field], response: bool) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    if response {
        properties.insert(
            "success".into(),
            json!({ "type": "boolean", "description": "Whether the call succeeded." }),
        );
        required.push(json!("success"));
    }
    let mut rest = None;
    for f in fields {
        if f.flatten {
            // The map's entries are the reply's other keys.
            if let Ty::Map(_, value) = &f.ty {
                let mut values = ty(value);
                if let Value::Object(map) = &mut values {
                    map.insert("description".into(), json!(f.doc));
                }
                rest = Some(values);
            }
            continue;
        }
        let mut schema = ty(&f.ty);
        if let Value::Object(map) = &mut schema {
            let doc = match &f.reason {
                Some(reason) => format!("{}\n\nAny JSON: {}", f.doc, reason),
                None => f.doc.clone(),
            };
            map.insert("description".into(), json!(doc));
        }
        properties.insert(f.wire.clone(), schema);
        if !f.is_optional() {
            required.push(json!(f.wire));
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    out.insert("properties".into(), Value::Object(properties));
    out.insert("required".into(), Value::Array(required));
    if let Some(values) = rest {
        out.insert("additionalProperties".into(), values);
    } else if !response {
        out.insert("additionalProperties".into(), json!(false));
    }
    out
}

fn named_type(t: &NamedType) -> Value {
    let mut out = match &t.kind {
        TypeKind::Record(fields) => record(fields, false),
        // `enum` with each value's meaning beside it, rather than one `const` per value: that
        // is what client generators turn into an enum type.
        TypeKind::IntEnum { repr, values } => {
            let mut m = match prim(*repr) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            m.insert("enum".into(), values.iter().map(|v| json!(v.value)).collect());
            let docs: Map<String, Value> =
                values.iter().map(|v| (v.value.to_string(), json!(v.doc))).collect();
            m.insert("x-enum-descriptions".into(), Value::Object(docs));
            m
        }
        TypeKind::Enum(variants) => {
            let mut m = Map::new();
            m.insert("type".into(), json!("string"));
            m.insert("enum".into(), variants.iter().map(|v| json!(v.wire)).collect());
            let docs: Map<String, Value> =
                variants.iter().map(|v| (v.wire.clone(), json!(v.doc))).collect();
            m.insert("x-enum-descriptions".into(), Value::Object(docs));
            m
        }
    };
    // Records in responses may grow fields; only the strict build rejects unknown keys.
    out.remove("additionalProperties");
    out.insert("description".into(), json!(t.doc));
    Value::Object(out)
}

fn hex(bytes: Option<usize>) -> Value {
    match bytes {
        Some(n) => {
            json!({ "type": "string", "pattern": format!("^(0x)?[0-9a-fA-F]{{{}}}$", n * 2) })
        }
        None => json!({ "type": "string", "pattern": "^(0x)?([0-9a-fA-F]{2})*$" }),
    }
}

fn ty(t: &Ty) -> Value {
    match t {
        Ty::Prim(p) => prim(*p),
        Ty::Optional(inner) | Ty::Nullable(inner) => {
            json!({ "anyOf": [ty(inner), { "type": "null" }] })
        }
        Ty::List(inner) => json!({ "type": "array", "items": ty(inner) }),
        Ty::Map(key, value) => {
            let mut m = Map::new();
            m.insert("type".into(), json!("object"));
            if let Ty::Prim(p) = key.as_ref()
                && *p != Prim::Str
            {
                let names = match prim(*p) {
                    Value::Object(k) if k.contains_key("pattern") => {
                        json!({ "pattern": k.get("pattern").cloned().unwrap_or(Value::Null) })
                    }
                    _ => json!({ "pattern": "^-?[0-9]+$" }),
                };
                m.insert("propertyNames".into(), names);
            }
            m.insert("additionalProperties".into(), ty(value));
            Value::Object(m)
        }
        Ty::Tuple(items) => json!({
            "type": "array",
            "prefixItems": items.iter().map(ty).collect::<Vec<_>>(),
            "minItems": items.len(),
            "maxItems": items.len(),
        }),
        Ty::Any => json!({}),
        Ty::Named(name) => json!({ "$ref": format!("#/$defs/{name}") }),
    }
}

/// An unsigned integer; `format` names its width so generators in other languages can pick a
/// type that holds it (uint64 and uint128 overflow a JavaScript number).
fn int(format: &str, max: Option<u64>) -> Value {
    match max {
        Some(max) => json!({ "type": "integer", "format": format, "minimum": 0, "maximum": max }),
        None => json!({ "type": "integer", "format": format, "minimum": 0 }),
    }
}

/// A signed integer of the given width.
fn signed(format: &str, min: i64, max: i64) -> Value {
    json!({ "type": "integer", "format": format, "minimum": min, "maximum": max })
}

fn prim(p: Prim) -> Value {
    match p {
        Prim::U8 => int("uint8", Some(u8::MAX.into())),
        Prim::U16 => int("uint16", Some(u16::MAX.into())),
        Prim::U32 => int("uint32", Some(u32::MAX.into())),
        Prim::U64 => int("uint64", Some(u64::MAX)),
        // 2^128 - 1 does not fit the JSON value type used here; the format says it.
        Prim::U128 => int("uint128", None),
        Prim::I8 => signed("int8", i8::MIN.into(), i8::MAX.into()),
        Prim::I16 => signed("int16", i16::MIN.into(), i16::MAX.into()),
        Prim::I32 => signed("int32", i32::MIN.into(), i32::MAX.into()),
        Prim::I64 => signed("int64", i64::MIN, i64::MAX),
        Prim::F64 => json!({ "type": "number", "format": "double" }),
        Prim::Bool => json!({ "type": "boolean" }),
        Prim::Str => json!({ "type": "string" }),
        Prim::Bytes => hex(None),
        Prim::Bytes4 => hex(Some(4)),
        Prim::Bytes8 => hex(Some(8)),
        Prim::Bytes32 => hex(Some(32)),
        Prim::Bytes48 | Prim::G1 => hex(Some(48)),
        Prim::Bytes96 | Prim::G2 => hex(Some(96)),
        Prim::Bytes100 => hex(Some(100)),
        // bech32m: a prefix (`xch`, `txch`, `nft`, `did:chia:`), `1`, then the data characters.
        Prim::Address => {
            json!({ "type": "string", "pattern": "^[a-z0-9:]+1[02-9ac-hj-np-z]{6,}$" })
        }
    }
}
