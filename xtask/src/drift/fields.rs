//! Comparing the declared request and response fields of wallet endpoints.

use std::collections::{BTreeMap, BTreeSet};

use super::diff::{Changed, FieldDiff, Side};
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
}
