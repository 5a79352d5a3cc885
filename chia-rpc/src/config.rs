//! Where the services are and which certificates reach them, read from a Chia installation.
//!
//! The root is `$CHIA_ROOT`, or `~/.chia/mainnet`. From `config/config.yaml` come
//! `self_hostname`, `selected_network`, the CA (`private_ssl_ca`) and, for each service, its
//! port ([`Service::port_key`]: `<section>.rpc_port`, the daemon's `daemon_port`) and private
//! certificate ([`Service::ssl_key`]: `<section>.ssl.private_crt` / `private_key`, the daemon's
//! `daemon_ssl`; by default `config/ssl/<service>/private_<service>.{crt,key}`). Every value
//! can be overridden in code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Error, Result, Service};

/// The connection settings of a Chia installation.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiaConfig {
    root: PathBuf,
    hostname: String,
    selected_network: Option<String>,
    daemon_port: Option<u16>,
    ca_cert: PathBuf,
    services: BTreeMap<Service, ServiceConfig>,
}

/// Where one service listens and the client certificate that reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The RPC port.
    pub port: u16,
    /// The PEM client certificate.
    pub cert: PathBuf,
    /// The PEM private key of the certificate.
    pub key: PathBuf,
}

impl ChiaConfig {
    /// Reads the installation at `$CHIA_ROOT`, or at `~/.chia/mainnet` when it is unset.
    pub fn discover() -> Result<Self> {
        Self::load(default_root()?)
    }

    /// Reads `config/config.yaml` under `root`.
    pub fn load(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        let file = root.join("config").join("config.yaml");
        let text = std::fs::read_to_string(&file).map_err(|err| {
            Error::config(Some(file.clone()), None, format!("cannot read the file: {err}"))
        })?;
        Self::parse(root, &file, &text)
    }

    /// Builds the settings from the text of a `config.yaml`; `file` is only used in errors.
    pub fn parse(root: impl Into<PathBuf>, file: &Path, text: &str) -> Result<Self> {
        let root = root.into();
        let document: Value = serde_saphyr::from_str(text).map_err(|err| {
            Error::config(Some(file.to_path_buf()), None, format!("not valid YAML: {err}"))
        })?;
        let reader = Reader { file, document: &document };
        let hostname = reader.string("self_hostname")?.unwrap_or_else(|| "localhost".to_owned());
        let selected_network = reader.string("selected_network")?;
        let daemon_port = reader.port("daemon_port")?;
        let ca_cert = reader.path(
            &root,
            "private_ssl_ca.crt",
            reader.string("private_ssl_ca.crt")?,
            "config/ssl/ca/private_ca.crt",
        )?;
        let mut services = BTreeMap::new();
        for &service in Service::ALL {
            let ssl = service.ssl_key();
            let port = reader.port(service.port_key())?.unwrap_or(service.default_port());
            let dir = service.cert_dir();
            let cert_key = format!("{ssl}.private_crt");
            let cert = reader.path(
                &root,
                &cert_key,
                reader.string(&cert_key)?,
                &format!("config/ssl/{dir}/private_{dir}.crt"),
            )?;
            let key_key = format!("{ssl}.private_key");
            let key = reader.path(
                &root,
                &key_key,
                reader.string(&key_key)?,
                &format!("config/ssl/{dir}/private_{dir}.key"),
            )?;
            services.insert(service, ServiceConfig { port, cert, key });
        }
        Ok(ChiaConfig { root, hostname, selected_network, daemon_port, ca_cert, services })
    }

    /// The installation's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The host the services listen on (`self_hostname`).
    pub fn hostname(&self) -> &str {
        &self.hostname
    }

    /// The network the installation follows (`mainnet`, `testnet11`, `simulator0`, …).
    pub fn selected_network(&self) -> Option<&str> {
        self.selected_network.as_deref()
    }

    /// The daemon's WebSocket port.
    pub fn daemon_port(&self) -> Option<u16> {
        self.daemon_port
    }

    /// The private CA certificate that signs the services' certificates.
    pub fn ca_cert(&self) -> &Path {
        &self.ca_cert
    }

    /// The port and client certificate of `service`.
    pub fn service(&self, service: Service) -> Option<&ServiceConfig> {
        self.services.get(&service)
    }

