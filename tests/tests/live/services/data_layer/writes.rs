//! Writing stores: launching them, single updates confirmed one by one, open batches dropped or
//! published later, and updates of both stores at once.

use chia_rpc::Bytes32;
use chia_rpc::types::{
    DataStoreChange, DataStoreChangeAction, DataStoreRootStatus, DataStoreUpdate,
};

use super::{Dl, EMPTY_ROOT, Stores, bytes};
use crate::services::failure_says;

/// The maker store's pairs after its first batch.
pub const PAIRS: [(&str, &str); 4] =
    [("apple", "red"), ("banana", "yellow"), ("cherry", "dark red"), ("damson", "purple")];

/// The pair inserted alone, then deleted.
pub const LATE: (&str, &str) = ("elder", "black");

/// The maker store's roots after each single update.
pub struct Roots {
    /// After the first batch: the four `PAIRS`.
    pub batch: Bytes32,
    /// After inserting `LATE` too.
    pub insert: Bytes32,
    /// After deleting `LATE` again.
    pub delete: Bytes32,
}

pub fn insert(key: &str, value: &str) -> DataStoreChange {
    DataStoreChange::new(DataStoreChangeAction::Insert, bytes(key)).value(bytes(value))
}

pub fn upsert(key: &str, value: &str) -> DataStoreChange {
    DataStoreChange::new(DataStoreChangeAction::Upsert, bytes(key)).value(bytes(value))
}

fn delete(key: &str) -> DataStoreChange {
    DataStoreChange::new(DataStoreChangeAction::Delete, bytes(key))
}

/// Two empty stores, launched together and confirmed on chain.
pub async fn launch(dl: &Dl<'_>) -> Stores {
    let api = dl.api();
    let maker = api.create_data_store().verbose(true).await.unwrap();
    let txs = maker.txs.expect("the launch's transactions, asked for with verbose");
    let launcher = txs.iter().flat_map(|tx| &tx.additions).find(|coin| coin.amount == 1);
    assert!(launcher.is_some(), "a 1-mojo launcher among {txs:?}");
    let taker = api.create_data_store().fee(1).await.unwrap();
    assert!(taker.txs.is_none(), "transactions only with verbose");
    for store in [maker.id, taker.id] {
        let status = dl.confirmed(store, 0).await;
        assert_eq!(status.root_hash, EMPTY_ROOT);
    }
    let owned = api.get_owned_stores().await.unwrap().store_ids;
    assert!(owned.contains(&maker.id) && owned.contains(&taker.id), "{owned:?}");

    // A launched store is empty, on chain and locally.
    assert_eq!(api.get_local_root(maker.id).await.unwrap().hash, None);
    let root = api.get_root(maker.id).await.unwrap();
    assert_eq!((root.hash, root.confirmed), (EMPTY_ROOT, true));
    assert!(api.get_keys(maker.id).await.unwrap().keys.is_empty());
    let page = api.get_keys_values(maker.id).page(0).await.unwrap();
    assert!(page.keys_values.is_empty());
    assert_eq!((page.total_pages, page.total_bytes, page.root_hash), (Some(1), Some(0), None));
    Stores { maker: maker.id, taker: taker.id }
}

/// A batch, one insert and one delete, each confirmed before the next; a batch that inserts a
/// key already there fails.
pub async fn single_updates(dl: &Dl<'_>, store: Bytes32) -> Roots {
    let api = dl.api();
    let changes: Vec<DataStoreChange> = PAIRS
        .iter()
        .enumerate()
        // Upsert adds a key that is missing, like insert does.
        .map(|(i, (key, value))| if i == 3 { upsert(key, value) } else { insert(key, value) })
        .collect();
    let batch = api.batch_update(store, changes).fee(0).await.unwrap();
    assert!(batch.tx_id.is_some(), "a submitted batch has a transaction");
    let batch = dl.confirmed(store, 1).await.root_hash;
    assert_eq!(api.get_local_root(store).await.unwrap().hash, Some(batch));
    assert_eq!(api.get_root(store).await.unwrap().hash, batch);

    let present = api.batch_update(store, vec![insert(PAIRS[0].0, "green")]).await.unwrap_err();
    assert!(present.rpc_failure().is_some(), "{present}");

    api.insert(store, bytes(LATE.0), bytes(LATE.1)).fee(0).await.unwrap();
    let insert = dl.confirmed(store, 2).await.root_hash;
    api.delete_key(store, bytes(LATE.0)).await.unwrap();
    let delete = dl.confirmed(store, 3).await.root_hash;
    assert!(insert != batch && delete != insert);
    Roots { batch, insert, delete }
}

