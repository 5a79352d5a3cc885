//! Notifications sent on chain, and messages signed by an address and verified.

use super::Ctx;

/// A notification to this wallet's own puzzle hash, read back and deleted; a message signed
/// with the key of an address and verified.
pub async fn notifications_and_signatures(ctx: &Ctx<'_>) {
    let wallet = ctx.wallet();
    let note = b"chia-rpc live suite says hello".to_vec();
    let sent = wallet
        .send_notification(ctx.address.puzzle_hash(), note.clone().into())
        // Wallets ignore notifications below `required_notification_amount` (default 10^8).
        .amount(100_000_000)
        .await
        .unwrap();
    ctx.confirm(&sent.transactions).await;
    let mut found = Vec::new();
    for _ in 0..20 {
        found = wallet.get_notifications().await.unwrap().notifications;
        if !found.is_empty() {
            break;
        }
        ctx.farm().await;
    }
    let notification = found.first().expect("the notification arrived");
    assert_eq!(notification.message.as_slice(), note.as_slice());
    let ids = vec![notification.id];
    assert_eq!(wallet.get_notifications().ids(ids.clone()).await.unwrap().notifications.len(), 1);
    wallet.delete_notifications().ids(ids).await.unwrap();

    let message = "chia-rpc signs this".to_owned();
    let signed =
        wallet.sign_message_by_address(ctx.address.clone(), message.clone()).await.unwrap();
    let verified = wallet
        .verify_signature(message.clone(), signed.pubkey, signed.signature)
        .signing_mode(signed.signing_mode.clone())
        .address(ctx.address.clone())
        .await
        .unwrap();
    assert!(verified.is_valid, "{:?}", verified.error);
    let forged = wallet
        .verify_signature(format!("{message}!"), signed.pubkey, signed.signature)
        .signing_mode(signed.signing_mode)
        .await
        .unwrap();
    assert!(!forged.is_valid);
}
