//! The static search index: built at `pestle build` from pestle's own render
//! (title, description, and each heading's section as plain text; never
//! menus, footers or related links), written as classic scripts under
//! `search/` so the client (`themes/default/static/search/search.js`) can
//! load only what a query needs by adding `<script src>` tags, which works
//! over http and from `file://` alike.
//!
//! - [`tokens`]: text to terms, exactly as the client does it.
//! - [`concepts`]: glossary terms, expansions and aliases as concept terms,
//!   so `SCR` finds pages that only say "Summary Care Record" and back.
//! - [`index`]: per-page analysis and BM25F scores quantised to one byte.
//! - [`write`](mod@write): term shards, page fragments, vocabulary and `meta.js`.
//!
//! Output is deterministic: pages are numbered in URL order, and shards,
//! vocabulary and glossary files are named by a hash of their content, so
//! unchanged content keeps its file names; `meta.js` is the one fixed name.

pub(crate) mod concepts;
pub(crate) mod index;
#[cfg(test)]
mod parity;
mod runs;
pub(crate) mod tokens;
pub(crate) mod write;

use crate::diagnostics::Fatal;
use crate::glossary::Entry;
use crate::markdown::{Rendered, TextSection};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The folder the search files go in, under the output folder.
pub(crate) const DIR: &str = "search";

/// One page as search sees it: borrowed from the site in a build, owned
/// in serve (where the index is built on another thread).
pub(crate) struct Doc<'a> {
    /// The site path (`/eps/nominations/`).
    pub(crate) url: Cow<'a, str>,
    pub(crate) title: Cow<'a, str>,
    pub(crate) description: Cow<'a, str>,
    pub(crate) rendered: Arc<Rendered>,
    /// Index into [`Input::sections`], if the page is in a top-level section.
    pub(crate) section: Option<usize>,
    /// Bit n set for [`Input::regions`]' term n.
    pub(crate) regions: u32,
}

/// A facet value: slug and title.
#[derive(Debug, Clone)]
pub(crate) struct Facet {
    pub(crate) slug: String,
    pub(crate) title: String,
}

/// Everything the index is built from (a snapshot of the site).
pub(crate) struct Input<'a> {
    pub(crate) docs: Vec<Doc<'a>>,
    pub(crate) sections: Vec<Facet>,
    pub(crate) regions: Vec<Facet>,
    pub(crate) glossary: Arc<[Entry]>,
    /// The glossary page's site path, when the site has one.
    pub(crate) glossary_url: Option<String>,
}

impl Input<'_> {
    /// The input with every page's text its own, to build on another
    /// thread.
    pub(crate) fn into_owned(self) -> Input<'static> {
        Input {
            docs: self
                .docs
                .into_iter()
                .map(|d| Doc {
                    url: Cow::Owned(d.url.into_owned()),
                    title: Cow::Owned(d.title.into_owned()),
                    description: Cow::Owned(d.description.into_owned()),
                    rendered: d.rendered,
                    section: d.section,
                    regions: d.regions,
                })
                .collect(),
            sections: self.sections,
            regions: self.regions,
            glossary: self.glossary,
            glossary_url: self.glossary_url,
        }
    }
}

/// True for a path under the output folder that the search index writes
/// (or may write in a later build): `search/meta.js`, the shards `t/`, the
/// page fragments `p/<numbering>/`, the vocabulary `v/` and the glossary
/// `g-*.js`.
/// Nothing else may write there.
pub(crate) fn is_index_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("search/") else {
        return false;
    };
    rest == "meta.js"
        || ["t/", "p/", "v/"].iter().any(|d| rest.starts_with(d))
        || (rest.starts_with("g-") && rest.ends_with(".js"))
}

/// The search files: path under the output folder → text.
pub(crate) type Files = BTreeMap<String, Arc<str>>;

/// What the search index is made with: the tokeniser and the glossary's
/// concepts, which depend only on the glossary.
pub(crate) struct Searcher {
    analyzer: tokens::Analyzer,
    concepts: concepts::Concepts,
    /// Every term and surface word met, numbered.
    names: index::Names,
    /// A hash of the glossary it was made from.
    glossary: u64,
}

