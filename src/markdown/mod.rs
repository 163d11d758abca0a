//! Markdown to HTML, once per page: CommonMark with tables, footnotes,
//! strikethrough, task lists, heading attributes, smart punctuation and
//! GitHub-style alerts. While rendering it gives headings their ids, builds
//! the table of contents, rewrites links to `.md` files into relative URLs,
//! and reports links to missing pages or files at their byte offset.

mod headings;
mod inline;
pub(crate) mod spill;
mod walk;

pub(crate) use headings::TocEntry;
pub(crate) use inline::{InlinePart, render_inline};

use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::fs::spill::{Span, Spill};
use crate::glossary::Matcher;
use crate::links::LinkIndex;
use pulldown_cmark::{BlockQuoteKind, Options, Parser};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// A link to another page's `#fragment`, checked once every page has its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnchorRef {
    pub(crate) target: usize,
    pub(crate) fragment: String,
    /// Byte offset of the link in the source file.
    pub(crate) offset: usize,
}

/// What rendering one page's Markdown produces.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    /// A hash of `html`, so serve can tell what changed without comparing it.
    pub(crate) html_hash: u64,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) words: usize,
    /// The plain text of each heading's section, for search (the text
    /// before the first heading comes first, with an empty id).
    pub(crate) sections: Vec<TextSection>,
    /// What only checking the page needs (see [`Rendered::checks`]); a
    /// one-off build lets go of it once the site is checked.
    pub(crate) checks: Option<Box<Checks>>,
    /// Where `html`, `toc` and `sections` went when a build moved them
    /// out of memory ([`Rendered::spill_into`]); they are empty then.
    pub(crate) spilled: Option<Box<Spilled>>,
}

/// What checking a page's links and content needs of its render.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Checks {
    /// Every id on the page.
    pub(crate) ids: headings::Ids,
    /// Its links to `#fragments` of pages.
    pub(crate) anchors: Vec<AnchorRef>,
    /// Each heading's level and byte offset in the file, in order.
    pub(crate) headings: Vec<(u8, usize)>,
    /// Byte offsets of images written without alt text.
    pub(crate) images_without_alt: Vec<usize>,
}

/// A page's HTML, table of contents and sections in the build's temporary
/// file.
#[derive(Debug, Clone)]
pub(crate) struct Spilled {
    spill: Arc<Spill>,
    html: Span,
    toc: Span,
    sections: Span,
}

impl Rendered {
    /// What checking the page needs: its ids, `#fragment` links, headings
    /// and images without alt text (none once a build let go of them).
    pub(crate) fn checks(&self) -> &Checks {
        static NONE: std::sync::OnceLock<Checks> = std::sync::OnceLock::new();
        self.checks
            .as_deref()
            .unwrap_or_else(|| NONE.get_or_init(Checks::default))
    }

    /// The render with `checks`.
    pub(crate) fn with_checks(mut self, checks: Checks) -> Rendered {
        self.checks = Some(Box::new(checks));
        self
    }

