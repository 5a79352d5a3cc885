//! The `chia-rpc` binary against the live simulator (run by `cargo xtask test`): a few
//! endpoints of every running service through typed flags, each reply decoded strictly by the
//! binary and its output read back as JSON; the daemon's relay and its pushes as JSON lines.
//!
//! It reads what it needs from the chain as it finds it, so it runs before or after the rest of
//! the live suite; the one service that suite stops (the harvester) is started through the
//! daemon for the time of the test and stopped again.
// Test code: a failed unwrap is a failed test with its reason.
#![allow(missing_docs, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The harness's settings: `KEY=VALUE` lines, values perhaps single-quoted for the shell.
fn live_env() -> BTreeMap<String, String> {
    let path = std::env::var("CHIA_RPC_LIVE_ENV").expect("CHIA_RPC_LIVE_ENV (cargo xtask test)");
    let text = std::fs::read_to_string(&path).expect("the live env file");
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| {
            let value = value.trim();
            let value = match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
                Some(inner) => inner.replace("'\\''", "'"),
                None => value.to_owned(),
            };
            (key.trim().to_owned(), value)
        })
        .collect()
}

struct Cli {
    root: String,
    /// Runs of the binary so far, by its first argument.
    runs: std::cell::RefCell<BTreeMap<String, usize>>,
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Cli {
    /// `chia-rpc SERVICE ENDPOINT ARGS… --root ROOT`.
    fn new(root: &str) -> Cli {
        Cli { root: root.to_owned(), runs: Default::default() }
    }

    fn run(&self, args: &[&str]) -> Output {
        *self.runs.borrow_mut().entry(args[0].to_owned()).or_default() += 1;
        let output = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
            .args(args)
            .args(["--root", &self.root])
            .stdin(Stdio::null())
            .output()
            .expect("run chia-rpc");
        Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The decoded reply of a call that must succeed, strictly decoded by the binary.
    fn json(&self, args: &[&str]) -> Value {
        let output = self.run(&[args, &["--strict"]].concat());
        assert_eq!(output.code, Some(0), "{args:?}: {}{}", output.stdout, output.stderr);
        serde_json::from_str(&output.stdout).unwrap_or_else(|err| {
            panic!("{args:?}: the output is not JSON ({err}): {}", output.stdout)
        })
    }

    /// One value of the reply, as `--field` prints it.
    fn field(&self, args: &[&str], path: &str) -> String {
        let output = self.run(&[args, &["--strict", "--field", path]].concat());
        assert_eq!(output.code, Some(0), "{args:?} {path}: {}{}", output.stdout, output.stderr);
        output.stdout.trim_end().to_owned()
    }
}

#[test]
#[ignore = "needs a running simulator: run `cargo xtask test`"]
fn the_command_line_against_the_simulator() {
    let env = live_env();
    let cli = Cli::new(&env["CHIA_ROOT"]);
    let address = env["CHIA_RPC_WALLET_ADDRESS"].as_str();

    // Full node: a value picked with --field feeds the next call's typed flags.
    let height: u32 = cli
        .field(&["full_node", "get_blockchain_state"], "blockchain_state.peak.height")
        .parse()
        .expect("the peak's height is a number");
    let hash = cli.field(
        &["full_node", "get_block_record_by_height", "--height", &height.to_string()],
        "block_record.header_hash",
    );
    let bare = hash.trim_start_matches("0x");
    assert_eq!(bare.len(), 64, "{hash}");
    // Hex without `0x` is accepted and sent with it.
    let block = cli.json(&["full_node", "get_block", "--header-hash", bare]);
    assert_eq!(block["block"]["reward_chain_block"]["height"], height, "{block}");
    let blocks =
        cli.json(&["full_node", "get_blocks", "--start", "0", "--end", "2", "--exclude-reorged"]);
    assert_eq!(blocks["blocks"].as_array().map(Vec::len), Some(2), "{blocks}");
    let raw = cli.run(&["full_node", "get_network_info", "--raw"]);
    assert_eq!(raw.code, Some(0), "{}", raw.stderr);
    let raw: Value = serde_json::from_str(&raw.stdout).expect("the node's JSON");
    assert_eq!(raw["success"], true, "{raw}");
    // A well-formed failure reply exits 3.
    let missing = cli.run(&["full_node", "get_block", "--header-hash", &"ab".repeat(32)]);
    assert_eq!(missing.code, Some(3), "{}{}", missing.stdout, missing.stderr);
    assert!(missing.stdout.starts_with("failure reply: "), "{}", missing.stdout);

    // The simulator.
    let auto = cli.json(&["simulator", "get_auto_farming"]);
    assert!(auto["auto_farm_enabled"].is_boolean(), "{auto}");
    let records = cli.json(&[
        "simulator",
        "get_coin_records_by_puzzle_hash",
        "--puzzle-hash",
        &cli.field(&["simulator", "get_farming_ph"], "puzzle_hash"),
    ]);
    assert!(records["coin_records"].is_array(), "{records}");

    // The wallet, with or without keys.
    let prefix = cli.field(&["wallet", "get_network_info"], "network_prefix");
    assert!(address.starts_with(&prefix), "{prefix} {address}");
    let sync = cli.json(&["wallet", "get_sync_status"]);
    assert!(sync["synced"].is_boolean(), "{sync}");
    let keys = cli.json(&["wallet", "get_public_keys"]);
    assert!(keys.is_object(), "{keys}");

    // The farmer.
    let summary = cli.json(&["farmer", "get_harvesters_summary"]);
    assert!(summary["harvesters"].is_array(), "{summary}");
    let pools = cli.json(&["farmer", "get_pool_state"]);
    assert!(pools["pool_state"].is_array(), "{pools}");

    // The harvester, started through the daemon when the rest of the suite has stopped it.
    let started = cli.run(&["harvester", "healthz"]).code != Some(0);
    if started {
        let reply = cli.json(&["daemon", "start_service", "--service", "chia_harvester"]);
        assert_eq!(reply["service"], "chia_harvester", "{reply}");
        let deadline = Instant::now() + Duration::from_secs(120);
        while cli.run(&["harvester", "healthz"]).code != Some(0) {
            assert!(Instant::now() < deadline, "the harvester did not come up");
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    let directories = cli.json(&["harvester", "get_plot_directories"]);
    assert!(directories["directories"].is_array(), "{directories}");
    let plots = cli.json(&["harvester", "get_plots"]);
    assert!(plots["plots"].is_array(), "{plots}");

    // The data layer.
    let subscriptions = cli.json(&["data_layer", "subscriptions"]);
    assert!(subscriptions["store_ids"].is_array(), "{subscriptions}");
    let routes = cli.json(&["data_layer", "get_routes"]);
    assert!(routes["routes"].as_array().is_some_and(|r| !r.is_empty()), "{routes}");

    // The crawler, from its own root.
    let crawler = Cli::new(&env["CHIA_RPC_CRAWLER_ROOT"]);
    let counts = crawler.json(&["crawler", "get_peer_counts"]);
    assert!(counts["peer_counts"].is_object(), "{counts}");
    let ips = crawler.json(&["crawler", "get_ips_after_timestamp", "--after", "0", "--limit", "5"]);
    assert!(ips["ips"].is_array(), "{ips}");

    // The solver.
    let state = cli.json(&["solver", "get_state"]);
    assert!(state.is_object(), "{state}");
    let version = cli.field(&["solver", "get_version"], "version");
    assert!(!version.is_empty());

    // The daemon: its own commands, and a call it relays.
    let status = cli.json(&["daemon", "get_status"]);
    assert!(status["genesis_initialized"].is_boolean(), "{status}");
    let running = cli.json(&["daemon", "is_running", "--service", "chia_full_node"]);
    assert!(running["is_running"].is_boolean(), "{running}");
    let relayed = cli.field(
        &["full_node", "get_blockchain_state", "--via-daemon"],
        "blockchain_state.peak.height",
    );
    assert!(relayed.parse::<u32>().is_ok_and(|relayed| relayed >= height), "{relayed}");

    // A push as a JSON line: watch for the next block while farming one.
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_chia-rpc"))
        .args(["events", "--service", "full_node", "--event", "block", "--count", "1"])
        .args(["--root", &cli.root])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chia-rpc events");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = watcher.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = watcher.kill();
            panic!("no block push within two minutes");
        }
        // The watcher registers in its own time: farm until it has seen a block.
        let farmed = cli.json(&["simulator", "farm_block", "--address", address]);
        assert!(farmed.is_object(), "{farmed}");
        std::thread::sleep(Duration::from_secs(3));
    };
    let mut line = String::new();
    watcher.stdout.take().unwrap().read_to_string(&mut line).unwrap();
    let mut errors = String::new();
    watcher.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
    assert!(status.success(), "{line}{errors}");
    let push: Value =
        serde_json::from_str(line.trim()).unwrap_or_else(|err| panic!("{err}: {line}"));
    assert_eq!(push["service"], "full_node", "{push}");
    assert_eq!(push["command"], "block", "{push}");
    assert_eq!(push["destination"], "metrics", "{push}");
    assert!(push["data"]["height"].as_u64().is_some_and(|h| h > u64::from(height)), "{push}");

    if started {
        let stopped = cli.json(&["daemon", "stop_service", "--service", "chia_harvester"]);
        assert_eq!(stopped["service_name"], "chia_harvester", "{stopped}");
    }
    let mut runs = cli.runs.take();
    *runs.entry("crawler".to_owned()).or_default() += crawler.runs.take().values().sum::<usize>();
    let total: usize = runs.values().sum();
    let summary: Vec<String> = runs.iter().map(|(first, n)| format!("{first} {n}")).collect();
    println!("live cli: {total} runs of the binary ({})", summary.join(", "));
}
