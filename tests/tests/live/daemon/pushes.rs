//! The pushes the services send while the suite works: collected from a strict event stream,
//! and awaited after a block and a payment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chia_rpc::decode::Strictness;
use chia_rpc::wallet::SendTransaction;
use chia_rpc::ws::{DaemonTransport, Notice, Pushed};
use chia_rpc::{Address, Client, ServiceClients};
use tokio_stream::StreamExt;

use super::LiveDaemon;

/// What the event stream delivered.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// `(origin, command)` of every push decoded strictly, with how many came.
    pub decoded: BTreeMap<(String, String), usize>,
    /// Pushes that did not decode strictly: the error of each.
    pub errors: Vec<String>,
    /// Connection notices, in order (`disconnected`, `reconnected`, `lagged`).
    pub notices: Vec<String>,
}

impl Seen {
    fn has(&self, origin: &str, command: &str) -> bool {
        self.decoded.contains_key(&(origin.to_owned(), command.to_owned()))
    }
}

/// Reads a strict event stream in the background.
pub struct Collector {
    seen: Arc<Mutex<Seen>>,
    task: tokio::task::JoinHandle<()>,
}

impl Collector {
    pub fn start(transport: &DaemonTransport, capture: Option<PathBuf>) -> Collector {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let mut events = transport.events().strictness(Strictness::Strict);
        let sink = seen.clone();
        let task = tokio::spawn(async move {
            let mut captured = BTreeSet::new();
            while let Some(item) = events.next().await {
                let mut seen = sink.lock().unwrap();
                match item {
                    Ok(Notice::Event(pushed)) => {
                        let key =
                            (pushed.event.origin().to_owned(), pushed.event.command().to_owned());
                        if let Some(dir) = &capture
                            && captured.insert(key.clone())
                        {
                            write_fixture(dir, &pushed);
                        }
                        *seen.decoded.entry(key).or_default() += 1;
                    }
                    Ok(Notice::Disconnected { .. }) => seen.notices.push("disconnected".to_owned()),
                    Ok(Notice::Reconnected) => seen.notices.push("reconnected".to_owned()),
                    Ok(Notice::Lagged { missed }) => seen.notices.push(format!("lagged {missed}")),
                    Ok(other) => seen.notices.push(format!("{other:?}")),
                    Err(err) => seen.errors.push(err.to_string()),
                }
            }
        });
        Collector { seen, task }
    }

    /// What has come so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap().clone()
    }

    /// Waits until `done` holds for what has come, up to `limit`; returns what came.
    pub async fn wait_for(&self, limit: Duration, done: impl Fn(&Seen) -> bool) -> Seen {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let seen = self.seen();
            if done(&seen) || tokio::time::Instant::now() >= deadline {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops collecting; returns everything that came.
    pub async fn stop(&self) -> Seen {
        self.task.abort();
        self.seen()
    }
}

/// Writes a push as a whole daemon message, one per `(origin, command)`, into
/// `<dir>/events/<origin>.<command>.json` (what `chia-rpc decode daemon-message` reads).
fn write_fixture(dir: &std::path::Path, pushed: &Pushed) {
    let data: serde_json::Value = serde_json::from_slice(&pushed.data).unwrap();
    let message = serde_json::json!({
        "command": pushed.event.command(),
        "ack": false,
        "data": data,
        "request_id": pushed.request_id,
        "destination": pushed.destination,
        "origin": pushed.event.origin(),
    });
    let dir = dir.join("events");
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!("{}.{}.json", pushed.event.origin(), pushed.event.command());
    std::fs::write(dir.join(name), format!("{message}\n")).unwrap();
}

/// The pushes every block and every payment cause.
const AFTER_BLOCK_AND_PAYMENT: &[(&str, &str)] = &[
    ("chia_full_node", "block"),
    ("chia_full_node", "get_blockchain_state"),
    ("chia_wallet", "state_changed"),
    ("chia_wallet", "coin_added"),
];

pub async fn after_a_block_and_a_payment(d: &LiveDaemon, https: &Client, address: &Address) {
    let sim = d.client.simulator();
    sim.farm_block(address.clone()).await.unwrap();
    // The wallet may not have seen the block yet, and while it syncs it reports a cached
    // balance: try the payment itself, farming again now and then, until there is something
    // to spend. A refused payment spends nothing, so trying again is safe.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    let mut attempts = 0u32;
    let sent = loop {
        let payment = SendTransaction::new(1, 1_000, address.clone()).fee(0);
        match https.call(payment).await {
            Ok(sent) => break sent,
            Err(err) if err.to_string().contains("Can't spend more than wallet balance") => {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "nothing to spend after 90 s: {err}"
                );
                attempts += 1;
                if attempts.is_multiple_of(10) {
                    sim.farm_block(address.clone()).await.unwrap();
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(err) => panic!("send_transaction: {err}"),
        }
    };
    assert!(!sent.transaction_id.to_string().is_empty());
    sim.farm_block(address.clone()).await.unwrap();
    let seen = d
        .pushes
        .wait_for(Duration::from_secs(90), |seen| {
            AFTER_BLOCK_AND_PAYMENT.iter().all(|(origin, command)| seen.has(origin, command))
        })
        .await;
    for (origin, command) in AFTER_BLOCK_AND_PAYMENT {
        assert!(seen.has(origin, command), "no {command} from {origin}; seen {:?}", seen.decoded);
    }
    assert!(seen.errors.is_empty(), "pushes that did not decode strictly: {:?}", seen.errors);
}
