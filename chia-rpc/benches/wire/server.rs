//! A mutual-TLS HTTP/1.1 keep-alive server on loopback that answers every route with a canned
//! reply and counts the connections it accepts.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::certs::Install;

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl Server {
    /// Starts the server on a thread of its own, with a runtime of its own, answering
    /// `/<route>` with `replies[route]`.
    pub fn start(install: &Install, replies: HashMap<String, Bytes>) -> Server {
        let acceptor = acceptor(install);
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        std_listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = std_listener.local_addr().expect("local address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        let replies = Arc::new(replies);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                while let Ok((tcp, _)) = listener.accept().await {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let _ = tcp.set_nodelay(true);
                    let acceptor = acceptor.clone();
                    let replies = replies.clone();
                    tokio::spawn(async move {
                        let Ok(tls) = acceptor.accept(tcp).await else { return };
                        let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                            let route = request.uri().path().trim_start_matches('/');
                            let reply = replies.get(route).cloned();
                            async move {
                                Ok::<_, Infallible>(match reply {
                                    Some(body) => Response::builder()
                                        .header("content-type", "application/json")
                                        .body(Full::new(body))
                                        .expect("response"),
                                    None => Response::builder()
                                        .status(404)
                                        .body(Full::new(Bytes::from_static(b"404: Not Found")))
                                        .expect("response"),
                                })
                            }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(tls), service)
                            .await;
                    });
                }
            });
        });
        Server { addr, accepted }
    }

    /// Connections accepted since the last call.
    pub fn take_accepted(&self) -> usize {
        self.accepted.swap(0, Ordering::SeqCst)
    }
}

fn acceptor(install: &Install) -> TlsAcceptor {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(install.ca_pem.as_bytes()) {
        roots.add(cert.expect("CA PEM")).expect("CA accepted");
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .expect("client verifier");
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(install.server.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .expect("server chain");
    let key = PrivateKeyDer::from_pem_slice(install.server.key_pem.as_bytes()).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .expect("server config");
    TlsAcceptor::from(Arc::new(config))
}
