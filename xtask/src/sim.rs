//! `cargo xtask sim up|down|status`: a real Chia simulator (full node, wallet, farmer, harvester,
//! data layer, and a crawler in a root of its own) on fixed ports, inside a network namespace
//! that only has a loopback interface.
//!
//! `up` writes `<base>/sim.env`, the file the live tests read (`CHIA_RPC_LIVE_ENV`). `down`
//! ends by proving that nothing escaped: no socket of ours in the host's namespace, no process
//! of ours left (see [`escape`]).

pub mod escape;
mod layout;
mod procs;
mod rpc;
mod shell;
mod venv;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use layout::{
    CRAWLER, DATA_LAYER, FARMER, FULL_NODE, HARVESTER, SERVICES, WALLET, lookup, port, read_kv,
};
pub use layout::{Layout, NETNS};
pub use shell::{Cmd, which};

const USAGE: &str = "\
usage: cargo xtask sim <command>

commands:
  up [--chia-version V]   start a fresh simulator (stops a previous one first) and write sim.env
  down                    stop everything `up` started, delete the network namespace, and
                          check that nothing listens outside it and no process is left
  status                  show what runs, its ports and the health of each service

environment:
  CHIA_RPC_SIM_DIR        base directory (default: <workspace>/.sim)
  CHIA_RPC_CHIA_VERSION   chia-blockchain version (default: 2.7.5)
  CHIA_RPC_SIM_WAIT_SECS  deadline of each wait for a service (default: 120)
";

/// Deadline of every wait for a service, unless `CHIA_RPC_SIM_WAIT_SECS` says otherwise.
const DEFAULT_WAIT_SECS: u64 = 120;

fn wait_limit() -> Duration {
    let secs =
        std::env::var("CHIA_RPC_SIM_WAIT_SECS").ok().and_then(|secs| secs.trim().parse().ok());
    Duration::from_secs(secs.unwrap_or(DEFAULT_WAIT_SECS))
}

/// Runs `cargo xtask sim …`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let layout = Layout::from_env()?;
    match args {
        ["up", rest @ ..] => {
            let version = match rest {
                [] => chia_version_from_env(),
                ["--chia-version", version] => (*version).to_owned(),
                _ => return Err(USAGE.to_owned()),
            };
            up_or_clean_up(&layout, &version)
        }
        // `down` only reports what the escape checks find; `cargo xtask test` fails on it.
        ["down"] => down(&layout).map(drop),
        ["status"] => status(&layout),
        _ => Err(USAGE.to_owned()),
    }
}

/// The chia-blockchain version from `CHIA_RPC_CHIA_VERSION`, or the default.
pub fn chia_version_from_env() -> String {
    std::env::var("CHIA_RPC_CHIA_VERSION")
        .ok()
        .filter(|version| !version.trim().is_empty())
        .map_or_else(
            || layout::DEFAULT_CHIA_VERSION.to_owned(),
            |version| version.trim().to_owned(),
        )
}

/// Checks the prerequisites, then starts a fresh simulator and writes `sim.env`; when that
/// fails, stops whatever it had started (the logs stay in the run directory).
pub fn up_or_clean_up(layout: &Layout, version: &str) -> Result<(), String> {
    // Nothing is started when a prerequisite is missing: just say what it is.
    let python = check_prerequisites().map_err(|err| format!("sim up failed: {err}"))?;
    let Err(err) = up(layout, version, &python) else { return Ok(()) };
    eprintln!("\nsim up FAILED; stopping what was started (logs stay in {})", layout.run.display());
    if let Err(down_err) = down(layout) {
        eprintln!("sim down after the failure also failed: {down_err}");
    }
    Err(format!("sim up failed: {err}"))
}

/// Runs `body` against a fresh simulator: `up`, the check that nothing of it listens in the
/// host's namespace, `body`, and then always `down` with its checks. Returns what `body`
/// returned and every problem the checks (or the stop) found; fails only when the simulator
/// could not be started or leaked a listener right away (it is stopped again then).
pub fn with_simulator<T>(
    layout: &Layout,
    version: &str,
    body: impl FnOnce() -> T,
) -> Result<(T, Vec<String>), String> {
    up_or_clean_up(layout, version)?;
    println!();
    if let Err(found) = escape::check_host(layout) {
        println!("\nstopping the simulator: it listens outside its namespace");
        if let Err(err) = down(layout) {
            eprintln!("sim down also failed: {err}");
        }
        return Err(found);
    }
    let output = body();
    println!("\n== stopping the simulator");
    let problems = match down(layout) {
        Ok(stopped) => stopped.problems,
        Err(err) => vec![err],
    };
    Ok((output, problems))
}

