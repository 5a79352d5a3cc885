//! Checking the `service` section of a file and its endpoints, and lowering them into a
//! [`Service`] of the IR.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_saphyr::{Location, Spanned};

use super::checker::{Checker, TypeTable, is_snake_ident};
use super::fields::lower_fields;
use crate::ir::{Endpoint, Field, RustIdent, Service, TypeName};
use crate::schema::{EndpointDef, TransportKind};

/// Module names the generator uses itself; no service may take them.
const RESERVED_MODULES: &[&str] = &["service", "types", "dispatch", "error_codes"];

/// Methods of every generated request and call builder, which an optional field's setter
/// would clash with.
const CALL_METHODS: &[&str] = &[
    "new",
    "timeout",
    "read_timeout",
    "max_reply_size",
    "with_options",
    "retry",
    "strictness",
    "request",
    "into_call",
    "into_future",
    "send",
];

/// Where each service is declared: name -> (file index, location).
pub(super) type ServiceLocs = BTreeMap<String, (usize, Location)>;

/// Checks and lowers the service of the checker's file, number `index`; `None` when the file
/// declares none (then it must declare no endpoints either). `services` are the ones lowered
/// before; `locs` learns where this one is declared and `used` the named types its endpoints
/// refer to.
pub(super) fn lower_service(
    c: &mut Checker<'_>,
    index: usize,
    scope: &mut Scope<'_>,
    services: &[Service],
    locs: &mut ServiceLocs,
) -> Option<Service> {
    let file = c.file;
    let Some(service) = &file.parsed.service else {
        if let (Some((name, ep)), None) = (file.parsed.endpoints.first(), &file.parsed.part_of) {
            c.at(
                ep.referenced,
                format!("endpoint {name}"),
                "endpoints need a `service` section or a `part_of` in the same file",
            );
        }
        return None;
    };
    if let Some(part_of) = &file.parsed.part_of {
        c.at(
            part_of.referenced,
            format!("service {}", service.value.name),
            "a file has either `service` or `part_of`, not both",
        );
    }
    let loc = service.referenced;
    let def = &service.value;
    let context = format!("service {}", def.name);
    if !is_snake_ident(&def.name) || RESERVED_MODULES.contains(&def.name.as_str()) {
        c.at(
            loc,
            &context,
            "the service name must be a snake_case identifier other than service, types, dispatch, \
             error_codes",
        );
    }
    if locs.contains_key(&def.name) {
        c.at(loc, &context, "service declared twice");
    }
    locs.insert(def.name.clone(), (index, loc));
    if def.shared {
        if services.iter().any(|s| s.shared) {
            c.at(loc, &context, "only one file may declare `shared: true`");
        }
        if def.extends.is_some() {
            c.at(loc, &context, "the shared routes cannot extend a service");
        }
        if def.transport == TransportKind::Websocket {
            c.at(loc, &context, "the shared routes are served over HTTPS");
        }
    } else {
        if def.default_port.is_none() {
            c.at(loc, &context, "missing `default_port`");
        }
        if def.config_key.is_none() && (def.port_key.is_none() || def.ssl_key.is_none()) {
            c.at(loc, &context, "missing `config_key` (or both `port_key` and `ssl_key`)");
        }
    }
    let mut endpoints = Vec::new();
    // Generated request and response type names so far, which must not clash.
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (name, ep) in &file.parsed.endpoints {
        if let Some(endpoint) = lower_endpoint(c, name, ep, scope, &mut names, None) {
            endpoints.push(endpoint);
        }
    }
    if def.transport == TransportKind::Websocket && def.extends.is_some() {
        c.at(loc, &context, "a WebSocket service cannot extend another");
    }
    let variant = TypeName::new(def.name.to_upper_camel_case());
    let config_key = def.config_key.clone().unwrap_or_default();
    let port_key = def.port_key.clone().unwrap_or_else(|| format!("{config_key}.rpc_port"));
    let ssl_key = def.ssl_key.clone().unwrap_or_else(|| format!("{config_key}.ssl"));
    Some(Service {
        name: def.name.clone(),
        module: RustIdent::new(def.name.clone()),
        handle: TypeName::new(format!("{variant}Rpc")),
        variant,
        title: def.title.trim().to_owned(),
        doc: def.doc.trim().to_owned(),
        shared: def.shared,
        default_port: def.default_port.unwrap_or(0),
        cert_dir: def.cert_dir.clone().unwrap_or_else(|| config_key.clone()),
        config_key,
        extends: def.extends.clone(),
        websocket: def.transport == TransportKind::Websocket,
        daemon_name: def.daemon_name.clone(),
        port_key,
        ssl_key,
        source: file.rel.clone(),
        endpoints,
        events: Vec::new(),
    })
}

