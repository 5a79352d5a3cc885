// The call shape every endpoint has, the iterator example, spawnable calls, and a record fixed
// by consensus built with a struct literal.
use std::future::IntoFuture;
use std::time::Duration;

use chia_rpc::prelude::*;
use chia_rpc::testing::FixtureTransport;
use chia_rpc::types::Coin;

fn spawnable<T: IntoFuture + Send + 'static>(_call: T)
where
    T::IntoFuture: Send,
{
}

fn main() {
    let client = Client::new(FixtureTransport::new());
    let hashes = vec![Bytes32::new([1; 32]), Bytes32::new([2; 32])];
    let calls: Vec<_> = hashes.iter().map(|h| client.full_node().get_block(*h)).collect();
    for call in calls {
        spawnable(call);
    }
    spawnable(client.full_node().get_blocks(0, 10).exclude_reorged(true).timeout(Duration::from_secs(5)));
    let node = client.full_node();
    spawnable(node.get_blockchain_state());
    spawnable(node.get_blockchain_state().strictness(Strictness::Strict));
    let zero = Bytes32::new([0; 32]);
    let coin = Coin { parent_coin_info: zero, puzzle_hash: zero, amount: 1 };
    assert_eq!(coin, Coin::new(zero, zero, 1));
}
