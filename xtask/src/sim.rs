//! `cargo xtask sim up|down|status`: a real Chia simulator (full node, wallet, farmer, harvester,
//! data layer, and a crawler in a root of its own) on fixed ports, inside a network namespace
//! that only has a loopback interface.
//!
//! `up` writes `<base>/sim.env`, the file the live tests read (`CHIA_RPC_LIVE_ENV`). `down`
//! ends by proving that nothing escaped: no socket of ours in the host's namespace, no process
//! of ours left (see [`escape`]).

mod clock;
mod config;
mod crawler;
mod down;
pub mod escape;
mod layout;
mod prereq;
mod procs;
mod restart;
mod rpc;
mod shell;
mod status;
mod up;
mod venv;

pub use down::down;
pub use layout::{Layout, NETNS};
pub use shell::{Cmd, which};
pub use status::status;
pub use venv::find_python;

use prereq::check_prerequisites;
use up::up;

const USAGE: &str = "\
usage: cargo xtask sim <command>

commands:
  up [--chia-version V]   start a fresh simulator (stops a previous one first) and write sim.env
  down                    stop everything `up` started, delete the network namespace, and
                          check that nothing listens outside it and no process is left
  status                  show what runs, its ports and the health of each service
  restart-daemon          kill the daemon and start a new one; the services stay up and
                          register with it again (the live suite's reconnect test uses it)

environment:
  CHIA_RPC_SIM_DIR        base directory (default: <workspace>/.sim)
  CHIA_RPC_CHIA_VERSION   chia-blockchain version (default: 2.7.5)
  CHIA_RPC_SIM_WAIT_SECS  deadline of each wait for a service (default: 120)
";

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
        ["restart-daemon"] => restart::restart_daemon(&layout),
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
