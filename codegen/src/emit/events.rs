//! `<service>/events.rs`: a struct per push a service sends through the daemon and the enum of
//! them all; `events.rs`: the enum of every service's pushes.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{derives, field, redacting_debug};
use super::imports::Imports;
use super::{docs, lit};
use crate::ir::{Event, Ir, Service, Traits};

/// The events file of `s`: the data structs of its own events and, for a service whose pushes
/// are decoded (see [`Ir::event_sources`]), the enum of its events with the shared ones.
pub fn emit(ir: &Ir, s: &Service) -> TokenStream {
    let title = docs::md(&s.title.to_lowercase());
    let sources: Vec<&str> = {
        let mut sources: Vec<&str> = s.events.iter().map(|e| e.source.as_str()).collect();
        sources.dedup();
        sources
    };
    let from = sources.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    let doc = if s.shared {
        docs::inner(&format!(
            "The data of the pushes every RPC server sends through the daemon ({from}); each \
             service's event enum has them."
        ))
    } else {
        docs::inner(&format!(
            "The pushes of the {title}, as they arrive through the daemon's WebSocket{}.",
            if from.is_empty() { String::new() } else { format!(" ({from})") }
        ))
    };
    let mut imports = Imports::new([]);
    for e in &s.events {
        imports.fields(&e.fields);
    }
    let imports = imports.tokens();
    let structs = s.events.iter().map(|e| data_struct(ir, e));
    let enum_ = if ir.event_sources().any(|source| source.name == s.name) {
        event_enum(ir, s)
    } else {
        quote!()
    };
    quote! {
        #doc
        #imports
        #(#structs)*
        #enum_
    }
}

/// How an event's documentation starts: its command and listeners, then its text.
fn event_text(e: &Event) -> String {
    let listeners: Vec<String> = e.listeners.iter().map(|l| format!("`{l}`")).collect();
    let mut text =
        format!("`{}` (to {}): {}", e.command, listeners.join(", "), docs::md(&e.summary));
    if let Some(description) = &e.description {
        text.push_str("\n\n");
        text.push_str(&docs::md(description));
    }
    text
}

fn data_struct(ir: &Ir, e: &Event) -> TokenStream {
    let name = &e.struct_name;
    let doc = docs::outer(&format!(
        "{}\n\nThe push's `data`, besides the `success` every push carries.",
        event_text(e)
    ));
    let traits = Traits { copy: false, ..ir.field_traits(&e.fields) };
    let derive = derives(&e.fields, traits, false);
    let debug = redacting_debug(name, &e.fields);
    let fields = e.fields.iter().map(field);
    quote! {
        #doc
        #derive
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #debug
    }
}

/// The enum name of a service's events (`FullNodeEvent`).
fn enum_name(s: &Service) -> proc_macro2::Ident {
    proc_macro2::Ident::new(&format!("{}Event", s.variant), proc_macro2::Span::call_site())
}

/// The origin a service's event arrives with.
fn origin<'a>(owner: &'a Service, s: &'a Service, e: &'a Event) -> &'a str {
    let default =
        if owner.shared { s.daemon_name.as_deref() } else { owner.daemon_name.as_deref() };
    e.origin.as_deref().or(default).unwrap_or_default()
}

