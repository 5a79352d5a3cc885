//! Checking the `service` section of a file and its endpoints, and lowering them into a
//! [`Service`] of the IR.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_saphyr::{Location, Spanned};

use super::checker::{Checker, TypeTable, is_snake_ident};
use super::fields::lower_fields;
use crate::ir::{Endpoint, RustIdent, Service, TypeName};
use crate::schema::EndpointDef;

/// Module names the generator uses itself; no service may take them.
const RESERVED_MODULES: &[&str] = &["service", "types", "dispatch", "error_codes"];

/// Methods of every generated request and call builder, which an optional field's setter
/// would clash with.
const CALL_METHODS: &[&str] =
    &["new", "timeout", "strictness", "request", "into_call", "into_future", "send"];

/// Where each service is declared: name -> (file index, location).
pub(super) type ServiceLocs = BTreeMap<String, (usize, Location)>;

/// Checks and lowers the service of the checker's file, number `index`; `None` when the file
/// declares none (then it must declare no endpoints either). `services` are the ones lowered
/// before; `locs` learns where this one is declared and `used` the named types its endpoints
/// refer to.
pub(super) fn lower_service(
    c: &mut Checker<'_>,
    index: usize,
    types: &TypeTable,
    services: &[Service],
    locs: &mut ServiceLocs,
    used: &mut BTreeSet<String>,
) -> Option<Service> {
    let file = c.file;
    let Some(service) = &file.parsed.service else {
        if let Some((name, ep)) = file.parsed.endpoints.first() {
            c.at(
                ep.referenced,
                format!("endpoint {name}"),
                "endpoints need a `service` section in the same file",
            );
        }
        return None;
    };
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
    } else {
        if def.default_port.is_none() {
            c.at(loc, &context, "missing `default_port`");
        }
        if def.config_key.is_none() {
            c.at(loc, &context, "missing `config_key`");
        }
    }
    let mut endpoints = Vec::new();
    // Generated request and response type names so far, which must not clash.
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (name, ep) in &file.parsed.endpoints {
        if let Some(endpoint) = lower_endpoint(c, name, ep, types, &mut names, used) {
            endpoints.push(endpoint);
        }
    }
    let variant = TypeName::new(def.name.to_upper_camel_case());
    let config_key = def.config_key.clone().unwrap_or_default();
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
        source: file.rel.clone(),
        endpoints,
    })
}

/// Checks and lowers endpoint `name`; `None` when its name is unusable. `names` holds the
/// generated type names of the endpoints before it.
fn lower_endpoint(
    c: &mut Checker<'_>,
    name: &str,
    ep: &Spanned<EndpointDef>,
    types: &TypeTable,
    names: &mut BTreeSet<String>,
    used: &mut BTreeSet<String>,
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
    let request = lower_fields(c, types, &e.request, &format!("{ctx}, request field"), &mut |n| {
        used.insert(n.to_owned());
    });
    let response =
        lower_fields(c, types, &e.response, &format!("{ctx}, response field"), &mut |n| {
            used.insert(n.to_owned());
        });
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
        request,
        response,
    })
}
