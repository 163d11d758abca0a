//! A page's HTML moved into a print page as one of its chapters. The HTML
//! was written for the page's own address, so in the print page:
//!
//! - every `id` gets the chapter's prefix (`p3-stock`), and so do the
//!   attributes that name ids (`href="#..."`, `for`, `headers`, `aria-*`),
//!   keeping ids unique across chapters;
//! - headings move down `shift` levels (at most to `h6`), under the
//!   chapter's own title;
//! - a relative link to a page that is in the print page becomes a link to
//!   its chapter (`#p4`, or `#p4-stock` with a fragment; in another part of
//!   a print page in parts, `../2/#p104`), and any other relative link or
//!   image is written from the print page's address;
//! - `loading="lazy"` is dropped: a printed page must have every image.
//!
//! The HTML is pestle's own (and raw HTML from pages), so tags are found by
//! scanning, without a full parser; text, comments and the bodies of
//! `script` and `style` elements are copied as they are.

use crate::escape::html as escape;
use crate::links;
use crate::site::SitePage;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// Attributes whose value is a list of ids.
const ID_REFS: &[&str] = &[
    "for",
    "headers",
    "list",
    "form",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-errormessage",
    "aria-activedescendant",
    "aria-flowto",
];

/// The print page chapters are moved into.
pub(crate) struct PrintPage<'a> {
    /// The print page's site path, like `/eps/print/` (or `/eps/print/2/`
    /// for its second part).
    pub(crate) url: &'a str,
    /// The site path of each page of the print page, in any part → its
    /// chapter.
    pub(crate) chapters: &'a HashMap<String, Chapter>,
    /// The site path of each part, the first first.
    pub(crate) parts: &'a [String],
    pub(crate) file_urls: bool,
}

/// Where a page is in a print page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chapter {
    /// Its chapter's id (`p3`).
    pub(crate) id: String,
    /// The part it is in, from 1.
    pub(crate) part: usize,
}

/// One chapter to move: the page's HTML, its site path, its id (used as
/// the prefix of the ids in it) and how far its headings move down.
pub(crate) struct Move<'a> {
    pub(crate) html: &'a str,
    pub(crate) page_url: &'a str,
    pub(crate) id: &'a str,
    pub(crate) shift: u8,
}

