//! What the fuzz targets run, shared with the stable replay test
//! (`tests/tests/fuzz_replay.rs`, which includes this file).
//!
//! An input names what to decode on its first line and carries the bytes after it: for a
//! reply target the route (`get_blockchain_state\n{...}`), for the push target the origin and
//! command (`chia_full_node signage_point\n{...}`). Each body is decoded strictly and leniently,
//! and any error is rendered with `Display` and `Debug`: none of it may panic.

use bytes::Bytes;
use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::{Endpoint, EndpointVisitor, Event, Service};

/// The services whose replies one fuzz target decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The full node, the simulator's own routes and the routes every service shares.
    FullNode,
    /// The wallet.
    Wallet,
    /// The farmer, harvester, data layer, crawler, solver and timelord.
    Services,
    /// The daemon's own commands.
    Daemon,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 4] =
        [Family::FullNode, Family::Wallet, Family::Services, Family::Daemon];

    /// The services whose routes the family's inputs name; the first that serves a route
    /// decodes it.
    pub fn services(self) -> &'static [Service] {
        match self {
            // The simulator also serves the full node's routes and the shared ones.
            Family::FullNode => &[Service::Simulator],
            Family::Wallet => &[Service::Wallet],
            Family::Services => &[
                Service::Farmer,
                Service::Harvester,
                Service::DataLayer,
                Service::Crawler,
                Service::Solver,
                Service::Timelord,
            ],
            Family::Daemon => &[Service::Daemon],
        }
    }

    /// The fuzz target's name.
    pub fn target(self) -> &'static str {
        match self {
            Family::FullNode => "reply_full_node",
            Family::Wallet => "reply_wallet",
            Family::Services => "reply_services",
            Family::Daemon => "reply_daemon",
        }
    }
}

/// The push target's name.
pub const EVENT_TARGET: &str = "daemon_event";

/// Splits an input at its first newline: the name line and the body.
pub fn split(input: &[u8]) -> Option<(&str, &[u8])> {
    let newline = input.iter().position(|&byte| byte == b'\n')?;
    let name = std::str::from_utf8(&input[..newline]).ok()?;
    Some((name, &input[newline + 1..]))
}

/// An input for a reply or push target.
pub fn input(name: &str, body: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(name.len() + 1 + body.len());
    input.extend_from_slice(name.as_bytes());
    input.push(b'\n');
    input.extend_from_slice(body);
    input
}

/// Decodes the body of `input` as the reply of the route it names; whether a service of
/// `family` knows the route.
pub fn reply(family: Family, input: &[u8]) -> bool {
    let Some((route, body)) = split(input) else { return false };
    let body = Bytes::copy_from_slice(body);
    family.services().iter().any(|&service| {
        chia_rpc::visit_endpoint(service, route, DecodeBoth(body.clone())).is_some()
    })
}

/// Decodes the body of `input` as the push its first line names (`origin command`).
pub fn event(input: &[u8]) {
    let Some((names, data)) = split(input) else { return };
    let (origin, command) = names.split_once(' ').unwrap_or((names, ""));
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        if let Err(err) = Event::decode(origin, command, data, strictness) {
            render(&err);
        }
    }
}

/// Every push the model knows, as `origin command` lines.
pub fn known_pushes() -> Vec<String> {
    let mut pushes = Vec::new();
    macro_rules! of {
        ($($module:ident::$event:ident),*) => {
            $(pushes.extend(
                chia_rpc::$module::$event::PUSHES
                    .iter()
                    .map(|(origin, command)| format!("{origin} {command}")),
            );)*
        };
    }
    of!(
        full_node::FullNodeEvent,
        wallet::WalletEvent,
        farmer::FarmerEvent,
        harvester::HarvesterEvent,
        daemon::DaemonEvent,
        crawler::CrawlerEvent,
        data_layer::DataLayerEvent,
        solver::SolverEvent,
        timelord::TimelordEvent
    );
    pushes
}

struct DecodeBoth(Bytes);

impl EndpointVisitor for DecodeBoth {
    type Output = ();

    fn visit<E: Endpoint>(self) {
        for strictness in [Strictness::Strict, Strictness::Lenient] {
            match decode_response::<E>(self.0.clone(), strictness) {
                Ok(response) => drop(format!("{response:?}")),
                Err(err) => render(&err),
            }
        }
    }
}

/// Errors are shown to people: rendering one must not panic either.
fn render(err: &chia_rpc::Error) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.is_empty());
}