    /// The page's HTML, read back when it was spilled.
    pub(crate) fn html(&self) -> Cow<'_, str> {
        match &self.spilled {
            Some(s) => Cow::Owned(s.spill.text(s.html)),
            None => Cow::Borrowed(&self.html),
        }
    }

    /// The page's table of contents, read back when it was spilled.
    pub(crate) fn toc(&self) -> Cow<'_, [TocEntry]> {
        match &self.spilled {
            Some(s) => Cow::Owned(spill::read_toc(&s.spill, s.toc)),
            None => Cow::Borrowed(&self.toc),
        }
    }

    /// The page's text sections, read back when they were spilled.
    pub(crate) fn sections(&self) -> Cow<'_, [TextSection]> {
        match &self.spilled {
            Some(s) => Cow::Owned(spill::read_sections(&s.spill, s.sections)),
            None => Cow::Borrowed(&self.sections),
        }
    }

    /// Moves the HTML, table of contents and sections into `spill`,
    /// keeping them when they cannot be written.
    pub(crate) fn spill_into(&mut self, spill: &Arc<Spill>) {
        if self.spilled.is_some() || spill.keep(self.body_bytes()) {
            return;
        }
        let toc = spill::encode_toc(&self.toc);
        let sections = spill::encode_sections(&self.sections);
        if let Some([html, toc, sections]) =
            spill.put_parts([self.html.as_bytes(), &toc, &sections])
        {
            self.spilled = Some(Box::new(Spilled {
                spill: Arc::clone(spill),
                html,
                toc,
                sections,
            }));
            self.html = String::new();
            self.toc = Vec::new();
            self.sections = Vec::new();
        }
    }

    /// About how much memory the page's HTML, table of contents and
    /// sections take.
    fn body_bytes(&self) -> usize {
        fn toc(entries: &[TocEntry]) -> usize {
            entries
                .iter()
                .map(|e| 80 + e.id.len() + e.title.len() + toc(&e.children))
                .sum()
        }
        let sections: usize = self
            .sections
            .iter()
            .map(|s| 80 + s.id.len() + s.heading.len() + s.text.len())
            .sum();
        self.html.len() + sections + toc(&self.toc)
    }

    /// Lets go of what only checking a page needs (its ids, `#anchor`
    /// links, heading and image positions), once a one-off build has
    /// checked them.
    pub(crate) fn forget_checks(&mut self) {
        self.checks = None;
    }

    /// Lets go of the heading and image positions, which only `pestle
    /// check` reports, keeping what links are checked with.
    pub(crate) fn forget_positions(&mut self) {
        if let Some(c) = &mut self.checks {
            c.headings = Vec::new();
            c.images_without_alt = Vec::new();
        }
    }
}

/// One heading's section as plain text: what search indexes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TextSection {
    /// The heading's id (empty for the text before the first heading).
    pub(crate) id: String,
    /// The heading's text.
    pub(crate) heading: String,
    /// 2 for `##`... (0 before the first heading).
    pub(crate) level: u8,
    /// The section's text without code blocks; blocks end with a newline.
    pub(crate) text: String,
}

/// The page being rendered and what its links can point at.
pub(crate) struct PageRef<'a> {
    pub(crate) index: usize,
    pub(crate) url: &'a str,
    pub(crate) source_dir: &'a str,
    pub(crate) file: &'a Path,
    /// Glossary terms to mark with `<abbr>` on first use, unless the page opts out.
    pub(crate) glossary: Option<&'a Matcher<'a>>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Renders `body` (which starts at byte `body_offset` of the page's file).
pub(crate) fn render(
    body: &str,
    body_offset: usize,
    page: &PageRef<'_>,
    index: &LinkIndex,
    file_urls: bool,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let mut w = walk::Walker::new(body, page, index, file_urls, diags);
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        w.event(event, body_offset + range.start);
    }
    w.finish(body.len())
}

/// Checks each `#fragment` link against the ids its target page has.
pub(crate) fn check_anchors(
    rendered: &[std::sync::Arc<Rendered>],
    files: &[&Path],
    sources: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    for (i, r) in rendered.iter().enumerate() {
        for a in &r.checks().anchors {
            let Some(target) = rendered.get(a.target) else {
                continue;
            };
            let ids = &target.checks().ids;
            if ids.contains(&a.fragment) {
                continue;
            }
            let known: Vec<&str> = ids.iter().collect();
            let whose = if a.target == i {
                "this page"
            } else {
                "that page"
            };
            let hint = match did_you_mean(&a.fragment, known.iter().copied()) {
                Some(s) => format!("did you mean the heading `#{s}`?"),
                None if known.is_empty() => format!("{whose} has no headings to link to"),
                None => format!("the headings on {whose} are: #{}", known.join(", #")),
            };
            let place = if a.target == i {
                "this page".to_string()
            } else {
                format!("content/{}", sources[a.target])
            };
            diags.push(
                Diagnostic::error(
                    "broken-anchor",
                    files[i],
                    Position::Offset(a.offset),
                    format!("{place} has no heading with the id `{}`", a.fragment),
                )
                .with_hint(hint),
            );
        }
    }
}