/// Where `</name` (in any letter case) starts in `html`, if it does.
fn find_close(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(off) = html[from..].find("</") {
        let at = from + off;
        let tag = &bytes[at + 2..];
        if tag.len() >= name.len() && tag[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Decodes the character references pestle's and common HTML use in
/// attribute values.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&"),
    )
}

/// A heading tag's name moved down `shift` levels, or `None` for other tags.
fn shifted(name: &str, shift: u8) -> Option<String> {
    let b = name.as_bytes();
    if b.len() == 2 && (b[0] == b'h' || b[0] == b'H') && (b'1'..=b'6').contains(&b[1]) {
        let level = (b[1] - b'0').saturating_add(shift).min(6);
        return Some(format!("h{level}"));
    }
    None
}

impl PrintPage<'_> {
    /// The chapter's HTML for this print page.
    pub(crate) fn rehome(&self, m: &Move<'_>) -> String {
        let html = m.html;
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut i = 0;
        while let Some(off) = html[i..].find('<') {
            let start = i + off;
            out.push_str(&html[i..start]);
            let rest = &html[start..];
            if rest.starts_with("<!--") {
                let end = rest.find("-->").map_or(html.len(), |e| start + e + 3);
                out.push_str(&html[start..end]);
                i = end;
                continue;
            }
            let (tag_end, new_tag, raw_body) = self.tag(html, start, m);
            out.push_str(&new_tag);
            i = tag_end;
            if let Some(name) = raw_body {
                let end = find_close(&html[i..], name).map_or(html.len(), |e| i + e);
                out.push_str(&html[i..end]);
                i = end;
            }
        }
        out.push_str(&html[i..]);
        out
    }

    /// The tag starting at `start` (a `<`): where it ends, its new text,
    /// and for `script` and `style`, the name whose body follows as is.
    fn tag<'h>(
        &self,
        html: &'h str,
        start: usize,
        m: &Move<'_>,
    ) -> (usize, Cow<'h, str>, Option<&'static str>) {
        let bytes = html.as_bytes();
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_end = html[name_start..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| name_start + e);
        let name = &html[name_start..name_end];
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            // Not a tag (`a < b` in raw HTML): copy the `<` alone.
            return (start + 1, Cow::Borrowed("<"), None);
        }
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        if let Some(h) = shifted(name, m.shift) {
            edits.push((name_start, name_end, h));
        }
        let mut j = name_end;
        while j < bytes.len() && bytes[j] != b'>' {
            if bytes[j].is_ascii_whitespace() || bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let attr_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = &html[attr_start..j];
            let mut value: Option<(usize, usize)> = None;
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j] as char;
                    let vstart = j + 1;
                    let vend = html[vstart..].find(q).map_or(html.len(), |e| vstart + e);
                    value = Some((vstart, vend));
                    j = (vend + 1).min(bytes.len());
                } else {
                    let vstart = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some((vstart, j));
                }
            }
            if closing {
                continue;
            }
            if attr.eq_ignore_ascii_case("loading") {
                let from = html[..attr_start].trim_end().len();
                edits.push((from, j, String::new()));
                continue;
            }
            let Some((vs, ve)) = value else { continue };
            let is = |a: &str| attr.eq_ignore_ascii_case(a);
            let new = if is("id") {
                Some(format!("{}-{}", m.id, unescape(&html[vs..ve])))
            } else if is("href") || is("src") {
                self.retarget(&unescape(&html[vs..ve]), m)
            } else if ID_REFS.iter().any(|a| is(a)) {
                Some(
                    unescape(&html[vs..ve])
                        .split_whitespace()
                        .map(|r| format!("{}-{r}", m.id))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            } else {
                None
            };
            if let Some(new) = new {
                let quoted = vs > 0 && matches!(bytes[vs - 1], b'"' | b'\'');
                let text = if quoted {
                    escape(&new)
                } else {
                    format!("\"{}\"", escape(&new))
                };
                edits.push((vs, ve, text));
            }
        }
        let end = (j + 1).min(html.len());
        let raw = (!closing)
            .then(|| {
                ["script", "style"]
                    .into_iter()
                    .find(|r| name.eq_ignore_ascii_case(r))
            })
            .flatten();
        if edits.is_empty() {
            return (end, Cow::Borrowed(&html[start..end]), raw);
        }
        let mut tag = String::with_capacity(end - start + 16);
        let mut at = start;
        for (from, to, text) in edits {
            tag.push_str(&html[at..from]);
            tag.push_str(&text);
            at = to;
        }
        tag.push_str(&html[at..end]);
        (end, Cow::Owned(tag), raw)
    }

    /// Where a link or image of the chapter goes from the print page, or
    /// `None` to keep it as written (other sites, root paths).
    fn retarget(&self, value: &str, m: &Move<'_>) -> Option<String> {
        if let Some(fragment) = value.strip_prefix('#') {
            return Some(if fragment.is_empty() {
                format!("#{}", m.id)
            } else {
                format!("#{}-{fragment}", m.id)
            });
        }
        if value.is_empty() || value.starts_with('/') || links::is_external(value) {
            return None;
        }
        let split = value.find(['#', '?']).unwrap_or(value.len());
        let (path, rest) = value.split_at(split);
        if path.is_empty() {
            return None;
        }
        let joined = links::join(m.page_url.trim_matches('/'), path)?;
        let mut target = format!("/{joined}");
        if (path.ends_with('/') || path == "." || path.ends_with("/.")) && target != "/" {
            target.push('/');
        }
        if let Some(dir) = target
            .strip_suffix("index.html")
            .filter(|d| d.ends_with('/'))
        {
            target = dir.to_string();
        }
        if let Some(chapter) = self.chapters.get(&target) {
            let fragment = rest.split_once('#').map_or("", |(_, f)| f);
            let anchor = if fragment.is_empty() {
                format!("#{}", chapter.id)
            } else {
                format!("#{}-{fragment}", chapter.id)
            };
            let part = chapter.part.checked_sub(1).and_then(|p| self.parts.get(p));
            return Some(match part.filter(|u| *u != self.url) {
                Some(other) => links::relative(self.url, other, self.file_urls) + &anchor,
                None => anchor,
            });
        }
        Some(links::relative(self.url, &target, self.file_urls) + rest)
    }
}

/// Where every page of one section's print page is, worked out once and
/// shared by all its parts (a section of 2,000 pages prints in 20 parts;
/// each part building its own copy costs the square of the section's size).
pub(crate) struct Book {
    /// The chapters in print order: each page's index and heading level.
    pub(crate) all: Vec<(usize, u8)>,
    /// The site path of each page of the print page → its chapter.
    pub(crate) chapters: HashMap<String, Chapter>,
    /// The site path of each part, the first first.
    pub(crate) parts: Vec<String>,
}

