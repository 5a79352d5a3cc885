//! Pins the node's config to the harness's fixed ports, with every peer on the local node, so
//! that the tests know where each service listens.

use std::path::Path;
use std::time::Duration;

use super::layout::{Layout, port};
use super::shell::Cmd;

/// Python (with the venv's PyYAML) script that pins every port and peer of the node's config.
const REWRITE_CONFIG: &str = r#"
import sys, yaml
path = sys.argv[1]
(daemon, node_rpc, node_p2p, wallet_rpc, farmer_rpc, farmer_p2p,
 harvester_rpc, dl_rpc, solver_p2p, solver_rpc) = map(int, sys.argv[2:12])
with open(path) as f:
    cfg = yaml.safe_load(f)
def local(port):
    return {"host": "localhost", "port": port}
cfg["daemon_port"] = daemon
cfg["ui"]["daemon_port"] = daemon
cfg["network_overrides"]["config"][cfg["selected_network"]]["default_full_node_port"] = node_p2p
cfg["full_node"].update(port=node_p2p, rpc_port=node_rpc)
cfg["wallet"].update(rpc_port=wallet_rpc, full_node_peers=[local(node_p2p)])
cfg["farmer"].update(port=farmer_p2p, rpc_port=farmer_rpc, full_node_peers=[local(node_p2p)],
                     solver_peers=[local(solver_p2p)])
cfg["harvester"].update(rpc_port=harvester_rpc, farmer_peers=[local(farmer_p2p)])
cfg["data_layer"].update(rpc_port=dl_rpc, wallet_peer=local(wallet_rpc))
cfg["timelord"].update(full_node_peers=[local(node_p2p)])
# The solver's section says mainnet: the farmer only talks to a solver of its own network, and
# the solver would close the farmer's connection as untrusted.
cfg["solver"].update(port=solver_p2p, rpc_port=solver_rpc,
                     selected_network=cfg["selected_network"], trusted_peers_only=False)
with open(path, "w") as f:
    yaml.safe_dump(cfg, f, sort_keys=False)
"#;

/// Runs [`REWRITE_CONFIG`] on the node's `config.yaml` with the venv's Python.
pub fn rewrite_config(
    layout: &Layout,
    python: &Path,
    env: &[(String, std::ffi::OsString)],
) -> Result<(), String> {
    let config = layout.chia_root.join("config").join("config.yaml");
    let ports = [
        port::DAEMON,
        port::FULL_NODE_RPC,
        port::FULL_NODE_P2P,
        port::WALLET_RPC,
        port::FARMER_RPC,
        port::FARMER_P2P,
        port::HARVESTER_RPC,
        port::DATA_LAYER_RPC,
        port::SOLVER_P2P,
        port::SOLVER_RPC,
    ];
    Cmd::new(python)
        .arg("-c")
        .hidden_arg(REWRITE_CONFIG, "<pin-ports script>")
        .arg(&config)
        .args(ports.map(|port| port.to_string()))
        .envs(env)
        .current_dir(&layout.run)
        .in_netns()
        .timeout(Duration::from_secs(60))
        .run()
}
