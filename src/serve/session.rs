//! The serve session: the last good site kept in memory, and rebuilds that
//! redo only what a change touched. A body-only edit of one page re-renders
//! that page's Markdown and template and nothing else; any other change
//! reassembles the site from cached parses and rendered Markdown, then
//! rewrites only the output files whose template context (or source file)
//! changed, compared by fingerprint. When unsure, it reads everything again.

use crate::commands::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Fatal, Severity};
use crate::fs;
use crate::glossary;
use crate::hash::hash_of;
use crate::markdown::{self, PageRef};
use crate::site::emit::{Emitted, emit, fingerprint};
use crate::site::{self, Cache, Origin, Site};
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

/// The state kept between rebuilds.
pub(crate) struct Session {
    opts: BuildOptions,
    out_dir: PathBuf,
    cache: Cache,
    site: Option<Site>,
    /// Output path → fingerprint of what is on disk.
    prints: HashMap<String, u64>,
    /// Set when a fast rebuild left the search index behind.
    search_pending: bool,
}

impl Session {
    /// A session building the site in `opts` into `out_dir`.
    pub(crate) fn new(opts: BuildOptions, out_dir: PathBuf) -> Self {
        Session {
            opts,
            out_dir,
            cache: Cache {
                keep: true,
                defer_search: true,
                ..Cache::default()
            },
            site: None,
            prints: HashMap::new(),
            search_pending: false,
        }
    }

    /// Sorts a batch of changed paths (relative to the site root): `None`
    /// when nothing that matters changed (an editor's temporary file came
    /// and went), `Some(None)` when everything must be reread (site.yaml, or
    /// a folder was added, moved or removed), else the files to reread.
    pub(crate) fn relevant_changes(
        &self,
        batch: HashSet<PathBuf>,
    ) -> Option<Option<HashSet<PathBuf>>> {
        let root = &self.opts.root;
        let known = |p: &Path| -> bool {
            let Some(rel) = p.strip_prefix("content").ok().and_then(Path::to_str) else {
                return true;
            };
            let rel = rel.replace('\\', "/");
            let prefix = format!("{rel}/");
            self.cache.pages.contains_key(&rel)
                || self.cache.pages.keys().any(|k| k.starts_with(&prefix))
                || self
                    .site
                    .as_ref()
                    .is_some_and(|s| s.index.assets.contains_key(&rel))
        };
        let mut kept = HashSet::new();
        for p in batch {
            let full = root.join(&p);
            if p == Path::new("site.yaml") || full.is_dir() {
                return Some(None);
            }
            if full.exists() || known(&p) {
                if !full.exists() && p.extension().is_none() {
                    // A folder that held pages is gone.
                    return Some(None);
                }
                kept.insert(p);
            }
        }
        (!kept.is_empty()).then_some(Some(kept))
    }

