//! `service.rs`: the `Service` enum and the `ServiceClients` extension trait.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, lit};
use crate::ir::Ir;

/// The file.
pub fn emit(ir: &Ir) -> TokenStream {
    let file_doc = docs::inner("The services of a Chia installation and their client handles.");
    let servers: Vec<_> = ir.servers().collect();
    let variants = servers.iter().map(|s| {
        let doc = docs::outer(&format!(
            "The {} (`{}`): see [the module](super::{}).",
            docs::md(&s.title.to_lowercase()),
            s.name,
            s.module
        ));
        let v = &s.variant;
        quote!(#doc #v,)
    });
    let all = servers.iter().map(|s| &s.variant);
    let arms = |f: &dyn Fn(&crate::ir::Service) -> TokenStream| -> Vec<TokenStream> {
        servers
            .iter()
            .map(|s| {
                let v = &s.variant;
                let value = f(s);
                quote!(Service::#v => #value,)
            })
            .collect()
    };
    let names = arms(&|s| {
        let l = lit(&s.name);
        quote!(#l)
    });
    let titles = arms(&|s| {
        let l = lit(&s.title);
        quote!(#l)
    });
    let ports = arms(&|s| {
        let p = proc_macro2::Literal::u16_unsuffixed(s.default_port);
        quote!(#p)
    });
    let keys = arms(&|s| {
        let l = lit(&s.config_key);
        quote!(#l)
    });
    let certs = arms(&|s| {
        let l = lit(&s.cert_dir);
        quote!(#l)
    });
    let port_keys = arms(&|s| {
        let l = lit(&s.port_key);
        quote!(#l)
    });
    let ssl_keys = arms(&|s| {
        let l = lit(&s.ssl_key);
        quote!(#l)
    });
    let daemon_names = arms(&|s| match &s.daemon_name {
        Some(name) => {
            let l = lit(name);
            quote!(Some(#l))
        }
        None => quote!(None),
    });
    let websocket = arms(&|s| {
        let w = s.websocket;
        quote!(#w)
    });
    let from_daemon_name = servers.iter().filter(|s| s.extends.is_none()).filter_map(|s| {
        let name = lit(s.daemon_name.as_ref()?);
        let v = &s.variant;
        Some(quote!(#name => Some(Service::#v),))
    });
    let extends = arms(&|s| match s.extends.as_ref().and_then(|e| ir.service(e)) {
        Some(parent) => {
            let v = &parent.variant;
            quote!(Some(Service::#v))
        }
        None => quote!(None),
    });
    let from_name = servers.iter().map(|s| {
        let l = lit(&s.name);
        let v = &s.variant;
        quote!(#l => Some(Service::#v),)
    });
    let clients: Vec<_> = servers
        .iter()
        .map(|s| {
            let m = &s.module;
            let h = &s.handle;
            let cfg = s.cfg();
            let doc = docs::outer(&format!(
                "The {} endpoints ([`{h}`](super::{m}::{h})).",
                docs::md(&s.title.to_lowercase())
            ));
            (
                quote! {
                    #doc
                    #cfg
                    fn #m(&self) -> #m::#h<'_>;
                },
                quote! {
                    #cfg
                    fn #m(&self) -> #m::#h<'_> {
                        #m::#h::new(self)
                    }
                },
            )
        })
        .collect();
    let (client_decls, client_impls): (Vec<_>, Vec<_>) = clients.into_iter().unzip();
    let shared_handle = ir.shared().map(|shared| {
        let m = &shared.module;
        let h = &shared.handle;
        (
            quote! {
                /// The routes every service serves, sent to `service`.
                fn shared(&self, service: chia_rpc::Service) -> #m::#h<'_>;
            },
            quote! {
                fn shared(&self, service: chia_rpc::Service) -> #m::#h<'_> {
                    #m::#h::at(self, service)
                }
            },
        )
    });
    let (shared_decl, shared_impl) = shared_handle.unzip();
    let own = arms(&|s| {
        let names = s.endpoints.iter().map(|e| lit(&e.name));
        quote!(&[#(#names),*])
    });
    let match_self = |arms: Vec<TokenStream>| {
        if arms.is_empty() { quote!(match self {}) } else { quote!(match self { #(#arms)* }) }
    };
    let names = match_self(names);
    let titles = match_self(titles);
    let ports = match_self(ports);
    let keys = match_self(keys);
    let certs = match_self(certs);
    let extends = match_self(extends);
    let port_keys = match_self(port_keys);
    let ssl_keys = match_self(ssl_keys);
    let daemon_names = match_self(daemon_names);
    let websocket = match_self(websocket);
    let own = match_self(own);
    let modules = ir.services.iter().map(|s| {
        let module = &s.module;
        let cfg = s.cfg();
        quote!(#cfg use crate::generated::#module;)
    });
    quote! {
        #file_doc
        #(#modules)*

        /// A Chia service with its own RPC server (or, for the daemon, its own WebSocket).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Service {
            #(#variants)*
        }

        impl Service {
            /// Every service, in name order.
            pub const ALL: &'static [Service] = &[#(Service::#all),*];

            /// Chia's name of the service (`full_node`).
            pub fn name(self) -> &'static str {
                #names
            }

            /// The title used in documentation (`Full node`).
            pub fn title(self) -> &'static str {
                #titles
            }

            /// The RPC port used when the configuration names none.
            pub fn default_port(self) -> u16 {
                #ports
            }

            /// The section of `config.yaml` that holds the service's settings.
            pub fn config_key(self) -> &'static str {
                #keys
            }

            /// The dotted `config.yaml` key of the service's port (`full_node.rpc_port`).
            pub fn port_key(self) -> &'static str {
                #port_keys
            }

            /// The `config.yaml` section with the paths of the service's certificate
            /// (`private_crt`) and key (`private_key`).
            pub fn ssl_key(self) -> &'static str {
                #ssl_keys
            }

            /// The name the service registers under with the daemon (`chia_wallet`), which
            /// relayed calls are sent to and its pushes come from.
            pub fn daemon_name(self) -> Option<&'static str> {
                #daemon_names
            }

            /// Whether the service is reached only over the daemon's WebSocket (the daemon).
            pub fn is_websocket_only(self) -> bool {
                #websocket
            }

            /// The service that registers with the daemon as `name` (for `chia_full_node`, the
            /// full node, although the simulator registers under that name too).
            pub fn from_daemon_name(name: &str) -> Option<Service> {
                match name {
                    #(#from_daemon_name)*
                    _ => None,
                }
            }

            /// The directory under `config/ssl/` with the service's certificates.
            pub fn cert_dir(self) -> &'static str {
                #certs
            }

            /// The service whose endpoints this one also serves.
            pub fn extends(self) -> Option<Service> {
                #extends
            }

            /// The routes of the service's own, without those it extends or shares with every
            /// service (whether or not its cargo feature is on).
            pub fn own_endpoints(self) -> &'static [&'static str] {
                #own
            }

            /// The service called `name` by Chia.
            pub fn from_name(name: &str) -> Option<Service> {
                match name {
                    #(#from_name)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for Service {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        /// The error of parsing an unknown service name.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownService(pub String);

        impl std::fmt::Display for UnknownService {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "unknown service `{}`", self.0)
            }
        }

        impl std::error::Error for UnknownService {}

        impl std::str::FromStr for Service {
            type Err = UnknownService;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Service::from_name(s).ok_or_else(|| UnknownService(s.to_owned()))
            }
        }

        /// The service handles of a [`chia_rpc::Client`]: `client.full_node()`,
        /// `client.wallet()`, … In the [prelude](chia_rpc::prelude).
        pub trait ServiceClients {
            #(#client_decls)*
            #shared_decl
        }

        impl ServiceClients for chia_rpc::Client {
            #(#client_impls)*
            #shared_impl
        }
    }
}
