//! rustls set-up for Chia's private certificates.
//!
//! Every Chia service presents a certificate signed by the installation's private CA whose only
//! name is `chia.net`, whatever address it listens on. So the server is verified against that CA
//! and, by default, the name `chia.net` instead of the host that was dialled. Both checks use
//! rustls's public verification functions.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{Error, Result};

/// How the server's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

/// The crypto provider: the one given, else the process default when one is installed, else
/// ring.
pub(crate) fn provider(chosen: Option<&Arc<CryptoProvider>>) -> Arc<CryptoProvider> {
    match chosen.or(CryptoProvider::get_default()) {
        Some(provider) => provider.clone(),
        None => Arc::new(rustls::crypto::ring::default_provider()),
    }
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

/// What the client's TLS needs besides its own identity.
pub(crate) struct TlsSettings<'a> {
    pub(crate) ca: &'a [CertificateDer<'static>],
    pub(crate) verification: &'a ServerVerification,
    pub(crate) provider: Arc<CryptoProvider>,
    pub(crate) allow_tls12: bool,
}

/// Builds the client configuration: TLS 1.3 (and 1.2 only when allowed), the given client
/// identity, and the chosen server verification.
pub(crate) fn client_config(
    settings: &TlsSettings<'_>,
    identity: (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
) -> Result<rustls::ClientConfig> {
    let provider = settings.provider.clone();
    let check = match settings.verification {
        ServerVerification::InsecureNone => Check::Nothing,
        ServerVerification::CaOnly => Check::Chain { roots: roots(settings.ca)?, name: None },
        ServerVerification::CaAndName(name) => Check::Chain {
            roots: roots(settings.ca)?,
            name: Some(
                ServerName::try_from(name.clone())
                    .map_err(|err| Error::tls(format!("server name {name:?}: {err}")))?,
            ),
        },
    };
    let versions: &[&rustls::SupportedProtocolVersion] = if settings.allow_tls12 {
        &[&rustls::version::TLS13, &rustls::version::TLS12]
    } else {
        &[&rustls::version::TLS13]
    };
    let (chain, key) = identity;
    rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|err| Error::tls(err.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(ChiaServerVerifier { check, provider }))
        .with_client_auth_cert(chain, key)
        .map_err(|err| Error::tls(format!("client certificate and key do not fit: {err}")))
}

fn roots(ca: &[CertificateDer<'static>]) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    for cert in ca {
        roots
            .add(cert.clone())
            .map_err(|err| Error::tls(format!("CA certificate refused: {err}")))?;
    }
    Ok(roots)
}

#[derive(Debug)]
enum Check {
    /// The chain must lead to `roots`; the certificate must name `name` when one is set.
    Chain { roots: RootCertStore, name: Option<ServerName<'static>> },
    /// Anything goes.
    Nothing,
}

/// Checks the server's certificate as [`ServerVerification`] says; handshake signatures are
/// always checked.
#[derive(Debug)]
struct ChiaServerVerifier {
    check: Check,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ChiaServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _dialled: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if let Check::Chain { roots, name } = &self.check {
            let cert = ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
            if let Some(name) = name {
                verify_server_name(&cert, name)?;
            }
        }
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
            &self.provider.signature_verification_algorithms,
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
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
