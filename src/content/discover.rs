//! Finds the site's Markdown pages and other files under `content/`, in a
//! stable order, leaving out hidden files and editors' temporary files.

use crate::diagnostics::{Diagnostic, Position};
use std::path::Path;
use walkdir::WalkDir;

/// What `content/` holds, as `/`-separated paths relative to it, sorted.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// Every `.md` file.
    pub(crate) pages: Vec<String>,
    /// Every other file (images, PDFs), copied next to its page.
    pub(crate) assets: Vec<String>,
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

/// Walks `content_dir`.
pub(crate) fn discover(content_dir: &Path, diags: &mut Vec<Diagnostic>) -> Discovered {
    let mut found = Discovered::default();
    if !content_dir.is_dir() {
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
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir).to_path_buf();
                diags.push(Diagnostic::error(
                    "unreadable",
                    path,
                    Position::File,
                    format!("cannot read this file or folder: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = match entry.path().strip_prefix(content_dir) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let Some(rel_str) = rel.to_str() else {
            diags.push(
                Diagnostic::error(
                    "bad-file-name",
                    Path::new("content").join(rel),
                    Position::File,
                    "this file name is not valid UTF-8",
                )
                .with_hint("rename the file using plain letters, digits and hyphens"),
            );
            continue;
        };
        let rel_str = rel_str.replace('\\', "/");
        if rel_str.ends_with(".md") {
            found.pages.push(rel_str);
        } else {
            found.assets.push(rel_str);
        }
    }
    found
}
