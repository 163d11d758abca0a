//! Phase 5 of assembly: each page's `related` resources, resolved to pages
//! of the site (with their `#anchors` checked) or kept as external links.

use crate::content::Page;
use crate::diagnostics::{Diagnostic, Position};
use crate::links::{self, LinkIndex, Resolved};
use crate::markdown::Rendered;
use std::sync::Arc;

/// Where a related resource points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RelatedTarget {
    /// A page, by index, with a `#fragment` if one was given.
    Page(usize, Option<String>),
    External(String),
}

/// A resolved `related` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RelatedLink {
    pub(crate) title: String,
    pub(crate) target: RelatedTarget,
}

/// Resolves every page's related resources, in page order.
pub(crate) fn resolve_all<P: AsRef<Page>>(
    pages: &[P],
    index: &LinkIndex,
    rendered: &[Arc<Rendered>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<RelatedLink>> {
    pages
        .iter()
        .map(|p| {
            let p = p.as_ref();
            p.meta
                .related
                .iter()
                .filter_map(|r| resolve(p, r, pages, index, rendered, diags))
                .collect()
        })
        .collect()
}

fn resolve<P: AsRef<Page>>(
    p: &Page,
    r: &crate::content::Related,
    pages: &[P],
    index: &LinkIndex,
    rendered: &[Arc<Rendered>],
    diags: &mut Vec<Diagnostic>,
) -> Option<RelatedLink> {
    let at = Position::Offset(r.offset);
    if links::is_external(&r.target) {
        let title = r.title.clone().unwrap_or_else(|| r.target.clone());
        return Some(RelatedLink {
            title,
            target: RelatedTarget::External(r.target.clone()),
        });
    }
    let error = |code, message: String, hint: &str| {
        Diagnostic::error(code, &p.file, at, message).with_hint(hint)
    };
    match index.resolve(p.source_dir(), &r.target) {
        Resolved::Page(t, frag) => {
            if let Some(f) = &frag {
                if !rendered[t].checks().ids.contains(f) {
                    diags.push(error(
                        "broken-anchor",
                        format!(
                            "related: content/{} has no heading with the id `{f}`",
                            pages[t].as_ref().source
                        ),
                        "check the heading's id on that page",
                    ));
                }
            }
            let title = r
                .title
                .clone()
                .unwrap_or_else(|| pages[t].as_ref().meta.title.clone());
            return Some(RelatedLink {
                title,
                target: RelatedTarget::Page(t, frag),
            });
        }
        Resolved::File(..) | Resolved::External => diags.push(error(
            "broken-link",
            format!("related `{}` is not a page", r.target),
            "list pages by their .md path, or external links with a title and url",
        )),
        Resolved::Draft(s) => diags.push(error(
            "draft-link",
            format!(
                "related `{}` is content/{s}, a draft this build leaves out",
                r.target
            ),
            "publish that page or build with --drafts",
        )),
        Resolved::Missing(why) => diags.push(error(
            "broken-link",
            format!("related `{}`: {why}", r.target),
            "write the path to the page's .md file, relative to this page",
        )),
    }
    None
}
