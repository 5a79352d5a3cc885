//! The data-layer wallet: a singleton created, its root updated alone and in a batch, its
//! history and owners read, a mirror added and deleted, tracking stopped and started again.

use chia_rpc::Bytes32;
use chia_rpc::types::{HashOnlyProof, StoreProofsHashes};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use super::Ctx;

pub async fn data_layer_wallet(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    let first = Bytes32::new([0x11; 32]);
    let created = wallet.create_new_dl(first).await.unwrap();
    let launcher = created.launcher_id;
    ctx.confirm(&created.transactions).await;
    let latest = wallet.dl_latest_singleton(launcher).await.unwrap().singleton;
    assert_eq!(latest.expect("the new singleton").root, first);
    let by_root = wallet.dl_singletons_by_root(launcher, first).await.unwrap().singletons;
    assert!(!by_root.is_empty());

    let second = Bytes32::new([0x22; 32]);
    let updated = wallet.dl_update_root(launcher, second).await.unwrap();
    ctx.confirm(&updated.transactions).await;
    let third = Bytes32::new([0x33; 32]);
    let batch = wallet.dl_update_multiple(BTreeMap::from([(launcher, third)])).await.unwrap();
    ctx.confirm(&batch.transactions).await;
    let history = wallet.dl_history(launcher).await.unwrap();
    assert!(history.count >= 3, "{} generations", history.count);
    let owned = wallet.dl_owned_singletons().await.unwrap();
    assert!(owned.singletons.iter().any(|record| record.launcher_id == launcher));

    let mirror =
        wallet.dl_new_mirror(launcher, 1, vec!["http://127.0.0.1:8575".to_owned()]).await.unwrap();
    ctx.confirm(&mirror.transactions).await;
    let mirrors = wallet.dl_get_mirrors(launcher).await.unwrap().mirrors;
    let ours = mirrors.iter().find(|mirror| mirror.ours).expect("our mirror");
    let deleted = wallet.dl_delete_mirror(ours.coin_id).await.unwrap();
    ctx.confirm(&deleted.transactions).await;

    wallet.dl_stop_tracking(launcher).await.unwrap();
    wallet.dl_track_new(launcher).await.unwrap();
    verify_a_data_layer_proof(ctx).await;
}

/// A store of one key whose root is made here, and the wallet's check of its proof of
/// inclusion: with one key the root is the key's leaf hash and the proof has no layers.
async fn verify_a_data_layer_proof(ctx: &Ctx<'_>) {
    let atom = |bytes: &[u8]| -> Bytes32 {
        Bytes32::new(Sha256::new().chain_update([1u8]).chain_update(bytes).finalize().into())
    };
    let (key_hash, value_hash) = (atom(b"chia-rpc"), atom(&[1]));
    let leaf = Bytes32::new(
        Sha256::new()
            .chain_update([2u8])
            .chain_update(key_hash)
            .chain_update(value_hash)
            .finalize()
            .into(),
    );
    let wallet = ctx.wallet();
    let created = wallet.create_new_dl(leaf).await.unwrap();
    ctx.confirm(&created.transactions).await;
    let store = created.launcher_id;
    let singleton = wallet.dl_latest_singleton(store).await.unwrap().singleton.expect("the store");
    let proof = HashOnlyProof::new(key_hash, value_hash, leaf, Vec::new());
    let verified = wallet
        .dl_verify_proof(
            StoreProofsHashes::new(store, vec![proof]),
            singleton.coin_id,
            singleton.inner_puzzle_hash,
        )
        .await
        .unwrap();
    assert!(verified.current_root);
    assert_eq!(verified.verified_clvm_hashes.inclusions.len(), 1);
}
