//! Comparing the routes of every service and the codes of structured errors, schema against
//! upstream.

use std::collections::BTreeSet;

use super::fields::compare_wallet_fields;
use super::report::{ErrorCodeReport, Report, ServiceReport};
use super::schema_model::{Schema, SchemaErrorCodes, SchemaService};
use super::upstream::{ErrorCodeList, Routes, Upstream};

/// Upstream services in report order; schema-only services follow.
const KNOWN: [&str; 11] = [
    "shared",
    "full_node",
    "simulator",
    "wallet",
    "farmer",
    "harvester",
    "data_layer",
    "crawler",
    "timelord",
    "solver",
    "daemon",
];

/// Upstream services whose API class extends another one's (the simulator's serves the full
/// node's routes too). A schema `extends` says the same and takes precedence.
const UPSTREAM_EXTENDS: [(&str, &str); 1] = [("simulator", "full_node")];

/// Compares the schema's services and error codes with what upstream serves.
pub fn compare(schema: &Schema, upstream: &Upstream) -> Report {
    Report {
        services: compare_services(&schema.services, upstream),
        error_codes: compare_error_codes(schema.error_codes.as_ref(), &upstream.error_codes),
    }
}

/// Compares the schema's services with upstream's, in report order.
fn compare_services(schema: &[SchemaService], upstream: &Upstream) -> Vec<ServiceReport> {
    let mut names: Vec<String> = KNOWN.iter().map(|s| (*s).to_owned()).collect();
    let mut extra: Vec<String> = schema
        .iter()
        .filter(|s| !s.shared && !names.contains(&s.name))
        .map(|s| s.name.clone())
        .chain(upstream.services.keys().filter(|n| !KNOWN.contains(&n.as_str())).cloned())
        .collect();
    extra.sort();
    extra.dedup();
    names.extend(extra);

    names
        .iter()
        .filter_map(|name| {
            let schema_service = if name == "shared" {
                schema.iter().find(|s| s.shared)
            } else {
                schema.iter().find(|s| !s.shared && &s.name == name)
            };
            let report = compare_service(name, schema_service, upstream);
            // A service neither side knows is not worth a line.
            let unknown = schema_service.is_none() && !upstream.services.contains_key(name);
            (!unknown).then_some(report)
        })
        .collect()
}

/// Compares the schema's error codes with upstream's. Codes upstream lacks are drift only when
/// upstream has codes at all: older releases have none.
fn compare_error_codes(
    schema: Option<&SchemaErrorCodes>,
    upstream: &ErrorCodeList,
) -> ErrorCodeReport {
    let schema_codes: BTreeSet<&str> =
        schema.iter().flat_map(|s| &s.codes).map(String::as_str).collect();
    let mut report = ErrorCodeReport {
        schema_count: schema.map(|s| s.codes.len()),
        schema_source: schema.map(|s| s.source.clone()),
        ..ErrorCodeReport::default()
    };
    match upstream {
        ErrorCodeList::Present { codes, source } => {
            let codes: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
            report.upstream_count = Some(codes.len());
            report.upstream_source = Some(source.clone());
            report.added = codes.difference(&schema_codes).map(|c| (*c).to_owned()).collect();
            report.removed = schema_codes.difference(&codes).map(|c| (*c).to_owned()).collect();
        }
        ErrorCodeList::Absent { note } => report.note = Some(note.clone()),
    }
    report
}

fn compare_service(
    name: &str,
    schema: Option<&SchemaService>,
    upstream: &Upstream,
) -> ServiceReport {
    let mut report = ServiceReport {
        name: name.to_owned(),
        schema_count: schema.map(|s| s.endpoints.len()),
        ..ServiceReport::default()
    };
    let schema_routes: BTreeSet<&str> =
        schema.iter().flat_map(|s| &s.endpoints).map(|e| e.name.as_str()).collect();

    let upstream_routes = match upstream.services.get(name) {
        Some(Routes::Present { routes, .. }) => {
            let base = schema.and_then(|s| s.extends.clone()).or_else(|| {
                UPSTREAM_EXTENDS.iter().find(|(s, _)| *s == name).map(|(_, b)| (*b).to_owned())
            });
            let mut own: BTreeSet<&str> = routes.iter().map(String::as_str).collect();
            if let Some(base) = base
                && let Some(Routes::Present { routes: base_routes, .. }) =
                    upstream.services.get(&base)
            {
                own.retain(|r| !base_routes.contains(*r));
                report.minus = Some(base);
            }
            report.upstream_count = Some(own.len());
            Some(own)
        }
        Some(Routes::Absent { note }) => {
            report.notes.push(note.clone());
            None
        }
        None => {
            report.notes.push("not looked up upstream".to_owned());
            None
        }
    };

    let missing: Vec<&str> = match &upstream_routes {
        Some(own) => {
            report.added = own.difference(&schema_routes).map(|r| (*r).to_owned()).collect();
            schema_routes.difference(own).copied().collect()
        }
        None => schema_routes.iter().copied().collect(),
    };
    for route in missing {
        let since = schema
            .and_then(|s| s.endpoints.iter().find(|e| e.name == route))
            .and_then(|e| e.since.clone());
        match since {
            Some(since) if version_newer(&since, &upstream.version) => {
                report.newer.push((route.to_owned(), since))
            }
            _ => report.removed.push(route.to_owned()),
        }
    }

    if name == "wallet"
        && let Some(schema) = schema
    {
        compare_wallet_fields(schema, &upstream.wallet, &mut report);
    }
    report
}

