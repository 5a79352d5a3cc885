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
    let layout = Layout::default().with_examples(root).expect("read the captured replies");
    let files = generate(&ir, &layout).unwrap_or_else(|err| panic!("{err}"));
    let drift = check(root, &layout, &files).expect("read generated files");
    let paths: Vec<String> = drift.paths().iter().map(|p| p.display().to_string()).collect();
    assert!(
        drift.is_empty(),
        "generated files are stale: {}\nrun `cargo xtask codegen` and commit the result",
        paths.join(", ")
    );
}

/// Each service of the schema has a cargo feature of its name in chia-rpc, on by default, that
/// turns on the feature of the service it extends.
#[test]
fn every_service_has_its_cargo_feature() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let manifest = std::fs::read_to_string(root.join("chia-rpc/Cargo.toml")).expect("manifest");
    let features: Vec<(String, String)> = manifest
        .split("[features]")
        .nth(1)
        .expect("a [features] section")
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let feature = |name: &str| features.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let default = feature("default").expect("a default feature list");
    for &service in chia_rpc::Service::ALL {
        let name = service.name();
        let value = feature(name).unwrap_or_else(|| panic!("no cargo feature `{name}`"));
        assert!(default.contains(&format!("\"{name}\"")), "`{name}` is not on by default");
        if let Some(parent) = service.extends() {
            assert!(
                value.contains(&format!("\"{parent}\"")),
                "`{name}` does not enable `{parent}`"
            );
        }
    }
}
