//! The harvester: its plots checked against the files on disk, its settings changed and
//! restored, and a throwaway plot directory holding a copy of a plot (a duplicate) and a file
//! that is no plot, seen by the farmer, deleted with `delete_plot` and removed again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chia_rpc::harvester::{GetHarvesterConfigResponse, UpdateHarvesterConfig};
use chia_rpc::types::FarmerHarvesterSummary;
use chia_rpc::{Bytes32, ServiceClients};

use super::{SIMULATOR_PLOTS, failure_says, poll, scratch_dir};
use crate::Live;

/// How long a rescan and the plot sync to the farmer may take.
const PLOT_SYNC: Duration = Duration::from_secs(120);

pub async fn harvester(live: &Live) {
    let directories = plots_on_disk(live).await;
    settings_round_trip(live).await;
    throwaway_plot_directory(live, &directories).await;
}

/// The loaded plots are the files in the plot directories, with their sizes. Returns the plot
/// directories.
async fn plots_on_disk(live: &Live) -> Vec<String> {
    let harvester = live.client.harvester();
    let plots = harvester.get_plots().await.unwrap();
    assert_eq!(plots.plots.len(), SIMULATOR_PLOTS as usize);
    assert!(plots.failed_to_open_filenames.is_empty() && plots.not_found_filenames.is_empty());
    let directories = harvester.get_plot_directories().await.unwrap().directories;
    assert_eq!(directories.len(), 1, "the simulator's plot directory: {directories:?}");
    for plot in &plots.plots {
        let file = Path::new(&plot.filename);
        assert_eq!(file.parent(), Some(Path::new(&directories[0])), "{}", plot.filename);
        assert_eq!(std::fs::metadata(file).unwrap().len(), plot.file_size, "{}", plot.filename);
        assert_eq!(plot.compression_level, 0, "the simulator's plots are not compressed");
    }
    directories
}

/// Every setting changed, read back, and set back to what it was; a refresh interval below 3 s
/// is refused.
async fn settings_round_trip(live: &Live) {
    let harvester = live.client.harvester();
    let before = harvester.get_harvester_config().await.unwrap();
    let interval = before.refresh_parameter_interval_seconds.expect("the default interval");
    // The GPU stays off: the running harvester ignores the file, but a restart would not.
    let changed = UpdateHarvesterConfig::new()
        .use_gpu_harvesting(before.use_gpu_harvesting)
        .gpu_index(before.gpu_index + 1)
        .enforce_gpu_index(!before.enforce_gpu_index)
        .disable_cpu_affinity(!before.disable_cpu_affinity)
        .parallel_decompressor_count(before.parallel_decompressor_count + 1)
        .decompressor_thread_count(before.decompressor_thread_count + 2)
        .recursive_plot_scan(!before.recursive_plot_scan)
        .refresh_parameter_interval_seconds(interval + 7);
    live.client.call(changed.clone()).await.unwrap();
    let after = harvester.get_harvester_config().await.unwrap();
    assert_eq!(as_update(&after), changed);

    let too_short = harvester.update_harvester_config().refresh_parameter_interval_seconds(2);
    let err = too_short.await.unwrap_err();
    assert!(err.rpc_failure().is_some(), "{err}");
    assert_eq!(harvester.get_harvester_config().await.unwrap(), after, "nothing changed");

    live.client.call(as_update(&before)).await.unwrap();
    assert_eq!(harvester.get_harvester_config().await.unwrap(), before);
}

/// The request that sets every setting to `config`'s values.
fn as_update(config: &GetHarvesterConfigResponse) -> UpdateHarvesterConfig {
    let update = UpdateHarvesterConfig::new()
        .use_gpu_harvesting(config.use_gpu_harvesting)
        .gpu_index(config.gpu_index)
        .enforce_gpu_index(config.enforce_gpu_index)
        .disable_cpu_affinity(config.disable_cpu_affinity)
        .parallel_decompressor_count(config.parallel_decompressor_count)
        .decompressor_thread_count(config.decompressor_thread_count)
        .recursive_plot_scan(config.recursive_plot_scan);
    match config.refresh_parameter_interval_seconds {
        Some(seconds) => update.refresh_parameter_interval_seconds(seconds),
        None => update,
    }
}

