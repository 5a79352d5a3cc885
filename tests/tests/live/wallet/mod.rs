//! The wallet, driven through real payments, CATs, offers, NFTs, DIDs, VCs, plot NFTs, the
//! data-layer wallet and the signer protocol. Each step leaves the state the next one needs;
//! every reply is decoded strictly by the suite's client.

mod cats;
mod coins;
mod dids;
mod dl;
mod keys;
mod messages;
mod nfts;
mod offers;
mod pool;
mod signing;

use std::time::Duration;

use chia_rpc::simulator::SimulatorRpc;
use chia_rpc::types::TransactionRecord;
use chia_rpc::wallet::WalletRpc;
use chia_rpc::{Address, Bytes32, ServiceClients};

use crate::Live;

/// Making blocks takes the simulator's few tiny plots usually a second, now and then minutes.
const BLOCK_MAKING: Duration = Duration::from_secs(600);

/// The standard wallet of every key.
pub const XCH_WALLET: u32 = 1;

/// What every wallet step needs: the handles, the logged-in key and its address, and the
/// second key that takes offers and receives payments.
pub struct Ctx<'a> {
    pub live: &'a Live,
    pub fingerprint: u32,
    pub address: Address,
    pub other_fingerprint: u32,
    pub other_address: Address,
}

impl<'a> Ctx<'a> {
    pub fn wallet(&self) -> WalletRpc<'a> {
        self.live.client.wallet()
    }

    pub fn sim(&self) -> SimulatorRpc<'a> {
        self.live.client.simulator()
    }

    /// Farms one transaction block (rewards to the logged-in key) and waits until the wallet
    /// has seen it.
    pub async fn farm(&self) -> u32 {
        let height = self
            .sim()
            .farm_block(self.address.clone())
            .guarantee_tx_block(true)
            .timeout(BLOCK_MAKING)
            .await
            .unwrap()
            .new_peak_height;
        self.wait_for_height(height).await;
        height
    }

    /// Waits until the wallet is synced to at least `height`.
    pub async fn wait_for_height(&self, height: u32) {
        if !self.synced_within(height, 240).await {
            panic!("the wallet did not reach height {height}");
        }
    }

    /// Polls every 250 ms, `polls` times, for the wallet to be synced to at least `height`.
    async fn synced_within(&self, height: u32, polls: u32) -> bool {
        for _ in 0..polls {
            let info = self.wallet().get_height_info().await.unwrap();
            let sync = self.wallet().get_sync_status().await.unwrap();
            if info.height >= height && sync.synced {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        false
    }

    /// Farms until the coins every transaction in `txs` spends are spent on chain, and the
    /// wallet has seen those blocks. (With merged spends one transaction carries the bundle of
    /// all; a transaction pushed outside the wallet is not in its history.)
    pub async fn confirm(&self, txs: &[TransactionRecord]) {
        // Several records may carry the same bundle.
        let coins: Vec<Bytes32> = txs
            .iter()
            .filter_map(|tx| tx.spend_bundle.as_ref())
            .flat_map(|bundle| &bundle.coin_spends)
            .map(|spend| spend.coin.coin_id())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert!(!coins.is_empty(), "nothing to confirm in {txs:?}");
        self.confirm_spent(coins).await;
    }

    /// Farms until `coins` are spent on chain, and the wallet has seen those blocks.
    pub async fn confirm_spent(&self, coins: Vec<Bytes32>) {
        let node = self.live.client.full_node();
        for _ in 0..10 {
            let height = self.farm().await;
            let records = node
                .get_coin_records_by_names(coins.clone())
                .include_spent_coins(true)
                .await
                .unwrap();
            let spent =
                records.coin_records.iter().filter(|record| record.spent_block_index > 0).count();
            if spent == coins.len() {
                self.wait_for_height(height).await;
                return;
            }
        }
        let records =
            node.get_coin_records_by_names(coins.clone()).include_spent_coins(true).await.unwrap();
        let seen: Vec<(Bytes32, u32)> = records
            .coin_records
            .iter()
            .map(|record| (record.coin.coin_id(), record.spent_block_index))
            .collect();
        panic!("the coins {coins:?} were not spent; on chain: {seen:?}");
    }

    /// Switches the wallet to `fingerprint` and waits for it to sync.
    pub async fn log_in(&self, fingerprint: u32) {
        let logged = self.wallet().log_in(fingerprint).await.unwrap();
        assert_eq!(logged.fingerprint, fingerprint);
        let peak = self.sim().get_blockchain_state().await.unwrap().blockchain_state.peak;
        // A wallet that has just switched keys may stay "syncing" until it sees a new peak,
        // so after a while one more block is farmed to give it one.
        if !self.synced_within(peak.map_or(0, |peak| peak.height), 60).await {
            self.farm().await;
        }
    }
}

/// Every wallet family, in the order their state builds up.
pub async fn everything(live: &Live, address: &Address, fingerprint: u32) {
    let (other_fingerprint, other_address) = keys::second_key(live, fingerprint).await;
    let ctx = Ctx { live, fingerprint, address: address.clone(), other_fingerprint, other_address };
    keys::reads(&ctx).await;
    pool::plot_nft(&ctx).await;
    coins::node_and_balances(&ctx).await;
    coins::payments(&ctx).await;
    coins::coin_management(&ctx).await;
    coins::clawback(&ctx).await;
    messages::notifications_and_signatures(&ctx).await;
    signing::signer_protocol(&ctx).await;
    let cat = cats::cat_wallet(&ctx).await;
    offers::offers(&ctx, &cat).await;
    let did = dids::did_wallet(&ctx).await;
    nfts::nfts(&ctx, &did).await;
    dids::vcs(&ctx, &did).await;
    dids::transfer_a_did(&ctx).await;
    dl::data_layer_wallet(&ctx).await;
    keys::delete_the_second_key(&ctx).await;
}
