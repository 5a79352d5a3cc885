//! The daemon's own commands, each checked against what the simulator is known to hold. Every
//! change is undone: keys added are deleted, the keyring passphrase set is removed, the plot
//! queued is cancelled before it starts, the timelord started is stopped.

use std::time::Duration;

use chia_rpc::{ErrorKind, ServiceClients};

use super::LiveDaemon;

/// A name a key gets while the suite owns it.
const LABEL: &str = "chia-rpc live throwaway";

pub async fn everything(d: &LiveDaemon, root: &str, fingerprint: u32) {
    status(d).await;
    registrations(d).await;
    keys_of_the_simulator(d, fingerprint).await;
    throwaway_keys(d).await;
    keyring_passphrase_round_trip(d).await;
    plotting(d, fingerprint).await;
    check_keys(d, root).await;
}

async fn status(d: &LiveDaemon) {
    let daemon = d.client.daemon();
    assert_eq!(daemon.ping().await.unwrap().value, "pong");
    let version = daemon.get_version().await.unwrap().version;
    assert!(version.starts_with(|c: char| c.is_ascii_digit()), "{version}");
    assert!(daemon.get_status().await.unwrap().genesis_initialized);
    let routes = daemon.get_routes().await.unwrap().routes;
    for route in ["get_routes", "start_service", "get_wallet_addresses"] {
        assert!(routes.iter().any(|r| r == route), "{route} not in {routes:?}");
    }
    let network = daemon.get_network_info().await.unwrap();
    assert_eq!(network.network_name, "simulator0");
    assert_eq!(network.network_prefix, "txch");
    let locked = daemon.is_keyring_locked().await.unwrap();
    assert!(!locked.is_keyring_locked);
    let keyring = daemon.keyring_status().await.unwrap();
    assert!(!keyring.is_keyring_locked && !keyring.user_passphrase_is_set, "{keyring:?}");
}

async fn registrations(d: &LiveDaemon) {
    let daemon = d.client.daemon();
    let running = daemon.running_services().await.unwrap().running_services;
    for service in ["chia_wallet", "chia_farmer", "chia_data_layer", d.transport.origin()] {
        assert!(running.iter().any(|s| s == service), "{service} not in {running:?}");
    }
    let wallet = daemon.is_running("chia_wallet".to_owned()).await.unwrap();
    assert!(wallet.is_running && wallet.service_name == "chia_wallet");
    let extra = format!("{}_extra", d.transport.origin());
    daemon.register_service(extra.clone()).await.unwrap();
    let running = daemon.running_services().await.unwrap().running_services;
    assert!(running.contains(&extra), "{running:?}");
}

/// The timelord is the one service a simulator does without: start it, see it run.
pub async fn start_timelord(d: &LiveDaemon) {
    let daemon = d.client.daemon();
    let started = daemon.start_service("chia_timelord".to_owned()).await.unwrap();
    assert_eq!(started.service, "chia_timelord");
    assert_eq!(started.error, None);
    assert!(daemon.is_running("chia_timelord".to_owned()).await.unwrap().is_running);
}