/// Open batches: one built in two calls and dropped, one published with
/// `submit_pending_root`, then one over both stores published with `submit_all_pending_roots`,
/// and finally an update of both stores published at once.
pub async fn open_batches(dl: &Dl<'_>, stores: &Stores) {
    let api = dl.api();
    let maker = stores.maker;
    let generation = dl.confirmed(maker, 3).await.generation;
    for change in [upsert("apple", "green"), insert("fig", "brown")] {
        let open = api.batch_update(maker, vec![change]).submit_on_chain(false).await.unwrap();
        assert_eq!(open.tx_id, None, "nothing is submitted");
    }
    let dropped = api.clear_pending_roots(maker).await.unwrap().root;
    assert_eq!((dropped.tree_id, dropped.status), (maker, DataStoreRootStatus::PendingBatch));
    assert_eq!(dropped.generation, generation + 1);
    let nothing = api.clear_pending_roots(maker).await.unwrap_err();
    assert!(nothing.is_rpc(), "{nothing}");
    assert_eq!(api.get_value(maker, bytes("apple")).await.unwrap().value, bytes("red"));

    let red = dl.confirmed(maker, generation).await.root_hash;
    api.batch_update(maker, vec![upsert("apple", "green")]).submit_on_chain(false).await.unwrap();
    api.submit_pending_root(maker).fee(0).await.unwrap();
    let again = api.submit_pending_root(maker).await.unwrap_err();
    assert!(failure_says(&again, "already submitted"), "{again}");
    dl.confirmed(maker, generation + 1).await;
    assert_eq!(api.get_value(maker, bytes("apple")).await.unwrap().value, bytes("green"));
    let past = api.get_value(maker, bytes("apple")).root_hash(red).await.unwrap();
    assert_eq!(past.value, bytes("red"), "the value at the root before");
    let none = api.submit_pending_root(maker).await.unwrap_err();
    assert!(failure_says(&none, "already confirmed"), "{none}");

    both_stores(dl, stores, generation + 1).await;
}

/// Updates of both stores: left open and published together, then published at once.
async fn both_stores(dl: &Dl<'_>, stores: &Stores, maker_generation: u32) {
    let api = dl.api();
    let updates = vec![
        DataStoreUpdate::new(stores.maker, vec![upsert("banana", "green")]),
        DataStoreUpdate::new(stores.taker, vec![insert("only", "one")]),
    ];
    let open = api.multistore_batch_update(updates).submit_on_chain(false).await.unwrap();
    assert_eq!(open.tx_id, None);
    let published = api.submit_all_pending_roots().fee(0).await.unwrap().tx_id;
    assert!(!published.is_empty());
    dl.confirmed(stores.maker, maker_generation + 1).await;
    dl.confirmed(stores.taker, 1).await;
    let none = api.submit_all_pending_roots().await.unwrap_err();
    assert!(failure_says(&none, "No pending roots"), "{none}");

    let updates = vec![
        DataStoreUpdate::new(stores.maker, vec![delete("damson")]),
        DataStoreUpdate::new(stores.taker, vec![upsert("only", "two")]),
    ];
    let both = api.multistore_batch_update(updates).fee(0).await.unwrap();
    assert!(both.tx_id.is_some_and(|ids| !ids.is_empty()));
    dl.confirmed(stores.maker, maker_generation + 2).await;
    dl.confirmed(stores.taker, 2).await;
    assert_eq!(api.get_value(stores.taker, bytes("only")).await.unwrap().value, bytes("two"));
    let twice = vec![
        DataStoreUpdate::new(stores.maker, vec![upsert("apple", "red")]),
        DataStoreUpdate::new(stores.maker, vec![upsert("banana", "yellow")]),
    ];
    let err = api.multistore_batch_update(twice).await.unwrap_err();
    assert!(failure_says(&err, "must appear in a single update"), "{err}");
    // The first update was applied before the check failed: its pending root stays behind.
    let left = api.clear_pending_roots(stores.maker).await.unwrap().root;
    assert_eq!(
        (left.status, left.generation),
        (DataStoreRootStatus::Pending, maker_generation + 3)
    );
}
