//! Every way a node can misbehave, each ending in its typed error within the configured limit.
//!
//! A loopback mutual-TLS server plays the faults a real node cannot be made to produce on
//! demand. The client runs with short limits (connect 1 s, read idle 1 s, total 3 s, replies
//! up to 1 MB) so the whole table takes seconds; `cargo test --test faults -- --nocapture`
//! prints the table the README shows.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod support;

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chia_rpc::error::TimeLimit;
use chia_rpc::full_node::{GetBlock, GetNetworkSpace, PushTx};
use chia_rpc::http::HttpsTransportBuilder;
use chia_rpc::transport::{RawRequest, RetryPolicy};
use chia_rpc::{
    Client, ErrorKind, HttpsTransport, RpcErrorCode, Service, ServiceClients, Transport,
};
use support::certs::{Ca, Install, Leaf, install};
use support::mock_server::{self, Behaviour, MockServer, ServerTls, Step};

const CONNECT: Duration = Duration::from_secs(1);
const READ_IDLE: Duration = Duration::from_secs(1);
const TOTAL: Duration = Duration::from_secs(3);
const MAX_REPLY: usize = 1_000_000;

fn builder(port: u16, install: &Install) -> HttpsTransportBuilder {
    HttpsTransport::builder()
        .host("127.0.0.1")
        .port(Service::FullNode, port)
        .ca_cert_pem(install.ca.cert_pem.clone())
        .identity_pem(install.client.cert_pem.clone(), install.client.key_pem.clone())
        .connect_timeout(CONNECT)
        .read_timeout(READ_IDLE)
        .timeout(TOTAL)
        .max_reply_size(MAX_REPLY)
}

fn fixture(path: &str) -> Bytes {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chia-2.7.5");
    Bytes::from(std::fs::read(base.join(path)).unwrap())
}

fn fixture_text(path: &str) -> String {
    String::from_utf8(fixture(path).to_vec()).unwrap()
}

async fn serve(install: &Install, behaviour: Behaviour) -> MockServer {
    mock_server::start(&install.server, &install.ca, behaviour).await
}

async fn healthz(transport: &HttpsTransport) -> chia_rpc::Result<Bytes> {
    transport.send(RawRequest::new(Service::FullNode, "healthz", &b"{}"[..])).await
}

/// A reply that begins (head and 100 bytes of an announced 1000), then does `then`.
fn begun_then(then: Step) -> Behaviour {
    Behaviour::Script(vec![
        Step::head(200, "Content-Length: 1000\r\n"),
        Step::text(&format!("{{\"success\": true, \"pad\": \"{}", "x".repeat(74))),
        Step::Pause(Duration::from_millis(50)),
        then,
    ])
}

/// Whose certificate a side presents.
#[derive(Clone, Copy)]
enum Who {
    /// The installation's own.
    Own,
    /// One from another CA whose subject is the same as the installation's CA.
    Twin,
    /// One from the installation's CA naming another host.
    Misnamed,
}

impl Who {
    fn leaf(self, install: &Install, own: &Leaf) -> Leaf {
        match self {
            Who::Own => Leaf { cert_pem: own.cert_pem.clone(), key_pem: own.key_pem.clone() },
            Who::Twin => Ca::new("Chia CA").leaf("chia.net"),
            Who::Misnamed => install.ca.leaf("not-chia.example"),
        }
    }
}

/// What one fault ended in, and how long it took.
struct Outcome {
    mode: &'static str,
    result: Result<String, chia_rpc::Error>,
    took: Duration,
}

type Case = Pin<Box<dyn Future<Output = Outcome>>>;

fn case<F: Future<Output = Result<String, chia_rpc::Error>> + 'static>(
    mode: &'static str,
    run: F,
) -> Case {
    Box::pin(async move {
        let started = Instant::now();
        let result = run.await;
        Outcome { mode, result, took: started.elapsed() }
    })
}

