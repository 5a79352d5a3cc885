//! Named types: gathering their names across every file, then checking and lowering the records
//! and string enums each file declares.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use serde_saphyr::Location;

use super::checker::{Checker, TypeTable, is_snake_ident, is_type_name, types_module};
use super::fields::lower_fields;
use super::parse::SourceFile;
use crate::diag::Diagnostic;
use crate::ir::{IntVariant, NamedType, Traits, TypeKind, TypeName, Variant};
use crate::schema::ValueDef;
use crate::typeexpr::Prim;

/// Pass 1: the names of every declared type and the modules their files become. Errors go to
/// `errors`.
pub(super) fn collect_types(files: &[SourceFile], errors: &mut Vec<Diagnostic>) -> TypeTable {
    let mut types: TypeTable = BTreeMap::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        let mut c = Checker::new(file);
        if let Some((_, first)) = file.parsed.types.first() {
            let stem = types_module(&file.rel);
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
        let kind = match (&t.fields, &t.variants, &t.values) {
            (Some(fields), None, None) => {
                let mut refs = Vec::new();
                let fields = lower_fields(c, types, fields, &format!("{ctx}, field"), &mut |n| {
                    refs.push(n.to_owned());
                });
                type_refs.insert(name.clone(), refs);
                TypeKind::Record(fields)
            }
            (None, Some(variants), None) => {
                TypeKind::Enum(lower_variants(c, def.referenced, &ctx, variants))
            }
            (None, None, Some(values)) => {
                let Some(repr) = int_repr(c, def.referenced, &ctx, t.repr.as_deref()) else {
                    continue;
                };
                TypeKind::IntEnum {
                    repr,
                    values: lower_values(c, def.referenced, &ctx, repr, values),
                }
            }
            (None, None, None) => {
                c.at(def.referenced, &ctx, "a type needs `fields`, `variants` or `values`");
                continue;
            }
            _ => {
                c.at(
                    def.referenced,
                    &ctx,
                    "a type has only one of `fields`, `variants` and `values`",
                );
                continue;
            }
        };
        if t.repr.is_some() && !matches!(kind, TypeKind::IntEnum { .. }) {
            c.at(def.referenced, &ctx, "`repr` belongs to an integer enum (`values`)");
        }
        if t.frozen && !matches!(kind, TypeKind::Record(_)) {
            c.at(def.referenced, &ctx, "only a record (`fields`) can be `frozen`");
        }
        named.push(NamedType {
            name: TypeName::new(name.clone()),
            doc: t.doc.trim().to_owned(),
            kind,
            frozen: t.frozen,
            traits: Traits::ALL,
            buildable: false,
        });
    }
    named
}

