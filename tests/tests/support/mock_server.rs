//! A mutual-TLS HTTP/1.1 server on loopback for cases a real node cannot produce on demand:
//! foreign certificates, garbage replies, dropped connections, silence.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::certs::{Ca, Leaf};

/// What the server does with a request it has read.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Answer with this status and body.
    Reply(u16, String),
    /// Close the connection without answering.
    Drop,
    /// Never answer (until the test ends).
    Hang,
}

/// A running server: its address and the requests it received.
pub struct MockServer {
    pub addr: SocketAddr,
    pub requests: tokio::sync::mpsc::UnboundedReceiver<(String, String)>,
}

/// Starts a server presenting `server` and requiring client certificates signed by `client_ca`.
pub async fn start(server: &Leaf, client_ca: &Ca, behaviour: Behaviour) -> MockServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(client_ca.cert_pem.as_bytes()) {
        roots.add(cert.expect("CA PEM")).expect("CA accepted");
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .expect("client verifier");
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(server.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .expect("server chain");
    let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).expect("server key");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let (sender, requests) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let behaviour = behaviour.clone();
            let sender = sender.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let Some((path, body)) = read_request(&mut tls).await else { return };
                let _ = sender.send((path, body));
                match behaviour {
                    Behaviour::Reply(status, body) => {
                        let head = format!(
                            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\
                             Content-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = tls.write_all(head.as_bytes()).await;
                        let _ = tls.write_all(body.as_bytes()).await;
                        let _ = tls.shutdown().await;
                    }
                    Behaviour::Drop => drop(tls),
                    Behaviour::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    MockServer { addr, requests }
}

/// Reads one request: returns its path and body.
async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S) -> Option<(String, String)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&data[..end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse().ok())
            .unwrap_or(0);
        while data.len() < end + 4 + length {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                return None;
            }
            data.extend_from_slice(&buf[..n]);
        }
        let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
        let body = String::from_utf8_lossy(&data[end + 4..end + 4 + length]).into_owned();
        return Some((path, body));
    }
}
