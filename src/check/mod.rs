//! `pestle check`'s findings beyond what a build validates: content
//! governance (review dates, descriptions, alt text, heading levels,
//! duplicate titles, empty sections), links in the rendered HTML of every
//! page (so links made by templates are checked too), pages no link reaches,
//! and, on request, external links.

pub(crate) mod external;
pub(crate) mod html;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use crate::links;
use crate::pipeline::Prepared;
use crate::render::Origin;
use crate::render::emit::template_for;
use crate::site::Site;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

/// Review dates, descriptions, alt text, heading levels, titles, sections.
pub(crate) fn governance(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let pages = &site.pages;
    for (i, p) in pages.iter().enumerate() {
        let m = &p.meta;
        if let Some(due) = m.review_due {
            if due < today {
                let key = if m.keys.get("review_due").is_some() {
                    "review_due"
                } else {
                    "reviewed"
                };
                out.push(
                    Diagnostic::warning(
                        "review-overdue",
                        &p.file,
                        m.keys.value_pos(key),
                        format!("this page was due for review on {}", due.long()),
                    )
                    .with_hint("review the page, then set `reviewed:` to the date you did (and `review_due:` if it differs from the site's period)"),
                );
            }
        }
        if m.description.is_none() {
            out.push(
                Diagnostic::warning("missing-description", &p.file, Position::Offset(0), "this page has no description")
                    .with_hint("add `description:` with one sentence; it is shown in listings and search results"),
            );
        }
        let r = &p.rendered;
        for &at in &r.checks().images_without_alt {
            out.push(
                Diagnostic::warning("missing-alt", &p.file, Position::Offset(at), "this image has no alt text")
                    .with_hint("describe the image between the brackets: ![What the image shows](file.png); write ![]() only for decoration"),
            );
        }
        let mut previous = 1u8;
        for &(level, at) in &r.checks().headings {
            if level > previous + 1 {
                out.push(
                    Diagnostic::warning(
                        "heading-skip",
                        &p.file,
                        Position::Offset(at),
                        format!("this heading jumps from level {previous} to level {level}"),
                    )
                    .with_hint(format!(
                        "use {} here: screen-reader users navigate by heading level (the page title is level 1)",
                        "#".repeat(usize::from(previous) + 1)
                    )),
                );
            }
            previous = level;
        }
        if p.is_section() && i != site.tree.home && p.pages.is_empty() && p.subsections.is_empty() {
            out.push(
                Diagnostic::warning(
                    "empty-section",
                    &p.file,
                    Position::File,
                    "this section has no pages",
                )
                .with_hint(
                    "add pages to its folder, or turn it into a page by moving it out of _index.md",
                ),
            );
        }
    }
    for s in pages.iter().filter(|p| p.is_section()) {
        let mut seen: HashMap<String, &PathBuf> = HashMap::new();
        for &k in s.pages.iter().chain(&s.subsections) {
            let p = &pages[k];
            let key = p.meta.title.to_lowercase();
            if let Some(first) = seen.get(&key) {
                out.push(
                    Diagnostic::warning(
                        "duplicate-title",
                        &p.file,
                        p.meta.keys.value_pos("title"),
                        format!("{} in the same section has this title too", first.display()),
                    )
                    .with_hint("give each page a title that says how it differs"),
                );
            } else {
                seen.insert(key, &p.file);
            }
        }
    }
    out
}

/// An output HTML file and what it holds.
pub(crate) struct HtmlFile {
    /// The output path, like `eps/index.html`.
    pub(crate) path: String,
    pub(crate) scan: html::Scan,
}

/// The site path an output file is served at: `eps/index.html` → `/eps/`.
fn served_at(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
}

/// The output file a resolved site path names, if any.
fn output_for(site_path: &str, outputs: &BTreeSet<String>) -> Option<String> {
    let rel = site_path.trim_start_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    };
    candidates.into_iter().find(|c| outputs.contains(c))
}