impl Searcher {
    /// A searcher for a site with this glossary.
    pub(crate) fn new(glossary: &[Entry]) -> Searcher {
        let analyzer = tokens::Analyzer::new(glossary.iter().map(|e| e.term.as_str()));
        let concepts = concepts::Concepts::new(glossary, &analyzer);
        Searcher {
            analyzer,
            concepts,
            names: index::Names::default(),
            glossary: glossary_hash(glossary),
        }
    }

    /// Analyses one page, whose text is `sections`.
    pub(crate) fn analyse(
        &self,
        doc: &Doc<'_>,
        sections: &[TextSection],
        cache: &mut index::WordCache,
    ) -> index::Analysed {
        let searcher = (&self.analyzer, &self.concepts, &self.names);
        index::analyse(doc, sections, searcher, cache)
    }
}

fn glossary_hash(glossary: &[Entry]) -> u64 {
    let parts: Vec<(&str, &str, &str, &[String])> = glossary
        .iter()
        .map(|e| {
            (
                e.term.as_str(),
                e.expansion.as_str(),
                e.description.as_str(),
                e.aliases.as_slice(),
            )
        })
        .collect();
    crate::hash::hash_of(&parts)
}

/// What decides a page's analysis and fragments: its address, title,
/// description and rendered text.
fn doc_key(d: &Doc<'_>) -> u64 {
    crate::hash::hash_of(&(&d.url, &d.title, &d.description, d.rendered.html_hash))
}

/// A page's fragment files: (path, text).
type FragmentFiles = Vec<(String, Arc<str>)>;

/// What a page's fragments were made from: its key, page number and the
/// numbering.
struct MadeFragments {
    key: u64,
    doc: usize,
    numbering: String,
    files: FragmentFiles,
}

/// Merged term lists with the numbering and analyses they came from.
type Retained = (String, Vec<Arc<index::Analysed>>, index::Merged);

/// Builds the search index again and again as a site changes, analysing
/// only the pages that changed since the last build (serve). A fresh one
/// builds everything (a one-off build).
#[derive(Default)]
pub(crate) struct Incremental {
    searcher: Option<Searcher>,
    /// Page address → (its key, its analysis).
    analysed: HashMap<String, (u64, Arc<index::Analysed>)>,
    /// Page address → its fragments and what they were made from.
    fragments: HashMap<String, MadeFragments>,
    /// The last build's merged term lists, with the analyses and numbering
    /// they were merged from, kept only by [`Incremental::retained`].
    merged: Option<Retained>,
    /// Whether to keep the merged lists for the next build.
    retain: bool,
}

impl Incremental {
    /// An index builder that keeps what the next build can reuse: each
    /// page's analysis and fragments, and the merged term lists (serve).
    pub(crate) fn retained() -> Incremental {
        Incremental {
            retain: true,
            ..Incremental::default()
        }
    }

