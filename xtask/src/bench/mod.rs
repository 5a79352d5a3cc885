//! `cargo xtask bench [--short]`: the end-to-end bench of chia-rpc beside a raw hyper + rustls
//! client against a local mutual-TLS server (`chia-rpc/benches/wire/`), built in release mode.
//! `--short` runs each case briefly with a 5 MB large reply, to check that the bench works.

use std::process::Command;

use crate::test_cmd::cargo_path;

/// Runs the task with the arguments after `bench`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let short = match args {
        [] => false,
        ["--short"] => true,
        _ => return Err("usage: cargo xtask bench [--short]".to_owned()),
    };
    let mut command = Command::new(cargo_path()?);
    command.current_dir(crate::workspace_root()).args([
        "bench",
        "--package",
        "chia-rpc",
        "--bench",
        "wire",
        "--",
    ]);
    if short {
        command.arg("--short");
    }
    let status = command.status().map_err(|err| format!("cannot run cargo: {err}"))?;
    if status.success() { Ok(()) } else { Err(format!("the bench failed ({status})")) }
}
