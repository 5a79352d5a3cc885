//! Reading schema files: finding the `*.yaml` files of a directory and parsing each into a
//! [`SourceFile`], with YAML and shape errors located by line and column.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::schema::SchemaFile;

/// A parsed schema file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the root, with `/` separators (`schema/full_node.yaml`).
    pub rel: String,
    /// The text, for locating errors inside scalars.
    pub text: String,
    /// The parsed content.
    pub parsed: SchemaFile,
}

/// Every `*.yaml` under `dir`, recursively, sorted by path.
pub fn yaml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    // A missing schema directory is an error, not an empty schema.
    std::fs::read_dir(dir)?;
    let mut files = crate::list_files(dir)?;
    files.retain(|path| path.extension().is_some_and(|e| e == "yaml"));
    Ok(files)
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses every schema file under `schema_dir`; errors name paths relative to `root`.
pub fn parse_dir(schema_dir: &Path, root: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let rel_dir = relative(schema_dir, root);
    let paths = yaml_files(schema_dir).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: rel_dir.clone(),
            line: 1,
            column: 1,
            context: "schema directory".into(),
            message: format!("cannot read: {e}"),
        }])
    })?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let rel = relative(&path, root);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                errors.push(Diagnostic {
                    file: rel,
                    line: 1,
                    column: 1,
                    context: "file".into(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        match parse_str(&rel, text) {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(Diagnostics(errors).finish()) }
}

/// Parses one file's text; YAML and shape errors become one located [`Diagnostic`].
pub fn parse_str(rel: &str, text: String) -> Result<SourceFile, Diagnostic> {
    match serde_saphyr::from_str::<SchemaFile>(&text) {
        Ok(parsed) => Ok(SourceFile { rel: rel.to_owned(), text, parsed }),
        Err(e) => {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            let plain = e.without_snippet().to_string();
            let suffix = format!(" at line {line}, column {column}");
            let mut message = plain.strip_suffix(&suffix).unwrap_or(&plain).trim().to_owned();
            if message.starts_with("unknown field `") && message.contains('>') {
                // `{ type: map<str, u64>, … }`: the comma ends the flow mapping's value.
                message.push_str(" (quote a type with `,` inside `{ }`: type: \"map<str, u64>\")");
            }
            Err(Diagnostic {
                file: rel.to_owned(),
                line: line.max(1),
                column: column.max(1),
                context: "yaml".into(),
                message,
            })
        }
    }
}
