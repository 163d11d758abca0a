//! `pestle build`: the whole pipeline from `content/` to a complete output
//! folder, or a list of every problem found and the old output untouched.

use crate::diagnostics::{Diagnostic, Diagnostics, Fatal, Severity};
use crate::fs;
use crate::output::{self, Staging};
use crate::site::{self, emit::Emitted, emit::emit};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `pestle build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding site.yaml.
    pub root: PathBuf,
    /// Where to write; relative paths are from `root`. Default `output`.
    pub output: Option<PathBuf>,
    /// Overrides site.yaml's base_url.
    pub base_url: Option<String>,
    /// Includes pages marked `draft: true`.
    pub drafts: bool,
    /// Makes internal links end in `index.html`.
    pub file_urls: bool,
}

impl BuildOptions {
    /// Options for building the site at `root` with the defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            file_urls: false,
        }
    }
}

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
    let started = Instant::now();
    let root = &opts.root;
    let mut report = BuildReport::default();
    let output_rel = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("output"));
    let output_path = if output_rel.is_absolute() {
        output_rel.clone()
    } else {
        root.join(&output_rel)
    };
    report.output = output_rel;
    let output_abs = output::check_output_dir(root, &output_path)?;
    let mut cache = site::Cache {
        defer_search: true,
        ..site::Cache::default()
    };
    let (site, mut diags) = site::assemble_cached(opts, &mut cache)?;
    let Some(site) = site else {
        return Ok(finish(report, diags, started));
    };
    (report.pages, report.sections, report.listings) = site.counts();
    let model = site.model();
    let Some(templates) = &site.templates else {
        return Ok(finish(report, diags, started));
    };
    let t = Instant::now();
    let staging = Staging::new(&output_abs)?;
    let failures = std::sync::Mutex::new(Vec::new());
    let jobs: Vec<(&String, &site::Origin)> = site.outputs.iter().collect();
    staging.make_folders(site.outputs.keys().map(String::as_str))?;
    let write_pages = || -> Result<(), Fatal> {
        let results: Vec<Result<(), Fatal>> = jobs
            .par_iter()
            .map(
                |(path, origin)| match emit(&model, templates, path, origin) {
                    Ok(Emitted::Text(text)) => staging.write_in_place(path, text.as_bytes()),
                    Ok(Emitted::Bytes(bytes)) => staging.write_in_place(path, bytes),
                    Ok(Emitted::Copy(from)) => fs::copy_regular(&from, &staging.dir().join(path)),
                    Ok(Emitted::Nothing) => Ok(()),
                    Err(d) => {
                        failures.lock().map(|mut f| f.push(d)).ok();
                        Ok(())
                    }
                },
            )
            .collect();
        results.into_iter().collect()
    };
    // The search index is built while the pages are rendered and written.
    let write_search = || -> Result<(), Fatal> {
        if !site.search_pending {
            return Ok(());
        }
        let t = Instant::now();
        let files = site.search_files();
        crate::diagnostics::timing("search index", t);
        for path in files.keys() {
            if site.outputs.contains_key(path) {
                let d = Diagnostic::error(
                    "url-conflict",
                    PathBuf::from("content").join(path),
                    crate::diagnostics::Position::File,
                    format!("this would write output/{path}, which the search index writes"),
                )
                .with_hint("move the file out of search/");
                failures.lock().map(|mut f| f.push(d)).ok();
            }
        }
        staging.make_folders(files.keys().map(String::as_str))?;
        files
            .par_iter()
            .map(|(path, text)| staging.write_in_place(path, text.as_bytes()))
            .collect()
    };
    let (pages, search) = rayon::join(write_pages, write_search);
    pages?;
    search?;
    crate::diagnostics::timing("render and write", t);
    diags.extend(failures.into_inner().unwrap_or_default());
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Ok(finish(report, diags, started));
    }
    let t = Instant::now();
    if let Some(note) = staging.commit()? {
        diags.push(Diagnostic::warning(
            "old-output-left",
            &report.output,
            crate::diagnostics::Position::File,
            note,
        ));
    }
    crate::diagnostics::timing("replace the output folder", t);
    Ok(finish(report, diags, started))
}

fn finish(mut report: BuildReport, diags: Vec<Diagnostic>, started: Instant) -> BuildReport {
    report.diagnostics.extend(diags);
    report.diagnostics.sort();
    report.elapsed = started.elapsed();
    report
}