    /// Rebuilds after the files in `dirty` (paths under the site root)
    /// changed; `None` rereads everything.
    pub(crate) fn rebuild(&mut self, dirty: Option<HashSet<PathBuf>>) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        if let Some(set) = &dirty {
            if set.len() == 1 {
                if let Some(path) = set.iter().next() {
                    if let Some(mut outcome) = self.fast_path(path)? {
                        outcome.elapsed = started.elapsed();
                        return Ok(outcome);
                    }
                }
            }
        }
        let mut outcome = self.full(dirty)?;
        outcome.elapsed = started.elapsed();
        Ok(outcome)
    }

    /// A change to one page's body: its front matter and heading ids are as
    /// before, so only its own output files can change.
    fn fast_path(&mut self, path: &Path) -> Result<Option<Outcome>, Fatal> {
        let Some(site) = self.site.as_mut() else {
            return Ok(None);
        };
        let Some(source) = path
            .strip_prefix("content")
            .ok()
            .and_then(Path::to_str)
            .map(|s| s.replace('\\', "/"))
        else {
            return Ok(None);
        };
        let Some(&i) = site.tree.by_source.get(&source) else {
            return Ok(None);
        };
        // Read through the site's guard; anything odd goes the long way,
        // which reports it.
        let root = crate::fs::SiteRoot::new(&self.opts.root)?;
        let Ok(Some(bytes)) = root.read(path) else {
            return Ok(None);
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(None);
        };
        let Some((Some(old), _)) = self.cache.pages.get(&source) else {
            return Ok(None);
        };
        let front = old.text.get(..old.body_offset).unwrap_or("");
        if old.body_offset == 0 || text.get(..old.body_offset) != Some(front) {
            return Ok(None);
        }
        let body_offset = old.body_offset;
        let matcher = glossary::Matcher::new(&site.glossary);
        let page = &site.tree.pages[i];
        let page_ref = PageRef {
            index: i,
            url: &page.url,
            source_dir: page.source_dir(),
            file: &page.file,
            glossary: (page.meta.extra.get("glossary") != Some(&serde_json::Value::Bool(false)))
                .then_some(&matcher),
        };
        let mut diags = Vec::new();
        let body = text.get(body_offset..).unwrap_or("");
        let rendered = markdown::render(
            body,
            body_offset,
            &page_ref,
            &site.index,
            site.config.file_urls,
            &mut diags,
        );
        let anchors_ok = rendered.anchors.iter().all(|a| {
            let ids = if a.target == i {
                &rendered.ids
            } else {
                &site.rendered[a.target].ids
            };
            ids.contains(&a.fragment)
        });
        if !diags.is_empty() || rendered.ids != site.rendered[i].ids || !anchors_ok {
            return Ok(None);
        }
        let hash = hash_of(text.as_str());
        let env = self
            .cache
            .markdown
            .get(&source)
            .map_or(0, |(_, env, _, _)| *env);
        if let Some((Some(p), _)) = self.cache.pages.get_mut(&source) {
            p.text = Arc::from(text);
            p.hash = hash;
        }
        let rendered = Arc::new(rendered);
        self.cache.markdown.insert(
            source.clone(),
            (hash, env, Arc::clone(&rendered), Vec::new()),
        );
        site.tree.pages[i].text_hash = hash;
        site.rendered[i] = rendered;
        let mine: Vec<String> = site
            .outputs
            .iter()
            .filter(|(_, o)| matches!(o, Origin::Page(p) | Origin::Paginated(p, _) if *p == i))
            .map(|(path, _)| path.clone())
            .collect();
        let (changed, errors) = write_outputs(site, &self.out_dir, &mine, &mut self.prints)?;
        // The search index follows the page's new text, in a second step
        // (see `complete`), so the page itself is served at once.
        self.search_pending = true;
        Ok(Some(Outcome {
            changed,
            diagnostics: errors,
            fast: true,
            ..Outcome::default()
        }))
    }

    /// True when a fast rebuild left the search index to bring up to date.
    pub(crate) fn has_pending(&self) -> bool {
        self.search_pending
    }

    /// Brings the search index up to date after fast rebuilds: rebuilds it
    /// from the pages in memory, writes the files that changed and removes
    /// the ones that are gone.
    pub(crate) fn complete(&mut self) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        self.search_pending = false;
        let Some(site) = self.site.as_mut() else {
            return Ok(Outcome::default());
        };
        let mine = crate::site::refresh_search(site);
        let (mut changed, errors) = write_outputs(site, &self.out_dir, &mine, &mut self.prints)?;
        changed.extend(remove_gone(
            site,
            &self.out_dir,
            &mut self.prints,
            "search/",
        )?);
        changed.sort();
        Ok(Outcome {
            changed,
            diagnostics: errors,
            elapsed: started.elapsed(),
            ..Outcome::default()
        })
    }

    /// Reassembles the site and rewrites what changed.
    fn full(&mut self, dirty: Option<HashSet<PathBuf>>) -> Result<Outcome, Fatal> {
        self.cache.dirty = dirty;
        let (site, diags) = site::assemble_cached(&self.opts, &mut self.cache)?;
        let Some(mut site) = site else {
            return Ok(Outcome {
                diagnostics: diags,
                ..Outcome::default()
            });
        };
        // The search index is rebuilt later (see `complete`); until then the
        // old index files stay in place and listed.
        if site.search_pending {
            if let Some(old) = &self.site {
                for (path, origin) in &old.outputs {
                    if matches!(origin, Origin::SearchFile(_)) && !site.outputs.contains_key(path) {
                        site.outputs.insert(path.clone(), origin.clone());
                    }
                }
            }
        }
        let scope = self.site.as_ref().and_then(|old| affected(old, &site));
        let scoped = scope.is_some();
        let paths: Vec<String> = match scope {
            Some(set) => set.into_iter().collect(),
            None => site.outputs.keys().cloned().collect(),
        };
        let (mut changed, errors) = write_outputs(&site, &self.out_dir, &paths, &mut self.prints)?;
        let mut diags = diags;
        diags.extend(errors);
        changed.extend(remove_gone(&site, &self.out_dir, &mut self.prints, "")?);
        changed.sort();
        self.search_pending = site.search_pending;
        self.site = Some(site);
        Ok(Outcome {
            changed,
            diagnostics: diags,
            scoped,
            ..Outcome::default()
        })
    }
}

