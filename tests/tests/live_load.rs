//! 10,000 concurrent calls through one client against the real simulator's full node: none
//! fails, and no file descriptor is left open once the client is gone.
//!
//! Like the live suite, it runs under `cargo xtask test` (which sets `CHIA_RPC_LIVE_ENV`) and
//! shows as ignored otherwise. It only reads, so it neither needs nor changes the state of the
//! other live tests.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use chia_rpc::http::DEFAULT_MAX_CONNECTIONS;
use chia_rpc::{ChiaConfig, Client, HttpsTransport};
use support::live_env::live_env;
use support::load::{burst, open_fds, report, settle_fds};

const CALLS: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a running simulator: run `cargo xtask test`"]
async fn ten_thousand_concurrent_calls_against_the_simulator() {
    let env = live_env();
    let root = env.get("CHIA_ROOT").expect("CHIA_ROOT in the live env file");
    let config = ChiaConfig::load(root).unwrap();
    let before = open_fds();
    // Every call waits its turn within its total time: give the burst room.
    let transport = HttpsTransport::builder_from_config(&config)
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let client = Client::new(transport);

    let result = burst(&client, CALLS).await;
    let during = open_fds();
    report("simulator", &result, CALLS, before, during);
    // Up to two pooled connections per permitted call (see tests/load.rs), one end each here.
    assert!(during <= before + 2 * DEFAULT_MAX_CONNECTIONS, "{during} open, {before} before");

    drop(client);
    let after = settle_fds(before, Duration::from_secs(10)).await;
    println!("load (simulator): {after} file descriptors once the client is gone");
    assert!(after <= before, "file descriptors grew: {before} before, {after} after");
}
