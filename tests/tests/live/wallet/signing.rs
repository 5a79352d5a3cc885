//! The signer protocol: a transaction built unsigned, its signing instructions gathered and
//! executed, the signatures applied, and the result submitted.

use chia_rpc::types::Coin;

use super::{Ctx, XCH_WALLET};

pub async fn signer_protocol(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    let unsigned = wallet
        .send_transaction(XCH_WALLET, 7_000, ctx.other_address.clone())
        .sign(false)
        .push(false)
        .await
        .unwrap();
    let tx = unsigned.unsigned_transactions.first().expect("an unsigned transaction");
    let spends = tx.transaction_info.spends.clone();
    assert!(!spends.is_empty());
    let gathered = wallet.gather_signing_info(spends.clone()).await.unwrap();
    assert!(!gathered.signing_instructions.targets.is_empty());
    let executed =
        wallet.execute_signing_instructions(gathered.signing_instructions).await.unwrap();
    assert!(!executed.signing_responses.is_empty());
    let coins = spends
        .iter()
        .map(|spend| {
            Coin::new(spend.coin.parent_coin_id, spend.coin.puzzle_hash, spend.coin.amount)
                .coin_id()
        })
        .collect();
    let applied = wallet.apply_signatures(spends, executed.signing_responses).await.unwrap();
    let submitted = wallet.submit_transactions(applied.signed_transactions).await.unwrap();
    assert_eq!(submitted.mempool_ids.len(), 1);
    // Sent without waiting for the mempool, and not in the wallet's history: wait for the coins.
    ctx.confirm_spent(coins).await;
}
