//! Rendering one output file: a page through its template, a section's
//! print page, a redirect, a feed, the sitemap, or a file to copy. [`Origin`] says what a file of the
//! output plan comes from; [`emit`] makes it; [`fingerprint`] hashes what it
//! would be made from, so `pestle serve` rewrites only what changed.

use super::context::{Context, Scope, SharedPrints, SiteModel};
use super::theme;
use super::{Templates, feed, llms, redirect, sitemap};
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Position};
use crate::hash::hash_of;
use crate::links;
use crate::site::Site;
use std::path::{Path, PathBuf};

/// The file that marks a folder as pestle's output, safe to replace.
pub const MARKER: &str = ".pestle-output";
/// What the marker file says.
pub(crate) const MARKER_TEXT: &str =
    "This folder is written by `pestle build` and replaced on every build.\n";

/// The redirect rules file of Netlify and Cloudflare Pages.
pub(crate) const REDIRECTS: &str = "_redirects";
/// The site's summary for language models (llmstxt.org).
pub(crate) const LLMS: &str = "llms.txt";

/// What a file of the output is made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A content page through its template.
    Page(usize),
    /// Page n (from 2) of the paginated section.
    Paginated(usize, usize),
    /// The search page, when the theme has `search.html`.
    Search,
    /// The Atom feed of the news section.
    NewsFeed(usize),
    /// The Atom feed of a term: (taxonomy, term).
    TermFeed(usize, usize),
    /// A taxonomy's index page.
    Taxonomy(usize),
    /// A term's page: (taxonomy, term).
    Term(usize, usize),
    /// Part p (from 1) of the print page of section n: the section and
    /// every page under it, [`crate::site::PRINT_PART_CHAPTERS`] a part.
    Print(usize, usize),
    /// A redirect page from an old address to page n.
    Alias(usize, String),
    /// A static file of the theme or the site.
    Static(theme::Source),
    /// A content file that is not a page.
    Asset(PathBuf),
    /// The 404 page, the sitemap, `_redirects`, `llms.txt`, the output
    /// marker (told apart by their path), or the CMS admin's two files.
    Generated,
}

/// What an output file holds.
pub(crate) enum Emitted {
    /// Text made by pestle (HTML, XML).
    Text(String),
    /// A file to copy as it is.
    Copy(PathBuf),
    /// Bytes built into pestle (the default theme's static files).
    Bytes(&'static [u8]),
}

/// The file a site path is written to: `/eps/` → `eps/index.html`.
pub(crate) fn page_file(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// The template a content page is rendered with.
pub(crate) fn template_for(site: &Site, i: usize, t: &Templates) -> String {
    let p = &site.pages[i];
    if let Some(name) = &p.meta.template {
        return name.clone();
    }
    match p.kind {
        Kind::Home if t.has("home.html") => "home.html".into(),
        Kind::Home | Kind::Section => "section.html".into(),
        Kind::Page => "page.html".into(),
    }
}

/// Who makes an output file, for conflict messages.
pub(crate) fn describe(origin: &Origin, site: &Site) -> String {
    match origin {
        Origin::Page(i) | Origin::Paginated(i, _) | Origin::NewsFeed(i) => {
            site.pages[*i].file.display().to_string()
        }
        Origin::TermFeed(..) => "a taxonomy feed".into(),
        Origin::Print(i, 1) => format!("the print page of {}", site.pages[*i].file.display()),
        Origin::Print(i, part) => format!(
            "part {part} of the print page of {}",
            site.pages[*i].file.display()
        ),
        Origin::Search => "the search page".into(),
        Origin::Taxonomy(_) | Origin::Term(..) => "a taxonomy page".into(),
        Origin::Alias(i, a) => format!("the alias {a} of {}", site.pages[*i].file.display()),
        Origin::Static(theme::Source::Disk(p)) => p.display().to_string(),
        Origin::Static(theme::Source::Embedded(_)) => "the default theme".into(),
        Origin::Asset(p) => p.display().to_string(),
        Origin::Generated => "pestle itself".into(),
    }
}

/// The pager number of a page render: `Some(n)` for the paginated section.
fn pager(model: &SiteModel<'_>, origin: &Origin) -> Option<usize> {
    match origin {
        Origin::Paginated(_, n) => Some(*n),
        Origin::Page(i) => model.paginated.filter(|(s, _)| s == i).map(|_| 1),
        _ => None,
    }
}

/// The Tera context of `ctx`, for a render of the page in `file`.
fn to_tera(ctx: Context<'_>, file: &Path) -> Result<tera::Context, Diagnostic> {
    ctx.into_tera().map_err(|e| {
        Diagnostic::error(
            "template-error",
            file,
            Position::File,
            format!("cannot build the template context: {e}"),
        )
    })
}

/// A file made by a template: the template, its context, and the file its
/// problems are reported against.
pub(crate) struct Render<'m> {
    name: String,
    context: Context<'m>,
    file: PathBuf,
}

impl Render<'_> {
    /// Renders the file into `w` as it is made, so that a big page (a long
    /// listing, a print page) is never held whole as text.
    pub(crate) fn write_to(
        self,
        templates: &Templates,
        w: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        let ctx = to_tera(self.context, &self.file)?;
        templates.render_to(&self.name, &ctx, &self.file, w)
    }

