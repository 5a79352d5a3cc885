//! `error_codes.rs`: the codes of `structuredError`, as a string enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::string_enum;
use crate::ir::{ErrorCodes, TypeName};

/// The file.
pub fn emit(codes: &ErrorCodes) -> TokenStream {
    let file_doc = docs::inner(&format!(
        "The codes a failure reply carries in `structuredError.code` (`{}`).",
        codes.source
    ));
    let doc = docs::outer(
        "The machine-readable code of a failure, from `structuredError.code`.\n\n\
         A code this version does not know is kept as `Other`, so a newer node never makes a \
         failure undecodable.",
    );
    let body = string_enum(&TypeName::new("RpcErrorCode"), &doc, &codes.variants);
    quote! {
        #file_doc
        #body
    }
}
