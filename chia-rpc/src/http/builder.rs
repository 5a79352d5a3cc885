//! Configuring an [`HttpsTransport`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use tokio::sync::Semaphore;

use super::identity::{Identity, Pem};
use super::pool::Pool;
use super::tls::{self, CHIA_SERVER_NAME, ServerVerification, TlsSettings};
use super::{HttpsTransport, Limits, Target};
use crate::{ChiaConfig, Error, Result, Service};

/// The largest reply accepted by default: twice the 50 MB message limit of Chia's own daemon,
/// through which the Chia GUI receives every service's replies.
pub const DEFAULT_MAX_REPLY_SIZE: usize = 100 * 1000 * 1000;

/// How many calls to one service may be in flight at once by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;

/// Configures an [`HttpsTransport`]. Nothing is read or checked until [`build`](Self::build).
#[derive(Clone)]
pub struct HttpsTransportBuilder {
    host: String,
    ca: Option<Pem>,
    default_identity: Option<Identity>,
    services: BTreeMap<Service, ServiceSettings>,
    verification: ServerVerification,
    timeout: Duration,
    read_timeout: Duration,
    connect_timeout: Duration,
    max_reply_size: usize,
    max_connections: usize,
    allow_tls12: bool,
    provider: Option<Arc<CryptoProvider>>,
}

#[derive(Clone, Default)]
struct ServiceSettings {
    port: Option<u16>,
    identity: Option<Identity>,
}

impl Default for HttpsTransportBuilder {
    fn default() -> Self {
        HttpsTransportBuilder {
            host: "localhost".to_owned(),
            ca: None,
            default_identity: None,
            services: BTreeMap::new(),
            verification: ServerVerification::CaAndName(CHIA_SERVER_NAME.to_owned()),
            timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            max_reply_size: DEFAULT_MAX_REPLY_SIZE,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            allow_tls12: false,
            provider: None,
        }
    }
}

impl HttpsTransportBuilder {
    /// Host, ports, CA and per-service certificates from a [`ChiaConfig`].
    pub fn from_config(config: &ChiaConfig) -> Self {
        let mut builder =
            HttpsTransportBuilder::default().host(config.hostname()).ca_cert_file(config.ca_cert());
        for &service in Service::ALL {
            if let Some(entry) = config.service(service) {
                let mut identity =
                    Identity::new(Pem::File(entry.cert.clone()), Pem::File(entry.key.clone()));
                identity.cert_setting = Some(format!("{}.private_crt", service.ssl_key()));
                identity.key_setting = Some(format!("{}.private_key", service.ssl_key()));
                let settings = builder.services.entry(service).or_default();
                settings.port = Some(entry.port);
                settings.identity = Some(identity);
            }
        }
        builder
    }

    /// The host every service is reached at (default `localhost`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The port of `service`; services without one use their default port.
    pub fn port(mut self, service: Service, port: u16) -> Self {
        self.services.entry(service).or_default().port = Some(port);
        self
    }

    /// The private CA certificate, from a PEM file.
    pub fn ca_cert_file(mut self, path: impl AsRef<Path>) -> Self {
        self.ca = Some(Pem::File(path.as_ref().to_path_buf()));
        self
    }

