//! YAML loading for front matter, site.yaml and glossary.yaml: the one module
//! that talks to serde_yaml. It turns every YAML problem into a
//! [`Diagnostic`] with a byte offset into the original file, checks
//! top-level keys against the allowed list (with "did you mean"), and
//! records where each top-level key sits so later validation can point at it.

mod explain;

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

/// The positions of a document's top-level keys. Every page keeps one until
/// its site is checked, so it is compact: the names in one string, each
/// after the last, and their spans in one list, in name order.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyMap {
    names: Box<str>,
    /// For each name in order: where it ends in `names`, and its span.
    spans: Box<[(u32, KeySpan)]>,
    /// Where the document starts, for problems that have no better place.
    pub(crate) start: usize,
}

impl KeyMap {
    fn new(keys: BTreeMap<String, KeySpan>, start: usize) -> KeyMap {
        let mut names = String::new();
        let mut spans = Vec::with_capacity(keys.len());
        for (name, span) in keys {
            names.push_str(&name);
            spans.push((u32::try_from(names.len()).unwrap_or(u32::MAX), span));
        }
        KeyMap {
            names: names.into(),
            spans: spans.into(),
            start,
        }
    }

    /// The names, each with its span, in order.
    fn entries(&self) -> impl Iterator<Item = (&str, KeySpan)> {
        let mut from = 0;
        self.spans.iter().map(move |&(end, span)| {
            let name = self.names.get(from..end as usize).unwrap_or("");
            from = end as usize;
            (name, span)
        })
    }

    /// The position of `key`'s value, or of the document when absent.
    pub(crate) fn value_pos(&self, key: &str) -> Position {
        Position::Offset(self.get(key).map_or(self.start, |s| s.value))
    }

    /// The position of `key` itself, or of the document when absent.
    pub(crate) fn key_pos(&self, key: &str) -> Position {
        Position::Offset(self.get(key).map_or(self.start, |s| s.key))
    }

    /// The span of `key`, when present.
    pub(crate) fn get(&self, key: &str) -> Option<KeySpan> {
        self.entries()
            .find(|(name, _)| *name == key)
            .map(|(_, s)| s)
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

/// What [`parse_entries`] read.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The settings that could be read.
    pub(crate) entries: Vec<Entry>,
    /// Where every top-level key is.
    pub(crate) keys: KeyMap,
    /// Keys whose lines could not be read (already reported).
    pub(crate) broken: Vec<String>,
}

/// One top-level `key: value` setting, parsed on its own.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: serde_yaml::Value,
    /// Where the key and its value are, as byte offsets into the file.
    pub(crate) span: KeySpan,
}

/// Replaces tabs at the start of lines (which YAML refuses) with spaces,
/// byte for byte, reporting each line; warns about curly quotes around a
/// value, which YAML keeps as part of the text.
fn tidy(
    yaml: &str,
    base: usize,
    first_line: usize,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut out = String::with_capacity(yaml.len());
    let mut at = 0;
    let mut previous: Option<&str> = None;
    for (n, line) in yaml.split_inclusive('\n').enumerate() {
        let line_number = first_line + n;
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        if line[..lead].contains('\t') {
            // A tabbed line after a finished top-level setting is a setting
            // of its own: read it as one, with the indent moved to its end
            // (so every offset stays where it was).
            let top_level = previous.is_some_and(|p: &str| {
                !p.starts_with([' ', '\t', '-']) && !p.trim_end().ends_with(':')
            });
            let body = line[lead..].trim_end_matches(['\n', '\r']);
            let fixed = if top_level {
                body.to_string()
            } else {
                format!("{}{body}", line[..lead].replace('\t', "  "))
            };
            diags.push(
                Diagnostic::error(
                    "bad-yaml",
                    path,
                    Position::Offset(base + at),
                    format!("line {line_number} starts with a tab: use spaces, not tabs, at the start of line {line_number}"),
                )
                .with_hint(format!("write the line as: {fixed}")),
            );
            if top_level {
                out.push_str(body);
                out.push_str(&" ".repeat(lead));
                out.push_str(&line[lead + body.len()..]);
            } else {
                out.push_str(&line[..lead].replace('\t', " "));
                out.push_str(&line[lead..]);
            }
        } else {
            out.push_str(line);
        }
        if !line.trim().is_empty() {
            previous = Some(line);
        }
        if let Some((key, value)) = explain::key_and_value(line) {
            if explain::has_curly_quotes(value) && lead == 0 && !value.contains(": ") {
                let value_at = line.find(value).unwrap_or(0);
                diags.push(
                    Diagnostic::warning(
                        "curly-quotes",
                        path,
                        Position::Offset(base + at + value_at),
                        format!(
                            "the value of `{key}` is in curly quotes, which will show on the page"
                        ),
                    )
                    .with_hint(format!(
                        "use straight quotes, or none: {key}: {}",
                        explain::quoted(value)
                    )),
                );
            }
        }
        at += line.len();
    }
    out
}

