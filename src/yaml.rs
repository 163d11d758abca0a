//! YAML loading for front matter, site.yaml and glossary.yaml: the one module
//! that talks to serde_yaml. It turns every YAML problem into a
//! [`Diagnostic`] with a byte offset into the original file, checks
//! top-level keys against the allowed list (with "did you mean"), and
//! records where each top-level key sits so later validation can point at it.

use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::Path;

/// Where a top-level key and its value start, as byte offsets into the file.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KeySpan {
    /// Offset of the key's first character.
    pub(crate) key: usize,
    /// Offset of the value's first character (or the end of the key line).
    pub(crate) value: usize,
}

/// The positions of a document's top-level keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyMap {
    keys: BTreeMap<String, KeySpan>,
    /// Where the document starts, for problems that have no better place.
    pub(crate) start: usize,
}

impl KeyMap {
    /// The position of `key`'s value, or of the document when absent.
    pub(crate) fn value_pos(&self, key: &str) -> Position {
        Position::Offset(self.keys.get(key).map_or(self.start, |s| s.value))
    }

    /// The position of `key` itself, or of the document when absent.
    pub(crate) fn key_pos(&self, key: &str) -> Position {
        Position::Offset(self.keys.get(key).map_or(self.start, |s| s.key))
    }

    /// The span of `key`, when present.
    pub(crate) fn get(&self, key: &str) -> Option<KeySpan> {
        self.keys.get(key).copied()
    }
}

/// The most `[`/`{` nesting a YAML document may have. The YAML parser takes
/// quadratic time on deep flow nesting (100,000 brackets: over a minute).
pub(crate) const MAX_FLOW_DEPTH: usize = 32;
/// The largest YAML document pestle parses (front matter, site.yaml,
/// glossary.yaml); real ones are a few kilobytes.
pub(crate) const MAX_YAML_BYTES: usize = 1024 * 1024;

/// Refuses YAML too large or too deeply nested to parse quickly, before
/// the parser sees it.
fn check_limits(yaml: &str, base: usize, path: &Path) -> Result<(), Diagnostic> {
    if yaml.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            "bad-yaml",
            path,
            Position::Offset(base),
            format!(
                "these settings are {} KiB; pestle reads up to {} KiB of YAML",
                yaml.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        )
        .with_hint("move long text into the page body, below the front matter"));
    }
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() => quote = Some(b),
                b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(Diagnostic::error(
                            "bad-yaml",
                            path,
                            Position::Offset(base + i),
                            format!("lists or maps are nested more than {MAX_FLOW_DEPTH} levels deep here"),
                        )
                        .with_hint("write the value more simply; check for stray [ or { characters"));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        i += 1;
    }
    Ok(())
}

/// Parses `yaml` (found at byte `base` of the file `path`) into `T`.
///
/// Unknown top-level keys are reported with a suggestion from `allowed`;
/// syntax and type errors are reported at their position. Returns `None`
/// when the document cannot be turned into `T`.
pub(crate) fn parse<T: DeserializeOwned>(
    yaml: &str,
    base: usize,
    path: &Path,
    allowed: &[&str],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Option<T>, KeyMap) {
    let keymap = scan_keys(yaml, base);
    if let Err(d) = check_limits(yaml, base, path) {
        diags.push(d);
        return (None, keymap);
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(&e, yaml, base, path));
            return (None, keymap);
        }
    };
    let value = match value {
        serde_yaml::Value::Null => serde_yaml::Value::Mapping(Default::default()),
        v @ serde_yaml::Value::Mapping(_) => v,
        _ => {
            diags.push(
                Diagnostic::error(
                    "bad-yaml",
                    path,
                    Position::Offset(base),
                    format!("{what} must be a list of `key: value` lines"),
                )
                .with_hint("write one setting per line, for example `title: My page`"),
            );
            return (None, keymap);
        }
    };
    let mut unknown = false;
    if let serde_yaml::Value::Mapping(map) = &value {
        for key in map.keys() {
            let name = match key {
                serde_yaml::Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            if allowed.contains(&name.as_str()) {
                continue;
            }
            unknown = true;
            let hint = match did_you_mean(&name, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the allowed keys are: {}", allowed.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    "unknown-key",
                    path,
                    keymap.key_pos(&name),
                    format!("unknown {what} key `{name}`"),
                )
                .with_hint(hint),
            );
        }
    }
    if unknown {
        return (None, keymap);
    }
    match serde_yaml::from_str::<T>(if yaml.trim().is_empty() { "{}" } else { yaml }) {
        Ok(t) => (Some(t), keymap),
        Err(e) => {
            diags.push(yaml_error(&e, yaml, base, path));
            (None, keymap)
        }
    }
}

