//! The contexts of content pages, and the parts every context shares:
//! summaries, menus, breadcrumbs, term links, the pager.

use super::views::*;
use super::{
    Context, NAV_CHILD_LIMIT, Scope, SiteModel, Synthetic, Urls, Uses, count_headings, date,
};
use crate::config::feedback::Answer;
use crate::content::{Kind, Taxonomy, Term};
use crate::links;
use crate::markdown::{InlinePart, Rendered};
use crate::render::structured;
use crate::site::{RelatedTarget, SitePage, pager_count, pager_url, print_url};

impl<'a> SiteModel<'a> {
    pub(super) fn file_urls(&self) -> bool {
        self.site.config.file_urls
    }

    pub(super) fn summary(&self, i: usize, urls: &Urls<'_>) -> Summary<'a> {
        let p: &'a SitePage = &self.site.pages[i];
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

    pub(super) fn term_links(
        &self,
        name: &str,
        values: &[String],
        urls: &Urls<'_>,
    ) -> Vec<TermLink> {
        let Some(tax) = self.site.taxonomy(name) else {
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

    pub(super) fn nav(&self, current: Option<usize>, urls: &Urls<'_>) -> Vec<NavItem<'a>> {
        let pages = &self.site.pages;
        let home = &pages[self.site.tree.home];
        let on_path = |i: usize| match current {
            Some(c) => c == i || pages[c].ancestors.contains(&i),
            None => false,
        };
        let item = |i: usize, children: Vec<NavItem<'a>>| {
            let p: &'a SitePage = &pages[i];
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
            let p = &model.site.pages[i];
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

    /// A taxonomy as `taxonomies` lists it; its terms only `with_terms`.
    pub(super) fn taxonomy_summary(
        &self,
        t: &'a Taxonomy,
        urls: &Urls<'_>,
        with_terms: bool,
    ) -> TaxonomyView<'a> {
        let terms = if with_terms { &t.terms[..] } else { &[] };
        TaxonomyView {
            name: &t.name,
            title: &t.title,
            description: &t.description,
            url: urls.to(&t.url, self.file_urls()),
            terms: terms
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

    pub(super) fn base(&self, page: PageView<'a>, urls: &Urls<'_>, scope: Scope) -> Context<'a> {
        self.base_at(page, urls, None, scope)
    }

    /// The news items every page's `latest_news` shows.
    pub(super) fn latest(&self) -> &'a [usize] {
        self.site.news.as_ref().map_or(&[], |n| n.latest.as_slice())
    }

    /// The parts every context has; `current` is the content page rendered.
    /// With [`Scope::OwnOnly`], the parts that are the same on every page
    /// (bar relative URLs, which follow from `page.url`) are left out: they
    /// go into [`SiteModel::shared_prints`] once.
    pub(super) fn base_at(
        &self,
        page: PageView<'a>,
        urls: &Urls<'_>,
        current: Option<usize>,
        scope: Scope,
    ) -> Context<'a> {
        let c = &self.site.config;
        let uses = match scope {
            Scope::Whole(uses) => uses,
            Scope::OwnOnly => Uses::default(),
        };
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
                glossary_url: self
                    .glossary_page
                    .map(|g| urls.to(&self.site.pages[g].url, self.file_urls())),
            },
            page,
            root,
            home_url: urls.to("/", self.file_urls()),
            parent: None,
            breadcrumbs: vec![Crumb {
                title: &self.site.pages[self.site.tree.home].meta.title,
                url: urls.to("/", self.file_urls()),
            }],
            pages: vec![],
            subsections: vec![],
            prev: None,
            next: None,
            nav: self.nav(current, urls),
            toc: std::borrow::Cow::Borrowed(&[]),
            related: vec![],
            latest_news: if uses.latest_news {
                self.latest()
                    .iter()
                    .map(|&i| self.summary(i, urls))
                    .collect()
            } else {
                vec![]
            },
            taxonomies: if uses.taxonomies {
                self.site
                    .taxonomies
                    .iter()
                    .map(|t| self.taxonomy_summary(t, urls, uses.taxonomy_terms))
                    .collect()
            } else {
                vec![]
            },
            taxonomy: None,
            term: None,
            glossary: if uses.glossary {
                &self.site.glossary
            } else {
                &[]
            },
            feeds: self
                .feeds
                .iter()
                .map(|f| FeedView {
                    title: f.title.clone(),
                    url: urls.to(&f.path, false),
                })
                .collect(),
            paginator: None,
            drafts: self.site.drafts,
            banner: self.banner(urls),
            print: None,
        }
    }

    /// The banner with its links written for the page at `urls`.
    fn banner(&self, urls: &Urls<'_>) -> Option<BannerView> {
        let b = self.site.banner.as_ref()?;
        let mut html = String::new();
        for part in &b.parts {
            match part {
                InlinePart::Html(h) => html.push_str(h),
                InlinePart::SitePath(p) => {
                    let split = p.find(['#', '?']).unwrap_or(p.len());
                    let url = urls.to(&p[..split], self.file_urls()) + &p[split..];
                    html.push_str(&crate::escape::html(&url));
                }
            }
        }
        Some(BannerView {
            html,
            from: b.from.to_string(),
            until: b.until.to_string(),
        })
    }

    /// The feedback links of page `i` at `own_url`, when the site has them
    /// and the page is guidance (a page or section).
    fn feedback(&self, i: usize, own_url: &str) -> Option<FeedbackView> {
        let config = &self.site.config;
        let f = config.feedback_url.as_ref()?;
        let p = &self.site.pages[i];
        if p.kind == Kind::Home {
            return None;
        }
        let url = config.permalink(own_url);
        let link = |a: Answer| f.link(&url, &p.meta.title, a);
        Some(FeedbackView {
            yes: link(Answer::Yes),
            no: link(Answer::No),
            problem: link(Answer::Problem),
        })
    }

    pub(super) fn synthetic_view(&self, s: &Synthetic<'a>, urls: &Urls<'_>) -> PageView<'a> {
        PageView {
            kind: s.kind,
            title: s.title,
            description: s.description,
            content: std::borrow::Cow::Borrowed(""),
            url: urls.to(s.path, self.file_urls()),
            path: s.path.to_string(),
            permalink: self.site.config.permalink(s.path),
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
            extra: &serde_json::Value::Null,
            toc: std::borrow::Cow::Borrowed(&[]),
            headings: 0,
            edit_url: None,
            json_ld: None,
            feedback: None,
            print_url: None,
        }
    }

    /// The page's own fields, as `page` in its context.
    pub(super) fn page_fields(&self, i: usize, own_url: &str, urls: &Urls<'_>) -> PageView<'a> {
        let p: &'a SitePage = &self.site.pages[i];
        let r: &'a Rendered = &p.rendered;
        let config = &self.site.config;
        let toc = r.toc();
        PageView {
            kind: p.kind.name(),
            title: &p.meta.title,
            description: p.meta.description.as_deref(),
            content: r.html(),
            url: urls.to(own_url, self.file_urls()),
            path: own_url.to_string(),
            permalink: config.permalink(own_url),
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
            tags: self.term_links("tags", &p.meta.tags, urls),
            regions: self.term_links("region", &p.meta.regions, urls),
            extra: &p.meta.extra,
            headings: count_headings(&toc),
            toc,
            edit_url: config.edit_url.as_ref().map(|e| format!("{e}{}", p.source)),
            json_ld: structured::page_json_ld(self.site, i, own_url),
            feedback: self.feedback(i, own_url),
            print_url: self
                .site
                .print_section_of(i)
                .map(|s| urls.to(&print_url(&self.site.pages[s].url, 1), self.file_urls())),
        }
    }

    /// The context for content page `i`; `pager` is the page number when
    /// `i` is the paginated section.
    pub(crate) fn page_view(&self, i: usize, pager: Option<usize>, scope: Scope) -> Context<'a> {
        let pages = &self.site.pages;
        let p: &'a SitePage = &pages[i];
        let own_url = pager.map_or_else(|| p.url.clone(), |n| pager_url(&p.url, n));
        let urls = Urls::From(&own_url);
        let fu = self.file_urls();
        let view = self.page_fields(i, &own_url, &urls);
        let mut ctx = self.base_at(view, &urls, Some(i), scope);
        ctx.toc = ctx.page.toc.clone();
        ctx.breadcrumbs = p
            .ancestors
            .iter()
            .map(|&a| Crumb {
                title: &pages[a].meta.title,
                url: urls.to(&pages[a].url, fu),
            })
            .collect();
        ctx.parent = p.parent.map(|s| self.summary(s, &urls));
        match (self.paginated, pager) {
            (Some((section, per_page)), Some(n)) if section == i => {
                ctx.pages = p
                    .pages
                    .iter()
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .map(|&k| self.summary(k, &urls))
                    .collect();
                ctx.paginator = Some(self.paginator(p, n, per_page, &urls));
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
        ctx.related = self.related_views(p, &urls);
        ctx
    }

    /// Page `n` of the listing of section `p`, `per_page` items a page.
    pub(super) fn paginator(
        &self,
        p: &SitePage,
        n: usize,
        per_page: usize,
        urls: &Urls<'_>,
    ) -> Paginator {
        let total = pager_count(p.pages.len(), per_page);
        let link = |k: usize| urls.to(&pager_url(&p.url, k), self.file_urls());
        Paginator {
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
        }
    }

    pub(super) fn related_views(&self, p: &'a SitePage, urls: &Urls<'_>) -> Vec<RelatedView<'a>> {
        let pages = &self.site.pages;
        p.related
            .iter()
            .map(|rl| match &rl.target {
                RelatedTarget::Page(t, frag) => {
                    let mut url = urls.to(&pages[*t].url, self.file_urls());
                    if let Some(f) = frag {
                        url.push('#');
                        url.push_str(f);
                    }
                    RelatedView {
                        title: &rl.title,
                        url,
                        external: false,
                        description: pages[*t].meta.description.as_deref(),
                    }
                }
                RelatedTarget::External(u) => RelatedView {
                    title: &rl.title,
                    url: u.clone(),
                    external: true,
                    description: None,
                },
            })
            .collect()
    }
}
