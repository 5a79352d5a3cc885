//! `<service>/endpoints.rs`: a request struct and a response struct per endpoint.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{field, field_doc};
use super::{docs, first_line, lit};
use crate::ir::{Access, Endpoint, Service, Ty};

/// The file.
pub fn emit(s: &Service) -> TokenStream {
    let doc = docs::inner(&format!(
        "Requests and responses of the {} endpoints (`{}`).",
        docs::md(&s.title.to_lowercase()),
        s.source
    ));
    let items = s.endpoints.iter().map(|e| endpoint(s, e));
    quote! {
        #doc
        #(#items)*
    }
}

/// Documentation lines about what a call does, its version and deprecation.
pub fn notes(e: &Endpoint) -> String {
    let mut out = String::from(match e.access {
        Access::Read => "Access: reads state only.",
        Access::Write => "Access: changes the state of the service.",
        Access::Transaction => "Access: creates or pushes a transaction.",
    });
    if let Some(since) = &e.since {
        out.push_str(&format!("\n\nServed since chia-blockchain {}.", docs::md(since)));
    }
    if let Some(note) = &e.deprecated {
        out.push_str(&format!("\n\n**Deprecated** upstream: {}", docs::md(note)));
    }
    out
}

fn endpoint(s: &Service, e: &Endpoint) -> TokenStream {
    let name = &e.request_type;
    let response = &e.response_type;
    let module = &s.module;
    let mut text = format!("Request of `{}`: {}", e.name, docs::md(&e.summary));
    if let Some(description) = &e.description {
        text.push_str("\n\n");
        text.push_str(&docs::md(description));
    }
    text.push_str("\n\n");
    text.push_str(&notes(e));
    let doc = docs::outer(&text);
    let required: Vec<_> = e.request.iter().filter(|f| !f.is_optional()).collect();
    let optional: Vec<_> = e.request.iter().filter(|f| f.is_optional()).collect();
    let default = if required.is_empty() { quote!(Default,) } else { quote!() };
    let fields = e.request.iter().map(field);

    let params = required.iter().map(|f| {
        let ident = &f.ident;
        let ty = f.ty.rust();
        quote!(#ident: #ty)
    });
    let inits = e.request.iter().map(|f| {
        let ident = &f.ident;
        if f.is_optional() { quote!(#ident: None,) } else { quote!(#ident,) }
    });
    let many =
        if required.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let setters = optional.iter().map(|f| {
        let ident = &f.ident;
        let inner = match &f.ty {
            Ty::Optional(t) => t.rust(),
            other => other.rust(),
        };
        let doc =
            docs::outer(&format!("Sets `{}`: {}", f.wire, docs::md(&first_line(&field_doc(f)))));
        let convention =
            ["to_", "as_", "from_", "is_"].iter().any(|p| f.ident.as_str().starts_with(p));
        let allow =
            if convention { quote!(#[allow(clippy::wrong_self_convention)]) } else { quote!() };
        quote! {
            #doc
            #allow
            pub fn #ident(mut self, #ident: #inner) -> Self {
                self.#ident = Some(#ident);
                self
            }
        }
    });
    let new_doc = if required.is_empty() {
        "Creates the request.".to_owned()
    } else {
        "Creates the request from its required fields.".to_owned()
    };
    let new_doc = docs::outer(&new_doc);
    let wire = lit(&e.name);
    let access = match e.access {
        Access::Read => quote!(Read),
        Access::Write => quote!(Write),
        Access::Transaction => quote!(Transaction),
    };
    let service_impl = if s.shared {
        quote!()
    } else {
        let variant = &s.variant;
        quote! {
            impl chia_rpc::ServiceEndpoint for #name {
                const SERVICE: chia_rpc::Service = chia_rpc::Service::#variant;
            }
        }
    };
    let response_doc = docs::outer(&format!("Response of `{}`.", e.name));
    let success_doc =
        docs::outer("Always `true` in a response returned by a transport: failures become errors.");
    let response_fields = e.response.iter().map(field);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #new_doc
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits)* }
            }
            #(#setters)*
        }

        impl chia_rpc::Endpoint for #name {
            const NAME: &'static str = #wire;
            const ACCESS: chia_rpc::Access = chia_rpc::Access::#access;
            type Response = crate::generated::#module::#response;
        }

        #service_impl

        #response_doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "strict", serde(deny_unknown_fields))]
        #[non_exhaustive]
        pub struct #response {
            #success_doc
            pub success: bool,
            #(#response_fields)*
        }
    }
}
