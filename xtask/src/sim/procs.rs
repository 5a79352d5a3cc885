//! The network namespace and the processes inside it.
//!
//! A PID is only ever signalled after checking, through `/proc/<pid>/ns/net`, that the process
//! still lives in the namespace this harness created: a recycled PID or another simulator on the
//! same machine is never touched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::layout::NETNS;
use super::shell::Cmd;

/// Where `ip netns add` pins a namespace.
fn netns_path() -> PathBuf {
    Path::new("/run/netns").join(NETNS)
}

/// Whether the harness's namespace exists.
pub fn netns_exists() -> bool {
    netns_path().exists()
}

/// The identity (nsfs inode) of the harness's namespace, while it exists.
pub fn netns_inode() -> Option<u64> {
    fs::metadata(netns_path()).ok().map(|meta| meta.ino())
}

/// Creates the namespace with nothing but a running loopback interface.
pub fn create_netns() -> Result<u64, String> {
    Cmd::new("ip").args(["netns", "add", NETNS]).run()?;
    Cmd::new("ip").args(["link", "set", "lo", "up"]).in_netns().run()?;
    let interfaces = Cmd::new("ls").arg("/sys/class/net").in_netns().quiet().output()?;
    let interfaces: Vec<&str> = interfaces.split_whitespace().collect();
    if interfaces != ["lo"] {
        return Err(format!("namespace {NETNS} has unexpected interfaces: {interfaces:?}"));
    }
    netns_inode().ok_or_else(|| format!("namespace {NETNS} vanished right after creation"))
}

/// Deletes the namespace (nothing to do when it does not exist).
pub fn delete_netns() -> Result<(), String> {
    if netns_exists() { Cmd::new("ip").args(["netns", "del", NETNS]).run() } else { Ok(()) }
}

/// A listening socket.
pub struct Listener {
    /// `tcp` or `udp`.
    pub protocol: String,
    /// Local port.
    pub port: u16,
    /// Local address as `ss` prints it.
    pub address: String,
    /// Owning processes: (name, pid).
    pub owners: Vec<(String, u32)>,
}

/// Listening TCP sockets inside the namespace (empty when it does not exist).
pub fn listeners() -> Vec<Listener> {
    if !netns_exists() {
        return Vec::new();
    }
    let Ok(text) = Cmd::new("ss").arg("-ltnpH").in_netns().quiet().output() else {
        return Vec::new();
    };
    text.lines().filter_map(parse_ss_line).collect()
}

/// Listening TCP sockets and bound UDP sockets of the host's namespace, the one this process
/// runs in (`ss -ltnupH`, not inside the harness's namespace).
pub fn host_listeners() -> Result<Vec<Listener>, String> {
    let text = Cmd::new("ss").arg("-ltnupH").quiet().output()?;
    Ok(text.lines().filter_map(parse_ss_line).collect())
}

/// Parses one line of `ss -ltnpH`:
/// `LISTEN 0 128 127.0.0.1:9256 0.0.0.0:* users:(("chia_wallet",pid=4897,fd=25))`,
/// or of `ss -ltnupH`, which starts with the protocol: `udp UNCONN 0 0 0.0.0.0:68 …`.
fn parse_ss_line(line: &str) -> Option<Listener> {
    let mut fields: Vec<&str> = line.split_whitespace().collect();
    let protocol = match fields.first() {
        Some(&netid) if netid == "tcp" || netid == "udp" => {
            fields.remove(0);
            netid.to_owned()
        }
        _ => "tcp".to_owned(),
    };
    let address = (*fields.get(3)?).to_owned();
    let port = address.rsplit(':').next()?.parse().ok()?;
    let mut owners = Vec::new();
    let users = fields.get(5..).map(|rest| rest.join(" ")).unwrap_or_default();
    for entry in users.split("(\"").skip(1) {
        let Some((name, rest)) = entry.split_once('"') else { continue };
        let Some(pid) = rest.split_once("pid=").map(|(_, tail)| digits(tail)) else { continue };
        if let Ok(pid) = pid.parse() {
            owners.push((name.to_owned(), pid));
        }
    }
    Some(Listener { protocol, port, address, owners })
}

fn digits(text: &str) -> &str {
    let end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    &text[..end]
}

/// PIDs of every process in the namespace (`ip netns pids`).
pub fn netns_pids() -> Vec<u32> {
    if !netns_exists() {
        return Vec::new();
    }
    Cmd::new("ip")
        .args(["netns", "pids", NETNS])
        .quiet()
        .output()
        .map(|text| text.split_whitespace().filter_map(|pid| pid.parse().ok()).collect())
        .unwrap_or_default()
}

/// PIDs written by chia into `<CHIA_ROOT>/run/*.pid`.
pub fn chia_pid_files(chia_root: &Path) -> Vec<u32> {
    let Ok(entries) = fs::read_dir(chia_root.join("run")) else { return Vec::new() };
    entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pid"))
        .filter_map(|path| fs::read_to_string(path).ok())
        .filter_map(|text| digits(text.trim()).parse().ok())
        .collect()
}

/// Whether a process exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised name, which may itself contain spaces.
        Ok(stat) => {
            stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
        }
        Err(_) => false,
    }
}

