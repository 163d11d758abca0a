//! Printing diagnostics: for people, one layout everywhere (build, check and
//! serve), like a compiler's:
//!
//! ```text
//! content/a.md:3:9: error: `Nrth` is not one of the site's region terms [unknown-term]
//!   |
//! 3 | region: [london, Nrth]
//!   |         ^
//!   help: did you mean `north`?
//! ```
//!
//! and for machines, one JSON document or GitHub workflow commands.

use super::{Diagnostic, Position, Severity};
use std::io::Write;

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

/// A path as messages show it: `/`-separated (a `\\` in a name on Unix is
/// part of the name, and shown).
fn shown_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// Prints diagnostics whose positions are already located (see
/// [`super::Sources`]): it never reads a file.
pub struct Printer {
    color: bool,
}

/// The source line as shown under a message: tabs as four spaces, control
/// characters escaped; and the caret's column in that text.
fn shown_line(line: &str, col: usize) -> (String, usize) {
    let mut text = String::with_capacity(line.len());
    let mut caret = 0;
    for (i, c) in line.chars().enumerate() {
        if i + 1 == col {
            caret = text.chars().count();
        }
        if c == '\t' {
            text.push_str("    ");
        } else {
            text.push_str(&terminal_safe(&c.to_string()));
        }
    }
    if col > line.chars().count() {
        caret = text.chars().count();
    }
    (text, caret)
}

impl Printer {
    /// A printer, with colour or without.
    pub fn new(color: bool) -> Self {
        Printer { color }
    }

    /// The `line:col` of a diagnostic, if it has one.
    pub fn line_col(&self, d: &Diagnostic) -> Option<(usize, usize)> {
        match d.position {
            Position::LineCol(l, c) => Some((l, c)),
            Position::File | Position::Offset(_) => None,
        }
    }

    /// `path:line:col` (or just the path).
    pub fn place(&self, d: &Diagnostic) -> String {
        let path = shown_path(&d.path);
        let path = terminal_safe(&path);
        match self.line_col(d) {
            Some((l, c)) => format!("{path}:{l}:{c}"),
            None => path.to_string(),
        }
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// One diagnostic, as every command shows it to people.
    pub fn format(&self, d: &Diagnostic) -> String {
        let label = match d.severity {
            Severity::Error => self.paint("error", "1;31"),
            Severity::Warning => self.paint("warning", "1;33"),
        };
        let message = terminal_safe(&d.message);
        let mut out = format!("{}: {label}: {message} [{}]", self.place(d), d.code);
        if let (Some(line), Some((l, c))) = (&d.source_line, self.line_col(d)) {
            let number = l.to_string();
            let pad = " ".repeat(number.len());
            let bar = self.paint("|", "1;34");
            let (text, caret) = shown_line(line, c);
            let mark = self.paint("^", "1;31");
            out.push_str(&format!(
                "\n{pad} {bar}\n{number} {bar} {text}\n{pad} {bar} {}{mark}",
                " ".repeat(caret)
            ));
        }
        if let Some(hint) = &d.hint {
            out.push_str("\n  help: ");
            out.push_str(&terminal_safe(hint));
        }
        out
    }

    /// Writes every diagnostic to `out`, one block each.
    pub fn print_all(&self, ds: &[Diagnostic], out: &mut dyn Write) -> std::io::Result<()> {
        for d in ds {
            writeln!(out, "{}", self.format(d))?;
        }
        Ok(())
    }
}

/// How `pestle check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: the compiler-like layout, with hints and source lines.
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
    pub fn json(&self, ds: &[Diagnostic]) -> String {
        let findings: Vec<serde_json::Value> = ds
            .iter()
            .map(|d| {
                let (line, column) = self
                    .line_col(d)
                    .map_or((None, None), |(l, c)| (Some(l), Some(c)));
                serde_json::json!({
                    "severity": d.severity.label(),
                    "code": d.code,
                    "path": shown_path(&d.path),
                    "line": line,
                    "column": column,
                    "message": d.message,
                    "hint": d.hint,
                    "source": d.source_line,
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
    pub fn github(&self, d: &Diagnostic) -> String {
        let mut props = vec![format!(
            "file={}",
            gh_prop(&terminal_safe(&shown_path(&d.path)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_source_line_with_a_caret_under_the_column() {
        let mut d = Diagnostic::error(
            "unknown-term",
            "content/a.md",
            Position::LineCol(3, 18),
            "`Nrth` is not a region",
        )
        .with_hint("did you mean `north`?");
        d.source_line = Some("region: [london, Nrth]".into());
        assert_eq!(
            Printer::new(false).format(&d),
            "content/a.md:3:18: error: `Nrth` is not a region [unknown-term]\n  |\n3 | region: [london, Nrth]\n  |                  ^\n  help: did you mean `north`?"
        );
        d.source_line = Some("\ttags: x".into());
        d.position = Position::LineCol(12, 2);
        let text = Printer::new(false).format(&d);
        assert!(text.contains("\n12 |     tags: x\n   |     ^\n"), "{text}");
    }
}
