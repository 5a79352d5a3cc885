//! The `use` lines of a generated file: chia-rpc's primitives, `BTreeMap` and the named types
//! its fields mention, so the items themselves use short names.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Field, Ty};
use crate::typeexpr::Prim;

/// Collects what a file mentions.
#[derive(Default)]
pub(crate) struct Imports {
    runtime: BTreeSet<&'static str>,
    named: BTreeSet<String>,
    btree_map: bool,
    /// Types the file defines itself.
    local: BTreeSet<String>,
}

impl Imports {
    /// Nothing yet; `local` are the names the file defines, which are never imported.
    pub(crate) fn new(local: impl IntoIterator<Item = String>) -> Self {
        Imports { local: local.into_iter().collect(), ..Imports::default() }
    }

    /// Records the types of `fields`.
    pub(crate) fn fields(&mut self, fields: &[Field]) {
        for f in fields {
            self.ty(&f.ty);
        }
    }

    /// Records what `ty` mentions.
    pub(crate) fn ty(&mut self, ty: &Ty) {
        let mut uses = Vec::new();
        ty.uses(&mut uses);
        for used in uses {
            match used {
                Ty::Prim(p) => self.runtime.extend(runtime_name(p)),
                Ty::Named(name) if !self.local.contains(name.as_str()) => {
                    self.named.insert(name.to_string());
                }
                Ty::Map(..) => self.btree_map = true,
                _ => {}
            }
        }
    }

    /// The `use` items.
    pub(crate) fn tokens(&self) -> TokenStream {
        let map = if self.btree_map {
            quote!(
                use std::collections::BTreeMap;
            )
        } else {
            quote!()
        };
        let runtime = self.runtime.iter().map(|name| Ident::new(name, Span::call_site()));
        let runtime =
            if self.runtime.is_empty() { quote!() } else { quote!(use chia_rpc::{#(#runtime),*};) };
        let named = self.named.iter().map(|name| Ident::new(name, Span::call_site()));
        let named = if self.named.is_empty() {
            quote!()
        } else {
            quote!(use crate::generated::types::{#(#named),*};)
        };
        quote!(#map #runtime #named)
    }
}

/// The chia-rpc type of a primitive, when it is not a Rust one.
fn runtime_name(p: Prim) -> Option<&'static str> {
    Some(match p {
        Prim::Bytes => "Bytes",
        Prim::Bytes4 => "Bytes4",
        Prim::Bytes8 => "Bytes8",
        Prim::Bytes32 => "Bytes32",
        Prim::Bytes48 => "Bytes48",
        Prim::Bytes96 => "Bytes96",
        Prim::Bytes100 => "Bytes100",
        Prim::G1 => "G1Element",
        Prim::G2 => "G2Element",
        Prim::Address => "Address",
        _ => return None,
    })
}
