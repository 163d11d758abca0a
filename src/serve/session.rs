//! The serve session: the last good site kept in memory, and rebuilds that
//! redo only what a change touched. A body-only edit of one page re-renders
//! that page's Markdown and template and nothing else; any other change
//! prepares the site again from cached parses and rendered Markdown, then
//! rewrites only the output files whose template context (or source file)
//! changed, compared by fingerprint. When unsure, it considers everything.
//! The search index follows in the background ([`super::search`]): a page
//! is never held up by it.

use super::patch;
use super::plan::{Affected, Change, affected};
use super::search::{OnWritten, Worker};
use crate::content::tree::Parsed;
use crate::diagnostics::{Diagnostic, Fatal, Severity};
use crate::fs;
use crate::markdown::Rendered;
use crate::output::{self, Sink};
use crate::pipeline::{self, BuildOptions, Prepared};
use crate::render::emit::fingerprint;
use crate::render::{Origin, SiteModel};
use crate::site::{self, Cache, Changed};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Output files written or removed, as `/`-separated paths.
    pub(crate) changed: Vec<String>,
    /// Problems found; when any is an error, nothing was written.
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) elapsed: Duration,
    /// True when the one-page fast path was taken.
    pub(crate) fast: bool,
    /// True when only the files the change could touch were considered.
    pub(crate) scoped: bool,
    /// True when a front-matter edit was patched into the site in memory.
    #[cfg_attr(not(test), allow(dead_code, reason = "read by the tests"))]
    pub(crate) patched: bool,
}

impl Outcome {
    /// True when the rebuild failed and the last good site is still served.
    pub(crate) fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Writes into serve's output folder, each file through a temporary name.
struct Folder<'a>(&'a Path);

