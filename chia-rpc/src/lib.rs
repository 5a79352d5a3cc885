//! Typed clients for the RPC services of the Chia blockchain.
//!
//! Every endpoint is a plain request struct implementing [`Endpoint`]; a [`Transport`] carries it
//! and decodes the typed response. [`HttpsClient`] is the HTTPS transport with mutual TLS that
//! Chia's services require, configured from `$CHIA_ROOT/config/config.yaml` by [`ChiaConfig`].
//!
//! ```no_run
//! use chia_rpc::prelude::*;
//!
//! # async fn run() -> chia_rpc::Result<()> {
//! let client = HttpsClient::from_config(&ChiaConfig::discover()?)?;
//! let state = client.full_node().get_blockchain_state().await?;
//! println!("peak height: {:?}", state.blockchain_state.peak.map(|peak| peak.height));
//! # Ok(())
//! # }
//! ```
//!
//! The modules named after services ([`full_node`], [`simulator`], [`shared`], …) and [`types`]
//! are generated from the project's schema; the rest is the runtime they use.

// Generated code names this crate by its absolute path, so that it compiles unchanged both here
// and in the golden tests of the generator.
extern crate self as chia_rpc;

mod coin;
pub mod config;
pub mod decode;
mod endpoint;
pub mod error;
#[rustfmt::skip]
mod generated;
pub mod http;
pub mod primitives;

pub use config::ChiaConfig;
pub use endpoint::{Access, Endpoint, EndpointVisitor, ServiceEndpoint, Transport};
pub use error::{Error, ErrorKind, Result};
pub use generated::*;
pub use http::HttpsClient;
pub use primitives::{
    Address, Bytes, Bytes4, Bytes8, Bytes32, Bytes48, Bytes96, Bytes100, G1Element, G2Element,
};

/// The items most programs need: `use chia_rpc::prelude::*;`.
pub mod prelude {
    pub use crate::{
        Bytes32, ChiaConfig, Endpoint, HttpsClient, ServiceClients, ServiceEndpoint, Transport,
    };
}
