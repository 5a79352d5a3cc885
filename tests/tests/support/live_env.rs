//! The settings `cargo xtask test` writes for live tests (`CHIA_RPC_LIVE_ENV`), for live test
//! binaries other than the main live suite.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The settings the harness wrote: `KEY=VALUE` lines, values single-quoted for the shell.
pub fn live_env() -> BTreeMap<String, String> {
    let path = std::env::var_os("CHIA_RPC_LIVE_ENV").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "live tests need a running simulator: run `cargo xtask test` \
             (CHIA_RPC_LIVE_ENV is unset)"
        )
    });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read the live env file {}: {err}", path.display()));
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), unquote(value.trim())))
        .collect()
}

fn unquote(word: &str) -> String {
    match word.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')) {
        Some(inner) => inner.replace("'\\''", "'"),
        None => word.to_owned(),
    }
}
