//! The search files, each a classic script that hands its data to the
//! client's registry (`window.pestleSearch`):
//!
//! ```text
//! search/meta.js            pestleSearch.meta({...})          shard table, facets, glossary forms
//! search/t/<hash>.js        pestleSearch.shard("<hash>", "<base64>")   terms and postings
//! search/p/<n>/<page>[-<part>].js  pestleSearch.page(page, part, {u, t, d, s})  text for snippets
//! search/v/<c>-<hash>.js    pestleSearch.vocab("<c>", "words ...")      typo fallback
//! search/g-<hash>.js        pestleSearch.gloss([...])                  glossary card text
//! ```
//!
//! Shard format 1 (base64 of bytes; integers are LEB128 varints): per term,
//! `shared_prefix_len suffix_len suffix df postings_len postings`, where a
//! posting is `gap·2 + has_part`, one impact byte, and `part` if flagged.
//! Terms are front-coded within a shard; a shard holds about
//! [`SHARD_BYTES`], and a term's list is never split.
//!
//! Every file but `meta.js` is named by its content, or (page fragments) by
//! the page numbering they belong to: `<n>` is a hash of every page's
//! address in order, so a page added or removed starts a new folder, and a
//! `meta.js` always points at fragments numbered as it is.

use super::concepts::Concepts;
use super::index::{Built, Posting};
use super::{DIR, Files, Input};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Target size of a term shard before base64.
pub(crate) const SHARD_BYTES: usize = 8 * 1024;
/// Terms on more than this share of pages are marked common in `meta.js`,
/// so the client can skip their (long) lists when a query has rarer words.
const COMMON_SHARE: f64 = 0.4;
/// A section's text is cut to this many characters in a page fragment.
const SECTION_CHARS: usize = 5000;

/// Appends `v` as a LEB128 varint (the shards' and the term runs' integers).
pub(super) fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

use crate::hash::content_hash;

fn encode_postings(list: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 3);
    let mut prev = 0u32;
    for p in list {
        let gap = u64::from(p.doc - prev);
        prev = p.doc;
        varint(&mut out, gap * 2 + u64::from(p.part > 0));
        out.push(p.impact);
        if p.part > 0 {
            varint(&mut out, u64::from(p.part));
        }
    }
    out
}

fn shared_prefix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            return i;
        }
        n = i + x.len_utf8();
    }
    n
}

/// Cuts term lists, given in term order, into shards of about
/// [`SHARD_BYTES`]: (first term, bytes).
#[derive(Default)]
pub(crate) struct ShardCutter {
    /// The shard being filled: its first term, bytes and last term.
    current: Option<(String, Vec<u8>, String)>,
}

impl ShardCutter {
    /// Adds the next term's list; hands back the shard it filled, if any.
    pub(crate) fn push(&mut self, term: &str, list: &[Posting]) -> Option<(String, Vec<u8>)> {
        let body = encode_postings(list);
        let mut full = None;
        if let Some((_, bytes, _)) = &self.current {
            if bytes.len() + body.len() + term.len() > SHARD_BYTES {
                full = self.current.take().map(|(first, bytes, _)| (first, bytes));
            }
        }
        let (_, bytes, prev) = self
            .current
            .get_or_insert_with(|| (term.to_string(), Vec::new(), String::new()));
        let shared = shared_prefix(prev, term);
        varint(bytes, shared as u64);
        varint(bytes, (term.len() - shared) as u64);
        bytes.extend_from_slice(&term.as_bytes()[shared..]);
        varint(bytes, list.len() as u64);
        varint(bytes, body.len() as u64);
        bytes.extend_from_slice(&body);
        prev.clear();
        prev.push_str(term);
        full
    }

    /// The last shard, if any term went in.
    pub(crate) fn finish(self) -> Option<(String, Vec<u8>)> {
        self.current.map(|(first, bytes, _)| (first, bytes))
    }
}

