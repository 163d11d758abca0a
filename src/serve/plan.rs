//! What a batch of saved files asks serve to redo: [`Change`] sorts the
//! batch, and [`affected`] works out which output files a change of some
//! pages can have touched: the pages that show what changed, and no others.

use crate::pipeline::Prepared;
use crate::render::context::NAV_CHILD_LIMIT;
use crate::render::emit::template_of;
use crate::render::{Origin, SiteModel, Uses};
use crate::site::{Cache, RelatedTarget, Site};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a batch of file events means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Nothing that matters (an editor's temporary file came and went).
    Nothing,
    /// Read everything again: site.yaml changed, or a folder was added,
    /// moved or removed.
    Everything,
    /// These files (paths under the site root) changed.
    Files(HashSet<PathBuf>),
}

impl Change {
    /// Sorts a batch of changed paths (relative to the site root at `root`)
    /// given what the last build read.
    pub(crate) fn of(
        batch: HashSet<PathBuf>,
        root: &Path,
        cache: &Cache,
        current: Option<&Prepared>,
    ) -> Change {
        let known = |p: &Path| -> bool {
            let Some(rel) = p.strip_prefix("content").ok().and_then(Path::to_str) else {
                return true;
            };
            let prefix = format!("{rel}/");
            cache.pages.contains_key(rel)
                || cache.pages.keys().any(|k| k.starts_with(&prefix))
                || current.is_some_and(|c| c.site.index.assets.contains_key(rel))
        };
        let mut kept = HashSet::new();
        for p in batch {
            let full = root.join(&p);
            if p == Path::new(crate::config::CONFIG_FILE) || full.is_dir() {
                return Change::Everything;
            }
            if full.exists() || known(&p) {
                if !full.exists() && p.extension().is_none() {
                    // A folder that held pages is gone.
                    return Change::Everything;
                }
                kept.insert(p);
            }
        }
        if kept.is_empty() {
            Change::Nothing
        } else {
            Change::Files(kept)
        }
    }
}

/// Which output files a rebuild must consider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Affected {
    /// Every file of the plan.
    All,
    /// Only these (fingerprints then decide which really changed).
    Only(HashSet<String>),
}

/// The shared parts of the context (see [`Uses`]) that differ between two
/// versions of a site.
pub(crate) fn shared_changes(old: &Site, new: &Site) -> Uses {
    SiteModel::new(old)
        .shared_prints()
        .differ(&SiteModel::new(new).shared_prints())
}

/// The pages whose own output can show page `i` of `site`: itself, its
/// section's listing, its neighbours, the pages whose menu lists it (every
/// page under its section, when the section is short enough for menus to
/// list its children), the pages under it (their breadcrumbs) and the pages
/// that list it as related.
pub(crate) fn pages_showing(site: &Site, i: usize, out: &mut HashSet<usize>) {
    let page = &site.pages[i];
    out.insert(i);
    out.extend(page.prev.iter().chain(&page.next));
    if let Some(parent) = page.parent {
        out.insert(parent);
        let s = &site.pages[parent];
        if s.pages.len() + s.subsections.len() <= NAV_CHILD_LIMIT {
            under(site, parent, out);
        }
    }
    under(site, i, out);
    for (k, p) in site.pages.iter().enumerate() {
        if p.related
            .iter()
            .any(|r| matches!(r.target, RelatedTarget::Page(t, _) if t == i))
        {
            out.insert(k);
        }
    }
}

/// Page `i` and every page under it.
fn under(site: &Site, i: usize, out: &mut HashSet<usize>) {
    let mut stack = vec![i];
    while let Some(d) = stack.pop() {
        out.insert(d);
        let p = &site.pages[d];
        stack.extend(p.pages.iter().chain(&p.subsections));
    }
}

