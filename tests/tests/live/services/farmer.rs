//! The farmer: its harvester and plots as the plot sync reports them, paged and filtered, the
//! reward targets changed and restored, signage points, and the plot NFT's pool state with its
//! payout instructions changed and restored.

use std::collections::BTreeSet;
use std::time::Duration;

use chia_rpc::farmer::FarmerRpc;
use chia_rpc::types::{
    FarmerPoolState, HarvestingMode, PlotFilterItem, PlotFilterKey, PlotSortKey,
};
use chia_rpc::{Address, Bytes32, ServiceClients};

use super::{SIMULATOR_PLOTS, failure_says, poll};
use crate::Live;

pub async fn farmer(live: &Live) {
    let node_id = the_harvester(live).await;
    valid_plot_pages(live, node_id).await;
    reward_targets(live).await;
    signage_points(live).await;
    pool_state(live).await;
}

/// The one harvester and its plots, counted, listed in full, and compared with what the
/// harvester itself reports. Returns the harvester's node id.
async fn the_harvester(live: &Live) -> Bytes32 {
    let farmer = live.client.farmer();
    let summaries = farmer.get_harvesters_summary().await.unwrap().harvesters;
    assert_eq!(summaries.len(), 1, "the simulator runs one harvester: {summaries:?}");
    let summary = &summaries[0];
    assert_eq!(summary.plots, SIMULATOR_PLOTS);
    assert_eq!(
        (summary.failed_to_open_filenames, summary.no_key_filenames, summary.duplicates),
        (0, 0, 0)
    );
    assert!(summary.syncing.is_none() && summary.last_sync_time.is_some(), "{summary:?}");
    assert_eq!(summary.harvesting_mode, Some(HarvestingMode::Cpu));
    assert!(summary.total_effective_plot_size > 0);

    let harvesters = farmer.get_harvesters().await.unwrap().harvesters;
    assert_eq!(harvesters.len(), 1);
    let full = &harvesters[0];
    assert_eq!(full.connection, summary.connection);
    assert_eq!(full.plots.len(), SIMULATOR_PLOTS as usize);
    let file_sizes: u64 = full.plots.iter().map(|plot| plot.file_size).sum();
    assert_eq!(full.total_plot_size, file_sizes);
    assert_eq!(summary.total_plot_size, file_sizes);
    assert!(full.failed_to_open_filenames.is_empty() && full.duplicates.is_empty());

    // The plot sync carried the harvester's own list.
    let synced: BTreeSet<Bytes32> = full.plots.iter().map(|plot| plot.plot_id).collect();
    let own = live.client.harvester().get_plots().await.unwrap().plots;
    let loaded: BTreeSet<Bytes32> = own.iter().map(|plot| plot.plot_id).collect();
    assert_eq!(synced, loaded);
    summary.connection.node_id
}

/// The harvester's plots page by page, sorted and filtered; a page past the end and an unknown
/// harvester fail.
async fn valid_plot_pages(live: &Live, node_id: Bytes32) {
    let farmer = live.client.farmer();
    let first = farmer.get_harvester_plots_valid(node_id, 0, 4).await.unwrap();
    assert_eq!((first.node_id, first.page), (node_id, 0));
    assert_eq!((first.total_count, first.page_count), (SIMULATOR_PLOTS, 2));
    let second = farmer.get_harvester_plots_valid(node_id, 1, 4).await.unwrap();
    assert_eq!(first.plots.len() + second.plots.len(), SIMULATOR_PLOTS as usize);
    let ids: BTreeSet<Bytes32> =
        first.plots.iter().chain(&second.plots).map(|plot| plot.plot_id).collect();
    assert_eq!(ids.len(), SIMULATOR_PLOTS as usize, "the pages do not overlap");

    let largest_first = farmer
        .get_harvester_plots_valid(node_id, 0, SIMULATOR_PLOTS)
        .sort_key(PlotSortKey::FileSize)
        .reverse(true)
        .await
        .unwrap()
        .plots;
    let sizes: Vec<u64> = largest_first.iter().map(|plot| plot.file_size).collect();
    assert!(sizes.windows(2).all(|pair| pair[0] >= pair[1]), "{sizes:?}");

    // The simulator's v1 plots are k19 (its v2 plots are named k20).
    let k19 = first.plots.iter().chain(&second.plots).filter(|plot| plot.size == 19).count();
    let filter = PlotFilterItem::new(PlotFilterKey::Filename, Some("-k19-".to_owned()));
    let filtered =
        farmer.get_harvester_plots_valid(node_id, 0, 10).filter(vec![filter]).await.unwrap();
    assert_eq!(filtered.total_count as usize, k19);
    assert!(filtered.plots.iter().all(|plot| plot.filename.contains("-k19-")));

    let past_the_end = farmer.get_harvester_plots_valid(node_id, 9, 4).await.unwrap_err();
    assert!(failure_says(&past_the_end, "out of bounds"), "{past_the_end}");
    let stranger = Bytes32::new([0xab; 32]);
    let unknown = farmer.get_harvester_plots_valid(stranger, 0, 4).await.unwrap_err();
    assert!(failure_says(&unknown, "Receiver missing"), "{unknown}");
}

