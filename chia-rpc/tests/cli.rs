//! The `chia-rpc decode` interface over every reply captured from a real node.
// Test code: a failed unwrap is a failed test with its reason.
#![allow(missing_docs, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Directory of captured replies: `<service>/<endpoint>[.<variant>].json`, requests beside them
/// as `*.request.json`; failure replies have a variant starting with `failure`.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/chia-2.7.5")
}

struct Fixture {
    service: String,
    endpoint: String,
    failure: bool,
    path: PathBuf,
}

fn captured_replies() -> Vec<Fixture> {
    let mut found = Vec::new();
    for service_dir in std::fs::read_dir(fixtures()).expect("fixture directory") {
        let service_dir = service_dir.unwrap().path();
        let service = service_dir.file_name().unwrap().to_string_lossy().into_owned();
        // Pushes are whole daemon messages, checked by their own test.
        if service == "events" {
            continue;
        }
        for file in std::fs::read_dir(&service_dir).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".json") || name.ends_with(".request.json") {
                continue;
            }
            let stem = name.trim_end_matches(".json");
            let (endpoint, variant) = stem.split_once('.').unwrap_or((stem, ""));
            found.push(Fixture {
                // Shared routes are captured under `shared/`; they work under every service.
                service: if service == "shared" { "full_node".into() } else { service.clone() },
                endpoint: endpoint.to_owned(),
                failure: variant.starts_with("failure"),
                path,
            });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn decode(args: &[&str], file: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
        .arg("decode")
        .args(args)
        .arg(file)
        .output()
        .expect("run chia-rpc");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn known_endpoints(service: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
        .args(["list", service])
        .output()
        .expect("run chia-rpc list");
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn strict_decode_accepts_every_captured_success_and_flags_every_failure() {
    let mut checked = 0;
    let mut failures = 0;
    let mut not_in_schema = Vec::new();
    for fixture in captured_replies() {
        if !known_endpoints(&fixture.service).contains(&fixture.endpoint) {
            not_in_schema.push(format!("{}/{}", fixture.service, fixture.endpoint));
            continue;
        }
        let (code, text) =
            decode(&["--strict", &fixture.service, &fixture.endpoint], &fixture.path);
        let expected = if fixture.failure { 3 } else { 0 };
        assert_eq!(code, expected, "{}: {text}", fixture.path.display());
        checked += 1;
        failures += usize::from(fixture.failure);
    }
    println!("decoded {checked} captured replies ({failures} failure replies)");
    if !not_in_schema.is_empty() {
        println!("captured but not yet in the schema: {}", not_in_schema.join(", "));
    }
    assert!(checked >= 49, "only {checked} captured replies were checked");
    assert!(failures >= 4, "only {failures} failure replies were checked");
}

/// A route a simulator cannot answer with a success (the live suite lists it with the same
/// reason): either its failure reply is captured instead, or no reply can be.
struct WithoutASuccess {
    service: &'static str,
    endpoint: &'static str,
    failure_captured: bool,
    reason: &'static str,
}

const WITHOUT_A_SUCCESS: &[WithoutASuccess] = &[
    WithoutASuccess {
        service: "wallet",
        endpoint: "get_farmed_amount",
        failure_captured: true,
        reason: "upstream sums the simulator's prefarm into a uint64, which overflows",
    },
    WithoutASuccess {
        service: "wallet",
        endpoint: "pw_self_pool",
        failure_captured: true,
        reason: "the suite's plot NFT pools with itself already",
    },
    WithoutASuccess {
        service: "wallet",
        endpoint: "crcat_approve_pending",
        failure_captured: false,
        reason: "needs a credential-restricted CAT, which needs an authorised VC provider",
    },
    WithoutASuccess {
        service: "wallet",
        endpoint: "pw_join_pool",
        failure_captured: false,
        reason: "needs a pool server at pool_url; none runs offline",
    },
    WithoutASuccess {
        service: "farmer",
        endpoint: "get_signage_point",
        failure_captured: true,
        reason: "no timelord runs beside a simulator, so the farmer never holds a signage point",
    },
    WithoutASuccess {
        service: "farmer",
        endpoint: "get_pool_login_link",
        failure_captured: true,
        reason: "a self-pooling plot NFT never learns a pool's token timeout",
    },
    WithoutASuccess {
        service: "daemon",
        endpoint: "exit",
        failure_captured: false,
        reason: "stops the daemon and every service it started",
    },
    WithoutASuccess {
        service: "daemon",
        endpoint: "delete_all_keys",
        failure_captured: false,
        reason: "deletes every key, the simulator's funded one included",
    },
];

#[test]
fn every_schema_endpoint_has_a_captured_reply() {
    let replies = captured_replies();
    let mut missing = Vec::new();
    for (service, dirs) in [
        ("full_node", &["full_node", "shared"][..]),
        ("simulator", &["simulator", "full_node", "shared"][..]),
        ("wallet", &["wallet", "shared"][..]),
        ("farmer", &["farmer", "shared"][..]),
        ("harvester", &["harvester", "shared"][..]),
        ("data_layer", &["data_layer", "shared"][..]),
        ("crawler", &["crawler", "shared"][..]),
        ("solver", &["solver", "shared"][..]),
        ("daemon", &["daemon"][..]),
        // Relayed through the daemon: the same replies as over HTTPS.
        ("timelord", &["shared"][..]),
    ] {
        for endpoint in known_endpoints(service) {
            let exception = WITHOUT_A_SUCCESS
                .iter()
                .find(|exception| exception.service == service && exception.endpoint == endpoint);
            assert!(exception.is_none_or(|exception| !exception.reason.is_empty()));
            let wants_failure = exception.is_some_and(|exception| exception.failure_captured);
            let covered = replies.iter().any(|fixture| {
                let dir = fixture.path.parent().unwrap().file_name().unwrap().to_string_lossy();
                fixture.failure == wants_failure
                    && fixture.endpoint == endpoint
                    && dirs.contains(&dir.as_ref())
            });
            let excused = exception.is_some_and(|exception| !exception.failure_captured);
            if !covered && !excused {
                missing.push(format!("{service} {endpoint}"));
            }
        }
    }
    assert!(missing.is_empty(), "no captured reply for {missing:?}");
}

/// Every push captured from the live daemon, one message per file.
#[test]
fn every_captured_push_decodes_strictly_as_a_daemon_message() {
    let dir = fixtures().join("events");
    let mut checked = 0;
    for file in std::fs::read_dir(&dir).expect("captured pushes") {
        let path = file.unwrap().path();
        let (code, text) = decode(&["--strict", "daemon-message"], &path);
        assert_eq!(code, 0, "{}: {text}", path.display());
        checked += 1;
    }
    println!("decoded {checked} captured pushes");
    assert!(checked >= 8, "only {checked} captured pushes were checked");
}

#[test]
fn a_mismatch_exits_1_naming_the_path() {
    let dir = std::env::temp_dir().join(format!("chia-rpc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("reply.json");
    std::fs::write(&file, br#"{"success": true, "blockchain_state": {"peak": 7}}"#).unwrap();
    let (code, text) = decode(&["full_node", "get_blockchain_state"], &file);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("blockchain_state"), "{text}");
    std::fs::write(&file, b"not json").unwrap();
    let (code, _) = decode(&["full_node", "get_blockchain_state"], &file);
    assert_eq!(code, 1);
    let (code, text) = decode(&["full_node", "no_such_route"], &file);
    assert_eq!(code, 1, "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn strict_refuses_a_field_the_model_does_not_know() {
    let dir = std::env::temp_dir().join(format!("chia-rpc-cli-strict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("reply.json");
    std::fs::write(&file, br#"{"success": true, "surprise": 1}"#).unwrap();
    // Without --strict unknown fields are ignored.
    assert_eq!(decode(&["full_node", "healthz"], &file).0, 0);
    let (code, text) = decode(&["--strict", "full_node", "healthz"], &file);
    assert_eq!(code, 1, "{text}");
    assert_eq!(text.trim(), "error: at `surprise`: a field the model does not know");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn strict_refuses_an_unknown_field_and_an_unknown_enum_value_of_a_captured_reply() {
    let dir = std::env::temp_dir().join(format!("chia-rpc-cli-unknown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let push = std::fs::read_to_string(fixtures().join("full_node/push_tx.json")).unwrap();
    let state =
        std::fs::read_to_string(fixtures().join("full_node/get_blockchain_state.json")).unwrap();
    let cases = [
        ("push_tx", push.replace("\"SUCCESS\"", "\"BRAND_NEW\""), "status"),
        (
            "get_blockchain_state",
            state.replacen("\"peak\":", "\"surprise\": 1, \"peak\":", 1),
            "blockchain_state.surprise",
        ),
    ];
    for (endpoint, body, path) in cases {
        let file = dir.join(format!("{endpoint}.json"));
        std::fs::write(&file, body).unwrap();
        let (code, text) = decode(&["full_node", endpoint], &file);
        assert_eq!(code, 0, "lenient {endpoint}: {text}");
        let (code, text) = decode(&["--strict", "full_node", endpoint], &file);
        assert_eq!(code, 1, "strict {endpoint}: {text}");
        assert!(text.contains(&format!("at `{path}`")), "{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn list_without_a_service_lists_every_service_with_its_count() {
    let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc")).arg("list").output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let full_node = text.lines().find(|line| line.starts_with("full_node")).expect("full_node");
    let count: usize = full_node.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(count, known_endpoints("full_node").len());
    assert_eq!(text.lines().count(), known_services().len(), "{text}");
}

fn known_services() -> Vec<&'static str> {
    chia_rpc::Service::ALL.iter().map(|service| service.name()).collect()
}

#[test]
fn call_refuses_a_request_that_does_not_fit_the_model_before_sending() {
    let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
        .args(["call", "--root", "/nonexistent-root", "full_node", "get_block"])
        .arg(r#"{"header_hash": "0x12"}"#)
        .output()
        .expect("run chia-rpc call");
    // The config is read first: a missing root is named.
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("nonexistent-root/config/config.yaml"), "{text}");
}

/// `chia-rpc call` against the live simulator (run by `cargo xtask test`).
#[test]
#[ignore = "needs a running simulator: run `cargo xtask test`"]
fn call_against_the_live_simulator() {
    let env_file =
        std::env::var("CHIA_RPC_LIVE_ENV").expect("CHIA_RPC_LIVE_ENV (cargo xtask test)");
    let env = std::fs::read_to_string(&env_file).expect("the live env file");
    let root = env
        .lines()
        .find_map(|line| line.strip_prefix("CHIA_ROOT="))
        .map(|value| value.trim_matches('\'').replace("'\\''", "'"))
        .expect("CHIA_ROOT in the live env file");
    let root = root.as_str();
    let call = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
            .args(["call", "--root", root])
            .args(args)
            .output()
            .expect("run chia-rpc call");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stdout, stderr)
    };
    let (code, stdout, stderr) = call(&["full_node", "get_blockchain_state"]);
    assert_eq!(code, Some(0), "{stderr}");
    let reply: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert!(reply["blockchain_state"]["peak"]["height"].as_u64().is_some(), "{stdout}");
    // The decoded model has no `success`; `--raw` shows the node's own bytes, which do.
    assert_eq!(reply.get("success"), None, "{stdout}");
    let (code, stdout, stderr) = call(&["full_node", "get_blockchain_state", "--raw"]);
    assert_eq!(code, Some(0), "{stderr}");
    let raw: serde_json::Value = serde_json::from_str(&stdout).expect("the node's JSON");
    assert_eq!(raw["success"], true, "{stdout}");
    assert!(!stdout.ends_with('\n'), "printed byte for byte");

    // Input that is not JSON at all is named as such.
    let (code, _, stderr) = call(&["full_node", "get_block", "{not json"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");

    // Checked against the model before anything is sent.
    let (code, _, stderr) = call(&["full_node", "get_block", r#"{"header_hash": "0x12"}"#]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("header_hash"), "{stderr}");

    // A well-formed failure reply exits 3.
    let unknown = format!(r#"{{"header_hash": "0x{}"}}"#, "ab".repeat(32));
    let (code, stdout, stderr) = call(&["full_node", "get_block", &unknown]);
    assert_eq!(code, Some(3), "{stdout}{stderr}");
}
