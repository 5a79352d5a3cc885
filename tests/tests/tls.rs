//! Mutual TLS against a loopback server with Chia-shaped certificates, and the faults a real
//! node cannot be made to produce on demand.

// Test code: a failed unwrap is a failed test with its reason.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use bytes::Bytes;
use chia_rpc::decode::Strictness;
use chia_rpc::http::HttpsTransportBuilder;
use chia_rpc::transport::RawRequest;
use chia_rpc::{Client, ErrorKind, HttpsTransport, Service, Transport};
use support::certs::{Ca, Leaf, install};
use support::mock_server::{self, Behaviour, MockServer};

const OK: &str = r#"{"success": true}"#;

fn builder(server: &MockServer, trusted_ca: &Ca, identity: &Leaf) -> HttpsTransportBuilder {
    HttpsTransport::builder()
        .host("127.0.0.1")
        .port(Service::FullNode, server.addr.port())
        .ca_cert_pem(trusted_ca.cert_pem.clone())
        .identity_pem(identity.cert_pem.clone(), identity.key_pem.clone())
        .timeout(Duration::from_secs(5))
}

async fn healthz(transport: &HttpsTransport) -> chia_rpc::Result<Bytes> {
    transport.send(RawRequest::new(Service::FullNode, "healthz", &b"{}"[..])).await
}

