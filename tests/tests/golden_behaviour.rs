//! The golden output of the generator (`tests/golden/basic/expected`), compiled by this crate's
//! library, behaves as documented.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

/// The golden output, compiled by this crate's library, behaves as documented.
mod behaviour {
    use chia_rpc::{Endpoint, EndpointVisitor};
    use chia_rpc_tests::generated::Service;
    use chia_rpc_tests::generated::full_node::{
        GetAllShapes, GetAllShapesResponse, GetBlockchainState, GetCoinRecordsByPuzzleHash,
        SetLogLevel,
    };
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
    use chia_rpc::decode::{Strictness, decode_reply};
    use chia_rpc_tests::generated::types::LogLevel;

    #[derive(Debug, serde::Deserialize)]
    struct Reply {
        level: LogLevel,
    }
    let level: LogLevel = serde_json::from_str("\"INFO\"").unwrap();
    assert_eq!(level, LogLevel::Info);
    assert_eq!(serde_json::to_string(&level).unwrap(), "\"INFO\"");
    let body = bytes::Bytes::from_static(br#"{"success": true, "level": "TRACE"}"#);
    let lenient: Reply = decode_reply("x", body.clone(), Strictness::Lenient).unwrap();
    assert_eq!(lenient.level, LogLevel::Other("TRACE".into()));
    assert_eq!(serde_json::to_string(&lenient.level).unwrap(), "\"TRACE\"");
    let err = decode_reply::<Reply>("x", body, Strictness::Strict).unwrap_err();
    let failure = err.decode_failure().unwrap();
    assert_eq!(failure.path, "level");
    assert!(failure.message.contains("TRACE") && failure.message.contains("INFO"), "{err}");
}

/// Secrets: a sensitive field is redacted in `Debug`, and a reply of a sensitive endpoint that
/// fails to decode shows neither its body nor the values it holds.
#[tokio::test]
async fn secrets_never_reach_debug_or_error_messages() {
    use chia_rpc::testing::FixtureTransport;
    use chia_rpc::{Client, Service};
    use chia_rpc_tests::generated::full_node::{FullNodeRpc, GetSecretKey};

    let mnemonic = "abandon ability able about above absent";
    let reply = format!(
        r#"{{"success": true, "key": {{"fingerprint": 7, "mnemonic": {:?}, "kind": 2}}}}"#,
        mnemonic.split(' ').collect::<Vec<_>>()
    );
    let fixtures = FixtureTransport::new().reply(Service::FullNode, "get_secret_key", reply);
    let client = Client::new(fixtures);
    let response = FullNodeRpc::new(&client).get_secret_key(7).await.unwrap();
    assert_eq!(response.key.mnemonic.len(), 6);
    let debug = format!("{response:?}");
    assert!(debug.contains("<redacted>") && debug.contains("fingerprint: 7"), "{debug}");
    assert!(!debug.contains("abandon"), "{debug}");

    // The mnemonic where a number belongs: the decode fails, and says nothing of the words.
    let bad = format!(r#"{{"success": true, "key": {{"fingerprint": "{mnemonic}"}}}}"#);
    let err = chia_rpc::decode::decode_response::<GetSecretKey>(
        bytes::Bytes::from(bad),
        chia_rpc::decode::Strictness::Lenient,
    )
    .unwrap_err();
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains("abandon"), "{text}");
    }
    assert!(err.decode_failure().unwrap().body.is_sensitive());
}

/// Parts: the fields of an included part are the request's and the builder's own.
#[test]
fn part_fields_are_request_fields_with_setters() {
    use chia_rpc_tests::generated::full_node::Pay;
    let request = Pay::new(5).fee(1).push(false);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({ "amount": 5, "fee": 1, "push": false })
    );
    let client = chia_rpc::Client::new(chia_rpc::testing::FixtureTransport::new());
    let call = chia_rpc_tests::generated::full_node::FullNodeRpc::new(&client).pay(5).fee(2);
    assert_eq!(call.request().fee, Some(2));
}
