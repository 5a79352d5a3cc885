//! Typed clients for the RPC services of the Chia blockchain, generated from one schema.
//!
//! ```no_run
//! use chia_rpc::prelude::*;
//!
//! # async fn run() -> chia_rpc::Result<()> {
//! // $CHIA_ROOT (default ~/.chia/mainnet): host, ports and certificates from config.yaml.
//! let client = Client::from_config(&ChiaConfig::discover()?)?;
//! let state = client.full_node().get_blockchain_state().await?;
//! println!("peak height: {:?}", state.blockchain_state.peak.map(|peak| peak.height));
//!
//! // Required fields are arguments; optional fields and per-call options are setters.
//! let blocks = client
//!     .full_node()
//!     .get_blocks(0, 10)
//!     .exclude_reorged(true)
//!     .timeout(std::time::Duration::from_secs(5))
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # How it fits together
//!
//! - Every endpoint is a plain request struct implementing [`Endpoint`] (in the module of its
//!   service, e.g. [`full_node::GetBlocks`]), with a typed response.
//! - A [`Client`] encodes requests, decodes replies and turns `success: false` into
//!   [`ErrorKind::Rpc`] — once, for every endpoint — over any [`Transport`], which only moves
//!   bytes. [`HttpsTransport`] speaks HTTPS with the mutual TLS Chia requires, configured from
//!   `$CHIA_ROOT/config/config.yaml` by [`ChiaConfig`].
//! - Service handles ([`ServiceClients`]) give one method per endpoint: required fields as
//!   arguments, then a builder with a setter per optional field and per-call options, sent by
//!   `.await`.
//! - [`decode::Strictness`] is chosen at run time, per client or per call.
//!
//! # Services
#![doc = include_str!("generated/services.md")]
//!
//! # Cargo features
//!
//! - One per service, named after it (the table above), all on by default: a program that
//!   needs only the farmer and harvester can set `default-features = false` and compile just
//!   those. The routes every service shares are always there.
//! - `cli`: the `chia-rpc` command line.
//! - `testing`: [`testing::FixtureTransport`], which answers from captured replies or closures
//!   and records every call, for the tests of programs built on this crate.
//! - `chia-protocol` (off by default): `interop`, conversions to and from the coins, spends,
//!   spend bundles, coin records, hashes and BLS elements of chia_rs.

// Generated code names this crate by its absolute path, so that it compiles unchanged both here
// and in the golden tests of the generator.
extern crate self as chia_rpc;

mod call_builder;

mod client;
mod coin;
pub mod config;
pub mod decode;
mod endpoint;
pub mod error;
pub mod event;
#[cfg(feature = "daemon")]
pub mod ws;
#[rustfmt::skip]
mod generated;
pub mod http;
#[cfg(feature = "chia-protocol")]
pub mod interop;
pub mod primitives;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transport;

pub use client::{Call, Client};
pub use config::ChiaConfig;
pub use endpoint::{Access, Endpoint, EndpointVisitor, ServiceEndpoint};
pub use error::{Error, ErrorKind, Result};
pub use generated::*;
pub use http::HttpsTransport;
pub use primitives::{
    Address, Bytes, Bytes4, Bytes8, Bytes32, Bytes48, Bytes96, Bytes100, G1Element, G2Element,
};
pub use transport::Transport;
#[cfg(feature = "daemon")]
pub use ws::DaemonTransport;

/// The README's Rust examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The items most programs need: `use chia_rpc::prelude::*;`.
pub mod prelude {
    pub use crate::decode::Strictness;
    pub use crate::{
        Address, Bytes, Bytes32, ChiaConfig, Client, Endpoint, HttpsTransport, Service,
        ServiceClients, ServiceEndpoint, Transport,
    };
}
