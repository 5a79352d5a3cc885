//! The farming side and the other services: the farmer and its harvester, the data layer, the
//! crawler and the solver. Every write is undone (plot directories, the harvester's settings,
//! reward targets, payout instructions), except the data layer's stores, which live on chain,
//! and the farmer's link to the solver, which stays open.

mod crawler;
mod data_layer;
mod farmer;
mod harvester;
mod solver;

use std::future::Future;
use std::time::Duration;

use chia_rpc::{Address, Service};

use crate::Live;

/// Plots `chia dev sim create` makes for the simulator's harvester.
const SIMULATOR_PLOTS: u32 = 6;

/// Making blocks takes the simulator's few tiny plots usually a second, now and then minutes.
const BLOCK_MAKING: Duration = Duration::from_secs(600);

/// What the scenarios here need from the harness.
pub struct Settings {
    /// The funded key's address: farm rewards go there.
    pub address: Address,
    /// The funded key, which the data layer's wallet runs with.
    pub fingerprint: u32,
    /// The port the solver's peer server listens on (farmers connect there).
    pub solver_peer_port: u16,
}

/// Every scenario of these services, in an order where none disturbs the next.
pub async fn everything(live: &Live, settings: &Settings) {
    farmer::farmer(live).await;
    harvester::harvester(live).await;
    solver::solver(live, settings.solver_peer_port).await;
    crawler::crawler(live).await;
    data_layer::data_layer(live, settings).await;
}

/// Routes of these services the suite does not call on a simulator, and why.
pub fn not_exercised(service: Service, endpoint: &str) -> Option<&'static str> {
    match (service, endpoint) {
        (Service::Farmer, "get_signage_point") => Some(
            "the simulator runs no timelord, so the full node never sends the farmer a signage \
             point to ask for; the failure reply for an unknown one is captured and decoded",
        ),
        (Service::Farmer, "get_pool_login_link") => Some(
            "the only plot NFT pools with itself, and a self-pooling plot NFT never learns a \
             pool's token timeout; the failure reply is captured and decoded",
        ),
        _ => None,
    }
}

/// Polls `check` every half second until it returns `Some`, for at most `limit`; panics naming
/// `what` after that.
async fn poll<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}: not after {limit:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Whether `err` is a failure reply whose message contains `text`.
fn failure_says(err: &chia_rpc::Error, text: &str) -> bool {
    err.rpc_failure().is_some_and(|failure| failure.message.contains(text))
}

/// A fresh, empty directory under the system's temporary directory.
fn scratch_dir(name: &str) -> std::path::PathBuf {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis();
    let dir = std::env::temp_dir().join(format!("chia-rpc-live-{name}-{millis}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
