//! `cargo xtask drift --chia <venv|version> [--json FILE]`: how schema/ differs from what an
//! installed chia-blockchain serves.
//!
//! An embedded Python script (`drift/extract.py`), run with the venv's interpreter, lists the
//! routes of every RPC API class, the routes every RPC server shares, the daemon's commands and
//! the declared request / response classes of wallet endpoints. Those are compared with the
//! services of the schema; the report goes to stdout as text and to a JSON file. The task fails
//! (exit 1) when anything differs. `--schema DIR` compares another schema directory (a branch's
//! checkout, a draft) instead of the workspace's `schema/`.

mod upstream;
mod venv;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use chia_rpc_codegen::ir::{self, Ty};
use serde_json::{Value, json};

use upstream::{Routes, Upstream, WalletFields};
use venv::ChiaSource;

const USAGE: &str =
    "usage: cargo xtask drift --chia <venv directory|version> [--json FILE] [--schema DIR]";

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

/// Runs the drift report.
pub fn run(args: &[&str]) -> Result<(), String> {
    let mut chia = None;
    let mut json_path = None;
    let mut schema_dir = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--chia" => chia = Some(*rest.next().ok_or(USAGE)?),
            "--json" => json_path = Some(PathBuf::from(rest.next().ok_or(USAGE)?)),
            "--schema" => schema_dir = Some(PathBuf::from(rest.next().ok_or(USAGE)?)),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let chia = chia.ok_or(USAGE)?;

    let root = crate::workspace_root();
    // The schema first: a broken schema should not wait for a venv to be built.
    let schema_dir = schema_dir.unwrap_or_else(|| root.join("schema"));
    let ir = chia_rpc_codegen::load(&schema_dir, &root)
        .map_err(|d| format!("{d}\nschema errors: {}", d.0.len()))?;
    let schema = schema_of(&ir);

    let (venv, label) = match venv::parse_source(chia)? {
        ChiaSource::Venv(dir) => (dir.clone(), dir.display().to_string()),
        ChiaSource::Version(version) => {
            let dir = venv::ensure_cached(&root.join(".sim"), &version)?;
            let label = format!(".sim/venv-{version}");
            (dir, label)
        }
    };
    let python = venv::python_of(&venv)?;
    let scratch = root.join("target").join("drift");
    let upstream = upstream::extract(&python, &scratch)?;

    let report = compare(&schema, &upstream);
    print!("{}", render_text(&report, &upstream, &label));

    let json_path = json_path.unwrap_or_else(|| {
        let version: String = upstream
            .version
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' })
            .collect();
        scratch.join(format!("drift-{version}.json"))
    });
    if let Some(parent) = json_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let document = render_json(&report, &upstream, &label);
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| format!("cannot serialize the report: {e}"))?;
    std::fs::write(&json_path, text + "\n")
        .map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
    println!("JSON report: {}", json_path.display());

    let totals = report.totals();
    if totals.is_clean() {
        Ok(())
    } else {
        Err(format!("drift: schema/ differs from chia-blockchain {}", upstream.version))
    }
}

// ---- the model both sides are reduced to -------------------------------------------------------

/// A type in the schema's type language, as far as both sides can say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A primitive by its schema name (`u64`, `str`, `bytes32`, …); upstream also says `int`
    /// (a Python int of no fixed width) and `none`.
    Prim(String),
    /// `optional<T>`; upstream: `T | None`.
    Optional(Box<Shape>),
    /// `nullable<T>` (schema only).
    Nullable(Box<Shape>),
    /// `list<T>`
    List(Box<Shape>),
    /// `map<K, V>`
    Map(Box<Shape>, Box<Shape>),
    /// `tuple<…>`
    Tuple(Vec<Shape>),
    /// A record type (schema) or class (upstream).
    Named(String),
    /// A schema string enum.
    Enum(String),
    /// `any`
    Any,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Prim(name) | Shape::Named(name) | Shape::Enum(name) => f.write_str(name),
            Shape::Optional(t) => write!(f, "optional<{t}>"),
            Shape::Nullable(t) => write!(f, "nullable<{t}>"),
            Shape::List(t) => write!(f, "list<{t}>"),
            Shape::Map(k, v) => write!(f, "map<{k}, {v}>"),
            Shape::Tuple(items) => {
                f.write_str("tuple<")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(">")
            }
            Shape::Any => f.write_str("any"),
        }
    }
}

