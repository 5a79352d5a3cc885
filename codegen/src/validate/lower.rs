//! Checking parsed schema files together and lowering them into the [`Ir`]: type names first,
//! then each file's service and types, then the rules that span files (`extends`, shared
//! routes, unused types).

use std::collections::{BTreeMap, BTreeSet};

use super::analysis::analyse;
use super::checker::{Checker, TypeTable, types_module};
use super::events::{attach_events, check_event_names, is_daemon_name, lower_events};
use super::parse::SourceFile;
use super::service::{Scope, ServiceLocs, collect_parts, lower_part, lower_service};
use super::types::{collect_types, lower_types, lower_variants};
use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{ErrorCodes, Ir, RustIdent, Service, TypeFile};

/// Checks every file and builds the [`Ir`].
pub fn lower(files: &[SourceFile]) -> Result<Ir, Diagnostics> {
    let mut errors = Vec::new();
    let types = collect_types(files, &mut errors);
    let parts = collect_parts(files, &types, &mut errors);

    // Pass 2: each file's service (or part of one) and types.
    let mut services: Vec<Service> = Vec::new();
    let mut service_locs: ServiceLocs = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut used_parts: BTreeSet<String> = BTreeSet::new();
    let mut type_refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut type_files = Vec::new();
    let mut pieces = Vec::new();
    let mut event_pieces = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let mut c = Checker::new(file);
        let service_title = file.parsed.service.as_ref().map(|s| s.value.title.clone());
        let mut scope =
            Scope { types: &types, parts: &parts, used: &mut used, used_parts: &mut used_parts };
        if let Some(service) =
            lower_service(&mut c, index, &mut scope, &services, &mut service_locs)
        {
            services.push(service);
        }
        if let Some((service, loc, endpoints)) = lower_part(&mut c, &mut scope) {
            pieces.push((index, service, loc, endpoints));
        }
        if let Some(piece) = lower_events(&mut c, index, &mut scope) {
            event_pieces.push(piece);
        }
        let named = lower_types(&mut c, &types, &mut type_refs);
        if !file.parsed.types.is_empty() {
            type_files.push(TypeFile {
                module: RustIdent::new(types_module(&file.rel)),
                source: file.rel.clone(),
                service_title,
                types: named,
            });
        }
        errors.append(&mut c.errors);
    }

    attach_parts(files, &mut services, pieces, &mut errors);
    attach_events(files, &mut services, event_pieces, &mut errors);
    check_event_names(files, &services, &mut errors);
    check_daemon_names(files, &services, &service_locs, &mut errors);
    check_extends(files, &services, &service_locs, &mut errors);
    check_shared_shadowing(files, &services, &service_locs, &mut errors);
    check_unused(files, &types, used, &type_refs, &mut errors);
    for (name, part) in &parts {
        if !used_parts.contains(name) {
            let mut c = Checker::new(&files[part.file]);
            c.at(part.loc, format!("part {name}"), "declared but not included by any endpoint");
            errors.append(&mut c.errors);
        }
    }
    check_type_names(files, &types, &services, &mut errors);
    let error_codes = lower_error_codes(files, &mut errors);

    if !errors.is_empty() {
        return Err(Diagnostics(errors).finish());
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    type_files.sort_by(|a, b| a.source.cmp(&b.source));
    let mut ir = Ir { services, type_files, error_codes };
    analyse(&mut ir);
    Ok(ir)
}

/// Names generated code imports or defines beside the named types, which no type may take.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Address",
    "BTreeMap",
    "Bytes",
    "Bytes4",
    "Bytes8",
    "Bytes32",
    "Bytes48",
    "Bytes96",
    "Bytes100",
    "G1Element",
    "G2Element",
    "Service",
    "ServiceClients",
    "RpcErrorCode",
    "UnknownService",
    "Result",
    "Event",
    "UnknownEvent",
    "Option",
    "Vec",
    "String",
    "Box",
];

