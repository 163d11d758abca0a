//! sitemap.xml: every published page's absolute URL, sorted, with the
//! date it last changed where front matter gives one.

use crate::escape::html as escape;
use crate::site::Site;

/// One sitemap entry: the absolute URL and an optional `YYYY-MM-DD`.
struct Entry {
    loc: String,
    lastmod: Option<String>,
}

/// The site's sitemap: every page but drafts, and every listing page.
pub(crate) fn render(site: &Site) -> String {
    let mut entries: Vec<Entry> = site
        .pages
        .iter()
        .filter(|p| !p.meta.draft)
        .map(|p| Entry {
            loc: site.config.permalink(&p.url),
            lastmod: p.meta.updated.or(p.meta.date).map(|d| d.to_string()),
        })
        .collect();
    for t in &site.taxonomies {
        entries.push(Entry {
            loc: site.config.permalink(&t.url),
            lastmod: None,
        });
        for term in &t.terms {
            entries.push(Entry {
                loc: site.config.permalink(&term.url),
                lastmod: None,
            });
        }
    }
    document(entries)
}

/// The sitemap document for `entries` (sorted here by URL).
fn document(mut entries: Vec<Entry>) -> String {
    entries.sort_by(|a, b| a.loc.cmp(&b.loc));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&e.loc));
        out.push_str("</loc>");
        if let Some(d) = e.lastmod {
            out.push_str("<lastmod>");
            out.push_str(&d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
