//! Turning schema prose into rustdoc that never warns.

use proc_macro2::TokenStream;
use quote::quote;

/// Escapes schema prose for use inside generated documentation (see [`escape`]).
pub fn md(text: &str) -> String {
    escape(text.trim()).trim_end().to_owned()
}

/// Outer doc attributes (`///`) for `text`, which must already be escaped (see [`md`]).
pub fn outer(text: &str) -> TokenStream {
    let lines = lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Inner doc attributes (`//!`) for `text`, which must already be escaped (see [`md`]).
pub fn inner(text: &str) -> TokenStream {
    let lines = lines(text);
    quote!(#(#![doc = #lines])*)
}

fn lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {}", l.trim_end()) })
        .collect()
}

/// Escapes Markdown so rustdoc neither warns nor runs doctests: bare URLs become autolinks,
/// brackets that are not links and `<` are escaped, and code fences without a language are
/// marked `text`.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    // Content column of the list item the previous line belongs to.
    let mut list: Option<usize> = None;
    for raw in text.lines() {
        let expanded = raw.replace('\t', "    ");
        let mut line = expanded.as_str();
        let mut padded = String::new();
        if !in_fence && !line.trim_start().starts_with("```") {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                list = None;
            } else if let Some(marker) = list_marker(trimmed) {
                list = Some(indent.min(3) + marker);
            } else if let Some(column) = list {
                // A lazy continuation of a list item: indent it under the item's text.
                if indent < column {
                    padded = format!("{}{}", " ".repeat(column), trimmed);
                }
            }
            if padded.is_empty() && indent > 3 && list.is_none() {
                // Four spaces would make an indented code block, which rustdoc compiles.
                padded = format!("   {trimmed}");
            }
            if !padded.is_empty() {
                line = &padded;
            }
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let indent = &line[..line.len() - trimmed.len()];
            if in_fence {
                out.push_str(line);
            } else if trimmed.trim_end() == "```" {
                out.push_str(indent);
                out.push_str("```text");
            } else {
                out.push_str(line);
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&escape_inline(line));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out
}

fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            // A code span: copy it up to the matching run of backticks.
            let run = chars[i..].iter().take_while(|&&ch| ch == '`').count();
            let mut j = i + run;
            let mut end = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let r = chars[j..].iter().take_while(|&&ch| ch == '`').count();
                    if r == run {
                        end = Some(j + r);
                        break;
                    }
                    j += r;
                } else {
                    j += 1;
                }
            }
            match end {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    for _ in 0..run {
                        out.push_str("\\`");
                    }
                    i += run;
                }
            }
            continue;
        }
        if c == '[' {
            if let Some(len) = link_len(&chars[i..]) {
                out.extend(&chars[i..i + len]);
                i += len;
                continue;
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == '<' {
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if c == '>' && !out.trim().is_empty() {
            out.push_str("&gt;");
            i += 1;
            continue;
        }
        let rest: String = chars[i..].iter().take(8).collect();
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let mut end = i;
            while end < chars.len() && !chars[end].is_whitespace() && !"<>`".contains(chars[end]) {
                end += 1;
            }
            while end > i && ".,;:!?)'\"".contains(chars[end - 1]) {
                end -= 1;
            }
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The width of the list marker (`- `, `* `, `1. `) that `line` starts with, if any.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// The length of a Markdown inline link `[text](url)` starting at `chars[0]`, if it is one.
fn link_len(chars: &[char]) -> Option<usize> {
    let close = chars.iter().position(|&c| c == ']')?;
    if chars[1..close].contains(&'[') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 1..].iter().position(|&c| c == ')')? + close + 1;
    let url: String = chars[close + 2..end].iter().collect();
    if url.starts_with("http://") || url.starts_with("https://") { Some(end + 1) } else { None }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_rustdoc_warns_about() {
        assert_eq!(escape("see https://chia.net."), "see <https://chia.net>.\n");
        assert_eq!(escape("a [b] c"), "a \\[b\\] c\n");
        assert_eq!(escape("list<u8> `list<u8>`"), "list&lt;u8&gt; `list<u8>`\n");
        assert_eq!(escape("[x](https://a.b/c)"), "[x](https://a.b/c)\n");
        assert_eq!(escape("```\n[a]\n```"), "```text\n[a]\n```\n");
        assert_eq!(escape("> quote"), "> quote\n");
        assert_eq!(escape("- item\nlazy\n\nafter"), "- item\n  lazy\n\nafter\n");
        assert_eq!(escape("1. one\n   two"), "1. one\n   two\n");
        assert_eq!(escape("para\n\n      code"), "para\n\n   code\n");
    }
}
