//! PEM material given as files or bytes, read when the transport is built.

use std::path::PathBuf;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::tls;
use crate::config::FileKind;
use crate::error::ErrorKind;
use crate::{Error, Result};

/// PEM bytes, or a file to read them from.
#[derive(Clone)]
pub(crate) enum Pem {
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// A loaded certificate chain and its key.
pub(crate) type Loaded = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

impl Pem {
    /// Reads the PEM; `what` names it and `key`, when set, is the configuration key that named
    /// the file.
    pub(crate) fn read(&self, what: &str, key: Option<&str>) -> Result<(Vec<u8>, String)> {
        match self {
            Pem::File(path) => std::fs::read(path)
                .map(|bytes| (bytes, path.display().to_string()))
                .map_err(|err| {
                    Error::config(Some(path.clone()), key, format!("cannot read the {what}: {err}"))
                }),
            Pem::Bytes(bytes) => Ok((bytes.clone(), what.to_owned())),
        }
    }
}

/// A client certificate and key, with the configuration keys that named their files.
#[derive(Clone)]
pub(crate) struct Identity {
    pub(crate) cert: Pem,
    pub(crate) key: Pem,
    pub(crate) cert_setting: Option<String>,
    pub(crate) key_setting: Option<String>,
}

impl Identity {
    pub(crate) fn new(cert: Pem, key: Pem) -> Self {
        Identity { cert, key, cert_setting: None, key_setting: None }
    }

    /// Reads and parses both; an unreadable or unparsable file is a configuration error naming
    /// the file and the key that named it.
    pub(crate) fn load(&self, what: &str) -> Result<Loaded> {
        let cert_what = format!("client certificate of the {what}");
        let key_what = format!("client key of the {what}");
        let (cert, cert_name) = self.cert.read(&cert_what, self.cert_setting.as_deref())?;
        let (key, key_name) = self.key.read(&key_what, self.key_setting.as_deref())?;
        if let Pem::File(path) = &self.key
            && let Some(warning) = FileKind::Key.check(path)
        {
            log::warn!("{warning}");
        }
        let in_file = |err: Error, pem: &Pem, setting: &Option<String>| match (pem, err.kind()) {
            (Pem::File(path), ErrorKind::Tls { message }) => {
                Error::config(Some(path.clone()), setting.as_deref(), message.clone())
            }
            _ => err,
        };
        let chain = tls::certificates(&cert, &cert_name)
            .map_err(|err| in_file(err, &self.cert, &self.cert_setting))?;
        let key = tls::private_key(&key, &key_name)
            .map_err(|err| in_file(err, &self.key, &self.key_setting))?;
        Ok((chain, key))
    }
}
