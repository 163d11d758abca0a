//! The assembled site: every page with its front matter, place in the tree,
//! rendered Markdown and related resources, the taxonomies, the glossary and
//! the link index. [`assemble`] builds it as a short sequence of phases, each
//! in its own module, each taking what the last made and adding diagnostics:
//!
//! 1. [`read`]: site.yaml, glossary.yaml and every page's front matter.
//! 2. [`crate::content`]: the section tree (URLs, order, neighbours) and the
//!    taxonomies.
//! 3. [`index`]: everything a link may point at.
//! 4. [`markdown`]: every page's Markdown, then every `#anchor`.
//! 5. [`related`]: `related` resources.
//! 6. [`order`]: the news section, pager maths and the tree walk.
//! 7. [`banner`]: the banner shown on the build's date.
//!
//! Nothing here knows about templates or output files: rendering and the
//! output plan come after (see [`crate::render`]).

pub(crate) mod banner;
pub(crate) mod index;
pub(crate) mod markdown;
pub(crate) mod order;
pub(crate) mod read;
pub(crate) mod related;

pub(crate) use banner::SiteBanner;
pub(crate) use index::Asset;
pub(crate) use order::{
    News, PRINT_PART_CHAPTERS, pager_count, pager_url, print_part_count, print_url,
};
pub(crate) use read::{Cache, Changed};
pub(crate) use related::{RelatedLink, RelatedTarget};

use crate::config::Config;
use crate::content::{self, Kind, Page, Taxonomy, Tree};
use crate::diagnostics::Diagnostic;
use crate::fs::SiteRoot;
use crate::glossary;
use crate::links::LinkIndex;
use crate::markdown::Rendered;
use crate::search;
use std::sync::Arc;

/// One page of the site: placed in the tree, with what later phases need.
#[derive(Debug)]
pub(crate) struct SitePage {
    /// The page's file, front matter and place in the tree.
    pub(crate) page: Page,
    /// Its Markdown as HTML, with ids, table of contents and search text.
    pub(crate) rendered: Arc<Rendered>,
    /// Its `related` resources.
    pub(crate) related: Vec<RelatedLink>,
    /// Its position in a depth-first walk of the tree.
    pub(crate) order: usize,
}

impl AsRef<Page> for SitePage {
    fn as_ref(&self) -> &Page {
        &self.page
    }
}

impl AsMut<Page> for SitePage {
    fn as_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}

/// A site page reads as its page: `site.pages[i].meta.title`.
impl std::ops::Deref for SitePage {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.page
    }
}

/// Everything known about the site before rendering, owned.
pub(crate) struct Site {
    pub(crate) config: Config,
    pub(crate) pages: Vec<SitePage>,
    /// Look-ups by source path and URL, and the home page.
    pub(crate) tree: Tree,
    pub(crate) taxonomies: Vec<Taxonomy>,
    pub(crate) glossary: Arc<[glossary::Entry]>,
    /// Everything a link can point at, for re-rendering one page's Markdown.
    pub(crate) index: LinkIndex,
    /// Content files that are not pages.
    pub(crate) assets: Vec<Asset>,
    pub(crate) news: Option<News>,
    /// Whether drafts are in this build (serve and `--drafts`).
    pub(crate) drafts: bool,
    /// The banner shown on every page on the build's date, if any.
    pub(crate) banner: Option<SiteBanner>,
    /// Whether the theme makes a print page per section (it has
    /// `print.html`); set by the pipeline, which knows the templates.
    pub(crate) print_pages: bool,
}

/// What assembly starts from besides the content folder.
pub(crate) struct Inputs<'a> {
    pub(crate) root: &'a SiteRoot,
    pub(crate) config: Config,
    pub(crate) glossary: Vec<glossary::Entry>,
    /// Site paths of the theme's and the site's static files (`/css/site.css`).
    pub(crate) static_paths: Vec<String>,
    /// The static files that are images: (site path, path under the site root).
    pub(crate) static_images: Vec<(String, std::path::PathBuf)>,
    pub(crate) drafts: bool,
}

