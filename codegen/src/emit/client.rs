//! `<service>/client.rs`: the service's handle, with a method per endpoint that builds its call.
//!
//! Handles are small `Copy` values borrowing a [`chia_rpc::Client`]; their methods take `self`
//! so `client.full_node().get_block(hash)` works in closures, and return builders that own what
//! they need, so a call can be spawned. A handle derefs to the handle of the service it extends
//! (the simulator's to the full node's) and in the end to the shared routes, which are
//! generated once.

use proc_macro2::TokenStream;
use quote::quote;

use super::endpoints::notes;
use super::imports::Imports;
use super::{docs, lit};
use crate::ir::{Endpoint, Ir, Service};

/// What a handle keeps: the client and service itself, or the handle it derefs to.
enum Base<'a> {
    Own,
    Handle(&'a Service),
}

fn base<'a>(ir: &'a Ir, s: &Service) -> Base<'a> {
    if let Some(parent) = s.extends.as_ref().and_then(|name| ir.service(name)) {
        return Base::Handle(parent);
    }
    match ir.shared() {
        // The daemon serves its own commands only.
        Some(shared) if !s.shared && !s.websocket => Base::Handle(shared),
        _ => Base::Own,
    }
}

/// The file.
pub fn emit(ir: &Ir, s: &Service) -> TokenStream {
    let handle = &s.handle;
    let title = docs::md(&s.title.to_lowercase());
    let file_doc = docs::inner(&format!("The handle of the {title} endpoints."));
    let mut doc = if s.shared {
        "The routes every service serves ([the module](super)), sent to one service; every \
         service's handle derefs to this one.\n\n"
            .to_owned()
    } else {
        format!(
            "The {title} endpoints ([the module](super)): a method per endpoint, taking its \
             required fields and returning its call builder; set optional fields and per-call \
             options on the builder, then `.await` it.\n\n"
        )
    };
    doc.push_str(
        "A handle is a `Copy` value borrowing the client: make one per use \
         (`client.wallet()`) or keep it.",
    );
    let (fields, at_body, client_body, service_body, deref) = match base(ir, s) {
        Base::Own => (
            quote!(client: &'a chia_rpc::Client, service: chia_rpc::Service,),
            quote!(Self { client, service }),
            quote!(self.client),
            quote!(self.service),
            quote!(),
        ),
        Base::Handle(parent) => {
            let module = &parent.module;
            let parent_handle = &parent.handle;
            let what = if parent.shared {
                "the shared routes".to_owned()
            } else {
                doc.push_str(&format!(
                    "\n\nThe {title} also serves every endpoint of the {}: they are on this \
                     handle too, sent to the {title}.",
                    docs::md(&parent.title.to_lowercase())
                ));
                format!("the {} endpoints", docs::md(&parent.title.to_lowercase()))
            };
            let deref_doc = docs::outer(&format!("Gives {what}, sent to the same service."));
            (
                quote!(base: #parent_handle<'a>,),
                quote!(Self { base: #parent_handle::at(client, service) }),
                quote!(self.base.client()),
                quote!(self.base.service()),
                quote! {
                    use crate::generated::#module::#parent_handle;

                    impl<'a> std::ops::Deref for #handle<'a> {
                        type Target = #parent_handle<'a>;

                        #deref_doc
                        fn deref(&self) -> &Self::Target {
                            &self.base
                        }
                    }
                },
            )
        }
    };
    let doc = docs::outer(&doc);
    let new = if s.shared {
        quote!()
    } else {
        let variant = &s.variant;
        let new_doc = docs::outer(&format!("The {title} endpoints through `client`."));
        quote! {
            #new_doc
            pub fn new(client: &'a chia_rpc::Client) -> Self {
                Self::at(client, chia_rpc::Service::#variant)
            }
        }
    };
    let at_doc = docs::outer(&format!(
        "The {title} endpoints sent to `service`: a service that serves them too."
    ));
    let mut imports = Imports::new([]);
    for e in &s.endpoints {
        for f in e.request.iter().filter(|f| !f.is_optional()) {
            imports.ty(&f.ty);
        }
    }
    let imports = imports.tokens();
    let types = s.endpoints.iter().flat_map(|e| [&e.request_type, &e.call_type]);
    let types = if s.endpoints.is_empty() { quote!() } else { quote!(use super::{#(#types),*};) };
    let methods = s.endpoints.iter().map(method);
    let name = lit(handle.as_str());
    quote! {
        #file_doc
        #types
        #imports

        #doc
        #[derive(Clone, Copy)]
        pub struct #handle<'a> {
            #fields
        }

        impl<'a> #handle<'a> {
            #new

            #at_doc
            pub fn at(client: &'a chia_rpc::Client, service: chia_rpc::Service) -> Self {
                #at_body
            }

            /// The client the calls go through.
            pub fn client(self) -> &'a chia_rpc::Client {
                #client_body
            }

            /// The service the calls go to.
            pub fn service(self) -> chia_rpc::Service {
                #service_body
            }

            #(#methods)*
        }

        #deref

        impl std::fmt::Debug for #handle<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name).field("service", &self.service()).finish_non_exhaustive()
            }
        }
    }
}

/// The method building `e`'s call.
fn method(e: &Endpoint) -> TokenStream {
    let request = &e.request_type;
    let call = &e.call_type;
    let ident = &e.method;
    let mut text = format!("`{}`: {}", e.name, docs::md(&e.summary));
    if let Some(description) = &e.description {
        text.push_str("\n\n");
        text.push_str(&docs::md(description));
    }
    text.push_str("\n\n");
    text.push_str(&notes(e));
    let optional: Vec<_> = e.request.iter().filter(|f| f.is_optional()).collect();
    if !optional.is_empty() {
        let names: Vec<String> = optional.iter().map(|f| format!("`{}`", f.ident)).collect();
        text.push_str(&format!("\n\nOptional fields, set on the builder: {}.", names.join(", ")));
    }
    text.push_str(&format!("\n\nRequest: [`{request}`]; the builder: [`{call}`]."));
    let required: Vec<_> = e.request.iter().filter(|f| !f.is_optional()).collect();
    let params = required.iter().map(|f| {
        let ident = &f.ident;
        let ty = f.ty.rust();
        quote!(#ident: #ty)
    });
    let args = required.iter().map(|f| &f.ident);
    let doc = docs::outer(&text);
    let convention = ["to_", "as_", "from_", "into_", "is_"].iter().any(|p| e.name.starts_with(p));
    let allow = if convention { quote!(#[allow(clippy::wrong_self_convention)]) } else { quote!() };
    let many =
        if required.len() > 6 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    quote! {
        #doc
        #allow
        #many
        pub fn #ident(self, #(#params),*) -> #call {
            #call::from(chia_rpc::Call::new(self.client(), self.service(), #request::new(#(#args),*)))
        }
    }
}
