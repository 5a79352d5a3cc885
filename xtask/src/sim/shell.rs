//! Running external programs: every command is echoed before it runs, can be confined to the
//! harness's network namespace, can be bounded by a deadline and can send its output to a log file.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::layout::NETNS;

/// One argument: what is passed to the program and what is shown when the command is echoed.
struct Arg {
    value: OsString,
    shown: String,
}

/// A command line to run; build it with the chained setters, then call one of the run methods.
pub struct Cmd {
    program: OsString,
    args: Vec<Arg>,
    env: Vec<(OsString, OsString)>,
    cwd: Option<PathBuf>,
    netns: bool,
    timeout: Option<Duration>,
    log: Option<PathBuf>,
    echo: bool,
}

impl Cmd {
    /// A command running `program` (a name looked up in `PATH`, or a path).
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Self {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            env: Vec::new(),
            cwd: None,
            netns: false,
            timeout: None,
            log: None,
            echo: true,
        }
    }

    /// Appends one argument.
    pub fn arg(mut self, value: impl AsRef<OsStr>) -> Self {
        let value = value.as_ref().to_owned();
        let shown = value.to_string_lossy().into_owned();
        self.args.push(Arg { value, shown });
        self
    }

    /// Appends several arguments.
    pub fn args<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for value in values {
            self = self.arg(value);
        }
        self
    }

    /// Appends an argument that is echoed as `shown` instead of its value (secrets, long scripts).
    pub fn hidden_arg(mut self, value: impl AsRef<OsStr>, shown: &str) -> Self {
        self.args.push(Arg { value: value.as_ref().to_owned(), shown: shown.to_owned() });
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Sets several environment variables for the child.
    pub fn envs(mut self, vars: &[(String, OsString)]) -> Self {
        for (key, value) in vars {
            self = self.env(key, value);
        }
        self
    }

    /// Runs the child in this directory.
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.cwd = Some(dir.to_owned());
        self
    }

    /// Runs the command inside the harness's network namespace (`ip netns exec`).
    pub fn in_netns(mut self) -> Self {
        self.netns = true;
        self
    }

    /// Kills the child and fails when it runs longer than this.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// Appends the child's stdout and stderr to this file instead of the terminal.
    pub fn log(mut self, path: &Path) -> Self {
        self.log = Some(path.to_owned());
        self
    }

    /// Does not echo the command (for polling loops that announce themselves once).
    pub fn quiet(mut self) -> Self {
        self.echo = false;
        self
    }

    /// The command line as echoed: hidden arguments replaced, namespace prefix included.
    pub fn display(&self) -> String {
        let mut words = Vec::new();
        if self.netns {
            words.extend(["ip", "netns", "exec", NETNS].map(str::to_owned));
        }
        words.push(self.program.to_string_lossy().into_owned());
        words.extend(self.args.iter().map(|arg| arg.shown.clone()));
        words.iter().map(|word| quote(word)).collect::<Vec<_>>().join(" ")
    }

    fn command(&self) -> Command {
        let mut command = if self.netns {
            let mut command = Command::new("ip");
            command.args(["netns", "exec", NETNS]).arg(&self.program);
            command
        } else {
            Command::new(&self.program)
        };
        command.args(self.args.iter().map(|arg| &arg.value));
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        if let Some(dir) = &self.cwd {
            command.current_dir(dir);
        }
        command.stdin(Stdio::null());
        command
    }

    fn announce(&self) {
        if self.echo {
            println!("+ {}", self.display());
        }
    }

    fn spawn(&self, command: &mut Command) -> Result<Child, String> {
        command.spawn().map_err(|err| {
            let program = if self.netns { "ip".into() } else { self.program.to_string_lossy() };
            format!("cannot run `{program}` ({err}); command: {}", self.display())
        })
    }

    /// Waits for the child, killing it when the deadline passes.
    fn wait(&self, child: &mut Child) -> Result<ExitStatus, String> {
        let Some(limit) = self.timeout else {
            return child.wait().map_err(|err| format!("waiting for {}: {err}", self.display()));
        };
        let deadline = Instant::now() + limit;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status),
                Ok(None) if Instant::now() >= deadline => {
                    // Best effort: the child is ours; it may have just exited by itself.
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "timed out after {}s: {}{}",
                        limit.as_secs(),
                        self.display(),
                        self.log_hint()
                    ));
                }
                Ok(None) => thread::sleep(Duration::from_millis(100)),
                Err(err) => return Err(format!("waiting for {}: {err}", self.display())),
            }
        }
    }

    fn log_hint(&self) -> String {
        match &self.log {
            Some(path) => format!("\n{}", tail_of(path, 15)),
            None => String::new(),
        }
    }

    /// Runs the command; fails unless it exits successfully.
    pub fn run(&self) -> Result<(), String> {
        let status = self.status()?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("command failed ({status}): {}{}", self.display(), self.log_hint()))
        }
    }

    /// Runs the command and returns its exit status, whatever it is.
    pub fn status(&self) -> Result<ExitStatus, String> {
        self.announce();
        let mut command = self.command();
        if let Some(path) = &self.log {
            let file = open_log(path)?;
            let copy = file.try_clone().map_err(|err| format!("{}: {err}", path.display()))?;
            command.stdout(file).stderr(copy);
        }
        let mut child = self.spawn(&mut command)?;
        self.wait(&mut child)
    }

    /// Starts the command in the background, its output appended to the log file, and returns
    /// its PID without waiting. A short-lived `sh` starts it, so that it is not a child of this
    /// process (nobody here would reap it) and ignores the terminal's Ctrl-C like any
    /// background job; `ip netns exec` replaces itself with the program, so the PID is the
    /// program's.
    pub fn spawn_detached(&self) -> Result<u32, String> {
        let Some(log) = &self.log else {
            return Err(format!("no log file given for the background command {}", self.display()));
        };
        if self.echo {
            println!("+ {} >>{} 2>&1 &", self.display(), quote(&log.to_string_lossy()));
        }
        let inner = self.command();
        let mut command = Command::new("sh");
        command
            .args(["-c", r#"log=$1; shift; "$@" >>"$log" 2>&1 </dev/null & echo $!"#, "sh"])
            .arg(log)
            .arg(inner.get_program())
            .args(inner.get_args());
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        if let Some(dir) = &self.cwd {
            command.current_dir(dir);
        }
        command.stdin(Stdio::null()).stderr(Stdio::inherit());
        open_log(log)?;
        let out = command
            .output()
            .map_err(|err| format!("cannot run `sh` ({err}); command: {}", self.display()))?;
        let text = String::from_utf8_lossy(&out.stdout);
        match text.trim().parse() {
            Ok(pid) if out.status.success() => Ok(pid),
            _ => Err(format!(
                "could not start in the background ({}, printed {:?}): {}",
                out.status,
                text.trim(),
                self.display()
            )),
        }
    }

    /// Runs the command and returns its stdout; fails (quoting stderr) unless it succeeds.
    pub fn output(&self) -> Result<String, String> {
        self.announce();
        let mut command = self.command();
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.spawn(&mut command)?;
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let status = self.wait(&mut child)?;
        let collect = |reader: Option<thread::JoinHandle<Vec<u8>>>| {
            reader.and_then(|handle| handle.join().ok()).unwrap_or_default()
        };
        let stdout = String::from_utf8_lossy(&collect(stdout)).into_owned();
        let stderr = String::from_utf8_lossy(&collect(stderr)).into_owned();
        if status.success() {
            Ok(stdout)
        } else {
            Err(format!("command failed ({status}): {}\n{}", self.display(), stderr.trim_end()))
        }
    }
}

/// Reads a pipe to its end on its own thread, so that a chatty child cannot block on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buffer = Vec::new();
        // A read error only shortens what is reported.
        let _ = pipe.read_to_end(&mut buffer);
        buffer
    })
}

fn open_log(path: &Path) -> Result<File, String> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|err| format!("cannot open log {}: {err}", path.display()))
}

/// The last `lines` lines of a log file, framed for an error message.
pub fn tail_of(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let mut out = format!("--- last lines of {} ---\n", path.display());
    for line in &all[start..] {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("---");
    out
}

/// Quotes a word for display when a shell would need it.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain { word.to_owned() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

/// Finds a program in `PATH` (and the sbin directories, where `ip` and `ss` live).
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/sbin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}