/// Reads and checks every page and assembles the site, reporting every
/// problem in `diags`. Pages that could not be read are left out, so the
/// rest can still be checked; a site with errors must not be written.
pub(crate) fn assemble(
    inputs: Inputs<'_>,
    cache: &mut Cache,
    changed: Changed<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    let Inputs {
        root,
        config,
        glossary,
        static_paths,
        static_images,
        drafts,
    } = inputs;
    let t = std::time::Instant::now();
    let content::Discovered {
        pages: files,
        assets: assets_found,
    } = content::discover(root, diags);
    let read = read::read_pages(&files, &config, drafts, cache, changed, diags);
    drop(files);
    crate::diagnostics::timing("read pages", t);

    let t = std::time::Instant::now();
    let (pages, tree) = content::build_tree(read.parsed, &config.title, diags);
    // Each page becomes a site page now, while little else is in memory:
    // its render, related links and place are filled in below.
    let unrendered = Arc::new(Rendered::default());
    let mut pages: Vec<SitePage> = pages
        .into_iter()
        .map(|page| SitePage {
            page,
            rendered: Arc::clone(&unrendered),
            related: Vec::new(),
            order: 0,
        })
        .collect();
    let taxonomies = content::build_taxonomies(&config, &pages, diags);
    crate::diagnostics::timing("tree and taxonomies", t);

    let t = std::time::Instant::now();
    let assets = index::assets(&assets_found, &tree, diags);
    let mut index = index::link_index(
        &pages,
        &tree,
        &assets,
        static_paths.into_iter(),
        read.drafts_left_out,
    );
    index.images = index::image_sizes(root, &assets, &static_images);
    let environment = index::environment(&index, &glossary, config.file_urls);
    crate::diagnostics::timing("link index", t);

    let t = std::time::Instant::now();
    let rendered = markdown::render_all(
        &pages,
        &index,
        &glossary,
        config.file_urls,
        environment,
        cache,
        diags,
    );
    crate::diagnostics::timing("markdown and anchors", t);

    let related = related::resolve_all(&pages, &index, &rendered, diags);
    let banner = banner::current(&config, &index, diags);
    let news = order::news(&config, &pages, &tree);
    let order = order::tree_order(&pages, tree.home);
    for (((p, rendered), related), order) in pages.iter_mut().zip(rendered).zip(related).zip(order)
    {
        p.rendered = rendered;
        p.related = related;
        p.order = order;
    }
    if cache.one_off {
        // Every link is checked: what only that needed goes before the
        // output is planned.
        index = LinkIndex::default();
        for p in &mut pages {
            if let Some(r) = Arc::get_mut(&mut p.rendered) {
                r.forget_checks();
            }
        }
    }
    Site {
        config,
        pages,
        tree,
        taxonomies,
        glossary: glossary.into(),
        index,
        assets,
        news,
        drafts,
        banner,
        print_pages: false,
    }
}

