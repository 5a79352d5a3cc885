//! Golden tests of the code generator: small fixture schemas under `tests/golden/<case>/schema`
//! must generate exactly `tests/golden/<case>/expected/`, and broken schemas under
//! `tests/golden/bad/<name>/schema` must fail with the located messages listed here.
//!
//! `UPDATE_GOLDEN=1 cargo test -p chia-rpc-tests --test golden` rewrites the expected files.

use std::path::{Path, PathBuf};

use chia_rpc_codegen::{Layout, check, generate, load, write};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

fn layout() -> Layout {
    Layout {
        rust_dir: PathBuf::from("expected/generated"),
        format_schema: None,
        json_schema_dir: Some(PathBuf::from("expected/json-schema")),
    }
}

fn run_case(name: &str) {
    let root = golden_dir().join(name);
    let ir =
        load(&root.join("schema"), &root).unwrap_or_else(|d| panic!("{name}: schema errors:\n{d}"));
    let files = generate(&ir, &layout());
    assert_eq!(files, generate(&ir, &layout()), "{name}: output is not deterministic");
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
            "schema/full_node.yaml:14:5: yaml: unknown field `sumary`, expected one of summary, description, access, since, deprecated, request, response",
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
            "schema/full_node.yaml:2:3: service full_node: missing `config_key`",
            "schema/full_node.yaml:2:3: service full_node: missing `default_port`",
            "schema/full_node.yaml:10:16: endpoint get_thing, request field peer-id: the wire name is not a Rust identifier: give the field a `rust_name`",
            "schema/full_node.yaml:11:23: endpoint get_thing, request field b: malformed type `list<optional<u8>>`: `optional` only wraps a whole field type; use `nullable` inside",
            "schema/full_node.yaml:14:15: endpoint get_thing, response field bad: unknown type `Nope`",
            "schema/full_node.yaml:18:5: type Both: a type has either `fields` or `variants`, not both",
            "schema/full_node.yaml:18:5: type Both: declared but not used by any endpoint",
        ],
        "{text}"
    );
}

/// The golden output, compiled by this crate's library, behaves as documented.
mod behaviour {
    use chia_rpc::{Endpoint, EndpointVisitor};
    use chia_rpc_tests::generated::full_node::{
        GetAllShapes, GetAllShapesResponse, GetBlockchainState, GetCoinRecordsByPuzzleHash,
        SetLogLevel,
    };
    use chia_rpc_tests::generated::service::Service;
    use chia_rpc_tests::generated::types::LogLevel;
    use chia_rpc_tests::generated::{endpoint_names, visit_endpoint};
    use serde_json::json;

    struct NameOf;

    impl EndpointVisitor for NameOf {
        type Output = &'static str;
        fn visit<E: Endpoint>(self) -> &'static str {
            E::NAME
        }
    }

    #[test]
    fn dispatches_by_name() {
        let node = chia_rpc::Service::FullNode;
        assert_eq!(visit_endpoint(node, "push_tx", NameOf), Some("push_tx"));
        assert_eq!(visit_endpoint(node, "healthz", NameOf), Some("healthz"));
        assert_eq!(visit_endpoint(node, "no_such_route", NameOf), None);
        let names = endpoint_names(node);
        assert!(names.is_sorted(), "{names:?}");
        assert!(names.contains(&"get_routes") && names.contains(&"get_all_shapes"));
    }

    #[test]
    fn service_names_round_trip() {
        assert_eq!("full_node".parse::<Service>(), Ok(Service::FullNode));
        assert_eq!(Service::FullNode.to_string(), "full_node");
        assert_eq!(Service::FullNode.default_port(), 8555);
        let err = "nope".parse::<Service>().expect_err("unknown");
        assert_eq!(err.to_string(), "unknown service `nope`");
        assert_eq!(Service::ALL, &[Service::FullNode]);
    }

    #[test]
    fn requests_serialize_only_what_is_set() {
        let hash = chia_rpc::Bytes32::from([0x11; 32]);
        let request = GetCoinRecordsByPuzzleHash::new(hash).start_height(7);
        let value = serde_json::to_value(&request).expect("serialize");
        assert_eq!(
            value,
            json!({ "puzzle_hash": format!("0x{}", "11".repeat(32)), "start_height": 7 })
        );
        assert_eq!(serde_json::to_value(GetBlockchainState::new()).expect("serialize"), json!({}));
        let set = SetLogLevel::new(LogLevel::Debug).r#type("x".to_owned());
        assert_eq!(
            serde_json::to_value(&set).expect("serialize"),
            json!({ "level": "DEBUG", "type": "x" })
        );
    }

    #[test]
    fn nullable_keys_are_required_and_requests_reject_unknown_keys() {
        let ok: GetAllShapes =
            serde_json::from_value(json!({ "mode": null })).expect("null is fine");
        assert_eq!(ok, GetAllShapes::new(None));
        assert_eq!(serde_json::to_value(&ok).expect("serialize"), json!({ "mode": null }));
        assert!(serde_json::from_value::<GetAllShapes>(json!({})).is_err());
        assert!(serde_json::from_value::<GetAllShapes>(json!({ "mode": "a", "x": 1 })).is_err());
    }

    #[test]
    fn responses_decode_renamed_keyword_and_u128_fields() {
        let h = format!("0x{}", "22".repeat(32));
        let address =
            chia_rpc::Address::encode("txch", chia_rpc::Bytes32::from([0x33; 32])).expect("encode");
        let body = json!({
            "success": true,
            "small": [1, 2, -3, -4],
            "big": [1, 2, "U128_MAX", -1, -2],
            "ratio": 0.5,
            "keys": { h.clone(): [1, null] },
            "counts": { "a": 1 },
            "by_height": { "7": "0xab" },
            "blobs": ["0x01020304", format!("0x{}", "00".repeat(8)), format!("0x{}", "00".repeat(48)), format!("0x{}", "00".repeat(96)), format!("0x{}", "00".repeat(100))],
            "keys_bls": [format!("0x{}", "c0".repeat(48)), format!("0x{}", "c0".repeat(96))],
            "address": address.as_str(),
            "peerCount": 3,
            "peer-id": null,
            "fn": true,
            "peers": [],
        });
        // serde_json::Value cannot hold a u128, so the largest value goes in as text.
        let text = body.to_string().replace("\"U128_MAX\"", &u128::MAX.to_string());
        let response: GetAllShapesResponse = serde_json::from_str(&text).expect("decode");
        assert_eq!(response.big.2, u128::MAX);
        assert_eq!(response.peer_count, 3);
        assert!(response.r#fn);
        assert_eq!(response.peer_id, None);
        assert_eq!(response.extra, None);
        assert_eq!(response.address, address);
    }
}

#[test]
fn string_enums_round_trip_and_keep_unknown_values_unless_strict() {
    use chia_rpc_tests::generated::types::LogLevel;
    let level: LogLevel = serde_json::from_str("\"INFO\"").unwrap();
    assert_eq!(level, LogLevel::Info);
    assert_eq!(serde_json::to_string(&level).unwrap(), "\"INFO\"");
    let unknown = serde_json::from_str::<LogLevel>("\"TRACE\"");
    if cfg!(feature = "strict") {
        let err = unknown.unwrap_err().to_string();
        assert!(err.contains("TRACE") && err.contains("INFO"), "{err}");
    } else {
        let other = unknown.unwrap();
        assert_eq!(other, LogLevel::Other("TRACE".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"TRACE\"");
    }
}
