//! `cargo xtask docs-tools`: installs what the tests of the published documents run — the
//! Python validators and client generator of `tests/docs/requirements.txt` into a venv under
//! `target/docs-tools/`, and the npm packages of `tests/docs/package-lock.json` (the AsyncAPI
//! parser, a Chromium driver) into `tests/docs/node_modules/` — and checks that Debian's
//! Chromium is there. `cargo xtask test` runs it before the tests, which may run where there
//! is no network. Each step is skipped when its lock file has not changed since it last ran.

use std::path::{Path, PathBuf};

use crate::sim::{self, Cmd};

/// The Chromium the browser test drives (Debian's `chromium` package).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs `cargo xtask docs-tools`.
pub fn run(args: &[&str]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("usage: cargo xtask docs-tools".to_owned());
    }
    ensure(&crate::workspace_root())
}

/// The venv of the Python tools (`CHIA_RPC_DOCS_VENV`, default `target/docs-tools/venv`).
pub fn venv(root: &Path) -> PathBuf {
    std::env::var_os("CHIA_RPC_DOCS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/docs-tools/venv"))
}

/// Installs whatever is missing or stale.
pub fn ensure(root: &Path) -> Result<(), String> {
    println!("== documentation tools");
    let docs = root.join("tests/docs");
    let venv = venv(root);
    let requirements = read(&docs.join("requirements.txt"))?;
    let stamp = venv.join("chia-rpc-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(requirements.as_str()) {
        let python = sim::find_python()?;
        Cmd::new(&python).arg("-m").arg("venv").arg("--clear").arg(&venv).run()?;
        Cmd::new(venv.join("bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(docs.join("requirements.txt"))
            .run()?;
        write(&stamp, &requirements)?;
    } else {
        println!("python tools: up to date in {}", venv.display());
    }

    let lock = read(&docs.join("package-lock.json"))?;
    let stamp = docs.join("node_modules/chia-rpc-package-lock.json");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
        let npm = sim::which("npm")
            .ok_or("`npm` is missing (Debian: apt-get install nodejs npm; .ci/run does)")?;
        Cmd::new(npm)
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&docs)
            .run()?;
        write(&stamp, &lock)?;
    } else {
        println!("node tools: up to date in {}", docs.join("node_modules").display());
    }

    if !Path::new(CHROMIUM).exists() {
        return Err(format!(
            "{CHROMIUM} is missing (Debian: apt-get install chromium; .ci/run does)"
        ));
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}
