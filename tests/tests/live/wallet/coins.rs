//! The standard wallet: node state, balances, payments, coins, and a clawback.

use std::time::Duration;

use chia_rpc::Bytes32;
use chia_rpc::ServiceClients;
use chia_rpc::types::{Addition, CoinType, CreateNewWalletType, SyncStatus, TransactionType};

use super::{Ctx, XCH_WALLET};

/// The wallet's view of the node and of its balances, and its settings round trips.
pub async fn node_and_balances(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    assert!(wallet.get_sync_status().await.unwrap().synced);
    let height = wallet.get_height_info().await.unwrap().height;
    assert!(height > 0);
    assert!(wallet.get_full_node_peer_count().await.unwrap().peer_count >= 1);
    let stamp = wallet.get_timestamp_for_height(height).await.unwrap().timestamp;
    assert!(stamp > 0);
    wallet.get_fee_estimate().await.unwrap();
    wallet.set_wallet_resync_on_startup().enable(false).await.unwrap();

    let before = wallet.get_auto_claim().await.unwrap();
    let set = wallet.set_auto_claim().enabled(!before.enabled).await.unwrap();
    assert_eq!(set.enabled, !before.enabled);
    wallet.set_auto_claim().enabled(before.enabled).await.unwrap();

    let wallets = wallet.get_wallets().include_data(true).await.unwrap().wallets;
    assert!(wallets.iter().any(|info| info.id == XCH_WALLET));
    let balance = wallet.get_wallet_balance(XCH_WALLET).await.unwrap().wallet_balance;
    assert!(balance.confirmed_wallet_balance > 0, "the harness funds the wallet");
    let balances = wallet.get_wallet_balances().await.unwrap().wallet_balances;
    assert!(balances.contains_key(&XCH_WALLET));
    let address = wallet.get_next_address(XCH_WALLET).new_address(true).await.unwrap().address;
    assert!(address.to_string().starts_with("txch1"), "{address}");
}

/// Payments to the second key: plain with a memo, to several outputs, signed first and pushed
/// as a bundle, and as transactions.
pub async fn payments(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    let sent = wallet
        .send_transaction(XCH_WALLET, 2_000_000_000_000, ctx.other_address.clone())
        .memos(vec!["chia-rpc live suite".to_owned()])
        .fee(10)
        .await
        .unwrap();
    assert_eq!(sent.sync_status, SyncStatus::Synced);
    ctx.confirm(&sent.transactions).await;
    let id = sent.transaction_id;
    let tx = wallet.get_transaction(id).await.unwrap().transaction;
    assert!(tx.confirmed && tx.amount == 2_000_000_000_000);
    let memos = wallet.get_transaction_memo(id).await.unwrap().transaction_memos;
    assert!(memos.contains_key(&id.to_string()), "{memos:?}");
    let listed = wallet.get_transactions(XCH_WALLET).start(0).end(100).reverse(true).await.unwrap();
    assert!(listed.transactions.iter().any(|tx| tx.name == id));
    let outgoing = wallet.get_transaction_count(XCH_WALLET).await.unwrap().count;
    assert!(outgoing >= 1);

    let other = ctx.other_address.puzzle_hash();
    let multi = wallet
        .send_transaction_multi(XCH_WALLET)
        .additions(vec![Addition::new(1_000, other), Addition::new(2_000, other)])
        .await
        .unwrap();
    ctx.confirm(&multi.transactions).await;

    let signed = wallet.create_signed_transaction(vec![Addition::new(3_000, other)]).await.unwrap();
    let bundle = signed.signed_tx.spend_bundle.clone().expect("a signed transaction");
    wallet.push_tx(bundle).await.unwrap();
    ctx.confirm(&signed.signed_txs).await;

    let signed = wallet.create_signed_transaction(vec![Addition::new(4_000, other)]).await.unwrap();
    let pushed = wallet.push_transactions(signed.signed_txs.clone()).await.unwrap();
    ctx.confirm(&pushed.transactions).await;
}