/// Cuts the sorted postings into shards: (first term, bytes).
fn shards(postings: &[(String, Vec<Posting>)]) -> Vec<(String, Vec<u8>)> {
    let mut cutter = ShardCutter::default();
    let mut out: Vec<(String, Vec<u8>)> = postings
        .iter()
        .filter_map(|(term, list)| cutter.push(term, list))
        .collect();
    out.extend(cutter.finish());
    out
}

/// A shard's name (a hash of its bytes) and the text of its file,
/// `search/t/<name>.js`.
pub(crate) fn shard_file(bytes: &[u8]) -> (String, String) {
    let name = content_hash(bytes);
    let text = script("shard", &[json!(name), json!(base64(bytes))]);
    (name, text)
}

/// True for a term on so many of the `pages` that `meta.js` marks it
/// common.
pub(crate) fn is_common(df: usize, pages: usize) -> bool {
    pages >= 20 && df as f64 > COMMON_SHARE * pages as f64
}

/// A page fragment, with its keys in the order a JSON object of them
/// always had (sorted), so the files stay as they were.
#[derive(serde::Serialize)]
struct Fragment<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    s: Vec<(&'a str, &'a str, String)>,
    t: &'a str,
    u: &'a str,
}

fn script(call: &str, args: &[Value]) -> String {
    let args: Vec<String> = args.iter().map(Value::to_string).collect();
    format!("pestleSearch.{call}({});\n", args.join(","))
}

/// Collapses runs of spaces and cuts long text at a word boundary.
fn tidy(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 8));
    for line in text.lines() {
        let mut words = Words::of(line);
        let Some(first) = words.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
        if out.len() > max {
            let mut cut = max;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            let cut = out[..cut].rfind(' ').unwrap_or(cut);
            out.truncate(cut);
            break;
        }
    }
    out
}

