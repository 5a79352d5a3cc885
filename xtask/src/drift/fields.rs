//! Comparing the declared request and response fields of wallet endpoints.

use std::collections::{BTreeMap, BTreeSet};

use super::diff::{Changed, FieldDiff, KnownQuirk, Side, StaleQuirk};
use super::report::ServiceReport;
use super::schema_model::SchemaService;
use super::shape::{FieldSpec, compatible};
use super::upstream::WalletFields;

/// Adds to `report` the wallet endpoints whose fields differ from upstream's declared classes,
/// and notes on what could not be compared.
pub fn compare_wallet_fields(
    schema: &SchemaService,
    wallet: &WalletFields,
    report: &mut ServiceReport,
) {
    if schema.endpoints.is_empty() {
        return;
    }
    if let Some(note) = &wallet.note {
        report.notes.push(format!("fields not compared: {note}"));
        return;
    }
    let mut untyped = Vec::new();
    for endpoint in &schema.endpoints {
        let Some(up) = wallet.endpoints.get(&endpoint.name) else {
            if wallet.untyped.contains(&endpoint.name) {
                untyped.push(endpoint.name.as_str());
            }
            continue;
        };
        let no_extras = BTreeSet::new();
        let (req_extras, resp_extras) = if up.tx_endpoint {
            (&wallet.tx_request_extras, &wallet.tx_response_extras)
        } else {
            (&no_extras, &no_extras)
        };
        let mut diffs = compare_fields(Side::Request, &endpoint.request, &up.request, req_extras);
        diffs.extend(compare_fields(Side::Response, &endpoint.response, &up.response, resp_extras));
        let diffs = sort_out_quirks(&endpoint.name, &endpoint.quirks, diffs, report);
        if !diffs.is_empty() {
            report.changed.push(Changed {
                route: endpoint.name.clone(),
                classes: (up.request_class.clone(), up.response_class.clone()),
                diffs,
            });
        }
    }
    if !untyped.is_empty() {
        report.notes.push(format!(
            "fields not compared (no declared classes upstream): {}",
            untyped.join(", ")
        ));
    }
}

/// Moves the differences of endpoint `route` whose field one of its `quirks` names to the
/// report's acknowledged quirks, and reports each quirk whose field shows no difference as stale.
/// Returns the remaining differences: the drift.
fn sort_out_quirks(
    route: &str,
    quirks: &[(String, String)],
    diffs: Vec<FieldDiff>,
    report: &mut ServiceReport,
) -> Vec<FieldDiff> {
    let explanation =
        |field: &str| quirks.iter().find(|(name, _)| name == field).map(|(_, text)| text.clone());
    let mut drift = Vec::new();
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    for diff in diffs {
        match explanation(diff.field()) {
            Some(explanation) => {
                acknowledged.insert(diff.field().to_owned());
                report.quirks.push(KnownQuirk { route: route.to_owned(), diff, explanation });
            }
            None => drift.push(diff),
        }
    }
    for (field, explanation) in quirks {
        if !acknowledged.contains(field) {
            report.stale_quirks.push(StaleQuirk {
                route: route.to_owned(),
                field: field.clone(),
                explanation: explanation.clone(),
            });
        }
    }
    drift
}

