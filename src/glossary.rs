//! The site's glossary: `glossary.yaml` at the site root, a list of terms
//! with their expansion, a description and aliases. It feeds the glossary
//! page (and later `<abbr>` and search synonyms).

use crate::diagnostics::{Diagnostic, LineIndex, Position};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The glossary file name at the site root.
pub const GLOSSARY_FILE: &str = "glossary.yaml";

/// The keys of a glossary entry, with what each holds (for `pestle schema
/// glossary`); the first two are required.
pub(crate) const FIELDS: &[(&str, &str)] = &[
    ("term", "The term as written in pages, like EPS."),
    (
        "expansion",
        "What it stands for, like Electronic Prescription Service.",
    ),
    (
        "description",
        "What it is, in a sentence or two of plain English.",
    ),
    ("aliases", "Other spellings or older names, as a list."),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    term: String,
    expansion: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<String>,
}

/// One glossary term, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The term as written, e.g. `EPS`.
    pub term: String,
    /// What it stands for.
    pub expansion: String,
    /// A plain-English description.
    pub description: String,
    /// Other spellings or older names.
    pub aliases: Vec<String>,
    /// The anchor on the glossary page.
    pub id: String,
    /// The first letter, upper case, for A-to-Z grouping.
    pub letter: String,
}

/// Parses glossary.yaml's text into entries sorted A to Z.
pub(crate) fn parse(text: &str, path: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let raw: Vec<RawEntry> = crate::yaml::parse_any::<Option<Vec<RawEntry>>>(text, path, diags)
        .flatten()
        .unwrap_or_default();
    let index = LineIndex::new(text);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    let term_lines = term_lines(text);
    for (n, r) in raw.into_iter().enumerate() {
        let term = r.term.trim().to_string();
        let at = term_lines
            .get(n)
            .map_or(Position::File, |&o| Position::Offset(o));
        if term.is_empty() || r.expansion.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    "bad-glossary",
                    path,
                    at,
                    "a glossary entry needs a term and an expansion",
                )
                .with_hint(
                    "write `- term: EPS` and `  expansion: Electronic Prescription Service`",
                ),
            );
            continue;
        }
        let key = term.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let line = index.line_col(*first).0;
            diags.push(
                Diagnostic::error(
                    "duplicate-term",
                    path,
                    at,
                    format!("the term `{term}` is defined twice"),
                )
                .with_hint(format!("merge it with the entry on line {line}")),
            );
            continue;
        }
        if let Position::Offset(o) = at {
            seen.insert(key, o);
        } else {
            seen.insert(key, 0);
        }
        let id = crate::content::slugify(&term);
        let letter = term
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default();
        out.push(Entry {
            term,
            expansion: r.expansion.trim().to_string(),
            description: r.description.trim().to_string(),
            aliases: r.aliases,
            id,
            letter,
        });
    }
    out.sort_by(|a, b| (a.term.to_lowercase(), &a.term).cmp(&(b.term.to_lowercase(), &b.term)));
    out
}

/// The offset of each `term:` line, in order: entry n's is the nth.
fn term_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches('-').trim_start();
        if t.starts_with("term:") {
            out.push(pos + (line.len() - t.len()));
        }
        pos += line.len();
    }
    out
}

/// Finds the first use of each glossary term in a page's text, to mark it
/// with `<abbr>`. Terms match as written (case matters, so the term `IT`
/// never matches the word "it") and only as whole words.
pub(crate) struct Matcher<'a> {
    entries: &'a [Entry],
}

impl<'a> Matcher<'a> {
    /// A matcher over `entries`.
    pub(crate) fn new(entries: &'a [Entry]) -> Self {
        Matcher { entries }
    }

    /// True when there are no terms to look for.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The earliest whole-word use in `text` of a term not yet `used`:
    /// (start, end, entry index).
    pub(crate) fn first_in(&self, text: &str, used: &[bool]) -> Option<(usize, usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, e) in self.entries.iter().enumerate() {
            if used.get(i).copied().unwrap_or(true) || e.term.is_empty() {
                continue;
            }
            let mut from = 0;
            while let Some(pos) = text[from..].find(e.term.as_str()) {
                let start = from + pos;
                let end = start + e.term.len();
                let before = text[..start].chars().next_back();
                let after = text[end..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                if boundary(before) && boundary(after) {
                    if best.is_none_or(|(s, bend, _)| start < s || (start == s && end > bend)) {
                        best = Some((start, end, i));
                    }
                    break;
                }
                from = start + e.term.chars().next().map_or(1, char::len_utf8);
            }
        }
        best
    }

    /// The expansion of entry `i`.
    pub(crate) fn expansion(&self, i: usize) -> &str {
        &self.entries[i].expansion
    }

    /// How many entries there are.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_key_table_lists_every_key_read() {
        let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
        assert_eq!(crate::yaml::struct_fields::<RawEntry>(), names);
    }
}
