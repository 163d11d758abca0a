//! `llms.txt` (the llmstxt.org format): the site's title as `# Title`, its
//! description as a `> ` quote, then each section as `## Section` with a
//! `- [Title](absolute URL): description` line for the section and for
//! each of its pages, sections in the order of the site's tree. The home
//! page's own pages come last, under "Also on this site" (as the home page
//! lists them). Drafts are left out, as from the sitemap.

use crate::content::Kind;
use crate::site::Site;

/// One line of text: line breaks and runs of spaces made one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` safe as a Markdown link's text.
fn link_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `- [Title](url): description` line of page `i`.
fn entry(site: &Site, i: usize, out: &mut String) {
    let p = &site.pages[i];
    let url = site
        .config
        .permalink(&p.url)
        .replace('(', "%28")
        .replace(')', "%29");
    out.push_str(&format!("- [{}]({url})", link_text(&p.meta.title)));
    if let Some(d) = p.meta.description.as_deref().map(one_line) {
        if !d.is_empty() {
            out.push_str(": ");
            out.push_str(&d);
        }
    }
    out.push('\n');
}

/// The site's `llms.txt`.
pub(crate) fn render(site: &Site) -> String {
    let c = &site.config;
    let mut out = format!("# {}\n", one_line(&c.title));
    if !c.description.trim().is_empty() {
        out.push_str(&format!("\n> {}\n", one_line(&c.description)));
    }
    let published = |i: &usize| !site.pages[*i].meta.draft;
    let mut sections: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(i, p)| p.kind == Kind::Section && published(i))
        .map(|(i, _)| i)
        .collect();
    sections.sort_by_key(|&i| site.pages[i].order);
    for s in sections {
        let sp = &site.pages[s];
        out.push_str(&format!("\n## {}\n\n", one_line(&sp.meta.title)));
        entry(site, s, &mut out);
        for &k in sp.pages.iter().filter(|k| published(k)) {
            entry(site, k, &mut out);
        }
    }
    let home = &site.pages[site.tree.home];
    let loose: Vec<usize> = home.pages.iter().copied().filter(published).collect();
    if !loose.is_empty() {
        out.push_str("\n## Also on this site\n\n");
        for k in loose {
            entry(site, k, &mut out);
        }
    }
    out
}
