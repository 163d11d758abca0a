//! Links between pages: resolving what an editor wrote (`../tokens.md#stock`,
//! `/eps/nominations.md`, `diagram.png`) to a page or file of the site, and
//! writing the result as a URL relative to the page that links, so the
//! output works under any base path and, with file URLs, from disk.

use std::collections::{HashMap, HashSet};

/// What a link written in content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// Left as written: another site, `mailto:`, or empty.
    External,
    /// A page of this site, by index, with the `#fragment` if any.
    Page(usize, Option<String>),
    /// A file (image, PDF) at this site path, with the rest (`#x`, `?y`).
    File(String, String),
    /// Nothing at that path; the string says what was looked for.
    Missing(String),
    /// A page that exists but is a draft, left out of this build.
    Draft(String),
}

/// Everything links can point at.
#[derive(Debug, Default)]
pub(crate) struct LinkIndex {
    /// Source path relative to `content/` → page index.
    pub(crate) pages: HashMap<String, usize>,
    /// Site path → page index.
    pub(crate) urls: HashMap<String, usize>,
    /// Folder relative to `content/` → page index of its section or bundle.
    pub(crate) dirs: HashMap<String, usize>,
    /// Content file relative to `content/` → its site path.
    pub(crate) assets: HashMap<String, String>,
    /// Site paths of static files (theme and `static/`).
    pub(crate) static_files: HashSet<String>,
    /// Source paths of drafts this build leaves out.
    pub(crate) drafts: HashSet<String>,
    /// Site path of each page, by page index.
    pub(crate) page_urls: Vec<String>,
    /// Site path of each image pestle reads the size of → its size, or why
    /// it could not be read.
    pub(crate) images: HashMap<String, Result<crate::image::ImageSize, String>>,
}

/// True when `dest` has a URL scheme (`https:`, `mailto:`) or is protocol-relative.
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes `%XX` escapes; invalid escapes are kept as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Joins `rel` onto folder `base` (both `/`-separated, relative to
/// `content/`), resolving `.` and `..`. `None` if it climbs above the root.
pub(crate) fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let base = if rel.starts_with('/') { "" } else { base };
    for seg in base.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

impl LinkIndex {
    /// Resolves `dest` written in a page whose source folder is `from_dir`.
    pub(crate) fn resolve(&self, from_dir: &str, dest: &str) -> Resolved {
        if dest.is_empty() || is_external(dest) {
            return Resolved::External;
        }
        let split_at = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, rest) = dest.split_at(split_at);
        let fragment = rest
            .find('#')
            .map(|i| percent_decode(&rest[i + 1..]))
            .filter(|f| !f.is_empty());
        let path = percent_decode(path);
        let Some(joined) = join(from_dir, &path) else {
            return Resolved::Missing(format!("`{path}` goes above the content folder"));
        };
        if path.ends_with(".md") {
            if let Some(&i) = self.pages.get(&joined) {
                return Resolved::Page(i, fragment);
            }
            if self.drafts.contains(&joined) {
                return Resolved::Draft(joined);
            }
            return Resolved::Missing(format!("there is no page content/{joined}"));
        }
        if let Some(url) = self.assets.get(&joined) {
            return Resolved::File(url.clone(), rest.to_string());
        }
        if path.ends_with('/') || !last_has_extension(&joined) {
            if let Some(&i) = self.dirs.get(&joined) {
                return Resolved::Page(i, fragment);
            }
        }
        if path.starts_with('/') {
            let site_path = if path.ends_with('/') || last_has_extension(&path) {
                path.clone()
            } else {
                format!("{path}/")
            };
            if let Some(&i) = self.urls.get(&site_path) {
                return Resolved::Page(i, fragment);
            }
            if self.static_files.contains(&path) {
                return Resolved::File(path, rest.to_string());
            }
        }
        Resolved::Missing(format!("there is no file content/{joined}"))
    }
}

/// The path to write in a page in folder `from_dir` to reach the content
/// file `to` (both relative to `content/`): `page.md`, `../eps/a.md`.
pub(crate) fn relative_source(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let target: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let (dirs, name) = target.split_at(target.len().saturating_sub(1));
    let common = from.iter().zip(dirs).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    for d in &dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(name.first().copied().unwrap_or(""));
    out
}

