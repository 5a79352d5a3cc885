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

/// The value of each hex digit; [`NOT_HEX`] for every other byte.
static DIGITS: [u8; 256] = digit_table();

/// Marks a byte that is not a hex digit: any high bit set.
const NOT_HEX: u8 = 0xff;

const fn digit_table() -> [u8; 256] {
    let mut table = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
}

/// Strips an optional `0x`/`0X` prefix.
fn strip_prefix(digits: &[u8]) -> &[u8] {
    match digits {
        [b'0', b'x' | b'X', rest @ ..] => rest,
        _ => digits,
    }
}

/// Decodes `digits` (twice as many as `out` holds) into `out`. Validity is checked once for the
/// whole string, so the loop has no branch per digit; the slow path finds the culprit.
fn decode_into(digits: &[u8], out: &mut [u8]) -> Result<(), HexError> {
    let mut seen = 0u8;
    for (pair, byte) in digits.chunks_exact(2).zip(out.iter_mut()) {
        let (high, low) = (DIGITS[usize::from(pair[0])], DIGITS[usize::from(pair[1])]);
        seen |= high | low;
        *byte = high << 4 | low;
    }
    if seen & 0xf0 == 0 {
        return Ok(());
    }
    let offset = digits.iter().position(|&c| DIGITS[usize::from(c)] == NOT_HEX).unwrap_or(0);
    Err(HexError::InvalidCharacter { character: char::from(digits[offset]), offset })
}

/// Decodes hex bytes, with or without `0x`, into a new vector.
pub(crate) fn decode_bytes(text: &[u8]) -> Result<Vec<u8>, HexError> {
    let digits = strip_prefix(text);
    if !digits.len().is_multiple_of(2) {
        return Err(HexError::OddLength(digits.len()));
    }
    let mut out = vec![0u8; digits.len() / 2];
    decode_into(digits, &mut out)?;
    Ok(out)
}

/// Decodes hex bytes, with or without `0x`, into exactly `N` bytes.
pub(crate) fn decode_array_bytes<const N: usize>(text: &[u8]) -> Result<[u8; N], HexError> {
    let digits = strip_prefix(text);
    if digits.len() != 2 * N {
        if !digits.len().is_multiple_of(2) {
            return Err(HexError::OddLength(digits.len()));
        }
        return Err(HexError::WrongLength { expected: N, actual: digits.len() / 2 });
    }
    let mut out = [0u8; N];
    decode_into(digits, &mut out)?;
    Ok(out)
}

/// Decodes hex, with or without `0x`, into a new vector.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    decode_bytes(text.as_bytes())
}

/// Decodes hex, with or without `0x`, into exactly `N` bytes.
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
    decode_array_bytes(text.as_bytes())
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
        assert_eq!(decode("0x0g"), Err(HexError::InvalidCharacter { character: 'g', offset: 1 }));
        assert_eq!(
            decode_array::<2>("0x00"),
            Err(HexError::WrongLength { expected: 2, actual: 1 })
        );
        assert_eq!(
            decode_array::<2>("0X00 1"),
            Err(HexError::InvalidCharacter { character: ' ', offset: 2 })
        );
    }

    #[test]
    fn every_byte_round_trips_in_both_cases() {
        let all: Vec<u8> = (0..=255).collect();
        let text = encode(&all);
        assert_eq!(decode(&text).unwrap(), all);
        assert_eq!(decode(&text.to_uppercase()).unwrap(), all);
        for c in 0..=255u8 {
            let valid = c.is_ascii_hexdigit();
            assert_eq!(decode_array::<1>(&format!("0{}", char::from(c))).is_ok(), valid, "{c}");
        }
    }
}
