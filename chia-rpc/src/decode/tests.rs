use super::*;
use crate::RpcErrorCode;

#[derive(Debug, Deserialize, PartialEq)]
struct Reply {
    space: u128,
    peak: Option<Peak>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Peak {
    height: u32,
}

fn reply<T: DeserializeOwned>(body: &'static [u8], strictness: Strictness) -> Result<T> {
    decode_reply::<T>("get_x", Bytes::from_static(body), strictness)
}

#[test]
fn keeps_u128_above_u64() {
    let body =
        br#"{"success": true, "space": 340282366920938463463374607431768211455, "peak": null}"#;
    let reply: Reply = reply(body, Strictness::Strict).unwrap();
    assert_eq!(reply.space, u128::MAX);
}

#[test]
fn success_may_come_anywhere_and_is_not_an_unknown_field() {
    let body = br#"{"space": 1, "peak": {"height": 2}, "success": true}"#;
    let reply: Reply = reply(body, Strictness::Strict).unwrap();
    assert_eq!(reply.peak, Some(Peak { height: 2 }));
}

#[test]
fn a_success_reply_with_a_non_string_error_key_decodes() {
    let body = br#"{"success": true, "space": 1, "peak": null, "error": {"odd": 1}}"#;
    assert!(reply::<Reply>(body, Strictness::Lenient).is_ok());
}

#[test]
fn names_the_path_of_a_bad_value() {
    let body = br#"{"success": true, "space": 1, "peak": {"height": "high"}}"#;
    let err = reply::<Reply>(body, Strictness::Lenient).unwrap_err();
    let failure = err.decode_failure().unwrap();
    assert_eq!(failure.path, "peak.height");
    assert!(failure.body.text().contains("high"));
}

#[test]
fn strict_refuses_unknown_fields_lenient_does_not() {
    let body = br#"{"success": true, "space": 1, "peak": {"height": 2, "new": 1}, "more": 2}"#;
    assert!(reply::<Reply>(body, Strictness::Lenient).is_ok());
    let err = reply::<Reply>(body, Strictness::Strict).unwrap_err();
    let failure = err.decode_failure().unwrap();
    assert_eq!(failure.path, "peak.new");
    assert_eq!(failure.message, "a field the model does not know (and 1 more: more)");
}

#[test]
fn failure_envelope_becomes_rpc_error() {
    let body = br#"{"success": false, "error": "no block", "structuredError": {"code": "BLOCK_NOT_FOUND", "message": "no block", "data": {"h": 1}}, "traceback": "tb"}"#;
    let err = reply::<Reply>(body, Strictness::Strict).unwrap_err();
    let failure = err.rpc_failure().unwrap();
    assert_eq!(failure.code, Some(RpcErrorCode::BlockNotFound));
    assert_eq!(failure.message, "no block");
    assert_eq!(failure.traceback.as_deref(), Some("tb"));
}

#[test]
fn a_failure_whose_fields_would_fit_the_response_is_still_a_failure() {
    #[derive(Debug, Deserialize)]
    struct Empty {}
    let err =
        reply::<Empty>(br#"{"success": false, "error": "down"}"#, Strictness::Lenient).unwrap_err();
    assert_eq!(err.rpc_failure().unwrap().message, "down");
}

#[test]
fn a_failure_with_only_an_errors_list_keeps_them() {
    let body = br#"{"success": false, "errors": ["unknown level: LOUD", 3], "level": "INFO"}"#;
    let err = reply::<Reply>(body, Strictness::Lenient).unwrap_err();
    assert_eq!(err.rpc_failure().unwrap().message, "unknown level: LOUD; 3");
}

#[test]
fn garbage_and_missing_success_are_decode_errors() {
    for body in [&b"<html>"[..], b"{\"x\": 1}", b"", b"{\"success\": true} trailing", b"[1]"] {
        let err =
            reply::<serde::de::IgnoredAny>(body_static(body), Strictness::Lenient).unwrap_err();
        assert!(err.decode_failure().is_some(), "{body:?}: {err}");
    }
}

fn body_static(body: &[u8]) -> &'static [u8] {
    Box::leak(body.to_vec().into_boxed_slice())
}

#[test]
fn a_missing_success_is_named() {
    let err = reply::<Reply>(br#"{"space": 1, "peak": null}"#, Strictness::Lenient).unwrap_err();
    assert_eq!(err.decode_failure().unwrap().message, "the reply has no `success` field");
}

#[test]
fn strictness_does_not_outlive_the_decode() {
    let _ = reply::<Reply>(br#"{"success": true}"#, Strictness::Strict);
    assert!(!refuses_unknown_values());
}

#[test]
fn messages_quoting_huge_values_are_cut() {
    let long = "x".repeat(100_000);
    let body = format!(r#"{{"success": true, "space": 1, "peak": {{"height": "{long}"}}}}"#);
    let err = decode_reply::<Reply>("x", Bytes::from(body), Strictness::Lenient).unwrap_err();
    let message = &err.decode_failure().unwrap().message;
    assert!(message.chars().count() <= 301, "{} characters", message.chars().count());
    assert!(message.ends_with('…'), "{message}");
}

#[test]
fn messages_of_sensitive_replies_quote_nothing() {
    assert_eq!(
        bounded_message(r#"invalid type: string "abandon ability", expected u32"#, true),
        r#"invalid type: string "…", expected u32"#
    );
    assert_eq!(bounded_message("unknown variant `secret`", true), "unknown variant `…`");
    assert_eq!(bounded_message("plain", false), "plain");
}
