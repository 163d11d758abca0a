//! The serve session: the last good site kept in memory, and rebuilds that
//! redo only what a change touched. A body-only edit of one page re-renders
//! that page's Markdown and template and nothing else; any other change
//! prepares the site again from cached parses and rendered Markdown, then
//! rewrites only the output files whose template context (or source file)
//! changed, compared by fingerprint. When unsure, it considers everything.

use super::plan::{Affected, Change, affected};
use crate::diagnostics::{Diagnostic, Fatal, Severity};
use crate::fs;
use crate::glossary::Matcher;
use crate::hash::hash_of;
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
}

impl Outcome {
    /// True when the rebuild failed and the last good site is still served.
    pub(crate) fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Whether the served search files hold every page's current text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchState {
    /// They do (or the theme has no search).
    Fresh,
    /// Pages changed since they were written.
    Stale,
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
    /// Output path → fingerprint of what is on disk.
    prints: HashMap<String, u64>,
    search: SearchState,
}

impl Session {
    /// A session building the site in `opts` into `out_dir`.
    pub(crate) fn new(opts: BuildOptions, out_dir: PathBuf) -> Self {
        Session {
            opts,
            out_dir,
            cache: Cache {
                keep: true,
                ..Cache::default()
            },
            current: None,
            prints: HashMap::new(),
            search: SearchState::Fresh,
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
            Change::Files(set) if set.len() == 1 => match set.iter().next() {
                Some(path) => match self.fast_path(path)? {
                    Some(o) => o,
                    None => self.full(Changed::Only(set))?,
                },
                None => Outcome::default(),
            },
            Change::Files(set) => self.full(Changed::Only(set))?,
            Change::Everything => self.full(Changed::All)?,
        };
        outcome.elapsed = started.elapsed();
        Ok(outcome)
    }

    /// A change to one page's body: its front matter and heading ids are as
    /// before, so only its own output files can change.
    fn fast_path(&mut self, path: &Path) -> Result<Option<Outcome>, Fatal> {
        let Some(current) = self.current.as_mut() else {
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
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(None);
        };
        let Some(Some(old)) = self.cache.pages.get(&source).map(|r| r.parsed.as_ref()) else {
            return Ok(None);
        };
        let front = old.text.get(..old.body_offset).unwrap_or("");
        if old.body_offset == 0 || text.get(..old.body_offset) != Some(front) {
            return Ok(None);
        }
        let body_offset = old.body_offset;
        let site = &mut current.site;
        let matcher = Matcher::new(&site.glossary);
        let mut diags = Vec::new();
        let body = text.get(body_offset..).unwrap_or("");
        let rendered = site::markdown::render_page(
            &site.pages[i].page,
            i,
            Some((body, body_offset)),
            &site.index,
            &matcher,
            site.config.file_urls,
            &mut diags,
        );
        let anchors_ok = rendered.anchors.iter().all(|a| {
            let ids = if a.target == i {
                &rendered.ids
            } else {
                &site.pages[a.target].rendered.ids
            };
            ids.contains(&a.fragment)
        });
        if !diags.is_empty() || rendered.ids != site.pages[i].rendered.ids || !anchors_ok {
            return Ok(None);
        }
        let hash = hash_of(text.as_str());
        let text: Arc<str> = Arc::from(text);
        let environment = self
            .cache
            .markdown
            .get(&source)
            .map_or(0, |e| e.environment);
        if let Some(r) = self.cache.pages.get_mut(&source) {
            r.text = Some(Arc::clone(&text));
            if let Some(p) = r.parsed.as_mut() {
                p.text = Arc::clone(&text);
                p.hash = hash;
            }
        }
        let rendered = Arc::new(rendered);
        self.cache.markdown.insert(
            source,
            site::read::MarkdownEntry {
                text_hash: hash,
                environment,
                rendered: Arc::clone(&rendered),
                diagnostics: Vec::new(),
            },
        );
        let page = &mut site.pages[i];
        page.page.text = text;
        page.page.text_hash = hash;
        page.rendered = rendered;
        let mine: Vec<String> = current
            .plan
            .files
            .iter()
            .filter(|(_, o)| matches!(o, Origin::Page(p) | Origin::Paginated(p, _) if *p == i))
            .map(|(path, _)| path.clone())
            .collect();
        let (changed, errors) = write_outputs(current, &self.out_dir, &mine, &mut self.prints)?;
        // The search index follows the page's new text, in a second step
        // (see `complete`), so the page itself is served at once.
        if current.plan.search {
            self.search = SearchState::Stale;
        }
        Ok(Some(Outcome {
            changed,
            diagnostics: errors,
            fast: true,
            ..Outcome::default()
        }))
    }

    /// True when the search index is behind the pages.
    pub(crate) fn has_pending(&self) -> bool {
        self.search == SearchState::Stale
    }

    /// Brings the search index up to date: rebuilds it from the pages in
    /// memory, writes the files that changed and removes the ones gone.
    pub(crate) fn complete(&mut self) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        self.search = SearchState::Fresh;
        let Some(current) = self.current.as_ref() else {
            return Ok(Outcome::default());
        };
        let mut changed = Vec::new();
        if current.plan.search {
            let files = crate::search::build(&current.site.search_input());
            let folder = Folder(&self.out_dir);
            for (path, text) in &files {
                let print = hash_of(&**text);
                if self.prints.get(path) != Some(&print) {
                    folder.bytes(path, text.as_bytes())?;
                    self.prints.insert(path.clone(), print);
                    changed.push(path.clone());
                }
            }
            let keep = |p: &str| files.contains_key(p) || !crate::search::is_index_path(p);
            changed.extend(remove_gone(&self.out_dir, &mut self.prints, &keep)?);
        }
        changed.sort();
        Ok(Outcome {
            changed,
            elapsed: started.elapsed(),
            ..Outcome::default()
        })
    }

    /// Prepares the site again and rewrites what changed.
    fn full(&mut self, changed: Changed<'_>) -> Result<Outcome, Fatal> {
        let (prepared, diags) = pipeline::prepare(&self.opts, &mut self.cache, changed)?;
        let failed = diags.iter().any(|d| d.severity == Severity::Error);
        let Some(new) = prepared.filter(|_| !failed) else {
            return Ok(Outcome {
                diagnostics: diags,
                ..Outcome::default()
            });
        };
        let scope = match &self.current {
            Some(old) => affected(old, &new),
            None => Affected::All,
        };
        let scoped = matches!(scope, Affected::Only(_));
        let paths: Vec<String> = match scope {
            Affected::Only(set) => set.into_iter().collect(),
            Affected::All => new.plan.files.keys().cloned().collect(),
        };
        let (mut written, errors) = write_outputs(&new, &self.out_dir, &paths, &mut self.prints)?;
        let mut diags = diags;
        diags.extend(errors);
        let plan = &new.plan;
        let keep = |p: &str| {
            plan.files.contains_key(p) || (plan.search && crate::search::is_index_path(p))
        };
        written.extend(remove_gone(&self.out_dir, &mut self.prints, &keep)?);
        written.sort();
        if new.plan.search {
            self.search = SearchState::Stale;
        }
        self.current = Some(new);
        Ok(Outcome {
            changed: written,
            diagnostics: diags,
            scoped,
            ..Outcome::default()
        })
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
    let shared = model.shared_fingerprint();
    let todo: Vec<(&str, &Origin, u64)> = paths
        .par_iter()
        .filter_map(|path| {
            let (key, origin) = p.plan.files.get_key_value(path)?;
            let print = hash_of(&(shared, fingerprint(&model, &p.templates, path, origin)));
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
