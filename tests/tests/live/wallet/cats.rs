//! A CAT minted in test mode, named, looked up and sent.

use chia_rpc::Bytes32;
use chia_rpc::types::{CreateNewWalletType, WalletCreationMode};

use super::Ctx;

/// The CAT the later steps trade.
pub struct Cat {
    pub wallet_id: u32,
    pub asset_id: Bytes32,
}

pub async fn cat_wallet(ctx: &Ctx<'_>) -> Cat {
    let wallet = ctx.wallet();
    let created = wallet
        .create_new_wallet(CreateNewWalletType::CatWallet)
        .mode(WalletCreationMode::New)
        .test(true)
        .amount(100_000)
        .name("chia-rpc test CAT".to_owned())
        .await
        .unwrap();
    let wallet_id = created.wallet_id.expect("a CAT wallet id");
    let asset_id = created.asset_id.expect("a new CAT has an asset id");
    ctx.confirm(created.transactions.as_deref().unwrap_or_default()).await;

    assert_eq!(wallet.cat_get_asset_id(wallet_id).await.unwrap().asset_id, asset_id);
    wallet.cat_set_name(wallet_id, "chia-rpc CAT".to_owned()).await.unwrap();
    assert_eq!(wallet.cat_get_name(wallet_id).await.unwrap().name, "chia-rpc CAT");
    let named = wallet.cat_asset_id_to_name(asset_id).await.unwrap();
    assert_eq!(named.wallet_id, Some(wallet_id));
    assert!(!wallet.get_cat_list().await.unwrap().cat_list.is_empty());
    wallet.get_stray_cats().await.unwrap();

    let balance = wallet.get_wallet_balance(wallet_id).await.unwrap().wallet_balance;
    assert_eq!(balance.confirmed_wallet_balance, 100_000);
    let sent = wallet
        .cat_spend(wallet_id)
        .inner_address(ctx.other_address.clone())
        .amount(1_000)
        .await
        .unwrap();
    ctx.confirm(&sent.transactions).await;
    Cat { wallet_id, asset_id }
}
