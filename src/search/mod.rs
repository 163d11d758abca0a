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
//! - [`write`]: term shards, page fragments, vocabulary and `meta.js`.
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

use crate::content::{Kind, Taxonomy, Tree};
use crate::glossary::Entry;
use crate::markdown::Rendered;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The folder the search files go in, under the output folder.
pub(crate) const DIR: &str = "search";

/// One page as search sees it.
pub(crate) struct Doc<'a> {
    /// The site path (`/eps/nominations/`).
    pub(crate) url: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) rendered: &'a Rendered,
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

/// Everything the index is built from.
pub(crate) struct Input<'a> {
    pub(crate) docs: Vec<Doc<'a>>,
    pub(crate) sections: Vec<Facet>,
    pub(crate) regions: Vec<Facet>,
    pub(crate) glossary: &'a [Entry],
    /// The glossary page's site path, when the site has one.
    pub(crate) glossary_url: Option<String>,
}

/// The search files: path under the output folder → text.
pub(crate) type Files = BTreeMap<String, Arc<str>>;

/// Gathers what search needs from the site's pages.
pub(crate) fn input<'a>(
    tree: &'a Tree,
    rendered: &'a [Arc<Rendered>],
    taxonomies: &'a [Taxonomy],
    glossary: &'a [Entry],
) -> Input<'a> {
    let home = &tree.pages[tree.home];
    let sections: Vec<(usize, Facet)> = home
        .subsections
        .iter()
        .map(|&s| {
            let p = &tree.pages[s];
            let slug = p.url.trim_matches('/').to_string();
            (
                s,
                Facet {
                    slug,
                    title: p.meta.title.clone(),
                },
            )
        })
        .collect();
    let region_tax = taxonomies.iter().find(|t| t.name == "region");
    let regions: Vec<Facet> = region_tax
        .map(|t| {
            t.terms
                .iter()
                .take(32)
                .map(|term| Facet {
                    slug: term.slug.clone(),
                    title: term.title.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut masks = vec![0u32; tree.pages.len()];
    if let Some(t) = region_tax {
        for (bit, term) in t.terms.iter().take(32).enumerate() {
            for &p in &term.pages {
                if let Some(m) = masks.get_mut(p) {
                    *m |= 1 << bit;
                }
            }
        }
    }
    let docs = tree
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let section = sections.iter().position(|(s, f)| {
                *s == i || p.ancestors.contains(s) || p.url.starts_with(&format!("/{}/", f.slug))
            });
            Doc {
                url: &p.url,
                title: &p.meta.title,
                description: p.meta.description.as_deref().unwrap_or(""),
                rendered: &rendered[i],
                section,
                regions: masks[i],
            }
        })
        .collect();
    let glossary_url = tree
        .pages
        .iter()
        .find(|p| p.kind == Kind::Page && p.meta.template.as_deref() == Some("glossary.html"))
        .map(|p| p.url.clone());
    Input {
        docs,
        sections: sections.into_iter().map(|(_, f)| f).collect(),
        regions,
        glossary,
        glossary_url,
    }
}

/// Builds every search file.
pub(crate) fn build(input: &Input<'_>) -> Files {
    let analyzer = tokens::Analyzer::new(input.glossary.iter().map(|e| e.term.as_str()));
    let concepts = concepts::Concepts::new(input.glossary, &analyzer);
    let t = std::time::Instant::now();
    let built = index::build(input, &analyzer, &concepts);
    crate::diagnostics::timing("search: analyse and score", t);
    let t = std::time::Instant::now();
    let files = write::files(input, &built, &concepts);
    crate::diagnostics::timing("search: write", t);
    files
}
