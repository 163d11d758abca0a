//! Arranges parsed pages into the section tree: URLs from folders, slugs and
//! file names; each page's section; ordering by weight, then date (newest
//! first), then title; breadcrumbs and previous/next neighbours.

use super::{Kind, Meta, Page, slugify};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A page read from disk, before it is placed.
#[derive(Clone)]
pub(crate) struct Parsed {
    pub(crate) source: String,
    pub(crate) meta: Arc<Meta>,
    /// The file's text; empty when a one-off build let go of it
    /// (`let_go`).
    pub(crate) text: Arc<str>,
    /// Where a one-off build that let go of the text reads the file again
    /// (the path discovery found, inside the site).
    pub(crate) let_go: Option<Box<std::path::Path>>,
    /// A hash of `text`, to tell whether its Markdown must be rendered again.
    pub(crate) hash: u64,
    pub(crate) body_offset: usize,
}

/// Look-ups over the placed pages (which live beside it, by index).
#[derive(Debug, Default, Clone)]
pub(crate) struct Tree {
    /// The home page's index.
    pub(crate) home: usize,
    /// Source path (relative to `content/`) to page index.
    pub(crate) by_source: HashMap<String, usize>,
    /// Site path to page index, sorted.
    pub(crate) by_url: BTreeMap<String, usize>,
    /// Folder (relative to `content/`) to its site path.
    pub(crate) dir_urls: HashMap<String, String>,
}

fn parent_dir(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..i])
}

fn last_segment(p: &str) -> &str {
    p.rfind('/').map_or(p, |i| &p[i + 1..])
}

/// The date and slug a file name gives: `2026-11-01-slug.md` → (date, `slug`).
pub(crate) fn name_parts(stem: &str) -> (Option<Date>, &str) {
    match Date::split_prefix(stem) {
        Some((d, rest)) => (Some(d), rest),
        None => (None, stem),
    }
}

/// The home page a site without `content/_index.md` gets.
fn default_home(site_title: &str) -> Parsed {
    Parsed {
        source: "_index.md".into(),
        meta: Arc::new(Meta::titled(site_title)),
        text: Arc::from(""),
        let_go: None,
        hash: 0,
        body_offset: 0,
    }
}

/// Places every parsed page. `site_title` names the home page when
/// `content/_index.md` is missing.
pub(crate) fn build_tree(
    mut parsed: Vec<Parsed>,
    site_title: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Tree) {
    if !parsed.iter().any(|p| p.source == "_index.md") {
        parsed.insert(0, default_home(site_title));
    }
    let (mut pages, folders) = place(parsed, diags);
    let home = folders.sections.get("").copied().unwrap_or(0);
    let dir_urls = assign_urls(&mut pages, &folders, diags);
    link_parents(&mut pages, &folders.sections, home);
    order_children(&mut pages);
    let by_url = urls_without_conflicts(&pages, diags);
    let by_source = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.clone(), i))
        .collect();
    let tree = Tree {
        home,
        by_source,
        by_url,
        dir_urls,
    };
    (pages, tree)
}

/// Which folders are sections (`_index.md`) and which page bundles (`index.md`).
struct Folders {
    sections: HashMap<String, usize>,
    bundles: HashMap<String, usize>,
}

