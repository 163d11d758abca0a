//! Finds the site's Markdown pages and other files under `content/`, in a
//! stable order, leaving out hidden files and editors' temporary files.
//! Which files may be read at all is decided by [`crate::fs::SiteRoot`].

use crate::diagnostics::{Diagnostic, Position};
use crate::fs::{SiteRoot, SourceFile};
use std::path::Path;

/// What `content/` holds, as `/`-separated paths relative to it, sorted.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// Every `.md` file.
    pub(crate) pages: Vec<SourceFile>,
    /// Every other file (images, PDFs), copied next to its page.
    pub(crate) assets: Vec<SourceFile>,
}

/// True for names pestle never reads: hidden files and editors' temporary,
/// swap and backup files (`.x.md.swp`, `x.md~`, `#x.md#`, `4913`).
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Walks `content/` of the site at `root`.
pub(crate) fn discover(root: &SiteRoot, diags: &mut Vec<Diagnostic>) -> Discovered {
    let mut found = Discovered::default();
    let content = Path::new("content");
    if !root.exists(content) {
        diags.push(
            Diagnostic::error(
                "missing-content",
                "content",
                Position::File,
                "there is no content folder",
            )
            .with_hint("create content/_index.md for the home page"),
        );
        return found;
    }
    for file in root.walk(content, is_ignored_name, diags) {
        if file.rel.ends_with(".md") {
            found.pages.push(file);
        } else {
            found.assets.push(file);
        }
    }
    found
}
