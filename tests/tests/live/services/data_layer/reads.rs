//! Reading stores: values and keys at the latest and at past roots, whole and paged; roots of
//! several stores; diffs between roots and the root history; proofs of inclusion; ancestors.

use std::collections::BTreeMap;

use chia_rpc::types::DataStoreDiffOperation;
use chia_rpc::{Bytes, Bytes32};
use sha2::{Digest, Sha256};

use super::writes::{LATE, PAIRS, Roots};
use super::{Dl, EMPTY_ROOT, Stores, bytes, unknown_store};
use crate::services::failure_says;

/// The maker store's pairs after the single updates.
fn expected_pairs() -> BTreeMap<Bytes, Bytes> {
    PAIRS.iter().map(|(key, value)| (bytes(key), bytes(value))).collect()
}

pub async fn values_and_keys(dl: &Dl<'_>, stores: &Stores, roots: &Roots) {
    let api = dl.api();
    let store = stores.maker;
    assert_eq!(api.get_value(store, bytes("apple")).await.unwrap().value, bytes("red"));
    // A past root still holds the pair deleted since.
    let past = api.get_value(store, bytes(LATE.0)).root_hash(roots.insert).await.unwrap();
    assert_eq!(past.value, bytes(LATE.1));
    // The latest does not: a key deleted from the store is named by its internal id, one
    // never stored by its bytes.
    let deleted = api.get_value(store, bytes(LATE.0)).await.unwrap_err();
    assert!(failure_says(&deleted, "unknown key: KeyId("), "{deleted}");
    let never = api.get_value(store, bytes("no such key")).await.unwrap_err();
    assert!(failure_says(&never, "Key not found"), "{never}");

    let expected_keys: Vec<Bytes> = expected_pairs().into_keys().collect();
    let mut keys = api.get_keys(store).await.unwrap().keys;
    keys.sort();
    assert_eq!(keys, expected_keys);
    let then = api.get_keys(store).root_hash(roots.insert).await.unwrap().keys;
    assert_eq!(then.len(), PAIRS.len() + 1);
    let then = api.get_keys_values(store).root_hash(roots.insert).await.unwrap().keys_values;
    let late = then.iter().find(|node| node.key == bytes(LATE.0)).expect("the deleted pair");
    assert_eq!(late.value, bytes(LATE.1));
    assert_eq!(all_key_pages(dl, store, roots.delete).await, expected_keys);
    let too_small = api.get_keys(store).page(0).max_page_size(2).await.unwrap_err();
    assert!(failure_says(&too_small, "larger than max page size"), "{too_small}");

    let pairs: BTreeMap<Bytes, Bytes> = api
        .get_keys_values(store)
        .await
        .unwrap()
        .keys_values
        .into_iter()
        .map(|node| (node.key, node.value))
        .collect();
    assert_eq!(pairs, expected_pairs());
    assert_eq!(all_pair_pages(dl, store, roots.delete).await, expected_pairs());

    let listed = api.get_roots(vec![store, stores.taker, unknown_store()]).await.unwrap();
    let hashes: Vec<(Bytes32, Bytes32)> =
        listed.root_hashes.iter().map(|root| (root.id, root.hash)).collect();
    assert_eq!(hashes, vec![(store, roots.delete), (stores.taker, EMPTY_ROOT)]);
    assert!(listed.root_hashes.iter().all(|root| root.confirmed && root.timestamp > 0));
    let unknown = api.get_root(unknown_store()).await.unwrap_err();
    assert!(failure_says(&unknown, "Failed to get root"), "{unknown}");
}

/// Every page of the keys, pages small enough for one key each.
async fn all_key_pages(dl: &Dl<'_>, store: Bytes32, root: Bytes32) -> Vec<Bytes> {
    let api = dl.api();
    let first = api.get_keys(store).page(0).max_page_size(8).await.unwrap();
    let pages = first.total_pages.expect("paged");
    assert!(pages > 1, "{pages} pages");
    assert_eq!(first.root_hash, Some(root));
    let key_bytes: usize = PAIRS.iter().map(|(key, _)| key.len()).sum();
    assert_eq!(first.total_bytes, Some(key_bytes as u64));
    let mut keys = first.keys;
    for page in 1..pages {
        keys.extend(api.get_keys(store).page(page).max_page_size(8).await.unwrap().keys);
    }
    keys.sort();
    keys
}

