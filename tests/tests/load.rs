//! 10,000 concurrent calls through one client against a loopback TLS server: none fails, and
//! no file descriptor is left open once the client is gone.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use chia_rpc::http::DEFAULT_MAX_CONNECTIONS;
use chia_rpc::{Client, HttpsTransport, Service};
use support::certs::Ca;
use support::load::{burst, open_fds, report, settle_fds};
use support::mock_server::{self, Behaviour};

const CALLS: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_calls_through_one_client() {
    let ca = Ca::new("Chia CA");
    let (server_leaf, client_leaf) = (ca.leaf("chia.net"), ca.leaf("chia.net"));
    let reply = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/chia-2.7.5/full_node/get_blockchain_state.json"),
    )
    .unwrap();
    let mut server = mock_server::start(&server_leaf, &ca, Behaviour::KeepAlive(reply)).await;
    let before = open_fds();
    let transport = HttpsTransport::builder()
        .host("127.0.0.1")
        .port(Service::FullNode, server.addr.port())
        .ca_cert_pem(ca.cert_pem.clone())
        .identity_pem(client_leaf.cert_pem.clone(), client_leaf.key_pem.clone())
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let client = Client::new(transport);

    let result = burst(&client, CALLS).await;
    let during = open_fds();
    report("loopback server", &result, CALLS, before, during);
    assert_eq!(server.received().len(), CALLS, "the server saw every call once");
    // A call waiting for a connection may open one while another call frees one, so the pool
    // holds up to two connections per permitted call; each has a client and a server end.
    assert!(during <= before + 4 * DEFAULT_MAX_CONNECTIONS, "{during} open, {before} before");

    drop(client);
    let after = settle_fds(before, Duration::from_secs(10)).await;
    println!("load (loopback server): {after} file descriptors once the client is gone");
    assert!(after <= before, "file descriptors grew: {before} before, {after} after");
}