/// One line of the README's table: the error's kind as a short name.
fn kind_name(err: &chia_rpc::Error) -> String {
    match err.kind() {
        ErrorKind::Config { .. } => "Config".into(),
        ErrorKind::Tls { .. } => "Tls".into(),
        ErrorKind::Connect { .. } => "Connect".into(),
        ErrorKind::ConnectionLost { .. } => "ConnectionLost".into(),
        ErrorKind::Timeout { limit, .. } => format!("Timeout({limit:?})"),
        ErrorKind::HttpStatus { status, .. } => format!("HttpStatus({status})"),
        ErrorKind::TooLarge { size: Some(_), .. } => "TooLarge (announced)".into(),
        ErrorKind::TooLarge { size: None, .. } => "TooLarge (while reading)".into(),
        ErrorKind::InvalidRequest { .. } => "InvalidRequest".into(),
        ErrorKind::Decode(_) => "Decode".into(),
        ErrorKind::Rpc(failure) => format!("Rpc({:?})", failure.code),
        _ => "other".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_in_its_typed_error_within_its_limit() {
    let install = std::rc::Rc::new(install());
    let mut cases: Vec<(Case, &str, Duration)> = Vec::new();
    // (case, expected kind, the most it may take)
    let slack = Duration::from_millis(900);

    macro_rules! transport_case {
        ($mode:expr, $behaviour:expr, $expected:expr, $limit:expr) => {{
            let install = install.clone();
            let behaviour = $behaviour;
            cases.push((
                case($mode, async move {
                    let server = serve(&install, behaviour).await;
                    let transport = builder(server.addr.port(), &install).build().unwrap();
                    healthz(&transport).await.map(|body| format!("{} bytes", body.len()))
                }),
                $expected,
                $limit,
            ));
        }};
    }

    transport_case!("hang before the reply's head", Behaviour::Hang, "Timeout(Total)", TOTAL);
    transport_case!(
        "hang in the middle of the body",
        begun_then(Step::Hang),
        "Timeout(ReadIdle)",
        READ_IDLE
    );
    transport_case!(
        "reset in the middle of the body",
        begun_then(Step::Reset),
        "ConnectionLost",
        Duration::ZERO
    );
    transport_case!(
        "closed in the middle of the body",
        begun_then(Step::text("")),
        "ConnectionLost",
        Duration::ZERO
    );
    transport_case!("dropped after the request", Behaviour::Drop, "ConnectionLost", Duration::ZERO);
    transport_case!(
        "HTTP 500 with a text body",
        Behaviour::Reply(500, "500 Internal Server Error\n\nServer got itself in trouble".into()),
        "HttpStatus(500)",
        Duration::ZERO
    );
    transport_case!(
        "HTTP 404 with a text body",
        Behaviour::Reply(404, "404: Not Found".into()),
        "HttpStatus(404)",
        Duration::ZERO
    );
    // A byte every 300 ms: never silent for a whole read timeout, but never done in time.
    let drip = std::iter::once(Step::head(200, "Content-Length: 100\r\n"))
        .chain((0..100).flat_map(|_| [Step::text(" "), Step::Pause(Duration::from_millis(300))]))
        .collect();
    transport_case!("slow drip", Behaviour::Script(drip), "Timeout(Total)", TOTAL);
    transport_case!(
        "huge body, length announced (600 MB)",
        Behaviour::Script(vec![
            Step::head(200, "Content-Length: 600000000\r\n"),
            Step::Flood { byte: b' ', total: 600_000_000 },
        ]),
        "TooLarge (announced)",
        Duration::ZERO
    );
    transport_case!(
        "huge body, length not announced (600 MB)",
        Behaviour::Script(vec![
            Step::head(200, "Connection: close\r\n"),
            Step::Flood { byte: b' ', total: 600_000_000 },
        ]),
        "TooLarge (while reading)",
        Duration::ZERO
    );

    // Certificates and TLS.
    for (mode, server_leaf, tls, client_leaf, expected, limit) in [
        (
            "server signed by another CA with the same subject",
            Who::Twin,
            ServerTls::Tls13,
            Who::Own,
            "Connect",
            Duration::ZERO,
        ),
        (
            "server certificate with another name",
            Who::Misnamed,
            ServerTls::Tls13,
            Who::Own,
            "Connect",
            Duration::ZERO,
        ),
        (
            "client certificate the server refuses",
            Who::Own,
            ServerTls::Tls13,
            Who::Twin,
            "Connect",
            Duration::ZERO,
        ),
        (
            "server that speaks only TLS 1.2",
            Who::Own,
            ServerTls::Tls12Only,
            Who::Own,
            "Connect",
            Duration::ZERO,
        ),
        (
            "server that never answers the TLS handshake",
            Who::Own,
            ServerTls::SilentHandshake,
            Who::Own,
            "Timeout(Connect)",
            CONNECT,
        ),
    ] {
        let install = install.clone();
        cases.push((
            case(mode, async move {
                let ok = Behaviour::Reply(200, r#"{"success": true}"#.into());
                let server_leaf = server_leaf.leaf(&install, &install.server);
                let server = mock_server::start_with(&server_leaf, &install.ca, ok, tls).await;
                let client_leaf = client_leaf.leaf(&install, &install.client);
                let transport = builder(server.addr.port(), &install)
                    .identity_pem(client_leaf.cert_pem.clone(), client_leaf.key_pem.clone())
                    .build()
                    .unwrap();
                healthz(&transport).await.map(|body| format!("{} bytes", body.len()))
            }),
            expected,
            limit,
        ));
    }
    {
        let install = install.clone();
        cases.push((
            case("connection refused", async move {
                let port = std::net::TcpListener::bind("127.0.0.1:0")
                    .unwrap()
                    .local_addr()
                    .unwrap()
                    .port();
                let transport = builder(port, &install).build().unwrap();
                healthz(&transport).await.map(|body| format!("{} bytes", body.len()))
            }),
            "Connect",
            Duration::ZERO,
        ));
    }
    {
        let install = install.clone();
        cases.push((
            case("no client certificate configured", async move {
                let transport = HttpsTransport::builder()
                    .host("127.0.0.1")
                    .ca_cert_pem(install.ca.cert_pem.clone())
                    .build()
                    .unwrap();
                healthz(&transport).await.map(|body| format!("{} bytes", body.len()))
            }),
            "Config",
            Duration::ZERO,
        ));
    }

    // Replies that arrive whole but are not what the model expects.
    macro_rules! reply_case {
        ($mode:expr, $reply:expr, $call:expr, $expected:expr) => {{
            let install = install.clone();
            let reply: String = $reply;
            cases.push((
                case($mode, async move {
                    let server = serve(&install, Behaviour::Reply(200, reply)).await;
                    let client =
                        Client::new(builder(server.addr.port(), &install).build().unwrap());
                    #[allow(clippy::redundant_closure_call)]
                    ($call)(client).await
                }),
                $expected,
                Duration::ZERO,
            ));
        }};
    }
    let hash = chia_rpc::Bytes32::new([0x11; 32]);
    reply_case!(
        "truncated JSON",
        {
            let whole = fixture_text("full_node/get_block.json");
            whole[..whole.len() / 2].to_owned()
        },
        |client: Client| async move {
            client.full_node().get_block(hash).await.map(|reply| format!("{reply:?}"))
        },
        "Decode"
    );
    reply_case!(
        "success: false",
        fixture_text("full_node/get_block.failure-unknown-hash.json"),
        |client: Client| async move {
            client.full_node().get_block(hash).await.map(|reply| format!("{reply:?}"))
        },
        "Rpc(Some(BlockNotFound))"
    );
    let space = u128::from(u64::MAX) * 1000 + 7;
    reply_case!(
        "u128 above 2^64",
        format!(r#"{{"space": {space}, "success": true}}"#),
        |client: Client| async move {
            let reply = client.full_node().get_network_space(hash, hash).await?;
            Ok(format!("space = {} (exact: {})", reply.space, reply.space == space))
        },
        "Ok: space = 18446744073709551615007 (exact: true)"
    );

    let local = tokio::task::LocalSet::new();
    let outcomes = local
        .run_until(async {
            let handles: Vec<_> = cases
                .into_iter()
                .map(|(case, expected, limit)| {
                    let handle = tokio::task::spawn_local(case);
                    (handle, expected, limit)
                })
                .collect();
            let mut outcomes = Vec::new();
            for (handle, expected, limit) in handles {
                outcomes.push((handle.await.unwrap(), expected, limit));
            }
            outcomes
        })
        .await;

    println!("| fault | error kind | seconds |");
    println!("| --- | --- | --- |");
    let mut wrong = Vec::new();
    for (outcome, expected, limit) in &outcomes {
        let got = match &outcome.result {
            Ok(value) => format!("Ok: {value}"),
            Err(err) => kind_name(err),
        };
        println!("| {} | {got} | {:.2} |", outcome.mode, outcome.took.as_secs_f64());
        if got != *expected {
            wrong.push(format!(
                "{}: expected {expected}, got {got} ({:?})",
                outcome.mode, outcome.result
            ));
        }
        if outcome.took > *limit + slack {
            wrong.push(format!("{}: took {:?}, limit {limit:?}", outcome.mode, outcome.took));
        }
        if outcome.took + Duration::from_millis(100) < *limit {
            wrong.push(format!("{}: ended before its limit, in {:?}", outcome.mode, outcome.took));
        }
    }
    assert!(outcomes.len() >= 19, "{} cases", outcomes.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_reset_mid_body_says_the_connection_broke_not_that_connecting_failed() {
    let install = install();
    let server = serve(&install, begun_then(Step::Reset)).await;
    let transport = builder(server.addr.port(), &install).build().unwrap();
    let err = healthz(&transport).await.unwrap_err();
    assert!(err.is_connection_lost() && !err.is_connect(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("broke before the whole reply came"), "{text}");
    assert!(!text.contains("connecting"), "{text}");
}

#[tokio::test]
async fn tls12_is_refused_by_default_and_accepted_only_when_allowed() {
    let install = install();
    let ok = Behaviour::Reply(200, r#"{"success": true}"#.into());
    let server =
        mock_server::start_with(&install.server, &install.ca, ok, ServerTls::Tls12Only).await;
    let strict = builder(server.addr.port(), &install).build().unwrap();
    let err = healthz(&strict).await.unwrap_err();
    assert!(err.is_connect(), "{err}");
    assert!(err.to_string().to_lowercase().contains("version"), "{err}");
    let allowing = builder(server.addr.port(), &install).allow_tls12(true).build().unwrap();
    assert_eq!(healthz(&allowing).await.unwrap(), r#"{"success": true}"#.as_bytes());
}

#[tokio::test]
async fn limits_set_per_call_override_the_transport() {
    let install = install();
    let body = format!(r#"{{"success": true, "pad": "{}"}}"#, "x".repeat(5000));
    let server = serve(&install, Behaviour::KeepAlive(body.clone())).await;
    let transport = builder(server.addr.port(), &install).build().unwrap();
    let client = Client::new(transport);
    let raw = |options| client.send_raw(Service::FullNode, "healthz", &b"{}"[..], options);
    let whole = raw(chia_rpc::transport::CallOptions::new()).await.unwrap();
    assert_eq!(whole.len(), body.len());
    let err = raw(chia_rpc::transport::CallOptions::new().max_reply_size(1000)).await.unwrap_err();
    match err.kind() {
        ErrorKind::TooLarge { size, limit, .. } => {
            assert_eq!((*size, *limit), (Some(body.len()), 1000));
        }
        other => panic!("{other:?}"),
    }
    // The client's own default sits between the transport's and the call's.
    let small =
        client.clone().with_options(chia_rpc::transport::CallOptions::new().max_reply_size(100));
    let err = small.full_node().healthz().await.unwrap_err();
    assert!(err.is_too_large(), "{err}");
    let err = small
        .full_node()
        .healthz()
        .max_reply_size(10_000)
        .read_timeout(Duration::from_secs(1))
        .await;
    assert!(err.is_ok(), "{err:?}");
    let err = small
        .full_node()
        .healthz()
        .with_options(chia_rpc::transport::CallOptions::new().max_reply_size(10_000))
        .await;
    assert!(err.is_ok(), "{err:?}");

    // A per-call read timeout shorter than the transport's.
    let server = serve(&install, begun_then(Step::Hang)).await;
    let client = Client::new(
        builder(server.addr.port(), &install)
            .read_timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
    );
    let started = Instant::now();
    let err =
        client.full_node().healthz().read_timeout(Duration::from_millis(300)).await.unwrap_err();
    assert_eq!(err.time_limit(), Some(TimeLimit::ReadIdle), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

/// A read that fails for want of a connection is sent again, up to the policy's cap, and a
/// transaction never twice — the server counts what it received.
#[tokio::test]
async fn retries_repeat_reads_only_and_never_a_transaction() {
    let install = install();
    let mut server = serve(&install, Behaviour::Drop).await;
    let client = Client::new(builder(server.addr.port(), &install).build().unwrap())
        .with_retries(RetryPolicy::attempts(3).first_delay(Duration::from_millis(20)));

    let err = client.full_node().get_block(chia_rpc::Bytes32::new([1; 32])).await.unwrap_err();
    assert!(err.is_connection_lost(), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received(), vec!["/get_block"; 3], "a read is sent up to 3 times");

    // A call's own policy replaces the client's.
    let err = client
        .full_node()
        .get_block(chia_rpc::Bytes32::new([1; 32]))
        .retry(RetryPolicy::attempts(2).first_delay(Duration::from_millis(20)))
        .await
        .unwrap_err();
    assert!(err.is_connection_lost(), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received(), vec!["/get_block"; 2], "the call's policy: 2 attempts");

    let request: PushTx =
        serde_json::from_slice(&fixture("full_node/push_tx.request.json")).unwrap();
    assert_eq!(<PushTx as chia_rpc::Endpoint>::ACCESS, chia_rpc::Access::Transaction);
    let err = client.call(request).await.unwrap_err();
    assert!(err.is_connection_lost(), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received(), vec!["/push_tx"], "a transaction is sent once");

    // Without a policy, a read goes once too.
    let plain = Client::new(builder(server.addr.port(), &install).build().unwrap());
    plain
        .call(GetNetworkSpace::new(
            chia_rpc::Bytes32::new([2; 32]),
            chia_rpc::Bytes32::new([3; 32]),
        ))
        .await
        .unwrap_err();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received(), vec!["/get_network_space"]);
}

#[tokio::test]
async fn a_retried_read_succeeds_once_the_service_answers() {
    let install = install();
    let found = fixture_text("full_node/get_block.json");
    let mut server = serve(
        &install,
        Behaviour::InTurn(vec![
            Behaviour::Drop,
            Behaviour::Reply(503, "503: Service Unavailable".into()),
            Behaviour::Reply(200, found),
        ]),
    )
    .await;
    let client = Client::new(builder(server.addr.port(), &install).build().unwrap());
    let hash = chia_rpc::Bytes32::new([1; 32]);
    let policy = RetryPolicy::attempts(5).first_delay(Duration::from_millis(10));
    client.call(GetBlock::new(hash)).retry(policy).await.unwrap();
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_decoded_failure_is_final_even_for_a_read() {
    let install = install();
    let failure = fixture_text("full_node/get_block.failure-unknown-hash.json");
    let mut server = serve(&install, Behaviour::Reply(200, failure)).await;
    let client = Client::new(builder(server.addr.port(), &install).build().unwrap())
        .with_retries(RetryPolicy::attempts(3).first_delay(Duration::from_millis(10)));
    let err = client.full_node().get_block(chia_rpc::Bytes32::new([1; 32])).await.unwrap_err();
    assert_eq!(err.rpc_code(), Some(&RpcErrorCode::BlockNotFound), "{err}");
    assert_eq!(server.received().len(), 1);
}

/// A reply to an endpoint that returns secrets is never shown in an error, even when it came
/// with an HTTP error status; the bytes stay available to code that asks for them.
#[tokio::test]
async fn the_reply_of_an_endpoint_with_secrets_is_never_shown_in_an_error() {
    let install = install();
    let secret = "abandon ability able about above absent absorb abstract";
    let body = format!(r#"{{"private_key": {{"seed": "{secret}"}}}}"#);
    let server = serve(&install, Behaviour::Reply(500, body.clone())).await;
    let transport =
        builder(server.addr.port(), &install).port(Service::Wallet, server.addr.port()).build();
    let client = Client::new(transport.unwrap());
    let err = client.wallet().get_private_key(1).await.unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("abandon"), "{shown}");
    match err.kind() {
        ErrorKind::HttpStatus { body: kept, .. } => assert_eq!(kept.bytes(), body.as_bytes()),
        other => panic!("{other:?}"),
    }
    // A reply of an endpoint without secrets is shown, in part.
    let err = client.full_node().healthz().await.unwrap_err();
    assert!(format!("{err}").contains("abandon"), "{err}");
}