    /// The installation's certificate and key files whose permissions are wider than Chia
    /// allows: keys readable or writable by anyone but their owner, certificates writable by
    /// anyone but their owner. Chia's own tools warn about the same files (and
    /// `chia init --fix-ssl-permissions` fixes them); building a transport from this
    /// configuration logs each as a warning. Empty where files have no Unix permissions.
    pub fn permission_warnings(&self) -> Vec<PermissionWarning> {
        let mut files = vec![(&self.ca_cert, FileKind::Certificate)];
        for entry in self.services.values() {
            files.push((&entry.cert, FileKind::Certificate));
            files.push((&entry.key, FileKind::Key));
        }
        files.sort();
        files.dedup();
        files.into_iter().filter_map(|(path, kind)| kind.check(path)).collect()
    }

    /// Overrides the host.
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = hostname.into();
        self
    }

    /// Overrides the RPC port of `service`.
    pub fn with_port(mut self, service: Service, port: u16) -> Self {
        if let Some(entry) = self.services.get_mut(&service) {
            entry.port = port;
        }
        self
    }

    /// Overrides the CA certificate.
    pub fn with_ca_cert(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_cert = path.into();
        self
    }

    /// Overrides the client certificate and key of `service`.
    pub fn with_client_cert(
        mut self,
        service: Service,
        cert: impl Into<PathBuf>,
        key: impl Into<PathBuf>,
    ) -> Self {
        if let Some(entry) = self.services.get_mut(&service) {
            entry.cert = cert.into();
            entry.key = key.into();
        }
        self
    }
}

/// A certificate or key file whose permissions are wider than Chia allows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PermissionWarning {
    /// The file.
    pub file: PathBuf,
    /// Its permission bits (`0o644`).
    pub mode: u32,
    /// The permissions Chia gives such files (`0o600` for keys, `0o644` for certificates).
    pub expected: u32,
}

impl std::fmt::Display for PermissionWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "permissions {:o} for '{}' are too open, expected {:o} \
             (`chia init --fix-ssl-permissions` fixes them)",
            self.mode,
            self.file.display(),
            self.expected
        )
    }
}

/// The two kinds of file Chia checks, with the permission bits each may not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FileKind {
    Certificate,
    Key,
}

impl FileKind {
    /// Checks `path` as Chia's `check_ssl` does; `None` when it is fine or cannot be read.
    pub(crate) fn check(self, path: &Path) -> Option<PermissionWarning> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Keys: nothing for group and others; certificates: no writing or running.
            let (forbidden, expected) = match self {
                FileKind::Key => (0o077, 0o600),
                FileKind::Certificate => (0o033, 0o644),
            };
            let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
            (mode & forbidden != 0).then(|| PermissionWarning {
                file: path.to_path_buf(),
                mode,
                expected,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }
}

/// `$CHIA_ROOT`, or `~/.chia/mainnet`, with a leading `~` expanded to the home directory as
/// Chia does.
pub fn default_root() -> Result<PathBuf> {
    let root = std::env::var_os("CHIA_ROOT")
        .filter(|root| !root.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("~/.chia/mainnet"));
    expand_home(&root).ok_or_else(|| {
        Error::config(
            None,
            Some("CHIA_ROOT"),
            format!("cannot expand `~` in {}: no home directory is known", root.display()),
        )
    })
}

/// Replaces a leading `~` component with the user's home directory; `None` when there is one
/// but no home directory is known. Other paths are returned as they are.
pub fn expand_home(path: &Path) -> Option<PathBuf> {
    let mut components = path.components();
    match components.next() {
        Some(std::path::Component::Normal(first)) if first == "~" => std::env::home_dir()
            .filter(|home| !home.as_os_str().is_empty())
            .map(|home| home.join(components.as_path())),
        _ => Some(path.to_path_buf()),
    }
}

/// Looks up dotted keys in the parsed document and names file and key in every error.
struct Reader<'a> {
    file: &'a Path,
    document: &'a Value,
}

