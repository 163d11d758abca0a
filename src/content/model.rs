//! The page model shared by every later phase.

use super::Meta;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `content/_index.md`.
    Home,
    /// A folder's `_index.md`.
    Section,
    /// Any other `.md` file, including a bundle's `index.md`.
    Page,
}

impl Kind {
    /// The name templates see as `page.kind`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Section => "section",
            Kind::Page => "page",
        }
    }
}

/// One page or section, placed in the tree.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// The file, relative to the site root (`content/eps/a.md`), for messages.
    pub(crate) file: PathBuf,
    /// The file relative to `content/`, with `/` separators.
    pub(crate) source: String,
    pub(crate) kind: Kind,
    /// For a bundle's `index.md`: the bundle folder relative to `content/`.
    pub(crate) bundle_dir: Option<String>,
    /// The site path, like `/eps/nominations/`.
    pub(crate) url: String,
    pub(crate) meta: Arc<Meta>,
    /// The file's text; the Markdown body starts at `body_offset`. Kept so
    /// later phases can show the source line of a problem; empty when a
    /// one-off build let go of it (`let_go`).
    pub(crate) text: Arc<str>,
    /// Where a one-off build that let go of the text reads the file again
    /// when it is needed ([`Page::text`]).
    pub(crate) let_go: Option<Box<std::path::Path>>,
    /// A hash of `text`.
    pub(crate) text_hash: u64,
    pub(crate) body_offset: usize,
    /// The section this page is listed in.
    pub(crate) parent: Option<usize>,
    /// Sections from the home page down to the parent.
    pub(crate) ancestors: Vec<usize>,
    /// For sections: their pages, in order.
    pub(crate) pages: Vec<usize>,
    /// For sections: their subsections, in order.
    pub(crate) subsections: Vec<usize>,
    /// The neighbours within the parent section's pages.
    pub(crate) prev: Option<usize>,
    pub(crate) next: Option<usize>,
}

impl AsRef<Page> for Page {
    fn as_ref(&self) -> &Page {
        self
    }
}

impl AsMut<Page> for Page {
    fn as_mut(&mut self) -> &mut Page {
        self
    }
}

impl Page {
    /// A page for a parsed file, not yet placed in the tree.
    pub(crate) fn new(p: super::tree::Parsed, kind: Kind, bundle_dir: Option<String>) -> Page {
        Page {
            file: PathBuf::from("content").join(&p.source),
            source: p.source,
            kind,
            bundle_dir,
            url: String::new(),
            meta: p.meta,
            text: p.text,
            let_go: p.let_go,
            text_hash: p.hash,
            body_offset: p.body_offset,
            parent: None,
            ancestors: vec![],
            pages: vec![],
            subsections: vec![],
            prev: None,
            next: None,
        }
    }

    /// The page's text: its own, or its file read again when a one-off
    /// build let go of it. `None` when the file cannot be read, or is no
    /// longer what was built.
    pub(crate) fn text(&self) -> Option<Cow<'_, str>> {
        let Some(real) = &self.let_go else {
            return Some(Cow::Borrowed(&self.text));
        };
        let bytes = crate::fs::read_regular(real).ok()?;
        let text = super::lone_cr_to_lf(String::from_utf8(bytes).ok()?);
        (crate::hash::hash_of(&text) == self.text_hash).then_some(Cow::Owned(text))
    }

    /// The page's Markdown, after its front matter.
    pub(crate) fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or("")
    }

    /// True for the home page and sections.
    pub(crate) fn is_section(&self) -> bool {
        self.kind != Kind::Page
    }

    /// The folder (relative to `content/`) that relative links start from.
    pub(crate) fn source_dir(&self) -> &str {
        self.source.rfind('/').map_or("", |i| &self.source[..i])
    }
}
