//! Reaching a node: config discovery as the library does it, with the command line's overrides.

use std::path::PathBuf;

use chia_rpc::ws::DaemonTransportBuilder;
use chia_rpc::{ChiaConfig, Client, DaemonTransport, Service};
use tokio::runtime::Runtime;

/// Where to find the node and how to reach it.
#[derive(Default)]
pub struct Reach {
    /// Chia root (default: $CHIA_ROOT or ~/.chia/mainnet).
    pub root: Option<PathBuf>,
    /// Host instead of the configured `self_hostname`.
    pub host: Option<String>,
    /// Port instead of the configured one.
    pub port: Option<u16>,
    /// Through the daemon's WebSocket instead of the service's own HTTPS port.
    pub via_daemon: bool,
}

impl Reach {
    /// The installation's config with the overrides applied; `port` is `service`'s.
    pub fn config(&self, service: Service) -> Result<ChiaConfig, String> {
        let mut config = match &self.root {
            Some(root) => ChiaConfig::load(root.clone()),
            None => ChiaConfig::discover(),
        }
        .map_err(|err| err.to_string())?;
        if let Some(host) = &self.host {
            config = config.with_hostname(host.clone());
        }
        if let Some(port) = self.port {
            config = config.with_port(service, port);
        }
        Ok(config)
    }

    /// A client for `service`: over HTTPS, or through the daemon when asked to or when the
    /// service is the daemon itself.
    pub fn client(&self, runtime: &Runtime, service: Service) -> Result<Client, String> {
        let config = self.config(service)?;
        if !self.via_daemon && !service.is_websocket_only() {
            return Client::from_config(&config).map_err(|err| err.to_string());
        }
        let daemon =
            self.daemon(runtime, &config, service.is_websocket_only(), |builder| builder)?;
        Ok(Client::new(daemon))
    }

    /// A connection to the daemon. `port_is_daemons` says whether `--port` names the daemon's
    /// port (it names the service's otherwise).
    pub fn daemon(
        &self,
        runtime: &Runtime,
        config: &ChiaConfig,
        port_is_daemons: bool,
        configure: impl FnOnce(DaemonTransportBuilder) -> DaemonTransportBuilder,
    ) -> Result<DaemonTransport, String> {
        let mut builder = DaemonTransport::builder_from_config(config);
        if let (Some(port), true) = (self.port, port_is_daemons) {
            builder = builder.port(port);
        }
        runtime.block_on(configure(builder).connect()).map_err(|err| err.to_string())
    }
}

/// A runtime for one command.
pub fn runtime() -> Result<Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("starting the runtime: {err}"))
}