/// A fresh directory with a copy of a real plot under the same name (which the harvester
/// skips as a duplicate) and a `.plot` file that is no plot (which it fails to open): added,
/// seen by the farmer's paged lists, both files deleted with `delete_plot`, the directory
/// removed, and the harvester back to its own plots.
async fn throwaway_plot_directory(live: &Live, directories: &[String]) {
    let harvester = live.client.harvester();
    let dir = scratch_dir("plots");
    let (copy, broken) = fill_throwaway(live, &dir).await;
    let dirname = dir.display().to_string();
    harvester.add_plot_directory(dirname.clone()).await.unwrap();
    let listed = harvester.get_plot_directories().await.unwrap().directories;
    assert!(listed.contains(&dirname), "{listed:?}");
    let twice = harvester.add_plot_directory(dirname.clone()).await.unwrap_err();
    assert!(twice.rpc_failure().is_some(), "{twice}");
    let missing = dir.join("missing").display().to_string();
    assert!(harvester.add_plot_directory(missing).await.unwrap_err().rpc_failure().is_some());

    harvester.refresh_plots().await.unwrap();
    let summary = farmer_sees(live, "a duplicate and an unopenable file", |summary| {
        summary.duplicates == 1 && summary.failed_to_open_filenames == 1
    })
    .await;
    let node_id = summary.connection.node_id;
    problem_lists_name(live, node_id, &copy, &broken).await;
    let own = harvester.get_plots().await.unwrap();
    assert_eq!(own.plots.len(), SIMULATOR_PLOTS as usize, "the copy is not loaded");
    assert_eq!(own.failed_to_open_filenames, vec![broken.display().to_string()]);

    for file in [&broken, &copy] {
        harvester.delete_plot(file.display().to_string()).await.unwrap();
        assert!(!file.exists(), "{} is deleted", file.display());
    }
    harvester.remove_plot_directory(dirname).await.unwrap();
    assert_eq!(harvester.get_plot_directories().await.unwrap().directories, directories);
    std::fs::remove_dir(&dir).unwrap();
    harvester.refresh_plots().await.unwrap();
    farmer_sees(live, "the harvester's own plots only", |summary| {
        summary.duplicates == 0
            && summary.failed_to_open_filenames == 0
            && summary.plots == SIMULATOR_PLOTS
    })
    .await;
}

/// Copies the smallest plot into `dir` under its own name and writes a file that is no plot.
/// Returns the paths of both.
async fn fill_throwaway(live: &Live, dir: &Path) -> (PathBuf, PathBuf) {
    let plots = live.client.harvester().get_plots().await.unwrap().plots;
    let smallest = plots.iter().min_by_key(|plot| plot.file_size).expect("a plot");
    let original = Path::new(&smallest.filename);
    let copy = dir.join(original.file_name().unwrap());
    std::fs::copy(original, &copy).unwrap();
    let broken = dir.join(format!("plot-k19-{}.plot", "0b".repeat(32)));
    std::fs::write(&broken, b"not a plot").unwrap();
    (copy, broken)
}

/// The farmer's paged lists of duplicates and unopenable files name the two files; the list of
/// plots with unknown keys is empty, and filters narrow the lists.
async fn problem_lists_name(live: &Live, node_id: Bytes32, copy: &Path, broken: &Path) {
    let farmer = live.client.farmer();
    let duplicates = farmer.get_harvester_plots_duplicates(node_id, 0, 10).await.unwrap();
    assert_eq!(duplicates.plots, vec![copy.display().to_string()]);
    assert_eq!((duplicates.total_count, duplicates.page_count), (1, 1));
    let invalid = farmer.get_harvester_plots_invalid(node_id, 0, 10).await.unwrap();
    assert_eq!(invalid.plots, vec![broken.display().to_string()]);
    let none = farmer
        .get_harvester_plots_invalid(node_id, 0, 10)
        .filter(vec!["no such path".to_owned()])
        .reverse(true)
        .await
        .unwrap();
    assert_eq!((none.total_count, none.page_count, none.plots.len()), (0, 1, 0));
    let keys_missing = farmer.get_harvester_plots_keys_missing(node_id, 0, 10).await.unwrap();
    assert_eq!(keys_missing.total_count, 0, "every plot's keys are known");
    let past = farmer.get_harvester_plots_duplicates(node_id, 3, 10).await.unwrap_err();
    assert!(failure_says(&past, "out of bounds"), "{past}");
}

/// Polls the farmer's summary of the one harvester until `done` holds.
async fn farmer_sees(
    live: &Live,
    what: &str,
    done: impl Fn(&FarmerHarvesterSummary) -> bool,
) -> FarmerHarvesterSummary {
    let farmer = live.client.farmer();
    poll(&format!("the farmer sees {what}"), PLOT_SYNC, || async {
        let harvesters = farmer.get_harvesters_summary().await.unwrap().harvesters;
        harvesters.into_iter().next().filter(|summary| done(summary) && summary.syncing.is_none())
    })
    .await
}
