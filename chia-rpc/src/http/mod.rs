//! The HTTPS transport: `POST https://host:port/<endpoint>` with mutual TLS.

mod tls;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub use tls::{CHIA_SERVER_NAME, ServerVerification};

use crate::decode::{Strictness, decode_response};
use crate::error::ErrorKind;
use crate::{ChiaConfig, Endpoint, Error, Result, Service, Transport};

/// Talks to Chia services over HTTPS with mutual TLS.
///
/// One client serves every service: each has its own base URL and client certificate, and
/// connections are pooled and reused. Cloning is cheap and shares the pools.
#[derive(Clone)]
pub struct HttpsClient {
    targets: BTreeMap<Service, Target>,
    strictness: Strictness,
}

#[derive(Clone)]
struct Target {
    base_url: String,
    http: reqwest::Client,
}

impl HttpsClient {
    /// A client for every service of the installation described by `config`, verifying each
    /// server against the installation's private CA and the name `chia.net`.
    pub fn from_config(config: &ChiaConfig) -> Result<Self> {
        HttpsClientBuilder::from_config(config).build()
    }

    /// A builder to configure every setting by hand.
    pub fn builder() -> HttpsClientBuilder {
        HttpsClientBuilder::default()
    }

    /// The base URL requests to `service` go to, if the client was given one.
    pub fn base_url(&self, service: Service) -> Option<&str> {
        self.targets.get(&service).map(|target| target.base_url.as_str())
    }

    fn target(&self, service: Service) -> Result<&Target> {
        self.targets.get(&service).ok_or_else(|| {
            Error::config(
                None,
                None,
                format!("the client has no address and certificate for the {service} service"),
            )
        })
    }

    /// Sends a raw JSON body to any route of `service` and returns the reply body, checking only
    /// the HTTP status. For routes the schema does not cover yet; typed calls go through
    /// [`Transport::call_on`].
    pub async fn call_raw(&self, service: Service, route: &str, body: Vec<u8>) -> Result<Vec<u8>> {
        let target = self.target(service)?;
        let url = format!("{}/{route}", target.base_url);
        let failed = |err: reqwest::Error| transport_error(&url, err);
        let response = target
            .http
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(failed)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(failed)?;
        if status != reqwest::StatusCode::OK {
            return Err(Error::new(ErrorKind::HttpStatus {
                url,
                status: status.as_u16(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }));
        }
        Ok(bytes.to_vec())
    }
}

impl Transport for HttpsClient {
    async fn call_on<E: Endpoint>(&self, service: Service, request: &E) -> Result<E::Response> {
        let body = serde_json::to_vec(request)
            .map_err(|err| Error::invalid_request(E::NAME, err.to_string()))?;
        let reply = self.call_raw(service, E::NAME, body).await?;
        decode_response::<E>(&reply, self.strictness)
    }
}

impl fmt::Debug for HttpsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let urls: BTreeMap<_, _> =
            self.targets.iter().map(|(service, target)| (service, &target.base_url)).collect();
        f.debug_struct("HttpsClient").field("targets", &urls).finish_non_exhaustive()
    }
}

/// Classifies a reqwest failure, keeping its innermost cause readable.
fn transport_error(url: &str, err: reqwest::Error) -> Error {
    let kind = if err.is_timeout() {
        ErrorKind::Timeout { url: url.to_owned() }
    } else {
        let mut reason = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            reason = cause.to_string();
            source = cause.source();
        }
        ErrorKind::Connect { url: url.to_owned(), reason }
    };
    Error::new(kind).with_source(err)
}

/// PEM bytes, or a file to read them from.
#[derive(Clone)]
enum Pem {
    File(PathBuf),
    Bytes(Vec<u8>),
}

impl Pem {
    fn read(&self, what: &str) -> Result<(Vec<u8>, String)> {
        match self {
            Pem::File(path) => std::fs::read(path)
                .map(|bytes| (bytes, path.display().to_string()))
                .map_err(|err| {
                    Error::config(
                        Some(path.clone()),
                        None,
                        format!("cannot read the {what}: {err}"),
                    )
                }),
            Pem::Bytes(bytes) => Ok((bytes.clone(), what.to_owned())),
        }
    }
}

#[derive(Clone)]
struct Identity {
    cert: Pem,
    key: Pem,
}

