//! Prints a summary of a farm: the farmer's harvesters with their plot counts and sizes, the
//! largest plots, the reward targets, the signage points the farmer holds and its plot NFTs,
//! then the local harvester's own view (plot directories, plots, files it could not use).
//!
//! ```text
//! farm_monitor
//! ```
//!
//! Host, ports and certificates come from `$CHIA_ROOT/config/config.yaml` (default
//! `~/.chia/mainnet`). Against the harness's simulator, from the repository's root:
//!
//! ```text
//! cargo xtask sim up
//! set -a; . .sim/sim.env; set +a
//! ip netns exec chia-rpc-sim env CHIA_ROOT="$CHIA_ROOT" \
//!     cargo run -p chia-rpc --example farm_monitor
//! ```

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use chia_rpc::prelude::*;
use chia_rpc::types::{FarmerHarvesterSummary, PlotSortKey};

/// How many of each harvester's largest plots to list.
const LARGEST_PLOTS: u32 = 3;

#[tokio::main]
async fn main() -> ExitCode {
    match monitor().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn monitor() -> chia_rpc::Result<()> {
    let client = Client::from_config(&ChiaConfig::discover()?)?;
    harvesters(&client).await?;
    reward_targets(&client).await?;
    signage_points(&client).await?;
    plot_nfts(&client).await?;
    // The harvester may run on another machine: then the farmer's view above is all there is.
    if let Err(err) = local_harvester(&client).await {
        println!("\nlocal harvester: not reachable ({err})");
    }
    Ok(())
}

/// Each harvester the farmer knows, with its plot counts, sizes and largest plots.
async fn harvesters(client: &Client) -> chia_rpc::Result<()> {
    let farmer = client.farmer();
    let harvesters = farmer.get_harvesters_summary().await?.harvesters;
    println!("harvesters: {}", harvesters.len());
    for harvester in &harvesters {
        print_harvester(harvester);
        let node_id = harvester.connection.node_id;
        let largest = farmer
            .get_harvester_plots_valid(node_id, 0, LARGEST_PLOTS)
            .sort_key(PlotSortKey::FileSize)
            .reverse(true)
            .await?;
        for plot in &largest.plots {
            let name = plot.filename.rsplit('/').next().unwrap_or(&plot.filename);
            println!("    {:>10}  {}  {name}", size(plot.file_size), plot_kind(plot.size));
        }
        if largest.total_count > LARGEST_PLOTS {
            println!("    … and {} more", largest.total_count - LARGEST_PLOTS);
        }
    }
    Ok(())
}

fn print_harvester(harvester: &FarmerHarvesterSummary) {
    let connection = &harvester.connection;
    println!("  {}:{}  node {}", connection.host, connection.port, short(connection.node_id));
    println!(
        "    plots {}  size {}  effective {}",
        harvester.plots,
        size(harvester.total_plot_size),
        size(harvester.total_effective_plot_size)
    );
    println!(
        "    failed to open {}  keys missing {}  duplicates {}",
        harvester.failed_to_open_filenames, harvester.no_key_filenames, harvester.duplicates
    );
    let synced = match (&harvester.syncing, harvester.last_sync_time) {
        (Some(sync), _) => {
            format!("syncing {}/{} files", sync.plot_files_processed, sync.plot_files_total)
        }
        (None, Some(time)) => format!("last plot sync {} ago", ago(time)),
        (None, None) => "no plot sync yet".to_owned(),
    };
    let mode = harvester.harvesting_mode.as_ref().map_or("unknown".into(), |m| format!("{m:?}"));
    println!("    {synced}, harvesting on {mode}");
}

/// Where block rewards go, and whether a key in the farmer's keychain owns each address.
async fn reward_targets(client: &Client) -> chia_rpc::Result<()> {
    let targets = client.farmer().get_reward_targets(true).max_ph_to_search(100).await?;
    let owned = |have: Option<bool>| match have {
        Some(true) => "a key of this farmer",
        Some(false) => "no key of this farmer (first 100 addresses)",
        None => "not checked",
    };
    println!("\nreward targets:");
    println!("  farmer: {}  ({})", targets.farmer_target, owned(targets.have_farmer_sk));
    println!("  pool:   {}  ({})", targets.pool_target, owned(targets.have_pool_sk));
    Ok(())
}

/// The signage points of the last sub-slots and the proofs found for them.
async fn signage_points(client: &Client) -> chia_rpc::Result<()> {
    let points = client.farmer().get_signage_points().await?.signage_points;
    let proofs: usize = points.iter().map(|point| point.proofs.len()).sum();
    println!("\nsignage points held: {}, proofs found for them: {proofs}", points.len());
    if let Some(last) = points.last() {
        let point = &last.signage_point;
        println!(
            "  latest: index {} of sub-slot {}, difficulty {}",
            point.signage_point_index,
            short(point.challenge_hash),
            point.difficulty
        );
    }
    Ok(())
}

/// The plot NFTs the farmer farms to, with their plots and partial proofs.
async fn plot_nfts(client: &Client) -> chia_rpc::Result<()> {
    let pools = client.farmer().get_pool_state().await?.pool_state;
    println!("\nplot NFTs: {}", pools.len());
    for pool in &pools {
        let config = &pool.pool_config;
        let url = if config.pool_url.is_empty() { "self-pooling" } else { &config.pool_url };
        println!(
            "  {}  {url}  plots {}  partials valid {} / invalid {} / stale {}",
            short(config.launcher_id),
            pool.plot_count,
            pool.valid_partials_since_start,
            pool.invalid_partials_since_start,
            pool.stale_partials_since_start
        );
    }
    Ok(())
}

/// What the harvester at this config's harvester port reports about itself.
async fn local_harvester(client: &Client) -> chia_rpc::Result<()> {
    let harvester = client.harvester();
    let directories = harvester.get_plot_directories().await?.directories;
    let plots = harvester.get_plots().await?;
    let total: u64 = plots.plots.iter().map(|plot| plot.file_size).sum();
    println!("\nlocal harvester: {} plots, {}", plots.plots.len(), size(total));
    for directory in &directories {
        let count = plots.plots.iter().filter(|plot| plot.filename.starts_with(directory)).count();
        println!("  {directory}: {count} plots");
    }
    for (what, files) in [
        ("could not open", &plots.failed_to_open_filenames),
        ("keys not known", &plots.not_found_filenames),
    ] {
        for file in files {
            println!("  {what}: {file}");
        }
    }
    Ok(())
}

/// A plot's `size`: the k size of a v1 plot, the strength of a v2 plot (top bit set).
fn plot_kind(size: u8) -> String {
    if size & 0x80 == 0 { format!("k{size}") } else { format!("v2 strength {}", size & 0x7f) }
}

/// Bytes in binary units.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// The first bytes of a hash, enough to tell hashes apart on screen.
fn short(hash: Bytes32) -> String {
    let text = hash.to_string();
    format!("{}…", &text[..text.len().min(12)])
}

/// How long ago a Unix time was.
fn ago(time: f64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |now| now.as_secs_f64());
    let seconds = (now - time).max(0.0) as u64;
    match seconds {
        0..=119 => format!("{seconds}s"),
        120..=7199 => format!("{}min", seconds / 60),
        _ => format!("{}h", seconds / 3600),
    }
}
