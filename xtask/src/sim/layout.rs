//! Where the harness keeps things, the fixed ports it gives the services, and the small
//! `KEY=VALUE` files it writes.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

/// Name of the network namespace the simulator and the live tests run in.
pub const NETNS: &str = "chia-rpc-sim";

/// chia-blockchain version used unless `--chia-version` or `CHIA_RPC_CHIA_VERSION` says otherwise.
pub const DEFAULT_CHIA_VERSION: &str = "2.7.5";

/// Fixed ports written into the node's config (`chia dev sim create` picks random ones).
pub mod port {
    /// The daemon's websocket.
    pub const DAEMON: u16 = 55400;
    /// Full node (simulator) RPC.
    pub const FULL_NODE_RPC: u16 = 8555;
    /// Full node peer protocol.
    pub const FULL_NODE_P2P: u16 = 58444;
    /// Wallet RPC.
    pub const WALLET_RPC: u16 = 9256;
    /// Farmer RPC.
    pub const FARMER_RPC: u16 = 8559;
    /// Farmer peer protocol (harvesters connect here).
    pub const FARMER_P2P: u16 = 8447;
    /// Harvester RPC.
    pub const HARVESTER_RPC: u16 = 8560;
    /// Data layer RPC.
    pub const DATA_LAYER_RPC: u16 = 8562;
    /// Crawler RPC.
    pub const CRAWLER_RPC: u16 = 8561;
    /// The crawler's own peer port (it poses as a full node; the simulator's node has 58444).
    pub const CRAWLER_P2P: u16 = 58445;
    /// Daemon port written into the crawler's root. No daemon listens there: the crawler runs
    /// on its own, and must not talk to the simulator's daemon, whose CA it does not share.
    pub const CRAWLER_DAEMON: u16 = 55401;
    /// The solver's peer port (farmers connect here).
    pub const SOLVER_P2P: u16 = 8666;
    /// Solver RPC.
    pub const SOLVER_RPC: u16 = 8667;
}

/// Which `CHIA_ROOT` a service lives in; each root has its own private CA.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Root {
    /// The simulator's root (daemon, full node, wallet, farmer, harvester, data layer, solver).
    Node,
    /// The crawler's root: the crawler cannot share the simulator's.
    Crawler,
}

/// Certificate files for one mutually authenticated TLS connection.
pub struct Tls {
    /// The private CA the server certificate must chain to.
    pub ca: PathBuf,
    /// Client certificate (issued by the same CA).
    pub cert: PathBuf,
    /// Its private key.
    pub key: PathBuf,
}

/// An RPC service the harness starts, with the port its HTTPS server listens on.
#[derive(Clone, Copy)]
pub struct Service {
    /// Human name used in messages.
    pub name: &'static str,
    /// RPC port.
    pub port: u16,
    /// The root it runs from.
    pub root: Root,
}

/// The simulator's full node (it also serves the simulator-only endpoints).
pub const FULL_NODE: Service =
    Service { name: "full node (simulator)", port: port::FULL_NODE_RPC, root: Root::Node };
/// The wallet.
pub const WALLET: Service = Service { name: "wallet", port: port::WALLET_RPC, root: Root::Node };
/// The farmer.
pub const FARMER: Service = Service { name: "farmer", port: port::FARMER_RPC, root: Root::Node };
/// The harvester.
pub const HARVESTER: Service =
    Service { name: "harvester", port: port::HARVESTER_RPC, root: Root::Node };
/// The data layer.
pub const DATA_LAYER: Service =
    Service { name: "data layer", port: port::DATA_LAYER_RPC, root: Root::Node };
/// The crawler, in a root of its own and not under the daemon.
pub const CRAWLER: Service =
    Service { name: "crawler", port: port::CRAWLER_RPC, root: Root::Crawler };
/// The solver, in the simulator's root but started on its own (no service group starts it).
pub const SOLVER: Service = Service { name: "solver", port: port::SOLVER_RPC, root: Root::Node };
/// Every RPC service, in start order.
pub const SERVICES: [Service; 7] =
    [FULL_NODE, WALLET, FARMER, HARVESTER, DATA_LAYER, SOLVER, CRAWLER];

/// Paths of one harness directory.
pub struct Layout {
    /// The base directory (`.sim/` of the workspace or `CHIA_RPC_SIM_DIR`).
    pub base: PathBuf,
    /// Scratch directory of the current run, wiped by every `sim up`.
    pub run: PathBuf,
    /// `CHIA_ROOT` of the simulator.
    pub chia_root: PathBuf,
    /// `CHIA_ROOT` of the crawler.
    pub crawler_root: PathBuf,
    /// PID of the crawler (it is not under the daemon).
    pub crawler_pid_file: PathBuf,
    /// PID of the solver (no service group of the daemon starts it).
    pub solver_pid_file: PathBuf,
    /// Logs of the commands the harness ran.
    pub logs: PathBuf,
    /// The environment file the live tests read.
    pub env_file: PathBuf,
    /// What `sim up` recorded for `sim down`: venv, namespace identity.
    pub state_file: PathBuf,
    /// PIDs recorded by `sim up`, one line each.
    pub pids_file: PathBuf,
    /// The key's words (mode 0600).
    pub mnemonic_file: PathBuf,
}

impl Layout {
    /// The layout under `CHIA_RPC_SIM_DIR`, or under `<workspace>/.sim`.
    pub fn from_env() -> Result<Self, String> {
        let base = match std::env::var_os("CHIA_RPC_SIM_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => crate::workspace_root().join(".sim"),
        };
        let base = if base.is_absolute() {
            base
        } else {
            std::env::current_dir()
                .map_err(|err| format!("cannot resolve {}: {err}", base.display()))?
                .join(base)
        };
        Ok(Self::new(base))
    }

