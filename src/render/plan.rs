//! The output plan: every file the output folder will hold and what it is
//! made from. Each file is claimed once; two sources for one path (or two
//! paths that are one file on a case-insensitive disk) are a `url-conflict`,
//! and a path that could leave the output folder is refused here, the last
//! guard before anything is written.

use super::emit::{LLMS, MARKER, Origin, REDIRECTS, describe, page_file};
use super::{Templates, theme};
use crate::config;
use crate::diagnostics::{Diagnostic, Position};
use crate::site::{Site, pager_count, pager_url};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Every output file (a `/`-separated path under the output folder) and
/// what it is made from.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) files: BTreeMap<String, Origin>,
    /// True when the theme has a search page, so the build writes the
    /// search index (whose paths, [`crate::search::is_index_path`], nothing
    /// else may use).
    pub(crate) search: bool,
}

/// Claims paths for the plan, reporting conflicts.
struct Claims<'a> {
    site: &'a Site,
    plan: Plan,
    /// Conflict key ([`crate::slug::conflict_key`]) → path.
    keys: HashMap<String, String>,
    diags: Vec<Diagnostic>,
}

impl Claims<'_> {
    fn claim(&mut self, path: String, origin: Origin, who: (&Path, Position)) {
        if origin != Origin::Generated {
            if let Err(why) = crate::slug::check_path(&path) {
                self.diags.push(
                    Diagnostic::error(
                        "bad-file-name",
                        who.0,
                        who.1,
                        format!("pestle will not write this to the output folder: {why}"),
                    )
                    .with_hint("rename the file or folder using letters, digits and hyphens"),
                );
                return;
            }
        }
        let key = crate::slug::conflict_key(&path);
        if let Some(prev) = self.keys.get(&key).and_then(|p| self.plan.files.get(p)) {
            let what = describe(prev, self.site);
            self.diags.push(
                Diagnostic::error(
                    "url-conflict",
                    who.0,
                    who.1,
                    format!("this would write output/{path}, which {what} already writes"),
                )
                .with_hint("change the slug, alias or file name so each address has one source"),
            );
            return;
        }
        self.keys.insert(key, path.clone());
        self.plan.files.insert(path, origin);
    }
}

