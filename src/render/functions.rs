//! Functions templates can call, for data that is not in every page's
//! context: `term_pages(taxonomy, term, from, exclude)` lists any term's pages,
//! so an LDR page can show "other guidance for London".

use crate::links;
use crate::site::Site;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Function, Value};

#[derive(Serialize)]
struct Brief {
    title: String,
    description: Option<String>,
    path: String,
    last_updated: Option<String>,
    kind: &'static str,
}

/// `term_pages(taxonomy="region", term="london", from=page.path, exclude=page.path)`:
/// the term's pages as `{title, description, url, path, last_updated, kind}`,
/// with URLs relative to `from`.
pub(crate) struct TermPages {
    /// Each page with a term, once.
    briefs: Arc<[Brief]>,
    /// (taxonomy, term slug or lower-case title) → its pages in `briefs`.
    terms: Arc<HashMap<(String, String), Vec<u32>>>,
    file_urls: bool,
}

impl TermPages {
    /// Indexes every term's pages from the site model, when a template
    /// mentions `term_pages` (`wanted`); otherwise knows no terms.
    pub(crate) fn new(site: &Site, wanted: bool) -> Self {
        let mut terms = HashMap::new();
        let mut briefs = Vec::new();
        let mut brief_of: HashMap<usize, u32> = HashMap::new();
        for t in site.taxonomies.iter().filter(|_| wanted) {
            for term in &t.terms {
                let list: Vec<u32> = term
                    .pages
                    .iter()
                    .map(|&i| {
                        *brief_of.entry(i).or_insert_with(|| {
                            let p = &site.pages[i];
                            briefs.push(Brief {
                                title: p.meta.title.clone(),
                                description: p.meta.description.clone(),
                                path: p.url.clone(),
                                last_updated: p.meta.last_updated().map(|d| d.to_string()),
                                kind: p.kind.name(),
                            });
                            (briefs.len() - 1) as u32
                        })
                    })
                    .collect();
                terms.insert((t.name.clone(), term.slug.clone()), list.clone());
                terms.insert((t.name.clone(), term.title.to_lowercase()), list);
            }
        }
        TermPages {
            briefs: briefs.into(),
            terms: Arc::new(terms),
            file_urls: site.config.file_urls,
        }
    }
}

fn arg<'a>(args: &'a HashMap<String, Value>, name: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg(format!("term_pages needs `{name}` (text)")))
}

impl Function for TermPages {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let taxonomy = arg(args, "taxonomy")?;
        let term = arg(args, "term")?;
        let from = arg(args, "from")?;
        let exclude = args.get("exclude").and_then(Value::as_str);
        let key = (taxonomy.to_string(), crate::content::slugify(term));
        let list = self
            .terms
            .get(&key)
            .or_else(|| self.terms.get(&(taxonomy.to_string(), term.to_lowercase())))
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "term_pages: no term `{term}` in taxonomy `{taxonomy}`"
                ))
            })?;
        let out: Vec<Value> = list
            .iter()
            .filter_map(|&b| self.briefs.get(b as usize))
            .filter(|b| Some(b.path.as_str()) != exclude)
            .map(|b| {
                let mut v = serde_json::to_value(b).unwrap_or(Value::Null);
                if let Some(map) = v.as_object_mut() {
                    map.insert(
                        "url".into(),
                        Value::String(links::relative(from, &b.path, self.file_urls)),
                    );
                }
                v
            })
            .collect();
        Ok(Value::Array(out))
    }
}