/// Field differences of one side of an endpoint. `extras` are keys upstream reads or writes
/// besides the declared class's fields: the schema may have them, nobody misses them.
pub fn compare_fields(
    side: Side,
    schema: &[FieldSpec],
    upstream: &[FieldSpec],
    extras: &BTreeSet<String>,
) -> Vec<FieldDiff> {
    let by_name: BTreeMap<&str, &FieldSpec> =
        upstream.iter().map(|f| (f.name.as_str(), f)).collect();
    let mut diffs = Vec::new();
    for field in schema {
        let Some(up) = by_name.get(field.name.as_str()) else {
            if !extras.contains(&field.name) {
                diffs.push(FieldDiff::Removed {
                    side,
                    field: field.name.clone(),
                    schema: field.shape.clone(),
                });
            }
            continue;
        };
        let (schema_inner, schema_wrapped) = field.shape.strip();
        let (up_inner, up_nullable) = up.shape.strip();
        if !compatible(schema_inner, up_inner) {
            diffs.push(FieldDiff::Type {
                side,
                field: field.name.clone(),
                schema: field.shape.clone(),
                upstream: up.shape.clone(),
            });
            continue;
        }
        match side {
            Side::Request if field.may_omit != up.may_omit => diffs.push(FieldDiff::Presence {
                field: field.name.clone(),
                upstream_may_omit: up.may_omit,
            }),
            Side::Response if up_nullable && !schema_wrapped => diffs
                .push(FieldDiff::Null { field: field.name.clone(), schema: field.shape.clone() }),
            _ => {}
        }
    }
    let in_schema: BTreeSet<&str> = schema.iter().map(|f| f.name.as_str()).collect();
    for up in upstream {
        if !in_schema.contains(up.name.as_str()) {
            diffs.push(FieldDiff::Added {
                side,
                field: up.name.clone(),
                upstream: up.shape.clone(),
            });
        }
    }
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::compare::compare;
    use crate::drift::json_report::render_json;
    use crate::drift::report::Totals;
    use crate::drift::schema_model::Schema;
    use crate::drift::shape::Shape;
    use crate::drift::testing::{field, find, opt, present, prim, schema_with, service, upstream};
    use crate::drift::text_report::render_text;
    use crate::drift::upstream;

    #[test]
    fn field_differences() {
        let schema = [
            field("wallet_id", prim("u32"), false),
            field("amount", prim("u32"), false),
            field("fee", prim("u64"), false),
            field("memo", opt(prim("str")), true),
            field("exclude_coin_ids", opt(Shape::List(Box::new(prim("bytes32")))), true),
            field("invented", prim("bool"), false),
        ];
        let upstream = [
            field("wallet_id", prim("u32"), false),
            field("amount", prim("u64"), false),
            field("fee", prim("u64"), true),
            field("memo", prim("str"), false),
            field("address", prim("str"), false),
        ];
        let extras: BTreeSet<String> = ["exclude_coin_ids".to_owned()].into();
        let diffs = compare_fields(Side::Request, &schema, &upstream, &extras);
        assert_eq!(
            diffs,
            [
                FieldDiff::Type {
                    side: Side::Request,
                    field: "amount".to_owned(),
                    schema: prim("u32"),
                    upstream: prim("u64"),
                },
                FieldDiff::Presence { field: "fee".to_owned(), upstream_may_omit: true },
                FieldDiff::Presence { field: "memo".to_owned(), upstream_may_omit: false },
                FieldDiff::Removed {
                    side: Side::Request,
                    field: "invented".to_owned(),
                    schema: prim("bool"),
                },
                FieldDiff::Added {
                    side: Side::Request,
                    field: "address".to_owned(),
                    upstream: prim("str"),
                },
            ]
        );
        // Responses: null upstream needs optional / nullable in the schema.
        let schema = [field("name", prim("str"), false), field("id", opt(prim("bytes32")), true)];
        let upstream =
            [field("name", opt(prim("str")), false), field("id", prim("bytes32"), false)];
        let diffs = compare_fields(Side::Response, &schema, &upstream, &BTreeSet::new());
        assert_eq!(diffs, [FieldDiff::Null { field: "name".to_owned(), schema: prim("str") }]);
    }

    #[test]
    fn wallet_fields_become_changed_endpoints() {
        let mut wallet_schema = service("wallet", &["log_in", "get_sync_status", "cancel_offer"]);
        wallet_schema.endpoints[0].request = vec![field("fingerprint", prim("u64"), false)];
        wallet_schema.endpoints[0].response = vec![field("fingerprint", prim("u32"), false)];
        let mut up =
            upstream(&[("wallet", present(&["log_in", "get_sync_status", "cancel_offer"]))]);
        up.wallet = WalletFields {
            endpoints: [
                (
                    "log_in".to_owned(),
                    upstream::EndpointFields {
                        request_class: "LogIn".to_owned(),
                        response_class: "LogInResponse".to_owned(),
                        request: vec![field("fingerprint", prim("u32"), false)],
                        response: vec![field("fingerprint", prim("u32"), false)],
                        tx_endpoint: false,
                    },
                ),
                ("get_sync_status".to_owned(), upstream::EndpointFields::default()),
            ]
            .into(),
            untyped: ["cancel_offer".to_owned()].into(),
            source: Some("test".to_owned()),
            ..WalletFields::default()
        };
        let report = compare(&schema_with(vec![wallet_schema.clone()]), &up);
        let wallet = find(&report, "wallet");
        assert_eq!(wallet.changed.len(), 1);
        assert_eq!(wallet.changed[0].route, "log_in");
        assert_eq!(report.totals(), Totals { changed: 1, ..Totals::default() });
        assert!(wallet.notes.iter().any(|n| n.contains("cancel_offer")), "{:?}", wallet.notes);
        let text = render_text(&report, &up, "venv");
        assert!(
            text.contains("  ~ log_in: request field `fingerprint`: schema u64, upstream u32\n"),
            "{text}"
        );
        let json = render_json(&report, &up, "venv");
        assert_eq!(json["total"]["changed"], 1);
        assert_eq!(json["drift"], true);

        // Without upstream classes the fields are not compared, and the report says so.
        up.wallet =
            WalletFields { note: Some("no metadata".to_owned()), ..WalletFields::default() };
        let report = compare(&schema_with(vec![wallet_schema]), &up);
        let wallet = find(&report, "wallet");
        assert!(wallet.changed.is_empty());
        assert_eq!(wallet.notes, ["fields not compared: no metadata"]);
    }

    /// A wallet with endpoint `vc_add_proofs` and upstream classes for it: the schema has
    /// request `proofs` (a map) and response `count` (u32); upstream declares request
    /// `key_value_pairs` and response `count` (u64).
    fn quirky_wallet(quirks: &[(&str, &str)]) -> (Schema, upstream::Upstream) {
        let mut schema = service("wallet", &["vc_add_proofs"]);
        let endpoint = &mut schema.endpoints[0];
        endpoint.request =
            vec![field("proofs", Shape::Map(Box::new(prim("str")), Box::new(prim("str"))), false)];
        endpoint.response = vec![field("count", prim("u32"), false)];
        endpoint.quirks = quirks.iter().map(|(f, e)| ((*f).to_owned(), (*e).to_owned())).collect();
        let mut up = upstream(&[("wallet", present(&["vc_add_proofs"]))]);
        up.wallet = WalletFields {
            endpoints: [(
                "vc_add_proofs".to_owned(),
                upstream::EndpointFields {
                    request_class: "VCAddProofs".to_owned(),
                    response_class: "Empty".to_owned(),
                    request: vec![field(
                        "key_value_pairs",
                        Shape::List(Box::new(Shape::Tuple(vec![prim("str"), prim("str")]))),
                        false,
                    )],
                    response: vec![field("count", prim("u64"), false)],
                    tx_endpoint: false,
                },
            )]
            .into(),
            source: Some("test".to_owned()),
            ..WalletFields::default()
        };
        (schema_with(vec![schema]), up)
    }

    #[test]
    fn quirks_are_listed_but_not_drift() {
        let (schema, up) = quirky_wallet(&[
            ("proofs", "Upstream reads a plain object under `proofs`."),
            ("key_value_pairs", "Upstream's class field never travels."),
        ]);
        let report = compare(&schema, &up);
        let wallet = find(&report, "wallet");
        // `count` is not acknowledged: still drift.
        assert_eq!(wallet.changed.len(), 1);
        assert_eq!(
            wallet.changed[0].diffs,
            [FieldDiff::Type {
                side: Side::Response,
                field: "count".to_owned(),
                schema: prim("u32"),
                upstream: prim("u64"),
            }]
        );
        let fields: Vec<&str> = wallet.quirks.iter().map(|q| q.diff.field()).collect();
        assert_eq!(fields, ["proofs", "key_value_pairs"]);
        assert_eq!(wallet.quirks[0].explanation, "Upstream reads a plain object under `proofs`.");
        assert!(wallet.stale_quirks.is_empty());
        assert_eq!(report.totals(), Totals { changed: 1, quirks: 2, ..Totals::default() });
        let text = render_text(&report, &up, "venv");
        assert!(
            text.contains(
                "  = vc_add_proofs: request field `proofs` (map<str, str>) not declared upstream \
                 — quirk: Upstream reads a plain object under `proofs`.\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "  = vc_add_proofs: request field `key_value_pairs` (list<tuple<str, str>>) not in \
                 schema — quirk: Upstream's class field never travels.\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(", 1 with changed fields, 2 known quirks, 0 stale quirks,"),
            "{text}"
        );
        let json = render_json(&report, &up, "venv");
        let quirks = &json["services"][0]["quirks"];
        assert_eq!(quirks[0]["route"], "vc_add_proofs");
        assert_eq!(quirks[0]["field"], "proofs");
        assert_eq!(quirks[0]["explanation"], "Upstream reads a plain object under `proofs`.");
        assert_eq!(quirks[0]["diff"]["kind"], "removed");
        assert_eq!(quirks[1]["diff"]["kind"], "added");
        assert_eq!(json["total"]["changed"], 1);
        assert_eq!(json["total"]["quirks"], 2);

        // With `count` acknowledged as well, nothing is drift.
        let (schema, up) = quirky_wallet(&[
            ("proofs", "Upstream reads a plain object under `proofs`."),
            ("key_value_pairs", "Upstream's class field never travels."),
            ("count", "Upstream declares a wider integer than it sends."),
        ]);
        let report = compare(&schema, &up);
        let wallet = find(&report, "wallet");
        assert!(wallet.changed.is_empty());
        assert_eq!(wallet.quirks.len(), 3);
        let totals = report.totals();
        assert_eq!(totals, Totals { quirks: 3, ..Totals::default() });
        assert!(totals.is_clean());
        let text = render_text(&report, &up, "venv");
        assert!(
            text.contains(", 0 with changed fields, 3 known quirks, 0 stale quirks, 0 error codes differ — no drift\n"),
            "{text}"
        );
        let json = render_json(&report, &up, "venv");
        assert_eq!(json["drift"], false);
        assert_eq!(json["services"][0]["changed"], serde_json::json!([]));
    }

    #[test]
    fn quirks_of_fields_that_no_longer_differ_are_stale() {
        let (schema, up) = quirky_wallet(&[
            ("proofs", "Upstream reads a plain object under `proofs`."),
            ("key_value_pairs", "Upstream's class field never travels."),
            ("count", "Upstream declares a wider integer than it sends."),
            ("fixed", "Upstream used to declare this wrongly."),
        ]);
        let report = compare(&schema, &up);
        let wallet = find(&report, "wallet");
        assert!(wallet.changed.is_empty());
        assert_eq!(wallet.quirks.len(), 3);
        assert_eq!(
            wallet.stale_quirks,
            [StaleQuirk {
                route: "vc_add_proofs".to_owned(),
                field: "fixed".to_owned(),
                explanation: "Upstream used to declare this wrongly.".to_owned(),
            }]
        );
        let totals = report.totals();
        assert_eq!(totals, Totals { quirks: 3, stale_quirks: 1, ..Totals::default() });
        assert!(!totals.is_clean());
        let text = render_text(&report, &up, "venv");
        assert!(
            text.contains("  ! vc_add_proofs: quirk `fixed` no longer differs upstream\n"),
            "{text}"
        );
        assert!(
            text.contains(", 0 with changed fields, 3 known quirks, 1 stale quirks,"),
            "{text}"
        );
        assert!(!text.contains("no drift"), "{text}");
        let json = render_json(&report, &up, "venv");
        let stale = &json["services"][0]["stale_quirks"];
        assert_eq!(stale[0]["route"], "vc_add_proofs");
        assert_eq!(stale[0]["field"], "fixed");
        assert_eq!(stale[0]["explanation"], "Upstream used to declare this wrongly.");
        assert_eq!(json["total"]["stale_quirks"], 1);
        assert_eq!(json["drift"], true);

        // Once upstream's class matches the schema, every quirk of the endpoint is stale.
        let (schema, mut up) = quirky_wallet(&[("count", "Upstream declares a wider integer.")]);
        if let Some(fields) = up.wallet.endpoints.get_mut("vc_add_proofs") {
            fields.request = vec![field(
                "proofs",
                Shape::Map(Box::new(prim("str")), Box::new(prim("str"))),
                false,
            )];
            fields.response = vec![field("count", prim("u32"), false)];
        }
        let report = compare(&schema, &up);
        let wallet = find(&report, "wallet");
        assert!(wallet.changed.is_empty() && wallet.quirks.is_empty());
        let stale: Vec<&str> = wallet.stale_quirks.iter().map(|q| q.field.as_str()).collect();
        assert_eq!(stale, ["count"]);
        assert_eq!(report.totals().stale_quirks, 1);

        // Where upstream declares no classes, quirks cannot be checked and are not stale.
        let (schema, mut up) = quirky_wallet(&[("count", "Upstream declares a wider integer.")]);
        up.wallet =
            WalletFields { note: Some("no metadata".to_owned()), ..WalletFields::default() };
        let report = compare(&schema, &up);
        assert!(find(&report, "wallet").stale_quirks.is_empty());
        assert!(report.totals().is_clean());
    }
}
