//! A spend bundle built with chia_rs types, pushed with `push_tx` to the harness's simulator and
//! confirmed by farming a block.
//!
//! Like the live suite, it runs under `cargo xtask test` (with `CHIA_RPC_LIVE_ENV` pointing at the
//! harness's env file) and shows as ignored otherwise. It needs no wallet: the simulator farms a
//! reward to the puzzle `1`, and the test spends it.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chia_rpc::decode::Strictness;
use chia_rpc::interop::chia_bls::Signature;
use chia_rpc::interop::chia_protocol::{self, CoinSpend, Program, SpendBundle};
use chia_rpc::interop::clvm_utils::tree_hash;
use chia_rpc::interop::clvmr::serde::node_to_bytes;
use chia_rpc::interop::clvmr::{Allocator, NodePtr};
use chia_rpc::types::MempoolInclusionStatus;
use chia_rpc::{Address, Bytes32, ChiaConfig, Client, ServiceClients};

/// Making blocks takes the simulator's few tiny plots usually a second, now and then minutes.
const BLOCK_MAKING: Duration = Duration::from_secs(600);

/// `CHIA_ROOT` from the harness's `KEY=VALUE` env file.
fn chia_root() -> String {
    let path = std::env::var_os("CHIA_RPC_LIVE_ENV")
        .expect("a running simulator: run `cargo xtask test` (CHIA_RPC_LIVE_ENV is unset)");
    let text = std::fs::read_to_string(&path).unwrap();
    let value = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("CHIA_ROOT="))
        .expect("CHIA_ROOT in the live env file");
    value.trim_matches('\'').to_owned()
}

/// The CLVM list of `items`.
fn list(clvm: &mut Allocator, items: &[NodePtr]) -> NodePtr {
    items.iter().rev().fold(clvm.nil(), |rest, &first| clvm.new_pair(first, rest).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a running simulator: run `cargo xtask test`"]
async fn a_spend_built_with_chia_rs_is_pushed_and_confirmed() {
    let config = ChiaConfig::load(chia_root()).unwrap();
    let client = Client::from_config(&config).unwrap().with_strictness(Strictness::Strict);
    let node = client.full_node();
    let sim = client.simulator();
    // With auto-farming on, a pushed bundle would be farmed before the mempool can be read.
    let auto_farming = sim.get_auto_farming().await.unwrap().auto_farm_enabled;
    sim.set_auto_farming(false).await.unwrap();

    let mut clvm = Allocator::new();
    let puzzle = clvm.one();
    let puzzle_reveal = Program::from(node_to_bytes(&clvm, puzzle).unwrap());
    let puzzle_hash = chia_protocol::Bytes32::from(tree_hash(&clvm, puzzle));
    let prefix = node.get_network_info().await.unwrap().network_prefix;
    let address = Address::encode(&prefix, puzzle_hash.into()).unwrap();

    // Rewards are paid in the transaction block after the one that earned them.
    let mut record = None;
    for _ in 0..5 {
        sim.farm_block(address.clone())
            .guarantee_tx_block(true)
            .timeout(BLOCK_MAKING)
            .await
            .unwrap();
        let records =
            node.get_coin_records_by_puzzle_hash(puzzle_hash.into()).await.unwrap().coin_records;
        if let Some(found) = records.into_iter().min_by_key(|record| record.coin.amount) {
            record = Some(chia_protocol::CoinRecord::from(found));
            break;
        }
    }
    let record = record.expect("a reward reached the puzzle `1` within 5 blocks");
    assert_eq!(record.spent_block_index, 0);
    let coin = record.coin;

    // `((51 puzzle_hash amount))`, one mojo left as the fee; no condition needs a signature.
    let fee = 1;
    let amount = coin.amount - fee;
    let condition = [
        clvm.new_small_number(51).unwrap(),
        clvm.new_atom(puzzle_hash.as_ref()).unwrap(),
        clvm.new_number(amount.into()).unwrap(),
    ];
    let condition = list(&mut clvm, &condition);
    let solution = list(&mut clvm, &[condition]);
    let solution = Program::from(node_to_bytes(&clvm, solution).unwrap());
    let bundle =
        SpendBundle::new(vec![CoinSpend::new(coin, puzzle_reveal, solution)], Signature::default());
    let new_coin = chia_protocol::Coin::new(coin.coin_id(), puzzle_hash, amount);
    assert_eq!(bundle.additions().unwrap(), vec![new_coin]);

    let pushed = chia_rpc::types::SpendBundle::from(bundle.clone());
    assert_eq!(chia_protocol::SpendBundle::try_from(pushed.clone()).unwrap(), bundle);
    let status = node.push_tx(pushed).await.unwrap().status;
    assert_eq!(status, MempoolInclusionStatus::Success);

    // The node files the bundle under the name chia_rs computes, with the same fee and coins.
    let item = node.get_mempool_item_by_tx_id(bundle.name().into()).await.unwrap().mempool_item;
    assert_eq!(item.spend_bundle_name, Bytes32::from(bundle.name()));
    assert_eq!(chia_protocol::SpendBundle::try_from(item.spend_bundle).unwrap(), bundle);
    assert_eq!(item.fee, fee);
    assert_eq!(item.additions, vec![new_coin.into()]);
    assert_eq!(item.removals, vec![coin.into()]);

    let height = sim
        .farm_block(address)
        .guarantee_tx_block(true)
        .timeout(BLOCK_MAKING)
        .await
        .unwrap()
        .new_peak_height;
    sim.set_auto_farming(auto_farming).await.unwrap();

    let spent = node.get_coin_record_by_name(coin.coin_id().into()).await.unwrap().coin_record;
    let spent = chia_protocol::CoinRecord::from(spent);
    assert!(spent.spent_block_index > 0 && spent.spent_block_index <= height, "{spent:?}");
    let created =
        node.get_coin_record_by_name(new_coin.coin_id().into()).await.unwrap().coin_record;
    let created = chia_protocol::CoinRecord::from(created);
    assert_eq!(created.coin, new_coin);
    assert_eq!(created.confirmed_block_index, spent.spent_block_index);
    assert_eq!(created.spent_block_index, 0);
    println!(
        "live chia_rs: bundle {} spent {} at height {}, created {} ({} mojos)",
        bundle.name(),
        coin.coin_id(),
        spent.spent_block_index,
        new_coin.coin_id(),
        new_coin.amount
    );
}