    /// Leaves in `slot` the term lists of `list`, numbered
    /// `numbering`: the last build's with the changed pages replaced, when
    /// the numbering is the same and few pages changed; otherwise merged
    /// afresh.
    fn merge<'a>(
        slot: &'a mut Option<Retained>,
        numbering: &str,
        list: Vec<Arc<index::Analysed>>,
    ) -> &'a index::Merged {
        let t = std::time::Instant::now();
        let merged = match slot.take() {
            Some((old_numbering, old, mut merged))
                if old_numbering == numbering && old.len() == list.len() =>
            {
                let changed: Vec<usize> = (0..list.len())
                    .filter(|&d| !Arc::ptr_eq(&old[d], &list[d]))
                    .collect();
                if changed.len() <= list.len() / 8 {
                    for d in changed {
                        merged.replace(d, &old[d], &list[d]);
                    }
                    crate::diagnostics::timing("search: lists updated", t);
                    merged
                } else {
                    drop(merged);
                    index::Merged::new(&list)
                }
            }
            _ => index::Merged::new(&list),
        };
        &slot.insert((numbering.to_string(), list, merged)).2
    }

    /// Every search file for `input`.
    pub(crate) fn build(&mut self, input: &Input<'_>) -> Files {
        let glossary = glossary_hash(&input.glossary);
        if self
            .searcher
            .as_ref()
            .is_none_or(|s| s.glossary != glossary)
        {
            // New concepts, and a new numbering of terms: nothing analysed
            // or merged before can be used.
            self.searcher = Some(Searcher::new(&input.glossary));
            self.analysed.clear();
            self.merged = None;
        }
        let Some(searcher) = self.searcher.as_ref() else {
            return Files::new();
        };
        let t = std::time::Instant::now();
        let (order, numbering) = numbered(input);
        let cached = &self.analysed;
        let analysed: Vec<(u64, Arc<index::Analysed>)> = order
            .par_iter()
            .map_init(index::WordCache::default, |cache, &i| {
                let d = &input.docs[i];
                let key = doc_key(d);
                match cached.get(&*d.url) {
                    Some((k, a)) if *k == key => (key, Arc::clone(a)),
                    _ => (
                        key,
                        Arc::new(searcher.analyse(d, &d.rendered.sections(), cache)),
                    ),
                }
            })
            .collect();
        crate::diagnostics::timing("search: analyse pages", t);
        let t = std::time::Instant::now();
        let old_fragments = &self.fragments;
        let fragments: Vec<FragmentFiles> = order
            .par_iter()
            .enumerate()
            .map(|(doc, &i)| {
                let d = &input.docs[i];
                let (key, a) = &analysed[doc];
                match old_fragments.get(&*d.url) {
                    Some(m) if m.key == *key && m.doc == doc && m.numbering == numbering => {
                        m.files.clone()
                    }
                    _ => write::fragments(doc, d, &d.rendered.sections(), &a.parts, &numbering),
                }
            })
            .collect();
        crate::diagnostics::timing("search: fragments", t);
        let t = std::time::Instant::now();
        let list: Vec<Arc<index::Analysed>> = analysed.iter().map(|(_, a)| Arc::clone(a)).collect();
        let built = Self::merge(&mut self.merged, &numbering, list).score(&searcher.names);
        if !self.retain {
            self.merged = None;
        }
        let mut files = write::index_files(input, &order, &numbering, &built, &searcher.concepts);
        crate::diagnostics::timing("search: score and write", t);
        self.analysed.clear();
        self.fragments.clear();
        for ((doc, &i), ((key, a), frags)) in order
            .iter()
            .enumerate()
            .zip(analysed.into_iter().zip(fragments))
        {
            let url = input.docs[i].url.to_string();
            files.extend(frags.iter().cloned());
            let made = MadeFragments {
                key,
                doc,
                numbering: numbering.clone(),
                files: frags,
            };
            self.fragments.insert(url.clone(), made);
            self.analysed.insert(url, (key, a));
        }
        files
    }
}

/// Builds every search file (what [`write_all`] writes).
#[cfg(test)]
pub(crate) fn build(input: &Input<'_>) -> Files {
    Incremental::default().build(input)
}

/// Where a one-off build's search files go, as they are made.
pub(crate) trait Out: Sync {
    /// Makes the folders that the files at `paths` need.
    fn folders(&self, paths: &[&str]) -> Result<(), Fatal>;
    /// Writes the file at `path` (under the output folder).
    fn file(&self, path: &str, text: &str) -> Result<(), Fatal>;
}

/// Pages analysed at a time in a one-off build.
const CHUNK: usize = 1024;

/// Builds every search file, handing each to `out` as soon as it is made.
/// Pages are analysed [`CHUNK`] at a time: their fragments are written and
/// their analyses merged into term lists, which go to `spill` as one run
/// ([`runs`]) before the next chunk. The runs are then merged term by
/// term, twice: once for the highest score, once to write the shards. So a
/// build never holds every page's analysis, nor every term's list, nor any
/// file it has written.
pub(crate) fn write_all(
    input: &Input<'_>,
    out: &dyn Out,
    spill: Option<Arc<crate::fs::spill::Spill>>,
) -> Result<(), Fatal> {
    write_in_chunks(input, out, CHUNK, spill)
}

