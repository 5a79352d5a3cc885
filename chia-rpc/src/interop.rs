//! Conversions to and from the types of chia_rs (`chia-protocol` 0.53 and `chia-bls` 0.53), the
//! crates Rust programs build spends with.
//!
//! chia_rs types serialize to JSON the node refuses (programs and other variable-length bytes
//! without `0x`), so they should not be sent as they are. Convert them into this crate's types,
//! which the node accepts, and back:
//!
//! | chia-rpc | chia_rs | to chia_rs | from chia_rs |
//! | --- | --- | --- | --- |
//! | [`Bytes32`] | [`chia_protocol::Bytes32`] | `From` | `From` |
//! | [`Bytes`] | [`chia_protocol::Bytes`], [`chia_protocol::Program`] | `From` | `From` |
//! | [`G1Element`] | [`chia_bls::PublicKey`] | `TryFrom` (checked on the curve) | `From` |
//! | [`G2Element`] | [`chia_bls::Signature`] | `TryFrom` (checked on the curve) | `From` |
//! | [`Coin`] | [`chia_protocol::Coin`] | `From` | `From` |
//! | [`CoinSpend`] | [`chia_protocol::CoinSpend`] | `From` | `From` |
//! | [`SpendBundle`] | [`chia_protocol::SpendBundle`] | `TryFrom` (its signature) | `From` |
//! | [`CoinRecord`] | [`chia_protocol::CoinRecord`] | `From` | `From` |
//!
//! Every conversion keeps every byte: a value converted there and back is equal to itself. The one
//! field chia_rs does not store is [`CoinRecord::spent`], which the node derives from
//! `spent_block_index`: it comes back as `Some(spent_block_index > 0)`, as the full node sends it.
//! BLS elements are checked only when they become chia_rs values, since chia_rs can hold only
//! valid points; a program's bytes are not parsed (chia_rs parses them when it runs or hashes one).
//!
//! The crates are re-exported, so a program can name the exact versions these conversions are
//! for (`chia_rpc::interop::chia_protocol::SpendBundle`), together with the CLVM crates of the same
//! release, [`clvmr`] and [`clvm_utils`], to build puzzles and solutions and hash them.
//! `examples/chia_rs_spend.rs` builds a spend with them and pushes it to a node.
//!
//! ```
//! use chia_rpc::interop::chia_protocol;
//! use chia_rpc::types::Coin;
//!
//! let theirs = chia_protocol::Coin::new([1; 32].into(), [2; 32].into(), 1_000);
//! let ours = Coin::from(theirs);
//! assert_eq!(ours.coin_id(), chia_rpc::Bytes32::from(theirs.coin_id()));
//! assert_eq!(chia_protocol::Coin::from(ours), theirs);
//! ```

pub use chia_bls;
pub use chia_protocol;
pub use clvm_utils;
pub use clvmr;

use crate::types::{Coin, CoinRecord, CoinSpend, SpendBundle};
use crate::{Bytes, Bytes32, G1Element, G2Element};

impl From<chia_protocol::Bytes32> for Bytes32 {
    fn from(bytes: chia_protocol::Bytes32) -> Self {
        Self::new(bytes.to_bytes())
    }
}

impl From<Bytes32> for chia_protocol::Bytes32 {
    fn from(bytes: Bytes32) -> Self {
        Self::new(*bytes.as_bytes())
    }
}

impl From<chia_protocol::Bytes> for Bytes {
    fn from(bytes: chia_protocol::Bytes) -> Self {
        Self::new(bytes.into_inner())
    }
}

impl From<Bytes> for chia_protocol::Bytes {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes.into_vec())
    }
}

impl From<chia_protocol::Program> for Bytes {
    fn from(program: chia_protocol::Program) -> Self {
        Self::new(program.into_bytes())
    }
}

impl From<Bytes> for chia_protocol::Program {
    fn from(bytes: Bytes) -> Self {
        Self::from(bytes.into_vec())
    }
}

impl From<chia_bls::PublicKey> for G1Element {
    fn from(key: chia_bls::PublicKey) -> Self {
        Self::new(key.to_bytes())
    }
}

impl TryFrom<G1Element> for chia_bls::PublicKey {
    type Error = chia_bls::Error;

    /// Fails when the bytes are not a valid compressed G1 point.
    fn try_from(element: G1Element) -> Result<Self, chia_bls::Error> {
        Self::from_bytes(element.as_bytes())
    }
}

impl From<chia_bls::Signature> for G2Element {
    fn from(signature: chia_bls::Signature) -> Self {
        Self::new(signature.to_bytes())
    }
}