impl Reader<'_> {
    fn get(&self, key: &str) -> Option<&Value> {
        key.split('.').try_fold(self.document, |value, part| value.get(part))
    }

    fn error(&self, key: &str, message: String) -> Error {
        Error::config(Some(self.file.to_path_buf()), Some(key), message)
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.error(key, format!("expected text, found {other}"))),
        }
    }

    /// A path setting as Chia reads it: `~` expanded, then relative to the root.
    fn path(
        &self,
        root: &Path,
        key: &str,
        value: Option<String>,
        default: &str,
    ) -> Result<PathBuf> {
        let text = value.unwrap_or_else(|| default.to_owned());
        let path = expand_home(Path::new(&text)).ok_or_else(|| {
            self.error(key, format!("cannot expand `~` in {text:?}: no home directory is known"))
        })?;
        Ok(if path.is_absolute() { path } else { root.join(path) })
    }

    fn port(&self, key: &str) -> Result<Option<u16>> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_u64()
                .and_then(|port| u16::try_from(port).ok())
                .filter(|&port| port != 0)
                .map(Some)
                .ok_or_else(|| self.error(key, format!("expected a port number, found {value}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
self_hostname: localhost
selected_network: simulator0
daemon_port: 55400
private_ssl_ca:
  crt: config/ssl/ca/private_ca.crt
full_node:
  rpc_port: 18555
  ssl:
    private_crt: config/ssl/full_node/private_full_node.crt
    private_key: config/ssl/full_node/private_full_node.key
logging: &logging
  log_level: INFO
wallet:
  rpc_port: 9256
  logging: *logging
";

    #[test]
    fn reads_ports_hosts_and_certs() {
        let config = ChiaConfig::parse("/r", Path::new("/r/config/config.yaml"), SAMPLE).unwrap();
        assert_eq!(config.hostname(), "localhost");
        assert_eq!(config.selected_network(), Some("simulator0"));
        assert_eq!(config.daemon_port(), Some(55400));
        let node = config.service(Service::FullNode).unwrap();
        assert_eq!(node.port, 18555);
        assert_eq!(node.cert, Path::new("/r/config/ssl/full_node/private_full_node.crt"));
        assert_eq!(config.service(Service::Wallet).unwrap().port, 9256);
        assert_eq!(config.ca_cert(), Path::new("/r/config/ssl/ca/private_ca.crt"));
    }

    #[test]
    fn a_bad_port_names_file_and_key() {
        let text = SAMPLE.replace("rpc_port: 18555", "rpc_port: lots");
        let err = ChiaConfig::parse("/r", Path::new("/r/config/config.yaml"), &text).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("/r/config/config.yaml"), "{message}");
        assert!(message.contains("full_node.rpc_port"), "{message}");
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = ChiaConfig::load("/nonexistent-chia-root").unwrap_err();
        assert!(err.is_config());
        assert!(err.to_string().contains("nonexistent-chia-root/config/config.yaml"), "{err}");
    }

    #[test]
    fn absolute_and_home_paths_are_not_joined_to_the_root() {
        let text = SAMPLE
            .replace("config/ssl/ca/private_ca.crt", "/etc/chia/ca.crt")
            .replace("config/ssl/full_node/private_full_node.crt", "~/certs/node.crt");
        let config = ChiaConfig::parse("/r", Path::new("c.yaml"), &text).unwrap();
        assert_eq!(config.ca_cert(), Path::new("/etc/chia/ca.crt"));
        let cert = &config.service(Service::FullNode).unwrap().cert;
        let home = std::env::home_dir().expect("a home directory");
        assert_eq!(cert, &home.join("certs/node.crt"));
    }

    #[test]
    fn a_leading_tilde_is_the_home_directory() {
        let home = std::env::home_dir().expect("a home directory");
        assert_eq!(expand_home(Path::new("~/.chia/mainnet")), Some(home.join(".chia/mainnet")));
        assert_eq!(expand_home(Path::new("~")), Some(home));
        assert_eq!(expand_home(Path::new("/a/~/b")), Some(PathBuf::from("/a/~/b")));
        assert_eq!(expand_home(Path::new("~x/b")), Some(PathBuf::from("~x/b")));
    }

    #[test]
    fn invalid_yaml_is_a_config_error() {
        let err = ChiaConfig::parse("/r", Path::new("c.yaml"), "a: [unclosed").unwrap_err();
        assert!(err.is_config(), "{err}");
    }
}