impl Sink for Folder<'_> {
    fn prepare(&self, _: &[&str]) -> Result<(), Fatal> {
        Ok(())
    }

    fn bytes(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        fs::write_atomic(&self.0.join(path), bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Fatal> {
        fs::copy_atomic(from, &self.0.join(path))
    }
}

/// The state kept between rebuilds.
pub(crate) struct Session {
    opts: BuildOptions,
    out_dir: PathBuf,
    cache: Cache,
    current: Option<Prepared>,
    /// Output path → fingerprint of what is on disk (search files aside).
    prints: HashMap<String, u64>,
    /// Builds and writes the search index off the rebuild's path.
    search: Worker,
    /// Print pages a one-page rebuild left for [`Session::catch_up`]: a
    /// section's print page holds every page under it, so rendering it
    /// would hold up the page that was saved.
    later: Vec<String>,
}

impl Session {
    /// A session building the site in `opts` into `out_dir`; `on_search`
    /// is told the search files written each time the index catches up.
    pub(crate) fn new(opts: BuildOptions, out_dir: PathBuf, on_search: OnWritten) -> Self {
        let search = Worker::start(out_dir.clone(), on_search);
        Session {
            opts,
            out_dir,
            cache: Cache {
                keep: true,
                ..Cache::default()
            },
            current: None,
            prints: HashMap::new(),
            later: Vec::new(),
            search,
        }
    }

    /// What a batch of changed paths (relative to the site root) asks for.
    pub(crate) fn classify(&self, batch: HashSet<PathBuf>) -> Change {
        Change::of(batch, &self.opts.root, &self.cache, self.current.as_ref())
    }

    /// Rebuilds after `change`.
    pub(crate) fn rebuild(&mut self, change: &Change) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        let mut outcome = match change {
            Change::Nothing => Outcome::default(),
            Change::Files(set) if set.len() == 1 => {
                let quick = match set.iter().next() {
                    Some(path) => self.one_page(path)?,
                    None => None,
                };
                match quick {
                    Some(o) => o,
                    None => self.full(Changed::Only(set))?,
                }
            }
            Change::Files(set) => self.full(Changed::Only(set))?,
            Change::Everything => self.full(Changed::All)?,
        };
        outcome.elapsed = started.elapsed();
        Ok(outcome)
    }

    /// A change to one page the site has, when its file reads cleanly: a
    /// body edit goes the fast path, a front-matter edit that leaves the
    /// site's shape alone is patched in ([`patch::apply`]).
    fn one_page(&mut self, path: &Path) -> Result<Option<Outcome>, Fatal> {
        let Some(current) = self.current.as_ref() else {
            return Ok(None);
        };
        let Some(source) = path
            .strip_prefix("content")
            .ok()
            .and_then(Path::to_str)
            .map(str::to_string)
        else {
            return Ok(None);
        };
        let Some(&i) = current.site.tree.by_source.get(&source) else {
            return Ok(None);
        };
        // Read through the site's guard; anything odd goes the long way,
        // which reports it.
        let root = fs::SiteRoot::new(&self.opts.root)?;
        let Ok(Some(bytes)) = root.read(path) else {
            return Ok(None);
        };
        let page = &current.site.pages[i];
        let front = page.text.get(..page.body_offset).unwrap_or("");
        let same_front =
            page.body_offset > 0 && bytes.get(..page.body_offset) == Some(front.as_bytes());
        let result = site::read::parse_page(bytes, &source, &current.site.config);
        let mut warnings = result.diagnostics;
        let clean = !warnings.iter().any(|d| d.severity == Severity::Error);
        let Some(parsed) = result.parsed.filter(|_| clean) else {
            return Ok(None);
        };
        let outcome = match same_front {
            true => match self.fast_path(i, &source, &parsed)? {
                Some(o) => Some(o),
                None => self.patch_path(i, &source, parsed)?,
            },
            false => self.patch_path(i, &source, parsed)?,
        };
        // The page's warnings, as a full rebuild would give them.
        Ok(outcome.map(|mut o| {
            if let Some(current) = self.current.as_ref() {
                current.sources.locate(&mut warnings);
            }
            warnings.append(&mut o.diagnostics);
            o.diagnostics = warnings;
            o
        }))
    }

    /// A change to one page's body: its front matter and heading ids are as
    /// before, so only its own output files can change.
    fn fast_path(
        &mut self,
        i: usize,
        source: &str,
        parsed: &Parsed,
    ) -> Result<Option<Outcome>, Fatal> {
        let Some(current) = self.current.as_mut() else {
            return Ok(None);
        };
        let mut page = current.site.pages[i].page.clone();
        page.text = Arc::clone(&parsed.text);
        page.text_hash = parsed.hash;
        let Some(rendered) = patch::rerender(&current.site, i, &page) else {
            return Ok(None);
        };
        let rendered = Arc::new(rendered);
        // The front matter is byte for byte the same: keep its parse.
        let parsed = Parsed {
            meta: Arc::clone(&page.meta),
            ..parsed.clone()
        };
        self.remember(source, &parsed, &rendered);
        let Some(current) = self.current.as_mut() else {
            return Ok(None);
        };
        let sp = &mut current.site.pages[i];
        sp.page = page;
        sp.rendered = rendered;
        // Its own files, and the print pages that hold its text.
        let site = &current.site;
        let mine: Vec<String> = current
            .plan
            .files
            .iter()
            .filter(|(_, o)| match o {
                Origin::Page(p) | Origin::Paginated(p, _) => *p == i,
                Origin::Print(s, _) => site.print_shows(*s, i),
                _ => false,
            })
            .map(|(path, _)| path.clone())
            .collect();
        let mine = defer_print_pages(current, mine, &mut self.later);
        let (changed, errors) = write_outputs(current, &self.out_dir, &mine, &mut self.prints)?;
        // The page is on disk; the search index follows in the background.
        if current.plan.search {
            self.search.submit(current.site.search_input().into_owned());
        }
        Ok(Some(Outcome {
            changed,
            diagnostics: errors,
            fast: true,
            ..Outcome::default()
        }))
    }

    /// A front-matter edit of one page, patched into the site in memory.
    fn patch_path(
        &mut self,
        i: usize,
        source: &str,
        parsed: Parsed,
    ) -> Result<Option<Outcome>, Fatal> {
        let Some(current) = self.current.as_mut() else {
            return Ok(None);
        };
        let t = Instant::now();
        let Some((paths, rendered)) = patch::apply(current, i, &parsed) else {
            return Ok(None);
        };
        crate::diagnostics::timing("patch", t);
        self.remember(source, &parsed, &rendered);
        let Some(current) = self.current.as_ref() else {
            return Ok(None);
        };
        let paths = defer_print_pages(current, paths.into_iter().collect(), &mut self.later);
        let (mut changed, errors) =
            write_outputs(current, &self.out_dir, &paths, &mut self.prints)?;
        changed.sort();
        let t = Instant::now();
        if current.plan.search {
            self.search.submit(current.site.search_input().into_owned());
        }
        crate::diagnostics::timing("search snapshot", t);
        Ok(Some(Outcome {
            changed,
            diagnostics: errors,
            scoped: true,
            patched: true,
            ..Outcome::default()
        }))
    }

    /// Keeps a page's new parse and Markdown for the next full rebuild, and
    /// its text for placing later problems.
    fn remember(&mut self, source: &str, parsed: &Parsed, rendered: &Arc<Rendered>) {
        let environment = self.cache.markdown.get(source).map_or(0, |e| e.environment);
        self.cache.pages.insert(
            source.to_string(),
            site::read::ParseResult {
                parsed: Some(parsed.clone()),
                diagnostics: Vec::new(),
                text: Some(Arc::clone(&parsed.text)),
            },
        );
        self.cache.markdown.insert(
            source.to_string(),
            site::read::MarkdownEntry {
                text_hash: parsed.hash,
                environment,
                rendered: Arc::clone(rendered),
                diagnostics: Vec::new(),
            },
        );
        if let Some(current) = self.current.as_mut() {
            current.sources.add(
                PathBuf::from("content").join(source),
                Arc::clone(&parsed.text),
            );
        }
    }

    /// True when a rebuild left print pages for [`Session::catch_up`].
    pub(crate) fn has_later(&self) -> bool {
        !self.later.is_empty()
    }

    /// Writes the print pages the last rebuilds left for later (serve
    /// calls it when the editor pauses); an empty outcome when there are
    /// none.
    pub(crate) fn catch_up(&mut self) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        let later = std::mem::take(&mut self.later);
        let Some(current) = self.current.as_ref().filter(|_| !later.is_empty()) else {
            return Ok(Outcome::default());
        };
        let (changed, diagnostics) =
            write_outputs(current, &self.out_dir, &later, &mut self.prints)?;
        Ok(Outcome {
            changed,
            diagnostics,
            scoped: true,
            elapsed: started.elapsed(),
            ..Outcome::default()
        })
    }

    /// True while the search index is behind the pages.
    #[cfg(test)]
    pub(crate) fn has_pending(&self) -> bool {
        self.search.is_busy()
    }

    /// Waits until the search files hold every page's current text (and
    /// the files of older versions are gone).
    pub(crate) fn wait_search(&self) -> Result<(), Fatal> {
        self.search.wait_idle()
    }

    /// The search worker's last error, once.
    pub(crate) fn search_error(&self) -> Option<String> {
        self.search.take_error()
    }

    /// Prepares the site again and rewrites what changed. When the site
    /// has errors, the last good version stays, less the pages whose source
    /// file is gone: their addresses answer 404 at once.
    fn full(&mut self, changed: Changed<'_>) -> Result<Outcome, Fatal> {
        let (prepared, diags) = pipeline::prepare(&self.opts, &mut self.cache, changed)?;
        let failed = diags.iter().any(|d| d.severity == Severity::Error);
        let Some(new) = prepared.filter(|_| !failed) else {
            let changed = self.remove_deleted()?;
            return Ok(Outcome {
                changed,
                diagnostics: diags,
                ..Outcome::default()
            });
        };
        if new.plan.search {
            self.search.submit(new.site.search_input().into_owned());
        }
        let scope = match &self.current {
            Some(old) => affected(old, &new),
            None => Affected::All,
        };
        let scoped = matches!(scope, Affected::Only(_));
        let mut paths: Vec<String> = match scope {
            Affected::Only(set) => set.into_iter().collect(),
            Affected::All => new.plan.files.keys().cloned().collect(),
        };
        if scoped {
            // Files not on disk: never written, or removed while the site
            // had errors.
            let missing = new
                .plan
                .files
                .keys()
                .filter(|p| !self.prints.contains_key(*p));
            let missing: Vec<String> = missing.cloned().collect();
            paths.extend(missing);
            paths.sort_unstable();
            paths.dedup();
        }
        // What the site no longer has goes first, so that a renamed page
        // is never served at both addresses.
        let plan = &new.plan;
        let keep = |p: &str| plan.files.contains_key(p);
        let mut written = remove_gone(&self.out_dir, &mut self.prints, &keep)?;
        let (made, errors) = write_outputs(&new, &self.out_dir, &paths, &mut self.prints)?;
        written.extend(made);
        let mut diags = diags;
        diags.extend(errors);
        written.sort();
        self.current = Some(new);
        Ok(Outcome {
            changed: written,
            diagnostics: diags,
            scoped,
            ..Outcome::default()
        })
    }

    /// Removes the output files of the last good site's pages whose source
    /// file is no longer there; returns their paths.
    fn remove_deleted(&mut self) -> Result<Vec<String>, Fatal> {
        let Some(current) = self.current.as_ref() else {
            return Ok(Vec::new());
        };
        let content = self.opts.root.join("content");
        let gone: HashSet<usize> = current
            .site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.source.is_empty() && !content.join(&p.source).exists())
            .map(|(i, _)| i)
            .collect();
        if gone.is_empty() {
            return Ok(Vec::new());
        }
        let doomed: HashSet<&str> = current
            .plan
            .files
            .iter()
            .filter(|(_, o)| match o {
                Origin::Page(i)
                | Origin::Paginated(i, _)
                | Origin::Alias(i, _)
                | Origin::NewsFeed(i) => gone.contains(i),
                _ => false,
            })
            .map(|(p, _)| p.as_str())
            .collect();
        let keep = |p: &str| !doomed.contains(p);
        remove_gone(&self.out_dir, &mut self.prints, &keep)
    }
}