/// Prints each step with the time since the start, and a summary at the end.
struct Clock {
    start: Instant,
    current: Option<(String, Instant)>,
    done: Vec<(String, Duration)>,
}

impl Clock {
    fn start() -> Self {
        Self { start: Instant::now(), current: None, done: Vec::new() }
    }

    fn step(&mut self, name: &str) {
        self.close();
        println!("\n[{:6.1}s] == {name}", self.start.elapsed().as_secs_f64());
        self.current = Some((name.to_owned(), Instant::now()));
    }

    fn close(&mut self) {
        if let Some((name, began)) = self.current.take() {
            self.done.push((name, began.elapsed()));
        }
    }

    fn summary(&mut self, title: &str) {
        self.close();
        println!("\n{title} in {:.1}s:", self.start.elapsed().as_secs_f64());
        for (name, took) in &self.done {
            println!("  {:7.1}s  {name}", took.as_secs_f64());
        }
    }
}

/// What the run needs before anything is touched; returns the Python that builds the venv.
fn check_prerequisites() -> Result<PathBuf, String> {
    println!("checking prerequisites: root, ip, ss, curl, python3 >= 3.10 with venv");
    let mut missing = Vec::new();
    if effective_uid() != Some(0) {
        missing.push("root privileges (network namespaces need them; run as root)".to_owned());
    }
    for (program, package) in [("ip", "iproute2"), ("ss", "iproute2"), ("curl", "curl")] {
        if which(program).is_none() {
            missing.push(format!("`{program}` (package {package})"));
        }
    }
    let python = venv::find_python();
    if let Err(err) = &python {
        missing.push(err.clone());
    }
    match python {
        Ok(python) if missing.is_empty() => Ok(python),
        _ => Err(format!("missing prerequisites:\n  - {}", missing.join("\n  - "))),
    }
}

