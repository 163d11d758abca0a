//! The context of a section's print page (`/SECTION/print/`): the section
//! and every page under it, in the order of the site's tree (each section,
//! then its pages, then its subsections), as chapters whose HTML is moved
//! into the print page by [`crate::render::chapter`]. A section of more
//! than [`PRINT_PART_CHAPTERS`] pages prints in parts (`print/2/`, ...),
//! each with a list of them all.

use super::views::{ChapterHtml, Crumb, PrintChapter, PrintPartView, PrintView};
use super::{Context, Scope, SiteModel, Synthetic, Urls, date};
use crate::render::chapter::{Book, Chapter, Mover};
use crate::site::{PRINT_PART_CHAPTERS, SitePage, print_part_count, print_url};
use std::sync::Arc;

impl<'a> SiteModel<'a> {
    /// The chapters of part `part` (from 1) of a print page whose chapters
    /// are `all`.
    pub(crate) fn print_part<'c>(&self, all: &'c [(usize, u8)], part: usize) -> &'c [(usize, u8)] {
        let from = (part.max(1) - 1) * PRINT_PART_CHAPTERS;
        &all[from.min(all.len())..(from + PRINT_PART_CHAPTERS).min(all.len())]
    }

    /// Where every page of section `s`'s print page is (see [`Book`]),
    /// made once for all its parts.
    pub(crate) fn book(&self, s: usize) -> Arc<Book> {
        let make = || {
            let site = self.site;
            let all = site.print_chapters(s);
            let chapters = all
                .iter()
                .enumerate()
                .map(|(n, &(k, _))| {
                    let chapter = Chapter {
                        id: format!("p{}", n + 1),
                        part: n / PRINT_PART_CHAPTERS + 1,
                    };
                    (site.pages[k].url.clone(), chapter)
                })
                .collect();
            let parts = (1..=print_part_count(all.len()))
                .map(|n| print_url(&site.pages[s].url, n))
                .collect();
            Arc::new(Book {
                all,
                chapters,
                parts,
            })
        };
        match self.books.get(&s) {
            Some(cell) => Arc::clone(cell.get_or_init(make)),
            // Not a printed section (print pages turned off): made afresh.
            None => make(),
        }
    }

    /// The context of part `part` of section `s`'s print page. With
    /// [`Scope::OwnOnly`] (fingerprints), the chapters' HTML is left out:
    /// their hashes stand for it.
    pub(crate) fn print_view(&self, s: usize, part: usize, scope: Scope) -> Context<'a> {
        let site = self.site;
        let pages = &site.pages;
        let section: &'a SitePage = &pages[s];
        let own_url = print_url(&section.url, part);
        let urls = Urls::From(&own_url);
        let fu = self.file_urls();
        let book = self.book(s);
        let all = &book.all;
        let mover = Arc::new(Mover {
            url: own_url.clone(),
            book: Arc::clone(&book),
            file_urls: fu,
        });
        let first = (part.max(1) - 1) * PRINT_PART_CHAPTERS;
        let chapters = self
            .print_part(all, part)
            .iter()
            .enumerate()
            .map(|(n, &(k, level))| {
                let p: &'a SitePage = &pages[k];
                let id = format!("p{}", first + n + 1);
                let content = match scope {
                    Scope::OwnOnly => ChapterHtml::Left,
                    Scope::Whole(_) => ChapterHtml::Moved {
                        page: p,
                        id: id.clone(),
                        shift: level - 1,
                        mover: Arc::clone(&mover),
                    },
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
        let part_views = |n: usize, at: &String| {
            let chapters = self.print_part(all, n);
            let title = |c: Option<&(usize, u8)>| c.map_or("", |&(k, _)| &pages[k].meta.title);
            PrintPartView {
                number: n,
                url: urls.to(at, fu),
                current: n == part,
                first: title(chapters.first()),
                last: title(chapters.last()),
            }
        };
        ctx.print = Some(PrintView {
            section_url: urls.to(&section.url, fu),
            section_permalink: site.config.permalink(&section.url),
            chapters,
            part,
            parts: book
                .parts
                .iter()
                .enumerate()
                .map(|(n, at)| part_views(n + 1, at))
                .collect(),
        });
        ctx
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{BuildOptions, prepare};
    use crate::site::{Cache, Changed};
    use std::sync::Arc;

    #[test]
    fn the_parts_of_a_print_page_share_one_book_of_its_section() {
        let opts = BuildOptions::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
        let (prepared, _) = prepare(&opts, &mut Cache::default(), Changed::All).expect("prepared");
        let prepared = prepared.expect("a site to plan");
        let model = prepared.model();
        let s = prepared
            .site
            .print_sections()
            .next()
            .expect("a printed section");
        let book = model.book(s);
        // Made once: every part of the print page gets the same one.
        assert!(Arc::ptr_eq(&book, &model.book(s)));
        assert_eq!(book.all, prepared.site.print_chapters(s));
        assert_eq!(book.chapters.len(), book.all.len());
        assert_eq!(book.parts.len(), prepared.site.print_parts(s));
    }
}
