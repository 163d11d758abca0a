//! Structured data for search engines: JSON-LD (schema.org) built with
//! serde_json, never by templates. A guidance page or section is a
//! `MedicalWebPage` (its title, description, review date, who reviews it,
//! its address, language and audience) with its `BreadcrumbList`; the home
//! page is the `WebSite`. The JSON is made safe to sit inside a `<script>`
//! element: `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`,
//! so a title holding `</script>` cannot end the element.

use crate::content::Kind;
use crate::site::Site;
use serde::Serialize;

// The nodes, typed so a page's JSON is written straight from its data.
// Their fields are in the order of their names (as a JSON object's keys
// always were here), so the output is the same byte for byte.

#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: (WebPage<'a>, Crumbs<'a>),
}

/// A guidance page or section.
#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    audience: Audience,
    breadcrumb: IdRef<'a>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: Named<'a>,
    #[serde(rename = "lastReviewed", skip_serializing_if = "Option::is_none")]
    last_reviewed: Option<String>,
    name: &'a str,
    #[serde(rename = "reviewedBy", skip_serializing_if = "Option::is_none")]
    reviewed_by: Option<Named<'a>>,
    url: &'a str,
}

/// Who the guidance is written for, as schema.org's `audience`.
#[derive(Serialize)]
struct Audience {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "audienceType")]
    audience_type: &'static str,
    name: &'static str,
}

const AUDIENCE: Audience = Audience {
    kind: "MedicalAudience",
    audience_type: "Clinician",
    name: "Pharmacy professionals",
};

#[derive(Serialize)]
struct IdRef<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
}

/// A typed, named thing (the site, the page's owner), with its address
/// when it has one.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Crumbs<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: String,
    name: &'a str,
    position: usize,
}

/// The JSON-LD of content page `i`, rendered at site path `own_url` (a
/// section's pager pages have their own), or `None` for pages that carry
/// none.
pub(crate) fn page_json_ld(site: &Site, i: usize, own_url: &str) -> Option<String> {
    let p = &site.pages[i];
    let config = &site.config;
    let permalink = config.permalink(own_url);
    let json = match p.kind {
        Kind::Home => serde_json::to_string(&WebSite {
            context: "https://schema.org",
            kind: "WebSite",
            description: &config.description,
            in_language: &config.language,
            name: &config.title,
            url: &permalink,
        }),
        Kind::Page | Kind::Section => {
            let crumbs_id = format!("{permalink}#breadcrumb");
            let date = |d: Option<crate::date::Date>| d.map(|d| d.to_string());
            let page = WebPage {
                id: &permalink,
                kind: "MedicalWebPage",
                audience: AUDIENCE,
                breadcrumb: IdRef { id: &crumbs_id },
                date_modified: date(p.meta.updated),
                date_published: date(p.meta.date),
                description: p.meta.description.as_deref(),
                in_language: &config.language,
                is_part_of: Named {
                    kind: "WebSite",
                    name: &config.title,
                    url: Some(&config.base_url),
                },
                last_reviewed: date(p.meta.reviewed),
                name: &p.meta.title,
                reviewed_by: p.meta.owner.as_deref().map(|owner| Named {
                    kind: "Organization",
                    name: owner,
                    url: None,
                }),
                url: &permalink,
            };
            let trail = p.ancestors.iter().map(|&a| {
                let name = if a == site.tree.home {
                    "Home"
                } else {
                    site.pages[a].meta.title.as_str()
                };
                (name, config.permalink(&site.pages[a].url))
            });
            let items = trail
                .chain(std::iter::once((p.meta.title.as_str(), permalink.clone())))
                .enumerate()
                .map(|(n, (name, item))| ListItem {
                    kind: "ListItem",
                    item,
                    name,
                    position: n + 1,
                })
                .collect();
            let crumbs = Crumbs {
                id: &crumbs_id,
                kind: "BreadcrumbList",
                items,
            };
            serde_json::to_string(&Graph {
                context: "https://schema.org",
                graph: (page, crumbs),
            })
        }
    };
    json.ok().map(|text| script_safe(&text))
}

/// JSON `text` made so that it cannot end or confuse the `<script>`
/// element it sits in.
fn script_safe(text: &str) -> String {
    if !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn script_safe_json_cannot_close_the_element_and_still_parses() {
        let v = json!({ "name": "A </script><script>alert(1)</script> & \u{2028}" });
        let safe = script_safe(&v.to_string());
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, v);
    }
}
