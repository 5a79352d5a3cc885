//! What records, requests and responses share: fields with their serde attributes, derives
//! computed per type, and constructors with setters.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, first_line, lit};
use crate::ir::{Field, Traits, Ty, TypeName};

/// The documentation of a field: its doc, plus the reason of an `any`.
pub fn field_doc(f: &Field) -> String {
    match &f.reason {
        Some(reason) => format!("{}\n\nAny JSON: {}", f.doc, reason),
        None => f.doc.clone(),
    }
}

/// A `pub` struct field with its serde attributes.
pub fn field(f: &Field) -> TokenStream {
    let doc = docs::outer(&docs::md(&field_doc(f)));
    let ident = &f.ident;
    let ty = f.ty.rust();
    let rename = if f.ident.as_str() != f.wire {
        let wire = lit(&f.wire);
        quote!(#[serde(rename = #wire)])
    } else {
        quote!()
    };
    let presence = match f.ty {
        _ if f.flatten => quote!(#[serde(flatten)]),
        Ty::Optional(_) => quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
        Ty::Nullable(_) => quote!(#[serde(deserialize_with = "chia_rpc::decode::nullable")]),
        _ => quote!(),
    };
    quote! {
        #doc
        #rename
        #presence
        pub #ident: #ty,
    }
}

/// The derive attribute of a struct of `fields` with `traits`; `default` adds `Default`.
/// `Debug` is derived unless a field is sensitive (see [`redacting_debug`]).
pub fn derives(fields: &[Field], traits: Traits, default: bool) -> TokenStream {
    let debug = if fields.iter().any(|f| f.sensitive) { quote!() } else { quote!(Debug,) };
    let copy = if traits.copy { quote!(Copy,) } else { quote!() };
    let eq = if traits.eq { quote!(Eq,) } else { quote!() };
    let hash = if traits.hash { quote!(Hash,) } else { quote!() };
    let default = if default { quote!(Default,) } else { quote!() };
    quote! {
        #[derive(#debug Clone, #copy PartialEq, #eq #hash #default serde::Serialize, serde::Deserialize)]
    }
}

/// A `Debug` implementation that shows `<redacted>` for the sensitive fields, when the struct
/// has any; nothing otherwise (`Debug` is then derived).
pub fn redacting_debug(name: &TypeName, fields: &[Field]) -> TokenStream {
    if !fields.iter().any(|f| f.sensitive) {
        return quote!();
    }
    let label = lit(name.as_str());
    let entries = fields.iter().map(|f| {
        let wire = lit(f.ident.as_str());
        let ident = &f.ident;
        if f.sensitive {
            quote!(.field(#wire, &format_args!("<redacted>")))
        } else {
            quote!(.field(#wire, &self.#ident))
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)#(#entries)*.finish()
            }
        }
    }
}

/// `new` taking the fields that are not `optional<…>`, and a setter per optional field.
pub fn constructor(fields: &[Field], new_doc: &str) -> TokenStream {
    let required: Vec<_> = fields.iter().filter(|f| !f.is_optional()).collect();
    let params = required.iter().map(|f| {
        let ident = &f.ident;
        let ty = f.ty.rust();
        quote!(#ident: #ty)
    });
    let inits = fields.iter().map(|f| {
        let ident = &f.ident;
        if f.is_optional() { quote!(#ident: None,) } else { quote!(#ident,) }
    });
    let many =
        if required.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let new_doc = docs::outer(new_doc);
    let setters = fields.iter().filter(|f| f.is_optional()).map(|f| setter(f, quote!(self)));
    quote! {
        #new_doc
        #many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* }
        }

        #(#setters)*
    }
}

/// The type an optional field's setter takes: `T` of `optional<T>`.
pub fn setter_type(f: &Field) -> TokenStream {
    match &f.ty {
        Ty::Optional(t) => t.rust(),
        other => other.rust(),
    }
}

/// `#[allow]` for a method whose name reads like a conversion clippy expects `self` rules of.
pub fn convention_allow(name: &str) -> TokenStream {
    let convention = ["to_", "as_", "from_", "is_", "into_"].iter().any(|p| name.starts_with(p));
    if convention { quote!(#[allow(clippy::wrong_self_convention)]) } else { quote!() }
}

/// The documentation of an optional field's setter.
pub fn setter_doc(f: &Field) -> TokenStream {
    docs::outer(&format!("Sets `{}`: {}", f.wire, docs::md(&first_line(&field_doc(f)))))
}

/// The setter of optional field `f`, storing into `place.f` (`self` for a struct of its own,
/// `self.0.request_mut()` for a call builder).
pub fn setter(f: &Field, place: TokenStream) -> TokenStream {
    let ident = &f.ident;
    let ty = setter_type(f);
    let doc = setter_doc(f);
    let allow = convention_allow(ident.as_str());
    quote! {
        #doc
        #allow
        pub fn #ident(mut self, #ident: #ty) -> Self {
            #place.#ident = Some(#ident);
            self
        }
    }
}
