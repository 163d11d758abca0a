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
    let (site, mut diags) = site::assemble(opts)?;
    let Some(site) = site else {
        return Ok(finish(report, diags, started));
    };
    (report.pages, report.sections, report.listings) = site.counts();
    let model = site.model();
    let Some(templates) = &site.templates else {
        return Ok(finish(report, diags, started));
    };
    let staging = Staging::new(&output_abs)?;
    let failures = std::sync::Mutex::new(Vec::new());
    let jobs: Vec<(&String, &site::Origin)> = site.outputs.iter().collect();
    let results: Vec<Result<(), Fatal>> = jobs
        .par_iter()
        .map(
            |(path, origin)| match emit(&model, templates, path, origin) {
                Ok(Emitted::Text(text)) => staging.write(path, text.as_bytes()),
                Ok(Emitted::Bytes(bytes)) => staging.write(path, bytes),
                Ok(Emitted::Copy(from)) => fs::copy(&from, &staging.dir().join(path)),
                Ok(Emitted::Nothing) => Ok(()),
                Err(d) => {
                    failures.lock().map(|mut f| f.push(d)).ok();
                    Ok(())
                }
            },
        )
        .collect();
    for r in results {
        r?;
    }
    diags.extend(failures.into_inner().unwrap_or_default());
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Ok(finish(report, diags, started));
    }
    staging.commit()?;
    Ok(finish(report, diags, started))
}

fn finish(mut report: BuildReport, diags: Vec<Diagnostic>, started: Instant) -> BuildReport {
    report.diagnostics.extend(diags);
    report.diagnostics.sort();
    report.elapsed = started.elapsed();
    report
}
