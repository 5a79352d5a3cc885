//! What the live suite does, in order: each step makes the state the next one needs.

use std::future::IntoFuture;
use std::time::Duration;

use chia_rpc::decode::Strictness;
use chia_rpc::transport::CallOptions;
use chia_rpc::types::{MempoolInclusionStatus, NodeType, SpendBundle};
use chia_rpc::{Address, Bytes32, Service, ServiceClients};

use crate::Live;

/// Making blocks takes the simulator's few tiny plots usually a second, now and then minutes.
const BLOCK_MAKING: Duration = Duration::from_secs(600);

/// The read-only shared routes, and a log level round trip, on every running service.
pub async fn shared_routes_on_every_service(live: &Live) {
    let client = &live.client;
    for &service in Service::ALL {
        // The daemon speaks only WebSocket and the timelord runs only while the daemon suite
        // starts it: both are called through the daemon there.
        if matches!(service, Service::Simulator | Service::Solver | Service::Timelord)
            || service.is_websocket_only()
        {
            continue;
        }
        let shared = client.shared(service);
        let info = on(service, "get_network_info", shared.get_network_info().await);
        assert!(!info.network_name.is_empty());
        on(service, "get_connections", shared.get_connections().await);
        let routes = on(service, "get_routes", shared.get_routes().await).routes;
        assert!(routes.iter().any(|route| route == "/healthz"), "{service}: {routes:?}");
        let version = on(service, "get_version", shared.get_version().await);
        assert!(version.version.starts_with("2."), "{service}: {}", version.version);
        on(service, "healthz", shared.healthz().await);
        let level = on(service, "get_log_level", shared.get_log_level().await);
        assert!(!level.available_levels.is_empty());
        let set = on(service, "set_log_level", shared.set_log_level("DEBUG".to_owned()).await);
        assert_eq!(set.level, "DEBUG", "{service}");
        on(service, "reset_log_level", shared.reset_log_level().await);
    }
    // Every handle derefs to the shared routes.
    assert_eq!(client.full_node().get_network_info().await.unwrap().network_prefix, "txch");
}

/// How the real node answers what is not a valid call: plain-text HTTP statuses, which the
/// client reports as such.
pub async fn wire_faults(live: &Live) {
    let client = &live.client;
    let status = |body: Vec<u8>, route: &'static str| async move {
        client
            .send_raw(Service::FullNode, route, body, CallOptions::new())
            .await
            .unwrap_err()
            .status()
    };
    assert_eq!(status(b"{}".to_vec(), "no_such_route").await, Some(404));
    assert_eq!(status(b"{not json".to_vec(), "get_blockchain_state").await, Some(500));
    let oversized = format!("{{\"padding\": \"{}\"}}", "x".repeat(1_100_000));
    assert_eq!(status(oversized.into_bytes(), "get_blockchain_state").await, Some(413));
}

/// Unwraps a call's result, naming the endpoint and service when it failed.
fn on<T>(service: Service, endpoint: &str, result: chia_rpc::Result<T>) -> T {
    result.unwrap_or_else(|err| panic!("{endpoint} on {service}: {err}"))
}

