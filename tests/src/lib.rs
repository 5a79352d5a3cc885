//! Integration tests of chia-rpc. The library part compiles the expected output of the
//! generator's golden test, so that `cargo clippy -p chia-rpc-tests` proves that generated code
//! builds warning-free outside the chia-rpc crate too.

/// The golden output of `tests/golden/basic`, mounted where generated code expects itself.
#[rustfmt::skip]
#[path = "../golden/basic/expected/generated/mod.rs"]
pub mod generated;
