//! The daemon's message envelope: `{command, ack, data, request_id, destination, origin}`.

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Writes a request envelope around `data`, which must be a JSON object's text.
pub(super) fn request(
    command: &str,
    data: &str,
    request_id: &str,
    destination: &str,
    origin: &str,
) -> String {
    let quote = |text: &str| serde_json::Value::from(text).to_string();
    format!(
        "{{\"command\":{},\"ack\":false,\"data\":{data},\"request_id\":{},\"destination\":{},\"origin\":{}}}",
        quote(command),
        quote(request_id),
        quote(destination),
        quote(origin),
    )
}

/// A message as it came, its `data` left as text.
#[derive(Debug, Deserialize)]
pub(super) struct Incoming<'a> {
    #[serde(default)]
    pub(super) command: String,
    #[serde(default)]
    pub(super) ack: bool,
    #[serde(default)]
    pub(super) request_id: String,
    #[serde(default)]
    pub(super) destination: String,
    #[serde(default)]
    pub(super) origin: String,
    #[serde(borrow, default)]
    pub(super) data: Option<&'a RawValue>,
}

impl<'a> Incoming<'a> {
    /// Reads the envelope of `text`; `None` when it is not one.
    pub(super) fn parse(text: &'a str) -> Option<Incoming<'a>> {
        serde_json::from_str(text).ok()
    }

    /// The `data` of the message as a slice of `message` (the bytes `text` was read from), so
    /// it is not copied; `{}` when the message has none.
    pub(super) fn data_bytes(&self, message: &Bytes) -> Bytes {
        match self.data {
            Some(raw) => message.slice_ref(raw.get().as_bytes()),
            None => Bytes::from_static(b"{}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_one_json_object_with_the_data_inline() {
        let text = request("get_keys", "{\"include_secrets\":false}", "ab", "daemon", "me \"q\"");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["data"]["include_secrets"], false);
        assert_eq!(value["origin"], "me \"q\"");
        assert_eq!(value["ack"], false);
    }

    #[test]
    fn the_data_of_a_reply_is_a_slice_of_the_message() {
        let message = Bytes::from_static(
            b"{\"ack\": true, \"command\": \"ping\", \"data\": {\"success\": true, \"value\": \"pong\"}, \"request_id\": \"1\"}",
        );
        let text = std::str::from_utf8(&message).expect("UTF-8");
        let incoming = Incoming::parse(text).expect("an envelope");
        assert!(incoming.ack);
        assert_eq!(incoming.request_id, "1");
        let data = incoming.data_bytes(&message);
        assert_eq!(&data[..], b"{\"success\": true, \"value\": \"pong\"}");
        assert!(Incoming::parse("[1]").is_none());
    }
}
