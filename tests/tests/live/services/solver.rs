//! The solver, which the harness starts beside the simulator: its state, the routes every
//! service shares, and the farmer's connection to it, closed from the solver's side and dialled
//! again.

use std::time::Duration;

use chia_rpc::types::{Connection, NodeType};
use chia_rpc::{Bytes32, Service, ServiceClients};

use super::poll;
use crate::Live;

pub async fn solver(live: &Live, peer_port: u16) {
    let solver = live.client.solver();
    assert!(solver.get_state().await.unwrap().started);
    shared_routes(live).await;
    farmer_connection(live, peer_port).await;
}

/// The read-only shared routes and a log level round trip, as on every other service.
async fn shared_routes(live: &Live) {
    let solver = live.client.solver();
    let network = solver.get_network_info().await.unwrap();
    let farmers = live.client.farmer().get_network_info().await.unwrap();
    assert_eq!(network, farmers, "the harness puts the solver on the simulator's network");
    let routes = solver.get_routes().await.unwrap().routes;
    assert!(routes.iter().any(|route| route == "/get_state"), "{routes:?}");
    let version = solver.get_version().await.unwrap().version;
    assert_eq!(version, live.client.farmer().get_version().await.unwrap().version);
    solver.healthz().await.unwrap();
    let level = solver.get_log_level().await.unwrap();
    assert!(level.available_levels.iter().any(|name| name == "DEBUG"), "{level:?}");
    assert_eq!(solver.set_log_level("DEBUG".to_owned()).await.unwrap().level, "DEBUG");
    solver.reset_log_level().await.unwrap();
}

/// The farmer dials the solver (after failing to dial a port nobody listens on), the solver
/// drops the link, and the farmer dials it again.
async fn farmer_connection(live: &Live, peer_port: u16) {
    let farmer = live.client.farmer();
    let nobody = farmer.connect_to_solver("127.0.0.1".to_owned(), 1).await.unwrap_err();
    assert!(nobody.is_rpc(), "{nobody}");

    farmer.connect_to_solver("127.0.0.1".to_owned(), peer_port).await.unwrap();
    let seen = peer_of(live, Service::Solver, NodeType::Farmer).await;
    let dialled = peer_of(live, Service::Farmer, NodeType::Solver).await;
    assert_eq!(dialled.peer_server_port, Some(peer_port));

    live.client.solver().close_connection(seen.node_id).await.unwrap();
    gone(live, seen.node_id).await;
    farmer.connect_to_solver("localhost".to_owned(), peer_port).await.unwrap();
    peer_of(live, Service::Solver, NodeType::Farmer).await;
}

/// Waits until `service` has a connection to a peer of `kind`, and returns it.
async fn peer_of(live: &Live, service: Service, kind: NodeType) -> Connection {
    let shared = live.client.shared(service);
    poll(&format!("{service} connected to a {kind:?}"), Duration::from_secs(30), || async {
        let peers = shared.get_connections().node_type(kind).await.unwrap().connections;
        peers.into_iter().next()
    })
    .await
}

/// Waits until the solver no longer lists the peer `node_id`.
async fn gone(live: &Live, node_id: Bytes32) {
    let solver = live.client.solver();
    poll("the solver's link to the farmer closed", Duration::from_secs(30), || async {
        let peers = solver.get_connections().await.unwrap().connections;
        (!peers.iter().any(|peer| peer.node_id == node_id)).then_some(())
    })
    .await;
}
