//! The data layer: two stores launched and confirmed on chain, written in every way (batches,
//! single inserts and deletes, open batches published later or dropped, several stores at
//! once), read back (values, keys and pairs whole and paged, past roots, diffs, history),
//! proven, mirrored, offered (and an offer taken by a second key the wallet switches to),
//! written out as files, subscribed to and unsubscribed from.
//!
//! Every update waits for its confirmation the way a user would: blocks are farmed and the
//! data layer is polled until its local root and the chain agree on the new generation.

mod reads;
mod sharing;
mod trade;
mod writes;

use std::future::Future;

use chia_rpc::data_layer::DataLayerRpc;
use chia_rpc::types::DataStoreSyncStatus;
use chia_rpc::{Address, Bytes, Bytes32, ServiceClients};

use super::{BLOCK_MAKING, Settings};
use crate::Live;

/// Blocks farmed while waiting for one confirmation before giving up.
const FARMING_ROUNDS: usize = 40;

/// The all-zero hash: the root of an empty store.
const EMPTY_ROOT: Bytes32 = Bytes32::new([0; 32]);

/// The stores of the scenario: the maker's side of the offers, and the taker's side, which
/// ends up holding a single key.
pub struct Stores {
    pub maker: Bytes32,
    pub taker: Bytes32,
}

/// The handles and the address blocks are farmed to.
pub struct Dl<'a> {
    live: &'a Live,
    address: Address,
}

impl<'a> Dl<'a> {
    fn api(&self) -> DataLayerRpc<'a> {
        self.live.client.data_layer()
    }

    /// Farms one transaction block and waits until the wallet, which the data layer asks about
    /// the chain, has synced it.
    async fn farm(&self) {
        let sim = self.live.client.simulator();
        let farmed = sim
            .farm_block(self.address.clone())
            .guarantee_tx_block(true)
            .timeout(BLOCK_MAKING)
            .await
            .unwrap();
        let wallet = self.live.client.wallet();
        super::poll("the wallet to sync the farmed block", BLOCK_MAKING, || async {
            let height = wallet.get_height_info().await.unwrap().height;
            let synced = wallet.get_sync_status().await.unwrap().synced;
            (height >= farmed.new_peak_height && synced).then_some(())
        })
        .await;
    }

    /// Asks `check` after every farmed block (and once before any) until it returns `Some`.
    async fn farm_until<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        for _ in 0..FARMING_ROUNDS {
            if let Some(value) = check().await {
                return value;
            }
            self.farm().await;
        }
        panic!("{what}: not after {FARMING_ROUNDS} blocks");
    }

    /// Farms until the store's local root and its singleton on chain are both at `generation`.
    async fn confirmed(&self, store: Bytes32, generation: u32) -> DataStoreSyncStatus {
        let status = self.caught_up(store, generation).await;
        assert_eq!(status.generation, generation, "store {store} went past it: {status:?}");
        status
    }

    /// Farms until the store's local root has caught up with its singleton on chain, at
    /// `generation` or later.
    async fn caught_up(&self, store: Bytes32, generation: u32) -> DataStoreSyncStatus {
        let what = format!("store {store} at generation {generation}");
        self.farm_until(&what, || async {
            // Fails until the wallet has the store's singleton confirmed.
            let status = match self.api().get_sync_status(store).await {
                Ok(reply) => reply.sync_status,
                Err(err) if err.rpc_failure().is_some() => return None,
                Err(err) => panic!("get_sync_status: {err}"),
            };
            (status.generation >= generation && status.generation == status.target_generation)
                .then_some(status)
        })
        .await
    }
}

pub async fn data_layer(live: &Live, settings: &Settings) {
    let dl = Dl { live, address: settings.address.clone() };
    let api = dl.api();
    api.wallet_log_in(settings.fingerprint).await.unwrap();
    // The harness configures no uploader or downloader plugin.
    let plugins = api.check_plugins().await.unwrap().plugin_status;
    assert!(plugins.uploaders.is_empty() && plugins.downloaders.is_empty(), "{plugins:?}");

    let stores = writes::launch(&dl).await;
    let roots = writes::single_updates(&dl, stores.maker).await;
    reads::values_and_keys(&dl, &stores, &roots).await;
    reads::diffs_and_history(&dl, stores.maker, &roots).await;
    reads::proofs(&dl, stores.maker).await;
    writes::open_batches(&dl, &stores).await;
    reads::ancestors(&dl, &stores).await;
    sharing::mirrors(&dl, stores.maker).await;
    sharing::offers(&dl, &stores).await;
    trade::taken_by_another_key(&dl, &stores, settings.fingerprint).await;
    sharing::files(&dl, stores.maker).await;
    sharing::subscriptions(&dl, &stores).await;
}

/// Text as the bytes of a key or value.
fn bytes(text: &str) -> Bytes {
    Bytes::from(text.as_bytes())
}

/// A store id no store has.
fn unknown_store() -> Bytes32 {
    Bytes32::new([0xcd; 32])
}