/// A named type must not take a name the generated code uses for something else: a runtime
/// import, or a request, response or call builder type of an endpoint.
fn check_type_names(
    files: &[SourceFile],
    types: &TypeTable,
    services: &[Service],
    errors: &mut Vec<Diagnostic>,
) {
    let mut generated: BTreeMap<String, String> = BTreeMap::new();
    for s in services {
        for e in &s.endpoints {
            for ty in [&e.request_type, &e.response_type, &e.call_type] {
                generated.insert(ty.to_string(), format!("of endpoint {} of {}", e.name, s.name));
            }
        }
        generated.insert(s.handle.to_string(), format!("the handle of {}", s.name));
        generated.insert(format!("{}Event", s.variant), format!("the event enum of {}", s.name));
        for e in &s.events {
            generated
                .insert(e.struct_name.to_string(), format!("of event {} of {}", e.command, s.name));
        }
    }
    for (name, (index, loc)) in types {
        let clash = if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            Some("a name the generated code imports".to_owned())
        } else {
            generated.get(name).map(|what| format!("the generated type {what}"))
        };
        if let Some(clash) = clash {
            let mut c = Checker::new(&files[*index]);
            c.at(*loc, format!("type {name}"), format!("the name is taken: {clash}"));
            errors.append(&mut c.errors);
        }
    }
}

/// The `error_codes` of the one file that declares them.
fn lower_error_codes(files: &[SourceFile], errors: &mut Vec<Diagnostic>) -> Option<ErrorCodes> {
    let mut found: Option<ErrorCodes> = None;
    for file in files {
        let Some(codes) = &file.parsed.error_codes else { continue };
        let mut c = Checker::new(file);
        if let Some(first) = &found {
            c.at(
                codes.referenced,
                "error_codes",
                format!("error codes are already declared in {}", first.source),
            );
        } else {
            let variants = lower_variants(&mut c, codes.referenced, "error_codes", &codes.value);
            found = Some(ErrorCodes { source: file.rel.clone(), variants });
        }
        errors.append(&mut c.errors);
    }
    found
}

/// Appends the endpoints of `part_of` files to their services; the service must exist and no
/// route or generated type name may repeat across its files.
fn attach_parts(
    files: &[SourceFile],
    services: &mut [Service],
    pieces: Vec<(usize, String, serde_saphyr::Location, Vec<crate::ir::Endpoint>)>,
    errors: &mut Vec<Diagnostic>,
) {
    for (index, name, loc, endpoints) in pieces {
        let mut c = Checker::new(&files[index]);
        match services.iter_mut().find(|s| s.name == name) {
            Some(service) => {
                for e in endpoints {
                    let taken = service.endpoints.iter().any(|other| {
                        other.name == e.name
                            || [&other.request_type, &other.response_type, &other.call_type]
                                .iter()
                                .any(|t| {
                                    [&e.request_type, &e.response_type, &e.call_type].contains(t)
                                })
                    });
                    if taken {
                        let at = files[index]
                            .parsed
                            .endpoints
                            .get(&e.name)
                            .map_or(loc, |d| d.referenced);
                        c.at(
                            at,
                            format!("endpoint {}", e.name),
                            format!("the route or its generated names are already in {name}"),
                        );
                    } else {
                        service.endpoints.push(e);
                    }
                }
            }
            None => c.at(loc, "part_of", format!("no service `{name}` is declared")),
        }
        errors.append(&mut c.errors);
    }
}

/// An `extends` must name another service that is not the shared routes.
fn check_extends(
    files: &[SourceFile],
    services: &[Service],
    service_locs: &ServiceLocs,
    errors: &mut Vec<Diagnostic>,
) {
    for service in services {
        let Some(target) = &service.extends else { continue };
        let ok = services.iter().any(|s| &s.name == target && !s.shared && s.name != service.name);
        if !ok && let Some((index, loc)) = service_locs.get(&service.name) {
            let mut c = Checker::new(&files[*index]);
            c.at(
                *loc,
                format!("service {}", service.name),
                format!("`extends: {target}` does not name another service"),
            );
            errors.append(&mut c.errors);
        }
    }
}