/// The output files a change from `old` to `new` can have touched, when
/// that can be told from the site's structure; `None` means "any of them".
///
/// It is "any" when the templates, settings, set of pages or URLs, the top
/// menu, the latest news, the taxonomies' terms and counts or the glossary
/// changed, or a template calls `term_pages`. Otherwise a changed page
/// touches its own files, its section's, its siblings' (menus and
/// neighbours), its descendants' (breadcrumbs), its terms' pages, the pages
/// that list it as related, and the feeds, sitemap and special pages.
/// Fingerprints then decide which of these really changed.
fn affected(old: &Site, new: &Site) -> Option<HashSet<String>> {
    let (ot, nt) = (old.templates.as_ref()?, new.templates.as_ref()?);
    if ot.generation != nt.generation || nt.calls("term_pages") {
        return None;
    }
    if format!("{:?}", old.config) != format!("{:?}", new.config)
        || old.tree.pages.len() != new.tree.pages.len()
        || old.tree.by_url.keys().ne(new.tree.by_url.keys())
        // Search index files are named by content (issue 6): leave them out here.
        || old
            .outputs
            .iter()
            .filter(|(_, o)| !matches!(o, Origin::SearchFile(_)))
            .map(|(k, _)| k)
            .ne(new
                .outputs
                .iter()
                .filter(|(_, o)| !matches!(o, Origin::SearchFile(_)))
                .map(|(k, _)| k))
    {
        return None;
    }
    let global = |s: &Site| {
        crate::render::context::SiteModel {
            fingerprinting: true,
            ..s.model()
        }
        .global_fingerprint()
    };
    if global(old) != global(new) {
        return None;
    }
    let top = |s: &Site| {
        let home = &s.tree.pages[s.tree.home];
        let items: Vec<(&str, &str, usize)> = home
            .subsections
            .iter()
            .chain(&home.pages)
            .map(|&i| {
                let p = &s.tree.pages[i];
                (
                    p.meta.title.as_str(),
                    p.url.as_str(),
                    p.pages.len() + p.subsections.len(),
                )
            })
            .collect();
        hash_of(&items)
    };
    if top(old) != top(new) {
        return None;
    }
    let mut pages: HashSet<usize> = HashSet::new();
    let mut terms: HashSet<(String, String)> = HashSet::new();
    for (i, (o, n)) in old.tree.pages.iter().zip(&new.tree.pages).enumerate() {
        if o.source != n.source {
            return None;
        }
        if Arc::ptr_eq(&o.meta, &n.meta) && old.rendered[i].html_hash == new.rendered[i].html_hash {
            continue;
        }
        pages.insert(i);
        for p in [o, n] {
            for t in &p.meta.tags {
                terms.insert(("tags".into(), crate::content::slugify(t)));
            }
            for t in &p.meta.regions {
                terms.insert(("region".into(), crate::content::slugify(t)));
            }
        }
        for tree in [&old.tree, &new.tree] {
            let page = &tree.pages[i];
            if let Some(parent) = page.parent {
                pages.insert(parent);
                let sibling_of = &tree.pages[parent];
                pages.extend(sibling_of.pages.iter().chain(&sibling_of.subsections));
            }
            let mut stack = vec![i];
            while let Some(d) = stack.pop() {
                pages.insert(d);
                stack.extend(tree.pages[d].pages.iter().chain(&tree.pages[d].subsections));
            }
        }
        for (k, rel) in new.related.iter().enumerate() {
            if rel.iter().any(
                |r| matches!(r.target, crate::render::context::RelatedTarget::Page(t, _) if t == i),
            ) {
                pages.insert(k);
            }
        }
    }
    let mut out = HashSet::new();
    for (path, origin) in &new.outputs {
        let hit = match origin {
            Origin::Page(i)
            | Origin::Paginated(i, _)
            | Origin::Alias(i, _)
            | Origin::NewsFeed(i) => pages.contains(i),
            Origin::Term(ti, ni) | Origin::TermFeed(ti, ni) => {
                let t = &new.taxonomies[*ti];
                terms.contains(&(t.name.clone(), t.terms[*ni].slug.clone()))
            }
            Origin::Taxonomy(_) | Origin::Search | Origin::Generated => true,
            // The search index depends on every page; its fingerprints decide.
            Origin::SearchFile(_) => true,
            Origin::Static(_) | Origin::Asset(_) => true,
        };
        if hit {
            out.insert(path.clone());
        }
    }
    Some(out)
}

