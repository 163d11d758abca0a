//! Human-readable printing of diagnostics, like a compiler's:
//! `content/a.md:3:1: error: message` and an indented hint.

use super::{Diagnostic, LineIndex, Position, Severity};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prints diagnostics, resolving byte offsets to line:column by reading each
/// file once.
pub struct Printer {
    root: PathBuf,
    color: bool,
    texts: HashMap<PathBuf, Option<String>>,
}

impl Printer {
    /// A printer for diagnostics whose paths are relative to `root`.
    pub fn new(root: &Path, color: bool) -> Self {
        Printer {
            root: root.to_path_buf(),
            color,
            texts: HashMap::new(),
        }
    }

    /// The `line:col` of a diagnostic, if it has one.
    pub fn line_col(&mut self, d: &Diagnostic) -> Option<(usize, usize)> {
        match d.position {
            Position::File => None,
            Position::LineCol(l, c) => Some((l, c)),
            Position::Offset(off) => {
                let full = self.root.join(&d.path);
                let text = self
                    .texts
                    .entry(d.path.clone())
                    .or_insert_with(|| std::fs::read_to_string(&full).ok());
                Some(match text {
                    Some(t) => LineIndex::new(t).line_col(off),
                    None => (1, 1),
                })
            }
        }
    }

    /// Formats one diagnostic as text (no trailing newline).
    pub fn format(&mut self, d: &Diagnostic) -> String {
        let place = match self.line_col(d) {
            Some((l, c)) => format!("{}:{l}:{c}", d.path.display()),
            None => d.path.display().to_string(),
        };
        let (on, off) = match (self.color, d.severity) {
            (false, _) => ("", ""),
            (true, Severity::Error) => ("\x1b[1;31m", "\x1b[0m"),
            (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[0m"),
        };
        let mut out = format!(
            "{place}: {on}{}{off}: {} [{}]",
            d.severity.label(),
            d.message,
            d.code
        );
        if let Some(hint) = &d.hint {
            out.push_str("\n  help: ");
            out.push_str(hint);
        }
        out
    }

    /// Writes every diagnostic to `out`, one block each.
    pub fn print_all(&mut self, ds: &[Diagnostic], out: &mut dyn Write) -> std::io::Result<()> {
        for d in ds {
            writeln!(out, "{}", self.format(d))?;
        }
        Ok(())
    }
}
