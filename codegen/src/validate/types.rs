//! Named types: gathering their names across every file, then checking and lowering the records
//! and string enums each file declares.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use serde_saphyr::Location;

use super::checker::{Checker, TypeTable, is_snake_ident, is_type_name, module_stem};
use super::fields::lower_fields;
use super::parse::SourceFile;
use crate::diag::Diagnostic;
use crate::ir::{NamedType, TypeKind, TypeName, Variant};

/// Pass 1: the names of every declared type and the modules their files become. Errors go to
/// `errors`.
pub(super) fn collect_types(files: &[SourceFile], errors: &mut Vec<Diagnostic>) -> TypeTable {
    let mut types: TypeTable = BTreeMap::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        let mut c = Checker::new(file);
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
    types
}

/// Checks and lowers the types of the checker's file. The named types each record refers to go
/// to `type_refs`, keyed by the record's name.
pub(super) fn lower_types(
    c: &mut Checker<'_>,
    types: &TypeTable,
    type_refs: &mut BTreeMap<String, Vec<String>>,
) -> Vec<NamedType> {
    let file = c.file;
    let mut named = Vec::new();
    for (name, def) in &file.parsed.types {
        let ctx = format!("type {name}");
        let t = &def.value;
        let kind = match (&t.fields, &t.variants) {
            (Some(fields), None) => {
                let mut refs = Vec::new();
                let fields = lower_fields(c, types, fields, &format!("{ctx}, field"), &mut |n| {
                    refs.push(n.to_owned());
                });
                type_refs.insert(name.clone(), refs);
                TypeKind::Record(fields)
            }
            (None, Some(variants)) => {
                TypeKind::Enum(lower_variants(c, def.referenced, &ctx, variants))
            }
            (Some(_), Some(_)) => {
                c.at(def.referenced, &ctx, "a type has either `fields` or `variants`, not both");
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
    named
}

/// Checks the variants of a string enum declared at `loc`: each must make a distinct Rust name.
fn lower_variants(
    c: &mut Checker<'_>,
    loc: Location,
    ctx: &str,
    variants: &IndexMap<String, String>,
) -> Vec<Variant> {
    let mut out: Vec<Variant> = Vec::new();
    if variants.is_empty() {
        c.at(loc, ctx, "an enum needs at least one variant");
    }
    for (wire, doc) in variants {
        let ident = wire.to_upper_camel_case();
        if !is_type_name(&ident) {
            c.at(loc, ctx, format!("variant `{wire}` does not make a Rust identifier"));
            continue;
        }
        if out.iter().any(|v| v.ident.as_str() == ident) {
            c.at(loc, ctx, format!("variant `{wire}` gives the Rust name `{ident}` twice"));
            continue;
        }
        out.push(Variant {
            wire: wire.clone(),
            ident: TypeName::new(ident),
            doc: doc.trim().to_owned(),
        });
    }
    out
}
