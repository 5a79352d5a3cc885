//! Developer tasks of the chia-rpc workspace; run as `cargo xtask <task>`.

mod bench;
mod capture;
mod codegen;
mod docs_tools;
mod drift;
mod fuzz;
mod sim;
mod test_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen [--check]          regenerate bindings and docs from schema/ (--check: fail if stale)
  sim up [--chia-version V]|down|status
                             start, stop or inspect the local Chia simulator
  test [--no-live]           run every test, the live suite against a real simulator included
  capture [--chia-version V] re-record tests/fixtures/chia-<V>/ from a fresh simulator
  drift --chia <venv|version> [--json FILE] [--schema DIR]
                             compare schema/ with an installed chia-blockchain
  docs-tools                 install the validators, client generator and browser driver
                             the tests of docs/ run (cargo xtask test does it first)
  bench [--short]            chia-rpc beside a raw client against a local mutual-TLS server
  fuzz [--seconds N] [TARGET...]
                             run the cargo-fuzz targets from the captured replies (nightly)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen", rest @ ..] => codegen::run(rest),
        ["sim", rest @ ..] => sim::run(rest),
        ["test", rest @ ..] => test_cmd::run(rest),
        ["capture", rest @ ..] => capture::run(rest),
        ["drift", rest @ ..] => drift::run(rest),
        ["docs-tools", rest @ ..] => docs_tools::run(rest),
        ["bench", rest @ ..] => bench::run(rest),
        ["fuzz", rest @ ..] => fuzz::run(rest),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory). `cargo run` names the crate's
/// directory at run time; that wins over the one compiled in, so a binary built from another
/// checkout sharing the target directory still works on the checkout it is run from.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}
