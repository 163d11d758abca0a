//! The context of a section's print page (`/SECTION/print/`): the section
//! and every page under it, in the order of the site's tree (each section,
//! then its pages, then its subsections), as chapters whose HTML is moved
//! into the print page by [`crate::render::chapter`].

use super::views::{Crumb, PrintChapter, PrintView};
use super::{Context, Scope, SiteModel, Synthetic, Urls, date};
use crate::render::chapter::{Move, PrintPage};
use crate::site::{SitePage, print_url};
use std::collections::HashMap;

impl<'a> SiteModel<'a> {
    /// The pages of section `s`'s print page, with the level of each one's
    /// title (the section's own is 1, its pages' 2, ...).
    pub(crate) fn print_pages_of(&self, s: usize) -> Vec<(usize, u8)> {
        let pages = &self.site.pages;
        let mut out = Vec::new();
        let mut stack = vec![(s, 1u8)];
        while let Some((sec, level)) = stack.pop() {
            out.push((sec, level));
            let below = level.saturating_add(1).min(6);
            for &k in &pages[sec].pages {
                out.push((k, below));
            }
            for &sub in pages[sec].subsections.iter().rev() {
                stack.push((sub, below));
            }
        }
        out
    }

    /// The context of section `s`'s print page. With [`Scope::OwnOnly`]
    /// (fingerprints), the chapters' HTML is left out: their hashes stand
    /// for it.
    pub(crate) fn print_view(&self, s: usize, scope: Scope) -> Context<'a> {
        let site = self.site;
        let pages = &site.pages;
        let section: &'a SitePage = &pages[s];
        let own_url = print_url(&section.url);
        let urls = Urls::From(&own_url);
        let fu = self.file_urls();
        let members = self.print_pages_of(s);
        let ids: HashMap<String, String> = members
            .iter()
            .enumerate()
            .map(|(n, &(k, _))| (pages[k].url.clone(), format!("p{}", n + 1)))
            .collect();
        let print = PrintPage {
            url: &own_url,
            chapters: &ids,
            file_urls: fu,
        };
        let chapters = members
            .iter()
            .enumerate()
            .map(|(n, &(k, level))| {
                let p: &'a SitePage = &pages[k];
                let id = format!("p{}", n + 1);
                let content = match scope {
                    Scope::OwnOnly => String::new(),
                    Scope::Whole(_) => print.rehome(&Move {
                        html: &p.rendered.html(),
                        page_url: &p.url,
                        id: &id,
                        shift: level - 1,
                    }),
                };
                // A page's section is in the print page, except the
                // printed section's own.
                let parent_extra = p
                    .parent
                    .filter(|_| k != s)
                    .map_or(&serde_json::Value::Null, |q| &pages[q].meta.extra);
                PrintChapter {
                    id,
                    level,
                    kind: p.kind.name(),
                    title: &p.meta.title,
                    description: p.meta.description.as_deref(),
                    url: urls.to(&p.url, fu),
                    permalink: site.config.permalink(&p.url),
                    reviewed: date(p.meta.reviewed),
                    review_due: date(p.meta.review_due),
                    updated: date(p.meta.updated),
                    owner: p.meta.owner.as_deref(),
                    draft: p.meta.draft,
                    content,
                    extra: &p.meta.extra,
                    parent_extra,
                }
            })
            .collect();
        let mut view = self.synthetic_view(
            &Synthetic {
                kind: "print",
                title: &section.meta.title,
                description: section.meta.description.as_deref(),
                path: &section.url,
            },
            &urls,
        );
        view.url = urls.to(&own_url, fu);
        view.permalink = site.config.permalink(&own_url);
        view.path.clone_from(&own_url);
        let mut ctx = self.base(view, &urls, scope);
        ctx.nav = Vec::new();
        ctx.breadcrumbs = section
            .ancestors
            .iter()
            .chain(std::iter::once(&s))
            .map(|&a| Crumb {
                title: &pages[a].meta.title,
                url: urls.to(&pages[a].url, fu),
            })
            .collect();
        ctx.parent = Some(self.summary(s, &urls));
        ctx.print = Some(PrintView {
            section_url: urls.to(&section.url, fu),
            section_permalink: site.config.permalink(&section.url),
            chapters,
        });
        ctx
    }
}
