//! `cargo xtask fuzz [--seconds N] [TARGET…]`: the cargo-fuzz targets of `fuzz/`, each run for
//! a while from the captured replies. CI runs it briefly; longer runs are recorded in
//! `fuzz/README.md`.
//!
//! Needs the nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
//! `cargo install cargo-fuzz`). The targets are built optimised with overflow checks and debug
//! assertions (the `release` profile of `fuzz/Cargo.toml`), without a sanitizer: chia-rpc has
//! no `unsafe`, so what fuzzing looks for is a panic or runaway memory.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::test_cmd::cargo_path;

/// Every target of `fuzz/Cargo.toml`.
const TARGETS: &[&str] =
    &["reply_full_node", "reply_wallet", "reply_services", "reply_daemon", "daemon_event"];

/// libFuzzer's limits: inputs up to 16 KB, no single allocation over 512 MB, at most 2 GB held.
const LIMITS: &[&str] =
    &["-max_len=16384", "-rss_limit_mb=2048", "-malloc_limit_mb=512", "-timeout=10"];

/// Runs the task with the arguments after `fuzz`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let usage = || "usage: cargo xtask fuzz [--seconds N] [TARGET...]".to_owned();
    let mut seconds = 30u64;
    let mut targets = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--seconds" => {
                seconds = rest.next().and_then(|n| n.parse().ok()).ok_or_else(usage)?;
            }
            name if TARGETS.contains(&name) => targets.push(name),
            _ => return Err(usage()),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    let root = crate::workspace_root();
    let work = root.join("target/fuzz");
    let corpus = work.join("seeds");
    write_seeds(&root, &corpus)?;
    build(&root, &work)?;
    let artifacts = work.join("artifacts");
    std::fs::create_dir_all(&artifacts).map_err(|err| format!("{}: {err}", artifacts.display()))?;
    let mut failed = Vec::new();
    for target in targets {
        let binary = binary(&work, target)?;
        // libFuzzer adds what it finds to the first directory: keep the seeds as they are.
        let found = work.join("found").join(target);
        std::fs::create_dir_all(&found).map_err(|err| format!("{}: {err}", found.display()))?;
        let output = Command::new(&binary)
            .arg(&found)
            .arg(corpus.join(target))
            .args(LIMITS)
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .current_dir(&work)
            .output()
            .map_err(|err| format!("cannot run {}: {err}", binary.display()))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let done = log.lines().rev().find(|line| line.starts_with("Done ")).unwrap_or("");
        if output.status.success() {
            println!("fuzz {target}: {done}");
        } else {
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            eprintln!("fuzz {target}: FAILED ({})\n{}", output.status, tail.join("\n"));
            failed.push(target);
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(format!("fuzz targets failed: {failed:?}")) }
}

/// Writes every target's seeds (the captured replies) through the stable replay test.
fn write_seeds(root: &Path, corpus: &Path) -> Result<(), String> {
    let status = Command::new(cargo_path()?)
        .current_dir(root)
        .env("CHIA_RPC_FUZZ_CORPUS", corpus)
        .args(["test", "--quiet", "--package", "chia-rpc-tests", "--test", "fuzz_replay"])
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if status.success() { Ok(()) } else { Err(format!("writing the seeds failed ({status})")) }
}

/// Builds every target with the nightly toolchain.
fn build(root: &Path, work: &Path) -> Result<(), String> {
    let status = Command::new("rustup")
        .current_dir(root.join("fuzz"))
        // The toolchain of the outer `cargo xtask` must not leak into the nightly build.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("CARGO_TARGET_DIR")
        .args(["run", "nightly", "cargo", "fuzz", "build", "-O", "-s", "none", "--target-dir"])
        .arg(work.join("build"))
        .status()
        .map_err(|err| format!("cannot run rustup (the fuzz targets need nightly): {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "building the fuzz targets failed ({status}); they need the nightly toolchain and \
             cargo-fuzz: rustup toolchain install nightly; cargo install cargo-fuzz"
        ))
    }
}

/// Where cargo-fuzz put `target`'s binary (under the host's target triple).
fn binary(work: &Path, target: &str) -> Result<PathBuf, String> {
    let build = work.join("build");
    let entries = std::fs::read_dir(&build).map_err(|err| format!("{}: {err}", build.display()))?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("release").join(target))
        .find(|path| path.is_file())
        .ok_or_else(|| format!("no binary of {target} under {}", build.display()))
}
