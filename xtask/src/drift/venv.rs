//! Finding the Python that has chia-blockchain installed: a venv given by path, or the cached
//! `.sim/venv-<version>` made (or waited for) on demand.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// How long to wait for a venv another process is creating.
const WAIT_LIMIT: Duration = Duration::from_secs(15 * 60);
/// A venv whose files have not changed for this long is not being created by anyone.
const IDLE_LIMIT: Duration = Duration::from_secs(3 * 60);
/// Time between two looks at a venv being created.
const POLL: Duration = Duration::from_secs(10);

/// What `--chia` named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChiaSource {
    /// A virtual environment directory.
    Venv(PathBuf),
    /// A chia-blockchain release, installed into the cached venv.
    Version(String),
}

/// Reads the `--chia` argument: an existing directory is a venv; `2.5.7`-like text a version.
pub fn parse_source(arg: &str) -> Result<ChiaSource, String> {
    let path = Path::new(arg);
    if path.is_dir() {
        return Ok(ChiaSource::Venv(path.to_path_buf()));
    }
    if is_version(arg) {
        return Ok(ChiaSource::Version(arg.to_owned()));
    }
    Err(format!("--chia {arg}: neither a venv directory nor a version like 2.7.5"))
}

/// Whether `s` looks like a release number: digits and dots, starting with a digit, with an
/// optional pre-release tail of letters and digits (`2.5.0rc1`).
pub fn is_version(s: &str) -> bool {
    let digits_end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (numbers, tail) = s.split_at(digits_end);
    let parts: Vec<&str> = numbers.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty())
        && tail.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The venv's interpreter.
pub fn python_of(venv: &Path) -> Result<PathBuf, String> {
    let python = venv.join("bin").join("python");
    if python.exists() {
        Ok(python)
    } else {
        Err(format!("{} is not a venv: it has no bin/python", venv.display()))
    }
}

/// The chia-blockchain version installed in `venv`, if any.
fn installed_version(venv: &Path) -> Option<String> {
    let python = python_of(venv).ok()?;
    let output = Command::new(python)
        .args(["-c", "from importlib.metadata import version; print(version('chia-blockchain'))"])
        .output()
        .ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Returns the cached venv of `version` under `sim_dir`, creating it when missing and waiting
/// when another process is creating it.
pub fn ensure_cached(sim_dir: &Path, version: &str) -> Result<PathBuf, String> {
    let venv = sim_dir.join(format!("venv-{version}"));
    let lock = sim_dir.join(format!("venv-{version}.drift-lock"));
    let started = Instant::now();
    let mut told = false;
    loop {
        if installed_version(&venv).as_deref() == Some(version) {
            return Ok(venv);
        }
        if !venv.exists() {
            std::fs::create_dir_all(sim_dir)
                .map_err(|e| format!("cannot create {}: {e}", sim_dir.display()))?;
            // A lock nobody touched for a while was left by a run that died: take it over.
            if lock.exists() && modified_ago(&lock) > IDLE_LIMIT {
                let _ = std::fs::remove_dir(&lock);
            }
            // Whoever makes the lock directory creates the venv.
            if std::fs::create_dir(&lock).is_ok() {
                let result = create(&venv, version);
                let _ = std::fs::remove_dir(&lock);
                return result.map(|()| venv);
            }
        } else if modified_ago(&venv) > IDLE_LIMIT && !lock.exists() {
            return Err(format!(
                "{} exists but holds no chia-blockchain {version}, and nothing has changed in it \
                 for {} minutes; remove it and run again",
                venv.display(),
                IDLE_LIMIT.as_secs() / 60
            ));
        }
        if started.elapsed() > WAIT_LIMIT {
            return Err(format!(
                "gave up waiting for {} to be created (lock: {})",
                venv.display(),
                lock.display()
            ));
        }
        if !told {
            eprintln!("waiting for {} (another process is creating it)", venv.display());
            told = true;
        }
        std::thread::sleep(POLL);
    }
}

/// How long ago anything at the top of the venv or in its site-packages changed.
fn modified_ago(venv: &Path) -> Duration {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut look = |path: &Path| {
        if let Ok(time) = std::fs::metadata(path).and_then(|m| m.modified()) {
            newest = newest.max(time);
        }
    };
    look(venv);
    if let Ok(entries) = std::fs::read_dir(venv.join("lib")) {
        for entry in entries.flatten() {
            look(&entry.path());
            look(&entry.path().join("site-packages"));
        }
    }
    SystemTime::now().duration_since(newest).unwrap_or_default()
}

fn create(venv: &Path, version: &str) -> Result<(), String> {
    eprintln!(
        "creating {} with chia-blockchain {version} (pip; this takes a few minutes)",
        venv.display()
    );
    let result = run(Command::new("python3").args(["-m", "venv"]).arg(venv)).and_then(|()| {
        run(Command::new(venv.join("bin").join("python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("chia-blockchain=={version}")))
    });
    let result = result.and_then(|()| match installed_version(venv) {
        Some(found) if found == version => Ok(()),
        found => Err(format!("after pip install, the venv holds chia-blockchain {found:?}")),
    });
    if result.is_err() {
        // Leave nothing half-built that could pass for the cache.
        let _ = std::fs::remove_dir_all(venv);
    }
    result
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed ({status})")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("2.5.7"));
        assert!(is_version("2.5.0rc1"));
        assert!(is_version("1.0"));
        assert!(!is_version("2"));
        assert!(!is_version("2..5"));
        assert!(!is_version("venv"));
        assert!(!is_version("2.5.7/x"));
        assert_eq!(parse_source("2.5.7").ok(), Some(ChiaSource::Version("2.5.7".to_owned())));
        assert!(parse_source("no/such/dir").is_err());
    }
}
