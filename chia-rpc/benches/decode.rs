//! How fast replies captured from a real node decode into the typed model, against two
//! baselines over the same bytes:
//!
//! - `serde_json response type`: `serde_json::from_slice` straight into the response struct, one
//!   pass with no envelope and no error handling — the floor a single-pass decode can reach;
//! - `serde_json::Value`: an untyped parse (which also loses uint128 precision).
//!
//! `typed` should sit at the first baseline: the `success` key is read in the same pass.
//!
//! `cargo bench -p chia-rpc --bench decode`
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;

use bytes::Bytes;
use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::full_node::{GetBlockchainState, GetBlocks, GetCoinRecordsByPuzzleHash};
use chia_rpc::simulator::GetAllBlocks;
use chia_rpc::{Endpoint, shared::GetConnections};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn fixture(path: &str) -> Bytes {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/chia-2.7.5").join(path);
    Bytes::from(std::fs::read(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display())))
}

fn bench_endpoint<E: Endpoint>(c: &mut Criterion, path: &str) {
    let body = fixture(path);
    let mut group = c.benchmark_group(E::NAME);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| decode_response::<E>(black_box(body.clone()), Strictness::Lenient))
    });
    group.bench_function("typed strict", |b| {
        b.iter(|| decode_response::<E>(black_box(body.clone()), Strictness::Strict))
    });
    group.bench_function("serde_json response type", |b| {
        b.iter(|| serde_json::from_slice::<E::Response>(black_box(&body)))
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)))
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    bench_endpoint::<GetBlockchainState>(c, "full_node/get_blockchain_state.json");
    bench_endpoint::<GetBlocks>(c, "full_node/get_blocks.json");
    bench_endpoint::<GetAllBlocks>(c, "simulator/get_all_blocks.json");
    bench_endpoint::<GetCoinRecordsByPuzzleHash>(
        c,
        "full_node/get_coin_records_by_puzzle_hash.json",
    );
    bench_endpoint::<GetConnections>(c, "shared/get_connections.json");
}

criterion_group!(benches, decode);
criterion_main!(benches);
