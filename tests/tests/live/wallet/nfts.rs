//! NFTs owned by a DID: minted one by one and in bulk, read, given a new URI, a status, a DID,
//! royalties computed, and transferred to the other key one by one and in bulk.

use chia_rpc::Bytes32;
use chia_rpc::types::{
    CreateNewWalletType, FungibleAsset, NFTCoin, NFTMintMetadata, NFTUriKey, RoyaltyAsset,
};

use super::Ctx;
use super::dids::Did;

pub async fn nfts(ctx: &Ctx<'_>, did: &Did) {
    let wallet = ctx.wallet();
    let created = wallet
        .create_new_wallet(CreateNewWalletType::NftWallet)
        .did_id(did.did_id.clone())
        .name("chia-rpc NFTs".to_owned())
        .await
        .unwrap();
    let nft_wallet = created.wallet_id.expect("an NFT wallet id");
    let uris = vec!["https://example.invalid/1.png".to_owned()];
    let minted = wallet
        .nft_mint_nft(nft_wallet, None, None, uris, Bytes32::new([0x5a; 32]))
        .did_id(did.did_id.to_string())
        .royalty_percentage(250)
        .await
        .unwrap();
    ctx.confirm(&minted.transactions).await;
    let nft_id = minted.nft_id.clone();

    let count = wallet.nft_count_nfts().wallet_id(nft_wallet).await.unwrap().count;
    assert_eq!(count, 1);
    let list = wallet.nft_get_nfts().wallet_id(nft_wallet).await.unwrap().nft_list;
    assert_eq!(list.len(), 1);
    let info = wallet.nft_get_info(nft_id.to_string()).await.unwrap().nft_info;
    assert_eq!(info.nft_id, nft_id);
    let by_did = wallet.nft_get_by_did().did_id(did.did_id.clone()).await.unwrap();
    assert_eq!(by_did.wallet_id, nft_wallet);
    let wallet_did = wallet.nft_get_wallet_did(nft_wallet).await.unwrap().did_id;
    assert_eq!(wallet_did, Some(did.did_id.clone()));
    let with_dids = wallet.nft_get_wallets_with_dids().await.unwrap().nft_wallets;
    assert!(with_dids.iter().any(|entry| entry.wallet_id == nft_wallet));

    // By coin id: upstream cannot find an NFT by its nft1… id here.
    let uri = "https://example.invalid/1b.png".to_owned();
    let added = wallet
        .nft_add_uri(nft_wallet, uri, NFTUriKey::U, info.nft_coin_id.to_string())
        .await
        .unwrap();
    ctx.confirm(&added.transactions).await;
    let info = wallet.nft_get_info(nft_id.to_string()).await.unwrap().nft_info;
    assert_eq!(info.data_uris.len(), 2);
    wallet.nft_set_nft_status(nft_wallet, info.nft_coin_id, true).await.unwrap();
    wallet.nft_set_nft_status(nft_wallet, info.nft_coin_id, false).await.unwrap();

    let royalties = wallet
        .nft_calculate_royalties()
        .royalty_assets(vec![RoyaltyAsset::new("nft".to_owned(), ctx.address.to_string(), 250)])
        .fungible_assets(vec![FungibleAsset::new(Some("xch".to_owned()), 1_000_000)])
        .await
        .unwrap()
        .royalties;
    // 2.5 % of 1 000 000 mojos.
    assert_eq!(royalties["nft"][0].amount, 25_000);

    // Unassign the DID from the NFT, then move it to the other key.
    let unset = wallet.nft_set_nft_did(nft_wallet, info.nft_coin_id).await.unwrap();
    ctx.confirm(&unset.transactions).await;
    let current = wallet.nft_get_info(nft_id.to_string()).await.unwrap().nft_info;
    let moved = wallet
        .nft_transfer_nft(nft_wallet, ctx.other_address.clone(), current.nft_coin_id.to_string())
        .await
        .unwrap();
    ctx.confirm(&moved.transactions).await;

    // Two more, minted at once from the DID, given the DID and sent away together.
    let metadata = |n: u8| {
        NFTMintMetadata::new(
            vec![format!("https://example.invalid/{n}.png")],
            Bytes32::new([n; 32]),
        )
    };
    let bulk = wallet
        .nft_mint_bulk(nft_wallet, vec![metadata(2), metadata(3)])
        .mint_from_did(true)
        .await
        .unwrap();
    assert_eq!(bulk.nft_id_list.len(), 2);
    let pushed = wallet.push_transactions(bulk.transactions.clone()).await.unwrap();
    ctx.confirm(&pushed.transactions).await;
    let with_did = wallet
        .nft_set_did_bulk(nft_coins(ctx, &bulk.nft_id_list, nft_wallet).await)
        .did_id(did.did_id.clone())
        .await
        .unwrap();
    ctx.confirm(&with_did.transactions).await;
    let sent = wallet
        .nft_transfer_bulk(
            nft_coins(ctx, &bulk.nft_id_list, nft_wallet).await,
            ctx.other_address.clone(),
        )
        .await
        .unwrap();
    ctx.confirm(&sent.transactions).await;
}

/// The current coins of NFTs `ids`, held by NFT wallet `wallet_id`.
async fn nft_coins(ctx: &Ctx<'_>, ids: &[chia_rpc::Address], wallet_id: u32) -> Vec<NFTCoin> {
    let mut coins = Vec::new();
    for id in ids {
        let info = ctx.wallet().nft_get_info(id.to_string()).await.unwrap().nft_info;
        coins.push(NFTCoin::new(info.nft_coin_id.to_string(), wallet_id));
    }
    coins
}
