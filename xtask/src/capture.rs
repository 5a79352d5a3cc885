//! `cargo xtask capture [--chia-version V]`: re-records the fixtures of one chia-blockchain
//! version from a fresh simulator. The live test writes the replies itself when
//! `CHIA_RPC_CAPTURE_DIR` is set; this task builds it, runs it inside the simulator's namespace,
//! always stops the simulator, and reports which files changed.

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::sim::{self, Cmd, Layout, NETNS};
use crate::test_cmd::{Suite, cargo_path, finish};

const USAGE: &str = "\
usage: cargo xtask capture [--chia-version V]

  Starts a fresh simulator running chia-blockchain V (default: CHIA_RPC_CHIA_VERSION or the
  harness's default), runs the live test inside its network namespace with
  CHIA_RPC_CAPTURE_DIR=tests/fixtures/chia-<V>, so that it records every reply there, stops the
  simulator, and prints how many fixture files changed.
";

/// Runs `cargo xtask capture …`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let version = match args {
        [] => sim::chia_version_from_env(),
        ["--chia-version", version] if !version.trim().is_empty() => version.trim().to_owned(),
        _ => return Err(USAGE.to_owned()),
    };
    let cargo = cargo_path()?;
    let root = crate::workspace_root();
    let dir = root.join("tests").join("fixtures").join(format!("chia-{version}"));

    println!("== building the live test");
    Cmd::new(&cargo)
        .args(["build", "-p", "chia-rpc-tests", "--all-features", "--tests"])
        .current_dir(&root)
        .run()?;

    fs::create_dir_all(&dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    let before = snapshot(&dir)?;

    let layout = Layout::from_env()?;
    println!("\n== starting the simulator (chia-blockchain {version})");
    let (status, problems) = sim::with_simulator(&layout, &version, || {
        println!("\n== capturing into {} inside network namespace {NETNS}", dir.display());
        Cmd::new(&cargo)
            .args(["test", "-p", "chia-rpc-tests", "--all-features", "--test", "live"])
            .args(["--", "--include-ignored", "--nocapture"])
            .env("CHIA_RPC_LIVE_ENV", &layout.env_file)
            .env("CHIA_RPC_CAPTURE_DIR", &dir)
            .current_dir(&root)
            .in_netns()
            .status()
    })
    .map_err(|err| {
        format!("\n*** NOTHING CAPTURED: the simulator did not start cleanly ***\n{err}")
    })?;

    let after = snapshot(&dir)?;
    report(&dir, &before, &after);
    finish(status?.code(), &problems, Suite::Whole)
}

/// Size and content hash of every file under `dir`, by path relative to it.
type Snapshot = BTreeMap<PathBuf, (u64, u64)>;

fn snapshot(dir: &Path) -> Result<Snapshot, String> {
    let mut files = Snapshot::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current)
            .map_err(|err| format!("cannot list {}: {err}", current.display()))?;
        for entry in entries {
            let path =
                entry.map_err(|err| format!("cannot list {}: {err}", current.display()))?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let bytes =
                fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            let mut hasher = DefaultHasher::new();
            bytes.hash(&mut hasher);
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_owned();
            files.insert(relative, (bytes.len() as u64, hasher.finish()));
        }
    }
    Ok(files)
}

/// Prints the new, changed and vanished files, and how many stayed the same.
fn report(dir: &Path, before: &Snapshot, after: &Snapshot) {
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = 0usize;
    for (path, file) in after {
        match before.get(path) {
            None => added.push(path),
            Some(old) if old != file => changed.push(path),
            Some(_) => unchanged += 1,
        }
    }
    let removed: Vec<&PathBuf> = before.keys().filter(|path| !after.contains_key(*path)).collect();
    println!(
        "\ncapture: {} file(s) changed under {} ({} new, {} modified, {} gone, {} unchanged)",
        added.len() + changed.len() + removed.len(),
        dir.display(),
        added.len(),
        changed.len(),
        removed.len(),
        unchanged
    );
    for (mark, paths) in [("new", &added), ("modified", &changed), ("gone", &removed)] {
        for path in paths {
            println!("  {mark:<8} {}", path.display());
        }
    }
}
