//! `cargo xtask drift --chia <venv|version> [--json FILE]`: how schema/ differs from what an
//! installed chia-blockchain serves.
//!
//! An embedded Python script (`drift/extract.py`), run with the venv's interpreter, lists the
//! routes of every RPC API class, the routes every RPC server shares, the daemon's commands and
//! the declared request / response classes of wallet endpoints, and the codes of
//! `structuredError` (`RpcErrorCodes`). Those are compared with the
//! services of the schema; the report goes to stdout as text and to a JSON file. The task fails
//! (exit 1) when anything differs. `--schema DIR` compares another schema directory (a branch's
//! checkout, a draft) instead of the workspace's `schema/`.
//!
//! Both sides are reduced to the types of `shape` (`schema_model` and `upstream` do the
//! reducing); `compare` and `fields` find the differences, collected in a `report` that
//! `text_report` and `json_report` print.

mod cli;
mod compare;
mod diff;
mod fields;
mod json_report;
mod report;
mod schema_model;
mod shape;
#[cfg(test)]
mod testing;
mod text_report;
mod upstream;
mod venv;

use cli::Options;
use compare::compare;
use json_report::render_json;
use schema_model::schema_of;
use text_report::render_text;
use venv::ChiaSource;

/// Runs the drift report.
pub fn run(args: &[&str]) -> Result<(), String> {
    let Options { chia, json_path, schema_dir } = Options::parse(args)?;

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
