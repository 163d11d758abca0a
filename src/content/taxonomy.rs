//! Taxonomies: pages grouped by the terms in their `tags` and `region`
//! keys. A closed taxonomy accepts only the terms site.yaml lists; an open
//! one takes any term, slugified for its URL.

use super::{Page, slugify};
use crate::config::{Config, TaxonomyConfig};
use crate::diagnostics::{Diagnostic, did_you_mean};
use std::collections::{BTreeMap, HashMap};

/// One term and the pages that use it.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    /// Indexes into the tree's pages, in listing order.
    pub(crate) pages: Vec<usize>,
}

/// A taxonomy with its terms.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) feeds: bool,
    pub(crate) url: String,
    /// Closed taxonomies keep site.yaml's order; open ones are A to Z.
    pub(crate) terms: Vec<Term>,
}

impl Taxonomy {
    /// The term a page value names, by slug or title, ignoring case.
    pub(crate) fn find(&self, value: &str) -> Option<&Term> {
        let slug = slugify(value);
        self.terms
            .iter()
            .find(|t| t.slug == slug || t.title.eq_ignore_ascii_case(value.trim()))
    }
}

/// Builds every configured taxonomy from the placed pages.
pub(crate) fn build_taxonomies<P: AsRef<Page> + Sync>(
    config: &Config,
    pages: &[P],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|tc| {
            let mut tax = Taxonomy::listed(tc);
            let open = collect_terms(&mut tax, tc, pages, diags);
            if !tc.closed {
                // Listed terms that no page uses have nothing to list.
                tax.terms.retain(|t| !t.pages.is_empty());
                tax.terms.extend(open);
                tax.terms.sort_by(|a, b| {
                    (a.title.to_lowercase(), &a.slug).cmp(&(b.title.to_lowercase(), &b.slug))
                });
            }
            for term in &mut tax.terms {
                term.order_pages(pages);
            }
            tax
        })
        .collect()
}

impl Term {
    /// Puts the term's pages in listing order: by title, A to Z.
    pub(crate) fn order_pages<P: AsRef<Page>>(&mut self, pages: &[P]) {
        self.pages.sort_by_cached_key(|&i| {
            let p = pages[i].as_ref();
            (p.meta.title.to_lowercase(), p.source.clone())
        });
    }

    /// For a term of an open taxonomy: its title as most of its pages
    /// spell it (ties: the spelling that sorts first, so capitals win).
    pub(crate) fn spelled_title<P: AsRef<Page>>(
        &self,
        taxonomy: &str,
        pages: &[P],
    ) -> Option<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &self.pages {
            for value in pages[i].as_ref().meta.terms(taxonomy) {
                if slugify(value) == self.slug {
                    *counts.entry(value.trim()).or_default() += 1;
                }
            }
        }
        best_spelling(counts.iter().map(|(s, n)| (*s, *n))).map(str::to_string)
    }
}

/// The spelling with the highest count; ties go to the one that sorts first.
fn best_spelling<'a>(counts: impl Iterator<Item = (&'a str, usize)>) -> Option<&'a str> {
    counts
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s)
}

impl Taxonomy {
    /// The taxonomy with site.yaml's listed terms, no pages yet.
    fn listed(tc: &TaxonomyConfig) -> Taxonomy {
        let url = format!("/{}/", tc.name);
        Taxonomy {
            name: tc.name.clone(),
            title: tc.title.clone(),
            description: tc.description.clone(),
            feeds: tc.feeds,
            terms: tc
                .terms
                .iter()
                .map(|(slug, title)| Term {
                    slug: slug.clone(),
                    title: title.clone(),
                    url: format!("{url}{slug}/"),
                    pages: vec![],
                })
                .collect(),
            url,
        }
    }
}

/// Files every page under the terms it names: listed terms in `tax`; for an
/// open taxonomy, terms not listed come back, titled as most pages spell
/// them (ties: the spelling that sorts first, so capitals win).
fn collect_terms<P: AsRef<Page>>(
    tax: &mut Taxonomy,
    tc: &TaxonomyConfig,
    pages: &[P],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Term> {
    let mut open: BTreeMap<String, Term> = BTreeMap::new();
    let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    // Pages come in index order, so a page already filed under a term is
    // its last; and the few distinct values are looked up once each.
    let file = |list: &mut Vec<usize>, i: usize| {
        if list.last() != Some(&i) {
            list.push(i);
        }
    };
    let mut listed: HashMap<&str, Option<usize>> = HashMap::new();
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        let page = page.as_ref();
        for value in page.meta.terms(&tc.name) {
            let pos = *listed.entry(value.as_str()).or_insert_with(|| {
                tax.find(value)
                    .and_then(|t| tax.terms.iter().position(|x| x.slug == t.slug))
            });
            if let Some(pos) = pos {
                file(&mut tax.terms[pos].pages, i);
                continue;
            }
            if tc.closed {
                diags.push(unknown_closed_term(tax, tc, page, value));
                continue;
            }
            let slug = slugs
                .entry(value.as_str())
                .or_insert_with(|| slugify(value))
                .clone();
            if slug.is_empty() {
                continue;
            }
            if let Some(why) = crate::slug::bad_segment(&slug) {
                diags.push(
                    Diagnostic::error(
                        "bad-term",
                        &page.file,
                        page.meta.keys.value_pos(&tc.name),
                        format!(
                            "`{}` cannot be a {} term: its address part `{}` cannot be used: {why}",
                            value.escape_debug(),
                            tc.name,
                            slug.escape_debug()
                        ),
                    )
                    .with_hint("use words, like `smartcards` or `nominations`"),
                );
                continue;
            }
            let term = open.entry(slug.clone()).or_insert_with(|| Term {
                url: format!("{}{slug}/", tax.url),
                slug: slug.clone(),
                title: String::new(),
                pages: vec![],
            });
            file(&mut term.pages, i);
            *spellings
                .entry(slug)
                .or_default()
                .entry(value.trim().to_string())
                .or_default() += 1;
        }
    }
    for (slug, term) in &mut open {
        let best = spellings
            .get(slug)
            .and_then(|counts| best_spelling(counts.iter().map(|(s, n)| (s.as_str(), *n))));
        if let Some(spelling) = best {
            term.title = spelling.to_string();
        }
    }
    open.into_values().collect()
}

fn unknown_closed_term(
    tax: &Taxonomy,
    tc: &TaxonomyConfig,
    page: &Page,
    value: &str,
) -> Diagnostic {
    let slugs: Vec<&str> = tax.terms.iter().map(|t| t.slug.as_str()).collect();
    let hint = match did_you_mean(value, slugs.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("use one of: {}", slugs.join(", ")),
    };
    Diagnostic::error(
        "unknown-term",
        &page.file,
        page.meta.keys.value_pos(&tc.name),
        format!("`{value}` is not one of the site's {} terms", tc.name),
    )
    .with_hint(hint)
}