    fn into_text(self, templates: &Templates) -> Result<String, Diagnostic> {
        let ctx = to_tera(self.context, &self.file)?;
        templates.render(&self.name, &ctx, &self.file)
    }
}

/// What an output file is made as: a render (made when it is written, so
/// a big page goes to its file as it is made), or what it already is.
pub(crate) enum Made<'m> {
    Render(Box<Render<'m>>),
    Ready(Emitted),
}

/// How the output file at `path` is made.
pub(crate) fn make<'m>(
    model: &SiteModel<'m>,
    templates: &Templates,
    path: &str,
    origin: &Origin,
) -> Made<'m> {
    let site = model.site;
    let whole = |name: &str| Scope::Whole(templates.uses(name));
    let named = |name: &str, context: Context<'m>| {
        Made::Render(Box::new(Render {
            name: name.to_string(),
            context,
            file: templates.file_of(name),
        }))
    };
    let text = match origin {
        Origin::Page(i) | Origin::Paginated(i, _) => {
            let name = template_for(site, *i, templates);
            let context = model.page_view(*i, pager(model, origin), whole(&name));
            return Made::Render(Box::new(Render {
                name,
                context,
                file: site.pages[*i].file.clone(),
            }));
        }
        Origin::Search => return named("search.html", model.search_view(whole("search.html"))),
        Origin::Print(s, part) => {
            return named(
                "print.html",
                model.print_view(*s, *part, whole("print.html")),
            );
        }
        Origin::Taxonomy(ti) => {
            return named(
                "taxonomy.html",
                model.taxonomy_view(&site.taxonomies[*ti], whole("taxonomy.html")),
            );
        }
        Origin::Term(ti, ni) => {
            let t = &site.taxonomies[*ti];
            return named(
                "term.html",
                model.term_view(t, &t.terms[*ni], whole("term.html")),
            );
        }
        Origin::NewsFeed(i) => feed::news(model, *i),
        Origin::TermFeed(ti, ni) => feed::term(model, *ti, *ni),
        Origin::Alias(i, alias) => {
            let p = &site.pages[*i];
            let href = links::relative(alias, &p.url, site.config.file_urls);
            redirect::page(
                &p.meta.title,
                &href,
                &site.config.permalink(&p.url),
                &site.config.language,
            )
        }
        Origin::Static(theme::Source::Disk(from)) | Origin::Asset(from) => {
            return Made::Ready(Emitted::Copy(from.clone()));
        }
        Origin::Static(theme::Source::Embedded(bytes)) => {
            return Made::Ready(Emitted::Bytes(bytes));
        }
        Origin::Generated => match path {
            "404.html" => return named("404.html", model.not_found_view(whole("404.html"))),
            "sitemap.xml" => sitemap::render(site),
            REDIRECTS => redirect::host_rules(site),
            LLMS => llms::render(site),
            admin if crate::cms::PATHS.contains(&admin) => {
                crate::cms::emit(site, admin).unwrap_or_default()
            }
            _ => MARKER_TEXT.to_string(),
        },
    };
    Made::Ready(Emitted::Text(text))
}

