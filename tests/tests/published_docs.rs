//! The documents for other languages under `docs/`: every endpoint and push of the schema is
//! in them, and they say what they must (integer widths, mutual TLS, ports, the version
//! checked against, access, since, deprecated).
//!
//! The tests marked `#[ignore]` run real validators, a client generator and a headless browser
//! from PyPI, npm and Debian (`cargo xtask docs-tools` installs them; `cargo xtask test` does
//! that and runs them).

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod docs_tools;

use std::collections::BTreeSet;

use chia_rpc_codegen::emit::examples::Examples;
use chia_rpc_codegen::{Ir, load};
use docs_tools::{node, out_dir, python, root, run_script};
use serde_json::Value;

fn ir() -> Ir {
    let root = root();
    load(&root.join("schema"), &root).unwrap_or_else(|errors| panic!("{errors}"))
}

fn document(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join("docs").join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The data the HTML reference renders from.
fn reference_data() -> Value {
    let page = std::fs::read_to_string(root().join("docs/reference/index.html")).unwrap();
    let start = page.find(r#"<script id="data" type="application/json">"#).unwrap();
    let data = &page[start..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    serde_json::from_str(data).unwrap()
}

#[test]
fn every_endpoint_and_push_of_the_schema_is_published() {
    let ir = ir();
    let shared = ir.shared().unwrap();
    let reference = reference_data();
    let mut published = 0;
    for s in ir.servers() {
        let in_reference: BTreeSet<&str> = reference["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == s.name.as_str())
            .unwrap_or_else(|| panic!("{} is not in the HTML reference", s.name))["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        for e in &s.endpoints {
            assert!(
                in_reference.contains(e.name.as_str()),
                "{}/{} not in the reference",
                s.name,
                e.name
            );
        }
        if s.websocket {
            let doc = document(&format!("asyncapi/{}.json", s.name));
            for e in &s.endpoints {
                let op = &doc["operations"][&e.name];
                assert_eq!(op["action"], "send", "{}: no operation", e.name);
                assert!(op["reply"].is_object(), "{}: no reply", e.name);
                published += 1;
            }
            continue;
        }
        let doc = document(&format!("openapi/{}.json", s.name));
        let paths = doc["paths"].as_object().unwrap();
        let parent = s.extends.as_deref().and_then(|name| ir.service(name));
        let expected = s
            .endpoints
            .iter()
            .chain(&shared.endpoints)
            .chain(parent.iter().flat_map(|p| &p.endpoints));
        let mut count = 0;
        for e in expected {
            let post = &paths
                .get(&format!("/{}", e.name))
                .unwrap_or_else(|| panic!("openapi/{}.json lacks /{}", s.name, e.name))["post"];
            assert_eq!(post["operationId"], e.name.as_str());
            count += 1;
        }
        assert_eq!(paths.len(), count, "openapi/{}.json has routes the schema lacks", s.name);
        published += s.endpoints.len();
    }
    assert_eq!(published, ir.endpoint_count() - shared.endpoints.len());
    for e in &shared.endpoints {
        assert!(document("openapi/full_node.json")["paths"][format!("/{}", e.name)].is_object());
    }

    // Every push, from every service that sends them through the daemon.
    let asyncapi = document("asyncapi/daemon.json");
    let messages = asyncapi["components"]["messages"].as_object().unwrap();
    let mut pushes = 0;
    for source in ir.event_sources() {
        for (_, e) in ir.events_of(source) {
            let message = &messages[&format!("{}_{}", source.name, e.command)];
            assert_eq!(message["payload"]["properties"]["command"]["const"], e.command.as_str());
            pushes += 1;
        }
    }
    let received = asyncapi["operations"]["receive_events"]["messages"].as_array().unwrap();
    assert_eq!(received.len(), pushes);
    assert!(pushes >= ir.event_count(), "{pushes} pushes for {} events", ir.event_count());
}

#[test]
fn documents_keep_integer_widths_and_byte_lengths() {
    let doc = document("openapi/full_node.json");
    let schemas = &doc["components"]["schemas"];
    let state = &schemas["BlockchainState"]["properties"];
    assert_eq!(state["space"]["format"], "uint128");
    assert_eq!(state["space"]["type"], "integer");
    let coin = &schemas["Coin"]["properties"];
    assert_eq!(coin["amount"]["format"], "uint64");
    assert_eq!(coin["amount"]["maximum"], u64::MAX);
    assert_eq!(coin["parent_coin_info"]["pattern"], "^(0x)?[0-9a-fA-F]{64}$");
    let info = doc["info"]["description"].as_str().unwrap();
    assert!(info.contains("exceed 2^53"), "{info}");
    // The named types' own document holds every one of them.
    let types = document("json-schema/types.json");
    assert_eq!(types["$defs"].as_object().unwrap().len(), ir().type_count());
}

#[test]
fn documents_name_security_servers_version_and_endpoint_flags() {
    let ir = ir();
    let version = Examples::load(&root().join("tests/fixtures")).unwrap().chia_version.unwrap();
    for s in ir.servers().filter(|s| !s.websocket) {
        let doc = document(&format!("openapi/{}.json", s.name));
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["x-chia-blockchain-version"], version.as_str());
        assert_eq!(doc["components"]["securitySchemes"]["mutualTLS"]["type"], "mutualTLS");
        assert_eq!(doc["security"][0]["mutualTLS"], serde_json::json!([]));
        assert_eq!(
            doc["servers"][0]["variables"]["port"]["default"],
            s.default_port.to_string().as_str()
        );
        for e in &s.endpoints {
            let post = &doc["paths"][format!("/{}", e.name)]["post"];
            let access = post["x-access"].as_str().unwrap();
            assert_eq!(access, format!("{:?}", e.access).to_lowercase());
            assert_eq!(post["x-since"].as_str(), e.since.as_deref(), "{}", e.name);
            assert_eq!(post["deprecated"].as_bool(), e.deprecated.as_ref().map(|_| true));
            let reply = &post["responses"]["200"]["content"]["application/json"]["schema"];
            assert_eq!(reply["anyOf"][1]["$ref"], "#/components/schemas/RpcFailure");
        }
        let codes = &doc["components"]["schemas"]["RpcErrorCode"]["anyOf"][0]["enum"];
        assert_eq!(
            codes.as_array().unwrap().len(),
            ir.error_codes.as_ref().unwrap().variants.len()
        );
    }
    let daemon = document("asyncapi/daemon.json");
    assert_eq!(daemon["info"]["x-chia-blockchain-version"], version.as_str());
    assert_eq!(daemon["components"]["securitySchemes"]["mutualTLS"]["type"], "X509");
    assert_eq!(daemon["servers"]["daemon"]["protocol"], "wss");
}

#[test]
#[ignore = "needs the documentation tools: cargo xtask docs-tools"]
fn documents_pass_their_validators_and_captured_replies_their_schemas() {
    let out = run_script(&python(), "validate_documents.py", &[&root()], &[]);
    assert!(out.contains("documents: 9 OpenAPI"), "{out}");
}

#[test]
#[ignore = "needs the documentation tools: cargo xtask docs-tools"]
fn asyncapi_document_passes_the_asyncapi_parser() {
    run_script(&node(), "validate_asyncapi.mjs", &[&root()], &[]);
}

#[test]
#[ignore = "needs the documentation tools: cargo xtask docs-tools"]
fn generated_python_clients_parse_every_captured_reply() {
    let out = out_dir("python-clients-offline");
    run_script(&python(), "client_offline.py", &[&root(), &out], &[]);
    assert!(out.join("wallet_client/api/offers/take_offer.py").exists());
}

#[test]
#[ignore = "needs the documentation tools: cargo xtask docs-tools"]
fn html_reference_renders_and_searches_in_headless_chromium() {
    let out = out_dir("reference-screenshots");
    let _ = std::fs::remove_dir_all(&out);
    run_script(&node(), "browse_reference.mjs", &[&root(), &out], &[]);
    for shot in ["reference-get_blockchain_state.png", "reference-field-search.png"] {
        let png = std::fs::read(out.join(shot)).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{shot}: {} bytes", png.len());
    }
    println!("screenshots in {}", out.display());
}
