//! The banner this build shows: every banner's Markdown rendered once (so
//! a broken link in a banner that starts next week fails the build today),
//! and the one current on the build's date kept for the templates.

use crate::config::{Config, banners};
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::links::LinkIndex;
use crate::markdown::{InlinePart, render_inline};
use std::path::Path;

/// The banner shown on every page of this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteBanner {
    /// Its text as inline HTML, with links to the site as site paths.
    pub(crate) parts: Vec<InlinePart>,
    pub(crate) from: Date,
    pub(crate) until: Date,
}

/// Renders every banner, reporting problems at its `text:` in site.yaml,
/// and returns the one to show on the build's date.
pub(crate) fn current(
    config: &Config,
    index: &LinkIndex,
    diags: &mut Vec<Diagnostic>,
) -> Option<SiteBanner> {
    let shown = banners::current(&config.banners, config.build_date);
    let mut out = None;
    for b in &config.banners {
        match render_inline(&b.text, index) {
            Ok(parts) => {
                if shown.is_some_and(|s| std::ptr::eq(s, b)) {
                    out = Some(SiteBanner {
                        parts,
                        from: b.from,
                        until: b.until,
                    });
                }
            }
            Err(p) => diags.push(
                Diagnostic::error(
                    p.code,
                    Path::new(crate::config::CONFIG_FILE),
                    b.text_at,
                    p.message,
                )
                .with_hint(p.hint),
            ),
        }
    }
    out
}
