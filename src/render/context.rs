//! The template context: view types borrowed from the model, one field per
//! documented template variable (see README.md, "Template context"). Every
//! URL in a context is relative to the page being rendered, except on the
//! 404 page, whose URLs start from the site's base path because a host shows
//! it at any address.

use crate::config::Config;
use crate::content::{Page, Taxonomy, Term, Tree};
use crate::glossary;
use crate::links;
use crate::markdown::{Rendered, TocEntry};
use serde::Serialize;
use serde_json::Value;

/// Menus list a section's children only up to this many entries; a longer
/// section is reached through its overview page instead.
pub(crate) const NAV_CHILD_LIMIT: usize = 50;

/// Where a related resource points.
#[derive(Debug, Clone)]
pub(crate) enum RelatedTarget {
    Page(usize, Option<String>),
    External(String),
}

/// A resolved `related` entry.
#[derive(Debug, Clone)]
pub(crate) struct RelatedLink {
    pub(crate) title: String,
    pub(crate) target: RelatedTarget,
}

/// Everything the templates can draw on, shared by all renders.
pub(crate) struct SiteModel<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tree: &'a Tree,
    pub(crate) rendered: &'a [std::sync::Arc<Rendered>],
    pub(crate) related: &'a [Vec<RelatedLink>],
    pub(crate) taxonomies: &'a [Taxonomy],
    pub(crate) glossary: &'a [glossary::Entry],
    pub(crate) latest_news: Vec<usize>,
    /// Whether drafts are in this build (serve and `--drafts`).
    pub(crate) drafts: bool,
    /// Site-wide feeds, linked from every page's head.
    pub(crate) feeds: Vec<Feed>,
    /// The paginated section (news) and how many items a page shows.
    pub(crate) paginated: Option<(usize, usize)>,
    /// Each page's position in a depth-first walk of the tree.
    pub(crate) tree_order: Vec<usize>,
    /// Builds contexts for fingerprints: see [`SiteModel::global_fingerprint`].
    pub(crate) fingerprinting: bool,
}

/// An Atom feed: its title and site path.
#[derive(Debug, Clone)]
pub(crate) struct Feed {
    pub(crate) title: String,
    pub(crate) path: String,
}

/// The site path of page `n` (1-based) of a listing at `url`.
pub(crate) fn pager_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_string()
    } else {
        format!("{url}page/{n}/")
    }
}

/// How many listing pages `items` entries need at `per_page` each (at least one).
pub(crate) fn pager_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// Page indexes in depth-first order of the tree: each section, then its
/// pages, then its subsections.
pub(crate) fn tree_order(tree: &Tree) -> Vec<usize> {
    let mut order = vec![usize::MAX; tree.pages.len()];
    let mut n = 0;
    let mut stack = vec![tree.home];
    while let Some(i) = stack.pop() {
        if order[i] != usize::MAX {
            continue;
        }
        order[i] = n;
        n += 1;
        let p = &tree.pages[i];
        for &k in &p.pages {
            if order[k] == usize::MAX {
                order[k] = n;
                n += 1;
            }
        }
        stack.extend(p.subsections.iter().rev());
    }
    for o in &mut order {
        if *o == usize::MAX {
            *o = n;
            n += 1;
        }
    }
    order
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

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    edit_url: Option<&'a str>,
    file_urls: bool,
    extra: &'a Value,
}

#[derive(Serialize)]
struct TermLink {
    slug: String,
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    content: &'a str,
    url: String,
    path: String,
    permalink: String,
    source: &'a str,
    file: String,
    date: Option<String>,
    updated: Option<String>,
    reviewed: Option<String>,
    review_due: Option<String>,
    owner: Option<&'a str>,
    weight: Option<i64>,
    draft: bool,
    words: usize,
    reading_minutes: usize,
    tags: Vec<TermLink>,
    regions: Vec<TermLink>,
    extra: &'a Value,
    toc: &'a [TocEntry],
    headings: usize,
    edit_url: Option<String>,
}

/// A page as listings show it.
#[derive(Serialize)]
struct Summary<'a> {
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    path: &'a str,
    last_updated: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    reviewed: Option<String>,
    weight: Option<i64>,
    draft: bool,
    regions: &'a [String],
    tags: &'a [String],
    extra: &'a Value,
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: String,
    kind: &'static str,
    current: bool,
    active: bool,
    count: usize,
    children: Vec<NavItem<'a>>,
}

#[derive(Serialize)]
struct RelatedView<'a> {
    title: &'a str,
    url: String,
    external: bool,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct TermView<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    title: &'a str,
    description: &'a str,
    url: String,
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
struct TermPageView<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    count: usize,
    taxonomy: &'a str,
    taxonomy_title: &'a str,
    pages: Vec<Summary<'a>>,
    groups: Vec<TermGroup<'a>>,
    feed: Option<String>,
}

