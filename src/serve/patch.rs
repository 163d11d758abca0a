//! Front-matter edits patched into the site in memory: a page's new title,
//! description, weight, dates, owner, tags, regions or `extra` changes what
//! its listings, neighbours, term pages and feeds show, but not the site's
//! shape. Rather than assemble the whole site again, [`apply`] puts the new
//! front matter in place, sorts the page's section again, refiles it under
//! its terms and recomputes the news, then names the output files that can
//! show the change. Anything more (a new URL, a new term, a draft, the top
//! menu) is left to a full rebuild.

use super::plan::{outputs_showing, pages_showing, terms_of};
use crate::config::TaxonomyConfig;
use crate::content::{self, Kind, Meta, Page, Taxonomy, tree::Parsed};
use crate::glossary::Matcher;
use crate::markdown::Rendered;
use crate::pipeline::Prepared;
use crate::render::SiteModel;
use crate::site::{RelatedTarget, Site, order};
use std::collections::HashSet;
use std::sync::Arc;

/// True when `new` differs from `old` only in what listings show: every
/// key that decides a URL, a redirect, a template, whether the page is a
/// draft, or where its related links point is as it was.
pub(crate) fn listing_only(old: &Meta, new: &Meta) -> bool {
    let related = |m: &Meta| {
        m.related
            .iter()
            .map(|r| (r.title.clone(), r.target.clone()))
            .collect::<Vec<_>>()
    };
    let aliases = |m: &Meta| m.aliases.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>();
    old.slug == new.slug
        && old.draft == new.draft
        && old.template == new.template
        && old.ignore_checks == new.ignore_checks
        && aliases(old) == aliases(new)
        && related(old) == related(new)
}

/// Renders `page` (page `i` of `site`, with its text as now saved) again,
/// when that keeps everything other pages rely on: no problems, the same
/// heading ids, and every `#anchor` it links to still there.
pub(crate) fn rerender(site: &Site, i: usize, page: &Page) -> Option<Rendered> {
    let matcher = Matcher::new(&site.glossary);
    let mut found = Vec::new();
    let rendered = crate::site::markdown::render_page(
        page,
        i,
        None,
        &site.index,
        &matcher,
        site.config.file_urls,
        &mut found,
    );
    let anchors_ok = rendered.checks().anchors.iter().all(|a| {
        let ids = if a.target == i {
            &rendered.checks().ids
        } else {
            &site.pages[a.target].rendered.checks().ids
        };
        ids.contains(&a.fragment)
    });
    (found.is_empty() && anchors_ok && rendered.checks().ids == site.pages[i].rendered.checks().ids)
        .then_some(rendered)
}

/// Puts `parsed` (page `i`'s file as now saved, read without problems)
/// into `p`. Returns the output files that can show the change and the
/// page's Markdown, or `None`, with `p` untouched, when the change needs a
/// full rebuild.
pub(crate) fn apply(
    p: &mut Prepared,
    i: usize,
    parsed: &Parsed,
) -> Option<(HashSet<String>, Arc<Rendered>)> {
    let site = &p.site;
    let old = site.pages.get(i)?;
    let parent = old.parent?;
    if old.kind != Kind::Page
        || parent == site.tree.home
        || p.templates.calls("term_pages")
        || !listing_only(&old.meta, &parsed.meta)
    {
        return None;
    }
    let mut page: Page = old.page.clone();
    page.meta = Arc::clone(&parsed.meta);
    page.text = Arc::clone(&parsed.text);
    page.text_hash = parsed.hash;
    page.body_offset = parsed.body_offset;
    let rendered = Arc::new(rerender(site, i, &page)?);

    // Its terms, filed again; no term may come or go.
    let taxonomies = refile(site, i, &page)?;

    // What shows the page before the change.
    let mut showing = HashSet::new();
    let mut terms = HashSet::new();
    pages_showing(site, i, &mut showing);
    terms_of(site, i, &mut terms);
    let before = SiteModel::new(site).shared_prints();

    let site = &mut p.site;
    let title_changed = site.pages[i].meta.title != page.meta.title;
    site.pages[i].page = page;
    site.pages[i].rendered = Arc::clone(&rendered);
    site.taxonomies = taxonomies;
    content::tree::reorder_pages(&mut site.pages, parent);
    if title_changed {
        retitle_related(site, i);
    }
    site.news = order::news(&site.config, &site.pages, &site.tree);
    let walk = order::tree_order(&site.pages, site.tree.home);
    for (sp, n) in site.pages.iter_mut().zip(walk) {
        sp.order = n;
    }

    // And after.
    let site = &p.site;
    pages_showing(site, i, &mut showing);
    terms_of(site, i, &mut terms);
    let shared = before.differ(&SiteModel::new(site).shared_prints());
    Some((outputs_showing(p, &showing, &terms, shared), rendered))
}