/// Removes the written files that `keep` no longer wants; returns their paths.
fn remove_gone(
    out_dir: &Path,
    prints: &mut HashMap<String, u64>,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>, Fatal> {
    let mut gone: Vec<String> = prints.keys().filter(|p| !keep(p)).cloned().collect();
    gone.sort();
    for path in &gone {
        prints.remove(path);
        let full = out_dir.join(path);
        if full.is_file() {
            std::fs::remove_file(&full).map_err(|e| Fatal::io("remove", &full, &e))?;
            remove_empty_parents(out_dir, &full);
        }
    }
    Ok(gone)
}

/// Removes the folders above `file` (inside `top`) that are now empty.
fn remove_empty_parents(top: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// `paths` less the print pages, which are added to `later` (once each).
fn defer_print_pages(p: &Prepared, paths: Vec<String>, later: &mut Vec<String>) -> Vec<String> {
    let (print, now): (Vec<String>, Vec<String>) = paths
        .into_iter()
        .partition(|path| matches!(p.plan.files.get(path), Some(Origin::Print(..))));
    for path in print {
        if !later.contains(&path) {
            later.push(path);
        }
    }
    now
}

/// Writes each of `paths` whose fingerprint differs from `prints`; returns
/// the paths written and any template errors (whose files are left as they were).
fn write_outputs(
    p: &Prepared,
    out_dir: &Path,
    paths: &[String],
    prints: &mut HashMap<String, u64>,
) -> Result<(Vec<String>, Vec<Diagnostic>), Fatal> {
    let model = SiteModel::new(&p.site);
    let t = Instant::now();
    let shared = model.shared_prints();
    let todo: Vec<(&str, &Origin, u64)> = paths
        .par_iter()
        .filter_map(|path| {
            let (key, origin) = p.plan.files.get_key_value(path)?;
            let print = fingerprint(&model, &p.templates, path, origin, &shared);
            let stale = prints.get(path) != Some(&print) || !out_dir.join(path).exists();
            stale.then_some((key.as_str(), origin, print))
        })
        .collect();
    crate::diagnostics::timing("fingerprints", t);
    let t = Instant::now();
    let files: Vec<(&str, &Origin)> = todo.iter().map(|(p, o, _)| (*p, *o)).collect();
    let failed = output::write(&model, &p.templates, &files, &Folder(out_dir))?;
    crate::diagnostics::timing("render and write", t);
    let failed_paths: HashSet<&str> = failed.iter().map(|f| f.path.as_str()).collect();
    let mut written = Vec::with_capacity(todo.len());
    for (path, _, print) in &todo {
        if failed_paths.contains(path) {
            prints.remove(*path);
        } else {
            prints.insert((*path).to_string(), *print);
            written.push((*path).to_string());
        }
    }
    Ok((written, failed.into_iter().map(|f| f.diagnostic).collect()))
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