/// A term's pages from one section.
#[derive(Serialize)]
struct TermGroup<'a> {
    title: &'a str,
    url: String,
    pages: Vec<Summary<'a>>,
}

#[derive(Serialize)]
struct FeedView {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Paginator {
    number: usize,
    total: usize,
    per_page: usize,
    items: usize,
    first: String,
    last: String,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
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
    toc: &'a [TocEntry],
    related: Vec<RelatedView<'a>>,
    latest_news: Vec<Summary<'a>>,
    taxonomies: Vec<TaxonomyView<'a>>,
    taxonomy: Option<TaxonomyView<'a>>,
    term: Option<TermPageView<'a>>,
    glossary: &'a [glossary::Entry],
    feeds: Vec<FeedView>,
    paginator: Option<Paginator>,
    drafts: bool,
}

fn date(d: Option<crate::date::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A synthetic page (taxonomy, term, 404) has no file; these are its parts.
pub(crate) struct Synthetic<'a> {
    pub(crate) kind: &'static str,
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) path: &'a str,
}

impl<'a> SiteModel<'a> {
    fn file_urls(&self) -> bool {
        self.config.file_urls
    }

    fn summary(&self, i: usize, urls: &Urls<'_>) -> Summary<'a> {
        let p: &'a Page = &self.tree.pages[i];
        Summary {
            kind: p.kind.name(),
            title: &p.meta.title,
            description: p.meta.description.as_deref(),
            url: urls.to(&p.url, self.file_urls()),
            path: &p.url,
            last_updated: date(p.meta.last_updated()),
            date: date(p.meta.date),
            updated: date(p.meta.updated),
            reviewed: date(p.meta.reviewed),
            weight: p.meta.weight,
            draft: p.meta.draft,
            regions: &p.meta.regions,
            tags: &p.meta.tags,
            extra: &p.meta.extra,
        }
    }

    fn term_links(&self, name: &str, values: &[String], urls: &Urls<'_>) -> Vec<TermLink> {
        let Some(tax) = self.taxonomies.iter().find(|t| t.name == name) else {
            return vec![];
        };
        values
            .iter()
            .filter_map(|v| tax.find(v))
            .map(|t: &Term| TermLink {
                slug: t.slug.clone(),
                title: t.title.clone(),
                url: urls.to(&t.url, self.file_urls()),
            })
            .collect()
    }

    fn nav(&self, current: Option<usize>, urls: &Urls<'_>) -> Vec<NavItem<'a>> {
        let tree = self.tree;
        let home = &tree.pages[tree.home];
        let on_path = |i: usize| match current {
            Some(c) => c == i || tree.pages[c].ancestors.contains(&i),
            None => false,
        };
        let item = |i: usize, children: Vec<NavItem<'a>>| {
            let p: &'a Page = &tree.pages[i];
            NavItem {
                title: &p.meta.title,
                url: urls.to(&p.url, self.file_urls()),
                kind: p.kind.name(),
                current: current == Some(i),
                active: on_path(i),
                count: p.pages.len() + p.subsections.len(),
                children,
            }
        };
        fn expand<'b>(
            model: &SiteModel<'b>,
            i: usize,
            on_path: &dyn Fn(usize) -> bool,
            item: &dyn Fn(usize, Vec<NavItem<'b>>) -> NavItem<'b>,
        ) -> NavItem<'b> {
            let p = &model.tree.pages[i];
            let kids = p.subsections.len() + p.pages.len();
            let children = if p.is_section() && on_path(i) && kids <= NAV_CHILD_LIMIT {
                p.subsections
                    .iter()
                    .chain(&p.pages)
                    .map(|&k| expand(model, k, on_path, item))
                    .collect()
            } else {
                vec![]
            };
            item(i, children)
        }
        home.subsections
            .iter()
            .chain(&home.pages)
            .map(|&i| expand(self, i, &on_path, &item))
            .collect()
    }