/// Coin selection, coin records, derivation, and splitting and combining coins.
pub async fn coin_management(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    let selected = wallet.select_coins(XCH_WALLET, 1_000).await.unwrap().coins;
    assert!(!selected.is_empty());
    let spendable = wallet.get_spendable_coins(XCH_WALLET).await.unwrap();
    assert!(!spendable.confirmed_records.is_empty());
    let records = wallet.get_coin_records().limit(10).include_total_count(true).await.unwrap();
    assert!(!records.coin_records.is_empty());
    let names: Vec<Bytes32> = records.coin_records.iter().map(|record| record.id).collect();
    let by_name = wallet.get_coin_records_by_names(names).include_spent_coins(true).await.unwrap();
    assert!(!by_name.coin_records.is_empty());
    let index = wallet.get_current_derivation_index().await.unwrap().index;
    let extended = wallet.extend_derivation_index(index.unwrap_or(0) + 5).await.unwrap();
    assert!(extended.index.unwrap_or(0) >= index.unwrap_or(0));

    // A spent coin of this wallet: its puzzle and solution.
    let spent = wallet
        .get_coin_records()
        .wallet_id(XCH_WALLET)
        .limit(50)
        .await
        .unwrap()
        .coin_records
        .into_iter()
        .find(|record| record.spent_height > 0)
        .expect("a spent coin after the payments");
    let solution = wallet.get_puzzle_and_solution(spent.id).await.unwrap();
    assert!(!solution.puzzle_reveal.is_empty() && !solution.solution.is_empty());

    let target = selected[0].coin_id();
    // Neither pushes unless asked.
    let split = wallet.split_coins(XCH_WALLET, 3, 10_000, target).push(true).await.unwrap();
    ctx.confirm(&split.transactions).await;
    let combined = wallet.combine_coins(XCH_WALLET).number_of_coins(3).push(true).await.unwrap();
    ctx.confirm(&combined.transactions).await;
    wallet.delete_unconfirmed_transactions(XCH_WALLET).await.unwrap();

    // A remote wallet follows coins it is told about: here, one of the other key's.
    let remote = wallet.create_new_wallet(CreateNewWalletType::RemoteWallet).await.unwrap();
    let remote_id = remote.wallet_id.expect("a remote wallet id");
    let theirs = ctx
        .live
        .client
        .full_node()
        .get_coin_records_by_puzzle_hash(ctx.other_address.puzzle_hash())
        .await
        .unwrap()
        .coin_records;
    let ids = theirs.iter().take(1).map(|record| record.coin.coin_id()).collect();
    wallet.register_remote_coins(remote_id, ids).await.unwrap();

    // Upstream sums the simulator's prefarm into a uint64, which overflows.
    match wallet.get_farmed_amount().await {
        Ok(farmed) => assert!(farmed.farmed_amount > 0),
        Err(err) => {
            let failure = err.rpc_failure().expect("a failure reply, not a transport error");
            assert!(failure.message.contains("uint64"), "{err}");
        }
    }
}

/// A payment with a clawback time lock, clawed back by the sender.
pub async fn clawback(ctx: &Ctx<'_>) {
    use chia_rpc::types::{ClawbackPuzzleDecoratorOverride, PuzzleDecoratorType};

    let wallet = ctx.wallet();
    let sent = wallet
        .send_transaction(XCH_WALLET, 5_000, ctx.other_address.clone())
        .puzzle_decorator(vec![ClawbackPuzzleDecoratorOverride::new(
            PuzzleDecoratorType::Clawback,
            3600,
        )])
        .await
        .unwrap();
    ctx.confirm(&sent.transactions).await;
    let mut clawback = Vec::new();
    for _ in 0..20 {
        clawback = wallet
            .get_coin_records()
            .coin_type(CoinType::Clawback)
            .await
            .unwrap()
            .coin_records
            .into_iter()
            .filter(|record| record.spent_height == 0)
            .map(|record| record.id)
            .collect();
        if !clawback.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(!clawback.is_empty(), "the wallet tracks the clawback coin it sent");
    let clawed = wallet.spend_clawback_coins(clawback).await.unwrap();
    assert_eq!(clawed.transaction_ids.len(), 1);
    ctx.confirm(&clawed.transactions).await;
    let incoming = wallet
        .get_transactions(XCH_WALLET)
        .type_filter(chia_rpc::types::TransactionTypeFilter::new(
            vec![TransactionType::OutgoingClawback],
            chia_rpc::types::FilterMode::Include,
        ))
        .await
        .unwrap()
        .transactions;
    assert!(!incoming.is_empty());
}
