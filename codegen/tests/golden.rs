//! Golden tests of the code generator: small fixture schemas under `tests/golden/<case>/schema`
//! must generate exactly `tests/golden/<case>/expected/`, and broken schemas under
//! `tests/golden/bad/<name>/schema` must fail with the located messages listed here.
//!
//! `UPDATE_GOLDEN=1 cargo test -p chia-rpc-codegen --test golden` rewrites the expected files;
//! the crate `chia-rpc-tests` compiles the expected code of `basic` and checks how it behaves.

use std::path::{Path, PathBuf};

use chia_rpc_codegen::{Layout, check, generate, load, write};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

fn layout() -> Layout {
    Layout {
        rust_dir: PathBuf::from("expected/generated"),
        format_schema: None,
        json_schema_dir: Some(PathBuf::from("expected/json-schema")),
        openapi_dir: None,
        asyncapi_dir: None,
        reference_html: None,
        examples: Default::default(),
        cli_table: None,
    }
}

fn run_case(name: &str) {
    let root = golden_dir().join(name);
    let ir =
        load(&root.join("schema"), &root).unwrap_or_else(|d| panic!("{name}: schema errors:\n{d}"));
    let generated = || generate(&ir, &layout()).unwrap_or_else(|err| panic!("{name}: {err}"));
    let files = generated();
    assert_eq!(files, generated(), "{name}: output is not deterministic");
    let drift = check(&root, &layout(), &files).expect("read expected files");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        write(&root, &files, &drift).expect("write expected files");
        return;
    }
    assert!(
        drift.is_empty(),
        "{name}: generated output differs from tests/golden/{name}/expected in {:?}\n\
         rerun with UPDATE_GOLDEN=1 if the change is intended",
        drift.paths()
    );
}

#[test]
fn basic() {
    run_case("basic");
}

/// A service extending another (compared as text only: the library compiles `basic`).
#[test]
fn extends() {
    run_case("extends");
}

/// Loads `tests/golden/bad/<name>/schema` and returns the error text.
fn errors_of(name: &str) -> String {
    let root = golden_dir().join("bad").join(name);
    match load(&root.join("schema"), &root) {
        Ok(_) => panic!("bad/{name} was accepted"),
        Err(d) => d.to_string(),
    }
}

fn assert_errors(name: &str, expected: &[&str]) {
    let actual = errors_of(name);
    let lines: Vec<&str> = actual.lines().collect();
    assert_eq!(lines, expected, "bad/{name}:\n{actual}");
}

#[test]
fn unknown_key() {
    assert_errors(
        "unknown_key",
        &[
            "schema/full_node.yaml:14:5: yaml: unknown field `sumary`, expected one of summary, description, access, since, deprecated, sensitive, request, response, request_parts, response_parts, quirks",
        ],
    );
}

#[test]
fn yaml_syntax_error() {
    let text = errors_of("yaml_syntax");
    assert!(text.starts_with("schema/full_node.yaml:13:"), "{text}");
    assert!(text.contains(": yaml: "), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn unresolved_type() {
    assert_errors(
        "unresolved_type",
        &[
            "schema/full_node.yaml:14:28: endpoint get_thing, response field things: unknown type `Thing`",
        ],
    );
}

#[test]
fn duplicate_type() {
    assert_errors(
        "duplicate_type",
        &[
            "schema/types/b.yaml:3:5: type Thing: type declared twice (first at schema/types/a.yaml:3:5)",
        ],
    );
}

#[test]
fn unused_type() {
    assert_errors(
        "unused_type",
        &["schema/types/a.yaml:7:5: type Unused: declared but not used by any endpoint"],
    );
}

#[test]
fn any_without_reason() {
    assert_errors(
        "any_without_reason",
        &[
            "schema/full_node.yaml:14:13: endpoint get_thing, response field blob: a type with `any` needs a `reason`",
        ],
    );
}

#[test]
fn malformed_type() {
    assert_errors(
        "malformed_type",
        &[
            "schema/full_node.yaml:14:36: endpoint get_thing, response field counts: malformed type `map<str, u64`: expected `,` or `>`, found the end",
        ],
    );
}

#[test]
fn many_errors_are_all_reported() {
    let text = errors_of("many");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "schema/full_node.yaml:2:3: service full_node: missing `config_key` (or both `port_key` and `ssl_key`)",
            "schema/full_node.yaml:2:3: service full_node: missing `default_port`",
            "schema/full_node.yaml:10:16: endpoint get_thing, request field peer-id: the wire name is not a Rust identifier: give the field a `rust_name`",
            "schema/full_node.yaml:11:23: endpoint get_thing, request field b: malformed type `list<optional<u8>>`: `optional` only wraps a whole field type; use `nullable` inside",
            "schema/full_node.yaml:14:15: endpoint get_thing, response field bad: unknown type `Nope`",
            "schema/full_node.yaml:18:5: type Both: a type has only one of `fields`, `variants` and `values`",
            "schema/full_node.yaml:18:5: type Both: declared but not used by any endpoint",
        ],
        "{text}"
    );
}
