//! Replies captured from a real node (`tests/fixtures/chia-<version>/`), which the published
//! documents show as examples and whose directory names the chia-blockchain version the schema
//! was checked against.

use std::collections::BTreeMap;
use std::path::Path;

/// The captured replies of one chia-blockchain version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examples {
    /// The version they were captured from (`2.7.5`), when any were loaded.
    pub chia_version: Option<String>,
    /// Reply bodies by directory and file stem: `("full_node", "get_blockchain_state")`,
    /// `("shared", "get_connections.farmer")`. Request bodies and failure replies are left out.
    pub replies: BTreeMap<(String, String), String>,
}

impl Examples {
    /// Loads the newest `chia-<version>` directory under `fixtures`; none is no examples.
    pub fn load(fixtures: &Path) -> std::io::Result<Examples> {
        let mut versions: Vec<(Vec<u64>, String)> = Vec::new();
        if fixtures.is_dir() {
            for entry in std::fs::read_dir(fixtures)? {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if let Some(version) = name.strip_prefix("chia-") {
                    let key = version.split('.').map(|n| n.parse().unwrap_or(0)).collect();
                    versions.push((key, version.to_owned()));
                }
            }
        }
        versions.sort();
        let Some((_, version)) = versions.pop() else { return Ok(Examples::default()) };
        let mut replies = BTreeMap::new();
        let base = fixtures.join(format!("chia-{version}"));
        for dir in std::fs::read_dir(&base)? {
            let dir = dir?;
            if !dir.file_type()?.is_dir() {
                continue;
            }
            let service = dir.file_name().to_string_lossy().into_owned();
            for file in std::fs::read_dir(dir.path())? {
                let file = file?.path();
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
                let Some(stem) = name.as_deref().and_then(|n| n.strip_suffix(".json")) else {
                    continue;
                };
                if stem.ends_with(".request") || stem.contains(".failure") {
                    continue;
                }
                replies.insert((service.clone(), stem.to_owned()), std::fs::read_to_string(&file)?);
            }
        }
        Ok(Examples { chia_version: Some(version), replies })
    }

    /// The captured reply of `route`, declared by the service `owner`, as served by `service`:
    /// the capture from that very service first (`shared/get_connections.farmer`), then the
    /// owner's plain one.
    pub fn reply(&self, owner: &str, route: &str, service: &str) -> Option<&str> {
        let get = |stem: String| self.replies.get(&(owner.to_owned(), stem)).map(String::as_str);
        get(format!("{route}.{service}")).or_else(|| get(route.to_owned()))
    }
}

/// `json` laid out with two-space indentation, numbers and strings kept exactly as written (a
/// uint128 stays exact), at most `max_lines` lines; the rest is replaced by a line saying how
/// many were left out.
pub fn pretty_json(json: &str, max_lines: usize) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let mut chars = json.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    let total = out.lines().count();
    if total <= max_lines {
        return out;
    }
    let mut cut: Vec<&str> = out.lines().take(max_lines).collect();
    let more = format!("… {} more lines", total - max_lines);
    cut.push(&more);
    cut.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_json_keeping_numbers_exact() {
        let text = r#"{"a": [1, 340282366920938463463374607431768211455], "b": "x, {y}", "c": {}}"#;
        assert_eq!(
            pretty_json(text, 100),
            "{\n  \"a\": [\n    1,\n    340282366920938463463374607431768211455\n  ],\n  \
             \"b\": \"x, {y}\",\n  \"c\": {}\n}"
        );
        assert_eq!(pretty_json(text, 2), "{\n  \"a\": [\n… 6 more lines");
    }
}
