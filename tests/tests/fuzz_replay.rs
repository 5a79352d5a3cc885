//! The fuzz targets' inputs on the stable toolchain: every captured reply, and a few thousand
//! deterministic mutations of each, through the same harness the `cargo fuzz` targets run
//! (`fuzz/src/lib.rs`). No decode may panic. With `CHIA_RPC_FUZZ_CORPUS=<dir>` the seeds are
//! also written there, one directory per target, to start `cargo fuzz run` from.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chia_rpc::Service;
use harness::{EVENT_TARGET, Family};

/// The seeds of every target: captured replies, and a minimal body for routes and pushes
/// that have none.
fn seeds() -> BTreeMap<&'static str, Vec<(String, Vec<u8>)>> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chia-2.7.5");
    let mut seeds: BTreeMap<&'static str, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    let mut bodies: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (dir, family) in [
        ("full_node", Family::FullNode),
        ("simulator", Family::FullNode),
        ("shared", Family::FullNode),
        ("wallet", Family::Wallet),
        ("farmer", Family::Services),
        ("harvester", Family::Services),
        ("data_layer", Family::Services),
        ("crawler", Family::Services),
        ("solver", Family::Services),
    ] {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(base.join(dir)).unwrap().map(|entry| entry.unwrap().path()).collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".request.json") {
                continue;
            }
            let route = name.split('.').next().unwrap().to_owned();
            let body = std::fs::read(&path).unwrap();
            bodies.entry(route.clone()).or_insert_with(|| body.clone());
            let seed = (format!("{dir}.{name}"), harness::input(&route, &body));
            seeds.entry(family.target()).or_default().push(seed);
        }
    }
    let minimal = br#"{"success": true}"#.to_vec();
    for route in chia_rpc::endpoint_names(Service::Daemon) {
        let seed = (format!("daemon.{route}"), harness::input(route, &minimal));
        seeds.entry(Family::Daemon.target()).or_default().push(seed);
    }
    for push in harness::known_pushes() {
        let command = push.split(' ').nth(1).unwrap_or_default();
        let body = bodies.get(command).unwrap_or(&minimal);
        let seed = (push.replace(' ', "."), harness::input(&push, body));
        seeds.entry(EVENT_TARGET).or_default().push(seed);
    }
    seeds
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values that trip decoders: huge and negative numbers, wrong types, bad escapes, depth.
const TOKENS: &[&str] = &[
    "null",
    "-1",
    "1e999",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "0.5",
    "\"\"",
    "\"0x\"",
    "\"0xzz\"",
    "\"\\ud800\"",
    "\"\u{1F600}\u{0301}\"",
    "[]",
    "{}",
    "true",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "\"success\": false",
    "\"structuredError\": {\"code\": 7, \"data\": []}",
];

/// One mutation of `input` that keeps its first line (what to decode) and changes the body.
fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let start = input.iter().position(|&byte| byte == b'\n').map_or(0, |newline| newline + 1);
    let (head, body) = input.split_at(start);
    let mut body = body.to_vec();
    let at = rng.below(body.len() + 1);
    match rng.below(6) {
        0 if !body.is_empty() => {
            let last = body.len() - 1;
            body[at.min(last)] ^= 1 << rng.below(8);
        }
        1 => body.truncate(at),
        2 => {
            let end = (at + rng.below(64)).min(body.len());
            body.drain(at..end);
        }
        3 => {
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            body.splice(at..at, token.iter().copied());
        }
        4 => {
            // Replace a value after a colon with a token.
            if let Some(colon) = body[at..].iter().position(|&byte| byte == b':') {
                let from = at + colon + 1;
                let to = body[from..]
                    .iter()
                    .position(|&byte| byte == b',' || byte == b'}')
                    .map_or(body.len(), |end| from + end);
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                body.splice(from..to, token.iter().copied());
            }
        }
        _ => {
            let end = (at + rng.below(256)).min(body.len());
            let copy = body[at..end].to_vec();
            let to = rng.below(body.len() + 1);
            body.splice(to..to, copy);
        }
    }
    [head, &body].concat()
}

fn run(target: &str, input: &[u8]) {
    match target {
        EVENT_TARGET => harness::event(input),
        _ => {
            let family = Family::ALL.into_iter().find(|family| family.target() == target).unwrap();
            harness::reply(family, input);
        }
    }
}

#[test]
fn captured_replies_and_their_mutations_decode_without_panic() {
    let seeds = seeds();
    if let Some(dir) = std::env::var_os("CHIA_RPC_FUZZ_CORPUS") {
        for (target, inputs) in &seeds {
            let dir = PathBuf::from(&dir).join(target);
            std::fs::create_dir_all(&dir).unwrap();
            for (name, input) in inputs {
                std::fs::write(dir.join(name), input).unwrap();
            }
        }
    }
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut runs = BTreeMap::new();
    for (target, inputs) in &seeds {
        // Every seed must name something the target decodes.
        for (name, input) in inputs {
            if *target != EVENT_TARGET {
                let family = Family::ALL.into_iter().find(|f| f.target() == *target).unwrap();
                assert!(harness::reply(family, input), "{target}: {name} names no known route");
            }
        }
        let mut count = 0usize;
        for (_, input) in inputs {
            run(target, input);
            count += 1;
            // Small inputs get more mutations than large ones: about the same bytes each.
            let mutations = (40_000 / input.len().max(1)).clamp(4, 60);
            for _ in 0..mutations {
                run(target, &mutate(input, &mut rng));
                count += 1;
            }
        }
        runs.insert(*target, count);
    }
    println!("fuzz replay: {runs:?}");
    assert_eq!(runs.len(), 5, "{runs:?}");
    assert!(runs.values().all(|&count| count >= 500), "{runs:?}");
}
