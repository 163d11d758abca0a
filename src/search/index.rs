//! Per-page analysis and BM25F scoring. Each (term, page) gets one score,
//! computed here over four fields (title, description, headings, body) and
//! quantised to a byte, so the client only adds bytes:
//!
//! ```text
//! wtf   = Σ_f  w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
//! score = idf · wtf · (k1 + 1) / (k1 + wtf),  idf = ln(1 + (N − df + 0.5) / (df + 0.5))
//! ```
//!
//! Long pages are cut into parts at section boundaries; each posting says
//! which part holds most of the term, so the client loads only that part.
//!
//! A page's Sources list, its "Pages in this section" list and other asides
//! ([`asides`]) are not guidance: they are not indexed and never reach a
//! page fragment, so they never match, give a snippet or a jump link.
//! (Indexed at a fifth of the body's weight they cost the judged set
//! Success@1: their document titles make words like "NHS Digital" look
//! common and match pages that only cite them.)

use super::Doc;
use super::concepts::Concepts;
use super::tokens::{self, Analyzer, Class};
use crate::markdown::TextSection;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

const TITLE: usize = 0;
const DESCRIPTION: usize = 1;
const HEADINGS: usize = 2;
const BODY: usize = 3;
pub(crate) const FIELDS: usize = 4;
const WEIGHTS: [f64; FIELDS] = [6.0, 2.0, 3.0, 1.0];
const B: [f64; FIELDS] = [0.3, 0.3, 0.3, 0.75];

/// Headings of sections that are not guidance: lists of sources, of the
/// section's pages, of related pages (compared in lower case, without a
/// final colon).
const ASIDE_HEADINGS: &[&str] = &[
    "further reading",
    "pages in this section",
    "references",
    "related",
    "related pages",
    "see also",
    "sources",
];

/// For each of a page's sections, whether it is an aside: a heading in
/// [`ASIDE_HEADINGS`] and the deeper sections under it.
pub(crate) fn asides(sections: &[crate::markdown::TextSection]) -> Vec<bool> {
    let mut out = Vec::with_capacity(sections.len());
    let mut inside: Option<u8> = None;
    for s in sections {
        if inside.is_some_and(|level| s.level <= level) {
            inside = None;
        }
        let name = s.heading.trim().trim_end_matches(':').to_lowercase();
        if inside.is_none() && s.level > 0 && ASIDE_HEADINGS.contains(&name.as_str()) {
            inside = Some(s.level);
        }
        out.push(inside.is_some());
    }
    out
}
const K1: f64 = 1.2;

/// Sections are grouped into parts of about this many characters.
pub(crate) const PART_CHARS: usize = 12000;

/// One page's entry in one term's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub(crate) doc: u32,
    /// The quantised score, 1–255.
    pub(crate) impact: u8,
    /// The part of the page that holds the term most often.
    pub(crate) part: u16,
}

/// The index, ready to be written.
pub(crate) struct Built {
    /// Every term with its postings, sorted by term.
    pub(crate) postings: Vec<(String, Vec<Posting>)>,
    /// Surface words (lower case) with how many pages use them, most used
    /// first: the typo fallback's vocabulary.
    pub(crate) vocab: Vec<(String, u32)>,
}

/// (page, term frequency per field, best part) for one term.
pub(crate) type RawList = Vec<(u32, [u8; FIELDS], u16)>;

#[derive(Default)]
struct Acc {
    /// Occurrences per field, counted to 255: BM25 has long stopped
    /// growing by then, and a byte keeps a big site's lists small.
    tf: [u8; FIELDS],
    /// Occurrences per part (headings and body).
    parts: Vec<u16>,
}

/// One page's analysis: what scoring needs, kept so an unchanged page is
/// never analysed twice (serve) and its text can be dropped (build).
#[derive(Debug)]
pub(crate) struct Analysed {
    /// Terms per field.
    lens: [u32; FIELDS],
    /// Each term with its count per field and the part holding most of it.
    terms: Vec<(Arc<str>, [u8; FIELDS], u16)>,
    /// The words as written (lower case), for the typo vocabulary.
    surfaces: Vec<Arc<str>>,
    /// Each part's range of the page's sections.
    pub(crate) parts: Vec<Range<usize>>,
}

