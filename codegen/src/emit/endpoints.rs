//! `<service>/endpoints.rs`: a request struct and a response struct per endpoint.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{constructor, derives, field, redacting_debug};
use super::imports::Imports;
use super::{docs, lit};
use crate::ir::{Access, Endpoint, Ir, Service, Traits};

/// The file of `endpoints` (all from one schema file) of service `s`; `title` names them.
pub fn emit(ir: &Ir, s: &Service, title: &str, endpoints: &[Endpoint]) -> TokenStream {
    let source = endpoints.first().map_or(s.source.as_str(), |e| e.source.as_str());
    let doc = docs::inner(&format!(
        "Requests and responses of the {} endpoints (`{source}`).",
        docs::md(title),
    ));
    let mut imports = Imports::new([]);
    for e in endpoints {
        imports.fields(&e.request);
        imports.fields(&e.response);
    }
    let imports = imports.tokens();
    let items = endpoints.iter().map(|e| endpoint(ir, s, e));
    quote! {
        #doc
        #imports
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
    for (name, doc) in &e.request_parts {
        out.push_str(&format!(
            "\n\nThe request also has the fields of `{name}`: {}",
            docs::md(doc)
        ));
    }
    for (name, doc) in &e.response_parts {
        out.push_str(&format!(
            "\n\nThe response also has the fields of `{name}`: {}",
            docs::md(doc)
        ));
    }
    if e.sensitive {
        out.push_str(
            "\n\nThe reply carries secrets: its body never appears in errors; keep it out of logs.",
        );
    }
    if let Some(since) = &e.since {
        out.push_str(&format!("\n\nServed since chia-blockchain {}.", docs::md(since)));
    }
    if let Some(note) = &e.deprecated {
        out.push_str(&format!("\n\n**Deprecated** upstream: {}", docs::md(note)));
    }
    out
}

/// The summary, description and notes of an endpoint.
pub fn endpoint_text(e: &Endpoint) -> String {
    let mut text = docs::md(&e.summary);
    if let Some(description) = &e.description {
        text.push_str("\n\n");
        text.push_str(&docs::md(description));
    }
    text.push_str("\n\n");
    text.push_str(&notes(e));
    text
}

fn endpoint(ir: &Ir, s: &Service, e: &Endpoint) -> TokenStream {
    let name = &e.request_type;
    let response = &e.response_type;
    let call = &e.call_type;
    let method = &e.method;
    let doc = docs::outer(&format!(
        "Request of `{}`: {}\n\nBuilt with [`{name}::new`] and its setters, it is sent with \
         [`Client::call`](chia_rpc::Client::call) or [`Client::call_on`](chia_rpc::Client::call_on); \
         the service handle's method `{method}` builds a [`{call}`](super::{call}) directly.",
        e.name,
        endpoint_text(e),
    ));
    let required = e.request.iter().filter(|f| !f.is_optional()).count();
    let request_traits = Traits { copy: false, ..ir.field_traits(&e.request) };
    let request_derive = derives(&e.request, request_traits, required == 0);
    let request_debug = redacting_debug(name, &e.request);
    let fields = e.request.iter().map(field);
    let new_doc = if required == 0 {
        "Creates the request.".to_owned()
    } else {
        "Creates the request from its required fields.".to_owned()
    };
    let methods = constructor(&e.request, &new_doc);
    let wire = lit(&e.name);
    let access = match e.access {
        Access::Read => quote!(Read),
        Access::Write => quote!(Write),
        Access::Transaction => quote!(Transaction),
    };
    let sensitive = if e.sensitive {
        quote!(
            const SENSITIVE: bool = true;
        )
    } else {
        quote!()
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
    let response_doc = docs::outer(&format!(
        "Response of `{}`: what a `success: true` reply holds besides `success`.",
        e.name
    ));
    let response_traits = Traits { copy: false, ..ir.field_traits(&e.response) };
    let response_derive = derives(&e.response, response_traits, false);
    let response_debug = redacting_debug(response, &e.response);
    let response_fields = e.response.iter().map(field);
    quote! {
        #doc
        #request_derive
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #request_debug

        impl #name {
            #methods
        }

        impl chia_rpc::Endpoint for #name {
            const NAME: &'static str = #wire;
            const ACCESS: chia_rpc::Access = chia_rpc::Access::#access;
            #sensitive
            type Response = #response;
        }

        #service_impl

        #response_doc
        #response_derive
        #[non_exhaustive]
        pub struct #response {
            #(#response_fields)*
        }

        #response_debug
    }
}
