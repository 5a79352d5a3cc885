//! Comparing the routes of every service, schema against upstream.

use std::collections::BTreeSet;

use super::fields::compare_wallet_fields;
use super::report::{Report, ServiceReport};
use super::schema_model::SchemaService;
use super::upstream::{Routes, Upstream};

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

/// Compares the schema's services with what upstream serves.
pub fn compare(schema: &[SchemaService], upstream: &Upstream) -> Report {
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

    let services = names
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
        .collect();
    Report { services }
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
    use crate::drift::report::Totals;
    use crate::drift::testing::{find, present, service, upstream};
    use crate::drift::text_report::render_text;

    #[test]
    fn routes_added_and_removed() {
        let schema = vec![service("full_node", &["get_block", "get_gone"])];
        let up = upstream(&[("full_node", present(&["get_block", "get_new", "get_newer"]))]);
        let report = compare(&schema, &up);
        let node = find(&report, "full_node");
        assert_eq!(node.added, ["get_new", "get_newer"]);
        assert_eq!(node.removed, ["get_gone"]);
        assert_eq!((node.schema_count, node.upstream_count), (Some(2), Some(3)));
        assert_eq!(report.totals(), Totals { added: 2, removed: 1, changed: 0 });
    }

    #[test]
    fn identical_routes_are_clean() {
        let mut shared = service("shared", &["healthz"]);
        shared.shared = true;
        let schema = vec![shared, service("harvester", &["get_plots"])];
        let up =
            upstream(&[("shared", present(&["healthz"])), ("harvester", present(&["get_plots"]))]);
        let report = compare(&schema, &up);
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
        let report = compare(&schema, &up);
        let s = find(&report, "simulator");
        assert_eq!(s.added, ["revert_blocks"]);
        assert_eq!(s.removed, ["get_auto_farming"]);
        assert_eq!(s.upstream_count, Some(2));
        assert_eq!(s.minus.as_deref(), Some("full_node"));
        // Without a schema file, the simulator is still reduced by the full node.
        let report = compare(&[], &up);
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
        let report = compare(&schema, &up);
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
        let report = compare(&[node], &up);
        let s = find(&report, "full_node");
        assert_eq!(s.removed, ["get_gone"]);
        assert_eq!(s.newer, [("get_constants".to_owned(), "2.6.0".to_owned())]);
        assert_eq!(report.totals().removed, 1);
        assert!(version_newer("2.10.0", "2.9.1"));
        assert!(version_newer("2.6.0", "2.5.7"));
        assert!(!version_newer("2.5.7", "2.5.7"));
        assert!(!version_newer("2.6.0", "unknown"));
    }
}
