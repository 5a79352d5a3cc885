//! Facts checked offline against replies captured from chia-blockchain 2.7.5.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::full_node::{GetCoinRecordByName, GetCoinRecordsByNames};

fn fixture(path: &str) -> Vec<u8> {
    let base: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chia-2.7.5");
    std::fs::read(base.join(path)).unwrap()
}

#[test]
fn coin_ids_computed_locally_match_the_names_the_node_was_asked_for() {
    let request: GetCoinRecordByName =
        serde_json::from_slice(&fixture("full_node/get_coin_record_by_name.request.json")).unwrap();
    let reply = decode_response::<GetCoinRecordByName>(
        &fixture("full_node/get_coin_record_by_name.json"),
        Strictness::Strict,
    )
    .unwrap();
    assert_eq!(reply.coin_record.coin.coin_id(), request.name);

    let request: GetCoinRecordsByNames =
        serde_json::from_slice(&fixture("full_node/get_coin_records_by_names.request.json"))
            .unwrap();
    let reply = decode_response::<GetCoinRecordsByNames>(
        &fixture("full_node/get_coin_records_by_names.json"),
        Strictness::Strict,
    )
    .unwrap();
    assert!(!reply.coin_records.is_empty());
    for record in &reply.coin_records {
        assert!(request.names.contains(&record.coin.coin_id()), "{:?}", record.coin);
    }
}

#[test]
fn uint128_balances_above_u64_survive_decoding() {
    #[derive(serde::Deserialize)]
    struct Reply {
        wallet_balance: Balance,
    }
    #[derive(serde::Deserialize)]
    struct Balance {
        confirmed_wallet_balance: u128,
    }
    let body = fixture("wallet/get_wallet_balance.json");
    let reply: Reply =
        chia_rpc::decode::decode_reply("get_wallet_balance", &body, Strictness::Lenient).unwrap();
    let balance = reply.wallet_balance.confirmed_wallet_balance;
    assert!(balance > u128::from(u64::MAX), "{balance}");
    assert!(String::from_utf8_lossy(&body).contains(&balance.to_string()));
}