/// Splits a page's sections into parts of about [`PART_CHARS`].
fn split_parts(sections: &[TextSection]) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, s) in sections.iter().enumerate() {
        let len = s.heading.len() + s.text.len();
        if i > start && size + len > PART_CHARS {
            parts.push(start..i);
            start = i;
            size = 0;
        }
        size += len;
    }
    parts.push(start..sections.len());
    parts
}

/// A fast, non-cryptographic hasher (FxHash) for the analysis maps: the
/// keys are our own words, so there is nothing to defend against.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxBuild = std::hash::BuildHasherDefault<Fx>;
type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// One word as written, analysed once per worker: its class, its term and
/// its lower-case surface form, both interned so a page's maps can key on
/// the pointer.
struct Word {
    class: Class,
    term: Option<Arc<str>>,
    surface: Arc<str>,
}

/// A worker's memory of the words it has analysed.
#[derive(Default)]
pub(crate) struct WordCache {
    /// Word as written → its place in `analysed`.
    words: FxMap<Box<str>, u32>,
    analysed: Vec<Option<Word>>,
    interned: FxMap<Box<str>, Arc<str>>,
}

impl WordCache {
    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.interned.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.interned.insert(Box::from(s), Arc::clone(&a));
        a
    }

    /// The word's analysis: one look-up for a word seen before.
    fn word(&mut self, analyzer: &Analyzer, w: &str) -> Option<&Word> {
        let at = match self.words.get(w) {
            Some(&at) => at as usize,
            None => {
                let word = analyzer.term(w).map(|(class, term)| {
                    let surface = w.to_lowercase().replace(['\'', '\u{2019}'], "");
                    Word {
                        class,
                        term: term.map(|t| self.intern(&t)),
                        surface: self.intern(&surface),
                    }
                });
                let at = self.analysed.len();
                self.analysed.push(word);
                self.words.insert(Box::from(w), at as u32);
                at
            }
        };
        self.analysed.get(at).and_then(Option::as_ref)
    }
}

fn key(a: &Arc<str>) -> usize {
    Arc::as_ptr(a).cast::<u8>() as usize
}

/// Analyses one page: its terms per field, their counts and parts.
pub(crate) fn analyse(
    doc: &Doc<'_>,
    sections: &[TextSection],
    analyzer: &Analyzer,
    concepts: &Concepts,
    cache: &mut WordCache,
) -> Analysed {
    let parts = split_parts(sections);
    let many_parts = parts.len() > 1;
    // Keyed by the interned term's address: (term, counts).
    let mut acc: FxMap<usize, (Arc<str>, Acc)> = FxMap::default();
    let mut lens = [0u32; FIELDS];
    let mut surfaces: FxMap<usize, Arc<str>> = FxMap::default();
    let concept_keys: Vec<Arc<str>> = concepts.list.iter().map(|c| cache.intern(&c.key)).collect();
    let mut terms: Vec<Arc<str>> = Vec::new();
    let mut add = |field: usize, part: usize, text: &str, cache: &mut WordCache| {
        let norm = if text.is_ascii() {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(tokens::normalize(text))
        };
        terms.clear();
        let mut bump = |term: &Arc<str>| {
            let (_, a) = acc
                .entry(key(term))
                .or_insert_with(|| (Arc::clone(term), Acc::default()));
            a.tf[field] = a.tf[field].saturating_add(1);
            if many_parts && field >= HEADINGS {
                if a.parts.len() <= part {
                    a.parts.resize(part + 1, 0);
                }
                a.parts[part] = a.parts[part].saturating_add(1);
            }
        };
        for (s, e) in tokens::words(&norm) {
            let Some(w) = cache.word(analyzer, &norm[s..e]) else {
                continue;
            };
            let Some(term) = &w.term else { continue };
            bump(term);
            terms.push(Arc::clone(term));
            // The typo vocabulary: words and acronyms (`NHSmail`), not codes.
            if w.class != Class::Code {
                surfaces
                    .entry(key(&w.surface))
                    .or_insert_with(|| Arc::clone(&w.surface));
            }
        }
        lens[field] += terms.len() as u32;
        let refs: Vec<&str> = terms.iter().map(|t| &**t).collect();
        for (_, c) in concepts.find(&refs) {
            bump(&concept_keys[c]);
        }
    };
    add(TITLE, 0, &doc.title, cache);
    add(DESCRIPTION, 0, &doc.description, cache);
    let aside = asides(sections);
    for (p, range) in parts.iter().enumerate() {
        for (i, s) in sections[range.clone()].iter().enumerate() {
            if !aside[range.start + i] {
                add(HEADINGS, p, &s.heading, cache);
                add(BODY, p, &s.text, cache);
            }
        }
    }
    let terms: Vec<(Arc<str>, [u8; FIELDS], u16)> = acc
        .into_values()
        .map(|(t, a)| {
            let best = a
                .parts
                .iter()
                .enumerate()
                .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
                .map_or(0, |(i, _)| i as u16);
            (t, a.tf, best)
        })
        .collect();
    Analysed {
        lens,
        terms,
        surfaces: surfaces.into_values().collect(),
        parts,
    }
}