/// Removes the written files (under `prefix`) that the site no longer has;
/// returns their paths.
fn remove_gone(
    site: &Site,
    out_dir: &Path,
    prints: &mut HashMap<String, u64>,
    prefix: &str,
) -> Result<Vec<String>, Fatal> {
    let gone: Vec<String> = prints
        .keys()
        .filter(|p| p.starts_with(prefix) && !site.outputs.contains_key(*p))
        .cloned()
        .collect();
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
    site: &Site,
    out_dir: &Path,
    paths: &[String],
    prints: &mut HashMap<String, u64>,
) -> Result<(Vec<String>, Vec<Diagnostic>), Fatal> {
    let Some(templates) = &site.templates else {
        return Ok((vec![], vec![]));
    };
    let model = site.model();
    let t = std::time::Instant::now();
    let prints_model = crate::render::context::SiteModel {
        fingerprinting: true,
        ..site.model()
    };
    let global = prints_model.global_fingerprint();
    let todo: Vec<(&String, u64)> = paths
        .par_iter()
        .filter_map(|p| {
            let origin = site.outputs.get(p)?;
            let print = hash_of(&(global, fingerprint(&prints_model, templates, p, origin)));
            (prints.get(p) != Some(&print) || !out_dir.join(p).exists()).then_some((p, print))
        })
        .collect();
    crate::diagnostics::timing("fingerprints", t);
    let t = std::time::Instant::now();
    let results: Vec<Result<Option<Diagnostic>, Fatal>> = todo
        .par_iter()
        .map(|(path, _)| {
            let Some(origin) = site.outputs.get(*path) else {
                return Ok(None);
            };
            let target = out_dir.join(path);
            match emit(&model, templates, path, origin) {
                Ok(Emitted::Text(t)) => fs::write_atomic(&target, t.as_bytes()).map(|()| None),
                Ok(Emitted::Bytes(b)) => fs::write_atomic(&target, b).map(|()| None),
                Ok(Emitted::Copy(from)) => fs::copy_atomic(&from, &target).map(|()| None),
                Ok(Emitted::Nothing) => {
                    fs::write_atomic(&target, crate::output::MARKER_TEXT.as_bytes()).map(|()| None)
                }
                Err(d) => Ok(Some(d)),
            }
        })
        .collect();
    crate::diagnostics::timing("render and write", t);
    let mut written = Vec::with_capacity(todo.len());
    let mut errors = Vec::new();
    for ((path, print), r) in todo.into_iter().zip(results) {
        match r? {
            None => {
                prints.insert(path.clone(), print);
                written.push(path.clone());
            }
            Some(d) => {
                prints.remove(path);
                errors.push(d);
            }
        }
    }
    Ok((written, errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn tree_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let e = e.unwrap_or_else(|e| panic!("{e}"));
            if e.file_type().is_file() && e.file_name() != crate::output::MARKER {
                let rel = e.path().strip_prefix(dir).unwrap_or_else(|e| panic!("{e}"));
                out.insert(
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap_or_else(|e| panic!("{e}")),
                );
            }
        }
        out
    }

    fn page(title: &str, extra: &str, body: &str) -> String {
        format!("---\ntitle: {title}\ndescription: About {title}.\n{extra}---\n{body}\n")
    }

    /// A tiny deterministic generator, so the edit sequence is repeatable.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n
        }
    }

    #[test]
    fn any_sequence_of_edits_rebuilt_incrementally_equals_a_clean_build() {
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = site.path();
        write(
            root,
            "site.yaml",
            "title: T\nbase_url: http://127.0.0.1:1/\ntaxonomies:\n  - name: tags\n    title: Topics\n",
        );
        write(root, "content/_index.md", &page("Home", "", "[a](s/a.md)"));
        write(root, "content/news/_index.md", &page("News", "", ""));
        write(root, "content/s/_index.md", &page("S", "weight: 1\n", ""));
        for n in 0..6 {
            write(
                root,
                &format!("content/s/p{n}.md"),
                &page(
                    &format!("Page {n}"),
                    "tags: [x]\n",
                    &format!("## Part {n}\nText {n}."),
                ),
            );
        }
        write(
            root,
            "content/s/a.md",
            &page("A", "", "## Stock\nSee [p1](p1.md#part-1)."),
        );
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut opts = BuildOptions::new(root);
        opts.drafts = true;
        opts.base_url = Some("http://127.0.0.1:1/".into());
        let mut session = Session::new(opts.clone(), out.path().to_path_buf());
        assert!(
            !session
                .rebuild(None)
                .unwrap_or_else(|e| panic!("{e}"))
                .failed()
        );
        let mut rng = Lcg(7);
        let mut scoped = 0;
        for step in 0..60 {
            let n = rng.next(6);
            let file = format!("content/s/p{n}.md");
            let mut changed = vec![file.clone()];
            match rng.next(10) {
                0..=2 => write(
                    root,
                    &file,
                    &page(
                        &format!("Page {n}"),
                        "tags: [x]\n",
                        &format!("## Part {n}\nEdited at step {step}."),
                    ),
                ),
                3 => write(
                    root,
                    &file,
                    &page(
                        &format!("Renamed {n} at {step}"),
                        &format!("weight: {}\ntags: [y]\n", rng.next(5)),
                        &format!("## Part {n}\nText."),
                    ),
                ),
                4 => {
                    let _ = std::fs::remove_file(root.join(&file));
                }
                5 => {
                    let news = format!("content/news/2026-01-{:02}-item{n}.md", n + 1);
                    write(root, &news, &page(&format!("News {step}"), "", ""));
                    changed.push(news);
                }
                6 => {
                    write(
                        root,
                        &file,
                        &page(
                            &format!("Page {n}"),
                            "draft: true\n",
                            &format!("## Part {n}\nDraft."),
                        ),
                    );
                }
                // Only the title: listings, neighbours and menus change, not the structure.
                8 | 9 => write(
                    root,
                    &file,
                    &page(
                        &format!("Title {n} at {step}"),
                        "tags: [x]\n",
                        &format!("## Part {n}\nText {n}."),
                    ),
                ),
                _ => {
                    let to = format!("content/s/moved{n}.md");
                    let _ = std::fs::rename(root.join(&file), root.join(&to));
                    changed.push(to);
                }
            }
            // Keep the anchor that a.md links to, so the site stays valid.
            write(
                root,
                "content/s/p1.md",
                &page("Page 1", "tags: [x]\n", &format!("## Part 1\nKept {step}.")),
            );
            changed.push("content/s/p1.md".into());
            let batch: HashSet<PathBuf> = changed.iter().map(PathBuf::from).collect();
            let Some(dirty) = session.relevant_changes(batch) else {
                continue;
            };
            let outcome = session.rebuild(dirty).unwrap_or_else(|e| panic!("{e}"));
            assert!(!outcome.failed(), "step {step}: {:?}", outcome.diagnostics);
            scoped += usize::from(outcome.scoped);
            if session.has_pending() {
                session.complete().unwrap_or_else(|e| panic!("{e}"));
            }
            let clean = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let report = crate::build(&BuildOptions {
                output: Some(clean.path().join("site")),
                ..opts.clone()
            })
            .unwrap_or_else(|e| panic!("{e}"));
            assert!(!report.diagnostics.has_errors());
            let want = tree_of(&clean.path().join("site"));
            let got = tree_of(out.path());
            let differ: Vec<&String> = want
                .keys()
                .chain(got.keys())
                .filter(|k| want.get(*k) != got.get(*k))
                .collect();
            assert!(
                differ.is_empty(),
                "step {step}: incremental output differs from a clean build in {differ:?}"
            );
        }
        assert!(
            scoped >= 5,
            "only {scoped} rebuilds were scoped to what changed"
        );
        // Single-page body edits go through the fast path.
        let file = "content/s/p1.md";
        write(
            root,
            file,
            &page("Page 1", "tags: [x]\n", "## Part 1\nOnly the body."),
        );
        let dirty = session.relevant_changes(HashSet::from([PathBuf::from(file)]));
        let outcome = session
            .rebuild(dirty.flatten())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            outcome.fast,
            "a body-only edit takes the one-page fast path"
        );
        // The page first; the search index that holds its text follows.
        assert_eq!(outcome.changed, vec!["s/p1/index.html".to_string()]);
        assert!(session.has_pending());
        let then = session.complete().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !then.changed.is_empty(),
            "the page's new text reaches the index"
        );
        assert!(
            then.changed.iter().all(|p| p.starts_with("search/")),
            "{:?}",
            then.changed
        );
        assert!(!session.has_pending());
    }

    #[test]
    fn a_template_change_rewrites_only_the_pages_that_use_it() {
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = site.path();
        write(root, "site.yaml", "title: T\ntheme: t\n");
        write(root, "themes/t/theme.yaml", "extends: default\n");
        write(
            root,
            "themes/t/templates/term.html",
            "{% extends \"base.html\" %}{% block main %}One{% endblock main %}",
        );
        write(root, "content/_index.md", &page("Home", "", ""));
        write(root, "content/a.md", &page("A", "tags: [x, y]\n", ""));
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut session = Session::new(BuildOptions::new(root), out.path().to_path_buf());
        assert!(
            !session
                .rebuild(None)
                .unwrap_or_else(|e| panic!("{e}"))
                .failed()
        );
        write(
            root,
            "themes/t/templates/term.html",
            "{% extends \"base.html\" %}{% block main %}Two{% endblock main %}",
        );
        let dirty = session.relevant_changes(HashSet::from([PathBuf::from(
            "themes/t/templates/term.html",
        )]));
        let outcome = session
            .rebuild(dirty.flatten())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            outcome.changed,
            vec![
                "tags/x/index.html".to_string(),
                "tags/y/index.html".to_string()
            ]
        );
    }
}
