//! Offers: one made, summarised, checked, listed and cancelled; one taken by the second key.

use std::collections::BTreeMap;

use chia_rpc::types::TradeStatusName as TradeStatus;

use super::cats::Cat;
use super::{Ctx, XCH_WALLET};

/// `wallet id → signed amount`, as the node takes an offer's terms.
fn terms(give: (u32, i64), take: (u32, i64)) -> BTreeMap<String, String> {
    BTreeMap::from([
        (give.0.to_string(), give.1.to_string()),
        (take.0.to_string(), take.1.to_string()),
    ])
}

pub async fn offers(ctx: &Ctx<'_>, cat: &Cat) {
    let wallet = ctx.wallet();

    // 1 000 mojos for 10 CAT units, then cancelled without a transaction.
    let made = wallet
        .create_offer_for_ids(terms((XCH_WALLET, -1_000), (cat.wallet_id, 10)))
        .await
        .unwrap();
    let trade_id = made.trade_record.as_ref().expect("a trade record").trade_id;
    let summary = wallet.get_offer_summary(made.offer.clone()).await.unwrap();
    assert!(!summary.summary.offered.is_empty());
    assert!(wallet.check_offer_validity(made.offer.clone()).await.unwrap().valid);
    let fetched = wallet.get_offer(trade_id).file_contents(true).await.unwrap();
    assert_eq!(fetched.trade_record.trade_id, trade_id);
    assert!(fetched.offer.is_some());
    let all = wallet.get_all_offers().file_contents(true).await.unwrap();
    assert!(all.trade_records.iter().any(|record| record.trade_id == trade_id));
    assert!(wallet.get_offers_count().await.unwrap().my_offers_count >= 1);
    let summary = wallet.get_offer_summary(made.offer.clone()).await.unwrap().summary;
    assert!(summary.requested.contains_key(&cat.asset_id.to_string()[2..]), "{summary:?}");
    wallet.cancel_offer(trade_id, false).await.unwrap();
    let cancelled = wallet.get_offer(trade_id).await.unwrap().trade_record;
    assert_eq!(cancelled.status, TradeStatus::Cancelled);

    // 10 CAT units for 100 mojos, taken by the second key.
    let made =
        wallet.create_offer_for_ids(terms((cat.wallet_id, -10), (XCH_WALLET, 100))).await.unwrap();
    let trade_id = made.trade_record.as_ref().expect("a trade record").trade_id;
    ctx.log_in(ctx.other_fingerprint).await;
    let taken = ctx.wallet().take_offer(made.offer.clone()).await.unwrap();
    ctx.confirm(&taken.transactions).await;
    ctx.log_in(ctx.fingerprint).await;
    let mut status = TradeStatus::PendingAccept;
    for _ in 0..10 {
        status = ctx.wallet().get_offer(trade_id).await.unwrap().trade_record.status;
        if status == TradeStatus::Confirmed {
            break;
        }
        ctx.farm().await;
    }
    assert_eq!(status, TradeStatus::Confirmed);

    // One more, left open for cancel_offers to sweep up.
    ctx.wallet().create_offer_for_ids(terms((XCH_WALLET, -500), (cat.wallet_id, 1))).await.unwrap();
    ctx.wallet().cancel_offers(false).cancel_all(true).await.unwrap();
}