/// Every term's list of (page, counts, part) and every surface word's page
/// count, merged from the pages' analyses in page-number order. Kept
/// between builds in serve, so a save only takes the changed pages' terms
/// out and puts their new ones in, instead of merging every page again.
#[derive(Default)]
pub(crate) struct Merged {
    lists: FxMap<Arc<str>, RawList>,
    surface_df: FxMap<Arc<str>, u32>,
    /// Terms per field, per page.
    lens: Vec<[u32; FIELDS]>,
}

impl Merged {
    /// Merges the analyses of every page, in page-number order.
    pub(crate) fn new(analysed: &[Arc<Analysed>]) -> Merged {
        let t0 = std::time::Instant::now();
        let mut m = Merged::default();
        for a in analysed {
            let terms = a
                .terms
                .iter()
                .map(|(t, tf, part)| (Arc::clone(t), *tf, *part));
            m.push_page(terms, a.surfaces.iter().cloned(), a.lens);
        }
        crate::diagnostics::timing("search: merge lists", t0);
        m
    }

    /// Merges the analyses of the next pages in page-number order (the
    /// first is the page after the last merged), dropping each as it goes:
    /// a one-off build, which needs them no more.
    pub(crate) fn append(&mut self, analysed: Vec<Analysed>) {
        for a in analysed {
            self.push_page(a.terms, a.surfaces, a.lens);
        }
    }

    /// Adds the next page's terms, surface words and field lengths.
    fn push_page(
        &mut self,
        terms: impl IntoIterator<Item = (Arc<str>, [u8; FIELDS], u16)>,
        surfaces: impl IntoIterator<Item = Arc<str>>,
        lens: [u32; FIELDS],
    ) {
        let doc = self.lens.len() as u32;
        for (term, tf, part) in terms {
            self.lists.entry(term).or_default().push((doc, tf, part));
        }
        for s in surfaces {
            *self.surface_df.entry(s).or_default() += 1;
        }
        self.lens.push(lens);
    }

    /// Page `doc`'s analysis changed from `old` to `new`: takes the old
    /// terms out of their lists and puts the new ones in, keeping every
    /// list in page order, as [`Merged::new`] would have made it.
    pub(crate) fn replace(&mut self, doc: usize, old: &Analysed, new: &Analysed) {
        let d = doc as u32;
        for (term, _, _) in &old.terms {
            if let Some(list) = self.lists.get_mut(term) {
                if let Ok(i) = list.binary_search_by_key(&d, |p| p.0) {
                    list.remove(i);
                }
                if list.is_empty() {
                    self.lists.remove(term);
                }
            }
        }
        for (term, tf, part) in &new.terms {
            let list = self.lists.entry(Arc::clone(term)).or_default();
            match list.binary_search_by_key(&d, |p| p.0) {
                Ok(i) => list[i] = (d, *tf, *part),
                Err(i) => list.insert(i, (d, *tf, *part)),
            }
        }
        for s in &old.surfaces {
            if let Some(n) = self.surface_df.get_mut(s) {
                *n -= 1;
                if *n == 0 {
                    self.surface_df.remove(s);
                }
            }
        }
        for s in &new.surfaces {
            *self.surface_df.entry(Arc::clone(s)).or_default() += 1;
        }
        if let Some(l) = self.lens.get_mut(doc) {
            *l = new.lens;
        }
    }

    /// Scores every (term, page).
    pub(crate) fn score(&self) -> Built {
        let scorer = Scorer::new(&self.lens);
        let mut lists: Vec<(&Arc<str>, &RawList)> = self.lists.iter().collect();
        lists.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let max = scorer.max(lists.par_iter().map(|(_, l)| &**l));
        let postings = lists
            .into_par_iter()
            .map(|(term, list)| (term.to_string(), scorer.postings(list, max)))
            .collect();
        Built {
            postings,
            vocab: self.vocab(),
        }
    }

