//! Proof of use from another language, live: Python clients generated from
//! `docs/openapi/full_node.json` and `wallet.json` by openapi-python-client call the harness's
//! simulator over mutual TLS with the installation's private certificates.
//!
//! `cargo xtask test` runs it inside the simulator's network namespace with `CHIA_RPC_LIVE_ENV`
//! set; run any other way, it shows as ignored. It only reads, but needs the harness's wallet
//! key: its name makes it run before the `live` suite, which ends by deleting every key.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod docs_tools;

use docs_tools::{out_dir, python, root, run_script};

/// The harness's settings (`KEY=VALUE` lines, values possibly single-quoted).
fn live_env() -> Vec<(String, String)> {
    let path = std::env::var_os("CHIA_RPC_LIVE_ENV")
        .expect("the live suite needs a running simulator: run `cargo xtask test`");
    let text = std::fs::read_to_string(&path).unwrap();
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

#[test]
#[ignore = "needs the simulator: cargo xtask test"]
fn generated_python_clients_call_the_full_node_and_the_wallet_over_mutual_tls() {
    let env = live_env();
    let out = out_dir("python-clients-live");
    let output = run_script(&python(), "live_client.py", &[&root(), &out], &env);
    assert!(output.contains("full node: peak"), "{output}");
    assert!(output.contains("wallet: fingerprint"), "{output}");
}
