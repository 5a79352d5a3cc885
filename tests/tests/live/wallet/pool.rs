//! A plot NFT that pools with itself: created, its status read, rewards farmed to it and
//! absorbed.

use std::time::Duration;

use chia_rpc::Address;
use chia_rpc::types::{
    CreateNewWalletType, InitialPoolSingletonState, NewPoolWalletInitialTargetState,
    WalletCreationMode, WalletType,
};

use super::{BLOCK_MAKING, Ctx};

pub async fn plot_nft(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    let created = wallet
        .create_new_wallet(CreateNewWalletType::PoolWallet)
        .mode(WalletCreationMode::New)
        .initial_target_state(NewPoolWalletInitialTargetState::new(
            InitialPoolSingletonState::SelfPooling,
        ))
        // Version 1 plot NFTs are not confirmed on a simulator here; version 2 is the current one.
        .plotnft_version(2)
        .await
        .unwrap();
    ctx.confirm(created.transactions.as_deref().unwrap_or_default()).await;
    let p2 = created.p2_singleton_puzzle_hash.expect("a plot NFT's pool address");

    // The pool wallet appears once the launcher is confirmed.
    let mut pool_wallet = None;
    for _ in 0..20 {
        let wallets = wallet.get_wallets().await.unwrap().wallets;
        pool_wallet = wallets
            .iter()
            .find(|info| matches!(info.r#type, WalletType::PoolingWallet | WalletType::Plotnft2))
            .map(|info| info.id);
        if pool_wallet.is_some() {
            break;
        }
        ctx.farm().await;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let pool_wallet = pool_wallet.expect("the pool wallet");
    let status = wallet.pw_status(pool_wallet).await.unwrap();
    assert_eq!(status.state.p2_singleton_puzzle_hash, p2);

    // Pool rewards paid to the plot NFT, then absorbed into the wallet.
    let pool_address = Address::encode("txch", p2).unwrap();
    let height = ctx
        .sim()
        .farm_block(pool_address)
        .blocks(2)
        .guarantee_tx_block(true)
        .timeout(BLOCK_MAKING)
        .await
        .unwrap()
        .new_peak_height;
    ctx.wait_for_height(height).await;
    let absorbed = wallet.pw_absorb_rewards(pool_wallet).await.unwrap();
    ctx.confirm(&absorbed.transactions).await;

    // It pools with itself already, so there is no pool to leave: a failure reply.
    let err = wallet.pw_self_pool(pool_wallet).await.unwrap_err();
    let failure = err.rpc_failure().expect("a failure reply");
    assert!(failure.message.contains("non-pooling"), "{err}");
}
