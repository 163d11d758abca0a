//! The pipeline every command shares, up to the moment files are written:
//! [`prepare`] reads site.yaml and the theme, assembles the site
//! ([`crate::site::assemble`]), checks the templates it names, and plans the
//! output ([`crate::render::plan`]). `build` then writes the plan (and the
//! search index), `check` renders it in memory, and `serve` keeps it and
//! rewrites only what a change touched.

use crate::config;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Fatal, Sources};
use crate::fs::SiteRoot;
use crate::fs::spill::Spill;
use crate::render::functions::TermPages;
use crate::render::{Plan, SiteModel, Templates, plan, theme};
use crate::site::{self, Cache, Changed, Site};
use std::path::PathBuf;

/// What a build reads and where it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The date the build is for (banners, review dates); `None` takes it
    /// from `PESTLE_TODAY`, `SOURCE_DATE_EPOCH` or the clock.
    pub date: Option<Date>,
    /// Built for `pestle serve`: the CMS uses its local backend.
    pub preview: bool,
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
            date: None,
            preview: false,
        }
    }
}

/// A site ready to be written: assembled, with its theme, templates and plan.
pub(crate) struct Prepared {
    pub(crate) site: Site,
    pub(crate) templates: Templates,
    pub(crate) plan: Plan,
    /// The text of every file read, to place diagnostics found later.
    pub(crate) sources: Sources,
    /// A one-off build's temporary file ([`Cache::one_off`]).
    pub(crate) spill: Option<std::sync::Arc<Spill>>,
}

impl Prepared {
    /// Lets go of what only finding and placing problems needs, for a
    /// one-off build that has found every problem but template errors
    /// (which are placed in the templates): the texts kept to place
    /// problems, where each page's front-matter keys are, and the tree's
    /// look-ups. (Its links' checks went once they were checked.)
    pub(crate) fn forget_checks(&mut self) {
        self.sources = Sources::default();
        self.site.tree.forget_lookups();
        for p in &mut self.site.pages {
            if let Some(m) = std::sync::Arc::get_mut(&mut p.page.meta) {
                m.forget_checks();
            }
        }
    }

    /// Why a page's HTML or text could not be read back from the build's
    /// temporary file, if one could not: what was written since is not
    /// to be trusted.
    pub(crate) fn spill_failure(&self) -> Option<String> {
        self.spill.as_ref().and_then(|s| s.failure())
    }

    /// The model templates are rendered from.
    pub(crate) fn model(&self) -> SiteModel<'_> {
        SiteModel::new(&self.site)
    }
}

/// The texts of the pages that `diags` point into and `sources` does not
/// hold: a one-off build let go of them, so each is read again, and used
/// only if it is still what was built.
fn add_page_texts(site: &Site, sources: &mut Sources, diags: &[Diagnostic]) {
    let wanted: std::collections::HashSet<&std::path::Path> = diags
        .iter()
        .filter(|d| matches!(d.position, crate::diagnostics::Position::Offset(_)))
        .map(|d| d.path.as_path())
        .filter(|p| sources.get(p).is_none())
        .collect();
    for p in site
        .pages
        .iter()
        .filter(|p| wanted.contains(p.file.as_path()))
    {
        if let Some(text) = p.text() {
            sources.add(p.file.clone(), std::sync::Arc::from(text.into_owned()));
        }
    }
}

/// Reads, checks and plans the site, with every diagnostic found. `None`
/// only when there is nothing to plan with (site.yaml or the templates
/// could not be read); a plan that comes with errors must not be written.
/// Only environment failures are `Err`. `changed` says which files `cache`
/// may still hold good parses for.
pub(crate) fn prepare(
    opts: &BuildOptions,
    cache: &mut Cache,
    changed: Changed<'_>,
) -> Result<(Option<Prepared>, Vec<Diagnostic>), Fatal> {
    let root = SiteRoot::new(&opts.root)?;
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let Some(mut config) = site::read::load_config(&root, &mut sources, &mut diags)? else {
        sources.locate(&mut diags);
        return Ok((None, diags));
    };
    if let Some(url) = &opts.base_url {
        let mut url = url.clone();
        if !url.ends_with('/') {
            url.push('/');
        }
        config::check_base_url(&url).map_err(|m| Fatal::new(format!("--base-url: {m}")))?;
        config.base_url = url;
    }
    config.file_urls |= opts.file_urls;
    config.build_date = Date::for_build(opts.date).map_err(Fatal::new)?;
    config.set_preview(opts.preview);
    let theme = theme::load(&root, &config.theme, &mut sources, &mut diags)?;
    let templates = Templates::compile(&theme, &mut diags);
    let inputs = site::Inputs {
        root: &root,
        glossary: site::read::load_glossary(&root, &mut sources, &mut diags),
        static_paths: theme.static_paths(),
        static_images: theme.static_images(root.real()),
        drafts: opts.drafts,
        config,
    };
    let mut site = site::assemble(inputs, cache, changed, &mut diags);
    site.print_pages = templates.as_ref().is_some_and(|t| t.has("print.html"));
    for (source, r) in &cache.pages {
        if let Some(text) = &r.text {
            sources.add(
                PathBuf::from("content").join(source),
                std::sync::Arc::clone(text),
            );
        }
    }
    let Some(mut templates) = templates else {
        sources.locate(&mut diags);
        return Ok((None, diags));
    };
    templates.check_site(&site, &theme, &mut diags);
    let wanted = templates.calls("term_pages");
    templates.register_function("term_pages", TermPages::new(&site, wanted));
    let t = std::time::Instant::now();
    let (plan, found) = plan::plan(&site, &theme, &templates);
    diags.extend(found);
    crate::diagnostics::timing("output plan", t);
    if cache.one_off {
        add_page_texts(&site, &mut sources, &diags);
    }
    sources.locate(&mut diags);
    let prepared = Prepared {
        site,
        templates,
        plan,
        sources,
        spill: cache.spill.clone(),
    };
    Ok((Some(prepared), diags))
}