/// A daemon name is taken by one service, or by a service and those that extend it (the
/// simulator registers as the full node); the shared routes have none.
fn check_daemon_names(
    files: &[SourceFile],
    services: &[Service],
    service_locs: &ServiceLocs,
    errors: &mut Vec<Diagnostic>,
) {
    for service in services {
        let Some(name) = &service.daemon_name else { continue };
        let problem = if service.shared {
            Some("the shared routes have no `daemon_name`".to_owned())
        } else if !is_daemon_name(name) {
            Some(format!("`daemon_name: {name}` is not lowercase letters, digits and `_`"))
        } else {
            services
                .iter()
                .find(|other| {
                    other.name != service.name
                        && other.daemon_name.as_ref() == Some(name)
                        && other.extends.as_ref() != Some(&service.name)
                        && service.extends.as_ref() != Some(&other.name)
                })
                .map(|other| format!("`daemon_name: {name}` is also {}'s", other.name))
        };
        if let (Some(message), Some((index, loc))) = (problem, service_locs.get(&service.name)) {
            let mut c = Checker::new(&files[*index]);
            c.at(*loc, format!("service {}", service.name), message);
            errors.append(&mut c.errors);
        }
    }
}

/// Endpoints of a service must not shadow shared ones.
fn check_shared_shadowing(
    files: &[SourceFile],
    services: &[Service],
    service_locs: &ServiceLocs,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(shared) = services.iter().find(|s| s.shared) else { return };
    let shared_names: BTreeSet<&str> = shared.endpoints.iter().map(|e| e.name.as_str()).collect();
    // The daemon does not serve the shared routes, so its commands may share their names.
    for service in services.iter().filter(|s| !s.shared && !s.websocket) {
        for e in &service.endpoints {
            if shared_names.contains(e.name.as_str())
                && let Some((index, _)) = service_locs.get(&service.name)
            {
                let file = &files[*index];
                let loc = file.parsed.endpoints.get(&e.name).map(|s| s.referenced);
                if let Some(loc) = loc {
                    let mut c = Checker::new(file);
                    c.at(
                        loc,
                        format!("endpoint {}", e.name),
                        format!("already a shared route of `{}`", shared.name),
                    );
                    errors.append(&mut c.errors);
                }
            }
        }
    }
}

/// Every declared type must be reachable from an endpoint: from the types endpoints `used`,
/// through the fields of records (`type_refs`).
fn check_unused(
    files: &[SourceFile],
    types: &TypeTable,
    used: BTreeSet<String>,
    type_refs: &BTreeMap<String, Vec<String>>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut reachable: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = used.into_iter().collect();
    while let Some(name) = stack.pop() {
        if reachable.insert(name.clone())
            && let Some(refs) = type_refs.get(&name)
        {
            stack.extend(refs.iter().filter(|r| !reachable.contains(*r)).cloned());
        }
    }
    for (name, (index, loc)) in types {
        if !reachable.contains(name) {
            let mut c = Checker::new(&files[*index]);
            c.at(*loc, format!("type {name}"), "declared but not used by any endpoint");
            errors.append(&mut c.errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{HEAD, messages};

    #[test]
    fn requires_a_service_for_endpoints_and_a_known_parent() {
        let errors = messages("endpoints:\n  get_x:\n    summary: X.\n    access: read\n");
        assert_eq!(
            errors,
            [
                "schema/x.yaml:3:5: endpoint get_x: endpoints need a `service` section or a `part_of` in the same file"
            ]
        );
        let errors = messages(
            &HEAD
                .replace("config_key: full_node\n", "config_key: full_node\n  extends: nowhere\n")
                .replace("    request:\n", ""),
        );
        assert_eq!(
            errors,
            [
                "schema/x.yaml:2:3: service full_node: `extends: nowhere` does not name another service"
            ]
        );
    }
}
