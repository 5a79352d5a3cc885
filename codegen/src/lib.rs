//! The code generator of chia-rpc: schema files in, Rust bindings out.
//!
//! [`load`] parses and validates every `*.yaml` under a schema directory into an [`Ir`];
//! [`generate`] turns the IR into files. [`check`] compares generated files with a tree on disk,
//! which is what `cargo xtask codegen --check` and the freshness test run.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod schema;
pub mod typeexpr;
pub mod validate;

use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Diagnostics};
pub use emit::{EmitError, GeneratedFile, Layout, generate};
pub use ir::Ir;

/// Parses and validates every schema file under `schema_dir`. Error messages name files
/// relative to `root`.
pub fn load(schema_dir: &Path, root: &Path) -> Result<Ir, Diagnostics> {
    let files = validate::parse_dir(schema_dir, root)?;
    validate::lower(&files)
}

/// How a tree on disk differs from the generated files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated files whose contents differ from the file on disk.
    pub changed: Vec<PathBuf>,
    /// Generated files missing on disk.
    pub missing: Vec<PathBuf>,
    /// Files in a generated directory that are no longer generated.
    pub extra: Vec<PathBuf>,
}

impl Drift {
    /// Whether the tree matches.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// Every path that differs, sorted.
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> =
            self.changed.iter().chain(&self.missing).chain(&self.extra).cloned().collect();
        all.sort();
        all
    }
}

/// Compares `files` with the tree under `root`; files in the generated directories of `layout`
/// that are not generated count as extra.
pub fn check(root: &Path, layout: &Layout, files: &[GeneratedFile]) -> std::io::Result<Drift> {
    let mut drift = Drift::default();
    for file in files {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(text) if text == file.contents => {}
            Ok(_) => drift.changed.push(file.path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                drift.missing.push(file.path.clone())
            }
            Err(e) => return Err(e),
        }
    }
    for dir in layout.generated_dirs() {
        for path in list_files(&root.join(dir))? {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !files.iter().any(|f| f.path == rel) {
                drift.extra.push(rel);
            }
        }
    }
    drift.extra.sort();
    Ok(drift)
}

/// Writes `files` under `root` and deletes the extra files of `drift`; returns how many files
/// were written or deleted.
pub fn write(root: &Path, files: &[GeneratedFile], drift: &Drift) -> std::io::Result<usize> {
    let mut touched = 0;
    for file in files {
        if drift.changed.contains(&file.path) || drift.missing.contains(&file.path) {
            let path = root.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.contents)?;
            touched += 1;
        }
    }
    for extra in &drift.extra {
        let path = root.join(extra);
        std::fs::remove_file(&path)?;
        touched += 1;
        // Drop directories the removal left empty (a service that no longer exists).
        let mut dir = path.parent();
        while let Some(d) = dir {
            if std::fs::read_dir(d).map(|mut it| it.next().is_none()).unwrap_or(false) {
                std::fs::remove_dir(d)?;
                dir = d.parent();
            } else {
                break;
            }
        }
    }
    Ok(touched)
}

/// Every file under `dir`, recursively, sorted; empty when `dir` does not exist.
pub fn list_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (PathBuf, Ir) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/basic");
        let ir = load(&root.join("schema"), &root).unwrap_or_else(|d| panic!("{d}"));
        (root, ir)
    }

    #[test]
    fn generation_is_deterministic() {
        let (_, ir) = fixture();
        let layout = Layout::default();
        let first = generate(&ir, &layout).expect("generated");
        let (_, again) = fixture();
        assert_eq!(first, generate(&again, &layout).expect("generated"));
        assert!(first.iter().any(|f| f.path.ends_with("full_node/client.rs")));
        // Set CODEGEN_DUMP=<dir> to look at the output of the fixture.
        if let Some(dir) = std::env::var_os("CODEGEN_DUMP") {
            let dir = PathBuf::from(dir);
            for f in &first {
                let path = dir.join(&f.path);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, &f.contents).expect("write");
            }
        }
    }
}
