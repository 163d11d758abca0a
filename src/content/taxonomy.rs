//! Taxonomies: pages grouped by the terms in their `tags` and `region`
//! keys. A closed taxonomy accepts only the terms site.yaml lists; an open
//! one takes any term, slugified for its URL.

use super::{Page, Tree, slugify};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, did_you_mean};
use std::collections::BTreeMap;

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

fn values<'a>(page: &'a Page, name: &str) -> &'a [String] {
    match name {
        "tags" => &page.meta.tags,
        "region" => &page.meta.regions,
        _ => &[],
    }
}

/// Builds every configured taxonomy from the tree's pages.
pub(crate) fn build_taxonomies(
    config: &Config,
    tree: &Tree,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for tc in &config.taxonomies {
        let url = format!("/{}/", tc.name);
        let mut tax = Taxonomy {
            name: tc.name.clone(),
            title: tc.title.clone(),
            description: tc.description.clone(),
            feeds: tc.feeds,
            url: url.clone(),
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
        };
        let mut open: BTreeMap<String, Term> = BTreeMap::new();
        let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (i, page) in tree.pages.iter().enumerate() {
            for value in values(page, &tc.name) {
                if tc.closed {
                    let Some(pos) = tax
                        .find(value)
                        .and_then(|t| tax.terms.iter().position(|x| x.slug == t.slug))
                    else {
                        let slugs: Vec<&str> = tax.terms.iter().map(|t| t.slug.as_str()).collect();
                        let hint = match did_you_mean(value, slugs.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("use one of: {}", slugs.join(", ")),
                        };
                        diags.push(
                            Diagnostic::error(
                                "unknown-term",
                                &page.file,
                                page.meta.keys.value_pos(&tc.name),
                                format!("`{value}` is not one of the site's {} terms", tc.name),
                            )
                            .with_hint(hint),
                        );
                        continue;
                    };
                    if !tax.terms[pos].pages.contains(&i) {
                        tax.terms[pos].pages.push(i);
                    }
                } else if let Some(pos) = tax
                    .find(value)
                    .and_then(|t| tax.terms.iter().position(|x| x.slug == t.slug))
                {
                    // An open taxonomy's listed terms give their titles.
                    if !tax.terms[pos].pages.contains(&i) {
                        tax.terms[pos].pages.push(i);
                    }
                } else {
                    let slug = slugify(value);
                    if slug.is_empty() {
                        continue;
                    }
                    if let Some(why) = super::slug::bad_segment(&slug) {
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
                        url: format!("{url}{slug}/"),
                        slug: slug.clone(),
                        title: String::new(),
                        pages: vec![],
                    });
                    if !term.pages.contains(&i) {
                        term.pages.push(i);
                    }
                    *spellings
                        .entry(slug)
                        .or_default()
                        .entry(value.trim().to_string())
                        .or_default() += 1;
                }
            }
        }
        // An open term is shown as most pages spell it (ties: the spelling
        // that sorts first, so capitals win over lower case).
        for (slug, term) in &mut open {
            if let Some(counts) = spellings.get(slug) {
                let best = counts
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
                if let Some((spelling, _)) = best {
                    term.title = spelling.clone();
                }
            }
        }
        if !tc.closed {
            // Listed terms that no page uses have nothing to list.
            tax.terms.retain(|t| !t.pages.is_empty());
            let mut terms: Vec<Term> = std::mem::take(&mut tax.terms);
            terms.extend(open.into_values());
            terms.sort_by(|a, b| {
                (a.title.to_lowercase(), &a.slug).cmp(&(b.title.to_lowercase(), &b.slug))
            });
            tax.terms = terms;
        }
        for term in &mut tax.terms {
            term.pages.sort_by_cached_key(|&i| {
                let p = &tree.pages[i];
                (p.meta.title.to_lowercase(), p.source.clone())
            });
        }
        out.push(tax);
    }
    out
}
