//! Helpers shared by the integration tests.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

pub mod certs;
pub mod live_env;
pub mod load;
pub mod mock_daemon;
pub mod mock_server;
