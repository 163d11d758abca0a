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
    /// Each term (its id in [`Names`]) with its count per field and the
    /// part holding most of it.
    terms: Vec<(u32, [u8; FIELDS], u16)>,
    /// The words as written (lower case), for the typo vocabulary, by id.
    surfaces: Vec<u32>,
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

/// Every term and surface word an index has met, numbered once for all
/// the workers (a worker asks only for words it has not met before), so
/// that the term lists are kept by number rather than by text.
#[derive(Default)]
pub(crate) struct Names(std::sync::Mutex<NameTable>);

#[derive(Default)]
struct NameTable {
    ids: FxMap<Box<str>, u32>,
    names: Vec<Arc<str>>,
}

impl Names {
    fn table(&self) -> std::sync::MutexGuard<'_, NameTable> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The id of `s`, numbering it if it is new, and its shared text.
    fn id(&self, s: &str) -> (u32, Arc<str>) {
        let mut t = self.table();
        if let Some(&id) = t.ids.get(s) {
            return (id, Arc::clone(&t.names[id as usize]));
        }
        let id = t.names.len() as u32;
        let name: Arc<str> = Arc::from(s);
        t.names.push(Arc::clone(&name));
        t.ids.insert(Box::from(s), id);
        (id, name)
    }

    /// Every name, by id.
    fn all(&self) -> Vec<Arc<str>> {
        self.table().names.clone()
    }
}

/// One word as written, analysed once per worker: its class, and its term
/// and lower-case surface form as ids of the index's [`Names`].
#[derive(Clone, Copy)]
struct Word {
    class: Class,
    term: Option<u32>,
    surface: u32,
}

/// What a worker knows of a name it has met, by id.
#[derive(Default, Clone)]
struct Known {
    name: Option<Arc<str>>,
    /// Whether a glossary concept's form can start with it.
    starts: bool,
    /// The page it was last counted on as a term, and its slot in that
    /// page's counts; the page it was last seen on as a surface word.
    term_seen: (u32, u32),
    surface_seen: u32,
}

/// A worker's memory of the words it has analysed, and of the names it has
/// met, so that a page's counts are kept in arrays rather than maps.
#[derive(Default)]
pub(crate) struct WordCache {
    /// Word as written → its place in `analysed`.
    words: FxMap<Box<str>, u32>,
    analysed: Vec<Option<Word>>,
    /// Name → its id, for the names this worker has met.
    ids: FxMap<Box<str>, u32>,
    /// By name id.
    known: Vec<Known>,
    /// The page being analysed (1, 2, ...): what `Known`'s marks are
    /// compared with.
    page: u32,
    /// Each concept's key, as a name id.
    concept_keys: Vec<u32>,
}

impl WordCache {
    fn intern(&mut self, s: &str, names: &Names, concepts: &Concepts) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let (id, name) = names.id(s);
        self.ids.insert(Box::from(s), id);
        if self.known.len() <= id as usize {
            self.known.resize(id as usize + 1, Known::default());
        }
        let k = &mut self.known[id as usize];
        k.starts = concepts.can_start(s);
        k.name = Some(name);
        id
    }

    /// The word's analysis: one look-up for a word seen before.
    fn word(&mut self, searcher: (&Analyzer, &Concepts, &Names), w: &str) -> Option<Word> {
        let (analyzer, concepts, names) = searcher;
        let at = match self.words.get(w) {
            Some(&at) => at as usize,
            None => {
                let word = analyzer.term(w).map(|(class, term)| {
                    let surface = w.to_lowercase().replace(['\'', '\u{2019}'], "");
                    Word {
                        class,
                        term: term.map(|t| self.intern(&t, names, concepts)),
                        surface: self.intern(&surface, names, concepts),
                    }
                });
                let at = self.analysed.len();
                self.analysed.push(word);
                self.words.insert(Box::from(w), at as u32);
                at
            }
        };
        self.analysed.get(at).copied().flatten()
    }

    fn name(&self, id: u32) -> &str {
        self.known
            .get(id as usize)
            .and_then(|k| k.name.as_deref())
            .unwrap_or("")
    }
}

