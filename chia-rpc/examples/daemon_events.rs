//! Watches a Chia installation through its daemon: prints every push as a typed event as it
//! arrives, and the connection's ups and downs.
//!
//! ```text
//! daemon_events [seconds]
//! ```
//!
//! Runs until interrupted, or for the given number of seconds. Against the harness's simulator,
//! from the repository's root (farm a block or send a payment meanwhile to see pushes):
//!
//! ```text
//! cargo xtask sim up
//! set -a; . .sim/sim.env; set +a
//! ip netns exec chia-rpc-sim env CHIA_ROOT="$CHIA_ROOT" \
//!     cargo run -p chia-rpc --example daemon_events -- 60
//! ```

use std::process::ExitCode;
use std::time::Duration;

use chia_rpc::Event;
use chia_rpc::farmer::FarmerEvent;
use chia_rpc::full_node::FullNodeEvent;
use chia_rpc::prelude::*;
use chia_rpc::wallet::WalletEvent;
use chia_rpc::ws::{DaemonTransport, Listener, Notice};
use tokio_stream::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let seconds = match std::env::args().nth(1).map(|arg| arg.parse::<u64>()) {
        None => None,
        Some(Ok(seconds)) => Some(Duration::from_secs(seconds)),
        Some(Err(err)) => {
            eprintln!("usage: daemon_events [seconds] ({err})");
            return ExitCode::from(2);
        }
    };
    match watch(seconds).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn watch(limit: Option<Duration>) -> Result<(), String> {
    let config = ChiaConfig::discover().map_err(|err| err.to_string())?;
    let daemon = DaemonTransport::builder_from_config(&config)
        .listen(Listener::WalletUi)
        .listen(Listener::Metrics)
        .connect()
        .await
        .map_err(|err| err.to_string())?;
    let client = daemon.client();
    let version = client.daemon().get_version().await.map_err(|err| err.to_string())?;
    println!("connected to {} (daemon {}) as {}", daemon.url(), version.version, daemon.origin());

    let mut events = daemon.events();
    let deadline = limit.map(|limit| tokio::time::Instant::now() + limit);
    loop {
        let next = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, events.next()).await {
                Ok(next) => next,
                Err(_) => return Ok(()),
            },
            None => events.next().await,
        };
        match next {
            None => return Ok(()),
            Some(Ok(notice)) => print_notice(&notice),
            // A push the model cannot read: show it and keep watching.
            Some(Err(err)) => println!("undecodable push: {err}"),
        }
    }
}

fn print_notice(notice: &Notice) {
    match notice {
        Notice::Event(pushed) => println!("[{}] {}", pushed.destination, describe(&pushed.event)),
        Notice::Disconnected { reason } => println!("-- disconnected: {reason}"),
        Notice::Reconnected => println!("-- reconnected"),
        Notice::Lagged { missed } => println!("-- fell behind: {missed} pushes skipped"),
        other => println!("-- {other:?}"),
    }
}

/// One line per push: the interesting fields of the common ones, the name of the others.
fn describe(event: &Event) -> String {
    match event {
        Event::FullNode(FullNodeEvent::Block(block)) => match (block.height, &block.header_hash) {
            (Some(height), Some(hash)) => format!("full node: block {hash} at height {height}"),
            _ => "full node: block (not added)".to_owned(),
        },
        Event::FullNode(FullNodeEvent::GetBlockchainState(state)) => {
            let peak = state.blockchain_state.peak.as_ref().map(|peak| peak.height);
            format!("full node: peak {peak:?}, synced {}", state.blockchain_state.sync.synced)
        }
        Event::Wallet(WalletEvent::StateChanged(change)) => {
            format!("wallet: {:?} (wallet {:?})", change.state, change.wallet_id)
        }
        Event::Farmer(FarmerEvent::NewSignagePoint(point)) => {
            let sp = &point.signage_point;
            format!("farmer: signage point {} of {}", sp.signage_point_index, sp.challenge_hash)
        }
        other => format!("{} from {}", other.command(), other.origin()),
    }
}
