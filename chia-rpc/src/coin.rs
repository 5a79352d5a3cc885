//! What can be computed from a coin without asking a node.

use sha2::{Digest, Sha256};

use crate::Bytes32;
use crate::types::Coin;

impl Coin {
    /// The coin's id (its "name"): SHA-256 of the parent coin id, the puzzle hash and the amount
    /// as the shortest signed big-endian integer, exactly as the chain computes it.
    pub fn coin_id(&self) -> Bytes32 {
        let mut hasher = Sha256::new();
        hasher.update(self.parent_coin_info.as_bytes());
        hasher.update(self.puzzle_hash.as_bytes());
        hasher.update(clvm_int_bytes(self.amount));
        Bytes32::new(hasher.finalize().into())
    }
}

/// `amount` as CLVM writes an integer: big-endian, no redundant leading bytes, and a leading zero
/// when the top bit would otherwise read as a sign. Zero is the empty string.
fn clvm_int_bytes(amount: u64) -> Vec<u8> {
    let bytes = amount.to_be_bytes();
    let first = bytes.iter().position(|&byte| byte != 0).unwrap_or(bytes.len());
    let mut out = Vec::with_capacity(9);
    if bytes.get(first).is_some_and(|&byte| byte & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(&bytes[first..]);
    out
}

#[cfg(test)]
mod tests {
    use super::clvm_int_bytes;

    #[test]
    fn integers_are_minimal_and_positive() {
        assert_eq!(clvm_int_bytes(0), Vec::<u8>::new());
        assert_eq!(clvm_int_bytes(1), vec![1]);
        assert_eq!(clvm_int_bytes(0x7f), vec![0x7f]);
        assert_eq!(clvm_int_bytes(0x80), vec![0, 0x80]);
        assert_eq!(clvm_int_bytes(1000), vec![0x03, 0xe8]);
        assert_eq!(clvm_int_bytes(u64::MAX), vec![0, 255, 255, 255, 255, 255, 255, 255, 255]);
    }
}
