//! Phase 1 of assembly: reading. site.yaml, glossary.yaml and every page's
//! file and front matter, in parallel, reusing what the [`Cache`] holds for
//! files that did not change.

use crate::config::{self, Config};
use crate::content::{self, tree::Parsed};
use crate::diagnostics::{Diagnostic, Fatal, Sources};
use crate::fs::spill::Spill;
use crate::fs::{self, SiteRoot, SourceFile};
use crate::glossary;
use crate::hash::hash_of;
use crate::markdown::Rendered;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's parse, or the errors that stopped it.
#[derive(Clone, Default)]
pub(crate) struct ParseResult {
    pub(crate) parsed: Option<Parsed>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The file's text, when it could be read, to place the diagnostics.
    pub(crate) text: Option<Arc<str>>,
}

/// A page's rendered Markdown, and what it was rendered from.
#[derive(Clone)]
pub(crate) struct MarkdownEntry {
    /// A hash of the page's text.
    pub(crate) text_hash: u64,
    /// A hash of everything else the render depends on ([`super::index::environment`]).
    pub(crate) environment: u64,
    pub(crate) rendered: Arc<Rendered>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// What one assembly can lend the next: each file's parse and each page's
/// rendered Markdown, so `pestle serve` redoes only what a change touched.
#[derive(Default)]
pub(crate) struct Cache {
    /// Source path under content/ → its parse (or its errors).
    pub(crate) pages: HashMap<String, ParseResult>,
    /// Source path → its rendered Markdown.
    pub(crate) markdown: HashMap<String, MarkdownEntry>,
    /// Keep rendered Markdown for the next assembly (serve); a one-off build
    /// does not need it.
    pub(crate) keep: bool,
    /// For a one-off build: where each page's text goes once read, and its
    /// HTML and search text once rendered (see [`crate::fs::spill`]).
    pub(crate) spill: Option<Arc<Spill>>,
    /// A one-off build, which lets go of each thing once no later phase
    /// needs it.
    pub(crate) one_off: bool,
}

impl Cache {
    /// The cache of a one-off build, which keeps as little as it can; an
    /// error when `PESTLE_BUILD_MEMORY` is set but is not a number.
    pub(crate) fn one_off() -> Result<Cache, String> {
        Ok(Cache::one_off_within(body_budget(
            crate::config::env_setting("PESTLE_BUILD_MEMORY").as_deref(),
        )?))
    }

