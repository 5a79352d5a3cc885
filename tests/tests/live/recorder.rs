//! A transport over the real HTTPS transports that records what it carried and can capture the
//! replies. The typed client above it decodes every reply strictly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chia_rpc::transport::{BoxFuture, RawRequest, Transport};
use chia_rpc::{Error, HttpsTransport, Result, Service};

/// Sends every request with the transport of its service and records `(service, route)` for
/// each `success: true` reply. With a capture directory, it also writes each reply and its
/// request as fixtures.
pub struct Recorder {
    pub transports: BTreeMap<Service, Arc<HttpsTransport>>,
    pub called: Mutex<BTreeSet<(Service, String)>>,
    pub capture: Option<Capture>,
}

/// Where captured replies go, and the machine paths to take out of them.
/// The paths of this machine that captured replies may quote (the roots, plot files, the
/// venv's sources in tracebacks, temporary directories), each with its placeholder, most
/// specific first.
pub fn machine_paths(root: &str, crawler_root: &str) -> Vec<(String, &'static str)> {
    let mut paths =
        vec![(root.to_owned(), "<chia_root>"), (crawler_root.to_owned(), "<crawler_root>")];
    // The roots live in `<sim dir>/run/`, beside the venv and the simulator's plots.
    if let Some(at) = root.rfind("/run/") {
        paths.push((root[..at].to_owned(), "<sim_dir>"));
    }
    let temp = std::env::temp_dir().display().to_string();
    paths.push((temp.trim_end_matches('/').to_owned(), "<tmp>"));
    paths
}

pub struct Capture {
    pub dir: PathBuf,
    pub redactions: Vec<(String, &'static str)>,
}

impl Recorder {
    pub fn transport(&self, service: Service) -> Result<&Arc<HttpsTransport>> {
        self.transports.get(&service).ok_or_else(|| {
            Error::config(None, None, format!("the live suite has no transport for {service}"))
        })
    }

    pub fn called(&self) -> BTreeSet<(Service, String)> {
        self.called.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    async fn forward(&self, request: RawRequest) -> Result<Bytes> {
        let (service, route, body) =
            (request.service, request.route.to_string(), request.body.clone());
        let reply = self.transport(service)?.send(request).await?;
        match says_success(&reply) {
            Some(true) => {
                self.called
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert((service, route.clone()));
                if let Some(capture) = &self.capture {
                    capture.write(service, &route, "", &body, &reply);
                }
            }
            // A failure reply is kept too, as `<route>.failure.json`.
            Some(false) => {
                if let Some(capture) = &self.capture {
                    capture.write(service, &route, ".failure", &body, &reply);
                }
            }
            None => {}
        }
        Ok(reply)
    }
}

impl Transport for Recorder {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        Box::pin(self.forward(request))
    }
}

/// The `success` of a reply that is a JSON object with one.
pub fn says_success(reply: &[u8]) -> Option<bool> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        success: Option<bool>,
    }
    serde_json::from_slice::<Envelope>(reply).ok().and_then(|envelope| envelope.success)
}

impl Capture {
    /// `<dir>/<service>/<endpoint><variant>.json`; routes every service shares go to
    /// `<dir>/shared/<endpoint><variant>.json` from the full node and
    /// `<endpoint>.<service><variant>.json` from others.
    pub fn write(
        &self,
        service: Service,
        endpoint: &str,
        variant: &str,
        request: &[u8],
        reply: &[u8],
    ) {
        // The daemon's commands named like shared routes are its own.
        let shared =
            chia_rpc::shared::ENDPOINTS.contains(&endpoint) && !service.is_websocket_only();
        let (dir, stem) = match (shared, service) {
            (true, Service::FullNode) => ("shared".to_owned(), format!("{endpoint}{variant}")),
            (true, other) => ("shared".to_owned(), format!("{endpoint}.{other}{variant}")),
            (false, other) => (other.name().to_owned(), format!("{endpoint}{variant}")),
        };
        let dir = self.dir.join(dir);
        std::fs::create_dir_all(&dir).expect("capture directory");
        std::fs::write(dir.join(format!("{stem}.json")), self.redact(reply))
            .expect("capture reply");
        std::fs::write(dir.join(format!("{stem}.request.json")), self.redact(request))
            .expect("capture request");
    }

    /// Replaces this machine's paths, which some replies quote, with placeholders, and the
    /// secrets of the throwaway keys (private keys, mnemonics) with values of the same shape
    /// that unlock nothing.
    fn redact(&self, bytes: &[u8]) -> Vec<u8> {
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        for (path, placeholder) in &self.redactions {
            text = text.replace(path.as_str(), placeholder);
        }
        // Only a body with secrets is rewritten: going through `Value` would round numbers above
        // u64, and no reply with secrets has any.
        if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text)
            && hide_secrets(&mut value)
        {
            return value.to_string().into_bytes();
        }
        text.into_bytes()
    }
}

/// The words of a mnemonic that unlocks nothing.
const PLACEHOLDER_WORDS: &str = "abandon abandon abandon abandon abandon abandon abandon abandon \
    abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon \
    abandon abandon abandon abandon art";

/// Replaces the values of `sk`, `entropy`, `private_key` (hex: zeroed, same length), `seed`,
/// `mnemonic` and `mnemonic_or_pk` keys anywhere in `value`; returns whether there were any.
fn hide_secrets(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut found = false;
            for (key, entry) in map.iter_mut() {
                let placeholder = match (key.as_str(), &*entry) {
                    ("sk", Value::String(_)) => {
                        Some(Value::String(format!("0x{}", "00".repeat(32))))
                    }
                    ("entropy" | "private_key", Value::String(hex)) => Some(Value::String(
                        hex.chars()
                            .enumerate()
                            .map(|(at, c)| if at < 2 && hex.starts_with("0x") { c } else { '0' })
                            .collect(),
                    )),
                    ("seed", Value::String(_)) => Some(Value::String(PLACEHOLDER_WORDS.to_owned())),
                    // The daemon takes a mnemonic as one string (a public key has no spaces).
                    ("mnemonic" | "mnemonic_or_pk", Value::String(words))
                        if words.contains(' ') =>
                    {
                        Some(Value::String(PLACEHOLDER_WORDS.to_owned()))
                    }
                    ("mnemonic", Value::Array(_)) => Some(Value::Array(
                        PLACEHOLDER_WORDS
                            .split(' ')
                            .map(|word| Value::String(word.to_owned()))
                            .collect(),
                    )),
                    _ => None,
                };
                match placeholder {
                    Some(placeholder) => {
                        *entry = placeholder;
                        found = true;
                    }
                    None => found |= hide_secrets(entry),
                }
            }
            found
        }
        Value::Array(items) => {
            // Every item is visited: a secret in a later item must be hidden too.
            let mut found = false;
            for item in items {
                found |= hide_secrets(item);
            }
            found
        }
        _ => false,
    }
}
