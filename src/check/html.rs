//! A small scanner for the HTML pestle writes: the URLs a page links to and
//! the ids it offers, found without a full HTML parser because pestle's own
//! output (and the theme's) is regular enough for attribute scanning.

/// One URL-bearing attribute: the tag, the attribute and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) tag: String,
    pub(crate) attr: String,
    pub(crate) value: String,
}

/// What one HTML document holds.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) links: Vec<Link>,
    pub(crate) ids: Vec<String>,
    /// `<img>` tags without an `alt` attribute (count).
    pub(crate) images_without_alt: usize,
    /// `<meta http-equiv="refresh">` target, for redirect pages.
    pub(crate) refresh: Option<String>,
}

/// Decodes the few character references attribute values use.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Scans `html` for tags and their attributes.
pub(crate) fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        if html[start..].starts_with("!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let name_end = html[start..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| start + e);
        let tag = html[start..name_end].to_ascii_lowercase();
        if tag.is_empty() || tag.starts_with('!') || tag.starts_with('?') {
            i = name_end.max(start);
            continue;
        }
        // Attributes up to the closing `>`, respecting quotes.
        let mut j = name_end;
        let mut attrs: Vec<(String, Option<String>)> = Vec::new();
        while j < bytes.len() && bytes[j] != b'>' {
            if bytes[j].is_ascii_whitespace() || bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let name_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            let mut value = None;
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let vstart = j + 1;
                    let vend = html[vstart..]
                        .find(q as char)
                        .map_or(html.len(), |e| vstart + e);
                    value = Some(unescape(&html[vstart..vend]));
                    j = (vend + 1).min(bytes.len());
                } else {
                    let vstart = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some(unescape(&html[vstart..j]));
                }
            }
            attrs.push((name, value));
        }
        let get = |n: &str| {
            attrs
                .iter()
                .find(|(a, _)| a == n)
                .and_then(|(_, v)| v.clone())
        };
        if let Some(id) = get("id") {
            out.ids.push(id);
        }
        if tag == "a" {
            if let Some(name) = get("name") {
                out.ids.push(name);
            }
        }
        for attr in ["href", "src", "action"] {
            if let Some(v) = get(attr) {
                out.links.push(Link {
                    tag: tag.clone(),
                    attr: attr.to_string(),
                    value: v,
                });
            }
        }
        if tag == "img" && get("alt").is_none() {
            out.images_without_alt += 1;
        }
        if tag == "meta" && get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
            if let Some(c) = get("content") {
                if let Some(pos) = c.to_ascii_lowercase().find("url=") {
                    out.refresh = Some(c[pos + 4..].trim().to_string());
                }
            }
        }
        i = (j + 1).min(html.len());
        // Skip the bodies of script and style elements.
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            i = html[i..].find(&close).map_or(html.len(), |e| i + e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_ids_and_images_without_alt() {
        let s = scan(
            "<!-- <a href=\"no\"> --><h2 id=\"a&amp;b\">x</h2><a href='x/#y' class=z>l</a><img src=i.png><img src=j.png alt=\"\"><script>if (a<b) {}</script><meta http-equiv=\"refresh\" content=\"0; url=../new/\">",
        );
        assert_eq!(s.ids, vec!["a&b"]);
        assert_eq!(
            s.links.iter().map(|l| l.value.as_str()).collect::<Vec<_>>(),
            vec!["x/#y", "i.png", "j.png"]
        );
        assert_eq!(s.images_without_alt, 1);
        assert_eq!(s.refresh.as_deref(), Some("../new/"));
    }
}
