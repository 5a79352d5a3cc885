//! A round trip through the data layer: creates a store, waits until its launch is confirmed on
//! chain, inserts a few pairs in one batch, waits for that update too, reads the pairs back,
//! and proves one key, checking the proof against the store's singleton on chain.
//!
//! ```text
//! data_layer_round_trip [--simulator]
//! ```
//!
//! Each confirmation needs a block. A simulator makes none by itself: with `--simulator` (or
//! `CHIA_RPC_EXAMPLE_SIMULATOR=1`) the example farms one through the simulator's `farm_block`
//! whenever it waits, paying the reward to the wallet. Against the harness's simulator, from
//! the repository's root:
//!
//! ```text
//! cargo xtask sim up
//! set -a; . .sim/sim.env; set +a
//! ip netns exec chia-rpc-sim env CHIA_ROOT="$CHIA_ROOT" \
//!     cargo run -p chia-rpc --example data_layer_round_trip -- --simulator
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chia_rpc::prelude::*;
use chia_rpc::types::{DataStoreChange, DataStoreChangeAction};

/// The pairs written to the new store.
const PAIRS: [(&str, &str); 3] = [("greeting", "hello"), ("language", "rust"), ("chain", "chia")];

/// Errors of the client, and timeouts of this example's waits.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// How long to wait for one confirmation.
const CONFIRMATION: Duration = Duration::from_secs(600);

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let simulator = match args.as_slice() {
        [] => std::env::var("CHIA_RPC_EXAMPLE_SIMULATOR").is_ok_and(|value| value == "1"),
        [flag] if flag == "--simulator" => true,
        _ => {
            eprintln!("usage: data_layer_round_trip [--simulator]");
            return ExitCode::from(2);
        }
    };
    match round_trip(simulator).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn round_trip(simulator: bool) -> Result<()> {
    let client = Client::from_config(&ChiaConfig::discover()?)?;
    let blocks = Blocks::new(&client, simulator).await?;
    let dl = client.data_layer();

    let store = dl.create_data_store().await?.id;
    println!("created store {store}; waiting for its launch to be confirmed");
    wait_for_generation(&client, &blocks, store, 0).await?;

    let changes = PAIRS
        .iter()
        .map(|(key, value)| {
            DataStoreChange::new(DataStoreChangeAction::Insert, bytes(key)).value(bytes(value))
        })
        .collect();
    let tx = dl.batch_update(store, changes).await?.tx_id.ok_or("the batch was not submitted")?;
    println!("inserted {} pairs in transaction {tx}; waiting for the new root", PAIRS.len());
    let root = wait_for_generation(&client, &blocks, store, 1).await?;
    println!("root {root} confirmed");

    for node in dl.get_keys_values(store).await?.keys_values {
        println!("  {} = {}", text(&node.key), text(&node.value));
    }
    let (key, expected) = PAIRS[0];
    let value = dl.get_value(store, bytes(key)).await?.value;
    println!("get_value({key}) = {}, as written: {}", text(&value), text(&value) == expected);

    let proof = dl.get_proof(store, vec![bytes(key)]).await?.proof;
    let verified =
        dl.verify_proof(proof.store_proofs, proof.coin_id, proof.inner_puzzle_hash).await?;
    println!(
        "proof of {key}: {} pair(s) verified, against the current root: {}",
        verified.verified_clvm_hashes.inclusions.len(),
        verified.current_root
    );
    Ok(())
}

/// How new blocks come: by themselves, or farmed on a simulator to the wallet's address.
enum Blocks {
    Wait,
    Farm(Address),
}

impl Blocks {
    async fn new(client: &Client, simulator: bool) -> Result<Self> {
        if !simulator {
            return Ok(Self::Wait);
        }
        let wallet = client.wallet();
        Ok(Self::Farm(wallet.get_next_address(1).new_address(false).await?.address))
    }

    /// Lets a block come: farms one on a simulator, else sleeps a while.
    async fn next(&self, client: &Client) -> Result<()> {
        match self {
            Self::Farm(address) => {
                let sim = client.simulator();
                sim.farm_block(address.clone()).guarantee_tx_block(true).await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Self::Wait => tokio::time::sleep(Duration::from_secs(10)).await,
        }
        Ok(())
    }
}

/// Waits until the store's local root and its singleton on chain are both at `generation`;
/// returns the root hash. The data layer notices the confirmation when asked (and every minute).
async fn wait_for_generation(
    client: &Client,
    blocks: &Blocks,
    store: Bytes32,
    generation: u32,
) -> Result<Bytes32> {
    let started = Instant::now();
    loop {
        match client.data_layer().get_sync_status(store).await {
            Ok(reply) => {
                let status = reply.sync_status;
                if status.generation == generation && status.target_generation == generation {
                    return Ok(status.root_hash);
                }
            }
            // A failure reply while the wallet has no confirmed singleton of the store yet.
            Err(err) if err.is_rpc() => {}
            Err(err) => return Err(err.into()),
        }
        if started.elapsed() > CONFIRMATION {
            let minutes = CONFIRMATION.as_secs() / 60;
            return Err(format!(
                "generation {generation} of {store} not confirmed in {minutes} min"
            )
            .into());
        }
        blocks.next(client).await?;
    }
}

fn bytes(text: &str) -> Bytes {
    Bytes::from(text.as_bytes())
}

fn text(bytes: &Bytes) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