fn write_in_chunks(
    input: &Input<'_>,
    out: &dyn Out,
    chunk: usize,
    spill: Option<Arc<crate::fs::spill::Spill>>,
) -> Result<(), Fatal> {
    let searcher = Searcher::new(&input.glossary);
    let (order, numbering) = numbered(input);
    let t = std::time::Instant::now();
    if !order.is_empty() {
        out.folders(&[&format!("{DIR}/p/{numbering}/0.js")])?;
    }
    // One word cache per worker thread, kept from chunk to chunk.
    let caches: Vec<std::sync::Mutex<index::WordCache>> = (0..rayon::current_num_threads())
        .map(|_| std::sync::Mutex::default())
        .collect();
    let mut merged = index::Merged::default();
    let mut runs = runs::Runs::new(spill);
    for (c, pages) in order.chunks(chunk.max(1)).enumerate() {
        let first = c * chunk.max(1);
        let analysed: Vec<index::Analysed> = pages
            .par_iter()
            .enumerate()
            .map(|(k, &i)| {
                let slot = rayon::current_thread_index().unwrap_or(0) % caches.len().max(1);
                let mut cache = caches[slot].lock().unwrap_or_else(|e| e.into_inner());
                let d = &input.docs[i];
                let sections = d.rendered.sections();
                let a = searcher.analyse(d, &sections, &mut cache);
                drop(cache);
                let doc = first + k;
                let files = write::fragments(doc, d, &sections, &a.parts, &numbering);
                files
                    .iter()
                    .try_for_each(|(path, text)| out.file(path, text))
                    .map(|()| a)
            })
            .collect::<Result<_, Fatal>>()?;
        merged.append(analysed);
        runs.push(&merged.take_lists(&searcher.names));
    }
    drop(caches);
    crate::diagnostics::timing("search: analyse, fragments and runs", t);
    let t = std::time::Instant::now();
    let scorer = merged.scorer();
    let mut max = 0f64;
    let mut common = BTreeMap::new();
    runs.merge(|term, list| {
        max = max.max(scorer.max_of(list));
        if write::is_common(list.len(), order.len()) {
            common.insert(term.to_string(), list.len());
        }
        Ok::<(), Fatal>(())
    })?;
    let max = index::highest(max);
    let mut shards = Vec::new();
    let mut emit = |first: String, bytes: Vec<u8>| -> Result<(), Fatal> {
        let (name, text) = write::shard_file(&bytes);
        let path = format!("{DIR}/t/{name}.js");
        if shards.is_empty() {
            out.folders(&[&path])?;
        }
        out.file(&path, &text)?;
        shards.push((first, name));
        Ok(())
    };
    let mut cutter = write::ShardCutter::default();
    runs.merge(
        |term, list| match cutter.push(term, &scorer.postings(list, max)) {
            Some((first, bytes)) => emit(first, bytes),
            None => Ok(()),
        },
    )?;
    if let Some((first, bytes)) = cutter.finish() {
        emit(first, bytes)?;
    }
    drop(runs);
    let vocab = merged.vocab(&searcher.names);
    let index = write::Index {
        order: &order,
        numbering: &numbering,
        shards,
        common,
        vocab: &vocab,
    };
    let mut files = Files::new();
    write::meta_files(input, &index, &searcher.concepts, &mut files);
    crate::diagnostics::timing("search: merge, score and write shards", t);
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    out.folders(&paths)?;
    files
        .par_iter()
        .try_for_each(|(path, text)| out.file(path, text))
}

