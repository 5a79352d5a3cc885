//! The report as text for the terminal.

use super::report::{ErrorCodeReport, Report};
use super::upstream::Upstream;

/// The report as text: a header per service, `+`/`-`/`~` lines, `!` for stale quirks, `=` for
/// differences acknowledged as upstream quirks, the error codes, a total.
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
        for stale in &s.stale_quirks {
            out.push_str(&format!(
                "  ! {}: quirk `{}` no longer differs upstream\n",
                stale.route, stale.field
            ));
        }
        for quirk in &s.quirks {
            out.push_str(&format!(
                "  = {}: {} — quirk: {}\n",
                quirk.route, quirk.diff, quirk.explanation
            ));
        }
    }
    out.push_str(&error_code_lines(&report.error_codes, &upstream.version));
    let t = report.totals();
    out.push_str(&format!(
        "total: {} served upstream but not in schema, {} in schema but not served, \
         {} with changed fields, {} known quirks, {} stale quirks, {} error codes differ{}\n",
        t.added,
        t.removed,
        t.changed,
        t.quirks,
        t.stale_quirks,
        t.codes_differ(),
        if t.is_clean() { " — no drift" } else { "" }
    ));
    out
}

/// The error code section: a header, why upstream has none, `+`/`-` lines.
fn error_code_lines(codes: &ErrorCodeReport, version: &str) -> String {
    let schema = match codes.schema_count {
        Some(n) => format!("{n} in schema"),
        None => "no error codes in schema".to_owned(),
    };
    let up = match codes.upstream_count {
        Some(n) => format!("{n} upstream"),
        None => format!("not in chia {version}"),
    };
    let mut out = format!("error codes: {schema}, {up}\n");
    if let Some(note) = &codes.note {
        out.push_str(&format!("  ({note})\n"));
    }
    for code in &codes.added {
        out.push_str(&format!("  + {code}\n"));
    }
    for code in &codes.removed {
        out.push_str(&format!("  - {code}\n"));
    }
    out
}
