//! Runs the scripts of `tests/docs/` with the tools `cargo xtask docs-tools` installed.

// Each test binary that includes this module uses only some of its helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Where a test leaves what it made (generated clients, screenshots): under the target
/// directory, never in the source tree.
pub fn out_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("published-docs").join(name)
}

/// The Python of the tools' venv (`CHIA_RPC_DOCS_VENV`, default `target/docs-tools/venv`).
pub fn python() -> PathBuf {
    let venv = std::env::var_os("CHIA_RPC_DOCS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/docs-tools/venv"));
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask docs-tools` (cargo xtask test does)",
        python.display()
    );
    python
}

/// Node.js, with the npm packages of `tests/docs/` installed.
pub fn node() -> PathBuf {
    let modules = root().join("tests/docs/node_modules");
    assert!(
        modules.join("playwright-core").exists(),
        "{} lacks the npm packages: run `cargo xtask docs-tools` (cargo xtask test does)",
        modules.display()
    );
    PathBuf::from("node")
}

/// Runs `program script args…` from `tests/docs/` with `envs`, prints its output, and fails
/// unless it exits 0 and closes with `N passed, 0 failed`; returns the output.
pub fn run_script(
    program: &Path,
    script: &str,
    args: &[&Path],
    envs: &[(String, String)],
) -> String {
    let docs = root().join("tests/docs");
    let output = Command::new(program)
        .arg(docs.join(script))
        .args(args)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .current_dir(&docs)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {} {script}: {err}", program.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(output.status.success(), "{script} failed ({}): {last}\n{stderr}", output.status);
    let counts: Vec<usize> = last.split([' ', ',']).filter_map(|word| word.parse().ok()).collect();
    assert!(
        last.ends_with(" failed") && counts.len() == 2 && counts[0] > 0 && counts[1] == 0,
        "{script} did not close with `N passed, 0 failed`: {last}"
    );
    stdout
}
