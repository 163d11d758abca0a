//! Rendering one output file of an assembled site: a page through its
//! template, a redirect, a feed, the sitemap, or a file to copy.

use super::{Origin, template_for};
use crate::diagnostics::{Diagnostic, Position};
use crate::hash::hash_of;
use crate::links;
use crate::output::{feed, redirect, sitemap};
use crate::render::Templates;
use crate::render::context::{Context, SiteModel};
use crate::render::theme;
use std::path::{Path, PathBuf};

/// What an output file holds.
pub(crate) enum Emitted {
    /// Text made by pestle (HTML, XML).
    Text(String),
    /// A file to copy as it is.
    Copy(PathBuf),
    /// Bytes built into pestle (the default theme's static files).
    Bytes(&'static [u8]),
    /// Nothing to write (the output marker, written by the staging folder).
    Nothing,
}

/// Renders the output file at `path`.
pub(crate) fn emit(
    model: &SiteModel<'_>,
    templates: &Templates,
    path: &str,
    origin: &Origin,
) -> Result<Emitted, Diagnostic> {
    let tree = model.tree;
    let rendered = |name: &str, ctx: Context<'_>, file: &Path| -> Result<String, Diagnostic> {
        let ctx = ctx.into_tera().map_err(|e| {
            Diagnostic::error(
                "template-error",
                file,
                Position::File,
                format!("cannot build the template context: {e}"),
            )
        })?;
        templates.render(name, &ctx, file)
    };
    let html = match origin {
        Origin::Page(i) | Origin::Paginated(i, _) => {
            let file = &tree.pages[*i].file;
            let pager = match origin {
                Origin::Paginated(_, n) => Some(*n),
                _ => model.paginated.filter(|(s, _)| s == i).map(|_| 1),
            };
            rendered(
                &template_for(tree, *i, templates),
                model.page_view(*i, pager),
                file,
            )
        }
        Origin::NewsFeed(i) => Ok(news_feed(model, *i)),
        Origin::Search => rendered(
            "search.html",
            model.search_view(),
            &templates.file_of("search.html"),
        ),
        Origin::TermFeed(ti, ni) => Ok(term_feed(model, *ti, *ni)),
        Origin::SearchFile(text) => Ok(text.to_string()),
        Origin::Taxonomy(ti) => rendered(
            "taxonomy.html",
            model.taxonomy_view(&model.taxonomies[*ti]),
            &templates.file_of("taxonomy.html"),
        ),
        Origin::Term(ti, ni) => {
            let t = &model.taxonomies[*ti];
            rendered(
                "term.html",
                model.term_view(t, &t.terms[*ni]),
                &templates.file_of("term.html"),
            )
        }
        Origin::Alias(i, alias) => {
            let p = &tree.pages[*i];
            let href = links::relative(alias, &p.url, model.config.file_urls);
            Ok(redirect::page(
                &p.meta.title,
                &href,
                &model.config.permalink(&p.url),
                &model.config.language,
            ))
        }
        Origin::Static(theme::Source::Disk(from)) | Origin::Asset(from) => {
            return Ok(Emitted::Copy(from.clone()));
        }
        Origin::Static(theme::Source::Embedded(bytes)) => return Ok(Emitted::Bytes(bytes)),
        Origin::Generated => match path {
            "404.html" => rendered(
                "404.html",
                model.not_found_view(),
                &templates.file_of("404.html"),
            ),
            "sitemap.xml" => Ok(sitemap_xml(model)),
            _ => return Ok(Emitted::Nothing),
        },
    };
    html.map(Emitted::Text)
}

fn feed_entry<'a>(model: &SiteModel<'a>, i: usize) -> Option<feed::FeedEntry<'a>> {
    let p = &model.tree.pages[i];
    Some(feed::FeedEntry {
        title: &p.meta.title,
        url: model.config.permalink(&p.url),
        summary: p.meta.description.as_deref(),
        published: p.meta.date,
        updated: p.meta.last_updated()?,
    })
}

fn news_feed(model: &SiteModel<'_>, section: usize) -> String {
    let s = &model.tree.pages[section];
    let mut items: Vec<usize> = s.pages.clone();
    items.sort_by(|&a, &b| {
        let (pa, pb) = (&model.tree.pages[a].meta, &model.tree.pages[b].meta);
        pb.date.cmp(&pa.date).then_with(|| pa.title.cmp(&pb.title))
    });
    let entries: Vec<feed::FeedEntry<'_>> =
        items.iter().filter_map(|&i| feed_entry(model, i)).collect();
    let title = format!("{} | {}", s.meta.title, model.config.title);
    feed::render(
        &feed::FeedHead {
            title: &title,
            subtitle: s.meta.description.as_deref().unwrap_or(""),
            self_url: model.config.permalink(&format!("{}atom.xml", s.url)),
            page_url: model.config.permalink(&s.url),
            author: &model.config.title,
            language: &model.config.language,
            fallback_updated: s.meta.last_updated(),
        },
        &entries,
    )
}

