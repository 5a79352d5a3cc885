//! Configuring a [`DaemonTransport`].

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;

use super::DaemonTransport;
use crate::http::identity::{Identity, Pem};
use crate::http::tls::{self, CHIA_SERVER_NAME, ServerVerification, TlsSettings};
use crate::{ChiaConfig, Error, Result, Service};

/// The daemon's own limit on a message, in bytes (chia-blockchain's `daemon_max_message_size`
/// default).
pub const DAEMON_MAX_MESSAGE_SIZE: usize = 50_000_000;

/// A name the daemon sends pushes to. Services address each push to one or more of these;
/// a connection registered under a name receives what is sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Listener {
    /// `wallet_ui`: what Chia's GUI shows (state changes, connections, the farmer's signage
    /// points, plotting progress, keyring changes).
    WalletUi,
    /// `metrics`: the pushes meant for monitoring (blocks, signage points, proofs, coins added).
    Metrics,
    /// `unfinished_block_info`: the full node's unfinished blocks.
    UnfinishedBlockInfo,
    /// `chia_plotter`: the plot queue's changes, which the daemon sends only to connections
    /// registered under this name.
    Plotter,
    /// Any other name.
    Named(String),
}

impl Listener {
    /// The name registered with the daemon.
    pub fn name(&self) -> &str {
        match self {
            Listener::WalletUi => "wallet_ui",
            Listener::Metrics => "metrics",
            Listener::UnfinishedBlockInfo => "unfinished_block_info",
            Listener::Plotter => "chia_plotter",
            Listener::Named(name) => name,
        }
    }
}

impl fmt::Display for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// When and how often a lost connection is dialled again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reconnect {
    /// Whether to reconnect at all.
    pub enabled: bool,
    /// The wait before the first attempt; it doubles after each failure.
    pub first_delay: Duration,
    /// The longest wait between attempts.
    pub max_delay: Duration,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect {
            enabled: true,
            first_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// Configures a [`DaemonTransport`]. Nothing is read or dialled until
/// [`connect`](Self::connect).
#[derive(Clone)]
pub struct DaemonTransportBuilder {
    host: String,
    port: u16,
    ca: Option<Pem>,
    identity: Option<Identity>,
    verification: ServerVerification,
    allow_tls12: bool,
    provider: Option<Arc<CryptoProvider>>,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) max_message_size: usize,
    pub(super) listeners: Vec<Listener>,
    origin: Option<String>,
    pub(super) reconnect: Reconnect,
    pub(super) keepalive: Duration,
    pub(super) event_capacity: usize,
}

impl Default for DaemonTransportBuilder {
    fn default() -> Self {
        DaemonTransportBuilder {
            host: "localhost".to_owned(),
            port: Service::Daemon.default_port(),
            ca: None,
            identity: None,
            verification: ServerVerification::CaAndName(CHIA_SERVER_NAME.to_owned()),
            allow_tls12: false,
            provider: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_message_size: DAEMON_MAX_MESSAGE_SIZE,
            listeners: Vec::new(),
            origin: None,
            reconnect: Reconnect::default(),
            keepalive: Duration::from_secs(15),
            event_capacity: 1024,
        }
    }
}

impl DaemonTransportBuilder {
    /// Host, port (`daemon_port`), CA and the daemon's certificate (`daemon_ssl`) from a
    /// [`ChiaConfig`].
    pub fn from_config(config: &ChiaConfig) -> Self {
        let mut builder = DaemonTransportBuilder::default()
            .host(config.hostname())
            .ca_cert_file(config.ca_cert());
        if let Some(entry) = config.service(Service::Daemon) {
            let ssl = Service::Daemon.ssl_key();
            let mut identity =
                Identity::new(Pem::File(entry.cert.clone()), Pem::File(entry.key.clone()));
            identity.cert_setting = Some(format!("{ssl}.private_crt"));
            identity.key_setting = Some(format!("{ssl}.private_key"));
            builder.identity = Some(identity);
            builder.port = entry.port;
        }
        builder
    }

    /// The host the daemon listens on (default `localhost`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The daemon's port (default 55400).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
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

    /// The client certificate and key, from PEM files (Chia's own: `config/ssl/daemon/
    /// private_daemon.{crt,key}`).
    pub fn identity_files(mut self, cert: impl AsRef<Path>, key: impl AsRef<Path>) -> Self {
        self.identity = Some(Identity::new(
            Pem::File(cert.as_ref().to_path_buf()),
            Pem::File(key.as_ref().to_path_buf()),
        ));
        self
    }

