//! Sharing stores: mirrors announced on chain, offers made, checked, refused and cancelled,
//! files written for servers, and subscriptions.

use chia_rpc::Bytes32;
use chia_rpc::types::{
    DataLayerKeyValue, DataLayerOffer, DataLayerOfferStore, DataStoreRootStatus, Mirror,
};

use super::{Dl, Stores, bytes, unknown_store};
use crate::services::{failure_says, poll, scratch_dir};

/// Two mirrors of the maker store, confirmed; one deleted again. The other stays: its coin is
/// the wallet's.
pub async fn mirrors(dl: &Dl<'_>, store: Bytes32) {
    let api = dl.api();
    let kept = vec!["http://127.0.0.1:8575".to_owned(), "https://example.com/chia-rpc".to_owned()];
    let dropped = vec!["http://127.0.0.1:8576".to_owned()];
    // One at a time: two mirrors pushed at once may pick the same coin, and one is lost.
    api.add_mirror(store, kept.clone(), 1000).fee(0).await.unwrap();
    let ours = confirmed_mirror(dl, store, &kept).await;
    assert_mirror(&ours, store, 1000);
    api.add_mirror(store, dropped.clone(), 2000).await.unwrap();
    let gone = confirmed_mirror(dl, store, &dropped).await;
    assert_mirror(&gone, store, 2000);
    api.delete_mirror(gone.coin_id).fee(0).await.unwrap();
    dl.farm_until("the deleted mirror to vanish", || async {
        let mirrors = api.get_mirrors(store).await.unwrap().mirrors;
        let left = !mirrors.iter().any(|mirror| mirror.coin_id == gone.coin_id);
        left.then_some(())
    })
    .await;
    let mirrors = api.get_mirrors(store).await.unwrap().mirrors;
    assert_eq!(mirrors, vec![ours]);
    let empty = api.add_mirror(store, Vec::new(), 1).await.unwrap_err();
    assert!(failure_says(&empty, "can't be empty"), "{empty}");
}

/// Farms until the mirror of `store` with these URLs is confirmed.
async fn confirmed_mirror(dl: &Dl<'_>, store: Bytes32, urls: &[String]) -> Mirror {
    dl.farm_until("the mirror confirmed", || async {
        let mirrors = dl.api().get_mirrors(store).await.unwrap().mirrors;
        mirrors.into_iter().find(|mirror| mirror.urls == urls)
    })
    .await
}

fn assert_mirror(mirror: &Mirror, store: Bytes32, amount: u64) {
    assert_eq!((mirror.launcher_id, mirror.amount, mirror.ours), (store, amount, true));
    assert!(mirror.confirmed_at_height.is_some_and(|height| height > 0), "{mirror:?}");
}

/// An offer of the maker store's new pair for one in the taker store: verified, tampered with,
/// refused to its own maker and cancelled in the wallet only; a second offer cancelled on
/// chain, which spends the maker's singleton again with the same root.
pub async fn offers(dl: &Dl<'_>, stores: &Stores) {
    let api = dl.api();
    let taker = DataLayerOfferStore::new(stores.taker, vec![pair("wanted", "from the taker")]);
    let made = make_offer(dl, stores.maker, "offered", taker.clone()).await;

    let verified = api.verify_offer(made.clone(), Some(7)).await.unwrap();
    assert_eq!((verified.valid, verified.error, verified.fee), (true, None, Some(7)));
    let mut tampered = made.clone();
    tampered.taker[0].inclusions[0].value = bytes("something else");
    let refused = api.verify_offer(tampered, None).await.unwrap();
    assert!(!refused.valid && refused.fee.is_none());
    assert!(refused.error.is_some_and(|error| error.starts_with("taker")));

    let own = api.take_offer(made.clone(), None).await.unwrap_err();
    assert!(failure_says(&own, "Trade for this offer already exists"), "{own}");
    // The refused take left its changes to the taker store as a pending root.
    let left = api.clear_pending_roots(stores.taker).await.unwrap().root;
    assert_eq!((left.tree_id, left.status), (stores.taker, DataStoreRootStatus::Pending));

    api.cancel_offer(made.trade_id, false, None).await.unwrap();
    // That also dropped the maker store's pending root.
    assert!(api.clear_pending_roots(stores.maker).await.unwrap_err().is_rpc());

    let before = dl.api().get_sync_status(stores.maker).await.unwrap().sync_status;
    let second = make_offer(dl, stores.maker, "offered again", taker).await;
    api.cancel_offer(second.trade_id, true, Some(0)).await.unwrap();
    let after = dl.confirmed(stores.maker, before.generation + 1).await;
    assert_eq!(after.root_hash, before.root_hash, "the cancellation keeps the maker's root");
}

