//! The result of a comparison: one entry per service, and the sums that decide the exit code.

use super::diff::{Changed, KnownQuirk, StaleQuirk};

/// The comparison of one service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceReport {
    /// Chia's name.
    pub name: String,
    /// Number of schema endpoints; `None` without a schema file.
    pub schema_count: Option<usize>,
    /// Number of upstream routes counted against it; `None` when upstream lacks the service.
    pub upstream_count: Option<usize>,
    /// The service whose routes were taken out of the upstream count.
    pub minus: Option<String>,
    /// Remarks (why upstream lacks it, fields not compared, …).
    pub notes: Vec<String>,
    /// Served upstream, not in the schema.
    pub added: Vec<String>,
    /// In the schema, not served upstream.
    pub removed: Vec<String>,
    /// In the schema with a `since` newer than the upstream version, not served upstream:
    /// expected, not drift. Route and its `since`.
    pub newer: Vec<(String, String)>,
    /// Served by both, with different fields (besides acknowledged quirks).
    pub changed: Vec<Changed>,
    /// Field differences the schema acknowledges as upstream quirks: expected, not drift.
    pub quirks: Vec<KnownQuirk>,
    /// Quirks naming a field that no longer differs upstream: drift.
    pub stale_quirks: Vec<StaleQuirk>,
}

/// The comparison of the codes of structured errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorCodeReport {
    /// Number of codes in the schema; `None` when no schema file declares them.
    pub schema_count: Option<usize>,
    /// Number of codes upstream; `None` when upstream has none.
    pub upstream_count: Option<usize>,
    /// The schema file that declares them.
    pub schema_source: Option<String>,
    /// Where upstream's came from (`module.Class`).
    pub upstream_source: Option<String>,
    /// Why upstream has none, when it has none.
    pub note: Option<String>,
    /// Upstream, not in the schema.
    pub added: Vec<String>,
    /// In the schema, not upstream.
    pub removed: Vec<String>,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One entry per service, in the order of `compare::KNOWN`, schema-only services last.
    pub services: Vec<ServiceReport>,
    /// The codes of structured errors.
    pub error_codes: ErrorCodeReport,
}

/// Sums over every service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Routes served upstream, not in the schema.
    pub added: usize,
    /// Routes in the schema, not served upstream.
    pub removed: usize,
    /// Endpoints whose fields differ, besides acknowledged quirks.
    pub changed: usize,
    /// Field differences acknowledged as upstream quirks (not drift).
    pub quirks: usize,
    /// Quirks whose field no longer differs upstream.
    pub stale_quirks: usize,
    /// Error codes upstream, not in the schema.
    pub codes_added: usize,
    /// Error codes in the schema, not upstream.
    pub codes_removed: usize,
}

impl Totals {
    /// Whether nothing differs.
    pub fn is_clean(&self) -> bool {
        self.added == 0
            && self.removed == 0
            && self.changed == 0
            && self.stale_quirks == 0
            && self.codes_added == 0
            && self.codes_removed == 0
    }

    /// Error codes that differ, either way.
    pub fn codes_differ(&self) -> usize {
        self.codes_added + self.codes_removed
    }
}

impl Report {
    /// Sums over every service.
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            codes_added: self.error_codes.added.len(),
            codes_removed: self.error_codes.removed.len(),
            ..Totals::default()
        };
        for s in &self.services {
            t.added += s.added.len();
            t.removed += s.removed.len();
            t.changed += s.changed.len();
            t.quirks += s.quirks.len();
            t.stale_quirks += s.stale_quirks.len();
        }
        t
    }
}