/// What lowering endpoints needs from the other files: the named types, the parts, and where
/// to note the named types the endpoints use.
pub(super) struct Scope<'a> {
    /// Every declared type.
    pub(super) types: &'a TypeTable,
    /// Every declared part.
    pub(super) parts: &'a PartTable,
    /// Named types used by endpoints (directly, or through the parts they include).
    pub(super) used: &'a mut BTreeSet<String>,
    /// Parts some endpoint includes.
    pub(super) used_parts: &'a mut BTreeSet<String>,
}

/// The endpoints of a file that is `part_of` another file's service: the service's name, where
/// the file names it, and the endpoints.
pub(super) fn lower_part(
    c: &mut Checker<'_>,
    scope: &mut Scope<'_>,
) -> Option<(String, Location, Vec<Endpoint>)> {
    let file = c.file;
    let part_of = file.parsed.part_of.as_ref().filter(|_| file.parsed.service.is_none())?;
    if file.parsed.endpoints.is_empty() {
        // A file of events (or types) only: no module of endpoints.
        return None;
    }
    let group = super::checker::module_stem(&file.rel);
    if !is_snake_ident(&group) || RESERVED_GROUPS.contains(&group.as_str()) {
        c.at(
            part_of.referenced,
            "file",
            format!(
                "`{group}` is not a snake_case module name other than endpoints, calls, client, events"
            ),
        );
        return None;
    }
    let mut names = BTreeSet::new();
    let group = RustIdent::new(group);
    let endpoints = file
        .parsed
        .endpoints
        .iter()
        .filter_map(|(name, ep)| lower_endpoint(c, name, ep, scope, &mut names, Some(&group)))
        .collect();
    Some((part_of.value.clone(), part_of.referenced, endpoints))
}

/// Module names a part file cannot take inside its service's module.
const RESERVED_GROUPS: &[&str] = &["endpoints", "calls", "client", "events", "mod"];

/// Checks and lowers endpoint `name`; `None` when its name is unusable. `names` holds the
/// generated type names of the endpoints of the same file before it.
fn lower_endpoint(
    c: &mut Checker<'_>,
    name: &str,
    ep: &Spanned<EndpointDef>,
    scope: &mut Scope<'_>,
    names: &mut BTreeSet<String>,
    group: Option<&RustIdent>,
) -> Option<Endpoint> {
    let ctx = format!("endpoint {name}");
    if !is_snake_ident(name) || name == "new" {
        c.at(ep.referenced, &ctx, "an endpoint name must be a snake_case identifier");
        return None;
    }
    let request_type = TypeName::new(name.to_upper_camel_case());
    let response_type = TypeName::new(format!("{request_type}Response"));
    let call_type = TypeName::new(format!("{request_type}Call"));
    for ty in [&request_type, &response_type, &call_type] {
        if !names.insert(ty.to_string()) {
            c.at(
                ep.referenced,
                &ctx,
                format!("generated type name `{ty}` clashes with another endpoint's"),
            );
        }
    }
    let e = &ep.value;
    let used = &mut *scope.used;
    let mut request =
        lower_fields(c, scope.types, &e.request, &format!("{ctx}, request field"), &mut |n| {
            used.insert(n.to_owned());
        });
    let mut response =
        lower_fields(c, scope.types, &e.response, &format!("{ctx}, response field"), &mut |n| {
            used.insert(n.to_owned());
        });
    check_flatten(c, ep, &ctx, &request, &response);
    let request_parts = include_parts(c, ep, &ctx, &e.request_parts, scope, &mut request);
    let response_parts = include_parts(c, ep, &ctx, &e.response_parts, scope, &mut response);
    for f in &request {
        if f.is_optional() && CALL_METHODS.contains(&f.ident.as_str()) {
            c.at(
                ep.referenced,
                &ctx,
                format!(
                    "an optional request field cannot be called `{}` (a method of every request \
                     and call builder): give it a `rust_name`",
                    f.ident
                ),
            );
        }
    }
    let quirks = lower_quirks(c, ep, &ctx);
    if let Some((_, f)) = e.response.iter().find(|(k, _)| k.as_str() == "success") {
        c.at(
            f.referenced,
            format!("{ctx}, response field success"),
            "`success` is implicit in every response; remove it",
        );
    }
    Some(Endpoint {
        name: name.to_owned(),
        method: RustIdent::new(name.to_owned()),
        request_type,
        response_type,
        call_type,
        summary: e.summary.trim().to_owned(),
        description: e.description.as_ref().map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
        access: e.access,
        since: e.since.clone(),
        deprecated: e.deprecated.clone(),
        sensitive: e.sensitive,
        group: group.cloned(),
        source: c.file.rel.clone(),
        request_parts,
        response_parts,
        request,
        response,
        quirks,
    })
}

