//! The committed generated code must match `schema/`: the same check as
//! `cargo xtask codegen --check`, run through the generator library.

use std::path::Path;

use chia_rpc_codegen::{Layout, check, generate, load};

#[test]
fn generated_code_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let ir = match load(&root.join("schema"), root) {
        Ok(ir) => ir,
        Err(errors) => panic!("the schema has errors:\n{errors}"),
    };
    let layout = Layout::default();
    let files = generate(&ir, &layout).unwrap_or_else(|err| panic!("{err}"));
    let drift = check(root, &layout, &files).expect("read generated files");
    let paths: Vec<String> = drift.paths().iter().map(|p| p.display().to_string()).collect();
    assert!(
        drift.is_empty(),
        "generated files are stale: {}\nrun `cargo xtask codegen` and commit the result",
        paths.join(", ")
    );
}
