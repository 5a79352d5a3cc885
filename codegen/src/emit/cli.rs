//! The command line's view of the schema: every endpoint with its summary, description, access
//! and request fields (wire name, type as the schema spells it, documentation), and the enums
//! a request field can name. Plain data, so the `chia-rpc` binary builds its subcommands at run
//! time without compiling a parser per endpoint.
//!
//! The file refers to `EndpointInfo`, `FieldInfo`, `ServiceInfo`, `TypeInfo` and `TypeShape`,
//! which the binary declares beside it (`super::table`).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, lit};
use crate::ir::{Access, Field, Ir, Ty, TypeKind};

/// The file's tokens.
pub fn emit(ir: &Ir) -> TokenStream {
    let doc = docs::inner(
        "The schema as the command line reads it: each service's own endpoints with their \
         request fields, and the enums and records a request field names.",
    );
    let mut named = BTreeSet::new();
    let services = ir.services.iter().map(|s| {
        let name = lit(&s.name);
        let extends = option(s.extends.as_deref());
        let endpoints = s.endpoints.iter().map(|e| {
            let fields = e.request.iter().map(|f| {
                collect(&f.ty, &mut named);
                field(f)
            });
            let (name, summary) = (lit(&e.name), lit(&e.summary));
            let description = lit(e.description.as_deref().unwrap_or("").trim());
            let access = match e.access {
                Access::Read => quote!(Access::Read),
                Access::Write => quote!(Access::Write),
                Access::Transaction => quote!(Access::Transaction),
            };
            let since = option(e.since.as_deref());
            let deprecated = option(e.deprecated.as_deref());
            quote! {
                EndpointInfo {
                    name: #name,
                    summary: #summary,
                    description: #description,
                    access: #access,
                    since: #since,
                    deprecated: #deprecated,
                    fields: &[#(#fields),*],
                }
            }
        });
        quote! {
            ServiceInfo { name: #name, extends: #extends, endpoints: &[#(#endpoints),*] }
        }
    });
    // Collected while the services are turned into tokens.
    let services: Vec<TokenStream> = services.collect();
    let types = named.iter().filter_map(|name| {
        let t = ir.named_type(name)?;
        let doc = lit(&super::first_line(&t.doc));
        let shape = match &t.kind {
            TypeKind::Record(_) => quote!(TypeShape::Record),
            TypeKind::Enum(variants) => {
                let wires = variants.iter().map(|v| lit(&v.wire));
                quote!(TypeShape::Enum(&[#(#wires),*]))
            }
            TypeKind::IntEnum { repr, values } => {
                let repr = lit(repr.name());
                let values = values.iter().map(|v| {
                    let (ident, value) = (lit(v.ident.as_str()), v.value);
                    quote!((#ident, #value))
                });
                quote!(TypeShape::IntEnum { repr: #repr, values: &[#(#values),*] })
            }
        };
        let name = lit(name);
        Some(quote!(TypeInfo { name: #name, doc: #doc, shape: #shape }))
    });
    quote! {
        #doc
        use super::table::{Access, EndpointInfo, FieldInfo, ServiceInfo, TypeInfo, TypeShape};
        /// Every service of the schema, sorted by name, with the endpoints its file declares.
        pub const SERVICES: &[ServiceInfo] = &[#(#services),*];
        /// The named types request fields mention, sorted by name.
        pub const TYPES: &[TypeInfo] = &[#(#types),*];
    }
}

fn field(f: &Field) -> TokenStream {
    let (wire, ty) = (lit(&f.wire), lit(&spelling(&f.ty)));
    let doc = lit(f.doc.trim());
    quote!(FieldInfo { wire: #wire, ty: #ty, doc: #doc })
}

fn option(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => {
            let text = lit(text);
            quote!(Some(#text))
        }
        None => quote!(None),
    }
}

/// The type as the schema spells it (`optional<list<bytes32>>`).
fn spelling(ty: &Ty) -> String {
    match ty {
        Ty::Prim(p) => p.name().to_owned(),
        Ty::Optional(t) => format!("optional<{}>", spelling(t)),
        Ty::Nullable(t) => format!("nullable<{}>", spelling(t)),
        Ty::List(t) => format!("list<{}>", spelling(t)),
        Ty::Map(k, v) => format!("map<{}, {}>", spelling(k), spelling(v)),
        Ty::Tuple(items) => {
            let items: Vec<String> = items.iter().map(spelling).collect();
            format!("tuple<{}>", items.join(", "))
        }
        Ty::Any => "any".to_owned(),
        Ty::Named(name) => name.to_string(),
    }
}

/// The named types `ty` mentions, without looking into records.
fn collect(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Prim(_) | Ty::Any => {}
        Ty::Optional(t) | Ty::Nullable(t) | Ty::List(t) => collect(t, out),
        Ty::Map(k, v) => {
            collect(k, out);
            collect(v, out);
        }
        Ty::Tuple(items) => items.iter().for_each(|t| collect(t, out)),
        Ty::Named(name) => {
            out.insert(name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeexpr::Prim;

    #[test]
    fn spells_types_as_the_schema_does() {
        let ty = Ty::Optional(Box::new(Ty::List(Box::new(Ty::Map(
            Box::new(Ty::Prim(Prim::Str)),
            Box::new(Ty::Tuple(vec![Ty::Prim(Prim::U32), Ty::Any])),
        )))));
        assert_eq!(spelling(&ty), "optional<list<map<str, tuple<u32, any>>>>");
    }
}
