//! Decoding the string enums of the generated code: known values become variants, unknown ones
//! are kept — or refused, in a strict decode.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

use super::refuses_unknown_values;

/// Reads a string enum. `known` maps a wire string to its variant; a string it does not know
/// becomes `other(string)`, or an error naming the `expected` strings when the decode is strict.
pub fn string_enum<'de, D, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
    expected: &'static [&'static str],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(EnumVisitor { known, other, expected, value: PhantomData })
}

struct EnumVisitor<T> {
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
    expected: &'static [&'static str],
    value: PhantomData<T>,
}

impl<T> Visitor<'_> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        match (self.known)(text) {
            Some(value) => Ok(value),
            None if refuses_unknown_values() => Err(E::unknown_variant(text, self.expected)),
            None => Ok((self.other)(text.to_owned())),
        }
    }
}
