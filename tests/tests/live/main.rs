//! The live suite: every endpoint in the schema, called with the typed client against a real
//! chia-blockchain simulator and decoded strictly.
//!
//! `cargo xtask test` starts the simulator in a loopback-only network namespace and runs the
//! tests there with `--include-ignored` and `CHIA_RPC_LIVE_ENV` pointing at the harness's env
//! file. Run any other way, the test shows as ignored; run with `--include-ignored` but without a
//! node, it fails. With `CHIA_RPC_CAPTURE_DIR` set (`cargo xtask capture`), every reply is also
//! written there as a fixture.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod daemon;
mod recorder;
mod scenario;
mod services;
mod wallet;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chia_rpc::decode::Strictness;
use chia_rpc::{Address, ChiaConfig, Client, HttpsTransport, Service, ServiceClients};
use recorder::{Capture, Recorder};

/// The settings the harness wrote: `KEY=VALUE` lines.
fn live_env() -> BTreeMap<String, String> {
    let path = std::env::var_os("CHIA_RPC_LIVE_ENV").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "the live suite needs a running simulator: run `cargo xtask test` \
             (CHIA_RPC_LIVE_ENV is unset)"
        )
    });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read the live env file {}: {err}", path.display()));
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), unquote(value.trim())))
        .collect()
}

/// A value the harness single-quoted for the shell.
fn unquote(word: &str) -> String {
    match word.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')) {
        Some(inner) => inner.replace("'\\''", "'"),
        None => word.to_owned(),
    }
}

fn setting<'a>(env: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    env.get(key).unwrap_or_else(|| panic!("{key} is missing from the live env file"))
}

/// The defaults a user gets: config discovery, per-service certificates, the private CA and the
/// name `chia.net` verified.
fn transport_for_root(root: &str) -> HttpsTransport {
    let config = ChiaConfig::load(root)
        .unwrap_or_else(|err| panic!("reading the config under {root}: {err}"));
    HttpsTransport::from_config(&config)
        .unwrap_or_else(|err| panic!("a transport from the config under {root}: {err}"))
}

/// The suite's client: strict decoding over a recorder of every call.
pub struct Live {
    /// The typed client every scenario calls through.
    pub client: Client,
    /// What the client's calls went through, and which of them succeeded.
    pub recorder: Arc<Recorder>,
}

