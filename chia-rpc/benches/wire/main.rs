//! End to end against a local mutual-TLS HTTP/1.1 server with Chia-shaped certificates: chia-rpc
//! (verifying, typed decode) beside a raw hyper + rustls client (verifying, body discarded), in
//! the same run, on the same server.
//!
//! Cases: `get_blockchain_state` and `get_blocks` replies captured from chia-blockchain 2.7.5 at
//! 1 and 64 calls in flight, and one synthetic ~50 MB `get_coin_records_by_puzzle_hashes` reply.
//! Prints a table, then one JSON line per case (`client, scenario, concurrency, calls, seconds,
//! calls_per_s, rss_mb`) for comparison with clients in other languages.
//!
//! The server runs on a thread and a current-thread runtime of its own; the clients share one
//! current-thread runtime on the main thread.
//!
//! `cargo xtask bench [--short]`, or `cargo bench -p chia-rpc --bench wire -- [--short]`.
#![allow(missing_docs, clippy::unwrap_used)]

mod certs;
mod raw;
mod server;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chia_rpc::prelude::*;
use chia_rpc::transport::RawRequest;
use chia_rpc::{Client, HttpsTransport, Service};
use tokio::task::JoinSet;

use certs::Install;
use raw::RawClient;
use server::Server;

const STATE: &str = "get_blockchain_state";
const BLOCKS: &str = "get_blocks";
const BIG: &str = "get_coin_records_by_puzzle_hashes";

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Raw,
    /// chia-rpc's transport alone: the reply's bytes, not decoded.
    Transport,
    ChiaRpc,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Raw => "raw hyper+rustls",
            Which::Transport => "chia-rpc transport",
            Which::ChiaRpc => "chia-rpc",
        }
    }
}

/// One measured case.
#[derive(Clone)]
struct Case {
    client: Which,
    scenario: &'static str,
    concurrency: usize,
    calls: u64,
    seconds: f64,
    /// Peak resident memory growth during the case, in MB.
    rss_mb: f64,
    connections: usize,
}

impl Case {
    fn calls_per_s(&self) -> f64 {
        self.calls as f64 / self.seconds
    }

