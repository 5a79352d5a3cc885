//! `dispatch.rs`: finding an endpoint's request type by service and name at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, lit};
use crate::ir::{Ir, Service};

/// The file.
pub fn emit(ir: &Ir) -> TokenStream {
    let file_doc = docs::inner(
        "Dispatch by name: the request type of an endpoint that is only known at run time.",
    );
    let finders = ir.services.iter().map(finder);
    let shared = ir.shared();
    let visits = ir.servers().map(|s| {
        let v = &s.variant;
        let mut chain = vec![finder_ident(s)];
        if let Some(parent) = s.extends.as_ref().and_then(|e| ir.service(e)) {
            chain.push(finder_ident(parent));
        }
        let cfg = s.cfg();
        // A WebSocket-only service (the daemon) serves its own commands, not the shared routes.
        let end = if s.websocket {
            quote! {
                let _ = visitor;
                return None;
            }
        } else {
            quote!()
        };
        quote! {
            #cfg
            {
                if service == chia_rpc::Service::#v {
                    #(
                        visitor = match #chain(endpoint, visitor) {
                            Ok(output) => return Some(output),
                            Err(visitor) => visitor,
                        };
                    )*
                    #end
                }
            }
        }
    });
    let tail = match shared {
        Some(s) => {
            let f = finder_ident(s);
            quote!(#f(endpoint, visitor).ok())
        }
        None => quote! {
            let _ = (endpoint, visitor);
            None
        },
    };
    let names = ir.servers().map(|s| {
        let v = &s.variant;
        let mut list: Vec<&str> = s.endpoints.iter().map(|e| e.name.as_str()).collect();
        if let Some(parent) = s.extends.as_ref().and_then(|e| ir.service(e)) {
            list.extend(parent.endpoints.iter().map(|e| e.name.as_str()));
        }
        if let Some(shared) = shared.filter(|_| !s.websocket) {
            list.extend(shared.endpoints.iter().map(|e| e.name.as_str()));
        }
        list.sort_unstable();
        list.dedup();
        let list = list.into_iter().map(lit);
        let cfg = s.cfg();
        quote! {
            #cfg
            {
                if service == chia_rpc::Service::#v {
                    return &[#(#list),*];
                }
            }
        }
    });
    let shared_names = match shared {
        Some(s) => {
            let mut list: Vec<&str> = s.endpoints.iter().map(|e| e.name.as_str()).collect();
            list.sort_unstable();
            let list = list.into_iter().map(lit);
            quote!(&[#(#list),*])
        }
        None => quote!(&[]),
    };
    let mutable = if ir.servers().next().is_some() { quote!(mut) } else { quote!() };
    let modules = ir.services.iter().filter(|s| !s.endpoints.is_empty()).map(|s| {
        let module = &s.module;
        let cfg = s.cfg();
        quote!(#cfg use crate::generated::#module;)
    });
    quote! {
        #file_doc
        #(#modules)*

        /// Calls `visitor` with the request type of `endpoint` as served by `service`: the
        /// service's own endpoints first, then those of the service it extends, then the routes
        /// every service shares (the daemon has none of them). `None` when the service serves
        /// no such endpoint, or when this build leaves the service's cargo feature off.
        pub fn visit_endpoint<V: chia_rpc::EndpointVisitor>(
            service: chia_rpc::Service,
            endpoint: &str,
            visitor: V,
        ) -> Option<V::Output> {
            // Without any service feature, neither is looked at again.
            let _ = service;
            #[allow(unused_mut)]
            let #mutable visitor = visitor;
            #(#visits)*
            #tail
        }

        /// The names of every endpoint `service` serves that this build can call (its own, those
        /// of the service it extends and the shared routes, which the daemon lacks), sorted.
        pub fn endpoint_names(service: chia_rpc::Service) -> &'static [&'static str] {
            // Without any service feature, the service is not looked at.
            let _ = service;
            #(#names)*
            #shared_names
        }

        #(#finders)*
    }
}

fn finder_ident(s: &Service) -> proc_macro2::Ident {
    format_ident!("find_{}", s.module.as_str())
}

fn finder(s: &Service) -> TokenStream {
    let cfg = s.cfg();
    let f = finder_ident(s);
    let module = &s.module;
    let doc = docs::outer(&format!(
        "Visits an endpoint of `{}`; gives the visitor back when there is none.",
        s.source
    ));
    let arms = s.endpoints.iter().map(|e| {
        let name = lit(&e.name);
        let request = &e.request_type;
        quote!(#name => visitor.visit::<#module::#request>(),)
    });
    if s.endpoints.is_empty() {
        return quote! {
            #doc
            #cfg
            fn #f<V: chia_rpc::EndpointVisitor>(endpoint: &str, visitor: V) -> Result<V::Output, V> {
                let _ = endpoint;
                Err(visitor)
            }
        };
    }
    quote! {
        #doc
        #cfg
        fn #f<V: chia_rpc::EndpointVisitor>(endpoint: &str, visitor: V) -> Result<V::Output, V> {
            let output = match endpoint {
                #(#arms)*
                _ => return Err(visitor),
            };
            Ok(output)
        }
    }
}