fn event_enum(ir: &Ir, s: &Service) -> TokenStream {
    let name = enum_name(s);
    let title = docs::md(&s.title.to_lowercase());
    let variant_service = &s.variant;
    let events = ir.events_of(s);
    let doc = docs::outer(&format!(
        "A push of the {title}, decoded by its `origin` and `command` ([`{name}::decode`])."
    ));
    let variants = events.iter().map(|(owner, e)| {
        let v = &e.variant;
        let path = struct_path(owner, e);
        let doc = docs::outer(&format!("{}\n\nData: [`{}`].", event_text(e), path_text(owner, e)));
        // Boxed: the data of one push can be hundreds of bytes, of another none.
        quote!(#doc #v(Box<#path>),)
    });
    let commands = events.iter().map(|(_, e)| {
        let v = &e.variant;
        let c = lit(&e.command);
        quote!(Self::#v(_) => #c,)
    });
    let origins = events.iter().map(|(owner, e)| {
        let v = &e.variant;
        let o = lit(origin(owner, s, e));
        quote!(Self::#v(_) => #o,)
    });
    let pairs = events.iter().map(|(owner, e)| {
        let (o, c) = (lit(origin(owner, s, e)), lit(&e.command));
        quote!((#o, #c))
    });
    let arms = events.iter().map(|(owner, e)| {
        let v = &e.variant;
        let path = struct_path(owner, e);
        let (o, c) = (lit(origin(owner, s, e)), lit(&e.command));
        let what = lit(&format!("push {} from {}", e.command, origin(owner, s, e)));
        quote! {
            (#o, #c) => chia_rpc::decode::decode_event::<#path>(#what, data, strictness)
                .map(|data| Self::#v(Box::new(data))),
        }
    });
    let match_self = |arms: Vec<TokenStream>| {
        if arms.is_empty() { quote!(match *self {}) } else { quote!(match self { #(#arms)* }) }
    };
    let decode_body = if events.is_empty() {
        quote!(
            let _ = (origin, command, data, strictness);
            None
        )
    } else {
        quote!(Some(match (origin, command) {
            #(#arms)*
            _ => return None,
        }))
    };
    let commands = match_self(commands.collect());
    let origins = match_self(origins.collect());
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The service that sends these pushes.
            pub const SERVICE: chia_rpc::Service = chia_rpc::Service::#variant_service;

            /// The `(origin, command)` of every push in the enum, in schema order.
            pub const PUSHES: &'static [(&'static str, &'static str)] = &[#(#pairs),*];

            /// The push's `command`.
            pub fn command(&self) -> &'static str {
                #commands
            }

            /// The push's `origin`: the name the sender registered with the daemon.
            pub fn origin(&self) -> &'static str {
                #origins
            }

            /// Decodes the `data` of a push with `origin` and `command`; `None` when the pair
            /// is not one of these pushes.
            pub fn decode(
                origin: &str,
                command: &str,
                data: &[u8],
                strictness: chia_rpc::decode::Strictness,
            ) -> Option<chia_rpc::Result<Self>> {
                #decode_body
            }
        }
    }
}

/// The path of an event's data struct from the module of the service that holds it.
fn struct_path(owner: &Service, e: &Event) -> TokenStream {
    let name = &e.struct_name;
    if owner.shared {
        let m = &owner.module;
        quote!(crate::generated::#m::#name)
    } else {
        quote!(#name)
    }
}

fn path_text(owner: &Service, e: &Event) -> String {
    if owner.shared {
        format!("{}](crate::generated::{}::{}", e.struct_name, owner.module, e.struct_name)
    } else {
        e.struct_name.to_string()
    }
}

/// `events.rs`: the enum of every service's pushes.
pub fn emit_root(ir: &Ir) -> TokenStream {
    let doc =
        docs::inner("Every push a Chia service sends through the daemon's WebSocket, by service.");
    let sources: Vec<&Service> = ir.event_sources().collect();
    let modules = sources.iter().map(|s| {
        let m = &s.module;
        let cfg = s.cfg();
        quote!(#cfg use crate::generated::#m;)
    });
    let variants = sources.iter().map(|s| {
        let v = &s.variant;
        let m = &s.module;
        let name = enum_name(s);
        let cfg = s.cfg();
        let doc = docs::outer(&format!(
            "A push of the {} ([`{name}`](crate::generated::{m}::{name})).",
            docs::md(&s.title.to_lowercase())
        ));
        quote!(#doc #cfg #v(#m::#name),)
    });
    let each = |f: &dyn Fn(&proc_macro2::Ident) -> TokenStream| -> Vec<TokenStream> {
        sources
            .iter()
            .map(|s| {
                let v = &s.variant;
                let cfg = s.cfg();
                let body = f(&proc_macro2::Ident::new("event", proc_macro2::Span::call_site()));
                quote!(#cfg Event::#v(event) => #body,)
            })
            .collect()
    };
    let commands = each(&|e| quote!(#e.command()));
    let origins = each(&|e| quote!(#e.origin()));
    let services: Vec<TokenStream> = sources
        .iter()
        .map(|s| {
            let v = &s.variant;
            let cfg = s.cfg();
            quote!(#cfg Event::#v(_) => Some(chia_rpc::Service::#v),)
        })
        .collect();
    let origin_arms = sources.iter().map(|s| {
        let v = &s.variant;
        let mut origins: Vec<&str> = s.daemon_name.iter().map(String::as_str).collect();
        for e in &s.events {
            if let Some(origin) = &e.origin
                && !origins.contains(&origin.as_str())
            {
                origins.push(origin);
            }
        }
        let origins = origins.iter().map(|o| lit(o));
        quote!(#(#origins)|* => Some(chia_rpc::Service::#v),)
    });
    let tries = sources.iter().map(|s| {
        let v = &s.variant;
        let m = &s.module;
        let name = enum_name(s);
        let cfg = s.cfg();
        quote! {
            #cfg
            if let Some(decoded) = #m::#name::decode(origin, command, data, strictness) {
                return decoded.map(Event::#v);
            }
        }
    });
    quote! {
        #doc
        #(#modules)*

        /// A push from a Chia service, decoded by its `origin` and `command`.
        ///
        /// A push whose service's cargo feature is off, or that the schema does not know,
        /// decodes as [`Event::Unknown`] with its data kept as it came (or, in a strict decode,
        /// as an error).
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// A push the model does not know, kept as it came.
            Unknown(chia_rpc::event::UnknownEvent),
        }

        impl Event {
            /// Decodes the `data` of a push with `origin` and `command`.
            pub fn decode(
                origin: &str,
                command: &str,
                data: &[u8],
                strictness: chia_rpc::decode::Strictness,
            ) -> chia_rpc::Result<Event> {
                #(#tries)*
                chia_rpc::event::UnknownEvent::decode(origin, command, data, strictness)
                    .map(Event::Unknown)
            }

            /// The push's `command`.
            pub fn command(&self) -> &str {
                match self {
                    #(#commands)*
                    Event::Unknown(event) => &event.command,
                }
            }

            /// The push's `origin`: the name the sender registered with the daemon.
            pub fn origin(&self) -> &str {
                match self {
                    #(#origins)*
                    Event::Unknown(event) => &event.origin,
                }
            }

            /// The service whose pushes come with `origin` (`chia_wallet`: the wallet), whether
            /// or not its cargo feature is on.
            pub fn service_of(origin: &str) -> Option<chia_rpc::Service> {
                match origin {
                    #(#origin_arms)*
                    _ => None,
                }
            }

            /// The service that sent the push, when the model knows it.
            pub fn service(&self) -> Option<chia_rpc::Service> {
                match self {
                    #(#services)*
                    Event::Unknown(_) => None,
                }
            }
        }
    }
}