/// Checks the variants of a string enum declared at `loc`: each must make a distinct Rust name.
pub(super) fn lower_variants(
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
        if !is_type_name(&ident) || ident == "Other" {
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

/// The integer type named by an integer enum's `repr`.
fn int_repr(c: &mut Checker<'_>, loc: Location, ctx: &str, repr: Option<&str>) -> Option<Prim> {
    let Some(repr) = repr else {
        c.at(loc, ctx, "an integer enum (`values`) needs a `repr`: u8, u16, u32, u64, i8, …");
        return None;
    };
    match Prim::from_name(repr) {
        Some(p @ (Prim::U8 | Prim::U16 | Prim::U32 | Prim::U64)) => Some(p),
        Some(p @ (Prim::I8 | Prim::I16 | Prim::I32 | Prim::I64)) => Some(p),
        _ => {
            c.at(loc, ctx, format!("`repr: {repr}` is not an integer type of at most 64 bits"));
            None
        }
    }
}

/// The range of numbers `repr` holds.
fn repr_range(repr: Prim) -> (i128, i128) {
    match repr {
        Prim::U8 => (0, u8::MAX.into()),
        Prim::U16 => (0, u16::MAX.into()),
        Prim::U32 => (0, u32::MAX.into()),
        Prim::U64 => (0, u64::MAX.into()),
        Prim::I8 => (i8::MIN.into(), i8::MAX.into()),
        Prim::I16 => (i16::MIN.into(), i16::MAX.into()),
        Prim::I32 => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    }
}

/// Checks the numbers of an integer enum: Rust names, distinct values that fit `repr`.
fn lower_values(
    c: &mut Checker<'_>,
    loc: Location,
    ctx: &str,
    repr: Prim,
    values: &IndexMap<String, ValueDef>,
) -> Vec<IntVariant> {
    let mut out: Vec<IntVariant> = Vec::new();
    if values.is_empty() {
        c.at(loc, ctx, "an enum needs at least one value");
    }
    let (min, max) = repr_range(repr);
    for (name, def) in values {
        if !is_type_name(name) || name == "Other" {
            c.at(loc, ctx, format!("`{name}` is not an UpperCamelCase name other than `Other`"));
            continue;
        }
        if !(min..=max).contains(&i128::from(def.value)) {
            c.at(loc, ctx, format!("value {} of `{name}` does not fit {}", def.value, repr.name()));
            continue;
        }
        if let Some(other) = out.iter().find(|v| v.value == def.value) {
            c.at(
                loc,
                ctx,
                format!("`{name}` and `{}` have the same value {}", other.ident, def.value),
            );
            continue;
        }
        out.push(IntVariant {
            ident: TypeName::new(name.clone()),
            value: def.value,
            doc: def.doc.trim().to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ir::{Traits, TypeKind};
    use crate::validate::testing::{HEAD, lower_one, messages};

    /// `HEAD` with one request field of type `ty`, then `types`.
    fn schema(ty: &str, types: &str) -> String {
        format!("{HEAD}      f: {{ type: '{ty}', doc: F. }}\ntypes:\n{types}")
    }

    #[test]
    fn integer_enums_are_checked() {
        let errors = messages(&schema(
            "Kind",
            "  Kind:\n    doc: K.\n    repr: u8\n    values:\n      A: { value: 1, doc: A. }\n      B: { value: 1, doc: B. }\n      C: { value: 300, doc: C. }\n      Other: { value: 2, doc: O. }\n",
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:15:5: type Kind: `B` and `A` have the same value 1",
                "schema/x.yaml:15:5: type Kind: `Other` is not an UpperCamelCase name other than `Other`",
                "schema/x.yaml:15:5: type Kind: value 300 of `C` does not fit u8",
            ]
        );
        let errors = messages(&schema(
            "Kind",
            "  Kind:\n    doc: K.\n    values:\n      A: { value: 1, doc: A. }\n",
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:15:5: type Kind: an integer enum (`values`) needs a `repr`: u8, u16, u32, u64, i8, …"
            ]
        );
    }

    #[test]
    fn a_type_cannot_take_a_generated_or_imported_name() {
        let errors = messages(&schema(
            "GetXResponse",
            "  GetXResponse:\n    doc: R.\n    fields:\n      a: { type: u8, doc: A. }\n",
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:15:5: type GetXResponse: the name is taken: the generated type of endpoint get_x of full_node"
            ]
        );
        let errors = messages(&schema(
            "Bytes32",
            "  Bytes32:\n    doc: R.\n    fields:\n      a: { type: u8, doc: A. }\n",
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:15:5: type Bytes32: the name is taken: a name the generated code imports"
            ]
        );
    }

    #[test]
    fn traits_and_buildability_are_computed_per_type() {
        let ir = lower_one(&schema(
            "Outer",
            "  Outer:\n    doc: O.\n    frozen: true\n    fields:\n      inner: { type: Inner, doc: I. }\n      kind: { type: Kind, doc: K. }\n  Inner:\n    doc: I.\n    fields:\n      ratio: { type: f64, doc: R. }\n  Kind:\n    doc: K.\n    repr: u16\n    values:\n      A: { value: 1, doc: A. }\n",
        ))
        .expect("valid");
        let find = |name: &str| ir.named_type(name).expect(name);
        assert_eq!(find("Inner").traits, Traits { copy: true, eq: false, hash: false });
        assert_eq!(find("Outer").traits, Traits { copy: true, eq: false, hash: false });
        assert_eq!(find("Kind").traits, Traits::ALL);
        assert!(find("Outer").buildable && find("Inner").buildable && find("Outer").frozen);
        assert!(matches!(find("Kind").kind, TypeKind::IntEnum { .. }));
    }
}
