//! What `sim up` needs before it touches anything: root, the network tools, and a Python that
//! can build the venv.

use std::fs;
use std::path::PathBuf;

use super::shell::which;
use super::venv;

/// What the run needs before anything is touched; returns the Python that builds the venv.
pub fn check_prerequisites() -> Result<PathBuf, String> {
    println!("checking prerequisites: root, ip, ss, curl, python3 >= 3.10 with venv");
    let mut missing = Vec::new();
    if effective_uid() != Some(0) {
        missing.push("root privileges (network namespaces need them; run as root)".to_owned());
    }
    for (program, package) in [("ip", "iproute2"), ("ss", "iproute2"), ("curl", "curl")] {
        if which(program).is_none() {
            missing.push(format!("`{program}` (package {package})"));
        }
    }
    let python = venv::find_python();
    if let Err(err) = &python {
        missing.push(err.clone());
    }
    match python {
        Ok(python) if missing.is_empty() => Ok(python),
        _ => Err(format!("missing prerequisites:\n  - {}", missing.join("\n  - "))),
    }
}

/// The effective user id, from `/proc/self/status`.
fn effective_uid() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}
