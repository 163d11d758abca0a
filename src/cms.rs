//! The web editor: with a `cms:` block in site.yaml, the build writes
//! `admin/index.html`, the one page that loads the CMS script, and
//! `admin/config.yml` for Decap CMS (Sveltia CMS reads the same file).
//!
//! The config is made from the site itself: one folder collection per
//! section (nested ones too), and each collection's fields from the
//! front-matter key table ([`fields::FIELDS`]) with the site's closed
//! taxonomy terms as the only choices, so the form offers what the
//! validator accepts. Every change is a pull request (`editorial_workflow`);
//! a build for `pestle serve` also turns on the local proxy backend. The
//! admin page drops a cleared number or date before saving (Decap would
//! write `""`, which pestle refuses).
//!
//! Section titles, folder names and the backend settings come from the
//! site, which may be a stranger's pull request: the YAML is written by
//! serde_yaml (every scalar quoted as it needs), and the site's text in the
//! page (title, language, script address) is HTML-escaped.

use crate::config::{CmsConfig, Config};
use crate::content::Kind as PageKind;
use crate::content::frontmatter::fields::{self, Field, Kind};
use crate::site::Site;
use serde_yaml::{Mapping, Value};

/// The admin page.
pub(crate) const INDEX: &str = "admin/index.html";
/// Decap CMS's configuration, next to the page that reads it.
pub(crate) const CONFIG: &str = "admin/config.yml";
/// The files a site with `cms:` gets.
pub(crate) const PATHS: [&str; 2] = [INDEX, CONFIG];

/// Front-matter keys the form leaves out: they are for the theme's
/// developers, and the CMS keeps them in the file as written.
pub(crate) const NOT_IN_FORM: &[&str] = &["template", "ignore_checks", "extra"];

/// Text keys edited in a box of several lines rather than one line.
const LONG_TEXT: &[&str] = &["description"];

/// The text of `path` (one of [`PATHS`]), or `None` when the site has no
/// `cms:` block or `path` is not the CMS's.
pub(crate) fn emit(site: &Site, path: &str) -> Option<String> {
    let cms = site.config.cms.as_ref()?;
    match path {
        INDEX => Some(index_html(&site.config, cms)),
        CONFIG => Some(config_yml(site, cms)),
        _ => None,
    }
}

fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(Value::String(k.to_string()), v);
    }
    Value::Mapping(m)
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// admin/config.yml.
pub(crate) fn config_yml(site: &Site, cms: &CmsConfig) -> String {
    let config = &site.config;
    let mut top = Mapping::new();
    let mut put = |k: &str, v: Value| {
        top.insert(text(k), v);
    };
    put("backend", Value::Mapping(cms.backend.clone()));
    if cms.preview {
        let local = match &cms.local_backend_url {
            Some(url) => map([("url", text(url))]),
            None => Value::Bool(true),
        };
        put("local_backend", local);
    }
    put("publish_mode", text("editorial_workflow"));
    put("site_url", text(&config.base_url));
    put("media_folder", text(&cms.media_folder));
    put("public_folder", text(&cms.public_folder));
    // File names made from titles: lower-case ASCII letters, digits and
    // hyphens (accents dropped, other characters to hyphens), which
    // pestle's URL rules leave as they are.
    put(
        "slug",
        map([
            ("encoding", text("ascii")),
            ("clean_accents", Value::Bool(true)),
            ("sanitize_replacement", text("-")),
        ]),
    );
    put("collections", Value::Sequence(collections(site)));
    let yaml = serde_yaml::to_string(&Value::Mapping(top)).unwrap_or_default();
    format!(
        "# Made by pestle from site.yaml and the site's sections: change those, not this file.\n{yaml}"
    )
}

