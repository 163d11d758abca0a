//! The contexts of synthetic pages: taxonomy and term listings, search and
//! the 404 page; and the fingerprint of what every page shares.

use super::views::*;
use super::{Context, Scope, SharedPrints, SiteModel, Synthetic, Urls};
use crate::content::{Taxonomy, Term};
use crate::site::SitePage;

impl<'a> SiteModel<'a> {
    /// The context for a taxonomy's index page.
    pub(crate) fn taxonomy_view(&self, t: &'a Taxonomy, scope: Scope) -> Context<'a> {
        let urls = Urls::From(&t.url);
        let view = self.synthetic_view(
            &Synthetic {
                kind: "taxonomy",
                title: &t.title,
                description: None,
                path: &t.url,
            },
            &urls,
        );
        let mut ctx = self.base(view, &urls, scope);
        ctx.taxonomy = Some(self.taxonomy_summary(t, &urls, true));
        ctx
    }

    /// The context for one term's page.
    pub(crate) fn term_view(&self, t: &'a Taxonomy, term: &'a Term, scope: Scope) -> Context<'a> {
        let urls = Urls::From(&term.url);
        let view = self.synthetic_view(
            &Synthetic {
                kind: "term",
                title: &term.title,
                description: None,
                path: &term.url,
            },
            &urls,
        );
        let mut ctx = self.base(view, &urls, scope);
        ctx.breadcrumbs.push(Crumb {
            title: &t.title,
            url: urls.to(&t.url, self.file_urls()),
        });
        ctx.taxonomy = Some(self.taxonomy_summary(t, &urls, true));
        let groups = self.term_groups(term, &urls);
        let feed = t.feeds.then(|| format!("{}atom.xml", term.url));
        if let Some(f) = &feed {
            ctx.feeds.push(FeedView {
                title: term.title.clone(),
                url: urls.to(f, false),
            });
        }
        ctx.term = Some(TermPageView {
            slug: &term.slug,
            title: &term.title,
            url: urls.to(&term.url, self.file_urls()),
            count: term.pages.len(),
            taxonomy: &t.name,
            taxonomy_title: &t.title,
            pages: term.pages.iter().map(|&k| self.summary(k, &urls)).collect(),
            groups,
            feed: feed.map(|f| urls.to(&f, false)),
        });
        ctx
    }

    /// A term's pages grouped by their section, sections in tree order.
    pub(super) fn term_groups(&self, term: &'a Term, urls: &Urls<'_>) -> Vec<TermGroup<'a>> {
        let pages = &self.site.pages;
        let home = self.site.tree.home;
        let mut by_section: Vec<(usize, usize)> = term
            .pages
            .iter()
            .map(|&k| (pages[k].parent.unwrap_or(home), k))
            .collect();
        by_section.sort_by_key(|&(s, k)| (pages[s].order, pages[k].order));
        let mut groups: Vec<TermGroup<'a>> = Vec::new();
        let mut last_section = None;
        for (s, k) in by_section {
            if last_section != Some(s) {
                let sp: &'a SitePage = &pages[s];
                groups.push(TermGroup {
                    title: &sp.meta.title,
                    url: urls.to(&sp.url, self.file_urls()),
                    pages: vec![],
                });
                last_section = Some(s);
            }
            if let Some(g) = groups.last_mut() {
                g.pages.push(self.summary(k, urls));
            }
        }
        groups
    }

    /// Hashes of the context parts that every page shares (the latest
    /// news, the taxonomies and their counts, the glossary), by site path,
    /// so a page's fingerprint need only cover what is its own.
    pub(crate) fn shared_prints(&self) -> SharedPrints {
        let urls = Urls::From("/");
        let news: Vec<Summary<'_>> = self
            .latest()
            .iter()
            .map(|&i| self.summary(i, &urls))
            .collect();
        let mut taxonomies: Vec<TaxonomyView<'_>> = self
            .site
            .taxonomies
            .iter()
            .map(|t| self.taxonomy_summary(t, &urls, true))
            .collect();
        let taxonomy_terms = json_hash(&taxonomies);
        for t in &mut taxonomies {
            t.terms.clear();
        }
        SharedPrints {
            latest_news: json_hash(&news),
            taxonomies: json_hash(&taxonomies),
            taxonomy_terms,
            glossary: json_hash(&*self.site.glossary),
        }
    }

    /// The context for the search page at `/search/`.
    pub(crate) fn search_view(&self, scope: Scope) -> Context<'a> {
        let urls = Urls::From("/search/");
        let view = self.synthetic_view(
            &Synthetic {
                kind: "search",
                title: "Search",
                description: None,
                path: "/search/",
            },
            &urls,
        );
        self.base(view, &urls, scope)
    }

    /// The context for the 404 page.
    pub(crate) fn not_found_view(&self, scope: Scope) -> Context<'a> {
        // A host shows 404.html at any address, so its links start from the
        // base path; opened from disk (file URLs) it sits at the root.
        let urls = if self.file_urls() {
            Urls::From("/404.html")
        } else {
            Urls::Rooted(self.site.config.base_path())
        };
        let view = self.synthetic_view(
            &Synthetic {
                kind: "404",
                title: "Page not found",
                description: None,
                path: "/404.html",
            },
            &urls,
        );
        self.base(view, &urls, scope)
    }
}

/// A hash of `value` as JSON, as a template would see it.
fn json_hash<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    crate::hash::hash_of(serde_json::to_string(value).unwrap_or_default().as_str())
}
