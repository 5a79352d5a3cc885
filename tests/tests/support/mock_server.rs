//! A mutual-TLS HTTP/1.1 server on loopback for cases a real node cannot produce on demand:
//! foreign certificates, old TLS, garbage replies, dropped or reset connections, silence,
//! replies that stall, drip or never end.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::certs::{Ca, Leaf};

/// What the server does with a request it has read.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Answer with this status and body, then close.
    Reply(u16, String),
    /// Answer every request on the connection with 200 and this body, keeping it open.
    KeepAlive(String),
    /// Close the connection without answering.
    Drop,
    /// Never answer (until the test ends).
    Hang,
    /// Play these steps, then close.
    Script(Vec<Step>),
    /// The first request gets the first behaviour, the second the second, …; the last one
    /// answers every request after.
    InTurn(Vec<Behaviour>),
}

/// One step of a [`Behaviour::Script`].
#[derive(Clone, Debug)]
pub enum Step {
    /// Send these bytes.
    Send(Vec<u8>),
    /// Send `total` bytes of `byte`, in pieces of 64 KiB, as fast as the client reads.
    Flood { byte: u8, total: usize },
    /// Wait.
    Pause(Duration),
    /// Abort the connection with a TCP reset.
    Reset,
    /// Stop here and keep the connection open (until the test ends).
    Hang,
}

impl Step {
    /// A response head with `status` and these extra header lines (each ending in `\r\n`).
    pub fn head(status: u16, headers: &str) -> Step {
        Step::Send(
            format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{headers}\r\n")
                .into_bytes(),
        )
    }

    /// Text to send.
    pub fn text(text: &str) -> Step {
        Step::Send(text.as_bytes().to_vec())
    }
}

/// How the server speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerTls {
    /// TLS 1.3, as every Chia service.
    Tls13,
    /// TLS 1.2 only.
    Tls12Only,
    /// Accept TCP connections, never answer the handshake.
    SilentHandshake,
}

/// A running server: its address and the requests it received.
pub struct MockServer {
    pub addr: SocketAddr,
    pub requests: tokio::sync::mpsc::UnboundedReceiver<(String, String)>,
}

impl MockServer {
    /// The paths of the requests received so far.
    pub fn received(&mut self) -> Vec<String> {
        let mut paths = Vec::new();
        while let Ok((path, _)) = self.requests.try_recv() {
            paths.push(path);
        }
        paths
    }
}

/// Starts a TLS 1.3 server presenting `server` and requiring client certificates signed by
/// `client_ca`.
pub async fn start(server: &Leaf, client_ca: &Ca, behaviour: Behaviour) -> MockServer {
    start_with(server, client_ca, behaviour, ServerTls::Tls13).await
}

/// [`start`] with a choice of TLS.
pub async fn start_with(
    server: &Leaf,
    client_ca: &Ca,
    behaviour: Behaviour,
    tls: ServerTls,
) -> MockServer {
    let acceptor = acceptor(server, client_ca, tls);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let (sender, requests) = tokio::sync::mpsc::unbounded_channel();
    let turn = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            if tls == ServerTls::SilentHandshake {
                tokio::spawn(async move {
                    let _held = tcp;
                    tokio::time::sleep(Duration::from_secs(60)).await;
                });
                continue;
            }
            let acceptor = acceptor.clone();
            let behaviour = behaviour.clone();
            let sender = sender.clone();
            let turn = turn.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                loop {
                    let Some((path, body)) = read_request(&mut tls).await else { return };
                    let _ = sender.send((path, body));
                    let behaviour = match &behaviour {
                        Behaviour::InTurn(turns) => {
                            let n = turn.fetch_add(1, Ordering::SeqCst);
                            turns[n.min(turns.len() - 1)].clone()
                        }
                        other => other.clone(),
                    };
                    if !serve(&mut tls, behaviour).await {
                        return;
                    }
                }
            });
        }
    });
    MockServer { addr, requests }
}

/// Answers one request; whether the connection stays open for the next.
async fn serve(tls: &mut TlsStream<TcpStream>, behaviour: Behaviour) -> bool {
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
            false
        }
        Behaviour::KeepAlive(body) => {
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            tls.write_all(reply.as_bytes()).await.is_ok()
        }
        Behaviour::Drop => false,
        Behaviour::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            false
        }
        Behaviour::Script(steps) => {
            play(tls, steps).await;
            false
        }
        Behaviour::InTurn(_) => unreachable!("turns are resolved before serving"),
    }
}

async fn play(tls: &mut TlsStream<TcpStream>, steps: Vec<Step>) {
    for step in steps {
        match step {
            Step::Send(bytes) => {
                if tls.write_all(&bytes).await.is_err() || tls.flush().await.is_err() {
                    return;
                }
            }
            Step::Flood { byte, total } => {
                let piece = vec![byte; 64 * 1024];
                let mut sent = 0;
                while sent < total {
                    let n = piece.len().min(total - sent);
                    if tls.write_all(&piece[..n]).await.is_err() {
                        return;
                    }
                    sent += n;
                }
            }
            Step::Pause(pause) => tokio::time::sleep(pause).await,
            Step::Reset => {
                let _ = tls.get_ref().0.set_zero_linger();
                return;
            }
            Step::Hang => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                return;
            }
        }
    }
    let _ = tls.shutdown().await;
}

fn acceptor(server: &Leaf, client_ca: &Ca, tls: ServerTls) -> TlsAcceptor {
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
    let versions: &[&rustls::SupportedProtocolVersion] = match tls {
        ServerTls::Tls12Only => &[&rustls::version::TLS12],
        _ => &[&rustls::version::TLS13],
    };
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .expect("protocol versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .expect("server config");
    TlsAcceptor::from(Arc::new(config))
}

/// Reads one request: returns its path and body.
async fn read_request<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
) -> Option<(String, String)> {
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