fn live(env: &BTreeMap<String, String>) -> Live {
    let root = setting(env, "CHIA_ROOT");
    let crawler_root = setting(env, "CHIA_RPC_CRAWLER_ROOT");
    let main = Arc::new(transport_for_root(root));
    let mut transports: BTreeMap<Service, Arc<HttpsTransport>> =
        Service::ALL.iter().map(|&service| (service, main.clone())).collect();
    // The crawler runs from a root of its own, with its own CA.
    transports.insert(Service::Crawler, Arc::new(transport_for_root(crawler_root)));
    let capture = std::env::var_os("CHIA_RPC_CAPTURE_DIR").map(|dir| Capture {
        dir: PathBuf::from(dir),
        redactions: recorder::machine_paths(root, crawler_root),
    });
    let recorder = Arc::new(Recorder { transports, called: Mutex::new(BTreeSet::new()), capture });
    let client = Client::from_arc(recorder.clone()).with_strictness(Strictness::Strict);
    Live { client, recorder }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a running simulator: run `cargo xtask test`"]
async fn every_schema_endpoint_against_the_simulator() {
    let env = live_env();
    let live = live(&env);
    let address: Address =
        setting(&env, "CHIA_RPC_WALLET_ADDRESS").parse().expect("a valid wallet address");

    scenario::shared_routes_on_every_service(&live).await;
    scenario::reconnect_the_wallet(&live).await;
    scenario::wire_faults(&live).await;
    let hint = scenario::chain_reads(&live, &address).await;
    scenario::call_shapes(&live).await;
    scenario::transaction_flow(&live, &address, hint).await;
    let fingerprint: u32 =
        setting(&env, "CHIA_RPC_WALLET_FINGERPRINT").parse().expect("a wallet fingerprint");
    wallet::everything(&live, &address, fingerprint).await;
    scenario::simulator_routes(&live, &address).await;
    let settings = services::Settings {
        address: address.clone(),
        fingerprint,
        solver_peer_port: setting(&env, "CHIA_RPC_SOLVER_PEER_PORT")
            .parse()
            .expect("the solver's peer port"),
    };
    services::everything(&live, &settings).await;
    let daemon_report = daemon::everything(&env, &live.client, &address, fingerprint).await;
    // Last: it shuts the harvester down.
    live.client.harvester().stop_node().await.expect("stop_node on the harvester");
    // And the wallet loses its keys: nothing after this needs them.
    let wallet = live.client.wallet();
    wallet.delete_all_keys().await.expect("delete_all_keys");
    let keys = wallet.get_public_keys().await.expect("get_public_keys").public_key_fingerprints;
    assert!(keys.unwrap_or_default().is_empty(), "every key is gone");

    let (lines, unexplained) = summarise(&live.recorder.called(), &daemon_report);
    println!("{lines}");
    if let Some(path) = std::env::var_os("CHIA_RPC_LIVE_SUMMARY") {
        std::fs::write(&path, &lines).expect("writing the live summary");
    }
    assert!(
        unexplained.is_empty(),
        "endpoints in the schema that the live suite neither called nor explained: {unexplained:?}"
    );
}

/// Routes the suite does not call on some services, and why.
fn not_exercised(service: Service, endpoint: &str) -> Option<&'static str> {
    if service == Service::Daemon {
        return daemon::not_exercised(endpoint);
    }
    if let Some(reason) = services::not_exercised(service, endpoint) {
        return Some(reason);
    }
    match (service, endpoint) {
        (Service::Harvester, "stop_node") => None,
        (_, "stop_node") => {
            Some("stops a service the rest of the suite needs (called on the harvester, last)")
        }
        (Service::Wallet, "delete_all_keys") => Some(
            "deletes every key, the simulator's funded one included; the suite deletes the one it added with delete_key",
        ),
        (Service::Wallet, "get_farmed_amount") => Some(
            "fails on a simulator (upstream sums its prefarm into a uint64, which overflows); the failure reply is captured and decoded",
        ),
        (Service::Wallet, "crcat_approve_pending") => Some(
            "needs a credential-restricted CAT, which needs an authorised VC provider the simulator lacks",
        ),
        (Service::Wallet, "pw_join_pool") => {
            Some("needs a pool server to answer at pool_url; none runs offline")
        }
        (Service::Wallet, "pw_self_pool") => Some(
            "leaves a pool: the suite's plot NFT pools with itself already (pw_join_pool cannot run)",
        ),
        (Service::Wallet, _) => None,
        (_, "open_connection") => Some(
            "no peer on a simulator accepts a new connection from this service; dialling is \
             exercised from the wallet, which re-dials the full node",
        ),
        (_, "close_connection") => Some(
            "closing a link is exercised on the wallet, the one service here that can dial it \
             again",
        ),
        _ => None,
    }
}

/// One line per service and the endpoints left out with their reasons, then what went through
/// the daemon; also returns the endpoints left out without a reason. A route counts as called
/// when it answered `success: true` over HTTPS or through the daemon.
fn summarise(
    https: &BTreeSet<(Service, String)>,
    daemon: &daemon::Report,
) -> (String, Vec<String>) {
    let called: BTreeSet<(Service, String)> = https.union(&daemon.called).cloned().collect();
    let called = &called;
    let mut lines = Vec::new();
    let shared = chia_rpc::shared::ENDPOINTS;
    let mut explained = Vec::new();
    let mut unexplained = Vec::new();
    for &service in Service::ALL {
        let own = service.own_endpoints();
        // The simulator answers the shared routes on the full node's port: counted there. The
        // daemon serves its own commands only.
        let shared_here: &[&str] =
            if service == Service::Simulator || service.is_websocket_only() { &[] } else { shared };
        let count = |names: &[&str]| {
            names.iter().filter(|name| called.contains(&(service, (**name).to_owned()))).count()
        };
        let (own_done, shared_done) = (count(own), count(shared_here));
        lines.push(format!(
            "live {service}: {own_done}/{} own and {shared_done}/{} shared endpoints called, {} strict-decoded",
            own.len(),
            shared_here.len(),
            own_done + shared_done
        ));
        let endpoints: Vec<&str> = own.iter().chain(shared_here).copied().collect();
        for name in
            endpoints.iter().filter(|name| !called.contains(&(service, (**name).to_owned())))
        {
            match not_exercised(service, name) {
                Some(reason) => explained.push(format!("  {service} {name}: {reason}")),
                None => unexplained.push(format!("{service} {name}")),
            }
        }
    }
    lines.extend(daemon::summary_lines(daemon));
    if !explained.is_empty() {
        lines.push(format!("not exercised on a simulator:\n{}", explained.join("\n")));
    }
    (lines.join("\n") + "\n", unexplained)
}
