//! `cargo xtask test [--no-live] [-- <cargo test args>]`: builds everything, starts the
//! simulator, runs the whole test suite inside its network namespace, and always stops it again;
//! fails when the simulator listened outside its namespace or left a process behind.

use std::path::PathBuf;

use crate::sim::{self, Cmd, Layout, NETNS};

const USAGE: &str = "\
usage: cargo xtask test [--no-live] [-- <extra cargo test arguments>]

  Builds the workspace, starts the simulator (`cargo xtask sim up`), runs
  `cargo test --workspace --all-features -- --include-ignored` inside its network
  namespace with CHIA_RPC_LIVE_ENV pointing at sim.env, then stops the simulator
  (also when the tests fail). Fails as well when, right after the start or right
  before the stop, a socket of the simulator listens in the host's namespace, or
  when a process of it is left after the stop.
  --no-live   skip the simulator; plain `cargo test` with CHIA_RPC_NO_LIVE=1
";

/// Runs `cargo xtask test …`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let (ours, extra) = match args.iter().position(|arg| *arg == "--") {
        Some(split) => (&args[..split], &args[split + 1..]),
        None => (args, &[][..]),
    };
    let live = match ours {
        [] => true,
        ["--no-live"] => false,
        _ => return Err(USAGE.to_owned()),
    };
    let cargo = cargo_path()?;
    let root = crate::workspace_root();

    println!("== building the workspace");
    Cmd::new(&cargo)
        .args(["build", "--workspace", "--all-targets", "--all-features"])
        .current_dir(&root)
        .run()?;
    checks(&cargo, &root)?;
    // The tests of the published documents run tools from PyPI and npm; fetch them while the
    // network is there (the live tests run inside a namespace without it).
    crate::docs_tools::ensure(&root)?;

    // Every test binary runs, so one failure does not hide the others (the live suite included).
    let test = Cmd::new(&cargo)
        .args(["test", "--workspace", "--all-features", "--no-fail-fast"])
        .args(extra)
        .current_dir(&root);
    if !live {
        println!("\n== running the tests without a live node");
        let status = test.env("CHIA_RPC_NO_LIVE", "1").status()?;
        return finish(status.code(), &[], Suite::WithoutLive);
    }
    // The live tests are `#[ignore]`d so that a plain `cargo test` skips them; run them here.
    let test = if extra.contains(&"--") { test } else { test.arg("--") }.arg("--include-ignored");

    let layout = Layout::from_env()?;
    // The live suite writes its per-service summary here; libtest hides a passing test's output.
    let summary = layout.base.join("live-summary.txt");
    let _ = std::fs::remove_file(&summary);
    println!("\n== starting the simulator");
    let (status, problems) = sim::with_simulator(&layout, &sim::chia_version_from_env(), || {
        println!("\n== running the tests inside network namespace {NETNS}");
        test.env("CHIA_RPC_LIVE_ENV", &layout.env_file)
            .env("CHIA_RPC_LIVE_SUMMARY", &summary)
            .in_netns()
            .status()
    })
    .map_err(|err| {
        format!("\n*** LIVE TESTS NOT RUN: the simulator did not start cleanly ***\n{err}")
    })?;
    match std::fs::read_to_string(&summary) {
        Ok(text) => println!("\n== live suite summary\n{}", text.trim_end()),
        Err(_) => println!("\n== the live suite wrote no summary (it did not finish)"),
    }
    finish(status?.code(), &problems, Suite::Whole)
}

/// What must hold besides the tests: formatting, clippy and rustdoc without warnings, and the
/// crate building with no service feature at all.
fn checks(cargo: &std::path::Path, root: &std::path::Path) -> Result<(), String> {
    println!("\n== checks: rustfmt, clippy, rustdoc, chia-rpc without default features");
    let cargo_step = |args: &[&str]| Cmd::new(cargo).args(args.iter().copied()).current_dir(root);
    cargo_step(&["fmt", "--all", "--check"]).run()?;
    cargo_step(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ])
    .run()?;
    cargo_step(&["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .run()?;
    cargo_step(&["clippy", "-p", "chia-rpc", "--no-default-features", "--", "-D", "warnings"])
        .run()?;
    Ok(())
}

/// Which tests ran.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// Everything, the live suite included.
    Whole,
    /// Everything but the live suite (`--no-live`).
    WithoutLive,
}

/// Exits with the tests' own status when they failed; fails when only the simulator's stop or
/// its escape checks did.
pub fn finish(code: Option<i32>, problems: &[String], suite: Suite) -> Result<(), String> {
    let problems = problems.join("\n");
    match code {
        Some(0) if problems.is_empty() && suite == Suite::Whole => {
            println!("\nall tests passed, the live suite included");
            Ok(())
        }
        Some(0) if problems.is_empty() => {
            println!(
                "\nthe tests passed, but the live suite was SKIPPED (--no-live): it shows as \
                 ignored above. Run `cargo xtask test` to run it against a real simulator."
            );
            Ok(())
        }
        Some(0) => {
            Err(format!("\ntests passed, but the simulator did not stay contained:\n{problems}"))
        }
        Some(code) => {
            if !problems.is_empty() {
                eprintln!("\nthe simulator did not stay contained either:\n{problems}");
            }
            eprintln!("\ntests FAILED (exit status {code})");
            std::process::exit(code)
        }
        None => Err(format!("cargo test was killed by a signal\n{problems}")),
    }
}

/// The cargo that runs this task (`CARGO`), else the one on `PATH`.
pub fn cargo_path() -> Result<PathBuf, String> {
    if let Some(cargo) = std::env::var_os("CARGO").filter(|cargo| !cargo.is_empty()) {
        return Ok(PathBuf::from(cargo));
    }
    sim::which("cargo").ok_or_else(|| "cannot find cargo (set CARGO or put it on PATH)".to_owned())
}
