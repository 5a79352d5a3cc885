//! The baseline: a raw hyper + rustls client that verifies the server as chia-rpc does (the
//! private CA and the name `chia.net`), keeps its connection alive and discards each body
//! without decoding it.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::certs::Install;

/// Dials connections; each one serves one task.
#[derive(Clone)]
pub struct RawClient {
    addr: SocketAddr,
    tls: TlsConnector,
}

/// One keep-alive connection.
pub struct RawConnection {
    sender: SendRequest<Full<Bytes>>,
}

impl RawClient {
    pub fn new(install: &Install, addr: SocketAddr) -> RawClient {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(install.ca_pem.as_bytes()) {
            roots.add(cert.expect("CA PEM")).expect("CA accepted");
        }
        let chain: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(install.client.cert_pem.as_bytes())
                .collect::<Result<_, _>>()
                .expect("client chain");
        let key = PrivateKeyDer::from_pem_slice(install.client.key_pem.as_bytes()).expect("key");
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("TLS 1.3")
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)
            .expect("client config");
        RawClient { addr, tls: TlsConnector::from(Arc::new(config)) }
    }

    pub async fn connect(&self) -> RawConnection {
        let tcp = TcpStream::connect(self.addr).await.expect("connect");
        let _ = tcp.set_nodelay(true);
        let name = ServerName::try_from("chia.net").expect("server name");
        let tls = self.tls.connect(name, tcp).await.expect("TLS handshake");
        let (sender, connection) = http1::handshake(TokioIo::new(tls)).await.expect("HTTP/1.1");
        tokio::spawn(connection);
        RawConnection { sender }
    }
}

impl RawConnection {
    /// POSTs `{}` to `/<route>` and reads the reply to its end; returns its length.
    pub async fn call(&mut self, route: &str) -> usize {
        self.sender.ready().await.expect("connection ready");
        let request = Request::post(format!("/{route}"))
            .header("host", "127.0.0.1")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(b"{}")))
            .expect("request");
        let response = self.sender.send_request(request).await.expect("reply");
        assert!(response.status().is_success(), "status {}", response.status());
        let mut body = response.into_body();
        let mut length = 0;
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.expect("body").into_data() {
                length += data.len();
            }
        }
        length
    }
}
