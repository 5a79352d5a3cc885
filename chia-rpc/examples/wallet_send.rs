//! Sends XCH from the logged-in wallet key and waits until the payment is confirmed.
//!
//! ```text
//! wallet_send <address> <mojos> [fee in mojos]
//! ```
//!
//! Against the harness's simulator (whose auto-farming confirms the payment), from the
//! repository's root:
//!
//! ```text
//! cargo xtask sim up
//! set -a; . .sim/sim.env; set +a
//! ip netns exec chia-rpc-sim env CHIA_ROOT="$CHIA_ROOT" \
//!     cargo run -p chia-rpc --example wallet_send -- "$CHIA_RPC_WALLET_ADDRESS" 1000
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chia_rpc::prelude::*;

/// The standard wallet of every key.
const XCH_WALLET: u32 = 1;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (address, amount, fee) = match args.as_slice() {
        [address, amount] => (address, amount, "0"),
        [address, amount, fee] => (address, amount, fee.as_str()),
        _ => {
            eprintln!("usage: wallet_send <address> <mojos> [fee mojos]");
            return ExitCode::from(2);
        }
    };
    match send(address, amount, fee).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn send(address: &str, amount: &str, fee: &str) -> Result<(), String> {
    let address: Address = address.parse().map_err(|err| format!("{err}"))?;
    let amount: u64 = amount.parse().map_err(|err| format!("amount {amount:?}: {err}"))?;
    let fee: u64 = fee.parse().map_err(|err| format!("fee {fee:?}: {err}"))?;
    let config = ChiaConfig::discover().map_err(|err| err.to_string())?;
    let client = Client::from_config(&config).map_err(|err| err.to_string())?;
    let wallet = client.wallet();

    // Refuse an address of another network before anything is sent.
    let network = wallet.get_network_info().await.map_err(|err| err.to_string())?;
    address.check_prefix(&network.network_prefix).map_err(|err| err.to_string())?;

    let sent = wallet
        .send_transaction(XCH_WALLET, amount, address.clone())
        .fee(fee)
        .await
        .map_err(|err| err.to_string())?;
    let id = sent.transaction_id;
    println!("sent {amount} mojos to {address}: transaction {id}");

    let started = Instant::now();
    loop {
        let tx = wallet.get_transaction(id).await.map_err(|err| err.to_string())?.transaction;
        if tx.confirmed {
            println!("confirmed at height {}", tx.confirmed_at_height);
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err(format!("transaction {id} not confirmed after 10 minutes"));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
