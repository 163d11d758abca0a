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

use super::concepts::Concepts;
use super::tokens::{self, Analyzer, Class};
use super::{Doc, Input};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;

const TITLE: usize = 0;
const DESCRIPTION: usize = 1;
const HEADINGS: usize = 2;
const BODY: usize = 3;
const WEIGHTS: [f64; 4] = [6.0, 2.0, 3.0, 1.0];
const B: [f64; 4] = [0.3, 0.3, 0.3, 0.75];
const K1: f64 = 1.2;

/// Sections are grouped into parts of about this many characters.
pub(crate) const PART_CHARS: usize = 3000;

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
    /// Page number → index into [`Input::docs`] (pages in URL order).
    pub(crate) order: Vec<usize>,
    /// Per page number: each part's range of the page's sections.
    pub(crate) parts: Vec<Vec<Range<usize>>>,
    /// Every term with its postings, sorted by term.
    pub(crate) postings: Vec<(String, Vec<Posting>)>,
    /// Surface words (lower case) with how many pages use them, most used
    /// first: the typo fallback's vocabulary.
    pub(crate) vocab: Vec<(String, u32)>,
}

/// (page, term frequency per field, best part) for one term.
type RawList = Vec<(u32, [u16; 4], u16)>;
/// (page, BM25F score, best part) for one term.
type ScoredList = Vec<(u32, f64, u16)>;

#[derive(Default)]
struct Acc {
    tf: [u16; 4],
    /// Occurrences per part (headings and body).
    parts: Vec<u16>,
}

struct Analysed {
    lens: [u32; 4],
    terms: Vec<(String, [u16; 4], u16)>,
    surfaces: Vec<String>,
    parts: Vec<Range<usize>>,
}

/// Splits a page's sections into parts of about [`PART_CHARS`].
fn split_parts(doc: &Doc<'_>) -> Vec<Range<usize>> {
    let sections = &doc.rendered.sections;
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

fn analyse(doc: &Doc<'_>, analyzer: &Analyzer, concepts: &Concepts) -> Analysed {
    let parts = split_parts(doc);
    let mut acc: HashMap<String, Acc> = HashMap::new();
    let mut lens = [0u32; 4];
    let mut surfaces: HashMap<String, ()> = HashMap::new();
    let mut add = |field: usize, part: usize, text: &str| {
        let norm = if text.is_ascii() {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(tokens::normalize(text))
        };
        let toks = analyzer.tokens(&norm);
        let mut terms: Vec<&str> = Vec::with_capacity(toks.len());
        let bump = |term: &str, acc: &mut HashMap<String, Acc>| {
            let a = match acc.get_mut(term) {
                Some(a) => a,
                None => acc.entry(term.to_string()).or_default(),
            };
            a.tf[field] = a.tf[field].saturating_add(1);
            if field >= HEADINGS {
                if a.parts.len() <= part {
                    a.parts.resize(part + 1, 0);
                }
                a.parts[part] = a.parts[part].saturating_add(1);
            }
        };
        for t in &toks {
            let Some(term) = &t.term else { continue };
            bump(term, &mut acc);
            terms.push(term);
            if t.class == Class::Word && !surfaces.contains_key(&norm[t.start..t.end]) {
                let w = norm[t.start..t.end].to_lowercase();
                surfaces.insert(w.replace(['\'', '\u{2019}'], ""), ());
            }
        }
        lens[field] += terms.len() as u32;
        for (_, c) in concepts.find(&terms) {
            bump(&concepts.list[c].key, &mut acc);
        }
    };
    add(TITLE, 0, doc.title);
    add(DESCRIPTION, 0, doc.description);
    for (p, range) in parts.iter().enumerate() {
        for s in &doc.rendered.sections[range.clone()] {
            add(HEADINGS, p, &s.heading);
            add(BODY, p, &s.text);
        }
    }
    let mut terms: Vec<(String, [u16; 4], u16)> = acc
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
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut surfaces: Vec<String> = surfaces.into_keys().collect();
    surfaces.sort_unstable();
    Analysed {
        lens,
        terms,
        surfaces,
        parts,
    }
}

/// Analyses every page, in parallel, and scores every (term, page).
pub(crate) fn build(input: &Input<'_>, analyzer: &Analyzer, concepts: &Concepts) -> Built {
    let mut order: Vec<usize> = (0..input.docs.len()).collect();
    order.sort_by(|&a, &b| input.docs[a].url.cmp(input.docs[b].url));
    let analysed: Vec<Analysed> = order
        .par_iter()
        .map(|&i| analyse(&input.docs[i], analyzer, concepts))
        .collect();
    let n = analysed.len().max(1) as f64;
    let mut avg = [0f64; 4];
    for a in &analysed {
        for (f, l) in a.lens.iter().enumerate() {
            avg[f] += f64::from(*l) / n;
        }
    }
    let mut lists: HashMap<String, RawList> = HashMap::new();
    let mut surface_df: HashMap<String, u32> = HashMap::new();
    let mut lens = Vec::with_capacity(analysed.len());
    let mut parts = Vec::with_capacity(analysed.len());
    for (doc, a) in analysed.into_iter().enumerate() {
        for (term, tf, part) in a.terms {
            lists.entry(term).or_default().push((doc as u32, tf, part));
        }
        for s in a.surfaces {
            *surface_df.entry(s).or_default() += 1;
        }
        lens.push(a.lens);
        parts.push(a.parts);
    }
    let mut lists: Vec<(String, RawList)> = lists.into_iter().collect();
    lists.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let scored: Vec<(String, ScoredList)> = lists
        .into_par_iter()
        .map(|(term, list)| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let scores = list
                .into_iter()
                .map(|(doc, tf, part)| {
                    let len = &lens[doc as usize];
                    let mut wtf = 0.0;
                    for f in 0..4 {
                        if tf[f] == 0 {
                            continue;
                        }
                        let norm = if avg[f] > 0.0 {
                            1.0 - B[f] + B[f] * f64::from(len[f]) / avg[f]
                        } else {
                            1.0
                        };
                        wtf += WEIGHTS[f] * f64::from(tf[f]) / norm.max(0.1);
                    }
                    (doc, idf * wtf * (K1 + 1.0) / (K1 + wtf), part)
                })
                .collect();
            (term, scores)
        })
        .collect();
    let max = scored
        .iter()
        .flat_map(|(_, l)| l.iter().map(|p| p.1))
        .fold(0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let postings = scored
        .into_iter()
        .map(|(term, list)| {
            let list = list
                .into_iter()
                .map(|(doc, s, part)| Posting {
                    doc,
                    impact: (s / max * 255.0).round().clamp(1.0, 255.0) as u8,
                    part,
                })
                .collect();
            (term, list)
        })
        .collect();
    let mut vocab: Vec<(String, u32)> = surface_df.into_iter().collect();
    vocab.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Built {
        order,
        parts,
        postings,
        vocab,
    }
}
