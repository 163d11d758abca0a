//! The texts of the files diagnostics point into, kept from when they were
//! read, so a byte offset becomes line:column (and the line itself, shown
//! under the message) without reading the file again, which could have
//! changed since.

use super::{Diagnostic, LineIndex, Position};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// File (relative to the site root) → its text as read.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: HashMap<PathBuf, Arc<str>>,
}

impl Sources {
    /// Remembers the text of `path`.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: Arc<str>) {
        self.texts.insert(path.into(), text);
    }

    /// The text of `path`, if it was read.
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        self.texts.get(path)
    }

    /// Turns each diagnostic's byte offset into line:column and attaches
    /// the line it points at.
    pub fn locate(&self, diags: &mut [Diagnostic]) {
        for d in diags {
            locate_one(self.texts.get(&d.path).map(|t| &**t), d);
        }
    }
}

/// Locates `d` in `text` (the file it names), when there is one.
fn locate_one(text: Option<&str>, d: &mut Diagnostic) {
    let Some(text) = text else {
        return;
    };
    let (line, col) = match d.position {
        Position::File => return,
        Position::LineCol(l, c) => (l, c),
        Position::Offset(off) => LineIndex::new(text).line_col(off),
    };
    d.position = Position::LineCol(line, col);
    if d.source_line.is_none() {
        d.source_line = text
            .split('\n')
            .nth(line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
    }
}
