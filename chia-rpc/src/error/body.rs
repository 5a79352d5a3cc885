//! A reply body kept inside an error: shared, not copied, and never printed whole.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

/// How many bytes of a body `Debug` and `Display` show.
const PREVIEW_BYTES: usize = 256;

/// The bytes a service sent, kept by an error for inspection.
///
/// Cloning shares the bytes. `Debug` and [`Body::preview`] show the length and at most the first
/// 256 bytes, so logging an error never dumps a multi-megabyte block; the bytes of an endpoint
/// whose replies carry secrets (keys, mnemonics) are never shown at all. [`Body::bytes`] gives
/// the whole body.
#[derive(Clone, PartialEq, Eq)]
pub struct Body {
    bytes: Bytes,
    sensitive: bool,
}

impl Body {
    /// Wraps the bytes of a reply.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Body { bytes: bytes.into(), sensitive: false }
    }

    /// Wraps the bytes of a reply that may carry secrets: they are never shown.
    pub fn sensitive(bytes: impl Into<Bytes>) -> Self {
        Body { bytes: bytes.into(), sensitive: true }
    }

    /// The whole body.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The whole body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Whether the body may carry secrets and is therefore never shown.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }

    /// At most the first 256 bytes as text, with `…` when there is more; `<redacted>` for a
    /// sensitive body.
    pub fn preview(&self) -> String {
        if self.sensitive {
            return "<redacted>".to_owned();
        }
        let mut end = self.bytes.len().min(PREVIEW_BYTES);
        // Do not cut a UTF-8 sequence in half.
        while end < self.bytes.len() && end > 0 && (self.bytes[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        let mut text = String::from_utf8_lossy(&self.bytes[..end]).into_owned();
        if end < self.bytes.len() {
            text.push('…');
        }
        text
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body").field("len", &self.len()).field("preview", &self.preview()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_large_body_is_short() {
        let body = Body::new(vec![b'x'; 10 * 1024 * 1024]);
        let text = format!("{body:?}");
        assert!(text.len() < 400, "{} bytes", text.len());
        assert!(text.contains("10485760"), "{text}");
        assert_eq!(body.bytes().len(), 10 * 1024 * 1024);
    }

    #[test]
    fn a_sensitive_body_is_never_shown() {
        let body = Body::sensitive(&b"{\"mnemonic\": \"abandon abandon\"}"[..]);
        assert!(!format!("{body:?}").contains("abandon"));
        assert_eq!(body.preview(), "<redacted>");
    }

    #[test]
    fn the_preview_does_not_split_a_character() {
        let mut bytes = vec![b'a'; 255];
        bytes.extend("é and more".as_bytes());
        let preview = Body::new(bytes).preview();
        assert!(preview.ends_with("a…"), "{preview}");
    }
}
