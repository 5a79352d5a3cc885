//! Evidence that the simulator stayed inside its namespace and left nothing behind: no socket
//! of ours listens in the host's namespace, and after `sim down` no process of ours is left.
//!
//! A process is "ours" when it still lives in the harness's namespace, when its working
//! directory, executable or command line lies under the run directory or the venv (every chia
//! command starts in the run directory, and the daemon's services inherit it), or when `sim up`
//! recorded its PID and start time (a PID alone could have been recycled).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::layout::{Layout, lookup, read_kv};
use super::procs;

/// What identifies the processes of one harness directory.
pub struct Ours {
    /// Directories whose contents are ours, with a label for messages; each in the spelling
    /// the harness uses and in its canonical one.
    dirs: Vec<(&'static str, PathBuf)>,
    /// PIDs recorded by `sim up`, with their start times.
    recorded: BTreeMap<u32, Option<u64>>,
    /// Identities of the harness's namespace (the recorded one, and the current one).
    inodes: Vec<u64>,
}

impl Ours {
    /// Reads what `sim up` recorded in the run directory.
    pub fn of(layout: &Layout) -> Self {
        let state = read_kv(&layout.state_file);
        let venv = lookup(&state, "VENV")
            .map_or_else(|| layout.venv(&super::chia_version_from_env()), PathBuf::from);
        let mut dirs = Vec::new();
        for (label, dir) in [("run directory", layout.run.clone()), ("venv", venv)] {
            if let Ok(canonical) = fs::canonicalize(&dir)
                && canonical != dir
            {
                dirs.push((label, canonical));
            }
            dirs.push((label, dir));
        }
        // Every PID of sim.env and of the crawler's PID file is in the record file too.
        let recorded = procs::identities(&layout.pids_file);
        let inodes = lookup(&state, "NETNS_INODE")
            .and_then(|inode| inode.parse().ok())
            .into_iter()
            .chain(procs::netns_inode())
            .collect();
        Self { dirs, recorded, inodes }
    }

    /// Why a live process is ours, or `None` when nothing ties it to the harness.
    fn claim(&self, pid: u32) -> Option<String> {
        if pid == std::process::id() || !procs::alive(pid) {
            return None;
        }
        if self.inodes.iter().any(|inode| procs::in_netns(pid, *inode)) {
            return Some("lives in the simulator's network namespace".to_owned());
        }
        for (link, what) in [("cwd", "working directory"), ("exe", "executable")] {
            if let Some(path) = procs::proc_link(pid, link)
                && let Some((label, _)) = self.dirs.iter().find(|(_, dir)| path.starts_with(dir))
            {
                return Some(format!("{what} {} is under the {label}", path.display()));
            }
        }
        let args = procs::cmdline(pid);
        for (label, dir) in &self.dirs {
            if args.iter().any(|arg| mentions(arg, dir)) {
                return Some(format!("command line names the {label}"));
            }
        }
        if procs::is_recorded_process(&self.recorded, pid) {
            return Some("recorded by sim up (same PID and start time)".to_owned());
        }
        None
    }
}

/// Whether a command-line argument names a path under `dir` (`/dir`, `/dir/x`, `--a=/dir/x`).
fn mentions(arg: &str, dir: &Path) -> bool {
    let dir = dir.to_string_lossy();
    let dir = dir.trim_end_matches('/');
    !dir.is_empty()
        && arg.match_indices(dir).any(|(at, _)| {
            let next = arg[at + dir.len()..].chars().next();
            next.is_none_or(|c| c == '/')
        })
}

/// A short description of a process for reports.
fn describe(pid: u32) -> String {
    let mut args = procs::cmdline(pid).join(" ");
    if args.len() > 160 {
        let cut = (0..=160).rev().find(|at| args.is_char_boundary(*at)).unwrap_or(0);
        args.truncate(cut);
        args.push('…');
    }
    format!("pid {pid} ({}) `{args}`", procs::name(pid))
}

/// Lists the host namespace's listening sockets and fails, naming them, if any belongs to a
/// process of ours. Prints one line either way.
pub fn check_host(layout: &Layout) -> Result<(), String> {
    let ours = Ours::of(layout);
    let listeners = procs::host_listeners()
        .map_err(|err| format!("host namespace: cannot list the listening sockets: {err}"))?;
    let mut found = Vec::new();
    for listener in &listeners {
        for (_, pid) in &listener.owners {
            if let Some(why) = ours.claim(*pid) {
                found.push(format!(
                    "{} {} held by {}: {why}",
                    listener.protocol,
                    listener.address,
                    describe(*pid)
                ));
            }
        }
    }
    let clean = format!(
        "host namespace: no listener of the simulator ({} listeners checked)",
        listeners.len()
    );
    verdict(&found, &clean, "host namespace: {} LISTENER(S) OF THE SIMULATOR OUTSIDE ITS NAMESPACE")
}

/// Prints `clean` when nothing was found, else the heading (`{}` = how many) and the findings,
/// which also become the error.
fn verdict(found: &[String], clean: &str, heading: &str) -> Result<(), String> {
    if found.is_empty() {
        println!("{clean}");
        return Ok(());
    }
    let report =
        format!("{}:\n  {}", heading.replace("{}", &found.len().to_string()), found.join("\n  "));
    println!("{report}");
    Err(report)
}

/// Looks at every process on the machine and fails, naming them, if any of ours is left.
/// Prints one line either way.
pub fn check_left(layout: &Layout) -> Result<(), String> {
    let ours = Ours::of(layout);
    let found: Vec<String> = procs::all_pids()
        .into_iter()
        .filter_map(|pid| ours.claim(pid).map(|why| format!("{}: {why}", describe(pid))))
        .collect();
    verdict(
        &found,
        "after stop: no simulator process left",
        "after stop: {} SIMULATOR PROCESS(ES) LEFT",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_path_components() {
        let dir = Path::new("/x/run");
        assert!(mentions("/x/run", dir));
        assert!(mentions("/x/run/sim/main", dir));
        assert!(mentions("--root=/x/run/a", dir));
        assert!(!mentions("/x/running", dir));
        assert!(!mentions("/y/x", dir));
        assert!(!mentions("anything", Path::new("/")));
    }
}