impl Shape {
    fn from_ty(ty: &Ty, enums: &BTreeSet<String>) -> Shape {
        let boxed = |t: &Ty| Box::new(Shape::from_ty(t, enums));
        match ty {
            Ty::Prim(p) => Shape::Prim(p.name().to_owned()),
            Ty::Optional(t) => Shape::Optional(boxed(t)),
            Ty::Nullable(t) => Shape::Nullable(boxed(t)),
            Ty::List(t) => Shape::List(boxed(t)),
            Ty::Map(k, v) => Shape::Map(boxed(k), boxed(v)),
            Ty::Tuple(items) => {
                Shape::Tuple(items.iter().map(|t| Shape::from_ty(t, enums)).collect())
            }
            Ty::Any => Shape::Any,
            Ty::Named(name) if enums.contains(name.as_str()) => Shape::Enum(name.to_string()),
            Ty::Named(name) => Shape::Named(name.to_string()),
        }
    }

    /// The type without an outer `optional` / `nullable`, and whether there was one.
    fn strip(&self) -> (&Shape, bool) {
        match self {
            Shape::Optional(t) | Shape::Nullable(t) => (t, true),
            other => (other, false),
        }
    }
}

fn is_integer(name: &str) -> bool {
    matches!(name, "u8" | "u16" | "u32" | "u64" | "u128" | "i8" | "i16" | "i32" | "i64" | "int")
}

/// Whether a value upstream sends or accepts as `upstream` fits the schema's `schema`.
/// Record and class names are not compared: the schema names its own types.
pub fn compatible(schema: &Shape, upstream: &Shape) -> bool {
    use Shape::*;
    match (schema, upstream) {
        (Any, _) | (_, Any) => true,
        (Optional(s) | Nullable(s), Optional(u)) => compatible(s, u),
        (Optional(s) | Nullable(s), u) => compatible(s, u),
        (_, Optional(_)) => false,
        (Prim(s), Prim(u)) => {
            s == u
                || (u == "int" && is_integer(s))
                || (s == "address" && u == "str")
                || (s == "bytes" && u.starts_with("bytes"))
        }
        (Enum(_), Prim(u)) => u == "str",
        (Enum(_) | Named(_), Named(_)) => true,
        (List(s), List(u)) => compatible(s, u),
        (Map(sk, sv), Map(uk, uv)) => compatible(sk, uk) && compatible(sv, uv),
        (Tuple(s), Tuple(u)) => {
            s.len() == u.len() && s.iter().zip(u).all(|(s, u)| compatible(s, u))
        }
        _ => false,
    }
}

/// A request or response field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The JSON key.
    pub name: String,
    /// Its type.
    pub shape: Shape,
    /// Whether a request may leave the key out (schema: `optional<T>`; upstream: a default).
    pub may_omit: bool,
}

/// The part of a schema service the comparison needs.
#[derive(Debug, Clone, Default)]
pub struct SchemaService {
    /// Chia's name of the service.
    pub name: String,
    /// Whether these are the shared routes.
    pub shared: bool,
    /// The service whose routes this one serves too.
    pub extends: Option<String>,
    /// Endpoints in schema order.
    pub endpoints: Vec<SchemaEndpoint>,
}

/// One schema endpoint.
#[derive(Debug, Clone, Default)]
pub struct SchemaEndpoint {
    /// Route name.
    pub name: String,
    /// First chia-blockchain version that serves it, when the schema says.
    pub since: Option<String>,
    /// Request fields.
    pub request: Vec<FieldSpec>,
    /// Response fields besides `success`.
    pub response: Vec<FieldSpec>,
}