/// The reward addresses: read with and without the key search, changed to new ones, and set
/// back to what they were.
async fn reward_targets(live: &Live) {
    let farmer = live.client.farmer();
    let before = farmer.get_reward_targets(false).await.unwrap();
    assert!(before.have_farmer_sk.is_none() && before.have_pool_sk.is_none());
    let searched = farmer.get_reward_targets(true).max_ph_to_search(50).await.unwrap();
    assert_eq!(
        (searched.farmer_target.clone(), searched.pool_target.clone()),
        (before.farmer_target.clone(), before.pool_target.clone())
    );
    // `chia dev sim create` points both at the simulator key's first address.
    assert_eq!((searched.have_farmer_sk, searched.have_pool_sk), (Some(true), Some(true)));

    let (farmer_target, pool_target) = (burn_address(0x01), burn_address(0x02));
    farmer
        .set_reward_targets()
        .farmer_target(farmer_target.clone())
        .pool_target(pool_target.clone())
        .await
        .unwrap();
    let changed = farmer.get_reward_targets(true).max_ph_to_search(5).await.unwrap();
    assert_eq!((changed.farmer_target, changed.pool_target), (farmer_target, pool_target));
    assert_eq!((changed.have_farmer_sk, changed.have_pool_sk), (Some(false), Some(false)));

    farmer
        .set_reward_targets()
        .farmer_target(before.farmer_target.clone())
        .pool_target(before.pool_target.clone())
        .await
        .unwrap();
    let restored = farmer.get_reward_targets(false).await.unwrap();
    assert_eq!(
        (restored.farmer_target, restored.pool_target),
        (before.farmer_target, before.pool_target)
    );
}

/// An address on the simulator's network that no key derives.
fn burn_address(byte: u8) -> Address {
    Address::encode("txch", Bytes32::new([byte; 32])).unwrap()
}

/// Every signage point the farmer holds, each asked for by its hash. The simulator runs no
/// timelord, so there are usually none: then asking for one fails.
async fn signage_points(live: &Live) {
    let farmer = live.client.farmer();
    let held = farmer.get_signage_points().await.unwrap().signage_points;
    for point in &held {
        let hash = point.signage_point.challenge_chain_sp;
        let one = farmer.get_signage_point(hash).await.unwrap();
        assert_eq!(one.signage_point, point.signage_point);
        assert!(point.signage_point.signage_point_index < 64);
    }
    let never_sent = Bytes32::new([0x5e; 32]);
    let err = farmer.get_signage_point(never_sent).await.unwrap_err();
    assert!(failure_says(&err, "not found"), "{err}");
}

/// The plot NFT the wallet suite made, as the farmer tracks it: its payout instructions
/// changed and set back; a login link cannot be made for a self-pooling plot NFT.
async fn pool_state(live: &Live) {
    let farmer = live.client.farmer();
    // The farmer reads the pooling state file within a second or two of the wallet writing it.
    let state = poll(
        "the farmer's pool state of the wallet's plot NFT",
        Duration::from_secs(30),
        || async { farmer.get_pool_state().await.unwrap().pool_state.into_iter().next() },
    )
    .await;
    let config = &state.pool_config;
    assert_eq!(config.pool_url, "", "the plot NFT pools with itself");
    assert_eq!(state.p2_singleton_puzzle_hash, config.p2_singleton_puzzle_hash);
    assert!(state.current_difficulty.is_none() && state.authentication_token_timeout.is_none());
    let launcher = config.launcher_id;

    let original = config.payout_instructions.clone();
    let changed = "77".repeat(32);
    payout_instructions_become(farmer, &state, launcher, &changed).await;
    payout_instructions_become(farmer, &state, launcher, &original).await;

    let err = farmer.get_pool_login_link(launcher).await.unwrap_err();
    assert!(failure_says(&err, "Failed to generate login link"), "{err}");
    // An unknown plot NFT is not an error: nothing happens.
    farmer.set_payout_instructions(Bytes32::new([0x0f; 32]), changed).await.unwrap();
}

/// Sets the payout instructions of `launcher` and waits until the pool state shows them.
async fn payout_instructions_become(
    farmer: FarmerRpc<'_>,
    state: &FarmerPoolState,
    launcher: Bytes32,
    instructions: &str,
) {
    farmer.set_payout_instructions(launcher, instructions.to_owned()).await.unwrap();
    let p2 = state.p2_singleton_puzzle_hash;
    poll("the new payout instructions in the pool state", Duration::from_secs(30), || async {
        let states = farmer.get_pool_state().await.unwrap().pool_state;
        let ours = states.into_iter().find(|state| state.p2_singleton_puzzle_hash == p2)?;
        (ours.pool_config.payout_instructions == instructions).then_some(())
    })
    .await;
}
