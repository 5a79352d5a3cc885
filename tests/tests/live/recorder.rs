//! A transport over the real clients that records what it carried and can capture the replies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::{Endpoint, Error, HttpsClient, Result, Service, Transport};

/// Sends every request with the client of its service, decodes the reply strictly, and records
/// `(service, endpoint)` for each success. With a capture directory, it also writes each reply
/// and its request as fixtures.
pub struct Recorder {
    pub clients: BTreeMap<Service, HttpsClient>,
    pub called: Mutex<BTreeSet<(Service, &'static str)>>,
    pub capture: Option<Capture>,
}

/// Where captured replies go, and the machine paths to take out of them.
pub struct Capture {
    pub dir: PathBuf,
    pub redactions: Vec<(String, &'static str)>,
}

impl Recorder {
    pub fn client(&self, service: Service) -> Result<&HttpsClient> {
        self.clients.get(&service).ok_or_else(|| {
            Error::invalid_request("-", format!("the live suite has no client for {service}"))
        })
    }

    pub fn called(&self) -> BTreeSet<(Service, &'static str)> {
        self.called.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

impl Transport for Recorder {
    async fn call_on<E: Endpoint>(&self, service: Service, request: &E) -> Result<E::Response> {
        let body = serde_json::to_vec(request)
            .map_err(|err| Error::invalid_request(E::NAME, err.to_string()))?;
        let reply = self.client(service)?.call_raw(service, E::NAME, body.clone()).await?;
        let response = decode_response::<E>(&reply, Strictness::Strict)?;
        self.called
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert((service, E::NAME));
        if let Some(capture) = &self.capture {
            capture.write(service, E::NAME, &body, &reply);
        }
        Ok(response)
    }
}

impl Capture {
    /// `<dir>/<service>/<endpoint>.json`; routes every service shares go to
    /// `<dir>/shared/<endpoint>.json` from the full node and `<endpoint>.<service>.json` from others.
    fn write(&self, service: Service, endpoint: &str, request: &[u8], reply: &[u8]) {
        let shared = chia_rpc::shared::ENDPOINTS.contains(&endpoint);
        let (dir, stem) = match (shared, service) {
            (true, Service::FullNode) => ("shared".to_owned(), endpoint.to_owned()),
            (true, other) => ("shared".to_owned(), format!("{endpoint}.{other}")),
            (false, other) => (other.name().to_owned(), endpoint.to_owned()),
        };
        let dir = self.dir.join(dir);
        std::fs::create_dir_all(&dir).expect("capture directory");
        std::fs::write(dir.join(format!("{stem}.json")), self.redact(reply))
            .expect("capture reply");
        std::fs::write(dir.join(format!("{stem}.request.json")), self.redact(request))
            .expect("capture request");
    }

    /// Replaces this machine's paths, which some replies quote, with placeholders.
    fn redact(&self, bytes: &[u8]) -> Vec<u8> {
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        for (path, placeholder) in &self.redactions {
            text = text.replace(path.as_str(), placeholder);
        }
        text.into_bytes()
    }
}