/// What a broken link or image should say instead, as the text to write
/// in the page (in folder `from_dir`, whose own file is `own`): a page or
/// file whose path differs only in letter case, one with the same name in
/// another folder, or one a typo away. Never the page itself.
pub(crate) fn suggest(
    index: &LinkIndex,
    from_dir: &str,
    own: &str,
    dest: &str,
    image: bool,
) -> Option<String> {
    let path = percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
    let fragment = dest.find('#').map_or("", |i| &dest[i..]);
    // A site address of a page (`/eps/a/`, `/eps/a/index.html`): its file.
    let as_url = path.strip_suffix("index.html").unwrap_or(&path);
    if !path.ends_with(".md") && !image {
        let url = if as_url.starts_with('/') {
            as_url.to_string()
        } else {
            format!("/{}", join(from_dir, as_url).unwrap_or_default())
        };
        let url = if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        };
        if let Some(&i) = index.urls.get(&url) {
            let source = index
                .pages
                .iter()
                .find(|(_, v)| **v == i)
                .map(|(k, _)| k.as_str());
            if let Some(source) = source.filter(|s| *s != own) {
                return Some(format!("{}{fragment}", relative_source(from_dir, source)));
            }
        }
    }
    let wanted = join(from_dir, &path).unwrap_or_else(|| path.trim_start_matches('/').to_string());
    let candidates: Vec<&str> = if image || !path.ends_with(".md") {
        index.assets.keys().map(String::as_str).collect()
    } else {
        index
            .pages
            .keys()
            .map(String::as_str)
            .filter(|c| *c != own)
            .collect()
    };
    let name_of = |p: &str| p.rsplit('/').next().unwrap_or(p).to_lowercase();
    let lower = wanted.to_lowercase();
    let found = candidates
        .iter()
        .find(|c| c.to_lowercase() == lower)
        .or_else(|| {
            let mut same_name: Vec<&&str> = candidates
                .iter()
                .filter(|c| name_of(c) == name_of(&wanted))
                .collect();
            same_name.sort();
            (same_name.len() == 1).then(|| same_name[0])
        })
        .copied()
        .or_else(|| {
            let in_dir: Vec<&str> = candidates
                .iter()
                .copied()
                .filter(|c| {
                    c.rsplit_once('/').map_or("", |(d, _)| d)
                        == wanted.rsplit_once('/').map_or("", |(d, _)| d)
                })
                .collect();
            // Compare names without their extension: `nope.md` is not a
            // typo of `late.md` just because both end in `.md`.
            let stem = |p: &str| {
                let n = name_of(p);
                n.rsplit_once('.').map_or(n.clone(), |(s, _)| s.to_string())
            };
            let stems: Vec<String> = in_dir.iter().map(|c| stem(c)).collect();
            let best =
                crate::diagnostics::did_you_mean(&stem(&wanted), stems.iter().map(String::as_str))?;
            in_dir.iter().copied().find(|c| stem(c) == best)
        })?;
    Some(format!("{}{fragment}", relative_source(from_dir, found)))
}

fn last_has_extension(p: &str) -> bool {
    p.rsplit('/').next().is_some_and(|s| s.contains('.'))
}

/// The URL of site path `to` relative to the page at site path `from`.
///
/// `from` is a page URL (`/a/b/`, a folder) or a file (`/404.html`). With
/// `file_urls`, folder targets get `index.html` so they open from disk.
pub(crate) fn relative(from: &str, to: &str, file_urls: bool) -> String {
    let from_dir = match from.rfind('/') {
        Some(i) => &from[..=i],
        None => "/",
    };
    let from_segs: SmallSegs<'_> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_segs: SmallSegs<'_> = to.split('/').filter(|s| !s.is_empty()).collect();
    let to_is_dir = to.ends_with('/');
    let common = from_segs
        .iter()
        .zip(to_segs.iter())
        .take_while(|(a, b)| a == b)
        .count();
    // A target file shares no segment with the folder its name would be.
    let common = if !to_is_dir && common == to_segs.len() && common > 0 {
        common - 1
    } else {
        common
    };
    let mut out = String::with_capacity(3 * (from_segs.len() - common) + to.len() + 10);
    for _ in common..from_segs.len() {
        out.push_str("../");
    }
    for (k, seg) in to_segs.iter().skip(common).enumerate() {
        if k > 0 {
            out.push('/');
        }
        out.push_str(seg);
    }
    if to_is_dir && common < to_segs.len() {
        out.push('/');
    }
    if file_urls && to_is_dir {
        out.push_str("index.html");
    } else if out.is_empty() {
        out.push_str("./");
    }
    out
}

