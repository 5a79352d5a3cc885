//! Facts checked offline against replies captured from chia-blockchain 2.7.5.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use bytes::Bytes;
use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::full_node::{GetCoinRecordByName, GetCoinRecordsByNames};

fn fixture(path: &str) -> Bytes {
    let base: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chia-2.7.5");
    Bytes::from(std::fs::read(base.join(path)).unwrap())
}

#[test]
fn coin_ids_computed_locally_match_the_names_the_node_was_asked_for() {
    let request: GetCoinRecordByName =
        serde_json::from_slice(&fixture("full_node/get_coin_record_by_name.request.json")).unwrap();
    let reply = decode_response::<GetCoinRecordByName>(
        fixture("full_node/get_coin_record_by_name.json"),
        Strictness::Strict,
    )
    .unwrap();
    assert_eq!(reply.coin_record.coin.coin_id(), request.name);

    let request: GetCoinRecordsByNames =
        serde_json::from_slice(&fixture("full_node/get_coin_records_by_names.request.json"))
            .unwrap();
    let reply = decode_response::<GetCoinRecordsByNames>(
        fixture("full_node/get_coin_records_by_names.json"),
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
    use chia_rpc::wallet::GetWalletBalances;
    let body = fixture("wallet/get_wallet_balances.json");
    let reply = decode_response::<GetWalletBalances>(body.clone(), Strictness::Strict).unwrap();
    let xch = &reply.wallet_balances[&1];
    let balance = xch.confirmed_wallet_balance;
    assert!(balance > u128::from(u64::MAX), "{balance}");
    assert!(String::from_utf8_lossy(&body).contains(&balance.to_string()));
}

/// Decodes `body` as the reply of `endpoint` of `service` through the by-name dispatch.
struct DecodeAs(Bytes);

impl chia_rpc::EndpointVisitor for DecodeAs {
    type Output = bool;

    fn visit<E: chia_rpc::Endpoint>(self) -> bool {
        decode_response::<E>(self.0, Strictness::Strict).is_ok()
    }
}

#[test]
fn every_truncation_of_every_captured_reply_is_an_error_not_a_panic() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chia-2.7.5");
    let mut checked = 0usize;
    for (dir, service) in [
        ("full_node", chia_rpc::Service::Simulator),
        ("simulator", chia_rpc::Service::Simulator),
        ("shared", chia_rpc::Service::Simulator),
        ("wallet", chia_rpc::Service::Wallet),
        ("farmer", chia_rpc::Service::Farmer),
        ("harvester", chia_rpc::Service::Harvester),
        ("data_layer", chia_rpc::Service::DataLayer),
        ("crawler", chia_rpc::Service::Crawler),
        ("solver", chia_rpc::Service::Solver),
        ("daemon", chia_rpc::Service::Daemon),
    ] {
        for entry in std::fs::read_dir(base.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".request.json") || name.contains(".failure") {
                continue;
            }
            let endpoint = name.split('.').next().unwrap().to_owned();
            let body = Bytes::from(std::fs::read(&path).unwrap());
            let whole = chia_rpc::visit_endpoint(service, &endpoint, DecodeAs(body.clone()));
            assert_eq!(whole, Some(true), "{name} decodes whole");
            // Every cut before the closing brace leaves invalid JSON: everywhere in small
            // replies, at ~64 points in large ones.
            let closing = body.iter().rposition(|&byte| byte == b'}').unwrap();
            let step = (closing / 64).max(1);
            for cut in (0..=closing).step_by(step) {
                let decoded =
                    chia_rpc::visit_endpoint(service, &endpoint, DecodeAs(body.slice(..cut)));
                assert_eq!(decoded, Some(false), "{name} cut at {cut} decoded");
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "only {checked} truncations checked");
}

/// The same captured reply, with a field the model does not know and with an enum value it
/// does not know: a lenient decode keeps going, a strict one names the place — in one build.
#[test]
fn unknown_fields_and_enum_values_pass_lenient_and_fail_strict() {
    use chia_rpc::full_node::{GetBlockchainState, PushTx};
    use chia_rpc::types::MempoolInclusionStatus;

    let push = String::from_utf8(fixture("full_node/push_tx.json").to_vec()).unwrap();
    assert!(push.contains("\"SUCCESS\""), "{push}");
    let brand_new = Bytes::from(push.replace("\"SUCCESS\"", "\"BRAND_NEW\""));
    let lenient = decode_response::<PushTx>(brand_new.clone(), Strictness::Lenient).unwrap();
    assert_eq!(lenient.status, MempoolInclusionStatus::Other("BRAND_NEW".into()));
    let err = decode_response::<PushTx>(brand_new, Strictness::Strict).unwrap_err();
    let failure = err.decode_failure().unwrap();
    assert_eq!(failure.path, "status");
    assert!(failure.message.contains("BRAND_NEW"), "{err}");

    let state = String::from_utf8(fixture("full_node/get_blockchain_state.json").to_vec()).unwrap();
    let surprise = Bytes::from(state.replacen("\"peak\":", "\"surprise\": 1, \"peak\":", 1));
    assert_ne!(surprise.len(), state.len(), "the field went in");
    decode_response::<GetBlockchainState>(surprise.clone(), Strictness::Lenient).unwrap();
    let err = decode_response::<GetBlockchainState>(surprise, Strictness::Strict).unwrap_err();
    assert_eq!(err.decode_failure().unwrap().path, "blockchain_state.surprise");
}

/// A captured reply that carries a private key and its mnemonic: the decoded value redacts both
/// in `Debug`, and when the reply fails to decode, neither the error's `Display` nor its `Debug`
/// shows them.
#[test]
fn secrets_of_a_captured_reply_stay_out_of_debug_and_errors() {
    use chia_rpc::wallet::GetPrivateKey;
    let body = fixture("wallet/get_private_key.json");
    let text = String::from_utf8(body.to_vec()).unwrap();
    let reply = decode_response::<GetPrivateKey>(body, Strictness::Strict).unwrap();
    let seed = reply.private_key.seed.clone().expect("the captured key has its words");
    let sk = reply.private_key.sk.to_string();
    let debug = format!("{reply:?}");
    assert!(!debug.contains(&seed) && !debug.contains(&sk[2..]), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");

    // The same reply with a value that does not fit: the decode error quotes nothing of it.
    let broken = text.replace("\"fingerprint\":", "\"fingerprint\": \"x\", \"_\":");
    assert_ne!(broken, text);
    let err =
        decode_response::<GetPrivateKey>(Bytes::from(broken), Strictness::Strict).unwrap_err();
    let first_word = seed.split(' ').next().unwrap();
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(&seed) && !shown.contains(first_word), "{shown}");
        assert!(!shown.contains(&sk[2..]), "{shown}");
    }
}
