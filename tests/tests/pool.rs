//! Connection reuse of the HTTPS transport against a loopback keep-alive server with
//! Chia-shaped certificates: a service sees no more connections than calls in flight.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chia_rpc::shared::Healthz;
use chia_rpc::{Client, HttpsTransport, Service};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use support::certs::{Ca, Leaf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const OK: &str = r#"{"success": true}"#;

/// A keep-alive HTTP/1.1 server that answers every request with [`OK`] and counts the
/// connections it accepts.
struct CountingServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    answered: Arc<AtomicUsize>,
}

/// Starts a server; with `close_after`, it closes each connection after that many replies.
async fn start(server: &Leaf, ca: &Ca, close_after: Option<usize>) -> CountingServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca.cert_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .unwrap();
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(server.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let (accepted_count, answered_count) = (accepted.clone(), answered.clone());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            accepted_count.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            let answered = answered_count.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut pending = Vec::new();
                let mut served = 0;
                while read_request(&mut tls, &mut pending).await {
                    served += 1;
                    let close = close_after.is_some_and(|limit| served >= limit);
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\n{}\r\n",
                        OK.len(),
                        if close { "Connection: close\r\n" } else { "" }
                    );
                    if tls.write_all(format!("{head}{OK}").as_bytes()).await.is_err() {
                        return;
                    }
                    answered.fetch_add(1, Ordering::SeqCst);
                    if close {
                        let _ = tls.shutdown().await;
                        return;
                    }
                }
            });
        }
    });
    CountingServer { addr, accepted, answered }
}

/// Reads one request (head and `Content-Length` body) off `stream`, keeping whatever follows
/// it in `pending`. False when the client closed the connection.
async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S, pending: &mut Vec<u8>) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if pending.len() >= end + 4 + length {
                pending.drain(..end + 4 + length);
                return true;
            }
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => pending.extend_from_slice(&buf[..n]),
        }
    }
}

fn client(server: &CountingServer, ca: &Ca, identity: &Leaf) -> Client {
    let transport = HttpsTransport::builder()
        .host("127.0.0.1")
        .port(Service::FullNode, server.addr.port())
        .ca_cert_pem(ca.cert_pem.clone())
        .identity_pem(identity.cert_pem.clone(), identity.key_pem.clone())
        .build()
        .unwrap();
    Client::new(transport)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_calls_in_flight_open_at_most_sixty_four_connections() {
    let ca = Ca::new("Chia CA");
    let server = start(&ca.leaf("chia.net"), &ca, None).await;
    let client = client(&server, &ca, &ca.leaf("chia.net"));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..50 {
                    client.call_on(Service::FullNode, Healthz::new()).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(server.answered.load(Ordering::SeqCst), 64 * 50);
    let accepted = server.accepted.load(Ordering::SeqCst);
    assert!((1..=64).contains(&accepted), "{accepted} connections for 64 calls in flight");
}

#[tokio::test]
async fn one_call_at_a_time_keeps_one_connection() {
    let ca = Ca::new("Chia CA");
    let server = start(&ca.leaf("chia.net"), &ca, None).await;
    let client = client(&server, &ca, &ca.leaf("chia.net"));
    for _ in 0..100 {
        client.call_on(Service::FullNode, Healthz::new()).await.unwrap();
    }
    assert_eq!(server.answered.load(Ordering::SeqCst), 100);
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced_without_failing_a_call() {
    let ca = Ca::new("Chia CA");
    let server = start(&ca.leaf("chia.net"), &ca, Some(2)).await;
    let client = client(&server, &ca, &ca.leaf("chia.net"));
    for _ in 0..10 {
        client.call_on(Service::FullNode, Healthz::new()).await.unwrap();
    }
    assert_eq!(server.answered.load(Ordering::SeqCst), 10);
    assert_eq!(server.accepted.load(Ordering::SeqCst), 5);
}