impl SchemaService {
    fn from_ir_with(service: &ir::Service, enums: &BTreeSet<String>) -> SchemaService {
        let fields = |fields: &[ir::Field]| {
            fields
                .iter()
                .map(|f| FieldSpec {
                    name: f.wire.clone(),
                    shape: Shape::from_ty(&f.ty, enums),
                    may_omit: f.is_optional(),
                })
                .collect()
        };
        SchemaService {
            name: service.name.clone(),
            shared: service.shared,
            extends: service.extends.clone(),
            endpoints: service
                .endpoints
                .iter()
                .map(|e| SchemaEndpoint {
                    name: e.name.clone(),
                    since: e.since.clone(),
                    request: fields(&e.request),
                    response: fields(&e.response),
                })
                .collect(),
        }
    }
}

/// Converts every service of `ir`, telling string enums from records.
fn schema_of(ir: &chia_rpc_codegen::Ir) -> Vec<SchemaService> {
    let enums: BTreeSet<String> = ir
        .type_files
        .iter()
        .flat_map(|f| &f.types)
        .filter(|t| matches!(t.kind, ir::TypeKind::Enum(_)))
        .map(|t| t.name.to_string())
        .collect();
    ir.services.iter().map(|s| SchemaService::from_ir_with(s, &enums)).collect()
}

// ---- the comparison ----------------------------------------------------------------------------

/// Which half of an endpoint a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The request body.
    Request,
    /// The response body.
    Response,
}

impl Side {
    fn as_str(self) -> &'static str {
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

impl FieldDiff {
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
    /// Served by both, with different fields.
    pub changed: Vec<Changed>,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One entry per service, in [`KNOWN`] order, schema-only services last.
    pub services: Vec<ServiceReport>,
}

/// Sums over every service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Routes served upstream, not in the schema.
    pub added: usize,
    /// Routes in the schema, not served upstream.
    pub removed: usize,
    /// Endpoints whose fields differ.
    pub changed: usize,
}

impl Totals {
    /// Whether nothing differs.
    pub fn is_clean(&self) -> bool {
        self.added == 0 && self.removed == 0 && self.changed == 0
    }
}

impl Report {
    /// Sums over every service.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for s in &self.services {
            t.added += s.added.len();
            t.removed += s.removed.len();
            t.changed += s.changed.len();
        }
        t
    }
}

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