/// Analyses one page: its terms per field, their counts and parts.
pub(crate) fn analyse(
    doc: &Doc<'_>,
    sections: &[TextSection],
    searcher: (&Analyzer, &Concepts, &Names),
    cache: &mut WordCache,
) -> Analysed {
    let (_, concepts, names) = searcher;
    let parts = split_parts(sections);
    let many_parts = parts.len() > 1;
    if cache.concept_keys.len() != concepts.list.len() {
        cache.concept_keys = concepts
            .list
            .iter()
            .map(|c| cache.intern(&c.key, names, concepts))
            .collect();
    }
    cache.page = cache.page.wrapping_add(1).max(1);
    let page = cache.page;
    // Each term counted on the page (by name id) with its counts, in the
    // order first met; `cache.term_seen` finds its slot.
    let mut acc: Vec<(u32, Acc)> = Vec::new();
    let mut lens = [0u32; FIELDS];
    let mut surfaces: Vec<u32> = Vec::new();
    let mut terms: Vec<u32> = Vec::new();
    let mut add = |field: usize, part: usize, text: &str, cache: &mut WordCache| {
        let norm = if text.is_ascii() {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(tokens::normalize(text))
        };
        terms.clear();
        let mut bump = |term: u32, cache: &mut WordCache| {
            let seen = &mut cache.known[term as usize].term_seen;
            if seen.0 != page {
                *seen = (page, acc.len() as u32);
                acc.push((term, Acc::default()));
            }
            let a = &mut acc[seen.1 as usize].1;
            a.tf[field] = a.tf[field].saturating_add(1);
            if many_parts && field >= HEADINGS {
                if a.parts.len() <= part {
                    a.parts.resize(part + 1, 0);
                }
                a.parts[part] = a.parts[part].saturating_add(1);
            }
        };
        let mut may_start = false;
        for (s, e) in tokens::words(&norm) {
            let Some(w) = cache.word(searcher, &norm[s..e]) else {
                continue;
            };
            let Some(term) = w.term else { continue };
            bump(term, cache);
            terms.push(term);
            may_start |= cache.known[term as usize].starts;
            // The typo vocabulary: words and acronyms (`NHSmail`), not codes.
            if w.class != Class::Code {
                let seen = &mut cache.known[w.surface as usize].surface_seen;
                if *seen != page {
                    *seen = page;
                    surfaces.push(w.surface);
                }
            }
        }
        lens[field] += terms.len() as u32;
        if may_start {
            let refs: Vec<&str> = terms.iter().map(|&t| cache.name(t)).collect();
            let found = concepts.find(&refs);
            for (_, c) in found {
                let key = cache.concept_keys[c];
                bump(key, cache);
            }
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
    let terms: Vec<(u32, [u8; FIELDS], u16)> = acc
        .into_iter()
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
        surfaces,
        parts,
    }
}

/// Every term's list of (page, counts, part) and every surface word's page
/// count, merged from the pages' analyses in page-number order, by name
/// id. Kept between builds in serve, so a save only takes the changed
/// pages' terms out and puts their new ones in, instead of merging every
/// page again.
#[derive(Default)]
pub(crate) struct Merged {
    lists: Vec<RawList>,
    surface_df: Vec<u32>,
    /// Terms per field, per page.
    lens: Vec<[u32; FIELDS]>,
}

/// The entry of `v` at `id`, made if `v` is too short.
fn slot<T: Default>(v: &mut Vec<T>, id: u32) -> &mut T {
    let i = id as usize;
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    &mut v[i]
}

impl Merged {
    /// Merges the analyses of every page, in page-number order.
    pub(crate) fn new(analysed: &[Arc<Analysed>]) -> Merged {
        let t0 = std::time::Instant::now();
        let mut m = Merged::default();
        for a in analysed {
            m.push_page(&a.terms, &a.surfaces, a.lens);
        }
        crate::diagnostics::timing("search: merge lists", t0);
        m
    }

    /// Merges the analyses of the next pages in page-number order (the
    /// first is the page after the last merged), dropping each as it goes:
    /// a one-off build, which needs them no more.
    pub(crate) fn append(&mut self, analysed: Vec<Analysed>) {
        for a in analysed {
            self.push_page(&a.terms, &a.surfaces, a.lens);
        }
    }

    /// Adds the next page's terms, surface words and field lengths.
    fn push_page(
        &mut self,
        terms: &[(u32, [u8; FIELDS], u16)],
        surfaces: &[u32],
        lens: [u32; FIELDS],
    ) {
        let doc = self.lens.len() as u32;
        for &(term, tf, part) in terms {
            slot(&mut self.lists, term).push((doc, tf, part));
        }
        for &s in surfaces {
            *slot(&mut self.surface_df, s) += 1;
        }
        self.lens.push(lens);
    }

    /// Page `doc`'s analysis changed from `old` to `new`: takes the old
    /// terms out of their lists and puts the new ones in, keeping every
    /// list in page order, as [`Merged::new`] would have made it.
    pub(crate) fn replace(&mut self, doc: usize, old: &Analysed, new: &Analysed) {
        let d = doc as u32;
        for &(term, _, _) in &old.terms {
            let list = slot(&mut self.lists, term);
            if let Ok(i) = list.binary_search_by_key(&d, |p| p.0) {
                list.remove(i);
            }
        }
        for &(term, tf, part) in &new.terms {
            let list = slot(&mut self.lists, term);
            match list.binary_search_by_key(&d, |p| p.0) {
                Ok(i) => list[i] = (d, tf, part),
                Err(i) => list.insert(i, (d, tf, part)),
            }
        }
        for &s in &old.surfaces {
            let n = slot(&mut self.surface_df, s);
            *n = n.saturating_sub(1);
        }
        for &s in &new.surfaces {
            *slot(&mut self.surface_df, s) += 1;
        }
        if let Some(l) = self.lens.get_mut(doc) {
            *l = new.lens;
        }
    }

    /// The terms with a list, and their lists, sorted by term.
    fn sorted<'m>(&'m self, names: &[Arc<str>]) -> Vec<(&'m RawList, Arc<str>)> {
        let mut lists: Vec<(&RawList, Arc<str>)> = self
            .lists
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .filter_map(|(id, l)| Some((l, Arc::clone(names.get(id)?))))
            .collect();
        lists.par_sort_unstable_by(|a, b| a.1.cmp(&b.1));
        lists
    }

    /// Scores every (term, page).
    pub(crate) fn score(&self, names: &Names) -> Built {
        let all = names.all();
        let scorer = Scorer::new(&self.lens);
        let lists = self.sorted(&all);
        let max = scorer.max(lists.par_iter().map(|(l, _)| *l));
        let postings = lists
            .into_par_iter()
            .map(|(list, term)| (term.to_string(), scorer.postings(list, max)))
            .collect();
        Built {
            postings,
            vocab: self.vocab(names),
        }
    }

    /// Takes out the term lists merged so far, sorted by term, keeping the
    /// pages' lengths and surface words: a one-off build writes each
    /// chunk's lists out as a run ([`super::runs`]).
    pub(crate) fn take_lists(&mut self, names: &Names) -> Vec<(Arc<str>, RawList)> {
        let all = names.all();
        let mut lists: Vec<(Arc<str>, RawList)> = std::mem::take(&mut self.lists)
            .into_iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .filter_map(|(id, l)| Some((Arc::clone(all.get(id)?), l)))
            .collect();
        lists.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        lists
    }

    /// The scorer of the pages merged so far.
    pub(crate) fn scorer(&self) -> Scorer<'_> {
        Scorer::new(&self.lens)
    }

    /// Surface words with their page counts, most used first.
    pub(crate) fn vocab(&self, names: &Names) -> Vec<(String, u32)> {
        let all = names.all();
        let mut vocab: Vec<(String, u32)> = self
            .surface_df
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(id, n)| Some((all.get(id)?.to_string(), *n)))
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