    /// Takes out the term lists merged so far, sorted by term, keeping the
    /// pages' lengths and surface words: a one-off build writes each
    /// chunk's lists out as a run ([`super::runs`]).
    pub(crate) fn take_lists(&mut self) -> Vec<(Arc<str>, RawList)> {
        let mut lists: Vec<(Arc<str>, RawList)> =
            std::mem::take(&mut self.lists).into_iter().collect();
        lists.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        lists
    }

    /// The scorer of the pages merged so far.
    pub(crate) fn scorer(&self) -> Scorer<'_> {
        Scorer::new(&self.lens)
    }

    /// Surface words with their page counts, most used first.
    pub(crate) fn vocab(&self) -> Vec<(String, u32)> {
        let mut vocab: Vec<(String, u32)> = self
            .surface_df
            .iter()
            .map(|(s, n)| (s.to_string(), *n))
            .collect();
        vocab.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        vocab
    }
}

/// BM25F over the merged lists: each (term, page) score, and the scores
/// scaled to a byte by the highest of all. The scores are worked out
/// twice (once for the highest, once to scale) rather than kept: a kept
/// score is more memory than the list it came from.
pub(crate) struct Scorer<'a> {
    lens: &'a [[u32; FIELDS]],
    avg: [f64; FIELDS],
    n: f64,
}

impl<'a> Scorer<'a> {
    fn new(lens: &'a [[u32; FIELDS]]) -> Self {
        let n = lens.len().max(1) as f64;
        let mut avg = [0f64; FIELDS];
        for l in lens {
            for (f, l) in l.iter().enumerate() {
                avg[f] += f64::from(*l) / n;
            }
        }
        Scorer { lens, avg, n }
    }

    /// The scores of one term's list, in its order.
    fn scores<'l>(&'l self, list: &'l RawList) -> impl Iterator<Item = (u32, f64, u16)> + 'l {
        let df = list.len() as f64;
        let idf = (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln();
        list.iter().map(move |&(doc, tf, part)| {
            let len = &self.lens[doc as usize];
            let mut wtf = 0.0;
            for f in 0..FIELDS {
                if tf[f] == 0 {
                    continue;
                }
                let norm = if self.avg[f] > 0.0 {
                    1.0 - B[f] + B[f] * f64::from(len[f]) / self.avg[f]
                } else {
                    1.0
                };
                wtf += WEIGHTS[f] * f64::from(tf[f]) / norm.max(0.1);
            }
            (doc, idf * wtf * (K1 + 1.0) / (K1 + wtf), part)
        })
    }

    /// The highest score of any (term, page).
    fn max<'l>(&self, lists: impl ParallelIterator<Item = &'l RawList>) -> f64 {
        highest(lists.map(|l| self.max_of(l)).reduce(|| 0f64, f64::max))
    }

    /// The highest score in one term's list (0 for none).
    pub(crate) fn max_of(&self, list: &RawList) -> f64 {
        self.scores(list).map(|p| p.1).fold(0f64, f64::max)
    }

    /// One term's postings, scores scaled by `max`.
    pub(crate) fn postings(&self, list: &RawList, max: f64) -> Vec<Posting> {
        self.scores(list)
            .map(|(doc, s, part)| Posting {
                doc,
                impact: (s / max * 255.0).round().clamp(1.0, 255.0) as u8,
                part,
            })
            .collect()
    }
}

/// What scores are scaled by, from the highest of all: never zero.
pub(crate) fn highest(max: f64) -> f64 {
    max.max(f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::TextSection;

    fn section(level: u8, heading: &str) -> TextSection {
        TextSection {
            id: heading.to_lowercase(),
            heading: heading.into(),
            level,
            text: "text".into(),
        }
    }

    #[test]
    fn sources_and_section_lists_are_asides_with_what_is_under_them() {
        let s = [
            section(0, ""),
            section(2, "What is a token?"),
            section(2, "Pages in this section"),
            section(2, "How do I order?"),
            section(2, "Sources:"),
            section(3, "Older documents"),
            section(2, "Related pages"),
        ];
        assert_eq!(asides(&s), [false, false, true, false, true, true, true]);
    }
}
