//! Human-readable printing of diagnostics, like a compiler's:
//! `content/a.md:3:1: error: message` and an indented hint.

use super::{Diagnostic, LineIndex, Position, Severity};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Text from the site made safe for a terminal or a CI log: control
/// characters (escape sequences, carriage returns, newlines that could start
/// a `::error` workflow command on a line of its own) and the Unicode
/// direction overrides that can make text read differently from what it
/// is are written as visible `\u{..}` escapes.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

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

    /// Formats one diagnostic as `build` prints it:
    /// `path:line:col: error: message [code]` and a `help:` line.
    pub fn format(&mut self, d: &Diagnostic) -> String {
        self.layout(d, false)
    }

    /// The same, as `pestle check` prints it: `error: path:line:col: message [code]`.
    pub fn format_check(&mut self, d: &Diagnostic) -> String {
        self.layout(d, true)
    }

    fn layout(&mut self, d: &Diagnostic, severity_first: bool) -> String {
        let path = d.path.display().to_string();
        let path = terminal_safe(&path);
        let place = match self.line_col(d) {
            Some((l, c)) => format!("{path}:{l}:{c}"),
            None => path.to_string(),
        };
        let (on, off) = match (self.color, d.severity) {
            (false, _) => ("", ""),
            (true, Severity::Error) => ("\x1b[1;31m", "\x1b[0m"),
            (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[0m"),
        };
        let label = format!("{on}{}{off}", d.severity.label());
        let message = terminal_safe(&d.message);
        let mut out = if severity_first {
            format!("{label}: {place}: {message} [{}]", d.code)
        } else {
            format!("{place}: {label}: {message} [{}]", d.code)
        };
        if let Some(hint) = &d.hint {
            out.push_str("\n  help: ");
            out.push_str(&terminal_safe(hint));
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

/// How `pestle check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: `warning: path:line:col: message [code]` and a hint.
    Human,
    /// One JSON object (see README.md, "pestle check").
    Json,
    /// GitHub Actions workflow commands, shown on the pull request's lines.
    Github,
}

/// Escapes a GitHub workflow command's data (`%`, CR, LF).
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a GitHub workflow command's property (also `:` and `,`).
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Printer {
    /// Every finding as one JSON document.
    pub fn json(&mut self, ds: &[Diagnostic]) -> String {
        let findings: Vec<serde_json::Value> = ds
            .iter()
            .map(|d| {
                let (line, column) = self
                    .line_col(d)
                    .map_or((None, None), |(l, c)| (Some(l), Some(c)));
                serde_json::json!({
                    "severity": d.severity.label(),
                    "code": d.code,
                    "path": d.path.to_string_lossy().replace('\\', "/"),
                    "line": line,
                    "column": column,
                    "message": d.message,
                    "hint": d.hint,
                })
            })
            .collect();
        let errors = ds.iter().filter(|d| d.severity == Severity::Error).count();
        let doc = serde_json::json!({
            "version": 1,
            "errors": errors,
            "warnings": ds.len() - errors,
            "findings": findings,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    /// One workflow command per finding.
    pub fn github(&mut self, d: &Diagnostic) -> String {
        let mut props = vec![format!(
            "file={}",
            gh_prop(&terminal_safe(&d.path.to_string_lossy()))
        )];
        if let Some((l, c)) = self.line_col(d) {
            props.push(format!("line={l}"));
            props.push(format!("col={c}"));
        }
        props.push(format!("title={}", gh_prop(d.code)));
        let mut msg = terminal_safe(&d.message).into_owned();
        if let Some(h) = &d.hint {
            msg.push('\n');
            msg.push_str(&terminal_safe(h));
        }
        format!(
            "::{} {}::{}",
            d.severity.label(),
            props.join(","),
            gh_data(&msg)
        )
    }
}
