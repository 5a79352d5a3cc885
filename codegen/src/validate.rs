//! Loading the schema files and checking them, collecting every error, into an [`Ir`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_saphyr::{Location, Spanned};

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{
    Endpoint, Field, Ir, NamedType, RustIdent, Service, Ty, TypeFile, TypeKind, TypeName, Variant,
    is_ident,
};
use crate::schema::{FieldDef, SchemaFile};
use crate::typeexpr::{self, TypeExpr};

/// Module names the generator uses itself; no service may take them.
const RESERVED_MODULES: &[&str] = &["service", "types", "dispatch"];

/// A parsed schema file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the root, with `/` separators (`schema/full_node.yaml`).
    pub rel: String,
    /// The text, for locating errors inside scalars.
    pub text: String,
    /// The parsed content.
    pub parsed: SchemaFile,
}

/// Every `*.yaml` under `dir`, recursively, sorted by path.
pub fn yaml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    // A missing schema directory is an error, not an empty schema.
    std::fs::read_dir(dir)?;
    let mut files = crate::list_files(dir)?;
    files.retain(|path| path.extension().is_some_and(|e| e == "yaml"));
    Ok(files)
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses every schema file under `schema_dir`; errors name paths relative to `root`.
pub fn parse_dir(schema_dir: &Path, root: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let rel_dir = relative(schema_dir, root);
    let paths = yaml_files(schema_dir).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: rel_dir.clone(),
            line: 1,
            column: 1,
            context: "schema directory".into(),
            message: format!("cannot read: {e}"),
        }])
    })?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let rel = relative(&path, root);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                errors.push(Diagnostic {
                    file: rel,
                    line: 1,
                    column: 1,
                    context: "file".into(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        match parse_str(&rel, text) {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(Diagnostics(errors).finish()) }
}

/// Parses one file's text; YAML and shape errors become one located [`Diagnostic`].
pub fn parse_str(rel: &str, text: String) -> Result<SourceFile, Diagnostic> {
    match serde_saphyr::from_str::<SchemaFile>(&text) {
        Ok(parsed) => Ok(SourceFile { rel: rel.to_owned(), text, parsed }),
        Err(e) => {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            let plain = e.without_snippet().to_string();
            let suffix = format!(" at line {line}, column {column}");
            let mut message = plain.strip_suffix(&suffix).unwrap_or(&plain).trim().to_owned();
            if message.starts_with("unknown field `") && message.contains('>') {
                // `{ type: map<str, u64>, … }`: the comma ends the flow mapping's value.
                message.push_str(" (quote a type with `,` inside `{ }`: type: \"map<str, u64>\")");
            }
            Err(Diagnostic {
                file: rel.to_owned(),
                line: line.max(1),
                column: column.max(1),
                context: "yaml".into(),
                message,
            })
        }
    }
}

struct Checker<'a> {
    errors: Vec<Diagnostic>,
    file: &'a SourceFile,
}

impl Checker<'_> {
    fn at(&mut self, loc: Location, context: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Diagnostic {
            file: self.file.rel.clone(),
            line: loc.line().max(1),
            column: loc.column().max(1),
            context: context.into(),
            message: message.into(),
        });
    }

    /// The column of character `offset` of the scalar starting at `loc` (skipping a quote).
    fn scalar_column(&self, loc: Location, offset: usize) -> u64 {
        let line = self.file.text.lines().nth(loc.line().saturating_sub(1) as usize).unwrap_or("");
        let first = line.chars().nth(loc.column().saturating_sub(1) as usize);
        let quote = u64::from(matches!(first, Some('"' | '\'')));
        loc.column() + quote + offset as u64
    }
}

/// Types known globally: name -> (file index, location).
type TypeTable = BTreeMap<String, (usize, Location)>;