/// Gives every parsed file its kind and an unplaced page.
fn place(parsed: Vec<Parsed>, diags: &mut Vec<Diagnostic>) -> (Vec<Page>, Folders) {
    let mut pages: Vec<Page> = Vec::with_capacity(parsed.len());
    let mut folders = Folders {
        sections: HashMap::new(),
        bundles: HashMap::new(),
    };
    for p in parsed {
        let name = last_segment(&p.source);
        let dir = parent_dir(&p.source).to_string();
        let (kind, bundle_dir) = match name {
            "_index.md" if dir.is_empty() => (Kind::Home, None),
            "_index.md" => (Kind::Section, None),
            "index.md" if !dir.is_empty() => (Kind::Page, Some(dir.clone())),
            _ => (Kind::Page, None),
        };
        let idx = pages.len();
        if kind != Kind::Page {
            folders.sections.insert(dir, idx);
        } else if let Some(b) = &bundle_dir {
            folders.bundles.insert(b.clone(), idx);
        }
        pages.push(Page::new(p, kind, bundle_dir));
    }
    let mut both: Vec<(&String, &usize)> = folders
        .bundles
        .iter()
        .filter(|(dir, _)| folders.sections.contains_key(*dir))
        .collect();
    both.sort();
    for (dir, &b) in both {
        diags.push(
            Diagnostic::error(
                "bundle-and-section",
                &pages[b].file,
                Position::File,
                format!("the folder content/{dir} has both index.md and _index.md"),
            )
            .with_hint("use _index.md for a section with pages, or index.md for a single page with its files"),
        );
    }
    (pages, folders)
}

/// Each folder's URL comes from its section or bundle, or its name; a page
/// whose URL would hold a part that cannot be a path is an error.
fn assign_urls(
    pages: &mut [Page],
    folders: &Folders,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, String> {
    let mut urls = UrlMaker {
        pages,
        folders,
        memo: HashMap::new(),
    };
    let page_urls: Vec<String> = (0..urls.pages.len()).map(|i| urls.page_url(i)).collect();
    let dir_urls = std::mem::take(&mut urls.memo);
    for (i, url) in page_urls.into_iter().enumerate() {
        let bad = crate::slug::bad_url_segments(&url);
        if bad.is_empty() {
            pages[i].url = url;
            continue;
        }
        for (seg, why) in bad {
            diags.push(
                Diagnostic::error(
                    "bad-file-name",
                    &pages[i].file,
                    Position::File,
                    format!(
                        "this page's address {} would have the part `{}`, which cannot be used: {why}",
                        url.escape_debug(),
                        seg.escape_debug()
                    ),
                )
                .with_hint("rename the file or folder using letters, digits and hyphens, or set `slug:` in the front matter"),
            );
        }
        // A stand-in that cannot collide, so later phases carry on safely.
        pages[i].url = format!("/invalid-name-{i}/");
    }
    dir_urls
}

/// Parents: the nearest section in an enclosing folder.
fn link_parents(pages: &mut [Page], sections: &HashMap<String, usize>, home: usize) {
    for i in 0..pages.len() {
        if i == home {
            continue;
        }
        let mut dir = match (&pages[i].kind, &pages[i].bundle_dir) {
            (Kind::Section, _) => parent_dir(parent_dir(&pages[i].source)).to_string(),
            (_, Some(b)) => parent_dir(b).to_string(),
            _ => parent_dir(&pages[i].source).to_string(),
        };
        let parent = loop {
            if let Some(&s) = sections.get(&dir) {
                break s;
            }
            if dir.is_empty() {
                break home;
            }
            dir = parent_dir(&dir).to_string();
        };
        pages[i].parent = Some(parent);
        if pages[i].kind == Kind::Section {
            pages[parent].subsections.push(i);
        } else {
            pages[parent].pages.push(i);
        }
    }
}

/// Orders each section's children, links neighbours, and records every
/// page's ancestors.
fn order_children(pages: &mut [Page]) {
    for s in 0..pages.len() {
        if !pages[s].is_section() {
            continue;
        }
        reorder_pages(pages, s);
        let mut subs = std::mem::take(&mut pages[s].subsections);
        subs.sort_by_cached_key(|&i| order_key(&pages[i]));
        pages[s].subsections = subs;
    }
    for i in 0..pages.len() {
        let mut chain = Vec::new();
        let mut cur = pages[i].parent;
        while let Some(p) = cur {
            if chain.contains(&p) {
                break;
            }
            chain.push(p);
            cur = pages[p].parent;
        }
        chain.reverse();
        pages[i].ancestors = chain;
    }
}

/// Sorts section `s`'s pages (by weight, then newest date, then title) and
/// links each to its neighbours; also after a page's weight, date or title
/// changed.
pub(crate) fn reorder_pages<P: AsRef<Page> + AsMut<Page>>(pages: &mut [P], s: usize) {
    let mut kids = std::mem::take(&mut pages[s].as_mut().pages);
    kids.sort_by_cached_key(|&i| order_key(pages[i].as_ref()));
    for (n, &k) in kids.iter().enumerate() {
        let page = pages[k].as_mut();
        page.prev = n.checked_sub(1).map(|p| kids[p]);
        page.next = kids.get(n + 1).copied();
    }
    pages[s].as_mut().pages = kids;
}

/// Two files must not claim one URL, even one that differs only in case.
fn urls_without_conflicts(pages: &[Page], diags: &mut Vec<Diagnostic>) -> BTreeMap<String, usize> {
    let mut by_url: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        let key = crate::slug::conflict_key(&page.url);
        if let Some(&other) = by_key.get(&key) {
            diags.push(
                Diagnostic::error(
                    "url-conflict",
                    &page.file,
                    Position::File,
                    format!(
                        "this page and {} both want the URL {}",
                        pages[other].file.display(),
                        page.url
                    ),
                )
                .with_hint("give one of them a different `slug:` or file name"),
            );
        } else {
            by_key.insert(key, i);
            by_url.insert(page.url.clone(), i);
        }
    }
    by_url
}

