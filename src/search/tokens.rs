//! Turning text into index terms, the same way the browser client does
//! (`themes/default/static/search/search.js`, checked against
//! `tests/search/golden.json` and the site's whole vocabulary).
//!
//! 1. NFKD, then combining marks U+0300–U+036F dropped (`café` → `cafe`).
//! 2. Words are runs of letters and digits; an apostrophe between two of
//!    them is dropped (`patient's` → `patients`), anything else splits.
//! 3. Each word is classified by how it was written:
//!    - a number or a code with a digit (`2016`, `FP10DT`, `R8000`) is kept
//!      as it is, lower-cased;
//!    - an acronym (two or more letters, all capitals: `EPS`, `IT`,
//!      `FFFFF`), a plural acronym (`CCGs` → `ccg`) or a glossary term
//!      (`eRD`, `NHSmail`) is kept lower-cased and never stemmed; acronyms
//!      are kept even when they spell a stop word, so `NHS IT` is findable
//!      while the pronoun "it" is not indexed;
//!    - any other word is lower-cased, dropped if it is a stop word, has its
//!      US spelling folded to the UK one (`organize` → `organise`) and is
//!      stemmed with Snowball English (Porter2), with a few overrides.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Words left out of the postings when written in lower case: Lucene's
/// English list plus the question words, pronouns and negative contractions
/// people type in questions ("how do I ...", "can't", "won't"; the
/// apostrophe is already gone).
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "are", "arent", "as", "at", "be", "but", "by", "can", "cant",
    "couldnt", "didnt", "do", "does", "doesnt", "dont", "for", "from", "hasnt", "havent", "he",
    "her", "him", "his", "how", "i", "if", "im", "in", "into", "is", "isnt", "it", "its", "ive",
    "me", "my", "no", "not", "of", "on", "or", "our", "she", "shouldnt", "such", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "us", "was", "wasnt", "we",
    "what", "when", "where", "which", "who", "why", "will", "with", "wont", "wouldnt", "you",
    "your",
];

/// UK spellings for US ones that the suffix rules do not catch.
const SPELLINGS: &[(&str, &str)] = &[
    ("behavior", "behaviour"),
    ("behaviors", "behaviours"),
    ("catalog", "catalogue"),
    ("catalogs", "catalogues"),
    ("center", "centre"),
    ("centers", "centres"),
    ("color", "colour"),
    ("colors", "colours"),
    ("defense", "defence"),
    ("enroll", "enrol"),
    ("enrollment", "enrolment"),
    ("fulfill", "fulfil"),
    ("fulfillment", "fulfilment"),
    ("license", "licence"),
    ("licenses", "licences"),
    ("pediatric", "paediatric"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("program", "programme"),
    ("programs", "programmes"),
];

/// Stems that Porter2 would conflate with unrelated words.
const OVERRIDES: &[(&str, &str)] = &[
    ("authorities", "authority"),
    ("authority", "authority"),
    ("news", "news"),
];

/// How a word was written, which decides how it becomes a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Digits, or letters and digits (`2016`, `FP10DT`).
    Code,
    /// Capitals, a plural acronym or a glossary term.
    Acronym,
    /// Anything else: stop-listed, folded and stemmed.
    Word,
}

/// One word of a text, with where it is (byte offsets into the normalised
/// text) and its term (`None` for a stop word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) class: Class,
    pub(crate) term: Option<String>,
}

/// Words that are also site vocabulary: glossary terms, lower-cased.
#[derive(Default, Clone)]
pub(crate) struct Analyzer {
    glossary: HashSet<String>,
}