/// Checks every file and builds the [`Ir`].
pub fn lower(files: &[SourceFile]) -> Result<Ir, Diagnostics> {
    let mut errors = Vec::new();

    // Pass 1: global type names and type modules.
    let mut types: TypeTable = BTreeMap::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        let mut c = Checker { errors: Vec::new(), file };
        if let Some((_, first)) = file.parsed.types.first() {
            let stem = module_stem(&file.rel);
            if !is_snake_ident(&stem) {
                c.at(
                    first.referenced,
                    "file",
                    format!("file name `{stem}` is not a snake_case Rust identifier"),
                );
            } else if let Some(other) = modules.insert(stem.clone(), file.rel.clone()) {
                c.at(
                    first.referenced,
                    "file",
                    format!("types module `{stem}` is also produced by {other}; rename one file"),
                );
            }
        }
        for (name, def) in &file.parsed.types {
            let context = format!("type {name}");
            if !is_type_name(name) {
                c.at(def.referenced, &context, "a type name must be an UpperCamelCase identifier");
            }
            if let Some((other, loc)) = types.get(name) {
                let where_ = format!("{}:{}:{}", files[*other].rel, loc.line(), loc.column());
                c.at(def.referenced, &context, format!("type declared twice (first at {where_})"));
            } else {
                types.insert(name.clone(), (index, def.referenced));
            }
        }
        errors.append(&mut c.errors);
    }

    // Pass 2: services.
    let mut services: Vec<Service> = Vec::new();
    let mut service_locs: BTreeMap<String, (usize, Location)> = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut type_refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut type_files = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let mut c = Checker { errors: Vec::new(), file };
        let service_title = file.parsed.service.as_ref().map(|s| s.value.title.clone());
        if let Some(service) = &file.parsed.service {
            let loc = service.referenced;
            let def = &service.value;
            let context = format!("service {}", def.name);
            if !is_snake_ident(&def.name) || RESERVED_MODULES.contains(&def.name.as_str()) {
                c.at(loc, &context, "the service name must be a snake_case identifier other than service, types, dispatch");
            }
            if service_locs.contains_key(&def.name) {
                c.at(loc, &context, "service declared twice");
            }
            service_locs.insert(def.name.clone(), (index, loc));
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
            let mut names: BTreeSet<String> = BTreeSet::new();
            for (name, ep) in &file.parsed.endpoints {
                let ctx = format!("endpoint {name}");
                if !is_snake_ident(name) || name == "new" {
                    c.at(ep.referenced, &ctx, "an endpoint name must be a snake_case identifier");
                    continue;
                }
                let request_type = TypeName::new(name.to_upper_camel_case());
                let response_type = TypeName::new(format!("{request_type}Response"));
                for ty in [&request_type, &response_type] {
                    if !names.insert(ty.to_string()) {
                        c.at(
                            ep.referenced,
                            &ctx,
                            format!("generated type name `{ty}` clashes with another endpoint's"),
                        );
                    }
                }
                let e = &ep.value;
                let request = lower_fields(
                    &mut c,
                    &types,
                    &e.request,
                    &format!("{ctx}, request field"),
                    &mut |n| {
                        used.insert(n.to_owned());
                    },
                );
                let response = lower_fields(
                    &mut c,
                    &types,
                    &e.response,
                    &format!("{ctx}, response field"),
                    &mut |n| {
                        used.insert(n.to_owned());
                    },
                );
                for f in &request {
                    if f.is_optional() && f.ident.as_str() == "new" {
                        c.at(ep.referenced, &ctx, "an optional request field cannot be called `new`: give it a `rust_name`");
                    }
                }
                if let Some((_, f)) = e.response.iter().find(|(k, _)| k.as_str() == "success") {
                    c.at(
                        f.referenced,
                        format!("{ctx}, response field success"),
                        "`success` is implicit in every response; remove it",
                    );
                }
                endpoints.push(Endpoint {
                    name: name.clone(),
                    method: RustIdent::new(name.clone()),
                    request_type,
                    response_type,
                    summary: e.summary.trim().to_owned(),
                    description: e
                        .description
                        .as_ref()
                        .map(|d| d.trim().to_owned())
                        .filter(|d| !d.is_empty()),
                    access: e.access,
                    since: e.since.clone(),
                    deprecated: e.deprecated.clone(),
                    request,
                    response,
                });
            }
            let variant = TypeName::new(def.name.to_upper_camel_case());
            let config_key = def.config_key.clone().unwrap_or_default();
            services.push(Service {
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
            });
        } else if let Some((name, ep)) = file.parsed.endpoints.first() {
            c.at(
                ep.referenced,
                format!("endpoint {name}"),
                "endpoints need a `service` section in the same file",
            );
        }

        let mut named = Vec::new();
        for (name, def) in &file.parsed.types {
            let ctx = format!("type {name}");
            let t = &def.value;
            let kind = match (&t.fields, &t.variants) {
                (Some(fields), None) => {
                    let mut refs = Vec::new();
                    let fields =
                        lower_fields(&mut c, &types, fields, &format!("{ctx}, field"), &mut |n| {
                            refs.push(n.to_owned());
                        });
                    type_refs.insert(name.clone(), refs);
                    TypeKind::Record(fields)
                }
                (None, Some(variants)) => {
                    let mut out: Vec<Variant> = Vec::new();
                    if variants.is_empty() {
                        c.at(def.referenced, &ctx, "an enum needs at least one variant");
                    }
                    for (wire, doc) in variants {
                        let ident = wire.to_upper_camel_case();
                        if !is_type_name(&ident) {
                            c.at(
                                def.referenced,
                                &ctx,
                                format!("variant `{wire}` does not make a Rust identifier"),
                            );
                            continue;
                        }
                        if out.iter().any(|v| v.ident.as_str() == ident) {
                            c.at(
                                def.referenced,
                                &ctx,
                                format!("variant `{wire}` gives the Rust name `{ident}` twice"),
                            );
                            continue;
                        }
                        out.push(Variant {
                            wire: wire.clone(),
                            ident: TypeName::new(ident),
                            doc: doc.trim().to_owned(),
                        });
                    }
                    TypeKind::Enum(out)
                }
                (Some(_), Some(_)) => {
                    c.at(
                        def.referenced,
                        &ctx,
                        "a type has either `fields` or `variants`, not both",
                    );
                    continue;
                }
                (None, None) => {
                    c.at(def.referenced, &ctx, "a type needs `fields` or `variants`");
                    continue;
                }
            };
            named.push(NamedType {
                name: TypeName::new(name.clone()),
                doc: t.doc.trim().to_owned(),
                kind,
            });
        }
        if !file.parsed.types.is_empty() {
            type_files.push(TypeFile {
                module: RustIdent::new(module_stem(&file.rel)),
                source: file.rel.clone(),
                service_title,
                types: named,
            });
        }
        errors.append(&mut c.errors);
    }

    // Extends.
    for service in &services {
        let Some(target) = &service.extends else { continue };
        let ok = services.iter().any(|s| &s.name == target && !s.shared && s.name != service.name);
        if !ok && let Some((index, loc)) = service_locs.get(&service.name) {
            let mut c = Checker { errors: Vec::new(), file: &files[*index] };
            c.at(
                *loc,
                format!("service {}", service.name),
                format!("`extends: {target}` does not name another service"),
            );
            errors.append(&mut c.errors);
        }
    }

    // Endpoints of a service must not shadow shared ones.
    if let Some(shared) = services.iter().find(|s| s.shared) {
        let shared_names: BTreeSet<&str> =
            shared.endpoints.iter().map(|e| e.name.as_str()).collect();
        for service in services.iter().filter(|s| !s.shared) {
            for e in &service.endpoints {
                if shared_names.contains(e.name.as_str())
                    && let Some((index, _)) = service_locs.get(&service.name)
                {
                    let file = &files[*index];
                    let loc = file.parsed.endpoints.get(&e.name).map(|s| s.referenced);
                    if let Some(loc) = loc {
                        let mut c = Checker { errors: Vec::new(), file };
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

    // Unused types: everything not reachable from an endpoint.
    let mut reachable: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = used.into_iter().collect();
    while let Some(name) = stack.pop() {
        if reachable.insert(name.clone())
            && let Some(refs) = type_refs.get(&name)
        {
            stack.extend(refs.iter().filter(|r| !reachable.contains(*r)).cloned());
        }
    }
    for (name, (index, loc)) in &types {
        if !reachable.contains(name) {
            let mut c = Checker { errors: Vec::new(), file: &files[*index] };
            c.at(*loc, format!("type {name}"), "declared but not used by any endpoint");
            errors.append(&mut c.errors);
        }
    }

    if !errors.is_empty() {
        return Err(Diagnostics(errors).finish());
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    type_files.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(Ir { services, type_files })
}

fn lower_fields(
    c: &mut Checker<'_>,
    types: &TypeTable,
    fields: &indexmap::IndexMap<String, Spanned<FieldDef>>,
    context: &str,
    uses: &mut dyn FnMut(&str),
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for (wire, def) in fields {
        let ctx = format!("{context} {wire}");
        let loc = def.referenced;
        let f = &def.value;
        let ident = match &f.rust_name {
            Some(name) => {
                if !is_snake_ident(name) {
                    c.at(
                        loc,
                        &ctx,
                        format!("rust_name `{name}` is not a snake_case Rust identifier"),
                    );
                    continue;
                }
                name.clone()
            }
            None => {
                let snake = wire.to_snake_case();
                let plain = !wire.is_empty()
                    && wire.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    && !wire.starts_with(|ch: char| ch.is_ascii_digit());
                if !plain || !is_snake_ident(&snake) {
                    c.at(
                        loc,
                        &ctx,
                        "the wire name is not a Rust identifier: give the field a `rust_name`",
                    );
                    continue;
                }
                snake
            }
        };
        if out.iter().any(|o| o.ident.as_str() == ident) {
            c.at(loc, &ctx, format!("Rust field name `{ident}` is used twice"));
            continue;
        }
        let ty_loc = f.ty.referenced;
        let expr = match typeexpr::parse(&f.ty.value) {
            Ok(expr) => expr,
            Err(e) => {
                let column = c.scalar_column(ty_loc, e.offset);
                c.errors.push(Diagnostic {
                    file: c.file.rel.clone(),
                    line: ty_loc.line().max(1),
                    column,
                    context: ctx.clone(),
                    message: format!("malformed type `{}`: {}", f.ty.value, e.message),
                });
                continue;
            }
        };
        let mut names = Vec::new();
        expr.named(&mut names);
        let mut resolved = true;
        for (name, offset) in names {
            if types.contains_key(&name) {
                uses(&name);
            } else {
                resolved = false;
                let column = c.scalar_column(ty_loc, offset);
                c.errors.push(Diagnostic {
                    file: c.file.rel.clone(),
                    line: ty_loc.line().max(1),
                    column,
                    context: ctx.clone(),
                    message: format!("unknown type `{name}`"),
                });
            }
        }
        if expr.contains_any() && f.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            c.at(loc, &ctx, "a type with `any` needs a `reason`");
        }
        if !resolved {
            continue;
        }
        out.push(Field {
            wire: wire.clone(),
            ident: RustIdent::new(ident),
            doc: f.doc.trim().to_owned(),
            ty: to_ty(&expr),
            reason: f.reason.as_ref().map(|r| r.trim().to_owned()),
        });
    }
    out
}

fn to_ty(expr: &TypeExpr) -> Ty {
    match expr {
        TypeExpr::Prim(p) => Ty::Prim(*p),
        TypeExpr::Optional(t) => Ty::Optional(Box::new(to_ty(t))),
        TypeExpr::Nullable(t) => Ty::Nullable(Box::new(to_ty(t))),
        TypeExpr::List(t) => Ty::List(Box::new(to_ty(t))),
        TypeExpr::Map(k, v) => Ty::Map(Box::new(to_ty(k)), Box::new(to_ty(v))),
        TypeExpr::Tuple(items) => Ty::Tuple(items.iter().map(to_ty).collect()),
        TypeExpr::Any => Ty::Any,
        TypeExpr::Named(name, _) => Ty::Named(TypeName::new(name.clone())),
    }
}

/// The file stem of a relative path (`schema/types/coins.yaml` -> `coins`).
fn module_stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".yaml").unwrap_or(name).to_owned()
}

fn is_snake_ident(s: &str) -> bool {
    is_ident(s)
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with('_')
}

fn is_type_name(s: &str) -> bool {
    is_ident(s)
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_one(yaml: &str) -> Result<Ir, Diagnostics> {
        let file = parse_str("schema/x.yaml", yaml.to_owned()).map_err(|d| Diagnostics(vec![d]))?;
        lower(&[file])
    }

    const HEAD: &str = "service:\n  name: full_node\n  title: Full node\n  doc: A node.\n  default_port: 8555\n  config_key: full_node\nendpoints:\n  get_x:\n    summary: X.\n    access: read\n    request:\n";

    fn messages(yaml: &str) -> Vec<String> {
        match lower_one(yaml) {
            Ok(_) => Vec::new(),
            Err(d) => d.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn names_fields_for_rust() {
        let ir = lower_one(&format!(
            "{HEAD}      type: {{ type: str, doc: T. }}\n      peerCount: {{ type: u32, doc: C. }}\n      a-b: {{ type: u8, doc: D., rust_name: a_b }}\n"
        ))
        .expect("valid");
        let e = &ir.services[0].endpoints[0];
        let names: Vec<(String, &str)> =
            e.request.iter().map(|f| (f.ident.source(), f.wire.as_str())).collect();
        assert_eq!(
            names,
            [
                ("r#type".to_owned(), "type"),
                ("peer_count".to_owned(), "peerCount"),
                ("a_b".to_owned(), "a-b")
            ]
        );
        assert_eq!(e.request_type.as_str(), "GetX");
        assert_eq!(e.response_type.as_str(), "GetXResponse");
    }

    #[test]
    fn rejects_unusable_names() {
        let errors = messages(&format!(
            "{HEAD}      self: {{ type: str, doc: S. }}\n      fooBar: {{ type: u8, doc: A. }}\n      foo_bar: {{ type: u8, doc: B. }}\n      m: {{ type: 'map<f64, u8>', doc: M. }}\n"
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:12:13: endpoint get_x, request field self: the wire name is not a Rust identifier: give the field a `rust_name`",
                "schema/x.yaml:14:16: endpoint get_x, request field foo_bar: Rust field name `foo_bar` is used twice",
                "schema/x.yaml:15:23: endpoint get_x, request field m: malformed type `map<f64, u8>`: map key `f64` is not `str`, an integer or a `bytes` type",
            ]
        );
    }

    #[test]
    fn requires_a_service_for_endpoints_and_a_known_parent() {
        let errors = messages("endpoints:\n  get_x:\n    summary: X.\n    access: read\n");
        assert_eq!(
            errors,
            [
                "schema/x.yaml:3:5: endpoint get_x: endpoints need a `service` section in the same file"
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