/// The numeric parts of a version (`2.5.0rc1` -> [2, 5, 0]).
fn version_numbers(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map_while(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// Whether release `a` comes after release `b`; false when either is not a version.
pub fn version_newer(a: &str, b: &str) -> bool {
    let (a, b) = (version_numbers(a), version_numbers(b));
    !a.is_empty() && !b.is_empty() && a > b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::json_report::render_json;
    use crate::drift::report::Totals;
    use crate::drift::testing::{find, present, schema_with, service, upstream};
    use crate::drift::text_report::render_text;

    /// A schema without services whose error codes are `codes`.
    fn schema_of_codes(codes: &[&str]) -> Schema {
        Schema {
            services: Vec::new(),
            error_codes: Some(SchemaErrorCodes {
                source: "schema/shared.yaml".to_owned(),
                codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            }),
        }
    }

    /// Upstream error codes `codes`.
    fn upstream_codes(codes: &[&str]) -> ErrorCodeList {
        ErrorCodeList::Present {
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            source: "chia.rpc.rpc_errors.RpcErrorCodes".to_owned(),
        }
    }

    #[test]
    fn routes_added_and_removed() {
        let schema = vec![service("full_node", &["get_block", "get_gone"])];
        let up = upstream(&[("full_node", present(&["get_block", "get_new", "get_newer"]))]);
        let report = compare(&schema_with(schema), &up);
        let node = find(&report, "full_node");
        assert_eq!(node.added, ["get_new", "get_newer"]);
        assert_eq!(node.removed, ["get_gone"]);
        assert_eq!((node.schema_count, node.upstream_count), (Some(2), Some(3)));
        assert_eq!(report.totals(), Totals { added: 2, removed: 1, ..Totals::default() });
    }

    #[test]
    fn identical_routes_are_clean() {
        let mut shared = service("shared", &["healthz"]);
        shared.shared = true;
        let schema = vec![shared, service("harvester", &["get_plots"])];
        let up =
            upstream(&[("shared", present(&["healthz"])), ("harvester", present(&["get_plots"]))]);
        let report = compare(&schema_with(schema), &up);
        assert!(report.totals().is_clean());
        let text = render_text(&report, &up, "venv");
        assert!(text.contains("shared: 1 in schema, 1 upstream\n"), "{text}");
        assert!(text.contains("no drift"), "{text}");
    }

    #[test]
    fn simulator_counts_only_routes_beyond_the_full_node() {
        let mut sim = service("simulator", &["farm_block", "get_auto_farming"]);
        sim.extends = Some("full_node".to_owned());
        let schema = vec![service("full_node", &["get_block"]), sim];
        let up = upstream(&[
            ("full_node", present(&["get_block"])),
            ("simulator", present(&["get_block", "farm_block", "revert_blocks"])),
        ]);
        let report = compare(&schema_with(schema), &up);
        let s = find(&report, "simulator");
        assert_eq!(s.added, ["revert_blocks"]);
        assert_eq!(s.removed, ["get_auto_farming"]);
        assert_eq!(s.upstream_count, Some(2));
        assert_eq!(s.minus.as_deref(), Some("full_node"));
        // Without a schema file, the simulator is still reduced by the full node.
        let report = compare(&Schema::default(), &up);
        assert_eq!(find(&report, "simulator").added, ["farm_block", "revert_blocks"]);
    }

    #[test]
    fn services_missing_on_either_side() {
        let schema = vec![service("solver", &["get_state"]), service("mystery", &[])];
        let up = upstream(&[
            ("solver", Routes::Absent { note: "not present in this version".to_owned() }),
            ("daemon", present(&["ping", "start_service"])),
            ("timelord", present(&[])),
        ]);
        let report = compare(&schema_with(schema), &up);
        let solver = find(&report, "solver");
        assert_eq!(solver.removed, ["get_state"]);
        assert_eq!(solver.upstream_count, None);
        let daemon = find(&report, "daemon");
        assert_eq!(daemon.schema_count, None);
        assert_eq!(daemon.added, ["ping", "start_service"]);
        assert!(find(&report, "timelord").added.is_empty());
        // A schema-only service is listed after the known ones; unknown services are skipped.
        assert_eq!(report.services.last().map(|s| s.name.as_str()), Some("mystery"));
        assert!(report.services.iter().all(|s| s.name != "farmer"));
        let text = render_text(&report, &up, "venv");
        assert!(text.contains("solver: 1 in schema, not in chia 9.9.9\n"), "{text}");
        assert!(text.contains("daemon: no schema file, 2 upstream\n  + ping\n"), "{text}");
        assert!(text.contains("  - get_state\n"), "{text}");
    }

    #[test]
    fn endpoints_newer_than_the_release_are_not_drift() {
        let mut node = service("full_node", &["get_block", "get_constants", "get_gone"]);
        node.endpoints[1].since = Some("2.6.0".to_owned());
        node.endpoints[2].since = Some("1.0.0".to_owned());
        let mut up = upstream(&[("full_node", present(&["get_block"]))]);
        up.version = "2.5.7".to_owned();
        let report = compare(&schema_with(vec![node]), &up);
        let s = find(&report, "full_node");
        assert_eq!(s.removed, ["get_gone"]);
        assert_eq!(s.newer, [("get_constants".to_owned(), "2.6.0".to_owned())]);
        assert_eq!(report.totals().removed, 1);
        assert!(version_newer("2.10.0", "2.9.1"));
        assert!(version_newer("2.6.0", "2.5.7"));
        assert!(!version_newer("2.5.7", "2.5.7"));
        assert!(!version_newer("2.6.0", "unknown"));
    }

    #[test]
    fn error_codes_added_and_removed_are_drift() {
        let schema = schema_of_codes(&["BLOCK_NOT_FOUND", "API_ERROR", "GONE"]);
        let mut up = upstream(&[]);
        up.error_codes = upstream_codes(&["API_ERROR", "BLOCK_NOT_FOUND", "NEW_ONE", "NEWER"]);
        let report = compare(&schema, &up);
        let codes = &report.error_codes;
        assert_eq!(codes.added, ["NEWER", "NEW_ONE"]);
        assert_eq!(codes.removed, ["GONE"]);
        assert_eq!((codes.schema_count, codes.upstream_count), (Some(3), Some(4)));
        let totals = report.totals();
        assert_eq!(totals, Totals { codes_added: 2, codes_removed: 1, ..Totals::default() });
        assert!(!totals.is_clean());
        let text = render_text(&report, &up, "venv");
        assert!(
            text.contains(
                "error codes: 3 in schema, 4 upstream\n  + NEWER\n  + NEW_ONE\n  - GONE\n"
            ),
            "{text}"
        );
        assert!(text.contains(", 3 error codes differ\n"), "{text}");
        let json = render_json(&report, &up, "venv");
        assert_eq!(json["error_codes"]["added"], serde_json::json!(["NEWER", "NEW_ONE"]));
        assert_eq!(json["error_codes"]["removed"], serde_json::json!(["GONE"]));
        assert_eq!(json["error_codes"]["schema_count"], 3);
        assert_eq!(json["total"]["error_codes_added"], 2);
        assert_eq!(json["drift"], true);

        // The same codes in any order: clean.
        up.error_codes = upstream_codes(&["GONE", "API_ERROR", "BLOCK_NOT_FOUND"]);
        let report = compare(&schema, &up);
        assert!(report.totals().is_clean());
        let text = render_text(&report, &up, "venv");
        assert!(text.contains("error codes: 3 in schema, 3 upstream\ntotal:"), "{text}");
        assert!(text.contains(", 0 error codes differ — no drift\n"), "{text}");
    }

    #[test]
    fn error_codes_absent_upstream_are_not_drift() {
        let schema = schema_of_codes(&["API_ERROR"]);
        let up = upstream(&[]);
        let report = compare(&schema, &up);
        assert!(report.error_codes.removed.is_empty());
        assert_eq!(report.error_codes.note.as_deref(), Some("not present in this version"));
        assert!(report.totals().is_clean());
        let text = render_text(&report, &up, "venv");
        assert!(
            text.contains(
                "error codes: 1 in schema, not in chia 9.9.9\n  (not present in this version)\n"
            ),
            "{text}"
        );
        let json = render_json(&report, &up, "venv");
        assert_eq!(json["error_codes"]["note"], "not present in this version");
        assert_eq!(json["error_codes"]["upstream_count"], serde_json::Value::Null);

        // Codes upstream without any in the schema are all missing from it.
        let mut up = upstream(&[]);
        up.error_codes = upstream_codes(&["API_ERROR"]);
        let report = compare(&Schema::default(), &up);
        assert_eq!(report.error_codes.added, ["API_ERROR"]);
        assert_eq!(report.totals().codes_added, 1);
        let text = render_text(&report, &up, "venv");
        assert!(text.contains("error codes: no error codes in schema, 1 upstream\n"), "{text}");
    }
}