/// NFKD without the combining diacritical marks.
pub(crate) fn normalize(text: &str) -> String {
    text.nfkd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The words of `text` (already normalised) as byte ranges, apostrophes
/// inside words included.
pub(crate) fn words(text: &str) -> Vec<(usize, usize)> {
    if text.is_ascii() {
        return ascii_words(text.as_bytes());
    }
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if is_apostrophe(c)
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric())
        {
            // Part of the word: `patient's`.
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// [`words`] for ASCII text, a byte at a time.
fn ascii_words(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let start = i;
        loop {
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            // An apostrophe between two letters or digits: `patient's`.
            if i + 1 < b.len() && b[i] == b'\'' && b[i + 1].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            break;
        }
        out.push((start, i));
    }
    out
}

impl Analyzer {
    /// An analyzer that treats these glossary terms as acronyms.
    pub(crate) fn new<'a>(glossary_terms: impl IntoIterator<Item = &'a str>) -> Self {
        Analyzer {
            glossary: glossary_terms
                .into_iter()
                .map(|t| normalize(t).to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    /// The tokens of `text`, which must already be [`normalize`]d.
    pub(crate) fn tokens(&self, text: &str) -> Vec<Token> {
        words(text)
            .into_iter()
            .filter_map(|(start, end)| {
                let (class, term) = self.term(&text[start..end])?;
                Some(Token {
                    start,
                    end,
                    class,
                    term,
                })
            })
            .collect()
    }

    /// The terms of `text` (normalising it first), stop words left out.
    pub(crate) fn terms(&self, text: &str) -> Vec<String> {
        self.tokens(&normalize(text))
            .into_iter()
            .filter_map(|t| t.term)
            .collect()
    }

    /// One word's class and term; `None` for a word too long to be one.
    pub(crate) fn term(&self, word: &str) -> Option<(Class, Option<String>)> {
        let word: std::borrow::Cow<'_, str> = if word.contains(is_apostrophe) {
            word.chars()
                .filter(|&c| !is_apostrophe(c))
                .collect::<String>()
                .into()
        } else {
            word.into()
        };
        if word.is_empty() || word.chars().count() > 40 {
            return None;
        }
        let lower = word.to_lowercase();
        if word.chars().any(|c| c.is_numeric()) {
            return Some((Class::Code, Some(lower)));
        }
        let upper = word.chars().filter(|c| c.is_uppercase()).count();
        let letters = word.chars().count();
        if upper >= 2 && upper == letters {
            return Some((Class::Acronym, Some(lower)));
        }
        if upper >= 2 && upper + 1 == letters && word.ends_with('s') {
            return Some((Class::Acronym, Some(lower[..lower.len() - 1].to_string())));
        }
        if STOP_WORDS.binary_search(&lower.as_str()).is_ok() {
            return Some((Class::Word, None));
        }
        if self.glossary.contains(&lower) {
            return Some((Class::Acronym, Some(lower)));
        }
        Some((Class::Word, Some(stem(&lower))))
    }
}

/// Folds a lower-case word's US spelling to the UK one.
pub(crate) fn fold_spelling(word: &str) -> String {
    if let Some((_, uk)) = SPELLINGS.iter().find(|(us, _)| *us == word) {
        return (*uk).to_string();
    }
    // -ize, -ization, -yze and their forms, when at least four letters come
    // before (so `size` and `seize` stay as they are).
    if !word.contains("iz") && !word.contains("yz") {
        return word.to_string();
    }
    for (us, uk) in [("iz", "is"), ("yz", "ys")] {
        for end in ["e", "es", "ed", "ing", "er", "ers", "ation", "ations"] {
            let Some(rest) = word.strip_suffix(end) else {
                continue;
            };
            if let Some(stem) = rest.strip_suffix(us) {
                if stem.chars().count() >= 4 {
                    return format!("{stem}{uk}{end}");
                }
            }
        }
    }
    word.to_string()
}

/// The stem of a lower-case word: spelling folded, overrides, then Porter2.
pub(crate) fn stem(word: &str) -> String {
    let folded = fold_spelling(word);
    if let Some((_, s)) = OVERRIDES.iter().find(|(w, _)| *w == folded) {
        return (*s).to_string();
    }
    thread_local! {
        static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, String>> =
            std::cell::RefCell::default();
    }
    if let Some(s) = CACHE.with(|c| c.borrow().get(&folded).cloned()) {
        return s;
    }
    let s = STEMMER.with(|s| s.stem(&folded).into_owned());
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < 200_000 {
            c.insert(folded, s.clone());
        }
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::new(["eRD", "NHSmail", "SCR"]).terms(text)
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn drops_negative_contractions_and_pronouns_like_stop_words() {
        assert_eq!(
            terms("I can't find them, it won't print"),
            ["find", "print"]
        );
        assert_eq!(terms("CAN'T"), ["cant"], "written in capitals it is kept");
    }

    #[test]
    fn keeps_acronyms_codes_and_numbers_as_written() {
        assert_eq!(
            terms("EPS FFFFF FP10DT R8000 2016 NHS IT"),
            ["eps", "fffff", "fp10dt", "r8000", "2016", "nhs", "it"]
        );
    }

    #[test]
    fn drops_lower_case_stop_words_but_not_capital_acronyms() {
        assert_eq!(terms("how do I use it"), ["use"]);
        assert_eq!(terms("the IT team"), ["it", "team"]);
    }

    #[test]
    fn stems_words_and_folds_us_spellings() {
        assert_eq!(terms("nominations nominated"), ["nomin", "nomin"]);
        assert_eq!(terms("organize organising"), ["organis", "organis"]);
        assert_eq!(terms("authorization"), terms("authorisation"));
        assert_eq!(terms("size"), ["size"]);
        assert_eq!(terms("authorities author"), ["authority", "author"]);
    }

    #[test]
    fn treats_plural_acronyms_and_glossary_terms_as_acronyms() {
        assert_eq!(terms("CCGs eRD NHSmail"), ["ccg", "erd", "nhsmail"]);
    }

    #[test]
    fn joins_apostrophes_and_strips_accents() {
        assert_eq!(terms("patient’s café"), ["patient", "cafe"]);
        assert_eq!(terms("e-referral nhs.net"), ["e", "referr", "nhs", "net"]);
    }

    #[test]
    fn ascii_words_are_the_words_of_the_general_rule() {
        let general = |text: &str| {
            // The rule for any text, with a non-ASCII character added at
            // the end so the general path is taken.
            let mut w = words(&format!("{text} é"));
            w.pop();
            w
        };
        for text in [
            "",
            "a",
            "patient's token",
            "'quoted' words, and can't-won't",
            "FP10 2016 R8000x",
            "end'",
            "'start",
            "a''b",
            "  spaced   out  ",
            "x'y'z",
        ] {
            assert_eq!(words(text), general(text), "{text:?}");
        }
    }
}
