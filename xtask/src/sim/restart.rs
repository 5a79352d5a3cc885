//! `sim restart-daemon`: kills the simulator's daemon and starts a new one. The services keep
//! running and register with the new daemon on their own within seconds; the live suite uses
//! this to prove that a client reconnects, registers again and receives pushes again.

use std::time::Duration;

use super::layout::{Layout, lookup, port, read_kv};
use super::shell::Cmd;
use super::{procs, rpc};

/// Replaces the running daemon with a fresh one.
pub fn restart_daemon(layout: &Layout) -> Result<(), String> {
    let state = read_kv(&layout.state_file);
    let venv = lookup(&state, "VENV").ok_or("no simulator runs here (run `cargo xtask sim up`)")?;
    let inode: u64 = lookup(&state, "NETNS_INODE")
        .and_then(|inode| inode.parse().ok())
        .ok_or("the harness state names no network namespace")?;
    let old = daemon_pids();
    if old.is_empty() {
        return Err(format!("no daemon listens on port {} in the namespace", port::DAEMON));
    }
    for &pid in &old {
        // Only a process of the harness's own namespace is ever signalled.
        if !procs::in_netns(pid, inode) {
            return Err(format!("process {pid} on the daemon's port is not in our namespace"));
        }
        procs::signal(pid, "KILL")?;
    }
    let wait = Duration::from_secs(60);
    let log = layout.debug_log();
    rpc::wait_for(&log, "the old daemon to let go of its port", wait, || {
        Ok(daemon_pids().is_empty().then_some(()))
    })?;
    let venv = std::path::PathBuf::from(venv);
    Cmd::new(venv.join("bin").join("chia"))
        .args(["start", "daemon"])
        .envs(&layout.chia_env(&venv))
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(120))
        .log(&layout.logs.join("restart-daemon.log"))
        .run()?;
    let new = rpc::wait_for(&log, "the new daemon to listen", wait, || {
        let pids = daemon_pids();
        Ok((!pids.is_empty()).then_some(pids))
    })?;
    procs::record(&layout.pids_file, new.iter().copied())?;
    println!("daemon restarted: {old:?} -> {new:?}");
    Ok(())
}

/// The processes listening on the daemon's port in the namespace.
fn daemon_pids() -> Vec<u32> {
    procs::listeners()
        .into_iter()
        .filter(|listener| listener.port == port::DAEMON)
        .flat_map(|listener| listener.owners.into_iter().map(|(_, pid)| pid))
        .collect()
}
