//! Builds a spend with chia_rs types and pushes it through chia-rpc.
//!
//! The coin is locked by the simplest puzzle there is, `1`, which returns its solution as its
//! conditions: whoever knows the puzzle can spend the coin, so this is for a simulator only. The
//! simulator farms a reward to that puzzle; the example spends one such coin into a new coin with
//! the same puzzle (keeping `fee` mojos as the fee), pushes the bundle with `push_tx`, farms a
//! block and checks that the node created the coin chia_rs said it would.
//!
//! ```text
//! chia_rs_spend [fee in mojos]
//! ```
//!
//! Against the harness's simulator, from the repository's root:
//!
//! ```text
//! cargo xtask sim up
//! set -a; . .sim/sim.env; set +a
//! ip netns exec chia-rpc-sim env CHIA_ROOT="$CHIA_ROOT" \
//!     cargo run -p chia-rpc --features chia-protocol --example chia_rs_spend -- 100
//! ```

use std::process::ExitCode;

use chia_rpc::interop::chia_bls::Signature;
use chia_rpc::interop::chia_protocol::{self, CoinSpend, Program, SpendBundle};
use chia_rpc::interop::clvm_utils::tree_hash;
use chia_rpc::interop::clvmr::serde::node_to_bytes;
use chia_rpc::interop::clvmr::{Allocator, NodePtr};
use chia_rpc::prelude::*;
use chia_rpc::types::MempoolInclusionStatus;

/// The condition that creates a coin: `(51 puzzle_hash amount)`.
const CREATE_COIN: u32 = 51;

#[tokio::main]
async fn main() -> ExitCode {
    let fee = match std::env::args().nth(1).map(|fee| fee.parse::<u64>()) {
        None => 0,
        Some(Ok(fee)) => fee,
        Some(Err(err)) => {
            eprintln!("usage: chia_rs_spend [fee mojos] ({err})");
            return ExitCode::from(2);
        }
    };
    match spend(fee).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn spend(fee: u64) -> Result<(), String> {
    let client = Client::from_config(&ChiaConfig::discover().map_err(|err| err.to_string())?)
        .map_err(|err| err.to_string())?;
    let node = client.full_node();
    let sim = client.simulator();

    // The puzzle `1`, its serialization and its tree hash, with the CLVM crates of chia_rs.
    let mut clvm = Allocator::new();
    let puzzle = clvm.one();
    let puzzle_reveal = Program::from(serialize(&clvm, puzzle)?);
    let puzzle_hash = chia_protocol::Bytes32::from(tree_hash(&clvm, puzzle));

    // A coin locked by it: the simulator farms its rewards to the puzzle's address.
    let prefix = node.get_network_info().await.map_err(|err| err.to_string())?.network_prefix;
    let address = Address::encode(&prefix, puzzle_hash.into()).map_err(|err| err.to_string())?;
    let mut coin = None;
    for _ in 0..5 {
        sim.farm_block(address.clone())
            .guarantee_tx_block(true)
            .await
            .map_err(|err| err.to_string())?;
        let records = node
            .get_coin_records_by_puzzle_hash(puzzle_hash.into())
            .await
            .map_err(|err| err.to_string())?
            .coin_records;
        if let Some(record) = records.into_iter().max_by_key(|record| record.coin.amount) {
            coin = Some(chia_protocol::CoinRecord::from(record).coin);
            break;
        }
    }
    let coin = coin.ok_or("no coin reached the puzzle's address after 5 blocks")?;
    let amount = coin.amount.checked_sub(fee).ok_or("the fee is larger than the coin")?;

    // The spend, all chia_rs: solution `((51 puzzle_hash amount))`, no signature needed.
    let condition = [
        clvm.new_small_number(CREATE_COIN).map_err(|err| err.to_string())?,
        clvm.new_atom(puzzle_hash.as_ref()).map_err(|err| err.to_string())?,
        clvm.new_number(amount.into()).map_err(|err| err.to_string())?,
    ];
    let condition = list(&mut clvm, &condition)?;
    let solution = list(&mut clvm, &[condition])?;
    let solution = Program::from(serialize(&clvm, solution)?);
    let bundle = SpendBundle::new(
        vec![CoinSpend::new(coin, puzzle_reveal, solution)],
        Signature::default(), // the identity: the aggregate of no signatures
    );
    let new_coin = chia_protocol::Coin::new(coin.coin_id(), puzzle_hash, amount);
    println!("spending {} ({} mojos) in bundle {}", coin.coin_id(), coin.amount, bundle.name());

    // Into chia-rpc's types, which the node accepts, and pushed.
    let status = node.push_tx(bundle.clone().into()).await.map_err(|err| err.to_string())?.status;
    if status != MempoolInclusionStatus::Success {
        return Err(format!("push_tx: {status:?}"));
    }
    sim.farm_block(address).guarantee_tx_block(true).await.map_err(|err| err.to_string())?;
    let created = node
        .get_coin_record_by_name(new_coin.coin_id().into())
        .await
        .map_err(|err| err.to_string())?
        .coin_record;
    let created = chia_protocol::CoinRecord::from(created);
    if created.coin != new_coin {
        return Err(format!("the node holds {:?}, not {new_coin:?}", created.coin));
    }
    println!(
        "confirmed at height {}: new coin {} of {} mojos",
        created.confirmed_block_index,
        new_coin.coin_id(),
        new_coin.amount
    );
    Ok(())
}

/// The CLVM list of `items`.
fn list(clvm: &mut Allocator, items: &[NodePtr]) -> Result<NodePtr, String> {
    items.iter().rev().try_fold(clvm.nil(), |rest, &first| {
        clvm.new_pair(first, rest).map_err(|err| err.to_string())
    })
}

fn serialize(clvm: &Allocator, node: NodePtr) -> Result<Vec<u8>, String> {
    node_to_bytes(clvm, node).map_err(|err| err.to_string())
}
