//! How an endpoint both sides serve can differ, field by field.

use std::fmt;

use super::shape::Shape;

/// Which half of an endpoint a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The request body.
    Request,
    /// The response body.
    Response,
}

impl Side {
    /// `request` or `response`, as the reports say it.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// How one field differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldDiff {
    /// Upstream declares it; the schema lacks it.
    Added {
        /// Request or response.
        side: Side,
        /// Key.
        field: String,
        /// Upstream type.
        upstream: Shape,
    },
    /// The schema has it; upstream does not declare it.
    Removed {
        /// Request or response.
        side: Side,
        /// Key.
        field: String,
        /// Schema type.
        schema: Shape,
    },
    /// Both have it, with types that do not fit.
    Type {
        /// Request or response.
        side: Side,
        /// Key.
        field: String,
        /// Schema type.
        schema: Shape,
        /// Upstream type.
        upstream: Shape,
    },
    /// A request key the schema lets callers leave out that upstream requires, or the reverse.
    Presence {
        /// Key (always a request field).
        field: String,
        /// Whether upstream lets callers leave it out.
        upstream_may_omit: bool,
    },
    /// A response value upstream may send as `null` that the schema does not allow to be null.
    Null {
        /// Key (always a response field).
        field: String,
        /// Schema type.
        schema: Shape,
    },
}

impl FieldDiff {
    /// The key the difference is about.
    pub fn field(&self) -> &str {
        match self {
            FieldDiff::Added { field, .. }
            | FieldDiff::Removed { field, .. }
            | FieldDiff::Type { field, .. }
            | FieldDiff::Presence { field, .. }
            | FieldDiff::Null { field, .. } => field,
        }
    }
}

impl fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldDiff::Added { side, field, upstream } => {
                write!(f, "{} field `{field}` ({upstream}) not in schema", side.as_str())
            }
            FieldDiff::Removed { side, field, schema } => {
                write!(f, "{} field `{field}` ({schema}) not declared upstream", side.as_str())
            }
            FieldDiff::Type { side, field, schema, upstream } => {
                write!(f, "{} field `{field}`: schema {schema}, upstream {upstream}", side.as_str())
            }
            FieldDiff::Presence { field, upstream_may_omit: true } => {
                write!(f, "request field `{field}` may be left out upstream, schema requires it")
            }
            FieldDiff::Presence { field, upstream_may_omit: false } => {
                write!(f, "request field `{field}` is required upstream, schema makes it optional")
            }
            FieldDiff::Null { field, schema } => {
                write!(f, "response field `{field}` may be null upstream, schema says {schema}")
            }
        }
    }
}

/// An endpoint both sides serve whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Route name.
    pub route: String,
    /// Upstream's request and response classes.
    pub classes: (String, String),
    /// The differences.
    pub diffs: Vec<FieldDiff>,
}

/// A field difference the schema acknowledges as an upstream quirk (the endpoint's `quirks`
/// names the field): upstream's class does not describe the wire, so it is not drift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownQuirk {
    /// Route name.
    pub route: String,
    /// The difference.
    pub diff: FieldDiff,
    /// The schema's explanation of the quirk.
    pub explanation: String,
}

/// A quirk of the schema naming a field that no longer differs upstream: drift, since the quirk
/// should go (and the schema perhaps follow upstream's fixed class).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleQuirk {
    /// Route name.
    pub route: String,
    /// The field the quirk names.
    pub field: String,
    /// The schema's explanation of the quirk.
    pub explanation: String,
}