    /// The private CA certificate, as PEM.
    pub fn ca_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca = Some(Pem::Bytes(pem.into()));
        self
    }

    /// The client certificate and key for every service without one of its own, from PEM files.
    pub fn identity_files(mut self, cert: impl AsRef<Path>, key: impl AsRef<Path>) -> Self {
        self.default_identity = Some(Identity::new(
            Pem::File(cert.as_ref().to_path_buf()),
            Pem::File(key.as_ref().to_path_buf()),
        ));
        self
    }

    /// The client certificate and key for every service without one of its own, as PEM.
    pub fn identity_pem(mut self, cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.default_identity =
            Some(Identity::new(Pem::Bytes(cert.into()), Pem::Bytes(key.into())));
        self
    }

    /// The client certificate and key used for `service`, from PEM files.
    pub fn service_identity_files(
        mut self,
        service: Service,
        cert: impl AsRef<Path>,
        key: impl AsRef<Path>,
    ) -> Self {
        self.services.entry(service).or_default().identity = Some(Identity::new(
            Pem::File(cert.as_ref().to_path_buf()),
            Pem::File(key.as_ref().to_path_buf()),
        ));
        self
    }

    /// Verify the server's name against `name` (default [`CHIA_SERVER_NAME`]) rather than the
    /// dialled host; the chain is always checked against the private CA.
    pub fn server_name(mut self, name: impl Into<String>) -> Self {
        self.verification = ServerVerification::CaAndName(name.into());
        self
    }

    /// Check only that the server's chain leads to the private CA, not its name.
    pub fn verify_chain_only(mut self) -> Self {
        self.verification = ServerVerification::CaOnly;
        self
    }

    /// Accept ANY server certificate. Whoever can reach the connection can then impersonate the
    /// node and read or change everything sent, keys and transactions included. For throwaway
    /// test set-ups only.
    pub fn insecure_skip_server_verification(mut self) -> Self {
        self.verification = ServerVerification::InsecureNone;
        self
    }

    /// Also accept servers that only speak TLS 1.2. Every Chia service requires TLS 1.3, so
    /// the default refuses older servers.
    pub fn allow_tls12(mut self, allow: bool) -> Self {
        self.allow_tls12 = allow;
        self
    }

    /// The rustls crypto provider. Without one, the process default is used when one is
    /// installed, else ring.
    pub fn crypto_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.provider = Some(provider);
        self
    }

    /// The longest a whole call may take unless the call sets its own (default 60 s): waiting
    /// for a free connection, connecting, the service's work and reading the reply.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest the service may go silent once its reply has begun, unless the call sets
    /// its own (default 15 s). A service sends the head of its reply only when its work is
    /// done, so this tells a reply that stalled from one that is slow but still coming.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The longest connecting (TCP and the TLS handshake) may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest reply accepted, in bytes, unless the call sets its own (default
    /// [`DEFAULT_MAX_REPLY_SIZE`]). A larger reply fails with
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) as soon as its announced length or
    /// the part read so far passes the limit, so no more memory than that is spent.
    pub fn max_reply_size(mut self, bytes: usize) -> Self {
        self.max_reply_size = bytes;
        self
    }

    /// How many calls to one service may be in flight at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`]); more wait for a turn, within their total timeout. This
    /// bounds the connections, and so the file descriptors, a burst of calls opens.
    pub fn max_connections(mut self, calls: usize) -> Self {
        self.max_connections = calls.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// Reads the CA and builds the transport.
    ///
    /// A missing CA fails here: no service could be verified. A client certificate that is
    /// missing or unusable fails only the calls to its service, naming the file and the
    /// configuration key; every other service stays reachable.
    pub fn build(self) -> Result<HttpsTransport> {
        let ca = match (&self.ca, &self.verification) {
            (_, ServerVerification::InsecureNone) => Vec::new(),
            (Some(ca), _) => {
                let (pem, name) = ca.read("CA certificate", Some("private_ssl_ca.crt"))?;
                tls::certificates(&pem, &name)?
            }
            (None, _) => {
                return Err(Error::tls(
                    "no CA certificate given: set one, or opt out with \
                     insecure_skip_server_verification()",
                ));
            }
        };
        let settings = TlsSettings {
            ca: &ca,
            verification: &self.verification,
            provider: tls::provider(self.provider.as_ref()),
            allow_tls12: self.allow_tls12,
        };
        let targets = Service::ALL
            .iter()
            .map(|&service| (service, self.target(service, &settings).map_err(Error::into_kind)))
            .collect();
        let limits = Limits {
            total: self.timeout,
            read_idle: self.read_timeout,
            connect: self.connect_timeout,
            max_reply_size: self.max_reply_size,
        };
        Ok(HttpsTransport { targets, limits })
    }

    fn target(&self, service: Service, settings: &TlsSettings<'_>) -> Result<Target> {
        if service.is_websocket_only() {
            return Err(Error::config(
                None,
                None,
                format!(
                    "the {} is reached over its WebSocket, not HTTPS: use a daemon transport",
                    service.title().to_lowercase()
                ),
            ));
        }
        let own = self.services.get(&service).cloned().unwrap_or_default();
        let what = format!("{} service", service.title().to_lowercase());
        let identity = own.identity.or_else(|| self.default_identity.clone()).ok_or_else(|| {
            Error::config(None, None, format!("no client certificate was given for the {what}"))
        })?;
        let tls = tls::client_config(settings, identity.load(&what)?)?;
        let port = own.port.unwrap_or(service.default_port());
        let base_url = format!("https://{}:{port}", bracket_ipv6(&self.host));
        let pool = Pool::new(&self.host, port, tls)?;
        let permits = Arc::new(Semaphore::new(self.max_connections));
        Ok(Target { base_url, pool, permits })
    }
}

pub(super) fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_owned() }
}

impl fmt::Debug for HttpsTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpsTransportBuilder")
            .field("host", &self.host)
            .field("verification", &self.verification)
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_reply_size", &self.max_reply_size)
            .field("max_connections", &self.max_connections)
            .field("allow_tls12", &self.allow_tls12)
            .finish_non_exhaustive()
    }
}