/// Resolves `href` found in the file at site path `from` to a site path.
fn resolve(from: &str, href: &str, base_path: &str, base_url: &str) -> Option<String> {
    if let Some(rest) = href.strip_prefix(base_url) {
        return Some(format!("/{}", rest.split(['#', '?']).next().unwrap_or("")));
    }
    if href.is_empty() || links::is_external(href) {
        return None;
    }
    let path_part = href.split(['#', '?']).next().unwrap_or("");
    if path_part.is_empty() {
        return Some(from.to_string());
    }
    let dir = match from.rfind('/') {
        Some(i) => &from[..=i],
        None => "/",
    };
    let joined = if let Some(rooted) = path_part.strip_prefix('/') {
        // Root-relative links (the 404 page) start from the base path.
        let rooted = format!("/{rooted}");
        rooted
            .strip_prefix(base_path.trim_end_matches('/'))
            .map_or(rooted.clone(), str::to_string)
    } else {
        let mut p = format!("/{}", links::join(dir.trim_matches('/'), path_part)?);
        if path_part.ends_with('/') && p != "/" {
            p.push('/');
        }
        p
    };
    Some(joined)
}

/// Who to blame for a link in an output file: the page's source when the
/// link is in its Markdown, else the theme template that made it.
fn owner(p: &Prepared, path: &str, href: Option<&str>) -> PathBuf {
    let site = &p.site;
    let template = |name: &str| p.templates.file_of(name);
    match p.plan.files.get(path) {
        Some(Origin::Page(i) | Origin::Paginated(i, _)) => {
            let in_content = href.is_none_or(|h| {
                let html = site.pages[*i].rendered.html();
                html.contains(&format!("href=\"{h}\"")) || html.contains(&format!("src=\"{h}\""))
            });
            if in_content {
                site.pages[*i].file.clone()
            } else {
                template(&template_for(site, *i, &p.templates))
            }
        }
        Some(Origin::Alias(i, _)) => site.pages[*i].file.clone(),
        Some(Origin::Taxonomy(_)) => template("taxonomy.html"),
        Some(Origin::Term(..)) => template("term.html"),
        Some(Origin::Search) => template("search.html"),
        Some(Origin::Print(..)) => template("print.html"),
        _ if path == "404.html" => template("404.html"),
        _ => PathBuf::from(path),
    }
}

/// What the links of every rendered file show.
#[derive(Default)]
struct LinkScan<'a> {
    /// (problem kind, link as written) → (first file, how many files).
    broken: BTreeMap<(&'static str, String), (String, usize)>,
    /// External URL → the file to blame for it.
    external: BTreeMap<String, PathBuf>,
    /// Output file → the output files it links to.
    edges: HashMap<&'a str, Vec<String>>,
}

/// Checks every link in the rendered HTML; finds pages no link reaches.
/// Returns the findings and the external URLs seen (with one page each).
pub(crate) fn output_links(
    p: &Prepared,
    files: &[HtmlFile],
) -> (Vec<Diagnostic>, BTreeMap<String, PathBuf>) {
    let outputs: BTreeSet<String> = p.plan.files.keys().cloned().collect();
    let scan = scan_links(p, files, &outputs);
    let mut out = broken_findings(p, &scan.broken);
    out.extend(orphans(p, &scan.edges, &outputs));
    (out, scan.external)
}

fn scan_links<'a>(p: &Prepared, files: &'a [HtmlFile], outputs: &BTreeSet<String>) -> LinkScan<'a> {
    let site = &p.site;
    let ids: HashMap<&str, HashSet<&str>> = files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.scan.ids.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let aliases: HashSet<&str> = p
        .plan
        .files
        .iter()
        .filter(|(_, o)| matches!(o, Origin::Alias(..)))
        .map(|(p, _)| p.as_str())
        .collect();
    let base_path = site.config.base_path();
    let base_url = site.config.base_url.as_str();
    // Visiting a feedback link would count as an answer.
    let feedback = site.config.feedback_url.as_ref().map(|f| f.fixed_prefix());
    let mut scan = LinkScan::default();
    let mut note = |kind: &'static str, href: &str, from: &str| {
        let e = scan_entry(&mut scan.broken, kind, href, from);
        e.1 += 1;
    };
    let mut external = BTreeMap::new();
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for f in files {
        let from = served_at(&f.path);
        for link in &f.scan.links {
            let v = link.value.trim();
            if feedback.is_some_and(|f| v.starts_with(f)) {
                continue;
            }
            if (v.starts_with("http://") || v.starts_with("https://")) && !v.starts_with(base_url) {
                external
                    .entry(v.to_string())
                    .or_insert_with(|| owner(p, &f.path, Some(v)));
                continue;
            }
            let Some(target) = resolve(&from, v, base_path, base_url) else {
                continue;
            };
            let Some(file) = output_for(&target, outputs) else {
                note("broken-link", v, &f.path);
                continue;
            };
            if aliases.contains(file.as_str())
                && !aliases.contains(f.path.as_str())
                && link.attr == "href"
                && link.tag == "a"
            {
                note("redirect-link", v, &f.path);
            }
            if let Some(fragment) = v.split_once('#').map(|(_, f)| f).filter(|f| !f.is_empty()) {
                if ids
                    .get(file.as_str())
                    .is_some_and(|set| !set.contains(fragment))
                {
                    note("broken-anchor", v, &f.path);
                }
            }
            edges.entry(f.path.as_str()).or_default().push(file);
        }
    }
    scan.external = external;
    scan.edges = edges;
    scan
}

