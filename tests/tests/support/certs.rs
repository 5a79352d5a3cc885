//! Certificates shaped like a Chia installation's: a private CA, and leaves whose only name is
//! `chia.net`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A CA and the PEM of its certificate.
pub struct Ca {
    params: CertificateParams,
    key: KeyPair,
    /// PEM of the CA certificate.
    pub cert_pem: String,
}

/// A leaf certificate and key, as PEM.
pub struct Leaf {
    pub cert_pem: String,
    pub key_pem: String,
}

impl Ca {
    pub fn new(name: &str) -> Ca {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.distinguished_name.push(DnType::CommonName, name);
        let cert_pem = params.self_signed(&key).expect("CA certificate").pem();
        Ca { params, key, cert_pem }
    }

    /// A leaf signed by this CA naming only `dns_name`, with CN `Chia` as Chia's leaves have.
    pub fn leaf(&self, dns_name: &str) -> Leaf {
        let key = KeyPair::generate().expect("leaf key");
        let mut params = CertificateParams::new(vec![dns_name.to_owned()]).expect("leaf params");
        params.distinguished_name.push(DnType::CommonName, "Chia");
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert_pem = params.signed_by(&key, &issuer).expect("leaf certificate").pem();
        Leaf { cert_pem, key_pem: key.serialize_pem() }
    }
}

/// An installation: a private CA, the server's leaf (named only `chia.net`), a client leaf.
pub struct Install {
    pub ca: Ca,
    pub server: Leaf,
    pub client: Leaf,
}

/// A fresh installation.
pub fn install() -> Install {
    let ca = Ca::new("Chia CA");
    let server = ca.leaf("chia.net");
    let client = ca.leaf("chia.net");
    Install { ca, server, client }
}