    /// The cache of a one-off build that keeps at most about `budget`
    /// bytes of rendered pages in memory.
    pub(crate) fn one_off_within(budget: usize) -> Cache {
        Cache {
            spill: Spill::new(budget).map(Arc::new),
            one_off: true,
            ..Cache::default()
        }
    }
}

/// How much memory a one-off build keeps rendered pages in before it moves
/// them to its temporary file: `var` (`PESTLE_BUILD_MEMORY`) MiB, or 128
/// MiB when it is unset or empty.
fn body_budget(var: Option<&str>) -> Result<usize, String> {
    let Some(v) = var.filter(|v| !v.trim().is_empty()) else {
        return Ok(128 * 1024 * 1024);
    };
    v.trim()
        .parse::<usize>()
        .map(|mib| mib.saturating_mul(1024 * 1024))
        .map_err(|_| {
            format!(
                "PESTLE_BUILD_MEMORY is `{}`, which is not a whole number of MiB: write it like \
                 PESTLE_BUILD_MEMORY=256, or 0 to keep as little in memory as possible",
                v.escape_debug()
            )
        })
}

/// Which files changed since the cache was filled.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Changed<'a> {
    /// Anything may have: read everything again.
    All,
    /// Only these, as paths under the site root (`content/a.md`).
    Only(&'a HashSet<PathBuf>),
}

/// Reads site.yaml, or explains that this is not a site folder.
pub(crate) fn load_config(
    root: &SiteRoot,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Config>, Fatal> {
    let rel = Path::new(config::CONFIG_FILE);
    if !root.exists(rel) {
        return Err(Fatal::new(format!(
            "{} has no {}: run pestle in a site folder, use --root, or create one with `pestle new DIR`",
            root.path().display(),
            config::CONFIG_FILE
        )));
    }
    let Some(text) = root.read_text(rel, diags) else {
        return Ok(None);
    };
    let config = config::parse(&text, rel, diags);
    sources.add(rel, Arc::from(text));
    Ok(config)
}

/// Reads glossary.yaml, if the site has one.
pub(crate) fn load_glossary(
    root: &SiteRoot,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Vec<glossary::Entry> {
    let path = Path::new(glossary::GLOSSARY_FILE);
    match root.read_text(path, diags) {
        Some(text) => {
            let entries = glossary::parse(&text, path, diags);
            sources.add(path, Arc::from(text));
            entries
        }
        None => Vec::new(),
    }
}

/// The pages a build takes, in source order, and the drafts it leaves out.
pub(crate) struct ReadPages {
    pub(crate) parsed: Vec<Parsed>,
    pub(crate) drafts_left_out: HashSet<String>,
}

/// Reads every page in `files` (those not in `cache` or changed), keeping
/// the cache in step with the files that exist.
pub(crate) fn read_pages(
    files: &[SourceFile],
    config: &Config,
    drafts: bool,
    cache: &mut Cache,
    changed: Changed<'_>,
    diags: &mut Vec<Diagnostic>,
) -> ReadPages {
    let is_fresh = |source: &str| match changed {
        Changed::All => false,
        Changed::Only(set) => !set.contains(&PathBuf::from("content").join(source)),
    };
    let one_off = cache.one_off;
    let fresh: Vec<(String, ParseResult)> = files
        .par_iter()
        .filter(|f| !(is_fresh(&f.rel) && cache.pages.contains_key(&f.rel)))
        .map(|f| {
            let mut r = read_page(&f.real, &f.rel, config);
            if one_off {
                r.let_go_of_text(&f.real);
            }
            (f.rel.clone(), r)
        })
        .collect();
    let mut out = ReadPages {
        parsed: Vec::with_capacity(files.len()),
        drafts_left_out: HashSet::new(),
    };
    let mut take = |parsed: Option<Parsed>, d: &[Diagnostic]| {
        diags.extend(d.iter().cloned());
        if let Some(p) = parsed {
            if p.meta.draft && !drafts {
                out.drafts_left_out.insert(p.source);
            } else {
                out.parsed.push(p);
            }
        }
    };
    if cache.one_off {
        // A one-off build reads every file once, in order, and keeps a
        // file's parse only to place the problems found in it.
        for (rel, mut r) in fresh {
            if r.diagnostics.is_empty() {
                take(r.parsed.take(), &[]);
            } else {
                take(r.parsed.clone(), &r.diagnostics);
                cache.pages.insert(rel, r);
            }
        }
        return out;
    }
    let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    cache.pages.retain(|k, _| present.contains(k.as_str()));
    cache.markdown.retain(|k, _| present.contains(k.as_str()));
    cache.pages.extend(fresh);
    for f in files {
        if let Some(r) = cache.pages.get(&f.rel) {
            take(r.parsed.clone(), &r.diagnostics);
        }
    }
    out
}

impl ParseResult {
    /// Lets go of the page's text, for a one-off build, which reads the
    /// file again for its Markdown; the text is kept only to place the
    /// problems found in it.
    fn let_go_of_text(&mut self, real: &Path) {
        let Some(p) = &mut self.parsed else { return };
        p.let_go = Some(real.into());
        p.text = empty_text();
        if self.diagnostics.is_empty() {
            self.text = None;
        }
    }
}

/// An empty text, sharing one allocation.
fn empty_text() -> Arc<str> {
    static EMPTY: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    Arc::clone(EMPTY.get_or_init(|| Arc::from("")))
}

/// Reads and parses the page `source` (under content/), found at `real`.
pub(crate) fn read_page(real: &Path, source: &str, config: &Config) -> ParseResult {
    let file = PathBuf::from("content").join(source);
    match fs::read_regular(real) {
        Ok(bytes) => parse_page(bytes, source, config),
        Err(r) => ParseResult {
            parsed: None,
            diagnostics: vec![r.diagnostic(&file)],
            text: None,
        },
    }
}

/// Parses the page `source` (under content/) from the file's bytes.
pub(crate) fn parse_page(bytes: Vec<u8>, source: &str, config: &Config) -> ParseResult {
    let mut d = Vec::new();
    let file = PathBuf::from("content").join(source);
    let Some(text) = fs::text_or_diagnostic(bytes, &file, &mut d) else {
        return ParseResult {
            parsed: None,
            diagnostics: d,
            text: None,
        };
    };
    let text = content::lone_cr_to_lf(text);
    let stem = source
        .rsplit('/')
        .next()
        .unwrap_or(source)
        .trim_end_matches(".md");
    let (stem_date, _) = content::tree::name_parts(stem);
    let (meta, body_offset) = content::parse_file(&text, &file, stem_date, config, &mut d);
    let hash = hash_of(&text);
    let text: Arc<str> = Arc::from(text);
    let parsed = Some(Parsed {
        source: source.to_string(),
        meta: Arc::new(meta),
        hash,
        text: Arc::clone(&text),
        let_go: None,
        body_offset,
    });
    ParseResult {
        parsed,
        diagnostics: d,
        text: Some(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Kind, Page};

    #[test]
    fn the_build_memory_is_a_number_of_mib_or_128_when_unset() {
        assert_eq!(body_budget(None), Ok(128 << 20));
        assert_eq!(body_budget(Some(" ")), Ok(128 << 20));
        assert_eq!(body_budget(Some("0")), Ok(0));
        assert_eq!(body_budget(Some(" 256\n")), Ok(256 << 20));
        let err = body_budget(Some("1GB")).expect_err("not a number");
        assert!(err.starts_with("PESTLE_BUILD_MEMORY is `1GB`, which is not a whole number"));
        assert!(body_budget(Some("-5")).is_err());
    }

    #[test]
    fn a_one_off_build_reads_a_page_again_only_if_it_is_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.md");
        std::fs::write(&file, "---\ntitle: A\n---\nFirst.\r\n").expect("written");
        let mut d = Vec::new();
        let config =
            crate::config::parse("title: S", Path::new("site.yaml"), &mut d).expect("site.yaml");
        let mut r = read_page(&file, "a.md", &config);
        r.let_go_of_text(&file);
        assert!(r.text.is_none(), "a page without problems keeps no text");
        let page = Page::new(r.parsed.expect("parsed"), Kind::Page, None);
        assert!(page.text.is_empty());
        let again = page.text().expect("read again");
        assert_eq!(again, "---\ntitle: A\n---\nFirst.\r\n");
        assert_eq!(again.get(page.body_offset..), Some("First.\r\n"));
        // Saved again while the site was being built: not used.
        std::fs::write(&file, "---\ntitle: A\n---\nSecond.\n").expect("written");
        assert_eq!(page.text(), None);
        std::fs::remove_file(&file).expect("removed");
        assert_eq!(page.text(), None);
    }
}