/// The pages' indexes in page-number (URL) order, and the numbering's name.
fn numbered(input: &Input<'_>) -> (Vec<usize>, String) {
    let mut order: Vec<usize> = (0..input.docs.len()).collect();
    order.sort_by(|&a, &b| input.docs[a].url.cmp(&input.docs[b].url));
    let urls: Vec<&str> = order.iter().map(|&i| &*input.docs[i].url).collect();
    let numbering = write::numbering(&urls);
    (order, numbering)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::TextSection;

    const WORDS: &[&str] = &[
        "token",
        "nomination",
        "smartcard",
        "pharmacy",
        "spine",
        "dispense",
        "repeat",
        "urgent",
        "supply",
        "patient",
        "region",
        "roadmap",
        "outage",
        "renewal",
        "printer",
        "barcode",
    ];

    /// Page `i`'s text at `version`: a mix of the words, so edits add and
    /// remove terms, some of which are on no other page.
    fn doc(i: usize, version: usize) -> Doc<'static> {
        let mut text: Vec<String> = (0..(i % 5 + 3))
            .map(|k| WORDS[(i * 7 + k * 3 + version) % WORDS.len()].to_string())
            .collect();
        text.push(format!("only{i}v{version}"));
        let text = text.join(" ");
        let rendered = crate::markdown::Rendered {
            html_hash: crate::hash::hash_of(&text),
            sections: vec![TextSection {
                text,
                ..TextSection::default()
            }],
            ..crate::markdown::Rendered::default()
        };
        Doc {
            url: format!("/p{i:02}/").into(),
            title: format!("Page {} {}", i, WORDS[(i + version) % WORDS.len()]).into(),
            description: "".into(),
            rendered: Arc::new(rendered),
            section: None,
            regions: 0,
        }
    }

    fn input(versions: &[usize]) -> Input<'static> {
        Input {
            docs: versions
                .iter()
                .enumerate()
                .map(|(i, &v)| doc(i, v))
                .collect(),
            sections: Vec::new(),
            regions: Vec::new(),
            glossary: Arc::from(Vec::new()),
            glossary_url: None,
        }
    }

    #[test]
    fn lists_updated_page_by_page_give_the_files_of_a_fresh_build() {
        let mut versions = vec![0; 24];
        let mut index = Incremental::retained();
        assert_eq!(index.build(&input(&versions)), build(&input(&versions)));
        for step in 1..40 {
            // One or two pages change per step, now and then a page comes
            // or goes (a new numbering).
            let page = (step * 5) % versions.len();
            versions[page] += 1;
            if step % 3 == 0 {
                let other = (page + 7) % versions.len();
                versions[other] += 2;
            }
            if step % 11 == 0 {
                versions.push(0);
            }
            if step % 13 == 0 {
                versions.pop();
            }
            let fresh = build(&input(&versions));
            assert_eq!(index.build(&input(&versions)), fresh, "step {step}");
        }
        assert!(index.merged.is_some(), "serve keeps the merged lists");
        let mut one_off = Incremental::default();
        one_off.build(&input(&versions));
        assert!(one_off.merged.is_none(), "a build drops them");
    }

    /// Collects what [`write_all`] hands over, refusing a file whose
    /// folder was not made first.
    #[derive(Default)]
    struct Collect {
        folders: std::sync::Mutex<std::collections::BTreeSet<String>>,
        files: std::sync::Mutex<Files>,
    }

    impl Out for Collect {
        fn folders(&self, paths: &[&str]) -> Result<(), Fatal> {
            let mut folders = self.folders.lock().map_err(|_| Fatal::new("poisoned"))?;
            for p in paths {
                if let Some((dir, _)) = p.rsplit_once('/') {
                    folders.insert(dir.to_string());
                }
            }
            Ok(())
        }
        fn file(&self, path: &str, text: &str) -> Result<(), Fatal> {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            if !self
                .folders
                .lock()
                .map_err(|_| Fatal::new("poisoned"))?
                .contains(dir)
            {
                return Err(Fatal::new(format!("{path}: folder not made")));
            }
            let mut files = self.files.lock().map_err(|_| Fatal::new("poisoned"))?;
            if files.insert(path.to_string(), Arc::from(text)).is_some() {
                return Err(Fatal::new(format!("{path} written twice")));
            }
            Ok(())
        }
    }

    #[test]
    fn a_build_writing_as_it_goes_writes_the_files_of_a_whole_build() {
        for versions in [vec![], vec![0], (0..30).collect::<Vec<_>>()] {
            let input = input(&versions);
            let whole = build(&input);
            for (chunk, spill) in [(CHUNK, true), (1, true), (7, false), (7, true)] {
                let spill = spill
                    .then(|| crate::fs::spill::Spill::new(0))
                    .flatten()
                    .map(Arc::new);
                let out = Collect::default();
                write_in_chunks(&input, &out, chunk, spill).expect("written");
                let written = out.files.into_inner().expect("files");
                assert_eq!(
                    written,
                    whole,
                    "{} pages, chunks of {chunk}",
                    versions.len()
                );
            }
        }
    }
}