fn compare_wallet_fields(
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

// ---- output ------------------------------------------------------------------------------------

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
        "total": { "added": t.added, "removed": t.removed, "changed": t.changed },
        "drift": !t.is_clean(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prim(name: &str) -> Shape {
        Shape::Prim(name.to_owned())
    }

    fn opt(shape: Shape) -> Shape {
        Shape::Optional(Box::new(shape))
    }

    fn field(name: &str, shape: Shape, may_omit: bool) -> FieldSpec {
        FieldSpec { name: name.to_owned(), shape, may_omit }
    }

    fn endpoint(name: &str) -> SchemaEndpoint {
        SchemaEndpoint { name: name.to_owned(), ..SchemaEndpoint::default() }
    }

    fn service(name: &str, routes: &[&str]) -> SchemaService {
        SchemaService {
            name: name.to_owned(),
            endpoints: routes.iter().map(|r| endpoint(r)).collect(),
            ..SchemaService::default()
        }
    }

    fn present(routes: &[&str]) -> Routes {
        Routes::Present {
            routes: routes.iter().map(|r| (*r).to_owned()).collect(),
            source: "test".to_owned(),
        }
    }

    fn upstream(services: &[(&str, Routes)]) -> Upstream {
        Upstream {
            version: "9.9.9".to_owned(),
            python: "3.11.0".to_owned(),
            services: services.iter().map(|(n, r)| ((*n).to_owned(), r.clone())).collect(),
            wallet: WalletFields {
                note: Some("not present in this version".to_owned()),
                ..WalletFields::default()
            },
        }
    }

    fn find<'a>(report: &'a Report, name: &str) -> &'a ServiceReport {
        report.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no {name}"))
    }

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

    #[test]
    fn type_compatibility() {
        assert!(compatible(&prim("u32"), &prim("u32")));
        assert!(!compatible(&prim("u32"), &prim("u64")));
        assert!(compatible(&prim("u64"), &prim("int")));
        assert!(compatible(&prim("address"), &prim("str")));
        assert!(compatible(&prim("bytes"), &prim("bytes32")));
        assert!(!compatible(&prim("bytes32"), &prim("bytes")));
        assert!(compatible(&Shape::Any, &Shape::Named("Solver".to_owned())));
        assert!(compatible(&Shape::Named("Coin".to_owned()), &Shape::Named("Coin".to_owned())));
        assert!(!compatible(&Shape::Named("Coin".to_owned()), &prim("str")));
        assert!(compatible(&Shape::Enum("Kind".to_owned()), &prim("str")));
        let list = |s| Shape::List(Box::new(s));
        assert!(compatible(&list(prim("bytes32")), &list(prim("bytes32"))));
        assert!(!compatible(&list(prim("u8")), &list(prim("str"))));
        assert!(compatible(&opt(prim("u8")), &prim("u8")));
        assert!(!compatible(&prim("u8"), &opt(prim("u8"))));
        assert!(compatible(&Shape::Nullable(Box::new(prim("u8"))), &opt(prim("u8"))));
        let tuple = |items| Shape::Tuple(items);
        assert!(compatible(
            &tuple(vec![prim("u8"), prim("str")]),
            &tuple(vec![prim("u8"), prim("str")])
        ));
        assert!(!compatible(&tuple(vec![prim("u8")]), &tuple(vec![prim("u8"), prim("str")])));
        assert_eq!(opt(list(prim("u64"))).to_string(), "optional<list<u64>>");
    }

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
        let report = compare(&[wallet_schema.clone()], &up);
        let wallet = find(&report, "wallet");
        assert_eq!(wallet.changed.len(), 1);
        assert_eq!(wallet.changed[0].route, "log_in");
        assert_eq!(report.totals(), Totals { added: 0, removed: 0, changed: 1 });
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
        let report = compare(&[wallet_schema], &up);
        let wallet = find(&report, "wallet");
        assert!(wallet.changed.is_empty());
        assert_eq!(wallet.notes, ["fields not compared: no metadata"]);
    }

    #[test]
    fn parses_extractor_output() {
        let value = json!({
            "chia_version": "2.7.5",
            "python": "3.11.7",
            "services": {
                "full_node": { "present": true, "routes": ["get_block"], "source": "m.C" },
                "solver": { "present": false, "note": "not present in this version" }
            },
            "wallet_fields": {
                "present": true,
                "source": "meta",
                "endpoints": {
                    "log_in": {
                        "request_class": "LogIn", "response_class": "LogInResponse",
                        "request": [{ "name": "fingerprint", "type": "u32", "has_default": false }],
                        "response": [{ "name": "ids", "has_default": true,
                                       "type": { "optional": { "list": { "named": "Coin" } } } }],
                        "tx_endpoint": false
                    },
                    "broken": { "error": "boom" }
                },
                "untyped": [],
                "tx_request_extras": ["fee"],
                "tx_response_extras": ["sync_status"]
            }
        });
        let up = upstream::parse(&value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(up.version, "2.7.5");
        assert!(matches!(up.services.get("solver"), Some(Routes::Absent { .. })));
        let log_in = &up.wallet.endpoints["log_in"];
        assert_eq!(log_in.request, [field("fingerprint", prim("u32"), false)]);
        assert_eq!(log_in.response[0].shape.to_string(), "optional<list<Coin>>");
        assert!(up.wallet.untyped.contains("broken"));
        assert!(upstream::parse_shape(&json!({ "weird": 1 })).is_err());
        assert!(upstream::parse(&json!({})).is_err());
    }
}