/// The effective user id, from `/proc/self/status`.
fn effective_uid() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Starts a fresh simulator and writes `sim.env`.
fn up(layout: &Layout, version: &str, python: &Path) -> Result<(), String> {
    let mut clock = Clock::start();
    println!("python for the venv: {}", python.display());
    let wait = wait_limit();

    if layout.run.exists() || procs::netns_exists() || layout.env_file.exists() {
        clock.step("stopping the previous run");
        down(layout)?;
    }

    clock.step(&format!("fresh run directory {}", layout.run.display()));
    if layout.run.exists() {
        fs::remove_dir_all(&layout.run)
            .map_err(|err| format!("cannot wipe {}: {err}", layout.run.display()))?;
    }
    for dir in [layout.run.join("home"), layout.run.join("keys"), layout.logs.clone()] {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }

    clock.step(&format!("network namespace {NETNS} (loopback only)"));
    let inode = procs::create_netns()?;
    let venv_dir = layout.venv(version);
    layout::write_kv(
        &layout.state_file,
        &[
            ("VENV", venv_dir.display().to_string()),
            ("CHIA_VERSION", version.to_owned()),
            ("NETNS_INODE", inode.to_string()),
        ],
    )?;

    clock.step(&format!("virtual environment with chia-blockchain {version}"));
    let venv = venv::ensure(layout, version, python)?;
    let env = layout.chia_env(&venv);
    let chia = venv.join("bin").join("chia");
    let python = venv.join("bin").join("python");

    clock.step("key (mnemonic kept in a 0600 file, never printed)");
    let words = Cmd::new(&python)
        .arg("-c")
        .arg("from chia.util.keychain import generate_mnemonic; print(generate_mnemonic())")
        .envs(&env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(120))
        .output()?;
    let words = words.trim().to_owned();
    if words.split_whitespace().count() != 24 {
        return Err("generate_mnemonic did not return 24 words".to_owned());
    }
    write_secret(&layout.mnemonic_file, &words)?;

    clock.step("chia dev sim create (init, CA, key, plots, genesis)");
    let create_log = layout.logs.join("sim-create.log");
    Cmd::new(&chia)
        .args(["dev", "sim", "create", "--mnemonic"])
        .hidden_arg(&words, "<mnemonic>")
        .envs(&env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(600))
        .log(&create_log)
        .run()?;
    println!("log: {}", create_log.display());
    record_pids(layout)?;

    clock.step("chia stop -d all (to replace the random ports)");
    Cmd::new(&chia)
        .args(["stop", "-d", "all"])
        .envs(&env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(120))
        .log(&layout.logs.join("stop.log"))
        .run()?;
    let log = layout.debug_log();
    rpc::wait_for(&log, "services of `chia dev sim create` to exit", wait, || {
        Ok(procs::listeners().is_empty().then_some(()))
    })?;

    clock.step("fixed ports and peers in config.yaml");
    rewrite_config(layout, &python, &env)?;

    clock.step("chia start simulator wallet");
    start(layout, &chia, &env, &["simulator", "wallet"])?;
    rpc::wait_healthy(layout, FULL_NODE, wait, || Ok(()))?;
    rpc::wait_healthy(layout, WALLET, wait, || Ok(()))?;

    clock.step("wallet sync");
    rpc::wait_for(&log, "wallet sync (get_sync_status)", wait, || {
        let reply = rpc::call(layout, WALLET, "get_sync_status", &json!({}), true)?;
        Ok((reply.get("synced") == Some(&Value::Bool(true))).then_some(()))
    })?;

    clock.step("chia start farmer-only harvester data");
    start(layout, &chia, &env, &["farmer-only", "harvester", "data"])?;
    for service in [FARMER, HARVESTER, DATA_LAYER] {
        rpc::wait_healthy(layout, service, wait, || Ok(()))?;
    }

    clock.step("crawler in its own root (chia init, config, chia_crawler)");
    let crawler = start_crawler(layout, &venv, &python)?;

    clock.step("funding the wallet");
    let reply = rpc::call(
        layout,
        WALLET,
        "get_next_address",
        &json!({"wallet_id": 1, "new_address": false}),
        false,
    )?;
    let address = reply
        .get("address")
        .and_then(Value::as_str)
        .ok_or("get_next_address returned no address")?
        .to_owned();
    rpc::call(
        layout,
        FULL_NODE,
        "farm_block",
        &json!({"address": address, "blocks": 3, "guarantee_tx_block": true}),
        false,
    )?;
    let balance = rpc::wait_for(&log, "a confirmed wallet balance > 0", wait, || {
        let reply =
            rpc::call(layout, WALLET, "get_wallet_balance", &json!({"wallet_id": 1}), true)?;
        let balance = reply.pointer("/wallet_balance/confirmed_wallet_balance").cloned();
        Ok(balance.filter(positive))
    })?;
    println!("confirmed balance: {} mojos", display_amount(&balance));
    let reply = rpc::call(layout, WALLET, "get_logged_in_fingerprint", &json!({}), false)?;
    let fingerprint = reply
        .get("fingerprint")
        .and_then(Value::as_u64)
        .ok_or("get_logged_in_fingerprint returned no fingerprint")?;

    clock.step("crawler RPC");
    rpc::wait_healthy(layout, CRAWLER, wait, || crawler_alive(layout, crawler))?;
    // Whether it has reached the local node yet does not matter to the harness; just show it.
    match rpc::call(layout, CRAWLER, "get_peer_counts", &json!({}), false) {
        Ok(reply) => {
            println!("crawler peer counts: {}", reply.get("peer_counts").unwrap_or(&reply))
        }
        Err(err) => println!("note: {err}"),
    }

    clock.step("recording PIDs and writing sim.env");
    let recorded = record_pids(layout)?;
    let pids: Vec<String> =
        recorded.iter().filter(|pid| procs::in_netns(**pid, inode)).map(u32::to_string).collect();
    layout::write_kv(
        &layout.env_file,
        &[
            ("CHIA_RPC_SIM_NETNS", NETNS.to_owned()),
            ("CHIA_ROOT", layout.chia_root.display().to_string()),
            ("CHIA_RPC_CHIA_VERSION", version.to_owned()),
            ("CHIA_RPC_DAEMON_PORT", port::DAEMON.to_string()),
            ("CHIA_RPC_FULL_NODE_PORT", port::FULL_NODE_RPC.to_string()),
            ("CHIA_RPC_WALLET_PORT", port::WALLET_RPC.to_string()),
            ("CHIA_RPC_FARMER_PORT", port::FARMER_RPC.to_string()),
            ("CHIA_RPC_HARVESTER_PORT", port::HARVESTER_RPC.to_string()),
            ("CHIA_RPC_DATA_LAYER_PORT", port::DATA_LAYER_RPC.to_string()),
            ("CHIA_RPC_CRAWLER_ROOT", layout.crawler_root.display().to_string()),
            ("CHIA_RPC_CRAWLER_PORT", port::CRAWLER_RPC.to_string()),
            ("CHIA_RPC_WALLET_FINGERPRINT", fingerprint.to_string()),
            ("CHIA_RPC_WALLET_ADDRESS", address),
            ("CHIA_RPC_PIDS", pids.join(",")),
        ],
    )?;
    println!("wrote {}", layout.env_file.display());
    println!("PIDs: {}", pids.join(","));
    clock.summary("simulator up");
    Ok(())
}