    /// The layout under `base`.
    pub fn new(base: PathBuf) -> Self {
        let run = base.join("run");
        Self {
            chia_root: run.join("sim").join("main"),
            crawler_root: run.join("crawler-root"),
            crawler_pid_file: run.join("crawler.pid"),
            solver_pid_file: run.join("solver.pid"),
            logs: run.join("logs"),
            env_file: base.join("sim.env"),
            state_file: run.join("harness.state"),
            pids_file: run.join("harness.pids"),
            mnemonic_file: run.join("mnemonic"),
            run,
            base,
        }
    }

    /// The cached virtual environment for one chia-blockchain version.
    pub fn venv(&self, version: &str) -> PathBuf {
        self.base.join(format!("venv-{version}"))
    }

    /// Environment that isolates every chia command in the run directory.
    pub fn chia_env(&self, venv: &Path) -> Vec<(String, OsString)> {
        let mut path = OsString::from(venv.join("bin"));
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        vec![
            ("HOME".into(), self.run.join("home").into()),
            ("CHIA_KEYS_ROOT".into(), self.run.join("keys").into()),
            ("CHIA_SIMULATOR_ROOT".into(), self.run.join("sim").into()),
            ("CHIA_ROOT".into(), self.chia_root.clone().into()),
            ("PATH".into(), path),
        ]
    }

    /// Environment of the crawler's commands: like [`Layout::chia_env`], but with the crawler's
    /// root and a keyring of its own (it needs no key).
    pub fn crawler_env(&self, venv: &Path) -> Vec<(String, OsString)> {
        let mut env = self.chia_env(venv);
        for (key, value) in &mut env {
            match key.as_str() {
                "CHIA_ROOT" => *value = self.crawler_root.clone().into(),
                "CHIA_KEYS_ROOT" => *value = self.run.join("crawler-keys").into(),
                _ => {}
            }
        }
        env
    }

    /// A root directory.
    pub fn root(&self, root: Root) -> &Path {
        match root {
            Root::Node => &self.chia_root,
            Root::Crawler => &self.crawler_root,
        }
    }

    /// Directory of a root's TLS material.
    pub fn ssl_of(&self, root: Root) -> PathBuf {
        self.root(root).join("config").join("ssl")
    }

    /// The CA and the client certificate that talk to a root's services: the daemon's
    /// certificate in the simulator's root, the crawler's own in the crawler's.
    pub fn tls(&self, root: Root) -> Tls {
        let ssl = self.ssl_of(root);
        let client = match root {
            Root::Node => "daemon",
            Root::Crawler => "crawler",
        };
        Tls {
            ca: ssl.join("ca").join("private_ca.crt"),
            cert: ssl.join(client).join(format!("private_{client}.crt")),
            key: ssl.join(client).join(format!("private_{client}.key")),
        }
    }

    /// A root's log file, where failing services say why.
    pub fn debug_log_of(&self, root: Root) -> PathBuf {
        self.root(root).join("log").join("debug.log")
    }

    /// The node's log file, where failing services say why.
    pub fn debug_log(&self) -> PathBuf {
        self.debug_log_of(Root::Node)
    }

    /// Where the crawler's stdout and stderr go.
    pub fn crawler_output(&self) -> PathBuf {
        self.logs.join("crawler.log")
    }

    /// Where the solver's stdout and stderr go.
    pub fn solver_output(&self) -> PathBuf {
        self.logs.join("solver.log")
    }
}

/// Reads a `KEY=VALUE` file (missing file: no entries; blank lines and `#` lines skipped;
/// single-quoted values unquoted as a shell would).
pub fn read_kv(path: &Path) -> Vec<(String, String)> {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), unquote(value.trim())))
        .collect()
}

/// Looks a key up in entries read by [`read_kv`].
pub fn lookup<'a>(entries: &'a [(String, String)], key: &str) -> Option<&'a str> {
    entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Writes a `KEY=VALUE` file that a POSIX shell can also load (`set -a; . FILE; set +a`):
/// values with characters a shell would interpret are single-quoted.
pub fn write_kv(path: &Path, entries: &[(&str, String)]) -> Result<(), String> {
    let mut text = String::from(
        "# Settings of the running simulator. Load them into a shell with: set -a; . FILE; set +a\n",
    );
    for (key, value) in entries {
        text.push_str(&format!("{key}={}\n", shell_word(value)));
    }
    fs::write(path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

/// `value` as one shell word.
fn shell_word(value: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:,@+%".contains(c);
    if !value.is_empty() && value.chars().all(plain) {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

/// The value of a shell word written by [`shell_word`].
fn unquote(word: &str) -> String {
    match word.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')) {
        Some(inner) => inner.replace("'\\''", "'"),
        None => word.to_owned(),
    }
}

#[cfg(test)]
mod kv_tests {
    use super::*;

    #[test]
    fn values_a_shell_would_split_are_quoted_and_read_back() {
        let dir = std::env::temp_dir().join(format!("chia-rpc-kv-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("sim.env");
        let entries = [
            ("PLAIN", "/a/b-c.d".to_owned()),
            ("SPACED", "/my chia/root".to_owned()),
            ("QUOTE", "it's".to_owned()),
            ("EMPTY", String::new()),
        ];
        write_kv(&file, &entries).expect("write");
        let text = fs::read_to_string(&file).expect("read");
        assert!(text.contains("PLAIN=/a/b-c.d\n"), "{text}");
        assert!(text.contains("SPACED='/my chia/root'\n"), "{text}");
        let read = read_kv(&file);
        let expected: Vec<(String, String)> =
            entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        assert_eq!(read, expected);
        fs::remove_dir_all(&dir).expect("clean up");
    }
}
