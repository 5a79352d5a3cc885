//! The daemon goes away mid-call and comes back: the waiting call fails at once with a typed
//! error, the transport dials again, registers again, and pushes flow again.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chia_rpc::transport::CallOptions;
use chia_rpc::{Address, Client, ServiceClients};

use super::LiveDaemon;

/// The longest the pending call could wait: it must end long before this.
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

pub async fn drop_mid_call_then_reconnect(
    d: &LiveDaemon,
    env: &BTreeMap<String, String>,
    https: &Client,
    address: &Address,
) {
    // A call the daemon never answers: nothing is registered under this name.
    let pending = {
        let transport = d.transport.clone();
        tokio::spawn(async move {
            let options = CallOptions::new().timeout(CALL_TIMEOUT);
            let result = transport.send_command("chia_rpc_nobody", "healthz", "{}", options).await;
            (result, Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let restart = restart_daemon(env);
    let ((result, ended), restarted) = tokio::join!(async { pending.await.unwrap() }, restart);
    restarted.unwrap_or_else(|err| panic!("restarting the daemon: {err}"));
    let err = result.expect_err("the call cannot succeed: its daemon went away");
    assert!(err.is_connection_lost(), "{err:?}");
    let waited = ended.duration_since(started);
    assert!(waited < Duration::from_secs(30), "the call failed only after {waited:?}");

    let seen = d
        .pushes
        .wait_for(Duration::from_secs(60), |seen| seen.notices.iter().any(|n| n == "reconnected"))
        .await;
    let notices = &seen.notices;
    let dropped = notices.iter().position(|n| n == "disconnected").expect("a disconnect notice");
    let back = notices.iter().position(|n| n == "reconnected").expect("a reconnect notice");
    assert!(dropped < back, "{notices:?}");
    assert!(d.transport.is_connected());
    assert_eq!(d.client.daemon().ping().await.unwrap().value, "pong");

    // The services register with the new daemon on their own; a new block's push must come.
    let key = ("chia_full_node".to_owned(), "block".to_owned());
    let before = seen.decoded.get(&key).copied().unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        https.simulator().farm_block(address.clone()).await.unwrap();
        let seen = d
            .pushes
            .wait_for(Duration::from_secs(5), |seen| {
                seen.decoded.get(&key).copied().unwrap_or(0) > before
            })
            .await;
        if seen.decoded.get(&key).copied().unwrap_or(0) > before {
            break;
        }
        assert!(Instant::now() < deadline, "no push after the daemon came back: {seen:?}");
    }
    // Relayed calls reach the services through the new daemon too.
    d.client.full_node().get_blockchain_state().await.unwrap();
}

/// Runs `sim restart-daemon` of the harness that started the simulator.
async fn restart_daemon(env: &BTreeMap<String, String>) -> Result<(), String> {
    let xtask = env.get("CHIA_RPC_XTASK").cloned().ok_or(
        "CHIA_RPC_XTASK is missing from the live env file: start the simulator with `cargo xtask sim up`",
    )?;
    let env_file = std::env::var("CHIA_RPC_LIVE_ENV").map_err(|err| err.to_string())?;
    let sim_dir = Path::new(&env_file).parent().ok_or("the env file has no directory")?.to_owned();
    tokio::task::spawn_blocking(move || {
        let output = std::process::Command::new(&xtask)
            .args(["sim", "restart-daemon"])
            .env("CHIA_RPC_SIM_DIR", &sim_dir)
            .output()
            .map_err(|err| format!("running {xtask}: {err}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{xtask} sim restart-daemon failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    })
    .await
    .map_err(|err| err.to_string())?
}
