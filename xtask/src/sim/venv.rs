//! The Python side: finding an interpreter that can make virtual environments, and the cached
//! venv holding one version of chia-blockchain.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::layout::Layout;
use super::shell::{Cmd, which};

/// Interpreters tried in order; the first one of version 3.10 or newer with `venv` wins.
const CANDIDATES: [&str; 2] = ["python3.11", "python3"];

/// Prints the interpreter's version and fails unless `venv` and `ensurepip` import.
const PROBE: &str = "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2]); \
                     print(sys.executable)";

/// Finds a Python interpreter able to create the venv; returns its real path.
pub fn find_python() -> Result<PathBuf, String> {
    let mut notes = Vec::new();
    for name in CANDIDATES {
        let Some(path) = which(name) else {
            notes.push(format!("{name}: not found"));
            continue;
        };
        match Cmd::new(&path).args(["-c", PROBE]).quiet().output() {
            Ok(text) => {
                let mut lines = text.lines();
                let version = lines.next().unwrap_or_default().trim().to_owned();
                let executable = lines.next().unwrap_or_default().trim().to_owned();
                let parsed: Vec<u32> = version.split('.').filter_map(|n| n.parse().ok()).collect();
                if parsed.as_slice() >= [3, 10].as_slice() && !executable.is_empty() {
                    return Ok(PathBuf::from(executable));
                }
                notes.push(format!("{name}: version {version} is older than 3.10"));
            }
            Err(_) => notes.push(format!("{name}: cannot import venv/ensurepip")),
        }
    }
    Err(format!(
        "Python >= 3.10 with the venv module \
         (Debian/Ubuntu: apt-get install python3 python3-venv) [{}]",
        notes.join("; ")
    ))
}

/// Returns the venv for `version`, reusing the cached one when its `chia version` matches and
/// creating it (with pip, from the package index) otherwise.
pub fn ensure(layout: &Layout, version: &str, python: &Path) -> Result<PathBuf, String> {
    let venv = layout.venv(version);
    let chia = venv.join("bin").join("chia");
    if chia.exists() {
        match installed_version(layout, &venv) {
            Ok(found) if found == version => {
                println!("reusing {} (chia {found})", venv.display());
                return Ok(venv);
            }
            Ok(found) => {
                println!("{} holds chia {found}, not {version}: rebuilding", venv.display())
            }
            Err(err) => println!("{} is unusable ({err}): rebuilding", venv.display()),
        }
    }
    if venv.exists() {
        fs::remove_dir_all(&venv)
            .map_err(|err| format!("cannot remove {}: {err}", venv.display()))?;
    }
    let result = create(&venv, version, python).and_then(|()| installed_version(layout, &venv));
    match result {
        Ok(found) if found == version => Ok(venv),
        other => {
            // Leave no half-built venv behind to be mistaken for a cache.
            let _ = fs::remove_dir_all(&venv);
            match other {
                Ok(found) => Err(format!("pip installed chia {found}, expected {version}")),
                Err(err) => Err(err),
            }
        }
    }
}

fn create(venv: &Path, version: &str, python: &Path) -> Result<(), String> {
    Cmd::new(python).args(["-m", "venv"]).arg(venv).timeout(Duration::from_secs(300)).run()?;
    Cmd::new(venv.join("bin").join("python"))
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("chia-blockchain=={version}"))
        .timeout(Duration::from_secs(1800))
        .run()
}

/// `chia version`, run inside the namespace like every chia command.
fn installed_version(layout: &Layout, venv: &Path) -> Result<String, String> {
    let out = Cmd::new(venv.join("bin").join("chia"))
        .arg("version")
        .envs(&layout.chia_env(venv))
        .in_netns()
        .timeout(Duration::from_secs(120))
        .output()?;
    Ok(out.trim().to_owned())
}