    fn json(&self) -> String {
        serde_json::json!({
            "client": self.client.name(),
            "scenario": self.scenario,
            "concurrency": self.concurrency,
            "calls": self.calls,
            "seconds": round(self.seconds, 4),
            "calls_per_s": round(self.calls_per_s(), 1),
            "rss_mb": round(self.rss_mb, 1),
        })
        .to_string()
    }
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

struct Bench {
    install: Install,
    server: Server,
    raw: RawClient,
    duration: Duration,
}

fn main() -> ExitCode {
    let short = std::env::args().any(|arg| arg == "--short");
    let (duration, rounds, big_mb) =
        if short { (Duration::from_millis(300), 1, 5) } else { (Duration::from_secs(3), 2, 50) };
    let install = Install::new();
    let big = synthetic_coin_records(big_mb << 20);
    let replies = HashMap::from([
        (STATE.to_owned(), fixture("full_node/get_blockchain_state.json")),
        (BLOCKS.to_owned(), fixture("full_node/get_blocks.json")),
        (BIG.to_owned(), big),
    ]);
    let sizes: HashMap<String, usize> =
        replies.iter().map(|(route, body)| (route.clone(), body.len())).collect();
    let server = Server::start(&install, replies);
    let raw = RawClient::new(&install, server.addr);
    let bench = Bench { install, server, raw, duration };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    match runtime.block_on(run(&bench, rounds, &sizes)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench failed: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(bench: &Bench, rounds: usize, sizes: &HashMap<String, usize>) -> chia_rpc::Result<()> {
    // The large reply first, while the process is small: its memory growth is the clearest.
    let big_size = sizes[BIG];
    let big_chia = bench.big(Which::ChiaRpc).await?;
    let big_raw = bench.big(Which::Raw).await?;
    let mut cases = vec![big_chia.clone(), big_raw.clone()];
    let mut rows = Vec::new();
    for scenario in [STATE, BLOCKS] {
        for concurrency in [1, 64] {
            let mut best: [Option<Case>; 3] = [None, None, None];
            for _ in 0..rounds {
                let clients = [Which::Raw, Which::Transport, Which::ChiaRpc];
                for (slot, which) in clients.into_iter().enumerate() {
                    let case = bench.throughput(which, scenario, concurrency).await?;
                    if best[slot].as_ref().is_none_or(|b| case.calls_per_s() > b.calls_per_s()) {
                        best[slot] = Some(case);
                    }
                }
            }
            let [Some(raw), Some(bytes), Some(chia)] = best else {
                unreachable!("every round fills each")
            };
            cases.extend([raw.clone(), bytes.clone(), chia.clone()]);
            rows.push((scenario, concurrency, raw, bytes, chia));
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "chia-rpc wire bench: mutual TLS 1.3, HTTP/1.1 keep-alive on loopback; server and clients \
         on one current-thread runtime each; {} cores; best of {rounds} round(s) of {:.1} s",
        std::thread::available_parallelism().map_or(0, usize::from),
        bench.duration.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "{:<21} {:>8} {:>8} {:>11} {:>11} {:>6} {:>11} {:>6} {:>14}",
        "scenario",
        "reply",
        "in flight",
        "raw calls/s",
        "transport",
        "ratio",
        "chia-rpc",
        "ratio",
        "conns raw/ours"
    );
    for (scenario, concurrency, raw, bytes, chia) in &rows {
        let _ = writeln!(
            out,
            "{:<21} {:>8} {:>8} {:>11.0} {:>11.0} {:>5.2}x {:>11.0} {:>5.2}x {:>14}",
            scenario,
            size(sizes[*scenario]),
            concurrency,
            raw.calls_per_s(),
            bytes.calls_per_s(),
            bytes.calls_per_s() / raw.calls_per_s(),
            chia.calls_per_s(),
            chia.calls_per_s() / raw.calls_per_s(),
            format!("{}/{}", raw.connections, chia.connections),
        );
    }
    let payload_mb = big_size as f64 / 1e6;
    let _ = writeln!(
        out,
        "{BIG} ({}): chia-rpc fetch+decode {:.3} s, raw fetch {:.3} s ({:.2}x); peak memory \
         growth chia-rpc {:.2}x the payload, raw {:.2}x; connections {}/{}",
        size(big_size),
        big_chia.seconds,
        big_raw.seconds,
        big_raw.seconds / big_chia.seconds,
        big_chia.rss_mb / payload_mb,
        big_raw.rss_mb / payload_mb,
        big_raw.connections,
        big_chia.connections,
    );
    print!("{out}");
    for case in &cases {
        println!("{}", case.json());
    }
    Ok(())
}

impl Bench {
    fn chia_client(&self) -> chia_rpc::Result<Client> {
        let transport = HttpsTransport::builder()
            .host("127.0.0.1")
            .port(Service::FullNode, self.server.addr.port())
            .ca_cert_pem(self.install.ca_pem.clone())
            .identity_pem(self.install.client.cert_pem.clone(), self.install.client.key_pem.clone())
            .build()?;
        Ok(Client::new(transport))
    }

    /// Calls `scenario` from `concurrency` tasks for the bench's duration.
    async fn throughput(
        &self,
        which: Which,
        scenario: &'static str,
        concurrency: usize,
    ) -> chia_rpc::Result<Case> {
        let client = self.chia_client()?;
        self.server.take_accepted();
        let memory = Memory::start();
        let started = Instant::now();
        let deadline = started + self.duration;
        let mut tasks = JoinSet::new();
        for _ in 0..concurrency {
            let client = client.clone();
            let raw = self.raw.clone();
            tasks.spawn(async move {
                let mut calls = 0u64;
                match which {
                    Which::Raw => {
                        let mut connection = raw.connect().await;
                        while Instant::now() < deadline {
                            connection.call(scenario).await;
                            calls += 1;
                        }
                    }
                    Which::Transport => {
                        let transport = client.transport();
                        while Instant::now() < deadline {
                            let request = RawRequest::new(Service::FullNode, scenario, "{}");
                            transport.send(request).await?;
                            calls += 1;
                        }
                    }
                    Which::ChiaRpc => {
                        let node = client.full_node();
                        while Instant::now() < deadline {
                            if scenario == STATE {
                                node.get_blockchain_state().await?;
                            } else {
                                let reply = node.get_blocks(0, 10).await?;
                                assert!(!reply.blocks.is_empty(), "no blocks decoded");
                            }
                            calls += 1;
                        }
                    }
                }
                Ok::<_, chia_rpc::Error>(calls)
            });
        }
        let mut calls = 0;
        while let Some(done) = tasks.join_next().await {
            calls += done.expect("task")?;
        }
        let seconds = started.elapsed().as_secs_f64();
        Ok(Case {
            client: which,
            scenario,
            concurrency,
            calls,
            seconds,
            rss_mb: memory.growth_mb(),
            connections: self.server.take_accepted(),
        })
    }

    /// Fetches (and for chia-rpc decodes) the large reply once.
    async fn big(&self, which: Which) -> chia_rpc::Result<Case> {
        // Both clients connect before the clock starts.
        let client = self.chia_client()?;
        let mut connection = match which {
            Which::Raw => Some(self.raw.connect().await),
            Which::Transport | Which::ChiaRpc => {
                client.full_node().get_blockchain_state().await?;
                None
            }
        };
        self.server.take_accepted();
        let memory = Memory::start();
        let started = Instant::now();
        let records = match &mut connection {
            Some(connection) => connection.call(BIG).await,
            None => {
                let reply = client.full_node().get_coin_records_by_puzzle_hashes(vec![]).await?;
                reply.coin_records.len()
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        let rss_mb = memory.growth_mb();
        assert!(records > 0, "nothing fetched");
        let connections = self.server.take_accepted() + 1;
        Ok(Case {
            client: which,
            scenario: BIG,
            concurrency: 1,
            calls: 1,
            seconds,
            rss_mb,
            connections,
        })
    }
}

/// The growth of the process's peak resident memory from a starting point (Linux; zero
/// elsewhere).
struct Memory {
    start_kb: u64,
}

impl Memory {
    fn start() -> Memory {
        // Writing 5 resets the peak (VmHWM) to the current resident size.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        Memory { start_kb: status_kb("VmRSS:") }
    }

    fn growth_mb(&self) -> f64 {
        status_kb("VmHWM:").saturating_sub(self.start_kb) as f64 * 1024.0 / 1e6
    }
}

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} KB", bytes as f64 / 1e3)
    }
}

fn fixture(path: &str) -> Bytes {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/chia-2.7.5").join(path);
    Bytes::from(std::fs::read(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display())))
}

/// A `get_coin_records_by_puzzle_hashes` reply of about `target` bytes, shaped like the full
/// node's: distinct coins, 0x-prefixed hex, the keys in the node's order.
fn synthetic_coin_records(target: usize) -> Bytes {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut hex32 = |out: &mut String| {
        out.push_str("0x");
        for _ in 0..4 {
            let _ = write!(out, "{:016x}", next());
        }
    };
    let mut body = String::with_capacity(target + 1024);
    body.push_str("{\"coin_records\": [");
    let mut index = 0u32;
    while body.len() < target {
        if index > 0 {
            body.push_str(", ");
        }
        body.push_str("{\"coin\": {\"amount\": ");
        let _ = write!(body, "{}", 1_000_000 + u64::from(index) * 7);
        body.push_str(", \"parent_coin_info\": \"");
        hex32(&mut body);
        body.push_str("\", \"puzzle_hash\": \"");
        hex32(&mut body);
        let _ = write!(
            body,
            "\"}}, \"coinbase\": false, \"confirmed_block_index\": {}, \"spent\": false, \
             \"spent_block_index\": 0, \"timestamp\": {}}}",
            index / 8,
            1_700_000_000 + u64::from(index / 8) * 18
        );
        index += 1;
    }
    body.push_str("], \"success\": true}");
    Bytes::from(body)
}
