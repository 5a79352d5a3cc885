//! Talking to the services with curl from inside the namespace, with full TLS verification:
//! the server must present a certificate of the node's private CA for the name `chia.net`
//! (the only name in it), and curl presents a private client certificate of the same CA.

use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::layout::{Layout, Service};
use super::shell::Cmd;

/// The TLS name in every certificate the node issues.
const TLS_NAME: &str = "chia.net";

/// A curl command posting `body` to `endpoint` of the service on `port`.
fn curl(layout: &Layout, port: u16, endpoint: &str, body: &str, max_secs: u64) -> Cmd {
    let ssl = layout.ssl();
    Cmd::new("curl")
        .args(["--silent", "--show-error", "--max-time"])
        .arg(max_secs.to_string())
        .arg("--cacert")
        .arg(ssl.join("ca").join("private_ca.crt"))
        .arg("--cert")
        .arg(ssl.join("daemon").join("private_daemon.crt"))
        .arg("--key")
        .arg(ssl.join("daemon").join("private_daemon.key"))
        .arg("--resolve")
        .arg(format!("{TLS_NAME}:{port}:127.0.0.1"))
        .args(["--header", "Content-Type: application/json", "--data"])
        .arg(body)
        .arg(format!("https://{TLS_NAME}:{port}/{endpoint}"))
        .in_netns()
}

/// Calls an endpoint and returns the reply if it says `"success": true`.
pub fn call(
    layout: &Layout,
    port: u16,
    endpoint: &str,
    body: &Value,
    quiet: bool,
) -> Result<Value, String> {
    if !quiet {
        // The curl line itself was shown once by `wait_healthy`; only the call is echoed here.
        println!("+ curl … https://{TLS_NAME}:{port}/{endpoint} --data '{body}'");
    }
    let text = curl(layout, port, endpoint, &body.to_string(), 30).quiet().output()?;
    let reply: Value = serde_json::from_str(&text)
        .map_err(|err| format!("{endpoint} on :{port} did not answer JSON ({err}): {text}"))?;
    if reply.get("success") == Some(&Value::Bool(true)) {
        Ok(reply)
    } else {
        let error = reply.get("error").and_then(Value::as_str).unwrap_or("no error message");
        Err(format!("{endpoint} on :{port} failed: {error}"))
    }
}

/// One `healthz` probe.
pub fn healthz(layout: &Layout, port: u16) -> Result<(), String> {
    let text = curl(layout, port, "healthz", "{}", 5).quiet().output()?;
    let reply: Value = serde_json::from_str(&text).map_err(|err| format!("{err}: {text}"))?;
    if reply.get("success") == Some(&Value::Bool(true)) {
        Ok(())
    } else {
        Err(format!("unexpected reply: {text}"))
    }
}

/// Polls `check` every half second until it returns `Some`, or fails after `limit` with
/// a message naming `what` and the node's log.
pub fn wait_for<T>(
    layout: &Layout,
    what: &str,
    limit: Duration,
    mut check: impl FnMut() -> Result<Option<T>, String>,
) -> Result<T, String> {
    let deadline = Instant::now() + limit;
    let mut last = String::from("no answer yet");
    loop {
        match check() {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(err) => last = err,
        }
        if Instant::now() >= deadline {
            let log = layout.debug_log();
            return Err(format!(
                "{what}: not ready after {}s (last: {})\nsee the node's log: {}\n{}",
                limit.as_secs(),
                last.trim(),
                log.display(),
                super::shell::tail_of(&log, 15)
            ));
        }
        thread::sleep(Duration::from_millis(500));
    }
}

/// Waits for a service's `healthz`; the first probe is echoed.
pub fn wait_healthy(layout: &Layout, service: Service, limit: Duration) -> Result<(), String> {
    println!(
        "+ {}  (repeated until it succeeds)",
        curl(layout, service.port, "healthz", "{}", 5).display()
    );
    wait_for(layout, &format!("{} RPC on port {}", service.name, service.port), limit, || {
        healthz(layout, service.port).map(Some)
    })
}