/// The parser's message without its position, and the byte it points at.
fn parser_message(e: &serde_yaml::Error, len: usize) -> (String, usize) {
    let full = e.to_string();
    let at = e.location().map_or(0, |l| l.index().min(len));
    // "X at line 1 column 2, while parsing Y at line 1 column 1": keep both
    // parts' words, the second part's place is read by `explain`.
    let (first, rest) = match full.find(" at line ") {
        Some(i) => (&full[..i], &full[i..]),
        None => (full.as_str(), ""),
    };
    let tail = rest.find(", while").map_or("", |i| &rest[i..]);
    (format!("{first}{tail}"), at)
}

/// Top-level entries of a block mapping: (start, end) of each, a key line
/// and the indented, blank or list lines after it.
fn entry_ranges(yaml: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        let first = line.chars().next().unwrap_or(' ');
        let starts_entry = !first.is_whitespace() && first != '#' && first != '-';
        match out.last_mut() {
            Some(last) if !starts_entry => last.1 = at + line.len(),
            _ if starts_entry => out.push((at, at + line.len())),
            _ => {}
        }
        at += line.len();
    }
    out
}

/// Parses front matter (`yaml`, at byte `base` of `path`) setting by
/// setting: when the whole block does not parse, each top-level entry is
/// parsed on its own, so one broken line hides none of the others. Every
/// problem is reported; the entries that could be read come back.
pub(crate) fn parse_entries(
    yaml: &str,
    base: usize,
    first_line: usize,
    path: &Path,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Parsed {
    let keys = scan_keys(yaml, base);
    let mut out = Parsed {
        entries: Vec::new(),
        keys,
        broken: Vec::new(),
    };
    if let Err(d) = check_limits(yaml, base, path) {
        diags.push(d);
        return out;
    }
    let text = tidy(yaml, base, first_line, path, diags);
    let whole = serde_yaml::from_str::<serde_yaml::Value>(&text);
    let keymap = &out.keys;
    let mut entries = Vec::new();
    match whole {
        Ok(serde_yaml::Value::Null) => {}
        Ok(serde_yaml::Value::Mapping(map)) => {
            for (k, v) in map {
                let key = key_name(&k);
                let span = keymap.get(&key).unwrap_or(KeySpan {
                    key: base,
                    value: base,
                });
                entries.push(Entry {
                    key,
                    value: v,
                    span,
                });
            }
        }
        Ok(_) => diags.push(not_a_mapping(&text, base, path, what)),
        Err(_) => {
            let mut seen: Vec<String> = Vec::new();
            for (start, end) in entry_ranges(&text) {
                let part = &text[start..end];
                match serde_yaml::from_str::<serde_yaml::Value>(part) {
                    Ok(serde_yaml::Value::Mapping(map)) => {
                        for (k, v) in map {
                            let key = key_name(&k);
                            let span = keymap.get(&key).unwrap_or(KeySpan {
                                key: base + start,
                                value: base + start,
                            });
                            if seen.contains(&key) {
                                diags.push(explain::syntax_error(
                                    &format!("duplicate entry with key \"{key}\""),
                                    part,
                                    0,
                                    base + start,
                                    path,
                                ));
                                continue;
                            }
                            seen.push(key.clone());
                            entries.push(Entry {
                                key,
                                value: v,
                                span,
                            });
                        }
                    }
                    Ok(_) => diags.push(not_a_mapping(part, base + start, path, what)),
                    Err(e) => {
                        let (message, at) = parser_message(&e, part.len());
                        diags.push(explain::syntax_error(
                            &message,
                            part,
                            at,
                            base + start,
                            path,
                        ));
                        if let Some((key, _)) = split_key(part.lines().next().unwrap_or("")) {
                            out.broken.push(key);
                        }
                    }
                }
            }
        }
    }
    out.entries = entries;
    out
}

fn key_name(k: &serde_yaml::Value) -> String {
    match k {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// A block that parses, but not as `key: value` lines.
fn not_a_mapping(text: &str, base: usize, path: &Path, what: &str) -> Diagnostic {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let hint = match first.split_once(':') {
        Some((key, value))
            if !key.contains(' ') && !value.starts_with(' ') && !value.is_empty() =>
        {
            format!("write a space after the colon: {key}: {value}")
        }
        _ => "write one setting per line, for example `title: My page`".to_string(),
    };
    Diagnostic::error(
        "bad-yaml",
        path,
        Position::Offset(base),
        format!("{what} must be `name: value` lines"),
    )
    .with_hint(hint)
}

/// Parses `yaml` (found at byte `base` of the file `path`) into `T`.
///
/// Unknown top-level keys are reported with a suggestion from `allowed`;
/// syntax and type errors are reported at their position, in plain words.
/// Returns `None` when the document cannot be turned into `T`.
pub(crate) fn parse<T: DeserializeOwned>(
    yaml: &str,
    base: usize,
    path: &Path,
    allowed: &[&str],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Option<T>, KeyMap) {
    let before = diags.len();
    let Parsed {
        entries,
        keys: keymap,
        ..
    } = parse_entries(yaml, base, 1, path, what, diags);
    for e in &entries {
        if allowed.contains(&e.key.as_str()) {
            continue;
        }
        diags.push(unknown_key(
            &e.key,
            allowed,
            what,
            path,
            keymap.key_pos(&e.key),
        ));
    }
    if diags[before..]
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        return (None, keymap);
    }
    let text = yaml.replace('\t', " ");
    match serde_yaml::from_str::<T>(if yaml.trim().is_empty() { "{}" } else { &text }) {
        Ok(t) => (Some(t), keymap),
        Err(e) => {
            diags.push(type_error(&e, yaml, base, path));
            (None, keymap)
        }
    }
}

/// An unknown key, with the nearest allowed one.
pub(crate) fn unknown_key(
    name: &str,
    allowed: &[&str],
    what: &str,
    path: &Path,
    at: Position,
) -> Diagnostic {
    let hint = match did_you_mean(name, allowed.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the allowed keys are: {}", allowed.join(", ")),
    };
    Diagnostic::error(
        "unknown-key",
        path,
        at,
        format!("unknown {what} key `{name}`"),
    )
    .with_hint(hint)
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
    let text = tidy(yaml, 0, 1, path, diags);
    match serde_yaml::from_str::<T>(&text) {
        Ok(t) => Some(t),
        Err(e) => {
            diags.push(type_error(&e, &text, 0, path));
            None
        }
    }
}

/// A serde_yaml error (syntax or type) as a plain-words diagnostic.
fn type_error(e: &serde_yaml::Error, yaml: &str, base: usize, path: &Path) -> Diagnostic {
    let (message, at) = parser_message(e, yaml.len());
    let offset = Position::Offset(base + at);
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, wanted) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another kind of value"));
        return Diagnostic::error(
            "bad-type",
            path,
            offset,
            format!("this is {found}, but {wanted} belongs here"),
        )
        .with_hint("text may need quotes, numbers have none, and lists look like [a, b]");
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return Diagnostic::error(
            "missing-key",
            path,
            offset,
            format!("{field} is missing here"),
        )
        .with_hint(format!("add a line `{}: ...`", field.trim_matches('`')));
    }
    if let Some(field) = message.strip_prefix("unknown field ") {
        let name = field.split('`').nth(1).unwrap_or(field);
        return Diagnostic::error(
            "unknown-key",
            path,
            offset,
            format!("`{name}` is not a setting here"),
        )
        .with_hint("remove it, or check its spelling against README.md");
    }
    if message.contains("invalid value") {
        return Diagnostic::error(
            "bad-type",
            path,
            offset,
            message.replace("invalid value: ", "this value does not fit: "),
        )
        .with_hint("check the value against README.md");
    }
    explain::syntax_error(&message, yaml, at, base, path)
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
    KeyMap::new(keys, base)
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

/// The field names a `#[derive(Deserialize)]` struct reads, in order: the
/// one source of truth for the key tables' tests.
#[cfg(test)]
pub(crate) fn struct_fields<T: serde::de::DeserializeOwned>() -> Vec<&'static str> {
    struct Capture(std::cell::RefCell<Vec<&'static str>>);
    impl<'de> serde::Deserializer<'de> for &Capture {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("fields only"))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.borrow_mut().extend_from_slice(fields);
            Err(serde::de::Error::custom("fields only"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let c = Capture(std::cell::RefCell::new(Vec::new()));
    let _ = T::deserialize(&c);
    c.0.into_inner()
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
