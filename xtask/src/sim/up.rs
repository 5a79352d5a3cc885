//! `sim up`: a fresh run directory and namespace, the venv, a key, `chia dev sim create`, fixed
//! ports, the services one group at a time, the solver, the crawler, a funded wallet, and finally
//! `sim.env`.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::clock::Clock;
use super::config::rewrite_config;
use super::crawler::{crawler_alive, start_crawler};
use super::down::down;
use super::layout::{
    self, CRAWLER, DATA_LAYER, FARMER, FULL_NODE, HARVESTER, Layout, NETNS, SOLVER, WALLET, port,
};
use super::shell::{self, Cmd};
use super::{procs, rpc, venv};

/// Deadline of every wait for a service, unless `CHIA_RPC_SIM_WAIT_SECS` says otherwise.
const DEFAULT_WAIT_SECS: u64 = 120;

fn wait_limit() -> Duration {
    let secs =
        std::env::var("CHIA_RPC_SIM_WAIT_SECS").ok().and_then(|secs| secs.trim().parse().ok());
    Duration::from_secs(secs.unwrap_or(DEFAULT_WAIT_SECS))
}

/// Starts a fresh simulator and writes `sim.env`.
pub fn up(layout: &Layout, version: &str, python: &Path) -> Result<(), String> {
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

    clock.step("chia_solver (no service group starts it)");
    let solver = start_solver(layout, &venv)?;
    rpc::wait_healthy(layout, SOLVER, wait, || solver_alive(layout, solver))?;

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
            ("CHIA_RPC_SOLVER_PORT", port::SOLVER_RPC.to_string()),
            ("CHIA_RPC_SOLVER_PEER_PORT", port::SOLVER_P2P.to_string()),
            ("CHIA_RPC_CRAWLER_ROOT", layout.crawler_root.display().to_string()),
            ("CHIA_RPC_CRAWLER_PORT", port::CRAWLER_RPC.to_string()),
            ("CHIA_RPC_WALLET_FINGERPRINT", fingerprint.to_string()),
            ("CHIA_RPC_WALLET_ADDRESS", address),
            ("CHIA_RPC_PIDS", pids.join(",")),
            // Lets the live suite run `sim restart-daemon` without cargo.
            ("CHIA_RPC_XTASK", xtask_binary()),
        ],
    )?;
    println!("wrote {}", layout.env_file.display());
    println!("PIDs: {}", pids.join(","));
    println!(
        "reach it from inside the namespace, e.g.:\n  set -a; . {}; set +a\n  ip netns exec {NETNS} env CHIA_ROOT=\"$CHIA_ROOT\" cargo run -p chia-rpc --features cli -- call full_node get_blockchain_state",
        layout.env_file.display()
    );
    clock.summary("simulator up");
    Ok(())
}

/// Starts `chia_solver` in the background; returns its PID. `chia start` knows no group with
/// the solver, so the daemon does not start (or stop) it: `down` stops it by PID.
fn start_solver(layout: &Layout, venv: &Path) -> Result<u32, String> {
    let pid = Cmd::new(venv.join("bin").join("chia_solver"))
        .envs(&layout.chia_env(venv))
        .current_dir(&layout.run)
        .in_netns()
        .log(&layout.solver_output())
        .spawn_detached()?;
    fs::write(&layout.solver_pid_file, format!("{pid}\n"))
        .map_err(|err| format!("cannot write {}: {err}", layout.solver_pid_file.display()))?;
    procs::record(&layout.pids_file, [pid])?;
    println!("solver: pid {pid}, output in {}", layout.solver_output().display());
    Ok(pid)
}

/// Fails, quoting the solver's output, once its process is gone.
fn solver_alive(layout: &Layout, pid: u32) -> Result<(), String> {
    if procs::alive(pid) {
        Ok(())
    } else {
        Err(format!(
            "the solver (pid {pid}) exited\n{}",
            shell::tail_of(&layout.solver_output(), 20)
        ))
    }
}

/// This binary, which the live suite runs for `sim restart-daemon`.
fn xtask_binary() -> String {
    let path = std::env::current_exe().map(|path| path.display().to_string()).unwrap_or_default();
    // The workspace build may have relinked this binary in place since it started (features
    // unify differently there); the new one at the same path runs the same tasks.
    match path.strip_suffix(" (deleted)") {
        Some(rebuilt) => rebuilt.to_owned(),
        None => path,
    }
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