fn pair(key: &str, value: &str) -> DataLayerKeyValue {
    DataLayerKeyValue::new(bytes(key), bytes(value))
}

/// Makes an offer that adds `key` to the maker store for the taker side's pairs.
async fn make_offer(
    dl: &Dl<'_>,
    maker: Bytes32,
    key: &str,
    taker: DataLayerOfferStore,
) -> DataLayerOffer {
    let maker_side = DataLayerOfferStore::new(maker, vec![pair(key, "from the maker")]);
    let offer = dl.api().make_offer(vec![maker_side], vec![taker.clone()], None).await.unwrap();
    let offer = offer.offer;
    assert_eq!(offer.taker, vec![taker]);
    assert_eq!(offer.maker.len(), 1);
    assert_eq!(offer.maker[0].store_id, maker);
    let proofs = &offer.maker[0].proofs;
    assert_eq!(proofs.len(), 1);
    assert_eq!((&proofs[0].key, &proofs[0].value), (&bytes(key), &bytes("from the maker")));
    assert!(!offer.offer.is_empty());
    offer
}

/// The full and delta files of the maker store, written to a folder of this test's.
pub async fn files(dl: &Dl<'_>, store: Bytes32) {
    let api = dl.api();
    let folder = scratch_dir("dl-files");
    let call = api.add_missing_files().ids(vec![store]).overwrite(true);
    call.foldername(folder.display().to_string()).await.unwrap();
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let hex = store.to_string();
    let hex = hex.trim_start_matches("0x");
    assert!(names.iter().all(|name| name.contains(hex)), "{names:?}");
    assert!(names.iter().any(|name| name.contains("full")), "{names:?}");
    assert!(names.iter().filter(|name| name.contains("delta")).count() > 1, "{names:?}");
    std::fs::remove_dir_all(&folder).unwrap();

    let err = api.add_missing_files().ids(vec![unknown_store()]).await.unwrap_err();
    assert!(failure_says(&err, "No generations found"), "{err}");
}

/// Both stores subscribed to with URLs, some removed again, files written for subscribed
/// stores, and the taker store unsubscribed, which also makes the wallet stop tracking it.
pub async fn subscriptions(dl: &Dl<'_>, stores: &Stores) {
    let api = dl.api();
    let before = api.subscriptions().await.unwrap().store_ids;
    assert!(!before.contains(&stores.taker), "owned stores are not listed: {before:?}");
    let urls = vec!["http://127.0.0.1:8575/".to_owned(), "http://localhost:8577".to_owned()];
    for store in [stores.maker, stores.taker] {
        api.subscribe(store).urls(urls.clone()).await.unwrap();
    }
    let listed = api.subscriptions().await.unwrap().store_ids;
    assert!(listed.contains(&stores.maker) && listed.contains(&stores.taker), "{listed:?}");
    api.remove_subscriptions(stores.taker, vec![urls[1].clone()]).await.unwrap();
    api.add_missing_files().await.unwrap();

    api.unsubscribe(stores.taker).retain(false).await.unwrap();
    let stranger = api.unsubscribe(unknown_store()).await.unwrap_err();
    assert!(failure_says(&stranger, "No subscription found"), "{stranger}");
    // Carried out at the end of the data layer's next management cycle (every 60 s).
    let limit = std::time::Duration::from_secs(180);
    let left = poll("the unsubscription to be carried out", limit, || async {
        let ids = api.subscriptions().await.unwrap().store_ids;
        (!ids.contains(&stores.taker)).then_some(ids)
    })
    .await;
    assert!(left.contains(&stores.maker));
    let owned = api.get_owned_stores().await.unwrap().store_ids;
    assert!(!owned.contains(&stores.taker) && owned.contains(&stores.maker), "{owned:?}");
}