impl Site {
    /// Regular pages, sections (the home page included) and listing pages.
    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        let pages = self.pages.iter().filter(|p| p.kind == Kind::Page).count();
        let listings = self.taxonomies.iter().map(|t| 1 + t.terms.len()).sum();
        (pages, self.pages.len() - pages, listings)
    }

    /// The glossary page (the page rendered with `glossary.html`), if any.
    pub(crate) fn glossary_page(&self) -> Option<usize> {
        self.pages.iter().position(|p| {
            p.kind == Kind::Page && p.meta.template.as_deref() == Some("glossary.html")
        })
    }

    /// The sections that have a print page: every section but the home
    /// page, when the theme makes print pages.
    pub(crate) fn print_sections(&self) -> impl Iterator<Item = usize> + '_ {
        let home = self.tree.home;
        self.pages
            .iter()
            .enumerate()
            .filter(move |(i, p)| self.print_pages && *i != home && p.kind == Kind::Section)
            .map(|(i, _)| i)
    }

    /// The section whose print page holds page `i` and its "Print this
    /// guide" link goes to: its own for a section, else its section's.
    pub(crate) fn print_section_of(&self, i: usize) -> Option<usize> {
        let p = &self.pages[i];
        let s = if p.kind == Kind::Section {
            i
        } else {
            p.parent?
        };
        (self.print_pages && s != self.tree.home && self.pages[s].kind == Kind::Section)
            .then_some(s)
    }

    /// The chapters of section `s`'s print page: the section, then every
    /// page under it in the order of the tree (each section, its pages,
    /// then its subsections), each with the level of its title (the
    /// section's own is 1, its pages' 2, ...).
    pub(crate) fn print_chapters(&self, s: usize) -> Vec<(usize, u8)> {
        let mut out = Vec::new();
        let mut stack = vec![(s, 1u8)];
        while let Some((sec, level)) = stack.pop() {
            out.push((sec, level));
            let below = level.saturating_add(1).min(6);
            for &k in &self.pages[sec].pages {
                out.push((k, below));
            }
            for &sub in self.pages[sec].subsections.iter().rev() {
                stack.push((sub, below));
            }
        }
        out
    }

    /// How many parts section `s`'s print page has (see
    /// [`PRINT_PART_CHAPTERS`]).
    pub(crate) fn print_parts(&self, s: usize) -> usize {
        print_part_count(self.print_chapters(s).len())
    }

    /// True when the print page of section `s` shows page `i`: `s` itself
    /// or any page under it.
    pub(crate) fn print_shows(&self, s: usize, i: usize) -> bool {
        i == s || self.pages[i].ancestors.contains(&s)
    }

    /// The taxonomy named `name`, if the site has it.
    pub(crate) fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// What the search index is built from, borrowed from the site
    /// ([`search::Input::into_owned`] makes a snapshot to build on another
    /// thread while the site changes).
    pub(crate) fn search_input(&self) -> search::Input<'_> {
        let home = &self.pages[self.tree.home];
        let sections: Vec<(usize, search::Facet)> = home
            .subsections
            .iter()
            .map(|&s| {
                let p = &self.pages[s];
                let facet = search::Facet {
                    slug: p.url.trim_matches('/').to_string(),
                    title: p.meta.title.clone(),
                };
                (s, facet)
            })
            .collect();
        // The first closed taxonomy (the site's regions) filters results.
        let facet_taxonomy = self
            .config
            .taxonomies
            .iter()
            .find(|t| t.closed)
            .and_then(|t| self.taxonomy(&t.name));
        let facet_terms = facet_taxonomy.map_or(&[][..], |t| &t.terms[..t.terms.len().min(32)]);
        let mut masks = vec![0u32; self.pages.len()];
        for (bit, term) in facet_terms.iter().enumerate() {
            for &p in &term.pages {
                if let Some(m) = masks.get_mut(p) {
                    *m |= 1 << bit;
                }
            }
        }
        let prefixes: Vec<String> = sections
            .iter()
            .map(|(_, f)| format!("/{}/", f.slug))
            .collect();
        let docs = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| search::Doc {
                url: std::borrow::Cow::Borrowed(&p.url),
                title: std::borrow::Cow::Borrowed(&p.meta.title),
                description: std::borrow::Cow::Borrowed(
                    p.meta.description.as_deref().unwrap_or_default(),
                ),
                rendered: Arc::clone(&p.rendered),
                section: sections.iter().zip(&prefixes).position(|((s, _), prefix)| {
                    *s == i || p.ancestors.contains(s) || p.url.starts_with(prefix.as_str())
                }),
                regions: masks[i],
            })
            .collect();
        let glossary_url = self.glossary_page().map(|g| self.pages[g].url.clone());
        search::Input {
            docs,
            sections: sections.into_iter().map(|(_, f)| f).collect(),
            regions: facet_terms
                .iter()
                .map(|t| search::Facet {
                    slug: t.slug.clone(),
                    title: t.title.clone(),
                })
                .collect(),
            glossary: Arc::clone(&self.glossary),
            glossary_url,
        }
    }
}
