//! `<service>/calls.rs`: a call builder per endpoint. The handle's method makes one from the
//! required fields; it has a setter per optional field and per call option, and `.await` sends
//! it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::fields::setter;
use super::imports::Imports;
use crate::ir::Endpoint;

/// The file of the builders of `endpoints` (all from schema file `source`); `title` names them.
pub fn emit(title: &str, source: &str, endpoints: &[Endpoint]) -> TokenStream {
    let doc = docs::inner(&format!(
        "Call builders of the {} endpoints (`{source}`): set optional fields and per-call \
         options, then `.await`.",
        docs::md(title),
    ));
    let mut imports = Imports::new([]);
    for e in endpoints {
        for f in e.request.iter().filter(|f| f.is_optional()) {
            imports.ty(&f.ty);
        }
    }
    let imports = imports.tokens();
    let requests = endpoints.iter().flat_map(|e| [&e.request_type, &e.response_type]);
    let builders = endpoints.iter().map(builder);
    quote! {
        #doc
        use super::{#(#requests),*};
        #imports
        #(#builders)*
    }
}

fn builder(e: &Endpoint) -> TokenStream {
    let name = &e.call_type;
    let request = &e.request_type;
    let response = &e.response_type;
    let doc = docs::outer(&format!(
        "A `{}` call being built: {}\n\nSet optional fields and per-call options, then `.await` \
         it for a [`{response}`]. Nothing is sent before.",
        e.name,
        docs::md(&e.summary),
    ));
    let setters = e
        .request
        .iter()
        .filter(|f| f.is_optional())
        .map(|f| setter(f, quote!(self.0.request_mut())));
    let optional = if e.request.iter().any(|f| f.is_optional()) {
        quote! {
            impl #name {
                #(#setters)*
            }
        }
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a call is sent only when it is awaited"]
        pub struct #name(chia_rpc::Call<#request>);

        #optional

        chia_rpc::__call_builder!(#name, #request, #response);
    }
}
