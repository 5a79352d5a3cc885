//! The public shape, compiled from outside the crate: what must compile does, and what must
//! not (a struct literal of a request or of a record that may grow) fails with the error that
//! says why.
//!
//! `TRYBUILD=overwrite cargo test -p chia-rpc-tests --test api_shape` rewrites the expected
//! compiler output under `tests/ui/fail/` after a compiler upgrade.

#[test]
fn api_shape() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
