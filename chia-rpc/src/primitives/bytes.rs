//! Byte strings carried as hex: fixed-size hashes and keys, and variable-length programs.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::hex::{self, HexError};

macro_rules! fixed_bytes {
    ($(#[$doc:meta])* $name:ident, $len:literal) => {
        $(#[$doc])*
        ///
        /// Serialized as `0x`-prefixed lower-case hex; parsed with or without `0x`.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; $len]);

        impl $name {
            /// The number of bytes.
            pub const LEN: usize = $len;

            /// Wraps raw bytes.
            pub const fn new(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }

            /// The raw bytes.
            pub const fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self([0; $len])
            }
        }

        impl From<[u8; $len]> for $name {
            fn from(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }
        }

        impl From<$name> for [u8; $len] {
            fn from(bytes: $name) -> Self {
                bytes.0
            }
        }

        impl TryFrom<&[u8]> for $name {
            type Error = HexError;
            fn try_from(bytes: &[u8]) -> Result<Self, HexError> {
                <[u8; $len]>::try_from(bytes)
                    .map(Self)
                    .map_err(|_| HexError::WrongLength { expected: $len, actual: bytes.len() })
            }
        }

        impl AsRef<[u8]> for $name {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = [u8; $len];
            fn deref(&self) -> &[u8; $len] {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = HexError;
            fn from_str(text: &str) -> Result<Self, HexError> {
                hex::decode_array(text).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                hex::write(f, &self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl FromHex for $name {
            fn from_hex(text: &[u8]) -> Result<Self, HexError> {
                hex::decode_array_bytes(text).map(Self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_hex(
                    deserializer,
                    concat!("hex of ", stringify!($len), " bytes"),
                )
            }
        }
    };
}

fixed_bytes!(
    /// 4 bytes, e.g. a network's genesis challenge prefix or an index.
    Bytes4, 4
);
fixed_bytes!(
    /// 8 bytes.
    Bytes8, 8
);
fixed_bytes!(
    /// 32 bytes: hashes, coin ids, puzzle hashes, header hashes.
    Bytes32, 32
);
fixed_bytes!(
    /// 48 bytes.
    Bytes48, 48
);
fixed_bytes!(
    /// 96 bytes.
    Bytes96, 96
);
fixed_bytes!(
    /// 100 bytes: a VDF class group element.
    Bytes100, 100
);
fixed_bytes!(
    /// A BLS12-381 G1 element (public key), compressed to 48 bytes. Not checked to be on the curve.
    G1Element, 48
);
fixed_bytes!(
    /// A BLS12-381 G2 element (signature), compressed to 96 bytes. Not checked to be on the curve.
    G2Element, 96
);

/// A byte string of any length: serialized CLVM programs, solutions, memos, proofs.
///
/// Always sent with `0x`: the node refuses variable-length bytes without it.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(Vec<u8>);

impl Bytes {
    /// Wraps raw bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// The raw bytes, owned.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Self {
        bytes.0
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl FromStr for Bytes {
    type Err = HexError;
    fn from_str(text: &str) -> Result<Self, HexError> {
        hex::decode(text).map(Self)
    }
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        hex::write(f, &self.0)
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({self})")
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromHex for Bytes {
    fn from_hex(text: &[u8]) -> Result<Self, HexError> {
        hex::decode_bytes(text).map(Self)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_hex(deserializer, "hex bytes")
    }
}

/// Reads a hex string. serde_json hands a string asked for as bytes over without checking
/// that it is UTF-8, a check hex decoding makes anyway, so that is the usual way. A strict
/// decode asks for a string instead: the unknown-field tracker it runs under follows map keys
/// (some maps are keyed by hashes) only when they are read as strings.
fn deserialize_hex<'de, D: Deserializer<'de>, T: FromHex>(
    deserializer: D,
    expecting: &'static str,
) -> Result<T, D::Error> {
    let visitor = HexVisitor::<T>::new(expecting);
    if crate::decode::refuses_unknown_values() {
        deserializer.deserialize_str(visitor)
    } else {
        deserializer.deserialize_bytes(visitor)
    }
}

/// Decoding from the raw characters of a hex string.
trait FromHex: Sized {
    fn from_hex(text: &[u8]) -> Result<Self, HexError>;
}

/// Parses a [`FromHex`] type from a JSON string.
///
/// It takes the string as text or as its raw bytes, whichever the format offers.
struct HexVisitor<T> {
    expecting: &'static str,
    target: std::marker::PhantomData<T>,
}

impl<T> HexVisitor<T> {
    fn new(expecting: &'static str) -> Self {
        Self { expecting, target: std::marker::PhantomData }
    }
}

impl<T: FromHex> Visitor<'_> for HexVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::from_hex(text.as_bytes()).map_err(|err| E::custom(format_args!("{err} in {text:?}")))
    }

    fn visit_bytes<E: de::Error>(self, text: &[u8]) -> Result<T, E> {
        T::from_hex(text)
            .map_err(|err| E::custom(format_args!("{err} in {:?}", String::from_utf8_lossy(text))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes32_accepts_both_forms_and_writes_prefix() {
        let bare = "11".repeat(32);
        let a: Bytes32 = serde_json::from_str(&format!("\"{bare}\"")).unwrap();
        let b: Bytes32 = serde_json::from_str(&format!("\"0x{bare}\"")).unwrap();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"0x{bare}\""));
    }

    #[test]
    fn wrong_length_is_an_error() {
        let err = serde_json::from_str::<Bytes32>("\"0x1234\"").unwrap_err();
        assert!(err.to_string().contains("expected 32 bytes, got 2"), "{err}");
    }

    #[test]
    fn fixed_bytes_convert_from_and_to_slices_and_arrays() {
        let bytes = Bytes32::try_from(&[3u8; 32][..]).unwrap();
        assert_eq!(<[u8; 32]>::from(bytes), [3; 32]);
        assert_eq!(bytes.len(), 32);
        let err = Bytes32::try_from(&[3u8; 31][..]).unwrap_err();
        assert_eq!(err, HexError::WrongLength { expected: 32, actual: 31 });
    }

    #[test]
    fn hex_in_json_is_read_with_escapes_and_refused_when_not_hex() {
        let escaped: Bytes32 =
            serde_json::from_str(&format!("\"\\u0030x{}\"", "ab".repeat(32))).unwrap();
        assert_eq!(escaped, Bytes32::new([0xab; 32]));
        let err = serde_json::from_str::<Bytes>("\"0xfg\"").unwrap_err();
        assert!(
            err.to_string().contains("invalid hex character 'g' at offset 1 in \"0xfg\""),
            "{err}"
        );
        let err = serde_json::from_str::<Bytes>("[1, 2]").unwrap_err();
        assert!(err.to_string().contains("expected hex bytes"), "{err}");
        let from_value: Bytes = serde_json::from_value(serde_json::json!("0x0102")).unwrap();
        assert_eq!(from_value.as_slice(), &[1, 2]);
    }

    #[test]
    fn hashes_as_map_keys_decode() {
        let key = "ab".repeat(32);
        let map: std::collections::BTreeMap<Bytes32, u8> =
            serde_json::from_str(&format!("{{\"{key}\": 1, \"0x{}\": 2}}", "cd".repeat(32)))
                .unwrap();
        assert_eq!(map[&Bytes32::new([0xab; 32])], 1);
        assert_eq!(map[&Bytes32::new([0xcd; 32])], 2);
    }

    #[test]
    fn variable_bytes_round_trip() {
        let b: Bytes = serde_json::from_str("\"ff80\"").unwrap();
        assert_eq!(b.as_slice(), &[0xff, 0x80]);
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"0xff80\"");
    }
}
