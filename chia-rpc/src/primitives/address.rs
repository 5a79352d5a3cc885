//! Bech32m addresses (`xch1…`, `txch1…`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Bytes32;

/// A bech32m address: a human-readable prefix (`xch`, `txch`, …) and a 32-byte puzzle hash.
///
/// Parsing checks the bech32m checksum, so a mistyped address is refused before it is sent.
/// Bech32m is case-insensitive: an address is kept, compared, hashed and written in its
/// lower-case form, so `XCH1…` and `xch1…` of the same puzzle hash are equal.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    text: String,
    puzzle_hash: Bytes32,
}

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address {text:?}: {reason}")]
pub struct AddressError {
    text: String,
    reason: String,
}

impl Address {
    /// Encodes a puzzle hash with a prefix (`xch` on mainnet, `txch` on testnets).
    pub fn encode(prefix: &str, puzzle_hash: Bytes32) -> Result<Self, AddressError> {
        let hrp = bech32::Hrp::parse(prefix)
            .map_err(|err| AddressError { text: prefix.to_owned(), reason: err.to_string() })?;
        let text = bech32::encode::<bech32::Bech32m>(hrp, puzzle_hash.as_bytes())
            .map_err(|err| AddressError { text: prefix.to_owned(), reason: err.to_string() })?;
        Ok(Self { text: text.to_ascii_lowercase(), puzzle_hash })
    }

    /// The human-readable prefix, e.g. `xch`: everything before the last `1`.
    pub fn prefix(&self) -> &str {
        self.text.rsplit_once('1').map_or("", |(hrp, _)| hrp)
    }

    /// Checks that the address belongs to the network whose prefix is `expected` (`xch` on
    /// mainnet, `txch` on testnets; `get_network_info` tells a node's).
    pub fn check_prefix(&self, expected: &str) -> Result<(), AddressError> {
        if self.prefix().eq_ignore_ascii_case(expected) {
            Ok(())
        } else {
            Err(AddressError {
                text: self.text.clone(),
                reason: format!("its prefix is `{}`, not `{expected}`", self.prefix()),
            })
        }
    }

    /// The puzzle hash the address encodes.
    pub fn puzzle_hash(&self) -> Bytes32 {
        self.puzzle_hash
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for Address {
    type Err = AddressError;
    fn from_str(text: &str) -> Result<Self, AddressError> {
        let fail = |reason: String| AddressError { text: text.to_owned(), reason };
        let checked = bech32::primitives::decode::CheckedHrpstring::new::<bech32::Bech32m>(text)
            .map_err(|err| fail(err.to_string()))?;
        let data: Vec<u8> = checked.byte_iter().collect();
        let puzzle_hash: [u8; 32] = data
            .try_into()
            .map_err(|data: Vec<u8>| fail(format!("holds {} bytes, not 32", data.len())))?;
        Ok(Self { text: text.to_ascii_lowercase(), puzzle_hash: Bytes32::new(puzzle_hash) })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({})", self.text)
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_parses_back() {
        let address = Address::encode("txch", Bytes32::new([7; 32])).unwrap();
        assert!(address.as_str().starts_with("txch1"));
        let parsed: Address = address.as_str().parse().unwrap();
        assert_eq!(parsed.puzzle_hash(), Bytes32::new([7; 32]));
        assert_eq!(parsed.prefix(), "txch");
    }

    #[test]
    fn refuses_a_bad_checksum() {
        let mut text = Address::encode("xch", Bytes32::new([1; 32])).unwrap().to_string();
        let last = text.pop().unwrap();
        text.push(if last == 'q' { 'p' } else { 'q' });
        assert!(text.parse::<Address>().is_err());
    }

    #[test]
    fn upper_and_lower_case_are_the_same_address() {
        let lower = Address::encode("xch", Bytes32::new([9; 32])).unwrap();
        let upper: Address = lower.as_str().to_ascii_uppercase().parse().unwrap();
        assert_eq!(upper, lower);
        assert_eq!(upper.as_str(), lower.as_str());
    }

    #[test]
    fn the_prefix_ends_at_the_last_one() {
        let address = Address::encode("my1net", Bytes32::new([2; 32])).unwrap();
        let parsed: Address = address.as_str().parse().unwrap();
        assert_eq!(parsed.prefix(), "my1net");
        assert!(parsed.check_prefix("my1net").is_ok());
        let err = parsed.check_prefix("xch").unwrap_err();
        assert!(err.to_string().contains("not `xch`"), "{err}");
    }
}
