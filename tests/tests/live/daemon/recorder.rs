//! The daemon transport under the suite's strict client: records every call that answered
//! `success: true` and captures the daemon's own replies as fixtures.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use bytes::Bytes;
use chia_rpc::transport::{BoxFuture, RawRequest, Transport};
use chia_rpc::ws::DaemonTransport;
use chia_rpc::{Result, Service};

use crate::recorder::{Capture, says_success};

pub struct DaemonRecorder {
    transport: DaemonTransport,
    called: Mutex<BTreeSet<(Service, String)>>,
    capture: Option<Capture>,
}

impl DaemonRecorder {
    pub fn new(transport: DaemonTransport, capture: Option<PathBuf>, root: &str) -> Self {
        let capture = capture
            .map(|dir| Capture { dir, redactions: crate::recorder::machine_paths(root, root) });
        DaemonRecorder { transport, called: Mutex::new(BTreeSet::new()), capture }
    }

    pub fn called(&self) -> BTreeSet<(Service, String)> {
        self.called.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    async fn forward(&self, request: RawRequest) -> Result<Bytes> {
        let (service, route, body) =
            (request.service, request.route.to_string(), request.body.clone());
        let reply = self.transport.send(request).await?;
        let success = says_success(&reply);
        if success == Some(true) {
            self.called
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert((service, route.clone()));
        }
        // Only the daemon's own replies: relayed ones are the services' HTTPS replies again.
        if let (Some(capture), Service::Daemon, Some(success)) = (&self.capture, service, success) {
            let variant = if success { "" } else { ".failure" };
            capture.write(service, &route, variant, &body, &reply);
        }
        Ok(reply)
    }
}

impl Transport for DaemonRecorder {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        Box::pin(self.forward(request))
    }
}
