//! Helpers shared by the tests of the validation modules.

use super::{lower, parse_str};
use crate::diag::Diagnostics;
use crate::ir::Ir;

/// Parses `yaml` as `schema/x.yaml` and lowers it alone.
pub(super) fn lower_one(yaml: &str) -> Result<Ir, Diagnostics> {
    let file = parse_str("schema/x.yaml", yaml.to_owned()).map_err(|d| Diagnostics(vec![d]))?;
    lower(&[file])
}

/// A full node service with endpoint `get_x`, ending where its request fields go.
pub(super) const HEAD: &str = "service:\n  name: full_node\n  title: Full node\n  doc: A node.\n  default_port: 8555\n  config_key: full_node\nendpoints:\n  get_x:\n    summary: X.\n    access: read\n    request:\n";

/// The errors of [`lower_one`] as text; empty when `yaml` is valid.
pub(super) fn messages(yaml: &str) -> Vec<String> {
    match lower_one(yaml) {
        Ok(_) => Vec::new(),
        Err(d) => d.0.iter().map(ToString::to_string).collect(),
    }
}