#[tokio::test]
async fn verified_mutual_tls_succeeds_and_posts_json() {
    let install = install();
    let mut server =
        mock_server::start(&install.server, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let client = builder(&server, &install.ca, &install.client).build().unwrap();
    let reply = healthz(&client).await.unwrap();
    assert_eq!(reply, OK.as_bytes());
    let (path, body) = server.requests.recv().await.unwrap();
    assert_eq!(path, "/healthz");
    assert_eq!(body, "{}");
}

#[tokio::test]
async fn a_server_signed_by_another_ca_is_refused_by_default() {
    let install = install();
    let impostor_ca = Ca::new("Impostor CA");
    let impostor = impostor_ca.leaf("chia.net");
    let server = mock_server::start(&impostor, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let client = builder(&server, &install.ca, &install.client).build().unwrap();
    let err = healthz(&client).await.unwrap_err();
    assert!(err.is_connect(), "{err}");
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
}

#[tokio::test]
async fn the_insecure_opt_out_accepts_any_server_only_when_asked() {
    let install = install();
    let impostor = Ca::new("Impostor CA").leaf("chia.net");
    let server = mock_server::start(&impostor, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let client = builder(&server, &install.ca, &install.client)
        .insecure_skip_server_verification()
        .build()
        .unwrap();
    assert_eq!(healthz(&client).await.unwrap(), OK.as_bytes());
}

#[tokio::test]
async fn a_client_without_an_accepted_certificate_is_refused_by_the_server() {
    let install = install();
    let stranger = Ca::new("Stranger CA").leaf("chia.net");
    let server =
        mock_server::start(&install.server, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let client = builder(&server, &install.ca, &stranger).build().unwrap();
    let err = healthz(&client).await.unwrap_err();
    assert!(err.is_connect(), "{err}");
}

#[tokio::test]
async fn a_client_presenting_no_certificate_is_refused_by_the_server() {
    use rustls::pki_types::ServerName;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let install = install();
    let server =
        mock_server::start(&install.server, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .dangerous()
    .with_custom_certificate_verifier(std::sync::Arc::new(NoCheck))
    .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let name = ServerName::try_from("chia.net").unwrap();
    // TLS 1.3 reports the refused client certificate on the first read after the handshake.
    let outcome = async {
        let mut tls = connector.connect(name, tcp).await?;
        tls.write_all(b"POST /healthz HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}").await?;
        let mut reply = Vec::new();
        tls.read_to_end(&mut reply).await?;
        Ok::<_, std::io::Error>(reply)
    }
    .await;
    assert!(outcome.is_err(), "server answered a client without a certificate: {outcome:?}");
}

#[tokio::test]
async fn the_name_is_checked_unless_chain_only_is_chosen() {
    let install = install();
    let misnamed = install.ca.leaf("not-chia.example");
    let server = mock_server::start(&misnamed, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let strict = builder(&server, &install.ca, &install.client).build().unwrap();
    let err = healthz(&strict).await.unwrap_err();
    assert!(err.to_string().contains("not valid for name \"chia.net\""), "{err}");
    let chain_only =
        builder(&server, &install.ca, &install.client).verify_chain_only().build().unwrap();
    assert_eq!(healthz(&chain_only).await.unwrap(), OK.as_bytes());
}

#[tokio::test]
async fn no_ca_and_no_opt_out_is_a_build_error() {
    let install = install();
    let err = HttpsTransport::builder()
        .identity_pem(install.client.cert_pem.clone(), install.client.key_pem.clone())
        .build()
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Tls { .. }), "{err}");
}

#[tokio::test]
async fn plain_text_statuses_become_http_status_errors() {
    let install = install();
    let server = mock_server::start(
        &install.server,
        &install.ca,
        Behaviour::Reply(404, "404: Not Found".into()),
    )
    .await;
    let client = builder(&server, &install.ca, &install.client).build().unwrap();
    let err = healthz(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("404: Not Found"), "{err}");
}

#[tokio::test]
async fn garbage_replies_become_decode_errors_with_the_body() {
    let install = install();
    let server = mock_server::start(
        &install.server,
        &install.ca,
        Behaviour::Reply(200, "<html>not json</html>".into()),
    )
    .await;
    let transport = builder(&server, &install.ca, &install.client).build().unwrap();
    let client = Client::new(transport).with_strictness(Strictness::Strict);
    let err =
        client.call_on(Service::FullNode, chia_rpc::shared::Healthz::new()).await.unwrap_err();
    let failure = err.decode_failure().expect("a decode failure");
    assert_eq!(failure.body.text(), "<html>not json</html>");
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_is_a_lost_connection() {
    let install = install();
    let server = mock_server::start(&install.server, &install.ca, Behaviour::Drop).await;
    let client = builder(&server, &install.ca, &install.client).build().unwrap();
    let err = healthz(&client).await.unwrap_err();
    assert!(err.is_connection_lost(), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let install = install();
    // Bind a port, then free it: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = HttpsTransport::builder()
        .host("127.0.0.1")
        .port(Service::FullNode, port)
        .ca_cert_pem(install.ca.cert_pem.clone())
        .identity_pem(install.client.cert_pem.clone(), install.client.key_pem.clone())
        .build()
        .unwrap();
    let err = healthz(&client).await.unwrap_err();
    assert!(err.is_connect(), "{err}");
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_transport_default() {
    let install = install();
    let server = mock_server::start(&install.server, &install.ca, Behaviour::Hang).await;
    let transport = builder(&server, &install.ca, &install.client)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let client = Client::new(transport);
    let started = std::time::Instant::now();
    let err = client
        .call_on(Service::FullNode, chia_rpc::shared::Healthz::new())
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_unreadable_client_certificate_fails_only_its_own_service() {
    let install = install();
    let server =
        mock_server::start(&install.server, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let missing = std::env::temp_dir().join("chia-rpc-no-such-dir/private_wallet.crt");
    let transport = builder(&server, &install.ca, &install.client)
        .service_identity_files(Service::Wallet, &missing, missing.with_extension("key"))
        .build()
        .unwrap();
    assert_eq!(healthz(&transport).await.unwrap(), OK.as_bytes());
    let err =
        transport.send(RawRequest::new(Service::Wallet, "healthz", &b"{}"[..])).await.unwrap_err();
    assert!(err.is_config(), "{err}");
    assert!(err.to_string().contains("private_wallet.crt"), "{err}");
}

#[tokio::test]
async fn silence_ends_in_a_timeout() {
    let install = install();
    let server = mock_server::start(&install.server, &install.ca, Behaviour::Hang).await;
    let client = builder(&server, &install.ca, &install.client)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = healthz(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
}

/// Accepts any server: only for the test that checks the server's side of the handshake.
#[derive(Debug)]
struct NoCheck;

impl rustls::client::danger::ServerCertVerifier for NoCheck {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[tokio::test]
async fn from_config_a_missing_certificate_is_named_by_file_and_key_on_its_first_call() {
    let install = install();
    let server =
        mock_server::start(&install.server, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let root = std::env::temp_dir().join(format!("chia-rpc-config-{}", std::process::id()));
    let ssl = root.join("config/ssl");
    for (dir, name, pem) in [
        ("ca", "private_ca.crt", &install.ca.cert_pem),
        ("full_node", "private_full_node.crt", &install.client.cert_pem),
        ("full_node", "private_full_node.key", &install.client.key_pem),
    ] {
        std::fs::create_dir_all(ssl.join(dir)).unwrap();
        std::fs::write(ssl.join(dir).join(name), pem).unwrap();
    }
    let yaml = format!(
        "self_hostname: 127.0.0.1\nfull_node:\n  rpc_port: {}\nfarmer:\n  rpc_port: 8559\n",
        server.addr.port()
    );
    std::fs::write(root.join("config/config.yaml"), yaml).unwrap();
    let config = chia_rpc::ChiaConfig::load(&root).unwrap();
    let client = Client::from_config(&config).unwrap();
    use chia_rpc::ServiceClients;
    client.full_node().healthz().await.unwrap();
    let err = client.farmer().healthz().await.unwrap_err();
    assert!(err.is_config(), "{err}");
    let text = err.to_string();
    assert!(text.contains("config/ssl/farmer/private_farmer.crt"), "{text}");
    assert!(text.contains("farmer.ssl.private_crt"), "{text}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// Collects the warnings chia-rpc logs.
struct Warnings(std::sync::Mutex<Vec<String>>);

impl log::Log for Warnings {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.0.lock().unwrap().push(record.args().to_string());
        }
    }

    fn flush(&self) {}
}

static WARNINGS: Warnings = Warnings(std::sync::Mutex::new(Vec::new()));

#[cfg(unix)]
#[tokio::test]
async fn key_files_open_to_others_are_warned_about_as_chia_does() {
    use std::os::unix::fs::PermissionsExt;

    let _ = log::set_logger(&WARNINGS);
    log::set_max_level(log::LevelFilter::Warn);
    let install = install();
    let server =
        mock_server::start(&install.server, &install.ca, Behaviour::Reply(200, OK.into())).await;
    let root = std::env::temp_dir().join(format!("chia-rpc-perms-{}", std::process::id()));
    let ssl = root.join("config/ssl");
    for (dir, name, pem, mode) in [
        ("ca", "private_ca.crt", &install.ca.cert_pem, 0o644),
        ("full_node", "private_full_node.crt", &install.client.cert_pem, 0o666),
        ("full_node", "private_full_node.key", &install.client.key_pem, 0o644),
        ("wallet", "private_wallet.key", &install.client.key_pem, 0o600),
    ] {
        std::fs::create_dir_all(ssl.join(dir)).unwrap();
        let path = ssl.join(dir).join(name);
        std::fs::write(&path, pem).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let yaml =
        format!("self_hostname: 127.0.0.1\nfull_node:\n  rpc_port: {}\n", server.addr.port());
    std::fs::write(root.join("config/config.yaml"), yaml).unwrap();
    let config = chia_rpc::ChiaConfig::load(&root).unwrap();

    let warnings = config.permission_warnings();
    let named: Vec<_> = warnings
        .iter()
        .map(|w| (w.file.file_name().unwrap().to_string_lossy().into_owned(), w.mode, w.expected))
        .collect();
    assert_eq!(
        named,
        vec![
            ("private_full_node.crt".to_owned(), 0o666, 0o644),
            ("private_full_node.key".to_owned(), 0o644, 0o600),
        ]
    );
    assert!(warnings[1].to_string().contains("are too open, expected 600"), "{}", warnings[1]);

    // The transport still works, and says so in the log when it loads the key.
    let client = Client::from_config(&config).unwrap();
    use chia_rpc::ServiceClients;
    client.full_node().healthz().await.unwrap();
    let logged = WARNINGS.0.lock().unwrap().clone();
    assert!(
        logged.iter().any(|line| line.contains("private_full_node.key") && line.contains("644")),
        "{logged:?}"
    );
    assert!(!logged.iter().any(|line| line.contains("private_wallet.key")), "{logged:?}");
    std::fs::remove_dir_all(&root).unwrap();
}
