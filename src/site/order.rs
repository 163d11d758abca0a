//! Phase 6 of assembly: the orders pages are shown in beyond their section:
//! the news section and its latest items, listing pages (the pager maths),
//! and each page's place in a walk of the whole tree.

use crate::config::Config;
use crate::content::{Page, Tree};

/// The news section: the one whose pages are the site's news.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct News {
    /// The section's page index.
    pub(crate) section: usize,
    /// Its newest dated items, newest first, as many as `latest_news`.
    pub(crate) latest: Vec<usize>,
    /// How many items a page of its listing shows.
    pub(crate) per_page: usize,
}

/// The news section and its latest items, when the site has one.
pub(crate) fn news<P: AsRef<Page>>(config: &Config, pages: &[P], tree: &Tree) -> Option<News> {
    let key = format!("{}/_index.md", config.news_section.trim_matches('/'));
    let section = tree.by_source.get(&key).copied()?;
    let page = |i: usize| pages[i].as_ref();
    let mut items: Vec<usize> = page(section)
        .pages
        .iter()
        .copied()
        .filter(|&i| page(i).meta.date.is_some())
        .collect();
    items.sort_by(|&a, &b| newest_first(page(a), page(b)));
    items.truncate(config.latest_news);
    Some(News {
        section,
        latest: items,
        per_page: config.news_per_page.max(1),
    })
}

/// Newest date first, then title.
pub(crate) fn newest_first(a: &Page, b: &Page) -> std::cmp::Ordering {
    b.meta
        .date
        .cmp(&a.meta.date)
        .then_with(|| a.meta.title.cmp(&b.meta.title))
}

/// The site path of page `n` (1-based) of a listing at `url`.
pub(crate) fn pager_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_string()
    } else {
        format!("{url}page/{n}/")
    }
}

/// The most chapters one print page holds. A bigger section prints in
/// parts of this many pages (`print/`, `print/2/`, ...): a print page of
/// hundreds of pages is more than a browser prints well, or a pharmacy
/// prints at once, and a build of any size holds one part at a time.
pub(crate) const PRINT_PART_CHAPTERS: usize = 100;

/// How many parts a print page of `chapters` chapters has: one for each
/// [`PRINT_PART_CHAPTERS`], and at least one.
pub(crate) fn print_part_count(chapters: usize) -> usize {
    chapters.div_ceil(PRINT_PART_CHAPTERS).max(1)
}

/// The site path of part `part` (from 1) of the print page of the section
/// at `url`.
pub(crate) fn print_url(url: &str, part: usize) -> String {
    if part <= 1 {
        format!("{url}print/")
    } else {
        format!("{url}print/{part}/")
    }
}

/// How many listing pages `items` entries need at `per_page` each (at least one).
pub(crate) fn pager_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// Each page's position in a depth-first walk of the tree: each section,
/// then its pages, then its subsections.
pub(crate) fn tree_order<P: AsRef<Page>>(pages: &[P], home: usize) -> Vec<usize> {
    let mut order = vec![usize::MAX; pages.len()];
    let mut n = 0;
    let mut stack = vec![home];
    while let Some(i) = stack.pop() {
        if order[i] != usize::MAX {
            continue;
        }
        order[i] = n;
        n += 1;
        let p = pages[i].as_ref();
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
