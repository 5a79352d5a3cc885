//! `cargo xtask codegen [--check]`: regenerate the bindings from `schema/`, or check they are
//! up to date.

use chia_rpc_codegen::{Layout, check, generate, load, write};

/// Runs the task with the arguments after `codegen`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let check_only = match args {
        [] => false,
        ["--check"] => true,
        _ => return Err("usage: cargo xtask codegen [--check]".to_owned()),
    };
    let root = crate::workspace_root();
    let ir = load(&root.join("schema"), &root)
        .map_err(|d| format!("{d}\nschema errors: {}", d.0.len()))?;
    let layout = Layout::default()
        .with_examples(&root)
        .map_err(|e| format!("cannot read the captured replies: {e}"))?;
    let files = generate(&ir, &layout).map_err(|err| err.to_string())?;
    let drift =
        check(&root, &layout, &files).map_err(|e| format!("cannot read generated files: {e}"))?;
    let summary = format!(
        "{} services, {} endpoints, {} events, {} types, {} files",
        ir.servers().count(),
        ir.endpoint_count(),
        ir.event_count(),
        ir.type_count(),
        files.len()
    );
    if check_only {
        if drift.is_empty() {
            println!("generated files are up to date ({summary})");
            return Ok(());
        }
        let paths: Vec<String> = drift.paths().iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "generated files are stale: {}\nrun `cargo xtask codegen` and commit the result",
            paths.join(", ")
        ));
    }
    let touched =
        write(&root, &files, &drift).map_err(|e| format!("cannot write generated files: {e}"))?;
    println!("{summary}; {touched} written or removed");
    Ok(())
}
