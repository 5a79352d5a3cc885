//! Keys and login: a second key made from a fresh mnemonic, reads of both, and its deletion.

use chia_rpc::{Address, ServiceClients};

use super::{Ctx, XCH_WALLET};
use crate::Live;

/// Adds a key from a new mnemonic (the wallet logs in with it), takes its first address, and
/// logs back in with `fingerprint`. Returns the new key's fingerprint and address.
pub async fn second_key(live: &Live, fingerprint: u32) -> (u32, Address) {
    let wallet = live.client.wallet();
    let words = wallet.generate_mnemonic().await.unwrap().mnemonic;
    assert_eq!(words.len(), 24);
    let added = wallet.add_key(words).label("chia-rpc live suite".to_owned()).await.unwrap();
    let other = added.fingerprint;
    assert_ne!(other, fingerprint);
    assert_eq!(wallet.get_logged_in_fingerprint().await.unwrap().fingerprint, Some(other));
    let address = wallet.get_next_address(XCH_WALLET).await.unwrap().address;
    let ctx = Ctx {
        live,
        fingerprint,
        address: address.clone(),
        other_fingerprint: other,
        other_address: address.clone(),
    };
    ctx.log_in(fingerprint).await;
    (other, address)
}

/// What the wallet says about its keys, and a private key that never reaches `Debug`.
pub async fn reads(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    assert_eq!(
        wallet.get_logged_in_fingerprint().await.unwrap().fingerprint,
        Some(ctx.fingerprint)
    );
    let keys = wallet.get_public_keys().await.unwrap();
    let fingerprints = keys.public_key_fingerprints.unwrap_or_default();
    assert!(
        fingerprints.contains(&ctx.fingerprint) && fingerprints.contains(&ctx.other_fingerprint)
    );

    let private = wallet.get_private_key(ctx.other_fingerprint).await.unwrap();
    assert_eq!(private.private_key.fingerprint, ctx.other_fingerprint);
    let seed = private.private_key.seed.clone().expect("a key added from words has its words");
    let debug = format!("{private:?}");
    for word in seed.split_whitespace() {
        assert!(!debug.contains(&format!(" {word} ")), "a mnemonic word reached Debug: {debug}");
    }
    assert!(debug.contains("<redacted>"), "{debug}");

    // It logs in with the key it checks, and stays logged in with it.
    let check = wallet.check_delete_key(ctx.other_fingerprint).await.unwrap();
    assert_eq!(check.fingerprint, ctx.other_fingerprint);
    ctx.log_in(ctx.fingerprint).await;
}

/// Deletes the second key: the wallet stops, so log in again afterwards.
pub async fn delete_the_second_key(ctx: &Ctx<'_>) {
    ctx.wallet().delete_key(ctx.other_fingerprint).await.unwrap();
    ctx.log_in(ctx.fingerprint).await;
    let keys = ctx.wallet().get_public_keys().await.unwrap();
    assert!(!keys.public_key_fingerprints.unwrap_or_default().contains(&ctx.other_fingerprint));
}