    /// The client certificate and key, as PEM.
    pub fn identity_pem(mut self, cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.identity = Some(Identity::new(Pem::Bytes(cert.into()), Pem::Bytes(key.into())));
        self
    }

    /// Verify the server's name against `name` (default [`CHIA_SERVER_NAME`]); the chain is
    /// always checked against the private CA.
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
    /// daemon and read or change everything sent, keys and mnemonics included. For throwaway
    /// test set-ups only.
    pub fn insecure_skip_server_verification(mut self) -> Self {
        self.verification = ServerVerification::InsecureNone;
        self
    }

    /// Also accept a daemon that only speaks TLS 1.2 (Chia's speaks 1.3).
    pub fn allow_tls12(mut self, allow: bool) -> Self {
        self.allow_tls12 = allow;
        self
    }

    /// The rustls crypto provider; without one, the process default when one is installed,
    /// else ring.
    pub fn crypto_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.provider = Some(provider);
        self
    }

    /// The longest a call may take unless it sets its own (default 60 s). The daemon answers
    /// nothing when a call's destination service is not connected to it, so such a call ends
    /// with this timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting (TCP, TLS and the WebSocket handshake) may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest message sent or accepted, in bytes (default [`DAEMON_MAX_MESSAGE_SIZE`],
    /// the daemon's own limit). A larger request fails with
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) before it is sent.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// Also registers as `listener`, to receive the pushes sent to it
    /// ([`DaemonTransport::events`]). Without any, only replies to calls arrive.
    pub fn listen(mut self, listener: Listener) -> Self {
        if !self.listeners.contains(&listener) {
            self.listeners.push(listener);
        }
        self
    }

    /// The name this connection registers under, which the daemon routes replies to
    /// (default `chia_rpc_` and 16 random hex digits). Two connections must not share one.
    pub fn origin(mut self, name: impl Into<String>) -> Self {
        self.origin = Some(name.into());
        self
    }

    /// Whether and how fast a lost connection is dialled again (default: on, from 250 ms
    /// doubling up to 10 s).
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// How often to ping the daemon; a connection silent for two of these periods is
    /// dropped and dialled again (default 15 s).
    pub fn keepalive(mut self, period: Duration) -> Self {
        self.keepalive = period.max(Duration::from_millis(100));
        self
    }

    /// How many pushes an event stream may fall behind before it skips some (default 1024).
    pub fn event_capacity(mut self, pushes: usize) -> Self {
        self.event_capacity = pushes.max(1);
        self
    }

    /// Loads the certificates, connects, registers and starts the connection's task on the
    /// current tokio runtime. Errors name what failed: the configuration, TLS, or the
    /// connection.
    pub async fn connect(self) -> Result<DaemonTransport> {
        let tls = self.tls_config()?;
        let origin = match &self.origin {
            Some(origin) => origin.clone(),
            None => format!("chia_rpc_{:016x}", random_u64(&tls)?),
        };
        DaemonTransport::start(self, Arc::new(tls), origin).await
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig> {
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
        let identity = self.identity.as_ref().ok_or_else(|| {
            Error::config(None, None, "no client certificate was given for the daemon")
        })?;
        let settings = TlsSettings {
            ca: &ca,
            verification: &self.verification,
            provider: tls::provider(self.provider.as_ref()),
            allow_tls12: self.allow_tls12,
        };
        tls::client_config(&settings, identity.load("daemon")?)
    }

    /// `wss://host:port`, for errors.
    pub(super) fn url(&self) -> String {
        let host = &self.host;
        if host.contains(':') && !host.starts_with('[') {
            format!("wss://[{host}]:{}", self.port)
        } else {
            format!("wss://{host}:{}", self.port)
        }
    }

    pub(super) fn host_and_port(&self) -> (&str, u16) {
        (&self.host, self.port)
    }
}

/// Random bits from the TLS configuration's crypto provider.
pub(super) fn random_u64(tls: &rustls::ClientConfig) -> Result<u64> {
    let mut bytes = [0u8; 8];
    tls.crypto_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| Error::tls("the crypto provider gave no random bytes"))?;
    Ok(u64::from_le_bytes(bytes))
}

impl fmt::Debug for DaemonTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DaemonTransportBuilder")
            .field("url", &self.url())
            .field("verification", &self.verification)
            .field("listeners", &self.listeners)
            .field("origin", &self.origin)
            .field("timeout", &self.timeout)
            .field("reconnect", &self.reconnect)
            .finish_non_exhaustive()
    }
}
