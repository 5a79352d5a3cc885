//! Checking the fields of a request, a response or a record: Rust names, type expressions and
//! the named types they refer to.

use heck::ToSnakeCase;
use indexmap::IndexMap;
use serde_saphyr::Spanned;

use super::checker::{Checker, TypeTable, is_snake_ident};
use crate::diag::Diagnostic;
use crate::ir::{Field, RustIdent, Ty, TypeName};
use crate::schema::FieldDef;
use crate::typeexpr::{self, TypeExpr};

/// Checks `fields` and lowers the valid ones; `uses` hears of every named type they refer to.
pub(super) fn lower_fields(
    c: &mut Checker<'_>,
    types: &TypeTable,
    fields: &IndexMap<String, Spanned<FieldDef>>,
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
            sensitive: f.sensitive,
            part: None,
            flatten: f.flatten,
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

#[cfg(test)]
mod tests {
    use crate::validate::testing::{HEAD, lower_one, messages};

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
}