/// One folder collection per section, in the order of the site's tree.
fn collections(site: &Site) -> Vec<Value> {
    let form = form_fields(&site.config);
    let mut sections: Vec<usize> = (0..site.pages.len())
        .filter(|&i| matches!(site.pages[i].kind, PageKind::Home | PageKind::Section))
        .collect();
    sections.sort_by_key(|&i| site.pages[i].order);
    let news = site.news.as_ref().map(|n| n.section);
    let mut names: Vec<String> = Vec::new();
    sections
        .into_iter()
        .map(|i| {
            let p = &site.pages[i];
            let dir = p.source_dir();
            let name = unique(collection_name(dir), &names);
            names.push(name.clone());
            let folder = if dir.is_empty() {
                "content".to_string()
            } else {
                format!("content/{dir}")
            };
            // News items are named by their date, which pestle reads.
            let slug = if Some(i) == news {
                "{{year}}-{{month}}-{{day}}-{{slug}}"
            } else {
                "{{slug}}"
            };
            let mut c = Mapping::new();
            c.insert(text("name"), text(&name));
            c.insert(text("label"), text(&p.meta.title));
            c.insert(text("label_singular"), text("page"));
            if let Some(d) = p.meta.description.as_deref().filter(|d| !d.is_empty()) {
                c.insert(text("description"), text(d));
            }
            c.insert(text("folder"), text(&folder));
            c.insert(text("create"), Value::Bool(true));
            c.insert(text("extension"), text("md"));
            c.insert(text("format"), text("yaml-frontmatter"));
            c.insert(text("slug"), text(slug));
            c.insert(text("fields"), Value::Sequence(form.clone()));
            Value::Mapping(c)
        })
        .collect()
}

/// A collection's name from its folder: `eps/tokens` → `eps-tokens`, the
/// content folder itself → `home`.
fn collection_name(dir: &str) -> String {
    let name = dir
        .split('/')
        .map(crate::slug::slugify)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() { "home".into() } else { name }
}