/// Plans every output file of `site` rendered with `templates`.
pub(crate) fn plan(
    site: &Site,
    theme: &theme::Theme,
    templates: &Templates,
) -> (Plan, Vec<Diagnostic>) {
    let mut c = Claims {
        site,
        plan: Plan {
            search: templates.has("search.html"),
            ..Plan::default()
        },
        keys: HashMap::new(),
        diags: Vec::new(),
    };
    let config_file = Path::new(config::CONFIG_FILE);
    for (i, p) in site.pages.iter().enumerate() {
        // A page that lost its URL to another was reported by the tree.
        if site.tree.by_url.get(&p.url) == Some(&i) {
            c.claim(
                page_file(&p.url),
                Origin::Page(i),
                (&p.file, Position::File),
            );
        }
    }
    claim_news(&mut c);
    for s in site.print_sections() {
        let p = &site.pages[s];
        if site.tree.by_url.get(&p.url) == Some(&s) {
            for part in 1..=site.print_parts(s) {
                let file = page_file(&crate::site::print_url(&p.url, part));
                c.claim(file, Origin::Print(s, part), (&p.file, Position::File));
            }
        }
    }
    for (ti, t) in site.taxonomies.iter().enumerate() {
        let at = (config_file, Position::File);
        c.claim(page_file(&t.url), Origin::Taxonomy(ti), at);
        for (ni, term) in t.terms.iter().enumerate() {
            c.claim(page_file(&term.url), Origin::Term(ti, ni), at);
            if t.feeds {
                let file = format!("{}atom.xml", term.url.trim_start_matches('/'));
                c.claim(file, Origin::TermFeed(ti, ni), at);
            }
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        for (alias, at) in &p.meta.aliases {
            let file = if alias.ends_with('/') {
                page_file(alias)
            } else {
                alias.trim_start_matches('/').to_string()
            };
            let origin = Origin::Alias(i, alias.clone());
            c.claim(file, origin, (&p.file, Position::Offset(*at)));
        }
    }
    if c.plan.search {
        let at = (Path::new("themes"), Position::File);
        c.claim("search/index.html".into(), Origin::Search, at);
    }
    for special in ["404.html", "sitemap.xml", REDIRECTS, LLMS, MARKER] {
        c.claim(
            special.to_string(),
            Origin::Generated,
            (config_file, Position::File),
        );
    }
    if site.config.cms.is_some() {
        for admin in crate::cms::PATHS {
            c.claim(
                admin.to_string(),
                Origin::Generated,
                (config_file, Position::File),
            );
        }
    }
    for a in &site.assets {
        let who = PathBuf::from("content").join(&a.rel);
        let path = a.url.trim_start_matches('/').to_string();
        c.claim(path, Origin::Asset(a.real.clone()), (&who, Position::File));
    }
    claim_statics(&mut c, theme);
    reserve_search_folder(&mut c);
    (c.plan, c.diags)
}

/// The news section's listing pages, its first page's redirect, its feed.
fn claim_news(c: &mut Claims<'_>) {
    let Some(news) = &c.site.news else {
        return;
    };
    let n = news.section;
    let p = &c.site.pages[n];
    let at = (p.file.as_path(), Position::File);
    for k in 2..=pager_count(p.pages.len(), news.per_page) {
        c.claim(
            page_file(&pager_url(&p.url, k)),
            Origin::Paginated(n, k),
            at,
        );
    }
    let first = format!("{}page/1/", p.url);
    c.claim(page_file(&first), Origin::Alias(n, first.clone()), at);
    let feed = format!("{}atom.xml", p.url.trim_start_matches('/'));
    c.claim(feed, Origin::NewsFeed(n), at);
}

/// The theme's static files, then the site's own `static/`, which wins.
fn claim_statics(c: &mut Claims<'_>, theme: &theme::Theme) {
    let mut statics: BTreeMap<&str, &theme::Source> = BTreeMap::new();
    for (rel, src) in theme.statics.iter().chain(&theme.site_statics) {
        statics.insert(rel.as_str(), src);
    }
    for (rel, src) in statics {
        let who = match src {
            theme::Source::Disk(p) => p.strip_prefix(&theme.root).unwrap_or(p).to_path_buf(),
            theme::Source::Embedded(_) => PathBuf::from("themes/default/static").join(rel),
        };
        c.claim(
            rel.to_string(),
            Origin::Static(src.clone()),
            (&who, Position::File),
        );
    }
}

/// The search index's files are made later (by the build, or by serve in
/// the background), so no other source may write where they go.
fn reserve_search_folder(c: &mut Claims<'_>) {
    if !c.plan.search {
        return;
    }
    let inside: Vec<(String, Origin)> = c
        .plan
        .files
        .iter()
        .filter(|(p, _)| crate::search::is_index_path(p))
        .map(|(p, o)| (p.clone(), o.clone()))
        .collect();
    for (path, origin) in inside {
        let who = match &origin {
            Origin::Page(i)
            | Origin::Paginated(i, _)
            | Origin::Alias(i, _)
            | Origin::Print(i, _) => c.site.pages[i.to_owned()].file.clone(),
            Origin::Asset(p) | Origin::Static(theme::Source::Disk(p)) => p.clone(),
            _ => PathBuf::from(config::CONFIG_FILE),
        };
        c.diags.push(
            Diagnostic::error(
                "url-conflict",
                who,
                Position::File,
                format!("this would write output/{path}, where the search index goes"),
            )
            .with_hint("move the file out of search/ (or rename the folder)"),
        );
    }
}
