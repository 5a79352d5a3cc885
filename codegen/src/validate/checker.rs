//! What every check shares: the error collector of one file, the table of declared types and the
//! naming rules of the generated Rust.

use std::collections::BTreeMap;

use serde_saphyr::Location;

use super::parse::SourceFile;
use crate::diag::Diagnostic;
use crate::ir::is_ident;

/// Collects the errors found in one schema file.
pub(super) struct Checker<'a> {
    /// Errors so far.
    pub(super) errors: Vec<Diagnostic>,
    /// The file being checked.
    pub(super) file: &'a SourceFile,
}

impl<'a> Checker<'a> {
    /// A checker of `file` with no errors yet.
    pub(super) fn new(file: &'a SourceFile) -> Self {
        Checker { errors: Vec::new(), file }
    }

    /// Records an error at `loc`.
    pub(super) fn at(
        &mut self,
        loc: Location,
        context: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(Diagnostic {
            file: self.file.rel.clone(),
            line: loc.line().max(1),
            column: loc.column().max(1),
            context: context.into(),
            message: message.into(),
        });
    }

    /// The column of character `offset` of the scalar starting at `loc` (skipping a quote).
    pub(super) fn scalar_column(&self, loc: Location, offset: usize) -> u64 {
        let line = self.file.text.lines().nth(loc.line().saturating_sub(1) as usize).unwrap_or("");
        let first = line.chars().nth(loc.column().saturating_sub(1) as usize);
        let quote = u64::from(matches!(first, Some('"' | '\'')));
        loc.column() + quote + offset as u64
    }
}

/// Types known globally: name -> (file index, location).
pub(super) type TypeTable = BTreeMap<String, (usize, Location)>;

/// The file stem of a relative path (`schema/types/coins.yaml` -> `coins`).
pub(super) fn module_stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".yaml").unwrap_or(name).to_owned()
}

/// The module under `types/` of the types a file declares: the file stem, prefixed with its
/// directory when that is a topic of its own (`schema/events/farmer.yaml` -> `events_farmer`),
/// so files of the same name in different directories stay apart.
pub(super) fn types_module(rel: &str) -> String {
    let stem = module_stem(rel);
    let mut dirs = rel.rsplit('/').skip(1);
    match dirs.next() {
        Some(dir) if dir != "schema" && dir != "types" && dirs.next().is_some() => {
            format!("{dir}_{stem}")
        }
        _ => stem,
    }
}

/// A snake_case Rust identifier not starting with `_`: a module, method or field name.
pub(super) fn is_snake_ident(s: &str) -> bool {
    is_ident(s)
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with('_')
}

/// An UpperCamelCase Rust identifier: a type or variant name.
pub(super) fn is_type_name(s: &str) -> bool {
    is_ident(s)
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}