fn term_feed(model: &SiteModel<'_>, ti: usize, ni: usize) -> String {
    let t = &model.taxonomies[ti];
    let term = &t.terms[ni];
    let mut items: Vec<usize> = term.pages.clone();
    items.sort_by(|&a, &b| {
        let (pa, pb) = (&model.tree.pages[a].meta, &model.tree.pages[b].meta);
        pb.last_updated()
            .cmp(&pa.last_updated())
            .then_with(|| pa.title.cmp(&pb.title))
    });
    let entries: Vec<feed::FeedEntry<'_>> =
        items.iter().filter_map(|&i| feed_entry(model, i)).collect();
    let title = format!("{}: {} | {}", t.title, term.title, model.config.title);
    feed::render(
        &feed::FeedHead {
            title: &title,
            subtitle: "",
            self_url: model.config.permalink(&format!("{}atom.xml", term.url)),
            page_url: model.config.permalink(&term.url),
            author: &model.config.title,
            language: &model.config.language,
            fallback_updated: model
                .tree
                .pages
                .iter()
                .filter_map(|p| p.meta.last_updated())
                .max(),
        },
        &entries,
    )
}

fn sitemap_xml(model: &SiteModel<'_>) -> String {
    let mut entries: Vec<sitemap::Entry> = model
        .tree
        .pages
        .iter()
        .filter(|p| !p.meta.draft)
        .map(|p| sitemap::Entry {
            loc: model.config.permalink(&p.url),
            lastmod: p.meta.updated.or(p.meta.date).map(|d| d.to_string()),
        })
        .collect();
    for t in model.taxonomies {
        entries.push(sitemap::Entry {
            loc: model.config.permalink(&t.url),
            lastmod: None,
        });
        for term in &t.terms {
            entries.push(sitemap::Entry {
                loc: model.config.permalink(&term.url),
                lastmod: None,
            });
        }
    }
    sitemap::render(entries)
}

/// A hash that changes whenever the output file at `path` would: what its
/// template would see (with page HTML as its hash), or its source file's
/// size and time. Used by `pestle serve` to rewrite only what changed.
pub(crate) fn fingerprint(
    model: &SiteModel<'_>,
    templates: &Templates,
    path: &str,
    origin: &Origin,
) -> u64 {
    let tree = model.tree;
    match origin {
        Origin::Page(i) | Origin::Paginated(i, _) => {
            let pager = match origin {
                Origin::Paginated(_, n) => Some(*n),
                _ => model.paginated.filter(|(s, _)| s == i).map(|_| 1),
            };
            let name = template_for(tree, *i, templates);
            let own = hash_of(&(
                templates.generation_of(&name),
                &name,
                model.rendered[*i].html_hash,
            ));
            model.page_view(*i, pager).fingerprint(own)
        }
        Origin::Taxonomy(ti) => model
            .taxonomy_view(&model.taxonomies[*ti])
            .fingerprint(templates.generation_of("taxonomy.html")),
        Origin::Term(ti, ni) => {
            let t = &model.taxonomies[*ti];
            model
                .term_view(t, &t.terms[*ni])
                .fingerprint(templates.generation_of("term.html"))
        }
        Origin::Search => model
            .search_view()
            .fingerprint(templates.generation_of("search.html")),
        Origin::Generated if path == "404.html" => model
            .not_found_view()
            .fingerprint(templates.generation_of("404.html")),
        Origin::Static(theme::Source::Disk(p)) | Origin::Asset(p) => {
            let meta = std::fs::metadata(p).ok();
            let stamp = meta.as_ref().and_then(|m| m.modified().ok());
            hash_of(&(p, meta.map(|m| m.len()), stamp))
        }
        Origin::Static(theme::Source::Embedded(bytes)) => hash_of(*bytes),
        Origin::SearchFile(text) => hash_of(&**text),
        // Feeds, the sitemap and redirects are cheap: hash what they are.
        _ => match emit(model, templates, path, origin) {
            Ok(Emitted::Text(t)) => hash_of(t.as_str()),
            _ => 0,
        },
    }
}