fn scan_entry<'m>(
    broken: &'m mut BTreeMap<(&'static str, String), (String, usize)>,
    kind: &'static str,
    href: &str,
    from: &str,
) -> &'m mut (String, usize) {
    broken
        .entry((kind, href.to_string()))
        .or_insert((from.to_string(), 0))
}

/// One finding per broken link, anchor or redirect, naming the first page.
fn broken_findings(
    p: &Prepared,
    broken: &BTreeMap<(&'static str, String), (String, usize)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ((kind, href), (first, count)) in broken {
        let also = if *count > 1 {
            format!(" (and on {} other pages)", count - 1)
        } else {
            String::new()
        };
        let (message, hint) = match *kind {
            "redirect-link" => (
                format!("{first} links to `{href}`, an old address that only redirects{also}"),
                "link to the page itself rather than to one of its aliases",
            ),
            "broken-anchor" => (
                format!("{first} links to `{href}`, but that page has no such id{also}"),
                "the link comes from a template or raw HTML; check the id it names",
            ),
            _ => (
                format!("{first} links to `{href}`, which is not in the output{also}"),
                "the link comes from a template or raw HTML; check its address",
            ),
        };
        let who = owner(p, first, Some(href));
        let d = if *kind == "redirect-link" {
            Diagnostic::warning(kind, who, Position::File, message)
        } else {
            Diagnostic::error(kind, who, Position::File, message)
        };
        out.push(d.with_hint(hint));
    }
    out
}

/// Pages no link reaches from the home page, over the links between files.
fn orphans(
    p: &Prepared,
    edges: &HashMap<&str, Vec<String>>,
    outputs: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut reached: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = VecDeque::from(["index.html"]);
    while let Some(p) = queue.pop_front() {
        if !reached.insert(p) {
            continue;
        }
        if let Some(next) = edges.get(p) {
            for n in next {
                if let Some(key) = outputs.get(n) {
                    queue.push_back(key.as_str());
                }
            }
        }
    }
    let mut out = Vec::new();
    for (path, origin) in &p.plan.files {
        if let Origin::Page(i) = origin {
            if !reached.contains(path.as_str()) {
                out.push(
                    Diagnostic::warning(
                        "orphan-page",
                        &p.site.pages[*i].file,
                        Position::File,
                        "no menu, listing or link leads to this page from the home page",
                    )
                    .with_hint("link to it from a related page, or list it in a section"),
                );
            }
        }
    }
    out
}

/// Leaves out findings silenced in site.yaml (`check: ignore`) or in the
/// page's own front matter (`ignore_checks`).
pub(crate) fn silence(site: &Site, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let by_file: HashMap<&std::path::Path, &[String]> = site
        .pages
        .iter()
        .map(|p| (p.file.as_path(), p.meta.ignore_checks.as_slice()))
        .collect();
    findings
        .into_iter()
        .filter(|d| {
            !site.config.check.ignore.iter().any(|c| c == d.code)
                && !by_file
                    .get(d.path.as_path())
                    .is_some_and(|codes| codes.iter().any(|c| c == d.code))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_output_links() {
        let base = "https://example.org/docs/";
        assert_eq!(
            resolve("/eps/", "../tokens/#x", "/docs/", base).as_deref(),
            Some("/tokens/")
        );
        assert_eq!(
            resolve("/eps/", "#x", "/docs/", base).as_deref(),
            Some("/eps/")
        );
        assert_eq!(
            resolve("/404.html", "/docs/eps/", "/docs/", base).as_deref(),
            Some("/eps/")
        );
        assert_eq!(
            resolve("/a/", "https://example.org/docs/b/", "/docs/", base).as_deref(),
            Some("/b/")
        );
        assert_eq!(resolve("/a/", "mailto:x@y", "/docs/", base), None);
        assert_eq!(resolve("/a/", "../../..", "/docs/", base), None);
        assert_eq!(served_at("eps/index.html"), "/eps/");
        assert_eq!(served_at("old.html"), "/old.html");
    }
}