/// Renders the output file at `path`, in memory.
pub(crate) fn emit(
    model: &SiteModel<'_>,
    templates: &Templates,
    path: &str,
    origin: &Origin,
) -> Result<Emitted, Diagnostic> {
    match make(model, templates, path, origin) {
        Made::Render(r) => r.into_text(templates).map(Emitted::Text),
        Made::Ready(e) => Ok(e),
    }
}

/// The template an output file is rendered with, if any.
pub(crate) fn template_of(
    site: &Site,
    templates: &Templates,
    path: &str,
    origin: &Origin,
) -> Option<String> {
    match origin {
        Origin::Page(i) | Origin::Paginated(i, _) => Some(template_for(site, *i, templates)),
        Origin::Taxonomy(_) => Some("taxonomy.html".into()),
        Origin::Term(..) => Some("term.html".into()),
        Origin::Search => Some("search.html".into()),
        Origin::Print(..) => Some("print.html".into()),
        Origin::Generated if path == "404.html" => Some("404.html".into()),
        _ => None,
    }
}

/// A hash that changes whenever the output file at `path` would: what its
/// template would see (with page HTML as its hash, and the shared parts it
/// reads, from `shared`), or its source file's size and time.
pub(crate) fn fingerprint(
    model: &SiteModel<'_>,
    templates: &Templates,
    path: &str,
    origin: &Origin,
    shared: &SharedPrints,
) -> u64 {
    let own = own_fingerprint(model, templates, path, origin);
    match template_of(model.site, templates, path, origin) {
        Some(name) => hash_of(&(own, shared.of(templates.uses(&name)))),
        None => own,
    }
}

fn own_fingerprint(
    model: &SiteModel<'_>,
    templates: &Templates,
    path: &str,
    origin: &Origin,
) -> u64 {
    let site = model.site;
    let own = Scope::OwnOnly;
    match origin {
        Origin::Page(i) | Origin::Paginated(i, _) => {
            let name = template_for(site, *i, templates);
            let parts = hash_of(&(
                templates.generation_of(&name),
                &name,
                site.pages[*i].rendered.html_hash,
            ));
            model
                .page_view(*i, pager(model, origin), own)
                .fingerprint(parts)
        }
        Origin::Taxonomy(ti) => model
            .taxonomy_view(&site.taxonomies[*ti], own)
            .fingerprint(templates.generation_of("taxonomy.html")),
        Origin::Term(ti, ni) => {
            let t = &site.taxonomies[*ti];
            model
                .term_view(t, &t.terms[*ni], own)
                .fingerprint(templates.generation_of("term.html"))
        }
        Origin::Search => model
            .search_view(own)
            .fingerprint(templates.generation_of("search.html")),
        Origin::Print(s, part) => {
            // Its pages' HTML, and where every page of the section is (a
            // link to another part goes there).
            let book = model.book(*s);
            let chapters = &book.all;
            let html: Vec<u64> = model
                .print_part(chapters, *part)
                .iter()
                .map(|&(k, _)| site.pages[k].rendered.html_hash)
                .collect();
            let urls: Vec<&str> = chapters
                .iter()
                .map(|&(k, _)| site.pages[k].url.as_str())
                .collect();
            model.print_view(*s, *part, own).fingerprint(hash_of(&(
                templates.generation_of("print.html"),
                html,
                urls,
            )))
        }
        Origin::Generated if path == "404.html" => model
            .not_found_view(own)
            .fingerprint(templates.generation_of("404.html")),
        Origin::Static(theme::Source::Disk(p)) | Origin::Asset(p) => {
            let meta = std::fs::metadata(p).ok();
            let stamp = meta.as_ref().and_then(|m| m.modified().ok());
            hash_of(&(p, meta.map(|m| m.len()), stamp))
        }
        Origin::Static(theme::Source::Embedded(bytes)) => hash_of(*bytes),
        // Feeds, the sitemap and redirects are cheap: hash what they are.
        _ => match emit(model, templates, path, origin) {
            Ok(Emitted::Text(t)) => hash_of(t.as_str()),
            _ => 0,
        },
    }
}
