//! Certificates shaped like a Chia installation's: a private CA, and leaves whose only name is
//! `chia.net`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A leaf certificate and key, as PEM.
pub struct Leaf {
    pub cert_pem: String,
    pub key_pem: String,
}

/// The CA, the server's leaf and the client's leaf.
pub struct Install {
    pub ca_pem: String,
    pub server: Leaf,
    pub client: Leaf,
}

impl Install {
    pub fn new() -> Install {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.distinguished_name.push(DnType::CommonName, "Chia CA");
        let ca_pem = ca.self_signed(&ca_key).expect("CA certificate").pem();
        let issuer = Issuer::from_params(&ca, &ca_key);
        let leaf = || {
            let key = KeyPair::generate().expect("leaf key");
            let mut params =
                CertificateParams::new(vec!["chia.net".to_owned()]).expect("leaf params");
            params.distinguished_name.push(DnType::CommonName, "Chia");
            let cert_pem = params.signed_by(&key, &issuer).expect("leaf certificate").pem();
            Leaf { cert_pem, key_pem: key.serialize_pem() }
        };
        let server = leaf();
        let client = leaf();
        Install { ca_pem, server, client }
    }
}
