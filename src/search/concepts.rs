//! Glossary entries as concepts. Each entry's term (`SCR`), expansion
//! (`Summary Care Record`, without any bracketed note) and aliases are its
//! surface forms; wherever a page uses any of them, the index gets the
//! concept term `~scr` in the same field, so one query term finds every
//! way of saying it. The client matches queries against the same forms
//! (shipped in `meta.js`).

use super::tokens::Analyzer;
use crate::glossary::Entry;
use std::collections::HashMap;

/// The index term of a concept starts with this character, which no word
/// term can contain, and sorts after letters and digits.
pub(crate) const MARK: char = '~';

/// One glossary entry's concept.
pub(crate) struct Concept {
    /// The index term: `~scr`.
    pub(crate) key: String,
    /// The glossary entry it comes from.
    pub(crate) entry: usize,
    /// Each surface form as a sequence of terms.
    pub(crate) forms: Vec<Vec<String>>,
}

/// Every concept, with a look-up by a form's first term.
pub(crate) struct Concepts {
    pub(crate) list: Vec<Concept>,
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// An expansion without notes: `Local Area Team (NHS England)` → `Local
/// Area Team`; `Plan / Partnership` → `Plan`.
fn clean_expansion(e: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in e.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split(" / ").next().unwrap_or("").trim().to_string()
}

impl Concepts {
    /// The concepts of `glossary`, with forms analysed by `analyzer`.
    pub(crate) fn new(glossary: &[Entry], analyzer: &Analyzer) -> Self {
        let mut list = Vec::new();
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (entry, e) in glossary.iter().enumerate() {
            let mut forms: Vec<Vec<String>> = Vec::new();
            let texts = std::iter::once(e.term.clone())
                .chain(std::iter::once(clean_expansion(&e.expansion)))
                .chain(e.aliases.iter().cloned());
            for text in texts {
                let terms = analyzer.terms(&text);
                if !terms.is_empty() && !forms.contains(&terms) {
                    forms.push(terms);
                }
            }
            let key = format!("{MARK}{}", analyzer.terms(&e.term).join(" "));
            if forms.is_empty() || key.len() == 1 {
                continue;
            }
            let c = list.len();
            for (f, form) in forms.iter().enumerate() {
                by_first.entry(form[0].clone()).or_default().push((c, f));
            }
            list.push(Concept { key, entry, forms });
        }
        Concepts { list, by_first }
    }

    /// True when a concept's form starts with `term`.
    pub(crate) fn can_start(&self, term: &str) -> bool {
        self.by_first.contains_key(term)
    }

    /// Every use of a concept in a stream of terms: (position, concept),
    /// overlapping uses included (`EPS R1` is both `~eps` and `~r1`).
    pub(crate) fn find(&self, terms: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if self.by_first.is_empty() {
            return out;
        }
        for (i, t) in terms.iter().enumerate() {
            let Some(cands) = self.by_first.get(*t) else {
                continue;
            };
            for &(c, f) in cands {
                let form = &self.list[c].forms[f];
                let fits = form.len() <= terms.len() - i
                    && form.iter().zip(&terms[i..]).all(|(a, b)| a == b);
                if fits && !out.contains(&(i, c)) {
                    out.push((i, c));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str, expansion: &str, aliases: &[&str]) -> Entry {
        Entry {
            term: term.into(),
            expansion: expansion.into(),
            description: String::new(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            id: term.to_lowercase(),
            letter: String::new(),
        }
    }

    #[test]
    fn finds_acronyms_expansions_and_aliases_in_any_inflection() {
        let g = vec![
            entry("RA", "Registration Authority", &[]),
            entry("LAT", "Local Area Team (NHS England)", &["area team"]),
        ];
        let a = Analyzer::new(g.iter().map(|e| e.term.as_str()));
        let c = Concepts::new(&g, &a);
        let terms = a.terms("Registration Authorities and the RA; our area teams");
        let refs: Vec<&str> = terms.iter().map(String::as_str).collect();
        let found: Vec<&str> = c
            .find(&refs)
            .iter()
            .map(|&(_, k)| c.list[k].key.as_str())
            .collect();
        assert_eq!(found, ["~ra", "~ra", "~lat"]);
    }
}
