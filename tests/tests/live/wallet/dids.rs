//! DIDs: one created and read every way, its metadata updated, a message spend, a backup,
//! verified credentials minted by it; a second one transferred to the other key.

use std::collections::BTreeMap;

use chia_rpc::types::{CreateNewWalletType, DIDType};

use super::Ctx;

/// The DID the NFT and VC steps use.
pub struct Did {
    pub wallet_id: u32,
    /// `did:chia:1…`
    pub did_id: chia_rpc::Address,
}

async fn create_did(ctx: &Ctx<'_>, name: &str) -> Did {
    let created = ctx
        .wallet()
        .create_new_wallet(CreateNewWalletType::DidWallet)
        .did_type(DIDType::New)
        .amount(1)
        .wallet_name(name.to_owned())
        .await
        .unwrap();
    ctx.confirm(created.transactions.as_deref().unwrap_or_default()).await;
    let did_id = created.my_did.expect("a new DID has an id").parse().expect("a did:chia:1… id");
    Did { wallet_id: created.wallet_id.expect("a DID wallet id"), did_id }
}

pub async fn did_wallet(ctx: &Ctx<'_>) -> Did {
    let did = create_did(ctx, "chia-rpc DID").await;
    let wallet = ctx.wallet();
    let id = wallet.did_get_did(did.wallet_id).await.unwrap();
    assert_eq!(id.my_did, did.did_id);
    let info = wallet.did_get_info(did.did_id.to_string()).await.unwrap();
    assert_eq!(info.did_id, did.did_id);
    wallet.did_get_pubkey(did.wallet_id).await.unwrap();
    wallet.did_get_current_coin_info(did.wallet_id).await.unwrap();
    wallet.did_set_wallet_name(did.wallet_id, "chia-rpc DID renamed".to_owned()).await.unwrap();
    let name = wallet.did_get_wallet_name(did.wallet_id).await.unwrap().name;
    assert_eq!(name, "chia-rpc DID renamed");

    let metadata = BTreeMap::from([("purpose".to_owned(), "chia-rpc".to_owned())]);
    let updated =
        wallet.did_update_metadata(did.wallet_id).metadata(metadata.clone()).await.unwrap();
    ctx.confirm(&updated.transactions).await;
    let read = wallet.did_get_metadata(did.wallet_id).await.unwrap().metadata;
    assert_eq!(read, metadata);
    let spend = wallet
        .did_message_spend(did.wallet_id)
        .puzzle_announcements(vec![b"chia-rpc".to_vec().into()])
        // Not pushed unless asked.
        .push(true)
        .await
        .unwrap();
    ctx.confirm(&spend.transactions).await;
    let backup = wallet.did_create_backup_file(did.wallet_id).await.unwrap();
    assert!(!backup.backup_data.is_empty());
    wallet.did_find_lost_did(did.did_id.to_string()).await.unwrap();

    let signed = wallet.sign_message_by_id(did.did_id.clone(), "by DID".to_owned()).await.unwrap();
    let verified = wallet
        .verify_signature("by DID".to_owned(), signed.pubkey, signed.signature)
        .signing_mode(signed.signing_mode)
        .await
        .unwrap();
    assert!(verified.is_valid);
    did
}

/// Verified credentials minted by `did`: listed, read, proven, spent and revoked.
pub async fn vcs(ctx: &Ctx<'_>, did: &Did) {
    let wallet = ctx.wallet();
    let minted = wallet.vc_mint(did.did_id.clone()).await.unwrap();
    ctx.confirm(&minted.transactions).await;
    let launcher = minted.vc_record.vc.launcher_id;
    let listed = wallet.vc_get_list().await.unwrap();
    assert!(listed.vc_records.iter().any(|record| record.vc.launcher_id == launcher));
    let record = wallet.vc_get(launcher).await.unwrap().vc_record.expect("the minted VC");

    let pairs = vec![("over_18".to_owned(), "1".to_owned())];
    wallet.vc_add_proofs(pairs.iter().cloned().collect()).await.unwrap();
    let root = chia_rpc::Bytes32::new(vc_proofs_root(&pairs));
    let proofs = wallet.vc_get_proofs_for_root(root).await.unwrap();
    assert!(!proofs.proofs.is_empty(), "the added proofs are found by their root");
    let spent = wallet.vc_spend(launcher).new_proof_hash(root).await.unwrap();
    ctx.confirm(&spent.transactions).await;

    assert_eq!(record.vc.launcher_id, launcher);
    let current = wallet.vc_get(launcher).await.unwrap().vc_record.expect("the VC");
    let revoked = wallet.vc_revoke(current.vc.coin.parent_coin_info).await.unwrap();
    ctx.confirm(&revoked.transactions).await;
}

/// The root of a set of one VC proof, as upstream computes it: the CLVM tree hash of the pair
/// `(key . value)` (`VCProofs.root`; a larger set is a balanced tree of such pairs).
fn vc_proofs_root(pairs: &[(String, String)]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let [(key, value)] = pairs else { panic!("one proof only") };
    let atom = |bytes: &[u8]| -> [u8; 32] {
        Sha256::new().chain_update([1u8]).chain_update(bytes).finalize().into()
    };
    Sha256::new()
        .chain_update([2u8])
        .chain_update(atom(key.as_bytes()))
        .chain_update(atom(value.as_bytes()))
        .finalize()
        .into()
}

/// A second DID, transferred to the other key.
pub async fn transfer_a_did(ctx: &Ctx<'_>) {
    let did = create_did(ctx, "chia-rpc DID to give").await;
    let transferred =
        ctx.wallet().did_transfer_did(did.wallet_id, ctx.other_address.clone()).await.unwrap();
    ctx.confirm(&transferred.transactions).await;
}