/// What moving pages' HTML into one part of a print page needs, shared by
/// its chapters: the part's site path and its section's [`Book`].
pub(crate) struct Mover {
    pub(crate) url: String,
    pub(crate) book: Arc<Book>,
    pub(crate) file_urls: bool,
}

impl Mover {
    /// Page `p`'s HTML as chapter `id`, its headings `shift` levels down.
    pub(crate) fn rehome(&self, p: &SitePage, id: &str, shift: u8) -> String {
        let print = PrintPage {
            url: &self.url,
            chapters: &self.book.chapters,
            parts: &self.book.parts,
            file_urls: self.file_urls,
        };
        print.rehome(&Move {
            html: &p.rendered.html(),
            page_url: &p.url,
            id,
            shift,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(id: &str, part: usize) -> Chapter {
        Chapter {
            id: id.into(),
            part,
        }
    }

    #[test]
    fn a_link_to_a_page_in_another_part_goes_to_that_part() {
        let chapters = HashMap::from([
            ("/eps/a/".to_string(), chapter("p2", 1)),
            ("/eps/b/".to_string(), chapter("p150", 2)),
        ]);
        let parts = ["/eps/print/".to_string(), "/eps/print/2/".to_string()];
        for (url, file_urls, a, b) in [
            ("/eps/print/", false, "#p2-x", "2/#p150-y"),
            ("/eps/print/2/", false, "../#p2-x", "#p150-y"),
            ("/eps/print/2/", true, "../index.html#p2-x", "#p150-y"),
        ] {
            let print = PrintPage {
                url,
                chapters: &chapters,
                parts: &parts,
                file_urls,
            };
            let out = print.rehome(&Move {
                html: "<a href=\"../a/#x\">A</a><a href=\"../b/#y\">B</a>",
                page_url: "/eps/c/",
                id: "p9",
                shift: 1,
            });
            assert_eq!(
                out,
                format!("<a href=\"{a}\">A</a><a href=\"{b}\">B</a>"),
                "from {url}"
            );
        }
    }

    #[test]
    fn prefixes_ids_shifts_headings_and_retargets_links() {
        let chapters = HashMap::from([
            ("/eps/".to_string(), chapter("p1", 1)),
            ("/eps/b/".to_string(), chapter("p3", 1)),
        ]);
        let print = PrintPage {
            url: "/eps/print/",
            chapters: &chapters,
            parts: &["/eps/print/".to_string()],
            file_urls: false,
        };
        let html = "<h2 id=\"stock\">Stock</h2>\n<p>See <a href=\"#stock\">above</a>, <a href=\"../b/#x\">B</a>, <a href=\"../\">EPS</a>, <a href=\"../../tokens/\">tokens</a>, <a href=\"https://nhs.uk/\">NHS</a>.</p>\n<!-- footprints --><img src=\"map.png\" alt=\"a &lt; b\" loading=\"lazy\" /><label for=\"q\">Q</label><h6>Deep</h6><script>if (a<b) {}</script>";
        let out = print.rehome(&Move {
            html,
            page_url: "/eps/a/",
            id: "p2",
            shift: 1,
        });
        assert_eq!(
            out,
            "<h3 id=\"p2-stock\">Stock</h3>\n<p>See <a href=\"#p2-stock\">above</a>, <a href=\"#p3-x\">B</a>, <a href=\"#p1\">EPS</a>, <a href=\"../../tokens/\">tokens</a>, <a href=\"https://nhs.uk/\">NHS</a>.</p>\n<!-- footprints --><img src=\"../a/map.png\" alt=\"a &lt; b\" /><label for=\"p2-q\">Q</label><h6>Deep</h6><script>if (a<b) {}</script>"
        );
    }

    #[test]
    fn file_urls_links_find_their_chapter_and_stay_file_urls() {
        let chapters = HashMap::from([("/eps/b/".to_string(), chapter("p3", 1))]);
        let print = PrintPage {
            url: "/eps/print/",
            chapters: &chapters,
            parts: &["/eps/print/".to_string()],
            file_urls: true,
        };
        let out = print.rehome(&Move {
            html: "<a href=\"../b/index.html\">B</a><a href=\"../../tokens/index.html#t\">T</a>",
            page_url: "/eps/a/",
            id: "p2",
            shift: 1,
        });
        assert_eq!(
            out,
            "<a href=\"#p3\">B</a><a href=\"../../tokens/index.html#t\">T</a>"
        );
    }
}
