//! The report as a JSON document, for tools.

use serde_json::{Value, json};

use super::diff::{FieldDiff, Side};
use super::report::{ErrorCodeReport, Report};
use super::upstream::{Routes, Upstream};

/// The report as JSON.
pub fn render_json(report: &Report, upstream: &Upstream, label: &str) -> Value {
    let services: Vec<Value> = report
        .services
        .iter()
        .map(|s| {
            let source = match upstream.services.get(&s.name) {
                Some(Routes::Present { source, .. }) => Some(source.clone()),
                _ => None,
            };
            json!({
                "service": s.name,
                "schema_count": s.schema_count,
                "upstream_count": s.upstream_count,
                "upstream_minus": s.minus,
                "upstream_source": source,
                "notes": s.notes,
                "added": s.added,
                "removed": s.removed,
                "newer": s.newer.iter().map(|(route, since)| json!({
                    "route": route, "since": since,
                })).collect::<Vec<_>>(),
                "changed": s.changed.iter().map(|c| json!({
                    "route": c.route,
                    "request_class": c.classes.0,
                    "response_class": c.classes.1,
                    "diffs": c.diffs.iter().map(FieldDiff::to_json).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "quirks": s.quirks.iter().map(|q| json!({
                    "route": q.route,
                    "field": q.diff.field(),
                    "explanation": q.explanation,
                    "diff": q.diff.to_json(),
                })).collect::<Vec<_>>(),
                "stale_quirks": s.stale_quirks.iter().map(|q| json!({
                    "route": q.route,
                    "field": q.field,
                    "explanation": q.explanation,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let t = report.totals();
    json!({
        "chia_version": upstream.version,
        "python": upstream.python,
        "venv": label,
        "wallet_fields_source": upstream.wallet.source,
        "services": services,
        "error_codes": report.error_codes.to_json(),
        "total": {
            "added": t.added,
            "removed": t.removed,
            "changed": t.changed,
            "quirks": t.quirks,
            "stale_quirks": t.stale_quirks,
            "error_codes_added": t.codes_added,
            "error_codes_removed": t.codes_removed,
        },
        "drift": !t.is_clean(),
    })
}

impl ErrorCodeReport {
    /// The comparison as a JSON object: counts, sources, the codes either side lacks, the note.
    fn to_json(&self) -> Value {
        json!({
            "schema_count": self.schema_count,
            "upstream_count": self.upstream_count,
            "schema_source": self.schema_source,
            "upstream_source": self.upstream_source,
            "added": self.added,
            "removed": self.removed,
            "note": self.note,
        })
    }
}

impl FieldDiff {
    /// The difference as a JSON object: `kind`, `side`, `field` and the types involved.
    fn to_json(&self) -> Value {
        let side_field = |kind: &str, side: Side, field: &str| json!({ "kind": kind, "side": side.as_str(), "field": field });
        let mut value = match self {
            FieldDiff::Added { side, field, .. } => side_field("added", *side, field),
            FieldDiff::Removed { side, field, .. } => side_field("removed", *side, field),
            FieldDiff::Type { side, field, .. } => side_field("type", *side, field),
            FieldDiff::Presence { field, .. } => side_field("presence", Side::Request, field),
            FieldDiff::Null { field, .. } => side_field("null", Side::Response, field),
        };
        let extra = match self {
            FieldDiff::Added { upstream, .. } => json!({ "upstream": upstream.to_string() }),
            FieldDiff::Removed { schema, .. } | FieldDiff::Null { schema, .. } => {
                json!({ "schema": schema.to_string() })
            }
            FieldDiff::Type { schema, upstream, .. } => {
                json!({ "schema": schema.to_string(), "upstream": upstream.to_string() })
            }
            FieldDiff::Presence { upstream_may_omit, .. } => {
                json!({ "upstream_may_omit": upstream_may_omit })
            }
        };
        if let (Some(target), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
            target.extend(extra.clone());
        }
        value
    }
}