/// Parses a YAML document that is not a key/value mapping at the top (a
/// list, for glossary.yaml), reporting errors at their position.
pub(crate) fn parse_any<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    if let Err(d) = check_limits(yaml, 0, path) {
        diags.push(d);
        return None;
    }
    match serde_yaml::from_str::<T>(yaml) {
        Ok(t) => Some(t),
        Err(e) => {
            diags.push(yaml_error(&e, yaml, 0, path));
            None
        }
    }
}

/// Turns a serde_yaml error into a diagnostic with a plain message and a hint.
fn yaml_error(e: &serde_yaml::Error, yaml: &str, base: usize, path: &Path) -> Diagnostic {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let offset = e
        .location()
        .map_or(base, |l| base + l.index().min(yaml.len()));
    let (code, hint) = if message.contains("invalid type") || message.contains("invalid value") {
        (
            "bad-type",
            "check the value: text may need quotes, numbers have none, lists look like [a, b]",
        )
    } else if message.contains("missing field") {
        ("missing-key", "add the missing key")
    } else if message.contains("unknown field") {
        (
            "unknown-key",
            "remove the key or check its spelling against the documented keys",
        )
    } else {
        (
            "bad-yaml",
            "check the indentation and that text containing `: ` or `#` is in quotes",
        )
    };
    Diagnostic::error(code, path, Position::Offset(offset), message).with_hint(hint)
}

/// Finds each top-level `key:` line of a block mapping.
fn scan_keys(yaml: &str, base: usize) -> KeyMap {
    let mut keys = BTreeMap::new();
    let mut line_start = 0;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let first = trimmed.chars().next();
        if let Some(c) = first {
            if !c.is_whitespace() && c != '#' && c != '-' && c != '{' && c != '[' {
                if let Some((key, value_at)) = split_key(trimmed) {
                    keys.entry(key).or_insert(KeySpan {
                        key: base + line_start,
                        value: base + line_start + value_at,
                    });
                }
            }
        }
        line_start += line.len();
    }
    KeyMap { keys, start: base }
}

/// Splits `key: value` into the unquoted key and the value's byte offset.
fn split_key(line: &str) -> Option<(String, usize)> {
    let bytes = line.as_bytes();
    let (key, after) = if bytes[0] == b'"' || bytes[0] == b'\'' {
        let q = bytes[0] as char;
        let end = line[1..].find(q)? + 1;
        (line[1..end].to_string(), end + 1)
    } else {
        let colon = line.find(':')?;
        (line[..colon].trim_end().to_string(), colon)
    };
    let rest = line.get(after..)?;
    let rest_trim = rest.strip_prefix(':')?;
    if !(rest_trim.is_empty() || rest_trim.starts_with([' ', '\t'])) {
        return None;
    }
    let value_rel = rest_trim.len() - rest_trim.trim_start().len();
    let value_at = after + 1 + value_rel;
    Some((key, value_at.min(line.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_keys_and_value_offsets() {
        let y = "title: A\n# c\ntags:\n  - x\n\"quoted\": 3\nurl: http://x\n";
        let m = scan_keys(y, 10);
        assert_eq!(m.get("title").map(|s| (s.key, s.value)), Some((10, 17)));
        assert!(m.get("tags").is_some());
        assert!(m.get("quoted").is_some());
        assert_eq!(
            m.get("url").map(|s| s.value - 10),
            Some(y.find("http").unwrap_or(0))
        );
        assert!(m.get("  - x").is_none());
    }
}