/// The output files of `new` that show one of `pages` or a term in
/// `terms`, or that read a shared part in `shared`; listings and special
/// pages are always considered (fingerprints tell if they changed).
pub(crate) fn outputs_showing(
    new: &Prepared,
    pages: &HashSet<usize>,
    terms: &HashSet<(String, String)>,
    shared: Uses,
) -> HashSet<String> {
    let site = &new.site;
    let reads_changed = |path: &str, origin: &Origin| {
        template_of(site, &new.templates, path, origin).is_some_and(|name| {
            let u = new.templates.uses(&name);
            (u.latest_news && shared.latest_news)
                || (u.taxonomies && shared.taxonomies)
                || (u.glossary && shared.glossary)
        })
    };
    let mut out = HashSet::new();
    for (path, origin) in &new.plan.files {
        let hit = match origin {
            Origin::Page(i)
            | Origin::Paginated(i, _)
            | Origin::Alias(i, _)
            | Origin::NewsFeed(i) => pages.contains(i),
            Origin::Term(ti, ni) | Origin::TermFeed(ti, ni) => {
                let t = &site.taxonomies[*ti];
                terms.contains(&(t.name.clone(), t.terms[*ni].slug.clone()))
            }
            // A print page shows its section and every page under it.
            Origin::Print(s, _) => pages.iter().any(|&i| site.print_shows(*s, i)),
            Origin::Taxonomy(_) | Origin::Search | Origin::Generated => true,
            Origin::Static(_) | Origin::Asset(_) => true,
        };
        if hit || reads_changed(path, origin) {
            out.insert(path.clone());
        }
    }
    out
}

/// The terms of the taxonomies of `site` that page `i` is filed under.
pub(crate) fn terms_of(site: &Site, i: usize, out: &mut HashSet<(String, String)>) {
    for t in &site.config.taxonomies {
        for v in site.pages[i].meta.terms(&t.name) {
            out.insert((t.name.clone(), crate::content::slugify(v)));
        }
    }
}

/// The output files a change from `old` to `new` can have touched, when
/// that can be told from the site's structure.
///
/// It is every file when the templates, settings, set of pages or URLs or
/// the top menu changed, or a template calls `term_pages`. Otherwise each
/// changed page touches the pages that show it ([`pages_showing`], in the
/// old site and the new), its terms' pages, and the files whose template
/// reads a shared part that changed. Fingerprints then decide which of
/// these really changed.
pub(crate) fn affected(old: &Prepared, new: &Prepared) -> Affected {
    if !same_frame(old, new) {
        return Affected::All;
    }
    let (os, ns) = (&old.site, &new.site);
    let mut pages: HashSet<usize> = HashSet::new();
    let mut terms: HashSet<(String, String)> = HashSet::new();
    for (i, (o, n)) in os.pages.iter().zip(&ns.pages).enumerate() {
        if o.source != n.source {
            return Affected::All;
        }
        if std::sync::Arc::ptr_eq(&o.meta, &n.meta) && o.rendered.html_hash == n.rendered.html_hash
        {
            continue;
        }
        for site in [os, ns] {
            pages_showing(site, i, &mut pages);
            terms_of(site, i, &mut terms);
        }
    }
    Affected::Only(outputs_showing(new, &pages, &terms, shared_changes(os, ns)))
}

/// True when everything every page shows is as it was: templates, settings,
/// the set of pages and output files, and the top menu.
fn same_frame(old: &Prepared, new: &Prepared) -> bool {
    let (os, ns) = (&old.site, &new.site);
    if old.templates.generation != new.templates.generation || new.templates.calls("term_pages") {
        return false;
    }
    os.config == ns.config
        && os.pages.len() == ns.pages.len()
        && os.tree.by_url.keys().eq(ns.tree.by_url.keys())
        && old.plan.files.keys().eq(new.plan.files.keys())
        && top_menu(os) == top_menu(ns)
}

/// The top menu: each top-level entry's title, URL and size.
pub(crate) fn top_menu(site: &Site) -> Vec<(&str, &str, usize)> {
    let home = &site.pages[site.tree.home];
    home.subsections
        .iter()
        .chain(&home.pages)
        .map(|&i| {
            let p = &site.pages[i];
            (
                p.meta.title.as_str(),
                p.url.as_str(),
                p.pages.len() + p.subsections.len(),
            )
        })
        .collect()
}
