//! The template context: view types borrowed from the model, one field per
//! documented template variable (see README.md, "Template context"). Every
//! URL in a context is relative to the page being rendered, except on the
//! 404 page, whose URLs start from the site's base path because a host shows
//! it at any address.

mod listings;
mod pages;
mod print;
mod views;

use crate::glossary;
use crate::links;
use crate::markdown::TocEntry;
use crate::render::chapter::Book;
use crate::site::Site;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use views::*;

/// Menus list a section's children only up to this many entries; a longer
/// section is reached through its overview page instead.
pub(crate) const NAV_CHILD_LIMIT: usize = 50;

/// Everything the templates can draw on, shared by all renders.
pub(crate) struct SiteModel<'a> {
    pub(crate) site: &'a Site,
    /// Site-wide feeds, linked from every page's head.
    pub(crate) feeds: Vec<Feed>,
    /// The paginated section (news) and how many items a page shows.
    pub(crate) paginated: Option<(usize, usize)>,
    /// The glossary page, when the site has one.
    pub(crate) glossary_page: Option<usize>,
    /// Each printed section's [`Book`], made by the first of its parts to
    /// be rendered.
    books: HashMap<usize, OnceLock<Arc<Book>>>,
}

/// Which of the parts every page shares a template chain reads (by name
/// anywhere in it): a template that never names `glossary` does not get
/// the glossary in its context, nor re-render when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Uses {
    pub(crate) latest_news: bool,
    /// Each taxonomy's name, title, description and URL.
    pub(crate) taxonomies: bool,
    /// Their terms and counts too (the chain also names `terms`).
    pub(crate) taxonomy_terms: bool,
    pub(crate) glossary: bool,
}

impl Uses {
    /// Every shared part (for templates pestle cannot read).
    pub(crate) const ALL: Uses = Uses {
        latest_news: true,
        taxonomies: true,
        taxonomy_terms: true,
        glossary: true,
    };
}

/// Hashes of the parts every page shares, one per part of [`Uses`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SharedPrints {
    pub(crate) latest_news: u64,
    pub(crate) taxonomies: u64,
    pub(crate) taxonomy_terms: u64,
    pub(crate) glossary: u64,
}

impl SharedPrints {
    /// A hash of the parts a template with these `uses` reads.
    pub(crate) fn of(&self, uses: Uses) -> u64 {
        crate::hash::hash_of(&(
            uses.latest_news.then_some(self.latest_news),
            (uses.taxonomies && !uses.taxonomy_terms).then_some(self.taxonomies),
            (uses.taxonomies && uses.taxonomy_terms).then_some(self.taxonomy_terms),
            uses.glossary.then_some(self.glossary),
        ))
    }

    /// The parts whose hash differs between `self` and `other`.
    pub(crate) fn differ(&self, other: &SharedPrints) -> Uses {
        Uses {
            latest_news: self.latest_news != other.latest_news,
            taxonomies: self.taxonomies != other.taxonomies,
            taxonomy_terms: self.taxonomy_terms != other.taxonomy_terms,
            glossary: self.glossary != other.glossary,
        }
    }
}

/// Which parts of a context to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// What a template reads: the page's own parts and the shared parts it
    /// uses.
    Whole(Uses),
    /// Only what is the page's own: the shared parts are left out, because
    /// [`SiteModel::shared_prints`] covers them once for all pages.
    OwnOnly,
}

/// An Atom feed: its title and site path.
#[derive(Debug, Clone)]
pub(crate) struct Feed {
    pub(crate) title: String,
    pub(crate) path: String,
}

impl<'a> SiteModel<'a> {
    /// The model of `site`.
    pub(crate) fn new(site: &'a Site) -> SiteModel<'a> {
        SiteModel {
            site,
            feeds: site
                .news
                .iter()
                .map(|n| Feed {
                    title: site.pages[n.section].meta.title.clone(),
                    path: format!("{}atom.xml", site.pages[n.section].url),
                })
                .collect(),
            paginated: site.news.as_ref().map(|n| (n.section, n.per_page)),
            glossary_page: site.glossary_page(),
            books: site
                .print_sections()
                .map(|s| (s, OnceLock::new()))
                .collect(),
        }
    }
}

/// How URLs in one render are written.
pub(crate) enum Urls<'a> {
    /// Relative to the page at this site path.
    From(&'a str),
    /// From the site's base path (the 404 page).
    Rooted(&'a str),
}

impl Urls<'_> {
    fn to(&self, path: &str, file_urls: bool) -> String {
        match self {
            Urls::From(from) => links::relative(from, path, file_urls),
            Urls::Rooted(base) => format!("{base}{}", path.trim_start_matches('/')),
        }
    }
}

/// Everything one template render sees, before it becomes a Tera context.
#[derive(Serialize)]
pub(crate) struct Context<'a> {
    site: SiteView<'a>,
    page: PageView<'a>,
    root: String,
    home_url: String,
    parent: Option<Summary<'a>>,
    breadcrumbs: Vec<Crumb<'a>>,
    pages: Vec<Summary<'a>>,
    subsections: Vec<Summary<'a>>,
    prev: Option<Summary<'a>>,
    next: Option<Summary<'a>>,
    nav: Vec<NavItem<'a>>,
    toc: std::borrow::Cow<'a, [TocEntry]>,
    related: Vec<RelatedView<'a>>,
    latest_news: Vec<Summary<'a>>,
    taxonomies: Vec<TaxonomyView<'a>>,
    taxonomy: Option<TaxonomyView<'a>>,
    term: Option<TermPageView<'a>>,
    glossary: &'a [glossary::Entry],
    feeds: Vec<FeedView>,
    paginator: Option<Paginator>,
    drafts: bool,
    banner: Option<BannerView>,
    print: Option<PrintView<'a>>,
}

pub(super) fn date(d: Option<crate::date::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A synthetic page (taxonomy, term, 404) has no file; these are its parts.
pub(crate) struct Synthetic<'a> {
    pub(crate) kind: &'static str,
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) path: &'a str,
}

impl Context<'_> {
    /// The Tera context.
    pub(crate) fn into_tera(self) -> tera::Result<tera::Context> {
        tera::Context::from_serialize(&self)
    }

    /// A hash of everything a render would see, with the page's HTML
    /// standing in as the hash `content_hash`: equal fingerprints, equal output.
    pub(crate) fn fingerprint(mut self, content_hash: u64) -> u64 {
        use std::hash::Hasher;
        struct HashWriter(std::collections::hash_map::DefaultHasher);
        impl std::io::Write for HashWriter {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.write(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        self.page.content = std::borrow::Cow::Borrowed("");
        let mut w = HashWriter(std::collections::hash_map::DefaultHasher::new());
        w.0.write_u64(content_hash);
        let _ = serde_json::to_writer(&mut w, &self);
        w.0.finish()
    }
}

pub(super) fn count_headings(toc: &[TocEntry]) -> usize {
    toc.iter().map(|e| 1 + count_headings(&e.children)).sum()
}
