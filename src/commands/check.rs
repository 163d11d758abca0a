//! `pestle check`: everything `build` validates, plus content governance
//! and the links in every rendered page, without writing any output.

use crate::check::{self, HtmlFile, html};
use crate::commands::build::BuildOptions;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Fatal, Severity};
use crate::site::{self, emit::Emitted, emit::emit};
use rayon::prelude::*;
use std::path::PathBuf;

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
    /// The date reviews are due against (default: today, or `PESTLE_TODAY`).
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
}

/// Runs the checks. Only environment failures are `Err`.
pub fn check(opts: &CheckOptions) -> Result<CheckReport, Fatal> {
    let build_opts = BuildOptions::new(&opts.root);
    let (site, mut diags) = site::assemble(&build_opts)?;
    let mut report = CheckReport::default();
    if let Some(site) = site {
        report.pages = site.tree.pages.len();
        let today = opts
            .today
            .or_else(|| {
                std::env::var("PESTLE_TODAY")
                    .ok()
                    .and_then(|d| Date::parse(&d).ok())
            })
            .unwrap_or_else(Date::today);
        let mut found = check::governance(&site, today);
        if let Some(templates) = &site.templates {
            let model = site.model();
            let rendered: Vec<Result<Option<HtmlFile>, Diagnostic>> = site
                .outputs
                .par_iter()
                .filter(|(path, _)| path.ends_with(".html"))
                .map(
                    |(path, origin)| match emit(&model, templates, path, origin)? {
                        Emitted::Text(text) => Ok(Some(HtmlFile {
                            path: path.clone(),
                            scan: html::scan(&text),
                        })),
                        Emitted::Copy(from) => {
                            Ok(crate::fs::read_regular(&from).ok().map(|bytes| HtmlFile {
                                path: path.clone(),
                                scan: html::scan(&String::from_utf8_lossy(&bytes)),
                            }))
                        }
                        Emitted::Bytes(b) => Ok(Some(HtmlFile {
                            path: path.clone(),
                            scan: html::scan(&String::from_utf8_lossy(b)),
                        })),
                        Emitted::Nothing => Ok(None),
                    },
                )
                .collect();
            let mut files = Vec::new();
            for r in rendered {
                match r {
                    Ok(Some(f)) => files.push(f),
                    Ok(None) => {}
                    Err(d) => diags.push(d),
                }
            }
            let (links, external) = check::output_links(&site, &files);
            found.extend(links);
            if opts.external {
                found.extend(check::external::check(
                    &opts.root,
                    &external,
                    &site.config.check,
                    opts.allow_private,
                ));
            }
        }
        diags.extend(check::silence(&site, found));
    }
    if opts.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    report.diagnostics.extend(diags);
    report.diagnostics.sort();
    Ok(report)
}
