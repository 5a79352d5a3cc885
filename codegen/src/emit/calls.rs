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
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a call is sent only when it is awaited"]
        pub struct #name(chia_rpc::Call<#request>);

        impl #name {
            #(#setters)*

            /// The longest this call may take, instead of the client's timeout.
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// The longest the service may go silent once its reply has begun, instead of the
            /// transport's read timeout.
            pub fn read_timeout(self, timeout: std::time::Duration) -> Self {
                Self(self.0.read_timeout(timeout))
            }

            /// The largest reply this call accepts, in bytes, instead of the transport's limit.
            pub fn max_reply_size(self, bytes: usize) -> Self {
                Self(self.0.max_reply_size(bytes))
            }

            /// Every per-call option at once; options left unset keep what the call has.
            pub fn with_options(self, options: chia_rpc::transport::CallOptions) -> Self {
                Self(self.0.with_options(options))
            }

            /// Retries of this call, instead of the client's policy. Ignored unless the endpoint
            /// only reads.
            pub fn retry(self, policy: chia_rpc::transport::RetryPolicy) -> Self {
                Self(self.0.retry(policy))
            }

            /// Decode this call's reply strictly or leniently, instead of as the client does.
            pub fn strictness(self, strictness: chia_rpc::decode::Strictness) -> Self {
                Self(self.0.strictness(strictness))
            }

            /// The request as built so far.
            pub fn request(&self) -> &#request {
                self.0.request()
            }

            /// The generic call underneath, with the request and options set so far.
            pub fn into_call(self) -> chia_rpc::Call<#request> {
                self.0
            }
        }

        impl From<chia_rpc::Call<#request>> for #name {
            fn from(call: chia_rpc::Call<#request>) -> Self {
                Self(call)
            }
        }

        impl std::future::IntoFuture for #name {
            type Output = chia_rpc::Result<#response>;
            type IntoFuture = chia_rpc::transport::BoxFuture<'static, chia_rpc::Result<#response>>;

            fn into_future(self) -> Self::IntoFuture {
                std::future::IntoFuture::into_future(self.0)
            }
        }
    }
}