/// The site's taxonomies with page `i` refiled as `page` says: out of the
/// terms it left, into those it joined, each such term's pages sorted again
/// (and, in an open taxonomy, titled again). `None` when a term would come
/// or go: a new or misspelt term, or the last page of one.
fn refile(site: &Site, i: usize, page: &Page) -> Option<Vec<Taxonomy>> {
    let mut taxonomies = site.taxonomies.clone();
    let view: Vec<&Page> = site
        .pages
        .iter()
        .enumerate()
        .map(|(k, sp)| if k == i { page } else { &sp.page })
        .collect();
    let old = &site.pages[i].meta;
    let retitled = old.title != page.meta.title;
    for (tax, tc) in taxonomies.iter_mut().zip(&site.config.taxonomies) {
        if tax.name != tc.name {
            return None;
        }
        let (was, now) = (old.terms(&tc.name), page.meta.terms(&tc.name));
        if was == now && !retitled {
            continue;
        }
        let mut joined = HashSet::new();
        for value in now {
            joined.insert(term_of(tax, tc, value)?);
        }
        let left: HashSet<usize> = (0..tax.terms.len())
            .filter(|&t| tax.terms[t].pages.contains(&i))
            .collect();
        for &t in left.union(&joined) {
            let term = &mut tax.terms[t];
            term.pages.retain(|&k| k != i);
            if joined.contains(&t) {
                term.pages.push(i);
            }
            if term.pages.is_empty() {
                return None;
            }
            term.order_pages(&view);
            if !tc.terms.iter().any(|(slug, _)| *slug == term.slug) {
                term.title = term.spelled_title(&tc.name, &view)?;
            }
        }
    }
    Some(taxonomies)
}

/// The term of `tax` a page value files it under, as a full build files
/// it: a listed term by slug or title, else an open term by slug.
fn term_of(tax: &Taxonomy, tc: &TaxonomyConfig, value: &str) -> Option<usize> {
    let slug = content::slugify(value);
    let listed = |t: &content::Term| tc.terms.iter().any(|(s, _)| *s == t.slug);
    tax.terms
        .iter()
        .position(|t| listed(t) && (t.slug == slug || t.title.eq_ignore_ascii_case(value.trim())))
        .or_else(|| {
            (!tc.closed)
                .then(|| tax.terms.iter().position(|t| !listed(t) && t.slug == slug))
                .flatten()
        })
}

/// Related links to page `i` that take its title (none of their own) get
/// the new one.
fn retitle_related(site: &mut Site, i: usize) {
    let title = site.pages[i].meta.title.clone();
    for sp in &mut site.pages {
        let meta = Arc::clone(&sp.meta);
        for (link, entry) in sp.related.iter_mut().zip(&meta.related) {
            if entry.title.is_none() && matches!(link.target, RelatedTarget::Page(t, _) if t == i) {
                link.title.clone_from(&title);
            }
        }
    }
}
