//! The transport layer seen from outside the crate: a transport written here reports every kind
//! of transport failure through the public constructors, the typed layer above it stays the
//! same, and errors never print a whole reply.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use bytes::Bytes;
use chia_rpc::decode::Strictness;
use chia_rpc::testing::FixtureTransport;
use chia_rpc::transport::{BoxFuture, CallOptions, RawRequest, Transport};
use chia_rpc::{Client, Error, ErrorKind, Service, ServiceClients};

/// A transport of this test crate that fails each route in its own way.
struct Faulty;

impl Transport for Faulty {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, chia_rpc::Result<Bytes>> {
        let url = format!("faulty://{}/{}", request.service, request.route);
        let outcome = match request.route.as_ref() {
            "get_blockchain_state" => Err(Error::connect(&url, "refused")),
            "get_blocks" => Err(Error::connection_lost(&url, "reset by peer")),
            "get_block" => Err(Error::timeout(&url)),
            "get_block_record" => Err(Error::http_status(&url, 404, "404: Not Found")),
            "get_block_records" => Err(Error::tls("handshake refused")),
            "get_network_info" => Err(Error::config(
                Some(PathBuf::from("config/config.yaml")),
                Some("full_node.rpc_port"),
                "not a port",
            )),
            other => Err(Error::invalid_request(other, "no such route here")),
        };
        Box::pin(async move { outcome })
    }
}

#[tokio::test]
async fn a_transport_outside_the_crate_reports_every_transport_error_kind() {
    let client = Client::new(Faulty);
    let node = client.full_node();
    let hash = chia_rpc::Bytes32::new([1; 32]);

    let err = node.get_blockchain_state().await.unwrap_err();
    assert!(err.is_connect(), "{err}");
    assert!(matches!(err.kind(), ErrorKind::Connect { reason, .. } if reason == "refused"));

    let err = node.get_blocks(0, 1).await.unwrap_err();
    assert!(err.is_connection_lost(), "{err}");

    let err = node.get_block(hash).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");

    let err = node.get_block_record(hash).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("404: Not Found"), "{err}");

    let err = node.get_block_records(0, 1).await.unwrap_err();
    assert!(err.is_tls(), "{err}");

    let err = node.get_network_info().await.unwrap_err();
    assert!(err.is_config(), "{err}");
    assert!(err.to_string().contains("full_node.rpc_port"), "{err}");

    let err = node.healthz().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }), "{err}");
}

#[tokio::test]
async fn the_fixture_transport_serves_captured_replies_and_records_calls() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/chia-2.7.5");
    let fixtures =
        FixtureTransport::from_dir(dir)
            .respond_with(Service::FullNode, "get_block", |_| Err(Error::timeout("fixture")));
    let client = Client::new(fixtures.clone()).with_strictness(Strictness::Strict);
    let records = client.full_node().get_block_records(0, 5).await.unwrap().block_records;
    assert!(!records.is_empty());
    let version = client.wallet().get_version().await.unwrap();
    assert!(version.version.starts_with("2."));
    let err = client.full_node().get_block(records[0].header_hash).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let err = client.full_node().get_routes().await;
    assert!(err.is_ok(), "shared fixtures answer every service");
    let err = client
        .send_raw(Service::Crawler, "no_such_route", "{}", CallOptions::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");

    let calls = fixtures.calls();
    let routes: Vec<&str> = calls.iter().map(|call| call.route.as_str()).collect();
    assert_eq!(routes[..4], ["get_block_records", "get_version", "get_block", "get_routes"]);
    assert_eq!(calls[0].json().unwrap(), serde_json::json!({ "start": 0, "end": 5 }));
    assert_eq!(calls[1].service, Service::Wallet);
}

#[tokio::test]
async fn a_decode_error_on_a_ten_megabyte_reply_prints_short() {
    // A reply that is valid JSON but not a blockchain state, padded to 10 MB.
    let padding = "x".repeat(10 * 1024 * 1024);
    let body = format!(r#"{{"success": true, "blockchain_state": "{padding}"}}"#);
    let fixtures =
        FixtureTransport::new().reply(Service::FullNode, "get_blockchain_state", body.clone());
    let client = Client::new(fixtures);
    let err = client.full_node().get_blockchain_state().await.unwrap_err();
    let failure = err.decode_failure().expect("a decode failure");
    assert_eq!(failure.path, "blockchain_state");
    assert_eq!(failure.body.len(), body.len(), "the whole body stays available");
    let debug = format!("{err:?}");
    let display = err.to_string();
    println!("Debug of the decode error of a {} byte reply: {} bytes", body.len(), debug.len());
    assert!(debug.len() < 2048, "Debug is {} bytes", debug.len());
    assert!(display.len() < 2048, "Display is {} bytes", display.len());
    assert!(debug.contains(&body.len().to_string()), "{debug}");
}
