//! Phase 4 of assembly: every page's Markdown rendered once, in parallel
//! (reusing the cache where neither the page nor what its links can reach
//! changed), then every `#anchor` checked against the page it names.

use super::read::{Cache, MarkdownEntry};
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::glossary::{self, Matcher};
use crate::links::LinkIndex;
use crate::markdown::{self, PageRef, Rendered};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Renders the Markdown body of `p`, page `i` (or `body`, when given, for a
/// page whose file changed but whose front matter did not).
pub(crate) fn render_page(
    p: &Page,
    i: usize,
    body: Option<(&str, usize)>,
    index: &LinkIndex,
    matcher: &Matcher<'_>,
    file_urls: bool,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let wants_glossary = p.meta.extra.get("glossary") != Some(&serde_json::Value::Bool(false));
    let page = PageRef {
        index: i,
        url: &p.url,
        source_dir: p.source_dir(),
        file: &p.file,
        glossary: wants_glossary.then_some(matcher),
    };
    let (text, offset) = body.unwrap_or((p.body(), p.body_offset));
    markdown::render(text, offset, &page, index, file_urls, diags)
}

/// Renders every page; `environment` is [`super::index::environment`].
pub(crate) fn render_all<P: AsRef<Page> + Sync>(
    pages: &[P],
    index: &LinkIndex,
    glossary: &[glossary::Entry],
    file_urls: bool,
    environment: u64,
    cache: &mut Cache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Arc<Rendered>> {
    let matcher = Matcher::new(glossary);
    let cached = &cache.markdown;
    let spill = cache.spill.as_ref();
    let results: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let p = p.as_ref();
            if let Some(e) = cached.get(&p.source) {
                if e.text_hash == p.text_hash && e.environment == environment {
                    return (Arc::clone(&e.rendered), e.diagnostics.clone());
                }
            }
            let mut d = Vec::new();
            let Some(text) = p.text() else {
                let changed = Diagnostic::error(
                    "unreadable",
                    &p.file,
                    crate::diagnostics::Position::File,
                    "this file changed while pestle was building the site",
                )
                .with_hint("build again once your editor has saved it");
                return (Arc::new(Rendered::default()), vec![changed]);
            };
            let body = text.get(p.body_offset..).unwrap_or("");
            let mut r = render_page(
                p,
                i,
                Some((body, p.body_offset)),
                index,
                &matcher,
                file_urls,
                &mut d,
            );
            if let Some(spill) = spill {
                // A one-off build: what later phases read again goes to the
                // temporary file, and what only `pestle check` reads goes.
                r.spill_into(spill);
                r.forget_positions();
            }
            (Arc::new(r), d)
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    for (p, (r, d)) in pages.iter().zip(results) {
        let p = p.as_ref();
        diags.extend(d.iter().cloned());
        if cache.keep {
            cache.markdown.insert(
                p.source.clone(),
                MarkdownEntry {
                    text_hash: p.text_hash,
                    environment,
                    rendered: Arc::clone(&r),
                    diagnostics: d,
                },
            );
        }
        rendered.push(r);
    }
    let files: Vec<&Path> = pages.iter().map(|p| p.as_ref().file.as_path()).collect();
    let sources: Vec<&str> = pages.iter().map(|p| p.as_ref().source.as_str()).collect();
    markdown::check_anchors(&rendered, &files, &sources, diags);
    rendered
}
