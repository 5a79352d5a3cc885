//! `<service>/client.rs`: the handle with one async method per endpoint.

use proc_macro2::TokenStream;
use quote::quote;

use super::endpoints::notes;
use super::{docs, first_line, lit};
use crate::ir::{Endpoint, Ir, Service};

/// Positional parameters up to this many required fields; more take the request struct.
const MAX_POSITIONAL: usize = 6;

/// The file.
pub fn emit(ir: &Ir, s: &Service) -> TokenStream {
    let handle = &s.handle;
    let title = docs::md(&s.title.to_lowercase());
    let file_doc = docs::inner(&format!("The client handle of the {title} service."));
    let mut doc = format!(
        "The {title} RPC methods over a transport (see [`chia_rpc::Transport`]).\n\n{}",
        docs::md(&first_line(&s.doc))
    );
    if let Some(parent) = s.extends.as_ref().and_then(|name| ir.service(name)) {
        doc.push_str(&format!(
            "\n\nThe {} also serves every endpoint of the {}: call those through [`crate::generated::{}::{}`] on the same transport.",
            title,
            docs::md(&parent.title.to_lowercase()),
            parent.module,
            parent.handle
        ));
    }
    let doc = docs::outer(&doc);
    let new_doc = docs::outer(&format!("Methods of the {title} over `transport`."));
    let name = lit(handle.as_str());
    let mut methods: Vec<TokenStream> = s.endpoints.iter().map(|e| method(s, s, e)).collect();
    if let Some(shared) = ir.shared() {
        methods.extend(shared.endpoints.iter().map(|e| method(s, shared, e)));
    }
    quote! {
        #file_doc

        #doc
        pub struct #handle<'a, T: ?Sized> {
            transport: &'a T,
        }

        impl<T: ?Sized> Clone for #handle<'_, T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T: ?Sized> Copy for #handle<'_, T> {}

        impl<T: ?Sized> std::fmt::Debug for #handle<'_, T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name).finish_non_exhaustive()
            }
        }

        impl<'a, T: chia_rpc::Transport + ?Sized> #handle<'a, T> {
            #new_doc
            pub fn new(transport: &'a T) -> Self {
                Self { transport }
            }

            #(#methods)*
        }
    }
}

/// A method sending `e` (declared by `owner`) to `service`.
fn method(service: &Service, owner: &Service, e: &Endpoint) -> TokenStream {
    let module = &owner.module;
    let request = &e.request_type;
    let response = &e.response_type;
    let variant = &service.variant;
    let ident = &e.method;
    let mut text = format!("`{}`: {}", e.name, docs::md(&e.summary));
    if let Some(description) = &e.description {
        text.push_str("\n\n");
        text.push_str(&docs::md(description));
    }
    text.push_str("\n\n");
    text.push_str(&notes(e));
    let required: Vec<_> = e.request.iter().filter(|f| !f.is_optional()).collect();
    let whole = required.len() < e.request.len() || required.len() > MAX_POSITIONAL;
    let (params, value) = if whole {
        text.push_str(&format!(
            "\n\nBuild `request` with [`crate::generated::{module}::{request}::new`] and its setters."
        ));
        (quote!(request: crate::generated::#module::#request), quote!(&request))
    } else {
        let params = required.iter().map(|f| {
            let ident = &f.ident;
            let ty = f.ty.rust();
            quote!(#ident: #ty)
        });
        let args = required.iter().map(|f| &f.ident);
        (quote!(#(#params),*), quote!(&crate::generated::#module::#request::new(#(#args),*)))
    };
    let doc = docs::outer(&text);
    let convention = ["to_", "as_", "from_", "into_"].iter().any(|p| e.name.starts_with(p));
    let allow = if convention { quote!(#[allow(clippy::wrong_self_convention)]) } else { quote!() };
    quote! {
        #doc
        #allow
        pub async fn #ident(&self, #params) -> chia_rpc::Result<crate::generated::#module::#response> {
            self.transport.call_on(chia_rpc::Service::#variant, #value).await
        }
    }
}