/// Whether a JSON balance is a number (or numeric string) above zero; balances may exceed u64.
fn positive(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.as_f64().is_some_and(|v| v > 0.0),
        Value::String(text) => text.trim().parse::<u128>().is_ok_and(|v| v > 0),
        _ => false,
    }
}

/// An amount for humans; values beyond u64 arrive as floats and are shown rounded.
fn display_amount(value: &Value) -> String {
    match value {
        Value::Number(number) if number.is_f64() => {
            format!("about {:.0}", number.as_f64().unwrap_or_default())
        }
        other => other.to_string(),
    }
}

/// Writes a file only its owner can read.
fn write_secret(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|err| format!("cannot create {}: {err}", path.display()))?;
    writeln!(file, "{text}").map_err(|err| format!("cannot write {}: {err}", path.display()))
}

/// `chia start <groups>`, then records the new PIDs.
fn start(
    layout: &Layout,
    chia: &Path,
    env: &[(String, std::ffi::OsString)],
    groups: &[&str],
) -> Result<(), String> {
    Cmd::new(chia)
        .arg("start")
        .args(groups)
        .envs(env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(180))
        .log(&layout.logs.join("start.log"))
        .run()?;
    record_pids(layout).map(drop)
}

/// Records chia's PID files and the owners of every listening socket in the namespace (the
/// daemon has no PID file; it is found by its port). Everything in the namespace is ours.
fn record_pids(layout: &Layout) -> Result<BTreeSet<u32>, String> {
    let mut pids = procs::chia_pid_files(&layout.chia_root);
    for listener in procs::listeners() {
        pids.extend(listener.owners.iter().map(|(_, pid)| *pid));
    }
    procs::record(&layout.pids_file, pids)
}

/// Python (with the venv's PyYAML) script that pins every port and peer of the node's config.
const REWRITE_CONFIG: &str = r#"
import sys, yaml
path = sys.argv[1]
(daemon, node_rpc, node_p2p, wallet_rpc,
 farmer_rpc, farmer_p2p, harvester_rpc, dl_rpc) = map(int, sys.argv[2:10])
with open(path) as f:
    cfg = yaml.safe_load(f)
def local(port):
    return {"host": "localhost", "port": port}
cfg["daemon_port"] = daemon
cfg["ui"]["daemon_port"] = daemon
cfg["network_overrides"]["config"][cfg["selected_network"]]["default_full_node_port"] = node_p2p
cfg["full_node"].update(port=node_p2p, rpc_port=node_rpc)
cfg["wallet"].update(rpc_port=wallet_rpc, full_node_peers=[local(node_p2p)])
cfg["farmer"].update(port=farmer_p2p, rpc_port=farmer_rpc, full_node_peers=[local(node_p2p)])
cfg["harvester"].update(rpc_port=harvester_rpc, farmer_peers=[local(farmer_p2p)])
cfg["data_layer"].update(rpc_port=dl_rpc, wallet_peer=local(wallet_rpc))
cfg["timelord"].update(full_node_peers=[local(node_p2p)])
with open(path, "w") as f:
    yaml.safe_dump(cfg, f, sort_keys=False)
"#;

