//! The command line of `cargo xtask drift`.

use std::path::PathBuf;

const USAGE: &str =
    "usage: cargo xtask drift --chia <venv directory|version> [--json FILE] [--schema DIR]";

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options<'a> {
    /// `--chia`: a venv directory or a chia-blockchain version.
    pub chia: &'a str,
    /// `--json`: where the JSON report goes (default: under `target/drift/`).
    pub json_path: Option<PathBuf>,
    /// `--schema`: the schema directory to compare (default: the workspace's `schema/`).
    pub schema_dir: Option<PathBuf>,
}

impl<'a> Options<'a> {
    /// Reads the arguments after `drift`; the error is the usage line.
    pub fn parse(args: &[&'a str]) -> Result<Self, String> {
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
        Ok(Options { chia, json_path, schema_dir })
    }
}
