//! The daemon's WebSocket transport against a mock daemon on loopback, for the faults a real
//! one cannot be made to produce on demand. (The live suite drives the real daemon.)

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use chia_rpc::decode::Strictness;
use chia_rpc::full_node::FullNodeEvent;
use chia_rpc::transport::CallOptions;
use chia_rpc::ws::{DaemonTransport, DaemonTransportBuilder, Listener, Notice, Reconnect};
use chia_rpc::{ErrorKind, Event, Service, ServiceClients};
use serde_json::{Value, json};
use support::certs::{Install, install};
use support::mock_daemon::{self, Action, MockDaemon};
use tokio_stream::StreamExt;

fn builder(daemon: &MockDaemon, install: &Install) -> DaemonTransportBuilder {
    DaemonTransport::builder()
        .host("127.0.0.1")
        .port(daemon.addr.port())
        .ca_cert_pem(install.ca.cert_pem.clone())
        .identity_pem(install.client.cert_pem.clone(), install.client.key_pem.clone())
        .timeout(Duration::from_secs(5))
        .reconnect(fast_reconnect())
}

fn fast_reconnect() -> Reconnect {
    let mut reconnect = Reconnect::default();
    reconnect.first_delay = Duration::from_millis(20);
    reconnect.max_delay = Duration::from_millis(200);
    reconnect
}

/// Answers `ping` like the daemon, echoes anything else's data back after a delay in
/// milliseconds given by `data.delay`.
fn echo(request: &Value) -> Action {
    match request["command"].as_str() {
        Some("ping") => Action::Reply(json!({"success": true, "value": "pong"}), Duration::ZERO),
        _ => {
            let delay = request["data"]["delay"].as_u64().unwrap_or(0);
            let mut data = request["data"].clone();
            data["success"] = json!(true);
            Action::Reply(data, Duration::from_millis(delay))
        }
    }
}

async fn send(transport: &DaemonTransport, command: &str, data: Value) -> chia_rpc::Result<Value> {
    let reply = transport
        .send_command("chia_full_node", command, data.to_string(), CallOptions::new())
        .await?;
    Ok(serde_json::from_slice(&reply).unwrap())
}

/// The next notice, within five seconds.
async fn next(events: &mut chia_rpc::ws::EventStream) -> Notice {
    let next = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
    next.expect("a notice in time").expect("the stream goes on").unwrap()
}