pub async fn stop_timelord(d: &LiveDaemon) {
    let daemon = d.client.daemon();
    let stopped = daemon.stop_service("chia_timelord".to_owned()).await.unwrap();
    assert_eq!(stopped.service_name, "chia_timelord");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while daemon.is_running("chia_timelord".to_owned()).await.unwrap().is_running {
        assert!(tokio::time::Instant::now() < deadline, "the timelord did not stop");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn keys_of_the_simulator(d: &LiveDaemon, fingerprint: u32) {
    let daemon = d.client.daemon();
    let keys = daemon.get_keys().await.unwrap().keys;
    let key = keys.iter().find(|k| k.fingerprint == fingerprint).expect("the wallet's key");
    assert!(key.secrets.is_none(), "secrets only when asked");
    let public = daemon.get_public_key(fingerprint).await.unwrap().key;
    assert_eq!(public.public_key, key.public_key);
    let all = daemon.get_public_keys().await.unwrap().keys;
    assert!(all.iter().any(|k| k.fingerprint == fingerprint));
    let one = daemon.get_key(fingerprint).await.unwrap().key;
    assert_eq!(one.public_key, key.public_key);

    // Replies with secrets: decoded, and never shown by Debug.
    let secret = daemon.get_key(fingerprint).include_secrets(true).await.unwrap().key;
    let secrets = secret.secrets.as_ref().expect("secrets when asked");
    assert_eq!(secrets.mnemonic.len(), 24);
    assert_hidden(&format!("{secret:?}"), &secrets.mnemonic, &secrets.entropy.to_string());
    let by_fingerprint = daemon.get_key_for_fingerprint(Some(fingerprint)).await.unwrap();
    assert_eq!(by_fingerprint.pk, key.public_key);
    let entropy = by_fingerprint.entropy.as_ref().expect("the key has a mnemonic");
    assert_eq!(entropy, &secrets.entropy);
    assert_hidden(&format!("{by_fingerprint:?}"), &secrets.mnemonic, &entropy.to_string());
    let first = daemon.get_first_private_key().await.unwrap();
    assert_hidden(&format!("{first:?}"), &secrets.mnemonic, &secrets.entropy.to_string());
    let every = daemon.get_all_private_keys().await.unwrap();
    assert!(!every.private_keys.is_empty());
    assert_hidden(&format!("{every:?}"), &secrets.mnemonic, &secrets.entropy.to_string());

    let addresses =
        daemon.get_wallet_addresses().fingerprints(vec![fingerprint]).count(3).await.unwrap();
    let derived = &addresses.wallet_addresses[&fingerprint];
    assert_eq!(derived.len(), 3);
    assert!(derived.iter().all(|a| a.address.prefix() == "txch"), "{derived:?}");
    let plotting = daemon.get_keys_for_plotting().fingerprints(vec![fingerprint]).await.unwrap();
    assert!(plotting.keys.contains_key(&fingerprint), "{plotting:?}");
}

/// `Debug` of a secret-bearing reply shows neither the mnemonic (its first words in a row; one
/// word alone may be a field's name, as "label" or "public" are) nor the entropy.
fn assert_hidden(debug: &str, mnemonic: &[String], entropy: &str) {
    let bare = entropy.trim_start_matches("0x");
    assert!(!debug.contains(bare), "entropy shown: {debug}");
    let words: Vec<&str> =
        debug.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
    let leading = &mnemonic[..3];
    assert!(!words.windows(3).any(|window| window == leading), "the mnemonic shown: {debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}

async fn throwaway_keys(d: &LiveDaemon) {
    let daemon = d.client.daemon();
    let words = fresh_mnemonic(d).await;
    let added = daemon.add_private_key(words.clone()).label(LABEL.to_owned()).await.unwrap();
    let fingerprint = added.fingerprint;
    assert_eq!(daemon.get_key(fingerprint).await.unwrap().key.label.as_deref(), Some(LABEL));
    daemon.set_label(fingerprint, format!("{LABEL} (renamed)")).await.unwrap();
    let renamed = daemon.get_key(fingerprint).await.unwrap().key.label;
    assert_eq!(renamed.as_deref(), Some("chia-rpc live throwaway (renamed)"));
    daemon.delete_label(fingerprint).await.unwrap();
    assert_eq!(daemon.get_key(fingerprint).await.unwrap().key.label, None);
    let public_key = daemon.get_public_key(fingerprint).await.unwrap().key.public_key;
    daemon.delete_key_by_fingerprint(fingerprint).await.unwrap();
    assert!(daemon.get_key(fingerprint).await.is_err(), "the key is gone");

    // The same key again, public only; then a second one from words.
    let public = daemon.add_key(public_key.to_string()).private(false).await.unwrap();
    assert_eq!(public.fingerprint, fingerprint);
    let key = daemon.get_key(fingerprint).include_secrets(true).await.unwrap().key;
    assert!(key.secrets.is_none(), "a public-only key has no secrets");
    daemon.delete_key_by_fingerprint(fingerprint).await.unwrap();
    let other = daemon.add_key(fresh_mnemonic(d).await).label(LABEL.to_owned()).await.unwrap();
    assert_ne!(other.fingerprint, fingerprint);
    daemon.delete_key_by_fingerprint(other.fingerprint).await.unwrap();
    let left = daemon.get_public_keys().await.unwrap().keys;
    assert!(
        left.iter().all(|k| k.fingerprint != other.fingerprint && k.fingerprint != fingerprint)
    );
}

/// 24 new words, from the wallet relayed through the daemon.
async fn fresh_mnemonic(d: &LiveDaemon) -> String {
    d.client.wallet().generate_mnemonic().await.unwrap().mnemonic.join(" ")
}

async fn keyring_passphrase_round_trip(d: &LiveDaemon) {
    let daemon = d.client.daemon();
    let passphrase = "chia-rpc live passphrase".to_owned();
    // A wrong passphrase: `success: false` without a reason.
    let wrong = daemon.validate_keyring_passphrase("not it".to_owned()).await.unwrap_err();
    assert!(matches!(wrong.kind(), ErrorKind::Rpc(_)), "{wrong:?}");
    daemon.set_keyring_passphrase(passphrase.clone()).await.unwrap();
    let set = daemon.keyring_status().await.unwrap();
    let restore = async {
        daemon.validate_keyring_passphrase(passphrase.clone()).await.unwrap();
        daemon.unlock_keyring(passphrase.clone()).await.unwrap();
    };
    restore.await;
    daemon.remove_keyring_passphrase(passphrase.clone()).await.unwrap();
    assert!(set.user_passphrase_is_set, "{set:?}");
    let after = daemon.keyring_status().await.unwrap();
    assert!(!after.user_passphrase_is_set && !after.is_keyring_locked, "{after:?}");
}

/// A plot queued to start in an hour, then cancelled: the queue is used, nothing is plotted.
async fn plotting(d: &LiveDaemon, fingerprint: u32) {
    let daemon = d.client.daemon();
    let plotters = daemon.get_plotters().await.unwrap();
    assert!(plotters.plotters.chiapos.installed, "{plotters:?}");
    let dir = std::env::temp_dir().join(format!("chia-rpc-live-plots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_text = dir.display().to_string();
    let queued = daemon
        .start_plotting("chia_plotter".to_owned(), dir_text.clone(), 1)
        .t(dir_text)
        .k(32)
        // What chiapos requires besides.
        .b(3390)
        .u(128)
        .e(false)
        .x(true)
        .override_k(false)
        .a(fingerprint)
        .delay(3600)
        .await
        .unwrap();
    assert_eq!(queued.ids.len(), 1);
    daemon.stop_plotting(queued.ids[0].clone()).await.unwrap();
    let is_empty = std::fs::read_dir(&dir).map(|mut d| d.next().is_none()).unwrap_or(true);
    assert!(is_empty, "nothing was plotted");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check_keys` reads the keys and may rewrite the reward targets of `config.yaml`: they must
/// come out the same, since the simulator's key is the one they pay.
async fn check_keys(d: &LiveDaemon, root: &str) {
    let config = std::path::Path::new(root).join("config/config.yaml");
    let targets = |text: &str| {
        text.lines()
            .filter(|line| line.contains("xch_target_address"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let before = targets(&std::fs::read_to_string(&config).unwrap());
    d.client.daemon().check_keys(root.to_owned()).await.unwrap();
    let after = targets(&std::fs::read_to_string(&config).unwrap());
    assert_eq!(before, after);
}
