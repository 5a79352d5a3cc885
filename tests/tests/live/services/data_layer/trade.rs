//! An offer taken for real: a second key owns a store of its own, the data layer's wallet
//! switches to it to take the funded key's offer, and both stores end up with the traded pairs.
//! (The wallet refuses to take an offer of its own key, so the taker must be another key.)

use chia_rpc::types::{DataLayerKeyValue, DataLayerOfferStore};
use chia_rpc::{Address, Bytes32, ServiceClients};

use super::{Dl, Stores, bytes};

/// The standard wallet of every key.
const XCH_WALLET: u32 = 1;

/// A second key takes an offer of the maker store for a store of its own; the key is deleted
/// afterwards and the wallet is back on `fingerprint`.
pub async fn taken_by_another_key(dl: &Dl<'_>, stores: &Stores, fingerprint: u32) {
    let (taker_key, taker_address) = second_key(dl, fingerprint).await;
    // Rewards of a farmed block fund the second key's store launch.
    let funder = Dl { live: dl.live, address: taker_address };
    logged_in(dl, taker_key).await;
    let wallet = dl.live.client.wallet();
    funder
        .farm_until("the second key funded", || async {
            let balance = wallet.get_wallet_balance(XCH_WALLET).await.unwrap().wallet_balance;
            (balance.spendable_balance > 0).then_some(())
        })
        .await;
    let theirs = funder.api().create_data_store().await.unwrap().id;
    funder.confirmed(theirs, 0).await;

    logged_in(dl, fingerprint).await;
    // The maker's wallet must follow the taker's store to ask for its update in an offer.
    dl.api().subscribe(theirs).await.unwrap();
    let generation = current(dl, stores.maker).await;
    dl.confirmed(stores.maker, generation).await;
    let maker_side = DataLayerOfferStore::new(stores.maker, vec![pair("traded", "by the maker")]);
    let taker_side = DataLayerOfferStore::new(theirs, vec![pair("paid", "by the taker")]);
    let offer = dl.api().make_offer(vec![maker_side], vec![taker_side], None).await.unwrap().offer;

    logged_in(dl, taker_key).await;
    let taken = funder.api().take_offer(offer, Some(0)).await.unwrap();
    assert_ne!(taken.trade_id, Bytes32::new([0; 32]));
    // A taken offer spends each store's singleton twice: first to the new root, then again
    // with the same root.
    let theirs_now = funder.caught_up(theirs, 2).await;
    let paid = funder.api().get_value(theirs, bytes("paid")).await.unwrap().value;
    assert_eq!(paid, bytes("by the taker"));
    let taker_root = funder.api().get_local_root(theirs).await.unwrap().hash;
    assert_eq!(taker_root, Some(theirs_now.root_hash));

    logged_in(dl, fingerprint).await;
    let maker_now = dl.caught_up(stores.maker, generation + 2).await;
    let traded = dl.api().get_value(stores.maker, bytes("traded")).await.unwrap().value;
    assert_eq!(traded, bytes("by the maker"));
    let maker_root = dl.api().get_local_root(stores.maker).await.unwrap().hash;
    assert_eq!(maker_root, Some(maker_now.root_hash));
    // The maker's side sees the taker's store updated too.
    let seen = dl.api().get_root(theirs).await.unwrap().hash;
    assert_eq!(Some(seen), taker_root);
    dl.api().unsubscribe(theirs).await.unwrap();
    delete_key(dl, taker_key, fingerprint).await;
}

fn pair(key: &str, value: &str) -> DataLayerKeyValue {
    DataLayerKeyValue::new(bytes(key), bytes(value))
}

/// The store's generation on chain right now.
async fn current(dl: &Dl<'_>, store: Bytes32) -> u32 {
    dl.api().get_sync_status(store).await.unwrap().sync_status.target_generation
}

/// Adds a key from fresh words (the wallet logs in with it) and takes its first address.
async fn second_key(dl: &Dl<'_>, fingerprint: u32) -> (u32, Address) {
    let wallet = dl.live.client.wallet();
    let words = wallet.generate_mnemonic().await.unwrap().mnemonic;
    let added = wallet.add_key(words).label("chia-rpc data layer taker".to_owned()).await.unwrap();
    assert_ne!(added.fingerprint, fingerprint);
    let address = wallet.get_next_address(XCH_WALLET).await.unwrap().address;
    (added.fingerprint, address)
}

/// Switches the data layer's wallet to `fingerprint` and waits until it has synced.
async fn logged_in(dl: &Dl<'_>, fingerprint: u32) {
    dl.api().wallet_log_in(fingerprint).await.unwrap();
    let wallet = dl.live.client.wallet();
    assert_eq!(wallet.get_logged_in_fingerprint().await.unwrap().fingerprint, Some(fingerprint));
    for _ in 0..SYNC_ROUNDS {
        for _ in 0..5 {
            if wallet_synced(dl).await {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
        // A restarted wallet ignores the peak its node announces before it is ready, and then
        // waits for the next one: a new block makes it sync.
        let sim = dl.live.client.simulator();
        sim.farm_block(dl.address.clone()).timeout(super::BLOCK_MAKING).await.unwrap();
    }
    panic!("the wallet did not sync key {fingerprint}");
}

/// Blocks farmed while waiting for a wallet that switched keys to sync.
const SYNC_ROUNDS: usize = 30;

/// Whether the wallet is synced up to the node's peak.
async fn wallet_synced(dl: &Dl<'_>) -> bool {
    let wallet = dl.live.client.wallet();
    let node = dl.live.client.full_node();
    let peak = node.get_blockchain_state().await.unwrap().blockchain_state.peak;
    let height = peak.map_or(0, |peak| peak.height);
    let synced = wallet.get_sync_status().await.unwrap().synced;
    synced && wallet.get_height_info().await.unwrap().height >= height
}

/// Deletes the second key; the wallet stops, so it logs in with `fingerprint` again.
async fn delete_key(dl: &Dl<'_>, taker_key: u32, fingerprint: u32) {
    dl.live.client.wallet().delete_key(taker_key).await.unwrap();
    logged_in(dl, fingerprint).await;
    let keys = dl.live.client.wallet().get_public_keys().await.unwrap();
    assert!(!keys.public_key_fingerprints.unwrap_or_default().contains(&taker_key));
}
