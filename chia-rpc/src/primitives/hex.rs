//! Hex text as Chia writes it: `0x` optional on input, always written on output.

use std::fmt;

/// Why a hex string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HexError {
    /// A character other than `0-9a-fA-F` at this byte offset (after any `0x`).
    #[error("invalid hex character {character:?} at offset {offset}")]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its position after the optional `0x`.
        offset: usize,
    },
    /// An odd number of hex digits.
    #[error("odd number of hex digits ({0})")]
    OddLength(usize),
    /// The wrong number of bytes for a fixed-size type.
    #[error("expected {expected} bytes, got {actual}")]
    WrongLength {
        /// Bytes the type holds.
        expected: usize,
        /// Bytes the text held.
        actual: usize,
    },
}

fn digit(c: u8, offset: usize) -> Result<u8, HexError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(HexError::InvalidCharacter { character: char::from(c), offset }),
    }
}

/// Strips an optional `0x`/`0X` prefix.
fn strip_prefix(text: &str) -> &str {
    text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text)
}

/// Decodes hex, with or without `0x`, into a new vector.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    let digits = strip_prefix(text).as_bytes();
    if !digits.len().is_multiple_of(2) {
        return Err(HexError::OddLength(digits.len()));
    }
    digits
        .chunks_exact(2)
        .enumerate()
        .map(|(i, pair)| Ok(digit(pair[0], 2 * i)? << 4 | digit(pair[1], 2 * i + 1)?))
        .collect()
}

/// Decodes hex, with or without `0x`, into exactly `N` bytes.
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
    let digits = strip_prefix(text).as_bytes();
    if digits.len() != 2 * N {
        if !digits.len().is_multiple_of(2) {
            return Err(HexError::OddLength(digits.len()));
        }
        return Err(HexError::WrongLength { expected: N, actual: digits.len() / 2 });
    }
    let mut out = [0u8; N];
    for (i, pair) in digits.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0], 2 * i)? << 4 | digit(pair[1], 2 * i + 1)?;
    }
    Ok(out)
}

/// Writes `0x` and lower-case hex.
pub fn write(f: &mut impl fmt::Write, bytes: &[u8]) -> fmt::Result {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    f.write_str("0x")?;
    for byte in bytes {
        f.write_char(char::from(DIGITS[usize::from(byte >> 4)]))?;
        f.write_char(char::from(DIGITS[usize::from(byte & 0xf)]))?;
    }
    Ok(())
}

/// `0x`-prefixed lower-case hex of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + 2 * bytes.len());
    // Writing into a String cannot fail.
    let _ = write(&mut out, bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_and_without_prefix() {
        assert_eq!(decode("0x00ff10").unwrap(), vec![0, 255, 16]);
        assert_eq!(decode("00FF10").unwrap(), vec![0, 255, 16]);
        assert_eq!(encode(&[0, 255, 16]), "0x00ff10");
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(decode("0xabc"), Err(HexError::OddLength(3)));
        assert_eq!(decode("0xzz"), Err(HexError::InvalidCharacter { character: 'z', offset: 0 }));
        assert_eq!(
            decode_array::<2>("0x00"),
            Err(HexError::WrongLength { expected: 2, actual: 1 })
        );
    }
}
