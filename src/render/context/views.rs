//! The view types a template sees, field by field as README.md's
//! "Template context" documents them, borrowed from the site.

use crate::markdown::TocEntry;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) base_url: &'a str,
    pub(super) language: &'a str,
    pub(super) edit_url: Option<&'a str>,
    pub(super) file_urls: bool,
    pub(super) extra: &'a Value,
    /// The glossary page's URL, when the site has one.
    pub(super) glossary_url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct TermLink {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) content: Cow<'a, str>,
    pub(super) url: String,
    pub(super) path: String,
    pub(super) permalink: String,
    pub(super) source: &'a str,
    pub(super) file: String,
    pub(super) date: Option<String>,
    pub(super) updated: Option<String>,
    pub(super) reviewed: Option<String>,
    pub(super) review_due: Option<String>,
    pub(super) owner: Option<&'a str>,
    pub(super) weight: Option<i64>,
    pub(super) draft: bool,
    pub(super) words: usize,
    pub(super) reading_minutes: usize,
    pub(super) tags: Vec<TermLink>,
    pub(super) regions: Vec<TermLink>,
    pub(super) extra: &'a Value,
    pub(super) toc: Cow<'a, [TocEntry]>,
    pub(super) headings: usize,
    pub(super) edit_url: Option<String>,
    /// The page's JSON-LD, safe to put in a `<script>` element as it is.
    pub(super) json_ld: Option<String>,
    /// The feedback links, when site.yaml has `feedback_url`.
    pub(super) feedback: Option<FeedbackView>,
    /// The print page of the guide (section) the page belongs to.
    pub(super) print_url: Option<String>,
}

/// "Is this page useful? Yes / No" and "Report a problem" addresses.
#[derive(Serialize)]
pub(super) struct FeedbackView {
    pub(super) yes: String,
    pub(super) no: String,
    pub(super) problem: String,
}

/// The banner shown on this build's date.
#[derive(Serialize)]
pub(super) struct BannerView {
    /// Its text as inline HTML, links relative to the page.
    pub(super) html: String,
    pub(super) from: String,
    pub(super) until: String,
}

/// A page as listings show it.
#[derive(Serialize)]
pub(super) struct Summary<'a> {
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) url: String,
    pub(super) path: &'a str,
    pub(super) last_updated: Option<String>,
    pub(super) date: Option<String>,
    pub(super) updated: Option<String>,
    pub(super) reviewed: Option<String>,
    pub(super) weight: Option<i64>,
    pub(super) draft: bool,
    pub(super) regions: &'a [String],
    pub(super) tags: &'a [String],
    pub(super) extra: &'a Value,
}

#[derive(Serialize)]
pub(super) struct Crumb<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct NavItem<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) kind: &'static str,
    pub(super) current: bool,
    pub(super) active: bool,
    pub(super) count: usize,
    pub(super) children: Vec<NavItem<'a>>,
}

#[derive(Serialize)]
pub(super) struct RelatedView<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) external: bool,
    pub(super) description: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct TaxonomyView<'a> {
    pub(super) name: &'a str,
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) url: String,
    pub(super) terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
pub(super) struct TermPageView<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) taxonomy: &'a str,
    pub(super) taxonomy_title: &'a str,
    pub(super) pages: Vec<Summary<'a>>,
    pub(super) groups: Vec<TermGroup<'a>>,
    pub(super) feed: Option<String>,
}

/// A term's pages from one section.
#[derive(Serialize)]
pub(super) struct TermGroup<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) pages: Vec<Summary<'a>>,
}

#[derive(Serialize)]
pub(super) struct FeedView {
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct PagerLink {
    pub(super) number: usize,
    pub(super) url: String,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct Paginator {
    pub(super) number: usize,
    pub(super) total: usize,
    pub(super) per_page: usize,
    pub(super) items: usize,
    pub(super) first: String,
    pub(super) last: String,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    pub(super) pages: Vec<PagerLink>,
}

/// A section's print page: the section and every page under it, or one
/// part of it.
#[derive(Serialize)]
pub(super) struct PrintView<'a> {
    /// The section's own page.
    pub(super) section_url: String,
    /// Its absolute address, for the printed copy to say where it is from.
    pub(super) section_permalink: String,
    /// The section first, then every page under it, in the tree's order;
    /// in a print page in parts, this part's.
    pub(super) chapters: Vec<PrintChapter<'a>>,
    /// Which part this is, from 1.
    pub(super) part: usize,
    /// Every part (one, for a section of up to 100 pages).
    pub(super) parts: Vec<PrintPartView<'a>>,
}

/// One part of a print page in parts.
#[derive(Serialize)]
pub(super) struct PrintPartView<'a> {
    pub(super) number: usize,
    pub(super) url: String,
    /// True for the part being rendered.
    pub(super) current: bool,
    /// The titles of its first and last chapters.
    pub(super) first: &'a str,
    pub(super) last: &'a str,
}

/// A chapter's HTML, moved into the print page only as the context is
/// serialised, so a print page's context holds each chapter's HTML once.
pub(super) enum ChapterHtml<'a> {
    /// Left out (a fingerprint, for which the pages' hashes stand).
    Left,
    /// Page `page`'s HTML moved by `mover` as chapter `id`, its headings
    /// `shift` levels down.
    Moved {
        page: &'a crate::site::SitePage,
        id: String,
        shift: u8,
        mover: std::sync::Arc<crate::render::chapter::Mover>,
    },
}

impl Serialize for ChapterHtml<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChapterHtml::Left => s.serialize_str(""),
            ChapterHtml::Moved {
                page,
                id,
                shift,
                mover,
            } => s.serialize_str(&mover.rehome(page, id, *shift)),
        }
    }
}

/// One page of a print page.
#[derive(Serialize)]
pub(super) struct PrintChapter<'a> {
    /// Its id in the print page (`p1`, `p2`, ...); its own ids start `p2-`.
    pub(super) id: String,
    /// The heading level of its title: 1 for the section printed, 2 for its
    /// pages and subsections, 3 for theirs.
    pub(super) level: u8,
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    /// The page itself, relative to the print page.
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) reviewed: Option<String>,
    pub(super) review_due: Option<String>,
    pub(super) updated: Option<String>,
    pub(super) owner: Option<&'a str>,
    pub(super) draft: bool,
    /// Its HTML, moved into the print page (ids prefixed, headings shifted,
    /// links retargeted).
    pub(super) content: ChapterHtml<'a>,
    pub(super) extra: &'a Value,
    /// Its section's `extra`, when that section is in the print page too.
    pub(super) parent_extra: &'a Value,
}