/// A path's segments, on the stack for the usual few.
struct SmallSegs<'a> {
    first: [&'a str; 8],
    len: usize,
    more: Vec<&'a str>,
}

impl<'a> FromIterator<&'a str> for SmallSegs<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut s = SmallSegs {
            first: [""; 8],
            len: 0,
            more: Vec::new(),
        };
        for seg in iter {
            if s.len < s.first.len() {
                s.first[s.len] = seg;
            } else {
                s.more.push(seg);
            }
            s.len += 1;
        }
        s
    }
}

impl<'a> SmallSegs<'a> {
    fn len(&self) -> usize {
        self.len
    }

    fn iter(&self) -> impl Iterator<Item = &&'a str> {
        self.first[..self.len.min(8)].iter().chain(&self.more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a browser at `from` goes for the relative URL `rel`.
    fn resolve(from: &str, rel: &str) -> String {
        let dir = &from[..=from.rfind('/').unwrap_or(0)];
        let mut segs: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for part in rel.split('/') {
            match part {
                ".." => {
                    segs.pop();
                }
                "." | "" => {}
                p => segs.push(p),
            }
        }
        let tail = if rel.ends_with('/') || rel.is_empty() {
            "/"
        } else {
            ""
        };
        let path = format!("/{}{tail}", segs.join("/"));
        if path == "//" { "/".into() } else { path }
    }

    #[test]
    fn every_relative_url_leads_where_it_should() {
        let mut paths = vec!["/".to_string(), "/404.html".to_string()];
        for a in ["a", "b"] {
            paths.push(format!("/{a}/"));
            paths.push(format!("/{a}/x.css"));
            for b in ["a", "b", "c"] {
                paths.push(format!("/{a}/{b}/"));
                paths.push(format!("/{a}/{b}/x.css"));
                for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i"] {
                    paths.push(format!("/{a}/{b}/{c}/1/2/3/4/5/6/"));
                }
            }
        }
        for from in &paths {
            for to in &paths {
                let rel = relative(from, to, false);
                assert_eq!(resolve(from, &rel), *to, "from {from} to {to} via {rel}");
            }
        }
    }

    #[test]
    fn relative_urls_between_pages() {
        assert_eq!(relative("/a/b/", "/a/c/", false), "../c/");
        assert_eq!(relative("/a/b/", "/", false), "../../");
        assert_eq!(relative("/", "/", false), "./");
        assert_eq!(relative("/", "/eps/", false), "eps/");
        assert_eq!(relative("/a/", "/a/b/", false), "b/");
        assert_eq!(relative("/a/", "/a/", false), "./");
        assert_eq!(relative("/a/b/", "/a/x.png", false), "../x.png");
        assert_eq!(relative("/a/b/", "/a/b/x.png", false), "x.png");
        assert_eq!(relative("/404.html", "/eps/", false), "eps/");
        assert_eq!(relative("/a/b/", "/a/c/", true), "../c/index.html");
        assert_eq!(relative("/a/", "/a/", true), "index.html");
        assert_eq!(relative("/a/b/", "/", true), "../../index.html");
        assert_eq!(relative("/a/", "/style.css", true), "../style.css");
    }

    #[test]
    fn joins_relative_paths_and_refuses_climbing_out() {
        assert_eq!(join("eps", "../tokens.md").as_deref(), Some("tokens.md"));
        assert_eq!(
            join("eps/x", "/tokens/a.md").as_deref(),
            Some("tokens/a.md")
        );
        assert_eq!(join("", "../x.md"), None);
        assert_eq!(join(".", "about.md").as_deref(), Some("about.md"));
    }

    #[test]
    fn writes_the_path_to_a_content_file_from_a_page() {
        assert_eq!(relative_source("guide", "guide/page.md"), "page.md");
        assert_eq!(relative_source("guide", "eps/a.md"), "../eps/a.md");
        assert_eq!(relative_source("", "eps/a.md"), "eps/a.md");
        assert_eq!(relative_source("a/b", "a/c/d.png"), "../c/d.png");
    }

    #[test]
    fn detects_external_links() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.example"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