impl Identity {
    fn load(&self) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
        let (cert, cert_name) = self.cert.read("client certificate")?;
        let (key, key_name) = self.key.read("client key")?;
        Ok((tls::certificates(&cert, &cert_name)?, tls::private_key(&key, &key_name)?))
    }
}

/// Configures an [`HttpsClient`]. Nothing is read or checked until [`build`](Self::build).
#[derive(Clone)]
pub struct HttpsClientBuilder {
    host: String,
    ca: Option<Pem>,
    default_identity: Option<Identity>,
    services: BTreeMap<Service, (Option<u16>, Option<Identity>)>,
    verification: ServerVerification,
    timeout: Duration,
    connect_timeout: Duration,
    strictness: Strictness,
}

impl Default for HttpsClientBuilder {
    fn default() -> Self {
        HttpsClientBuilder {
            host: "localhost".to_owned(),
            ca: None,
            default_identity: None,
            services: BTreeMap::new(),
            verification: ServerVerification::CaAndName(CHIA_SERVER_NAME.to_owned()),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            strictness: Strictness::Lenient,
        }
    }
}

impl HttpsClientBuilder {
    /// Host, ports, CA and per-service certificates from a [`ChiaConfig`].
    pub fn from_config(config: &ChiaConfig) -> Self {
        let mut builder =
            HttpsClientBuilder::default().host(config.hostname()).ca_cert_file(config.ca_cert());
        for &service in Service::ALL {
            // A service whose certificate is absent is left out rather than failing the build.
            if let Some(entry) = config.service(service).filter(|entry| entry.cert.exists()) {
                builder = builder.port(service, entry.port).service_identity_files(
                    service,
                    &entry.cert,
                    &entry.key,
                );
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
        self.services.entry(service).or_default().0 = Some(port);
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
        self.default_identity = Some(Identity {
            cert: Pem::File(cert.as_ref().to_path_buf()),
            key: Pem::File(key.as_ref().to_path_buf()),
        });
        self
    }

    /// The client certificate and key for every service without one of its own, as PEM.
    pub fn identity_pem(mut self, cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.default_identity =
            Some(Identity { cert: Pem::Bytes(cert.into()), key: Pem::Bytes(key.into()) });
        self
    }

    /// The client certificate and key used for `service`, from PEM files.
    pub fn service_identity_files(
        mut self,
        service: Service,
        cert: impl AsRef<Path>,
        key: impl AsRef<Path>,
    ) -> Self {
        self.services.entry(service).or_default().1 = Some(Identity {
            cert: Pem::File(cert.as_ref().to_path_buf()),
            key: Pem::File(key.as_ref().to_path_buf()),
        });
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

    /// The longest a whole call may take (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Refuse replies with fields the model does not know (default: ignore them).
    pub fn strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// Reads the certificates and builds the client. Services with neither their own nor a
    /// default client certificate are left out; calling them fails with a configuration error.
    pub fn build(self) -> Result<HttpsClient> {
        let ca = match (&self.ca, &self.verification) {
            (_, ServerVerification::InsecureNone) => Vec::new(),
            (Some(ca), _) => {
                let (pem, name) = ca.read("CA certificate")?;
                tls::certificates(&pem, &name)?
            }
            (None, _) => {
                return Err(Error::tls(
                    "no CA certificate given: set one, or opt out with \
                     insecure_skip_server_verification()",
                ));
            }
        };
        let mut targets = BTreeMap::new();
        for &service in Service::ALL {
            let (port, identity) = self.services.get(&service).cloned().unwrap_or_default();
            let Some(identity) = identity.or_else(|| self.default_identity.clone()) else {
                continue;
            };
            let tls = tls::client_config(&ca, identity.load()?, &self.verification)?;
            let http = reqwest::Client::builder()
                .use_preconfigured_tls(tls)
                .no_proxy()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|err| Error::tls(format!("building the HTTP client: {err}")))?;
            let port = port.unwrap_or(service.default_port());
            let base_url = format!("https://{}:{port}", bracket_ipv6(&self.host));
            targets.insert(service, Target { base_url, http });
        }
        Ok(HttpsClient { targets, strictness: self.strictness })
    }
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_owned() }
}

impl fmt::Debug for HttpsClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpsClientBuilder")
            .field("host", &self.host)
            .field("verification", &self.verification)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
