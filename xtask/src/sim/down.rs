//! `sim down`: stops everything `up` started, deletes the namespace, and wires in the escape
//! checks (host listeners before the stop, leftover processes after it).

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::clock::Clock;
use super::crawler::crawler_pid;
use super::layout::{Layout, NETNS, lookup, port, read_kv};
use super::shell::Cmd;
use super::{escape, procs};

/// What the escape checks of [`down`] found; `problems` is empty when nothing escaped.
pub struct Stopped {
    /// One report per failed check: a listener of ours in the host's namespace before the
    /// stop, or a process of ours left after it.
    pub problems: Vec<String>,
}

/// Stops what `up` started: the crawler and the solver (SIGTERM), `chia stop -d all`, then the
/// recorded PIDs still alive, then the namespace. Succeeds when nothing runs any more; the escape checks
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
    // Neither is under the daemon, which only stops what it started.
    let standalone: Vec<(&str, u32)> =
        [("crawler", crawler_pid(layout)), ("solver", solver_pid(layout))]
            .into_iter()
            .filter_map(|(name, pid)| Some((name, pid?)))
            .collect();
    pids.extend(standalone.iter().map(|(_, pid)| *pid));
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

    // The crawler and the solver get their SIGTERM first, and SIGKILL if they are still alive
    // 10 s later (while `chia stop` stops the rest).
    let mut termed = Vec::new();
    for (name, pid) in standalone.iter().filter(|(_, pid)| running.contains(pid)) {
        clock.step(&format!("stopping the {name}"));
        match procs::signal(*pid, "TERM") {
            Ok(()) => termed.push((*name, *pid, Instant::now())),
            Err(err) => println!("warning: {err}"),
        }
    }
    let killed = std::cell::RefCell::new(Vec::new());
    let kill_slow_standalone = || {
        for (name, pid, since) in &termed {
            if !killed.borrow().contains(pid)
                && ours(pid)
                && since.elapsed() >= Duration::from_secs(10)
            {
                killed.borrow_mut().push(*pid);
                println!("{name} (pid {pid}) still alive 10s after SIGTERM: sending SIGKILL");
                if let Err(err) = procs::signal(*pid, "KILL") {
                    println!("warning: {err}");
                }
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
        kill_slow_standalone();
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

/// The solver's PID, if `up` recorded one.
pub fn solver_pid(layout: &Layout) -> Option<u32> {
    procs::recorded(&layout.solver_pid_file).into_iter().next()
}

fn remove_env_file(layout: &Layout) -> Result<(), String> {
    match fs::remove_file(&layout.env_file) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {err}", layout.env_file.display()))
        }
        _ => Ok(()),
    }
}
