//! The daemon's WebSocket against the real daemon: its commands, every service's RPC relayed
//! through it, the pushes they send, and a reconnect after the daemon is restarted.

mod commands;
mod pushes;
mod recorder;
mod relay;
mod restart;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chia_rpc::decode::Strictness;
use chia_rpc::ws::{DaemonTransport, Listener, Reconnect};
use chia_rpc::{Address, ChiaConfig, Client, Service};

use recorder::DaemonRecorder;

pub use pushes::Seen;

/// Daemon commands the suite does not send, and why.
pub fn not_exercised(command: &str) -> Option<&'static str> {
    match command {
        "exit" => Some(
            "stops the daemon and every service it started; the suite restarts the daemon by the harness instead",
        ),
        "delete_all_keys" => Some(
            "deletes every key, the simulator's funded one included; the suite deletes the keys it added one by one",
        ),
        _ => None,
    }
}

/// Every push in the schema, as `(origin, command)`.
fn pushes_in_the_schema() -> Vec<(&'static str, &'static str)> {
    use chia_rpc::{crawler, daemon, data_layer, farmer, full_node, harvester, solver};
    use chia_rpc::{timelord, wallet};
    let all: [&[(&str, &str)]; 9] = [
        daemon::DaemonEvent::PUSHES,
        full_node::FullNodeEvent::PUSHES,
        wallet::WalletEvent::PUSHES,
        farmer::FarmerEvent::PUSHES,
        harvester::HarvesterEvent::PUSHES,
        timelord::TimelordEvent::PUSHES,
        crawler::CrawlerEvent::PUSHES,
        data_layer::DataLayerEvent::PUSHES,
        solver::SolverEvent::PUSHES,
    ];
    let mut pushes: Vec<_> = all.iter().flat_map(|p| p.iter().copied()).collect();
    pushes.sort_unstable();
    pushes.dedup();
    pushes
}

/// The summary lines of the daemon part: calls relayed per service, pushes observed.
pub fn summary_lines(report: &Report) -> Vec<String> {
    let mut relayed: BTreeMap<Service, usize> = BTreeMap::new();
    for (service, _) in report.called.iter().filter(|(s, _)| *s != Service::Daemon) {
        *relayed.entry(*service).or_default() += 1;
    }
    let relayed: Vec<String> =
        relayed.iter().map(|(service, count)| format!("{service} {count}")).collect();
    let seen = &report.seen.decoded;
    let observed: Vec<String> = seen
        .iter()
        .map(|((origin, command), count)| format!("{origin} {command} ({count})"))
        .collect();
    let missing: Vec<String> = pushes_in_the_schema()
        .into_iter()
        .filter(|(origin, command)| {
            !seen.contains_key(&((*origin).to_owned(), (*command).to_owned()))
        })
        .map(|(origin, command)| format!("{origin} {command}"))
        .collect();
    vec![
        format!(
            "live through the daemon: routes relayed and strict-decoded per service: {}",
            relayed.join(", ")
        ),
        format!(
            "live pushes: {} kinds observed and strictly decoded: {}",
            observed.len(),
            observed.join(", ")
        ),
        format!(
            "pushes not sent by a simulator during the run ({}; their shapes come from upstream's \
             source and captured fixtures): {}",
            missing.len(),
            missing.join(", ")
        ),
        format!("daemon connection notices: {}", report.seen.notices.join(", ")),
    ]
}

/// What the daemon part of the live suite found, for the summary.
pub struct Report {
    /// `(service, route)` of every relayed or daemon call that answered `success: true`.
    pub called: BTreeSet<(Service, String)>,
    /// The pushes seen, strictly decoded.
    pub seen: Seen,
}

/// The suite's daemon connection: strict decoding over a recorder, with every listener
/// registered and a collector of the pushes.
pub struct LiveDaemon {
    pub transport: DaemonTransport,
    pub client: Client,
    pub recorder: Arc<DaemonRecorder>,
    pub pushes: pushes::Collector,
}

impl LiveDaemon {
    async fn connect(root: &str, capture: Option<PathBuf>) -> LiveDaemon {
        let config = ChiaConfig::load(root).expect("the simulator's config");
        let mut reconnect = Reconnect::default();
        reconnect.first_delay = Duration::from_millis(200);
        reconnect.max_delay = Duration::from_secs(2);
        let transport = DaemonTransport::builder_from_config(&config)
            .listen(Listener::WalletUi)
            .listen(Listener::Metrics)
            .listen(Listener::UnfinishedBlockInfo)
            .listen(Listener::Plotter)
            .reconnect(reconnect)
            .timeout(Duration::from_secs(120))
            .connect()
            .await
            .unwrap_or_else(|err| panic!("connecting to the simulator's daemon: {err}"));
        let pushes = pushes::Collector::start(&transport, capture.clone());
        let recorder = Arc::new(DaemonRecorder::new(transport.clone(), capture, root));
        let client = Client::from_arc(recorder.clone()).with_strictness(Strictness::Strict);
        LiveDaemon { transport, client, recorder, pushes }
    }
}

/// Runs the whole daemon part: commands, relayed calls, pushes after a block and a payment,
/// then the reconnect after a daemon restart.
pub async fn everything(
    env: &BTreeMap<String, String>,
    https: &Client,
    address: &Address,
    fingerprint: u32,
) -> Report {
    let root = &env["CHIA_ROOT"];
    let capture = std::env::var_os("CHIA_RPC_CAPTURE_DIR").map(PathBuf::from);
    let daemon = LiveDaemon::connect(root, capture).await;

    commands::everything(&daemon, root, fingerprint).await;
    relay::everything(&daemon, https, address).await;
    pushes::after_a_block_and_a_payment(&daemon, https, address).await;
    commands::stop_timelord(&daemon).await;
    restart::drop_mid_call_then_reconnect(&daemon, env, https, address).await;

    let seen = daemon.pushes.stop().await;
    Report { called: daemon.recorder.called(), seen }
}
