//! Diagnostics: the error type for problems in the user's content, positions
//! kept as byte offsets until the texts they point into are at hand
//! ([`Sources`]), "did you mean" suggestions, and the printer that shows
//! each as `path:line:col: error: message [code]`, the source line with a
//! caret under the column, and a hint.
//!
//! A [`Diagnostic`] is data, not control flow: every phase collects them and
//! the command decides the exit code once, at the end.

mod position;
mod print;
mod sources;
mod suggest;

pub(crate) use position::LineIndex;
pub use print::{Format, Printer, terminal_safe};
pub use sources::Sources;
pub(crate) use suggest::did_you_mean;

use std::path::{Path, PathBuf};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Stops the build: exit code 1.
    Error,
    /// Reported but does not fail the build.
    Warning,
}

impl Severity {
    /// The word printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Position {
    /// The file as a whole.
    File,
    /// A byte offset into the file's text, turned into line:column when printed.
    Offset(usize),
    /// A 1-based line and column, for tools that report positions that way.
    LineCol(usize, usize),
}

/// One problem found in the user's site: what, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, kebab-case code such as `unknown-key` or `broken-link`.
    pub code: &'static str,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// Where in the file.
    pub position: Position,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The line the position points at, as the file had it when read.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at `position` in `path`.
    pub fn error(
        code: &'static str,
        path: impl Into<PathBuf>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            position,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A warning at `position` in `path`.
    pub fn warning(
        code: &'static str,
        path: impl Into<PathBuf>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, position, message)
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A collection of diagnostics, in the order they were found until sorted.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The diagnostics, in their current order.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by path, then position, then message, and drops exact repeats,
    /// so the printed list is stable whatever order the parallel phases ran in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.position, a.severity, &a.message)
                .cmp(&(&b.path, b.position, b.severity, &b.message))
        });
        self.items.dedup();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A failure of the environment rather than of the content: a file that
/// cannot be read or written, a folder that must not be used. Exit code 2.
#[derive(Debug)]
pub struct Fatal {
    /// What went wrong, naming the path.
    pub message: String,
}

impl Fatal {
    /// A fatal error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Fatal {
            message: message.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Fatal::new(format!("cannot {action} {}: {err}", path.display()))
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fatal {}

/// Prints how long a phase took, and the process's resident memory then
/// and at its highest so far, when `PESTLE_LOG=debug` is set.
pub(crate) fn timing(phase: &str, since: std::time::Instant) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var("PESTLE_LOG").is_ok_and(|v| v == "debug")) {
        let rss = match resident_mib() {
            Some((now, peak)) => format!(" (resident {now} MiB, peak {peak} MiB)"),
            None => String::new(),
        };
        eprintln!(
            "debug: {phase}: {:.1} ms{rss}",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// The process's resident memory in MiB, now and at its highest so far,
/// where the system tells (Linux).
fn resident_mib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line[key.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((kib("VmRSS:")? / 1024, kib("VmHWM:")? / 1024))
}