/// Whether a live process belongs to the namespace with this inode.
pub fn in_netns(pid: u32, inode: u64) -> bool {
    alive(pid)
        && fs::read_link(format!("/proc/{pid}/ns/net"))
            .is_ok_and(|link| link.to_string_lossy() == format!("net:[{inode}]"))
}

/// The process's name (`/proc/<pid>/comm`).
pub fn name(pid: u32) -> String {
    fs::read_to_string(format!("/proc/{pid}/comm")).map(|s| s.trim().to_owned()).unwrap_or_default()
}

/// PIDs of every process on the machine (the numeric entries of `/proc`).
pub fn all_pids() -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
    entries.flatten().filter_map(|entry| entry.file_name().to_str()?.parse().ok()).collect()
}

/// The process's command line, one element per argument.
pub fn cmdline(pid: u32) -> Vec<String> {
    fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| {
            bytes
                .split(|byte| *byte == 0)
                .filter(|arg| !arg.is_empty())
                .map(|arg| String::from_utf8_lossy(arg).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A link of `/proc/<pid>/` (`cwd`, `exe`), when readable.
pub fn proc_link(pid: u32, link: &str) -> Option<PathBuf> {
    fs::read_link(format!("/proc/{pid}/{link}")).ok()
}

/// Sends a signal (`TERM`, `KILL`) to one PID.
pub fn signal(pid: u32, signal: &str) -> Result<(), String> {
    Cmd::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).run()
}

/// When a process started, in clock ticks since boot (`/proc/<pid>/stat`, field 22). Together
/// with the PID it identifies a process: a recycled PID comes with another start time.
pub fn start_ticks(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the parenthesised name (which may contain spaces) start with field 3.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// Adds the live ones of these PIDs to the record file, each with its start time (`PID TICKS`
/// lines, deduplicated); returns every recorded PID.
pub fn record(
    pids_file: &Path,
    new: impl IntoIterator<Item = u32>,
) -> Result<BTreeSet<u32>, String> {
    let mut all = identities(pids_file);
    for pid in new {
        if let Some(ticks) = start_ticks(pid).filter(|_| alive(pid)) {
            all.insert(pid, Some(ticks));
        }
    }
    let text: String = all
        .iter()
        .map(|(pid, ticks)| match ticks {
            Some(ticks) => format!("{pid} {ticks}\n"),
            None => format!("{pid}\n"),
        })
        .collect();
    fs::write(pids_file, text)
        .map_err(|err| format!("cannot write {}: {err}", pids_file.display()))?;
    Ok(all.into_keys().collect())
}

/// PIDs in a record file (or in a file holding one PID).
pub fn recorded(pids_file: &Path) -> BTreeSet<u32> {
    identities(pids_file).into_keys().collect()
}

/// The record file's PIDs with their start times, where recorded.
pub fn identities(pids_file: &Path) -> BTreeMap<u32, Option<u64>> {
    fs::read_to_string(pids_file)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let pid = fields.next()?.parse().ok()?;
            Some((pid, fields.next().and_then(|ticks| ticks.parse().ok())))
        })
        .collect()
}

/// Whether this PID still names the process recorded under it.
pub fn is_recorded_process(records: &BTreeMap<u32, Option<u64>>, pid: u32) -> bool {
    matches!(records.get(&pid), Some(Some(ticks)) if start_ticks(pid) == Some(*ticks)) && alive(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ss_lines() {
        let line = "LISTEN 0      128    127.0.0.1:9256  0.0.0.0:* \
                    users:((\"chia_wallet\",pid=4897,fd=25),(\"x y\",pid=12,fd=3))";
        let listener = parse_ss_line(line).expect("a listener");
        assert_eq!(listener.port, 9256);
        assert_eq!(listener.owners, vec![("chia_wallet".into(), 4897), ("x y".into(), 12)]);
        let v6 = parse_ss_line("LISTEN 0 128 [::]:58444 [::]:*").expect("a listener");
        assert_eq!(v6.port, 58444);
        assert!(v6.owners.is_empty());
        let udp =
            parse_ss_line("udp UNCONN 0 0 0.0.0.0:68 0.0.0.0:* users:((\"dhcp\",pid=9,fd=6))")
                .expect("a listener");
        assert_eq!((udp.protocol.as_str(), udp.port), ("udp", 68));
        assert_eq!(udp.owners, vec![("dhcp".into(), 9)]);
        let tcp = parse_ss_line("tcp LISTEN 0 128 0.0.0.0:2024 0.0.0.0:*").expect("a listener");
        assert_eq!((tcp.protocol.as_str(), tcp.address.as_str()), ("tcp", "0.0.0.0:2024"));
    }

    #[test]
    fn records_processes_with_their_start_time() {
        let file = std::env::temp_dir().join(format!("xtask-pids-{}", std::process::id()));
        fs::write(&file, "77\n").expect("write");
        let me = std::process::id();
        // A PID that cannot exist (above the kernel's maximum) is not recorded.
        let all = record(&file, [me, 4_194_304 + 1]).expect("record");
        assert_eq!(all, BTreeSet::from([77, me]));
        let records = identities(&file);
        assert_eq!(records.get(&77), Some(&None));
        assert!(is_recorded_process(&records, me));
        assert!(!is_recorded_process(&records, 77));
        let _ = fs::remove_file(&file);
    }
}