fn rewrite_config(
    layout: &Layout,
    python: &Path,
    env: &[(String, std::ffi::OsString)],
) -> Result<(), String> {
    let config = layout.chia_root.join("config").join("config.yaml");
    let ports = [
        port::DAEMON,
        port::FULL_NODE_RPC,
        port::FULL_NODE_P2P,
        port::WALLET_RPC,
        port::FARMER_RPC,
        port::FARMER_P2P,
        port::HARVESTER_RPC,
        port::DATA_LAYER_RPC,
    ];
    Cmd::new(python)
        .arg("-c")
        .hidden_arg(REWRITE_CONFIG, "<pin-ports script>")
        .arg(&config)
        .args(ports.map(|port| port.to_string()))
        .envs(env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(60))
        .run()
}

/// Python (with the venv's PyYAML) script that confines the crawler's root: the simulator's
/// network and constants, its own peer port, a database in its root, no daemon, and a single
/// peer to crawl, the local node.
const CRAWLER_CONFIG: &str = r#"
import sys, yaml
path, node_path, db = sys.argv[1:4]
p2p, node_p2p, rpc, daemon = map(int, sys.argv[4:8])
with open(node_path) as f:
    node = yaml.safe_load(f)
with open(path) as f:
    cfg = yaml.safe_load(f)
network = node["selected_network"]
overrides = node["network_overrides"]
cfg["selected_network"] = network
cfg["network_overrides"] = overrides
for section in cfg.values():
    if isinstance(section, dict) and "selected_network" in section:
        section["selected_network"] = network
        section["network_overrides"] = overrides
cfg["daemon_port"] = daemon
cfg["ui"]["daemon_port"] = daemon
cfg["seeder"].update(
    port=p2p,
    other_peers_port=node_p2p,
    crawler_db_path=db,
    bootstrap_peers=["127.0.0.1"],
    static_peers=[],
    minimum_height=0,
)
cfg["seeder"]["crawler"].update(start_rpc_server=True, rpc_port=rpc)
with open(path, "w") as f:
    yaml.safe_dump(cfg, f, sort_keys=False)
"#;

/// Creates the crawler's root (`chia init`), confines its config and starts `chia_crawler` in
/// the background; returns its PID. It is not under the daemon: `down` stops it by PID.
fn start_crawler(layout: &Layout, venv: &Path, python: &Path) -> Result<u32, String> {
    let env = layout.crawler_env(venv);
    let keys = layout.run.join("crawler-keys");
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&keys)
        .map_err(|err| format!("cannot create {}: {err}", keys.display()))?;
    Cmd::new(venv.join("bin").join("chia"))
        .arg("init")
        .envs(&env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(300))
        .log(&layout.logs.join("crawler-init.log"))
        .run()?;
    let config = layout.crawler_root.join("config").join("config.yaml");
    let node_config = layout.chia_root.join("config").join("config.yaml");
    let ports = [port::CRAWLER_P2P, port::FULL_NODE_P2P, port::CRAWLER_RPC, port::CRAWLER_DAEMON];
    Cmd::new(python)
        .arg("-c")
        .hidden_arg(CRAWLER_CONFIG, "<crawler config script>")
        .arg(&config)
        .arg(&node_config)
        .arg(layout.crawler_root.join("crawler.db"))
        .args(ports.map(|port| port.to_string()))
        .envs(&env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(60))
        .run()?;
    let pid = Cmd::new(venv.join("bin").join("chia_crawler"))
        .envs(&env)
        .current_dir(&layout.run)
        .in_netns()
        .log(&layout.crawler_output())
        .spawn_detached()?;
    fs::write(&layout.crawler_pid_file, format!("{pid}\n"))
        .map_err(|err| format!("cannot write {}: {err}", layout.crawler_pid_file.display()))?;
    procs::record(&layout.pids_file, [pid])?;
    println!("crawler: pid {pid}, output in {}", layout.crawler_output().display());
    Ok(pid)
}

/// Fails, quoting the crawler's output, once its process is gone.
fn crawler_alive(layout: &Layout, pid: u32) -> Result<(), String> {
    if procs::alive(pid) {
        Ok(())
    } else {
        Err(format!(
            "the crawler (pid {pid}) exited\n{}",
            shell::tail_of(&layout.crawler_output(), 20)
        ))
    }
}

