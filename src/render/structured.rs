//! Structured data for search engines: JSON-LD (schema.org) built with
//! serde_json, never by templates. A guidance page or section is a
//! `MedicalWebPage` (its title, description, review date, who reviews it,
//! its address, language and audience) with its `BreadcrumbList`; the home
//! page is the `WebSite`. The JSON is made safe to sit inside a `<script>`
//! element: `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`,
//! so a title holding `</script>` cannot end the element.

use crate::content::Kind;
use crate::site::Site;
use serde_json::{Value, json};

/// Who the guidance is written for, as schema.org's `audience`.
fn audience() -> Value {
    json!({
        "@type": "MedicalAudience",
        "audienceType": "Clinician",
        "name": "Pharmacy professionals"
    })
}

/// The JSON-LD of content page `i`, rendered at site path `own_url` (a
/// section's pager pages have their own), or `None` for pages that carry
/// none.
pub(crate) fn page_json_ld(site: &Site, i: usize, own_url: &str) -> Option<String> {
    let p = &site.pages[i];
    let config = &site.config;
    let permalink = config.permalink(own_url);
    let value = match p.kind {
        Kind::Home => {
            let mut site_node = json!({
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": config.title,
                "url": permalink,
                "inLanguage": config.language,
            });
            if !config.description.is_empty() {
                site_node["description"] = json!(config.description);
            }
            site_node
        }
        Kind::Page | Kind::Section => {
            let crumbs_id = format!("{permalink}#breadcrumb");
            let mut page = json!({
                "@type": "MedicalWebPage",
                "@id": permalink,
                "name": p.meta.title,
                "url": permalink,
                "inLanguage": config.language,
                "audience": audience(),
                "isPartOf": { "@type": "WebSite", "name": config.title, "url": config.base_url },
                "breadcrumb": { "@id": crumbs_id },
            });
            let fields = [
                ("description", p.meta.description.clone()),
                ("lastReviewed", p.meta.reviewed.map(|d| d.to_string())),
                ("dateModified", p.meta.updated.map(|d| d.to_string())),
                ("datePublished", p.meta.date.map(|d| d.to_string())),
            ];
            for (key, value) in fields {
                if let Some(v) = value {
                    page[key] = json!(v);
                }
            }
            if let Some(owner) = &p.meta.owner {
                page["reviewedBy"] = json!({ "@type": "Organization", "name": owner });
            }
            let mut items: Vec<Value> = Vec::new();
            let trail = p.ancestors.iter().map(|&a| {
                let name = if a == site.tree.home {
                    "Home"
                } else {
                    site.pages[a].meta.title.as_str()
                };
                (name, config.permalink(&site.pages[a].url))
            });
            for (n, (name, item)) in trail
                .chain(std::iter::once((p.meta.title.as_str(), permalink.clone())))
                .enumerate()
            {
                items.push(json!({
                    "@type": "ListItem",
                    "position": n + 1,
                    "name": name,
                    "item": item,
                }));
            }
            let crumbs = json!({
                "@type": "BreadcrumbList",
                "@id": crumbs_id,
                "itemListElement": items,
            });
            json!({ "@context": "https://schema.org", "@graph": [page, crumbs] })
        }
    };
    Some(script_safe(&value))
}

/// `value` as JSON that cannot end or confuse the `<script>` element it
/// sits in.
pub(crate) fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
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

    #[test]
    fn script_safe_json_cannot_close_the_element_and_still_parses() {
        let v = json!({ "name": "A </script><script>alert(1)</script> & \u{2028}" });
        let safe = script_safe(&v);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, v);
    }
}
