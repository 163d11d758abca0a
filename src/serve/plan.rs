//! What a batch of saved files asks serve to redo: [`Change`] sorts the
//! batch, and [`affected`] works out, from the old and the new site, which
//! output files the change can have touched.

use crate::pipeline::Prepared;
use crate::render::Origin;
use crate::render::context::SiteModel;
use crate::site::{Cache, RelatedTarget};
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

/// The output files a change from `old` to `new` can have touched, when
/// that can be told from the site's structure.
///
/// It is every file when the templates, settings, set of pages or URLs, the
/// top menu, the latest news, the taxonomies' terms and counts or the
/// glossary changed, or a template calls `term_pages`. Otherwise a changed
/// page touches its own files, its section's, its siblings' (menus and
/// neighbours), its descendants' (breadcrumbs), its terms' pages, the pages
/// that list it as related, and the feeds, sitemap and special pages.
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
        pages.insert(i);
        for p in [o, n] {
            for t in &ns.config.taxonomies {
                for v in p.meta.terms(&t.name) {
                    terms.insert((t.name.clone(), crate::content::slugify(v)));
                }
            }
        }
        for site in [os, ns] {
            let page = &site.pages[i];
            if let Some(parent) = page.parent {
                pages.insert(parent);
                let s = &site.pages[parent];
                pages.extend(s.pages.iter().chain(&s.subsections));
            }
            let mut stack = vec![i];
            while let Some(d) = stack.pop() {
                pages.insert(d);
                let p = &site.pages[d];
                stack.extend(p.pages.iter().chain(&p.subsections));
            }
        }
        for (k, p) in ns.pages.iter().enumerate() {
            if p.related
                .iter()
                .any(|r| matches!(r.target, RelatedTarget::Page(t, _) if t == i))
            {
                pages.insert(k);
            }
        }
    }
    let mut out = HashSet::new();
    for (path, origin) in &new.plan.files {
        let hit = match origin {
            Origin::Page(i)
            | Origin::Paginated(i, _)
            | Origin::Alias(i, _)
            | Origin::NewsFeed(i) => pages.contains(i),
            Origin::Term(ti, ni) | Origin::TermFeed(ti, ni) => {
                let t = &ns.taxonomies[*ti];
                terms.contains(&(t.name.clone(), t.terms[*ni].slug.clone()))
            }
            Origin::Taxonomy(_) | Origin::Search | Origin::Generated => true,
            Origin::Static(_) | Origin::Asset(_) => true,
        };
        if hit {
            out.insert(path.clone());
        }
    }
    Affected::Only(out)
}

/// True when everything every page shows is as it was: templates, settings,
/// the set of pages and output files, the shared parts of the context and
/// the top menu.
fn same_frame(old: &Prepared, new: &Prepared) -> bool {
    let (os, ns) = (&old.site, &new.site);
    if old.templates.generation != new.templates.generation || new.templates.calls("term_pages") {
        return false;
    }
    if os.config != ns.config
        || os.pages.len() != ns.pages.len()
        || os.tree.by_url.keys().ne(ns.tree.by_url.keys())
        || old.plan.files.keys().ne(new.plan.files.keys())
    {
        return false;
    }
    if SiteModel::new(os).shared_fingerprint() != SiteModel::new(ns).shared_fingerprint() {
        return false;
    }
    top_menu(old) == top_menu(new)
}

/// The top menu: each top-level entry's title, URL and size.
fn top_menu(p: &Prepared) -> Vec<(&str, &str, usize)> {
    let site = &p.site;
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
