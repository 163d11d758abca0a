//! `pestle build`: the whole pipeline from `content/` to a complete output
//! folder, or a list of every problem found and the old output untouched.

use crate::diagnostics::{Diagnostic, Diagnostics, Fatal, Position, Printer, Severity};
use crate::output::{self, Staging};
use crate::pipeline::{self, Prepared};
use crate::render::Origin;
use crate::site::{Cache, Changed};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use crate::pipeline::BuildOptions;

/// The result of a build that ran to the end (with or without errors).
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem found, sorted.
    pub diagnostics: Diagnostics,
    /// Regular pages written.
    pub pages: usize,
    /// Sections written, the home page included.
    pub sections: usize,
    /// Taxonomy and term pages written.
    pub listings: usize,
    /// Where the site went (only meaningful when there were no errors).
    pub output: PathBuf,
    /// How long it took.
    pub elapsed: Duration,
}

/// Builds the site. Content problems come back in the report; only
/// environment failures (unreadable folders, refused output) are `Err`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Fatal> {
    build_with(opts, Cache::one_off().map_err(Fatal::new)?)
}

/// Builds the site with `cache`: [`Cache::one_off`] moves each page out of
/// memory once its Markdown is done; an empty cache keeps every page.
fn build_with(opts: &BuildOptions, mut cache: Cache) -> Result<BuildReport, Fatal> {
    let started = Instant::now();
    let output_rel = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("output"));
    let output_path = if output_rel.is_absolute() {
        output_rel.clone()
    } else {
        opts.root.join(&output_rel)
    };
    let output_abs = output::check_output_dir(&opts.root, &output_path)?;
    let mut report = BuildReport {
        output: output_rel,
        ..BuildReport::default()
    };
    let (prepared, diags) = pipeline::prepare(opts, &mut cache, Changed::All)?;
    let mut diags = diags;
    if let Some(p) = &prepared {
        (report.pages, report.sections, report.listings) = p.site.counts();
    }
    match prepared {
        Some(mut p) if !has_errors(&diags) => {
            p.forget_checks();
            let written = write(&p, &output_abs, &mut diags);
            // The site is let go of on another thread: freeing a big site
            // takes a tenth of a second that the summary need not wait for
            // (the process may end first, which frees it all at once).
            std::thread::spawn(move || drop(p));
            if let Some(note) = written? {
                diags.push(Diagnostic::warning(
                    "old-output-left",
                    &report.output,
                    Position::File,
                    note,
                ));
            }
        }
        _ => {}
    }
    report.diagnostics.extend(diags);
    report.diagnostics.sort();
    report.elapsed = started.elapsed();
    Ok(report)
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Writes the plan and the search index to a staging folder, in parallel,
/// and swaps it in when nothing failed. Returns the staging folder's note
/// when the old output could not be removed.
fn write(
    p: &Prepared,
    output: &std::path::Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<String>, Fatal> {
    let t = Instant::now();
    let staging = Staging::new(output)?;
    let model = p.model();
    let files: Vec<(&str, &Origin)> = p.plan.files.iter().map(|(k, o)| (k.as_str(), o)).collect();
    // The search index is built while the pages are rendered and written,
    // before the print pages: their working sets, the biggest of a build,
    // never meet.
    let write_search = || -> Result<(), Fatal> {
        if !p.plan.search {
            return Ok(());
        }
        let t = Instant::now();
        crate::search::write_all(
            &p.site.search_input(),
            &SearchOut(&staging),
            p.spill.clone(),
        )?;
        crate::diagnostics::timing("search index", t);
        Ok(())
    };
    let failed = output::write_with(&model, &p.templates, &files, &staging, write_search)?;
    diags.extend(failed.into_iter().map(|f| f.diagnostic));
    crate::diagnostics::timing("render and write", t);
    if has_errors(diags) {
        return Ok(None);
    }
    if let Some(why) = p.spill_failure() {
        return Err(Fatal::new(format!(
            "{why}; the output folder was left as it was"
        )));
    }
    let t = Instant::now();
    let note = staging.commit()?;
    crate::diagnostics::timing("replace the output folder", t);
    Ok(note)
}

/// The staging folder, as the search index's writer sees it.
struct SearchOut<'a>(&'a Staging);

impl crate::search::Out for SearchOut<'_> {
    fn folders(&self, paths: &[&str]) -> Result<(), Fatal> {
        self.0.make_folders(paths.iter().copied())
    }
    fn file(&self, path: &str, text: &str) -> Result<(), Fatal> {
        self.0.write_in_place(path, text.as_bytes())
    }
}

/// "1 page", "2 pages".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints a build's findings on stderr and its summary on stdout; the
/// status says whether it failed.
pub(crate) fn print(report: &BuildReport, color: bool) -> super::Status {
    use std::io::Write;
    let printer = Printer::new(color);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let _ = printer.print_all(report.diagnostics.items(), &mut err);
    let errors = report.diagnostics.error_count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "error: the build found {}; {} was left as it was",
            count(errors, "error", "errors"),
            report.output.display()
        );
        return super::Status::ContentErrors;
    }
    println!(
        "Built {}, {} and {} into {} in {:.2} s",
        count(report.pages, "page", "pages"),
        count(report.sections, "section", "sections"),
        count(report.listings, "listing page", "listing pages"),
        report.output.display(),
        report.elapsed.as_secs_f64()
    );
    super::Status::Success
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    fn files_under(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                (rel, std::fs::read(e.path()).unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn a_build_that_moves_pages_out_of_memory_writes_what_one_keeping_them_writes() {
        let out = tempfile::tempdir().expect("temp dir");
        let site = Path::new(env!("CARGO_MANIFEST_DIR"));
        let build_into = |name: &str, cache: Cache| {
            let mut opts = BuildOptions::new(site);
            opts.output = Some(out.path().join(name));
            opts.date = Some(crate::date::Date::parse("2026-12-02").expect("date"));
            let report = build_with(&opts, cache).expect("build ran");
            assert_eq!(
                report.diagnostics.error_count(),
                0,
                "{:?}",
                report.diagnostics
            );
            files_under(&out.path().join(name))
        };
        let kept = build_into("kept", Cache::default());
        assert!(kept.len() > 100, "only {} files", kept.len());
        // Every page moved out, some, and none (the budget holds them all).
        for (name, budget) in [("spilled", 0), ("some", 64 * 1024), ("held", usize::MAX)] {
            let cache = Cache::one_off_within(budget);
            assert!(cache.spill.is_some(), "this system gives no temporary file");
            let built = build_into(name, cache);
            assert_eq!(
                built.keys().collect::<Vec<_>>(),
                kept.keys().collect::<Vec<_>>(),
                "{name}"
            );
            for (path, bytes) in &kept {
                assert!(built[path] == *bytes, "{name}: {} differs", path.display());
            }
        }
    }
}