impl Tree {
    /// Lets go of the look-ups by source path and URL, once a one-off
    /// build has placed every link and planned every file.
    pub(crate) fn forget_lookups(&mut self) {
        self.by_source = HashMap::new();
        self.by_url = BTreeMap::new();
    }

    /// The site path of a folder under `content/`, whether or not it has pages.
    pub(crate) fn dir_url(&self, dir: &str) -> String {
        if dir.is_empty() {
            return "/".into();
        }
        if let Some(u) = self.dir_urls.get(dir) {
            return u.clone();
        }
        format!(
            "{}{}/",
            self.dir_url(parent_dir(dir)),
            slug_or_name(last_segment(dir))
        )
    }
}

type OrderKey = (bool, i64, Reverse<Option<Date>>, String, String);

fn order_key(p: &Page) -> OrderKey {
    (
        p.meta.weight.is_none(),
        p.meta.weight.unwrap_or(0),
        Reverse(p.meta.date),
        p.meta.title.to_lowercase(),
        p.source.clone(),
    )
}

struct UrlMaker<'a> {
    pages: &'a [Page],
    folders: &'a Folders,
    memo: HashMap<String, String>,
}

impl UrlMaker<'_> {
    fn dir_url(&mut self, dir: &str) -> String {
        if dir.is_empty() {
            return "/".into();
        }
        if let Some(u) = self.memo.get(dir) {
            return u.clone();
        }
        let slug = self
            .folders
            .sections
            .get(dir)
            .or_else(|| self.folders.bundles.get(dir))
            .and_then(|&i| self.pages[i].meta.slug.clone())
            .unwrap_or_else(|| slug_or_name(last_segment(dir)));
        let url = format!("{}{}/", self.dir_url(parent_dir(dir)), slug);
        self.memo.insert(dir.to_string(), url.clone());
        url
    }

    fn page_url(&mut self, i: usize) -> String {
        let p = &self.pages[i];
        match (p.kind, &p.bundle_dir) {
            (Kind::Home, _) => "/".into(),
            (Kind::Section, _) => self.dir_url(parent_dir(&p.source)),
            (Kind::Page, Some(b)) => {
                let b = b.clone();
                self.dir_url(&b)
            }
            (Kind::Page, None) => {
                let stem = last_segment(&p.source).trim_end_matches(".md");
                let slug = p
                    .meta
                    .slug
                    .clone()
                    .unwrap_or_else(|| slug_or_name(name_parts(stem).1));
                let dir = parent_dir(&p.source).to_string();
                format!("{}{}/", self.dir_url(&dir), slug)
            }
        }
    }
}

/// The slug of a name, or the name itself if slugifying leaves nothing.
fn slug_or_name(name: &str) -> String {
    let s = slugify(name);
    if s.is_empty() { name.to_string() } else { s }
}
