//! YAML mistakes in plain words. The parser's own messages ("mapping values
//! are not allowed in this context") mean nothing to an editor, so each
//! kind of mistake gets a message that says what is wrong with *their*
//! line, and a hint with the corrected line, built from their own text.

use crate::diagnostics::{Diagnostic, Position};
use std::path::Path;

/// The line of `text` holding byte `at`: (start offset, the line's text).
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (start, text[start..end].trim_end_matches('\r'))
}

/// `key: value` split at the first `:` followed by a space (or the end).
pub(crate) fn key_and_value(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let colon = trimmed.find(':')?;
    let key = &trimmed[..colon];
    let rest = &trimmed[colon + 1..];
    if key.is_empty() || key.contains(char::is_whitespace) && !key.starts_with(['"', '\'']) {
        return None;
    }
    Some((key, rest.trim()))
}

/// `value` in double quotes, with the characters that need it escaped.
pub(crate) fn quoted(value: &str) -> String {
    let straight = strip_curly(value);
    let inner = straight.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{inner}\"")
}

/// The value without curly quotes around it, if it has them.
pub(crate) fn strip_curly(value: &str) -> &str {
    let v = value.trim();
    for (open, close) in [('“', '”'), ('‘', '’'), ('”', '”'), ('’', '’')] {
        if let Some(inner) = v.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner;
        }
    }
    v
}

/// True when `value` is wrapped in curly quotes.
pub(crate) fn has_curly_quotes(value: &str) -> bool {
    strip_curly(value) != value.trim()
}

/// A plain-words diagnostic for a YAML syntax error at byte `at` of `text`
/// (which starts at byte `base` of the file `path`). `parser` is the
/// parser's message.
pub(crate) fn syntax_error(
    parser: &str,
    text: &str,
    at: usize,
    base: usize,
    path: &Path,
) -> Diagnostic {
    let (line_start, line) = line_at(text, at);
    let indent = line.len() - line.trim_start().len();
    let kv = key_and_value(line);
    let here = Position::Offset(base + at);
    let at_line = Position::Offset(base + line_start + indent);
    let error = |pos, message: String, hint: String| {
        Diagnostic::error("bad-yaml", path, pos, message).with_hint(hint)
    };
    if parser.contains("duplicate entry with key") {
        let key = parser.split('"').nth(1).unwrap_or("this key");
        return error(
            at_line,
            format!("`{key}` is set twice in these settings"),
            format!("keep one `{key}:` line and delete the other"),
        );
    }
    if parser.contains("mapping values are not allowed") {
        if let Some((key, value)) = kv.filter(|_| indent == 0) {
            let reason = if has_curly_quotes(value) {
                "curly quotes are not quotes in YAML, so the colon in it starts a new setting"
            } else {
                "a colon followed by a space in it starts a new setting"
            };
            return error(
                here,
                format!("the text after `{key}:` cannot be read: {reason}"),
                format!(
                    "put the text in straight double quotes: {key}: {}",
                    quoted(value)
                ),
            );
        }
        return error(
            at_line,
            "this line is indented as if it belonged to the setting above it".into(),
            "start each setting at the beginning of the line, like `weight: 10`; only list items under a setting are indented".into(),
        );
    }
    if parser.contains("cannot start any token") {
        let c = text[at.min(text.len())..].chars().next().unwrap_or(' ');
        if c == '\t' {
            return error(
                here,
                "this line starts with a tab; YAML needs spaces".into(),
                "replace the tab with two spaces".into(),
            );
        }
        if let Some((key, value)) = kv {
            return error(
                here,
                format!("the text after `{key}:` cannot start with `{c}`"),
                format!("put the text in double quotes: {key}: {}", quoted(value)),
            );
        }
    }
    if let Some(d) = unclosed(parser, text, at, base, path, kv) {
        return d;
    }
    if parser.contains("did not find expected key") || parser.contains("block sequence entries") {
        return error(
            at_line,
            "the spaces at the start of this line do not match the lines around it".into(),
            "list items go under their setting, two spaces in, like `tags:` then `  - nominations`"
                .into(),
        );
    }
    error(
        at_line,
        "this line cannot be read as a setting".into(),
        "write one setting per line as `name: value`, and put text with `:` or `#` in double quotes".into(),
    )
}

