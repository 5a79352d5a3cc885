//! `types/`: the named types, one module per schema file, re-exported flat.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::lit;
use crate::ir::{Field, Ir, NamedType, Ty, TypeFile, TypeKind};

/// `types/mod.rs`.
pub fn emit_mod(ir: &Ir) -> TokenStream {
    let doc = docs::inner(
        "The named types of the schema (records and string enums), shared by every service.",
    );
    let mods = ir.type_files.iter().map(|f| &f.module);
    let uses = ir.type_files.iter().map(|f| &f.module);
    quote! {
        #doc
        #(mod #mods;)*
        #(pub use #uses::*;)*
    }
}

/// `types/<stem>.rs`.
pub fn emit_file(file: &TypeFile) -> TokenStream {
    let text = match &file.service_title {
        Some(title) => format!(
            "Types of the {} service, declared in `{}`.",
            docs::md(&title.to_lowercase()),
            file.source
        ),
        None => format!("Types declared in `{}`.", file.source),
    };
    let doc = docs::inner(&text);
    let items = file.types.iter().map(named_type);
    quote! {
        #doc
        #(#items)*
    }
}

fn named_type(t: &NamedType) -> TokenStream {
    let doc = docs::outer(&docs::md(&t.doc));
    let name = &t.name;
    match &t.kind {
        TypeKind::Record(fields) => {
            let fields = fields.iter().map(field);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[cfg_attr(feature = "strict", serde(deny_unknown_fields))]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum(variants) => string_enum(t, &doc, variants),
    }
}

/// A closed set of strings, open at the edge: a value this version does not know decodes as
/// `Other` (so a newer node does not break lenient builds) and is refused under `strict`.
fn string_enum(t: &NamedType, doc: &TokenStream, variants: &[crate::ir::Variant]) -> TokenStream {
    let name = &t.name;
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let wires: Vec<_> = variants.iter().map(|v| lit(&v.wire)).collect();
    let docs = variants.iter().map(|v| docs::outer(&docs::md(&v.doc)));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #idents,)*
            /// A value this version does not know, kept as sent (refused under the `strict`
            /// feature).
            Other(String),
        }

        impl #name {
            /// The value as the node writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::Other(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    #(#wires => Self::#idents,)*
                    _ if cfg!(feature = "strict") => {
                        return Err(serde::de::Error::unknown_variant(&value, &[#(#wires),*]));
                    }
                    _ => Self::Other(value),
                })
            }
        }
    }
}

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