impl TryFrom<G2Element> for chia_bls::Signature {
    type Error = chia_bls::Error;

    /// Fails when the bytes are not a valid compressed G2 point.
    fn try_from(element: G2Element) -> Result<Self, chia_bls::Error> {
        Self::from_bytes(element.as_bytes())
    }
}

impl From<chia_protocol::Coin> for Coin {
    fn from(coin: chia_protocol::Coin) -> Self {
        Self::new(coin.parent_coin_info.into(), coin.puzzle_hash.into(), coin.amount)
    }
}

impl From<Coin> for chia_protocol::Coin {
    fn from(coin: Coin) -> Self {
        Self::new(coin.parent_coin_info.into(), coin.puzzle_hash.into(), coin.amount)
    }
}

impl From<chia_protocol::CoinSpend> for CoinSpend {
    fn from(spend: chia_protocol::CoinSpend) -> Self {
        Self::new(spend.coin.into(), spend.puzzle_reveal.into(), spend.solution.into())
    }
}

impl From<CoinSpend> for chia_protocol::CoinSpend {
    fn from(spend: CoinSpend) -> Self {
        Self::new(spend.coin.into(), spend.puzzle_reveal.into(), spend.solution.into())
    }
}

impl From<chia_protocol::SpendBundle> for SpendBundle {
    fn from(bundle: chia_protocol::SpendBundle) -> Self {
        Self::new(
            bundle.coin_spends.into_iter().map(CoinSpend::from).collect(),
            bundle.aggregated_signature.into(),
        )
    }
}

impl TryFrom<SpendBundle> for chia_protocol::SpendBundle {
    type Error = chia_bls::Error;

    /// Fails when the aggregated signature is not a valid compressed G2 point.
    fn try_from(bundle: SpendBundle) -> Result<Self, chia_bls::Error> {
        let signature = chia_bls::Signature::try_from(bundle.aggregated_signature)?;
        Ok(Self::new(
            bundle.coin_spends.into_iter().map(chia_protocol::CoinSpend::from).collect(),
            signature,
        ))
    }
}

impl From<chia_protocol::CoinRecord> for CoinRecord {
    fn from(record: chia_protocol::CoinRecord) -> Self {
        Self {
            coin: record.coin.into(),
            confirmed_block_index: record.confirmed_block_index,
            spent_block_index: record.spent_block_index,
            coinbase: record.coinbase,
            timestamp: record.timestamp,
            spent: Some(record.spent_block_index > 0),
        }
    }
}

impl From<CoinRecord> for chia_protocol::CoinRecord {
    /// `spent` is left behind: chia_rs derives it from `spent_block_index`, as the node does.
    fn from(record: CoinRecord) -> Self {
        Self::new(
            record.coin.into(),
            record.confirmed_block_index,
            record.spent_block_index,
            record.coinbase,
            record.timestamp,
        )
    }
}

#[cfg(test)]
mod tests {
    // Test code: a failed unwrap is a failed test with its reason.
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn invalid_points_are_refused_not_panicked_on() {
        let not_a_point = G2Element::new([0xff; 96]);
        assert!(chia_bls::Signature::try_from(not_a_point).is_err());
        let bundle = SpendBundle::new(Vec::new(), not_a_point);
        assert!(chia_protocol::SpendBundle::try_from(bundle).is_err());
        assert!(chia_bls::PublicKey::try_from(G1Element::new([0x12; 48])).is_err());
    }

    #[test]
    fn infinity_converts_both_ways() {
        let infinity = G2Element::from(chia_bls::Signature::default());
        assert_eq!(infinity.as_bytes()[0], 0xc0);
        let back = chia_bls::Signature::try_from(infinity).unwrap();
        assert_eq!(back, chia_bls::Signature::default());
        let key = G1Element::from(chia_bls::PublicKey::default());
        assert_eq!(chia_bls::PublicKey::try_from(key).unwrap(), chia_bls::PublicKey::default());
    }

    #[test]
    fn coin_records_keep_every_field_and_derive_spent() {
        let coin = chia_protocol::Coin::new([7; 32].into(), [8; 32].into(), u64::MAX);
        for spent_at in [0, 12] {
            let theirs = chia_protocol::CoinRecord::new(coin, 10, spent_at, true, 1_700_000_000);
            let ours = CoinRecord::from(theirs);
            assert_eq!(ours.spent, Some(spent_at > 0));
            assert_eq!(ours.coin.coin_id(), Bytes32::from(coin.coin_id()));
            assert_eq!(chia_protocol::CoinRecord::from(ours), theirs);
        }
    }
}