/// The wallet drops its connection to the full node and dials it again.
pub async fn reconnect_the_wallet(live: &Live) {
    let wallet = live.client.wallet();
    let peers = wallet.get_connections().await.unwrap().connections;
    let full_node_peer = peers
        .iter()
        .find(|peer| peer.node_type == NodeType::FullNode)
        .expect("the wallet's full node");
    let only_nodes =
        wallet.get_connections().node_type(NodeType::FullNode).await.unwrap().connections;
    assert!(only_nodes.iter().all(|peer| peer.node_type == NodeType::FullNode));
    wallet.close_connection(full_node_peer.node_id).await.unwrap();
    let port = full_node_peer.peer_server_port.expect("the full node's server port");
    let mut reconnected = false;
    for _ in 0..20 {
        if wallet.open_connection("127.0.0.1".to_owned(), port).await.is_ok() {
            reconnected = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(reconnected, "the wallet could not reconnect to the full node");
}

/// Reads of the chain. Returns the hint used for the transaction flow.
pub async fn chain_reads(live: &Live, address: &Address) -> Bytes32 {
    let node = live.client.full_node();
    let state = node.get_blockchain_state().await.unwrap().blockchain_state;
    let peak = state.peak.expect("the simulator has a peak");
    assert!(peak.height >= 1);
    node.get_block_count_metrics().await.unwrap();
    let by_height = node.get_block_record_by_height(peak.height).await.unwrap().block_record;
    assert_eq!(by_height.header_hash, peak.header_hash);
    node.get_block_record(peak.header_hash).await.unwrap();
    let records = node.get_block_records(0, peak.height + 1).await.unwrap().block_records;
    assert_eq!(records.len(), peak.height as usize + 1);
    let block = node.get_block(peak.header_hash).await.unwrap().block;
    assert_eq!(block.reward_chain_block.height, peak.height);
    let blocks =
        node.get_blocks(0, peak.height + 1).exclude_header_hash(false).await.unwrap().blocks;
    assert_eq!(blocks.len(), peak.height as usize + 1);
    node.get_unfinished_block_headers().await.unwrap();
    let genesis = &records[0];
    let space = node.get_network_space(peak.header_hash, genesis.header_hash).await.unwrap();
    assert!(space.space > 0, "the simulator's plots have some space");
    node.get_additions_and_removals(peak.header_hash).await.unwrap();
    node.get_aggsig_additional_data().await.unwrap();
    // The end of a recent sub-slot is still in the node's cache (the simulator fills no
    // signage points, so the sub-slot path is the one that can succeed).
    let slot_hash = records
        .iter()
        .rev()
        .find_map(|record| record.finished_challenge_slot_hashes.as_ref()?.last().copied())
        .expect("a recent block that finished a sub-slot");
    let eos = node.get_recent_signage_point_or_eos().challenge_hash(slot_hash).await.unwrap();
    assert!(eos.eos.is_some());
    let constants = node.get_constants().await.unwrap().constants;
    assert!(constants.sub_slot_iters_starting > 0);

    let puzzle_hash = address.puzzle_hash();
    let mine = node.get_coin_records_by_puzzle_hash(puzzle_hash).await.unwrap().coin_records;
    assert!(!mine.is_empty(), "the harness funds the wallet");
    node.get_coin_records_by_puzzle_hashes(vec![puzzle_hash])
        .include_spent_coins(true)
        .await
        .unwrap();
    let coin_id = coin_id(&mine[0].coin);
    let record = node.get_coin_record_by_name(coin_id).await.unwrap().coin_record;
    assert_eq!(record.coin, mine[0].coin);
    node.get_coin_records_by_names(vec![coin_id]).await.unwrap();
    node.get_coin_records_by_parent_ids(vec![mine[0].coin.parent_coin_info]).await.unwrap();
    // A hint no coin carries yet; the transaction flow below creates one that does.
    // Unique per run, so a simulator that already ran the suite has no coin with it.
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis();
    let text = format!("chia-rpc live hint {millis:013}");
    let hint = Bytes32::try_from(text.as_bytes()).expect("32 ASCII characters");
    let none = node.get_coin_records_by_hint(hint).await.unwrap().coin_records;
    assert!(none.is_empty());
    hint
}

/// The call shape users write: required fields as arguments, optional ones and per-call options
/// as setters, handles in closures, builders sent from spawned tasks.
pub async fn call_shapes(live: &Live) {
    let client = &live.client;
    let blocks = client.full_node().get_blocks(0, 10).exclude_reorged(true).await.unwrap().blocks;
    assert!(!blocks.is_empty());
    let state = client
        .full_node()
        .get_blockchain_state()
        .timeout(Duration::from_secs(5))
        .await
        .unwrap()
        .blockchain_state;
    let peak = state.peak.expect("a peak");
    let records = client.full_node().get_block_records(0, 4).await.unwrap().block_records;
    let hashes: Vec<Bytes32> = records.iter().map(|record| record.header_hash).collect();
    let calls: Vec<_> = hashes.iter().map(|h| client.full_node().get_block(*h)).collect();
    let tasks: Vec<_> = calls.into_iter().map(|call| tokio::spawn(call.into_future())).collect();
    for (task, hash) in tasks.into_iter().zip(&hashes) {
        let block = task.await.expect("the task ran").unwrap().block;
        assert!(block.reward_chain_block.height <= peak.height, "{hash}");
    }
    // A timeout too short for any reply is a timeout error.
    let err = client
        .full_node()
        .get_blocks(0, peak.height + 1)
        .timeout(Duration::from_nanos(1))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
}

/// A signed payment from the wallet: pushed, seen in the mempool, farmed, then read back.
pub async fn transaction_flow(live: &Live, address: &Address, hint: Bytes32) {
    let node = live.client.full_node();
    // With auto-farming on, the simulator farms every pushed bundle at once; the mempool routes
    // need it to wait.
    let sim = live.client.simulator();
    if sim.get_auto_farming().await.unwrap().auto_farm_enabled {
        assert!(!sim.set_auto_farming(false).await.unwrap().auto_farm_enabled);
    }
    let bundle = signed_payment(live, address, hint).await;
    let estimate = node.get_fee_estimate(vec![60, 120]).spend_bundle(bundle.clone()).await.unwrap();
    assert_eq!(estimate.estimates.len(), 2);
    let status = node.push_tx(bundle.clone()).await.unwrap().status;
    assert_eq!(status, MempoolInclusionStatus::Success);
    let tx_ids = node.get_all_mempool_tx_ids().await.unwrap().tx_ids;
    assert_eq!(tx_ids.len(), 1);
    let items = node.get_all_mempool_items().await.unwrap().mempool_items;
    assert_eq!(items.len(), 1);
    node.get_mempool_item_by_tx_id(tx_ids[0]).await.unwrap();
    let spent_coin = bundle.coin_spends[0].coin;
    let by_coin =
        node.get_mempool_items_by_coin_name(coin_id(&spent_coin)).await.unwrap().mempool_items;
    assert_eq!(by_coin.len(), 1);
    let generator = node.create_block_generator().await.unwrap();
    assert!(generator.cost > 0);
    assert!(generator.removals.contains(&spent_coin), "the generator spends the pushed coin");

    let farmed = sim
        .farm_block(address.clone())
        .guarantee_tx_block(true)
        .timeout(BLOCK_MAKING)
        .await
        .unwrap();
    let height = farmed.new_peak_height;
    // The spend lands in the newest transaction block at or below the new peak.
    let mut block_hash = None;
    for h in (0..=height).rev() {
        let record = node.get_block_record_by_height(h).await.unwrap().block_record;
        if record.timestamp.is_some() {
            let removals = node.get_additions_and_removals(record.header_hash).await.unwrap();
            if !removals.removals.is_empty() {
                block_hash = Some((record.header_hash, h));
                break;
            }
        }
    }
    let (block_hash, block_height) = block_hash.expect("a block that spent the wallet's coin");
    let spends = node.get_block_spends(block_hash).await.unwrap().block_spends;
    assert!(!spends.is_empty());
    let with_conditions = node
        .get_block_spends_with_conditions(block_hash)
        .await
        .unwrap()
        .block_spends_with_conditions;
    assert_eq!(with_conditions.len(), spends.len());
    let solution = node.get_puzzle_and_solution(coin_id(&spent_coin), block_height).await.unwrap();
    assert_eq!(solution.coin_solution.coin, spent_coin);
    let hinted = node.get_coin_records_by_hint(hint).await.unwrap().coin_records;
    assert_eq!(hinted.len(), 1, "the payment's memo hints its coin");
}

pub async fn simulator_routes(live: &Live, address: &Address) {
    let sim = live.client.simulator();
    let before = sim.get_auto_farming().await.unwrap().auto_farm_enabled;
    let toggled = sim.set_auto_farming(!before).await.unwrap().auto_farm_enabled;
    assert_eq!(toggled, !before);
    sim.set_auto_farming(before).await.unwrap();
    sim.get_farming_ph().await.unwrap();
    let blocks = sim.get_all_blocks().await.unwrap().blocks;
    assert!(!blocks.is_empty());
    let coins = sim.get_all_coins().include_spent_coins(true).await.unwrap();
    assert!(!coins.coin_records.is_empty());
    let hashes = sim.get_all_puzzle_hashes().await.unwrap().puzzle_hashes;
    assert!(hashes.contains_key(&address.puzzle_hash()));
    // The simulator serves the full node's routes too, on its own handle.
    let state = sim.get_blockchain_state().await.unwrap().blockchain_state;
    let peak = sim.farm_block(address.clone()).blocks(2).timeout(BLOCK_MAKING).await.unwrap();
    assert!(peak.new_peak_height > state.peak.expect("a peak").height);
    let reverted = sim.revert_blocks().num_of_blocks(1).timeout(BLOCK_MAKING).await.unwrap();
    assert_eq!(reverted.new_peak_height, peak.new_peak_height - 1);
    let reorged = sim
        .reorg_blocks()
        .num_of_blocks_to_rev(1)
        .num_of_new_blocks(2)
        .timeout(BLOCK_MAKING)
        .await
        .unwrap();
    assert!(reorged.new_peak_height >= reverted.new_peak_height);
}

/// Asks the wallet for a signed, unpushed payment of 1000 mojos to itself with `hint` as memo.
/// Wallet routes are not in the schema yet, so this one goes through the raw call.
async fn signed_payment(live: &Live, address: &Address, hint: Bytes32) -> SpendBundle {
    #[derive(serde::Deserialize)]
    struct Reply {
        signed_tx: SignedTx,
    }
    #[derive(serde::Deserialize)]
    struct SignedTx {
        spend_bundle: SpendBundle,
    }
    let request = serde_json::json!({
        "wallet_id": 1,
        "additions": [{
            "amount": 1000,
            "puzzle_hash": address.puzzle_hash(),
            // The wallet takes memos as text: 32 ASCII characters make a 32-byte hint.
            "memos": [String::from_utf8_lossy(hint.as_bytes())],
        }],
        "fee": 10,
    });
    let body = live
        .client
        .send_raw(
            Service::Wallet,
            "create_signed_transaction",
            request.to_string().into_bytes(),
            CallOptions::new(),
        )
        .await
        .unwrap();
    let reply: Reply =
        chia_rpc::decode::decode_reply("create_signed_transaction", body, Strictness::Lenient)
            .unwrap();
    reply.signed_tx.spend_bundle
}

fn coin_id(coin: &chia_rpc::types::Coin) -> Bytes32 {
    coin.coin_id()
}
