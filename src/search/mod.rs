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
pub(crate) mod tokens;
pub(crate) mod write;

use crate::glossary::Entry;
use crate::markdown::Rendered;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The folder the search files go in, under the output folder.
pub(crate) const DIR: &str = "search";

/// One page as search sees it.
pub(crate) struct Doc {
    /// The site path (`/eps/nominations/`).
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) description: String,
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

/// Everything the index is built from, owned (a snapshot of the site).
pub(crate) struct Input {
    pub(crate) docs: Vec<Doc>,
    pub(crate) sections: Vec<Facet>,
    pub(crate) regions: Vec<Facet>,
    pub(crate) glossary: Arc<[Entry]>,
    /// The glossary page's site path, when the site has one.
    pub(crate) glossary_url: Option<String>,
}

/// True for a path under the output folder that the search index writes
/// (or may write in a later build): `search/meta.js`, the shards `t/`, the
/// page fragments `p/`, the vocabulary `v/` and the glossary `g-*.js`.
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

/// Builds every search file.
pub(crate) fn build(input: &Input) -> Files {
    let analyzer = tokens::Analyzer::new(input.glossary.iter().map(|e| e.term.as_str()));
    let concepts = concepts::Concepts::new(&input.glossary, &analyzer);
    let t = std::time::Instant::now();
    let built = index::build(input, &analyzer, &concepts);
    crate::diagnostics::timing("search: analyse and score", t);
    let t = std::time::Instant::now();
    let files = write::files(input, &built, &concepts);
    crate::diagnostics::timing("search: write", t);
    files
}
