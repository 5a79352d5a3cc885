//! The report as text for the terminal.

use super::report::Report;
use super::upstream::Upstream;

/// The report as text: a header per service, `+`/`-`/`~` lines, a total.
pub fn render_text(report: &Report, upstream: &Upstream, label: &str) -> String {
    let mut out = format!(
        "schema/ vs chia-blockchain {} (python {}, {label})\n",
        upstream.version, upstream.python
    );
    for s in &report.services {
        let schema = match s.schema_count {
            Some(n) => format!("{n} in schema"),
            None => "no schema file".to_owned(),
        };
        let up = match (s.upstream_count, &s.minus) {
            (Some(n), Some(base)) => format!("{n} upstream (besides {base}'s)"),
            (Some(n), None) => format!("{n} upstream"),
            (None, _) => format!("not in chia {}", upstream.version),
        };
        out.push_str(&format!("{}: {schema}, {up}\n", s.name));
        for note in &s.notes {
            out.push_str(&format!("  ({note})\n"));
        }
        for route in &s.added {
            out.push_str(&format!("  + {route}\n"));
        }
        for route in &s.removed {
            out.push_str(&format!("  - {route}\n"));
        }
        for (route, since) in &s.newer {
            out.push_str(&format!(
                "  - {route} (since {since}: newer than this release, not drift)\n"
            ));
        }
        for changed in &s.changed {
            for diff in &changed.diffs {
                out.push_str(&format!("  ~ {}: {diff}\n", changed.route));
            }
        }
    }
    let t = report.totals();
    out.push_str(&format!(
        "total: {} served upstream but not in schema, {} in schema but not served, \
         {} with changed fields{}\n",
        t.added,
        t.removed,
        t.changed,
        if t.is_clean() { " — no drift" } else { "" }
    ));
    out
}
