//! Atom feeds (RFC 4287): the news section's and each term's of a taxonomy
//! with `feeds: true`. Every URL is absolute, from `base_url`; every date is
//! a page's own, so feeds are as repeatable as the rest of the output.

use super::context::SiteModel;
use crate::date::Date;
use crate::escape::html as escape;
use crate::site::order::newest_first;

/// One entry of a feed.
pub(crate) struct FeedEntry<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) summary: Option<&'a str>,
    pub(crate) published: Option<Date>,
    pub(crate) updated: Date,
}

/// A feed's own details.
pub(crate) struct FeedHead<'a> {
    pub(crate) title: &'a str,
    pub(crate) subtitle: &'a str,
    /// The feed's own absolute URL.
    pub(crate) self_url: String,
    /// The absolute URL of the page the feed mirrors.
    pub(crate) page_url: String,
    pub(crate) author: &'a str,
    pub(crate) language: &'a str,
    /// When no entry has a date, the feed's `updated`.
    pub(crate) fallback_updated: Option<Date>,
}

fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// The feed document, entries in the order given.
pub(crate) fn render(head: &FeedHead<'_>, entries: &[FeedEntry<'_>]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .or(head.fallback_updated)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), stamp);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
  <title>{}</title>\n",
        escape(head.language),
        escape(head.title)
    );
    if !head.subtitle.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(head.subtitle)
        ));
    }
    out.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape(&head.self_url),
        escape(&head.page_url),
        escape(&head.page_url),
        escape(head.author)
    ));
    for e in entries {
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{}</id>\n",
            escape(e.title),
            escape(&e.url),
            escape(&e.url)
        ));
        if let Some(p) = e.published {
            out.push_str(&format!("    <published>{}</published>\n", stamp(p)));
        }
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(e.updated)));
        if let Some(s) = e.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", escape(s)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn entry<'a>(model: &SiteModel<'a>, i: usize) -> Option<FeedEntry<'a>> {
    let p = &model.site.pages[i];
    Some(FeedEntry {
        title: &p.meta.title,
        url: model.site.config.permalink(&p.url),
        summary: p.meta.description.as_deref(),
        published: p.meta.date,
        updated: p.meta.last_updated()?,
    })
}

/// The news section's feed, newest first.
pub(crate) fn news(model: &SiteModel<'_>, section: usize) -> String {
    let site = model.site;
    let s = &site.pages[section];
    let mut items: Vec<usize> = s.pages.clone();
    items.sort_by(|&a, &b| newest_first(&site.pages[a], &site.pages[b]));
    let entries: Vec<FeedEntry<'_>> = items.iter().filter_map(|&i| entry(model, i)).collect();
    let title = format!("{} | {}", s.meta.title, site.config.title);
    render(
        &FeedHead {
            title: &title,
            subtitle: s.meta.description.as_deref().unwrap_or(""),
            self_url: site.config.permalink(&format!("{}atom.xml", s.url)),
            page_url: site.config.permalink(&s.url),
            author: &site.config.title,
            language: &site.config.language,
            fallback_updated: s.meta.last_updated(),
        },
        &entries,
    )
}

/// A term's feed, most recently updated first.
pub(crate) fn term(model: &SiteModel<'_>, ti: usize, ni: usize) -> String {
    let site = model.site;
    let t = &site.taxonomies[ti];
    let term = &t.terms[ni];
    let mut items: Vec<usize> = term.pages.clone();
    items.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a].meta, &site.pages[b].meta);
        pb.last_updated()
            .cmp(&pa.last_updated())
            .then_with(|| pa.title.cmp(&pb.title))
    });
    let entries: Vec<FeedEntry<'_>> = items.iter().filter_map(|&i| entry(model, i)).collect();
    let title = format!("{}: {} | {}", t.title, term.title, site.config.title);
    render(
        &FeedHead {
            title: &title,
            subtitle: "",
            self_url: site.config.permalink(&format!("{}atom.xml", term.url)),
            page_url: site.config.permalink(&term.url),
            author: &site.config.title,
            language: &site.config.language,
            fallback_updated: site
                .pages
                .iter()
                .filter_map(|p| p.meta.last_updated())
                .max(),
        },
        &entries,
    )
}