/// Every page of the pairs, pages smaller than two pairs.
async fn all_pair_pages(dl: &Dl<'_>, store: Bytes32, root: Bytes32) -> BTreeMap<Bytes, Bytes> {
    let api = dl.api();
    let first = api.get_keys_values(store).page(0).max_page_size(16).await.unwrap();
    let pages = first.total_pages.expect("paged");
    assert!(pages > 1, "{pages} pages");
    assert_eq!(first.root_hash, Some(root));
    let pair_bytes: usize = PAIRS.iter().map(|(key, value)| key.len() + value.len()).sum();
    assert_eq!(first.total_bytes, Some(pair_bytes as u64));
    let mut nodes = first.keys_values;
    for page in 1..pages {
        let next = api.get_keys_values(store).root_hash(root).page(page).max_page_size(16);
        nodes.extend(next.await.unwrap().keys_values);
    }
    assert!(nodes.iter().all(|node| node.atom.is_none()));
    nodes.into_iter().map(|node| (node.key, node.value)).collect()
}

/// What changed between the roots, and the roots the store had on chain.
pub async fn diffs_and_history(dl: &Dl<'_>, store: Bytes32, roots: &Roots) {
    let api = dl.api();
    let inserted = api.get_kv_diff(store, roots.batch, roots.insert).await.unwrap().diff;
    assert_eq!(inserted.len(), 1);
    assert_eq!(inserted[0].operation, DataStoreDiffOperation::Insert);
    assert_eq!((&inserted[0].key, &inserted[0].value), (&bytes(LATE.0), &bytes(LATE.1)));
    let deleted = api.get_kv_diff(store, roots.insert, roots.delete).await.unwrap().diff;
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].operation, DataStoreDiffOperation::Delete);

    let from_empty =
        api.get_kv_diff(store, EMPTY_ROOT, roots.batch).page(0).max_page_size(1024).await.unwrap();
    assert_eq!(from_empty.total_pages, Some(1));
    let pair_bytes: usize = PAIRS.iter().map(|(key, value)| key.len() + value.len()).sum();
    assert_eq!(from_empty.total_bytes, Some(pair_bytes as u64));
    assert_eq!(from_empty.diff.len(), PAIRS.len());
    assert!(from_empty.diff.iter().all(|entry| entry.operation == DataStoreDiffOperation::Insert));
    let unknown = api.get_kv_diff(store, Bytes32::new([0x99; 32]), roots.batch).await.unwrap_err();
    assert!(failure_says(&unknown, "Unable to diff"), "{unknown}");

    let history = api.get_root_history(store).await.unwrap().root_history;
    let hashes: Vec<Bytes32> = history.iter().map(|entry| entry.root_hash).collect();
    assert_eq!(hashes, vec![EMPTY_ROOT, roots.batch, roots.insert, roots.delete]);
    assert!(history[1..].iter().all(|entry| entry.confirmed && entry.timestamp > 0));
}

/// A proof of two keys, checked by the node against the store's singleton; the key hashes are
/// the CLVM hashes of the keys.
pub async fn proofs(dl: &Dl<'_>, store: Bytes32) {
    let api = dl.api();
    let keys = vec![bytes("apple"), bytes("banana")];
    let proof = api.get_proof(store, keys.clone()).await.unwrap().proof;
    assert_eq!(proof.store_proofs.store_id, store);
    let key_hashes: Vec<Bytes32> =
        proof.store_proofs.proofs.iter().map(|proof| proof.key_clvm_hash).collect();
    assert_eq!(key_hashes, keys.iter().map(|key| clvm_atom_hash(key)).collect::<Vec<_>>());

    let verified = api
        .verify_proof(proof.store_proofs.clone(), proof.coin_id, proof.inner_puzzle_hash)
        .await
        .unwrap();
    assert!(verified.current_root, "the proof is against the latest singleton");
    assert_eq!(verified.verified_clvm_hashes.store_id, store);
    let proven: Vec<Bytes32> =
        verified.verified_clvm_hashes.inclusions.iter().map(|pair| pair.key_clvm_hash).collect();
    assert_eq!(proven, key_hashes);

    let missing = api.get_proof(store, vec![bytes("no such key")]).await.unwrap_err();
    assert!(failure_says(&missing, "Key not found"), "{missing}");
}

/// The CLVM tree hash of an atom: sha256(1 || bytes).
fn clvm_atom_hash(bytes: &[u8]) -> Bytes32 {
    Bytes32::new(Sha256::new().chain_update([1u8]).chain_update(bytes).finalize().into())
}

/// The ancestors of a leaf: none for the single leaf of the taker store, which is its root;
/// for a leaf with ancestors 2.7.5 replies HTTP 500, as it cannot turn internal nodes into JSON.
pub async fn ancestors(dl: &Dl<'_>, stores: &Stores) {
    let api = dl.api();
    let only = api.get_keys_values(stores.taker).await.unwrap().keys_values;
    assert_eq!(only.len(), 1);
    assert_eq!(api.get_local_root(stores.taker).await.unwrap().hash, Some(only[0].hash));
    let none = api.get_ancestors(stores.taker, only[0].hash).await.unwrap();
    assert!(none.ancestors.is_empty());

    let leaves = api.get_keys_values(stores.maker).await.unwrap().keys_values;
    let err = api.get_ancestors(stores.maker, leaves[0].hash).await.unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
}
