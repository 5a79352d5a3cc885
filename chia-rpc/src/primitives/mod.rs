//! Wire primitives: hex byte strings, BLS elements and addresses.

mod address;
mod bytes;
pub mod hex;

pub use address::{Address, AddressError};
pub use bytes::{Bytes, Bytes4, Bytes8, Bytes32, Bytes48, Bytes96, Bytes100, G1Element, G2Element};
pub use hex::HexError;
