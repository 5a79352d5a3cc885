//! rustls set-up for Chia's private certificates.
//!
//! Every Chia service presents a certificate signed by the installation's private CA whose only
//! name is `chia.net`, whatever address it listens on. So the server is verified against that CA
//! and, by default, the name `chia.net` instead of the host that was dialled.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{Error, Result};

/// How the server's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerVerification {
    /// The chain must lead to the private CA and the certificate must name this host
    /// (Chia's certificates name `chia.net`).
    CaAndName(String),
    /// The chain must lead to the private CA; the name is not checked (what chia-blockchain's
    /// own client does).
    CaOnly,
    /// Nothing is checked. Anyone on the path can read and change the traffic.
    InsecureNone,
}

/// The name in every certificate a Chia installation makes.
pub const CHIA_SERVER_NAME: &str = "chia.net";

pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Parses PEM certificates; errors name `what` (a file name or "CA certificate").
pub(crate) fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|err| Error::tls(format!("{what}: not a PEM certificate: {err}")))?;
    if certs.is_empty() {
        return Err(Error::tls(format!("{what}: holds no PEM certificate")));
    }
    Ok(certs)
}

/// Parses a PEM private key (PKCS#8, PKCS#1 or SEC1).
pub(crate) fn private_key(pem: &[u8], what: &str) -> Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_slice(pem)
        .map_err(|err| Error::tls(format!("{what}: not a PEM private key: {err}")))
}

/// Builds the client configuration: TLS 1.2/1.3 with the ring provider, the given client
/// identity, and the chosen server verification.
pub(crate) fn client_config(
    ca: &[CertificateDer<'static>],
    identity: (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
    verification: &ServerVerification,
) -> Result<rustls::ClientConfig> {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> = match verification {
        ServerVerification::InsecureNone => Arc::new(AcceptAnyServer(provider.clone())),
        ServerVerification::CaAndName(name) => Arc::new(PrivateCaVerifier {
            inner: webpki_verifier(ca, &provider)?,
            expected_name: Some(
                ServerName::try_from(name.clone())
                    .map_err(|err| Error::tls(format!("server name {name:?}: {err}")))?,
            ),
        }),
        ServerVerification::CaOnly => Arc::new(PrivateCaVerifier {
            inner: webpki_verifier(ca, &provider)?,
            expected_name: None,
        }),
    };
    let (chain, key) = identity;
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| Error::tls(err.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(chain, key)
        .map_err(|err| Error::tls(format!("client certificate and key do not fit: {err}")))
}

fn webpki_verifier(
    ca: &[CertificateDer<'static>],
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>> {
    let mut roots = RootCertStore::empty();
    for cert in ca {
        roots
            .add(cert.clone())
            .map_err(|err| Error::tls(format!("CA certificate refused: {err}")))?;
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|err| Error::tls(format!("CA certificate unusable: {err}")))
}

/// Checks the chain against the private CA and, if set, a fixed name instead of the dialled host.
#[derive(Debug)]
struct PrivateCaVerifier {
    inner: Arc<WebPkiServerVerifier>,
    expected_name: Option<ServerName<'static>>,
}

impl ServerCertVerifier for PrivateCaVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        dialled: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let name = self.expected_name.as_ref().unwrap_or(dialled);
        let verdict =
            self.inner.verify_server_cert(end_entity, intermediates, name, ocsp_response, now);
        match verdict {
            // Chain-only mode: a valid chain whose only fault is the name is accepted.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.expected_name.is_none() => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Accepts any server certificate; handshake signatures are still checked.
#[derive(Debug)]
struct AcceptAnyServer(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
