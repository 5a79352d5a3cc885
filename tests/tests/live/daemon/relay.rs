//! Every running service's RPC through the daemon: the same typed calls as over HTTPS, relayed
//! by the daemon to the service's daemon name, strictly decoded, and compared with HTTPS.

use chia_rpc::{Address, Client, Service, ServiceClients};

use super::{LiveDaemon, commands};

pub async fn everything(d: &LiveDaemon, https: &Client, address: &Address) {
    let relayed = &d.client;
    full_node(relayed, https, address).await;
    wallet(relayed, https).await;
    farmer(relayed, https).await;
    harvester(relayed, https).await;
    data_layer(relayed, https).await;
    timelord(d).await;
}

async fn full_node(relayed: &Client, https: &Client, address: &Address) {
    let over_https = https.full_node().get_blockchain_state().await.unwrap().blockchain_state;
    let state = relayed.full_node().get_blockchain_state().await.unwrap().blockchain_state;
    let height = |peak: &Option<chia_rpc::types::BlockRecord>| peak.as_ref().map(|p| p.height);
    let (a, b) = (height(&over_https.peak).unwrap(), height(&state.peak).unwrap());
    assert!(b >= a && b <= a + 2, "relayed peak {b}, HTTPS {a}");
    let network = relayed.full_node().get_network_info().await.unwrap();
    assert_eq!(network.network_name, "simulator0");
    relayed.full_node().healthz().await.unwrap();
    // The simulator answers as the full node: its own routes relay the same way.
    let farmed = relayed.simulator().farm_block(address.clone()).await.unwrap();
    assert!(farmed.new_peak_height > b, "{farmed:?}");
    assert!(relayed.simulator().get_auto_farming().await.is_ok());
}

async fn wallet(relayed: &Client, https: &Client) {
    let sync = relayed.wallet().get_sync_status().await.unwrap();
    assert!(sync.genesis_initialized);
    let relayed_wallets = relayed.wallet().get_wallets().await.unwrap().wallets;
    let https_wallets = https.wallet().get_wallets().await.unwrap().wallets;
    assert_eq!(relayed_wallets.len(), https_wallets.len());
    let fingerprint = relayed.wallet().get_logged_in_fingerprint().await.unwrap().fingerprint;
    assert_eq!(fingerprint, https.wallet().get_logged_in_fingerprint().await.unwrap().fingerprint);
}

async fn farmer(relayed: &Client, https: &Client) {
    let targets = relayed.farmer().get_reward_targets(false).await.unwrap();
    let over_https = https.farmer().get_reward_targets(false).await.unwrap();
    assert_eq!(targets.farmer_target, over_https.farmer_target);
    assert_eq!(targets.pool_target, over_https.pool_target);
    let summary = relayed.farmer().get_harvesters_summary().await.unwrap();
    assert!(!summary.harvesters.is_empty());
}

async fn harvester(relayed: &Client, https: &Client) {
    let plots = relayed.harvester().get_plots().await.unwrap().plots;
    assert_eq!(plots.len(), https.harvester().get_plots().await.unwrap().plots.len());
    assert!(!plots.is_empty(), "the simulator's plots");
    let dirs = relayed.harvester().get_plot_directories().await.unwrap();
    assert!(!dirs.directories.is_empty());
}

async fn data_layer(relayed: &Client, https: &Client) {
    let relayed_ids = relayed.data_layer().subscriptions().await.unwrap().store_ids;
    let https_ids = https.data_layer().subscriptions().await.unwrap().store_ids;
    assert_eq!(relayed_ids, https_ids);
    relayed.data_layer().get_owned_stores().await.unwrap();
}

/// The timelord is started by the daemon for this: its shared routes, relayed.
async fn timelord(d: &LiveDaemon) {
    commands::start_timelord(d).await;
    let timelord = d.client.shared(Service::Timelord);
    // Started just now: it may take a moment to register with the daemon.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        match timelord.healthz().timeout(std::time::Duration::from_secs(2)).await {
            Ok(_) => break,
            Err(err) if err.is_timeout() && tokio::time::Instant::now() < deadline => {}
            Err(err) => panic!("the timelord does not answer through the daemon: {err}"),
        }
    }
    let routes = timelord.get_routes().await.unwrap().routes;
    assert!(routes.iter().any(|r| r == "/healthz"), "{routes:?}");
    let version = timelord.get_version().await.unwrap();
    assert!(!version.version.is_empty());
    timelord.get_connections().await.unwrap();
    timelord.get_network_info().await.unwrap();
    let level = timelord.get_log_level().await.unwrap();
    timelord.set_log_level(level.level.clone()).await.unwrap();
    timelord.reset_log_level().await.unwrap();
}