/// `name`, or `name-2`, `name-3`, ... when it is taken.
fn unique(name: String, taken: &[String]) -> String {
    if !taken.contains(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or(name)
}

/// The form: a field per front-matter key (but [`NOT_IN_FORM`]), in the
/// table's order, then the page's text.
pub(crate) fn form_fields(config: &Config) -> Vec<Value> {
    let mut out: Vec<Value> = fields::FIELDS
        .iter()
        .filter(|f| !NOT_IN_FORM.contains(&f.name))
        .filter_map(|f| form_field(f, config))
        .collect();
    out.push(map([
        ("name", text("body")),
        ("label", text("Text")),
        ("widget", text("markdown")),
        // Decap's rich-text mode rewrites the whole text on save (alerts,
        // tables, list markers): the Markdown is edited as written.
        ("modes", Value::Sequence(vec![text("raw")])),
        ("required", Value::Bool(false)),
        (
            "hint",
            text(
                "The page in Markdown: ## before a heading, - before a list item, and \\[words\\](other-page.md) for a link to another page.",
            ),
        ),
    ]));
    out
}

/// A date field: the browser's date picker, saved as YYYY-MM-DD. Without
/// a default it is left out of the file until a date is picked.
fn date_widget() -> [(&'static str, Value); 5] {
    [
        ("widget", text("datetime")),
        ("format", text("YYYY-MM-DD")),
        ("date_format", text("YYYY-MM-DD")),
        ("time_format", Value::Bool(false)),
        // The day as picked, whatever the editor's time zone.
        ("picker_utc", Value::Bool(true)),
    ]
}

/// One key's field: its widget from the key's kind (none for settings of
/// any shape, which no widget edits).
fn form_field(f: &Field, config: &Config) -> Option<Value> {
    let mut m = Mapping::new();
    m.insert(text("name"), text(f.name));
    m.insert(text("label"), text(f.title));
    let widget: Vec<(&str, Value)> = match f.kind {
        Kind::Text if LONG_TEXT.contains(&f.name) => vec![("widget", text("text"))],
        Kind::Text => vec![("widget", text("string"))],
        Kind::Integer => vec![("widget", text("number")), ("value_type", text("int"))],
        Kind::Date => date_widget().to_vec(),
        Kind::Bool => vec![("widget", text("boolean"))],
        Kind::List => vec![("widget", text("list"))],
        Kind::Terms => {
            let closed = config
                .taxonomies
                .iter()
                .find(|t| t.name == f.name && t.closed);
            match closed {
                Some(t) => {
                    let options = t
                        .terms
                        .iter()
                        .map(|(slug, title)| map([("label", text(title)), ("value", text(slug))]))
                        .collect();
                    vec![
                        ("widget", text("select")),
                        ("multiple", Value::Bool(true)),
                        ("options", Value::Sequence(options)),
                    ]
                }
                None => vec![("widget", text("list"))],
            }
        }
        // Each item is a page's .md path or a web address. Items written
        // as {title, url} are shown by their url and kept as they are
        // unless changed; Decap cannot save a list mixing both shapes in
        // a list of objects, and the site's pages mix them.
        Kind::Related => vec![
            ("widget", text("list")),
            (
                "field",
                map([
                    ("name", text("url")),
                    (
                        "label",
                        text("Page (the path to its .md file) or web address"),
                    ),
                    ("widget", text("string")),
                ]),
            ),
        ],
        Kind::Map => return None,
    };
    for (k, v) in widget {
        m.insert(text(k), v);
    }
    if f.name != "title" {
        m.insert(text("required"), Value::Bool(false));
    }
    m.insert(text("hint"), text(f.description));
    Some(Value::Mapping(m))
}

/// Keys whose empty value pestle refuses (a number or a date written as
/// ""), which Decap writes when an editor clears the field: the admin
/// page drops them before saving.
pub(crate) fn dropped_when_empty() -> Vec<&'static str> {
    fields::FIELDS
        .iter()
        .filter(|f| matches!(f.kind, Kind::Integer | Kind::Date))
        .map(|f| f.name)
        .collect()
}

/// admin/index.html: Decap's script and a save hook. The CMS reads
/// `config.yml` from beside the page by itself.
pub(crate) fn index_html(config: &Config, cms: &CmsConfig) -> String {
    let keys = serde_json::to_string(&dropped_when_empty()).unwrap_or_else(|_| "[]".into());
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Edit {title}</title>
</head>
<body>
<script src="{script}"></script>
<script>
// A cleared number or date is left out of the page, not saved as "".
CMS.registerEventListener({{
  name: "preSave",
  handler: function (event) {{
    var data = event.entry.get("data");
    {keys}.forEach(function (key) {{
      var value = data.get(key);
      if (value === "" || value === null) data = data.delete(key);
    }});
    return data;
  }}
}});
</script>
</body>
</html>
"#,
        lang = crate::escape::html(&config.language),
        title = crate::escape::html(&config.title),
        script = crate::escape::html(&cms.script_url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_front_matter_key_is_in_the_form_or_left_out_on_purpose() {
        let config = crate::config::parse(
            "title: T\n",
            std::path::Path::new("site.yaml"),
            &mut Vec::new(),
        )
        .unwrap_or_else(|| panic!("config"));
        let form = form_fields(&config);
        let named: Vec<&str> = form
            .iter()
            .filter_map(|f| f.get("name").and_then(Value::as_str))
            .collect();
        for f in fields::FIELDS {
            assert!(
                named.contains(&f.name) != NOT_IN_FORM.contains(&f.name),
                "{}: in the form and left out, or neither",
                f.name
            );
        }
        assert_eq!(named.last(), Some(&"body"));
    }

    #[test]
    fn collection_names_are_unique_slugs() {
        assert_eq!(collection_name(""), "home");
        assert_eq!(
            collection_name("eps/Tokens and Forms"),
            "eps-tokens-and-forms"
        );
        let taken = vec!["eps".to_string(), "eps-2".to_string()];
        assert_eq!(unique("eps".into(), &taken), "eps-3");
        assert_eq!(unique("tokens".into(), &taken), "tokens");
    }
}
