//! `docs/reference/index.html`: a reference of every service, endpoint, push and named type that
//! a person can browse and search. One static file: the page's script renders it from data
//! embedded in the page, so it needs no server and no network.

use serde_json::{Value, json};

use super::examples::{Examples, pretty_json};
use super::json_schema::access;
use crate::ir::{Event, Field, Ir, NamedType, Service, Ty, TypeKind};

/// The page around the data: style, markup and script.
const PAGE: &str = include_str!("html_page.html");
/// Where the data goes in [`PAGE`].
const SLOT: &str = "/*DATA*/";
/// Lines of a captured reply shown; the rest is summarised.
const EXAMPLE_LINES: usize = 80;

/// The page.
pub fn emit(ir: &Ir, examples: &Examples) -> String {
    let services: Vec<Value> = ir.services.iter().map(|s| service(s, examples)).collect();
    let types: Vec<Value> = ir.type_files.iter().flat_map(|f| &f.types).map(named_type).collect();
    let data = json!({
        "chia_version": examples.chia_version,
        "services": services,
        "types": types,
        "error_codes": ir.error_codes.iter().flat_map(|c| &c.variants)
            .map(|v| json!({ "code": v.wire, "doc": v.doc })).collect::<Vec<_>>(),
    });
    // `<` only appears inside JSON strings, where `\u003c` means the same: the data can then
    // never close its script element.
    let data = serde_json::to_string(&data).unwrap_or_default().replace('<', "\\u003c");
    PAGE.replacen(SLOT, &data, 1)
}

fn service(s: &Service, examples: &Examples) -> Value {
    let endpoints: Vec<Value> = s
        .endpoints
        .iter()
        .map(|e| {
            let example = examples
                .reply(&s.name, &e.name, &s.name)
                .map(|reply| pretty_json(reply, EXAMPLE_LINES));
            json!({
                "name": e.name,
                "summary": e.summary,
                "description": e.description,
                "access": access(e.access),
                "since": e.since,
                "deprecated": e.deprecated,
                "sensitive": e.sensitive,
                "topic": e.group.as_ref().map(|g| g.to_string()),
                "request": fields(&e.request),
                "response": fields(&e.response),
                "example": example,
            })
        })
        .collect();
    let events: Vec<Value> = s.events.iter().map(|e| event(s, e)).collect();
    json!({
        "name": s.name,
        "title": s.title,
        "doc": s.doc,
        "shared": s.shared,
        "port": (!s.shared).then_some(s.default_port),
        "websocket": s.websocket,
        "extends": s.extends,
        "endpoints": endpoints,
        "events": events,
    })
}

fn event(s: &Service, e: &Event) -> Value {
    json!({
        "command": e.command,
        "origin": e.origin.as_ref().or(s.daemon_name.as_ref()),
        "listeners": e.listeners,
        "summary": e.summary,
        "description": e.description,
        "data": fields(&e.fields),
    })
}

fn fields(fields: &[Field]) -> Vec<Value> {
    fields
        .iter()
        .map(|f| {
            json!({
                "name": if f.flatten { "(other keys)".to_owned() } else { f.wire.clone() },
                "type": ty_name(&f.ty),
                "doc": f.doc,
                "reason": f.reason,
                "required": !f.is_optional(),
                "sensitive": f.sensitive,
            })
        })
        .collect()
}

fn named_type(t: &NamedType) -> Value {
    match &t.kind {
        TypeKind::Record(record) => json!({
            "name": t.name.to_string(), "doc": t.doc, "kind": "record", "fields": fields(record),
        }),
        TypeKind::Enum(variants) => json!({
            "name": t.name.to_string(), "doc": t.doc, "kind": "enum",
            "values": variants.iter().map(|v| json!({ "value": v.wire, "doc": v.doc }))
                .collect::<Vec<_>>(),
        }),
        TypeKind::IntEnum { repr, values } => json!({
            "name": t.name.to_string(), "doc": t.doc, "kind": format!("enum of {}", repr.name()),
            "values": values.iter().map(|v| json!({ "value": v.value, "doc": v.doc }))
                .collect::<Vec<_>>(),
        }),
    }
}

/// The type as the schema spells it (`optional<list<Coin>>`).
fn ty_name(t: &Ty) -> String {
    match t {
        Ty::Prim(p) => p.name().to_owned(),
        Ty::Optional(inner) => format!("optional<{}>", ty_name(inner)),
        Ty::Nullable(inner) => format!("nullable<{}>", ty_name(inner)),
        Ty::List(inner) => format!("list<{}>", ty_name(inner)),
        Ty::Map(k, v) => format!("map<{}, {}>", ty_name(k), ty_name(v)),
        Ty::Tuple(items) => {
            format!("tuple<{}>", items.iter().map(ty_name).collect::<Vec<_>>().join(", "))
        }
        Ty::Any => "any".to_owned(),
        Ty::Named(name) => name.to_string(),
    }
}