/// The endpoint's `quirks`, trimmed, in schema order. Each names a field and explains, in a
/// sentence, why upstream's declared class differs from the wire; neither may be empty.
fn lower_quirks(
    c: &mut Checker<'_>,
    ep: &Spanned<EndpointDef>,
    ctx: &str,
) -> Vec<(String, String)> {
    let mut quirks = Vec::new();
    for (field, explanation) in &ep.value.quirks {
        let field = field.trim();
        let text = explanation.value.trim();
        if field.is_empty() {
            c.at(explanation.referenced, ctx, "a quirk needs the name of the field it is about");
            continue;
        }
        if text.is_empty() {
            c.at(
                explanation.referenced,
                format!("{ctx}, quirk {field}"),
                "a quirk needs a sentence explaining how upstream's class differs from the wire",
            );
            continue;
        }
        quirks.push((field.to_owned(), text.to_owned()));
    }
    quirks
}

/// Appends the fields of `parts` to `fields`; returns each part's name and documentation.
fn include_parts(
    c: &mut Checker<'_>,
    ep: &Spanned<EndpointDef>,
    ctx: &str,
    parts: &[String],
    scope: &mut Scope<'_>,
    fields: &mut Vec<Field>,
) -> Vec<(String, String)> {
    let mut included = Vec::new();
    for name in parts {
        let Some(part) = scope.parts.get(name) else {
            c.at(ep.referenced, ctx, format!("unknown part `{name}`"));
            continue;
        };
        scope.used_parts.insert(name.clone());
        for f in &part.fields {
            if fields.iter().any(|own| own.wire == f.wire || own.ident == f.ident) {
                c.at(ep.referenced, ctx, format!("field `{}` is also in part `{name}`", f.wire));
                continue;
            }
            let mut uses = Vec::new();
            f.ty.uses(&mut uses);
            for used in uses {
                if let crate::ir::Ty::Named(type_name) = used {
                    scope.used.insert(type_name.to_string());
                }
            }
            fields.push(Field { part: Some(name.clone()), ..f.clone() });
        }
        included.push((name.clone(), part.doc.clone()));
    }
    included
}

/// A lowered part: its documentation and fields, and where it is declared.
#[derive(Debug, Clone)]
pub(super) struct LoweredPart {
    /// Documentation.
    pub(super) doc: String,
    /// The fields.
    pub(super) fields: Vec<Field>,
    /// The file that declares it.
    pub(super) file: usize,
    /// Where in the file.
    pub(super) loc: Location,
}

/// Every declared part by name.
pub(super) type PartTable = BTreeMap<String, LoweredPart>;

