//! `pestle check`: everything `build` validates, plus content governance
//! and the links in every rendered page, without writing any output.

use crate::check::{self, HtmlFile, html};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Fatal, Format, Printer, Severity};
use crate::output::{self, Sink};
use crate::pipeline::{self, BuildOptions, Prepared};
use crate::render::Origin;
use crate::site::{Cache, Changed};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What `pestle check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The folder holding site.yaml.
    pub root: PathBuf,
    /// Treats every warning as an error.
    pub strict: bool,
    /// Also checks links to other sites.
    pub external: bool,
    /// Lets the external check visit loopback and private addresses.
    pub allow_private: bool,
    /// The date reviews are due against and banners are shown for
    /// (default: `PESTLE_TODAY`, `SOURCE_DATE_EPOCH` or today).
    pub today: Option<Date>,
}

impl CheckOptions {
    /// Options for checking the site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        CheckOptions {
            root: root.into(),
            strict: false,
            external: false,
            allow_private: false,
            today: None,
        }
    }
}

/// Every finding, sorted, with `--strict` applied.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// The findings.
    pub diagnostics: Diagnostics,
    /// How many pages were checked.
    pub pages: usize,
    /// How many of them had front matter too broken for every check to run.
    pub incomplete: usize,
}

/// Keeps what links and ids each rendered HTML file holds.
struct Scanner {
    files: Mutex<Vec<HtmlFile>>,
}

impl Sink for Scanner {
    fn prepare(&self, _: &[&str]) -> Result<(), Fatal> {
        Ok(())
    }

    fn bytes(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        if path.ends_with(".html") {
            let scan = html::scan(&String::from_utf8_lossy(bytes));
            if let Ok(mut files) = self.files.lock() {
                files.push(HtmlFile {
                    path: path.to_string(),
                    scan,
                });
            }
        }
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Fatal> {
        if path.ends_with(".html") {
            if let Ok(bytes) = crate::fs::read_regular(from) {
                return self.bytes(path, &bytes);
            }
        }
        Ok(())
    }
}

/// Runs the checks. Only environment failures are `Err`.
pub fn check(opts: &CheckOptions) -> Result<CheckReport, Fatal> {
    let build_opts = BuildOptions {
        date: opts.today,
        ..BuildOptions::new(&opts.root)
    };
    let (prepared, mut diags) =
        pipeline::prepare(&build_opts, &mut Cache::default(), Changed::All)?;
    let mut report = CheckReport::default();
    if let Some(p) = &prepared {
        report.pages = p.site.pages.len();
        let mut found = check::governance(&p.site, p.site.config.build_date);
        p.sources.locate(&mut found);
        // Links in rendered pages are checked only when the site builds:
        // with errors, pages are missing and every link to them would fail.
        if !diags.iter().any(|d| d.severity == Severity::Error) {
            found.extend(rendered_links(p, opts, &mut diags)?);
        }
        diags.extend(check::silence(&p.site, found));
    }
    if opts.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    report.incomplete = incomplete_pages(&diags);
    report.diagnostics.extend(diags);
    report.diagnostics.sort();
    Ok(report)
}

/// Pages with errors in reading them or in their front matter, which leave
/// some checks undone.
fn incomplete_pages(diags: &[Diagnostic]) -> usize {
    const READING: &[&str] = &[
        "bad-yaml",
        "bad-type",
        "bad-front-matter",
        "missing-title",
        "unknown-key",
        "bad-date",
        "not-utf8",
        "unreadable",
        "outside-site",
        "not-a-file",
        "file-too-large",
    ];
    let pages: std::collections::BTreeSet<&Path> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error && READING.contains(&d.code))
        .filter(|d| d.path.starts_with("content") && d.path.extension().is_some_and(|e| e == "md"))
        .map(|d| d.path.as_path())
        .collect();
    pages.len()
}

/// Renders every HTML file in memory and checks its links (and, with
/// `--external`, the links to other sites).
fn rendered_links(
    p: &Prepared,
    opts: &CheckOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Diagnostic>, Fatal> {
    let files: Vec<(&str, &Origin)> = p
        .plan
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(k, o)| (k.as_str(), o))
        .collect();
    let scanner = Scanner {
        files: Mutex::new(Vec::new()),
    };
    let failed = output::write(&p.model(), &p.templates, &files, &scanner)?;
    diags.extend(failed.into_iter().map(|f| f.diagnostic));
    let mut scanned = scanner.files.into_inner().unwrap_or_default();
    scanned.sort_by(|a, b| a.path.cmp(&b.path));
    let (mut found, external) = check::output_links(p, &scanned);
    if opts.external {
        found.extend(check::external::check(
            &opts.root,
            &external,
            &p.site.config.check,
            opts.allow_private,
        ));
    }
    Ok(found)
}

/// Prints the findings in `format` on stdout; the status says whether any
/// is an error.
pub(crate) fn print(report: &CheckReport, format: Format, color: bool) -> super::Status {
    use super::build::count;
    use std::io::Write;
    let items = report.diagnostics.items();
    let errors = report.diagnostics.error_count();
    let warnings = report.diagnostics.warning_count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let printer = Printer::new(color && format == Format::Human);
    let totals = format!(
        "{}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    );
    match format {
        Format::Human => {
            for d in items {
                let _ = writeln!(out, "{}", printer.format(d));
            }
            let partly = if report.incomplete > 0 {
                format!(
                    " ({} could not be checked fully until {} front matter is fixed)",
                    count(report.incomplete, "page", "pages"),
                    if report.incomplete == 1 {
                        "its"
                    } else {
                        "their"
                    }
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "check: {totals} in {}{partly}",
                count(report.pages, "page", "pages")
            );
        }
        Format::Json => {
            let _ = writeln!(out, "{}", printer.json(items));
        }
        Format::Github => {
            for d in items {
                let _ = writeln!(out, "{}", printer.github(d));
            }
            let _ = writeln!(out, "check: {totals}");
        }
    }
    if errors > 0 {
        super::Status::ContentErrors
    } else {
        super::Status::Success
    }
}