/// An unclosed quote or list, or a backslash inside double quotes.
fn unclosed(
    parser: &str,
    text: &str,
    at: usize,
    base: usize,
    path: &Path,
    kv: Option<(&str, &str)>,
) -> Option<Diagnostic> {
    let here = Position::Offset(base + at);
    let error = |pos, message: String, hint: String| {
        Some(Diagnostic::error("bad-yaml", path, pos, message).with_hint(hint))
    };
    if parser.contains("while scanning a quoted scalar") && parser.contains("end of stream") {
        let (open_start, open_line) = line_at(text, quote_start(parser, text).unwrap_or(at));
        let q = if open_line.contains('\'') && !open_line.contains('"') {
            '\''
        } else {
            '"'
        };
        return error(
            Position::Offset(base + open_start),
            format!("a quote ({q}) opened on this line is never closed"),
            format!(
                "add the closing quote at the end of the value: {}{q}",
                open_line.trim_end()
            ),
        );
    }
    if parser.contains("while parsing a quoted scalar") {
        if let Some((key, value)) = kv {
            let inner = value.trim_matches('"').replace('\'', "''");
            return error(
                here,
                format!(
                    "the text after `{key}:` has a backslash, which starts a special character inside double quotes"
                ),
                format!("use single quotes instead: {key}: '{inner}'"),
            );
        }
    }
    if parser.contains("flow sequence") || parser.contains("flow mapping") {
        let close = if parser.contains("flow sequence") {
            ']'
        } else {
            '}'
        };
        let (open_start, open_line) = line_at(text, quote_start(parser, text).unwrap_or(at));
        return error(
            Position::Offset(base + open_start),
            format!(
                "a list opened with `{}` is not closed on this line",
                if close == ']' { '[' } else { '{' }
            ),
            format!(
                "end the line with `{close}`: {}{close}",
                open_line.trim_end()
            ),
        );
    }
    None
}

/// Where the construct named at the end of the parser's message began
/// ("..., while parsing a flow sequence at line 1 column 7"), as a byte
/// offset into `text`.
fn quote_start(parser: &str, text: &str) -> Option<usize> {
    let tail = parser.rsplit("while ").next()?;
    let line: usize = tail
        .split("at line ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let col: usize = tail
        .split("column ")
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    Some(start + col.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain(yaml: &str) -> (String, String) {
        let e = serde_yaml::from_str::<serde_yaml::Value>(yaml).expect_err("bad yaml");
        let full = e.to_string();
        let parser = full.split(" at line ").next().unwrap_or(&full).to_string()
            + &full[full.find(", while").unwrap_or(full.len())..];
        let at = e.location().map_or(0, |l| l.index());
        let d = syntax_error(&parser, yaml, at, 0, Path::new("a.md"));
        (d.message, d.hint.unwrap_or_default())
    }

    #[test]
    fn explains_an_unquoted_colon_with_the_quoted_line() {
        let (m, h) = explain("title: Smartcards: a guide\n");
        assert_eq!(
            m,
            "the text after `title:` cannot be read: a colon followed by a space in it starts a new setting"
        );
        assert_eq!(
            h,
            "put the text in straight double quotes: title: \"Smartcards: a guide\""
        );
        let (m, h) = explain("title: “Smartcards: a guide”\n");
        assert!(m.contains("curly quotes are not quotes"), "{m}");
        assert_eq!(
            h,
            "put the text in straight double quotes: title: \"Smartcards: a guide\""
        );
    }

    #[test]
    fn explains_unclosed_lists_and_quotes() {
        let (m, h) = explain("tags: [a, b\ntitle: x\n");
        assert_eq!(m, "a list opened with `[` is not closed on this line");
        assert_eq!(h, "end the line with `]`: tags: [a, b]");
        let (m, h) = explain("title: \"abc\ntags: x\n");
        assert_eq!(m, "a quote (\") opened on this line is never closed");
        assert_eq!(
            h,
            "add the closing quote at the end of the value: title: \"abc\""
        );
    }
}