/// Lowers the parts of every file; errors go to `errors`.
pub(super) fn collect_parts(
    files: &[super::parse::SourceFile],
    types: &TypeTable,
    errors: &mut Vec<crate::diag::Diagnostic>,
) -> PartTable {
    let mut parts = PartTable::new();
    for (index, file) in files.iter().enumerate() {
        let mut c = Checker::new(file);
        for (name, def) in &file.parsed.parts {
            let ctx = format!("part {name}");
            if let Some(other) = parts.get(name) {
                let first = &files[other.file];
                let at = format!("{}:{}:{}", first.rel, other.loc.line(), other.loc.column());
                c.at(def.referenced, &ctx, format!("part declared twice (first at {at})"));
                continue;
            }
            let fields = lower_fields(
                &mut c,
                types,
                &def.value.fields,
                &format!("{ctx}, field"),
                &mut |_| {},
            );
            parts.insert(
                name.clone(),
                LoweredPart {
                    doc: def.value.doc.trim().to_owned(),
                    fields,
                    file: index,
                    loc: def.referenced,
                },
            );
        }
        errors.append(&mut c.errors);
    }
    parts
}

/// `flatten` belongs to one `map<str, V>` field of a response, whose values hold no `u128`
/// (serde buffers flattened values, and its buffer has no 128-bit integers).
fn check_flatten(
    c: &mut Checker<'_>,
    ep: &Spanned<EndpointDef>,
    ctx: &str,
    request: &[Field],
    response: &[Field],
) {
    use crate::ir::Ty;
    use crate::typeexpr::Prim;
    if request.iter().any(|f| f.flatten) {
        c.at(ep.referenced, ctx, "`flatten` is for response fields only");
    }
    let flattened: Vec<&Field> = response.iter().filter(|f| f.flatten).collect();
    if flattened.len() > 1 {
        c.at(ep.referenced, ctx, "at most one response field can be `flatten`");
    }
    for f in flattened {
        let fits = matches!(&f.ty, Ty::Map(key, value)
            if **key == Ty::Prim(Prim::Str) && !format!("{}", value.rust()).contains("u128"));
        if !fits {
            c.at(
                ep.referenced,
                ctx,
                format!("`flatten` field `{}` must be a map<str, V> without u128 in V", f.wire),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{HEAD, lower_one, messages};

    /// `HEAD` with one request field `f` and the endpoint's `quirks` section `quirks`.
    fn with_quirks(quirks: &str) -> String {
        format!("{HEAD}      f: {{ type: u8, doc: F. }}\n    quirks:\n{quirks}")
    }

    #[test]
    fn quirks_are_carried_in_schema_order() {
        let ir = lower_one(&with_quirks(
            "      f: Upstream declares it as a uint16.\n      gone: \" Upstream's class has it; the wire does not. \"\n",
        ))
        .expect("valid");
        assert_eq!(
            ir.services[0].endpoints[0].quirks,
            [
                ("f".to_owned(), "Upstream declares it as a uint16.".to_owned()),
                ("gone".to_owned(), "Upstream's class has it; the wire does not.".to_owned()),
            ]
        );
        // Without `quirks`, none.
        let ir = lower_one(&format!("{HEAD}      f: {{ type: u8, doc: F. }}\n")).expect("valid");
        assert!(ir.services[0].endpoints[0].quirks.is_empty());
    }

    #[test]
    fn quirks_need_a_field_and_an_explanation() {
        let errors = messages(&with_quirks(
            "      f: \"  \"\n      g: ''\n      h: Fine.\n      \"\": Nameless.\n",
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:14:10: endpoint get_x, quirk f: a quirk needs a sentence explaining how upstream's class differs from the wire",
                "schema/x.yaml:15:10: endpoint get_x, quirk g: a quirk needs a sentence explaining how upstream's class differs from the wire",
                "schema/x.yaml:17:11: endpoint get_x: a quirk needs the name of the field it is about",
            ]
        );
        // A quirk without any value is not a string at all.
        let errors = messages(&with_quirks("      f:\n"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("schema/x.yaml:14:"), "{errors:?}");
    }
}