    fn taxonomy_summary(&self, t: &'a Taxonomy, urls: &Urls<'_>) -> TaxonomyView<'a> {
        TaxonomyView {
            name: &t.name,
            title: &t.title,
            description: &t.description,
            url: urls.to(&t.url, self.file_urls()),
            terms: t
                .terms
                .iter()
                .map(|term| TermView {
                    slug: &term.slug,
                    title: &term.title,
                    url: urls.to(&term.url, self.file_urls()),
                    count: term.pages.len(),
                })
                .collect(),
        }
    }

    fn base(&self, page: PageView<'a>, urls: &Urls<'_>) -> Context<'a> {
        self.base_at(page, urls, None)
    }

    /// The parts every context has; `current` is the content page rendered.
    /// When fingerprinting, the parts that are the same on every page (bar
    /// relative URLs, which follow from `page.url`) are left out: they go
    /// into [`SiteModel::global_fingerprint`] once.
    fn base_at(&self, page: PageView<'a>, urls: &Urls<'_>, current: Option<usize>) -> Context<'a> {
        let c = self.config;
        let global = !self.fingerprinting;
        let root = match urls {
            Urls::From(from) => {
                let r = links::relative(from, "/", false);
                if r == "./" { String::new() } else { r }
            }
            Urls::Rooted(base) => base.to_string(),
        };
        Context {
            site: SiteView {
                title: &c.title,
                description: &c.description,
                base_url: &c.base_url,
                language: &c.language,
                edit_url: c.edit_url.as_deref(),
                file_urls: c.file_urls,
                extra: &c.extra,
            },
            page,
            root,
            home_url: urls.to("/", self.file_urls()),
            parent: None,
            breadcrumbs: vec![Crumb {
                title: &self.tree.pages[self.tree.home].meta.title,
                url: urls.to("/", self.file_urls()),
            }],
            pages: vec![],
            subsections: vec![],
            prev: None,
            next: None,
            nav: self.nav(current, urls),
            toc: &[],
            related: vec![],
            latest_news: if global {
                self.latest_news
                    .iter()
                    .map(|&i| self.summary(i, urls))
                    .collect()
            } else {
                vec![]
            },
            taxonomies: if global {
                self.taxonomies
                    .iter()
                    .map(|t| self.taxonomy_summary(t, urls))
                    .collect()
            } else {
                vec![]
            },
            taxonomy: None,
            term: None,
            glossary: if global { self.glossary } else { &[] },
            feeds: self
                .feeds
                .iter()
                .map(|f| FeedView {
                    title: f.title.clone(),
                    url: urls.to(&f.path, false),
                })
                .collect(),
            paginator: None,
            drafts: self.drafts,
        }
    }

    fn synthetic_view(&self, s: &Synthetic<'a>, urls: &Urls<'_>) -> PageView<'a> {
        PageView {
            kind: s.kind,
            title: s.title,
            description: s.description,
            content: "",
            url: urls.to(s.path, self.file_urls()),
            path: s.path.to_string(),
            permalink: self.config.permalink(s.path),
            source: "",
            file: String::new(),
            date: None,
            updated: None,
            reviewed: None,
            review_due: None,
            owner: None,
            weight: None,
            draft: false,
            words: 0,
            reading_minutes: 0,
            tags: vec![],
            regions: vec![],
            extra: &Value::Null,
            toc: &[],
            headings: 0,
            edit_url: None,
        }
    }

    /// The context for content page `i`; `pager` is the page number when
    /// `i` is the paginated section.
    pub(crate) fn page_view(&self, i: usize, pager: Option<usize>) -> Context<'a> {
        let tree = self.tree;
        let p: &'a Page = &tree.pages[i];
        let r: &'a Rendered = &self.rendered[i];
        let own_url = pager.map_or_else(|| p.url.clone(), |n| pager_url(&p.url, n));
        let urls = Urls::From(&own_url);
        let fu = self.file_urls();
        let view = PageView {
            kind: p.kind.name(),
            title: &p.meta.title,
            description: p.meta.description.as_deref(),
            content: &r.html,
            url: urls.to(&own_url, fu),
            path: own_url.clone(),
            permalink: self.config.permalink(&own_url),
            source: &p.source,
            file: p.file.to_string_lossy().replace('\\', "/"),
            date: date(p.meta.date),
            updated: date(p.meta.updated),
            reviewed: date(p.meta.reviewed),
            review_due: date(p.meta.review_due),
            owner: p.meta.owner.as_deref(),
            weight: p.meta.weight,
            draft: p.meta.draft,
            words: r.words,
            reading_minutes: r.words.div_ceil(200).max(1),
            tags: self.term_links("tags", &p.meta.tags, &urls),
            regions: self.term_links("region", &p.meta.regions, &urls),
            extra: &p.meta.extra,
            toc: &r.toc,
            headings: count_headings(&r.toc),
            edit_url: self
                .config
                .edit_url
                .as_ref()
                .map(|e| format!("{e}{}", p.source)),
        };
        let mut ctx = self.base_at(view, &urls, Some(i));
        ctx.toc = &r.toc;
        ctx.breadcrumbs = p
            .ancestors
            .iter()
            .map(|&a| Crumb {
                title: &tree.pages[a].meta.title,
                url: urls.to(&tree.pages[a].url, fu),
            })
            .collect();
        ctx.parent = p.parent.map(|s| self.summary(s, &urls));
        match (self.paginated, pager) {
            (Some((section, per_page)), Some(n)) if section == i => {
                let total = pager_count(p.pages.len(), per_page);
                let link = |k: usize| urls.to(&pager_url(&p.url, k), fu);
                ctx.pages = p
                    .pages
                    .iter()
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .map(|&k| self.summary(k, &urls))
                    .collect();
                ctx.paginator = Some(Paginator {
                    number: n,
                    total,
                    per_page,
                    items: p.pages.len(),
                    first: link(1),
                    last: link(total),
                    prev: (n > 1).then(|| link(n - 1)),
                    next: (n < total).then(|| link(n + 1)),
                    pages: (1..=total)
                        .map(|k| PagerLink {
                            number: k,
                            url: link(k),
                            current: k == n,
                        })
                        .collect(),
                });
            }
            _ => ctx.pages = p.pages.iter().map(|&k| self.summary(k, &urls)).collect(),
        }
        ctx.subsections = p
            .subsections
            .iter()
            .map(|&k| self.summary(k, &urls))
            .collect();
        ctx.prev = p.prev.map(|k| self.summary(k, &urls));
        ctx.next = p.next.map(|k| self.summary(k, &urls));
        ctx.related = self.related[i]
            .iter()
            .map(|rl| match &rl.target {
                RelatedTarget::Page(t, frag) => RelatedView {
                    title: &rl.title,
                    url: {
                        let mut u = urls.to(&tree.pages[*t].url, fu);
                        if let Some(f) = frag {
                            u.push('#');
                            u.push_str(f);
                        }
                        u
                    },
                    external: false,
                    description: tree.pages[*t].meta.description.as_deref(),
                },
                RelatedTarget::External(u) => RelatedView {
                    title: &rl.title,
                    url: u.clone(),
                    external: true,
                    description: None,
                },
            })
            .collect();
        ctx
    }

    /// The context for a taxonomy's index page.
    pub(crate) fn taxonomy_view(&self, t: &'a Taxonomy) -> Context<'a> {
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
        let mut ctx = self.base(view, &urls);
        ctx.taxonomy = Some(self.taxonomy_summary(t, &urls));
        ctx
    }

    /// The context for one term's page.
    pub(crate) fn term_view(&self, t: &'a Taxonomy, term: &'a Term) -> Context<'a> {
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
        let mut ctx = self.base(view, &urls);
        ctx.breadcrumbs.push(Crumb {
            title: &t.title,
            url: urls.to(&t.url, self.file_urls()),
        });
        ctx.taxonomy = Some(self.taxonomy_summary(t, &urls));
        let mut by_section: Vec<(usize, usize)> = term
            .pages
            .iter()
            .map(|&k| (self.tree.pages[k].parent.unwrap_or(self.tree.home), k))
            .collect();
        by_section.sort_by_key(|&(s, k)| (self.tree_order[s], self.tree_order[k]));
        let mut groups: Vec<TermGroup<'a>> = Vec::new();
        let mut last_section = None;
        for (s, k) in by_section {
            if last_section != Some(s) {
                let sp: &'a Page = &self.tree.pages[s];
                groups.push(TermGroup {
                    title: &sp.meta.title,
                    url: urls.to(&sp.url, self.file_urls()),
                    pages: vec![],
                });
                last_section = Some(s);
            }
            if let Some(g) = groups.last_mut() {
                g.pages.push(self.summary(k, &urls));
            }
        }
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

    /// A hash of the context parts that every page shares (the latest news,
    /// the taxonomies and their counts, the glossary), by site path, so a
    /// page's fingerprint need only cover what is its own.
    pub(crate) fn global_fingerprint(&self) -> u64 {
        let urls = Urls::From("/");
        let news: Vec<Summary<'_>> = self
            .latest_news
            .iter()
            .map(|&i| self.summary(i, &urls))
            .collect();
        let taxonomies: Vec<TaxonomyView<'_>> = self
            .taxonomies
            .iter()
            .map(|t| self.taxonomy_summary(t, &urls))
            .collect();
        let json = serde_json::to_string(&(news, taxonomies, self.glossary)).unwrap_or_default();
        crate::hash::hash_of(json.as_str())
    }

    /// The context for the search page at `/search/`.
    pub(crate) fn search_view(&self) -> Context<'a> {
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
        self.base(view, &urls)
    }

    /// The context for the 404 page.
    pub(crate) fn not_found_view(&self) -> Context<'a> {
        // A host shows 404.html at any address, so its links start from the
        // base path; opened from disk (file URLs) it sits at the root.
        let urls = if self.file_urls() {
            Urls::From("/404.html")
        } else {
            Urls::Rooted(self.config.base_path())
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
        self.base(view, &urls)
    }
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
        self.page.content = "";
        let mut w = HashWriter(std::collections::hash_map::DefaultHasher::new());
        w.0.write_u64(content_hash);
        let _ = serde_json::to_writer(&mut w, &self);
        w.0.finish()
    }
}

fn count_headings(toc: &[TocEntry]) -> usize {
    toc.iter().map(|e| 1 + count_headings(&e.children)).sum()
}
