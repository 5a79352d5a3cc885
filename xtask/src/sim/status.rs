//! `sim status`: what runs in the namespace, the ports, and the health of each service.

use super::crawler::crawler_pid;
use super::down::solver_pid;
use super::layout::{Layout, NETNS, SERVICES, lookup, port, read_kv};
use super::{procs, rpc};

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
    let (crawler, solver) = (crawler_pid(layout), solver_pid(layout));
    for pid in procs::netns_pids() {
        let note = if crawler == Some(pid) {
            "  (crawler, not under the daemon)"
        } else if solver == Some(pid) {
            "  (solver, not under the daemon)"
        } else {
            ""
        };
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
