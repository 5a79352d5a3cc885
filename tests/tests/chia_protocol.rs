//! The `chia-protocol` conversions, checked on every coin, coin spend, spend bundle and coin
//! record in the replies and requests captured from chia-blockchain 2.7.5: each survives the trip
//! to chia_rs and back, chia_rs serializes and parses it again, and the ids and names chia_rs
//! computes are those the node reported.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use chia_rpc::Bytes32;
use chia_rpc::interop::chia_protocol;
use chia_rpc::types::{Coin, CoinRecord, CoinSpend, SpendBundle};
use chia_traits::Streamable;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chia-2.7.5")
}

/// Every captured file, as `(path under the fixture directory, JSON)`.
fn fixtures() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    for service in std::fs::read_dir(fixture_dir()).unwrap() {
        for file in std::fs::read_dir(service.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "json") {
                let name = path.strip_prefix(fixture_dir()).unwrap().display().to_string();
                let json = serde_json::from_slice(&std::fs::read(&path).unwrap())
                    .unwrap_or_else(|err| panic!("{name}: {err}"));
                files.push((name, json));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn keys(object: &Map<String, Value>) -> BTreeSet<&str> {
    object.keys().map(String::as_str).collect()
}

fn has_exactly(object: &Map<String, Value>, expected: &[&str]) -> bool {
    keys(object) == expected.iter().copied().collect()
}

const COIN: &[&str] = &["parent_coin_info", "puzzle_hash", "amount"];
const COIN_SPEND: &[&str] = &["coin", "puzzle_reveal", "solution"];
const SPEND_BUNDLE: &[&str] = &["coin_spends", "aggregated_signature"];
const COIN_RECORD: &[&str] =
    &["coin", "confirmed_block_index", "spent_block_index", "coinbase", "timestamp"];

fn is_coin_record(object: &Map<String, Value>) -> bool {
    let mut with_spent = COIN_RECORD.to_vec();
    with_spent.push("spent");
    has_exactly(object, COIN_RECORD) || has_exactly(object, &with_spent)
}

/// Every JSON object under `value`, depth first.
fn objects<'a>(value: &'a Value, out: &mut Vec<&'a Map<String, Value>>) {
    match value {
        Value::Object(object) => {
            out.push(object);
            object.values().for_each(|child| objects(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| objects(child, out)),
        _ => {}
    }
}

fn decode<T: DeserializeOwned>(object: &Map<String, Value>, file: &str) -> T {
    serde_json::from_value(Value::Object(object.clone()))
        .unwrap_or_else(|err| panic!("{file}: {err} in {object:?}"))
}

/// chia_rs writes the value with its own serialization and reads it back.
fn streamable_round_trip<T: Streamable + PartialEq + std::fmt::Debug>(value: &T, file: &str) {
    let bytes = value.to_bytes().unwrap_or_else(|err| panic!("{file}: {err}"));
    let parsed = T::from_bytes(&bytes).unwrap_or_else(|err| panic!("{file}: {err}"));
    assert_eq!(&parsed, value, "{file}");
}

/// The JSON chia-rpc writes for a value, to compare what went in with what came back.
fn wire<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn every_captured_coin_spend_bundle_and_record_survives_chia_rs_and_back() {
    let mut counts = BTreeMap::<&str, usize>::new();
    let mut files = BTreeSet::new();
    for (file, json) in fixtures() {
        let mut found = Vec::new();
        objects(&json, &mut found);
        for object in found {
            let kind = if has_exactly(object, COIN) {
                let ours: Coin = decode(object, &file);
                let theirs = chia_protocol::Coin::from(ours);
                streamable_round_trip(&theirs, &file);
                assert_eq!(Bytes32::from(theirs.coin_id()), ours.coin_id(), "{file}");
                assert_eq!(Coin::from(theirs), ours, "{file}");
                "coins"
            } else if has_exactly(object, COIN_SPEND) {
                let ours: CoinSpend = decode(object, &file);
                let theirs = chia_protocol::CoinSpend::from(ours.clone());
                // Parsing checks that the puzzle reveal and the solution are whole CLVM programs.
                streamable_round_trip(&theirs, &file);
                let back = CoinSpend::from(theirs);
                assert_eq!(wire(&back), wire(&ours), "{file}");
                "coin spends"
            } else if has_exactly(object, SPEND_BUNDLE) {
                let ours: SpendBundle = decode(object, &file);
                let theirs = chia_protocol::SpendBundle::try_from(ours.clone())
                    .unwrap_or_else(|err| panic!("{file}: {err}"));
                streamable_round_trip(&theirs, &file);
                let back = SpendBundle::from(theirs);
                assert_eq!(wire(&back), wire(&ours), "{file}");
                "spend bundles"
            } else if is_coin_record(object) {
                let ours: CoinRecord = decode(object, &file);
                let theirs = chia_protocol::CoinRecord::from(ours);
                streamable_round_trip(&theirs, &file);
                let back = CoinRecord::from(theirs);
                assert_eq!(back.coin, ours.coin, "{file}");
                assert_eq!(
                    (back.confirmed_block_index, back.spent_block_index, back.coinbase),
                    (ours.confirmed_block_index, ours.spent_block_index, ours.coinbase),
                    "{file}"
                );
                assert_eq!(back.timestamp, ours.timestamp, "{file}");
                // chia_rs does not store `spent`; the node derives it the same way.
                assert_eq!(back.spent, Some(ours.spent_block_index > 0), "{file}");
                if ours.spent.is_some() {
                    assert_eq!(back, ours, "{file}");
                }
                "coin records"
            } else {
                continue;
            };
            *counts.entry(kind).or_default() += 1;
            files.insert(file.clone());
        }
    }
    println!("converted {counts:?} from {} captured files", files.len());
    for kind in ["coins", "coin spends", "spend bundles", "coin records"] {
        assert!(counts.get(kind).copied().unwrap_or(0) >= 20, "too few {kind}: {counts:?}");
    }
}

fn json(file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture_dir().join(file)).unwrap()).unwrap()
}

fn bundle_at(value: &Value) -> chia_protocol::SpendBundle {
    let ours: SpendBundle = serde_json::from_value(value.clone()).unwrap();
    ours.try_into().unwrap()
}

fn bytes32_at(value: &Value) -> Bytes32 {
    serde_json::from_value(value.clone()).unwrap()
}

#[test]
fn chia_rs_names_the_mempool_bundles_as_the_node_did_and_finds_their_coins() {
    let reply = json("full_node/get_all_mempool_items.json");
    let items = reply["mempool_items"].as_object().unwrap();
    assert!(!items.is_empty());
    for (key, item) in items {
        let bundle = bundle_at(&item["spend_bundle"]);
        let name = Bytes32::from(bundle.name());
        assert_eq!(name, key.parse::<Bytes32>().unwrap());
        assert_eq!(name, bytes32_at(&item["spend_bundle_name"]));

        // chia_rs runs the puzzles: the coins they create are the node's additions.
        let additions: HashSet<Coin> =
            bundle.additions().unwrap().into_iter().map(Coin::from).collect();
        let node_additions: HashSet<Coin> =
            serde_json::from_value(item["additions"].clone()).unwrap();
        assert_eq!(additions, node_additions, "{key}");
        let removals: HashSet<Coin> =
            bundle.coin_spends.iter().map(|spend| Coin::from(spend.coin)).collect();
        let node_removals: HashSet<Coin> =
            serde_json::from_value(item["removals"].clone()).unwrap();
        assert_eq!(removals, node_removals, "{key}");

        // The coin ids the node's conditions name are those chia_rs computes.
        let spent_ids: BTreeSet<Bytes32> =
            bundle.coin_spends.iter().map(|spend| spend.coin.coin_id().into()).collect();
        let node_ids: BTreeSet<Bytes32> = item["npc_result"]["conds"]["spends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|spend| bytes32_at(&spend["coin_id"]))
            .collect();
        assert_eq!(spent_ids, node_ids, "{key}");
    }

    let asked = json("full_node/get_mempool_item_by_tx_id.request.json");
    let reply = json("full_node/get_mempool_item_by_tx_id.json");
    let bundle = bundle_at(&reply["mempool_item"]["spend_bundle"]);
    assert_eq!(Bytes32::from(bundle.name()), bytes32_at(&asked["tx_id"]));
}

#[test]
fn chia_rs_coin_ids_are_the_names_the_node_was_asked_for() {
    let asked = json("full_node/get_coin_record_by_name.request.json");
    let reply = json("full_node/get_coin_record_by_name.json");
    let record: CoinRecord = serde_json::from_value(reply["coin_record"].clone()).unwrap();
    let theirs = chia_protocol::CoinRecord::from(record);
    assert_eq!(Bytes32::from(theirs.coin.coin_id()), bytes32_at(&asked["name"]));

    let asked = json("full_node/get_coin_records_by_names.request.json");
    let names: BTreeSet<Bytes32> = serde_json::from_value(asked["names"].clone()).unwrap();
    let reply = json("full_node/get_coin_records_by_names.json");
    let records: Vec<CoinRecord> = serde_json::from_value(reply["coin_records"].clone()).unwrap();
    assert!(!records.is_empty());
    for record in records {
        let id = Bytes32::from(chia_protocol::Coin::from(record.coin).coin_id());
        assert!(names.contains(&id), "{id} was not asked for");
    }
}

#[test]
fn chia_rs_names_the_wallets_transactions_as_the_wallet_did() {
    // A transaction record the wallet made for its own spend bundle is named after it.
    let mut checked = 0;
    for (file, json) in fixtures() {
        let mut found = Vec::new();
        objects(&json, &mut found);
        for object in found {
            let (Some(bundle @ Value::Object(_)), Some(name)) =
                (object.get("spend_bundle"), object.get("name"))
            else {
                continue;
            };
            if object.contains_key("to_puzzle_hash") {
                assert_eq!(Bytes32::from(bundle_at(bundle).name()), bytes32_at(name), "{file}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} transaction records with a spend bundle");
}
