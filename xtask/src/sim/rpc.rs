//! Talking to the services with curl from inside the namespace, with full TLS verification:
//! the server must present a certificate of its root's private CA for the name `chia.net`
//! (the only name in it), and curl presents a private client certificate of the same CA.

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::layout::{Layout, Service, Tls};
use super::shell::Cmd;

/// The TLS name in every certificate the node issues.
const TLS_NAME: &str = "chia.net";

/// A curl command posting `body` to `endpoint` of the service on `port`.
fn curl(tls: &Tls, port: u16, endpoint: &str, body: &str, max_secs: u64) -> Cmd {
    Cmd::new("curl")
        .args(["--silent", "--show-error", "--max-time"])
        .arg(max_secs.to_string())
        .arg("--cacert")
        .arg(&tls.ca)
        .arg("--cert")
        .arg(&tls.cert)
        .arg("--key")
        .arg(&tls.key)
        .arg("--resolve")
        .arg(format!("{TLS_NAME}:{port}:127.0.0.1"))
        .args(["--header", "Content-Type: application/json", "--data"])
        .arg(body)
        .arg(format!("https://{TLS_NAME}:{port}/{endpoint}"))
        .in_netns()
}

/// Calls an endpoint of a service and returns the reply if it says `"success": true`.
pub fn call(
    layout: &Layout,
    service: Service,
    endpoint: &str,
    body: &Value,
    quiet: bool,
) -> Result<Value, String> {
    let port = service.port;
    if !quiet {
        // The curl line itself was shown once by `wait_healthy`; only the call is echoed here.
        println!("+ curl … https://{TLS_NAME}:{port}/{endpoint} --data '{body}'");
    }
    let tls = layout.tls(service.root);
    let text = curl(&tls, port, endpoint, &body.to_string(), 30).quiet().output()?;
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
pub fn healthz(layout: &Layout, service: Service) -> Result<(), String> {
    let tls = layout.tls(service.root);
    let text = curl(&tls, service.port, "healthz", "{}", 5).quiet().output()?;
    let reply: Value = serde_json::from_str(&text).map_err(|err| format!("{err}: {text}"))?;
    if reply.get("success") == Some(&Value::Bool(true)) {
        Ok(())
    } else {
        Err(format!("unexpected reply: {text}"))
    }
}

/// Polls `check` every half second until it returns `Some`, or fails after `limit` with
/// a message naming `what` and the end of `log`.
pub fn wait_for<T>(
    log: &Path,
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
            return Err(format!(
                "{what}: not ready after {}s (last: {})\nsee the log: {}\n{}",
                limit.as_secs(),
                last.trim(),
                log.display(),
                super::shell::tail_of(log, 15)
            ));
        }
        thread::sleep(Duration::from_millis(500));
    }
}

/// Waits for a service's `healthz`; the first probe is echoed. `alive` is asked before each
/// probe and stops the wait early when the service is known to have died.
pub fn wait_healthy(
    layout: &Layout,
    service: Service,
    limit: Duration,
    alive: impl Fn() -> Result<(), String>,
) -> Result<(), String> {
    let tls = layout.tls(service.root);
    println!(
        "+ {}  (repeated until it succeeds)",
        curl(&tls, service.port, "healthz", "{}", 5).display()
    );
    let what = format!("{} RPC on port {}", service.name, service.port);
    // A dead service ends the wait at once: the check then returns `Some(Err(..))`.
    wait_for(&layout.debug_log_of(service.root), &what, limit, || match alive() {
        Err(dead) => Ok(Some(Err(dead))),
        Ok(()) => healthz(layout, service).map(|()| Some(Ok(()))),
    })?
}
