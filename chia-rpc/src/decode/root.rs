//! A deserializer adapter that takes the `success` key out of a reply's root object while the
//! response type decodes the rest, so a reply is read in one pass.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// Wraps the deserializer of a whole reply; `success` receives the root's `success` value.
pub(super) struct Root<'s, D> {
    inner: D,
    success: &'s mut Option<bool>,
}

impl<'s, D> Root<'s, D> {
    pub(super) fn new(inner: D, success: &'s mut Option<bool>) -> Self {
        Root { inner, success }
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Root<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(RootVisitor { inner: visitor, success: self.success })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    // A reply is always an object: every other request is answered as one.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct RootVisitor<'s, V> {
    inner: V,
    success: &'s mut Option<bool>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for RootVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(RootMap { inner: map, success: self.success })
    }
}

struct RootMap<'s, A> {
    inner: A,
    success: &'s mut Option<bool>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for RootMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<Key<'de>>()? else {
                return Ok(None);
            };
            let text = match &key {
                Key::Borrowed(text) => *text,
                Key::Owned(text) => text.as_str(),
            };
            if text == "success" {
                *self.success = Some(self.inner.next_value()?);
                continue;
            }
            return match key {
                Key::Borrowed(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
                Key::Owned(text) => seed.deserialize(StringDeserializer::new(text)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// An object key, borrowed from the input when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(text))
    }
}