#[tokio::test]
async fn typed_calls_register_first_and_carry_the_envelope() {
    let install = install();
    let daemon = mock_daemon::start(&install.server, &install.ca, echo).await;
    let transport = builder(&daemon, &install).listen(Listener::Metrics).connect().await.unwrap();
    let client = transport.client();
    let pong = client.daemon().ping().await.unwrap();
    assert_eq!(pong.value, "pong");
    assert_eq!(daemon.registrations(), [transport.origin(), "metrics"]);
    let request = &daemon.requests()[0];
    assert_eq!(request["command"], "ping");
    assert_eq!(request["destination"], "daemon");
    assert_eq!(request["ack"], false);
    assert_eq!(request["origin"], transport.origin());
    let id = request["request_id"].as_str().unwrap();
    assert!(id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    // A relayed call goes to the service's daemon name.
    let state = client.full_node().healthz().await;
    assert!(state.is_ok(), "{state:?}");
    assert_eq!(daemon.requests()[1]["destination"], "chia_full_node");
}

#[tokio::test]
async fn many_calls_in_flight_each_get_their_own_reply() {
    let install = install();
    let daemon = mock_daemon::start(&install.server, &install.ca, echo).await;
    let transport = builder(&daemon, &install).connect().await.unwrap();
    // Later calls are answered first.
    let calls = (0..20u64).map(|n| {
        let transport = transport.clone();
        tokio::spawn(async move {
            send(&transport, "echo", json!({"n": n, "delay": 200 - n * 10})).await
        })
    });
    for (n, call) in calls.enumerate() {
        let reply = call.await.unwrap().unwrap();
        assert_eq!(reply["n"], n as u64);
    }
}

#[tokio::test]
async fn a_dropped_connection_fails_the_pending_call_at_once_then_reconnects() {
    let install = install();
    let daemon =
        mock_daemon::start(
            &install.server,
            &install.ca,
            |request: &Value| match request["command"].as_str() {
                Some("hang") => Action::Silence,
                _ => echo(request),
            },
        )
        .await;
    let transport = builder(&daemon, &install)
        .listen(Listener::WalletUi)
        .timeout(Duration::from_secs(30))
        .connect()
        .await
        .unwrap();
    let mut events = transport.events();
    let pending = {
        let transport = transport.clone();
        tokio::spawn(async move { send(&transport, "hang", json!({})).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let dropped = Instant::now();
    daemon.drop_all();
    let err = pending.await.unwrap().unwrap_err();
    assert!(dropped.elapsed() < Duration::from_secs(2), "took {:?}", dropped.elapsed());
    assert!(err.is_connection_lost(), "{err:?}");

    assert!(matches!(next(&mut events).await, Notice::Disconnected { .. }));
    assert_eq!(next(&mut events).await, Notice::Reconnected);
    // Registered again, under the same names.
    let names = daemon.registrations();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[..2], names[2..]);
    // Calls and pushes flow again.
    assert_eq!(send(&transport, "echo", json!({"x": 1})).await.unwrap()["x"], 1);
    daemon.push(mock_daemon::push(
        "chia_full_node",
        "block",
        "wallet_ui",
        json!({"success": true, "height": 7}),
    ));
    match next(&mut events).await {
        Notice::Event(pushed) => {
            assert_eq!(pushed.destination, "wallet_ui");
            let Event::FullNode(FullNodeEvent::Block(block)) = pushed.event else {
                panic!("{:?}", pushed.event)
            };
            assert_eq!(block.height, Some(7));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(daemon.connections.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn without_reconnect_a_call_after_the_drop_fails_fast_with_connect() {
    let install = install();
    let daemon = mock_daemon::start(&install.server, &install.ca, echo).await;
    let mut off = Reconnect::default();
    off.enabled = false;
    let transport = builder(&daemon, &install).reconnect(off).connect().await.unwrap();
    let mut events = transport.events();
    daemon.drop_all();
    let notice = tokio::time::timeout(Duration::from_secs(5), events.next()).await.unwrap();
    assert!(matches!(notice, Some(Ok(Notice::Disconnected { .. }))), "{notice:?}");
    let started = Instant::now();
    let err = send(&transport, "echo", json!({})).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(!transport.is_connected());
}

#[tokio::test]
async fn silence_ends_in_the_calls_own_timeout_and_the_connection_stays_usable() {
    let install = install();
    let daemon =
        mock_daemon::start(
            &install.server,
            &install.ca,
            |request: &Value| match request["command"].as_str() {
                Some("hang") => Action::Silence,
                _ => echo(request),
            },
        )
        .await;
    let transport = builder(&daemon, &install).connect().await.unwrap();
    let options = CallOptions::new().timeout(Duration::from_millis(300));
    let started = Instant::now();
    let err = transport.send_command("chia_wallet", "hang", "{}", options).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.to_string().contains("hang to chia_wallet"), "{err}");
    assert_eq!(send(&transport, "echo", json!({"y": 2})).await.unwrap()["y"], 2);
}

#[tokio::test]
async fn a_request_over_the_limit_is_refused_before_it_is_sent() {
    let install = install();
    let daemon = mock_daemon::start(&install.server, &install.ca, echo).await;
    let transport = builder(&daemon, &install).max_message_size(4096).connect().await.unwrap();
    let big = json!({"blob": "x".repeat(5000)});
    let err = send(&transport, "echo", big).await.unwrap_err();
    match err.kind() {
        ErrorKind::TooLarge { size, limit, .. } => {
            assert_eq!(*limit, 4096);
            assert!(size.unwrap() > 5000);
        }
        other => panic!("{other:?}"),
    }
    assert!(daemon.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_reply_over_the_limit_is_a_typed_error_and_the_link_is_dialled_again() {
    let install = install();
    let daemon =
        mock_daemon::start(
            &install.server,
            &install.ca,
            |request: &Value| match request["command"].as_str() {
                Some("huge") => Action::Reply(
                    json!({"success": true, "blob": "y".repeat(100_000)}),
                    Duration::ZERO,
                ),
                _ => echo(request),
            },
        )
        .await;
    let transport = builder(&daemon, &install).max_message_size(10_000).connect().await.unwrap();
    let err = send(&transport, "huge", json!({})).await.unwrap_err();
    assert!(err.is_too_large(), "{err:?}");
    // The transport dials again on its own.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !transport.is_connected() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(send(&transport, "echo", json!({"z": 3})).await.unwrap()["z"], 3);
}

#[tokio::test]
async fn garbage_from_the_daemon_reaches_no_call_and_breaks_nothing() {
    let install = install();
    let daemon =
        mock_daemon::start(
            &install.server,
            &install.ca,
            |request: &Value| match request["command"].as_str() {
                Some("garbage") => Action::Raw("this is not JSON {".to_owned()),
                _ => echo(request),
            },
        )
        .await;
    let transport = builder(&daemon, &install).connect().await.unwrap();
    let options = CallOptions::new().timeout(Duration::from_millis(300));
    let err = transport.send_command("chia_wallet", "garbage", "{}", options).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(transport.is_connected());
    assert_eq!(send(&transport, "echo", json!({"w": 4})).await.unwrap()["w"], 4);
}

#[tokio::test]
async fn data_that_is_not_a_json_object_is_an_invalid_request() {
    let install = install();
    let daemon = mock_daemon::start(&install.server, &install.ca, echo).await;
    let transport = builder(&daemon, &install).connect().await.unwrap();
    for data in ["[1, 2]", "{not json", "\u{1}"] {
        let err = transport
            .send_command("daemon", "ping", data.to_owned(), CallOptions::new())
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }), "{data}: {err:?}");
    }
    assert!(daemon.requests().is_empty());
}

#[tokio::test]
async fn pushes_are_filtered_and_decoded_as_asked() {
    let install = install();
    let daemon = mock_daemon::start(&install.server, &install.ca, echo).await;
    let transport = builder(&daemon, &install).listen(Listener::Metrics).connect().await.unwrap();
    let mut wallet_only = transport.events().service(Service::Wallet);
    let mut strict = transport.events().strictness(Strictness::Strict);
    let mut lenient = transport.events();
    daemon.push(mock_daemon::push("chia_full_node", "brand_new", "metrics", json!({"a": 1})));
    daemon.push(mock_daemon::push(
        "chia_wallet",
        "sync_changed",
        "metrics",
        json!({"state": "sync_changed", "success": true}),
    ));
    let within = Duration::from_secs(5);
    // Lenient: the unknown push is kept whole.
    let first = tokio::time::timeout(within, lenient.next()).await.unwrap().unwrap().unwrap();
    let Notice::Event(pushed) = first else { panic!("{first:?}") };
    let Event::Unknown(unknown) = &pushed.event else { panic!("{:?}", pushed.event) };
    assert_eq!(
        (unknown.origin.as_str(), unknown.command.as_str()),
        ("chia_full_node", "brand_new")
    );
    assert_eq!(serde_json::from_str::<Value>(&unknown.data).unwrap(), json!({"a": 1}));
    // Strict: it is an error naming the push, and the stream goes on.
    let err = tokio::time::timeout(within, strict.next()).await.unwrap().unwrap().unwrap_err();
    assert!(err.to_string().contains("push brand_new from chia_full_node"), "{err}");
    let next = tokio::time::timeout(within, strict.next()).await.unwrap().unwrap().unwrap();
    assert!(matches!(next, Notice::Event(ref p) if p.event.service() == Some(Service::Wallet)));
    // Filtered: only the wallet's push.
    let only = tokio::time::timeout(within, wallet_only.next()).await.unwrap().unwrap().unwrap();
    let Notice::Event(pushed) = only else { panic!("{only:?}") };
    assert_eq!(pushed.event.command(), "sync_changed");
}

#[tokio::test]
async fn two_daemons_in_one_process_stay_apart() {
    let (one, two) = (install(), install());
    let first = mock_daemon::start(&one.server, &one.ca, |_: &Value| {
        Action::Reply(json!({"success": true, "who": 1}), Duration::ZERO)
    })
    .await;
    let second = mock_daemon::start(&two.server, &two.ca, |_: &Value| {
        Action::Reply(json!({"success": true, "who": 2}), Duration::ZERO)
    })
    .await;
    let a = builder(&first, &one).connect().await.unwrap();
    let b = builder(&second, &two).connect().await.unwrap();
    assert_ne!(a.origin(), b.origin());
    assert_eq!(send(&a, "who", json!({})).await.unwrap()["who"], 1);
    assert_eq!(send(&b, "who", json!({})).await.unwrap()["who"], 2);
    // Each trusts only its own installation's CA.
    let crossed = builder(&second, &one).connect().await.unwrap_err();
    assert!(crossed.is_connect(), "{crossed:?}");
}

#[tokio::test]
async fn https_refuses_the_daemon_and_names_the_way() {
    let install = install();
    let transport = chia_rpc::HttpsTransport::builder()
        .ca_cert_pem(install.ca.cert_pem.clone())
        .identity_pem(install.client.cert_pem.clone(), install.client.key_pem.clone())
        .build()
        .unwrap();
    let client = chia_rpc::Client::new(transport);
    let err = client.daemon().ping().await.unwrap_err();
    assert!(err.to_string().contains("WebSocket"), "{err}");
}