/// The crawler's PID, if `up` recorded one.
fn crawler_pid(layout: &Layout) -> Option<u32> {
    procs::recorded(&layout.crawler_pid_file).into_iter().next()
}

/// What the escape checks of [`down`] found; `problems` is empty when nothing escaped.
pub struct Stopped {
    /// One report per failed check: a listener of ours in the host's namespace before the
    /// stop, or a process of ours left after it.
    pub problems: Vec<String>,
}

/// Stops what `up` started: the crawler (SIGTERM), `chia stop -d all`, then the recorded PIDs
/// still alive, then the namespace. Succeeds when nothing runs any more; the escape checks
/// (host listeners before, leftover processes after) are printed and returned, not failed on.
pub fn down(layout: &Layout) -> Result<Stopped, String> {
    let mut problems = Vec::new();
    if let Err(found) = escape::check_host(layout) {
        problems.push(found);
    }
    let stopped = stop(layout);
    if let Err(found) = escape::check_left(layout) {
        problems.push(found);
    }
    stopped.map(|()| Stopped { problems })
}

/// The stopping part of [`down`].
fn stop(layout: &Layout) -> Result<(), String> {
    let mut clock = Clock::start();
    let state = read_kv(&layout.state_file);
    let netns = procs::netns_exists();
    // Our namespace by name, and the one recorded at creation (it identifies the processes
    // even when the namespace was deleted behind our back).
    let inodes: Vec<u64> = lookup(&state, "NETNS_INODE")
        .and_then(|inode| inode.parse().ok())
        .into_iter()
        .chain(procs::netns_inode())
        .collect();

    let mut pids = procs::recorded(&layout.pids_file);
    pids.extend(procs::chia_pid_files(&layout.chia_root));
    let crawler = crawler_pid(layout);
    pids.extend(crawler);
    let env_entries = read_kv(&layout.env_file);
    if let Some(list) = lookup(&env_entries, "CHIA_RPC_PIDS") {
        pids.extend(list.split(',').filter_map(|pid| pid.trim().parse::<u32>().ok()));
    }
    if netns {
        for listener in procs::listeners() {
            pids.extend(listener.owners.iter().map(|(_, pid)| *pid));
        }
    }
    let ours = |pid: &u32| inodes.iter().any(|inode| procs::in_netns(*pid, *inode));
    let running: Vec<u32> = pids.iter().copied().filter(ours).collect();

    if !netns && running.is_empty() {
        remove_env_file(layout)?;
        println!("sim down: nothing is running");
        return Ok(());
    }

    // The crawler is not under the daemon: it gets its SIGTERM first, and SIGKILL if it is
    // still alive 10 s later (while `chia stop` stops the rest).
    let mut crawler_termed = None;
    if let Some(pid) = crawler.filter(|pid| running.contains(pid)) {
        clock.step("stopping the crawler");
        match procs::signal(pid, "TERM") {
            Ok(()) => crawler_termed = Some((pid, Instant::now())),
            Err(err) => println!("warning: {err}"),
        }
    }
    let crawler_killed = std::cell::Cell::new(false);
    let kill_slow_crawler = || {
        if let Some((pid, since)) = crawler_termed
            && !crawler_killed.get()
            && ours(&pid)
            && since.elapsed() >= Duration::from_secs(10)
        {
            crawler_killed.set(true);
            println!("crawler (pid {pid}) still alive 10s after SIGTERM: sending SIGKILL");
            if let Err(err) = procs::signal(pid, "KILL") {
                println!("warning: {err}");
            }
        }
    };

    clock.step("chia stop -d all");
    let venv = lookup(&state, "VENV").map(PathBuf::from);
    // Before the ports are pinned, the daemon listens on a random port: look for it by name.
    let daemon_listens = procs::listeners().iter().any(|listener| {
        listener.port == port::DAEMON
            || listener.owners.iter().any(|(name, _)| name == "chia_daemon")
    });
    match venv.filter(|venv| venv.join("bin").join("chia").exists()) {
        _ if !daemon_listens => println!("no chia daemon listens in {NETNS}; skipping"),
        Some(venv) if layout.chia_root.join("config").exists() => {
            let log = layout.logs.join("stop.log");
            let stopped = Cmd::new(venv.join("bin").join("chia"))
                .args(["stop", "-d", "all"])
                .envs(&layout.chia_env(&venv))
                .current_dir(&layout.run)
                .in_netns()
                .timeout(Duration::from_secs(90))
                .log(&log)
                .run();
            if let Err(err) = stopped {
                println!("warning: {err}");
            }
        }
        _ => println!("no chia installation or config recorded; skipping"),
    }

    clock.step("waiting for the recorded processes to exit");
    let deadline = Instant::now() + Duration::from_secs(30);
    let still = |pids: &[u32]| pids.iter().copied().filter(|pid| ours(pid)).collect::<Vec<_>>();
    while !still(&running).is_empty() && Instant::now() < deadline {
        kill_slow_crawler();
        std::thread::sleep(Duration::from_millis(250));
    }
    for (signal, grace) in [("TERM", 10), ("KILL", 5)] {
        let left = still(&running);
        if left.is_empty() {
            break;
        }
        for pid in &left {
            println!("pid {pid} ({}) still alive: sending SIG{signal}", procs::name(*pid));
            if let Err(err) = procs::signal(*pid, signal) {
                println!("warning: {err}");
            }
        }
        let deadline = Instant::now() + Duration::from_secs(grace);
        while !still(&running).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(250));
        }
    }
    let survivors = still(&running);

    clock.step(&format!("deleting network namespace {NETNS}"));
    let sockets = procs::listeners();
    println!("listening sockets left in {NETNS}: {}", sockets.len());
    for socket in &sockets {
        println!("  {} {:?}", socket.address, socket.owners);
    }
    let strays: Vec<u32> =
        procs::netns_pids().into_iter().filter(|pid| !running.contains(pid)).collect();
    for pid in &strays {
        println!(
            "warning: pid {pid} ({}) runs in {NETNS} but was not started by sim up",
            procs::name(*pid)
        );
    }
    procs::delete_netns()?;
    remove_env_file(layout)?;
    clock.summary("simulator down");
    if survivors.is_empty() {
        Ok(())
    } else {
        Err(format!("sim down: PIDs {survivors:?} survived SIGKILL"))
    }
}