/// A line's words, as `split_whitespace` finds them, a byte at a time
/// when the line is ASCII (most are).
enum Words<'a> {
    Ascii(&'a str, usize),
    Other(std::str::SplitWhitespace<'a>),
}

impl<'a> Words<'a> {
    fn of(line: &'a str) -> Words<'a> {
        if line.is_ascii() {
            Words::Ascii(line, 0)
        } else {
            Words::Other(line.split_whitespace())
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Other(words) => words.next(),
            Words::Ascii(line, at) => {
                // `char::is_whitespace` in ASCII: tab to carriage return, and space.
                let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
                let bytes = line.as_bytes();
                let start = *at + bytes[*at..].iter().position(|b| !space(b))?;
                let end = bytes[start..]
                    .iter()
                    .position(space)
                    .map_or(bytes.len(), |n| start + n);
                *at = end;
                Some(&line[start..end])
            }
        }
    }
}

/// Adds a file under the search folder.
fn put(files: &mut Files, path: String, text: String) {
    files.insert(format!("{DIR}/{path}"), Arc::from(text));
}

/// The page numbering's name: a hash of every page's address, in order.
pub(crate) fn numbering(urls: &[&str]) -> String {
    content_hash(urls.join("\n").as_bytes())
}

/// The search files other than page fragments (which [`fragments`] makes
/// per page): shards, vocabulary, glossary and `meta.js`.
pub(crate) fn index_files(
    input: &Input<'_>,
    order: &[usize],
    numbering: &str,
    built: &Built,
    concepts: &Concepts,
) -> Files {
    let mut files: Files = BTreeMap::new();
    let mut table = Vec::new();
    for (first, bytes) in shards(&built.postings) {
        let (name, text) = shard_file(&bytes);
        put(&mut files, format!("t/{name}.js"), text);
        table.push((first, name));
    }
    let common = built
        .postings
        .iter()
        .filter(|(_, l)| is_common(l.len(), order.len()))
        .map(|(t, l)| (t.clone(), l.len()))
        .collect();
    let index = Index {
        order,
        numbering,
        shards: table,
        common,
        vocab: &built.vocab,
    };
    meta_files(input, &index, concepts, &mut files);
    files
}

/// What `meta.js` says of the index besides the site's facets and glossary.
pub(crate) struct Index<'a> {
    /// The pages' indexes in page-number order.
    pub(crate) order: &'a [usize],
    pub(crate) numbering: &'a str,
    /// Each shard's first term and name, in term order.
    pub(crate) shards: Vec<(String, String)>,
    /// The common terms ([`is_common`]) and their page counts.
    pub(crate) common: BTreeMap<String, usize>,
    /// Surface words with their page counts, most used first.
    pub(crate) vocab: &'a [(String, u32)],
}

/// The vocabulary and glossary files and `meta.js`, into `files`.
pub(crate) fn meta_files(
    input: &Input<'_>,
    index: &Index<'_>,
    concepts: &Concepts,
    files: &mut Files,
) {
    let table: Vec<Value> = index
        .shards
        .iter()
        .map(|(first, name)| json!([first, name]))
        .collect();
    let vocab = vocab_files(index.vocab, files);
    let (glossary, glossary_file) = glossary_files(input, concepts, files);
    let (sections, regions) = facets(input, index.order);
    let meta = json!({
        "version": 1,
        "pages": index.order.len(),
        "numbering": index.numbering,
        "shards": table,
        "common": index.common,
        "sections": sections,
        "regions": regions,
        "glossary": glossary,
        "glossaryUrl": input.glossary_url.as_deref().map(|u| u.trim_start_matches('/')),
        "glossaryFile": glossary_file,
        "vocab": vocab,
    });
    put(files, "meta.js".into(), script("meta", &[meta]));
}

/// Page number `doc`'s fragments, one per part: (path under the output
/// folder, text). Asides ([`super::index::asides`]: Sources lists, "Pages in
/// this section") are left out.
pub(crate) fn fragments(
    doc: usize,
    d: &super::Doc<'_>,
    sections: &[crate::markdown::TextSection],
    parts: &[std::ops::Range<usize>],
    numbering: &str,
) -> Vec<(String, Arc<str>)> {
    // Sources lists and other asides never give a snippet or a jump link.
    let aside = super::index::asides(sections);
    parts
        .iter()
        .enumerate()
        .map(|(k, range)| {
            // Serialised straight from borrowed data: no JSON tree per page.
            let data = Fragment {
                d: (k == 0 && !d.description.is_empty()).then_some(&*d.description),
                s: sections[range.clone()]
                    .iter()
                    .zip(&aside[range.clone()])
                    .filter(|(_, aside)| !**aside)
                    .map(|(s, _)| {
                        (
                            s.id.as_str(),
                            s.heading.as_str(),
                            tidy(&s.text, SECTION_CHARS),
                        )
                    })
                    .collect(),
                t: &d.title,
                u: d.url.trim_start_matches('/'),
            };
            let name = if k == 0 {
                format!("{DIR}/p/{numbering}/{doc}.js")
            } else {
                format!("{DIR}/p/{numbering}/{doc}-{k}.js")
            };
            let json = serde_json::to_string(&data).unwrap_or_default();
            (
                name,
                Arc::from(format!("pestleSearch.page({doc},{k},{json});\n")),
            )
        })
        .collect()
}

/// Vocabulary files by first character, most used words first; returns
/// their names for `meta.js`.
fn vocab_files(words: &[(String, u32)], files: &mut Files) -> serde_json::Map<String, Value> {
    let mut vocab: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (word, _) in words {
        let len = word.chars().count();
        if !(3..=30).contains(&len) {
            continue;
        }
        let first = word.chars().next().unwrap_or('_');
        let key = if first.is_ascii_alphanumeric() {
            first.to_string()
        } else {
            "_".to_string()
        };
        vocab.entry(key).or_default().push(word);
    }
    let mut names = serde_json::Map::new();
    for (key, words) in vocab {
        let text = script("vocab", &[json!(key), json!(words.join(" "))]);
        let name = format!("{key}-{}", content_hash(text.as_bytes()));
        put(files, format!("v/{name}.js"), text);
        names.insert(key, json!(name));
    }
    names
}

/// The glossary: forms for `meta.js`, descriptions in their own file
/// (whose name is returned).
fn glossary_files(
    input: &Input<'_>,
    concepts: &Concepts,
    files: &mut Files,
) -> (Vec<Value>, String) {
    let glossary: Vec<Value> = concepts
        .list
        .iter()
        .map(|c| {
            let e = &input.glossary[c.entry];
            let forms: Vec<String> = c.forms.iter().map(|f| f.join(" ")).collect();
            json!([e.term, e.expansion, e.id, c.key, forms])
        })
        .collect();
    let descriptions: Vec<&str> = concepts
        .list
        .iter()
        .map(|c| input.glossary[c.entry].description.as_str())
        .collect();
    let text = script("gloss", &[json!(descriptions)]);
    let name = format!("g-{}", content_hash(text.as_bytes()));
    if !concepts.list.is_empty() {
        put(files, format!("{name}.js"), text);
    }
    (glossary, name)
}

/// Facets: each section as ranges of page numbers (pages are in URL order,
/// so a section's pages are one range); regions as page lists (gaps).
fn facets(input: &Input<'_>, order: &[usize]) -> (Vec<Value>, Vec<Value>) {
    let mut sections: Vec<Value> = Vec::new();
    for (k, f) in input.sections.iter().enumerate() {
        let mut ranges: Vec<[usize; 2]> = Vec::new();
        for (doc, &i) in order.iter().enumerate() {
            if input.docs[i].section == Some(k) {
                match ranges.last_mut() {
                    Some(r) if r[1] == doc => r[1] = doc + 1,
                    _ => ranges.push([doc, doc + 1]),
                }
            }
        }
        sections.push(json!([f.slug, f.title, ranges]));
    }
    let regions: Vec<Value> = input
        .regions
        .iter()
        .enumerate()
        .map(|(bit, f)| {
            let mut prev = 0usize;
            let gaps: Vec<usize> = order
                .iter()
                .enumerate()
                .filter(|(_, i)| input.docs[**i].regions & (1 << bit) != 0)
                .map(|(doc, _)| {
                    let g = doc - prev;
                    prev = doc;
                    g
                })
                .collect();
            json!([f.slug, f.title, gaps])
        })
        .collect();
    (sections, regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_as_split_whitespace_does() {
        for line in [
            "",
            "  ",
            "one",
            "  two   words\t",
            "a\x0bb\x0cc\rd",
            "café  au\u{a0}lait \u{2003} 薬局",
        ] {
            let words: Vec<&str> = Words::of(line).collect();
            let expected: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(words, expected, "{line:?}");
        }
    }

    #[test]
    fn encodes_base64_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn shards_before_a_change_keep_their_bytes_and_names() {
        let p = |doc| Posting {
            doc,
            impact: 9,
            part: 0,
        };
        let mut postings: Vec<(String, Vec<Posting>)> = (0..3000)
            .map(|i| (format!("term{i:05}"), vec![p(i % 7), p(7 + i % 5)]))
            .collect();
        let before = shards(&postings);
        assert!(before.len() > 2);
        postings[2999].1.push(p(99));
        let after = shards(&postings);
        assert_eq!(before[0], after[0]);
        assert_eq!(content_hash(&before[0].1), content_hash(&after[0].1));
        assert_ne!(before.last(), after.last());
    }

    #[test]
    fn front_codes_terms_and_never_splits_a_list() {
        let p = |doc| Posting {
            doc,
            impact: 9,
            part: 0,
        };
        let long: Vec<Posting> = (0..5000).map(p).collect();
        let postings = vec![
            ("care".to_string(), vec![p(1), p(5)]),
            ("cared".to_string(), long),
            ("carer".to_string(), vec![p(2)]),
        ];
        let s = shards(&postings);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].0, "care");
        // care: prefix 0, suffix 4, "care", df 2, 4 bytes: (1·2, 9), (4·2, 9)
        assert_eq!(s[0].1, [0, 4, b'c', b'a', b'r', b'e', 2, 4, 2, 9, 8, 9]);
    }
}
