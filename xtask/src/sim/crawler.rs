//! The crawler, which runs in a root of its own and not under the daemon: setting up that
//! root, starting it, and finding its PID again.

use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::time::Duration;

use super::layout::{Layout, port};
use super::procs;
use super::shell::{self, Cmd};

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
pub fn start_crawler(layout: &Layout, venv: &Path, python: &Path) -> Result<u32, String> {
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
pub fn crawler_alive(layout: &Layout, pid: u32) -> Result<(), String> {
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
pub fn crawler_pid(layout: &Layout) -> Option<u32> {
    procs::recorded(&layout.crawler_pid_file).into_iter().next()
}