fn remove_env_file(layout: &Layout) -> Result<(), String> {
    match fs::remove_file(&layout.env_file) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {err}", layout.env_file.display()))
        }
        _ => Ok(()),
    }
}

/// Prints what runs, the ports and each service's health.
pub fn status(layout: &Layout) -> Result<(), String> {
    println!("base directory: {}", layout.base.display());
    if !procs::netns_exists() {
        println!("network namespace {NETNS}: absent — the simulator is not running");
        return Ok(());
    }
    println!("network namespace {NETNS}: present");
    let env_entries = read_kv(&layout.env_file);
    if env_entries.is_empty() {
        println!("sim.env: absent (sim up has not finished)");
    } else {
        println!("sim.env: {}", layout.env_file.display());
        for key in [
            "CHIA_RPC_CHIA_VERSION",
            "CHIA_ROOT",
            "CHIA_RPC_CRAWLER_ROOT",
            "CHIA_RPC_WALLET_FINGERPRINT",
            "CHIA_RPC_PIDS",
        ] {
            println!("  {key}={}", lookup(&env_entries, key).unwrap_or("?"));
        }
    }
    println!("processes:");
    let crawler = crawler_pid(layout);
    for pid in procs::netns_pids() {
        let note = if crawler == Some(pid) { "  (crawler, not under the daemon)" } else { "" };
        println!("  {pid:>7}  {}{note}", procs::name(pid));
    }
    let listeners = procs::listeners();
    println!("services:");
    let daemon_up = listeners.iter().any(|l| l.port == port::DAEMON);
    println!(
        "  {:<22} {:>5}  {}",
        "daemon",
        port::DAEMON,
        if daemon_up { "listening" } else { "down" }
    );
    for service in SERVICES {
        let have_certs = layout.tls(service.root).ca.exists();
        let health = if !listeners.iter().any(|l| l.port == service.port) {
            "down".to_owned()
        } else if !have_certs {
            "listening (no certificates to check healthz)".to_owned()
        } else {
            match rpc::healthz(layout, service) {
                Ok(()) => "healthy".to_owned(),
                Err(err) => {
                    format!("listening, healthz failed: {}", err.lines().last().unwrap_or(""))
                }
            }
        };
        println!("  {:<22} {:>5}  {health}", service.name, service.port);
    }
    Ok(())
}
