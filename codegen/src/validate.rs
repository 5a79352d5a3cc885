//! Loading the schema files and checking them, collecting every error, into an [`Ir`].
//!
//! Reading and parsing the YAML lives in `parse`; the checks and the lowering into the IR in
//! `lower` (with `types`, `service` and `fields` for the parts of a file, and `checker` for what
//! they share).
//!
//! [`Ir`]: crate::ir::Ir

mod analysis;
mod checker;
mod events;
mod fields;
mod lower;
mod parse;
mod service;
#[cfg(test)]
mod testing;
mod types;

pub use lower::lower;
pub use parse::{SourceFile, parse_dir, parse_str, relative, yaml_files};
