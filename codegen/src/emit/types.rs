//! `types/`: the named types, one module per schema file, re-exported flat.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{constructor, derives, field, redacting_debug};
use super::imports::Imports;
use super::{docs, lit};
use crate::ir::{IntVariant, Ir, NamedType, TypeFile, TypeKind, TypeName, Variant};
use crate::typeexpr::Prim;

/// `types/mod.rs`.
pub fn emit_mod(ir: &Ir) -> TokenStream {
    let doc =
        docs::inner("The named types of the schema (records and enums), shared by every service.");
    let mods = ir.type_files.iter().map(|f| &f.module);
    let uses = ir.type_files.iter().map(|f| &f.module);
    quote! {
        #doc
        #(mod #mods;)*
        #(pub use #uses::*;)*
    }
}

/// `types/<stem>.rs`.
pub fn emit_file(ir: &Ir, file: &TypeFile) -> TokenStream {
    let text = match &file.service_title {
        Some(title) => format!(
            "Types of the {} service, declared in `{}`.",
            docs::md(&title.to_lowercase()),
            file.source
        ),
        None => format!("Types declared in `{}`.", file.source),
    };
    let doc = docs::inner(&text);
    let mut imports = Imports::new(file.types.iter().map(|t| t.name.to_string()));
    for t in &file.types {
        if let TypeKind::Record(fields) = &t.kind {
            imports.fields(fields);
        }
    }
    let imports = imports.tokens();
    let items = file.types.iter().map(|t| named_type(ir, t));
    quote! {
        #doc
        #imports
        #(#items)*
    }
}

fn named_type(ir: &Ir, t: &NamedType) -> TokenStream {
    let doc = docs::outer(&docs::md(&t.doc));
    match &t.kind {
        TypeKind::Record(fields) => record(ir, t, &doc, fields),
        TypeKind::Enum(variants) => string_enum(&t.name, &doc, variants),
        TypeKind::IntEnum { repr, values } => int_enum(&t.name, &doc, *repr, values),
    }
}

fn record(ir: &Ir, t: &NamedType, doc: &TokenStream, fields: &[crate::ir::Field]) -> TokenStream {
    let name = &t.name;
    let traits = ir.field_traits(fields).and(t.traits);
    let all_optional = fields.iter().all(crate::ir::Field::is_optional);
    let derive = derives(fields, traits, t.buildable && all_optional);
    let debug = redacting_debug(name, fields);
    let non_exhaustive = if t.frozen { quote!() } else { quote!(#[non_exhaustive]) };
    let items = fields.iter().map(field);
    let methods = if t.buildable || t.frozen {
        let new_doc = format!("A `{name}` from its required fields.");
        let body = constructor(fields, &new_doc);
        quote!(impl #name { #body })
    } else {
        quote!()
    };
    quote! {
        #doc
        #derive
        #non_exhaustive
        pub struct #name {
            #(#items)*
        }

        #debug
        #methods
    }
}

/// A closed set of strings, open at the edge: a value this version does not know decodes as
/// `Other` in a lenient decode and is refused in a strict one.
pub fn string_enum(name: &TypeName, doc: &TokenStream, variants: &[Variant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let wires: Vec<_> = variants.iter().map(|v| lit(&v.wire)).collect();
    let docs = variants.iter().map(|v| docs::outer(&docs::md(&v.doc)));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #idents,)*
            /// A value this version does not know, kept as sent (a strict decode refuses it).
            Other(String),
        }

        impl #name {
            /// Every value this version knows, as the node writes it.
            pub const KNOWN: &'static [&'static str] = &[#(#wires),*];

            /// The value as the node writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::Other(value) => value,
                }
            }

            /// The variant of a value as the node writes it; a value this version does not
            /// know becomes `Other`.
            pub fn from_wire(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Other(value.to_owned()))
            }

            fn known(value: &str) -> Option<Self> {
                Some(match value {
                    #(#wires => Self::#idents,)*
                    _ => return None,
                })
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
                chia_rpc::decode::string_enum(deserializer, Self::known, Self::Other, Self::KNOWN)
            }
        }
    }
}

/// A closed set of numbers, open at the edge like [`string_enum`].
fn int_enum(name: &TypeName, doc: &TokenStream, repr: Prim, values: &[IntVariant]) -> TokenStream {
    let repr_ty = crate::ir::Ty::Prim(repr).rust();
    let idents: Vec<_> = values.iter().map(|v| &v.ident).collect();
    let numbers: Vec<_> =
        values.iter().map(|v| proc_macro2::Literal::i64_unsuffixed(v.value)).collect();
    let docs = values.iter().map(|v| docs::outer(&format!("`{}`: {}", v.value, docs::md(&v.doc))));
    let type_name = lit(name.as_str());
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #idents,)*
            /// A number this version does not know, kept as sent (a strict decode refuses it).
            Other(#repr_ty),
        }

        impl #name {
            /// The number as the node writes it.
            pub fn value(self) -> #repr_ty {
                match self {
                    #(Self::#idents => #numbers,)*
                    Self::Other(value) => value,
                }
            }

            /// The variant of a number as the node writes it; a number this version does not
            /// know becomes `Other`.
            pub fn from_value(value: #repr_ty) -> Self {
                match value {
                    #(#numbers => Self::#idents,)*
                    other => Self::Other(other),
                }
            }
        }

        impl From<#repr_ty> for #name {
            fn from(value: #repr_ty) -> Self {
                Self::from_value(value)
            }
        }

        impl From<#name> for #repr_ty {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.value(), serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <#repr_ty as serde::Deserialize>::deserialize(deserializer)?;
                match Self::from_value(value) {
                    Self::Other(value) if chia_rpc::decode::refuses_unknown_values() => {
                        Err(serde::de::Error::custom(format_args!(
                            "unknown {} value {value}",
                            #type_name
                        )))
                    }
                    known => Ok(known),
                }
            }
        }
    }
}
