//! sitemap.xml: every published page's absolute URL, sorted, with the
//! date it last changed where front matter gives one.

use super::escape;

/// One sitemap entry: the absolute URL and an optional `YYYY-MM-DD`.
pub(crate) struct Entry {
    pub(crate) loc: String,
    pub(crate) lastmod: Option<String>,
}

/// The sitemap document for `entries` (sorted here by URL).
pub(crate) fn render(mut entries: Vec<Entry>) -> String {
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
