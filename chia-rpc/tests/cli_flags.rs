//! `chia-rpc SERVICE ENDPOINT --flag …`: every endpoint's help, each family of typed flags
//! (checked with `--dry-run`, which prints the request the model accepted without sending
//! it), the confirmation of transactions and the shell completions.
// Test code: a failed unwrap is a failed test with its reason.
#![allow(missing_docs, clippy::unwrap_used)]

use std::process::{Command, Stdio};

use chia_rpc::{Address, Bytes32, Service};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn chia_rpc(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run chia-rpc");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The request `args` (an endpoint and its flags) would send.
fn dry_run(args: &[&str]) -> serde_json::Value {
    let run = chia_rpc(&[args, &["--dry-run"]].concat());
    assert_eq!(run.code, Some(0), "{args:?}: {}{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("{args:?}: {err}: {}", run.stdout))
}

/// Runs `args` with `--dry-run`, expecting a refusal (exit 1) whose message has `needle`.
fn refused(args: &[&str], needle: &str) {
    let run = chia_rpc(&[args, &["--dry-run"]].concat());
    assert_eq!(run.code, Some(1), "{args:?}: {}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains(needle), "{args:?}: {needle:?} not in {}", run.stderr);
}

fn endpoints(service: &str) -> Vec<String> {
    chia_rpc(&["list", service]).stdout.lines().map(str::to_owned).collect()
}

fn hash(byte: &str) -> String {
    byte.repeat(32)
}

#[test]
fn every_endpoint_of_every_service_has_help_with_every_field() {
    let mut checked = 0;
    for service in Service::ALL {
        let names = endpoints(service.name());
        assert!(!names.is_empty(), "{service}");
        let listing = chia_rpc(&[service.name(), "--help"]);
        assert_eq!(listing.code, Some(0), "{}", listing.stderr);
        for name in &names {
            assert!(listing.stdout.contains(&format!("  {name} ")), "{service} --help: {name}");
            let help = chia_rpc(&[service.name(), name, "--help"]);
            assert_eq!(help.code, Some(0), "{service} {name}: {}", help.stderr);
            let text = &help.stdout;
            assert!(text.contains("Access: "), "{service} {name}: {text}");
            assert!(text.contains("--dry-run") && text.contains("--json"), "{text}");
            // Every field: its flag, its type in brackets.
            let schema = request_schema(service.name(), name);
            for (wire, _) in schema["properties"].as_object().into_iter().flatten() {
                let flag = format!("--{}", wire.replace('_', "-"));
                assert!(text.contains(&flag), "{service} {name}: no {flag} in\n{text}");
            }
            checked += 1;
        }
    }
    println!("help checked for {checked} endpoints");
    assert!(checked >= 380, "only {checked} endpoints");
}

/// The JSON Schema of an endpoint's request, from the documents codegen writes (the
/// simulator's document leaves the full node's routes to the full node's, the daemon's the
/// shared routes to the shared one).
fn request_schema(service: &str, endpoint: &str) -> serde_json::Value {
    for document in [service, "full_node", "shared"] {
        let path = format!("{}/../docs/json-schema/{document}.json", env!("CARGO_MANIFEST_DIR"));
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        if let Some(reference) = doc["x-endpoints"][endpoint]["request"]["$ref"].as_str() {
            return doc["$defs"][reference.trim_start_matches("#/$defs/")].clone();
        }
    }
    panic!("no JSON Schema of {service} {endpoint}")
}

#[test]
fn help_shows_summary_description_access_and_field_types() {
    let help = chia_rpc(&["wallet", "send_transaction", "--help"]).stdout;
    assert!(help.starts_with("Sends XCH from the standard wallet to an address."), "{help}");
    assert!(help.contains("Access: transaction"), "{help}");
    assert!(help.contains("--amount <u64>"), "{help}");
    assert!(help.contains("[u64; required]"), "{help}");
    assert!(help.contains("--excluded-coin-ids <bytes32>"), "{help}");
    assert!(help.contains("optional<list<bytes32>>; hex, `0x` optional; repeat"), "{help}");
    let short = chia_rpc(&["full_node", "get_connections", "-h"]).stdout;
    assert!(short.contains("--node-type <NodeType>"), "{short}");
    let long = chia_rpc(&["full_node", "get_connections", "--help"]).stdout;
    assert!(long.contains("FullNode=1"), "{long}");
    assert_eq!(chia_rpc(&["help", "full_node", "get_connections"]).stdout, long);
}

#[test]
fn integers_are_numbers_checked_against_their_width() {
    let request = dry_run(&["full_node", "get_blocks", "--start", "0", "--end", "4294967295"]);
    assert_eq!(request, serde_json::json!({"start": 0, "end": 4294967295u64}));
    refused(&["full_node", "get_blocks", "--start", "0", "--end", "4294967296"], "--end");
    refused(&["full_node", "get_blocks", "--start", "-1", "--end", "2"], "--start");
    refused(&["full_node", "get_blocks", "--start", "0x1", "--end", "2"], "expected an integer");
}

#[test]
fn required_fields_are_required_unless_the_json_has_them() {
    refused(&["full_node", "get_blocks", "--start", "0"], "--end <u32>");
    // `--json` supplies them; a flag beside it replaces its key.
    let request = dry_run(&[
        "full_node",
        "get_blocks",
        "--json",
        r#"{"start": 1, "end": 9, "exclude_reorged": true}"#,
        "--end",
        "5",
    ]);
    assert_eq!(request, serde_json::json!({"start": 1, "end": 5, "exclude_reorged": true}));
    // What `--json` lacks, the model names.
    refused(&["full_node", "get_blocks", "--json", r#"{"start": 1}"#], "end");
    refused(&["full_node", "get_blocks", "--json", "[1]"], "--json must be a JSON object");
}

#[test]
fn hex_is_accepted_with_or_without_0x_and_sent_with_it() {
    let want = serde_json::json!({"header_hash": format!("0x{}", hash("ab"))});
    assert_eq!(dry_run(&["full_node", "get_block", "--header-hash", &hash("AB")]), want);
    assert_eq!(
        dry_run(&["full_node", "get_block", "--header-hash", &format!("0x{}", hash("ab"))]),
        want
    );
    refused(&["full_node", "get_block", "--header-hash", "0x12"], "expected 32 bytes");
    refused(&["full_node", "get_block", "--header-hash", &hash("zz")], "expected hex digits");
}

#[test]
fn addresses_are_checked_before_sending() {
    let address = Address::encode("txch", Bytes32::new([7; 32])).unwrap();
    let request = dry_run(&[
        "wallet",
        "send_transaction",
        "--wallet-id",
        "1",
        "--amount",
        "1000",
        "--address",
        address.as_str(),
        "--fee",
        "5",
    ]);
    assert_eq!(request["address"], address.as_str());
    assert_eq!(request["amount"], 1000);
    assert_eq!(request["fee"], 5);
    let mut broken = address.as_str().to_owned();
    broken.pop();
    broken.push(if address.as_str().ends_with('q') { 'p' } else { 'q' });
    let args = ["wallet", "send_transaction", "--wallet-id", "1", "--amount", "1", "--address"];
    refused(&[&args[..], &[broken.as_str()]].concat(), "not a bech32m address");
}

#[test]
fn booleans_are_bare_flags_or_true_and_false() {
    let base = ["full_node", "get_blocks", "--start", "0", "--end", "2"];
    let bare = dry_run(&[&base[..], &["--exclude-reorged"]].concat());
    assert_eq!(bare["exclude_reorged"], true);
    let off = dry_run(&[&base[..], &["--exclude-reorged=false"]].concat());
    assert_eq!(off["exclude_reorged"], false);
    let spaced = dry_run(&[&base[..], &["--exclude-reorged", "true"]].concat());
    assert_eq!(spaced["exclude_reorged"], true);
    refused(&[&base[..], &["--exclude-reorged=maybe"]].concat(), "expected true or false");
}

#[test]
fn lists_repeat_the_flag_or_take_one_json_array() {
    let (a, b) = (hash("aa"), hash("bb"));
    let endpoint = ["full_node", "get_coin_records_by_names"];
    let repeated = dry_run(&[&endpoint[..], &["--names", &a, "--names", &b]].concat());
    assert_eq!(repeated["names"], serde_json::json!([format!("0x{a}"), format!("0x{b}")]));
    let array = format!(r#"["{a}", "0x{b}"]"#);
    let whole = dry_run(&[&endpoint[..], &["--names", &array]].concat());
    assert_eq!(whole["names"], repeated["names"]);
    let empty = dry_run(&[&endpoint[..], &["--names", "[]"]].concat());
    assert_eq!(empty["names"], serde_json::json!([]));
    // The items of an array are checked by the model, a repeated item by its flag.
    refused(&[&endpoint[..], &["--names", r#"["0x12"]"#]].concat(), "names");
    refused(&[&endpoint[..], &["--names", &a, "--names", "12"]].concat(), "--names");
    refused(&[&endpoint[..], &["--names", &a, "--names", "[]"]].concat(), "one JSON array");
}

#[test]
fn records_and_maps_are_json_checked_by_the_model() {
    let fixtures = format!("{}/../tests/fixtures/chia-2.7.5", env!("CARGO_MANIFEST_DIR"));
    let captured = std::fs::read_to_string(format!("{fixtures}/full_node/push_tx.request.json"));
    let captured: serde_json::Value = serde_json::from_str(&captured.unwrap()).unwrap();
    let bundle = captured["spend_bundle"].to_string();
    let request = dry_run(&["full_node", "push_tx", "--spend-bundle", &bundle]);
    assert_eq!(
        request["spend_bundle"]["aggregated_signature"],
        captured["spend_bundle"]["aggregated_signature"]
    );
    refused(&["full_node", "push_tx", "--spend-bundle", "[]"], "expected a JSON object");
    refused(&["full_node", "push_tx", "--spend-bundle", "{"], "not valid JSON");
    refused(
        &["full_node", "push_tx", "--spend-bundle", r#"{"coin_spends": 3}"#],
        "spend_bundle.coin_spends",
    );
    // A list of records: one JSON object per flag, or one JSON array of them.
    let puzzle_hash = format!("0x{}", hash("cd"));
    let addition = format!(r#"{{"amount": 5, "puzzle_hash": "{puzzle_hash}"}}"#);
    let one_by_one = dry_run(&[
        "wallet",
        "create_signed_transaction",
        "--additions",
        &addition,
        "--additions",
        &addition,
    ]);
    let whole = dry_run(&[
        "wallet",
        "create_signed_transaction",
        "--additions",
        &format!("[{addition}, {addition}]"),
    ]);
    assert_eq!(one_by_one["additions"], whole["additions"]);
    assert_eq!(whole["additions"][1]["puzzle_hash"], puzzle_hash.as_str());
    refused(
        &["wallet", "create_signed_transaction", "--additions", r#"[{"amount": 5}]"#],
        "puzzle_hash",
    );
    let map = dry_run(&["wallet", "vc_add_proofs", "--proofs", r#"{"a": "1"}"#]);
    assert_eq!(map["proofs"], serde_json::json!({"a": "1"}));
}

#[test]
fn enums_take_their_values_and_integer_enums_their_names() {
    let by_name = dry_run(&["full_node", "get_connections", "--node-type", "farmer"]);
    let by_number = dry_run(&["full_node", "get_connections", "--node-type", "3"]);
    assert_eq!(by_name, by_number);
    assert_eq!(by_name["node_type"], 3);
    refused(&["full_node", "get_connections", "--node-type", "toaster"], "FullNode (1)");
    let sorted =
        dry_run(&["wallet", "get_transactions", "--wallet-id", "1", "--sort-key", "RELEVANCE"]);
    assert_eq!(sorted["sort_key"], "RELEVANCE");
    refused(
        &["wallet", "get_transactions", "--wallet-id", "1", "--sort-key", "NEWEST"],
        "CONFIRMED_AT_HEIGHT, RELEVANCE",
    );
}

#[test]
fn nullable_fields_take_null_and_are_required() {
    let given = dry_run(&["daemon", "get_key_for_fingerprint", "--fingerprint", "42"]);
    assert_eq!(given["fingerprint"], 42);
    let null = dry_run(&["daemon", "get_key_for_fingerprint", "--fingerprint", "null"]);
    assert_eq!(null["fingerprint"], serde_json::Value::Null);
    refused(&["daemon", "get_key_for_fingerprint"], "--fingerprint <u32>");
}

#[test]
fn fields_with_capitals_and_connection_names_keep_their_flags() {
    let plotting = dry_run(&[
        "daemon",
        "start_plotting",
        "--service",
        "chia_plotter",
        "--d",
        "/plots",
        "--r",
        "2",
        "--plotter",
        "chiapos",
        "--k",
        "32",
        "--K",
        "2",
        "--G",
        "--overrideK",
    ]);
    assert_eq!((plotting["k"].clone(), plotting["K"].clone()), (32.into(), 2.into()));
    assert_eq!((plotting["G"].clone(), plotting["overrideK"].clone()), (true.into(), true.into()));
    // `open_connection` has fields `host` and `port`: the connection options become `--node-…`.
    let open = dry_run(&["full_node", "open_connection", "--host", "10.0.0.1", "--port", "8444"]);
    assert_eq!(open, serde_json::json!({"host": "10.0.0.1", "port": 8444}));
    let help = chia_rpc(&["full_node", "open_connection", "--help"]).stdout;
    assert!(help.contains("--node-host <HOST>") && help.contains("--node-port <PORT>"), "{help}");
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    let unknown = chia_rpc(&["full_node", "get_blocks", "--start", "0", "--end", "1", "--bogus"]);
    assert_eq!(unknown.code, Some(1), "{}", unknown.stderr);
    assert!(unknown.stderr.contains("--bogus"), "{}", unknown.stderr);
    assert_eq!(chia_rpc(&["full_node", "no_such_endpoint"]).code, Some(1));
    assert_eq!(chia_rpc(&["--help"]).code, Some(0));
    assert_eq!(chia_rpc(&["wallet", "--help"]).code, Some(0));
}

#[test]
fn a_transaction_asks_first_on_a_terminal() {
    let address = Address::encode("txch", Bytes32::new([7; 32])).unwrap();
    let command = format!(
        "{} wallet send_transaction --wallet-id 1 --amount 1 --address {} --root /nonexistent",
        env!("CARGO_BIN_EXE_chia-rpc"),
        address.as_str()
    );
    // `script` gives the command a terminal; the answer "n" comes through it.
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"n\n")?;
            child.wait_with_output()
        })
        .expect("run chia-rpc under script(1)");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Send it? [y/N]"), "{text}");
    assert!(text.contains("not sent"), "{text}");
    assert_eq!(output.status.code(), Some(1), "{text}");
    // `--yes` skips the question (and then fails reading the config of the missing root).
    let run = chia_rpc(&[
        "wallet",
        "send_transaction",
        "--wallet-id",
        "1",
        "--amount",
        "1",
        "--address",
        address.as_str(),
        "--root",
        "/nonexistent",
        "--yes",
    ]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("/nonexistent/config/config.yaml"), "{}", run.stderr);
}

#[test]
fn bash_completes_services_endpoints_flags_and_enum_values() {
    let script = chia_rpc(&["completions", "bash"]);
    assert_eq!(script.code, Some(0), "{}", script.stderr);
    let dir = std::env::temp_dir().join(format!("chia-rpc-completions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("chia-rpc.bash");
    std::fs::write(&file, &script.stdout).unwrap();
    // Each case: the words typed so far, the word being completed; the candidates come back.
    let complete = |words: &[&str]| -> Vec<String> {
        let line = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
        let program = format!(
            "source '{}'; COMP_WORDS=({line}); COMP_CWORD={}; \
             _chia__rpc chia-rpc \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display(),
            words.len() - 1
        );
        let output = Command::new("bash").args(["-c", &program]).output().expect("bash");
        String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
    };
    let services = complete(&["chia-rpc", "full"]);
    assert_eq!(services, ["full_node"]);
    let endpoints = complete(&["chia-rpc", "full_node", "get_blockchain_s"]);
    assert_eq!(endpoints, ["get_blockchain_state"]);
    let flags = complete(&["chia-rpc", "full_node", "get_coin_records_by_names", "--include-s"]);
    assert_eq!(flags, ["--include-spent-coins"]);
    let values = complete(&["chia-rpc", "wallet", "get_transactions", "--sort-key", ""]);
    assert_eq!(values, ["CONFIRMED_AT_HEIGHT", "RELEVANCE"]);
    let builtins = complete(&["chia-rpc", "comp"]);
    assert_eq!(builtins, ["completions"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn zsh_and_fish_scripts_name_every_service_and_endpoint() {
    for shell in ["zsh", "fish"] {
        let script = chia_rpc(&["completions", shell]);
        assert_eq!(script.code, Some(0), "{shell}: {}", script.stderr);
        for service in Service::ALL {
            assert!(script.stdout.contains(service.name()), "{shell}: {service}");
            for endpoint in endpoints(service.name()) {
                assert!(script.stdout.contains(&endpoint), "{shell}: {service} {endpoint}");
            }
        }
        assert!(script.stdout.contains("include-spent-coins"), "{shell}");
    }
    assert!(chia_rpc(&["completions", "zsh"]).stdout.starts_with("#compdef chia-rpc"));
    assert_eq!(chia_rpc(&["completions", "tcsh"]).code, Some(1));
}
